// SPDX-License-Identifier: GPL-2.0-or-later
/* DNS: queries and hand-built responses, hostile ones included; then the
 * resolver against nameservers on loopback, live, failing, dead and lying. */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "dns.h"
#include "tap.h"

#define ID 0x1234
#define F_ANSWER 0x8180	  /* QR, RD, RA */
#define F_TC 0x0200

struct pkt {
	uint8_t b[1024];
	size_t n;
};

static void put(struct pkt *p, const void *d, size_t n)
{
	memcpy(p->b + p->n, d, n);
	p->n += n;
}

static void p16(struct pkt *p, uint16_t v)
{
	uint8_t b[2] = { v >> 8, v & 0xff };

	put(p, b, 2);
}

/* A name in full; returns where it starts, for pointers to it. */
static uint16_t pname(struct pkt *p, const char *name)
{
	uint16_t at = (uint16_t)p->n;
	const char *dot;

	for (; *name; name = *dot ? dot + 1 : dot) {
		dot = strchrnul(name, '.');
		p->b[p->n++] = (uint8_t)(dot - name);
		put(p, name, (size_t)(dot - name));
	}
	p->b[p->n++] = 0;
	return at;
}

static void pptr(struct pkt *p, uint16_t to)
{
	p16(p, 0xc000 | to);
}

static void header(struct pkt *p, uint16_t id, uint16_t flags, uint16_t an)
{
	p->n = 0;
	p16(p, id);
	p16(p, flags);
	p16(p, 1);
	p16(p, an);
	p16(p, 0);
	p16(p, 0);
}

static void question(struct pkt *p, const char *name, uint16_t type)
{
	pname(p, name);
	p16(p, type);
	p16(p, 1);
}

/* What follows a record's owner: type, class IN, TTL 60, rdlength. */
static void rr(struct pkt *p, uint16_t type, uint16_t rdlen)
{
	p16(p, type);
	p16(p, 1);
	p16(p, 0);
	p16(p, 60);
	p16(p, rdlen);
}

static void addr(struct pkt *p, const char *text)
{
	uint8_t a[16];

	if (inet_pton(AF_INET, text, a) == 1) {
		rr(p, DNS_TYPE_A, 4);
		put(p, a, 4);
	} else {
		inet_pton(AF_INET6, text, a);
		rr(p, DNS_TYPE_AAAA, 16);
		put(p, a, 16);
	}
}

static const char *render(struct interval_list *l, int family, char *buf,
			  size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < l->n; i++) {
		char one[64];

		interval_format_addr(&l->v[i], family, one, sizeof(one));
		used += snprintf(buf + used, len - used, "%s%s", i ? " " : "",
				 one);
	}
	return buf;
}

static char found[256];

/* Parses p as the answer to (ID, name, qtype); `found` lists what it
 * added. */
static int parse(const struct pkt *p, const char *name, uint16_t qtype)
{
	struct interval_list v4, v6;
	int r;

	interval_list_init(&v4, 4);
	interval_list_init(&v6, 16);
	r = dns_response_parse(p->b, p->n, ID, name, qtype, &v4, &v6);
	if (qtype == DNS_TYPE_A && !v6.n)
		render(&v4, AF_INET, found, sizeof(found));
	else if (qtype == DNS_TYPE_AAAA && !v4.n)
		render(&v6, AF_INET6, found, sizeof(found));
	else
		strcpy(found, "the other family's list grew");
	interval_list_free(&v4);
	interval_list_free(&v6);
	return r;
}

