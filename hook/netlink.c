// SPDX-License-Identifier: GPL-2.0-or-later
/* Sending a batch to nf_tables in the current netns and reading every ack. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/netfilter/nfnetlink.h>

#include <linux/netfilter.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <libnftnl/table.h>
#include <libnftnl/udata.h>
#include <linux/netfilter/nf_tables.h>

#include "cleanup.h"
#include "netlink.h"
#include "nldump.h"
#include "ruleset.h"

int nl_open(struct mnl_socket **ret, struct fw_error *err)
{
	struct mnl_socket *nl;
	int one = 1;

	nl = mnl_socket_open2(NETLINK_NETFILTER, SOCK_CLOEXEC);
	if (!nl)
		return fw_error_set(err, -errno, "", "opening a netlink socket: %s",
				    strerror(errno));
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		int e = errno;

		mnl_socket_close(nl);
		return fw_error_set(err, -e, "", "binding the netlink socket: %s",
				    strerror(e));
	}
	/* Error messages from the kernel, and acks without the request. */
	mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &one, sizeof(one));
	*ret = nl;
	return 0;
}

/* The whole batch must fit one skb: the kernel refuses a message longer
 * than the send buffer.  FORCE passes the sysctl cap where we may (root in
 * the netns's user namespace). */
static int nl_size_sndbuf(struct mnl_socket *nl, const struct batch *b,
			  struct fw_error *err)
{
	int fd = mnl_socket_get_fd(nl), want, got = 0;
	socklen_t len = sizeof(got);

	if (b->len > INT_MAX / 4)
		return fw_error_set(err, -EMSGSIZE, "committing the ruleset",
				    "the batch is %zu bytes, too large", b->len);
	want = (int)(b->len + 4096);
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &want, sizeof(want)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &want, sizeof(want));
	getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &got, &len);
	if ((size_t)got >= b->len + 32)
		return 0;
	return fw_error_set(err, -EMSGSIZE, "committing the ruleset",
			    "the batch is %zu bytes but the socket sends at most "
			    "%d: raise net.core.wmem_max to %zu or more",
			    b->len, got, (b->len + 4096) / 2);
}

static const char *errno_meaning(int e)
{
	switch (e) {
	case EEXIST:
		return "already exists in the container's network namespace";
	case EPERM:
		return "not permitted (the hook needs CAP_NET_ADMIN over the "
		       "container's network namespace)";
	case ENOENT:
	case EOPNOTSUPP:
		return "not supported by this kernel (is nf_tables loaded?)";
	default:
		return strerror(e);
	}
}

/* An attribute of an extended ack, after the request it quotes (all of
 * it unless NLM_F_CAPPED), or NULL. */
static const struct nlattr *ext_ack_attr(const struct nlmsghdr *nlh,
					 uint16_t type, enum mnl_attr_data_type t)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t off = sizeof(*e);
	const struct nlattr *attr;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NULL;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	mnl_attr_for_each(attr, nlh, off)
		if (mnl_attr_get_type(attr) == type &&
		    mnl_attr_validate(attr, t) == 0)
			return attr;
	return NULL;
}

/* The message of the batch that `seq` numbers, or NULL. */
static const struct nlmsghdr *batch_msg_find(const struct batch *b,
					     uint32_t seq)
{
	const struct nlmsghdr *nlh = (const void *)b->buf;
	int rest = (int)b->len;

	for (; mnl_nlmsg_ok(nlh, rest); nlh = mnl_nlmsg_next(nlh, &rest))
		if (nlh->nlmsg_seq == seq)
			return nlh;
	return NULL;
}

