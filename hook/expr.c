// SPDX-License-Identifier: GPL-2.0-or-later
/* nft expressions for one rule: a helper per expression, nft's notation
 * above each (`nft --debug=netlink` prints the same). */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter.h>
#include <linux/netfilter/x_tables.h>
#include <linux/netfilter/xt_NFQUEUE.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nf_conntrack_tuple_common.h>
#include <linux/rtnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>

#include "expr.h"

static struct nftnl_expr *rb_expr(struct rule_builder *rb, const char *name)
{
	struct nftnl_expr *e = rb->err ? NULL : nftnl_expr_alloc(name);

	if (!e) {
		rb->err = -ENOMEM;
		return NULL;
	}
	nftnl_rule_add_expr(rb->r, e);
	return e;
}

/* [ meta load KEY => reg 1 ] */
static void expr_meta(struct rule_builder *rb, uint32_t key)
{
	struct nftnl_expr *e = rb_expr(rb, "meta");

	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, key);
	nftnl_expr_set_u32(e, NFTNL_EXPR_META_DREG, NFT_REG_1);
}

/* [ cmp OP reg 1 DATA ] */
static void expr_cmp(struct rule_builder *rb, uint32_t op, const void *data,
		     uint32_t len)
{
	struct nftnl_expr *e = rb_expr(rb, "cmp");

	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_SREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_OP, op);
	nftnl_expr_set(e, NFTNL_EXPR_CMP_DATA, data, len);
}

/* [ payload load LENb @ BASE header + OFFSET => reg 1 ] */
void expr_payload(struct rule_builder *rb, uint32_t base,
			 uint32_t offset, uint32_t len)
{
	struct nftnl_expr *e = rb_expr(rb, "payload");

	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_DREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE, base);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, offset);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, len);
}

/* [ lookup reg 1 set NAME ], with `inverted`: [ ... 0x1 ] (not in it) */
static void lookup(struct rule_builder *rb, const char *set, uint32_t id,
		   bool inverted)
{
	struct nftnl_expr *e = rb_expr(rb, "lookup");

	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SREG, NFT_REG_1);
	nftnl_expr_set_str(e, NFTNL_EXPR_LOOKUP_SET, set);
	nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SET_ID, id);
	if (inverted)
		nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_FLAGS, NFT_LOOKUP_F_INV);
}

void expr_lookup(struct rule_builder *rb, const char *set, uint32_t id)
{
	lookup(rb, set, id, false);
}

/* ct state STATES: [ ct load state => reg 1 ]
 * [ bitwise reg 1 = ( reg 1 & STATES ) ^ 0 ] [ cmp neq reg 1 0 ] */
void expr_ct_state(struct rule_builder *rb, uint32_t states)
{
	struct nftnl_expr *e = rb_expr(rb, "ct");
	uint32_t zero = 0;

	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_CT_KEY, NFT_CT_STATE);
	nftnl_expr_set_u32(e, NFTNL_EXPR_CT_DREG, NFT_REG_1);
	e = rb_expr(rb, "bitwise");
	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_SREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_DREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_LEN, sizeof(states));
	nftnl_expr_set(e, NFTNL_EXPR_BITWISE_MASK, &states, sizeof(states));
	nftnl_expr_set(e, NFTNL_EXPR_BITWISE_XOR, &zero, sizeof(zero));
	expr_cmp(rb, NFT_CMP_NEQ, &zero, sizeof(zero));
}

/* ct direction reply: [ ct load direction => reg 1 ] [ cmp eq reg 1 0x01 ] */
void match_ct_reply(struct rule_builder *rb)
{
	struct nftnl_expr *e = rb_expr(rb, "ct");
	uint8_t reply = IP_CT_DIR_REPLY;

	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_CT_KEY, NFT_CT_DIRECTION);
	nftnl_expr_set_u32(e, NFTNL_EXPR_CT_DREG, NFT_REG_1);
	expr_cmp(rb, NFT_CMP_EQ, &reply, sizeof(reply));
}

/* meta nfproto ipv4|ipv6 */
void match_nfproto(struct rule_builder *rb, uint8_t nfproto)
{
	expr_meta(rb, NFT_META_NFPROTO);
	expr_cmp(rb, NFT_CMP_EQ, &nfproto, 1);
}

/* meta l4proto PROTO */
void match_l4proto(struct rule_builder *rb, uint8_t proto)
{
	expr_meta(rb, NFT_META_L4PROTO);
	expr_cmp(rb, NFT_CMP_EQ, &proto, 1);
}

/* meta l4proto != PROTO */
void match_l4proto_not(struct rule_builder *rb, uint8_t proto)
{
	expr_meta(rb, NFT_META_L4PROTO);
	expr_cmp(rb, NFT_CMP_NEQ, &proto, 1);
}