static void test_query(void)
{
	static const uint8_t want[] = { 0xab, 0xcd, 0x01, 0x00, 0, 1, 0, 0,
					0,    0,    0,    0,    1, 'a', 2, 'b',
					'c',  0,    0,    28,   0, 1 };
	uint8_t buf[DNS_QUERY_MAX];
	char long_name[300];
	size_t len = 0;

	ok(dns_query_build(0xabcd, "a.bc", DNS_TYPE_AAAA, buf, sizeof(buf),
			   &len) == 0 &&
		   len == sizeof(want) && memcmp(buf, want, len) == 0,
	   "query: id, RD, one question, class IN");
	ok(dns_query_build(0xabcd, "a.bc.", DNS_TYPE_AAAA, buf, sizeof(buf),
			   &len) == 0 &&
		   len == sizeof(want) && memcmp(buf, want, len) == 0,
	   "query: a trailing dot changes nothing");
	ok(dns_query_build(1, "a..bc", 1, buf, sizeof(buf), &len) == -EINVAL,
	   "query: empty label");
	ok(dns_query_build(1, "", 1, buf, sizeof(buf), &len) == -EINVAL &&
		   dns_query_build(1, ".", 1, buf, sizeof(buf), &len) ==
			   -EINVAL,
	   "query: empty name, root");
	memset(long_name, 'a', 64);
	strcpy(long_name + 64, ".com");
	ok(dns_query_build(1, long_name, 1, buf, sizeof(buf), &len) == -EINVAL,
	   "query: 64-byte label");
	for (int i = 0; i < 127; i++)
		memcpy(long_name + 2 * i, "a.", 2);
	long_name[253] = '\0'; /* 127 labels, 253 bytes */
	ok(dns_query_build(1, long_name, 1, buf, sizeof(buf), &len) == 0 &&
		   len == 12 + 255 + 4,
	   "query: the longest name fits DNS_QUERY_MAX");
	strcpy(long_name + 253, ".a");
	ok(dns_query_build(1, long_name, 1, buf, sizeof(buf), &len) == -EINVAL,
	   "query: 255 bytes of name is too long");
	ok(dns_query_build(1, "a.bc", 1, buf, 21, &len) == -ENOBUFS,
	   "query: short buffer");
}

static void test_simple(void)
{
	struct pkt p;

	header(&p, ID, F_ANSWER, 2);
	question(&p, "www.example.com", DNS_TYPE_A);
	pptr(&p, 12);
	addr(&p, "192.0.2.1");
	pptr(&p, 12);
	addr(&p, "192.0.2.9");
	ok(parse(&p, "www.example.com", DNS_TYPE_A) == 0, "A: answer");
	is(found, "192.0.2.1 192.0.2.9", "A: both addresses");
	ok(parse(&p, "WWW.Example.COM.", DNS_TYPE_A) == 0,
	   "A: the question matches without case, trailing dot or not");

	header(&p, ID, F_ANSWER, 1);
	question(&p, "WWW.example.com", DNS_TYPE_AAAA);
	pname(&p, "www.EXAMPLE.com");
	addr(&p, "2001:db8::1");
	ok(parse(&p, "www.example.com", DNS_TYPE_AAAA) == 0, "AAAA: answer");
	is(found, "2001:db8::1", "AAAA: owner matched without case");

	header(&p, ID, F_ANSWER, 0);
	question(&p, "www.example.com", DNS_TYPE_AAAA);
	ok(parse(&p, "www.example.com", DNS_TYPE_AAAA) == 0 && !*found,
	   "NOERROR without records: an answer, no address");
	header(&p, ID, F_ANSWER | 3, 0);
	question(&p, "nx.example.com", DNS_TYPE_A);
	ok(parse(&p, "nx.example.com", DNS_TYPE_A) == 0 && !*found,
	   "NXDOMAIN: an answer, no address");
	header(&p, ID, F_ANSWER | 2, 0);
	question(&p, "www.example.com", DNS_TYPE_A);
	ok(parse(&p, "www.example.com", DNS_TYPE_A) == -EAGAIN,
	   "SERVFAIL: try another server");
	p.b[3] = (F_ANSWER | 5) & 0xff;
	ok(parse(&p, "www.example.com", DNS_TYPE_A) == -EAGAIN,
	   "REFUSED: try another server");
}

/* alias.example.com → cdn.example.com → edge.net, records out of order,
 * names compressed, addresses of other names among them. */
