// SPDX-License-Identifier: GPL-2.0-or-later
/* Work that changes a process for good (setns, seccomp), run in a child
 * process whose result comes back through a pipe. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"
#include "cleanup.h"
#include "readall.h"

#ifdef OCI_FW_COVERAGE
void __gcov_dump(void); /* libgcov's, in --coverage builds */
#endif

void child_exit(int status)
{
#ifdef OCI_FW_COVERAGE
	__gcov_dump();
#endif
	_exit(status);
}

/* One write per part: all of it fits the pipe, and a short write only
 * makes the parent's length check fail. */
static void send_back(int fd, int r, const struct fw_error *err,
		      const void *out, size_t len)
{
	if (write(fd, &r, sizeof(r)) == sizeof(r) &&
	    write(fd, err, sizeof(*err)) == sizeof(*err))
		(void)!write(fd, out, len);
}

int child_run(int (*fn)(void *arg, void *out, struct fw_error *err),
	      void *arg, void *out, size_t len, struct fw_error *err)
{
	_cleanup_free_ char *buf = NULL;
	_cleanup_close_ int rd = -1;
	int fds[2], status, r;
	size_t got = 0;
	pid_t child;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return fw_error_set(err, -errno, "", "pipe: %s", strerror(errno));
	rd = fds[0];
	child = fork();
	if (child == 0) {
		closep(&rd);
		r = fn(arg, out, err);
		send_back(fds[1], r, err, out, len);
		child_exit(0);
	}
	r = child < 0 ? -errno : 0;
	closep(&fds[1]);
	if (r < 0)
		return fw_error_set(err, r, "", "fork: %s", strerror(-r));
	r = read_all(rd, sizeof(int) + sizeof(*err) + len, &buf, &got);
	while (waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
	if (r < 0 || got != sizeof(int) + sizeof(*err) + len) {
		free(buf);
		buf = NULL;
		if (WIFSIGNALED(status))
			return fw_error_set(err, -ECHILD, "", "the child process "
					    "was killed by signal %d",
					    WTERMSIG(status));
		return fw_error_set(err, -ECHILD, "", "the child process "
				    "gave no result");
	}
	memcpy(&r, buf, sizeof(r));
	memcpy(err, buf + sizeof(r), sizeof(*err));
	memcpy(out, buf + sizeof(r) + sizeof(*err), len);
	return r;
}
