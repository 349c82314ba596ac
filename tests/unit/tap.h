/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A few lines of TAP for the unit tests. */
#ifndef OCI_FW_TAP_H
#define OCI_FW_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

__attribute__((format(printf, 2, 3))) static inline int ok(int cond,
							   const char *fmt,
							   ...)
{
	va_list ap;

	printf("%sok %d - ", cond ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	tap_failed += !cond;
	return cond;
}

/* Compares strings, printing both when they differ. */
static inline int is(const char *got, const char *want, const char *name)
{
	int same = got && strcmp(got, want) == 0;

	if (!ok(same, "%s", name))
		printf("# got:  %s\n# want: %s\n", got ? got : "(null)", want);
	return same;
}

static inline int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
