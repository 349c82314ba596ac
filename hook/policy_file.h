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
/* The one line for a path in fw.policy when the hook has no --allow-path */
#define PATHS_OFF                                                              \
	"policy paths are off (the hook needs --allow-path); use a name "      \
	"from the policy directories"

struct policy_file {
	char name[POLICY_NAME_MAX + 1]; /* for the table comment */
	char found[PATH_MAX];	/* as found: DIR/NAME.json, or as given */
	char path[PATH_MAX];	/* resolved */
	char *data;
	size_t len;
	uint8_t sha256[32];
};

struct owners;

struct policy_lookup {
	const char *const *dirs; /* searched in order */
	size_t ndirs;
	bool allow_path;	     /* a POLICY with a '/' may be read */
	const struct owners *owners; /* rootless rules (userns.h), or NULL */
};

/*
 * `arg` is a name (looked up as NAME.json in the directories, first match
 * wins) or, when it holds a '/', a path: accepted only with allow_path.
 * The file and every directory above it must be owned by root or the
 * caller and not writable by group or others (a sticky directory such as
 * /tmp excepted), as sshd's StrictModes demand of authorized_keys.  On
 * error err->file is `arg` as the user gave it or, once a name was found,
 * the file found (before resolving links).
 */
int policy_file_load(const char *arg, const struct policy_lookup *l,
		     struct policy_file *ret, struct fw_error *err);

/* The rule policy_file_load() applies to a policy file, for any file or
 * directory: it, what it links to, and every directory above both owned by
 * root or the caller and not writable by group or others.  For `doctor`:
 * the hook binary, the policy directories. */
int path_check_trusted(const char *path, struct fw_error *err);

#define POLICY_DIRS_DEFAULT_MAX 3
/* The user's own directory first when `user_dir` is set, then /etc's, then
 * the shipped one; returns how many. */
size_t policy_dirs_default(const char *user_dir, const char **dirs);
void policy_file_free(struct policy_file *f);
bool policy_name_valid(const char *name);
/* Replaces every byte a policy name could not hold with '_': what goes into
 * an nft comment or a log prefix stays one plain word. */
void name_sanitize(char *s);

#endif
