/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Composition: a policy with its includes, or fw.policy=a,b, as one policy. */
#ifndef OCI_FW_COMPOSE_H
#define OCI_FW_COMPOSE_H

#include <stdint.h>

#include "error.h"
#include "policy.h"
#include "policy_file.h"

#define COMPOSE_MAX_DEPTH 8  /* includes of includes of ... */
#define COMPOSE_MAX_FILES 32 /* in one composition */

struct composed {
	struct policy policy;
	char name[POLICY_NAME_MAX + 1]; /* "web" or "no-lan,web" */
	uint8_t sha256[32]; /* the file's, or of every file's in merge order */
	/* Where the files `spec` names were found (policy_file.h's `found`):
	 * the digest of the path, or of every path's digest in spec order.
	 * Includes are content: their bytes count in sha256, not here. */
	uint8_t origin[32];
	size_t nfiles; /* in the composition, each counted once */
};

/*
 * `spec` is a policy name or path, or a comma-separated list of them.
 * Each file's includes are looked up like fw.policy names.  Denies and
 * allows are unions, the strictest default wins, sets merge by name (one
 * name, one meaning).  A composition of several files names each rule
 * after its file: "no-lan:egress.deny[0]".
 */
int policy_compose(const char *spec, const struct policy_lookup *l,
		   struct composed *ret, struct fw_error *err);
void composed_free(struct composed *c);

#endif
