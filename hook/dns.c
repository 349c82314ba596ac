// SPDX-License-Identifier: GPL-2.0-or-later
/* A DNS stub resolver: queries, responses, a UDP exchange bounded in time. */
#include <errno.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <poll.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>

#include "cleanup.h"
#include "dns.h"
#include "sha256.h"

#define DNS_HDR 12
#define DNS_WIRE_MAX 255
#define DNS_MSG_MAX 65535
#define DNS_CLASS_IN 1
#define DNS_TYPE_CNAME 5
#define DNS_RCODE_NOERROR 0
#define DNS_RCODE_NXDOMAIN 3
/* Names a chain of CNAMEs may pass through; a longer chain is cut there. */
#define DNS_CHAIN_MAX 16
/* Every netns numbers its loopback device 1. */
#define LOOPBACK_IFINDEX 1

/* Header flags: the second 16-bit word. */
#define DNS_QR 0x8000
#define DNS_OPCODE 0x7800
#define DNS_TC 0x0200
#define DNS_RD 0x0100
#define DNS_RCODE 0x000f

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

/* "api.example.com" in wire form: length-prefixed labels, then a zero. */
static int name_encode(const char *name, uint8_t *out, size_t *ret_len)
{
	size_t n = strlen(name), o = 0;
	const char *label = name;

	if (n && name[n - 1] == '.')
		n--;
	if (n == 0 || n > DNS_NAME_MAX)
		return -EINVAL;
	for (size_t i = 0; i <= n; i++) {
		size_t l = (size_t)(name + i - label);

		if (i < n && name[i] != '.')
			continue;
		if (l == 0 || l > 63)
			return -EINVAL;
		out[o++] = (uint8_t)l;
		memcpy(out + o, label, l);
		o += l;
		label = name + i + 1;
	}
	out[o++] = 0;
	*ret_len = o;
	return 0;
}

/*
 * Reads the name at *off, following compression pointers, into `out` in
 * wire form and moves *off past it.  A pointer must point before itself and
 * the name must fit 255 bytes: together they end every pointer loop.
 */
static int name_read(const uint8_t *buf, size_t len, size_t *off, uint8_t *out)
{
	size_t pos = *off, o = 0, next = 0;
	uint8_t c;

	do {
		if (pos >= len)
			return -EINVAL;
		c = buf[pos];
		if ((c & 0xc0) == 0xc0) {
			size_t to;

			if (pos + 1 >= len)
				return -EINVAL;
			to = (size_t)(c & 0x3f) << 8 | buf[pos + 1];
			if (to >= pos)
				return -EINVAL;
			if (!next)
				next = pos + 2;
			pos = to;
			continue;
		}
		/* 0x40 and 0x80 were extended label types, never deployed. */
		if (c > 63 || o + 1 + c > DNS_WIRE_MAX || c >= len - pos)
			return -EINVAL;
		memcpy(out + o, buf + pos, c + 1u);
		o += c + 1u;
		pos += c + 1u;
	} while (c);
	*off = next ? next : pos;
	return 0;
}

