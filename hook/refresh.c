// SPDX-License-Identifier: GPL-2.0-or-later
/* refresh PID: the hostnames of a running container's firewall, again. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "batch.h"
#include "cleanup.h"
#include "confine.h"
#include "netlink.h"
#include "netns.h"
#include "refresh.h"
#include "resolve.h"

struct refresh {
	struct ruleset rs; /* only the hostnames' sets */
	struct fw_error *err;
};

/* "sym.name3_v4" and "sym.name3_v6" make one hostname: its index names
 * it, the set's comment says which. */
static int found_set(const struct nl_set_info *set, void *data)
{
	const char *name = set->name, *comment = set->comment;
	struct refresh *rf = data;
	struct ruleset *rs = &rf->rs;
	char partner[SET_NAME_MAX];
	struct set_name sn;
	struct ir_symbol *sym;
	int fam;

	if (set_name_parse(name, &sn) < 0 || sn.kind != SET_NAME_HOSTNAME)
		return 0;
	/* Found in the container's /etc/hosts at start: it stays. */
	if (comment_has_mark(comment, SYMBOL_HOSTS_MARK))
		return 0;
	fam = sn.family;
	sn.family = !fam;
	if (set_name_format(&sn, partner, sizeof(partner)) < 0)
		return 0;
	for (sym = rs->symbols; sym < rs->symbols + rs->nsymbols; sym++)
		if (sym->set[!fam] >= 0 &&
		    strcmp(rs->sets[sym->set[!fam]].name, partner) == 0)
			break;
	if (sym == rs->symbols + rs->nsymbols) {
		if (rs->nsymbols == REFRESH_MAX_NAMES)
			return -E2BIG;
		sym = &rs->symbols[rs->nsymbols++];
		*sym = (struct ir_symbol){ .sym.kind = SYM_NAME,
					   .set = { -1, -1 } };
		snprintf(sym->sym.name, sizeof(sym->sym.name), "%s", comment);
		sym->sym.required = comment_has_mark(comment,
						     SYMBOL_REQUIRED_MARK);
		if (sym->sym.required)
			sym->sym.name[strlen(comment) -
				      strlen(SYMBOL_REQUIRED_MARK)] = '\0';
		snprintf(sym->sym.where, sizeof(sym->sym.where), "set %.40s",
			 name);
	}
	return ruleset_add_set(rs, name, sym->sym.where,
			       fam ? SET_IPV6 : SET_IPV4, NULL, &sym->set[fam]);
}

/* A set whose partner is missing was not made by the hook. */
static int check_pairs(struct refresh *rf)
{
	for (size_t i = 0; i < rf->rs.nsymbols; i++)
		if (rf->rs.symbols[i].set[0] < 0 || rf->rs.symbols[i].set[1] < 0)
			return fw_error_set(rf->err, -EINVAL, "",
					    "the firewall's sets for %s are "
					    "not the pair the hook makes",
					    rf->rs.symbols[i].sym.name);
	return 0;
}

/*
 * The addresses of the firewall's sets of symbol `word` ("dns", "host"),
 * as lines PREFIX ADDR SUFFIX: what the running container cannot have
 * changed, unlike its own resolv.conf and hosts (it may have pointed them
 * at a server that it runs).  A set that is not there adds nothing.
 */
int symbol_lines(struct mnl_socket *nl, const char *word, const char *prefix,
		 const char *suffix, char *buf, size_t len,
		 struct fw_error *err)
{
	struct interval_list l[2];
	size_t used = strlen(buf);
	int r = 0;

	interval_list_init(&l[0], 4);
	interval_list_init(&l[1], 16);
	for (int fam = 0; r == 0 && fam < 2; fam++) {
		struct set_name sn = { .kind = SET_NAME_SYMBOL, .family = fam };
		char name[SET_NAME_MAX];

		snprintf(sn.word, sizeof(sn.word), "%s", word);
		r = set_name_format(&sn, name, sizeof(name));
		if (r == 0)
			r = nl_set_elements(nl, name, true, &l[fam], err);
		if (r == -ENOENT)
			r = 0;
	}
	for (int fam = 0; r == 0 && fam < 2; fam++) {
		for (size_t i = 0; i < l[fam].n && used < len; i++) {
			char addr[2 * INET6_ADDRSTRLEN + 2];

			interval_format_addr(&l[fam].v[i],
					     fam ? AF_INET6 : AF_INET, addr,
					     sizeof(addr));
			used += (size_t)snprintf(buf + used, len - used,
						 "%s%s%s", prefix, addr, suffix);
		}
	}
	interval_list_free(&l[0]);
	interval_list_free(&l[1]);
	return r;
}

static int refresh_sets(struct refresh *rf, struct mnl_socket **nl,
			struct refresh_result *res)
{
	char resolv_conf[512];
	struct resolve_input in = { .resolv_conf = resolv_conf };
	struct ruleset *rs = &rf->rs;
	struct batch b = { 0 };
	int r;

	rs->symbols = calloc(REFRESH_MAX_NAMES, sizeof(*rs->symbols));
	if (!rs->symbols)
		return fw_error_set(rf->err, -ENOMEM, "", "out of memory");
	r = nl_open(nl, rf->err);
	if (r == 0)
		r = nl_dump_sets(*nl, found_set, rf, rf->err);
	if (r == 0)
		r = check_pairs(rf);
	if (r < 0 || rs->nsymbols == 0)
		return r;
	resolv_conf[0] = '\0';
	r = symbol_lines(*nl, "dns", "nameserver ", "\n", resolv_conf,
			 sizeof(resolv_conf), rf->err);
	in.resolv_len = strlen(resolv_conf);
	if (r == 0)
		r = ruleset_resolve(rs, &in, rf->err);
	if (r == 0)
		r = confine_stage2(rf->err);
	res->nnames = rs->nsymbols;
	for (size_t i = 0; r == 0 && i < rs->nsymbols; i++) {
		if (rs->symbols[i].resolved)
			res->nrefreshed++;
		else
			symbol_warning(&rs->symbols[i], "it keeps its addresses",
				       &res->warnings[res->nwarnings++]);
	}
	if (r < 0 || res->nrefreshed == 0)
		return r;
	r = batch_build_refill(rs, 16, &b, rf->err);
	if (r == 0)
		r = nl_commit(*nl, &b, rf->err);
	batch_free(&b);
	return r;
}

int refresh_run(pid_t pid, struct refresh_result *res, struct fw_error *err)
{
	struct refresh rf = { .err = err };
	struct mnl_socket *nl = NULL;
	int r;

	*res = (struct refresh_result){ 0 };
	r = netns_join(pid, err);
	if (r == 0)
		r = refresh_sets(&rf, &nl, res);
	if (nl)
		mnl_socket_close(nl);
	ruleset_free(&rf.rs);
	return r;
}
