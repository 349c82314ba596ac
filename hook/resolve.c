// SPDX-License-Identifier: GPL-2.0-or-later
/* Filling the sets of symbolic destinations when the container starts. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "cleanup.h"
#include "container.h"
#include "dns.h"
#include "gateway.h"
#include "hostaddr.h"
#include "netconf.h"
#include "netns.h"
#include "resolve.h"
#include "rootfs.h"

struct resolver {
	struct ruleset *rs;
	const struct resolve_input *in;
	struct sockaddr_storage servers[RESOLV_MAX_SERVERS];
	size_t nservers;
	struct dns_name names[POLICY_MAX_NAMES];
	size_t nnames;
	struct fw_error *err;
};

static struct interval_list *set_of(struct resolver *rv,
				    const struct ir_symbol *sym, int fam)
{
	return &rv->rs->sets[sym->set[fam]].elems;
}

static int add_servers(struct resolver *rv, const struct ir_symbol *sym)
{
	uint8_t key[16];
	int family, r = 0;

	for (size_t i = 0; r == 0 && i < rv->nservers; i++) {
		sockaddr_key(&rv->servers[i], &family, key);
		r = interval_add(set_of(rv, sym, family == AF_INET6), key, key);
	}
	return r;
}

static int fill_sets(struct resolver *rv, struct ir_symbol *sym)
{
	const struct resolve_input *in = rv->in;
	struct dns_name *q;
	bool found = false;
	int r;

	switch (sym->sym.kind) {
	case SYM_DNS:
		return add_servers(rv, sym);
	case SYM_HOST:
		r = hosts_lookup(in->hosts, in->hosts_len, HOST_NAME,
				 set_of(rv, sym, 0), set_of(rv, sym, 1), &found);
		if (r == 0 && in->host_v4)
			r = interval_append_list(set_of(rv, sym, 0), in->host_v4);
		if (r == 0 && in->host_v6)
			r = interval_append_list(set_of(rv, sym, 1), in->host_v6);
		return r;
	case SYM_GATEWAY: /* fill() reads the routes */
	case SYM_WILDCARD: /* only learned: ruleset_resolve() skips it */
		return 0;
	case SYM_NAME:
		break;
	}
	/* /etc/hosts first, as the container's resolver would; such a name
	 * stays as it is (`refresh` trusts no file the container can
	 * change). */
	r = hosts_lookup(in->hosts, in->hosts_len, sym->sym.name,
			 set_of(rv, sym, 0), set_of(rv, sym, 1), &found);
	for (int fam = 0; r == 0 && found && fam < 2; fam++) {
		char *comment = rv->rs->sets[sym->set[fam]].comment;

		snprintf(comment + strlen(comment), COMMENT_MAX + 1 - strlen(comment),
			 "%s", SYMBOL_HOSTS_MARK);
	}
	if (r < 0 || found)
		return r;
	q = &rv->names[rv->nnames++];
	q->name = sym->sym.name;
	q->v4 = *set_of(rv, sym, 0);
	q->v6 = *set_of(rv, sym, 1);
	return 0;
}

/* The sets of `sym`, or the names to ask for; the lists and the
 * files' parsers fail only for memory. */
static int fill(struct resolver *rv, struct ir_symbol *sym)
{
	int r;

	if (sym->sym.kind == SYM_GATEWAY)
		return rv->in->routes ? gateways_read(set_of(rv, sym, 0),
						      set_of(rv, sym, 1), rv->err)
				      : 0;
	r = fill_sets(rv, sym);
	return r < 0 ? fw_error_set(rv->err, r, "", "out of memory") : 0;
}

/* The queries borrowed the sets' lists: the answers go back into them. */
static void give_back(struct resolver *rv)
{
	size_t k = 0;

	for (size_t i = 0; i < rv->rs->nsymbols; i++) {
		struct ir_symbol *sym = &rv->rs->symbols[i];

		if (k < rv->nnames && rv->names[k].name == sym->sym.name) {
			*set_of(rv, sym, 0) = rv->names[k].v4;
			*set_of(rv, sym, 1) = rv->names[k].v6;
			k++;
		}
	}
}

int ruleset_resolve(struct ruleset *rs, const struct resolve_input *in,
		    struct fw_error *err)
{
	struct resolver rv = { .rs = rs, .in = in, .err = err };
	int r;