static void test_cname(void)
{
	uint16_t edge, cdn;
	struct pkt p;

	header(&p, ID, F_ANSWER, 6);
	question(&p, "alias.example.com", DNS_TYPE_A);
	edge = pname(&p, "edge.net");
	addr(&p, "198.51.100.7");
	pname(&p, "other.example.com");
	addr(&p, "203.0.113.9");
	pptr(&p, 12);
	rr(&p, 5, 6);
	cdn = (uint16_t)p.n;
	put(&p, "\3cdn", 4);
	pptr(&p, 12 + 6); /* example.com in the question */
	pptr(&p, cdn);
	rr(&p, 5, 2);
	pptr(&p, edge);
	pptr(&p, edge);
	addr(&p, "198.51.100.8");
	pptr(&p, edge);
	addr(&p, "2001:db8::7"); /* not what was asked */
	ok(parse(&p, "alias.example.com", DNS_TYPE_A) == 0,
	   "CNAME chain: answer");
	is(found, "198.51.100.7 198.51.100.8",
	   "CNAME chain: the target's addresses, not other names' or types'");

	header(&p, ID, F_ANSWER, 2);
	question(&p, "a.example", DNS_TYPE_A);
	pptr(&p, 12);
	rr(&p, 5, 2);
	pptr(&p, 12); /* a CNAME to itself */
	pname(&p, "b.example");
	addr(&p, "192.0.2.5");
	ok(parse(&p, "a.example", DNS_TYPE_A) == 0 && !*found,
	   "CNAME loop: ends, adds nothing unreached");
}

static void test_mismatch(void)
{
	struct pkt p;

	header(&p, ID, F_ANSWER, 1);
	question(&p, "www.example.com", DNS_TYPE_A);
	pptr(&p, 12);
	addr(&p, "192.0.2.1");
	p.b[1] ^= 1;
	ok(parse(&p, "www.example.com", DNS_TYPE_A) == -EINVAL, "wrong id");
	p.b[1] ^= 1;
	p.b[2] &= 0x7f;
	ok(parse(&p, "www.example.com", DNS_TYPE_A) == -EINVAL, "QR clear");
	p.b[2] |= 0x80;
	ok(parse(&p, "www.example.org", DNS_TYPE_A) == -EINVAL,
	   "another name asked");
	ok(parse(&p, "www.example.com", DNS_TYPE_AAAA) == -EINVAL,
	   "another type asked");
	ok(parse(&p, "example.com", DNS_TYPE_A) == -EINVAL,
	   "a shorter name asked");
	p.b[5] = 2;
	ok(parse(&p, "www.example.com", DNS_TYPE_A) == -EINVAL,
	   "two questions");
}

/* Parses p as an answer to the A question answer_start() writes. */
static int hostile(struct pkt *p)
{
	return parse(p, "www.example.com", DNS_TYPE_A);
}

static void answer_start(struct pkt *p, uint16_t an)
{
	header(p, ID, F_ANSWER, an);
	question(p, "www.example.com", DNS_TYPE_A);
}

