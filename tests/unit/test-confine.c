// SPDX-License-Identifier: GPL-2.0-or-later
/* Each seccomp stage kills the process on a syscall it does not allow, and
 * lets through what every verb does under it, on this machine's libc. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <linux/netlink.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "apply.h"
#include "confine.h"
#include "refresh.h"
#include "show.h"
#include "tap.h"

enum probe { PROBE_ALLOWED, PROBE_OPEN, PROBE_INET_SOCKET, PROBE_NETLINK_SOCKET,
	     PROBE_NETLINK_OTHER, PROBE_SETNS_USER, PROBE_MMAP_EXEC,
	     PROBE_MPROTECT_EXEC, PROBE_SOCKOPTS, PROBE_SOCKOPT_OTHER,
	     PROBE_READ, PROBE_X32, PROBE_SEND, PROBE_WAIT_START };

#define COMPANION 3 /* run()'s stages: the companion's filter alone */
#define STAGES_WATCH 4 /* stage 1, then watch's own */
#define COMPANION_2 5 /* the companion's filter, then its stage 2 */

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

/* The options netlink.c sets on a netlink socket, and reads back. */
static int sockopts(int fd)
{
	int one = 1, size = 1 << 16;
	socklen_t len = sizeof(size);

	return setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)) |
	       setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one)) |
	       setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size)) |
	       setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size)) |
	       getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, &len);
}

/* x86-64's brk, which every stage allows, by the x32 ABI: only the
 * filter's check of the architecture tells them apart.  (Not the i386
 * ABI's int 0x80: some virtual machines, this project's CI among them,
 * fault on it.) */
#define X32_SYSCALL_BIT 0x40000000L

/* Runs `probe` in a child after `stages` stages (or the companion's);
 * returns its wait status.  A netlink socket opened before them is there
 * for the socket options. */
static int run(int stages, enum probe probe)
{
	struct fw_error err = { 0 };
	int status, fd, one = 1;
	pid_t pid = fork();

	if (pid == 0) {
		int nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
				NETLINK_NETFILTER);
		void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (nl < 0 || p == MAP_FAILED)
			_exit(4);
		if ((stages == COMPANION || stages == COMPANION_2) &&
		    confine_companion(&err) < 0)
			_exit(2);
		if (stages == COMPANION_2 && confine_companion_stage2(&err) < 0)
			_exit(2);
		if (stages != COMPANION && stages != COMPANION_2 &&
		    stages >= 1 && confine_stage1(&err) < 0)
			_exit(2);
		if (stages == 2 && confine_stage2(&err) < 0)
			_exit(2);
		if (stages == STAGES_WATCH && confine_watch(&err) < 0)
			_exit(2);
		switch (probe) {
		case PROBE_ALLOWED:
			free(malloc(1 << 20)); /* mmap and munmap */
			sort_something(); /* glibc 2.36: sysinfo() */
			fd = write(STDERR_FILENO, "", 0);
			_exit(fd == 0 ? 0 : 3);
		case PROBE_OPEN:
			syscall(SYS_openat, AT_FDCWD, "/etc/hostname", 0);
			break;
		case PROBE_INET_SOCKET:
			socket(AF_INET, SOCK_STREAM, 0);
			break;
		case PROBE_NETLINK_SOCKET:
			fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
				    NETLINK_NETFILTER) < 0 ||
			     socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
				    NETLINK_ROUTE) < 0;
			_exit(fd ? 3 : 0);
		case PROBE_NETLINK_OTHER: /* lists the host's sockets */
			socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
			       NETLINK_SOCK_DIAG);
			break;
		case PROBE_MMAP_EXEC:
			mmap(NULL, 4096, PROT_READ | PROT_EXEC,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			break;
		case PROBE_MPROTECT_EXEC:
			mprotect(p, 4096, PROT_READ | PROT_EXEC);
			break;
		case PROBE_SOCKOPTS:
			_exit(sockopts(nl) == 0 ? 0 : 3);
		case PROBE_SOCKOPT_OTHER: /* the host's events, were it there */
			setsockopt(nl, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
				   &one, sizeof(one));
			break;
		case PROBE_SETNS_USER:
			setns(0, CLONE_NEWUSER);
			break;
		case PROBE_READ:
			fd = (int)read(nl, NULL, 0);
			break;
		case PROBE_X32:
			syscall(X32_SYSCALL_BIT | SYS_brk, 0L);
			break;
		case PROBE_SEND: /* to no one: the kernel's own socket */
			send(nl, "", 0, MSG_DONTWAIT);
			break;
		case PROBE_WAIT_START: { /* late.c's stop: poll, exe */
			struct timespec tick = { 0, 1000000 };
			struct stat st;

			ppoll(NULL, 0, &tick, NULL);
			fd = fstatat(AT_FDCWD, "/proc/self/exe", &st, 0);
			_exit(fd == 0 ? 0 : 3);
		}
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

/*
 * The verbs themselves, each in a child of a parent that has touched
 * neither json-c nor the DNS code nor getrandom(), not even through
 * mkdtemp(): libraries set up state on first use (json-c's hash seed,
 * glibc 2.41's per-thread getrandom state), and a child that inherited it
 * would prove nothing.
 *
 * Their container is a process of the test's own in a fresh netns, with a
 * DNS server on 127.0.0.1 that answers every A and AAAA question with
 * 192.0.2.1 and 2001:db8::1; the policy names it as "dns", a hostname and
 * a large address list (qsort while compiling).
 */
#define NAME "api.confine.test"
#define NADDRS 2048

struct fixture {
	char dir[64];
	pid_t container;
};

static int lo_up(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), r;

	r = fd < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr) < 0 ? -1 : 0;
	ifr.ifr_flags |= IFF_UP;
	if (r == 0)
		r = ioctl(fd, SIOCSIFFLAGS, &ifr);
	if (fd >= 0)
		close(fd);
	return r;
}

