// SPDX-License-Identifier: GPL-2.0-or-later
/* UTF-8 in JSON strings: validating it. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

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
