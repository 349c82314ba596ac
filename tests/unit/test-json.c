// SPDX-License-Identifier: GPL-2.0-or-later
/* Strict JSON and UTF-8: what json_parse_strict accepts on every json-c. */
#include <stdlib.h>

#include "container.h"
#include "json_strict.h"
#include "state.h"
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

/* Valid UTF-8 of every length, and the boundaries of each length. */
static const char *const valid_strings[] = {
	"caf\xc3\xa9",			     /* U+00E9, 2 bytes */
	"\xc2\x80 \xdf\xbf",		     /* U+0080, U+07FF */
	"\xe2\x82\xac \xe2\x86\x92",	     /* U+20AC, U+2192, 3 bytes */
	"\xe0\xa0\x80 \xed\x9f\xbf \xee\x80\x80 \xef\xbf\xbf", /* U+0800, U+D7FF,
								   U+E000, U+FFFF */
	"\xf0\x9f\x98\x80",		     /* U+1F600, 4 bytes: an emoji */
	"\xf0\x90\x80\x80 \xf4\x8f\xbf\xbf", /* U+10000, U+10FFFF */
	"\xe2\x80\xa8\x7f",		     /* U+2028 and DEL: JSON allows both */
	"\xf0\x9f\x87\xa9\xf0\x9f\x87\xaa x\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80",
};

/* {"K": "V"} with K and V the same string: both decode to the input. */
static void test_valid(void)
{
	char doc[256];

	for (size_t i = 0; i < sizeof(valid_strings) / sizeof(*valid_strings);
	     i++) {
		const char *s = valid_strings[i];
		struct fw_error err = { 0 };
		struct json_object *obj = NULL, *v;
		int r;

		snprintf(doc, sizeof(doc), "{\"%s\": [1, \"%s\"]}", s, s);
		r = json_parse_strict(doc, strlen(doc), &obj, &err);
		if (!ok(r == 0, "valid UTF-8 #%zu parses", i)) {
			printf("# %s\n", err.what);
			continue;
		}
		ok(json_object_object_get_ex(obj, s, &v) &&
			   strcmp(json_object_get_string(
					  json_object_array_get_idx(v, 1)),
				  s) == 0 &&
			   json_object_get_string_len(
				   json_object_array_get_idx(v, 1)) ==
				   (int)strlen(s),
		   "valid UTF-8 #%zu: key and value decode to the input bytes",
		   i);
		json_object_put(obj);
	}
}

/* Escapes beside multi-byte characters keep their meaning. */
static void test_escapes(void)
{
	static const char doc[] =
		"{\"a\": \"\\\"\xc3\xa9\\\\\xe2\x82\xac\\n\\u00e9\\ud83d\\ude00"
		"\xf0\x9f\x98\x80\\/\"}";
	static const char want[] = "\"\xc3\xa9\\\xe2\x82\xac\n\xc3\xa9"
				   "\xf0\x9f\x98\x80\xf0\x9f\x98\x80/";
	struct fw_error err = { 0 };
	struct json_object *obj = NULL, *v;

	if (!ok(json_parse_strict(doc, strlen(doc), &obj, &err) == 0,
		"escapes beside multi-byte characters"))
		return;
	ok(json_object_object_get_ex(obj, "a", &v) &&
		   strcmp(json_object_get_string(v), want) == 0,
	   "and each keeps its meaning");
	json_object_put(obj);
}

