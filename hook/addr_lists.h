/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Address lists the JSON scanner hands over, parsed as they stream by. */
#ifndef OCI_FW_ADDR_LISTS_H
#define OCI_FW_ADDR_LISTS_H

#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>

#include "interval.h"
#include "json_strict.h"

/* A string that is not an address: a reference, a name, a long string.
 * The policy parser reads it in its rule's context. */
struct addr_rest {
	size_t idx;
	char *s;
};

/*
 * One list taken from the document (json_lists): its addresses already in
 * interval form, in order, everything else kept for later.  Parsing stops
 * at the first string that looks like an address and is not one; its error
 * waits until the policy parser reaches the list, so that errors come in
 * the order they always did.
 */
struct addr_list {
	char path[128];
	struct interval_list v4, v6;
	struct addr_rest *rest;
	size_t nrest, rest_cap;
	size_t count; /* strings in the list */
	size_t n;     /* of them read: up to and with the first bad one */
	size_t bad;   /* index of the first bad one, or SIZE_MAX */
	char why[160];
};

struct addr_lists {
	struct addr_list *v;
	size_t n, cap;
	bool (*want)(const char *path); /* the paths that hold address lists */
	size_t max; /* a list may hold: past it, strings are only counted */
	struct json_lists json;		/* for json_parse_lists() */
};

void addr_lists_init(struct addr_lists *l, bool (*want)(const char *path),
		     size_t max);
void addr_lists_free(struct addr_lists *l);
/* The list json-c read as a placeholder `val` at `path`, or NULL. */
struct addr_list *addr_lists_find(struct addr_lists *l,
				  struct json_object *val, const char *path);
/* Whether `s` is meant as an address ("192.0.2.1", "2001:db8::/32"): what
 * the policy reads as an address, not a name. */
bool addr_looks_like(const char *s);

#endif
