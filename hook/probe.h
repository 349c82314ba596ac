/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Two scratch network namespaces joined by a veth, and datagrams between
 * them: doctor's proof that a loaded firewall refuses packets. */
#ifndef OCI_FW_PROBE_H
#define OCI_FW_PROBE_H

#include "error.h"

/* Documentation addresses: they exist only in the scratch namespaces. */
#define PROBE_SELF_ADDR "192.0.2.1" /* the namespace to firewall */
#define PROBE_PEER_ADDR "192.0.2.2" /* its neighbour across the veth */

/* Sockets and namespaces by fd: each socket stays in the namespace it
 * was opened in, whichever one the process is in later. */
struct probe {
	int self_ns, peer_ns;
	int self_rx, self_tx; /* bound to PROBE_SELF_ADDR; unbound */
	int peer_rx, peer_tx;
};

/*
 * Moves the calling process (a child of its own: it never comes back)
 * into a new network namespace, with a veth to a second new one, the
 * addresses above on both ends, and the sockets.  Nothing leaves the
 * two namespaces, and they vanish with the process.
 */
int probe_setup(struct probe *p, struct fw_error *err);
/* One datagram out of the firewalled namespace (egress) or into it
 * (ingress): 0 when it arrived, -EPERM (or what sendto said) when the
 * sender's kernel refused it, -ETIMEDOUT when it never arrived. */
int probe_egress(const struct probe *p, int timeout_ms);
int probe_ingress(const struct probe *p, int timeout_ms);
void probe_close(struct probe *p);

#endif
