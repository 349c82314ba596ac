/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the hook writes into the kernel and reads back: the table comment and
 * the sets' names, each with one writer and one reader. */
#ifndef OCI_FW_NAMES_H
#define OCI_FW_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "policy.h"
#include "policy_file.h"

/*
 * The table comment: "NAME sha256:H from:O[ (audit)| (mixed)][ (default)]".  NAME is
 * the policy as fw.policy named it ("web", "no-lan,web", "web.json", a
 * path's file name without ".json"), H the first hex digits of the digest
 * of its files' bytes, O those of the digest of where it was found
 * (compose.h); "(audit)" when every deny rule and default is audited,
 * "(mixed)" when some are (their rule comments say which).  Two tables hold the same policy when NAME and O agree, the
 * same version of it when H does too.  At most 64 + 58 bytes, within nft's
 * 128, and never a double quote.
 */
#define TABLE_DIGEST_HEX 16
#define TABLE_AUDIT_MARK " (audit)"
#define TABLE_MIXED_MARK " (mixed)"
#define TABLE_DEFAULT_MARK " (default)" /* --default-policy's */

struct table_comment {
	char name[POLICY_NAME_MAX + 1];
	char sha256[TABLE_DIGEST_HEX + 1];
	char origin[TABLE_DIGEST_HEX + 1];
	bool audit;
	bool mixed; /* some rules audited, not all */
	bool is_default;
};

/* "enforce", "audit" or "mixed": the mode word of the record and show */
const char *table_mode_name(const struct table_comment *t);

/* The hex digits of a digest that the comment keeps. */
void table_digest_hex(const uint8_t digest[32],
		      char ret[TABLE_DIGEST_HEX + 1]);
/* `len` of COMMENT_MAX + 1 always holds it. */
void table_comment_format(const struct table_comment *t, char *buf,
			  size_t len);
/* -EINVAL for a comment this format did not write: another tool's table,
 * or an older hook's. */
int table_comment_parse(const char *s, struct table_comment *ret);
/* The same name from the same place: the same policy, in any version. */
bool table_same_policy(const struct table_comment *a,
		       const struct table_comment *b);

/*
 * Named sets, one per address family: "NAME_v4" for the policy's set NAME
 * (whose names hold no '.'), "sym.dns_v4" for a symbolic destination
 * (dns, host, gateway), "sym.name3_v4" for the policy's fourth hostname,
 * "egress.allow.2_v4" for the addresses of rule egress.allow[2] (nft
 * names take no []), "learn.0_v4" for the addresses learned for the
 * policy's first learned name (a timeout set: learn.h; the set's comment
 * is the name or wildcard, each element's the name the container asked).
 * A policy's or a rule's addresses are hash sets, one per prefix length:
 * "NAME_v4.24" holds the /24 networks.
 */
#define SET_NAME_MAX 48

enum set_name_kind {
	SET_NAME_POLICY,
	SET_NAME_SYMBOL,
	SET_NAME_HOSTNAME,
	SET_NAME_RULE,
	SET_NAME_LEARNED,
};

struct set_name {
	enum set_name_kind kind;
	/* the policy set's or the symbol's name; a rule's list: "allow" */
	char word[POLICY_SET_NAME_MAX + 1];
	enum direction dir; /* SET_NAME_RULE */
	size_t index;	    /* SET_NAME_HOSTNAME, _RULE, _LEARNED */
	int family;	    /* 0: IPv4, 1: IPv6 */
	bool by_prefix;	    /* a hash set of the networks of length `prefix` */
	unsigned int prefix;
};

/* -ENAMETOOLONG when it does not fit `len`. */
int set_name_format(const struct set_name *s, char *buf, size_t len);
/* -EINVAL for a name this format did not write. */
int set_name_parse(const char *name, struct set_name *ret);

/*
 * watch (watch.h): every blocking rule sends the packets it blocks, in
 * the same rule before its verdict, to NFLOG group
 * WATCH_GROUP of the container's own netns, prefixed
 * "oci-fw-watch:ACTION:PATH": ACTION what the rule does, PATH the policy's
 * path of the rule ("egress.deny[0]", "no-lan:egress.deny[0]",
 * "egress.default"), cut to fit the kernel's 127 bytes.
 */
#define WATCH_GROUP 20294 /* "OF" */
#define WATCH_PREFIX_MAX 127

enum watch_action {
	WATCH_NONE,
	WATCH_DROP,
	WATCH_REJECT,
	WATCH_AUDIT_DROP, /* audit mode: accepted, would have been dropped */
	WATCH_AUDIT_REJECT,
};

extern const char *const watch_action_names[];
/* `buf` of WATCH_PREFIX_MAX + 1 always holds it; a path of `path_len`. */
void watch_prefix_format(enum watch_action a, const char *path,
			 size_t path_len, char *buf, size_t len);
/* -EINVAL for a prefix this format did not write (a log rule's). */
int watch_prefix_parse(const char *s, enum watch_action *ret_action,
		       const char **ret_path);

#endif
