// SPDX-License-Identifier: GPL-2.0-or-later
/* The processes already in a network namespace, and what they could undo. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "container.h"
#include "array.h"
#include "neighbours.h"
#include "pid.h"
#include "readall.h"

#define STATUS_MAX 8192 /* /proc/PID/status is about 1.5 KiB */
#define CHILDREN_MAX (1u << 20) /* kthreadd's children, a few per CPU */

struct scan {
	char net_link[32]; /* the container's netns: "net:[INODE]", as
			    * readlink of a task's ns/net says it */
	struct stat mnt;   /* the hook's mount namespace */
	int proc;	      /* /proc, the directory being read */
	pid_t self;
	pid_t *kthreads; /* kthreadd and its children, sorted */
	size_t nkthreads, kthreads_cap;
	uint64_t accepted;
	struct fw_error *err;
};

static void dirp_release(DIR **d)
{
	if (*d)
		closedir(*d);
}

static bool same_ns(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* Reads a small /proc file into buf; false when the task is gone. */
static bool read_proc(const char *path, char *buf, size_t len)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t used = 0;
	ssize_t n = 1;

	while (fd >= 0 && n > 0 && used < len - 1) {
		n = read(fd, buf + used, len - 1 - used);
		used += n > 0 ? (size_t)n : 0;
	}
	buf[used] = '\0';
	return fd >= 0 && n >= 0;
}

static uint64_t status_hex(const char *status, const char *key)
{
	const char *p = strstr(status, key);

	return p ? strtoull(p + strlen(key), NULL, 16) : 0;
}

/*
 * What a thread could use against the firewall: what it holds (effective,
 * permitted, ambient), and, unless no_new_privs stops execve() from
 * raising them, what an exec could give it back: root regains its whole
 * bounding set on any exec, anyone gains inheritable caps through a file
 * that names them.  config.json's sets count alike (container.c).
 */
static uint64_t status_risks(const char *status)
{
	uint64_t held = status_hex(status, "\nCapEff:") |
			status_hex(status, "\nCapPrm:") |
			status_hex(status, "\nCapAmb:");
	const char *nnp = strstr(status, "\nNoNewPrivs:");

	if (!nnp || strtol(nnp + 12, NULL, 10) != 1)
		held |= status_hex(status, "\nCapBnd:") |
			status_hex(status, "\nCapInh:");
	return caps_risks(held);
}

/* In one line of /proc/PID/cgroup ("4:pids:/a/b"), the last 64-hex id
 * (podman's libpod-ID comes after its pod's) or NULL; *ret_last is the
 * path's last component, "" for the root. */
static const char *cgroup_line(const char *line, const char *end,
			       const char **ret_last)
{
	const char *path = memchr(line, ':', (size_t)(end - line)), *id = NULL;
	size_t n = 0;

	path = path ? memchr(path + 1, ':', (size_t)(end - path - 1)) : NULL;
	*ret_last = end;
	if (!path)
		return NULL;
	for (const char *p = path; p < end; p++) {
		n = isxdigit((unsigned char)*p) ? n + 1 : 0;
		if (n == 64)
			id = p - 63;
		if (*p == '/')
			*ret_last = p + 1;
	}
	return id;
}

/* "sleep, container 0123456789ab": a 64-hex id in its cgroup is a
 * container's (podman's, CRI-O's crio-ID); else the last component of its
 * first cgroup that is not the root, which runc names after the
 * container.  v1 and v2 lines alike: hybrid hosts put it in either. */
static void describe(const char *proc, const char *status, char *buf,
		     size_t len)
{
	char path[96], cg[4096];
	const char *name = strstr(status, "Name:\t"), *last, *end;
	const char *id = NULL, *cgname = NULL;
	int used, cglen = 0;

	used = snprintf(buf, len, "%.*s", name ? (int)strcspn(name + 6, "\n") : 1,
			name ? name + 6 : "?");
	snprintf(path, sizeof(path), "%s/cgroup", proc);
	if (!read_proc(path, cg, sizeof(cg)))
		return;
	for (const char *line = cg; *line && !id; line = *end ? end + 1 : end) {
		end = line + strcspn(line, "\n");
		id = cgroup_line(line, end, &last);
		if (!cgname && last < end) {
			cgname = last;
			cglen = (int)(end - last);
		}
	}
	if (id)
		snprintf(buf + used, len - used, ", container %.12s", id);
	else if (cgname)
		snprintf(buf + used, len - used, ", cgroup %.*s", cglen, cgname);
}

