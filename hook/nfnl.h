/* SPDX-License-Identifier: GPL-2.0-or-later */
/* nfnetlink's queue and log subsystems: their messages, as libmnl builds
 * them, and their acked configuration. */
#ifndef OCI_FW_NFNL_H
#define OCI_FW_NFNL_H

#include <stdint.h>
#include <libmnl/libmnl.h>

/* A request of `type` to subsystem `subsys` (NFNL_SUBSYS_QUEUE, _ULOG)
 * for queue or group `res_id`, at the start of `buf`. */
struct nlmsghdr *nfnl_msg(char *buf, uint8_t subsys, uint16_t type,
			  uint16_t res_id);

/* Sends a configuration message and waits for the kernel's ack: 0, or
 * -errno (the kernel's answer, or the socket's). */
int nfnl_config(struct mnl_socket *nl, struct nlmsghdr *nlh);

#endif
