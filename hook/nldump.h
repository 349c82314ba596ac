/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One netlink dump read to its end, bounded in bytes and in time. */
#ifndef OCI_FW_NLDUMP_H
#define OCI_FW_NLDUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

#include "error.h"

/* Called once per answer that is not NLMSG_DONE or NLMSG_ERROR: 0, or a
 * negative errno that ends the dump with that error. */
typedef int (*nl_dump_fn)(const struct nlmsghdr *nlh, void *data);

/* Quiet this long with the dump unfinished: the kernel answers a dump as
 * it is read, so nothing more is coming. */
#define NL_DUMP_WAIT_MS 2000

struct nl_dump {
	const char *where, *what; /* in errors: "", "reading the routes" */
	size_t max_bytes; /* more than this is no container's: stop */
	nl_dump_fn fn;
	void *data;
	int wait_ms; /* 0: NL_DUMP_WAIT_MS */
	/* set by nl_dump_init() and nl_dump_feed() */
	uint32_t seq, portid;
	size_t bytes;
	int error;
};

/*
 * Sends the dump request `req` (NLM_F_DUMP set, its own sequence number)
 * and reads every answer until NLMSG_DONE.  Fails, naming d->what, when
 * the kernel's NLMSG_DONE or NLMSG_ERROR carries an errno, when the
 * objects changed while being listed (NLM_F_DUMP_INTR: what was read may
 * be neither the old nor the new state), after d->max_bytes, or after
 * NL_DUMP_WAIT_MS without an answer.  Waits with ppoll(), which seccomp
 * stage 1 allows and stage 2 does not: dump before stage 2.
 */
int nl_dump(struct mnl_socket *nl, struct nlmsghdr *req, struct nl_dump *d,
	    struct fw_error *err);

/* The parts of nl_dump() that need no socket, for tests: answers to
 * `seq` from `portid` (0: any); feed returns 1 while more are due, 0
 * when the dump is complete, or a negative errno (err filled). */
void nl_dump_init(struct nl_dump *d, uint32_t seq, uint32_t portid);
int nl_dump_feed(struct nl_dump *d, const void *buf, size_t len,
		 struct fw_error *err);

#endif
