/* SPDX-License-Identifier: GPL-2.0-or-later */
/* show: one nft rule's expressions read back as the policy terms that made
 * them. */
#ifndef OCI_FW_SHOW_DECODE_H
#define OCI_FW_SHOW_DECODE_H

#include <stdbool.h>
#include <stdint.h>
#include <libnftnl/rule.h>

#include "policy.h"

#define SHOW_TERM_MAX 96
#define SHOW_BUILTIN "built-in: "

/* What one nft rule matches and does. */
struct show_nft_rule {
	enum direction dir;
	char key[COMMENT_MAX + 1]; /* the policy path, or the built-in's name */
	bool audit;
	const char *verdict; /* "accept", "drop", "reject" */
	uint64_t packets, bytes;
	int proto;	     /* what `meta l4proto` equals, or PROTO_ANY */
	char addr_set[64];   /* looked-up address set, or "" */
	char port_set[64];   /* anonymous port set, or "" */
	uint16_t port_lo, port_hi;
	/* filled by the reader from the sets: how the policy wrote them */
	char target[SHOW_TERM_MAX]; /* "@private", "dns", "10.0.0.0/8" */
	char ports[SHOW_TERM_MAX];  /* "80", "8000-8080", "53,853" */
};

/* False for a log rule: its packets are counted by the rule after it.
 * Follows what batch.c emits (expr.h); anything else leaves a field
 * empty, never a wrong one. */
bool show_decode_rule(struct nftnl_rule *rule, struct show_nft_rule *ret);

#endif
