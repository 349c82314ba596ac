// SPDX-License-Identifier: GPL-2.0-or-later
/* nfnetlink_queue, spoken with libmnl: bind a queue, read packets, say
 * verdicts. */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_queue.h>

#include "nfnl.h"
#include "nfqueue.h"

#define NFQ_COPY_MAX 0xffff

static int nfq_bind(struct mnl_socket *nl, uint16_t num)
{
	char buf[256];
	struct nfqnl_msg_config_cmd cmd = { .command = NFQNL_CFG_CMD_BIND };
	struct nfqnl_msg_config_params params = {
		.copy_range = htonl(NFQ_COPY_MAX), .copy_mode = NFQNL_COPY_PACKET
	};
	struct nlmsghdr *nlh = nfnl_msg(buf, NFNL_SUBSYS_QUEUE,
					NFQNL_MSG_CONFIG, num);
	int r;

	mnl_attr_put(nlh, NFQA_CFG_CMD, sizeof(cmd), &cmd);
	r = nfnl_config(nl, nlh);
	if (r < 0)
		return r;
	nlh = nfnl_msg(buf, NFNL_SUBSYS_QUEUE, NFQNL_MSG_CONFIG, num);
	mnl_attr_put(nlh, NFQA_CFG_PARAMS, sizeof(params), &params);
	/* no NFQA_CFG_F_FAIL_OPEN: a full queue drops */
	mnl_attr_put_u32(nlh, NFQA_CFG_MASK, htonl(NFQA_CFG_F_FAIL_OPEN));
	mnl_attr_put_u32(nlh, NFQA_CFG_FLAGS, 0);
	return nfnl_config(nl, nlh);
}

int nfq_open(uint16_t num, struct mnl_socket **ret, struct fw_error *err)
{
	struct mnl_socket *nl = mnl_socket_open2(NETLINK_NETFILTER, SOCK_CLOEXEC);
	int r;

	if (!nl)
		return fw_error_set(err, -errno, "", "opening a netlink socket "
				    "for the DNS queue: %s", strerror(errno));
	r = mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0 ? -errno : 0;
	if (r == 0)
		r = nfq_bind(nl, num);
	if (r < 0) {
		mnl_socket_close(nl);
		return fw_error_set(err, r, "", "binding NFQUEUE %u: %s", num,
				    strerror(-r));
	}
	*ret = nl;
	return 0;
}

struct nfq_walk {
	nfq_packet_fn fn;
	void *data;
};

static int attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;

	if (mnl_attr_type_valid(a, NFQA_MAX) > 0)
		tb[mnl_attr_get_type(a)] = a;
	return MNL_CB_OK;
}

static int packet_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[NFQA_MAX + 1] = { 0 };
	const struct nfq_walk *w = data;
	const struct nfqnl_msg_packet_hdr *ph;
	struct nfq_packet p;

	if (NFNL_MSG_TYPE(nlh->nlmsg_type) != NFQNL_MSG_PACKET ||
	    mnl_attr_parse(nlh, sizeof(struct nfgenmsg), attr_cb, tb) < 0 ||
	    !tb[NFQA_PACKET_HDR] ||
	    mnl_attr_get_payload_len(tb[NFQA_PACKET_HDR]) < sizeof(*ph))
		return MNL_CB_OK;
	ph = mnl_attr_get_payload(tb[NFQA_PACKET_HDR]);
	p.id = ntohl(ph->packet_id);
	p.payload = tb[NFQA_PAYLOAD] ? mnl_attr_get_payload(tb[NFQA_PAYLOAD])
				     : NULL;
	p.len = tb[NFQA_PAYLOAD] ? mnl_attr_get_payload_len(tb[NFQA_PAYLOAD])
				 : 0;
	w->fn(&p, w->data);
	return MNL_CB_OK;
}

int nfq_receive(struct mnl_socket *nl, void *buf, size_t len,
		nfq_packet_fn fn, void *data)
{
	struct nfq_walk w = { fn, data };
	ssize_t n = recv(mnl_socket_get_fd(nl), buf, len, MSG_DONTWAIT);

	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	if (mnl_cb_run(buf, (size_t)n, 0, 0, packet_cb, &w) < 0 &&
	    errno != ENOENT)
		return -errno;
	return 0;
}

int nfq_verdict(struct mnl_socket *nl, uint16_t num, uint32_t id,
		uint32_t verdict)
{
	char buf[128];
	struct nfqnl_msg_verdict_hdr vh = { .verdict = htonl(verdict),
					    .id = htonl(id) };
	struct nlmsghdr *nlh = nfnl_msg(buf, NFNL_SUBSYS_QUEUE,
					NFQNL_MSG_VERDICT, num);

	mnl_attr_put(nlh, NFQA_VERDICT_HDR, sizeof(vh), &vh);
	return mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0 ? -errno : 0;
}
