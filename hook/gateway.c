// SPDX-License-Identifier: GPL-2.0-or-later
/* The default-route gateways of the current network namespace. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>

#include "cleanup.h"
#include "gateway.h"

/* Any nonzero value: libmnl checks the answers' sequence only when it is. */
#define DUMP_SEQ 1
/* A routing table larger than this (some 200,000 routes) is no container's:
 * stop rather than read without end. */
#define DUMP_MAX_BYTES (32u << 20)

struct gw_lists {
	struct interval_list *v4, *v6;
	int error; /* why route_cb() stopped the dump */
};

/* An address of `family`; other families (MPLS via) are no IP gateway. */
static int gw_add(struct gw_lists *g, int family, const void *addr, size_t len)
{
	if (family != AF_INET && family != AF_INET6)
		return 0;
	if (len != (family == AF_INET ? 4u : 16u))
		return -EBADMSG;
	return interval_add(family == AF_INET ? g->v4 : g->v6, addr, addr);
}

/* RTA_GATEWAY has the route's family; RTA_VIA names its own. */
static int gw_attr(struct gw_lists *g, int family, const struct nlattr *a)
{
	const void *payload = mnl_attr_get_payload(a);
	const struct rtvia *via = payload;
	size_t len = mnl_attr_get_payload_len(a);

	switch (mnl_attr_get_type(a)) {
	case RTA_GATEWAY:
		return gw_add(g, family, payload, len);
	case RTA_VIA:
		if (len < sizeof(via->rtvia_family))
			return -EBADMSG;
		return gw_add(g, via->rtvia_family, via->rtvia_addr,
			      len - sizeof(via->rtvia_family));
	}
	return 0;
}

/* The attributes after one struct rtnexthop; libmnl 1.0.4's
 * mnl_attr_for_each_payload() does not compile, hence the loop. */
static int gw_nexthop(struct gw_lists *g, int family,
		      const struct rtnexthop *nh)
{
	const char *start = (const char *)nh + RTNH_LENGTH(0);
	const char *end = (const char *)nh + nh->rtnh_len;
	const struct nlattr *a;
	int r;

	for (a = (const struct nlattr *)start;
	     mnl_attr_ok(a, (int)(end - (const char *)a));
	     a = mnl_attr_next(a)) {
		r = gw_attr(g, family, a);
		if (r < 0)
			return r;
	}
	return 0;
}

/* RTA_MULTIPATH: struct rtnexthop, each followed by its own attributes. */
static int gw_multipath(struct gw_lists *g, int family, const struct nlattr *mp)
{
	const char *p = mnl_attr_get_payload(mp);
	size_t rest = mnl_attr_get_payload_len(mp);
	int r;

	while (rest >= sizeof(struct rtnexthop)) {
		const struct rtnexthop *nh = (const struct rtnexthop *)p;
		size_t step = RTNH_ALIGN((size_t)nh->rtnh_len);

		if (nh->rtnh_len < RTNH_LENGTH(0) || nh->rtnh_len > rest)
			return -EBADMSG;
		r = gw_nexthop(g, family, nh);
		if (r < 0)
			return r;
		if (step >= rest)
			break;
		p += step;
		rest -= step;
	}
	return 0;
}

/* RTA_TABLE holds ids above 255; rtm_table has the rest (and main, 254). */
static uint32_t route_table(const struct nlmsghdr *nlh, const struct rtmsg *rtm)
{
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(*rtm)) {
		if (mnl_attr_get_type(a) == RTA_TABLE &&
		    mnl_attr_validate(a, MNL_TYPE_U32) == 0)
			return mnl_attr_get_u32(a);
	}
	return rtm->rtm_table;
}

static int route_gateways(struct gw_lists *g, const struct nlmsghdr *nlh,
			  const struct rtmsg *rtm)
{
	const struct nlattr *a;
	int r;

	mnl_attr_for_each(a, nlh, sizeof(*rtm)) {
		if (mnl_attr_get_type(a) == RTA_MULTIPATH)
			r = gw_multipath(g, rtm->rtm_family, a);
		else
			r = gw_attr(g, rtm->rtm_family, a);
		if (r < 0)
			return r;
	}
	return 0;
}

static int dump_fail(struct gw_lists *g, int e)
{
	g->error = e;
	errno = -e;
	return MNL_CB_ERROR;
}

/* The kernel marks the messages of a dump during which the routes changed:
 * what was read may be neither the old table nor the new one. */
static int route_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	struct gw_lists *g = data;
	int r;

	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		return dump_fail(g, -EINTR);
	if (nlh->nlmsg_type != RTM_NEWROUTE)
		return MNL_CB_OK;
	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*rtm)))
		return dump_fail(g, -EBADMSG);
	if ((rtm->rtm_family != AF_INET && rtm->rtm_family != AF_INET6) ||
	    rtm->rtm_dst_len != 0 || route_table(nlh, rtm) != RT_TABLE_MAIN)
		return MNL_CB_OK;
	r = route_gateways(g, nlh, rtm);
	return r < 0 ? dump_fail(g, r) : MNL_CB_OK;
}

/* NLMSG_ERROR and NLMSG_DONE both start with an errno, 0 when all went
 * well.  libmnl's own NLMSG_DONE handler ignores it, which would take a
 * dump that failed part-way for a whole one. */
static int control_cb(const struct nlmsghdr *nlh, void *data)
{
	const int *e = mnl_nlmsg_get_payload(nlh);
	struct gw_lists *g = data;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e)))
		return dump_fail(g, -EBADMSG);
	if (*e != 0)
		return dump_fail(g, *e < 0 ? *e : -EPROTO);
	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		return dump_fail(g, -EINTR);
	return MNL_CB_STOP;
}

static mnl_cb_t control_cbs[NLMSG_MIN_TYPE] = {
	[NLMSG_ERROR] = control_cb,
	[NLMSG_DONE] = control_cb,
};

static int routes_dump(struct mnl_socket *nl, struct gw_lists *g)
{
	char buf[1u << 15];
	char req[MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct rtmsg))];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
	unsigned int portid = mnl_socket_get_portid(nl);
	size_t total = 0;
	struct rtmsg *rtm;
	ssize_t n;
	int r;

	nlh->nlmsg_type = RTM_GETROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = DUMP_SEQ;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_UNSPEC;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EPROTO;
		total += (size_t)n;
		if (total > DUMP_MAX_BYTES)
			return -EFBIG;
		r = mnl_cb_run2(buf, (size_t)n, DUMP_SEQ, portid, route_cb, g,
				control_cbs, ARRAY_SIZE(control_cbs));
	} while (r > 0);
	if (r < 0)
		return g->error ? g->error : -errno;
	return 0;
}

static const char *dump_error_meaning(int e)
{
	switch (e) {
	case EFBIG:
		return "more than 32 MiB of routes";
	case EINTR:
		return "the routes changed while being read";
	case EBADMSG:
		return "the kernel sent a malformed route";
	default:
		return strerror(e);
	}
}

int gateways_read(struct interval_list *v4, struct interval_list *v6,
		  struct fw_error *err)
{
	struct gw_lists g = { .v4 = v4, .v6 = v6 };
	struct mnl_socket *nl;
	int r;

	nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!nl)
		r = -errno;
	else if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		r = -errno;
	else
		r = routes_dump(nl, &g);
	if (nl)
		mnl_socket_close(nl);
	if (r < 0)
		return fw_error_set(err, r, "",
				    "reading the routes of the container's "
				    "network namespace: %s",
				    dump_error_meaning(-r));
	return 0;
}
