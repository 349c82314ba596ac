// SPDX-License-Identifier: GPL-2.0-or-later
/* CIDR parsing, interval merging and rendering; SHA-256 vectors. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>

#include "interval.h"
#include "sha256.h"
#include "tap.h"

static const char *render(const char *cidr)
{
	static char buf[160];
	struct interval iv;
	int family;

	if (cidr_parse(cidr, &family, &iv, buf, sizeof(buf)) < 0)
		return buf;
	interval_format_addr(&iv, family, buf, sizeof(buf));
	return buf;
}

static void test_cidr(void)
{
	is(render("192.0.2.0/24"), "192.0.2.0/24", "v4 prefix");
	is(render("192.0.2.7"), "192.0.2.7", "v4 host");
	is(render("192.0.2.7/32"), "192.0.2.7", "v4 /32 is a host");
	is(render("0.0.0.0/0"), "0.0.0.0/0", "v4 everything");
	is(render("2001:db8::/32"), "2001:db8::/32", "v6 prefix");
	is(render("::/0"), "::/0", "v6 everything");
	is(render("fe80::/10"), "fe80::/10", "v6 odd prefix");
	is(render("192.0.2.1/24"),
	   "\"192.0.2.1/24\" has host bits set (did you mean 192.0.2.0/24?)",
	   "host bits are an error with a hint");
	is(render("2001:db8::1/32"),
	   "\"2001:db8::1/32\" has host bits set (did you mean 2001:db8::/32?)",
	   "v6 host bits");
	is(render("192.0.2.0/33"),
	   "\"192.0.2.0/33\" has no valid prefix length (0-32)", "/33");
	is(render("2001:db8::/129"),
	   "\"2001:db8::/129\" has no valid prefix length (0-128)", "/129");
	is(render("192.0.2.0/"), "\"192.0.2.0/\" has no valid prefix length (0-32)",
	   "empty prefix");
	is(render("192.0.2.0/+8"),
	   "\"192.0.2.0/+8\" has no valid prefix length (0-32)", "signed prefix");
	is(render("256.0.0.1"),
	   "\"256.0.0.1\" is not an IPv4 or IPv6 address or CIDR", "bad octet");
	is(render("example.com"),
	   "\"example.com\" is not an IPv4 or IPv6 address or CIDR", "a name");
	is(render(""), "\"\" is not an IPv4 or IPv6 address or CIDR", "empty");
}

static void add(struct interval_list *l, const char *cidr)
{
	struct interval iv;
	char why[160];
	int family;

	if (cidr_parse(cidr, &family, &iv, why, sizeof(why)) == 0)
		interval_add(l, iv.lo, iv.hi);
}

static const char *list_text(struct interval_list *l, int family)
{
	static char buf[512];
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < l->n; i++) {
		char one[128];

		interval_format_addr(&l->v[i], family, one, sizeof(one));
		used += snprintf(buf + used, sizeof(buf) - used, "%s%s",
				 i ? ", " : "", one);
	}
	return buf;
}

static void test_normalize(void)
{
	struct interval_list l;

	interval_list_init(&l, 4);
	add(&l, "10.0.0.0/8");
	add(&l, "10.1.0.0/16"); /* inside */
	add(&l, "192.0.2.0/25");
	add(&l, "192.0.2.128/25"); /* adjacent: merges into a /24 */
	add(&l, "198.51.100.1");
	add(&l, "198.51.100.3"); /* not adjacent */
	add(&l, "255.255.255.255");
	add(&l, "255.255.255.254"); /* touches the top */
	interval_normalize(&l);
	is(list_text(&l, AF_INET),
	   "10.0.0.0/8, 192.0.2.0/24, 198.51.100.1, 198.51.100.3, "
	   "255.255.255.254/31",
	   "overlaps and neighbours merge, in order");
	add(&l, "198.51.100.2");
	interval_normalize(&l);
	is(list_text(&l, AF_INET),
	   "10.0.0.0/8, 192.0.2.0/24, 198.51.100.1-198.51.100.3, "
	   "255.255.255.254/31",
	   "a run that is no CIDR renders as a range");
	interval_list_free(&l);

	interval_list_init(&l, 16);
	add(&l, "2001:db8:1::/48");
	add(&l, "2001:db8::/32");
	add(&l, "::/0");
	interval_normalize(&l);
	is(list_text(&l, AF_INET6), "::/0", "v6 swallowed by ::/0");
	interval_list_free(&l);
}

static void test_ports(void)
{
	struct interval_list l;
	uint8_t a[2], b[2];
	char buf[32];

	interval_list_init(&l, 2);
	port_key(443, a);
	interval_add(&l, a, a);
	port_key(80, a);
	port_key(81, b);
	interval_add(&l, a, b);
	port_key(82, a);
	interval_add(&l, a, a);
	interval_normalize(&l);
	ok(l.n == 2, "80-81 and 82 merge, 443 stays apart");
	interval_format_port(&l.v[0], buf, sizeof(buf));
	is(buf, "80-82", "port range renders lo-hi");
	interval_format_port(&l.v[1], buf, sizeof(buf));
	is(buf, "443", "single port renders as a number");
	interval_list_free(&l);
}

