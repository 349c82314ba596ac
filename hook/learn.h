/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The DNS learner: one process per network namespace that puts the
 * addresses of the container's DNS answers into its firewall. */
#ifndef OCI_FW_LEARN_H
#define OCI_FW_LEARN_H

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"
#include "record.h"
#include "ruleset.h"

/* A learned address lives its answer's TTL, at least LEARN_TTL_MIN (many
 * programs keep an address longer than its TTL says) and at most
 * LEARN_TTL_MAX seconds. */
#define LEARN_TTL_MIN 60
#define LEARN_TTL_MAX 86400
/* Containers (a pod's members) that one learner serves. */
#define LEARN_MEMBERS_MAX 64
/* How long the hook waits for its learner to bind the queue. */
#define LEARN_READY_MS 5000

struct learn {
	int sock;   /* hook and learner: their socketpair's end */
	int pid_fd; /* learner: the container's process */
};

#define LEARN_INIT { -1, -1 }

/* Before any seccomp filter: forks.  In the learner *ret_learner is true
 * and it has left the runtime's pipes and session; the caller confines
 * it (confine_learner_setup) and calls learn_run(). */
int learn_fork(struct learn *l, pid_t pid, bool *ret_learner,
	       struct fw_error *err);

/* Hook, once its firewall is committed (or kept): lets the learner go on
 * and waits until it listens on the queue, or has handed the container
 * to the learner the netns already has. */
int learn_ready(struct learn *l, struct fw_error *err);

/* The learner: enters the netns, binds the queue (or registers with the
 * netns's learner and returns), and learns until every container it
 * serves has exited.  It records its start and end to `rec`. */
int learn_run(struct learn *l, const struct ruleset *rs, int netns_fd,
	      const struct record *rec, const char *id, struct fw_error *err);

void learn_close(struct learn *l);

#endif