static int pid_cmp(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

/*
 * The kernel's own threads, several per CPU and most of a host's
 * processes, are never in a container's network namespace; they and the
 * helpers the kernel starts (modprobe, a core dump pipe: the host's root,
 * in the initial namespaces) are kthreadd's children, listed in one file
 * and not looked at one by one.  PID 2 is kthreadd only in the initial
 * PID namespace, where its parent is 0 (in any other, PID 2's parent is
 * at least 1); there, or when the kernel lists no children
 * (CONFIG_PROC_CHILDREN), every process is looked at.  Whatever goes
 * wrong here only means fewer processes skipped.
 */
static void read_kthreads(struct scan *s)
{
	_cleanup_free_ char *list = NULL;
	_cleanup_close_ int fd = -1;
	char stat[512], *p, *save = NULL;
	int ppid = -1;
	size_t len;
	pid_t pid;

	if (!read_proc("/proc/2/stat", stat, sizeof(stat)) ||
	    !(p = strrchr(stat, ')')) || sscanf(p + 1, " %*c %d", &ppid) != 1 ||
	    ppid != 0)
		return;
	fd = open("/proc/2/task/2/children", O_RDONLY | O_CLOEXEC);
	if (fd < 0 || read_all(fd, CHILDREN_MAX, &list, &len) < 0)
		return;
	for (p = strtok_r(list, " \n", &save); p; p = strtok_r(NULL, " \n", &save))
		if (pid_parse(p, &pid) == 0 &&
		    ARRAY_RESERVE(s->kthreads, s->kthreads_cap, s->nkthreads,
				  256) == 0)
			s->kthreads[s->nkthreads++] = pid;
	if (ARRAY_RESERVE(s->kthreads, s->kthreads_cap, s->nkthreads, 256) == 0)
		s->kthreads[s->nkthreads++] = 2;
	qsort(s->kthreads, s->nkthreads, sizeof(*s->kthreads), pid_cmp);
}

static bool is_kthread(const struct scan *s, pid_t pid)
{
	return s->nkthreads &&
	       bsearch(&pid, s->kthreads, s->nkthreads, sizeof(pid), pid_cmp);
}

/* `tid`: a name in the process's task directory */
static int check_task(struct scan *s, pid_t tgid, const char *tid)
{
	char path[96], proc[64], status[STATUS_MAX], who[160], names[256];
	char link[sizeof(s->net_link)];
	struct stat st;
	uint64_t risks;
	ssize_t n;

	/* Reading the link costs a third less than stat(), which opens the
	 * namespace's nsfs inode; every namespace lives on the one nsfs, so
	 * the inode number alone names it. */
	snprintf(path, sizeof(path), "%d/task/%s/ns/net", (int)tgid, tid);
	n = readlinkat(s->proc, path, link, sizeof(link));
	if (n < 0 || (size_t)n != strlen(s->net_link) ||
	    memcmp(link, s->net_link, (size_t)n) != 0)
		return 0;
	snprintf(proc, sizeof(proc), "/proc/%d/task/%s", (int)tgid, tid);
	snprintf(path, sizeof(path), "%s/ns/mnt", proc);
	if (stat(path, &st) == 0 && same_ns(&st, &s->mnt))
		return 0;
	snprintf(path, sizeof(path), "%s/status", proc);
	if (!read_proc(path, status, sizeof(status)))
		return 0;
	risks = status_risks(status) & ~s->accepted;
	if (!risks)
		return 0;
	describe(proc, status, who, sizeof(who));
	risks_names(risks, names, sizeof(names));
	return fw_error_set(s->err, -EPERM, "",
			    "process %d (%s) in the container's network "
			    "namespace holds %s, with which it could undo or "
			    "bypass the firewall; start the container without "
			    "such a neighbour (drop the capability there)",
			    (int)tgid, who, names);
}

/*
 * Every thread: one that entered the namespace with setns() can act in
 * it while its process's main thread is elsewhere.  The hook reads every
 * process's on each container start, so cheaply: paths relative to /proc
 * open, and a process of one thread (its task directory's link count is
 * 2 + its threads, fs/proc/base.c) is not listed.
 */
static int check_process(struct scan *s, pid_t tgid)
{
	char path[32], buf[4096];
	_cleanup_close_ int task = -1;
	struct stat st;
	ssize_t n = 1;
	int r = 0;

	snprintf(path, sizeof(path), "%d/task", (int)tgid);
	if (fstatat(s->proc, path, &st, 0) < 0)
		return 0; /* gone */
	if (st.st_nlink == 3) {
		snprintf(path, sizeof(path), "%d", (int)tgid);
		return check_task(s, tgid, path);
	}
	task = openat(s->proc, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	while (task >= 0 && r == 0 && n > 0) {
		n = getdents64(task, buf, sizeof(buf));
		for (ssize_t off = 0; r == 0 && off < n;) {
			struct dirent64 *e = (struct dirent64 *)(buf + off);

			off += e->d_reclen;
			if (isdigit((unsigned char)e->d_name[0]))
				r = check_task(s, tgid, e->d_name);
		}
	}
	return r;
}

int neighbours_check(int netns_fd, pid_t pid, uint64_t accepted,
		     struct fw_error *err)
{
	struct scan s = { .accepted = accepted, .err = err };
	__attribute__((cleanup(dirp_release))) DIR *d = NULL;
	struct dirent *e;
	struct stat net;
	int r = 0;

	if (fstat(netns_fd, &net) < 0 || stat("/proc/self/ns/mnt", &s.mnt) < 0)
		return fw_error_set(err, -errno, "", "cannot stat a namespace: %s",
				    strerror(errno));
	d = opendir("/proc");
	if (!d)
		return fw_error_set(err, -errno, "", "cannot read /proc: %s",
				    strerror(errno));
	snprintf(s.net_link, sizeof(s.net_link), "net:[%ju]",
		 (uintmax_t)net.st_ino);
	s.proc = dirfd(d);
	s.self = getpid();
	read_kthreads(&s);
	while (r == 0 && (e = readdir(d))) {
		pid_t tgid;

		if (pid_parse(e->d_name, &tgid) < 0 || tgid == pid ||
		    tgid == s.self || is_kthread(&s, tgid))
			continue;
		r = check_process(&s, tgid);
	}
	free(s.kthreads);
	return r;
}
