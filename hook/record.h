/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A record of every apply, to syslog: facility daemon, ident oci-fw-hook. */
#ifndef OCI_FW_RECORD_H
#define OCI_FW_RECORD_H

#include <sys/types.h>

#define RECORD_DEFAULT_SOCKET "/dev/log"

struct record {
	int fd; /* -1: no socket, nothing is sent */
	pid_t pid;
};

/* Connects to the datagram socket at `path` (journald and rsyslog listen
 * on /dev/log; "none": no record); a machine without one only loses the
 * record, so this cannot fail.  Call it before any seccomp filter. */
void record_open(struct record *s, const char *path);
/* Sends "<PRI>oci-fw-hook[PID]: line" with `level` (LOG_ERR, ...). */
void record_send(const struct record *s, int level, const char *line);
void record_close(struct record *s);

#endif
