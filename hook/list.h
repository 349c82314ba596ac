/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Walking comma-separated lists: fw.unsafe, --allowed-policies. */
#ifndef OCI_FW_LIST_H
#define OCI_FW_LIST_H

#include <string.h>

/* The item at `p` is *len bytes long; returns where the next one starts.
 *   for (const char *p = s, *next; *p; p = next) { next = list_item(p, &n); } */
static inline const char *list_item(const char *p, size_t *len)
{
	*len = strcspn(p, ",");
	return p + *len + (p[*len] == ',');
}

#endif
