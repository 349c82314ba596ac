// SPDX-License-Identifier: GPL-2.0-or-later
/* The container's resolv.conf and hosts, when the runtime writes them after
 * createRuntime (podman 5): a companion fills the symbolic destinations. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "late.h"
#include "readall.h"
#include "rootfs.h"

/*
 * DOC: why a companion
 *
 * podman 5 runs the OCI create (and so this hook) first, then sets up the
 * network when it runs in a user namespace, writes /etc/hosts, writes
 * /etc/resolv.conf, and starts the container; no hook stage sits between
 * the last write and the start.  Both files are bind-mounted from podman's
 * userdata and written in place (O_TRUNC), so their inodes are known now.
 * The hook loads the firewall with the symbolic sets empty (nothing is
 * allowed early) and leaves a companion, detached from the runtime's pipes,
 * that waits for podman's write of resolv.conf, reads both files, resolves
 * and fills the sets in one batch, and exits.  The container can write its
 * own /etc/resolv.conf once it runs: a file written again before the
 * companion has read it is not trusted, and the sets stay empty.
 */

#define RESOLV 0
#define HOSTS 1

static int open_watched(struct late *l, const char *path, int i)
{
	if (!path[0])
		return 0;
	l->wd[i] = inotify_add_watch(l->notify_fd, path,
				     IN_MODIFY | IN_CLOSE_WRITE);
	if (l->wd[i] < 0)
		return -errno;
	l->fd[i] = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	return l->fd[i] < 0 ? -errno : 0;
}

bool late_files_expected(const struct container *c,
			 const struct resolve_input *in)
{
	return c->resolv_conf[0] && in->resolv_len == 0;
}

/* The companion leaves the runtime's session and pipes: the runtime waits
 * for the hook's stdout and stderr to close, not for the companion. */
int late_detach(void)
{
	_cleanup_close_ int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (null_fd < 0 || setsid() < 0)
		return -errno;
	for (int fd = 0; fd < 3; fd++)
		if (dup2(null_fd, fd) < 0)
			return -errno;
	return 0;
}

static int late_fork(struct late *l, bool *ret_companion)
{
	int go[2];
	pid_t child;

	if (pipe2(go, O_CLOEXEC) < 0)
		return -errno;
	child = fork();
	if (child < 0) {
		int e = errno;

		close(go[0]);
		close(go[1]);
		return -e;
	}
	*ret_companion = child == 0;
	close(child == 0 ? go[1] : go[0]);
	l->go_fd = child == 0 ? go[0] : go[1];
	if (child == 0)
		return late_detach();
	/* the parent reads neither file again */
	closep(&l->notify_fd);
	closep(&l->pid_fd);
	closep(&l->proc_fd);
	closep(&l->fd[RESOLV]);
	closep(&l->fd[HOSTS]);
	return 0;
}

/* What the container's process runs now, before the OCI start: the
 * runtime's init, which then execs the container's program.  Where it
 * cannot be looked at, a stop does not wait for the start. */
static void note_init(struct late *l, pid_t pid)
{
	char path[32];

	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	l->proc_fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (l->proc_fd >= 0 && fstatat(l->proc_fd, "exe", &l->init_exe, 0) < 0)
		closep(&l->proc_fd);
}

int late_start(struct late *l, const struct container *c, pid_t pid,
	       bool *ret_companion, struct fw_error *err)
{
	int r;

	*ret_companion = false;
	l->notify_fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	r = l->notify_fd < 0 ? -errno : 0;
	if (r == 0)
		r = open_watched(l, c->resolv_conf, RESOLV);
	if (r == 0)
		r = open_watched(l, c->hosts, HOSTS);
	if (r == 0) {
		l->pid_fd = (int)syscall(SYS_pidfd_open, pid, 0);
		r = l->pid_fd < 0 ? -errno : 0;
	}
	if (r == 0)
		note_init(l, pid);
	if (r == 0)
		r = late_fork(l, ret_companion);
	if (r < 0)
		return fw_error_set(err, r, "", "waiting for the runtime to "
				    "write the container's /etc/resolv.conf: %s",
				    strerror(-r));
	return 0;
}

void late_release(struct late *l)
{
	if (l->go_fd >= 0 && write(l->go_fd, "1", 1) != 1)
		return; /* the companion sees EOF and ends */
	closep(&l->go_fd);
}

static void deadline_in(struct timespec *deadline, long ms)
{
	clock_gettime(CLOCK_MONOTONIC, deadline);
	deadline->tv_sec += ms / 1000;
	deadline->tv_nsec += (ms % 1000) * 1000000;
	if (deadline->tv_nsec >= 1000000000) {
		deadline->tv_sec++;
		deadline->tv_nsec -= 1000000000;
	}
}

static long ms_left(const struct timespec *deadline)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (deadline->tv_sec - now.tv_sec) * 1000 +
	       (deadline->tv_nsec - now.tv_nsec) / 1000000;
}

/* Waits until `fd` is readable or the container's process ends: 1, 0 on
 * timeout, -ESRCH when the process is gone. */
static int wait_for(const struct late *l, int fd, const struct timespec *deadline)
{
	struct pollfd p[2] = { { .fd = fd, .events = POLLIN },
			       { .fd = l->pid_fd, .events = POLLIN } };
	long left = ms_left(deadline);
	struct timespec ts = { left / 1000, (left % 1000) * 1000000 };
	int n;

	if (left < 0)
		return 0;
	do
		n = ppoll(p, 2, &ts, NULL);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (p[1].revents)
		return -ESRCH;
	return n > 0;
}

