// SPDX-License-Identifier: GPL-2.0-or-later
/* ruleset → one nfnetlink batch (bytes only: building sends nothing). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <libmnl/libmnl.h>
#include <libnftnl/chain.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <libnftnl/table.h>
#include <libnftnl/udata.h>

#include "array.h"
#include "batch.h"
#include "cleanup.h"
#include "expr.h"

/* Room reserved for one message: set element messages are cut well below
 * the 64 KiB a netlink attribute can hold. */
#define MSG_ROOM (96u << 10)
#define ELEMS_PER_MSG 1024

/* Set key types and byte order, as nft records them (datatype.h). */
#define NFT_TYPE_IPADDR 7
#define NFT_TYPE_IP6ADDR 8
#define NFT_TYPE_INET_PROTOCOL 12
#define NFT_TYPE_INET_SERVICE 13
#define NFT_TYPE_ICMP6_TYPE 29
#define NFT_BYTEORDER_BIG_ENDIAN 2

/* --- the buffer ------------------------------------------------------------ */

static int batch_reserve(struct batch *b)
{
	size_t cap = b->cap ? b->cap : 256u << 10;
	char *buf;

	if (b->len + MSG_ROOM <= b->cap)
		return 0;
	while (cap < b->len + MSG_ROOM)
		cap *= 2;
	buf = realloc(b->buf, cap);
	if (!buf)
		return -ENOMEM;
	/* Messages are built in place; zeroed bytes keep padding defined. */
	memset(buf + b->cap, 0, cap - b->cap);
	b->buf = buf;
	b->cap = cap;
	return 0;
}

/*
 * The first buffer holds every set element at once, counted generously
 * (a v6 key's element takes 28 bytes; interval sets add an end element
 * each): calloc'd pages never written cost no memory, and the buffer
 * neither moves nor is zeroed again as it fills.
 */
static int batch_alloc(struct batch *b, const struct ruleset *rs)
{
	size_t cap = (256u << 10) + MSG_ROOM;

	for (size_t i = 0; i < rs->nsets; i++)
		cap += rs->sets[i].elems.n * 2 * (24 + rs->sets[i].elems.keylen);
	b->buf = calloc(1, cap);
	if (!b->buf)
		return -ENOMEM;
	b->cap = cap;
	return 0;
}

__attribute__((format(printf, 3, 4))) static int
batch_origin_add(struct batch *b, uint32_t seq, const char *fmt, ...)
{
	struct batch_origin *o;
	va_list ap;

	if (ARRAY_RESERVE(b->origins, b->origins_cap, b->norigins, 64) < 0)
		return -ENOMEM;
	o = &b->origins[b->norigins++];
	o->seq = seq;
	va_start(ap, fmt);
	vsnprintf(o->what, sizeof(o->what), fmt, ap);
	va_end(ap);
	return 0;
}

/* Starts a message at the end of the batch; batch_msg_end() keeps it. */
static struct nlmsghdr *batch_msg(struct batch *b, uint16_t type,
				  uint16_t flags)
{
	if (batch_reserve(b) < 0)
		return NULL;
	return nftnl_nlmsg_build_hdr(b->buf + b->len, type, NFPROTO_INET,
				     flags, b->seq++);
}

static void batch_msg_end(struct batch *b, struct nlmsghdr *nlh)
{
	b->last_msg = b->len;
	b->len += NLMSG_ALIGN(nlh->nlmsg_len);
}

/* nft's user data, TLVs that libnftnl writes; the kernel keeps at most
 * NFT_USERDATA_MAXLEN bytes of it. */
#define UDATA_MAX 256

static struct nftnl_udata_buf *udata_comment(uint8_t type, const char *s)
{
	struct nftnl_udata_buf *ud = nftnl_udata_buf_alloc(UDATA_MAX);

	if (ud && !nftnl_udata_put_strz(ud, type, s)) {
		nftnl_udata_buf_free(ud);
		return NULL;
	}
	return ud;
}

/* --- table and chains -------------------------------------------------------- */