static uint8_t fold(uint8_t c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* Two names in wire form, ASCII letters compared without case. */
static bool name_equal(const uint8_t *a, const uint8_t *b)
{
	size_t i = 0;

	while (a[i]) {
		size_t end = i + 1 + a[i];

		if (b[i] != a[i])
			return false;
		for (i++; i < end; i++)
			if (fold(a[i]) != fold(b[i]))
				return false;
	}
	return b[i] == 0;
}

int dns_query_build(uint16_t id, const char *name, uint16_t qtype,
		    uint8_t *buf, size_t len, size_t *ret_len)
{
	uint8_t wire[DNS_WIRE_MAX];
	size_t n;

	if (name_encode(name, wire, &n) < 0)
		return -EINVAL;
	if (len < DNS_HDR + n + 4)
		return -ENOBUFS;
	memset(buf, 0, DNS_HDR);
	put16(buf, id);
	put16(buf + 2, DNS_RD);
	put16(buf + 4, 1);
	memcpy(buf + DNS_HDR, wire, n);
	put16(buf + DNS_HDR + n, qtype);
	put16(buf + DNS_HDR + n + 2, DNS_CLASS_IN);
	*ret_len = DNS_HDR + n + 4;
	return 0;
}

struct dns_rr {
	uint8_t owner[DNS_WIRE_MAX];
	uint16_t type, class;
	uint32_t ttl;
	size_t rdata, rdlen;
};

/* Reads the resource record at *off and checks the shape of its data
 * where we use it: class IN A, AAAA and CNAME. */
static int rr_read(const uint8_t *buf, size_t len, size_t *off,
		   struct dns_rr *rr)
{
	uint8_t target[DNS_WIRE_MAX];
	size_t pos = *off;

	if (name_read(buf, len, &pos, rr->owner) < 0 || len - pos < 10)
		return -EINVAL;
	rr->type = get16(buf + pos);
	rr->class = get16(buf + pos + 2);
	rr->ttl = (uint32_t)get16(buf + pos + 4) << 16 | get16(buf + pos + 6);
	rr->rdlen = get16(buf + pos + 8);
	rr->rdata = pos + 10;
	if (rr->rdlen > len - rr->rdata)
		return -EINVAL;
	*off = rr->rdata + rr->rdlen;
	if (rr->class != DNS_CLASS_IN)
		return 0;
	if (rr->type == DNS_TYPE_A && rr->rdlen != 4)
		return -EINVAL;
	if (rr->type == DNS_TYPE_AAAA && rr->rdlen != 16)
		return -EINVAL;
	if (rr->type == DNS_TYPE_CNAME) {
		pos = rr->rdata;
		if (name_read(buf, len, &pos, target) < 0 || pos != *off)
			return -EINVAL;
	}
	return 0;
}

/* The answer section of one response and the names that lead to `qname`. */
struct dns_answer {
	const uint8_t *buf;
	size_t len;
	size_t start;	    /* offset of the first record */
	unsigned int count; /* records that can be read from there */
	uint16_t qtype;
	unsigned int nowners;
	uint8_t owners[DNS_CHAIN_MAX][DNS_WIRE_MAX];
};

/* Counts the records; with TC set the section may end early, and what was
 * read whole is still usable. */
static int answer_count(struct dns_answer *a, unsigned int ancount, bool tc)
{
	size_t off = a->start;
	struct dns_rr rr;

	for (a->count = 0; a->count < ancount; a->count++)
		if (rr_read(a->buf, a->len, &off, &rr) < 0)
			return tc ? 0 : -EINVAL;
	return 0;
}

static bool is_owner(const struct dns_answer *a, const uint8_t *name)
{
	for (unsigned int i = 0; i < a->nowners; i++)
		if (name_equal(a->owners[i], name))
			return true;
	return false;
}

/* Adds the CNAME targets reached from the names known so far; true when
 * one was new.  Records are in any order, so callers repeat it. */
static bool chain_grow(struct dns_answer *a)
{
	size_t off = a->start, pos;
	bool grew = false;
	struct dns_rr rr;

	for (unsigned int i = 0; i < a->count; i++) {
		rr_read(a->buf, a->len, &off, &rr); /* answer_count read it */
		if (rr.type != DNS_TYPE_CNAME || rr.class != DNS_CLASS_IN ||
		    a->nowners == DNS_CHAIN_MAX || !is_owner(a, rr.owner))
			continue;
		pos = rr.rdata;
		name_read(a->buf, a->len, &pos, a->owners[a->nowners]);
		if (!is_owner(a, a->owners[a->nowners])) {
			a->nowners++;
			grew = true;
		}
	}
	return grew;
}

/* Adds the addresses of the chain; returns how many, or -ENOMEM with `l`
 * as it was. */
static int answer_add(const struct dns_answer *a, struct interval_list *l)
{
	size_t off = a->start, n0 = l->n;
	struct dns_rr rr;

	for (unsigned int i = 0; i < a->count; i++) {
		rr_read(a->buf, a->len, &off, &rr);
		if (rr.type != a->qtype || rr.class != DNS_CLASS_IN ||
		    !is_owner(a, rr.owner))
			continue;
		if (interval_add(l, a->buf + rr.rdata, a->buf + rr.rdata) < 0) {
			l->n = n0;
			return -ENOMEM;
		}
	}
	return (int)(l->n - n0);
}

static int answer_parse(struct dns_answer *a, unsigned int ancount, bool tc,
			struct interval_list *l)
{
	int r = answer_count(a, ancount, tc);

	if (r < 0)
		return r;
	while (chain_grow(a))
		;
	r = answer_add(a, l);
	if (r < 0)
		return r;
	/* A truncated answer without addresses may have lost them all. */
	return tc && r == 0 ? -EAGAIN : 0;
}

int dns_response_parse(const uint8_t *buf, size_t len, uint16_t id,
		       const char *name, uint16_t qtype,
		       struct interval_list *v4, struct interval_list *v6)
{
	struct dns_answer a = { .buf = buf, .len = len, .qtype = qtype };
	uint8_t got[DNS_WIRE_MAX];
	size_t off = DNS_HDR, n;
	uint16_t flags;

	if (qtype != DNS_TYPE_A && qtype != DNS_TYPE_AAAA)
		return -EINVAL;
	if (len < DNS_HDR || len > DNS_MSG_MAX || get16(buf) != id)
		return -EINVAL;
	flags = get16(buf + 2);
	if (!(flags & DNS_QR) || (flags & DNS_OPCODE) || get16(buf + 4) != 1)
		return -EINVAL;
	if (name_encode(name, a.owners[0], &n) < 0 ||
	    name_read(buf, len, &off, got) < 0 ||
	    !name_equal(got, a.owners[0]) || len - off < 4 ||
	    get16(buf + off) != qtype || get16(buf + off + 2) != DNS_CLASS_IN)
		return -EINVAL;
	a.nowners = 1;
	a.start = off + 4;
	switch (flags & DNS_RCODE) {
	case DNS_RCODE_NOERROR:
		return answer_parse(&a, get16(buf + 6), flags & DNS_TC,
				    qtype == DNS_TYPE_A ? v4 : v6);
	case DNS_RCODE_NXDOMAIN:
		return 0;
	default:
		return -EAGAIN;
	}
}

/* The wire name as text: lowercase, dots between labels; -EINVAL for a
 * byte that no policy name holds (hostname_valid() in policy.c). */
static int name_text(const uint8_t *wire, char *out)
{
	size_t o = 0;

	for (size_t i = 0; wire[i]; i += 1u + wire[i]) {
		if (o)
			out[o++] = '.';
		for (size_t k = i + 1; k <= i + wire[i]; k++) {
			uint8_t c = fold(wire[k]);

			if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			      c == '-' || c == '_'))
				return -EINVAL;
			out[o++] = (char)c;
		}
	}
	out[o] = '\0';
	return o ? 0 : -EINVAL;
}

