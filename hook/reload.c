// SPDX-License-Identifier: GPL-2.0-or-later
/* reload: the current file(s) of a running container's policy, loaded the
 * way apply loads them at start. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "child.h"
#include "cleanup.h"
#include "netlink.h"
#include "netns.h"
#include "refresh.h"
#include "reload.h"
#include "ruleset.h"
#include "state.h"

/* The table's comment and, as files, the addresses its "dns" and
 * "host" sets hold (apply_options.files). */
struct table_peek {
	bool found;
	char comment[COMMENT_MAX + 1];
	char resolv_conf[1024];
	char hosts[1024];
};

static int peek(void *arg, void *out, struct fw_error *err)
{
	const pid_t *pid = arg;
	struct table_peek *p = out;
	struct mnl_socket *nl = NULL;
	int r;

	r = netns_join(*pid, err);
	if (r == 0)
		r = nl_open(&nl, err);
	if (r == 0)
		r = nl_table_comment(nl, p->comment, sizeof(p->comment), err);
	if (r == 0)
		r = symbol_lines(nl, "dns", "nameserver ", "\n", p->resolv_conf,
				 sizeof(p->resolv_conf), err);
	if (r == 0)
		r = symbol_lines(nl, "host", "", " " HOST_NAME "\n", p->hosts,
				 sizeof(p->hosts), err);
	if (nl)
		mnl_socket_close(nl);
	p->found = r == 0;
	return r == -ENOENT ? 0 : r;
}

/* The OCI state the runtime gave the hook at create, as a file: what
 * apply reads on stdin. */
static int state_file(const struct podman_container *c, int *ret_fd,
		      struct fw_error *err)
{
	json_object *st = json_object_new_object();
	_cleanup_close_ int fd = memfd_create("oci-state", MFD_CLOEXEC);
	const char *s;
	size_t len;

	if (!st || fd < 0) {
		json_object_put(st);
		return fw_error_set(err, fd < 0 ? -errno : -ENOMEM, "",
				    "the state for apply: %s",
				    fd < 0 ? strerror(errno) : "out of memory");
	}
	json_object_object_add(st, "ociVersion", json_object_new_string("1.0.2"));
	json_object_object_add(st, "id", json_object_new_string(c->id));
	json_object_object_add(st, "status", json_object_new_string("running"));
	json_object_object_add(st, "pid", json_object_new_int(c->pid));
	json_object_object_add(st, "bundle", json_object_new_string(c->bundle));
	if (c->annotations)
		json_object_object_add(st, "annotations",
				       json_object_get(c->annotations));
	s = json_object_to_json_string_length(st, JSON_C_TO_STRING_PLAIN, &len);
	if (write(fd, s, len) != (ssize_t)len || lseek(fd, 0, SEEK_SET) < 0) {
		json_object_put(st);
		return fw_error_set(err, -EIO, "", "the state for apply: %s",
				    strerror(errno));
	}
	json_object_put(st);
	*ret_fd = TAKE_FD(fd);
	return 0;
}

struct apply_args {
	const struct apply_options *o;
	int state_fd;
};

static int apply_child(void *arg, void *out, struct fw_error *err)
{
	const struct apply_args *a = arg;

	return apply_run(a->state_fd, a->o, out, err);
}

int reload_run(const struct apply_options *o, const struct podman_container *c,
	       struct reload_result *ret, struct fw_error *err)
{
	struct apply_options ao = *o;
	struct apply_args args = { .o = &ao, .state_fd = -1 };
	struct table_peek p = { 0 };
	struct resolve_input files = { .routes = true };
	int r;

	*ret = (struct reload_result){ 0 };
	fw_error_set_file(err, c->name);
	r = child_run(peek, (void *)&c->pid, &p, sizeof(p), err);
	if (r < 0)
		return r;
	ret->had_table = p.found &&
			 table_comment_parse(p.comment, &ret->before) == 0;
	/* the admin's default, as the table says, when the hook's options
	 * did not come along */
	if (!c->policy && !ao.default_policy && ret->had_table &&
	    ret->before.is_default)
		ao.default_policy = ret->before.name;
	if (!c->policy && !ao.default_policy)
		return fw_error_set(err, -ENODATA, "", "no %s annotation and no "
				    "default policy in its network namespace: "
				    "nothing to reload", ANNOTATION_POLICY);
	files.resolv_conf = p.resolv_conf;
	files.resolv_len = strlen(p.resolv_conf);
	files.hosts = p.hosts;
	files.hosts_len = strlen(p.hosts);
	ao.files = &files;
	r = state_file(c, &args.state_fd, err);
	if (r == 0)
		r = child_run(apply_child, &args, &ret->apply,
			      sizeof(ret->apply), err);
	closep(&args.state_fd);
	return r;
}

static int netns_id(pid_t pid, struct stat *ret)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
	return stat(path, ret) < 0 ? -errno : 0;
}

static bool same_netns(const struct stat *a, const struct stat *b)
{
	return a->st_ino == b->st_ino && a->st_dev == b->st_dev;
}

size_t reload_plan(const struct podman_container *c, size_t n,
		   size_t *ret_pick, size_t *ret_same)
{
	_cleanup_free_ struct stat *st = calloc(n ? n : 1, sizeof(*st));
	size_t npick = 0, k;

	for (size_t i = 0; i < n; i++) {
		ret_same[i] = n;
		if (!st || netns_id(c[i].pid, &st[i]) < 0)
			continue;
		for (k = 0; k < npick; k++)
			if (same_netns(&st[ret_pick[k]], &st[i]))
				break;
		if (k == npick)
			ret_pick[npick++] = i;
		else if (!c[ret_pick[k]].policy && c[i].policy)
			ret_pick[k] = i;
	}
	for (size_t i = 0; i < n; i++)
		for (k = 0; st && ret_same[i] == n && k < npick; k++)
			if (netns_id(c[i].pid, &st[i]) == 0 &&
			    same_netns(&st[ret_pick[k]], &st[i]))
				ret_same[i] = ret_pick[k];
	return npick;
}