/* Reads the queued events: whether resolv.conf was closed after a write
 * with something in it, and whether anything was written after that. */
static int read_events(struct late *l, bool *written, bool *again)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	struct stat st;
	ssize_t n;

	while ((n = read(l->notify_fd, buf, sizeof(buf))) > 0) {
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *ev = (const void *)p;

			p += sizeof(*ev) + ev->len;
			if (*written) {
				*again = true;
			} else if (ev->wd == l->wd[RESOLV] && (ev->mask & IN_CLOSE_WRITE)) {
				if (fstat(l->fd[RESOLV], &st) < 0)
					return -errno;
				*written = st.st_size > 0;
			}
		}
	}
	return n < 0 && errno != EAGAIN ? -errno : 0;
}

static int wait_written(struct late *l, const struct timespec *deadline,
			struct fw_error *err)
{
	bool written = false, again = false;
	int r;

	while (!written) {
		r = wait_for(l, l->notify_fd, deadline);
		if (r == 0)
			return fw_error_set(err, -ETIMEDOUT, "", "the runtime did "
					    "not write the container's "
					    "/etc/resolv.conf within %d s",
					    LATE_WAIT_MS / 1000);
		if (r == -ESRCH)
			return fw_error_set(err, r, "", "the container ended "
					    "before its runtime wrote its "
					    "/etc/resolv.conf");
		if (r == 1)
			r = read_events(l, &written, &again);
		if (r < 0)
			return fw_error_set(err, r, "", "watching the "
					    "container's /etc/resolv.conf: %s",
					    strerror(-r));
	}
	return again ? -EAGAIN : 0;
}

static int read_file(int fd, const char *path, char **ret, size_t *ret_len,
		     struct fw_error *err)
{
	int r;

	*ret = NULL;
	*ret_len = 0;
	if (fd < 0)
		return 0;
	r = read_all(fd, ROOTFS_FILE_MAX, ret, ret_len);
	if (r < 0)
		return fw_error_set(err, r, "", "the container's %s: %s", path,
				    strerror(-r));
	return 0;
}

static int distrust(struct fw_error *err)
{
	return fw_error_set(err, -EPERM, "", "the container's /etc/resolv.conf "
			    "or /etc/hosts was written again before the hook "
			    "read it: not trusted, symbolic destinations stay "
			    "empty");
}

/* Anything written to either file from the first write of resolv.conf
 * until both were read may be the container's own. */
static int check_written_once(struct late *l, struct fw_error *err)
{
	bool written = true, again = false;

	return read_events(l, &written, &again) < 0 || again ? distrust(err)
							      : 0;
}

int late_wait(struct late *l, struct resolve_input *in, char **ret_resolv_conf,
	      char **ret_hosts, struct fw_error *err)
{
	struct timespec deadline;
	char go;
	int r;

	deadline_in(&deadline, LATE_WAIT_MS);
	*ret_resolv_conf = *ret_hosts = NULL;
	/* the parent's firewall first: its sets are what gets filled */
	r = wait_for(l, l->go_fd, &deadline);
	if (r != 1 || read(l->go_fd, &go, 1) != 1)
		return -ECANCELED;
	r = wait_written(l, &deadline, err);
	if (r == -EAGAIN)
		return distrust(err);
	if (r == 0)
		r = read_file(l->fd[RESOLV], "/etc/resolv.conf",
			      ret_resolv_conf, &in->resolv_len, err);
	if (r == 0)
		r = read_file(l->fd[HOSTS], "/etc/hosts", ret_hosts,
			      &in->hosts_len, err);
	if (r == 0)
		r = check_written_once(l, err);
	in->resolv_conf = *ret_resolv_conf;
	in->hosts = *ret_hosts;
	return r;
}

/* Whether the runtime has started the container: its process runs
 * another program than the runtime's init, or is gone. */
static bool started(const struct late *l)
{
	struct stat st;

	if (fstatat(l->proc_fd, "exe", &st, 0) < 0)
		return true;
	return st.st_dev != l->init_exe.st_dev || st.st_ino != l->init_exe.st_ino;
}

/*
 * Not before the start: `crun start` checks that the container's process
 * lives, then opens the exec fifo for writing, which blocks until that
 * process opens the other end; killed in between, it never will, and
 * crun, and `podman run` with it, wait forever (crun 1.21).  Polled:
 * nothing tells of another process's exec.
 */
int late_stop_container(struct late *l)
{
	struct timespec deadline, tick;

	deadline_in(&deadline, LATE_START_WAIT_MS);
	while (l->proc_fd >= 0 && !started(l) && ms_left(&deadline) > 0) {
		deadline_in(&tick, 10);
		if (wait_for(l, -1, &tick) == -ESRCH)
			break;
	}
	if (syscall(SYS_pidfd_send_signal, l->pid_fd, SIGKILL, NULL, 0) < 0)
		return -errno;
	return 0;
}

void late_close(struct late *l)
{
	closep(&l->notify_fd);
	closep(&l->fd[RESOLV]);
	closep(&l->fd[HOSTS]);
	closep(&l->go_fd);
	closep(&l->pid_fd);
	closep(&l->proc_fd);
}
