// SPDX-License-Identifier: GPL-2.0-or-later
/* Strict JSON and UTF-8: what json_parse_strict refuses, and where. */

#include "json_strict.h"
#include "tap.h"

/* The error line for `json`, or "(valid)". */
static const char *parse_error(const char *json)
{
	static char line[1024];
	struct fw_error err = { 0 };
	struct json_object *obj = NULL;

	if (json_parse_strict(json, strlen(json), &obj, &err) == 0) {
		json_object_put(obj);
		return "(valid)";
	}
	fw_error_format(&err, line, sizeof(line));
	return line;
}

static const struct {
	const char *json, *want;
} invalid[] = {
	/* Invalid UTF-8 inside strings, with its line and column. */
	{ "{\"a\": \"\x80\"}",
	  "line 1, column 8: invalid UTF-8: stray continuation byte 0x80" },
	{ "{\"a\": \"\xc3\xa9\xbf\"}",
	  "line 1, column 9: invalid UTF-8: stray continuation byte 0xbf" },
	{ "{\"a\": \"\xc3\"}", "line 1, column 8: invalid UTF-8: truncated sequence" },
	{ "{\"a\": \"\xe2\x82\"}",
	  "line 1, column 8: invalid UTF-8: truncated sequence" },
	{ "{\"a\": \"\xf0\x9f\x98 \"}",
	  "line 1, column 8: invalid UTF-8: truncated sequence" },
	{ "{\"a\": \"\xe2\x82", "line 1, column 8: invalid UTF-8: truncated sequence" },
	{ "{\"a\": \"\xc0\x80\"}", "line 1, column 8: invalid UTF-8: overlong encoding" },
	{ "{\"a\": \"\xc1\xbf\"}", "line 1, column 8: invalid UTF-8: overlong encoding" },
	{ "{\"a\": \"\xe0\x80\x80\"}",
	  "line 1, column 8: invalid UTF-8: overlong encoding" },
	{ "{\"a\": \"\xe0\x9f\xbf\"}",
	  "line 1, column 8: invalid UTF-8: overlong encoding" },
	{ "{\"a\": \"\xf0\x8f\xbf\xbf\"}",
	  "line 1, column 8: invalid UTF-8: overlong encoding" },
	{ "{\"a\": \"\xed\xa0\x80\"}",
	  "line 1, column 8: invalid UTF-8: UTF-16 surrogate U+D800" },
	{ "{\"a\": \"\xed\xbf\xbf\"}",
	  "line 1, column 8: invalid UTF-8: UTF-16 surrogate U+DFFF" },
	{ "{\"a\": \"\xf4\x90\x80\x80\"}",
	  "line 1, column 8: invalid UTF-8: beyond U+10FFFF" },
	{ "{\"a\": \"\xf5\x80\x80\x80\"}",
	  "line 1, column 8: invalid UTF-8: byte 0xf5 never occurs in UTF-8" },
	{ "{\"a\": \"\xfe\"}",
	  "line 1, column 8: invalid UTF-8: byte 0xfe never occurs in UTF-8" },
	{ "{\"a\": \"\xff\"}",
	  "line 1, column 8: invalid UTF-8: byte 0xff never occurs in UTF-8" },
	/* In keys, deeper, on later lines: columns count characters. */
	{ "{\"\xc3\xa9\": {\"x\xe9y\": 1}}",
	  "\xc3\xa9: line 1, column 10: invalid UTF-8: truncated sequence" },
	{ "{\"a\": [\"\xc3\xa9\",\n \"\xe2\x82\xac\xc3\"]}",
	  "a: line 2, column 4: invalid UTF-8: truncated sequence" },
	/* JSON has no non-ASCII outside strings. */
	{ "\xc3\xa9{}", "line 1, column 1: byte 0xc3 outside a string" },
	{ "{\"a\": 1\xc3\xa9}", "line 1, column 8: byte 0xc3 outside a string" },
	{ "{\"a\":\xc2\xa0\"b\"}", "line 1, column 6: byte 0xc2 outside a string" },
	/* Nor raw control characters inside them (json-c 0.16 lets them by). */
	{ "{\"a\": \"x\ny\"}",
	  "line 1, column 9: control character 0x0a inside a string (write \\n)" },
	{ "{\"a\": \"\xc3\xa9\t\"}",
	  "line 1, column 9: control character 0x09 inside a string (write \\t)" },
	{ "{\"a\x1f\": 1}",
	  "line 1, column 4: control character 0x1f inside a string (write \\u001f)" },
	/* An escape must not swallow half a character. */
	{ "{\"a\": \"\\\xc3\xa9\"}",
	  "line 1, column 8: invalid escape: \\ before a non-ASCII character" },
	/* The checks on the original bytes still hold. */
	{ "{\"\\u00e9\": 1}", "escape sequences in keys are not allowed" },
	{ "{\"\xc3\xa9\": 1, \"\xc3\xa9\": 2}", "duplicate key \"\xc3\xa9\"" },
};

static void test_invalid(void)
{
	for (size_t i = 0; i < sizeof(invalid) / sizeof(*invalid); i++)
		is(parse_error(invalid[i].json), invalid[i].want,
		   invalid[i].want);
}

/* Every raw control character, in a value and in a key. */
static void test_controls(void)
{
	char doc[32];
	int refused = 0;

	for (int c = 1; c < 0x20; c++) {
		snprintf(doc, sizeof(doc), "{\"a\": \"x%cy\"}", c);
		refused += strstr(parse_error(doc), "control character") != NULL;
		snprintf(doc, sizeof(doc), "{\"a%cb\": 1}", c);
		refused += strstr(parse_error(doc), "control character") != NULL;
	}
	ok(refused == 2 * 31, "U+0001..U+001F raw in strings: all refused");
}

int main(void)
{
	test_invalid();
	test_controls();
	return tap_done();
}
