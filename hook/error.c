// SPDX-License-Identifier: GPL-2.0-or-later
/* Filling and formatting struct fw_error. */
#include <stdio.h>
#include <string.h>

#include "error.h"

int fw_error_setv(struct fw_error *err, int code, const char *where,
		  const char *fmt, va_list ap)
{
	if (!err)
		return code;
	snprintf(err->where, sizeof(err->where), "%s", where ? where : "");
	vsnprintf(err->what, sizeof(err->what), fmt, ap);
	return code;
}

int fw_error_set(struct fw_error *err, int code, const char *where,
		 const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fw_error_setv(err, code, where, fmt, ap);
	va_end(ap);
	return code;
}

void fw_error_set_file(struct fw_error *err, const char *file)
{
	if (err)
		snprintf(err->file, sizeof(err->file), "%s", file ? file : "");
}

void fw_error_format(const struct fw_error *err, char *buf, size_t len)
{
	const char *parts[] = { err->file, err->where, err->what };
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < 3 && used < len; i++) {
		if (!parts[i][0])
			continue;
		used += snprintf(buf + used, len - used, "%s%s",
				 used ? ": " : "", parts[i]);
	}
}
