/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A policy's JSON compiled to a ruleset, for the unit tests. */
#ifndef OCI_FW_TEST_COMPILE_JSON_H
#define OCI_FW_TEST_COMPILE_JSON_H

#include <stdio.h>
#include <string.h>

#include "policy.h"
#include "ruleset.h"

static const uint8_t zero_sha[SHA256_LEN];

/* Prints the error as a TAP comment. */
static inline int compile(const char *json, struct ruleset *rs)
{
	struct fw_error err = { 0 };
	struct policy p;
	int r;

	r = policy_parse(json, strlen(json), &p, &err);
	if (r == 0) {
		r = ruleset_compile(&p, &(const struct ruleset_meta){
					    .name = "t", .sha256 = zero_sha,
					    .origin = zero_sha },
				    rs, &err);
		policy_free(&p);
	}
	if (r < 0)
		printf("# %s: %s\n", err.where, err.what);
	return r;
}

#endif