/* Deleting by name: the old table goes, with everything in it. */
static int emit_table_delete(struct batch *b)
{
	_cleanup_(nftnl_table_freep) struct nftnl_table *t = nftnl_table_alloc();
	struct nlmsghdr *nlh;

	if (!t)
		return -ENOMEM;
	nftnl_table_set_str(t, NFTNL_TABLE_NAME, RULESET_TABLE);
	nlh = batch_msg(b, NFT_MSG_DELTABLE, 0);
	if (!nlh)
		return -ENOMEM;
	nftnl_table_nlmsg_build_payload(nlh, t);
	batch_msg_end(b, nlh);
	return batch_origin_add(b, nlh->nlmsg_seq,
				"table inet %s (the one to replace)",
				RULESET_TABLE);
}

static int emit_table(struct batch *b, const struct ruleset *rs)
{
	_cleanup_(nftnl_table_freep) struct nftnl_table *t = nftnl_table_alloc();
	_cleanup_(nftnl_udata_buf_freep) struct nftnl_udata_buf *ud =
		udata_comment(NFTNL_UDATA_TABLE_COMMENT, rs->comment);
	struct nlmsghdr *nlh;

	if (!t || !ud)
		return -ENOMEM;
	nftnl_table_set_str(t, NFTNL_TABLE_NAME, RULESET_TABLE);
	nftnl_table_set_u32(t, NFTNL_TABLE_FLAGS, 0);
	nftnl_table_set_data(t, NFTNL_TABLE_USERDATA, nftnl_udata_buf_data(ud),
			     nftnl_udata_buf_len(ud));
	/* EXCL: never merge into a table something else put there. */
	nlh = batch_msg(b, NFT_MSG_NEWTABLE, NLM_F_CREATE | NLM_F_EXCL);
	if (!nlh)
		return -ENOMEM;
	nftnl_table_nlmsg_build_payload(nlh, t);
	batch_msg_end(b, nlh);
	return batch_origin_add(b, nlh->nlmsg_seq, "table inet %s",
				RULESET_TABLE);
}

static int emit_chain(struct batch *b, enum direction d)
{
	static const uint32_t hooks[DIR_COUNT] = { NF_INET_LOCAL_OUT,
						   NF_INET_LOCAL_IN };
	_cleanup_(nftnl_chain_freep) struct nftnl_chain *c = nftnl_chain_alloc();
	struct nlmsghdr *nlh;

	if (!c)
		return -ENOMEM;
	nftnl_chain_set_str(c, NFTNL_CHAIN_TABLE, RULESET_TABLE);
	nftnl_chain_set_str(c, NFTNL_CHAIN_NAME, direction_names[d]);
	nftnl_chain_set_str(c, NFTNL_CHAIN_TYPE, "filter");
	nftnl_chain_set_u32(c, NFTNL_CHAIN_HOOKNUM, hooks[d]);
	nftnl_chain_set_s32(c, NFTNL_CHAIN_PRIO, 0);
	nftnl_chain_set_u32(c, NFTNL_CHAIN_POLICY, NF_ACCEPT);
	nlh = batch_msg(b, NFT_MSG_NEWCHAIN, NLM_F_CREATE);
	if (!nlh)
		return -ENOMEM;
	nftnl_chain_nlmsg_build_payload(nlh, c);
	batch_msg_end(b, nlh);
	return batch_origin_add(b, nlh->nlmsg_seq, "chain %s",
				direction_names[d]);
}

/* --- sets ------------------------------------------------------------------- */

struct set_spec {
	const char *name; /* "__set%d": the kernel names anonymous sets */
	uint32_t id;	  /* refers to the set within this batch */
	uint32_t flags;
	uint32_t key_type;
	const struct interval_list *elems;
	const char *comment; /* or NULL */
	const char *origin;
	uint32_t size; /* a learned set's bound, or 0 */
};

static bool list_has_ranges(const struct interval_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (memcmp(l->v[i].lo, l->v[i].hi, l->keylen) != 0)
			return true;
	return false;
}

static bool key_is_zero(const uint8_t *key, unsigned int len)
{
	for (unsigned int i = 0; i < len; i++)
		if (key[i])
			return false;
	return true;
}

/*
 * Interval sets hold each interval as its first key and, flagged
 * INTERVAL_END, the key right after it.  Like nft, the set opens with an
 * end element at zero when the first interval starts later, and an interval
 * that runs to the last key has no end element: its start carries the
 * "open" flag in its user data instead.
 */
