// SPDX-License-Identifier: GPL-2.0-or-later
/* The hook's own seccomp confinement, in two stages. */
#include <errno.h>
#include <json-c/json.h>
#include <linux/sched.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <linux/netlink.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <seccomp.h>

#include "cleanup.h"
#include "confine.h"
#include "dns.h"

/*
 * DOC: theory of operation
 *
 * The hook runs as root (or root of a user namespace) with every
 * capability, and reads JSON that whoever launches containers wrote.  It
 * gives up what it no longer needs as it goes:
 *
 * 0. Unconfined: read the state (bounded) from stdin, read the bundle's
 *    config.json, read and parse the policy files (their includes name
 *    more files), read the container's resolv.conf and hosts when the
 *    policy names symbolic destinations, open /proc/PID/ns/net.  All file
 *    access ends here.  Last, what libraries set up on first use is set
 *    up now (prepare(), below), while the syscalls it takes are allowed.
 * 1. Stage 1, no_new_privs and a filter allowing memory management (never
 *    executable), writing the error line, setns(CLONE_NEWNET), netlink
 *    sockets of the two families the hook speaks (NETLINK_NETFILTER for
 *    nf_tables, NETLINK_ROUTE for routes) with the socket options it sets,
 *    non-blocking UDP sockets and ppoll() for DNS queries and netlink
 *    dumps (nldump.h); plus seccomp()/prctl() to load stage 2.  Under
 *    it: compile,
 *    enter the container's netns, read its routes and resolve hostnames
 *    (resolve.h), open the socket, ask for an existing table.
 * 2. Stage 2 removes setns, socket creation and filter loading: what is
 *    left is sending and receiving on the open sockets (netlink, and the
 *    syslog socket record.h connected before stage 1), writing the error
 *    line, freeing memory and exiting.
 *
 * The companion that podman 5 makes necessary (late.h) runs under stage 1
 * plus reading the files and the inotify descriptor it opened before, then
 * stage 2 like the hook.
 *
 * The DNS learner (learn.h), forked before stage 1 like the companion,
 * sets up under stage 1 plus the unix sockets it binds, listens on or
 * connects to (one per netns: its members' pidfds come over it), then
 * loops under stage 2 plus ppoll() and accept4(): reading the queue,
 * committing learned elements, saying verdicts, taking pidfds.
 *
 * Parsing is not confined: the JSON (state, config.json, the policies and
 * their includes) is parsed in stage 0, because what it says decides what
 * else is read (config.json names the bundle's files, a policy names its
 * includes, whether resolv.conf and hosts are needed, whether a companion
 * is forked).  What bounds the risk: every input is read with a size
 * limit (readall.h); json-c parses it, strictly (and with the hook's own
 * duplicate-key check) wherever it decides a firewall; the state and
 * policy parsers are fuzzed under ASan (tests/fuzz); compiling,
 * resolving and everything after run under stage 1.
 *
 * Anything else kills the process (SCMP_ACT_KILL_PROCESS): the runtime
 * then sees the hook fail, and the container does not start.
 *
 * Sanitizer and coverage builds (-Db_sanitize=..., -Db_coverage=true:
 * OCI_FW_SANITIZED) also allow what the sanitizers need to report
 * (LeakSanitizer stops the process with clone and ptrace at exit,
 * symbolizers read files) and what gcov's exit handler needs to write its
 * .gcda files (open, lock, read, seek).  Release builds never do.
 *
 * The unconfined build (OCI_FW_UNCONFINED: oci-fw-hook-unconfined, never
 * installed) loads no filter, so that memcheck can run the apply path:
 * valgrind 3.19 knows no seccomp() syscall, and without it libseccomp has
 * no kill-process action to build a filter with.
 */

static void ctxp_release(scmp_filter_ctx *ctx)
{
	if (*ctx)
		seccomp_release(*ctx);
}

