/* SPDX-License-Identifier: GPL-2.0-or-later */
/* watch: what a running container's firewall blocks, as it happens. */
#ifndef OCI_FW_WATCH_H
#define OCI_FW_WATCH_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "error.h"
#include "names.h"

/* One blocked (or, in audit mode, would-be blocked) packet. */
struct watch_event {
	enum watch_action action;
	char path[WATCH_PREFIX_MAX + 1]; /* "egress.deny[0]" */
	int family;			 /* AF_INET, AF_INET6 */
	uint8_t proto;			 /* IPPROTO_* */
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
	bool has_ports;			 /* tcp, udp, sctp */
	uint16_t sport, dport;
	bool has_icmp;			 /* icmp, icmpv6: type and code */
	uint8_t icmp_type, icmp_code;
};

/* Decodes one NFLOG record: its prefix and its packet from the network
 * header on.  -EINVAL for a record that is not watch's (a log rule's own
 * group) or a packet too short to say what it was. */
int watch_decode(const char *prefix, const uint8_t *pkt, size_t len,
		 struct watch_event *ret);

/* Prints an event: one line of text, or one JSON object per line. */
int watch_print(const struct watch_event *ev, bool json, FILE *out);

/*
 * Enters the network namespace of process `pid` (which must hold the
 * hook's table), listens to NFLOG group WATCH_GROUP there, confines
 * itself to receiving, and prints every event to `out` until the process
 * exits (0) or an error.  `ready` is called once listening.
 */
int watch_run(pid_t pid, bool json, FILE *out, void (*ready)(void),
	      struct fw_error *err);

#endif
