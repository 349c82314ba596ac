// SPDX-License-Identifier: GPL-2.0-or-later
/* Address lists the JSON scanner hands over, parsed as they stream by. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr_lists.h"
#include "array.h"

bool addr_looks_like(const char *s)
{
	return strpbrk(s, ":/") || strspn(s, "0123456789.") == strlen(s);
}

static bool list_open(void *ctx, const char *path)
{
	struct addr_lists *l = ctx;
	struct addr_list *v;

	if (!l->want(path))
		return false;
	if (ARRAY_RESERVE(l->v, l->cap, l->n, 4) < 0)
		return false; /* json-c reads it then, as ever */
	v = &l->v[l->n++];
	*v = (struct addr_list){ .bad = SIZE_MAX };
	snprintf(v->path, sizeof(v->path), "%s", path);
	interval_list_init(&v->v4, 4);
	interval_list_init(&v->v6, 16);
	return true;
}

static int list_keep(struct addr_list *v, const char *s, size_t len)
{
	if (ARRAY_RESERVE(v->rest, v->rest_cap, v->nrest, 4) < 0)
		return -ENOMEM;
	v->rest[v->nrest].idx = v->count;
	v->rest[v->nrest].s = strndup(s, len);
	return v->rest[v->nrest++].s ? 0 : -ENOMEM;
}

/* No address is longer than 63 bytes ("ffff:...:255.255.255.255/128" is
 * 49): longer strings are kept for the parser's own message. */
static int list_add(void *ctx, const char *s, size_t len)
{
	struct addr_lists *l = ctx;
	struct addr_list *v = &l->v[l->n - 1];
	struct interval iv;
	char buf[64];
	int family, r = 0;

	if (v->bad != SIZE_MAX || v->count >= l->max) {
		v->count++;
		return 0;
	}
	if (len < sizeof(buf)) {
		memcpy(buf, s, len);
		buf[len] = '\0';
	}
	if (len >= sizeof(buf) || s[0] == '@' || !addr_looks_like(buf))
		r = list_keep(v, s, len);
	else if (cidr_parse(buf, &family, &iv, v->why, sizeof(v->why)) < 0)
		v->bad = v->count;
	else
		r = interval_add(family == AF_INET ? &v->v4 : &v->v6, iv.lo,
				 iv.hi);
	v->n = ++v->count;
	return r;
}

void addr_lists_init(struct addr_lists *l, bool (*want)(const char *path),
		     size_t max)
{
	*l = (struct addr_lists){ .want = want, .max = max };
	l->json = (struct json_lists){ list_open, list_add, l };
}

void addr_lists_free(struct addr_lists *l)
{
	for (size_t i = 0; i < l->n; i++) {
		interval_list_free(&l->v[i].v4);
		interval_list_free(&l->v[i].v6);
		for (size_t j = 0; j < l->v[i].nrest; j++)
			free(l->v[i].rest[j].s);
		free(l->v[i].rest);
	}
	free(l->v);
	*l = (struct addr_lists){ 0 };
}

/* A number the user wrote where a list goes has another path than the
 * list of that number, which sat at a path of its own. */
struct addr_list *addr_lists_find(struct addr_lists *l,
				  struct json_object *val, const char *path)
{
	int64_t i;

	if (!json_object_is_type(val, json_type_int))
		return NULL;
	i = json_object_get_int64(val);
	if (i < 0 || (uint64_t)i >= l->n || strcmp(l->v[i].path, path) != 0)
		return NULL;
	return &l->v[i];
}
