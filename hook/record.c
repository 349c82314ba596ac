// SPDX-License-Identifier: GPL-2.0-or-later
/* A record of every apply, to syslog: facility daemon, ident oci-fw-hook. */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <syslog.h>
#include <unistd.h>

#include "record.h"

/*
 * Not syslog(3): it reads /etc/localtime for the timestamp and reconnects
 * when it likes, and the seccomp filter forbids both by the time there is
 * something to say.  The socket is connected first; the message goes out
 * with one send().  journald and rsyslog stamp a message that carries no
 * time with the time they receive it.
 */
void record_open(struct record *s, const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	s->pid = getpid();
	s->fd = -1;
	if (strcmp(path, "none") == 0 || strlen(path) >= sizeof(sa.sun_path))
		return;
	strcpy(sa.sun_path, path);
	s->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (s->fd >= 0 && connect(s->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		record_close(s);
}

void record_send(const struct record *s, int level, const char *line)
{
	char msg[1024];
	int n;

	if (s->fd < 0)
		return;
	n = snprintf(msg, sizeof(msg), "<%d>oci-fw-hook[%d]: %s",
		     LOG_DAEMON | level, (int)s->pid, line);
	if (n > 0)
		(void)!send(s->fd, msg, (size_t)n < sizeof(msg) ? (size_t)n
							       : sizeof(msg) - 1,
			    MSG_DONTWAIT | MSG_NOSIGNAL);
}

void record_close(struct record *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}
