// SPDX-License-Identifier: GPL-2.0-or-later
/* What the bundle's config.json says about the container's reach: its
 * capabilities and whether it has a network namespace of its own. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cleanup.h"
#include "container.h"
#include "state.h"
#include "json_strict.h"
#include "list.h"
#include "readall.h"

/*
 * The risks, and why each is one.  Refused unless fw.unsafe names them:
 *  - NET_ADMIN flushes the rules; NET_RAW sends frames through packet
 *    sockets that netfilter never sees; SYS_ADMIN mounts, enters and
 *    unshares namespaces, loads BPF and does most of what NET_ADMIN does.
 *  - SYS_MODULE loads kernel code, SYS_RAWIO writes kernel memory
 *    (/dev/mem, iopl, raw block I/O), SYS_BOOT loads a kernel to run next
 *    (kexec_load) and, in the host's PID namespace, reboots it: each owns
 *    the kernel, and with it every firewall.
 *  - BPF loads the program types and verifier paths kept from unprivileged
 *    users (with PERFMON, tracing programs that read kernel memory; the
 *    verifier's bugs are kernel writes).
 *  - SYS_PTRACE attaches to any process the container sees: with the
 *    host's or a pod's PID namespace, the runtime's, a neighbour's holding
 *    more, or the companion holding a netlink socket (late.h).
 *  - DAC_READ_SEARCH opens files by handle (open_by_handle_at) beside
 *    its mounts, on the host's filesystems: the "shocker" escape.
 * Not risks: PERFMON alone reads (kernel addresses, performance data) and
 * changes nothing; MKNOD makes device nodes that the device cgroup still
 * keeps closed; MAC_ADMIN changes LSM policy through securityfs, which a
 * container cannot mount without SYS_ADMIN; SYS_TIME, SYSLOG, SYS_NICE,
 * SYS_RESOURCE, IPC_LOCK and the rest act inside the container or read.
 */
static const struct {
	const char *name; /* as in config.json and fw.unsafe */
	const char *flag; /* as podman's --cap-drop takes it */
	uint64_t bit;
} risks[] = {
#define R(cap) { "CAP_" #cap, #cap, RISK(CAP_##cap) }
	R(NET_ADMIN), R(NET_RAW), R(SYS_ADMIN), R(SYS_MODULE), R(SYS_RAWIO),
	R(SYS_BOOT), R(BPF), R(SYS_PTRACE), R(DAC_READ_SEARCH),
#undef R
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

/* An optional string member, shorter than PATH_MAX; *ret points into
 * `obj` until keep_strings(). */
static int get_path(struct json_object *obj, const char *key,
		    const char **ret, const char *where, struct fw_error *err)
{
	struct json_object *v;

	if (!json_object_object_get_ex(obj, key, &v))
		return 0;
	if (!json_object_is_type(v, json_type_string) ||
	    json_object_get_string_len(v) >= PATH_MAX)
		return fw_error_set(err, -EINVAL, where, "\"%s\" is not a "
				    "path string", key);
	*ret = json_object_get_string(v);
	return 0;
}

/* Copies the paths out of the JSON tree, into one allocation. */
static int keep_strings(struct container *c, struct fw_error *err)
{
	const char **paths[] = { &c->netns_path, &c->root, &c->resolv_conf,
				 &c->hosts };
	size_t total = 0, used = 0, n;

	for (size_t i = 0; i < ARRAY_SIZE(paths); i++)
		total += strlen(*paths[i]) + 1;
	c->strings = malloc(total);
	if (!c->strings)
		return fw_error_set(err, -ENOMEM, "", "out of memory");
	for (size_t i = 0; i < ARRAY_SIZE(paths); i++) {
		n = strlen(*paths[i]) + 1;
		memcpy(c->strings + used, *paths[i], n);
		*paths[i] = c->strings + used;
		used += n;
	}
	return 0;
}

void container_free(struct container *c)
{
	free(c->strings);
	*c = (struct container){ .netns_path = "", .root = "",
				 .resolv_conf = "", .hosts = "" };
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
			r = get_path(m, "source", &c->resolv_conf, where, err);
		else if (strcmp(json_object_get_string(dest), "/etc/hosts") == 0)
			r = get_path(m, "source", &c->hosts, where, err);
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
		r = get_path(ns, "path", &c->netns_path, "linux.namespaces",
			     err);
		if (r < 0)
			return r;
	}
	return 0;
}

/*
 * Of config.json the hook reads the capability sets, the namespaces, the
 * mounts' destinations and sources and the root: everything else (the
 * seccomp profile, 7 of podman's 11 KiB, resources, rlimits, annotations,
 * the environment, mount options) is checked by the strict scanner and
 * never becomes json-c objects, which every container start would pay for.
 * What is read stays whole, so that a string where an object belongs is
 * refused as such.
 */