/* The chain's addresses and the least TTL of the records that led to
 * them (its CNAMEs and the addresses themselves). */
static void answer_collect(const struct dns_answer *a, struct dns_learned *ret)
{
	size_t off = a->start, alen = a->qtype == DNS_TYPE_A ? 4 : 16;
	struct dns_rr rr;

	ret->ttl = UINT32_MAX;
	for (unsigned int i = 0; i < a->count; i++) {
		rr_read(a->buf, a->len, &off, &rr); /* answer_count read it */
		if (rr.class != DNS_CLASS_IN || !is_owner(a, rr.owner) ||
		    (rr.type != DNS_TYPE_CNAME && rr.type != a->qtype))
			continue;
		if (rr.ttl < ret->ttl)
			ret->ttl = rr.ttl;
		if (rr.type == a->qtype && ret->naddrs < DNS_LEARN_MAX_ADDRS)
			memcpy(ret->addrs[ret->naddrs++], a->buf + rr.rdata, alen);
	}
	if (ret->naddrs == 0)
		ret->ttl = 0;
}

int dns_answer_read(const uint8_t *buf, size_t len, struct dns_learned *ret)
{
	static struct dns_answer a; /* 4 KiB of owners: not on the stack */
	size_t off = DNS_HDR;
	uint16_t flags;

	*ret = (struct dns_learned){ 0 };
	a = (struct dns_answer){ .buf = buf, .len = len };
	if (len < DNS_HDR || len > DNS_MSG_MAX)
		return -EINVAL;
	flags = get16(buf + 2);
	if (!(flags & DNS_QR) || (flags & DNS_OPCODE) || get16(buf + 4) != 1 ||
	    name_read(buf, len, &off, a.owners[0]) < 0 || len - off < 4 ||
	    get16(buf + off + 2) != DNS_CLASS_IN)
		return -EINVAL;
	a.qtype = ret->qtype = get16(buf + off);
	if ((a.qtype != DNS_TYPE_A && a.qtype != DNS_TYPE_AAAA) ||
	    (flags & DNS_RCODE) != DNS_RCODE_NOERROR ||
	    name_text(a.owners[0], ret->qname) < 0)
		return -ENOENT;
	a.nowners = 1;
	a.start = off + 4;
	if (answer_count(&a, get16(buf + 6), flags & DNS_TC) < 0)
		return -EINVAL;
	while (chain_grow(&a))
		;
	answer_collect(&a, ret);
	return 0;
}

