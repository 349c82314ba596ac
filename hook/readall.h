/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reading a whole file descriptor, up to a bound. */
#ifndef OCI_FW_READALL_H
#define OCI_FW_READALL_H

#include <stddef.h>

/* Returns 0, -EFBIG when more than `max` bytes are there, or -errno.
 * The buffer is NUL-terminated (not counted in *ret_len). */
int read_all(int fd, size_t max, char **ret, size_t *ret_len);

#endif
