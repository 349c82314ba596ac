/* SPDX-License-Identifier: GPL-2.0-or-later */
/* refresh PID: the hostnames of a running container's firewall, again. */
#ifndef OCI_FW_REFRESH_H
#define OCI_FW_REFRESH_H

#include <stddef.h>
#include <sys/types.h>

#include "error.h"

#define REFRESH_MAX_NAMES 64

struct refresh_result {
	size_t nnames;	     /* hostnames in the firewall */
	size_t nrefreshed;   /* of them, resolved and replaced */
	struct fw_warning warnings[REFRESH_MAX_NAMES]; /* the others */
	size_t nwarnings;
};

/*
 * Needs no policy and trusts nothing the running container can change: the
 * hostnames are the comments of the firewall's own "sym.name" sets, the
 * nameservers the elements of its "dns" sets, both as the hook made them at
 * start.  Names found in the container's /etc/hosts then are left alone.
 * The queries go out from inside the container's network namespace, so
 * they pass its own egress rules.  Every name that resolved gets its new
 * addresses in one batch; a name that did not keeps its old ones (a
 * warning), unless it is required: then nothing changes and that is the
 * error.
 */
int refresh_run(pid_t pid, struct refresh_result *res, struct fw_error *err);

struct mnl_socket;
/* Appends to the NUL-terminated `buf` a line PREFIX ADDR SUFFIX for each
 * address in the firewall's sets of the symbol `word` ("dns", "host"). */
int symbol_lines(struct mnl_socket *nl, const char *word, const char *prefix,
		 const char *suffix, char *buf, size_t len,
		 struct fw_error *err);

#endif
