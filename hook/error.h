/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The one error shape every module fills and only main.c prints. */
#ifndef OCI_FW_ERROR_H
#define OCI_FW_ERROR_H

#include <stdarg.h>

/*
 * `file` is what the user named (a policy name or path, "state", ...),
 * `where` the place inside it (a JSON path such as "egress.allow[2].ports[0]"),
 * `what` the sentence a person can act on.  Any part may be empty.
 */
struct fw_error {
	char file[256];
	char where[192];
	char what[384];
};

/* Fills `err` (when not NULL) and returns `code`, a negative errno. */
int fw_error_set(struct fw_error *err, int code, const char *where,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
int fw_error_setv(struct fw_error *err, int code, const char *where,
		  const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));
void fw_error_set_file(struct fw_error *err, const char *file);
/* "file: where: what", the line main.c prints after "oci-fw-hook: ". */
void fw_error_format(const struct fw_error *err, char *buf, size_t len);

#endif