struct elem_writer {
	struct batch *b;
	const struct set_spec *spec;
	struct nftnl_set *chunk;
	size_t in_chunk;
	bool interval;
	int err;
};

static int elem_flush(struct elem_writer *w)
{
	struct nlmsghdr *nlh;

	if (!w->chunk || w->in_chunk == 0)
		return 0;
	nlh = batch_msg(w->b, NFT_MSG_NEWSETELEM, NLM_F_CREATE);
	if (!nlh)
		return -ENOMEM;
	nftnl_set_elems_nlmsg_build_payload(nlh, w->chunk);
	batch_msg_end(w->b, nlh);
	nftnl_set_free(w->chunk);
	w->chunk = NULL;
	w->in_chunk = 0;
	return batch_origin_add(w->b, nlh->nlmsg_seq, "%s", w->spec->origin);
}

static void elem_add(struct elem_writer *w, const uint8_t *key, bool end,
		     bool open)
{
	_cleanup_(nftnl_udata_buf_freep) struct nftnl_udata_buf *ud = NULL;
	struct nftnl_set_elem *e;

	if (w->err || (w->in_chunk == ELEMS_PER_MSG && (w->err = elem_flush(w))))
		return;
	if (!w->chunk) {
		w->chunk = nftnl_set_alloc();
		if (!w->chunk) {
			w->err = -ENOMEM;
			return;
		}
		nftnl_set_set_str(w->chunk, NFTNL_SET_TABLE, RULESET_TABLE);
		nftnl_set_set_str(w->chunk, NFTNL_SET_NAME, w->spec->name);
		nftnl_set_set_u32(w->chunk, NFTNL_SET_ID, w->spec->id);
	}
	if (open) {
		ud = nftnl_udata_buf_alloc(UDATA_MAX);
		if (!ud || !nftnl_udata_put_u32(ud, NFTNL_UDATA_SET_ELEM_FLAGS,
						NFTNL_SET_ELEM_F_INTERVAL_OPEN)) {
			w->err = -ENOMEM;
			return;
		}
	}
	e = nftnl_set_elem_alloc();
	if (!e) {
		w->err = -ENOMEM;
		return;
	}
	nftnl_set_elem_set(e, NFTNL_SET_ELEM_KEY, key, w->spec->elems->keylen);
	if (end)
		nftnl_set_elem_set_u32(e, NFTNL_SET_ELEM_FLAGS,
				       NFT_SET_ELEM_INTERVAL_END);
	if (ud)
		nftnl_set_elem_set(e, NFTNL_SET_ELEM_USERDATA,
				   nftnl_udata_buf_data(ud),
				   nftnl_udata_buf_len(ud));
	nftnl_set_elem_add(w->chunk, e);
	w->in_chunk++;
}

static void elem_write_all(struct elem_writer *w)
{
	const struct interval_list *l = w->spec->elems;
	unsigned int len = l->keylen;
	uint8_t zero[KEY_MAX_LEN] = { 0 }, next[KEY_MAX_LEN];

	/* A symbolic destination's set may stay empty. */
	if (l->n == 0)
		return;
	if (w->interval && !key_is_zero(l->v[0].lo, len))
		elem_add(w, zero, true, false);
	for (size_t i = 0; i < l->n; i++) {
		bool has_next;

		memcpy(next, l->v[i].hi, len);
		has_next = key_increment(next, len);
		elem_add(w, l->v[i].lo, false, w->interval && !has_next);
		if (w->interval && has_next)
			elem_add(w, next, true, false);
	}
}

/* Every element of the set, in messages of ELEMS_PER_MSG. */
static int elem_write_set(struct elem_writer *w)
{
	int r;

	elem_write_all(w);
	r = w->err ? w->err : elem_flush(w);
	if (w->chunk)
		nftnl_set_free(w->chunk);
	return r;
}

/* What nft records of a set: its keys' byte order, that an anonymous
 * interval set's elements were merged, its comment. */
