// SPDX-License-Identifier: GPL-2.0-or-later
/* What the bundle's config.json says about the container's reach: its
 * capabilities and whether it has a network namespace of its own. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cleanup.h"
#include "container.h"
#include "state.h"
#include "json_strict.h"
#include "list.h"
#include "readall.h"

static const struct {
	const char *name; /* as in config.json and fw.unsafe */
	const char *flag; /* as podman's --cap-drop takes it */
	uint64_t bit;
} risks[] = {
	{ "CAP_NET_ADMIN", "NET_ADMIN", RISK_NET_ADMIN },
	{ "CAP_NET_RAW", "NET_RAW", RISK_NET_RAW },
	{ "CAP_SYS_ADMIN", "SYS_ADMIN", RISK_SYS_ADMIN },
};

static uint64_t risk_bit(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(risks); i++)
		if (strcmp(name, risks[i].name) == 0)
			return risks[i].bit;
	return 0;
}

/* Every set counts: bounding and permitted caps can be raised again by
 * the process itself, ambient and inheritable ones survive exec. */
static int parse_caps(struct json_object *process, uint64_t *risks_held,
		      struct fw_error *err)
{
	static const char *const sets[] = { "bounding", "effective",
					     "inheritable", "permitted",
					     "ambient" };
	struct json_object *caps, *list;

	if (!json_object_object_get_ex(process, "capabilities", &caps))
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(sets); i++) {
		if (!json_object_object_get_ex(caps, sets[i], &list))
			continue;
		if (!json_object_is_type(list, json_type_array))
			return fw_error_set(err, -EINVAL, "process.capabilities",
					    "%s is not an array", sets[i]);
		for (size_t j = 0; j < json_object_array_length(list); j++) {
			struct json_object *cap = json_object_array_get_idx(list, j);

			/* Not understanding an entry must not pass for safe. */
			if (!json_object_is_type(cap, json_type_string))
				return fw_error_set(err, -EINVAL,
						    "process.capabilities",
						    "%s[%zu] is not a string",
						    sets[i], j);
			*risks_held |= risk_bit(json_object_get_string(cap));
		}
	}
	return 0;
}

/* An optional string member, at most `len` - 1 bytes. */
static int get_path(struct json_object *obj, const char *key, char *ret,
		    size_t len, const char *where, struct fw_error *err)
{
	struct json_object *v;

	if (!json_object_object_get_ex(obj, key, &v))
		return 0;
	if (!json_object_is_type(v, json_type_string) ||
	    (size_t)json_object_get_string_len(v) >= len)
		return fw_error_set(err, -EINVAL, where, "\"%s\" is not a "
				    "path string", key);
	memcpy(ret, json_object_get_string(v),
	       (size_t)json_object_get_string_len(v) + 1);
	return 0;
}

static int parse_mounts(struct json_object *root, struct container *c,
			struct fw_error *err)
{
	struct json_object *mounts, *m, *dest;
	char where[32];
	int r = 0;

	if (!json_object_object_get_ex(root, "mounts", &mounts))
		return 0;
	if (!json_object_is_type(mounts, json_type_array))
		return fw_error_set(err, -EINVAL, "mounts", "expected an array");
	for (size_t i = 0; r == 0 && i < json_object_array_length(mounts); i++) {
		m = json_object_array_get_idx(mounts, i);
		snprintf(where, sizeof(where), "mounts[%zu]", i);
		if (!json_object_is_type(m, json_type_object) ||
		    !json_object_object_get_ex(m, "destination", &dest) ||
		    !json_object_is_type(dest, json_type_string))
			return fw_error_set(err, -EINVAL, where, "expected an "
					    "object with a \"destination\"");
		if (strcmp(json_object_get_string(dest), "/etc/resolv.conf") == 0)
			r = get_path(m, "source", c->resolv_conf,
				     sizeof(c->resolv_conf), where, err);
		else if (strcmp(json_object_get_string(dest), "/etc/hosts") == 0)
			r = get_path(m, "source", c->hosts, sizeof(c->hosts),
				     where, err);
	}
	return r;
}

static int parse_netns(struct json_object *root, struct container *c,
		       struct fw_error *err)
{
	struct json_object *linux_, *nss, *ns, *type;
	bool *ret = &c->own_netns;
	int r;

	*ret = false;
	if (!json_object_object_get_ex(root, "linux", &linux_) ||
	    !json_object_object_get_ex(linux_, "namespaces", &nss))
		return 0;
	if (!json_object_is_type(nss, json_type_array))
		return fw_error_set(err, -EINVAL, "linux.namespaces",
				    "expected an array");
	for (size_t i = 0; i < json_object_array_length(nss); i++) {
		ns = json_object_array_get_idx(nss, i);
		if (!json_object_object_get_ex(ns, "type", &type) ||
		    !json_object_is_type(type, json_type_string))
			return fw_error_set(err, -EINVAL, "linux.namespaces",
					    "entry %zu has no \"type\" string", i);
		if (strcmp(json_object_get_string(type), "network") != 0)
			continue;
		*ret = true;
		r = get_path(ns, "path", c->netns_path, sizeof(c->netns_path),
			     "linux.namespaces", err);
		if (r < 0)
			return r;
	}
	return 0;
}

