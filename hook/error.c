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
	err->cls = FW_CLASS_NONE;
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

int fw_error_class(struct fw_error *err, enum fw_class cls, int r)
{
	if (r < 0 && err && err->cls == FW_CLASS_NONE)
		err->cls = cls;
	return r;
}

void fw_error_set_file(struct fw_error *err, const char *file)
{
	if (err)
		snprintf(err->file, sizeof(err->file), "%s", file ? file : "");
}

/* Control bytes from annotations or files become \xNN: the error must stay
 * one line, and a terminal must not interpret what a user wrote. */
static size_t append_escaped(char *buf, size_t used, size_t len, const char *s)
{
	for (; *s && used + 5 < len; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f)
			used += snprintf(buf + used, len - used, "\\x%02x", c);
		else
			buf[used++] = (char)c;
	}
	buf[used] = '\0';
	return used;
}

/* The non-empty parts, joined by ": ". */
static void format_parts(const char *const *parts, size_t n, char *buf,
			 size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (!parts[i][0])
			continue;
		if (used)
			used = append_escaped(buf, used, len, ": ");
		used = append_escaped(buf, used, len, parts[i]);
	}
}

void fw_error_format(const struct fw_error *err, char *buf, size_t len)
{
	const char *const parts[] = { err->file, err->where, err->what };

	format_parts(parts, 3, buf, len);
}

void fw_warning_set(struct fw_warning *w, const char *where,
		    const char *fmt, ...)
{
	va_list ap;

	snprintf(w->where, sizeof(w->where), "%s", where ? where : "");
	va_start(ap, fmt);
	vsnprintf(w->what, sizeof(w->what), fmt, ap);
	va_end(ap);
}

void fw_warning_set_file(struct fw_warning *w, const char *file)
{
	snprintf(w->file, sizeof(w->file), "%s", file ? file : "");
}

void fw_warning_format(const struct fw_warning *w, char *buf, size_t len)
{
	const char *const parts[] = { w->file, w->where, "warning", w->what };

	format_parts(parts, 4, buf, len);
}
