/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The compiled ruleset: what both back ends (netlink, text) render. */
#ifndef OCI_FW_RULESET_H
#define OCI_FW_RULESET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "interval.h"
#include "names.h"
#include "policy.h"

#define RULESET_TABLE "oci_fw"
#define SHA256_LEN 32
/* A rule that mixes a set with other addresses gets a copy of the set:
 * this bounds what copies can grow to. */
#define RULESET_MAX_ELEMS POLICY_MAX_ADDRESSES

enum set_type { SET_IPV4, SET_IPV6, SET_PORT, SET_PROTO };

/*
 * Address sets are named (names.h: "private_v4" for a policy set,
 * "egress.allow.2_v4" for a rule's own list).  A policy's and a rule's
 * addresses become hash sets, one per prefix length ("private_v4.8"),
 * matched by one rule each on the masked address: the kernel commits hash
 * elements about four times faster than interval elements, and a lookup
 * costs the same at any size, where an interval set's grows with it.  A
 * symbolic destination's sets, filled later, stay interval sets.  Port
 * lists of more than
 * one interval and the protocols of an except of more than one are
 * anonymous sets, bound to exactly one rule as the kernel requires.
 * Elements are sorted, merged and never empty.
 */
struct ir_set {
	char name[SET_NAME_MAX];	  /* empty for anonymous sets */
	char source[128]; /* the policy's words: "sets.lan", "egress.deny[0].to" */
	char comment[COMMENT_MAX + 1]; /* a symbol's: "dns", "example.com" */
	enum set_type type;
	bool learned; /* flags timeout, empty as loaded: the learner's (learn.h) */
	/* A hash set of the networks of this prefix length: each element is
	 * the network's first address.  Else (-1) an interval set. */
	int prefix;
	struct interval_list elems;
};

/* Consecutive sets: an address list's hash sets, shortest prefix first. */
struct set_run {
	int first, n;
};

/* Port and protocol sets belong to one rule; address sets have names. */
static inline bool ir_set_anonymous(const struct ir_set *set)
{
	return set->type == SET_PORT || set->type == SET_PROTO;
}

/* The fixed rules every chain starts with. */
enum ir_builtin {
	IR_RULE,	/* compiled from the policy */
	IR_LOOPBACK,	/* oif "lo" accept (egress) */
	/* iif "lo" ip daddr 127.0.0.0/8 | ip6 daddr ::1 accept (ingress): a
	 * rootless port forwarder (rootlessport, pasta) delivers published
	 * ports over lo to the container's own address, from a socket inside
	 * its netns; only the loopback addresses are the container's alone. */
	IR_LOOPBACK_V4,
	IR_LOOPBACK_V6,
	IR_ESTABLISHED, /* ct state established,related accept */
	IR_INVALID,	/* ct state invalid drop */
	IR_NEIGHBOUR,	/* icmpv6 neighbour discovery accept */
	/* ip6 hoplimit 1 ip6 daddr ff02::/16 icmpv6 type { mld-* } accept:
	 * the multicast listener messages the kernel sends for every
	 * interface, kept off the drop logs and counters; link-local only */
	IR_MLD,
	IR_SPOOFED,	/* fib saddr type != local drop (egress) */
	/* ct state established ct direction reply ip saddr @sym.dns_v4 udp
	 * sport 53 queue num LEARN_QUEUE (ingress, per family and udp/tcp,
	 * before the rule accepting established traffic): answers to the
	 * container's DNS queries from its nameservers wait for the learner,
	 * without bypass, so they are dropped when no learner listens.  Only
	 * replies: a queued packet the learner accepts skips the rest of the
	 * chain, so nothing that the ingress rules would judge is queued. */
	IR_LEARN,
};

/* The NFQUEUE number of a netns's learner: queues are per netns. */
#define LEARN_QUEUE 41053
#define LEARN_QUEUE_TEXT "41053"
/* Learned addresses per netns (all learned sets together): learn.h. */
#define LEARN_MAX 4096
#define LEARN_MAX_TEXT "4096"
/* Each learned set's kernel bound: LEARN_MAX, and room for elements that
 * the learner forgot a moment before the kernel expires them. */
#define LEARN_SET_SIZE (2 * LEARN_MAX)

/* IR_LOG: no verdict and no counter, the rule goes on to the next one,
 * which blocks the same packets. */
enum ir_verdict { IR_ACCEPT, IR_DROP, IR_REJECT_TCP, IR_REJECT_ICMPX, IR_LOG,
		  IR_QUEUE };

/* Log lines: at most LOG_RATE a second (after a burst of LOG_BURST) per
 * rule, prefixed "oci-fw:<12 of the container id>:<direction>:". */