static struct nftnl_udata_buf *set_udata(const struct set_spec *spec,
					 bool merged)
{
	struct nftnl_udata_buf *ud = nftnl_udata_buf_alloc(UDATA_MAX);

	if (ud && nftnl_udata_put_u32(ud, NFTNL_UDATA_SET_KEYBYTEORDER,
				      NFT_BYTEORDER_BIG_ENDIAN) &&
	    (!merged ||
	     nftnl_udata_put_u32(ud, NFTNL_UDATA_SET_MERGE_ELEMENTS, 1)) &&
	    (!spec->comment || nftnl_udata_put_strz(ud, NFTNL_UDATA_SET_COMMENT,
						    spec->comment)))
		return ud;
	if (ud)
		nftnl_udata_buf_free(ud);
	return NULL;
}

static int emit_set(struct batch *b, const struct set_spec *spec)
{
	_cleanup_(nftnl_set_freep) struct nftnl_set *s = nftnl_set_alloc();
	_cleanup_(nftnl_udata_buf_freep) struct nftnl_udata_buf *ud = NULL;
	struct elem_writer w = { .b = b, .spec = spec };
	bool anonymous = spec->flags & NFT_SET_ANONYMOUS;
	struct nlmsghdr *nlh;
	int r;

	w.interval = spec->flags & NFT_SET_INTERVAL;
	ud = set_udata(spec, anonymous && w.interval);
	if (!s || !ud)
		return -ENOMEM;
	nftnl_set_set_str(s, NFTNL_SET_TABLE, RULESET_TABLE);
	nftnl_set_set_str(s, NFTNL_SET_NAME, spec->name);
	nftnl_set_set_u32(s, NFTNL_SET_FLAGS, spec->flags);
	nftnl_set_set_u32(s, NFTNL_SET_KEY_TYPE, spec->key_type);
	nftnl_set_set_u32(s, NFTNL_SET_KEY_LEN, spec->elems->keylen);
	nftnl_set_set_u32(s, NFTNL_SET_ID, spec->id);
	/* nft sizes an anonymous interval set as two keys per interval and
	 * the opening one when the first starts above zero, whether or not
	 * the last interval is open.  A hash set of networks is sized to
	 * them: the kernel then makes it a fixed-size hash, no resizing; a
	 * learned set to its bound. */
	if (spec->size)
		nftnl_set_set_u32(s, NFTNL_SET_DESC_SIZE, spec->size);
	else if (!w.interval)
		nftnl_set_set_u32(s, NFTNL_SET_DESC_SIZE,
				  (uint32_t)spec->elems->n);
	else if (anonymous)
		nftnl_set_set_u32(s, NFTNL_SET_DESC_SIZE,
				  (uint32_t)(w.interval ? 2 * spec->elems->n +
						  !key_is_zero(spec->elems->v[0].lo,
							       spec->elems->keylen)
							: spec->elems->n));
	nftnl_set_set_data(s, NFTNL_SET_USERDATA, nftnl_udata_buf_data(ud),
			   nftnl_udata_buf_len(ud));
	nlh = batch_msg(b, NFT_MSG_NEWSET, NLM_F_CREATE);
	if (!nlh)
		return -ENOMEM;
	nftnl_set_nlmsg_build_payload(nlh, s);
	batch_msg_end(b, nlh);
	r = batch_origin_add(b, nlh->nlmsg_seq, "%s", spec->origin);
	return r < 0 ? r : elem_write_set(&w);
}

struct build {
	struct batch *b;
	const struct ruleset *rs;
	uint32_t next_anon_id; /* anonymous sets come after the ruleset's */
};

static const char *const builtin_names[] = {
	[IR_LOOPBACK] = "loopback accept",
	[IR_LOOPBACK_V4] = "loopback to 127.0.0.0/8 accept",
	[IR_LOOPBACK_V6] = "loopback to ::1 accept",
	[IR_ESTABLISHED] = "ct state established,related accept",
	[IR_INVALID] = "ct state invalid drop",
	[IR_NEIGHBOUR] = "ICMPv6 neighbour discovery accept",
	[IR_MLD] = "ICMPv6 link-local multicast listener discovery accept",
	[IR_SPOOFED] = "foreign source address drop",
	[IR_LEARN] = "DNS answers to the learner",
};

