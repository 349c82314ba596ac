/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Work that changes a process for good (setns, seccomp), run in a child
 * process whose result comes back through a pipe. */
#ifndef OCI_FW_CHILD_H
#define OCI_FW_CHILD_H

#include <stddef.h>
#include <stdnoreturn.h>

#include "error.h"

/* Runs fn(arg, out, err) in a child; `out` (plain data, `len` bytes) and
 * `err` come back.  Returns fn's result, or -ECHILD when the child died
 * without one (killed by the seccomp filter: that names the signal). */
int child_run(int (*fn)(void *arg, void *out, struct fw_error *err),
	      void *arg, void *out, size_t len, struct fw_error *err);

/* _exit(status) for a forked child, which writes gcov's counters first in
 * coverage builds (_exit skips gcov's exit handler). */
noreturn void child_exit(int status);

#endif
