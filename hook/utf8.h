/* SPDX-License-Identifier: GPL-2.0-or-later */
/* UTF-8 in JSON strings: validating it, and writing it as \u escapes. */
#ifndef OCI_FW_UTF8_H
#define OCI_FW_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * Decodes the character at `s` (RFC 3629: no overlong forms, no UTF-16
 * surrogates, nothing above U+10FFFF); returns its length in bytes (1 to 4)
 * and sets `ret_cp`, or returns -EILSEQ and writes what is wrong to `why`.
 */
int utf8_decode(const char *s, size_t len, uint32_t *ret_cp, char *why,
		size_t why_len);

/*
 * A copy of `buf` in which every multi-byte character is a \uXXXX escape
 * (a surrogate pair above U+FFFF), NUL-terminated.  json-c 0.18's strict
 * mode refuses every non-ASCII byte in strings but decodes the escapes
 * into the same UTF-8 again.  Only for documents whose every non-ASCII
 * byte lies in a string: an escape elsewhere changes what the text means.
 */
int utf8_escape(const char *buf, size_t len, char **ret, size_t *ret_len);

/* The offset in `buf` of offset `off` of its utf8_escape() copy; inside an
 * escape, the offset of the character it stands for. */
size_t utf8_unescape_offset(const char *buf, size_t len, size_t off);

#endif
