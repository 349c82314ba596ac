// SPDX-License-Identifier: GPL-2.0-or-later
/* show: what was read, as text for people and as JSON for programs. */
#include <errno.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "names.h"
#include "show.h"

static const char *verdict_shown(const struct show_rule *r)
{
	if (r->enforced)
		return r->verdict;
	return strcmp(r->verdict, "drop") == 0 ? "would drop" : "would reject";
}

void show_print_text(const struct show *s, FILE *out)
{
	size_t width = 24;

	for (int d = 0; d < DIR_COUNT; d++)
		for (size_t i = 0; i < s->chains[d].n; i++)
			if (strlen(s->chains[d].rules[i].source) + 2 > width)
				width = strlen(s->chains[d].rules[i].source) + 2;
	fprintf(out, "policy %s, sha256:%s, mode %s%s\n", s->policy, s->sha256,
		s->audit   ? "audit (blocks are counted, not done)"
		: s->mixed ? "mixed (rules that say \"would\" are counted, not "
			     "done)"
			   : "enforce",
		s->is_default ? ", the node's default policy" : "");
	for (int d = 0; d < DIR_COUNT; d++) {
		const struct show_chain *c = &s->chains[d];

		if (!c->present)
			continue;
		fprintf(out, "\n%-*s %-12s %12s %14s\n", (int)width,
			direction_names[d], "verdict", "packets", "bytes");
		for (size_t i = 0; i < c->n; i++)
			fprintf(out, "  %-*s %-12s %12" PRIu64 " %14" PRIu64 "\n",
				(int)width - 2, c->rules[i].source,
				verdict_shown(&c->rules[i]), c->rules[i].packets,
				c->rules[i].bytes);
	}
	show_learned_print_text(&s->learned, out);
}

/* One JSON document, pretty, on out: what show --json and ps --json
 * print. */
int json_print(json_object *root, FILE *out, struct fw_error *err)
{
	if (fprintf(out, "%s\n", json_object_to_json_string_ext(
				   root, JSON_C_TO_STRING_PRETTY |
						 JSON_C_TO_STRING_NOSLASHESCAPE)) < 0)
		return fw_error_set(err, -EIO, "", "writing to stdout failed");
	return 0;
}

/* The mode word as the record says it (names.h) */
static const char *mode_name(const struct show *s)
{
	return table_mode_name(&(const struct table_comment){
		.audit = s->audit, .mixed = s->mixed });
}

int show_print_json(const struct show *s, FILE *out, struct fw_error *err)
{
	json_object *root = json_object_new_object(), *chains, *chain, *rules;
	int r;

	if (!root)
		return fw_error_set(err, -ENOMEM, "", "json-c: out of memory");
	json_object_object_add(root, "policy", json_object_new_string(s->policy));
	json_object_object_add(root, "sha256", json_object_new_string(s->sha256));
	json_object_object_add(root, "from", json_object_new_string(s->origin));
	json_object_object_add(root, "mode", json_object_new_string(
						     mode_name(s)));
	json_object_object_add(root, "default", json_object_new_boolean(
							s->is_default));
	chains = json_object_new_object();
	json_object_object_add(root, "chains", chains);
	for (int d = 0; d < DIR_COUNT; d++) {
		if (!s->chains[d].present)
			continue;
		chain = json_object_new_object();
		rules = json_object_new_array();
		json_object_object_add(chains, direction_names[d], chain);
		json_object_object_add(chain, "rules", rules);
		for (size_t i = 0; i < s->chains[d].n; i++) {
			const struct show_rule *sr = &s->chains[d].rules[i];
			json_object *o = json_object_new_object();

			json_object_object_add(o, "source",
					       json_object_new_string(sr->source));
			json_object_object_add(o, "verdict",
					       json_object_new_string(sr->verdict));
			json_object_object_add(o, "enforced",
					       json_object_new_boolean(sr->enforced));
			json_object_object_add(o, "packets",
					       json_object_new_uint64(sr->packets));
			json_object_object_add(o, "bytes",
					       json_object_new_uint64(sr->bytes));
			json_object_array_add(rules, o);
		}
	}
	show_learned_json(&s->learned, root);
	r = json_print(root, out, err);
	json_object_put(root);
	return r;
}
