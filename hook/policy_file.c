// SPDX-License-Identifier: GPL-2.0-or-later
/* Finding a policy by name or path, checking who may write it, reading it. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "config.h"
#include "policy.h"
#include "policy_file.h"
#include "readall.h"
#include "sha256.h"
#include "userns.h"

#define ALNUM "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

void name_sanitize(char *s)
{
	for (; *s; s++)
		if (!strchr(ALNUM "_.-", *s))
			*s = '_';
}

/* ^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$ */
bool policy_name_valid(const char *name)
{
	size_t len = strlen(name);

	return len >= 1 && len <= POLICY_NAME_MAX && strchr(ALNUM, name[0]) &&
	       strspn(name, ALNUM "_.-") == len;
}

/* Where a file was found decides whose files to trust (userns.h). */
struct trust {
	const struct owners *owners;
	bool system; /* found in a system policy directory */
};

/* "/home" is above "/home/alice": root's directories on the way to the
 * user's home show as the overflow uid in a user namespace. */
static bool above_home(const char *path, const char *home)
{
	size_t len = strlen(path);

	return strcmp(path, "/") == 0 ||
	       (strncmp(home, path, len) == 0 && home[len] == '/');
}

static bool owner_trusted(const char *path, uid_t uid, const struct trust *t)
{
	const struct owners *o = t->owners;

	if (uid == 0 || uid == getuid())
		return true;
	return o && o->rootless && uid == o->overflow &&
	       (t->system || above_home(path, o->home));
}

/* Owned by root or the caller, and writable by nobody else.  `shown` is
 * how the message calls it: the directory's path, or "it" for the file
 * that err->file names already. */
static int check_trusted(const char *path, const char *shown,
			 const struct stat *st, const struct trust *t,
			 struct fw_error *err)
{
	if (!owner_trusted(path, st->st_uid, t) && t->owners &&
	    t->owners->rootless)
		return fw_error_set(err, -EPERM, "",
				    "%s is not yours (in podman's user "
				    "namespace it shows as uid %u: root's or "
				    "another user's)", shown, (unsigned)st->st_uid);
	if (!owner_trusted(path, st->st_uid, t))
		return fw_error_set(err, -EPERM, "",
				    "%s is owned by uid %u, not by root or "
				    "the caller", shown, (unsigned)st->st_uid);
	/* A sticky directory lets nobody replace what others own in it. */
	if ((st->st_mode & 022) && !(S_ISDIR(st->st_mode) &&
				     (st->st_mode & S_ISVTX)))
		return fw_error_set(err, -EPERM, "",
				    "%s is writable by group or others "
				    "(chmod go-w %s)", shown, path);
	return 0;
}

static int check_parents(const char *path, const struct trust *t,
			 struct fw_error *err)
{
	char dir[PATH_MAX];
	struct stat st;
	int r;

	snprintf(dir, sizeof(dir), "%s", path);
	for (char *slash = strrchr(dir, '/'); slash; slash = strrchr(dir, '/')) {
		slash[slash == dir] = '\0'; /* keep "/" itself */
		if (stat(dir, &st) < 0)
			return fw_error_set(err, -errno, "", "cannot stat %s: %s",
					    dir, strerror(errno));
		r = check_trusted(dir, dir, &st, t, err);
		if (r < 0 || strcmp(dir, "/") == 0)
			return r;
	}
	return 0;
}

int path_check_trusted(const char *path, struct fw_error *err)
{
	const struct trust t = { .system = true };
	char real[PATH_MAX];
	struct stat st;
	int r;

	/* A link's own directories decide who can point it elsewhere. */
	r = check_parents(path, &t, err);
	if (r < 0)
		return r;
	if (!realpath(path, real) || stat(real, &st) < 0)
		return fw_error_set(err, -errno, "", "%s: %s", path,
				    strerror(errno));
	r = check_parents(real, &t, err);
	return r < 0 ? r : check_trusted(real, real, &st, &t, err);
}

/* Opens the resolved file without following a link in its last component,
 * after checking every directory above it. */
static int open_checked(const char *path, const struct trust *t,
			struct policy_file *f, struct fw_error *err)
{
	_cleanup_close_ int dirfd = -1, fd = -1;
	char dir[PATH_MAX];
	struct stat st;
	int r;

