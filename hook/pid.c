// SPDX-License-Identifier: GPL-2.0-or-later
/* A process id read from text or JSON, with one set of limits. */
#include <errno.h>

#include "pid.h"

int pid_from_int(int64_t v, pid_t *ret)
{
	if (v < 1 || v > FW_PID_MAX)
		return -ERANGE;
	*ret = (pid_t)v;
	return 0;
}

int pid_parse(const char *s, pid_t *ret)
{
	int64_t v = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		/* stays far below INT64_MAX: stops above the limit */
		if (v <= FW_PID_MAX)
			v = v * 10 + (*s - '0');
	}
	return pid_from_int(v, ret);
}
