/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Rootless podman: who the hook really runs for, and whose files to trust. */
#ifndef OCI_FW_USERNS_H
#define OCI_FW_USERNS_H

#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

#include "error.h"

#define USER_POLICY_SUBDIR ".config/oci-fw-hook/policies"

/*
 * Who may own the files a policy is read from.  Rootful: root and the
 * caller.  Rootless, inside podman's user namespace, the user is uid 0 and
 * every unmapped owner shows as the overflow uid: root's files and other
 * users' alike.  So the overflow owner is trusted only for files found in
 * the system policy directories and for the directories above the user's
 * home, never for the user's own files.
 */
struct owners {
	bool rootless;
	uid_t overflow;
	char home[PATH_MAX];	 /* the real user's, from the passwd database */
	char user_dir[PATH_MAX]; /* home + USER_POLICY_SUBDIR */
};

/* Reads /proc/self/uid_map: rootless when it is not the identity map; the
 * real user is the one mapped to uid 0. */
int userns_detect(struct owners *ret, struct fw_error *err);
/* The policy directory of `uid`: HOME/.config/oci-fw-hook/policies. */
int user_policy_dir(uid_t uid, char *home, size_t home_len, char *dir,
		    size_t dir_len);

#endif
