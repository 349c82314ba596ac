// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * floor-hook: the least an OCI createRuntime hook in oci-fw-hook's place
 * does, for part 3 of tests/bench/run: the floor under the hook's own time
 * there, built with the same libraries, linked the same way.
 *
 * It reads the state on stdin and the bundle's config.json, each parsed
 * whole by json-c (the hook's strict reading is more, and builds less).
 * Without fw.policy it stops there: the path of every container on the
 * host. With it, it does what the hook's design requires of any load, in
 * the hook's order: looks at every process on the host but the kernel's
 * threads for one in the container's network namespace (the hook then
 * reads that one's capabilities; here there is none), loads two seccomp
 * filters as long as the hook's (they allow everything), enters the
 * namespace and commits one batch through libnftnl and libmnl: a table
 * and two base chains whose policy is drop (the hook's denyall is 17 rules
 * more), and reads the acks. What it leaves out: reading and checking the
 * policy file, compiling it, the rules themselves, reporting.
 *
 *	floor-hook < STATE
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <linux/filter.h>
#include <linux/seccomp.h>

#include <json-c/json.h>
#include <libmnl/libmnl.h>
#include <libnftnl/chain.h>
#include <libnftnl/table.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>

#define TABLE "bench_floor"

static void die(const char *what)
{
	fprintf(stderr, "floor-hook: %s\n", what);
	exit(EXIT_FAILURE);
}

static struct json_object *parse_fd(int fd)
{
	size_t len = 0, cap = 65536;
	char *buf = malloc(cap);
	struct json_object *obj;
	ssize_t n;

	while (buf && (n = read(fd, buf + len, cap - len)) > 0)
		if ((len += (size_t)n) == cap)
			buf = realloc(buf, cap *= 2);
	if (!buf)
		die("out of memory");
	buf[len] = '\0'; /* the loop leaves len < cap */
	obj = json_tokener_parse(buf);
	free(buf);
	return obj;
}

/* Whether the task at `path` (under /proc) is in the namespace `own`. */
static int in_netns(int proc, const char *path, const char *own)
{
	char link[64];
	ssize_t len = readlinkat(proc, path, link, sizeof(link) - 1);

	if (len < 0)
		return 0; /* gone, or a zombie */
	link[len] = '\0';
	return strcmp(link, own) == 0;
}

/* Every process's network namespace against the container's, but the
 * kernel's threads (kthreadd's children, one file), and every thread's
 * of a process of more than one, as the hook looks; returns how many
 * tasks other than the container's share it. */
static int neighbours(int pid)
{
	char path[600], own[64], kthreads[65536]; /* not zeroed: that is 16 pages */
	struct dirent *d, *t;
	DIR *proc = opendir("/proc");
	int fd, n = 0;
	ssize_t len;
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/ns/net", pid);
	len = readlink(path, own, sizeof(own) - 1);
	if (!proc || len < 0)
		die("cannot read /proc");
	own[len] = '\0';
	/* " PID PID ... ": each PID between spaces */
	kthreads[0] = ' ';
	kthreads[1] = '\0';
	fd = open("/proc/2/task/2/children", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		len = read(fd, kthreads + 1, sizeof(kthreads) - 3);
		if (len > 0) {
			kthreads[len + 1] = ' ';
			kthreads[len + 2] = '\0';
		}
		close(fd);
	}
	while ((d = readdir(proc))) {
		DIR *tasks;

		if (d->d_name[0] < '1' || d->d_name[0] > '9' ||
		    atoi(d->d_name) == pid)
			continue;
		snprintf(path, sizeof(path), " %s ", d->d_name);
		if (strstr(kthreads, path))
			continue;
		snprintf(path, sizeof(path), "%s/task", d->d_name);
		if (fstatat(dirfd(proc), path, &st, 0) < 0)
			continue;
		if (st.st_nlink <= 3) { /* one thread */
			snprintf(path, sizeof(path), "%s/ns/net", d->d_name);
			n += in_netns(dirfd(proc), path, own);
			continue;
		}
		fd = openat(dirfd(proc), path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		tasks = fd < 0 ? NULL : fdopendir(fd);
		while (tasks && (t = readdir(tasks))) {
			if (t->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/task/%s/ns/net",
				 d->d_name, t->d_name);
			n += in_netns(dirfd(proc), path, own);
		}
		if (tasks)
			closedir(tasks);
	}
	closedir(proc);
	return n;
}

/* A filter of `len` instructions that allows every system call: the
 * architecture checked, then len - 3 comparisons that never match. */
static void confine(unsigned short len)
{
	struct sock_filter f[128];
	struct sock_fprog prog = { .len = len, .filter = f };
	unsigned short i = 0;

	f[i++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					      offsetof(struct seccomp_data, nr));
	while (i < len - 1)
		f[i++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
						      100000 + i, 0, 0);
	f[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
		die("cannot load a seccomp filter");
}

static void add_chain(struct mnl_nlmsg_batch *b, uint32_t *seq,
		      const char *name, uint32_t hook)
{
	struct nftnl_chain *c = nftnl_chain_alloc();
	struct nlmsghdr *nlh;

	nftnl_chain_set_str(c, NFTNL_CHAIN_TABLE, TABLE);
	nftnl_chain_set_str(c, NFTNL_CHAIN_NAME, name);
	nftnl_chain_set_str(c, NFTNL_CHAIN_TYPE, "filter");
	nftnl_chain_set_u32(c, NFTNL_CHAIN_HOOKNUM, hook);
	nftnl_chain_set_s32(c, NFTNL_CHAIN_PRIO, 0);
	nftnl_chain_set_u32(c, NFTNL_CHAIN_POLICY, NF_DROP);
	nlh = nftnl_chain_nlmsg_build_hdr(mnl_nlmsg_batch_current(b),
					  NFT_MSG_NEWCHAIN, NFPROTO_INET,
					  NLM_F_CREATE | NLM_F_ACK, (*seq)++);
	nftnl_chain_nlmsg_build_payload(nlh, c);
	nftnl_chain_free(c);
	mnl_nlmsg_batch_next(b);
}

/* The table and its two chains in one transaction; returns once the
 * kernel has acked all three messages. */
static void load(void)
{
	static char buf[8192]; /* a page or two: three acks, one short batch */
	struct mnl_nlmsg_batch *b = mnl_nlmsg_batch_start(buf, sizeof(buf));
	struct mnl_socket *nl = mnl_socket_open(NETLINK_NETFILTER);
	uint32_t seq = (uint32_t)time(NULL);
	struct nftnl_table *t = nftnl_table_alloc();
	struct nlmsghdr *nlh;
	int acks = 0;

	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		die("netlink socket");
	nftnl_batch_begin(mnl_nlmsg_batch_current(b), seq++);
	mnl_nlmsg_batch_next(b);
	nftnl_table_set_str(t, NFTNL_TABLE_NAME, TABLE);
	nlh = nftnl_table_nlmsg_build_hdr(mnl_nlmsg_batch_current(b),
					  NFT_MSG_NEWTABLE, NFPROTO_INET,
					  NLM_F_CREATE | NLM_F_ACK, seq++);
	nftnl_table_nlmsg_build_payload(nlh, t);
	nftnl_table_free(t);
	mnl_nlmsg_batch_next(b);
	add_chain(b, &seq, "egress", NF_INET_LOCAL_OUT);
	add_chain(b, &seq, "ingress", NF_INET_LOCAL_IN);
	nftnl_batch_end(mnl_nlmsg_batch_current(b), seq++);
	mnl_nlmsg_batch_next(b);
	if (mnl_socket_sendto(nl, mnl_nlmsg_batch_head(b),
			      mnl_nlmsg_batch_size(b)) < 0)
		die("sending the batch");
	while (acks < 3) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		int left = (int)n;

		if (n <= 0)
			die("reading the acks");
		for (nlh = (struct nlmsghdr *)buf; mnl_nlmsg_ok(nlh, left);
		     nlh = mnl_nlmsg_next(nlh, &left)) {
			struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

			if (nlh->nlmsg_type != NLMSG_ERROR)
				continue;
			if (e->error)
				die("the kernel refused the batch");
			acks++;
		}
	}
	mnl_socket_close(nl);
}

int main(void)
{
	struct json_object *st = parse_fd(STDIN_FILENO), *v, *annotations;
	char path[4096];
	int fd;

	if (!json_object_object_get_ex(st, "bundle", &v))
		die("no bundle in the state");
	snprintf(path, sizeof(path), "%s/config.json", json_object_get_string(v));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || !parse_fd(fd))
		die("cannot read config.json");
	close(fd);
	if (!json_object_object_get_ex(st, "annotations", &annotations) ||
	    !json_object_object_get_ex(annotations, "fw.policy", &v))
		return EXIT_SUCCESS;
	if (!json_object_object_get_ex(st, "pid", &v))
		die("no pid in the state");
	snprintf(path, sizeof(path), "/proc/%d/ns/net", json_object_get_int(v));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die("cannot open the container's network namespace");
	/* the hook reads each neighbour's capabilities; a podman container
	 * of its own has none */
	if (neighbours(json_object_get_int(v)) != 0)
		die("the container's network namespace has other processes");
	confine(110); /* the lengths of the hook's stage 1 and 2 filters */
	if (setns(fd, CLONE_NEWNET) < 0)
		die("cannot enter the container's network namespace");
	close(fd);
	confine(69);
	load();
	return EXIT_SUCCESS;
}
