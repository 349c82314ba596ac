/* SPDX-License-Identifier: GPL-2.0-or-later */
/* nfnetlink_queue, spoken with libmnl: bind a queue, read packets, say
 * verdicts. */
#ifndef OCI_FW_NFQUEUE_H
#define OCI_FW_NFQUEUE_H

#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

#include "error.h"

/* Opens a socket in the current netns and binds queue `num`, copying
 * whole packets, fail-open off.  -EBUSY when another socket holds it. */
int nfq_open(uint16_t num, struct mnl_socket **ret, struct fw_error *err);

struct nfq_packet {
	uint32_t id; /* for the verdict */
	const uint8_t *payload; /* from the network header */
	size_t len;
};

/* Called for each packet of one receive; a verdict must follow for each
 * (nfq_verdict), now or later. */
typedef void (*nfq_packet_fn)(const struct nfq_packet *p, void *data);

/* Reads what is waiting (MSG_DONTWAIT) into `buf`: 0, -EAGAIN when
 * nothing was, -ENOBUFS when the kernel dropped packets for want of
 * room (they were not delivered: fail closed), another -errno. */
int nfq_receive(struct mnl_socket *nl, void *buf, size_t len,
		nfq_packet_fn fn, void *data);

/* NF_ACCEPT or NF_DROP for packet `id` of queue `num`. */
int nfq_verdict(struct mnl_socket *nl, uint16_t num, uint32_t id,
		uint32_t verdict);

#endif
