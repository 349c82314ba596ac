// SPDX-License-Identifier: GPL-2.0-or-later
/* ps's two renderings: a table for people, JSON for scripts. */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <json-c/json.h>

#include "policy.h"
#include "ps.h"

static const char *const drift_names[] = { "no", "yes", "unknown" };

static const char *mode(const struct ps_row *r)
{
	if (!r->firewall)
		return "-";
	if (!r->ours)
		return "foreign";
	return r->table.audit ? "audit" : "enforce";
}

void ps_print_text(const struct ps_row *rows, size_t n, FILE *out)
{
	char user[32], eg[48], in[48];

	fprintf(out, "%-8s %-6s %-24.24s %-20s %-16s %-7s %-7s %-14s %s\n",
		"ENGINE", "USER", "CONTAINER", "POLICY", "SHA256", "MODE",
		"DRIFTED", "EGRESS-DEFAULT", "INGRESS-DEFAULT");
	for (size_t i = 0; i < n; i++) {
		const struct ps_row *r = &rows[i];

		snprintf(user, sizeof(user), "%u", (unsigned)r->user);
		snprintf(eg, sizeof(eg), "%" PRIu64 "/%" PRIu64 "B",
			 r->packets[DIR_EGRESS], r->bytes[DIR_EGRESS]);
		snprintf(in, sizeof(in), "%" PRIu64 "/%" PRIu64 "B",
			 r->packets[DIR_INGRESS], r->bytes[DIR_INGRESS]);
		fprintf(out, "%-8s %-6s %-24.24s %-20s %-16s %-7s %-7s %-14s %s\n",
			r->engine, user, r->name,
			r->firewall ? r->table.name : "-",
			r->firewall && r->ours ? r->table.sha256 : "-", mode(r),
			drift_names[r->drift],
			r->counted[DIR_EGRESS] ? eg : "-",
			r->counted[DIR_INGRESS] ? in : "-");
	}
	for (size_t i = 0; i < n; i++)
		if (rows[i].fail_open)
			fprintf(out, "!!! FAIL-OPEN: %s %s (pid %d): fw.policy=%s "
				"but its network namespace holds no table inet "
				"oci_fw: it runs WITHOUT a firewall\n",
				rows[i].engine, rows[i].name, (int)rows[i].pid,
				rows[i].annotation);
}

static json_object *counters(const struct ps_row *r, int d)
{
	json_object *o;

	if (!r->counted[d])
		return NULL;
	o = json_object_new_object();
	json_object_object_add(o, "packets", json_object_new_uint64(r->packets[d]));
	json_object_object_add(o, "bytes", json_object_new_uint64(r->bytes[d]));
	return o;
}

static json_object *str_or_null(bool set, const char *s)
{
	return set ? json_object_new_string(s) : NULL;
}

static json_object *row_json(const struct ps_row *r)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "engine", json_object_new_string(r->engine));
	json_object_object_add(o, "user", json_object_new_int64(r->user));
	json_object_object_add(o, "id", json_object_new_string(r->id));
	json_object_object_add(o, "name", json_object_new_string(r->name));
	json_object_object_add(o, "pid", json_object_new_int(r->pid));
	json_object_object_add(o, "annotation",
			       str_or_null(r->annotation[0], r->annotation));
	json_object_object_add(o, "firewall", json_object_new_boolean(r->firewall));
	json_object_object_add(o, "policy", str_or_null(r->firewall, r->table.name));
	json_object_object_add(o, "sha256", str_or_null(r->ours, r->table.sha256));
	json_object_object_add(o, "mode", json_object_new_string(mode(r)));
	json_object_object_add(o, "default_policy",
			       json_object_new_boolean(r->ours && r->table.is_default));
	json_object_object_add(o, "drifted", r->drift == DRIFT_UNKNOWN ? NULL :
			       json_object_new_boolean(r->drift == DRIFT_YES));
	json_object_object_add(o, "drift", str_or_null(r->why[0], r->why));
	json_object_object_add(o, "egress_default", counters(r, DIR_EGRESS));
	json_object_object_add(o, "ingress_default", counters(r, DIR_INGRESS));
	json_object_object_add(o, "fail_open", json_object_new_boolean(r->fail_open));
	return o;
}

int ps_print_json(const struct ps_row *rows, size_t n, FILE *out,
		  struct fw_error *err)
{
	json_object *root = json_object_new_array();
	int r;

	if (!root)
		return fw_error_set(err, -ENOMEM, "", "json-c: out of memory");
	for (size_t i = 0; i < n; i++)
		json_object_array_add(root, row_json(&rows[i]));
	r = fprintf(out, "%s\n", json_object_to_json_string_ext(
					root, JSON_C_TO_STRING_PRETTY |
						      JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(root);
	return r < 0 ? fw_error_set(err, -EIO, "", "writing to stdout failed")
		     : 0;
}
