/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The policy language, version 1: a plain C model and its validating parser. */
#ifndef OCI_FW_POLICY_H
#define OCI_FW_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "interval.h"

/* Bounds on untrusted input, generous enough for real blocklists. */
#define POLICY_MAX_BYTES (64u << 20)
#define POLICY_MAX_RULES 4096	       /* per deny or allow list */
#define POLICY_MAX_SETS 256
#define POLICY_MAX_ADDRESSES 2000000u  /* in all lists and sets together */
#define POLICY_MAX_PORTS 4096	       /* per rule */
#define POLICY_SET_NAME_MAX 32
/* nft comments hold at most 128 bytes. */
#define COMMENT_MAX 128

enum verdict { VERDICT_ACCEPT, VERDICT_DROP, VERDICT_REJECT };
enum direction { DIR_EGRESS, DIR_INGRESS, DIR_COUNT };

struct policy_set {
	char name[POLICY_SET_NAME_MAX + 1];
	struct interval_list v4, v6;
};

struct policy_rule {
	char path[32];			/* "egress.allow[1]" */
	char comment[COMMENT_MAX + 1];	/* the user's, may be empty */
	bool has_addrs;			/* `to` / `from` was given */
	struct interval_list v4, v6;	/* literal addresses */
	size_t *refs;			/* indices into policy.sets */
	size_t nrefs;
	uint8_t proto;			/* IPPROTO_*, 0 = any */
	struct interval_list ports;	/* empty = any port */
};

struct policy_direction {
	bool present;
	enum verdict def;
	struct policy_rule *deny, *allow;
	size_t ndeny, nallow;
};

struct policy {
	struct policy_set *sets;
	size_t nsets;
	struct policy_direction dir[DIR_COUNT];
};

/* Parses and validates one policy document.  On error, err->where holds the
 * JSON path and err->what the problem; err->file is left to the caller. */
int policy_parse(const char *buf, size_t len, struct policy *ret,
		 struct fw_error *err);
void policy_free(struct policy *p);

extern const char *const direction_names[DIR_COUNT];

#endif
