// SPDX-License-Identifier: GPL-2.0-or-later
/* The table comment and the set names: what the writer writes, the reader
 * reads back, and what no writer wrote is refused. */
#include <errno.h>

#include "names.h"
#include "tap.h"

static bool same_table(const struct table_comment *a,
		       const struct table_comment *b)
{
	return strcmp(a->name, b->name) == 0 &&
	       strcmp(a->sha256, b->sha256) == 0 &&
	       strcmp(a->origin, b->origin) == 0 && a->audit == b->audit &&
	       a->mixed == b->mixed && a->is_default == b->is_default;
}

static void test_table_round_trip(void)
{
	/* the longest name with both marks: nft's 128 bytes, exactly */
	static const char *const names[] = {
		"web", "no-lan,web", "denyall.json",
		"a123456789b123456789c123456789d123456789e123456789f123456789g123",
	};
	uint8_t d[32], o[32];
	char buf[COMMENT_MAX + 1];

	for (int i = 0; i < 32; i++) {
		d[i] = (uint8_t)(0xa0 + i);
		o[i] = (uint8_t)(0x0f + i);
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		for (int marks = 0; marks < 8; marks++) {
			struct table_comment t = { .audit = marks & 1,
						   .is_default = marks & 2,
						   .mixed = marks & 4 },
					     back;

			if (t.audit && t.mixed) /* audit is all, mixed some */
				continue;
			snprintf(t.name, sizeof(t.name), "%s", names[i]);
			table_digest_hex(d, t.sha256);
			table_digest_hex(o, t.origin);
			table_comment_format(&t, buf, sizeof(buf));
			ok(table_comment_parse(buf, &back) == 0 &&
				   same_table(&t, &back) &&
				   strlen(buf) <= 128 && !strchr(buf, '"'),
			   "table comment round trip: %s", buf);
		}
	}
}

static void test_table_format(void)
{
	struct table_comment t = { .name = "web", .audit = true }, back;
	uint8_t d[32] = { 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef };
	char buf[COMMENT_MAX + 1];

	table_digest_hex(d, t.sha256);
	table_digest_hex(d, t.origin);
	table_comment_format(&t, buf, sizeof(buf));
	is(buf, "web sha256:0123456789abcdef from:0123456789abcdef (audit)",
	   "table comment: the documented form");
	ok(table_comment_parse("web sha256:0123456789abcdef from:"
			       "fedcba9876543210 (default)", &back) == 0 &&
		   !back.audit && back.is_default &&
		   strcmp(back.origin, "fedcba9876543210") == 0,
	   "table comment: a default's");
	ok(table_comment_parse("web sha256:0123456789abcdef from:"
			       "fedcba9876543210 (mixed) (default)", &back) == 0 &&
		   !back.audit && back.mixed && back.is_default &&
		   strcmp(table_mode_name(&back), "mixed") == 0,
	   "table comment: some rules audited");
	ok(table_comment_parse("web sha256:0123456789abcdef from:"
			       "fedcba9876543210 (audit) (mixed)", &back) < 0,
	   "table comment: audit and mixed at once is no comment of ours");
}

static void test_table_refused(void)
{
	static const char *const bad[] = {
		"",
		"web",
		"web sha256:0123456789abcdef", /* an older hook's */
		"web sha256:0123456789abcdef (default)",
		" sha256:0123456789abcdef from:0123456789abcdef",
		"web sha256:0123456789abcde from:0123456789abcdef",
		"web sha256:0123456789ABCDEF from:0123456789abcdef",
		"web sha256:0123456789abcdef from:0123456789abcdef0",
		"web sha256:0123456789abcdef from:0123456789abcdef (default) (audit)",
		"web sha256:0123456789abcdef from:0123456789abcdef (audit) x",
		"a web sha256:0123456789abcdef from:0123456789abcdef",
		"a123456789b123456789c123456789d123456789e123456789f123456789g1234"
		" sha256:0123456789abcdef from:0123456789abcdef",
	};
	struct table_comment t;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(table_comment_parse(bad[i], &t) == -EINVAL,
		   "table comment refused: '%s'", bad[i]);
}