/* One question on its way: the A or the AAAA records of one name. */
struct dns_query {
	struct dns_name *dn;
	uint16_t id, qtype;
	unsigned int server;   /* the server it went to last */
	uint32_t sent, failed; /* servers, one bit each */
	int64_t resend_at;     /* ns on CLOCK_MONOTONIC */
	bool done, answered;
};

struct dns_ctx {
	const struct sockaddr_storage *servers;
	unsigned int nservers;
	int fd[DNS_MAX_SERVERS]; /* connected to servers[i]; -1 unreachable */
	int64_t interval;
	unsigned int nq, pending;
	struct dns_query q[2 * DNS_MAX_NAMES];
};

static void ctx_close(struct dns_ctx *c)
{
	for (unsigned int i = 0; i < c->nservers; i++)
		closep(&c->fd[i]);
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static socklen_t sockaddr_len(const struct sockaddr_storage *s)
{
	return s->ss_family == AF_INET ? sizeof(struct sockaddr_in)
				       : sizeof(struct sockaddr_in6);
}

/* Whether the server is on a loopback address: only then may its answers
 * arrive over "lo".  Any other server's address arrives over "lo" only
 * from a process of the namespace that forged it. */
static bool server_is_loopback(const struct sockaddr_storage *s)
{
	const struct sockaddr_in *s4 = (const void *)s;
	const struct sockaddr_in6 *s6 = (const void *)s;

	if (s->ss_family == AF_INET)
		return (ntohl(s4->sin_addr.s_addr) >> 24) == 127;
	return IN6_IS_ADDR_LOOPBACK(&s6->sin6_addr);
}

static void query_finish(struct dns_ctx *c, struct dns_query *q,
			 bool answered)
{
	q->done = true;
	q->answered = answered;
	c->pending--;
}

/* Moves q on to the next server that has not failed it, round robin, or
 * finishes q when every server has. */
static bool query_next(struct dns_ctx *c, struct dns_query *q)
{
	for (unsigned int i = 1; i <= c->nservers; i++) {
		unsigned int s = (q->server + i) % c->nservers;

		if (!(q->failed & 1u << s)) {
			q->server = s;
			return true;
		}
	}
	query_finish(c, q, false);
	return false;
}

/* Sends q to its server; a server sendto() fails for counts as failed. */
static void query_send(struct dns_ctx *c, struct dns_query *q, int64_t now)
{
	uint8_t pkt[DNS_QUERY_MAX];
	size_t len = 0;

	/* dns_resolve() built each query once already: this cannot fail. */
	dns_query_build(q->id, q->dn->name, q->qtype, pkt, sizeof(pkt), &len);
	do {
		int fd = c->fd[q->server];

		if (fd >= 0 && send(fd, pkt, len, 0) == (ssize_t)len) {
			q->sent |= 1u << q->server;
			q->resend_at = now + c->interval;
			return;
		}
		q->failed |= 1u << q->server;
	} while (query_next(c, q));
}

static struct dns_query *query_find(struct dns_ctx *c, uint16_t id)
{
	for (unsigned int i = 0; i < c->nq; i++)
		if (!c->q[i].done && c->q[i].id == id)
			return &c->q[i];
	return NULL;
}

/* Takes one datagram from server s: anything that is no answer to a
 * pending query that went to s is dropped.  Returns 0 or -ENOMEM. */
/* Whether `id` was asked of server s, answered since or not (a late
 * answer to a query sent again is no forgery). */
static bool asked(const struct dns_ctx *c, uint16_t id, unsigned int s)
{
	for (unsigned int i = 0; i < c->nq; i++)
		if (c->q[i].id == id && (c->q[i].sent & 1u << s))
			return true;
	return false;
}

/*
 * A datagram from server s's address that answers nothing asked of it, or
 * answers something else: forged inside the namespace, by a process that
 * read the socket's port in /proc/net/udp6 and guesses ids (an IPv6
 * datagram looped back to a local address reports that address's
 * interface, not lo).  Nothing more is taken from s in this exchange: a
 * forger has one guess per query, 1 in 65,536, and its queries move on.
 */
static void server_forged(struct dns_ctx *c, unsigned int s, int64_t now)
{
	closep(&c->fd[s]);
	c->fd[s] = -1;
	for (unsigned int i = 0; i < c->nq; i++) {
		struct dns_query *q = &c->q[i];

		if (q->done || !(q->sent & 1u << s))
			continue;
		q->failed |= 1u << s;
		if (q->server == s && query_next(c, q))
			query_send(c, q, now);
	}
}

static int on_datagram(struct dns_ctx *c, const uint8_t *buf, size_t len,
		       unsigned int s, int64_t now)
{
	struct dns_query *q = len >= 2 ? query_find(c, get16(buf)) : NULL;
	int r;

	if (!q || !(q->sent & 1u << s)) {
		if (len < 2 || !asked(c, get16(buf), s))
			server_forged(c, s, now);
		return 0;
	}
	r = dns_response_parse(buf, len, q->id, q->dn->name, q->qtype,
			       &q->dn->v4, &q->dn->v6);
	if (r == 0)
		query_finish(c, q, true);
	if (r == -ENOMEM)
		return r;
	if (r != -EAGAIN) {
		if (r < 0) /* the right id, another question: a guess */
			server_forged(c, s, now);
		return 0;
	}
	q->failed |= 1u << s;
	/* A late failure from a server q already left changes nothing. */
	if (s == q->server && query_next(c, q))
		query_send(c, q, now);
	return 0;
}

/* The interface a datagram arrived on, from its IP_PKTINFO or
 * IPV6_PKTINFO; 0 when it carries none. */
static int arrival_ifindex(struct msghdr *m)
{
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(m); cm; cm = CMSG_NXTHDR(m, cm)) {
		if (cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_PKTINFO)
			return ((struct in_pktinfo *)(void *)CMSG_DATA(cm))
				->ipi_ifindex;
		if (cm->cmsg_level == IPPROTO_IPV6 &&
		    cm->cmsg_type == IPV6_PKTINFO)
			return (int)((struct in6_pktinfo *)(void *)CMSG_DATA(cm))
				->ipi6_ifindex;
	}
	return 0;
}

