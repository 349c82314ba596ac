// SPDX-License-Identifier: GPL-2.0-or-later
/* One netlink dump read to its end, bounded in bytes and in time. */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <linux/netlink.h>

#include "cleanup.h"
#include "nldump.h"

void nl_dump_init(struct nl_dump *d, uint32_t seq, uint32_t portid)
{
	d->seq = seq;
	d->portid = portid;
	d->bytes = 0;
	d->error = 0;
}

static int dump_fail(struct nl_dump *d, int e)
{
	d->error = e;
	errno = -e;
	return MNL_CB_ERROR;
}

/* The kernel marks the messages of a dump during which the objects
 * changed; the last one (NLMSG_DONE) carries the mark too. */
static int data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl_dump *d = data;
	int r;

	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		return dump_fail(d, -EINTR);
	r = d->fn(nlh, d->data);
	return r < 0 ? dump_fail(d, r) : MNL_CB_OK;
}

/* NLMSG_ERROR and NLMSG_DONE both start with an errno, 0 when all went
 * well.  libmnl's own NLMSG_DONE handler ignores it, which would take a
 * dump that failed part-way for a whole one. */
static int control_cb(const struct nlmsghdr *nlh, void *data)
{
	const int *e = mnl_nlmsg_get_payload(nlh);
	struct nl_dump *d = data;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e)))
		return dump_fail(d, -EBADMSG);
	if (*e != 0)
		return dump_fail(d, *e < 0 ? *e : -EPROTO);
	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		return dump_fail(d, -EINTR);
	return MNL_CB_STOP;
}

static mnl_cb_t control_cbs[NLMSG_MIN_TYPE] = {
	[NLMSG_ERROR] = control_cb,
	[NLMSG_DONE] = control_cb,
};

static const char *dump_meaning(int e)
{
	switch (e) {
	case EFBIG:
		return "the answer is larger than any container's";
	case E2BIG:
		return "more objects than the hook makes";
	case EINTR:
		return "it changed while being read";
	case EBADMSG:
		return "the kernel sent a malformed answer";
	case ETIMEDOUT:
		return "the kernel stopped answering";
	case ENOMEM:
		return "out of memory";
	default:
		return strerror(e);
	}
}

static int dump_error(const struct nl_dump *d, int e, struct fw_error *err)
{
	return fw_error_set(err, e, d->where ? d->where : "", "%s: %s",
			    d->what, dump_meaning(-e));
}

int nl_dump_feed(struct nl_dump *d, const void *buf, size_t len,
		 struct fw_error *err)
{
	int r;

	if (len == 0)
		return dump_error(d, -EPROTO, err);
	d->bytes += len;
	if (d->bytes > d->max_bytes)
		return dump_error(d, -EFBIG, err);
	errno = 0;
	r = mnl_cb_run2(buf, len, d->seq, d->portid, data_cb, d, control_cbs,
			ARRAY_SIZE(control_cbs));
	if (r >= 0)
		return r > 0;
	return dump_error(d, d->error ? d->error : errno ? -errno : -EPROTO,
			  err);
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* One datagram, or -ETIMEDOUT after `wait_ms` of silence: a blocking
 * recv() would wait for ever on a kernel that never finishes. */
static ssize_t dump_recv(int fd, void *buf, size_t len, int wait_ms)
{
	int64_t deadline = now_ms() + wait_ms, left;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t n;

	for (;;) {
		n = recv(fd, buf, len, MSG_DONTWAIT);
		if (n >= 0)
			return n;
		if (errno != EAGAIN && errno != EINTR)
			return -errno;
		left = deadline - now_ms();
		if (left <= 0)
			return -ETIMEDOUT;
		if (ppoll(&p, 1,
			  &(struct timespec){ .tv_sec = left / 1000,
					      .tv_nsec = left % 1000 * 1000000 },
			  NULL) < 0 &&
		    errno != EINTR)
			return -errno;
	}
}

int nl_dump(struct mnl_socket *nl, struct nlmsghdr *req, struct nl_dump *d,
	    struct fw_error *err)
{
	char buf[1u << 15];
	ssize_t n;
	int r = 1;

	nl_dump_init(d, req->nlmsg_seq, mnl_socket_get_portid(nl));
	if (mnl_socket_sendto(nl, req, req->nlmsg_len) < 0)
		return dump_error(d, -errno, err);
	while (r > 0) {
		n = dump_recv(mnl_socket_get_fd(nl), buf, sizeof(buf),
			      d->wait_ms ? d->wait_ms : NL_DUMP_WAIT_MS);
		r = n < 0 ? dump_error(d, (int)n, err)
			  : nl_dump_feed(d, buf, (size_t)n, err);
	}
	return r;
}