/* icmpv6 type { TYPES }: an anonymous set of its own. */
static int match_icmpv6_types(struct build *bd, struct rule_builder *rb,
			      const uint8_t types[4], const char *origin)
{
	struct interval v[4] = { 0 };
	struct interval_list l = { .keylen = 1, .n = 4, .cap = 4, .v = v };
	struct set_spec spec = { .name = "__set%d", .id = bd->next_anon_id++,
				 .flags = NFT_SET_ANONYMOUS | NFT_SET_CONSTANT,
				 .key_type = NFT_TYPE_ICMP6_TYPE, .elems = &l,
				 .origin = origin };

	for (int i = 0; i < 4; i++)
		v[i].lo[0] = v[i].hi[0] = types[i];
	match_l4proto(rb, IPPROTO_ICMPV6);
	expr_payload(rb, NFT_PAYLOAD_TRANSPORT_HEADER, 0, 1);
	expr_lookup(rb, spec.name, spec.id);
	return emit_set(bd->b, &spec);
}

/* icmpv6 type { nd-router-solicit, nd-router-advert, nd-neighbor-solicit,
 * nd-neighbor-advert }: types 133 to 136. */
static int match_neighbour(struct build *bd, struct rule_builder *rb,
			   const char *origin)
{
	static const uint8_t types[4] = { 133, 134, 135, 136 };

	match_nfproto(rb, NFPROTO_IPV6);
	return match_icmpv6_types(bd, rb, types, origin);
}

/* ip6 hoplimit 1 ip6 daddr ff02::/16 icmpv6 type { mld-listener-query,
 * mld-listener-report, mld-listener-done, mld2-listener-report }: types
 * 130 to 132 and 143, as the kernel sends them (RFC 3810 5.2.13). */
static int match_mld(struct build *bd, struct rule_builder *rb,
		     const char *origin)
{
	static const uint8_t types[4] = { 130, 131, 132, 143 };

	match_nfproto(rb, NFPROTO_IPV6);
	match_link_local_multicast(rb);
	return match_icmpv6_types(bd, rb, types, origin);
}

/* A rule's port set or its except's protocols. */
static int emit_anon_set(struct build *bd, int set, const char *origin,
			 uint32_t *ret_id)
{
	const struct ir_set *s = &bd->rs->sets[set];
	const struct interval_list *l = &s->elems;
	struct set_spec spec = { .name = "__set%d", .id = bd->next_anon_id++,
				 .flags = NFT_SET_ANONYMOUS | NFT_SET_CONSTANT,
				 .key_type = s->type == SET_PROTO
						     ? NFT_TYPE_INET_PROTOCOL
						     : NFT_TYPE_INET_SERVICE,
				 .elems = l, .origin = origin };

	if (list_has_ranges(l))
		spec.flags |= NFT_SET_INTERVAL;
	*ret_id = spec.id;
	return emit_set(bd->b, &spec);
}

/* Anonymous sets go into the batch right before the rule that binds them. */
static int rule_matches(struct build *bd, struct rule_builder *rb,
			const struct ir_rule *rule, enum direction d,
			const char *origin)
{
	uint32_t set_id = 0;
	int r = 0;

	switch (rule->builtin) {
	case IR_LOOPBACK:
		match_loopback(rb, false);
		return 0;
	case IR_LOOPBACK_V4:
	case IR_LOOPBACK_V6:
		match_loopback(rb, true);
		match_loopback_daddr(rb, rule->builtin == IR_LOOPBACK_V6);
		return 0;
	case IR_ESTABLISHED:
		expr_ct_state(rb, NF_CT_STATE_BIT(IP_CT_ESTABLISHED) |
					  NF_CT_STATE_BIT(IP_CT_RELATED));
		return 0;
	case IR_INVALID:
		expr_ct_state(rb, NF_CT_STATE_INVALID_BIT);
		return 0;
	case IR_NEIGHBOUR:
		return match_neighbour(bd, rb, origin);
	case IR_MLD:
		return match_mld(bd, rb, origin);
	case IR_SPOOFED:
		match_foreign_source(rb);
		return 0;
	case IR_LEARN:
		expr_ct_state(rb, NF_CT_STATE_BIT(IP_CT_ESTABLISHED));
		match_ct_reply(rb);
		break;
	case IR_RULE:
		break;
	}
	if (rule->addr_set >= 0)
		match_addr_set(rb, &bd->rs->sets[rule->addr_set],
			       (uint32_t)rule->addr_set + 1,
			       chain_matches_source(d));
	if (rule->except_set >= 0)
		r = emit_anon_set(bd, rule->except_set, origin, &set_id);
	if (r == 0 && rule->except_set >= 0)
		match_l4proto_not_set(rb, set_id);
	else if (rule->except_proto != PROTO_ANY)
		match_l4proto_not(rb, (uint8_t)rule->except_proto);
	if (r == 0 && rule->port_set >= 0)
		r = emit_anon_set(bd, rule->port_set, origin, &set_id);
	if (rule->port_set >= 0 || rule->has_port)
		match_dport(rb, rule, set_id);
	else if (rule->l4proto != PROTO_ANY)
		match_l4proto(rb, (uint8_t)rule->l4proto);
	return r;
}

