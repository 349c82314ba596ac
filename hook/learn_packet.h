/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What a queued DNS answer teaches: its IP packet read, its names matched. */
#ifndef OCI_FW_LEARN_PACKET_H
#define OCI_FW_LEARN_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dns.h"

/*
 * The DNS message in an IPv4 or IPv6 packet (as NFQUEUE hands it over,
 * from the network header) from UDP or TCP source port 53, read by
 * dns_answer_read().  Over TCP only a segment that holds one whole
 * message after its 2-byte length teaches anything: an answer split
 * across segments (larger than one segment, or a segment that ends
 * early) is delivered but learns nothing, so connections to its
 * addresses stay blocked.  IPv6 extension headers are not followed.
 * Returns 0, -ENOENT for a packet that teaches nothing, -EINVAL when
 * malformed.  Safe on any bytes.
 */
int learn_packet_read(const uint8_t *pkt, size_t len, struct dns_learned *ret);

/*
 * Whether `name` (lowercase, no final dot: dns_learned.qname) is what a
 * policy's `pattern` names: the same name, or for "*.example.com" any
 * name of one or more labels under example.com ("a.example.com",
 * "a.b.example.com"), never example.com itself nor "evilexample.com".
 */
bool learn_name_matches(const char *pattern, const char *name);

#endif