static void test_hostile(void)
{
	struct pkt p;
	uint16_t at;

	answer_start(&p, 1);
	pptr(&p, (uint16_t)p.n); /* points at itself */
	addr(&p, "192.0.2.1");
	ok(hostile(&p) == -EINVAL, "pointer to itself");
	answer_start(&p, 1);
	at = (uint16_t)p.n;
	put(&p, "\1a", 2);
	pptr(&p, at); /* a, a, a, ... */
	addr(&p, "192.0.2.1");
	ok(hostile(&p) == -EINVAL, "pointer loop through a label");
	answer_start(&p, 1);
	pptr(&p, (uint16_t)p.n + 2); /* forward */
	pname(&p, "x");
	addr(&p, "192.0.2.1");
	ok(hostile(&p) == -EINVAL, "pointer forward");
	answer_start(&p, 1);
	pptr(&p, 0x3fff);
	addr(&p, "192.0.2.1");
	ok(hostile(&p) == -EINVAL, "pointer past the end");
	answer_start(&p, 1);
	p.b[p.n++] = 0xc0;
	ok(hostile(&p) == -EINVAL, "half a pointer at the end");
	answer_start(&p, 1);
	p.b[p.n++] = 0x40;
	addr(&p, "192.0.2.1");
	ok(hostile(&p) == -EINVAL, "label type 0x40");

	header(&p, ID, F_ANSWER, 0);
	p.b[p.n++] = 64;
	memset(p.b + p.n, 'a', 64);
	p.n += 64;
	p.b[p.n++] = 0;
	p16(&p, 1);
	p16(&p, 1);
	ok(hostile(&p) == -EINVAL, "label of 64 in the question");

	answer_start(&p, 1);
	for (int i = 0; i < 4; i++) {
		p.b[p.n++] = 63;
		memset(p.b + p.n, 'a', 63);
		p.n += 63;
	}
	pptr(&p, 12); /* 256 bytes and more */
	addr(&p, "192.0.2.1");
	ok(hostile(&p) == -EINVAL, "name longer than 255");
}

static void test_truncated(void)
{
	struct pkt p;

	answer_start(&p, 1);
	pptr(&p, 12);
	addr(&p, "192.0.2.1");
	p.n--;
	ok(hostile(&p) == -EINVAL, "rdata cut short");
	p.n = 11;
	ok(hostile(&p) == -EINVAL, "header cut short");
	p.n = 0;
	ok(hostile(&p) == -EINVAL, "empty");

	answer_start(&p, 1);
	pptr(&p, 12);
	rr(&p, DNS_TYPE_A, 40);
	put(&p, "\1\2\3\4", 4);
	ok(hostile(&p) == -EINVAL, "rdlength past the end");
	answer_start(&p, 1);
	pptr(&p, 12);
	rr(&p, DNS_TYPE_A, 5);
	put(&p, "\1\2\3\4\5", 5);
	ok(hostile(&p) == -EINVAL, "A record of 5 bytes");

	answer_start(&p, 3);
	pptr(&p, 12);
	addr(&p, "192.0.2.1");
	ok(hostile(&p) == -EINVAL && !*found,
	   "more answers counted than sent: nothing added");
	p.b[2] |= F_TC >> 8;
	ok(hostile(&p) == 0, "... with TC set: the whole records count");
	is(found, "192.0.2.1", "... and their addresses");
	answer_start(&p, 3);
	p.b[2] |= F_TC >> 8;
	pptr(&p, 12);
	rr(&p, DNS_TYPE_A, 4);
	ok(hostile(&p) == -EAGAIN, "TC set and no address: try another server");

	answer_start(&p, 2);
	pptr(&p, 12);
	addr(&p, "192.0.2.1");
	pptr(&p, 12);
	rr(&p, DNS_TYPE_A, 4);
	put(&p, "\1\2", 2);
	ok(hostile(&p) == -EINVAL && !*found,
	   "a good record, then a broken one: nothing added");
}

static void test_class(void)
{
	struct pkt p;

	answer_start(&p, 2);
	pptr(&p, 12);
	addr(&p, "192.0.2.1");
	p.b[p.n - 4 - 2 - 4 - 1] = 3; /* class CH */
	pptr(&p, 12);
	addr(&p, "192.0.2.2");
	ok(hostile(&p) == 0, "class CH record: answer");
	is(found, "192.0.2.2", "class CH record ignored");
}

/*
 * The nameservers on loopback: a forked child answering from a fixed zone.
 * A "fail" socket answers SERVFAIL; an "elsewhere" one answers from another
 * port, as an off-path forger would have to; a "guess" one sends, from the
 * server's own address and port, an answer with another id first, as a
 * forger inside the namespace guessing ids does, then the right one.
 */
enum how { SERVE_ZONE, SERVE_FAIL, SERVE_ELSEWHERE, SERVE_GUESS };