static void test_same_policy(void)
{
	struct table_comment a = { .name = "denyall", .sha256 = "1111111111111111",
				   .origin = "aaaaaaaaaaaaaaaa" },
			     b = a;

	snprintf(b.sha256, sizeof(b.sha256), "2222222222222222");
	b.is_default = true;
	ok(table_same_policy(&a, &b), "a new version: the same policy");
	snprintf(b.origin, sizeof(b.origin), "bbbbbbbbbbbbbbbb");
	ok(!table_same_policy(&a, &b), "the same name from elsewhere: another");
	b = a;
	snprintf(b.name, sizeof(b.name), "denyall.json");
	ok(!table_same_policy(&a, &b), "another name from the same place: another");
}

static void test_set_round_trip(void)
{
	static const struct set_name sets[] = {
		{ .kind = SET_NAME_POLICY, .word = "private", .family = 0 },
		{ .kind = SET_NAME_POLICY, .word = "a_2", .family = 1 },
		{ .kind = SET_NAME_SYMBOL, .word = "dns", .family = 0 },
		{ .kind = SET_NAME_SYMBOL, .word = "gateway", .family = 1 },
		{ .kind = SET_NAME_HOSTNAME, .index = 0, .family = 0 },
		{ .kind = SET_NAME_HOSTNAME, .index = 63, .family = 1 },
		{ .kind = SET_NAME_RULE, .dir = DIR_EGRESS, .word = "allow",
		  .index = 2, .family = 0 },
		{ .kind = SET_NAME_RULE, .dir = DIR_INGRESS, .word = "deny",
		  .index = 4095, .family = 1 },
		{ .kind = SET_NAME_LEARNED, .index = 0, .family = 0 },
		{ .kind = SET_NAME_LEARNED, .index = 63, .family = 1 },
		{ .kind = SET_NAME_POLICY, .word = "private", .family = 0,
		  .by_prefix = true, .prefix = 8 },
		{ .kind = SET_NAME_RULE, .dir = DIR_EGRESS, .word = "deny",
		  .index = 0, .family = 1, .by_prefix = true, .prefix = 128 },
		{ .kind = SET_NAME_POLICY, .word = "all", .family = 0,
		  .by_prefix = true, .prefix = 0 },
	};
	static const char *const want[] = {
		"private_v4", "a_2_v6", "sym.dns_v4", "sym.gateway_v6",
		"sym.name0_v4", "sym.name63_v6", "egress.allow.2_v4",
		"ingress.deny.4095_v6", "learn.0_v4", "learn.63_v6",
		"private_v4.8", "egress.deny.0_v6.128", "all_v4.0",
	};
	char buf[SET_NAME_MAX];

	for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		const struct set_name *s = &sets[i];
		struct set_name back;

		ok(set_name_format(s, buf, sizeof(buf)) == 0 &&
			   strcmp(buf, want[i]) == 0 &&
			   set_name_parse(buf, &back) == 0 &&
			   back.kind == s->kind && back.family == s->family &&
			   strcmp(back.word, s->word) == 0 &&
			   back.index == s->index && back.dir == s->dir &&
			   back.by_prefix == s->by_prefix &&
			   back.prefix == s->prefix,
		   "set name round trip: %s", want[i]);
	}
	ok(set_name_format(&(struct set_name){ .kind = SET_NAME_POLICY,
					       .word = "private" },
			   buf, 8) == -ENAMETOOLONG,
	   "set name: too long for the buffer");
}

static void test_set_refused(void)
{
	static const char *const bad[] = {
		"", "_v4", "private", "private_v5", "private_V4", "sym._v4",
		"sym.name01_v4", "sym.name-1_v4", "egress.allow_v4",
		"egress.allow._v4", "egress.allow.x_v4", "egress..2_v4",
		"forward.allow.2_v4", "egress.allow.2.3_v4",
		"egress.allow.1234567890_v4", "sym.a.b_v4", "learn._v4",
		"learn.01_v4", "learn.x_v4",
		"a23456789012345678901234567890123_v4", /* 33: longer than a set */
		"a2345678901234567890123456789012345678901234567_v4",
		"private_v4.33", "private_v6.129", "private_v4.08",
		"private_v4.", "private.8", "private_v4.8.8",
	};
	struct set_name s;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(set_name_parse(bad[i], &s) == -EINVAL,
		   "set name refused: '%s'", bad[i]);
}

int main(void)
{
	test_table_round_trip();
	test_table_format();
	test_table_refused();
	test_same_policy();
	test_set_round_trip();
	test_set_refused();
	return tap_done();
}
