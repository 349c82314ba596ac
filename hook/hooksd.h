/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The OCI hooks.d directories as podman and CRI-O read them, for doctor. */
#ifndef OCI_FW_HOOKSD_H
#define OCI_FW_HOOKSD_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "error.h"

/* podman's default hooks_dir, in order: a file in a later directory hides
 * the file of the same name in an earlier one.  CRI-O's default is the
 * first alone. */
#define HOOKSD_USR "/usr/share/containers/oci/hooks.d"
#define HOOKSD_ETC "/etc/containers/oci/hooks.d"

struct hooksd_entry {
	char file[PATH_MAX];   /* DIR/NAME.json */
	char name[NAME_MAX + 1]; /* NAME.json */
	size_t dir;	       /* index of its directory */
	char path[PATH_MAX];   /* hook.path */
	bool ours;	       /* hook.path's or args[0]'s base name is oci-fw-hook */
	bool apply;	       /* args[1] is "apply" */
	bool create_runtime;   /* "createRuntime" is among the stages */
	bool always;	       /* when.always is true */
	struct fw_error error; /* not JSON, or not a hook: podman refuses all */
	bool invalid;
	bool missing;  /* hook.path does not exist: podman skips the file */
	int hidden_by; /* the later file of its name podman reads, or -1 */
};

struct hooksd {
	struct hooksd_entry *e;
	size_t n;
};

/* Every *.json file of `dirs` (absent directories are skipped, as podman
 * does), sorted by name within a directory.  -errno only when a
 * directory that is there cannot be read. */
int hooksd_read(const char *const *dirs, size_t ndirs, struct hooksd *ret,
		struct fw_error *err);
/* The file podman uses for `name`, or NULL: none, or every one of that
 * name points at a missing path. */
const struct hooksd_entry *hooksd_effective(const struct hooksd *h,
					    const char *name);
void hooksd_free(struct hooksd *h);

#endif