/* Memory: malloc grows and free may return memory to the kernel; glibc
 * 2.36's qsort() asks sysinfo() how much memory there is before it sorts
 * more than a kilobyte (merging a large address list); 2.41's only
 * mallocs. */
static const int memory[] = {
	SCMP_SYS(brk), SCMP_SYS(munmap), SCMP_SYS(mremap),
	SCMP_SYS(madvise), SCMP_SYS(sysinfo),
};
/* Writing the error line, closing fds, exiting, returning from signals;
 * the clock, for DNS timeouts and the record's elapsed time, when the vDSO
 * cannot serve it; the companion's stop of a container whose required
 * name stays empty, at any stage (only the companion holds a pidfd). */
static const int process[] = {
	SCMP_SYS(write), SCMP_SYS(close), SCMP_SYS(exit), SCMP_SYS(exit_group),
	SCMP_SYS(rt_sigreturn), SCMP_SYS(clock_gettime),
	SCMP_SYS(pidfd_send_signal),
};
/* Talking over the netlink socket that is already open. */
static const int netlink_io[] = {
	SCMP_SYS(sendto), SCMP_SYS(sendmsg), SCMP_SYS(recvfrom),
	SCMP_SYS(recvmsg),
};
/* The socket options netlink.c sets, and reads back: extended and capped
 * ACKs, a send buffer that holds the whole batch; and dns.c's: the
 * interface each answer came in on.  Not the others
 * (NETLINK_ADD_MEMBERSHIP would listen to the host's events, SO_ATTACH_*
 * load BPF). */
static const struct {
	int call, level, name;
} sockopts[] = {
	{ SCMP_SYS(setsockopt), SOL_NETLINK, NETLINK_EXT_ACK },
	{ SCMP_SYS(setsockopt), SOL_NETLINK, NETLINK_CAP_ACK },
	{ SCMP_SYS(setsockopt), SOL_SOCKET, SO_SNDBUFFORCE },
	{ SCMP_SYS(setsockopt), SOL_SOCKET, SO_SNDBUF },
	{ SCMP_SYS(getsockopt), SOL_SOCKET, SO_SNDBUF },
	{ SCMP_SYS(setsockopt), IPPROTO_IP, IP_PKTINFO },
	{ SCMP_SYS(setsockopt), IPPROTO_IPV6, IPV6_RECVPKTINFO },
};
/* The netlink families the hook speaks (netlink.c, gateway.c), as libmnl
 * opens them. */
static const int netlink_families[] = { NETLINK_NETFILTER, NETLINK_ROUTE };
/* Stage 1 only: opening the socket (libmnl binds, then asks its address),
 * connecting the DNS sockets to their servers, waiting for answers (DNS,
 * netlink dumps: nldump.h), and loading stage 2.  No getrandom(): see prepare(). */
static const int stage1_only[] = {
	SCMP_SYS(bind), SCMP_SYS(getsockname), SCMP_SYS(seccomp), SCMP_SYS(ppoll),
	SCMP_SYS(connect),
};
/* The companion: reading what it opened unconfined (late.c). */
static const int companion_only[] = {
	SCMP_SYS(read), SCMP_SYS(fstat), SCMP_SYS(newfstatat),
};
/* The learner's loop: waiting on the queue, its socket and the pidfds;
 * taking a member's connection (learn.c). */