static int emit_rule(struct build *bd, const struct ir_rule *rule,
		     enum direction d)
{
	_cleanup_(nftnl_rule_freep) struct nftnl_rule *r = nftnl_rule_alloc();
	struct rule_builder rb = { .r = r };
	_cleanup_(nftnl_udata_buf_freep) struct nftnl_udata_buf *ud = NULL;
	char origin[sizeof(((struct batch_origin *)0)->what)];
	char prefix[WATCH_PREFIX_MAX + 1];
	struct nlmsghdr *nlh;
	int ret;

	if (!r)
		return -ENOMEM;
	if (rule->builtin == IR_RULE)
		snprintf(origin, sizeof(origin), "rule %s", rule->comment);
	else
		snprintf(origin, sizeof(origin), "built-in %s rule \"%s\"",
			 direction_names[d], builtin_names[rule->builtin]);
	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, RULESET_TABLE);
	nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, direction_names[d]);
	ret = rule_matches(bd, &rb, rule, d, origin);
	ruleset_log_prefix(bd->rs, rule, d, prefix, sizeof(prefix));
	if (rule->verdict == IR_LOG)
		expr_log_limited(&rb, prefix, rule->nflog, rule->group);
	else
		expr_counter_verdict(&rb, rule->verdict,
				     rule->watch ? prefix : NULL);
	if (ret < 0 || rb.err < 0)
		return ret < 0 ? ret : rb.err;
	if (rule->comment[0]) {
		ud = udata_comment(NFTNL_UDATA_RULE_COMMENT, rule->comment);
		if (!ud)
			return -ENOMEM;
		nftnl_rule_set_data(r, NFTNL_RULE_USERDATA,
				    nftnl_udata_buf_data(ud),
				    nftnl_udata_buf_len(ud));
	}
	nlh = batch_msg(bd->b, NFT_MSG_NEWRULE, NLM_F_CREATE | NLM_F_APPEND);
	if (!nlh)
		return -ENOMEM;
	nftnl_rule_nlmsg_build_payload(nlh, r);
	batch_msg_end(bd->b, nlh);
	return batch_origin_add(bd->b, nlh->nlmsg_seq, "%s", origin);
}

static int emit_named_sets(struct build *bd)
{
	static const uint32_t key_types[] = { [SET_IPV4] = NFT_TYPE_IPADDR,
					      [SET_IPV6] = NFT_TYPE_IP6ADDR };
	char origin[80];
	int r;

	for (size_t i = 0; i < bd->rs->nsets; i++) {
		const struct ir_set *set = &bd->rs->sets[i];
		struct set_spec spec = { .name = set->name,
					 .id = (uint32_t)i + 1,
					 .flags = set->prefix < 0 ? NFT_SET_INTERVAL
								  : 0,
					 .elems = &set->elems,
					 .comment = set->comment[0] ? set->comment
								    : NULL,
					 .origin = origin };

		if (ir_set_anonymous(set))
			continue;
		if (set->learned) {
			spec.flags = NFT_SET_TIMEOUT;
			spec.size = LEARN_SET_SIZE;
		}
		spec.key_type = key_types[set->type];
		snprintf(origin, sizeof(origin), "set %s", set->name);
		r = emit_set(bd->b, &spec);
		if (r < 0)
			return r;
	}
	return 0;
}

static int emit_all(struct build *bd, bool replace)
{
	int r = replace ? emit_table_delete(bd->b) : 0;

	if (r == 0)
		r = emit_table(bd->b, bd->rs);
	if (r == 0)
		r = emit_named_sets(bd);
	for (int d = 0; r == 0 && d < DIR_COUNT; d++) {
		const struct ir_chain *c = &bd->rs->chains[d];

		if (!c->present)
			continue;
		r = emit_chain(bd->b, (enum direction)d);
		for (size_t i = 0; r == 0 && i < c->n; i++)
			r = emit_rule(bd, &c->rules[i], (enum direction)d);
	}
	return r;
}

