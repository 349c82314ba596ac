/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Finding a policy by name or path, checking who may write it, reading it. */
#ifndef OCI_FW_POLICY_FILE_H
#define OCI_FW_POLICY_FILE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define POLICY_NAME_MAX 64

struct policy_file {
	char name[POLICY_NAME_MAX + 1]; /* for the table comment */
	char path[PATH_MAX];		/* resolved */
	char *data;
	size_t len;
	uint8_t sha256[32];
};

/*
 * `arg` is a name (looked up as NAME.json in `dirs`, first match wins) or,
 * when it holds a '/', a path: accepted only with `allow_path`.  The file
 * and every directory above it must be owned by root or the caller and not
 * writable by group or others (a sticky directory such as /tmp excepted),
 * as sshd's StrictModes demand of authorized_keys.  On error err->file is
 * `arg` as the user gave it or, once a name was found, the file found
 * (before resolving links).
 */
int policy_file_load(const char *arg, const char *const *dirs, size_t ndirs,
		     bool allow_path, struct policy_file *ret,
		     struct fw_error *err);
void policy_file_free(struct policy_file *f);
bool policy_name_valid(const char *name);

#endif
