// SPDX-License-Identifier: GPL-2.0-or-later
/* array.c: arrays that grow by doubling (array.h). */
#include <errno.h>
#include <stdlib.h>

#include "array.h"

int array_reserve(void **items, size_t *cap, size_t n, size_t size,
		  size_t first)
{
	size_t grown;
	void *p;

	if (n < *cap)
		return 0;
	grown = *cap ? 2 * *cap : first;
	/* reallocarray refuses a product that overflows. */
	p = reallocarray(*items, grown, size);
	if (!p)
		return -ENOMEM;
	*items = p;
	*cap = grown;
	return 0;
}
