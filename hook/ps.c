// SPDX-License-Identifier: GPL-2.0-or-later
/* ps: every running container of podman (rootful, the users' rootless
 * ones) and of CRI-O, with the firewall its namespace holds. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include "array.h"
#include "child.h"
#include "cleanup.h"
#include "compose.h"
#include "container.h"
#include "json_strict.h"
#include "podman.h"
#include "ps.h"
#include "readall.h"
#include "show.h"
#include "state.h"
#include "userns.h"

#define PS_MAX_ROWS 65536
#define RUNTIME_STATE_MAX (1u << 20)

static void closedirp(DIR **d)
{
	if (*d)
		closedir(*d);
}

struct rows {
	struct ps_row *r;
	size_t n, cap;
};

static struct ps_row *row_add(struct rows *rs)
{
	if (rs->n >= PS_MAX_ROWS ||
	    ARRAY_RESERVE(rs->r, rs->cap, rs->n, 64) < 0)
		return NULL;
	rs->r[rs->n] = (struct ps_row){ 0 };
	return &rs->r[rs->n++];
}

/* In a child: the table of the pid's namespace, and the two defaults'
 * counters (the last rule of each chain). */
static int read_table(void *arg, void *out, struct fw_error *err)
{
	struct ps_row *row = out;
	struct show s;
	int r;

	r = show_read(*(pid_t *)arg, &s, err);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	row->firewall = true;
	row->ours = s.sha256[0] != '\0';
	snprintf(row->table.name, sizeof(row->table.name), "%s", s.policy);
	snprintf(row->table.sha256, sizeof(row->table.sha256), "%s", s.sha256);
	snprintf(row->table.origin, sizeof(row->table.origin), "%s", s.origin);
	row->table.audit = s.audit;
	row->table.is_default = s.is_default;
	for (int d = 0; d < 2; d++) {
		const struct show_chain *c = &s.chains[d];

		row->counted[d] = c->present && c->n > 0;
		if (!row->counted[d])
			continue;
		row->packets[d] = c->rules[c->n - 1].packets;
		row->bytes[d] = c->rules[c->n - 1].bytes;
	}
	show_free(&s);
	return 0;
}

struct digest_args {
	const struct ps_options *o;
	const char *spec;
	uid_t user; /* rootless: compile with the user's rights and files */
	gid_t gid;
};

/* In a child, as the container's user for a rootless one: the files'
 * digest now, as the hook would find them. */
static int digest_now(void *arg, void *out, struct fw_error *err)
{
	const struct digest_args *a = arg;
	struct policy_lookup l = *a->o->lookup;
	const char *dirs[POLICY_DIRS_DEFAULT_MAX];
	char home[PATH_MAX], user_dir[PATH_MAX];
	struct composed pol;
	int r;

	if (a->user && (setgroups(1, &a->gid) < 0 || setgid(a->gid) < 0 ||
			setuid(a->user) < 0))
		return fw_error_set(err, -errno, "", "as uid %u: %s",
				    (unsigned)a->user, strerror(errno));
	if (a->user && a->o->default_dirs &&
	    user_policy_dir(a->user, home, sizeof(home), user_dir,
			    sizeof(user_dir)) == 0) {
		l.dirs = dirs;
		l.ndirs = policy_dirs_default(user_dir, dirs);
	}
	l.allow_path = true;
	r = policy_compose(a->spec, &l, &pol, err);
	if (r < 0)
		return r;
	table_digest_hex(pol.sha256, out);
	composed_free(&pol);
	return 0;
}

/* Drifted: the file(s) the table came from compile to another digest now
 * (or no longer compile).  Which files: fw.policy's, or the default's
 * name; a pod member without either shares a table it did not choose. */
static void drift(const struct ps_options *o, struct ps_row *row, gid_t gid)
{
	struct digest_args a = { .o = o, .spec = row->annotation,
				 .user = row->user, .gid = gid };
	char now[TABLE_DIGEST_HEX + 1] = "", line[256];
	struct fw_error err = { 0 };

	row->drift = DRIFT_UNKNOWN;
	if (!row->firewall || !row->ours)
		return;
	if (!a.spec[0] && row->table.is_default)
		a.spec = row->table.name;
	if (!a.spec[0]) {
		snprintf(row->why, sizeof(row->why), "its namespace's table "
			 "is another container's");
		return;
	}
	if (child_run(digest_now, &a, now, sizeof(now), &err) < 0) {
		fw_error_format(&err, line, sizeof(line));
		row->drift = DRIFT_YES;
		snprintf(row->why, sizeof(row->why), "%s", line);
		return;
	}
	row->drift = strcmp(now, row->table.sha256) ? DRIFT_YES : DRIFT_NO;
	if (row->drift == DRIFT_YES)
		snprintf(row->why, sizeof(row->why), "the file(s) now: "
			 "sha256:%s", now);
}

