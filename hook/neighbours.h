/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The processes already in a network namespace, and what they could undo. */
#ifndef OCI_FW_NEIGHBOURS_H
#define OCI_FW_NEIGHBOURS_H

#include <stdint.h>
#include <sys/types.h>

#include "error.h"

/*
 * Refuses (-EPERM) when a thread in the network namespace `netns_fd`, other
 * than the container's own process `pid`, holds a RISK_* capability that
 * `accepted` does not name; the error names the capability, the PID and,
 * when its cgroup tells, the container.  Threads in the hook's own mount
 * namespace belong to the runtime (podman's rootlessport, a late
 * companion) and are trusted like it.
 */
int neighbours_check(int netns_fd, pid_t pid, uint64_t accepted,
		     struct fw_error *err);

#endif
