// SPDX-License-Identifier: GPL-2.0-or-later
/* The learner's writes to its firewall: learned addresses in, one batch. */
#include <errno.h>
#include <string.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/set.h>
#include <libnftnl/udata.h>

#include "batch.h"
#include "cleanup.h"
#include "learn_nft.h"
#include "netlink.h"
#include "ruleset.h"

/* Each element is its own message: a few hundred bytes each. */
#define LEARN_BATCH_BYTES (LEARN_NFT_MAX * 512 + 256)
#define UDATA_MAX 256

static int elem_msg(struct batch *b, const struct learn_elem *e)
{
	_cleanup_(nftnl_set_freep) struct nftnl_set *s = nftnl_set_alloc();
	struct nftnl_udata_buf *ud = nftnl_udata_buf_alloc(UDATA_MAX);
	struct nftnl_set_elem *el = nftnl_set_elem_alloc();
	struct nlmsghdr *nlh;

	if (!s || !ud || !el || b->len + 1024 > b->cap ||
	    !nftnl_udata_put_strz(ud, NFTNL_UDATA_SET_ELEM_COMMENT,
				  e->comment)) {
		nftnl_udata_buf_free(ud);
		nftnl_set_elem_free(el);
		return -ENOMEM;
	}
	nftnl_set_set_str(s, NFTNL_SET_TABLE, RULESET_TABLE);
	nftnl_set_set_str(s, NFTNL_SET_NAME, e->set);
	nftnl_set_elem_set(el, NFTNL_SET_ELEM_KEY, e->addr, e->family ? 16 : 4);
	if (e->timeout_s) {
		nftnl_set_elem_set_u64(el, NFTNL_SET_ELEM_TIMEOUT,
				       (uint64_t)e->timeout_s * 1000);
		nftnl_set_elem_set(el, NFTNL_SET_ELEM_USERDATA,
				   nftnl_udata_buf_data(ud),
				   nftnl_udata_buf_len(ud));
	}
	nftnl_udata_buf_free(ud);
	nftnl_set_elem_add(s, el);
	nlh = nftnl_nlmsg_build_hdr(b->buf + b->len,
				    e->timeout_s ? NFT_MSG_NEWSETELEM
						 : NFT_MSG_DELSETELEM,
				    NFPROTO_INET, e->timeout_s ? NLM_F_CREATE : 0,
				    b->seq++);
	nftnl_set_elems_nlmsg_build_payload(nlh, s);
	b->last_msg = b->len;
	b->len += NLMSG_ALIGN(nlh->nlmsg_len);
	return 0;
}

int learn_nft_commit(struct mnl_socket *nl, uint32_t *seq,
		     const struct learn_elem *e, size_t n,
		     struct fw_error *err)
{
	static char buf[LEARN_BATCH_BYTES] __attribute__((aligned(8)));
	struct batch b = { .buf = buf, .cap = sizeof(buf), .seq = *seq,
			   .begin_seq = *seq };
	struct nlmsghdr *last;
	int r = 0;

	if (n == 0 || n > LEARN_NFT_MAX)
		return fw_error_set(err, -EINVAL, "", "%zu elements", n);
	memset(buf, 0, sizeof(buf));
	nftnl_batch_begin(b.buf, b.seq++);
	b.len = NLMSG_ALIGN(sizeof(struct nlmsghdr) + sizeof(struct nfgenmsg));
	for (size_t i = 0; r == 0 && i < n; i++)
		r = elem_msg(&b, &e[i]);
	if (r < 0)
		return fw_error_set(err, r, "", "out of memory");
	last = (struct nlmsghdr *)(b.buf + b.last_msg);
	last->nlmsg_flags |= NLM_F_ACK;
	b.last_seq = last->nlmsg_seq;
	nftnl_batch_end(b.buf + b.len, b.seq++);
	b.len += NLMSG_ALIGN(sizeof(struct nlmsghdr) + sizeof(struct nfgenmsg));
	*seq = b.seq;
	return nl_commit(nl, &b, err);
}
