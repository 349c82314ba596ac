// SPDX-License-Identifier: GPL-2.0-or-later
/* Each seccomp stage kills the process on a syscall it does not allow, and
 * lets through what the hook needs at that stage. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "confine.h"
#include "tap.h"

enum probe { PROBE_ALLOWED, PROBE_OPEN, PROBE_INET_SOCKET, PROBE_NETLINK_SOCKET,
	     PROBE_SETNS_USER };

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* What compiling a large address list does. */
static void sort_something(void)
{
	static int v[4096];

	for (int i = 0; i < 4096; i++)
		v[i] = 4096 - i;
	qsort(v, 4096, sizeof(v[0]), cmp_int);
}

/* Runs `probe` in a child after `stages` stages; returns its wait status. */
static int run(int stages, enum probe probe)
{
	struct fw_error err = { 0 };
	int status, fd;
	pid_t pid = fork();

	if (pid == 0) {
		if (stages >= 1 && confine_stage1(&err) < 0)
			_exit(2);
		if (stages >= 2 && confine_stage2(&err) < 0)
			_exit(2);
		switch (probe) {
		case PROBE_ALLOWED:
			free(malloc(1 << 20)); /* mmap and munmap */
			sort_something(); /* qsort asks sysinfo() */
			fd = write(STDERR_FILENO, "", 0);
			_exit(fd == 0 ? 0 : 3);
		case PROBE_OPEN:
			syscall(SYS_openat, AT_FDCWD, "/etc/hostname", 0);
			break;
		case PROBE_INET_SOCKET:
			socket(AF_INET, SOCK_STREAM, 0);
			break;
		case PROBE_NETLINK_SOCKET:
			socket(AF_NETLINK, SOCK_RAW, 12 /* NETLINK_NETFILTER */);
			break;
		case PROBE_SETNS_USER:
			setns(0, CLONE_NEWUSER);
			break;
		}
		_exit(0);
	}
	waitpid(pid, &status, 0);
	return status;
}

static int killed(int status)
{
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS;
}

static int exited_ok(int status)
{
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

int main(void)
{
	ok(exited_ok(run(0, PROBE_OPEN)), "unconfined: files open");
	ok(exited_ok(run(1, PROBE_ALLOWED)), "stage 1: memory and the error line");
	ok(exited_ok(run(1, PROBE_NETLINK_SOCKET)), "stage 1: a netlink socket");
#ifndef OCI_FW_SANITIZED
	ok(killed(run(1, PROBE_OPEN)), "stage 1: opening a file kills");
#endif
	ok(killed(run(1, PROBE_INET_SOCKET)), "stage 1: an inet socket kills");
	ok(killed(run(1, PROBE_SETNS_USER)), "stage 1: entering a user namespace kills");
	ok(exited_ok(run(2, PROBE_ALLOWED)), "stage 2: memory and the error line");
	ok(killed(run(2, PROBE_NETLINK_SOCKET)), "stage 2: even a netlink socket kills");
#ifndef OCI_FW_SANITIZED
	ok(killed(run(2, PROBE_OPEN)), "stage 2: opening a file kills");
#endif
	return tap_done();
}
