/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The one error shape every module fills and only main.c prints. */
#ifndef OCI_FW_ERROR_H
#define OCI_FW_ERROR_H

#include <stdarg.h>

/*
 * What kind of refusal an error is: `apply` exits with a status per class
 * (main.c maps them), because crun shows a hook's exit status and not its
 * stderr.  NONE until someone who knows sets it; fw_error_set() resets it,
 * so a class always belongs to the error the struct holds now.
 */
enum fw_class {
	FW_CLASS_NONE = 0,
	FW_CLASS_INTERNAL,   /* a bug, out of memory, seccomp */
	FW_CLASS_STATE,	     /* the runtime's state or config.json */
	FW_CLASS_ANNOTATION, /* fw.policy/fw.unsafe name nothing loadable */
	FW_CLASS_POLICY,     /* the policy files are refused */
	FW_CLASS_UNSAFE,     /* the container could undo its firewall */
	FW_CLASS_KERNEL,     /* netlink, entering the netns, the kernel */
	FW_CLASS_RESOLVE,    /* symbolic destinations */
};

/*
 * `file` is what the user named (a policy name or path, "state", ...),
 * `where` the place inside it (a JSON path such as "egress.allow[2].ports[0]"),
 * `what` the sentence a person can act on.  Any part may be empty.
 */
struct fw_error {
	char file[256];
	char where[192];
	char what[640]; /* a --privileged refusal names nine capabilities twice */
	enum fw_class cls;
};

/* Fills `err` (when not NULL) and returns `code`, a negative errno. */
int fw_error_set(struct fw_error *err, int code, const char *where,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
int fw_error_setv(struct fw_error *err, int code, const char *where,
		  const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));
/* Gives the error in `err` the class `cls` unless it has one; returns `r`,
 * so that `return fw_error_class(err, FW_CLASS_STATE, r);` reads well.
 * Does nothing when `r` is not an error. */
int fw_error_class(struct fw_error *err, enum fw_class cls, int r);
void fw_error_set_file(struct fw_error *err, const char *file);
/* "file: where: what", the line main.c prints after "oci-fw-hook: ". */
void fw_error_format(const struct fw_error *err, char *buf, size_t len);

/* What a user should know about a firewall that loaded all the same (a
 * symbolic destination that stayed empty): never an error, so it has its
 * own type and no code.  Parts as in struct fw_error. */
struct fw_warning {
	char file[256];
	char where[192];
	char what[320];
};

void fw_warning_set(struct fw_warning *w, const char *where,
		    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void fw_warning_set_file(struct fw_warning *w, const char *file);
/* "file: where: warning: what" */
void fw_warning_format(const struct fw_warning *w, char *buf, size_t len);

#endif
