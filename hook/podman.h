/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Asking podman about containers: `podman inspect` and `podman ps`, run as
 * a child process, their JSON read strictly. */
#ifndef OCI_FW_PODMAN_H
#define OCI_FW_PODMAN_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <json-c/json.h>

#include "error.h"

/* Whose podman to ask: the caller's own (uid 0 rootful, or a user's
 * rootless one when the caller is that user), or, when root asks for a
 * user, that user's, with root's rights dropped in the child. */
struct podman_as {
	bool drop; /* run podman as uid/gid, with their HOME and runtime dir */
	uid_t uid;
	gid_t gid;
	char home[PATH_MAX];
};

struct podman_container {
	char id[65];
	char name[256];
	pid_t pid;		/* 0: not running */
	char bundle[PATH_MAX];	/* the OCI bundle: where config.json is */
	char pod[65];		/* the pod's ID, or "" */
	struct json_object *annotations; /* config.json's (a reference) */
	const char *policy;	/* fw.policy, in annotations, or NULL */
};

/* The user `uid` (passwd database), for podman_as.drop. */
int podman_as_user(uid_t uid, struct podman_as *ret, struct fw_error *err);

/* One container by name or ID.  -ENOENT: podman knows none of that name;
 * -ENOEXEC: podman is not on PATH. */
int podman_inspect(const struct podman_as *as, const char *name,
		   struct podman_container *ret, struct fw_error *err);
/* Every running container, in podman's order. */
int podman_running(const struct podman_as *as, struct podman_container **ret,
		   size_t *ret_n, struct fw_error *err);
void podman_container_free(struct podman_container *c);
void podman_containers_free(struct podman_container *c, size_t n);

/* Replaces this process by `podman unshare ARGV...` as `as` says (NULL:
 * the caller): how a verb reaches a rootless container's namespace.
 * Returns only on failure. */
int podman_exec_unshare(const struct podman_as *as, char *const *argv,
			struct fw_error *err);

#endif
