/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ps: every running container of podman (rootful, the users' rootless
 * ones) and of CRI-O, with the firewall its namespace holds. */
#ifndef OCI_FW_PS_H
#define OCI_FW_PS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "error.h"
#include "names.h"
#include "policy_file.h"

#define PS_MAX_RUNTIME_ROOTS 8

struct ps_options {
	const struct policy_lookup *lookup; /* to compile the files again */
	const char *const *runtime_roots; /* CRI-O's runc/crun state dirs */
	size_t nruntime_roots;
	bool own_only; /* rootless: the caller's own podman, nothing else */
	bool default_dirs; /* no --policy-dir: a user's own directory first */
};

enum ps_drift { DRIFT_NO, DRIFT_YES, DRIFT_UNKNOWN };

struct ps_row {
	char engine[16];   /* "podman", "cri-o" */
	uid_t user;	   /* rootless podman's user; 0: rootful */
	char id[65], name[256];
	pid_t pid;
	char annotation[POLICY_NAME_MAX * 4]; /* fw.policy, or "" */
	bool firewall;	   /* the namespace holds table inet oci_fw */
	bool ours;	   /* ... with a comment this hook wrote */
	struct table_comment table;
	bool counted[2];   /* egress, ingress default rules found */
	uint64_t packets[2], bytes[2];
	enum ps_drift drift;
	char why[160];	   /* what made drift unknown or yes */
	bool fail_open;	   /* fw.policy names a policy, no firewall */
};

/* The rows, podman rootful first, then each user's, then CRI-O's.  A
 * source that cannot be asked is skipped with a warning in `warn` (a
 * user whose podman fails must not hide the others). */
int ps_collect(const struct ps_options *o, struct ps_row **ret, size_t *ret_n,
	       struct fw_warning *warn, size_t *nwarn, size_t maxwarn,
	       struct fw_error *err);

void ps_print_text(const struct ps_row *rows, size_t n, FILE *out);
int ps_print_json(const struct ps_row *rows, size_t n, FILE *out,
		  struct fw_error *err);

#endif
