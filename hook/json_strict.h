/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Strict JSON: json-c's strict mode plus the checks json-c does not make. */
#ifndef OCI_FW_JSON_STRICT_H
#define OCI_FW_JSON_STRICT_H

#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>

#include "error.h"

#define JSON_MAX_DEPTH 16

/*
 * Parses `buf` as one strict JSON document: no comments, no trailing
 * commas (json-c's JSON_TOKENER_STRICT), and also no single-quoted strings,
 * no duplicate keys, no escapes in keys, no NUL bytes, valid UTF-8 and no
 * raw control characters in strings, at most JSON_MAX_DEPTH levels.  A
 * reviewer reads the first of two duplicate keys and json-c keeps the last,
 * so duplicates must be errors.  UTF-8 is checked here, not by json-c:
 * 0.16 lets overlong forms, surrogates and control characters by, and
 * 0.18's strict mode refuses every non-ASCII byte in strings, so json-c
 * reads a document that holds any as a copy with \u escapes instead (an
 * ASCII document is read as it is).  Errors in the text name their line
 * and column (columns count characters).
 */
int json_parse_strict(const char *buf, size_t len, struct json_object **ret,
		      struct fw_error *err);

/*
 * Lists of millions of strings (a policy's addresses) cost json-c an object
 * each; a caller reads those itself.  While scanning, an array whose
 * members are all plain strings (printable ASCII, no escapes, so nothing
 * the strict checks could refuse) is offered to open() with its path; when
 * it returns true, add() receives each string in order and json-c sees, in
 * the array's place, the number of lists taken before it (0, 1, ...).
 * add() returns 0 or -errno, which ends the parse.
 */
struct json_lists {
	bool (*open)(void *ctx, const char *path);
	int (*add)(void *ctx, const char *s, size_t len);
	void *ctx;
	/* Optional: any other object or array is offered to unread() with
	 * its path; when it returns true, the scanner checks all of it
	 * itself, its grammar too (json-c never sees it), and json-c sees a
	 * number in its place, as for a taken list.  What a caller never
	 * reads need not become json-c objects. */
	bool (*unread)(void *ctx, const char *path);
};

int json_parse_lists(const char *buf, size_t len, const struct json_lists *l,
		     struct json_object **ret, struct fw_error *err);
/* Whether the `len` bytes at `buf` are only JSON whitespace. */
bool json_is_blank(const char *buf, size_t len);

#endif
