/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Hook mode: from the OCI state on stdin to a firewall in the container. */
#ifndef OCI_FW_APPLY_H
#define OCI_FW_APPLY_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "ruleset.h"

struct apply_options {
	const char *const *dirs; /* --policy-dir, in order; none: defaults */
	size_t ndirs;
	bool allow_path; /* fw.policy may be an absolute path */
};

/* What happened, for the one line main.c may print. */
struct apply_result {
	bool replaced; /* a shared netns held an older version of the policy */
	char old[COMMENT_MAX + 1];
};

int apply_run(int state_fd, const struct apply_options *o,
	      struct apply_result *res, struct fw_error *err);

#endif
