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
/* In all lists and sets together: what loads in about 1.5 s of CPU here
 * (tests/bench part 1 prints its load time against hooks.d's 5 s timeout). */
#define POLICY_MAX_ADDRESSES 500000u
#define POLICY_MAX_PORTS 4096	       /* per rule */
#define POLICY_SET_NAME_MAX 32
#define POLICY_MAX_NAMES 64	       /* hostnames: each is resolved at start */
#define POLICY_MAX_INCLUDES 16	       /* per policy */
#define POLICY_MAX_EXCEPT 16	       /* per deny rule */
#define HOSTNAME_MAX 253
/* nft comments hold at most 128 bytes. */
#define COMMENT_MAX 128

enum verdict { VERDICT_ACCEPT, VERDICT_DROP, VERDICT_REJECT };

/* "log": true (the kernel log, rate-limited) or {"group": N} (NFLOG). */
struct policy_log {
	bool set; /* given here: a rule's overrides its direction's */
	bool on;
	bool nflog;
	uint16_t group;
};
enum direction { DIR_EGRESS, DIR_INGRESS, DIR_COUNT };

struct policy_set {
	char name[POLICY_SET_NAME_MAX + 1];
	struct interval_list v4, v6;
};

/*
 * Destinations known only when the container starts: its nameservers, the
 * host, the gateway, or a hostname.  Each is one pair of named sets that
 * resolve.c fills; every rule naming it matches them.
 */
enum symbol_kind { SYM_DNS, SYM_HOST, SYM_GATEWAY, SYM_NAME, SYM_WILDCARD };

/* A hostname or wildcard counts against POLICY_MAX_NAMES. */
static inline bool symbol_is_name(enum symbol_kind k)
{
	return k == SYM_NAME || k == SYM_WILDCARD;
}

struct policy_symbol {
	enum symbol_kind kind;
	char name[HOSTNAME_MAX + 1]; /* "dns", "host", "gateway" or the name */
	char where[128];	     /* where it first appears: "egress.allow[1].to[0]" */
	bool required;		     /* "resolve": "required" on a rule naming it */
	/* Named by an allow rule: its addresses are also learned from the
	 * container's DNS answers (learn.h).  A wildcard "*.example.com"
	 * (name holds it so) is only learned. */
	bool learned;
};

/* A protocol number, or any protocol. */
#define PROTO_ANY (-1)

/* One entry of a deny rule's "except": packets of `proto` (to `ports`, or
 * to any port when empty) that the rule does not match. */
struct policy_except {
	int proto;
	struct interval_list ports;
};

/* "mode": as written (unset: inherited), and what a policy adds up to. */
enum policy_mode { MODE_UNSET, MODE_ENFORCE, MODE_AUDIT, MODE_MIXED };

struct policy_rule {
	char path[96];			/* "egress.allow[1]", "no-lan:egress.deny[0]" */
	char comment[COMMENT_MAX + 1];	/* the user's, may be empty */
	bool has_addrs;			/* `to` / `from` was given */
	struct interval_list v4, v6;	/* literal addresses */
	size_t *refs;			/* indices into policy.sets */
	size_t nrefs;
	size_t *syms;			/* indices into policy.symbols */
	size_t nsyms;
	bool dns_ports;			/* "dns" without ports: 53, tcp and udp */
	bool resolve_set, resolve_required; /* "resolve" given, its value */
	struct policy_log log;		/* deny rules only */
	int proto;			/* 0-255 or PROTO_ANY */
	struct interval_list ports;	/* empty = any port */
	struct policy_except *except;	/* deny rules only */
	size_t nexcept;
	enum policy_mode mode;		/* its own "mode" (deny rules) */
	bool audit;			/* resolved: policy_modes_resolve() */
};

struct policy_direction {
	bool present;
	enum verdict def;
	bool def_audit; /* resolved: policy_modes_resolve(), merged defaults */
	struct policy_log log; /* for its deny rules and its default */
	struct policy_rule *deny, *allow;
	size_t ndeny, nallow;
};

struct policy {
	/* "mode": "audit": blocks are counted (and logged), not done; per
	 * file, per include and per deny rule */
	enum policy_mode mode;		 /* the file's own, as written */
	enum policy_mode *include_modes; /* per include, as written */
	struct policy_set *sets;
	size_t nsets;
	struct policy_symbol *symbols;
	size_t nsymbols;
	char **includes; /* policy names, resolved by compose.c */
	size_t nincludes;
	struct policy_direction dir[DIR_COUNT];
};

/* Parses and validates one policy document.  On error, err->where holds the
 * JSON path and err->what the problem; err->file is left to the caller. */
int policy_parse(const char *buf, size_t len, struct policy *ret,
		 struct fw_error *err);
void policy_free(struct policy *p);
/* Each deny rule's and default's mode: its own "mode", else `file` (the
 * mode its file has where it is used: compose.c). */
void policy_modes_resolve(struct policy *p, enum policy_mode file);
/* MODE_AUDIT when every deny rule and default is audited, MODE_MIXED when
 * some are, else MODE_ENFORCE. */
enum policy_mode policy_mode_summary(const struct policy *p);
/* Whether an egress rule or default lets some DNS query (udp/53) out:
 * hostnames re-resolve from inside the container (`refresh`). */
bool policy_allows_dns(const struct policy *p);

extern const char *const direction_names[DIR_COUNT];
/* "tcp", "udplite", ... as policies write them, or the number ("253"). */
#define PROTO_NAME_MAX 12
void proto_format(uint8_t proto, char buf[PROTO_NAME_MAX]);
/* The number of a protocol name policies write, or -EINVAL. */
int proto_parse(const char *name);
/* tcp, udp, udplite, sctp and dccp carry ports where `ports` matches. */
bool proto_has_ports(int proto);

#endif
