/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A process id read from text or JSON, with one set of limits. */
#ifndef OCI_FW_PID_H
#define OCI_FW_PID_H

#include <stdint.h>
#include <sys/types.h>

/* The kernel's ceiling for /proc/sys/kernel/pid_max (PID_MAX_LIMIT on
 * 64-bit): no process id is above it, whatever pid_max says. */
#define FW_PID_MAX 4194304

/* Decimal digits and nothing else (no sign, no space): -EINVAL for
 * anything else, -ERANGE for 0 or above FW_PID_MAX. */
int pid_parse(const char *s, pid_t *ret);
/* The same limits for a number already read (state.json's "pid"). */
int pid_from_int(int64_t v, pid_t *ret);

#endif
