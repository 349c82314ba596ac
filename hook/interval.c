// SPDX-License-Identifier: GPL-2.0-or-later
/* Address and port interval math: parse, sort, merge, render. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interval.h"

void interval_list_init(struct interval_list *l, unsigned int keylen)
{
	*l = (struct interval_list){ .keylen = keylen };
}

void interval_list_free(struct interval_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

static int interval_reserve(struct interval_list *l, size_t more)
{
	size_t cap;
	struct interval *v;

	if (l->n + more <= l->cap)
		return 0;
	cap = l->cap ? l->cap : 4;
	while (cap < l->n + more)
		cap *= 2;
	v = reallocarray(l->v, cap, sizeof(*v));
	if (!v)
		return -ENOMEM;
	l->v = v;
	l->cap = cap;
	return 0;
}

int interval_add(struct interval_list *l, const uint8_t *lo, const uint8_t *hi)
{
	struct interval *iv;

	if (interval_reserve(l, 1) < 0)
		return -ENOMEM;
	iv = &l->v[l->n++];
	memset(iv, 0, sizeof(*iv));
	memcpy(iv->lo, lo, l->keylen);
	memcpy(iv->hi, hi, l->keylen);
	return 0;
}

int interval_append_list(struct interval_list *dst,
			 const struct interval_list *src)
{
	if (src->n == 0)
		return 0;
	if (interval_reserve(dst, src->n) < 0)
		return -ENOMEM;
	memcpy(dst->v + dst->n, src->v, src->n * sizeof(*src->v));
	dst->n += src->n;
	return 0;
}

static int interval_cmp(const void *a, const void *b)
{
	const struct interval *x = a, *y = b;
	int c = memcmp(x->lo, y->lo, KEY_MAX_LEN);

	return c ? c : memcmp(x->hi, y->hi, KEY_MAX_LEN);
}

bool key_increment(uint8_t *key, unsigned int len)
{
	for (unsigned int i = len; i-- > 0;)
		if (++key[i] != 0)
			return true;
	return false;
}

/* True when `next` starts inside `cur` or right after it. */
static bool interval_touches(const struct interval *cur,
			     const struct interval *next, unsigned int len)
{
	uint8_t after[KEY_MAX_LEN];

	if (memcmp(next->lo, cur->hi, len) <= 0)
		return true;
	memcpy(after, cur->hi, len);
	return key_increment(after, len) && memcmp(after, next->lo, len) == 0;
}

void interval_normalize(struct interval_list *l)
{
	size_t out = 0;

	if (l->n == 0)
		return;
	/* Unused key bytes are zero, so comparing all 16 orders any length. */
	qsort(l->v, l->n, sizeof(*l->v), interval_cmp);
	for (size_t i = 1; i < l->n; i++) {
		struct interval *cur = &l->v[out];

		if (interval_touches(cur, &l->v[i], l->keylen)) {
			if (memcmp(l->v[i].hi, cur->hi, l->keylen) > 0)
				memcpy(cur->hi, l->v[i].hi, l->keylen);
		} else {
			l->v[++out] = l->v[i];
		}
	}
	l->n = out + 1;
}

void prefix_mask(uint8_t *mask, unsigned int len, unsigned int prefix)
{
	for (unsigned int i = 0; i < len; i++) {
		unsigned int bits = prefix > 8 * i ? prefix - 8 * i : 0;

		mask[i] = bits >= 8 ? 0xff : (uint8_t)(0xff00 >> bits);
	}
}

/* The number of trailing zero bits of a key (8 * len for zero). */
static unsigned int key_trailing_zeros(const uint8_t *key, unsigned int len)
{
	unsigned int n = 0;

	for (unsigned int i = len; i-- > 0; n += 8)
		if (key[i])
			return n + (unsigned int)__builtin_ctz(key[i]);
	return n;
}

/* Whether the block of `host` host bits at `lo` ends at or before `hi`:
 * lo | ones(host) <= hi. */
static bool block_fits(const uint8_t *lo, const uint8_t *hi, unsigned int len,
		       unsigned int host)
{
	uint8_t end[KEY_MAX_LEN], mask[KEY_MAX_LEN];

	prefix_mask(mask, len, 8 * len - host);
	for (unsigned int i = 0; i < len; i++)
		end[i] = lo[i] | (uint8_t)~mask[i];
	return memcmp(end, hi, len) <= 0;
}

/* The largest aligned blocks first, from each interval's start up. */
int interval_split_prefixes(const struct interval_list *l,
			    struct interval_list *by_len)
{
	unsigned int len = l->keylen;
	uint8_t lo[KEY_MAX_LEN], mask[KEY_MAX_LEN];

	for (size_t i = 0; i < l->n; i++) {
		memcpy(lo, l->v[i].lo, len);
		for (;;) {
			unsigned int host = key_trailing_zeros(lo, len);
			int r;

			while (host > 0 && !block_fits(lo, l->v[i].hi, len, host))
				host--;
			r = interval_add(&by_len[8 * len - host], lo, lo);
			if (r < 0)
				return r;
			prefix_mask(mask, len, 8 * len - host);
			for (unsigned int k = 0; k < len; k++)
				lo[k] |= (uint8_t)~mask[k];
			if (memcmp(lo, l->v[i].hi, len) == 0 ||
			    !key_increment(lo, len))
				break;
		}
	}
	return 0;
}

