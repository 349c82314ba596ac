/* SPDX-License-Identifier: GPL-2.0-or-later */
/* explain: which rule of a compiled ruleset decides a packet, and why. */
#ifndef OCI_FW_EXPLAIN_H
#define OCI_FW_EXPLAIN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "error.h"
#include "ruleset.h"

/* The first packet of a connection: its protocol, the remote address
 * (the destination out, the source in) and the container's port. */
struct explain_query {
	enum direction dir;
	int family; /* AF_INET, AF_INET6 */
	uint8_t addr[16];
	int proto; /* IPPROTO_* */
	bool has_port;
	uint16_t port;
};

/* "tcp" "192.0.2.1:443" / "[2001:db8::1]:443" / "icmp" "192.0.2.1".  A
 * port is required for tcp, udp and sctp and refused for the others. */
int explain_query_parse(const char *proto, const char *addr, bool in,
			struct explain_query *ret, struct fw_error *err);

/* The sets of the container's loaded table that stand for symbols
 * (names.h: "sym.*"), read in the network namespace of `pid` with their
 * elements; the table's comment too. */
struct loaded_set {
	char name[SET_NAME_MAX];
	struct interval_list elems;
};
struct loaded {
	struct table_comment table;
	struct loaded_set *sets;
	size_t n;
};
int explain_read_loaded(pid_t pid, struct loaded *ret, struct fw_error *err);
void loaded_free(struct loaded *l);
/* Fills `rs`'s symbol sets with (moves in) what the container holds. */
void explain_use_loaded(struct ruleset *rs, struct loaded *l);

/* Which rule decides: the index in rs->chains[q->dir], or -1 when none
 * does (the chain's policy, accept). */
struct explanation {
	ssize_t rule;
	int addr_elem; /* the element of the rule's address set that matched */
};
void explain_eval(const struct ruleset *rs, const struct explain_query *q,
		  struct explanation *ret);
void explain_print(const struct ruleset *rs, const struct explain_query *q,
		   const struct explanation *e, FILE *out);

#endif
