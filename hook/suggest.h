/* SPDX-License-Identifier: GPL-2.0-or-later */
/* suggest: a draft policy allowing what watch saw a container do. */
#ifndef OCI_FW_SUGGEST_H
#define OCI_FW_SUGGEST_H

#include <stdio.h>
#include <sys/types.h>

#include "error.h"

/* What suggest reads: watch's records of a run. */
#define SUGGEST_MAX_INPUT (64 << 20)

struct suggest;

/* Reads watch --json lines (`buf`, NUL-terminated) into a new draft.  A
 * line that is not a record of watch's is an error naming its number. */
int suggest_read(const char *buf, struct suggest **ret, struct fw_error *err);
/* Names the draft's addresses as the container of process `pid` knows
 * them: hostnames and symbols (dns, host, gateway) from its table's sets,
 * where a set or element comment gives one (names.h). */
int suggest_names(struct suggest *s, pid_t pid, struct fw_error *err);
/* The draft as a policy (strict JSON), checked by the policy parser and
 * the compiler before it is written. */
int suggest_print(const struct suggest *s, FILE *out, struct fw_error *err);
void suggest_free(struct suggest *s);

#endif
