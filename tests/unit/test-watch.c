// SPDX-License-Identifier: GPL-2.0-or-later
/* watch's reader of what NFLOG copies (the IP header and the start of the
 * transport header, IPv6 extension headers included) and its two ways of
 * printing an event. */
#include <errno.h>
#include <stdlib.h>

#include "tap.h"
#include "watch.h"

/* IPv4 198.51.100.1 -> 198.51.100.2, header length `ihl` words. */
static size_t ipv4(uint8_t *p, uint8_t proto, int ihl)
{
	memset(p, 0, 64);
	p[0] = (uint8_t)(0x40 | ihl);
	p[9] = proto;
	memcpy(p + 12, (uint8_t[]){ 198, 51, 100, 1, 198, 51, 100, 2 }, 8);
	return (size_t)ihl * 4;
}

/* IPv6 2001:db8::1 -> 2001:db8::2 with next header `next`. */
static size_t ipv6(uint8_t *p, uint8_t next)
{
	memset(p, 0, 128);
	p[0] = 0x60;
	p[6] = next;
	p[8] = 0x20, p[9] = 0x01, p[10] = 0x0d, p[11] = 0xb8, p[23] = 1;
	p[24] = 0x20, p[25] = 0x01, p[26] = 0x0d, p[27] = 0xb8, p[39] = 2;
	return 40;
}

static void ports(uint8_t *l4, unsigned sport, unsigned dport)
{
	l4[0] = (uint8_t)(sport >> 8), l4[1] = (uint8_t)sport;
	l4[2] = (uint8_t)(dport >> 8), l4[3] = (uint8_t)dport;
}

/* What watch_print writes, from the rule on (the time before it changes). */
static char *printed(const struct watch_event *ev, bool json)
{
	char *buf = NULL, *rest, *s = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int r = watch_print(ev, json, f);

	fclose(f);
	rest = json ? strstr(buf, "\"rule\"") : strchr(buf, ' ');
	if (r == 0 && rest)
		s = strdup(json ? rest : rest + 1);
	free(buf);
	return s;
}

static void test_ipv4(void)
{
	uint8_t p[64];
	struct watch_event ev;
	size_t off = ipv4(p, IPPROTO_TCP, 5);
	char *s;

	ports(p + off, 40000, 8081);
	ok(watch_decode("oci-fw-watch:reject:egress.deny[0]", p, off + 20,
			&ev) == 0 && ev.action == WATCH_REJECT &&
		   ev.family == AF_INET && ev.has_ports && ev.sport == 40000 &&
		   ev.dport == 8081 && !ev.has_icmp,
	   "IPv4 TCP: action, family, ports");
	s = printed(&ev, false);
	is(s, "egress.deny[0] reject tcp 198.51.100.1:40000 -> 198.51.100.2:8081\n",
	   "IPv4 TCP: the text line");
	free(s);
	s = printed(&ev, true);
	is(s, "\"rule\":\"egress.deny[0]\",\"action\":\"reject\",\"proto\":\"tcp\","
	      "\"src\":\"198.51.100.1\",\"dst\":\"198.51.100.2\",\"sport\":40000,"
	      "\"dport\":8081}\n",
	   "IPv4 TCP: the JSON object");
	free(s);

	/* Options: the transport header starts after them. */
	off = ipv4(p, IPPROTO_UDP, 6);
	ports(p + off, 53, 5353);
	ok(watch_decode("oci-fw-watch:drop:egress.default", p, off + 8, &ev) == 0 &&
		   ev.sport == 53 && ev.dport == 5353,
	   "IPv4 with options: ports after them");

	off = ipv4(p, IPPROTO_ICMP, 5);
	p[off] = 8;
	ok(watch_decode("oci-fw-watch:audit-drop:no-lan:egress.deny[1]", p,
			off + 8, &ev) == 0 && ev.has_icmp && ev.icmp_type == 8 &&
		   !ev.has_ports && strcmp(ev.path, "no-lan:egress.deny[1]") == 0,
	   "IPv4 ICMP: type, an included policy's path");
	s = printed(&ev, false);
	is(s, "no-lan:egress.deny[1] audit-drop icmp 198.51.100.1 -> 198.51.100.2 (echo request)\n",
	   "ICMP echo: the text line says so");
	free(s);
	s = printed(&ev, true);
	ok(s && strstr(s, "\"icmp_type\":8,\"icmp_code\":0}"),
	   "ICMP: type and code in JSON");
	free(s);

	/* Cut short: the address is known, the ports are not. */
	off = ipv4(p, IPPROTO_TCP, 5);
	ok(watch_decode("oci-fw-watch:drop:x", p, off + 2, &ev) == 0 &&
		   !ev.has_ports, "IPv4 TCP cut before its ports: no ports");
	ok(watch_decode("oci-fw-watch:drop:x", p, 19, &ev) == -EINVAL,
	   "IPv4 shorter than its header: refused");
	ipv4(p, IPPROTO_TCP, 4);
	ok(watch_decode("oci-fw-watch:drop:x", p, 40, &ev) == -EINVAL,
	   "IPv4 header length under 20: refused");
	ipv4(p, IPPROTO_TCP, 15);
	ok(watch_decode("oci-fw-watch:drop:x", p, 40, &ev) == -EINVAL,
	   "IPv4 header length past the copy: refused");
}