static const struct {
	const char *name, *cname, *addr;
} zone[] = {
	{ "www.test", NULL, "192.0.2.1" },
	{ "www.test", NULL, "192.0.2.2" },
	{ "www.test", NULL, "2001:db8::1" },
	{ "alias.test", "www.test", NULL },
	{ "v4only.test", NULL, "192.0.2.3" },
};

/* Appends the records for (name, qtype); false when no such name. */
static bool zone_answer(struct pkt *p, const char *name, uint16_t owner,
			uint16_t qtype, uint16_t *an)
{
	bool known = false;

	for (size_t i = 0; i < ARRAY_SIZE(zone); i++) {
		if (strcasecmp(zone[i].name, name))
			continue;
		known = true;
		if (zone[i].cname) {
			pptr(p, owner);
			rr(p, 5, (uint16_t)strlen(zone[i].cname) + 2);
			++*an;
			zone_answer(p, zone[i].cname, pname(p, zone[i].cname),
				    qtype, an);
		} else if (!!strchr(zone[i].addr, ':') ==
			   (qtype == DNS_TYPE_AAAA)) {
			pptr(p, owner);
			addr(p, zone[i].addr);
			++*an;
		}
	}
	return known;
}

static void respond(struct pkt *p, const uint8_t *q, size_t len, enum how how)
{
	char name[256];
	size_t off = 12, o = 0;
	uint16_t an = 0;

	p->n = 0;
	while (off < len && q[off] && q[off] < 64 && off + q[off] < len) {
		snprintf(name + o, sizeof(name) - o, "%s%.*s", o ? "." : "",
			 q[off], (const char *)q + off + 1);
		o = strlen(name);
		off += q[off] + 1u;
	}
	if (o == 0 || off + 5 > len)
		return;
	header(p, (uint16_t)(q[0] << 8 | q[1]), F_ANSWER, 0);
	put(p, q + 12, off + 5 - 12);
	if (how == SERVE_FAIL)
		p->b[3] |= 2;
	else if (!zone_answer(p, name, 12,
			      (uint16_t)(q[off + 1] << 8 | q[off + 2]), &an))
		p->b[3] |= 3;
	p->b[6] = an >> 8;
	p->b[7] = an & 0xff;
}

struct listener {
	int fd;
	enum how how;
	struct sockaddr_storage sa;
};

static void serve(struct listener *l, size_t n, int reply_fd)
{
	struct pollfd pfd[8];
	struct sockaddr_storage from;
	socklen_t flen;
	uint8_t q[512];
	struct pkt p;
	ssize_t len;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (size_t i = 0; i < n; i++)
		pfd[i] = (struct pollfd){ .fd = l[i].fd, .events = POLLIN };
	while (poll(pfd, n, -1) > 0) {
		for (size_t i = 0; i < n; i++) {
			if (!pfd[i].revents)
				continue;
			flen = sizeof(from);
			len = recvfrom(l[i].fd, q, sizeof(q), 0, (void *)&from,
				       &flen);
			if (len <= 0)
				continue;
			respond(&p, q, (size_t)len, l[i].how);
			if (l[i].how == SERVE_GUESS && p.n > 2) {
				p.b[1] ^= 1;
				sendto(l[i].fd, p.b, p.n, 0, (void *)&from, flen);
				p.b[1] ^= 1;
			}
			sendto(l[i].how == SERVE_ELSEWHERE ? reply_fd : l[i].fd,
			       p.b, p.n, 0, (void *)&from, flen);
		}
	}
	_exit(0);
}