static void test_complement(void)
{
	struct interval_list l;

	interval_list_init(&l, 4);
	add(&l, "10.0.0.0/8");
	add(&l, "255.255.255.255");
	ok(interval_complement(&l) == 0, "complement");
	is(list_text(&l, AF_INET), "0.0.0.0-9.255.255.255, 11.0.0.0-255.255.255.254",
	   "the keys around the intervals, none past the last key");
	interval_list_free(&l);

	add(&l, "0.0.0.0/0");
	ok(interval_complement(&l) == 0 && l.n == 0, "the complement of all is empty");
	ok(interval_complement(&l) == 0 && l.n == 1, "and of nothing, all");
	is(list_text(&l, AF_INET), "0.0.0.0/0", "from the first key to the last");
	interval_list_free(&l);
}

static void add_cidr(struct interval_list *l, const char *s)
{
	struct interval iv;
	char why[128];
	int family;

	if (cidr_parse(s, &family, &iv, why, sizeof(why)) == 0)
		interval_add(l, iv.lo, iv.hi);
}

/* "a.b.c.d/p" of by_len's i-th block of length `plen` */
static bool block_is(const struct interval_list *by_len, unsigned int plen,
		     size_t i, const char *want)
{
	char buf[64];

	if (i >= by_len[plen].n)
		return false;
	inet_ntop(AF_INET, by_len[plen].v[i].lo, buf, sizeof(buf));
	snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "/%u", plen);
	return strcmp(buf, want) == 0;
}

static void test_split_prefixes(void)
{
	struct interval_list l, by_len[33];
	size_t total = 0;

	interval_list_init(&l, 4);
	for (unsigned int p = 0; p <= 32; p++)
		interval_list_init(&by_len[p], 4);
	/* 10.0.0.1-10.0.1.255 and the last address */
	add_cidr(&l, "10.0.0.1/32");
	add_cidr(&l, "10.0.0.2/31");
	add_cidr(&l, "10.0.0.4/30");
	add_cidr(&l, "10.0.0.8/29");
	add_cidr(&l, "10.0.0.16/28");
	add_cidr(&l, "10.0.0.32/27");
	add_cidr(&l, "10.0.0.64/26");
	add_cidr(&l, "10.0.0.128/25");
	add_cidr(&l, "10.0.1.0/24");
	add_cidr(&l, "255.255.255.255/32");
	interval_normalize(&l);
	ok(l.n == 2 && interval_split_prefixes(&l, by_len) == 0,
	   "split: merged first");
	for (unsigned int p = 0; p <= 32; p++)
		total += by_len[p].n;
	ok(total == 10 && block_is(by_len, 32, 0, "10.0.0.1/32") &&
		   block_is(by_len, 32, 1, "255.255.255.255/32") &&
		   block_is(by_len, 31, 0, "10.0.0.2/31") &&
		   block_is(by_len, 25, 0, "10.0.0.128/25") &&
		   block_is(by_len, 24, 0, "10.0.1.0/24"),
	   "split: a range becomes its aligned blocks, by length");
	for (unsigned int p = 0; p <= 32; p++)
		interval_list_free(&by_len[p]);
	interval_list_free(&l);
	add_cidr(&l, "0.0.0.0/0");
	ok(interval_split_prefixes(&l, by_len) == 0 && by_len[0].n == 1 &&
		   block_is(by_len, 0, 0, "0.0.0.0/0"),
	   "split: everything is one /0");
	for (unsigned int p = 0; p <= 32; p++)
		interval_list_free(&by_len[p]);
	interval_list_free(&l);
}

static void test_increment(void)
{
	uint8_t k[2] = { 0x00, 0xff }, top[2] = { 0xff, 0xff };

	ok(key_increment(k, 2) && k[0] == 1 && k[1] == 0, "carry");
	ok(!key_increment(top, 2), "the last key wraps");
}

static const char *hex(const void *data, size_t len)
{
	static char buf[65];
	uint8_t d[32];

	sha256(data, len, d);
	for (int i = 0; i < 32; i++)
		snprintf(buf + 2 * i, 3, "%02x", d[i]);
	return buf;
}

static void test_sha256(void)
{
	char *a = malloc(1000000);

	is(hex("", 0),
	   "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	   "sha256 of nothing");
	is(hex("abc", 3),
	   "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	   "sha256 of abc");
	is(hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56),
	   "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
	   "sha256 of 56 bytes (padding spills into a second block)");
	memset(a, 'a', 1000000);
	is(hex(a, 1000000),
	   "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
	   "sha256 of a million a");
	free(a);
}

int main(void)
{
	test_cidr();
	test_normalize();
	test_split_prefixes();
	test_ports();
	test_increment();
	test_complement();
	test_sha256();
	return tap_done();
}