static void test_ipv6(void)
{
	uint8_t p[128];
	struct watch_event ev;
	size_t off = ipv6(p, 0);
	char *s;

	/* hop-by-hop (8 bytes) -> fragment (8) -> udp */
	p[off] = 44, p[off + 1] = 0;
	p[off + 8] = IPPROTO_UDP;
	ports(p + off + 16, 5000, 53);
	ok(watch_decode("oci-fw-watch:drop:egress.default", p, off + 24,
			&ev) == 0 && ev.family == AF_INET6 &&
		   ev.proto == IPPROTO_UDP && ev.dport == 53,
	   "IPv6 through hop-by-hop and fragment headers to UDP");
	s = printed(&ev, false);
	is(s, "egress.default drop udp [2001:db8::1]:5000 -> [2001:db8::2]:53\n",
	   "IPv6: addresses in brackets");
	free(s);

	/* destination options of 16 bytes (length field 1) */
	off = ipv6(p, 60);
	p[off] = IPPROTO_ICMPV6, p[off + 1] = 1;
	p[off + 16] = 128;
	ok(watch_decode("oci-fw-watch:reject:ingress.default", p, off + 24,
			&ev) == 0 && ev.has_icmp && ev.icmp_type == 128,
	   "IPv6 destination options (16 bytes) to ICMPv6 echo");

	off = ipv6(p, 0);
	ok(watch_decode("oci-fw-watch:drop:x", p, off + 4, &ev) == -EINVAL,
	   "IPv6 extension header cut short: refused");
	off = ipv6(p, 43);
	p[off] = IPPROTO_TCP, p[off + 1] = 20; /* longer than the copy */
	ok(watch_decode("oci-fw-watch:drop:x", p, off + 8, &ev) == 0 &&
		   !ev.has_ports && !ev.has_icmp,
	   "IPv6 header running past the copy: addresses, nothing more");
	ok(watch_decode("oci-fw-watch:drop:x", p, 39, &ev) == -EINVAL,
	   "IPv6 shorter than its header: refused");
}

static void test_not_watch(void)
{
	uint8_t p[64];
	struct watch_event ev;

	ipv4(p, IPPROTO_TCP, 5);
	ok(watch_decode("oci-fw: drop", p, 40, &ev) == -EINVAL,
	   "a log rule's prefix: not watch's");
	ok(watch_decode("oci-fw-watch:explode:x", p, 40, &ev) == -EINVAL,
	   "an action watch does not write: refused");
	p[0] = 0x55;
	ok(watch_decode("oci-fw-watch:drop:x", p, 40, &ev) == -EINVAL,
	   "IP version 5: refused");
}

int main(void)
{
	test_ipv4();
	test_ipv6();
	test_not_watch();
	return tap_done();
}
