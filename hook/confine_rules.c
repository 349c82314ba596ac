// SPDX-License-Identifier: GPL-2.0-or-later
/* What each seccomp stage allows: the one list, compiled at build time. */
#include <errno.h>
#include <linux/netlink.h>
#include <linux/sched.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <seccomp.h>

#include "cleanup.h"
#include "confine_rules.h"

/*
 * Built into confine_gen only, which runs at build time and turns each
 * stage into BPF (confine.c's DOC says what each stage is for); the hook
 * loads that BPF and never links libseccomp.  Rules are grouped by what
 * needs them; a stage is a row of stages[], below, naming its groups.
 */

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
 * netlink dumps: nldump.h), and loading stage 2.  No getrandom(): see
 * confine.c's prepare(). */
static const int stage1_only[] = {
	SCMP_SYS(bind), SCMP_SYS(getsockname), SCMP_SYS(seccomp), SCMP_SYS(ppoll),
	SCMP_SYS(connect),
};
/* The companion: reading what it opened unconfined (late.c). */
static const int companion_only[] = {
	SCMP_SYS(read), SCMP_SYS(fstat), SCMP_SYS(newfstatat),
};
/* The companion's stop of its container, at any stage: waiting for the
 * runtime to start it (late.c: its /proc/PID/exe looked at, and its
 * pidfd polled, every 10 ms). */
static const int companion_stop[] = {
	SCMP_SYS(ppoll), SCMP_SYS(newfstatat),
};
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
	/* the sanitizers' allocator seeds itself in the DNS learner */
	SCMP_SYS(getrandom),
};
#endif

static int allow(scmp_filter_ctx ctx, const int *calls, size_t n)
{
	int r = 0;

	for (size_t i = 0; r == 0 && i < n; i++)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, calls[i], 0);
	return r;
}

/* Memory, writing, exiting: what every stage allows. */
static int allow_process(scmp_filter_ctx ctx)
{
	int r = allow(ctx, memory, ARRAY_SIZE(memory));

	if (r == 0)
		r = allow(ctx, process, ARRAY_SIZE(process));
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

static int allow_common(scmp_filter_ctx ctx)
{
	int r = allow_process(ctx);

	if (r == 0)
		r = allow(ctx, netlink_io, ARRAY_SIZE(netlink_io));
	for (size_t i = 0; r == 0 && i < ARRAY_SIZE(sockopts); i++)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, sockopts[i].call, 2,
				     SCMP_A1(SCMP_CMP_EQ, sockopts[i].level),
				     SCMP_A2(SCMP_CMP_EQ, sockopts[i].name));
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


/* watch: waiting for records and for the container's end (watch.c);
 * nothing is sent once the group is bound. */
static int allow_watch(scmp_filter_ctx ctx)
{
	static const int watch_only[] = {
		SCMP_SYS(recvfrom), SCMP_SYS(recvmsg), SCMP_SYS(ppoll),
	};

	return allow(ctx, watch_only, ARRAY_SIZE(watch_only));
}

/* The companion: reading what it opened unconfined (late.c). */
static int allow_companion(scmp_filter_ctx ctx)
{
	return allow(ctx, companion_only, ARRAY_SIZE(companion_only));
}

static int allow_companion_stop(scmp_filter_ctx ctx)
{
	return allow(ctx, companion_stop, ARRAY_SIZE(companion_stop));
}

/* The learner's loop: waiting on the queue, its socket and the pidfds;
 * taking a member's connection (learn.c). */
static int allow_learner(scmp_filter_ctx ctx)
{
	static const int learner_only[] = {
		SCMP_SYS(ppoll), SCMP_SYS(accept4),
	};

	return allow(ctx, learner_only, ARRAY_SIZE(learner_only));
}

/* The learner's setup: its unix sockets (learn.c), the listening one and
 * a member's; filters stack, so the loop's calls are allowed here too. */
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
	return r < 0 ? r : allow_learner(ctx);
}

#define MAX_GROUPS 4

static const struct {
	const char *name;
	int (*groups[MAX_GROUPS])(scmp_filter_ctx ctx);
} stages[CONFINE_NSTAGES] = {
	[CONFINE_STAGE1] = { "stage1", { allow_common, allow_stage1 } },
	[CONFINE_STAGE2] = { "stage2", { allow_common } },
	[CONFINE_COMPANION] = { "companion",
				{ allow_common, allow_stage1, allow_companion } },
	[CONFINE_COMPANION_STAGE2] = { "companion_stage2",
				       { allow_common, allow_companion_stop } },
	[CONFINE_WATCH] = { "watch", { allow_process, allow_watch } },
	[CONFINE_LEARNER_SETUP] = { "learner_setup",
				    { allow_common, allow_stage1,
				      allow_learner_setup } },
	[CONFINE_LEARNER] = { "learner", { allow_common, allow_learner } },
};

const char *confine_stage_name(enum confine_stage stage)
{
	return stages[stage].name;
}

int confine_rules_add(void *ctx, enum confine_stage stage)
{
	int r = 0;

	for (size_t i = 0; r == 0 && i < MAX_GROUPS && stages[stage].groups[i];
	     i++)
		r = stages[stage].groups[i](ctx);
	return r;
}
