// SPDX-License-Identifier: GPL-2.0-or-later
/* UTF-8 in JSON strings: validating it, and writing it as \u escapes. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

__attribute__((format(printf, 3, 4))) static int
utf8_fail(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
	return -EILSEQ;
}

int utf8_decode(const char *s, size_t len, uint32_t *ret_cp, char *why,
		size_t why_len)
{
	static const uint32_t min[] = { 0, 0, 0x80, 0x800, 0x10000 };
	const unsigned char *u = (const unsigned char *)s;
	uint32_t cp = u[0];
	int n;

	if (cp < 0x80) {
		*ret_cp = cp;
		return 1;
	}
	if (cp < 0xc0)
		return utf8_fail(why, why_len,
				 "stray continuation byte 0x%02x", cp);
	if (cp >= 0xf5)
		return utf8_fail(why, why_len,
				 "byte 0x%02x never occurs in UTF-8", cp);
	n = cp >= 0xf0 ? 4 : cp >= 0xe0 ? 3 : 2;
	cp &= 0x7f >> n;
	for (int i = 1; i < n; i++) {
		if ((size_t)i >= len || (u[i] & 0xc0) != 0x80)
			return utf8_fail(why, why_len, "truncated sequence");
		cp = cp << 6 | (u[i] & 0x3f);
	}
	if (cp < min[n])
		return utf8_fail(why, why_len, "overlong encoding");
	if (cp >= 0xd800 && cp <= 0xdfff)
		return utf8_fail(why, why_len, "UTF-16 surrogate U+%04X", cp);
	if (cp > 0x10ffff)
		return utf8_fail(why, why_len, "beyond U+10FFFF");
	*ret_cp = cp;
	return n;
}

/* How many bytes of the copy stand for `cp`. */
static size_t escaped_len(uint32_t cp)
{
	return cp < 0x80 ? 1 : cp <= 0xffff ? 6 : 12;
}

static char *put_u16(char *out, uint32_t unit)
{
	static const char hex[] = "0123456789abcdef";

	*out++ = '\\';
	*out++ = 'u';
	for (int shift = 12; shift >= 0; shift -= 4)
		*out++ = hex[(unit >> shift) & 0xf];
	return out;
}

static char *put_escaped(char *out, uint32_t cp)
{
	if (cp <= 0xffff)
		return put_u16(out, cp);
	cp -= 0x10000;
	out = put_u16(out, 0xd800 | cp >> 10);
	return put_u16(out, 0xdc00 | (cp & 0x3ff));
}

/* The length of the ASCII run at `s`, eight bytes at a time: a policy
 * with one accented description may hold 100,000 addresses. */
static size_t ascii_run(const char *s, size_t len)
{
	size_t n = 0;
	uint64_t w;

	for (; len - n >= sizeof(w); n += sizeof(w)) {
		memcpy(&w, s + n, sizeof(w));
		if (w & UINT64_C(0x8080808080808080))
			break;
	}
	while (n < len && (unsigned char)s[n] < 0x80)
		n++;
	return n;
}

/* The copy's length, or -EILSEQ: the caller validated `buf` already. */
static int escaped_size(const char *buf, size_t len, size_t *ret)
{
	size_t size = 0, i = 0;
	char why[64];
	uint32_t cp;

	while ((i += ascii_run(buf + i, len - i)) < len) {
		int n = utf8_decode(buf + i, len - i, &cp, why, sizeof(why));

		if (n < 0)
			return n;
		size += escaped_len(cp) - (size_t)n;
		i += (size_t)n;
	}
	*ret = len + size;
	return 0;
}

int utf8_escape(const char *buf, size_t len, char **ret, size_t *ret_len)
{
	char *copy, *out, why[64];
	size_t size;
	uint32_t cp;
	int r;

	r = escaped_size(buf, len, &size);
	if (r < 0)
		return r;
	copy = malloc(size + 1);
	if (!copy)
		return -ENOMEM;
	out = copy;
	for (size_t i = 0; i < len;) {
		size_t run = ascii_run(buf + i, len - i);

		out = mempcpy(out, buf + i, run);
		i += run;
		if (i == len)
			break;
		/* valid: escaped_size() decoded it */
		i += (size_t)utf8_decode(buf + i, len - i, &cp, why,
					 sizeof(why));
		out = put_escaped(out, cp);
	}
	*out = '\0';
	*ret = copy;
	*ret_len = size;
	return 0;
}

size_t utf8_unescape_offset(const char *buf, size_t len, size_t off)
{
	size_t i = 0, done = 0, run;
	char why[64];
	uint32_t cp;
	int n;

	while (i < len) {
		run = ascii_run(buf + i, len - i);
		if (done + run >= off)
			return i + (off - done);
		done += run;
		i += run;
		if (i == len)
			break;
		n = utf8_decode(buf + i, len - i, &cp, why, sizeof(why));
		if (n < 0 || done + escaped_len(cp) > off)
			break;
		done += escaped_len(cp);
		i += (size_t)n;
	}
	return i;
}
