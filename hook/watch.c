// SPDX-License-Identifier: GPL-2.0-or-later
/* watch: what a running container's firewall blocks, as it happens. */
#include <arpa/inet.h>
#include <errno.h>
#include <json-c/json.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_log.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "confine.h"
#include "netlink.h"
#include "netns.h"
#include "nfnl.h"
#include "policy.h"
#include "watch.h"

/*
 * DOC: watch
 *
 * Every blocking rule sends what it blocks to NFLOG group WATCH_GROUP
 * (names.h) before its verdict, in the same rule: a rule of its own would
 * look the rule's sets up a second time for every packet, and a rate limit
 * cannot share a rule with a verdict (over the rate it would end the rule
 * before the verdict).  So every blocked packet comes, and a flood fills
 * the socket's buffer: the kernel drops what does not fit (ENOBUFS here,
 * passed over).  An NFLOG group belongs to a network namespace: watch binds it inside the
 * container's, so nothing reaches the host's log and no host sysctl
 * (net.netfilter.nf_log_all_netns) is involved.  One listener per group
 * and namespace: a second watch is refused with EBUSY.  Without a
 * listener the kernel finds no instance for the group and the packet goes
 * on to its verdict.
 */

/* What watch copies of a packet: the IP header and the first bytes of
 * the transport header, IPv6 extension headers included. */
#define WATCH_COPY_RANGE 256

/* The network and transport headers of the packet NFLOG copied. */
static int decode_ip(const uint8_t *p, size_t len, struct watch_event *ev,
		     const uint8_t **ret_l4, size_t *ret_l4len)
{
	size_t off;

	if (len >= 20 && p[0] >> 4 == 4) {
		off = (size_t)(p[0] & 0xf) * 4;
		if (off < 20 || off > len)
			return -EINVAL;
		ev->family = AF_INET;
		ev->proto = p[9];
		inet_ntop(AF_INET, p + 12, ev->src, sizeof(ev->src));
		inet_ntop(AF_INET, p + 16, ev->dst, sizeof(ev->dst));
	} else if (len >= 40 && p[0] >> 4 == 6) {
		uint8_t next = p[6];

		off = 40;
		/* Hop-by-hop, routing, fragment, destination options. */
		for (int i = 0; i < 8 && (next == 0 || next == 43 ||
					  next == 44 || next == 60); i++) {
			uint8_t hdr = next;

			if (off + 8 > len)
				return -EINVAL;
			next = p[off];
			off += hdr == 44 ? 8 : (size_t)(p[off + 1] + 1) * 8;
		}
		ev->family = AF_INET6;
		ev->proto = next;
		inet_ntop(AF_INET6, p + 8, ev->src, sizeof(ev->src));
		inet_ntop(AF_INET6, p + 24, ev->dst, sizeof(ev->dst));
	} else {
		return -EINVAL;
	}
	*ret_l4 = p + off;
	*ret_l4len = off <= len ? len - off : 0;
	return 0;
}

int watch_decode(const char *prefix, const uint8_t *pkt, size_t len,
		 struct watch_event *ret)
{
	struct watch_event ev = { 0 };
	const uint8_t *l4 = NULL;
	const char *path;
	size_t l4len = 0;
	int r;

	r = watch_prefix_parse(prefix, &ev.action, &path);
	if (r == 0)
		r = decode_ip(pkt, len, &ev, &l4, &l4len);
	if (r < 0)
		return r;
	snprintf(ev.path, sizeof(ev.path), "%s", path);
	if (proto_has_ports(ev.proto) && l4len >= 4) {
		ev.has_ports = true;
		ev.sport = (uint16_t)(l4[0] << 8 | l4[1]);
		ev.dport = (uint16_t)(l4[2] << 8 | l4[3]);
	} else if ((ev.proto == IPPROTO_ICMP || ev.proto == IPPROTO_ICMPV6) &&
		   l4len >= 2) {
		ev.has_icmp = true;
		ev.icmp_type = l4[0];
		ev.icmp_code = l4[1];
	}
	*ret = ev;
	return 0;
}

