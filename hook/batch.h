/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ruleset → one nfnetlink batch (bytes only: building sends nothing). */
#ifndef OCI_FW_BATCH_H
#define OCI_FW_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "ruleset.h"

/* What each message of the batch creates, so that the kernel's error for a
 * sequence number names the policy line that caused it. */
struct batch_origin {
	uint32_t seq;
	char what[COMMENT_MAX + 32];
};

struct batch {
	char *buf;
	size_t len, cap;
	size_t last_msg;    /* offset of the last message built */
	uint32_t seq;	    /* next sequence number */
	uint32_t begin_seq; /* BATCH_BEGIN's: commit errors come back on it */
	uint32_t last_seq;  /* the one message that asks for an ack */
	struct batch_origin *origins;
	size_t norigins, origins_cap;
};

/*
 * BATCH_BEGIN, the table (created exclusively: a netns that already has it
 * is an error), its sets and their elements, the chains and their rules,
 * BATCH_END.  With `replace`, the table that is there goes first, in the
 * same batch: nothing is ever unfirewalled in between.  The kernel answers every failing message; only the last one
 * before BATCH_END asks for an ack, which says the kernel got to the end:
 * an ack per message would queue thousands of answers, more than a user
 * namespace's socket may buffer (its SO_RCVBUFFORCE is refused).
 */
int batch_build(const struct ruleset *rs, uint32_t first_seq, bool replace,
		struct batch *ret, struct fw_error *err);
/* For `refresh`: the elements of the sets of every resolved symbol of
 * `rs`, replaced in one batch (the table and its sets are there). */
int batch_build_refill(const struct ruleset *rs, uint32_t first_seq,
		       struct batch *ret, struct fw_error *err);
void batch_free(struct batch *b);
/* The origin of sequence number `seq`, or NULL. */
const struct batch_origin *batch_origin_find(const struct batch *b,
					     uint32_t seq);

#endif
