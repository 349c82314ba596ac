// SPDX-License-Identifier: GPL-2.0-or-later
/* Two scratch network namespaces joined by a veth, and datagrams between
 * them: doctor's proof that a loaded firewall refuses packets. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>

#include "cleanup.h"
#include "probe.h"

#define SELF_IF "doctor0"
#define PEER_IF "doctor1"
/* A request of a few attributes, or an ack that quotes one. */
#define RTNL_BUF 4096

/* One request, its ack: 0 or -errno. */
static int rtnl_send_ack(struct mnl_socket *nl, struct nlmsghdr *nlh)
{
	char buf[RTNL_BUF];
	ssize_t n;

	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
	if (n < 0 || mnl_cb_run(buf, (size_t)n, nlh->nlmsg_seq, 0, NULL,
				NULL) < 0)
		return -errno;
	return 0;
}

static int rtnl_talk(struct nlmsghdr *nlh, struct fw_error *err)
{
	struct mnl_socket *nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	int r = nl ? 0 : -errno;

	nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = 1;
	if (nl) {
		r = rtnl_send_ack(nl, nlh);
		mnl_socket_close(nl);
	}
	return r < 0 ? fw_error_set(err, r, "scratch namespace",
				    "rtnetlink: %s", strerror(-r)) : 0;
}

/* ip link add SELF_IF up type veth peer name PEER_IF netns PEER: the
 * peer cannot come up in the same message (its own half is not linked
 * yet when the kernel configures it: ENOTCONN). */
static int veth_add(int peer_ns, struct fw_error *err)
{
	char buf[RTNL_BUF];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlattr *info, *data, *peer;
	struct ifinfomsg *ifm;

	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_flags = ifm->ifi_change = IFF_UP;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, SELF_IF);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	peer = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	/* The peer's own ifinfomsg comes first in its nest. */
	mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	mnl_attr_put_strz(nlh, IFLA_IFNAME, PEER_IF);
	mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)peer_ns);
	mnl_attr_nest_end(nlh, peer);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	return rtnl_talk(nlh, err);
}

static int if_index(const char *ifname, unsigned int *ret,
		    struct fw_error *err)
{
	*ret = if_nametoindex(ifname);
	return *ret ? 0 : fw_error_set(err, -errno, "scratch namespace",
				       "%s: %s", ifname, strerror(errno));
}

/* ip link set IFNAME up, in the current namespace */
static int link_up(const char *ifname, struct fw_error *err)
{
	char buf[RTNL_BUF];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifm;
	unsigned int idx;
	int r = if_index(ifname, &idx, err);

	nlh->nlmsg_type = RTM_NEWLINK;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_index = (int)idx;
	ifm->ifi_flags = ifm->ifi_change = IFF_UP;
	return r < 0 ? r : rtnl_talk(nlh, err);
}

/* ip addr add ADDR/24 dev IFNAME, in the current namespace */
static int addr_add(const char *ifname, const char *addr,
		    struct fw_error *err)
{
	char buf[RTNL_BUF];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa;
	struct in_addr in;
	unsigned int idx;
	int r = if_index(ifname, &idx, err);

	nlh->nlmsg_type = RTM_NEWADDR;
	nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = 24;
	ifa->ifa_index = idx;
	inet_pton(AF_INET, addr, &in);
	mnl_attr_put(nlh, IFA_LOCAL, sizeof(in), &in);
	mnl_attr_put(nlh, IFA_ADDRESS, sizeof(in), &in);
	return r < 0 ? r : rtnl_talk(nlh, err);
}

static struct sockaddr_in sin_of(const char *addr)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };

	inet_pton(AF_INET, addr, &sin.sin_addr);
	return sin;
}

/* An unbound socket to send, one bound to `addr` to receive. */
static int sockets_open(const char *addr, int *tx, int *rx,
			struct fw_error *err)
{
	struct sockaddr_in sin = sin_of(addr);

	*tx = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	*rx = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (*tx < 0 || *rx < 0 ||
	    bind(*rx, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		return fw_error_set(err, -errno, "scratch namespace",
				    "a UDP socket on %s: %s", addr,
				    strerror(errno));
	return 0;
}

static int ns_here(int *ret, struct fw_error *err)
{
	if (unshare(CLONE_NEWNET) < 0)
		return fw_error_set(err, -errno, "scratch namespace",
				    "unshare(CLONE_NEWNET): %s", strerror(errno));
	*ret = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (*ret < 0)
		return fw_error_set(err, -errno, "scratch namespace",
				    "/proc/self/ns/net: %s", strerror(errno));
	return 0;
}

static int ns_enter(int fd, struct fw_error *err)
{
	if (setns(fd, CLONE_NEWNET) < 0)
		return fw_error_set(err, -errno, "scratch namespace",
				    "setns: %s", strerror(errno));
	return 0;
}

int probe_setup(struct probe *p, struct fw_error *err)
{
	int r;

	*p = (struct probe){ -1, -1, -1, -1, -1, -1 };
	r = ns_here(&p->peer_ns, err);
	if (r == 0)
		r = ns_here(&p->self_ns, err);
	if (r == 0)
		r = veth_add(p->peer_ns, err);
	if (r == 0)
		r = addr_add(SELF_IF, PROBE_SELF_ADDR, err);
	if (r == 0)
		r = sockets_open(PROBE_SELF_ADDR, &p->self_tx, &p->self_rx, err);
	if (r == 0)
		r = ns_enter(p->peer_ns, err);
	if (r == 0)
		r = link_up(PEER_IF, err);
	if (r == 0)
		r = addr_add(PEER_IF, PROBE_PEER_ADDR, err);
	if (r == 0)
		r = sockets_open(PROBE_PEER_ADDR, &p->peer_tx, &p->peer_rx, err);
	return r < 0 ? r : ns_enter(p->self_ns, err);
}

/* From `tx` to where `rx` is bound; a payload of its own each time, so
 * that a late copy of an earlier one does not count. */
static int send_one(int tx, int rx, int timeout_ms)
{
	static unsigned int serial;
	struct sockaddr_in to;
	socklen_t len = sizeof(to);
	char msg[32], got[32];
	struct pollfd pfd = { .fd = rx, .events = POLLIN };
	ssize_t n;

	snprintf(msg, sizeof(msg), "oci-fw-hook doctor %u", ++serial);
	if (getsockname(rx, (struct sockaddr *)&to, &len) < 0 ||
	    sendto(tx, msg, strlen(msg), 0, (struct sockaddr *)&to, len) < 0)
		return -errno;
	while (poll(&pfd, 1, timeout_ms) == 1) {
		n = recv(rx, got, sizeof(got), 0);
		if (n == (ssize_t)strlen(msg) && memcmp(got, msg, (size_t)n) == 0)
			return 0;
	}
	return -ETIMEDOUT;
}

int probe_egress(const struct probe *p, int timeout_ms)
{
	return send_one(p->self_tx, p->peer_rx, timeout_ms);
}

int probe_ingress(const struct probe *p, int timeout_ms)
{
	return send_one(p->peer_tx, p->self_rx, timeout_ms);
}

void probe_close(struct probe *p)
{
	int *fds[] = { &p->self_ns, &p->peer_ns, &p->self_rx,
		       &p->self_tx, &p->peer_rx, &p->peer_tx };

	for (size_t i = 0; i < ARRAY_SIZE(fds); i++)
		closep(fds[i]);
}
