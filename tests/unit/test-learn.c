// SPDX-License-Identifier: GPL-2.0-or-later
/* learn_packet: which names a pattern admits, what a queued answer teaches. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include "learn_packet.h"
#include "tap.h"

static void test_match(void)
{
	static const struct {
		const char *pattern, *name;
		bool want;
	} cases[] = {
		{ "api.example.com", "api.example.com", true },
		{ "api.example.com", "x.api.example.com", false },
		{ "*.example.com", "a.example.com", true },
		{ "*.example.com", "a.b.example.com", true },
		{ "*.example.com", "example.com", false },
		{ "*.example.com", "evilexample.com", false },
		{ "*.example.com", "a.example.com.evil.net", false },
		{ "*.example.com", "com", false },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ok(learn_name_matches(cases[i].pattern, cases[i].name) ==
			   cases[i].want,
		   "%s %s %s", cases[i].pattern,
		   cases[i].want ? "matches" : "does not match", cases[i].name);
}

/* alias.example.com CNAME final.example.com, final A 192.0.2.7 TTL 300,
 * the CNAME's TTL 30: the least counts. */
static size_t answer(uint8_t *m)
{
	static const uint8_t msg[] = {
		0x12, 0x34, 0x81, 0x80, 0, 1, 0, 2, 0, 0, 0, 0,
		5, 'a', 'l', 'i', 'a', 's', 7, 'E', 'x', 'a', 'm', 'p', 'l', 'e',
		3, 'c', 'o', 'm', 0, 0, 1, 0, 1,
		0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 30, 0, 8,
		5, 'f', 'i', 'n', 'a', 'l', 0xc0, 18,
		0xc0, 47, 0, 1, 0, 1, 0, 0, 1, 44, 0, 4, 192, 0, 2, 7,
	};

	memcpy(m, msg, sizeof(msg));
	return sizeof(msg);
}

/* An IPv4 header (20 bytes) and UDP or TCP from port 53 before `msg`. */
static size_t packet(uint8_t *p, int proto, const uint8_t *msg, size_t n,
		     bool tcp_len)
{
	size_t l4 = proto == IPPROTO_UDP ? 8 : 20, off = 20 + l4;

	memset(p, 0, off);
	p[0] = 0x45;
	p[9] = (uint8_t)proto;
	p[20] = 0;
	p[21] = 53;
	if (proto == IPPROTO_TCP) {
		p[32] = 5 << 4;
		if (tcp_len) {
			p[off] = (uint8_t)(n >> 8);
			p[off + 1] = (uint8_t)n;
			off += 2;
		}
	}
	memcpy(p + off, msg, n);
	return off + n;
}

static void test_packet(void)
{
	uint8_t msg[256], pkt[512];
	size_t n = answer(msg), len;
	struct dns_learned dl;
	int r;

	len = packet(pkt, IPPROTO_UDP, msg, n, false);
	r = learn_packet_read(pkt, len, &dl);
	ok(r == 0 && strcmp(dl.qname, "alias.example.com") == 0 &&
		   dl.qtype == DNS_TYPE_A && dl.naddrs == 1 &&
		   memcmp(dl.addrs[0], "\xc0\x00\x02\x07", 4) == 0 && dl.ttl == 30,
	   "UDP: the question lower case, the chain's address, the least TTL");
	len = packet(pkt, IPPROTO_TCP, msg, n, true);
	ok(learn_packet_read(pkt, len, &dl) == 0 && dl.naddrs == 1,
	   "TCP: a segment holding one whole message");
	ok(learn_packet_read(pkt, len - 1, &dl) == -ENOENT,
	   "TCP: part of a message teaches nothing");
	len = packet(pkt, IPPROTO_TCP, msg, 0, false);
	ok(learn_packet_read(pkt, len, &dl) == -ENOENT,
	   "TCP: a segment without data teaches nothing");
	msg[3] = 0x83; /* NXDOMAIN */
	len = packet(pkt, IPPROTO_UDP, msg, n, false);
	ok(learn_packet_read(pkt, len, &dl) == -ENOENT, "NXDOMAIN teaches nothing");
	msg[3] = 0x80;
	msg[2] = 0x01; /* a query, not a response */
	len = packet(pkt, IPPROTO_UDP, msg, n, false);
	ok(learn_packet_read(pkt, len, &dl) == -EINVAL, "a query is refused");
	ok(learn_packet_read(pkt, 10, &dl) == -EINVAL, "a short packet is refused");
}

int main(void)
{
	test_match();
	test_packet();
	return tap_done();
}
