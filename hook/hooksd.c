// SPDX-License-Identifier: GPL-2.0-or-later
/* The OCI hooks.d directories as podman and CRI-O read them, for doctor.
 *
 * Measured with podman 4.3 and 5.4 (containers/common's pkg/hooks, which CRI-O
 * shares): a file that is not JSON stops every container; a file whose
 * hook.path does not exist is dropped without a word, as if it were not
 * there, so it hides nothing; any other file hides the file of the same
 * name in an earlier directory. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <json-c/json.h>

#include "cleanup.h"
#include "hooksd.h"
#include "json_strict.h"
#include "readall.h"

#define HOOKSD_MAX_BYTES (64 * 1024)
#define HOOK_NAME "oci-fw-hook"

static bool is_hook_name(const char *s)
{
	const char *base = s ? strrchr(s, '/') : NULL;

	return s && strcmp(base ? base + 1 : s, HOOK_NAME) == 0;
}

static const char *array_string(struct json_object *a, size_t i)
{
	struct json_object *v = json_object_array_get_idx(a, i);

	return json_object_is_type(v, json_type_string)
		       ? json_object_get_string(v) : NULL;
}

/* The fields doctor judges; the rest is podman's business. */
static int entry_parse(struct hooksd_entry *e, struct json_object *doc)
{
	struct json_object *hook, *path, *args = NULL, *when, *always, *stages;

	if (!json_object_object_get_ex(doc, "hook", &hook) ||
	    !json_object_object_get_ex(hook, "path", &path) ||
	    !json_object_is_type(path, json_type_string))
		return fw_error_set(&e->error, -EINVAL, "hook.path",
				    "missing: not a hooks.d file of version "
				    "1.0.0");
	snprintf(e->path, sizeof(e->path), "%s", json_object_get_string(path));
	json_object_object_get_ex(hook, "args", &args);
	e->ours = is_hook_name(e->path) ||
		  (json_object_is_type(args, json_type_array) &&
		   is_hook_name(array_string(args, 0)));
	e->apply = json_object_is_type(args, json_type_array) &&
		   array_string(args, 1) &&
		   strcmp(array_string(args, 1), "apply") == 0;
	e->always = json_object_object_get_ex(doc, "when", &when) &&
		    json_object_object_get_ex(when, "always", &always) &&
		    json_object_is_type(always, json_type_boolean) &&
		    json_object_get_boolean(always);
	if (json_object_object_get_ex(doc, "stages", &stages) &&
	    json_object_is_type(stages, json_type_array))
		for (size_t i = 0; i < json_object_array_length(stages); i++)
			e->create_runtime |= array_string(stages, i) &&
				strcmp(array_string(stages, i), "createRuntime") == 0;
	e->missing = access(e->path, F_OK) < 0 && errno == ENOENT;
	return 0;
}

static void entry_read(struct hooksd_entry *e)
{
	struct json_object *doc = NULL;
	_cleanup_close_ int fd = open(e->file, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	_cleanup_free_ char *buf = NULL;
	size_t len;
	int r;

	r = fd < 0 ? -errno : read_all(fd, HOOKSD_MAX_BYTES, &buf, &len);
	if (r < 0)
		fw_error_set(&e->error, r, "", "cannot read it: %s",
			     strerror(-r));
	if (r == 0)
		r = json_parse_strict(buf, len, &doc, &e->error);
	if (r == 0)
		r = entry_parse(e, doc);
	e->invalid = r < 0;
	json_object_put(doc);
}

static int json_file(const struct dirent *d)
{
	size_t len = strlen(d->d_name);

	return len > 5 && strcmp(d->d_name + len - 5, ".json") == 0;
}

static int dir_read(struct hooksd *h, const char *dir, size_t idx,
		    struct fw_error *err)
{
	struct dirent **names;
	struct hooksd_entry *more;
	int n = scandir(dir, &names, json_file, alphasort);

	if (n < 0)
		return errno == ENOENT ? 0 : fw_error_set(err, -errno, dir,
							  "%s", strerror(errno));
	more = realloc(h->e, (h->n + (size_t)n) * sizeof(*h->e));
	for (int i = 0; i < n; i++) {
		struct hooksd_entry *e = more ? &more[h->n++] : NULL;

		if (e) {
			*e = (struct hooksd_entry){ .dir = idx, .hidden_by = -1 };
			snprintf(e->file, sizeof(e->file), "%s/%s", dir,
				 names[i]->d_name);
			snprintf(e->name, sizeof(e->name), "%s",
				 names[i]->d_name);
			fw_error_set_file(&e->error, e->file);
			entry_read(e);
		}
		free(names[i]);
	}
	free(names);
	if (more)
		h->e = more;
	return more || n == 0 ? 0 : fw_error_set(err, -ENOMEM, dir,
						   "out of memory");
}

int hooksd_read(const char *const *dirs, size_t ndirs, struct hooksd *ret,
		struct fw_error *err)
{
	struct hooksd h = { 0 };
	int r = 0;

	for (size_t i = 0; i < ndirs && r == 0; i++)
		r = dir_read(&h, dirs[i], i, err);
	if (r < 0) {
		hooksd_free(&h);
		return r;
	}
	for (size_t i = 0; i < h.n; i++)
		for (size_t j = i + 1; j < h.n; j++)
			if (h.e[j].dir > h.e[i].dir && !h.e[j].missing &&
			    strcmp(h.e[j].name, h.e[i].name) == 0)
				h.e[i].hidden_by = (int)j;
	*ret = h;
	return 0;
}

const struct hooksd_entry *hooksd_effective(const struct hooksd *h,
					    const char *name)
{
	for (size_t i = 0; i < h->n; i++)
		if (strcmp(h->e[i].name, name) == 0 && !h->e[i].missing &&
		    h->e[i].hidden_by < 0)
			return &h->e[i];
	return NULL;
}

void hooksd_free(struct hooksd *h)
{
	free(h->e);
	h->e = NULL;
	h->n = 0;
}
