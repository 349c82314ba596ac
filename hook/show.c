// SPDX-License-Identifier: GPL-2.0-or-later
/* show: what the firewall of a running container did, rule by rule; this
 * file reads it over netlink (the table, its sets, its rules). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <libnftnl/rule.h>
#include <linux/netfilter/nf_tables.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "names.h"
#include "netlink.h"
#include "netns.h"
#include "ruleset.h"
#include "show.h"
#include "show_decode.h"
#include "show_lines.h"

/* Every set a policy can make: 256 sets and 2 x 4,096 rules per direction,
 * per family, and their port sets. */
#define SHOW_MAX_SETS 65536
#define SHOW_LIST_ADDRS 4 /* a rule's own addresses shown, then "+N" */

struct set_entry {
	char name[64];
	char comment[COMMENT_MAX + 1];
	uint32_t flags, keylen;
};

struct reader {
	struct mnl_socket *nl;
	struct set_entry *sets; /* sorted by name once read */
	size_t nsets, sets_cap;
	struct show_nft_rule *rules;
	size_t nrules, rules_cap;
	struct fw_error *err;
};

/* Room for one more of `*n` elements, doubling. */
static int grow(void *arrayp, size_t *cap, size_t n, size_t size)
{
	void **array = arrayp, *v;
	size_t want = *cap ? *cap * 2 : 64;

	if (n < *cap)
		return 0;
	v = reallocarray(*array, want, size);
	if (!v)
		return -ENOMEM;
	*array = v;
	*cap = want;
	return 0;
}

static int found_set(const struct nl_set_info *set, void *data)
{
	struct reader *rd = data;
	struct set_entry *e;

	if (rd->nsets == SHOW_MAX_SETS)
		return -E2BIG;
	if (grow(&rd->sets, &rd->sets_cap, rd->nsets, sizeof(*e)) < 0)
		return -ENOMEM;
	e = &rd->sets[rd->nsets++];
	snprintf(e->name, sizeof(e->name), "%s", set->name);
	snprintf(e->comment, sizeof(e->comment), "%s", set->comment);
	e->flags = set->flags;
	e->keylen = set->keylen;
	return 0;
}

static int set_cmp(const void *a, const void *b)
{
	return strcmp(((const struct set_entry *)a)->name,
		      ((const struct set_entry *)b)->name);
}

static const struct set_entry *set_find(const struct reader *rd,
					const char *name)
{
	struct set_entry key;

	snprintf(key.name, sizeof(key.name), "%s", name);
	return bsearch(&key, rd->sets, rd->nsets, sizeof(key), set_cmp);
}

static int found_rule(struct nftnl_rule *rule, void *data)
{
	struct reader *rd = data;

	if (grow(&rd->rules, &rd->rules_cap, rd->nrules, sizeof(*rd->rules)) < 0)
		return -ENOMEM;
	rd->nrules += show_decode_rule(rule, &rd->rules[rd->nrules]);
	return 0;
}

/* The elements of one of a rule's sets, appended to `l`: a hash set of
 * /P networks holds their first addresses. */
static int read_own_set(struct reader *rd, const struct set_entry *set,
			struct interval_list *l)
{
	uint8_t mask[KEY_MAX_LEN];
	struct set_name sn;
	size_t from = l->n;
	int r;

	r = nl_set_elements(rd->nl, set->name, set->flags & NFT_SET_INTERVAL, l,
			    rd->err);
	if (r < 0 || set_name_parse(set->name, &sn) < 0 || !sn.by_prefix)
		return r;
	prefix_mask(mask, set->keylen, sn.prefix);
	for (size_t i = from; i < l->n; i++)
		for (unsigned int b = 0; b < set->keylen; b++)
			l->v[i].hi[b] = l->v[i].lo[b] | (uint8_t)~mask[b];
	return 0;
}

/*
 * "10.0.0.0/8, 192.0.2.1 (+3)": a rule's own addresses of one family, read
 * back from all its sets, one per prefix length ("egress.allow.1_v4.24",
 * "..._v4.32": neighbours in name order).  The first set of the family
 * describes them all; the others add nothing.
 */
static int describe_own_set(struct reader *rd, const struct set_entry *set,
			    char *buf, size_t len)
{
	const struct set_entry *first = set, *end = rd->sets + rd->nsets;
	const char *dot = strrchr(set->name, '.'), *us = strrchr(set->name, '_');
	size_t group = dot > us ? (size_t)(dot - set->name) + 1
				: strlen(set->name) + 1;
	struct interval_list l;
	size_t used = 0;
	int r = 0;

	buf[0] = '\0';
	if (set > rd->sets && strncmp(set[-1].name, set->name, group) == 0)
		return 0;
	interval_list_init(&l, set->keylen);
	for (; r == 0 && set < end && strncmp(set->name, first->name, group) == 0;
	     set++)
		r = read_own_set(rd, set, &l);
	interval_normalize(&l);
	for (size_t i = 0; r == 0 && i < l.n && i < SHOW_LIST_ADDRS; i++) {
		char a[2 * INET6_ADDRSTRLEN + 2];

		interval_format_addr(&l.v[i], l.keylen == 4 ? AF_INET : AF_INET6,
				     a, sizeof(a));
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 i ? ", " : "", a);
		if (used >= len)
			used = len - 1;
	}
	if (r == 0 && l.n > SHOW_LIST_ADDRS)
		snprintf(buf + used, len - used, " (+%zu)",
			 l.n - SHOW_LIST_ADDRS);
	interval_list_free(&l);
	return r;
}

