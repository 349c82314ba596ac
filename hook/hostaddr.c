// SPDX-License-Identifier: GPL-2.0-or-later
/* The addresses of the runtime's network namespace: part of `host`. */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>

#include "hostaddr.h"
#include "nldump.h"

#define DUMP_SEQ 1
/* Some 100 bytes an address: HOSTADDR_MAX of them, with room. */
#define DUMP_MAX_BYTES (HOSTADDR_MAX * 256u)

struct addr_lists {
	struct interval_list *v4, *v6;
	size_t n;
};

static bool is_loopback(int family, const uint8_t *a)
{
	return family == AF_INET ? a[0] == 127
				 : memcmp(a, &in6addr_loopback, 16) == 0;
}

/* IFA_LOCAL is an IPv4 interface's own address (IFA_ADDRESS is the peer's
 * on a point-to-point link); IPv6 has only IFA_ADDRESS. */
static int addr_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	struct addr_lists *l = data;
	const struct nlattr *a, *found = NULL;
	size_t len;

	if (nlh->nlmsg_type != RTM_NEWADDR)
		return 0;
	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ifa)))
		return -EBADMSG;
	if (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6)
		return 0;
	mnl_attr_for_each(a, nlh, sizeof(*ifa))
		if (mnl_attr_get_type(a) == IFA_LOCAL ||
		    (mnl_attr_get_type(a) == IFA_ADDRESS && !found))
			found = a;
	if (!found)
		return 0;
	len = mnl_attr_get_payload_len(found);
	if (len != (ifa->ifa_family == AF_INET ? 4u : 16u))
		return -EBADMSG;
	if (is_loopback(ifa->ifa_family, mnl_attr_get_payload(found)))
		return 0;
	if (++l->n > HOSTADDR_MAX)
		return -E2BIG;
	return interval_add(ifa->ifa_family == AF_INET ? l->v4 : l->v6,
			    mnl_attr_get_payload(found),
			    mnl_attr_get_payload(found));
}

int host_addresses_read(struct interval_list *v4, struct interval_list *v6,
			struct fw_error *err)
{
	char req[MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct ifaddrmsg))];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
	struct addr_lists l = { .v4 = v4, .v6 = v6 };
	struct nl_dump d = { .what = "reading the addresses of the runtime's "
				     "network namespace (for \"host\")",
			     .max_bytes = DUMP_MAX_BYTES, .fn = addr_cb,
			     .data = &l };
	struct ifaddrmsg *ifa;
	struct mnl_socket *nl;
	int r;

	nlh->nlmsg_type = RTM_GETADDR;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = DUMP_SEQ;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_UNSPEC;
	nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		r = fw_error_set(err, -errno, "", "opening a route netlink "
				 "socket: %s", strerror(errno));
	else
		r = nl_dump(nl, nlh, &d, err);
	if (nl)
		mnl_socket_close(nl);
	if (r == -E2BIG && l.n > HOSTADDR_MAX)
		r = fw_error_set(err, r, "", "the runtime's network namespace "
				 "has more than %d addresses (for \"host\")",
				 HOSTADDR_MAX);
	return r;
}