#define LOG_RATE 5
#define LOG_BURST 10
#define LOG_ID_LEN 12
/* A blocking rule of an audit-mode policy accepts and says what it would
 * have done: "egress.default [audit: drop]". */
#define AUDIT_MARK_DROP " [audit: drop]"
#define AUDIT_MARK_REJECT " [audit: reject]"

/* One nft rule; its matches appear in the order of the fields. */
struct ir_rule {
	enum ir_builtin builtin;
	int addr_set;	       /* index into sets, or -1 */
	int l4proto;	       /* 0-255 or PROTO_ANY */
	/* An except's protocols, which the rule does not match: one in
	 * except_proto (else PROTO_ANY), several in except_set (else -1). */
	int except_proto;
	int except_set;
	int port_set;	       /* index into sets, or -1 */
	bool has_port;	       /* one port or one range, no set */
	bool sport;	       /* ... of the source: IR_LEARN's */
	struct interval port;
	enum ir_verdict verdict;
	bool nflog;	/* IR_LOG: to NFLOG group `group`, else the kernel log */
	uint16_t group;
	/* A block's: what watch's NFLOG prefix (names.h) says it does, for
	 * a rule whose policy path is the comment's first path_len bytes. */
	uint8_t watch; /* enum watch_action */
	uint8_t path_len;
	char comment[COMMENT_MAX + 1];
};

struct ir_chain {
	bool present;
	struct ir_rule *rules;
	size_t n, cap;
};

/*
 * A symbolic destination: the named sets "sym.dns_v4" and "sym.dns_v6"
 * ("sym.name0_v4" for the first hostname: names.h), empty as compiled,
 * filled when the container starts (resolve.h).  The comment of a hostname's sets is
 * the name, then " (required)" and " (hosts)" (found in /etc/hosts) as
 * they apply: what `refresh` reads back.  A policy with hostnames always
 * has the "dns" sets: they record the nameservers that `refresh` asks.
 */
#define SYMBOL_REQUIRED_MARK " (required)"
#define SYMBOL_HOSTS_MARK " (hosts)"

struct ir_symbol {
	struct policy_symbol sym;
	int set[2];    /* IPv4 and IPv6 sets; -1 for a wildcard */
	int learn[2];  /* learned sets "learn.N_v4" (sym.learned), else -1 */
	bool implicit; /* the "dns" sets of a policy that names no "dns" */
	bool resolved;
};

struct ruleset {
	struct table_comment table;    /* which policy: names.h */
	char comment[COMMENT_MAX + 1]; /* the table's, written from it */
	char log_id[LOG_ID_LEN + 1]; /* the container's, or "-" */
	struct ir_symbol *symbols;
	size_t nsymbols;
	struct ir_set *sets;
	size_t nsets, sets_cap;
	struct ir_chain chains[DIR_COUNT];
	size_t nelems; /* set elements in all: bounded by RULESET_MAX_ELEMS */
};

/* Appends a set, filled with `elems` (or empty: NULL); *ret is its index. */
int ruleset_add_set(struct ruleset *rs, const char *name, const char *source,
		    enum set_type type, const struct interval_list *elems,
		    int *ret);

/* What the table says beside the rules: which policy, and for whom. */
struct ruleset_meta {
	const char *name;	/* the policy's, for the table comment */
	const uint8_t *sha256;	/* SHA256_LEN: of its files' bytes */
	const uint8_t *origin;	/* SHA256_LEN: of where they were found */
	bool is_default;	/* the node's default policy */
	const char *log_id;	/* the container's id, or NULL */
};

int ruleset_compile(const struct policy *p, const struct ruleset_meta *m,
		    struct ruleset *ret, struct fw_error *err);
void ruleset_free(struct ruleset *rs);

/* Whether a set's comment ends in `mark` (" (required)", ...). */
static inline bool comment_has_mark(const char *comment, const char *mark)
{
	size_t lc = strlen(comment), lm = strlen(mark);

	return lc >= lm && strcmp(comment + lc - lm, mark) == 0;
}

/* A blocking rule's watch prefix (names.h), or a log rule's
 * "oci-fw:<log_id>:<direction>:". */
static inline void ruleset_log_prefix(const struct ruleset *rs,
				      const struct ir_rule *r,
				      enum direction d, char *buf, size_t len)
{
	if (r->watch != WATCH_NONE)
		watch_prefix_format((enum watch_action)r->watch, r->comment,
				    r->path_len, buf, len);
	else
		snprintf(buf, len, "oci-fw:%s:%s:", rs->log_id,
			 direction_names[d]);
}

/* The packet field a chain's address sets match: daddr out, saddr in. */
static inline bool chain_matches_source(enum direction d)
{
	return d == DIR_INGRESS;
}

#endif