static const int learner_only[] = { SCMP_SYS(ppoll), SCMP_SYS(accept4) };
#ifdef OCI_FW_SANITIZED
static const int sanitizers[] = {
	SCMP_SYS(clone), SCMP_SYS(clone3), SCMP_SYS(ptrace), SCMP_SYS(wait4),
	SCMP_SYS(waitid), SCMP_SYS(sched_yield), SCMP_SYS(sigaltstack),
	SCMP_SYS(rt_sigaction), SCMP_SYS(rt_sigprocmask), SCMP_SYS(getpid),
	SCMP_SYS(gettid), SCMP_SYS(tgkill), SCMP_SYS(kill), SCMP_SYS(prctl),
	SCMP_SYS(readlink), SCMP_SYS(readlinkat), SCMP_SYS(open),
	SCMP_SYS(openat), SCMP_SYS(read), SCMP_SYS(pread64), SCMP_SYS(fstat),
	SCMP_SYS(newfstatat), SCMP_SYS(lseek), SCMP_SYS(mprotect),
	SCMP_SYS(getrlimit), SCMP_SYS(prlimit64), SCMP_SYS(pipe2),
	SCMP_SYS(dup2), SCMP_SYS(dup3), SCMP_SYS(futex), SCMP_SYS(nanosleep),
	SCMP_SYS(clock_nanosleep), SCMP_SYS(getdents64), SCMP_SYS(statx),
	SCMP_SYS(fcntl), SCMP_SYS(ioctl), SCMP_SYS(uname), SCMP_SYS(execve),
	SCMP_SYS(access), SCMP_SYS(faccessat2), SCMP_SYS(munmap),
	SCMP_SYS(set_robust_list), SCMP_SYS(rseq), SCMP_SYS(arch_prctl),
	SCMP_SYS(mkdir), SCMP_SYS(unlink), SCMP_SYS(writev),
	SCMP_SYS(getppid), SCMP_SYS(getdents), SCMP_SYS(mmap),
};
#endif

static int allow(scmp_filter_ctx ctx, const int *calls, size_t n)
{
	int r = 0;

	for (size_t i = 0; r == 0 && i < n; i++)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, calls[i], 0);
	return r;
}

static int allow_common(scmp_filter_ctx ctx)
{
	int r = allow(ctx, memory, ARRAY_SIZE(memory));

	if (r == 0)
		r = allow(ctx, process, ARRAY_SIZE(process));
	if (r == 0)
		r = allow(ctx, netlink_io, ARRAY_SIZE(netlink_io));
	for (size_t i = 0; r == 0 && i < ARRAY_SIZE(sockopts); i++)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, sockopts[i].call, 2,
				     SCMP_A1(SCMP_CMP_EQ, sockopts[i].level),
				     SCMP_A2(SCMP_CMP_EQ, sockopts[i].name));
#ifdef OCI_FW_SANITIZED
	if (r == 0)
		r = allow(ctx, sanitizers, ARRAY_SIZE(sanitizers));
#else
	/* Memory, never code: malloc maps, nothing maps executable pages. */
	if (r == 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 1,
				     SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
#endif
	return r;
}

/* Stage 1 also enters exactly a network namespace, opens exactly the
 * netlink sockets above, and sets no_new_privs before loading stage 2. */
static int allow_stage1(scmp_filter_ctx ctx)
{
	int r = allow(ctx, stage1_only, ARRAY_SIZE(stage1_only));

	if (r == 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(setns), 1,
				     SCMP_A1(SCMP_CMP_EQ, CLONE_NEWNET));
	for (size_t i = 0; r == 0 && i < ARRAY_SIZE(netlink_families); i++)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(socket), 3,
				     SCMP_A0(SCMP_CMP_EQ, AF_NETLINK),
				     SCMP_A1(SCMP_CMP_EQ, SOCK_RAW | SOCK_CLOEXEC),
				     SCMP_A2(SCMP_CMP_EQ, netlink_families[i]));
	/* DNS: exactly the UDP sockets dns.c opens. */
	for (size_t i = 0; r == 0 && i < 2; i++)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(socket), 2,
				     SCMP_A0(SCMP_CMP_EQ, i ? AF_INET6 : AF_INET),
				     SCMP_A1(SCMP_CMP_EQ, SOCK_DGRAM |
							  SOCK_CLOEXEC |
							  SOCK_NONBLOCK));
	if (r == 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prctl), 1,
				     SCMP_A0(SCMP_CMP_EQ, PR_SET_NO_NEW_PRIVS));
	return r;
}