	/* A path that leads nowhere names no policy, like a missing name. */
	if (!realpath(path, f->path))
		return fw_error_class(
		    err,
		    errno == ENOENT ? FW_CLASS_ANNOTATION : FW_CLASS_POLICY,
		    fw_error_set(err, -errno, "", "%s", strerror(errno)));
	r = check_parents(f->path, t, err);
	if (r < 0)
		return r;
	/* The directory is checked again through the fd that opens the file,
	 * so a directory swapped in after the walk above is caught. */
	snprintf(dir, sizeof(dir), "%.*s", (int)(strrchr(f->path, '/') - f->path),
		 f->path);
	dirfd = open(dir[0] ? dir : "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0 || fstat(dirfd, &st) < 0)
		return fw_error_set(err, -errno, "", "cannot open %s: %s", dir,
				    strerror(errno));
	r = check_trusted(dir[0] ? dir : "/", dir[0] ? dir : "/", &st, t, err);
	if (r < 0)
		return r;
	fd = openat(dirfd, strrchr(f->path, '/') + 1,
		    O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	/* About the file itself, errors name it as given, not a link's
	 * target (err->file holds that name). */
	if (fd < 0 || fstat(fd, &st) < 0)
		return fw_error_set(err, -errno, "", "cannot open it: %s",
				    strerror(errno));
	if (!S_ISREG(st.st_mode))
		return fw_error_set(err, -EINVAL, "", "not a regular file");
	r = check_trusted(err ? err->file : f->path, "it", &st, t, err);
	if (r < 0)
		return r;
	r = read_all(fd, POLICY_MAX_BYTES, &f->data, &f->len);
	if (r == -EFBIG)
		return fw_error_set(err, r, "", "larger than %u MiB",
				    POLICY_MAX_BYTES >> 20);
	if (r < 0)
		return fw_error_set(err, r, "", "reading %s: %s", f->path,
				    strerror(-r));
	sha256(f->data, f->len, f->sha256);
	return 0;
}

/* Returns the index of the first directory holding NAME.json. */
static int find_by_name(const char *name, const struct policy_lookup *l,
			char *ret, size_t len, struct fw_error *err)
{
	char searched[512] = "";
	size_t used = 0;

	for (size_t i = 0; i < l->ndirs; i++) {
		snprintf(ret, len, "%s/%s.json", l->dirs[i], name);
		if (access(ret, F_OK) == 0)
			return (int)i;
		if (used < sizeof(searched))
			used += snprintf(searched + used, sizeof(searched) - used,
					 "%s%s", i ? ", " : "", l->dirs[i]);
	}
	return fw_error_class(
	    err, FW_CLASS_ANNOTATION,
	    fw_error_set(err, -ENOENT, "", "no policy %s.json in %s", name,
			 l->ndirs ? searched : "(no policy directory)"));
}

/* The table comment's name: the policy name as given (so "web.json", which
 * names web.json.json, is not "web"), or a path's file name without
 * ".json" and with anything a policy name could not hold replaced, so that
 * no quote or newline reaches an nft comment. */
static void display_name(const char *arg, char *buf, size_t len)
{
	const char *base = strrchr(arg, '/') ? strrchr(arg, '/') + 1 : arg;
	size_t n = strlen(base);

	if (base != arg && n > 5 && strcmp(base + n - 5, ".json") == 0)
		n -= 5;
	snprintf(buf, len, "%.*s", (int)n, base);
	name_sanitize(buf);
}

int policy_file_load(const char *arg, const struct policy_lookup *l,
		     struct policy_file *ret, struct fw_error *err)
{
	struct policy_file f = { 0 };
	struct trust t = { .owners = l->owners };
	char path[PATH_MAX];
	int r;

	fw_error_set_file(err, arg);
	if (strchr(arg, '/')) {
		if (!l->allow_path)
			return fw_error_class(
			    err, FW_CLASS_ANNOTATION,
			    fw_error_set(err, -EPERM, "", PATHS_OFF));
		snprintf(path, sizeof(path), "%s", arg);
	} else if (!policy_name_valid(arg)) {
		return fw_error_class(
		    err, FW_CLASS_ANNOTATION,
		    fw_error_set(err, -EINVAL, "",
				 "not a policy name (a letter or digit, "
				 "then letters, digits, '_', '.', '-'; at "
				 "most %d)",
				 POLICY_NAME_MAX));
	} else {
		r = find_by_name(arg, l, path, sizeof(path), err);
		if (r < 0)
			return r;
		t.system = !l->owners ||
			   strcmp(l->dirs[r], l->owners->user_dir) != 0;
		/* From here on, errors name the file found, as found. */
		fw_error_set_file(err, path);
	}
	display_name(arg, f.name, sizeof(f.name));
	snprintf(f.found, sizeof(f.found), "%s", path);
	r = open_checked(path, &t, &f, err);
	if (r < 0) {
		policy_file_free(&f);
		return r;
	}
	*ret = f;
	return 0;
}

void policy_file_free(struct policy_file *f)
{
	free(f->data);
	f->data = NULL;
}

size_t policy_dirs_default(const char *user_dir, const char **dirs)
{
	size_t n = 0;

	if (user_dir && user_dir[0])
		dirs[n++] = user_dir;
	dirs[n++] = ETC_POLICY_DIR;
	dirs[n++] = SHIPPED_POLICY_DIR;
	return n;
}
