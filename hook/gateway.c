// SPDX-License-Identifier: GPL-2.0-or-later
/* The default-route gateways of the current network namespace. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>

#include "gateway.h"
#include "nldump.h"

/* Any nonzero value: libmnl checks the answers' sequence only when it is. */
#define DUMP_SEQ 1
/* A routing table larger than this (some 200,000 routes) is no container's:
 * stop rather than read without end. */
#define DUMP_MAX_BYTES (32u << 20)

struct gw_lists {
	struct interval_list *v4, *v6;
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

/* Default routes of the main table; the rest is no container's gateway. */
static int route_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);

	if (nlh->nlmsg_type != RTM_NEWROUTE)
		return 0;
	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*rtm)))
		return -EBADMSG;
	if ((rtm->rtm_family != AF_INET && rtm->rtm_family != AF_INET6) ||
	    rtm->rtm_dst_len != 0 || route_table(nlh, rtm) != RT_TABLE_MAIN)
		return 0;
	return route_gateways(data, nlh, rtm);
}

static int routes_dump(struct mnl_socket *nl, struct gw_lists *g,
		       struct fw_error *err)
{
	char req[MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct rtmsg))];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
	struct nl_dump d = { .what = "reading the routes of the container's "
				     "network namespace",
			     .max_bytes = DUMP_MAX_BYTES, .fn = route_cb,
			     .data = g };
	struct rtmsg *rtm;

	nlh->nlmsg_type = RTM_GETROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = DUMP_SEQ;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_UNSPEC;
	return nl_dump(nl, nlh, &d, err);
}

int gateways_read(struct interval_list *v4, struct interval_list *v6,
		  struct fw_error *err)
{
	struct gw_lists g = { .v4 = v4, .v6 = v6 };
	struct mnl_socket *nl;
	int r;

	nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		r = fw_error_set(err, -errno, "", "opening a route netlink "
				 "socket: %s", strerror(errno));
	else
		r = routes_dump(nl, &g, err);
	if (nl)
		mnl_socket_close(nl);
	return r;
}
