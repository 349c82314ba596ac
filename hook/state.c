// SPDX-License-Identifier: GPL-2.0-or-later
/* The OCI state document the runtime writes to a hook's stdin. */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_strict.h"
#include "pid.h"
#include "state.h"

static int get_string(struct json_object *root, const char *key, bool required,
		      char *buf, size_t len, struct fw_error *err)
{
	struct json_object *v;
	const char *s;

	if (!json_object_object_get_ex(root, key, &v))
		return required ? fw_error_set(err, -EINVAL, key, "missing")
				: 0;
	if (!json_object_is_type(v, json_type_string))
		return fw_error_set(err, -EINVAL, key, "expected a string");
	s = json_object_get_string(v);
	if (strlen(s) >= len || (required && !s[0]))
		return fw_error_set(err, -EINVAL, key,
				    "empty or longer than %zu bytes", len - 1);
	memcpy(buf, s, strlen(s) + 1);
	return 0;
}

static int get_pid(struct json_object *root, pid_t *ret, struct fw_error *err)
{
	struct json_object *v;

	if (!json_object_object_get_ex(root, "pid", &v))
		return fw_error_set(err, -EINVAL, "pid", "missing (the container "
				    "has no process yet?)");
	if (!json_object_is_type(v, json_type_int) ||
	    pid_from_int(json_object_get_int64(v), ret) < 0)
		return fw_error_set(err, -EINVAL, "pid",
				    "%s is not a process id",
				    json_object_to_json_string(v));
	return 0;
}

/*
 * podman 4.3 split --annotation values at commas, so a list had to be
 * quoted twice ('"fw.policy=a,b"'); podman 5 does not split, and keeps the
 * quotes in the key.  Such a key means the launcher wanted a firewall: the
 * container must not start without one, and the line must say why.
 */
static bool is_quote(char c)
{
	return c == '"' || c == '\'';
}

/* `key` is `name` with a quote before or after it, or both. */
static bool quoted_name(const char *key, const char *name)
{
	size_t len = strlen(key), n = strlen(name);
	size_t lead = is_quote(key[0]);
	size_t trail = len > lead && is_quote(key[len - 1]);

	return lead + trail > 0 && len == lead + n + trail &&
	       strncmp(key + lead, name, n) == 0;
}

static int check_quoted_key(const char *key, struct fw_error *err)
{
	static const char *const names[] = {ANNOTATION_POLICY,
					    ANNOTATION_UNSAFE};

	for (size_t i = 0; i < 2; i++) {
		if (!quoted_name(key, names[i]))
			continue;
		return fw_error_class(
		    err, FW_CLASS_ANNOTATION,
		    fw_error_set(err, -EINVAL, "annotations",
				 "the key '%s' holds quotes: this podman "
				 "kept them (podman 5 does not split "
				 "--annotation at commas, so it needs no "
				 "quoting); write --annotation %s=a,b "
				 "without quotes",
				 key, names[i]));
	}
	return 0;
}

static int check_quoted_keys(struct json_object *root, struct fw_error *err)
{
	struct json_object *ann;

	if (!json_object_object_get_ex(root, "annotations", &ann) ||
	    !json_object_is_type(ann, json_type_object))
		return 0;
	json_object_object_foreach(ann, key, v)
	{
		(void)v;
		if (check_quoted_key(key, err) < 0)
			return -EINVAL;
	}
	return 0;
}

static int get_annotation(struct json_object *root, const char *key,
			  char **ret, struct fw_error *err)
{
	struct json_object *ann, *v;

	if (!json_object_object_get_ex(root, "annotations", &ann) ||
	    json_object_is_type(ann, json_type_null))
		return 0;
	if (!json_object_is_type(ann, json_type_object))
		return fw_error_set(err, -EINVAL, "annotations",
				    "expected an object");
	if (!json_object_object_get_ex(ann, key, &v))
		return 0;
	if (!json_object_is_type(v, json_type_string))
		return fw_error_set(err, -EINVAL, "annotations", "%s: expected a "
				    "string", key);
	*ret = strdup(json_object_get_string(v));
	return *ret ? 0 : -ENOMEM;
}

/* Plain JSON, as json-c reads it: the last of duplicate keys wins, keys
 * may hold escapes. */
static struct json_object *parse_plain(const char *buf, size_t len)
{
	struct json_tokener *tok = json_tokener_new_ex(JSON_MAX_DEPTH + 1);
	struct json_object *obj;
	size_t end;

	if (!tok)
		return NULL;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	obj = json_tokener_parse_ex(tok, buf, (int)len);
	end = json_tokener_get_parse_end(tok);
	if (json_tokener_get_error(tok) != json_tokener_success ||
	    !json_is_blank(buf + end, len - end)) {
		json_object_put(obj);
		obj = NULL;
	}
	json_tokener_free(tok);
	return obj;
}

/* Strict JSON where it decides a firewall, plain JSON elsewhere (see
 * state.h). */
int runtime_json_parse(const char *buf, size_t len,
		       const struct json_lists *lists, struct json_object **ret,
		       bool *ret_strict, struct fw_error *err)
{
	int r = json_parse_lists(buf, len, lists, ret, err);

	*ret_strict = r == 0;
	if (r < 0 && len <= INT_MAX)
		*ret = parse_plain(buf, len);
	return r == 0 || *ret ? 0 : r;
}

static int get_fields(struct json_object *root, struct oci_state *s,
		      struct fw_error *err)
{
	int r;

	r = get_string(root, "id", false, s->id, sizeof(s->id), err);
	if (r == 0)
		r = get_string(root, "bundle", true, s->bundle,
			       sizeof(s->bundle), err);
	if (r == 0)
		r = get_annotation(root, ANNOTATION_POLICY, &s->policy, err);
	if (r == 0)
		r = get_annotation(root, ANNOTATION_UNSAFE, &s->unsafe, err);
	if (r == 0)
		r = get_pid(root, &s->pid, err);
	return r;
}

int state_parse(const char *buf, size_t len, struct oci_state *ret,
		struct fw_error *err)
{
	struct oci_state s = { 0 };
	struct json_object *root = NULL;
	struct fw_error strict_err = {0};
	bool strict;
	int r;

	fw_error_set_file(err, "state");
	r = runtime_json_parse(buf, len, NULL, &root, &strict, err);
	if (r < 0)
		return r;
	if (!strict && err)
		strict_err = *err;
	if (!json_object_is_type(root, json_type_object))
		r = fw_error_set(err, -EINVAL, "", "expected a JSON object");
	if (r == 0)
		r = check_quoted_keys(root, err);
	if (r == 0) {
		r = get_fields(root, &s, err);
		/* Not strict JSON: what strictness found refuses a state that
		 * asks for a firewall, and explains one that fails anyway. */
		if (!strict && (r < 0 || s.policy || s.unsafe)) {
			r = -EINVAL;
			if (err)
				*err = strict_err;
		}
	}
	json_object_put(root);
	if (r < 0) {
		state_free(&s);
		return r;
	}
	*ret = s;
	return 0;
}

void state_free(struct oci_state *s)
{
	free(s->policy);
	free(s->unsafe);
	s->policy = s->unsafe = NULL;
}
