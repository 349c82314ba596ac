// SPDX-License-Identifier: GPL-2.0-or-later
/* Rootless detection: whose uid a user namespace maps to root, and where
 * that user's policies live; the identity map is rootful. Each case runs
 * in a child unshared into a user namespace whose uid_map the parent (root)
 * writes, as podman's rootless setup does. Skips (77) without root or
 * user namespaces. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"
#include "userns.h"

/* What the child found, passed back through a pipe. */
struct found {
	int r;
	struct owners o;
};

static void write_map(pid_t pid, const char *map)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/uid_map", (int)pid);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, map, strlen(map)) != (ssize_t)strlen(map)) {
		perror(path);
		exit(1);
	}
	close(fd);
}

/* Runs userns_detect in a new user namespace mapped by `map` (NULL: the
 * caller's own namespace). */
static struct found detect_in(const char *map)
{
	struct found f = { .r = -EIO };
	int go[2], back[2];
	char c;
	pid_t pid;

	if (pipe2(go, O_CLOEXEC) < 0 || pipe2(back, O_CLOEXEC) < 0)
		exit(1);
	/* The child exits with exit(), so that a coverage build counts what
	 * it ran: nothing of the parent's output may be left to flush twice. */
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		exit(1);
	if (pid == 0) {
		struct fw_error err = { 0 };

		if (map && (unshare(CLONE_NEWUSER) < 0 || write(back[1], "u", 1) != 1 ||
			    read(go[0], &c, 1) != 1))
			_exit(1);
		f.r = userns_detect(&f.o, &err);
		exit(write(back[1], &f, sizeof(f)) == sizeof(f) ? 0 : 1);
	}
	close(go[0]);
	close(back[1]);
	if (map) {
		if (read(back[0], &c, 1) != 1)
			exit(1);
		write_map(pid, map);
		if (write(go[1], "g", 1) != 1)
			exit(1);
	}
	if (read(back[0], &f, sizeof(f)) != sizeof(f))
		f.r = -EIO;
	close(go[1]);
	close(back[0]);
	waitpid(pid, NULL, 0);
	return f;
}

static bool can_unshare(void)
{
	int status = 1;
	pid_t pid = fork();

	if (pid == 0)
		_exit(unshare(CLONE_NEWUSER) == 0 ? 0 : 1);
	return pid > 0 && waitpid(pid, &status, 0) == pid && status == 0;
}

int main(void)
{
	struct found f;
	char dir[PATH_MAX], home[PATH_MAX];

	if (geteuid() != 0 || !can_unshare()) {
		printf("1..0 # SKIP needs root and user namespaces\n");
		return 77;
	}
	f = detect_in(NULL);
	ok(f.r == 0 && !f.o.rootless, "the initial namespace: rootful");

	f = detect_in("0 0 1\n");
	ok(f.r == 0 && f.o.rootless, "root mapped alone: rootless");
	is(f.o.home, "/root", "the real user's home, from passwd");
	is(f.o.user_dir, "/root/" USER_POLICY_SUBDIR, "and its policy directory");
	ok(f.o.overflow > 0, "the overflow uid read (%u)", (unsigned)f.o.overflow);

	f = detect_in("0 3999999 1\n");
	ok(f.r == -ENOENT, "a uid passwd does not know: refused (%d)", f.r);

	ok(user_policy_dir(0, home, sizeof(home), dir, sizeof(dir)) == 0 &&
		   strcmp(dir, "/root/.config/oci-fw-hook/policies") == 0,
	   "user_policy_dir(0)");
	ok(user_policy_dir(3999999, home, sizeof(home), dir, sizeof(dir)) ==
		   -ENOENT, "user_policy_dir of an unknown uid: ENOENT");
	return tap_done();
}