/* Reads what server s's socket holds, at most a bounded number of
 * datagrams so that a flood cannot hold us past the deadline.  The kernel
 * delivers only datagrams from the server's address and port (the socket
 * is connected); one that came over "lo" for a server elsewhere was forged
 * inside the namespace and is dropped. */
static int socket_read(struct dns_ctx *c, unsigned int s, struct fw_error *err)
{
	uint8_t buf[4096];
	union {
		struct cmsghdr align;
		uint8_t b[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	} ctl;
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr m;
	bool lo_ok = server_is_loopback(&c->servers[s]);
	ssize_t n;
	int r;

	for (int i = 0; i < 64 && c->pending && c->fd[s] >= 0; i++) {
		m = (struct msghdr){ .msg_iov = &iov, .msg_iovlen = 1,
				     .msg_control = ctl.b,
				     .msg_controllen = sizeof(ctl.b) };
		n = recvmsg(c->fd[s], &m, 0);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return fw_error_set(err, -errno, "",
					    "receiving DNS answers: %s",
					    strerror(errno));
		if (!lo_ok && arrival_ifindex(&m) == LOOPBACK_IFINDEX)
			continue;
		r = on_datagram(c, buf, (size_t)n, s, now_ns());
		if (r < 0)
			return fw_error_set(err, r, "", "DNS: out of memory");
	}
	return 0;
}

/* Sends again, to the next server, what went unanswered for an interval;
 * returns when the next query is due. */
static int64_t resend_due(struct dns_ctx *c, int64_t now, int64_t deadline)
{
	int64_t wake = deadline;

	for (unsigned int i = 0; i < c->nq; i++) {
		struct dns_query *q = &c->q[i];

		if (!q->done && q->resend_at <= now && query_next(c, q))
			query_send(c, q, now);
		if (!q->done && q->resend_at < wake)
			wake = q->resend_at;
	}
	return wake;
}

static int exchange(struct dns_ctx *c, int64_t deadline, struct fw_error *err)
{
	struct pollfd pfd[DNS_MAX_SERVERS];
	unsigned int server[DNS_MAX_SERVERS];
	int64_t now = now_ns(), wake;
	struct timespec ts;
	nfds_t n;
	int r;

	for (unsigned int i = 0; i < c->nq; i++)
		query_send(c, &c->q[i], now);
	while (c->pending && now < deadline) {
		wake = resend_due(c, now, deadline);
		n = 0;
		for (unsigned int s = 0; s < c->nservers; s++) {
			if (c->fd[s] < 0)
				continue;
			server[n] = s;
			pfd[n++] = (struct pollfd){ .fd = c->fd[s],
						    .events = POLLIN };
		}
		ts.tv_sec = (wake - now) / 1000000000;
		ts.tv_nsec = (wake - now) % 1000000000;
		r = ppoll(pfd, n, &ts, NULL);
		if (r < 0 && errno != EINTR)
			return fw_error_set(err, -errno, "",
					    "waiting for DNS answers: %s",
					    strerror(errno));
		for (nfds_t i = 0; r > 0 && i < n; i++) {
			int e = pfd[i].revents ? socket_read(c, server[i], err)
					       : 0;

			if (e < 0)
				return e;
		}
		now = now_ns();
	}
	return 0;
}

/* One socket per server, connected: the kernel then delivers only what
 * comes from the server's address and port, from an ephemeral port it
 * chose at random.  A server the netns cannot reach (no such family, no
 * route) leaves its fd -1: its queries move on to the next server. */
static int sockets_open(struct dns_ctx *c, struct fw_error *err)
{
	static const int on = 1;

	for (unsigned int s = 0; s < c->nservers; s++) {
		const struct sockaddr_storage *sa = &c->servers[s];
		bool v6 = sa->ss_family == AF_INET6;
		_cleanup_(closep) int fd = socket(sa->ss_family,
			SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

		if (fd < 0 && errno == EAFNOSUPPORT)
			continue;
		if (fd < 0 ||
		    setsockopt(fd, v6 ? IPPROTO_IPV6 : IPPROTO_IP,
			       v6 ? IPV6_RECVPKTINFO : IP_PKTINFO, &on,
			       sizeof(on)) < 0)
			return fw_error_set(err, -errno, "",
					    "opening a UDP socket for DNS: %s",
					    strerror(errno));
		if (connect(fd, (const void *)sa, sockaddr_len(sa)) == 0)
			c->fd[s] = TAKE_FD(fd);
	}
	return 0;
}

static int random_fill(void *buf, size_t len, struct fw_error *err)
{
	ssize_t n;

	while (len) {
		n = getrandom(buf, len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return fw_error_set(err, -errno, "",
					    "drawing DNS query ids: %s",
					    strerror(errno));
		buf = (uint8_t *)buf + n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * Query ids are SHA-256(secret, counter), 16 a block, from a secret drawn
 * once per process, before the seccomp filters: glibc 2.41's getrandom()
 * sets up per-thread state on first use (rt_sigprocmask, mmap), which the
 * filters do not allow.
 */
static struct {
	uint8_t secret[32];
	uint64_t counter;
	uint8_t block[32];
	size_t used;
	bool seeded;
} ids;

int dns_seed(struct fw_error *err)
{
	int r;

	if (ids.seeded)
		return 0;
	r = random_fill(ids.secret, sizeof(ids.secret), err);
	ids.used = sizeof(ids.block);
	ids.seeded = r == 0;
	return r;
}

static int id_draw(uint16_t *ret, struct fw_error *err)
{
	uint8_t in[sizeof(ids.secret) + sizeof(ids.counter)];
	int r = dns_seed(err);

	if (r < 0)
		return r;
	if (ids.used == sizeof(ids.block)) {
		memcpy(in, ids.secret, sizeof(ids.secret));
		memcpy(in + sizeof(ids.secret), &ids.counter,
		       sizeof(ids.counter));
		ids.counter++;
		sha256(in, sizeof(in), ids.block);
		ids.used = 0;
	}
	*ret = get16(ids.block + ids.used);
	ids.used += 2;
	return 0;
}

/* Distinct unpredictable ids: together with the source check they are what
 * keeps an off-path attacker from answering for a server. */
static int queries_init(struct dns_ctx *c, struct dns_name *names,
			size_t nnames, struct fw_error *err)
{
	uint16_t id = 0;
	int r = 0;

	for (unsigned int i = 0; r == 0 && i < 2 * nnames; i++) {
		do
			r = id_draw(&id, err);
		while (r == 0 && query_find(c, id));
		if (r < 0)
			break;
		c->q[i] = (struct dns_query){ .dn = &names[i / 2],
					      .id = id,
					      .qtype = i % 2 ? DNS_TYPE_AAAA
							     : DNS_TYPE_A };
		c->nq++;
		c->pending++;
	}
	return r;
}

static int resolve_check(const struct sockaddr_storage *servers,
			 size_t nservers, const struct dns_name *names,
			 size_t nnames, struct fw_error *err)
{
	uint8_t pkt[DNS_QUERY_MAX];
	size_t len;

	if (nnames > DNS_MAX_NAMES)
		return fw_error_set(err, -E2BIG, "",
				    "%zu names to resolve, at most %d", nnames,
				    DNS_MAX_NAMES);
	if (nservers > DNS_MAX_SERVERS)
		return fw_error_set(err, -E2BIG, "",
				    "%zu nameservers, at most %d", nservers,
				    DNS_MAX_SERVERS);
	for (size_t i = 0; i < nservers; i++)
		if (servers[i].ss_family != AF_INET &&
		    servers[i].ss_family != AF_INET6)
			return fw_error_set(err, -EINVAL, "",
					    "nameserver %zu is not IPv4 or IPv6",
					    i + 1);
	for (size_t i = 0; i < nnames; i++)
		if (dns_query_build(0, names[i].name, DNS_TYPE_A, pkt,
				    sizeof(pkt), &len) < 0)
			return fw_error_set(err, -EINVAL, "",
					    "\"%s\" is not a DNS name",
					    names[i].name);
	return 0;
}

int dns_resolve(const struct sockaddr_storage *servers, size_t nservers,
		struct dns_name *names, size_t nnames, unsigned int budget_ms,
		struct fw_error *err)
{
	_cleanup_(ctx_close) struct dns_ctx c = { 0 };
	int64_t start = now_ns();
	int r = resolve_check(servers, nservers, names, nnames, err);

	if (r < 0)
		return r;
	for (size_t i = 0; i < DNS_MAX_SERVERS; i++)
		c.fd[i] = -1;
	for (size_t i = 0; i < nnames; i++)
		names[i].answered = false;
	if (!nservers || !nnames || !budget_ms)
		return 0;
	c.servers = servers;
	c.nservers = (unsigned int)nservers;
	c.interval = (int64_t)budget_ms * 1000000 / 3;
	r = queries_init(&c, names, nnames, err);
	if (r == 0)
		r = sockets_open(&c, err);
	if (r == 0)
		r = exchange(&c, start + (int64_t)budget_ms * 1000000, err);
	if (r < 0)
		return r;
	for (size_t i = 0; i < nnames; i++)
		names[i].answered = c.q[2 * i].answered &&
				    c.q[2 * i + 1].answered;
	return 0;
}