/* A long non-ASCII string: the copy json-c reads grows sixfold. */
static void test_long(void)
{
	size_t n = 100000, len = 0;
	char *doc = malloc(2 * n + 16);
	struct fw_error err = { 0 };
	struct json_object *obj = NULL;
	int r;

	if (!doc)
		return;
	len += sprintf(doc, "[\"");
	for (size_t i = 0; i < n; i++, len += 2)
		memcpy(doc + len, "\xc3\xa9", 2);
	len += sprintf(doc + len, "\"]");
	r = json_parse_strict(doc, len, &obj, &err);
	ok(r == 0 && json_object_get_string_len(
			     json_object_array_get_idx(obj, 0)) == (int)(2 * n),
	   "100000 x U+00E9 in one string");
	json_object_put(obj);
	free(doc);
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
	/* json-c's own errors after non-ASCII text: positions in characters. */
	{ "{\"d\": \"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\",}",
	  "line 1, column 13: trailing comma" },
	{ "{\"d\": \"\xf0\x9f\x98\x80\"}\n\"\xc3\xa9\" x",
	  "line 2, column 1: unexpected character" },
	{ "{\"d\": \"\xc3\xa9\\u00\xc3\xa9\"}",
	  "line 1, column 13: invalid string sequence" },
	{ "[\"\xc3\xa9\", tru]", "line 1, column 10: boolean expected" },
	{ "[\"\xc3\xa9\", \"\xc3\xa9", "truncated JSON" },
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

/* The OCI state and config.json of a container with a non-ASCII
 * annotation and env: hooks.d runs the hook for every container. */
static void test_documents(void)
{
	static const char state[] =
		"{\"ociVersion\": \"1.2.0\", \"id\": \"c\xc3\xa9\", \"status\": "
		"\"creating\", \"pid\": 42, \"bundle\": \"/b/\xe2\x82\xac\", "
		"\"annotations\": {\"org.example.note\": \"caf\xc3\xa9 "
		"\xf0\x9f\x98\x80\", \"\xc3\xa9t\xc3\xa9\": \"\xe2\x98\x95\", "
		"\"fw.policy\": \"web-egress\"}}";
	static const char config[] =
		"{\"ociVersion\": \"1.2.0\", \"process\": {\"env\": "
		"[\"GREETING=gr\xc3\xbc\xc3\x9f \xf0\x9f\x91\x8b\"], "
		"\"capabilities\": {\"bounding\": [\"CAP_CHOWN\"]}}, "
		"\"root\": {\"path\": \"rootfs\"}, \"annotations\": "
		"{\"org.example.\xc3\xa9\": \"\xe6\x97\xa5\xe6\x9c\xac\"}, "
		"\"linux\": {\"namespaces\": [{\"type\": \"network\"}]}}";
	struct fw_error err = { 0 };
	struct oci_state st;
	struct container c;

	if (ok(state_parse(state, strlen(state), &st, &err) == 0,
	       "a state with non-ASCII annotations is accepted")) {
		is(st.id, "c\xc3\xa9", "its id decodes to the input bytes");
		is(st.policy, "web-egress", "and fw.policy is read");
		state_free(&st);
	} else {
		printf("# %s: %s\n", err.where, err.what);
	}
	ok(container_parse(config, strlen(config), true, &c, &err) == 0 && c.own_netns,
	   "a config.json with a non-ASCII env var and annotation is accepted");
	container_free(&c);
}

/* Integers beyond int64 and uint64: json-c 0.16 saturates them, 0.18
 * refuses them without a path; refused with one on both. */
static void test_integers(void)
{
	is(parse_error("{\"p\": [18446744073709551615, 9223372036854775807, "
		       "-9223372036854775808, 1e999, 0, -0]}"),
	   "(valid)", "the largest uint64, int64 extremes, a double: valid");
	is(parse_error("{\"p\": [1, 18446744073709551616]}"),
	   "p[1]: line 1, column 11: 18446744073709551616: integer out of range",
	   "UINT64_MAX + 1 refused, named by its path");
	is(parse_error("{\"p\": -9223372036854775809}"),
	   "p: line 1, column 7: -9223372036854775809: integer out of range",
	   "INT64_MIN - 1 refused");
	is(parse_error("[99999999999999999999999999]"),
	   "[0]: line 1, column 2: 99999999999999999999999999: integer out of range",
	   "26 digits refused");
}

int main(void)
{
	test_valid();
	test_integers();
	test_escapes();
	test_long();
	test_invalid();
	test_controls();
	test_documents();
	return tap_done();
}
