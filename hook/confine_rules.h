/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What each seccomp stage allows: the one list, compiled at build time. */
#ifndef OCI_FW_CONFINE_RULES_H
#define OCI_FW_CONFINE_RULES_H

/* The filters confine.c loads, in the order confine_gen emits them.  A
 * stage is a row of confine_rules.c's stages[] table. */
enum confine_stage {
	CONFINE_STAGE1,
	CONFINE_STAGE2,
	CONFINE_COMPANION,
	CONFINE_COMPANION_STAGE2,
	CONFINE_WATCH,
	CONFINE_LEARNER_SETUP,
	CONFINE_LEARNER,
	CONFINE_NSTAGES
};

/* The stage's name, in the generated arrays and the error line. */
const char *confine_stage_name(enum confine_stage stage);
/* Adds the stage's rules to a libseccomp filter (scmp_filter_ctx) made
 * with a kill-process default; 0 or -errno. */
int confine_rules_add(void *ctx, enum confine_stage stage);

#endif
