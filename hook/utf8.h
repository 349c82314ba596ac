/* SPDX-License-Identifier: GPL-2.0-or-later */
/* UTF-8 in JSON strings: validating it. */
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

#endif