/* meta l4proto != { PROTO, ... }: an anonymous set, looked up inverted */
void match_l4proto_not_set(struct rule_builder *rb, uint32_t set_id)
{
	expr_meta(rb, NFT_META_L4PROTO);
	lookup(rb, "__set%d", set_id, true);
}

/* REG & MASK: [ bitwise reg 1 = ( reg 1 & MASK ) ^ 0 ] */
static void expr_mask(struct rule_builder *rb, const uint8_t *mask,
		      unsigned int len)
{
	static const uint8_t zero[KEY_MAX_LEN];
	struct nftnl_expr *e = rb_expr(rb, "bitwise");

	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_SREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_DREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_LEN, len);
	nftnl_expr_set(e, NFTNL_EXPR_BITWISE_MASK, mask, len);
	nftnl_expr_set(e, NFTNL_EXPR_BITWISE_XOR, zero, len);
}

/* ip daddr @SET, ip6 saddr @SET, ...; for a hash set of networks shorter
 * than an address, ip daddr & 255.255.255.0 @SET */
void match_addr_set(struct rule_builder *rb, const struct ir_set *set,
			   uint32_t id, bool source)
{
	bool v6 = set->type == SET_IPV6;
	unsigned int len = v6 ? 16 : 4;
	uint8_t mask[KEY_MAX_LEN];

	match_nfproto(rb, v6 ? NFPROTO_IPV6 : NFPROTO_IPV4);
	expr_payload(rb, NFT_PAYLOAD_NETWORK_HEADER,
		     v6 ? (source ? 8 : 24) : (source ? 12 : 16), len);
	if (set->prefix >= 0 && (unsigned int)set->prefix < 8 * len) {
		prefix_mask(mask, len, (unsigned int)set->prefix);
		expr_mask(rb, mask, len);
	}
	expr_lookup(rb, set->name, id);
}

/* tcp dport 80 | tcp dport 8000-8100 | tcp dport @anonymous-set; with
 * rule->sport: udp sport 53 */
void match_dport(struct rule_builder *rb, const struct ir_rule *rule,
			uint32_t set_id)
{
	match_l4proto(rb, rule->l4proto);
	expr_payload(rb, NFT_PAYLOAD_TRANSPORT_HEADER, rule->sport ? 0 : 2, 2);
	if (rule->port_set >= 0) {
		expr_lookup(rb, "__set%d", set_id);
	} else if (memcmp(rule->port.lo, rule->port.hi, 2) == 0) {
		expr_cmp(rb, NFT_CMP_EQ, rule->port.lo, 2);
	} else {
		expr_cmp(rb, NFT_CMP_GTE, rule->port.lo, 2);
		expr_cmp(rb, NFT_CMP_LTE, rule->port.hi, 2);
	}
}

/*
 * queue num LEARN_QUEUE, without bypass: as the xtables NFQUEUE target
 * (revision 0, which has no bypass) through nft_compat, which nft lists
 * as "queue num N".  Kernels without nft_queue (CONFIG_NFT_QUEUE unset,
 * as on the test machines) have it, and Debian's load either module on
 * demand.  libnftnl keeps the info it is given and frees it.
 */
static void expr_queue(struct rule_builder *rb)
{
	struct nftnl_expr *e = rb_expr(rb, "target");
	struct xt_NFQ_info *info;

	if (!e)
		return;
	info = calloc(1, XT_ALIGN(sizeof(*info)));
	if (!info) {
		rb->err = -ENOMEM;
		return;
	}
	info->queuenum = LEARN_QUEUE;
	nftnl_expr_set_str(e, NFTNL_EXPR_TG_NAME, "NFQUEUE");
	nftnl_expr_set_u32(e, NFTNL_EXPR_TG_REV, 0);
	nftnl_expr_set(e, NFTNL_EXPR_TG_INFO, info, XT_ALIGN(sizeof(*info)));
}

/* log prefix "..." [group N]. No snaplen: the kernel then copies the whole
 * packet (a snaplen of 0 would copy none of it). */
static void expr_log(struct rule_builder *rb, const char *prefix, bool nflog,
		     uint16_t group)
{
	struct nftnl_expr *e = rb_expr(rb, "log");

	if (!e)
		return;
	nftnl_expr_set_str(e, NFTNL_EXPR_LOG_PREFIX, prefix);
	if (nflog)
		nftnl_expr_set_u16(e, NFTNL_EXPR_LOG_GROUP, group);
}

