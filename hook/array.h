/* SPDX-License-Identifier: GPL-2.0-or-later */
/* array.h: arrays that grow by doubling, so that n appends over untrusted
 * input cost O(n) copies, not O(n^2). */
#ifndef OCI_FW_ARRAY_H
#define OCI_FW_ARRAY_H

#include <stddef.h>

/* Room for element n of *items (whose capacity is *cap elements of size
 * bytes): the array doubles, starting at first.  0 or -ENOMEM; on error
 * *items is unchanged. */
int array_reserve(void **items, size_t *cap, size_t n, size_t size,
		  size_t first);

#define ARRAY_RESERVE(items, cap, n, first)                                    \
	array_reserve((void **)&(items), &(cap), (n), sizeof(*(items)), (first))

#endif