int container_parse(const char *buf, size_t len, bool need_strict,
		    struct container *ret, struct fw_error *err)
{
	_cleanup_free_ struct container *c = calloc(1, sizeof(*c));
	struct json_object *root = NULL, *process, *rootfs;
	bool strict;
	int r;

	if (!c)
		return fw_error_set(err, -ENOMEM, "", "out of memory");

	r = runtime_json_parse(buf, len, &root, &strict, err);
	if (r == 0 && !strict && need_strict) {
		json_object_put(root);
		return -EINVAL; /* err says what strictness found */
	}
	if (r < 0)
		return r;
	if (!json_object_is_type(root, json_type_object))
		r = fw_error_set(err, -EINVAL, "", "expected a JSON object");
	else if (json_object_object_get_ex(root, "process", &process))
		r = parse_caps(process, &c->risks, err);
	if (r == 0)
		r = parse_netns(root, c, err);
	if (r == 0)
		r = parse_mounts(root, c, err);
	if (r == 0 && json_object_object_get_ex(root, "root", &rootfs))
		r = get_path(rootfs, "path", c->root, sizeof(c->root), "root",
			     err);
	json_object_put(root);
	if (r == 0)
		*ret = *c;
	return r;
}

int container_load(const char *bundle, bool need_strict, struct container *ret,
		   struct fw_error *err)
{
	_cleanup_close_ int fd = -1;
	_cleanup_free_ char *buf = NULL;
	char path[PATH_MAX];
	struct stat st;
	size_t len;
	int r;

	snprintf(path, sizeof(path), "%s/config.json", bundle);
	fw_error_set_file(err, path);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0 || fstat(fd, &st) < 0)
		return fw_error_set(err, -errno, "", "%s", strerror(errno));
	if (!S_ISREG(st.st_mode))
		return fw_error_set(err, -EINVAL, "", "not a regular file");
	r = read_all(fd, CONFIG_MAX_BYTES, &buf, &len);
	if (r < 0)
		return fw_error_set(err, r, "", "%s",
				    r == -EFBIG ? "larger than 4 MiB"
						: strerror(-r));
	return container_parse(buf, len, need_strict, ret, err);
}

int unsafe_parse(const char *s, uint64_t *ret, struct fw_error *err)
{
	char name[32];
	uint64_t accepted = 0;
	size_t n;

	for (const char *p = s, *next; *p; p = next) {
		next = list_item(p, &n);
		snprintf(name, sizeof(name), "%.*s", (int)n, p);
		if (n >= sizeof(name) || !risk_bit(name))
			return fw_error_set(err, -EINVAL, "",
					    "annotation " ANNOTATION_UNSAFE
					    ": \"%.31s\" is not a risk it can "
					    "accept (CAP_NET_ADMIN, "
					    "CAP_NET_RAW, CAP_SYS_ADMIN)", name);
		accepted |= risk_bit(name);
	}
	*ret = accepted;
	return 0;
}

void risk_names(uint64_t bits, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(risks) && used < len; i++)
		if (bits & risks[i].bit)
			used += snprintf(buf + used, len - used, "%s%s",
					 used ? "," : "", risks[i].name);
}

int container_check_risks(const struct container *c, uint64_t accepted,
			  const char *why, bool unsafe_honoured,
			  struct fw_error *err)
{
	char names[96] = "", drops[96] = "", all[96] = "";
	size_t un = 0, ud = 0, ua = 0, n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(risks); i++) {
		if (!(c->risks & risks[i].bit))
			continue;
		/* fw.unsafe must then name every risk held, accepted or not. */
		ua += snprintf(all + ua, sizeof(all) - ua, "%s%s", ua ? "," : "",
			       risks[i].name);
		if (accepted & risks[i].bit)
			continue;
		n++;
		un += snprintf(names + un, sizeof(names) - un, "%s%s",
			       un ? "," : "", risks[i].name);
		ud += snprintf(drops + ud, sizeof(drops) - ud, "%s--cap-drop %s",
			       ud ? " " : "", risks[i].flag);
	}
	if (!un)
		return 0;
	if (!unsafe_honoured)
		return fw_error_set(err, -EPERM, "",
				    "the container holds %s: %s; drop %s (%s); "
				    "this node does not honour "
				    ANNOTATION_UNSAFE, names, why,
				    n > 1 ? "them" : "it", drops);
	return fw_error_set(err, -EPERM, "",
			    "the container holds %s: %s; drop %s (%s) or "
			    "accept the risk with the annotation "
			    ANNOTATION_UNSAFE "=%s", names, why,
			    n > 1 ? "them" : "it", drops, all);
}
