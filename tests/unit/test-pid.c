// SPDX-License-Identifier: GPL-2.0-or-later
/* One process-id parser for --pid, state.json and /proc: its limits. */
#include <errno.h>

#include "pid.h"
#include "tap.h"

static void check(const char *s, int want, pid_t want_pid)
{
	pid_t pid = -7;
	int r = pid_parse(s, &pid);

	ok(r == want && (r < 0 ? pid == -7 : pid == want_pid),
	   "\"%s\": %d (got %d, pid %d)", s, want, r, (int)pid);
}

int main(void)
{
	pid_t pid = 0;

	check("1", 0, 1);
	check("4242", 0, 4242);
	check("4194304", 0, FW_PID_MAX);
	check("007", 0, 7);
	check("0", -ERANGE, 0);
	check("4194305", -ERANGE, 0);
	check("2147483648", -ERANGE, 0);
	check("99999999999999999999999999", -ERANGE, 0);
	check("-1", -EINVAL, 0);
	check("+1", -EINVAL, 0);
	check(" 1", -EINVAL, 0);
	check("1 ", -EINVAL, 0);
	check("12x", -EINVAL, 0);
	check("0x10", -EINVAL, 0);
	check("", -EINVAL, 0);
	ok(pid_from_int(-1, &pid) == -ERANGE && pid_from_int(0, &pid) == -ERANGE &&
		   pid_from_int(INT64_MAX, &pid) == -ERANGE,
	   "from a number: the same limits");
	ok(pid_from_int(FW_PID_MAX, &pid) == 0 && pid == FW_PID_MAX,
	   "from a number: the highest");
	return tap_done();
}