/* counter [log prefix WATCH group WATCH_GROUP] VERDICT */
void expr_counter_verdict(struct rule_builder *rb, enum ir_verdict v,
			  const char *watch_prefix)
{
	struct nftnl_expr *e;

	rb_expr(rb, "counter");
	if (watch_prefix)
		expr_log(rb, watch_prefix, true, WATCH_GROUP);
	if (v == IR_QUEUE) {
		expr_queue(rb);
		return;
	}
	if (v == IR_ACCEPT || v == IR_DROP) {
		e = rb_expr(rb, "immediate");
		if (!e)
			return;
		nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, NFT_REG_VERDICT);
		nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_VERDICT,
				   v == IR_ACCEPT ? NF_ACCEPT : NF_DROP);
		return;
	}
	/* reject with tcp reset | reject with icmpx admin-prohibited */
	e = rb_expr(rb, "reject");
	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_REJECT_TYPE,
			   v == IR_REJECT_TCP ? NFT_REJECT_TCP_RST
					      : NFT_REJECT_ICMPX_UNREACH);
	nftnl_expr_set_u8(e, NFTNL_EXPR_REJECT_CODE,
			  v == IR_REJECT_TCP ? 0
					     : NFT_REJECT_ICMPX_ADMIN_PROHIBITED);
}

/* limit rate 5/second burst 10 packets log prefix "..." [group N]: the
 * limit ends the rule for packets over the rate, never the verdict, which
 * the next rule holds. */
void expr_log_limited(struct rule_builder *rb, const char *prefix, bool nflog,
		      uint16_t group)
{
	struct nftnl_expr *e = rb_expr(rb, "limit");

	if (!e)
		return;
	nftnl_expr_set_u64(e, NFTNL_EXPR_LIMIT_RATE, LOG_RATE);
	nftnl_expr_set_u64(e, NFTNL_EXPR_LIMIT_UNIT, 1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_LIMIT_BURST, LOG_BURST);
	nftnl_expr_set_u32(e, NFTNL_EXPR_LIMIT_TYPE, NFT_LIMIT_PKTS);
	nftnl_expr_set_u32(e, NFTNL_EXPR_LIMIT_FLAGS, 0);
	expr_log(rb, prefix, nflog, group);
}

/* oif "lo" | iif "lo": every netns numbers its loopback device 1. */
void match_loopback(struct rule_builder *rb, bool input)
{
	uint32_t lo = 1;

	expr_meta(rb, input ? NFT_META_IIF : NFT_META_OIF);
	expr_cmp(rb, NFT_CMP_EQ, &lo, sizeof(lo));
}

/* ct state != related fib saddr type != local:
 * [ ct load state => reg 1 ] [ cmp neq reg 1 RELATED ]
 * [ fib saddr type => reg 1 ] [ cmp neq reg 1 RTN_LOCAL ].  Any of the
 * namespace's addresses, on any device, counts as its own, as Linux routes
 * them.  A related packet is the kernel's own: the TCP reset of a `reject`
 * goes out with the rejected peer's address as its source, and no
 * unprivileged socket can send one. */
void match_foreign_source(struct rule_builder *rb)
{
	struct nftnl_expr *e = rb_expr(rb, "ct");
	uint32_t related = NF_CT_STATE_BIT(IP_CT_RELATED), local = RTN_LOCAL;

	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_CT_KEY, NFT_CT_STATE);
	nftnl_expr_set_u32(e, NFTNL_EXPR_CT_DREG, NFT_REG_1);
	expr_cmp(rb, NFT_CMP_NEQ, &related, sizeof(related));
	e = rb_expr(rb, "fib");
	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_FIB_FLAGS, NFTA_FIB_F_SADDR);
	nftnl_expr_set_u32(e, NFTNL_EXPR_FIB_RESULT, NFT_FIB_RESULT_ADDRTYPE);
	nftnl_expr_set_u32(e, NFTNL_EXPR_FIB_DREG, NFT_REG_1);
	expr_cmp(rb, NFT_CMP_NEQ, &local, sizeof(local));
}

/* ip daddr 127.0.0.0/8 (nft loads its first byte only) | ip6 daddr ::1 */
/* ip6 hoplimit 1 ip6 daddr ff02::/16: a packet no router forwards */
void match_link_local_multicast(struct rule_builder *rb)
{
	static const uint8_t hoplimit = 1, ff02[2] = { 0xff, 0x02 };

	expr_payload(rb, NFT_PAYLOAD_NETWORK_HEADER, 7, 1);
	expr_cmp(rb, NFT_CMP_EQ, &hoplimit, sizeof(hoplimit));
	expr_payload(rb, NFT_PAYLOAD_NETWORK_HEADER, 24, 2);
	expr_cmp(rb, NFT_CMP_EQ, ff02, sizeof(ff02));
}

void match_loopback_daddr(struct rule_builder *rb, bool v6)
{
	static const uint8_t net127 = 127;

	match_nfproto(rb, v6 ? NFPROTO_IPV6 : NFPROTO_IPV4);
	if (v6) {
		expr_payload(rb, NFT_PAYLOAD_NETWORK_HEADER, 24, 16);
		expr_cmp(rb, NFT_CMP_EQ, &in6addr_loopback,
			 sizeof(in6addr_loopback));
	} else {
		expr_payload(rb, NFT_PAYLOAD_NETWORK_HEADER, 16, 1);
		expr_cmp(rb, NFT_CMP_EQ, &net127, sizeof(net127));
	}
}
