/* SPDX-License-Identifier: GPL-2.0-or-later */
/* show: what the firewall of a running container did, rule by rule. */
#ifndef OCI_FW_SHOW_H
#define OCI_FW_SHOW_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "error.h"
#include "policy.h"
#include "show_learned.h"

struct json_object;

#define SHOW_SOURCE_MAX 256

/* One line of the policy (or one built-in rule): the nft rules that carry
 * its path, their counters summed. */
struct show_rule {
	char source[SHOW_SOURCE_MAX]; /* "egress.deny[0] to @private tcp dport 80" */
	const char *verdict;	      /* "accept", "drop", "reject" */
	bool enforced;		      /* false: audit mode accepted it */
	uint64_t packets, bytes;
};

struct show_chain {
	bool present;
	struct show_rule *rules; /* the default last */
	size_t n;
};

struct show {
	char policy[COMMENT_MAX + 1]; /* "web-egress", "no-lan,web" */
	char sha256[17];	      /* the first 16 hex digits */
	char origin[17];	      /* of where it was found (names.h) */
	bool audit, is_default;
	bool mixed; /* some rules audited (names.h) */
	struct show_chain chains[DIR_COUNT];
	struct show_learned learned; /* the DNS learner's: show_learned.h */
};

/* Reads the firewall of the network namespace of process `pid` over
 * netlink; changes nothing.  -ENOENT when there is none. */
int show_read(pid_t pid, struct show *ret, struct fw_error *err);
void show_free(struct show *s);

void show_print_text(const struct show *s, FILE *out);
int show_print_json(const struct show *s, FILE *out, struct fw_error *err);
int json_print(struct json_object *root, FILE *out, struct fw_error *err);

#endif
