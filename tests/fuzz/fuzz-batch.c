// SPDX-License-Identifier: GPL-2.0-or-later
/* Fuzz target: policy → compile → nft text and netlink batch bytes (never sent). */
#include <stdbool.h>
#include <stdio.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>

#include "batch.h"
#include "fuzz.h"
#include "policy.h"
#include "ruleset.h"
#include "sha256.h"
#include "text.h"

#define FIRST_SEQ 1

/* Attributes tile their container exactly; nests hold attributes in turn. */
static bool attrs_ok(const char *p, size_t len, int depth)
{
	while (len >= NLA_HDRLEN) {
		const struct nlattr *a = (const void *)p;
		size_t step = NLA_ALIGN(a->nla_len);

		if (a->nla_len < NLA_HDRLEN || step > len)
			return false;
		if ((a->nla_type & NLA_F_NESTED) &&
		    (depth > 16 || !attrs_ok(p + NLA_HDRLEN,
					     a->nla_len - NLA_HDRLEN,
					     depth + 1)))
			return false;
		p += step;
		len -= step;
	}
	return len == 0;
}

/*
 * What batch.h promises, checked on every batch built: BATCH_BEGIN, then
 * messages with well-formed attributes and consecutive sequence numbers,
 * exactly one of them (the last before BATCH_END) asking for an ack, then
 * BATCH_END, the lengths tiling the buffer.  A violation is batch.c's bug.
 */
static void check_batch(const struct batch *b)
{
	const size_t min = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct nfgenmsg));
	const struct nlmsghdr *nlh = NULL;
	uint32_t seq = FIRST_SEQ;
	size_t off = 0, acks = 0;

	for (; off < b->len; off += NLMSG_ALIGN(nlh->nlmsg_len), seq++) {
		nlh = (const void *)(b->buf + off);
		if (b->len - off < min || nlh->nlmsg_len < min ||
		    NLMSG_ALIGN(nlh->nlmsg_len) > b->len - off ||
		    nlh->nlmsg_seq != seq)
			abort();
		if ((off == 0) != (nlh->nlmsg_type == NFNL_MSG_BATCH_BEGIN))
			abort();
		if (nlh->nlmsg_flags & NLM_F_ACK) {
			if (nlh->nlmsg_seq != b->last_seq)
				abort();
			acks++;
		}
		if (!attrs_ok((const char *)nlh + min, nlh->nlmsg_len - min, 0))
			abort();
	}
	if (off != b->len || !nlh || nlh->nlmsg_type != NFNL_MSG_BATCH_END ||
	    acks != 1 || b->last_seq + 1 != nlh->nlmsg_seq)
		abort();
	for (size_t i = 0; i < b->norigins; i++)
		if (b->origins[i].seq <= FIRST_SEQ ||
		    b->origins[i].seq >= nlh->nlmsg_seq)
			abort();
}

/* The nft text: printing to memory cannot fail, and holds no NUL. */
static void check_text(const struct ruleset *rs)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return;
	if (ruleset_print(rs, f) < 0)
		abort();
	if (fclose(f) != 0 || strlen(text) != len)
		abort();
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fw_error err = { 0 };
	uint8_t sha[SHA256_LEN];
	struct ruleset rs;
	struct policy p;
	struct batch b;
	char *buf;

	if (!fuzz_copy(data, size, &buf))
		return 0;
	if (policy_parse(buf, size, &p, &err) < 0)
		goto free_buf;
	sha256(buf, size, sha);
	if (ruleset_compile(&p, &(const struct ruleset_meta){
				    .name = "fuzz", .sha256 = sha,
				    .origin = sha },
			    &rs, &err) < 0)
		goto free_policy;
	check_text(&rs);
	/* Either kind of batch, chosen by the input itself. */
	if (batch_build(&rs, FIRST_SEQ, sha[0] & 1, &b, &err) == 0) {
		check_batch(&b);
		batch_free(&b);
	}
	ruleset_free(&rs);
free_policy:
	policy_free(&p);
free_buf:
	free(buf);
	return 0;
}