/* The question as asked, QR set, and one answer for it; the hook's
 * queries carry one question and nothing after it. */
static size_t dns_answer(uint8_t *b, size_t n, size_t cap)
{
	/* name: the question's; type; class IN; TTL 60; rdlength */
	uint8_t rr[12] = { 0xc0, 12, 0, 0, 0, 1, 0, 0, 0, 60, 0, 4 };
	uint8_t addr[16] = { 192, 0, 2, 1 };

	if (n < 12 + 5 || n + sizeof(rr) + sizeof(addr) > cap)
		return 0;
	rr[3] = b[n - 3]; /* A or AAAA, as asked */
	if (rr[3] == 28) {
		inet_pton(AF_INET6, "2001:db8::1", addr);
		rr[11] = 16;
	}
	b[2] |= 0x80; /* QR */
	b[7] = 1;     /* ANCOUNT */
	memcpy(b + n, rr, sizeof(rr));
	memcpy(b + n + sizeof(rr), addr, rr[11]);
	return n + sizeof(rr) + rr[11];
}

/* The container: says "ready" once its netns and DNS server are up, then
 * answers for at most a minute. */
static void container_main(int ready)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons(53),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct sockaddr_storage from;
	uint8_t buf[512];
	socklen_t flen;
	ssize_t n;
	int fd;

	if (unshare(CLONE_NEWNET) < 0 || lo_up() < 0)
		_exit(1);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (void *)&sa, sizeof(sa)) < 0)
		_exit(1);
	if (write(ready, "1", 1) != 1)
		_exit(1);
	close(ready);
	for (int i = 0; i < 600; i++) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		if (poll(&p, 1, 100) <= 0)
			continue;
		flen = sizeof(from);
		n = recvfrom(fd, buf, sizeof(buf), 0, (void *)&from, &flen);
		if (n > 0 &&
		    (n = (ssize_t)dns_answer(buf, (size_t)n, sizeof(buf))) > 0)
			sendto(fd, buf, (size_t)n, 0, (void *)&from, flen);
	}
	_exit(0);
}

static int write_file(const char *dir, const char *name, const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

/* dir/pol/names.json, dir/bundle/{config.json,etc/resolv.conf}, and the
 * big list, written as plain text: no json-c in the parent. */
static int write_policy(const char *dir)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/pol/names.json", dir);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fputs("{ \"egress\": { \"default\": \"reject\", \"allow\": [\n"
	      "  { \"to\": [\"dns\", \"gateway\"] },\n" /* route netlink */
	      "  { \"to\": [\"" NAME "\"], \"proto\": \"tcp\", "
	      "\"ports\": [8080] },\n"
	      "  { \"proto\": \"tcp\", \"ports\": [443], \"to\": [",
	      f);
	for (int i = NADDRS - 1; i >= 0; i--) /* unsorted, to be sorted */
		fprintf(f, "\"198.18.%d.%d\"%s", i / 256, i % 256,
			i ? ", " : "");
	fputs("] } ] } }\n", f);
	return fclose(f);
}

