/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The addresses of the runtime's network namespace: part of `host`. */
#ifndef OCI_FW_HOSTADDR_H
#define OCI_FW_HOSTADDR_H

#include "error.h"
#include "interval.h"

/* More addresses than this in the runtime's namespace: stop, an error. */
#define HOSTADDR_MAX 1024

/*
 * The addresses of the current network namespace's interfaces, read over
 * rtnetlink: run in the runtime's namespace, before entering the
 * container's.  Loopback addresses (127.0.0.0/8, ::1) are left out: in
 * the container they are its own.  Bounded: HOSTADDR_MAX addresses.
 */
int host_addresses_read(struct interval_list *v4, struct interval_list *v6,
			struct fw_error *err);

#endif