/* Local time, to the millisecond: tzset() ran before the filter. */
static void now_text(char *buf, size_t len)
{
	struct timespec ts;
	struct tm tm;
	char zone[8];
	size_t n;

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	strftime(zone, sizeof(zone), "%z", &tm);
	snprintf(buf + n, len - n, ".%03ld%s", ts.tv_nsec / 1000000, zone);
}

static int print_json(const struct watch_event *ev, const char *when,
		      const char *proto, FILE *out)
{
	json_object *o = json_object_new_object();
	int r = o ? 0 : -1;

#define ADD(k, v) (r = r < 0 ? r : json_object_object_add(o, k, v))
	ADD("time", json_object_new_string(when));
	ADD("rule", json_object_new_string(ev->path));
	ADD("action", json_object_new_string(watch_action_names[ev->action]));
	ADD("proto", json_object_new_string(proto));
	ADD("src", json_object_new_string(ev->src));
	ADD("dst", json_object_new_string(ev->dst));
	if (ev->has_ports) {
		ADD("sport", json_object_new_int(ev->sport));
		ADD("dport", json_object_new_int(ev->dport));
	}
	if (ev->has_icmp) {
		ADD("icmp_type", json_object_new_int(ev->icmp_type));
		ADD("icmp_code", json_object_new_int(ev->icmp_code));
	}
#undef ADD
	if (r == 0)
		fprintf(out, "%s\n", json_object_to_json_string_ext(
					     o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
	return r < 0 ? -ENOMEM : 0;
}

int watch_print(const struct watch_event *ev, bool json, FILE *out)
{
	char when[48], proto[PROTO_NAME_MAX];
	bool v6 = ev->family == AF_INET6;

	proto_format(ev->proto, proto);
	now_text(when, sizeof(when));
	if (json && print_json(ev, when, proto, out) < 0)
		return -ENOMEM;
	if (!json && ev->has_ports)
		fprintf(out, "%s %s %s %s %s%s%s:%u -> %s%s%s:%u\n", when,
			ev->path, watch_action_names[ev->action], proto,
			v6 ? "[" : "", ev->src, v6 ? "]" : "", ev->sport,
			v6 ? "[" : "", ev->dst, v6 ? "]" : "", ev->dport);
	else if (!json)
		fprintf(out, "%s %s %s %s %s -> %s%s\n", when, ev->path,
			watch_action_names[ev->action], proto, ev->src, ev->dst,
			ev->has_icmp ? (ev->icmp_type == 8 || ev->icmp_type ==
					128 ? " (echo request)" : "") : "");
	return fflush(out) == 0 ? 0 : -EIO;
}

/* One config message to group WATCH_GROUP: bind it, copy the headers,
 * send each packet at once (a queue threshold of one). */
static int nflog_bind(struct mnl_socket *nl, struct fw_error *err)
{
	char buf[1024];
	struct nlmsghdr *nlh = nfnl_msg(buf, NFNL_SUBSYS_ULOG,
					NFULNL_MSG_CONFIG, WATCH_GROUP);
	struct nfulnl_msg_config_cmd cmd = { .command = NFULNL_CFG_CMD_BIND };
	struct nfulnl_msg_config_mode mode = {
		.copy_range = htonl(WATCH_COPY_RANGE),
		.copy_mode = NFULNL_COPY_PACKET,
	};
	int r;

	mnl_attr_put(nlh, NFULA_CFG_CMD, sizeof(cmd), &cmd);
	mnl_attr_put(nlh, NFULA_CFG_MODE, sizeof(mode), &mode);
	mnl_attr_put_u32(nlh, NFULA_CFG_QTHRESH, htonl(1));
	r = nfnl_config(nl, nlh);
	if (r == 0)
		return 0;
	/* The kernel says EPERM for a group another socket holds. */
	if (r == -EPERM)
		return fw_error_set(err, -EBUSY, "", "NFLOG group %d of the "
				    "container's network namespace has a "
				    "listener already (another watch?), or "
				    "this process may not administer it",
				    WATCH_GROUP);
	return fw_error_set(err, r, "", "binding NFLOG group %d: %s",
			    WATCH_GROUP, strerror(-r));
}

struct nflog_record {
	const char *prefix;
	const uint8_t *payload;
	size_t len;
};

static int attr_cb(const struct nlattr *a, void *data)
{
	struct nflog_record *rec = data;

	if (mnl_attr_get_type(a) == NFULA_PREFIX &&
	    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
		rec->prefix = mnl_attr_get_str(a);
	else if (mnl_attr_get_type(a) == NFULA_PAYLOAD) {
		rec->payload = mnl_attr_get_payload(a);
		rec->len = mnl_attr_get_payload_len(a);
	}
	return MNL_CB_OK;
}

struct listener {
	bool json;
	FILE *out;
};

/* A record that is not watch's, or cut short, is passed over. */
static int packet_cb(const struct nlmsghdr *nlh, void *data)
{
	struct listener *l = data;
	struct nflog_record rec = { 0 };
	struct watch_event ev;

	if (nlh->nlmsg_type != (NFNL_SUBSYS_ULOG << 8 | NFULNL_MSG_PACKET))
		return MNL_CB_OK;
	mnl_attr_parse(nlh, sizeof(struct nfgenmsg), attr_cb, &rec);
	if (!rec.prefix || !rec.payload ||
	    watch_decode(rec.prefix, rec.payload, rec.len, &ev) < 0)
		return MNL_CB_OK;
	return watch_print(&ev, l->json, l->out) < 0 ? MNL_CB_ERROR
						      : MNL_CB_OK;
}

/* Until the container's process exits (its pidfd turns readable). */
static int listen_loop(struct mnl_socket *nl, int pidfd, struct listener *l,
		       struct fw_error *err)
{
	static char buf[1 << 16];
	struct pollfd fds[2] = { { .fd = mnl_socket_get_fd(nl),
				   .events = POLLIN },
				 { .fd = pidfd, .events = POLLIN } };

	for (;;) {
		ssize_t n;

		if (ppoll(fds, 2, NULL, NULL) < 0 && errno != EINTR)
			return fw_error_set(err, -errno, "", "ppoll: %s",
					    strerror(errno));
		if (fds[1].revents)
			return 0;
		if (!fds[0].revents)
			continue;
		n = recv(fds[0].fd, buf, sizeof(buf), 0);
		/* The socket overflowed: records were lost, not the watch. */
		if (n < 0 && errno == ENOBUFS)
			continue;
		if (n < 0)
			return fw_error_set(err, -errno, "", "nfnetlink_log: %s",
					    strerror(errno));
		if (mnl_cb_run(buf, (size_t)n, 0, 0, packet_cb, l) < 0)
			return fw_error_set(err, -EIO, "", "writing: %s",
					    strerror(errno));
	}
}

int watch_run(pid_t pid, bool json, FILE *out, void (*ready)(void),
	      struct fw_error *err)
{
	_cleanup_close_ int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	struct listener l = { .json = json, .out = out };
	char comment[COMMENT_MAX + 1];
	struct mnl_socket *nl = NULL;
	int r;

	if (pidfd < 0)
		return fw_error_set(err, -errno, "", "pidfd_open: %s",
				    strerror(errno));
	tzset();
	r = netns_open_firewall(pid, true, &nl, comment, sizeof(comment), err);
	if (r == 0)
		r = nflog_bind(nl, err);
	if (r == 0)
		r = confine_watch(err);
	if (r == 0) {
		ready();
		r = listen_loop(nl, pidfd, &l, err);
	}
	if (nl)
		mnl_socket_close(nl);
	return r;
}
