/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the bundle's config.json says about the container's reach: its
 * capabilities and whether it has a network namespace of its own. */
#ifndef OCI_FW_CONTAINER_H
#define OCI_FW_CONTAINER_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/capability.h>

#include "error.h"

#define CONFIG_MAX_BYTES (4u << 20)

/*
 * A capability as a bit, 1 << CAP_*: the masks of /proc/PID/status and
 * capget().  The risks are the capabilities with which a container could
 * undo or bypass its firewall, directly or by leaving its sandbox
 * (container.c lists them and says why each one).
 */
#define RISK(cap) (UINT64_C(1) << (cap))

/* The paths are "" when config.json names none, else in `strings` (one
 * allocation: every page a container start touches costs it a fault),
 * which container_free() frees; each is shorter than PATH_MAX. */
struct container {
	uint64_t risks;	 /* RISK_* held in any capability set */
	bool own_netns; /* linux.namespaces has a "network" entry */
	const char *netns_path; /* its "path", when the runtime named one */
	const char *root;	/* root.path: absolute, or in the bundle */
	/* What the runtime bind-mounts on /etc/resolv.conf and /etc/hosts
	 * (podman prepares both), or "": the rootfs's own files count. */
	const char *resolv_conf;
	const char *hosts;
	char *strings;
};

/* `need_strict`: the container gets a firewall, so config.json must be
 * strict JSON; otherwise plain JSON will do (runtime_json_parse()). */
int container_parse(const char *buf, size_t len, bool need_strict,
		    struct container *ret, struct fw_error *err);
/* Reads BUNDLE/config.json (a regular file, at most CONFIG_MAX_BYTES). */
int container_load(const char *bundle, bool need_strict, struct container *ret,
		   struct fw_error *err);
void container_free(struct container *c);
/* The risks among a set of capabilities (bits 1 << CAP_*), wherever the
 * set comes from: config.json, or a process already in the namespace. */
uint64_t caps_risks(uint64_t caps);
/* "CAP_NET_RAW,CAP_SYS_MODULE": the names of `risks`, in one order. */
void risks_names(uint64_t risks, char *buf, size_t len);
/* Parses fw.unsafe ("CAP_NET_RAW,CAP_NET_ADMIN") into RISK_* bits. */
int unsafe_parse(const char *s, uint64_t *ret, struct fw_error *err);
/* Refuses a container holding a risk that `accepted` does not name;
 * `why` ends the sentence: what such a container could do. */
int container_check_risks(const struct container *c, uint64_t accepted,
			  const char *why, bool unsafe_honoured,
			  struct fw_error *err);

#endif