	r = resolv_conf_nameservers(in->resolv_conf, in->resolv_len,
				    rv.servers, RESOLV_MAX_SERVERS,
				    &rv.nservers);
	for (size_t i = 0; r == 0 && i < rs->nsymbols; i++)
		if (rs->symbols[i].sym.kind != SYM_WILDCARD)
			r = fill(&rv, &rs->symbols[i]);
	if (r == 0 && rv.nnames && rv.nservers && !in->no_queries)
		r = dns_resolve(rv.servers, rv.nservers, rv.names, rv.nnames,
				RESOLVE_BUDGET_MS, err);
	give_back(&rv);
	for (size_t i = 0; i < rs->nsymbols; i++) {
		struct ir_symbol *sym = &rs->symbols[i];

		if (sym->sym.kind == SYM_WILDCARD) {
			sym->resolved = true; /* nothing to say at start */
			continue;
		}
		for (int fam = 0; fam < 2; fam++) {
			interval_normalize(set_of(&rv, sym, fam));
			rs->nelems += set_of(&rv, sym, fam)->n;
		}
		sym->resolved = set_of(&rv, sym, 0)->n || set_of(&rv, sym, 1)->n ||
				sym->implicit;
		if (r == 0 && !sym->resolved && sym->sym.required &&
		    !(in->no_queries && sym->sym.kind == SYM_NAME))
			r = fw_error_set(err, -EHOSTUNREACH, sym->sym.where,
					 "%s did not resolve (the rule says "
					 "\"resolve\": \"required\")",
					 sym->sym.name);
	}
	return r;
}

void ruleset_clear_symbols(struct ruleset *rs)
{
	for (size_t i = 0; i < rs->nsymbols; i++) {
		for (int fam = 0; fam < 2 && rs->symbols[i].set[fam] >= 0;
		     fam++) {
			struct interval_list *l =
				&rs->sets[rs->symbols[i].set[fam]].elems;

			rs->nelems -= l->n;
			l->n = 0;
		}
		rs->symbols[i].resolved = false;
	}
}

void symbol_warning(const struct ir_symbol *sym, const char *consequence,
		    struct fw_warning *ret)
{
	static const char *const why[] = {
		[SYM_DNS] = "the container's /etc/resolv.conf names no "
			    "nameserver",
		[SYM_HOST] = "the container's /etc/hosts has no " HOST_NAME,
		[SYM_GATEWAY] = "the container's network namespace has no "
				"default route via a gateway",
		[SYM_NAME] = "it did not resolve",
		[SYM_WILDCARD] = "it is only learned",
	};

	fw_warning_set(ret, sym->sym.where, "%s: %s; %s", sym->sym.name,
		       why[sym->sym.kind], consequence);
}

int resolve_input_read(const struct container *c, const char *bundle,
		       struct resolve_input *in, char **ret_resolv_conf,
		       char **ret_hosts, struct fw_error *err)
{
	int r;

	r = rootfs_read(c->resolv_conf, bundle, c->root, "etc/resolv.conf",
			ret_resolv_conf, &in->resolv_len, err);
	if (r == 0)
		r = rootfs_read(c->hosts, bundle, c->root, "etc/hosts",
				ret_hosts, &in->hosts_len, err);
	in->resolv_conf = *ret_resolv_conf;
	in->hosts = *ret_hosts;
	return r;
}

int ruleset_resolve_bundle(struct ruleset *rs, const char *bundle,
			   struct fw_error *err)
{
	_cleanup_(container_free) struct container c = { 0 };
	_cleanup_free_ char *resolv_conf = NULL, *hosts = NULL;
	_cleanup_(interval_list_free) struct interval_list host_v4 =
		{ .keylen = 4 };
	_cleanup_(interval_list_free) struct interval_list host_v6 =
		{ .keylen = 16 };
	_cleanup_close_ int netns_fd = -1;
	struct resolve_input in = { .host_v4 = &host_v4, .host_v6 = &host_v6 };
	int r;

	/* `host` as apply reads it: here, before entering the container's */
	r = host_addresses_read(&host_v4, &host_v6, err);
	if (r < 0)
		return r;
	r = container_load(bundle, true, &c, err);
	if (r < 0)
		return r;
	fw_error_set_file(err, bundle);
	r = resolve_input_read(&c, bundle, &in, &resolv_conf, &hosts, err);
	if (r < 0)
		return r;
	/* A runtime that named the netns (podman does) lets the routes and
	 * nameservers be seen from where the container sees them. */
	if (c.netns_path[0]) {
		netns_fd = open(c.netns_path, O_RDONLY | O_CLOEXEC);
		if (netns_fd < 0)
			return fw_error_set(err, -errno, "", "%s: %s",
					    c.netns_path, strerror(errno));
		r = netns_enter(netns_fd, err);
		in.routes = r == 0;
	}
	return r < 0 ? r : ruleset_resolve(rs, &in, err);
}
