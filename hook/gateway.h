/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The default-route gateways of the current network namespace. */
#ifndef OCI_FW_GATEWAY_H
#define OCI_FW_GATEWAY_H

#include "error.h"
#include "interval.h"

/*
 * Adds to `v4` and `v6` (keylen 4 and 16, initialised by the caller) one
 * single-point interval per gateway of the default routes (destination
 * prefix length 0) in the main routing table of the calling thread's
 * network namespace: RTA_GATEWAY, RTA_VIA (an IPv4 route through an IPv6
 * gateway adds to `v6`) and those of every RTA_MULTIPATH nexthop.  A route
 * without a gateway adds nothing.  A route through a nexthop object
 * (RTA_NH_ID) shows its gateway only while net.ipv4.nexthop_compat_mode is
 * 1, the default; with 0 it adds nothing.  One RTM_GETROUTE dump over a
 * netlink socket: socket(AF_NETLINK), bind, getsockname, sendto, recvmsg,
 * close.
 * Returns 0, or -errno with `err` filled; the lists may then hold part of
 * the answer.
 */
int gateways_read(struct interval_list *v4, struct interval_list *v6,
		  struct fw_error *err);

#endif
