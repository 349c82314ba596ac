// SPDX-License-Identifier: GPL-2.0-or-later
/* What a queued DNS answer teaches: its IP packet read, its names matched. */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include "learn_packet.h"

#define DNS_PORT 53
#define IPV4_MF_OFFSET 0x3fff /* more fragments, fragment offset */

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* The transport header: its protocol and offset; -ENOENT for fragments
 * (conntrack reassembles before the queue: none should come) and IPv6
 * extension headers. */
static int transport(const uint8_t *pkt, size_t len, uint8_t *proto,
		     size_t *off)
{
	if (len < 1)
		return -EINVAL;
	switch (pkt[0] >> 4) {
	case 4:
		if (len < 20 || (pkt[0] & 0x0f) < 5 ||
		    (size_t)(pkt[0] & 0x0f) * 4 > len)
			return -EINVAL;
		if (get16(pkt + 6) & IPV4_MF_OFFSET)
			return -ENOENT;
		*proto = pkt[9];
		*off = (size_t)(pkt[0] & 0x0f) * 4;
		return 0;
	case 6:
		if (len < 40)
			return -EINVAL;
		*proto = pkt[6];
		*off = 40;
		return 0;
	default:
		return -EINVAL;
	}
}

int learn_packet_read(const uint8_t *pkt, size_t len, struct dns_learned *ret)
{
	size_t off, n;
	uint8_t proto;
	int r = transport(pkt, len, &proto, &off);

	if (r < 0)
		return r;
	if (proto == IPPROTO_UDP) {
		if (len - off < 8 || get16(pkt + off) != DNS_PORT)
			return -EINVAL;
		return dns_answer_read(pkt + off + 8, len - off - 8, ret);
	}
	if (proto != IPPROTO_TCP)
		return -ENOENT;
	if (len - off < 20 || get16(pkt + off) != DNS_PORT ||
	    (size_t)(pkt[off + 12] >> 4) * 4 < 20 ||
	    (size_t)(pkt[off + 12] >> 4) * 4 > len - off)
		return -EINVAL;
	off += (size_t)(pkt[off + 12] >> 4) * 4;
	if (len - off < 2)
		return -ENOENT; /* a segment without data: SYN-ACK, ACK, FIN */
	n = get16(pkt + off);
	if (n != len - off - 2)
		return -ENOENT; /* part of a message, or more than one */
	return dns_answer_read(pkt + off + 2, n, ret);
}

bool learn_name_matches(const char *pattern, const char *name)
{
	size_t lp, ln;

	if (strncmp(pattern, "*.", 2) != 0)
		return strcmp(pattern, name) == 0;
	lp = strlen(pattern + 1); /* ".example.com" */
	ln = strlen(name);
	return ln > lp && strcmp(name + ln - lp, pattern + 1) == 0;
}