void batch_free(struct batch *b)
{
	free(b->buf);
	free(b->origins);
	*b = (struct batch){ 0 };
}

const struct batch_origin *batch_origin_find(const struct batch *b,
					     uint32_t seq)
{
	/* Origins are appended in sequence order. */
	size_t lo = 0, hi = b->norigins;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (b->origins[mid].seq < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < b->norigins && b->origins[lo].seq == seq ? &b->origins[lo]
							     : NULL;
}

/* The contents of a set that is there, swapped: flushed and filled again
 * in the same transaction, so no packet sees it empty. */
static int emit_set_refill(struct batch *b, const struct ir_set *set)
{
	_cleanup_(nftnl_set_freep) struct nftnl_set *s = nftnl_set_alloc();
	char origin[80];
	struct set_spec spec = { .name = set->name, .elems = &set->elems,
				 .origin = origin };
	struct elem_writer w = { .b = b, .spec = &spec, .interval = true };
	struct nlmsghdr *nlh;
	int r;

	if (!s)
		return -ENOMEM;
	snprintf(origin, sizeof(origin), "set %s", set->name);
	nftnl_set_set_str(s, NFTNL_SET_TABLE, RULESET_TABLE);
	nftnl_set_set_str(s, NFTNL_SET_NAME, set->name);
	nlh = batch_msg(b, NFT_MSG_DELSETELEM, 0);
	if (!nlh)
		return -ENOMEM;
	nftnl_set_elems_nlmsg_build_payload(nlh, s);
	batch_msg_end(b, nlh);
	r = batch_origin_add(b, nlh->nlmsg_seq, "%s", origin);
	return r < 0 ? r : elem_write_set(&w);
}

static int emit_refill(struct build *bd)
{
	const struct ruleset *rs = bd->rs;
	int r = 0;

	for (size_t i = 0; r == 0 && i < rs->nsymbols; i++)
		for (int fam = 0; r == 0 && fam < 2 && rs->symbols[i].resolved &&
				  rs->symbols[i].set[fam] >= 0;
		     fam++)
			r = emit_set_refill(bd->b,
					    &rs->sets[rs->symbols[i].set[fam]]);
	return r;
}

static int build(const struct ruleset *rs, uint32_t first_seq, bool replace,
		 bool refill, struct batch *ret, struct fw_error *err)
{
	struct batch b = { .seq = first_seq, .begin_seq = first_seq };
	struct build bd = { .b = &b, .rs = rs,
			    .next_anon_id = (uint32_t)rs->nsets + 1 };
	struct nlmsghdr *last;
	int r;

	r = batch_alloc(&b, rs);
	if (r == 0) {
		nftnl_batch_begin(b.buf, b.seq++);
		b.len += NLMSG_ALIGN(sizeof(struct nlmsghdr) +
				     sizeof(struct nfgenmsg));
		r = refill ? emit_refill(&bd) : emit_all(&bd, replace);
	}
	if (r == 0)
		r = batch_reserve(&b);
	if (r < 0) {
		batch_free(&b);
		return fw_error_set(err, r, "", "building the netlink batch: %s",
				    strerror(-r));
	}
	last = (struct nlmsghdr *)(b.buf + b.last_msg);
	last->nlmsg_flags |= NLM_F_ACK;
	b.last_seq = last->nlmsg_seq;
	nftnl_batch_end(b.buf + b.len, b.seq++);
	b.len += NLMSG_ALIGN(sizeof(struct nlmsghdr) + sizeof(struct nfgenmsg));
	*ret = b;
	return 0;
}

int batch_build(const struct ruleset *rs, uint32_t first_seq, bool replace,
		struct batch *ret, struct fw_error *err)
{
	return build(rs, first_seq, replace, false, ret, err);
}

int batch_build_refill(const struct ruleset *rs, uint32_t first_seq,
		       struct batch *ret, struct fw_error *err)
{
	return build(rs, first_seq, false, true, ret, err);
}
