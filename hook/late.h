/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The container's resolv.conf and hosts, when the runtime writes them after
 * createRuntime (podman 5): a companion fills the symbolic destinations. */
#ifndef OCI_FW_LATE_H
#define OCI_FW_LATE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "container.h"
#include "error.h"
#include "resolve.h"

/* podman writes both files within milliseconds of the OCI create; a
 * runtime that never does leaves the sets empty (closed). */
#define LATE_WAIT_MS 60000
/* podman starts the container within milliseconds of writing
 * resolv.conf; one created and never started (`podman container init`)
 * is stopped after this long. */
#define LATE_START_WAIT_MS 5000

struct late {
	int notify_fd; /* inotify: writes to the two files */
	int fd[2];     /* resolv.conf, hosts: opened now, read once written */
	int wd[2];     /* their inotify watches */
	int go_fd;     /* parent: "committed"; companion: waits for it */
	int pid_fd;    /* the container's process: gone, nothing to fill */
	int proc_fd;   /* its /proc directory: started yet? (stopping it) */
	struct stat init_exe; /* what it ran at the hook: the runtime's init */
};

#define LATE_INIT { .notify_fd = -1, .fd = { -1, -1 }, .wd = { -1, -1 }, \
		    .go_fd = -1, .pid_fd = -1, .proc_fd = -1 }

/* Whether the runtime bind-mounts a resolv.conf of its own that is still
 * empty: podman 5 writes it (after /etc/hosts, after the network) between
 * the OCI create and start. */
bool late_files_expected(const struct container *c,
			 const struct resolve_input *in);

/* Before any seccomp filter: watches and opens the two files, then forks.
 * In the companion, *ret_companion is true and it has left the runtime's
 * pipes and session; the caller confines it (confine_companion). */
int late_start(struct late *l, const struct container *c, pid_t pid,
	       bool *ret_companion, struct fw_error *err);

/* In a child the hook leaves behind (the companion, the learner): a
 * session of its own, stdio on /dev/null, so that the runtime, which
 * waits for the hook's stdout and stderr to close, does not wait for it. */
int late_detach(void);

/* Parent, once its batch is committed: lets the companion go on (closing
 * without it, on failure, ends the companion). */
void late_release(struct late *l);

/* Companion, confined: waits for the parent's commit and then for the
 * runtime's write of resolv.conf, and reads both files into *in (the
 * caller frees *ret_resolv_conf and *ret_hosts).  A file written again
 * after that first write, before it was read, is not trusted: once the
 * container runs, it can write its own. */
int late_wait(struct late *l, struct resolve_input *in, char **ret_resolv_conf,
	      char **ret_hosts, struct fw_error *err);

/* Companion: SIGKILL to the container's process (through its pidfd, so
 * never to a process that reused the PID), once the runtime has started
 * it, or LATE_START_WAIT_MS have passed: crun's start hangs on a process
 * killed before it (late.c). */
int late_stop_container(struct late *l);

void late_close(struct late *l);

#endif
