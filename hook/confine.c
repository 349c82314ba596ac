// SPDX-License-Identifier: GPL-2.0-or-later
/* The hook's own seccomp confinement, in two stages. */
#include <errno.h>
#include <json-c/json.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"
#include "confine.h"
#include "confine_bpf.h"
#include "confine_rules.h"
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
 * stage 2 plus what its stop of the container takes, at any stage:
 * waiting (ppoll) and looking at the process's executable (fstatat).
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
 * Anything else kills the process (SCMP_ACT_KILL_PROCESS), as does a
 * syscall of another architecture (the i386 ABI of an x86-64 process):
 * the runtime then sees the hook fail, and the container does not start.
 *
 * What each stage allows is listed once, in confine_rules.c; the build
 * turns it into BPF with libseccomp (confine_gen.c) and the hook loads
 * that program as it is, with no_new_privs, as libseccomp would: building
 * it at every container start cost more than the rest of the hook's work
 * for a small policy.
 *
 * Sanitizer and coverage builds (-Db_sanitize=..., -Db_coverage=true:
 * OCI_FW_SANITIZED) also allow what the sanitizers need to report
 * (LeakSanitizer stops the process with clone and ptrace at exit,
 * symbolizers read files) and what gcov's exit handler needs to write its
 * .gcda files (open, lock, read, seek).  Release builds never do.
 *
 * The unconfined build (OCI_FW_UNCONFINED: oci-fw-hook-unconfined, never
 * installed) loads no filter, so that memcheck can run the apply path:
 * valgrind 3.19 knows no seccomp() syscall.
 */

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

/* What libseccomp's seccomp_load() does with the same program. */
static int confine(enum confine_stage stage, struct fw_error *err)
{
	int r = 0;

#ifdef OCI_FW_UNCONFINED
	return 0;
#endif
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0,
		    &confine_bpf[stage].prog) < 0)
		r = -errno;
	if (r < 0)
		return fw_error_set(err, r, "", "loading the %s seccomp filter: "
				    "%s", confine_bpf[stage].name, strerror(-r));
	return 0;
}

int confine_stage1(struct fw_error *err)
{
	int r = prepare(err);

	return r < 0 ? r : confine(CONFINE_STAGE1, err);
}

int confine_stage2(struct fw_error *err)
{
	return confine(CONFINE_STAGE2, err);
}

/* The companion is forked before its parent's stage 1: it draws its own
 * (a child repeating its parent's DNS ids would be guessable). */
int confine_companion(struct fw_error *err)
{
	int r = prepare(err);

	return r < 0 ? r : confine(CONFINE_COMPANION, err);
}

int confine_companion_stage2(struct fw_error *err)
{
	return confine(CONFINE_COMPANION_STAGE2, err);
}

/* After watch bound its NFLOG group (watch.h): receiving and writing. */
int confine_watch(struct fw_error *err)
{
	return confine(CONFINE_WATCH, err);
}

int confine_learner_setup(struct fw_error *err)
{
	return confine(CONFINE_LEARNER_SETUP, err);
}

int confine_learner(struct fw_error *err)
{
	return confine(CONFINE_LEARNER, err);
}
