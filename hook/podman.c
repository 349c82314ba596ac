// SPDX-License-Identifier: GPL-2.0-or-later
/* Asking podman about containers: `podman inspect` and `podman ps`, run as
 * a child process, their JSON read strictly. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "json_strict.h"
#include "podman.h"
#include "readall.h"
#include "state.h"

/* `podman inspect` of one container is about 10 KiB. */
#define PODMAN_OUTPUT_MAX (64u << 20)
#define PODMAN_MAX_CONTAINERS 4096

int podman_as_user(uid_t uid, struct podman_as *ret, struct fw_error *err)
{
	struct passwd pw, *found = NULL;
	char buf[4096];
	int r;

	r = getpwuid_r(uid, &pw, buf, sizeof(buf), &found);
	if (!found)
		return fw_error_set(err, r ? -r : -ESRCH, "", "no user of uid %u",
				    (unsigned)uid);
	*ret = (struct podman_as){ .drop = true, .uid = uid, .gid = pw.pw_gid };
	snprintf(ret->home, sizeof(ret->home), "%s", pw.pw_dir);
	return 0;
}

/* Root asking for a user: the user's rights and the environment rootless
 * podman finds its storage and its pause process by. */
static int become(const struct podman_as *as)
{
	char dir[64];

	if (!as || !as->drop)
		return 0;
	snprintf(dir, sizeof(dir), "/run/user/%u", (unsigned)as->uid);
	if (setgroups(1, &as->gid) < 0 || setgid(as->gid) < 0 ||
	    setuid(as->uid) < 0 || chdir("/") < 0)
		return -errno;
	if (setenv("HOME", as->home, 1) < 0 ||
	    setenv("XDG_RUNTIME_DIR", dir, 1) < 0)
		return -errno;
	return 0;
}

static int reap(pid_t child, int *ret_status)
{
	while (waitpid(child, ret_status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return 0;
}

/* Runs podman with `argv`; its stdout in *ret_out, its stderr dropped (its
 * exit status says enough).  -ENOEXEC: podman did not run. */
static int podman_call(const struct podman_as *as, char *const *argv,
		       char **ret_out, size_t *ret_len, int *ret_status,
		       struct fw_error *err)
{
	_cleanup_close_ int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	_cleanup_close_ int rd = -1;
	int fds[2], status, r;
	pid_t child;

	if (null < 0 || pipe2(fds, O_CLOEXEC) < 0)
		return fw_error_set(err, -errno, "", "running podman: %s",
				    strerror(errno));
	rd = fds[0];
	child = fork();
	if (child == 0) {
		if (dup2(fds[1], STDOUT_FILENO) >= 0 &&
		    dup2(null, STDERR_FILENO) >= 0 && become(as) == 0)
			execvp("podman", argv);
		_exit(127);
	}
	r = child < 0 ? -errno : 0;
	closep(&fds[1]);
	if (r < 0)
		return fw_error_set(err, r, "", "running podman: %s",
				    strerror(-r));
	r = read_all(rd, PODMAN_OUTPUT_MAX, ret_out, ret_len);
	if (r < 0)
		kill(child, SIGKILL); /* it may be blocked writing */
	if (reap(child, &status) < 0 && r == 0) {
		r = -errno;
		free(*ret_out);
	}
	if (r < 0)
		return fw_error_set(err, r, "", "reading podman's output: %s",
				    r == -EFBIG ? "too large" : strerror(-r));
	if (!WIFEXITED(status) || WEXITSTATUS(status) == 127) {
		free(*ret_out);
		return fw_error_set(err, -ENOEXEC, "", "podman (to look up the "
				    "container) did not run: not on PATH?");
	}
	*ret_status = WEXITSTATUS(status);
	return 0;
}

static json_object *get(json_object *o, const char *key, json_type type)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, type))
		return NULL;
	return v;
}

static void copy_string(json_object *o, const char *key, char *buf,
			size_t len)
{
	json_object *v = get(o, key, json_type_string);

	snprintf(buf, len, "%s", v ? json_object_get_string(v) : "");
}

/* One element of `podman inspect`'s array. */
static void container_read(json_object *o, struct podman_container *c)
{
	json_object *state = get(o, "State", json_type_object);
	json_object *config = get(o, "Config", json_type_object);
	json_object *pid = state ? get(state, "Pid", json_type_int) : NULL;
	json_object *running = state ? get(state, "Running",
					   json_type_boolean) : NULL;
	json_object *ann = config ? get(config, "Annotations",
					json_type_object) : NULL;
	json_object *policy = ann ? get(ann, ANNOTATION_POLICY,
					json_type_string) : NULL;
	char *slash;

	*c = (struct podman_container){ 0 };
	copy_string(o, "Id", c->id, sizeof(c->id));
	copy_string(o, "Name", c->name, sizeof(c->name));
	copy_string(o, "Pod", c->pod, sizeof(c->pod));
	copy_string(o, "OCIConfigPath", c->bundle, sizeof(c->bundle));
	slash = strrchr(c->bundle, '/');
	if (slash)
		*slash = '\0';
	if (running && json_object_get_boolean(running) && pid &&
	    json_object_get_int64(pid) > 0 && json_object_get_int64(pid) <= INT_MAX)
		c->pid = (pid_t)json_object_get_int64(pid);
	c->annotations = ann ? json_object_get(ann) : NULL;
	c->policy = policy ? json_object_get_string(policy) : NULL;
}

/* podman's output: one strict JSON array (of at most
 * PODMAN_MAX_CONTAINERS); *ret_n its length. */
