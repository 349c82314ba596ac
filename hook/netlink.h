/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Sending a batch to nf_tables in the current netns and reading every ack. */
#ifndef OCI_FW_NETLINK_H
#define OCI_FW_NETLINK_H

#include <stdbool.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

#include "batch.h"
#include "error.h"
#include "interval.h"

/* Opens a NETLINK_NETFILTER socket in the calling thread's netns. */
int nl_open(struct mnl_socket **ret, struct fw_error *err);
/* Sends `b` in one sendmsg; the kernel applies it all or nothing.  A failure
 * names the object (from b's origins) the kernel refused and why. */
int nl_commit(struct mnl_socket *nl, const struct batch *b,
	      struct fw_error *err);

/* The comment of table inet oci_fw in the current netns, copied to `buf`:
 * 0, or -ENOENT when there is no such table.  One request, one answer. */
int nl_table_comment(struct mnl_socket *nl, char *buf, size_t len,
		     struct fw_error *err);

/* Listings of table inet oci_fw in the current netns.  Each calls `fn`
 * once per object; a negative return stops it.  -ENOENT: no such table. */
struct nl_set_info {
	const char *name, *comment;
	uint32_t flags; /* NFT_SET_* */
	uint32_t keylen;
};
typedef int (*nl_set_fn)(const struct nl_set_info *set, void *data);
int nl_dump_sets(struct mnl_socket *nl, nl_set_fn fn, void *data,
		 struct fw_error *err);

/* A set's elements with what a timeout set adds: the time left and the
 * element's comment (learn.h's learned addresses). */
struct nl_elem_info {
	const uint8_t *key;
	uint32_t keylen;
	uint64_t expires_ms; /* 0: never */
	const char *comment; /* "" when none */
	bool end; /* an interval set's end key (one past the interval) */
};
typedef int (*nl_elem_fn)(const struct nl_elem_info *e, void *data);
int nl_dump_elements(struct mnl_socket *nl, const char *set, nl_elem_fn fn,
		     void *data, struct fw_error *err);

struct nftnl_rule;
typedef int (*nl_rule_fn)(struct nftnl_rule *rule, void *data);
int nl_dump_rules(struct mnl_socket *nl, nl_rule_fn fn, void *data,
		  struct fw_error *err);

/* The elements of `set` as intervals (keylen as ret's); `interval`: the
 * set has the interval flag, as every named set of the hook does. */
int nl_set_elements(struct mnl_socket *nl, const char *set, bool interval,
		    struct interval_list *ret, struct fw_error *err);

/* The comment (TLV `type`) in a table's, set's or rule's user data, or "". */
void udata_comment(const uint8_t *ud, uint32_t udlen, uint8_t type,
		   char *buf, size_t len);

/* The kernel's answers to a batch: one ack per message, errors included. */
struct nl_acks {
	const struct batch *b;
	bool done; /* the last message (or BATCH_BEGIN) was answered */
	bool lost; /* answers overflowed the socket: errors may be lost */
	int error; /* of the lowest failing sequence number */
	uint32_t error_seq;
	struct fw_error *err;
};

void nl_acks_init(struct nl_acks *st, const struct batch *b,
		  struct fw_error *err);
/* Takes one datagram of answers: 1 while more are due, 0 when the batch was
 * applied, or the first error (err filled, naming its origin). */
int nl_acks_feed(struct nl_acks *st, const void *buf, size_t len);

#endif
