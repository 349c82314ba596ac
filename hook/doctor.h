/* SPDX-License-Identifier: GPL-2.0-or-later */
/* doctor: the deployment as podman and CRI-O see it, and a firewall proved
 * with packets. */
#ifndef OCI_FW_DOCTOR_H
#define OCI_FW_DOCTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "policy_file.h"

struct doctor_options {
	const char *const *hooks_dirs; /* --hooks-dir, in order; none: podman's */
	size_t nhooks_dirs;
	const struct policy_lookup *lookup; /* the policy directories */
	bool json;			    /* a JSON array, not lines */
};

/*
 * The hook cannot report that it did not run: a hooks.d file naming a
 * path that does not exist is skipped by podman and CRI-O without a word.
 * So doctor checks from outside what they will run: the hooks.d files,
 * the hook binary, the policy directories, the kernel's log sysctl; then,
 * in a child in scratch network namespaces, it loads every policy and
 * proves with datagrams that `denyall` refuses them.  One finding per
 * line on `out`: "ok", "warn" or "FAIL", what was checked, what it means.
 * Returns the number of FAILs.
 */
int doctor_run(const struct doctor_options *o, FILE *out);

#endif