/* How the policy wrote the destination a set stands for. */
static int describe_addr_set(struct reader *rd, const char *name, char *buf,
			     size_t len)
{
	const struct set_entry *set = set_find(rd, name);
	struct set_name sn;

	if (!set || set_name_parse(name, &sn) < 0) {
		snprintf(buf, len, "%s", name);
		return 0;
	}
	switch (sn.kind) {
	case SET_NAME_HOSTNAME: /* the name is the set's comment */
	case SET_NAME_LEARNED:
		snprintf(buf, len, "%.*s", (int)strcspn(set->comment, " "),
			 set->comment);
		break;
	case SET_NAME_SYMBOL:
		snprintf(buf, len, "%s", sn.word);
		break;
	case SET_NAME_RULE:
		return describe_own_set(rd, set, buf, len);
	case SET_NAME_POLICY:
		snprintf(buf, len, "@%s", sn.word);
		break;
	}
	return 0;
}

static int describe_ports(struct reader *rd, const struct show_nft_rule *ri,
			  char *buf, size_t len)
{
	const struct set_entry *set;
	struct interval_list l;
	size_t used = 0;
	int r;

	if (!ri->port_set[0]) {
		if (ri->port_lo == ri->port_hi)
			snprintf(buf, len, "%u", ri->port_lo);
		else
			snprintf(buf, len, "%u-%u", ri->port_lo, ri->port_hi);
		return 0;
	}
	set = set_find(rd, ri->port_set);
	if (!set) {
		snprintf(buf, len, "{?}");
		return 0;
	}
	interval_list_init(&l, 2);
	r = nl_set_elements(rd->nl, set->name, set->flags & NFT_SET_INTERVAL,
			    &l, rd->err);
	for (size_t i = 0; r == 0 && i < l.n && used < len; i++) {
		char p[16];

		interval_format_port(&l.v[i], p, sizeof(p));
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 i ? "," : "", p);
	}
	interval_list_free(&l);
	return r;
}

/* What the rules look up, in the words of the policy. */
static int describe_sets(struct reader *rd)
{
	int r = 0;

	for (size_t i = 0; r == 0 && i < rd->nrules; i++) {
		struct show_nft_rule *ri = &rd->rules[i];

		if (strncmp(ri->key, SHOW_BUILTIN, strlen(SHOW_BUILTIN)) == 0)
			continue;
		if (ri->addr_set[0])
			r = describe_addr_set(rd, ri->addr_set, ri->target,
					      sizeof(ri->target));
		if (r == 0 && (ri->port_set[0] || ri->port_lo))
			r = describe_ports(rd, ri, ri->ports, sizeof(ri->ports));
	}
	return r;
}

/* A table an older hook wrote is shown by its whole comment. */
static void parse_table_comment(const char *c, struct show *s)
{
	struct table_comment t;

	if (table_comment_parse(c, &t) < 0) {
		snprintf(s->policy, sizeof(s->policy), "%s", c);
		return;
	}
	snprintf(s->policy, sizeof(s->policy), "%s", t.name);
	snprintf(s->sha256, sizeof(s->sha256), "%s", t.sha256);
	snprintf(s->origin, sizeof(s->origin), "%s", t.origin);
	s->audit = t.audit;
	s->mixed = t.mixed;
	s->is_default = t.is_default;
}

static int read_table(struct reader *rd, struct show *ret)
{
	char comment[COMMENT_MAX + 1];
	int r = nl_table_comment(rd->nl, comment, sizeof(comment), rd->err);

	if (r == -ENOENT)
		return fw_error_set(rd->err, r, "", "the container's network "
				    "namespace holds no table inet "
				    RULESET_TABLE ": it runs without a firewall");
	if (r == 0) {
		parse_table_comment(comment, ret);
		r = nl_dump_sets(rd->nl, found_set, rd, rd->err);
	}
	if (r == 0) {
		qsort(rd->sets, rd->nsets, sizeof(*rd->sets), set_cmp);
		r = nl_dump_rules(rd->nl, found_rule, rd, rd->err);
	}
	if (r == 0)
		r = describe_sets(rd);
	return r;
}

int show_read(pid_t pid, struct show *ret, struct fw_error *err)
{
	struct reader rd = { .err = err };
	/* read before netns_join()'s filter forbids opening files */
	bool listening = show_learner_listens(pid);
	int r;


	*ret = (struct show){ 0 };
	r = netns_join(pid, err);
	if (r == 0)
		r = nl_open(&rd.nl, err);
	if (r == 0)
		r = read_table(&rd, ret);
	if (r == 0)
		r = show_lines_build(rd.rules, rd.nrules, ret, err);
	if (r == 0)
		r = show_learned_read(rd.nl, listening, &ret->learned, err);
	if (rd.nl)
		mnl_socket_close(rd.nl);
	free(rd.sets);
	free(rd.rules);
	if (r < 0)
		show_free(ret);
	return r;
}

void show_free(struct show *s)
{
	for (int d = 0; d < DIR_COUNT; d++)
		free(s->chains[d].rules);
	memset(s->chains, 0, sizeof(s->chains));
	show_learned_free(&s->learned);
}
