/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Sending a batch to nf_tables in the current netns and reading every ack. */
#ifndef OCI_FW_NETLINK_H
#define OCI_FW_NETLINK_H

#include <libmnl/libmnl.h>

#include "batch.h"
#include "error.h"

/* Opens a NETLINK_NETFILTER socket in the calling thread's netns. */
int nl_open(struct mnl_socket **ret, struct fw_error *err);
/* Sends `b` in one sendmsg; the kernel applies it all or nothing.  A failure
 * names the object (from b's origins) the kernel refused and why. */
int nl_commit(struct mnl_socket *nl, const struct batch *b,
	      struct fw_error *err);

#endif