static void row_finish(const struct ps_options *o, struct ps_row *row,
		       gid_t gid)
{
	struct fw_error err = { 0 };

	if (child_run(read_table, &row->pid, row, sizeof(*row), &err) < 0)
		snprintf(row->why, sizeof(row->why), "%s", err.what);
	row->fail_open = row->annotation[0] && !row->firewall && !row->why[0];
	drift(o, row, gid);
}

static int add_podman(const struct ps_options *o, struct rows *rs,
		      const struct podman_as *as, struct fw_error *err)
{
	struct podman_container *c = NULL;
	size_t n = 0;
	int r;

	r = podman_running(as, &c, &n, err);
	for (size_t i = 0; r == 0 && i < n; i++) {
		struct ps_row *row = row_add(rs);

		if (!row) {
			r = fw_error_set(err, -ENOMEM, "", "out of memory");
			break;
		}
		snprintf(row->engine, sizeof(row->engine), "podman");
		row->user = as ? as->uid : 0;
		snprintf(row->id, sizeof(row->id), "%s", c[i].id);
		snprintf(row->name, sizeof(row->name), "%s", c[i].name);
		snprintf(row->annotation, sizeof(row->annotation), "%s",
			 c[i].policy ? c[i].policy : "");
		row->pid = c[i].pid;
		row_finish(o, row, as ? as->gid : 0);
	}
	podman_containers_free(c, n);
	return r;
}

/* Users whose rootless podman runs: its pause process holds the user
 * namespace every container of theirs lives in. */
static bool podman_runs_for(uid_t uid)
{
	char path[96], buf[32] = "";
	_cleanup_close_ int fd = -1;
	long pid;

	snprintf(path, sizeof(path), "/run/user/%u/libpod/tmp/pause.pid",
		 (unsigned)uid);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 || read(fd, buf, sizeof(buf) - 1) <= 0)
		return false;
	pid = strtol(buf, NULL, 10);
	return pid > 0 && kill((pid_t)pid, 0) == 0;
}

static int add_rootless(const struct ps_options *o, struct rows *rs,
			struct fw_warning *warn, size_t *nwarn, size_t maxwarn)
{
	_cleanup_(closedirp) DIR *d = opendir("/run/user");
	struct dirent *e;

	while (d && (e = readdir(d))) {
		struct fw_error err = { 0 };
		struct podman_as as;
		char *end;
		unsigned long uid = strtoul(e->d_name, &end, 10);

		if (*end || end == e->d_name || uid == 0 || !podman_runs_for(uid))
			continue;
		if (podman_as_user((uid_t)uid, &as, &err) == 0 &&
		    add_podman(o, rs, &as, &err) == 0)
			continue;
		if (*nwarn < maxwarn) {
			fw_warning_set(&warn[*nwarn], "", "the rootless podman "
				       "of uid %lu: %s", uid, err.what);
			fw_warning_set_file(&warn[(*nwarn)++], "ps");
		}
	}
	return 0;
}

/*
 * CRI-O has no list of its own to ask here (crictl talks to its socket,
 * and may not be there): its containers are the OCI runtime's, in the
 * runtime's state directory (runc: ROOT/ID/state.json with
 * init_process_pid and a "bundle=DIR" label; crun: ROOT/ID/status with
 * pid and bundle), and CRI-O marks their config.json with the annotation
 * io.container.manager=cri-o; its pod sandboxes (ContainerType sandbox)
 * are left out.
 */
#define CRIO_MANAGER "io.container.manager"
#define CRIO_TYPE "io.kubernetes.cri-o.ContainerType"
#define CRIO_NAME "io.kubernetes.container.name"

static json_object *read_json(int dirfd, const char *path)
{
	_cleanup_close_ int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	_cleanup_free_ char *buf = NULL;
	struct fw_error err = { 0 };
	json_object *o = NULL;
	bool strict;
	size_t len;

	if (fd < 0 || read_all(fd, CONFIG_MAX_BYTES, &buf, &len) < 0 ||
	    runtime_json_parse(buf, len, NULL, &o, &strict, &err) < 0)
		return NULL;
	return o;
}

