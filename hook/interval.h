/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Address and port interval math: parse, sort, merge, render. */
#ifndef OCI_FW_INTERVAL_H
#define OCI_FW_INTERVAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KEY_MAX_LEN 16

/*
 * Keys are big-endian byte strings, exactly as the kernel compares them:
 * 4 bytes for IPv4, 16 for IPv6, 2 for ports.  An interval is inclusive.
 */
struct interval {
	uint8_t lo[KEY_MAX_LEN];
	uint8_t hi[KEY_MAX_LEN];
};

struct interval_list {
	unsigned int keylen;
	size_t n, cap;
	struct interval *v;
};

void interval_list_init(struct interval_list *l, unsigned int keylen);
void interval_list_free(struct interval_list *l);
int interval_add(struct interval_list *l, const uint8_t *lo, const uint8_t *hi);
int interval_append_list(struct interval_list *dst,
			 const struct interval_list *src);
/* Sorts and merges overlapping and adjacent intervals. */
void interval_normalize(struct interval_list *l);

/*
 * The CIDR blocks that cover a normalized list exactly, each as its first
 * key, by prefix length: by_len[P] (8 * keylen + 1 lists, initialized by
 * the caller) receives the blocks of length P, in order.
 */
int interval_split_prefixes(const struct interval_list *l,
			    struct interval_list *by_len);

/* Replaces the list with the keys it does not hold (normalized). */
int interval_complement(struct interval_list *l);

/* Adds one to a key; returns false when it wraps (the key was all ones). */
bool key_increment(uint8_t *key, unsigned int len);

/* Parses "192.0.2.1", "192.0.2.0/24", "2001:db8::/32".  Returns 0,
 * -EINVAL (not an address; `why` says what is wrong) or -EDOM (host bits
 * set: `why` names the network meant). */
int cidr_parse(const char *s, int *ret_family, struct interval *ret,
	       char *why, size_t why_len);

/* Writes "192.0.2.0/24", "2001:db8::1" or "10.0.0.1-10.0.0.5". */
void interval_format_addr(const struct interval *iv, int family, char *buf,
			  size_t len);
/* Sets the first `prefix` bits of a `len`-byte mask. */
void prefix_mask(uint8_t *mask, unsigned int len, unsigned int prefix);

/* Writes "80" or "8000-8100". */
void interval_format_port(const struct interval *iv, char *buf, size_t len);

static inline void port_key(uint16_t port, uint8_t *key)
{
	key[0] = port >> 8;
	key[1] = port & 0xff;
}

#endif
