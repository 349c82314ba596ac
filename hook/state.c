// SPDX-License-Identifier: GPL-2.0-or-later
/* The OCI state document the runtime writes to a hook's stdin. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_strict.h"
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
	int64_t pid;

	if (!json_object_object_get_ex(root, "pid", &v))
		return fw_error_set(err, -EINVAL, "pid", "missing (the container "
				    "has no process yet?)");
	pid = json_object_get_int64(v);
	if (!json_object_is_type(v, json_type_int) || pid < 1 || pid > 4194304)
		return fw_error_set(err, -EINVAL, "pid",
				    "%s is not a process id",
				    json_object_to_json_string(v));
	*ret = (pid_t)pid;
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

int state_parse(const char *buf, size_t len, struct oci_state *ret,
		struct fw_error *err)
{
	struct oci_state s = { 0 };
	struct json_object *root = NULL;
	int r;

	fw_error_set_file(err, "state");
	r = json_parse_strict(buf, len, &root, err);
	if (r < 0)
		return r;
	if (!json_object_is_type(root, json_type_object))
		r = fw_error_set(err, -EINVAL, "", "expected a JSON object");
	if (r == 0)
		r = get_string(root, "id", false, s.id, sizeof(s.id), err);
	if (r == 0)
		r = get_string(root, "bundle", true, s.bundle, sizeof(s.bundle),
			       err);
	if (r == 0)
		r = get_annotation(root, ANNOTATION_POLICY, &s.policy, err);
	if (r == 0)
		r = get_annotation(root, ANNOTATION_UNSAFE, &s.unsafe, err);
	if (r == 0)
		r = get_pid(root, &s.pid, err);
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
