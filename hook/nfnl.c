// SPDX-License-Identifier: GPL-2.0-or-later
/* nfnetlink's queue and log subsystems: their messages, as libmnl builds
 * them, and their acked configuration. */
#include <arpa/inet.h>
#include <errno.h>
#include <sys/socket.h>
#include <linux/netfilter/nfnetlink.h>

#include "nfnl.h"

struct nlmsghdr *nfnl_msg(char *buf, uint8_t subsys, uint16_t type,
			  uint16_t res_id)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nfgenmsg *g;

	nlh->nlmsg_type = (uint16_t)(subsys << 8 | type);
	nlh->nlmsg_flags = NLM_F_REQUEST;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->nfgen_family = AF_UNSPEC;
	g->version = NFNETLINK_V0;
	g->res_id = htons(res_id);
	return nlh;
}

int nfnl_config(struct mnl_socket *nl, struct nlmsghdr *nlh)
{
	char buf[8192];
	ssize_t n;

	nlh->nlmsg_flags |= NLM_F_ACK;
	nlh->nlmsg_seq = 1;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
	if (n < 0)
		return -errno;
	return mnl_cb_run(buf, (size_t)n, 1, mnl_socket_get_portid(nl), NULL,
			  NULL) < 0 ? -errno : 0;
}