static const char *string_at(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) &&
			       json_object_is_type(v, json_type_string)
		       ? json_object_get_string(v) : NULL;
}

/* pid and bundle from runc's state.json or crun's status */
static bool runtime_state(int dirfd, const char *id, pid_t *pid,
			  char *bundle, size_t len)
{
	char path[NAME_MAX + 16];
	json_object *st, *v, *labels;
	bool ok = false;

	snprintf(path, sizeof(path), "%s/state.json", id);
	st = read_json(dirfd, path);
	if (st && json_object_object_get_ex(st, "init_process_pid", &v) &&
	    json_object_object_get_ex(st, "config", &labels) &&
	    json_object_object_get_ex(labels, "labels", &labels)) {
		*pid = (pid_t)json_object_get_int(v);
		for (size_t i = 0; i < json_object_array_length(labels); i++) {
			const char *l = json_object_get_string(
				json_object_array_get_idx(labels, i));

			if (l && strncmp(l, "bundle=", 7) == 0)
				ok = snprintf(bundle, len, "%s", l + 7) < (int)len;
		}
	}
	json_object_put(st);
	if (ok)
		return *pid > 0;
	snprintf(path, sizeof(path), "%s/status", id);
	st = read_json(dirfd, path);
	if (st && json_object_object_get_ex(st, "pid", &v) && string_at(st, "bundle")) {
		*pid = (pid_t)json_object_get_int(v);
		ok = snprintf(bundle, len, "%s", string_at(st, "bundle")) < (int)len;
	}
	json_object_put(st);
	return ok && *pid > 0;
}

static void add_crio_one(const struct ps_options *o, struct rows *rs,
			 int dirfd, const char *id)
{
	char bundle[PATH_MAX], path[PATH_MAX + 16];
	json_object *cfg, *ann = NULL;
	const char *manager, *type, *policy, *name;
	struct ps_row *row;
	pid_t pid;

	if (!runtime_state(dirfd, id, &pid, bundle, sizeof(bundle)) ||
	    kill(pid, 0) < 0)
		return;
	snprintf(path, sizeof(path), "%s/config.json", bundle);
	cfg = read_json(AT_FDCWD, path);
	if (cfg)
		json_object_object_get_ex(cfg, "annotations", &ann);
	manager = ann ? string_at(ann, CRIO_MANAGER) : NULL;
	type = ann ? string_at(ann, CRIO_TYPE) : NULL;
	if (manager && strcmp(manager, "cri-o") == 0 &&
	    !(type && strcmp(type, "sandbox") == 0) && (row = row_add(rs))) {
		policy = string_at(ann, ANNOTATION_POLICY);
		name = string_at(ann, CRIO_NAME);
		snprintf(row->engine, sizeof(row->engine), "cri-o");
		snprintf(row->id, sizeof(row->id), "%s", id);
		snprintf(row->name, sizeof(row->name), "%s", name ? name : id);
		snprintf(row->annotation, sizeof(row->annotation), "%s",
			 policy ? policy : "");
		row->pid = pid;
		row_finish(o, row, 0);
	}
	json_object_put(cfg);
}

static void add_crio(const struct ps_options *o, struct rows *rs)
{
	for (size_t i = 0; i < o->nruntime_roots; i++) {
		_cleanup_(closedirp) DIR *d = opendir(o->runtime_roots[i]);
		struct dirent *e;

		while (d && (e = readdir(d)))
			if (e->d_name[0] != '.')
				add_crio_one(o, rs, dirfd(d), e->d_name);
	}
}

int ps_collect(const struct ps_options *o, struct ps_row **ret, size_t *ret_n,
	       struct fw_warning *warn, size_t *nwarn, size_t maxwarn,
	       struct fw_error *err)
{
	struct rows rs = { 0 };
	int r;

	*nwarn = 0;
	r = add_podman(o, &rs, NULL, err);
	if (r == -ENOEXEC && !o->own_only) /* a CRI-O node without podman */
		r = 0;
	if (r == 0 && !o->own_only) {
		add_rootless(o, &rs, warn, nwarn, maxwarn);
		add_crio(o, &rs);
	}
	if (r < 0) {
		free(rs.r);
		return r;
	}
	*ret = rs.r;
	*ret_n = rs.n;
	return 0;
}