/*
 * Randomness is drawn before stage 1, never under it: glibc 2.41 serves
 * getrandom() and arc4random() from the vDSO and, the first time in a
 * thread, blocks every signal (rt_sigprocmask) and maps its state (mmap
 * with MAP_DROPPABLE), which no stage allows; glibc 2.36 makes the
 * getrandom syscall instead.  Two users:
 *  - json-c seeds its string hash on the first key it hashes (0.16 with
 *    getrandom(), 0.18 with arc4random()); show --json builds objects
 *    after stage 1.  Adding a key to an object seeds it for the process.
 *  - DNS query ids (dns.h), drawn after stage 1 by apply and refresh.
 */
static int prepare(struct fw_error *err)
{
	json_object *o = json_object_new_object();
	int r = o ? json_object_object_add(o, "seed", NULL) : -1;

	json_object_put(o);
	if (r < 0)
		return fw_error_set(err, -ENOMEM, "", "json-c: out of memory");
	return dns_seed(err);
}

#define STAGE_COMPANION 3
#define STAGE_LEARNER_SETUP 4
#define STAGE_LEARNER 5

/* The learner's unix sockets (learn.c): its listening one, a member's. */
static int allow_learner_setup(scmp_filter_ctx ctx)
{
	static const int types[] = {
		SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK,
		SOCK_SEQPACKET | SOCK_CLOEXEC,
	};
	int r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(listen), 0);

	for (size_t i = 0; r == 0 && i < ARRAY_SIZE(types); i++)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(socket), 2,
				     SCMP_A0(SCMP_CMP_EQ, AF_UNIX),
				     SCMP_A1(SCMP_CMP_EQ, types[i]));
	if (r == 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(setsockopt), 2,
				     SCMP_A1(SCMP_CMP_EQ, SOL_SOCKET),
				     SCMP_A2(SCMP_CMP_EQ, SO_RCVTIMEO));
	return r;
}

/* stage: 1, 2, STAGE_COMPANION (stage 1 and a little more), the
 * learner's two */
static int confine(int stage, struct fw_error *err)
{
	_cleanup_(ctxp_release) scmp_filter_ctx ctx = NULL;
	int r;

#ifdef OCI_FW_UNCONFINED
	return 0;
#endif
	ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
	if (!ctx)
		return fw_error_set(err, -ENOMEM, "", "seccomp: out of memory");
	r = allow_common(ctx);
	if (r == 0 && stage != 2 && stage != STAGE_LEARNER)
		r = allow_stage1(ctx);
	if (r == 0 && stage == STAGE_COMPANION)
		r = allow(ctx, companion_only, ARRAY_SIZE(companion_only));
	if (r == 0 && stage == STAGE_LEARNER_SETUP)
		r = allow_learner_setup(ctx);
	/* filters stack: the setup's must let the loop's calls through */
	if (r == 0 && (stage == STAGE_LEARNER || stage == STAGE_LEARNER_SETUP))
		r = allow(ctx, learner_only, ARRAY_SIZE(learner_only));
	if (r == 0)
		r = seccomp_load(ctx);
	if (r < 0)
		return fw_error_set(err, r, "",
				    "loading the stage %d seccomp filter: %s",
				    stage, strerror(-r));
	return 0;
}

int confine_stage1(struct fw_error *err)
{
	int r = prepare(err);

	return r < 0 ? r : confine(1, err);
}

int confine_stage2(struct fw_error *err)
{
	return confine(2, err);
}

/* The companion is forked before its parent's stage 1: it draws its own
 * (a child repeating its parent's DNS ids would be guessable). */
int confine_companion(struct fw_error *err)
{
	int r = prepare(err);

	return r < 0 ? r : confine(STAGE_COMPANION, err);
}

int confine_learner_setup(struct fw_error *err)
{
	return confine(STAGE_LEARNER_SETUP, err);
}

int confine_learner(struct fw_error *err)
{
	return confine(STAGE_LEARNER, err);
}