/* Subtracts one from a key that is not zero. */
static void key_decrement(uint8_t *key, unsigned int len)
{
	for (unsigned int i = len; i-- > 0;)
		if (key[i]-- != 0)
			return;
}

int interval_complement(struct interval_list *l)
{
	struct interval_list out;
	uint8_t gap[KEY_MAX_LEN] = { 0 }, end[KEY_MAX_LEN];
	bool more = true; /* keys are left after the last interval */
	int r = 0;

	interval_normalize(l);
	interval_list_init(&out, l->keylen);
	for (size_t i = 0; r == 0 && i < l->n; i++) {
		if (memcmp(gap, l->v[i].lo, l->keylen) < 0) {
			memcpy(end, l->v[i].lo, l->keylen);
			key_decrement(end, l->keylen);
			r = interval_add(&out, gap, end);
		}
		memcpy(gap, l->v[i].hi, l->keylen);
		more = key_increment(gap, l->keylen);
	}
	memset(end, 0xff, sizeof(end));
	if (r == 0 && more)
		r = interval_add(&out, gap, end);
	if (r < 0) {
		interval_list_free(&out);
		return r;
	}
	interval_list_free(l);
	*l = out;
	return 0;
}


static int prefix_parse(const char *s, unsigned int max, unsigned int *ret)
{
	unsigned int v = 0;

	if (!*s || strlen(s) > 3)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		v = v * 10 + (unsigned int)(*s - '0');
	}
	if (v > max)
		return -EINVAL;
	*ret = v;
	return 0;
}

int cidr_parse(const char *s, int *ret_family, struct interval *ret,
	       char *why, size_t why_len)
{
	char addr[INET6_ADDRSTRLEN + 8], net[INET6_ADDRSTRLEN];
	uint8_t mask[KEY_MAX_LEN];
	const char *slash = strchr(s, '/');
	size_t alen = slash ? (size_t)(slash - s) : strlen(s);
	int family = strchr(s, ':') ? AF_INET6 : AF_INET;
	unsigned int len = family == AF_INET6 ? 16 : 4, prefix = 8 * len;
	bool host_bits = false;

	if (alen >= sizeof(addr))
		goto invalid;
	memcpy(addr, s, alen);
	addr[alen] = '\0';
	memset(ret, 0, sizeof(*ret));
	if (inet_pton(family, addr, ret->lo) != 1)
		goto invalid;
	if (slash && prefix_parse(slash + 1, 8 * len, &prefix) < 0) {
		snprintf(why, why_len, "\"%s\" has no valid prefix length (0-%u)",
			 s, 8 * len);
		return -EINVAL;
	}
	prefix_mask(mask, len, prefix);
	for (unsigned int i = 0; i < len; i++) {
		host_bits |= (ret->lo[i] & ~mask[i]) != 0;
		ret->lo[i] &= mask[i];
		ret->hi[i] = ret->lo[i] | (uint8_t)~mask[i];
	}
	*ret_family = family;
	if (host_bits) {
		inet_ntop(family, ret->lo, net, sizeof(net));
		snprintf(why, why_len,
			 "\"%s\" has host bits set (did you mean %s/%u?)", s,
			 net, prefix);
		return -EDOM;
	}
	return 0;
invalid:
	snprintf(why, why_len, "\"%.64s\" is not an IPv4 or IPv6 address or CIDR",
		 s);
	return -EINVAL;
}

/* The prefix length when [lo, hi] is exactly one CIDR block, else -1. */
static int interval_prefix(const struct interval *iv, unsigned int len)
{
	unsigned int host = 0;

	/* Count trailing bits where lo is 0 and hi is 1. */
	while (host < 8 * len) {
		unsigned int byte = len - 1 - host / 8, bit = host % 8;

		if ((iv->lo[byte] >> bit & 1) || !(iv->hi[byte] >> bit & 1))
			break;
		host++;
	}
	for (unsigned int i = host; i < 8 * len; i++) {
		unsigned int byte = len - 1 - i / 8, bit = i % 8;

		if ((iv->lo[byte] >> bit & 1) != (iv->hi[byte] >> bit & 1))
			return -1;
	}
	return (int)(8 * len - host);
}

void interval_format_addr(const struct interval *iv, int family, char *buf,
			  size_t len)
{
	unsigned int klen = family == AF_INET6 ? 16 : 4;
	char lo[INET6_ADDRSTRLEN], hi[INET6_ADDRSTRLEN];
	int prefix = interval_prefix(iv, klen);

	inet_ntop(family, iv->lo, lo, sizeof(lo));
	if (prefix == (int)(8 * klen))
		snprintf(buf, len, "%s", lo);
	else if (prefix >= 0)
		snprintf(buf, len, "%s/%d", lo, prefix);
	else {
		inet_ntop(family, iv->hi, hi, sizeof(hi));
		snprintf(buf, len, "%s-%s", lo, hi);
	}
}

void interval_format_port(const struct interval *iv, char *buf, size_t len)
{
	unsigned int lo = iv->lo[0] << 8 | iv->lo[1];
	unsigned int hi = iv->hi[0] << 8 | iv->hi[1];

	if (lo == hi)
		snprintf(buf, len, "%u", lo);
	else
		snprintf(buf, len, "%u-%u", lo, hi);
}
