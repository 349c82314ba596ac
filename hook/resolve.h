/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Filling the sets of symbolic destinations when the container starts. */
#ifndef OCI_FW_RESOLVE_H
#define OCI_FW_RESOLVE_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "ruleset.h"

/* All DNS queries together: a dead nameserver costs this, no more. */
#define RESOLVE_BUDGET_MS 300
#define HOST_NAME "host.containers.internal"

/* The container's files, as its processes see them (rootfs.h). */
struct resolve_input {
	const char *resolv_conf;
	size_t resolv_len;
	const char *hosts;
	size_t hosts_len;
	bool routes; /* in the container's netns: read its gateways */
	/* the runtime's namespace's addresses (hostaddr.h), part of `host`;
	 * NULL: not read */
	const struct interval_list *host_v4, *host_v6;
	/* no DNS queries (yet): hostnames not in /etc/hosts stay pending,
	 * neither resolved nor refused as required */
	bool no_queries;
};

/*
 * Run inside the container's network namespace: nameservers and the host
 * come from the files, gateways from the routes, hostnames from /etc/hosts
 * and then the nameservers, within RESOLVE_BUDGET_MS.  A symbol that
 * stays empty is marked unresolved; a required hostname that does is an
 * error.  Only the symbols' sets change.
 */
int ruleset_resolve(struct ruleset *rs, const struct resolve_input *in,
		    struct fw_error *err);
/* The symbols' sets emptied and their count taken back from rs->nelems,
 * as before ruleset_resolve: for resolving them again from scratch. */
void ruleset_clear_symbols(struct ruleset *rs);

struct container;
/* The container's resolv.conf and hosts, as its processes will see them
 * (rootfs.h), for `in`, which then points into *ret_resolv_conf and
 * *ret_hosts: the caller frees both, also on error. */
int resolve_input_read(const struct container *c, const char *bundle,
		       struct resolve_input *in, char **ret_resolv_conf,
		       char **ret_hosts, struct fw_error *err);

/* print --bundle DIR: the files of the container DIR describes and, when
 * its config.json names its network namespace, its routes and
 * nameservers as seen from there. */
int ruleset_resolve_bundle(struct ruleset *rs, const char *bundle,
			   struct fw_error *err);

/* The warning for a symbol that stayed empty, and what follows from it. */
void symbol_warning(const struct ir_symbol *sym, const char *consequence,
		    struct fw_warning *ret);

#endif