static int fixture_files(struct fixture *fx)
{
	char path[128];

	/* Not mkdtemp(): glibc 2.41 draws its name with getrandom(). */
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/test-confine.%d",
		 (int)getpid());
	if (mkdir(fx->dir, 0700) < 0) {
		fx->dir[0] = '\0';
		return -1;
	}
	snprintf(path, sizeof(path), "%s/pol", fx->dir);
	if (mkdir(path, 0755) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/bundle", fx->dir);
	if (mkdir(path, 0755) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/bundle/etc", fx->dir);
	if (mkdir(path, 0755) < 0)
		return -1;
	if (write_policy(fx->dir) < 0 ||
	    write_file(fx->dir, "bundle/etc/resolv.conf",
		       "nameserver 127.0.0.1\n") < 0)
		return -1;
	return write_file(fx->dir, "bundle/config.json",
			  "{\"ociVersion\":\"1.0.2\",\"process\":{"
			  "\"capabilities\":{}},\"linux\":{\"namespaces\":["
			  "{\"type\":\"pid\"},{\"type\":\"network\"},"
			  "{\"type\":\"mount\"}]}}\n");
}

static int fixture_up(struct fixture *fx)
{
	char state[512], c;
	int fds[2];

	if (fixture_files(fx) < 0 || pipe2(fds, O_CLOEXEC) < 0)
		return -1;
	fx->container = fork();
	if (fx->container == 0) {
		close(fds[0]);
		container_main(fds[1]);
	}
	close(fds[1]);
	if (fx->container < 0 || read(fds[0], &c, 1) != 1) {
		close(fds[0]);
		return -1;
	}
	close(fds[0]);
	snprintf(state, sizeof(state),
		 "{\"ociVersion\":\"1.0.2\",\"id\":\"test-confine\","
		 "\"status\":\"creating\",\"pid\":%d,\"bundle\":\"%s/bundle\","
		 "\"annotations\":{\"fw.policy\":\"names\"}}\n",
		 (int)fx->container, fx->dir);
	return write_file(fx->dir, "state.json", state);
}

static void fixture_down(struct fixture *fx)
{
	char cmd[128];

	if (fx->container > 0) {
		kill(fx->container, SIGKILL);
		waitpid(fx->container, NULL, 0);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
	if (fx->dir[0] && system(cmd) != 0)
		printf("# could not remove %s\n", fx->dir);
}

enum verb { VERB_APPLY, VERB_SHOW, VERB_SHOW_JSON, VERB_REFRESH };

/* What main.c does around each verb, its output going to dir/VERB.out
 * through a buffer set up beforehand, as main.c sets up stdout's.
 * Returns 0 when the verb did all its work. */
static int verb_run(const struct fixture *fx, enum verb v, FILE *out)
{
	char path[128], pol[128], line[1024];
	const char *dirs[1] = { pol };
	struct apply_options ao = { .dirs = dirs, .ndirs = 1 };
	struct fw_error err = { 0 };
	struct apply_result ares;
	struct refresh_result rres;
	struct timespec t0, t1;
	struct show s;
	int fd, r;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	switch (v) {
	case VERB_APPLY:
		snprintf(path, sizeof(path), "%s/state.json", fx->dir);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		snprintf(pol, sizeof(pol), "%s/pol", fx->dir);
		r = apply_run(fd, &ao, &ares, &err);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		/* one warning: "gateway", read over route netlink, is empty
		 * in a namespace with only lo */
		if (r == 0 && (!ares.applied || ares.nwarnings != 1 ||
			       !strstr(ares.warnings[0].what, "gateway")))
			r = fw_error_set(&err, -EIO, "",
					 "applied %d, %zu "
					 "warnings",
					 ares.applied, ares.nwarnings);
		if (r == 0)
			fprintf(out, "applied %s rules=%zu elapsed_us=%ld\n",
				ares.table.name, ares.nrules,
				(t1.tv_sec - t0.tv_sec) * 1000000L +
				    (t1.tv_nsec - t0.tv_nsec) / 1000);
		break;
	case VERB_SHOW:
	case VERB_SHOW_JSON:
		r = show_read(fx->container, &s, &err);
		if (r == 0 && v == VERB_SHOW_JSON)
			r = show_print_json(&s, out, &err);
		else if (r == 0)
			show_print_text(&s, out);
		if (r == 0)
			show_free(&s);
		break;
	case VERB_REFRESH:
		r = refresh_run(fx->container, &rres, &err);
		if (r == 0 && rres.nrefreshed != 1)
			r = fw_error_set(&err, -EIO, "", "%zu of %zu refreshed",
					 rres.nrefreshed, rres.nnames);
		if (r == 0)
			fprintf(out, "%zu of %zu hostnames refreshed\n",
				rres.nrefreshed, rres.nnames);
		break;
	}
	if (r < 0) {
		fw_error_format(&err, line, sizeof(line));
		fprintf(stderr, "# %s\n", line);
	}
	return r < 0 || fflush(out) != 0 ? 1 : 0;
}

static int verb(const struct fixture *fx, enum verb v)
{
	static const char *const names[] = { "apply", "show", "show-json",
					     "refresh" };
	static char buf[BUFSIZ];
	char path[128];
	int status;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/%s.out", fx->dir, names[v]);
	pid = fork();
	if (pid == 0) {
		FILE *out = fopen(path, "w");

		if (!out || setvbuf(out, buf, _IOFBF, sizeof(buf)) != 0)
			_exit(2);
		_exit(verb_run(fx, v, out));
	}
	waitpid(pid, &status, 0);
	return status;
}

/* "exit 1", or the signal that ended it: SIGSYS is a syscall the stage's
 * filter does not allow. */
static const char *status_text(int status)
{
	static char buf[64];

	if (WIFSIGNALED(status))
		snprintf(buf, sizeof(buf), "killed by %s",
			 WTERMSIG(status) == SIGSYS
			     ? "SIGSYS"
			     : strsignal(WTERMSIG(status)));
	else
		snprintf(buf, sizeof(buf), "exit %d", WEXITSTATUS(status));
	return buf;
}

/* Whether dir/NAME.out holds `want`. */
static bool out_has(const struct fixture *fx, const char *name,
		    const char *want)
{
	char path[128], text[65536];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.out", fx->dir, name);
	f = fopen(path, "r");
	if (!f)
		return false;
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	return strstr(text, want) != NULL;
}

static void test_verbs(void)
{
	struct fixture fx = { 0 };
	int st;

	if (geteuid() != 0 || fixture_up(&fx) < 0) {
		ok(1, "# SKIP the verbs need root and a netns of their own");
		fixture_down(&fx);
		return;
	}
	st = verb(&fx, VERB_APPLY);
	ok(exited_ok(st) && out_has(&fx, "apply", "applied names"),
	   "apply: resolves the hostname and loads the firewall (%s)",
	   status_text(st));
	st = verb(&fx, VERB_SHOW);
	ok(exited_ok(st) && out_has(&fx, "show", "to " NAME " tcp dport 8080"),
	   "show (%s)", status_text(st));
	st = verb(&fx, VERB_SHOW_JSON);
	ok(exited_ok(st) && out_has(&fx, "show-json", "\"policy\":\"names\""),
	   "show --json: json-c under stage 1 (%s)", status_text(st));
	st = verb(&fx, VERB_REFRESH);
	ok(exited_ok(st) && out_has(&fx, "refresh", "1 of 1 hostnames"),
	   "refresh: DNS ids under stage 1, the commit under stage 2 "
	   "(%s)",
	   status_text(st));
	fixture_down(&fx);
}

int main(void)
{
	ok(exited_ok(run(0, PROBE_OPEN)), "unconfined: files open");
	ok(exited_ok(run(1, PROBE_ALLOWED)), "stage 1: memory and the error line");
	ok(exited_ok(run(1, PROBE_NETLINK_SOCKET)),
	   "stage 1: netfilter and route netlink sockets");
	ok(killed(run(1, PROBE_NETLINK_OTHER)),
	   "stage 1: a sock_diag netlink socket kills");
	ok(exited_ok(run(1, PROBE_SOCKOPTS)), "stage 1: the socket options");
	ok(killed(run(1, PROBE_SOCKOPT_OTHER)),
	   "stage 1: NETLINK_ADD_MEMBERSHIP kills");
#ifndef OCI_FW_SANITIZED
	ok(killed(run(1, PROBE_OPEN)), "stage 1: opening a file kills");
#endif
	ok(killed(run(1, PROBE_INET_SOCKET)), "stage 1: an inet socket kills");
	ok(killed(run(1, PROBE_SETNS_USER)), "stage 1: entering a user namespace kills");
	ok(exited_ok(run(2, PROBE_ALLOWED)), "stage 2: memory and the error line");
	ok(killed(run(2, PROBE_NETLINK_SOCKET)), "stage 2: even a netlink socket kills");
	ok(exited_ok(run(2, PROBE_SOCKOPTS)), "stage 2: the socket options");
	ok(killed(run(2, PROBE_SOCKOPT_OTHER)),
	   "stage 2: NETLINK_ADD_MEMBERSHIP kills");
#ifndef OCI_FW_SANITIZED
	ok(killed(run(2, PROBE_OPEN)), "stage 2: opening a file kills");
	ok(killed(run(1, PROBE_MMAP_EXEC)), "stage 1: an executable mmap kills");
	ok(killed(run(2, PROBE_MMAP_EXEC)), "stage 2: an executable mmap kills");
	ok(killed(run(1, PROBE_MPROTECT_EXEC)),
	   "stage 1: making memory executable kills");
	ok(killed(run(1, PROBE_READ)), "stage 1: read() kills");
#endif
	ok(exited_ok(run(COMPANION, PROBE_READ)),
	   "companion: reads what it opened before");
	ok(exited_ok(run(COMPANION, PROBE_NETLINK_SOCKET)),
	   "companion: netfilter and route netlink sockets");
	ok(killed(run(COMPANION, PROBE_INET_SOCKET)),
	   "companion: an inet socket kills");
#ifdef __x86_64__
	ok(exited_ok(run(0, PROBE_X32)), "unconfined: an x32 syscall runs (or fails)");
	ok(killed(run(1, PROBE_X32)),
	   "stage 1: an x32 syscall kills (the architecture check)");
	ok(killed(run(2, PROBE_X32)),
	   "stage 2: an x32 syscall kills (the architecture check)");
	ok(killed(run(COMPANION, PROBE_X32)),
	   "companion: an x32 syscall kills (the architecture check)");
#endif
	ok(exited_ok(run(2, PROBE_SEND)), "stage 2: sending");
	ok(exited_ok(run(COMPANION, PROBE_WAIT_START)),
	   "companion: waiting for its container's start");
	ok(exited_ok(run(COMPANION_2, PROBE_WAIT_START)),
	   "companion stage 2: waiting for its container's start");
	ok(exited_ok(run(COMPANION_2, PROBE_SEND)), "companion stage 2: sending");
	ok(killed(run(COMPANION_2, PROBE_NETLINK_SOCKET)),
	   "companion stage 2: even a netlink socket kills");
#ifndef OCI_FW_SANITIZED
	ok(killed(run(2, PROBE_WAIT_START)),
	   "stage 2: looking at a process's executable kills");
	ok(killed(run(COMPANION_2, PROBE_OPEN)),
	   "companion stage 2: opening a file kills");
#endif
	ok(exited_ok(run(STAGES_WATCH, PROBE_ALLOWED)),
	   "watch: memory and writing");
	ok(killed(run(STAGES_WATCH, PROBE_SEND)), "watch: sending kills");
	ok(killed(run(STAGES_WATCH, PROBE_NETLINK_SOCKET)),
	   "watch: a netlink socket kills");
	ok(killed(run(STAGES_WATCH, PROBE_SOCKOPTS)),
	   "watch: socket options kill");
#ifndef OCI_FW_SANITIZED
	ok(killed(run(STAGES_WATCH, PROBE_OPEN)), "watch: opening a file kills");
#endif
	test_verbs();
	return tap_done();
}