static bool unread(void *ctx, const char *path)
{
	static const char *const read[] = { "process", "process.capabilities",
					    "mounts", "linux",
					    "linux.namespaces", "root" };
	static const char *const entries[] = { "process.capabilities.",
					       "mounts[",
					       "linux.namespaces[" };
	size_t n;

	(void)ctx;
	for (size_t i = 0; i < ARRAY_SIZE(read); i++)
		if (strcmp(path, read[i]) == 0)
			return false;
	/* a capability set, a mount, a namespace, not what is in them */
	for (size_t i = 0; i < ARRAY_SIZE(entries); i++) {
		n = strlen(entries[i]);
		if (strncmp(path, entries[i], n) == 0 &&
		    !strpbrk(path + n, ".["))
			return false;
	}
	return true;
}

static int list_skip(void *ctx, const char *s, size_t len)
{
	(void)ctx, (void)s, (void)len;
	return 0;
}

int container_parse(const char *buf, size_t len, bool need_strict,
		    struct container *ret, struct fw_error *err)
{
	static const struct json_lists unread_parts = {
		.open = unread, .add = list_skip, .unread = unread
	};
	struct container c = { .netns_path = "", .root = "",
			       .resolv_conf = "", .hosts = "" };
	struct json_object *root = NULL, *process, *rootfs;
	bool strict;
	int r;

	r = runtime_json_parse(buf, len, &unread_parts, &root, &strict, err);
	if (r == 0 && !strict && need_strict) {
		json_object_put(root);
		return -EINVAL; /* err says what strictness found */
	}
	if (r < 0)
		return r;
	if (!json_object_is_type(root, json_type_object))
		r = fw_error_set(err, -EINVAL, "", "expected a JSON object");
	else if (json_object_object_get_ex(root, "process", &process))
		r = parse_caps(process, &c.risks, err);
	if (r == 0)
		r = parse_netns(root, &c, err);
	if (r == 0)
		r = parse_mounts(root, &c, err);
	if (r == 0 && json_object_object_get_ex(root, "root", &rootfs))
		r = get_path(rootfs, "path", &c.root, "root", err);
	if (r == 0)
		r = keep_strings(&c, err);
	json_object_put(root);
	if (r == 0)
		*ret = c;
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

uint64_t caps_risks(uint64_t caps)
{
	uint64_t held = 0;

	for (size_t i = 0; i < ARRAY_SIZE(risks); i++)
		held |= caps & risks[i].bit;
	return held;
}

/* The names (or --cap-drop flags) of the risks in `set`, joined by
 * commas; returns the length. */
static size_t join(uint64_t set, bool flags, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(risks); i++)
		if ((set & risks[i].bit) && n < len)
			n += snprintf(buf + n, len - n, "%s%s", n ? "," : "",
				      flags ? risks[i].flag : risks[i].name);
	return n;
}

void risks_names(uint64_t set, char *buf, size_t len)
{
	join(set, false, buf, len);
}

int unsafe_parse(const char *s, uint64_t *ret, struct fw_error *err)
{
	char name[32], known[192];
	uint64_t accepted = 0;
	size_t n;

	for (const char *p = s, *next; *p; p = next) {
		next = list_item(p, &n);
		snprintf(name, sizeof(name), "%.*s", (int)n, p);
		if (n < sizeof(name) && risk_bit(name)) {
			accepted |= risk_bit(name);
			continue;
		}
		join(~UINT64_C(0), false, known, sizeof(known));
		return fw_error_set(err, -EINVAL, "",
				    "annotation " ANNOTATION_UNSAFE ": \"%.31s\" "
				    "is not a risk it can accept (%s)", name,
				    known);
	}
	*ret = accepted;
	return 0;
}

int container_check_risks(const struct container *c, uint64_t accepted,
			  const char *why, bool unsafe_honoured,
			  struct fw_error *err)
{
	uint64_t refused = c->risks & ~accepted;
	char names[192], drops[160], all[192];

	if (!refused)
		return 0;
	join(refused, false, names, sizeof(names));
	join(refused, true, drops, sizeof(drops));
	/* fw.unsafe must then name every risk held, accepted or not. */
	join(c->risks, false, all, sizeof(all));
	if (!unsafe_honoured)
		return fw_error_set(err, -EPERM, "",
				    "the container holds %s: %s; drop %s "
				    "(--cap-drop %s); this node does not honour "
				    ANNOTATION_UNSAFE, names, why,
				    refused & (refused - 1) ? "them" : "it",
				    drops);
	return fw_error_set(err, -EPERM, "",
			    "the container holds %s: %s; drop %s (--cap-drop "
			    "%s) or accept the risk with the annotation "
			    ANNOTATION_UNSAFE "=%s", names, why,
			    refused & (refused - 1) ? "them" : "it", drops, all);
}
