// SPDX-License-Identifier: GPL-2.0-or-later
/* nl_dump(): NLMSG_DONE's errno, NLM_F_DUMP_INTR, the byte bound, and a
 * kernel that stops answering; hand-built answers and a real socket. */
#include <errno.h>
#include <stdlib.h>
#include <time.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>

#include "nldump.h"
#include "tap.h"

#define SEQ 7

static int count_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	return ++*(int *)data > 2 ? -E2BIG : 0;
}

/* A message of `type` answering SEQ, with an errno payload for the
 * control types. */
static size_t put(char *buf, uint16_t type, uint16_t flags, int error)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	int *e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_MULTI | flags;
	nlh->nlmsg_seq = SEQ;
	*e = error;
	return nlh->nlmsg_len;
}

static void start(struct nl_dump *d, int *n, struct fw_error *err)
{
	*d = (struct nl_dump){ .what = "listing things", .max_bytes = 4096,
			       .fn = count_cb, .data = n };
	*n = 0;
	*err = (struct fw_error){ 0 };
	nl_dump_init(d, SEQ, 0);
}

static void test_feed(void)
{
	char buf[512];
	struct fw_error err;
	struct nl_dump d;
	size_t len;
	int n;

	start(&d, &n, &err);
	len = put(buf, RTM_NEWROUTE, 0, 0);
	ok(nl_dump_feed(&d, buf, len, &err) == 1 && n == 1,
	   "an object: the callback runs, more are due");
	len = put(buf, NLMSG_DONE, 0, 0);
	ok(nl_dump_feed(&d, buf, len, &err) == 0, "NLMSG_DONE with 0: complete");

	start(&d, &n, &err);
	len = put(buf, RTM_NEWROUTE, 0, 0);
	len += put(buf + len, NLMSG_DONE, 0, -ENOBUFS);
	ok(nl_dump_feed(&d, buf, len, &err) == -ENOBUFS,
	   "NLMSG_DONE's errno fails the dump (libmnl would ignore it)");
	is(err.what, "listing things: No buffer space available",
	   "the error names the listing");

	start(&d, &n, &err);
	len = put(buf, RTM_NEWROUTE, NLM_F_DUMP_INTR, 0);
	ok(nl_dump_feed(&d, buf, len, &err) == -EINTR && n == 0,
	   "an object marked NLM_F_DUMP_INTR fails the dump");
	start(&d, &n, &err);
	len = put(buf, NLMSG_DONE, NLM_F_DUMP_INTR, 0);
	ok(nl_dump_feed(&d, buf, len, &err) == -EINTR,
	   "so does a marked NLMSG_DONE");
	is(err.what, "listing things: it changed while being read",
	   "saying what happened");

	start(&d, &n, &err);
	len = put(buf, NLMSG_ERROR, 0, -ENOENT);
	ok(nl_dump_feed(&d, buf, len, &err) == -ENOENT, "NLMSG_ERROR's errno");

	start(&d, &n, &err);
	len = 0;
	for (int i = 0; i < 3; i++)
		len += put(buf + len, RTM_NEWROUTE, 0, 0);
	ok(nl_dump_feed(&d, buf, len, &err) == -E2BIG,
	   "a callback's errno stops the dump");

	start(&d, &n, &err);
	len = put(buf, RTM_NEWROUTE, 0, 0);
	for (int i = 0; i < 4096 / (int)len; i++)
		nl_dump_feed(&d, buf, len, &err), n = 0;
	ok(nl_dump_feed(&d, buf, len, &err) == -EFBIG,
	   "more than max_bytes: stop rather than read without end");

	start(&d, &n, &err);
	len = put(buf, RTM_NEWROUTE, 0, 0);
	((struct nlmsghdr *)buf)->nlmsg_seq = SEQ + 1;
	ok(nl_dump_feed(&d, buf, len, &err) < 0 && n == 0,
	   "an answer to another request is refused");
	ok(nl_dump_feed(&d, buf, 0, &err) == -EPROTO, "an empty read fails");
}

static int any_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	return 0;
}

static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A real NETLINK_ROUTE socket: the routes of this namespace list; a
 * request the kernel never answers (NLMSG_NOOP without NLM_F_ACK) ends
 * after wait_ms instead of blocking in recv(). */
static void test_socket(void)
{
	struct mnl_socket *nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	char req[MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct rtmsg))];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
	struct nl_dump d = { .what = "listing routes", .max_bytes = 1u << 20,
			     .fn = any_cb, .wait_ms = 200 };
	struct fw_error err = { 0 };
	double t0;
	int r;

	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		ok(1, "# SKIP no netlink socket");
		return;
	}
	nlh->nlmsg_type = RTM_GETROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = SEQ;
	((struct rtmsg *)mnl_nlmsg_put_extra_header(nlh, sizeof(struct rtmsg)))
		->rtm_family = AF_UNSPEC;
	ok(nl_dump(nl, nlh, &d, &err) == 0, "a real route dump completes");

	nlh = mnl_nlmsg_put_header(req);
	nlh->nlmsg_type = NLMSG_NOOP;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = SEQ + 1;
	t0 = seconds();
	r = nl_dump(nl, nlh, &d, &err);
	ok(r == -ETIMEDOUT && seconds() - t0 < 5,
	   "no answer: -ETIMEDOUT after wait_ms, not a blocked recv (%d)", r);
	is(err.what, "listing routes: the kernel stopped answering",
	   "saying so");
	mnl_socket_close(nl);
}

int main(void)
{
	test_feed();
	test_socket();
	return tap_done();
}