static const char *expr_name(const struct nlattr *elem)
{
	const struct nlattr *a;

	mnl_attr_for_each_nested(a, elem)
		if (mnl_attr_get_type(a) == NFTA_EXPR_NAME &&
		    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
			return mnl_attr_get_str(a);
	return "?";
}

/*
 * The kernel points at the attribute it refused (NLMSGERR_ATTR_OFFS, bytes
 * from the start of the failing message); inside a rule, at one element
 * of its expression list.  Like nft, which maps the offset back to a
 * statement, name that expression: its place in the rule (1 is the
 * first, as `nft --debug=netlink` lists them) and its kind.
 */
static void ext_ack_expr(const struct nl_acks *st, const struct nlmsghdr *nlh,
			 char *buf, size_t len)
{
	const struct nlattr *offs = ext_ack_attr(nlh, NLMSGERR_ATTR_OFFS,
						 MNL_TYPE_U32);
	const struct nlmsghdr *msg = batch_msg_find(st->b, nlh->nlmsg_seq);
	const struct nlattr *a, *elem;
	uint32_t off = offs ? mnl_attr_get_u32(offs) : 0;
	unsigned int i = 0;

	buf[0] = '\0';
	if (!offs || !msg || off >= msg->nlmsg_len ||
	    NFNL_MSG_TYPE(msg->nlmsg_type) != NFT_MSG_NEWRULE)
		return;
	mnl_attr_for_each(a, msg, sizeof(struct nfgenmsg)) {
		if (mnl_attr_get_type(a) != NFTA_RULE_EXPRESSIONS)
			continue;
		mnl_attr_for_each_nested(elem, a) {
			size_t at = (size_t)((const char *)elem -
					     (const char *)msg);

			i++;
			if (off >= at && off < at + elem->nla_len) {
				snprintf(buf, len, " (expression %u of the "
					 "rule, %s)", i, expr_name(elem));
				return;
			}
		}
	}
}

void nl_acks_init(struct nl_acks *st, const struct batch *b,
		  struct fw_error *err)
{
	*st = (struct nl_acks){ .b = b, .err = err };
}

/* Keeps the error of the lowest sequence number: later messages often fail
 * only because an earlier one did. */
static void acks_record_error(struct nl_acks *st, const struct nlmsghdr *nlh,
			      int e)
{
	const struct batch_origin *o = batch_origin_find(st->b, nlh->nlmsg_seq);
	const struct nlattr *msg = ext_ack_attr(nlh, NLMSGERR_ATTR_MSG,
						MNL_TYPE_NUL_STRING);
	char expr[96];

	if (st->error && nlh->nlmsg_seq >= st->error_seq)
		return;
	st->error = e;
	st->error_seq = nlh->nlmsg_seq;
	ext_ack_expr(st, nlh, expr, sizeof(expr));
	fw_error_set(st->err, e, o ? o->what : "committing the ruleset",
		     "%s%s%s%s", errno_meaning(-e), msg ? ": " : "",
		     msg ? mnl_attr_get_str(msg) : "", expr);
}

int nl_acks_feed(struct nl_acks *st, const void *buf, size_t len)
{
	const struct nlmsghdr *nlh = buf;
	int rest = (int)len;

	for (; mnl_nlmsg_ok(nlh, rest); nlh = mnl_nlmsg_next(nlh, &rest)) {
		const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

		if (nlh->nlmsg_type != NLMSG_ERROR ||
		    nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
			continue;
		if (e->error)
			acks_record_error(st, nlh, e->error);
		else if (nlh->nlmsg_seq == st->b->begin_seq)
			acks_record_error(st, nlh, -EPROTO); /* never an ack */
		/* A commit that failed as a whole answers BATCH_BEGIN. */
		if (nlh->nlmsg_seq == st->b->begin_seq ||
		    nlh->nlmsg_seq == st->b->last_seq)
			st->done = true;
	}
	if (!st->done)
		return 1;
	if (st->lost)
		return fw_error_set(st->err, -ENOBUFS, "committing the ruleset",
				    "the kernel's answers overflowed the socket: "
				    "the outcome is unknown");
	return st->error;
}

/* The kernel handles the batch inside sendmsg(): every answer is queued by
 * the time it returns, and waiting for more could only hang. */
static int acks_read(struct mnl_socket *nl, struct nl_acks *st)
{
	char buf[1u << 15];
	ssize_t n;
	int r = 1;

	while (r > 0) {
		n = recv(mnl_socket_get_fd(nl), buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0 && errno == ENOBUFS) {
			st->lost = true; /* errors may be among what was lost */
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno != EAGAIN)
			return fw_error_set(st->err, -errno,
					    "committing the ruleset",
					    "reading the kernel's answer: %s",
					    strerror(errno));
		if (n < 0)
			return st->error ? st->error
					 : fw_error_set(st->err, -EPROTO,
							"committing the ruleset",
							"the kernel did not "
							"acknowledge the batch");
		r = nl_acks_feed(st, buf, (size_t)n);
	}
	return r;
}

int nl_commit(struct mnl_socket *nl, const struct batch *b,
	      struct fw_error *err)
{
	struct nl_acks st;
	int r;

	r = nl_size_sndbuf(nl, b, err);
	if (r < 0)
		return r;
	if (mnl_socket_sendto(nl, b->buf, b->len) < 0)
		return fw_error_set(err, -errno, "committing the ruleset",
				    "sending %zu bytes: %s", b->len,
				    strerror(errno));
	nl_acks_init(&st, b, err);
	return acks_read(nl, &st);
}

struct udata_find {
	uint8_t type;
	const struct nftnl_udata *found;
};

static int udata_find_cb(const struct nftnl_udata *attr, void *data)
{
	struct udata_find *f = data;

	if (nftnl_udata_type(attr) == f->type && nftnl_udata_len(attr) > 0)
		f->found = attr;
	return 0;
}

/* User data holds a comment as the TLV nft writes, NUL included. */
void udata_comment(const uint8_t *ud, uint32_t udlen, uint8_t type,
		   char *buf, size_t len)
{
	struct udata_find f = { .type = type };

	buf[0] = '\0';
	if (ud && nftnl_udata_parse(ud, udlen, udata_find_cb, &f) == 0 &&
	    f.found)
		snprintf(buf, len, "%.*s", (int)nftnl_udata_len(f.found) - 1,
			 (const char *)nftnl_udata_get(f.found));
}

static int no_table(struct fw_error *err)
{
	return fw_error_set(err, -ENOENT, "", "the network namespace holds "
			    "no table inet " RULESET_TABLE);
}

static void table_comment_copy(struct nftnl_table *t, char *buf, size_t len)
{
	const uint8_t *ud = NULL;
	uint32_t udlen = 0;

	if (nftnl_table_is_set(t, NFTNL_TABLE_USERDATA))
		ud = nftnl_table_get_data(t, NFTNL_TABLE_USERDATA, &udlen);
	udata_comment(ud, udlen, NFTNL_UDATA_TABLE_COMMENT, buf, len);
}

struct table_query {
	char *buf;
	size_t len;
	int found;
};

static int table_query_cb(const struct nlmsghdr *nlh, void *data)
{
	_cleanup_(nftnl_table_freep) struct nftnl_table *t = nftnl_table_alloc();
	struct table_query *q = data;

	if (!t) {
		errno = ENOMEM;
		return MNL_CB_ERROR;
	}
	if (nftnl_table_nlmsg_parse(nlh, t) == 0) {
		table_comment_copy(t, q->buf, q->len);
		q->found = 1;
	}
	return MNL_CB_OK;
}

int nl_table_comment(struct mnl_socket *nl, char *buf, size_t len,
		     struct fw_error *err)
{
	char msg[1024] = { 0 }, answer[1u << 13]; /* sent: no stack bytes */
	_cleanup_(nftnl_table_freep) struct nftnl_table *t = nftnl_table_alloc();
	struct table_query q = { .buf = buf, .len = len };
	uint32_t seq = 1, portid = mnl_socket_get_portid(nl);
	struct nlmsghdr *nlh;
	ssize_t n;
	int r;

	if (!t)
		return fw_error_set(err, -ENOMEM, "", "out of memory");
	nlh = nftnl_nlmsg_build_hdr(msg, NFT_MSG_GETTABLE, NFPROTO_INET,
				    NLM_F_ACK, seq);
	nftnl_table_set_str(t, NFTNL_TABLE_NAME, RULESET_TABLE);
	nftnl_table_nlmsg_build_payload(nlh, t);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return fw_error_set(err, -errno, "table inet " RULESET_TABLE,
				    "asking the kernel: %s", strerror(errno));
	/* Answered inside sendmsg(), like a batch: nothing to wait for. */
	do {
		n = recv(mnl_socket_get_fd(nl), answer, sizeof(answer),
			 MSG_DONTWAIT);
		r = n < 0 ? -1 : mnl_cb_run(answer, (size_t)n, seq, portid,
					    table_query_cb, &q);
	} while (r > 0);
	if (r < 0 && errno != ENOENT)
		return fw_error_set(err, -errno, "table inet " RULESET_TABLE,
				    "asking the kernel: %s", errno_meaning(errno));
	if (r < 0 || !q.found)
		return no_table(err);
	return 0;
}

/* The largest ruleset the hook loads (RULESET_MAX_ELEMS addresses) lists
 * in well under this: more is not the hook's table. */
#define NFT_DUMP_MAX_BYTES (256u << 20)

/* One listing of table inet oci_fw; a kernel without the table answers
 * ENOENT. */
static int dump(struct mnl_socket *nl, struct nlmsghdr *nlh, nl_dump_fn fn,
		void *data, const char *what, struct fw_error *err)
{
	struct nl_dump d = { .where = "table inet " RULESET_TABLE,
			     .what = what, .max_bytes = NFT_DUMP_MAX_BYTES,
			     .fn = fn, .data = data };
	int r = nl_dump(nl, nlh, &d, err);

	return r == -ENOENT ? no_table(err) : r;
}

struct set_dump {
	nl_set_fn fn;
	void *data;
};

static int set_dump_cb(const struct nlmsghdr *nlh, void *data)
{
	_cleanup_(nftnl_set_freep) struct nftnl_set *s = nftnl_set_alloc();
	struct set_dump *d = data;
	char comment[COMMENT_MAX + 1];
	struct nl_set_info info = { .comment = comment };
	const uint8_t *ud = NULL;
	uint32_t udlen = 0;

	if (!s)
		return -ENOMEM;
	if (nftnl_set_nlmsg_parse(nlh, s) < 0 ||
	    !nftnl_set_is_set(s, NFTNL_SET_NAME))
		return -EBADMSG;
	if (nftnl_set_is_set(s, NFTNL_SET_USERDATA))
		ud = nftnl_set_get_data(s, NFTNL_SET_USERDATA, &udlen);
	udata_comment(ud, udlen, NFTNL_UDATA_SET_COMMENT, comment,
		      sizeof(comment));
	info.name = nftnl_set_get_str(s, NFTNL_SET_NAME);
	info.flags = nftnl_set_get_u32(s, NFTNL_SET_FLAGS);
	info.keylen = nftnl_set_get_u32(s, NFTNL_SET_KEY_LEN);
	return d->fn(&info, d->data);
}

int nl_dump_sets(struct mnl_socket *nl, nl_set_fn fn, void *data,
		 struct fw_error *err)
{
	char msg[1024];
	_cleanup_(nftnl_set_freep) struct nftnl_set *s = nftnl_set_alloc();
	struct set_dump d = { .fn = fn, .data = data };
	struct nlmsghdr *nlh;

	if (!s)
		return fw_error_set(err, -ENOMEM, "", "out of memory");
	nlh = nftnl_nlmsg_build_hdr(msg, NFT_MSG_GETSET, NFPROTO_INET,
				    NLM_F_DUMP | NLM_F_ACK, 2);
	nftnl_set_set_str(s, NFTNL_SET_TABLE, RULESET_TABLE);
	nftnl_set_nlmsg_build_payload(nlh, s);
	return dump(nl, nlh, set_dump_cb, &d, "listing its sets", err);
}

struct rule_dump {
	nl_rule_fn fn;
	void *data;
};

static int rule_dump_cb(const struct nlmsghdr *nlh, void *data)
{
	_cleanup_(nftnl_rule_freep) struct nftnl_rule *rule = nftnl_rule_alloc();
	struct rule_dump *d = data;

	if (!rule)
		return -ENOMEM;
	if (nftnl_rule_nlmsg_parse(nlh, rule) < 0)
		return -EBADMSG;
	return d->fn(rule, d->data);
}

int nl_dump_rules(struct mnl_socket *nl, nl_rule_fn fn, void *data,
		  struct fw_error *err)
{
	char msg[1024];
	_cleanup_(nftnl_rule_freep) struct nftnl_rule *rule = nftnl_rule_alloc();
	struct rule_dump d = { .fn = fn, .data = data };
	struct nlmsghdr *nlh;

	if (!rule)
		return fw_error_set(err, -ENOMEM, "", "out of memory");
	nlh = nftnl_nlmsg_build_hdr(msg, NFT_MSG_GETRULE, NFPROTO_INET,
				    NLM_F_DUMP | NLM_F_ACK, 4);
	nftnl_rule_set_str(rule, NFTNL_RULE_TABLE, RULESET_TABLE);
	nftnl_rule_nlmsg_build_payload(nlh, rule);
	return dump(nl, nlh, rule_dump_cb, &d, "listing its rules", err);
}

/* One key of an interval set as the kernel lists it. */
struct elem_key {
	uint8_t key[KEY_MAX_LEN];
	bool end; /* INTERVAL_END: one past an interval */
};

struct elem_dump {
	struct nftnl_set *s;
	unsigned int keylen;
	bool interval;
	struct elem_key *v;
	size_t n, cap;
};

static int key_cmp(const void *a, const void *b)
{
	return memcmp(((const struct elem_key *)a)->key,
		      ((const struct elem_key *)b)->key, KEY_MAX_LEN);
}

static int elem_dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct elem_dump *d = data;

	return nftnl_set_elems_nlmsg_parse(nlh, d->s) < 0 ? -EBADMSG : 0;
}

static int collect_key(struct nftnl_set_elem *e, void *data)
{
	struct elem_dump *d = data;
	struct elem_key *v;
	const void *key;
	uint32_t len = 0;

	key = nftnl_set_elem_get(e, NFTNL_SET_ELEM_KEY, &len);
	if (!key || len != d->keylen)
		return -EINVAL;
	if (d->n == d->cap) { /* doubling: a set may hold millions */
		size_t cap = d->cap ? d->cap * 2 : 64;

		v = reallocarray(d->v, cap, sizeof(*v));
		if (!v)
			return -ENOMEM;
		d->v = v;
		d->cap = cap;
	}
	v = &d->v[d->n++];
	*v = (struct elem_key){ 0 };
	memcpy(v->key, key, len);
	v->end = nftnl_set_elem_is_set(e, NFTNL_SET_ELEM_FLAGS) &&
		 (nftnl_set_elem_get_u32(e, NFTNL_SET_ELEM_FLAGS) &
		  NFT_SET_ELEM_INTERVAL_END);
	return 0;
}

/* Start and end keys, sorted, give back the intervals batch.c wrote: an
 * end key is one past its interval; a start without one runs to the top.
 * A set without the interval flag holds single keys. */
static int keys_to_intervals(struct elem_dump *d, struct interval_list *ret)
{
	unsigned int len = d->keylen;
	int r = 0;

	if (d->n)
		qsort(d->v, d->n, sizeof(*d->v), key_cmp);
	for (size_t i = 0; r == 0 && i < d->n; i++) {
		uint8_t hi[KEY_MAX_LEN];

		if (d->v[i].end)
			continue;
		memset(hi, 0xff, sizeof(hi));
		if (!d->interval) {
			memcpy(hi, d->v[i].key, len);
		} else if (i + 1 < d->n && d->v[i + 1].end) {
			memcpy(hi, d->v[i + 1].key, len);
			for (int b = (int)len - 1; b >= 0 && hi[b]-- == 0; b--)
				;
		}
		r = interval_add(ret, d->v[i].key, hi);
	}
	return r;
}

/* The elements of `set` into d->s. */
static int dump_elements(struct mnl_socket *nl, const char *set,
			 struct elem_dump *d, struct fw_error *err)
{
	char msg[1024], what[128];
	struct nlmsghdr *nlh;

	if (!d->s)
		return fw_error_set(err, -ENOMEM, "", "out of memory");
	nftnl_set_set_str(d->s, NFTNL_SET_TABLE, RULESET_TABLE);
	nftnl_set_set_str(d->s, NFTNL_SET_NAME, set);
	nlh = nftnl_nlmsg_build_hdr(msg, NFT_MSG_GETSETELEM, NFPROTO_INET,
				    NLM_F_DUMP | NLM_F_ACK, 3);
	nftnl_set_elems_nlmsg_build_payload(nlh, d->s);
	snprintf(what, sizeof(what), "listing set %s", set);
	return dump(nl, nlh, elem_dump_cb, d, what, err);
}

int nl_set_elements(struct mnl_socket *nl, const char *set, bool interval,
		    struct interval_list *ret, struct fw_error *err)
{
	_cleanup_(nftnl_set_freep) struct nftnl_set *s = nftnl_set_alloc();
	struct elem_dump d = { .s = s, .keylen = ret->keylen,
			       .interval = interval };
	int r;

	r = dump_elements(nl, set, &d, err);
	if (r < 0)
		return r;
	r = nftnl_set_elem_foreach(s, collect_key, &d);
	if (r == 0)
		r = keys_to_intervals(&d, ret);
	free(d.v);
	if (r < 0)
		return fw_error_set(err, r, "table inet " RULESET_TABLE,
				    "listing set %s: %s", set, r == -EINVAL
				    ? "an element is not the set's key length"
				    : strerror(-r));
	return 0;
}

struct elem_walk {
	nl_elem_fn fn;
	void *data;
};

static int walk_elem(struct nftnl_set_elem *e, void *data)
{
	struct elem_walk *w = data;
	char comment[COMMENT_MAX + 1];
	struct nl_elem_info info = { .comment = comment };
	const uint8_t *ud = NULL;
	uint32_t udlen = 0;

	info.key = nftnl_set_elem_get(e, NFTNL_SET_ELEM_KEY, &info.keylen);
	if (nftnl_set_elem_is_set(e, NFTNL_SET_ELEM_EXPIRATION))
		info.expires_ms = nftnl_set_elem_get_u64(e,
						NFTNL_SET_ELEM_EXPIRATION);
	if (nftnl_set_elem_is_set(e, NFTNL_SET_ELEM_USERDATA))
		ud = nftnl_set_elem_get(e, NFTNL_SET_ELEM_USERDATA, &udlen);
	info.end = nftnl_set_elem_is_set(e, NFTNL_SET_ELEM_FLAGS) &&
		   (nftnl_set_elem_get_u32(e, NFTNL_SET_ELEM_FLAGS) &
		    NFT_SET_ELEM_INTERVAL_END);
	udata_comment(ud, udlen, NFTNL_UDATA_SET_ELEM_COMMENT, comment,
		      sizeof(comment));
	return info.key ? w->fn(&info, w->data) : -EINVAL;
}

int nl_dump_elements(struct mnl_socket *nl, const char *set, nl_elem_fn fn,
		     void *data, struct fw_error *err)
{
	_cleanup_(nftnl_set_freep) struct nftnl_set *s = nftnl_set_alloc();
	struct elem_dump d = { .s = s };
	struct elem_walk w = { fn, data };
	int r;

	r = dump_elements(nl, set, &d, err);
	if (r < 0)
		return r;
	r = nftnl_set_elem_foreach(s, walk_elem, &w);
	return r < 0 ? fw_error_set(err, r, "table inet " RULESET_TABLE,
				    "listing set %s: %s", set, strerror(-r))
		     : 0;
}