/* A UDP socket on loopback, on a port of the kernel's choosing. */
static int listen_on(int family, struct sockaddr_storage *sa)
{
	socklen_t len = sizeof(*sa);
	int fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	memset(sa, 0, sizeof(*sa));
	sa->ss_family = family;
	if (family == AF_INET)
		((struct sockaddr_in *)sa)->sin_addr.s_addr =
			htonl(INADDR_LOOPBACK);
	else
		((struct sockaddr_in6 *)sa)->sin6_addr = in6addr_loopback;
	if (fd < 0 || bind(fd, (void *)sa, sizeof(*sa)) < 0 ||
	    getsockname(fd, (void *)sa, &len) < 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static long elapsed_ms(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 +
	       (t.tv_nsec - t0->tv_nsec) / 1000000;
}

static struct dns_name names[4];
static const char *const name_text[4] = { "www.test", "alias.test",
					  "v4only.test", "nx.test" };

/* Resolves the four names with `servers`; returns the milliseconds taken
 * or -1 when dns_resolve failed. */
static long resolve(const struct sockaddr_storage *servers, size_t n,
		    unsigned int budget_ms)
{
	struct fw_error err = { 0 };
	struct timespec t0;
	int r;

	for (int i = 0; i < 4; i++) {
		interval_list_free(&names[i].v4);
		interval_list_free(&names[i].v6);
		interval_list_init(&names[i].v4, 4);
		interval_list_init(&names[i].v6, 16);
		names[i].name = name_text[i];
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = dns_resolve(servers, n, names, 4, budget_ms, &err);
	if (r < 0)
		printf("# dns_resolve: %d %s\n", r, err.what);
	return r < 0 ? -1 : elapsed_ms(&t0);
}

static const char *addrs(int i)
{
	static char buf[256];
	char v4[128], v6[128];

	interval_normalize(&names[i].v4);
	interval_normalize(&names[i].v6);
	render(&names[i].v4, AF_INET, v4, sizeof(v4));
	render(&names[i].v6, AF_INET6, v6, sizeof(v6));
	snprintf(buf, sizeof(buf), "%s|%s", v4, v6);
	return buf;
}

static void check_all_answered(const char *how)
{
	char what[128];

	snprintf(what, sizeof(what), "%s: www.test", how);
	is(addrs(0), "192.0.2.1-192.0.2.2|2001:db8::1", what);
	snprintf(what, sizeof(what), "%s: alias.test through its CNAME", how);
	is(addrs(1), "192.0.2.1-192.0.2.2|2001:db8::1", what);
	snprintf(what, sizeof(what), "%s: v4only.test", how);
	is(addrs(2), "192.0.2.3|", what);
	snprintf(what, sizeof(what), "%s: nx.test, no address", how);
	is(addrs(3), "|", what);
	ok(names[0].answered && names[1].answered && names[2].answered &&
		   names[3].answered,
	   "%s: every name answered", how);
}

enum { GOOD4, GOOD6, FAIL4, ELSEWHERE4, GUESS4, DEAD4, DEAD6, NLISTEN };

static void test_live(struct listener *l, bool v6)
{
	struct sockaddr_storage s[2];
	long ms;

	s[0] = l[GOOD4].sa;
	ms = resolve(s, 1, 2000);
	ok(ms >= 0 && ms < 500, "one live server: %ld ms", ms);
	check_all_answered("127.0.0.1");
	if (v6) {
		s[0] = l[GOOD6].sa;
		ms = resolve(s, 1, 2000);
		ok(ms >= 0 && ms < 500, "one live server on ::1: %ld ms", ms);
		check_all_answered("::1");
	}

	s[0] = l[DEAD4].sa;
	s[1] = l[GOOD4].sa;
	ms = resolve(s, 2, 1500);
	ok(ms >= 400 && ms < 1000,
	   "dead server first: the second answers after budget/3 (%ld ms)",
	   ms);
	check_all_answered("dead, then live");

	s[0] = l[FAIL4].sa;
	ms = resolve(s, 2, 3000);
	ok(ms >= 0 && ms < 500, "SERVFAIL moves on at once: %ld ms", ms);
	check_all_answered("failing, then live");
}

static void test_unanswered(struct listener *l, bool v6)
{
	struct sockaddr_storage s[2] = { l[DEAD4].sa, l[DEAD6].sa };
	long ms = resolve(s, v6 ? 2 : 1, 600);

	ok(ms >= 595 && ms < 700, "dead servers only: the budget (%ld ms)",
	   ms);
	ok(!names[0].answered && !names[3].answered && !names[0].v4.n,
	   "dead servers only: nothing answered");

	s[0] = l[FAIL4].sa;
	ms = resolve(s, 1, 3000);
	ok(ms >= 0 && ms < 500 && !names[0].answered,
	   "every server failed: given up at once (%ld ms)", ms);

	s[0] = l[ELSEWHERE4].sa;
	ms = resolve(s, 1, 600);
	ok(ms >= 595 && !names[0].answered && !names[0].v4.n,
	   "answers from another port are dropped");

	s[0] = l[GUESS4].sa;
	ms = resolve(s, 1, 3000);
	ok(ms >= 0 && ms < 500 && !names[0].answered && !names[0].v4.n,
	   "a server whose address answers an id not asked is given up at "
	   "once, its right answer too (%ld ms)", ms);
	s[1] = l[GOOD4].sa;
	ms = resolve(s, 2, 3000);
	ok(ms >= 0 && ms < 500, "forged first, live second: %ld ms", ms);
	check_all_answered("forged, then live");
}

static void test_limits(void)
{
	struct dns_name many[DNS_MAX_NAMES + 1] = { 0 };
	struct sockaddr_storage s = { .ss_family = AF_INET };
	struct dns_name bad = { .name = "a..b" };
	struct fw_error err = { 0 };

	ok(dns_resolve(&s, 1, many, DNS_MAX_NAMES + 1, 100, &err) == -E2BIG,
	   "more than DNS_MAX_NAMES names: %s", err.what);
	ok(dns_resolve(&s, 1, &bad, 1, 100, &err) == -EINVAL,
	   "a name that is no DNS name: %s", err.what);
	s.ss_family = AF_UNIX;
	bad.name = "ok.test";
	ok(dns_resolve(&s, 1, &bad, 1, 100, &err) == -EINVAL,
	   "a server neither IPv4 nor IPv6: %s", err.what);
}

static void test_sockets(void)
{
	static const int family[NLISTEN] = { AF_INET, AF_INET6, AF_INET, AF_INET,
					     AF_INET, AF_INET, AF_INET6 };
	static const enum how how[NLISTEN] = { SERVE_ZONE, SERVE_ZONE,
					       SERVE_FAIL, SERVE_ELSEWHERE,
					       SERVE_GUESS };
	struct listener l[NLISTEN];
	bool v6;
	pid_t pid;
	int status;

	for (int i = 0; i < NLISTEN; i++) {
		l[i].fd = listen_on(family[i], &l[i].sa);
		l[i].how = how[i];
	}
	v6 = l[GOOD6].fd >= 0 && l[DEAD6].fd >= 0;
	if (!v6)
		printf("# no ::1 here: IPv6 servers not tested\n");
	if (l[GOOD4].fd < 0 || l[FAIL4].fd < 0 || l[ELSEWHERE4].fd < 0 ||
	    l[GUESS4].fd < 0 || l[DEAD4].fd < 0) {
		ok(0, "UDP sockets on 127.0.0.1");
		return;
	}
	pid = fork();
	if (pid == 0)
		serve(l, DEAD4, l[GOOD4].fd); /* poll() skips a missing ::1 */
	test_live(l, v6);
	test_unanswered(l, v6);
	kill(pid, SIGKILL);
	ok(waitpid(pid, &status, 0) == pid, "the nameserver child is reaped");
	for (int i = 0; i < NLISTEN; i++)
		if (l[i].fd >= 0)
			close(l[i].fd);
	for (int i = 0; i < 4; i++) {
		interval_list_free(&names[i].v4);
		interval_list_free(&names[i].v6);
	}
}

int main(void)
{
	test_query();
	test_simple();
	test_cname();
	test_mismatch();
	test_hostile();
	test_truncated();
	test_class();
	test_limits();
	test_sockets();
	return tap_done();
}