static int parse_array(const char *what, const char *out, size_t len,
		       json_object **ret, size_t *ret_n, struct fw_error *err)
{
	int r;

	fw_error_set_file(err, what);
	r = json_parse_strict(out, len, ret, err);
	if (r < 0)
		return r;
	fw_error_set_file(err, "");
	*ret_n = json_object_is_type(*ret, json_type_array)
			 ? json_object_array_length(*ret) : 0;
	if (*ret_n > PODMAN_MAX_CONTAINERS)
		*ret_n = PODMAN_MAX_CONTAINERS;
	return 0;
}

static int inspect_parse(const char *out, size_t len,
			 struct podman_container **ret, size_t *ret_n,
			 struct fw_error *err)
{
	json_object *root;
	size_t n;
	int r;

	r = parse_array("podman inspect", out, len, &root, &n, err);
	if (r < 0)
		return r;
	*ret = calloc(n ? n : 1, sizeof(**ret));
	if (!*ret) {
		json_object_put(root);
		return fw_error_set(err, -ENOMEM, "", "out of memory");
	}
	for (size_t i = 0; i < n; i++)
		container_read(json_object_array_get_idx(root, i), &(*ret)[i]);
	*ret_n = n;
	json_object_put(root);
	return 0;
}

/* `podman inspect --type container -- NAME...`: podman prints those it
 * found and exits non-zero when one is missing (or exited meanwhile). */
static int inspect(const struct podman_as *as, char **names, size_t n,
		   struct podman_container **ret, size_t *ret_n,
		   struct fw_error *err)
{
	_cleanup_free_ char **argv = calloc(n + 6, sizeof(*argv));
	_cleanup_free_ char *out = NULL;
	size_t len;
	int status, r;

	if (!argv)
		return fw_error_set(err, -ENOMEM, "", "out of memory");
	argv[0] = "podman";
	argv[1] = "inspect";
	argv[2] = "--type";
	argv[3] = "container";
	argv[4] = "--";
	memcpy(argv + 5, names, n * sizeof(*names));
	r = podman_call(as, argv, &out, &len, &status, err);
	if (r < 0)
		return r;
	if (status != 0 && json_is_blank(out, len))
		return fw_error_set(err, -ENOENT, "", "no such container "
				    "(podman inspect failed)");
	return inspect_parse(out, len, ret, ret_n, err);
}

int podman_inspect(const struct podman_as *as, const char *name,
		   struct podman_container *ret, struct fw_error *err)
{
	struct podman_container *found = NULL;
	size_t n = 0;
	int r;

	r = inspect(as, (char *[]){ (char *)name }, 1, &found, &n, err);
	if (r != -EINVAL)
		fw_error_set_file(err, name);
	if (r == 0 && n != 1)
		r = fw_error_set(err, -ENOENT, "", "no such container "
				 "(podman inspect failed)");
	else if (r == 0 && found[0].pid == 0)
		r = fw_error_set(err, -ESRCH, "", "the container is not "
				 "running");
	if (r < 0) {
		podman_containers_free(found, n);
		return r;
	}
	*ret = found[0];
	free(found);
	return 0;
}

/* The IDs `podman ps --format json` lists: every running container. */
static int running_ids(const struct podman_as *as, char ***ret, size_t *ret_n,
		       struct fw_error *err)
{
	char *argv[] = { "podman", "ps", "--format", "json", NULL };
	_cleanup_free_ char *out = NULL;
	json_object *root, *id;
	size_t len, n;
	int status, r;

	r = podman_call(as, argv, &out, &len, &status, err);
	if (r == 0 && status != 0)
		return fw_error_set(err, -EIO, "", "podman ps failed "
				    "(exit status %d)", status);
	if (r == 0)
		r = parse_array("podman ps", out, len, &root, &n, err);
	if (r < 0)
		return r;
	*ret = calloc(n + 1, sizeof(**ret));
	for (size_t i = 0; *ret && i < n; i++) {
		id = get(json_object_array_get_idx(root, i), "Id",
			 json_type_string);
		(*ret)[*ret_n] = id ? strdup(json_object_get_string(id)) : NULL;
		*ret_n += (*ret)[*ret_n] != NULL;
	}
	json_object_put(root);
	return *ret ? 0 : fw_error_set(err, -ENOMEM, "", "out of memory");
}

int podman_running(const struct podman_as *as, struct podman_container **ret,
		   size_t *ret_n, struct fw_error *err)
{
	struct podman_container *c = NULL;
	char **ids = NULL;
	size_t nids = 0, n = 0, kept = 0;
	int r;

	r = running_ids(as, &ids, &nids, err);
	if (r == 0 && nids > 0)
		r = inspect(as, ids, nids, &c, &n, err);
	for (size_t i = 0; ids && i < nids; i++)
		free(ids[i]);
	free(ids);
	if (r < 0)
		return r;
	/* one that exited between ps and inspect is not running */
	for (size_t i = 0; i < n; i++) {
		if (c[i].pid > 0)
			c[kept++] = c[i];
		else
			podman_container_free(&c[i]);
	}
	*ret = c;
	*ret_n = kept;
	return 0;
}

void podman_container_free(struct podman_container *c)
{
	if (c->annotations)
		json_object_put(c->annotations);
	c->annotations = NULL;
	c->policy = NULL;
}

void podman_containers_free(struct podman_container *c, size_t n)
{
	for (size_t i = 0; c && i < n; i++)
		podman_container_free(&c[i]);
	free(c);
}

int podman_exec_unshare(const struct podman_as *as, char *const *argv,
			struct fw_error *err)
{
	int r = become(as);

	if (r == 0) {
		execvp("podman", argv);
		r = -errno;
	}
	return fw_error_set(err, r, "", "running podman unshare: %s",
			    strerror(-r));
}
