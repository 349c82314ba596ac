// SPDX-License-Identifier: GPL-2.0-or-later
/* policy → ruleset: order-free semantics as one ordered chain per direction. */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "ruleset.h"

struct compiler {
	const struct policy *policy;
	struct ruleset *rs;
	enum direction dir; /* of the chain being compiled */
	const char *list;   /* "deny" or "allow" */
	size_t index;	    /* of the rule in it */
	struct fw_error *err;
	bool reported; /* err already says what went wrong */
	int *named_set[2]; /* policy set index → ruleset set index per family */
};

static int set_fill(struct ruleset *rs, struct ir_set *set,
		    const struct interval_list *elems)
{
	rs->nelems += elems->n;
	if (rs->nelems > RULESET_MAX_ELEMS)
		return -E2BIG;
	return interval_append_list(&set->elems, elems);
}

int ruleset_add_set(struct ruleset *rs, const char *name, const char *source,
		    enum set_type type, const struct interval_list *elems,
		    int *ret)
{
	struct ir_set *set;

	if (rs->nsets == rs->sets_cap) {
		size_t cap = rs->sets_cap ? 2 * rs->sets_cap : 8;

		set = reallocarray(rs->sets, cap, sizeof(*set));
		if (!set)
			return -ENOMEM;
		rs->sets = set;
		rs->sets_cap = cap;
	}
	set = &rs->sets[rs->nsets];
	*set = (struct ir_set){ .type = type };
	snprintf(set->name, sizeof(set->name), "%s", name);
	snprintf(set->source, sizeof(set->source), "%s", source);
	interval_list_init(&set->elems, type == SET_PORT ? 2
					   : type == SET_IPV4 ? 4 : 16);
	*ret = (int)rs->nsets++;
	return elems ? set_fill(rs, set, elems) : 0;
}

static int add_rule(struct ir_chain *c, const struct ir_rule *rule)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 16;
		struct ir_rule *v = reallocarray(c->rules, cap, sizeof(*v));

		if (!v)
			return -ENOMEM;
		c->rules = v;
		c->cap = cap;
	}
	c->rules[c->n++] = *rule;
	return 0;
}

/* Policy sets become named sets "NAME_v4" / "NAME_v6", one per family
 * that has addresses, whether or not a rule uses them. */
static int compile_policy_sets(struct compiler *c)
{
	const struct policy *p = c->policy;
	char name[48], source[48];
	int r;

	for (int fam = 0; fam < 2; fam++) {
		c->named_set[fam] = calloc(p->nsets + 1, sizeof(int));
		if (!c->named_set[fam])
			return -ENOMEM;
	}
	for (size_t i = 0; i < p->nsets; i++) {
		const struct interval_list *lists[2] = { &p->sets[i].v4,
							 &p->sets[i].v6 };

		for (int fam = 0; fam < 2; fam++) {
			c->named_set[fam][i] = -1;
			if (lists[fam]->n == 0)
				continue;
			snprintf(name, sizeof(name), "%s_v%c", p->sets[i].name,
				 fam ? '6' : '4');
			snprintf(source, sizeof(source), "sets.%s",
				 p->sets[i].name);
			r = ruleset_add_set(c->rs, name, source,
					    fam ? SET_IPV6 : SET_IPV4,
					    lists[fam], &c->named_set[fam][i]);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

/* Each symbolic destination gets its sets whether or not it resolves:
 * `print` shows them empty, and the rules naming them load either way. */
static int compile_symbols(struct compiler *c)
{
	const struct policy *p = c->policy;
	struct ruleset *rs = c->rs;
	bool has_name = false, has_dns = false, names_only;
	char name[48];
	size_t names = 0;
	int r;

	for (size_t i = 0; i < p->nsymbols; i++) {
		has_name |= p->symbols[i].kind == SYM_NAME;
		has_dns |= p->symbols[i].kind == SYM_DNS;
	}
	names_only = has_name && !has_dns;
	rs->symbols = calloc(p->nsymbols + 1, sizeof(*rs->symbols));
	if (!rs->symbols)
		return -ENOMEM;
	for (size_t i = 0; i < p->nsymbols + names_only; i++) {
		struct ir_symbol *sym = &rs->symbols[rs->nsymbols++];

		if (i < p->nsymbols) {
			sym->sym = p->symbols[i];
		} else {
			sym->sym = (struct policy_symbol){ .kind = SYM_DNS,
							   .name = "dns" };
			sym->implicit = true;
		}
		for (int fam = 0; fam < 2; fam++) {
			if (sym->sym.kind == SYM_NAME)
				snprintf(name, sizeof(name), "%s%zu_v%c",
					 SYMBOL_NAME_SET_PREFIX, names,
					 fam ? '6' : '4');
			else
				snprintf(name, sizeof(name), "%s%s_v%c",
					 SYMBOL_SET_PREFIX, sym->sym.name,
					 fam ? '6' : '4');
			r = ruleset_add_set(rs, name, sym->sym.where,
					    fam ? SET_IPV6 : SET_IPV4, NULL,
					    &sym->set[fam]);
			if (r < 0)
				return r;
			snprintf(rs->sets[sym->set[fam]].comment, COMMENT_MAX + 1,
				 "%.100s%s", sym->sym.name,
				 sym->sym.required ? SYMBOL_REQUIRED_MARK : "");
		}
		names += sym->sym.kind == SYM_NAME;
	}
	return 0;
}

/* The set a rule's addresses and set references compile to for one family:
 * the policy set itself when the list is exactly one reference, else the
 * rule's own set holding the union.  -1 when the family has none. */
static int rule_addr_set(struct compiler *c, const struct policy_rule *pr,
			 int fam, int *ret)
{
	const struct interval_list *lit = fam ? &pr->v6 : &pr->v4;
	char name[48], source[48];
	struct ir_set *set;
	int r, idx;

	*ret = -1;
	if (pr->nrefs == 1 && lit->n == 0) {
		*ret = c->named_set[fam][pr->refs[0]];
		return 0;
	}
	if (pr->nrefs == 0 && lit->n == 0)
		return 0;
	/* egress.allow[2] → "egress.allow.2_v4": nft names take no [], and
	 * the index is the rule's place in the composed policy. */
	snprintf(name, sizeof(name), "%s.%s.%zu_v%c", direction_names[c->dir],
		 c->list, c->index, fam ? '6' : '4');
	snprintf(source, sizeof(source), "%s.%s", pr->path,
		 c->dir == DIR_INGRESS ? "from" : "to");
	r = ruleset_add_set(c->rs, name, source, fam ? SET_IPV6 : SET_IPV4,
			    lit, &idx);
	if (r < 0)
		return r;
	set = &c->rs->sets[idx];
	for (size_t i = 0; r == 0 && i < pr->nrefs; i++) {
		const struct policy_set *ps = &c->policy->sets[pr->refs[i]];

		r = set_fill(c->rs, set, fam ? &ps->v6 : &ps->v4);
	}
	if (r < 0)
		return r;
	interval_normalize(&set->elems);
	if (set->elems.n == 0) {
		/* Nothing of this family: the set is not needed. */
		interval_list_free(&set->elems);
		c->rs->nsets--;
		return 0;
	}
	*ret = idx;
	return 0;
}

/* One port stays a comparison, several become an anonymous set, as nft
 * itself builds them. */
static int rule_ports(struct compiler *c, const struct policy_rule *pr,
		      struct ir_rule *rule)
{

	rule->port_set = -1;
	rule->has_port = pr->ports.n == 1;
	if (pr->ports.n == 1)
		rule->port = pr->ports.v[0];
	if (pr->ports.n <= 1)
		return 0;
	return ruleset_add_set(c->rs, "", pr->path, SET_PORT, &pr->ports,
			       &rule->port_set);
}

/* A rule's own "log", else its direction's. */
static const struct policy_log *log_of(const struct compiler *c,
				       const struct policy_rule *pr)
{
	return pr && pr->log.set ? &pr->log : &c->policy->dir[c->dir].log;
}

static const char *audit_mark(const struct compiler *c, enum verdict v)
{
	if (!c->policy->audit || v == VERDICT_ACCEPT)
		return "";
	return v == VERDICT_DROP ? AUDIT_MARK_DROP : AUDIT_MARK_REJECT;
}

/* A reject is a TCP reset for TCP and ICMP admin-prohibited otherwise:
 * without a protocol in the rule that takes two nft rules.  A logged block
 * is a log rule first; an audited one accepts. */
static int add_verdict(struct compiler *c, struct ir_chain *chain,
		       struct ir_rule *rule, enum verdict v,
		       const struct policy_log *log)
{
	int r;

	if (v != VERDICT_ACCEPT && log->on) {
		struct ir_rule l = *rule;

		l.verdict = IR_LOG;
		l.nflog = log->nflog;
		l.group = log->group;
		r = add_rule(chain, &l);
		if (r < 0)
			return r;
	}
	if (c->policy->audit)
		v = VERDICT_ACCEPT;
	if (v != VERDICT_REJECT) {
		rule->verdict = v == VERDICT_ACCEPT ? IR_ACCEPT : IR_DROP;
		return add_rule(chain, rule);
	}
	if (rule->l4proto == 0) {
		struct ir_rule tcp = *rule;

		tcp.l4proto = IPPROTO_TCP;
		tcp.verdict = IR_REJECT_TCP;
		r = add_rule(chain, &tcp);
		if (r < 0)
			return r;
	}
	rule->verdict = rule->l4proto == IPPROTO_TCP ? IR_REJECT_TCP
						     : IR_REJECT_ICMPX;
	return add_rule(chain, rule);
}

/* One nft rule (two for a protocol-less reject) matching `addr_set`; DNS
 * without a protocol is one rule for tcp and one for udp. */
static int compile_match(struct compiler *c, struct ir_chain *chain,
			 const struct policy_rule *pr, int addr_set,
			 enum verdict v)
{
	static const uint8_t dns_protos[] = { IPPROTO_UDP, IPPROTO_TCP };
	struct ir_rule rule = { .builtin = IR_RULE,
				.addr_set = addr_set,
				.l4proto = pr->proto };
	bool both = pr->dns_ports && !pr->proto;
	int r;

	/* A composed policy's path may leave the comment less room: the
	 * path is what matters, the user's words are cut. */
	snprintf(rule.comment, sizeof(rule.comment), "%s%s%s%s", pr->path,
		 audit_mark(c, v), pr->comment[0] ? ": " : "", pr->comment);
	for (size_t i = 0; i < (both ? 2 : 1); i++) {
		struct ir_rule one = rule;

		if (both)
			one.l4proto = dns_protos[i];
		r = rule_ports(c, pr, &one);
		if (r == 0)
			r = add_verdict(c, chain, &one, v, log_of(c, pr));
		if (r < 0)
			return r;
	}
	return 0;
}

/* A rule with addresses of both families becomes one rule per family. */
static int compile_rule(struct compiler *c, struct ir_chain *chain,
			const struct policy_rule *pr, enum verdict v)
{
	static const uint8_t other_family_proto[2] = { IPPROTO_ICMPV6,
						       IPPROTO_ICMP };
	int set, r = 0;

	if (!pr->has_addrs)
		return compile_match(c, chain, pr, -1, v);
	for (int fam = 0; r == 0 && fam < 2; fam++) {
		if (pr->proto && pr->proto == other_family_proto[fam])
			continue;
		r = rule_addr_set(c, pr, fam, &set);
		if (r == 0 && set >= 0)
			r = compile_match(c, chain, pr, set, v);
		for (size_t i = 0; r == 0 && i < pr->nsyms; i++)
			r = compile_match(c, chain, pr,
					  c->rs->symbols[pr->syms[i]].set[fam],
					  v);
	}
	if (r == -E2BIG) {
		c->reported = true;
		return fw_error_set(c->err, r, pr->path,
				    "the ruleset would hold more than %u "
				    "addresses (a rule that mixes a set with "
				    "other addresses holds a copy of it)",
				    RULESET_MAX_ELEMS);
	}
	return r;
}

static int compile_chain(struct compiler *c, enum direction d)
{
	/* Each row ends at its first IR_RULE (0). */
	static const enum ir_builtin builtins[DIR_COUNT][5] = {
		[DIR_EGRESS] = { IR_LOOPBACK, IR_ESTABLISHED, IR_INVALID,
				 IR_NEIGHBOUR },
		[DIR_INGRESS] = { IR_LOOPBACK_V4, IR_LOOPBACK_V6,
				  IR_ESTABLISHED, IR_INVALID, IR_NEIGHBOUR },
	};
	const struct policy_direction *pd = &c->policy->dir[d];
	struct ir_chain *chain = &c->rs->chains[d];
	struct ir_rule def = { .builtin = IR_RULE, .addr_set = -1,
			       .port_set = -1 };
	/* A match in deny wins over allow: deny rules come first. */
	enum verdict deny = pd->def == VERDICT_REJECT ? VERDICT_REJECT
						      : VERDICT_DROP;
	int r = 0;

	c->dir = d;
	chain->present = pd->present;
	if (!pd->present)
		return 0;
	for (size_t i = 0; r == 0 && i < ARRAY_SIZE(builtins[d]) &&
			   builtins[d][i] != IR_RULE; i++) {
		enum ir_builtin bi = builtins[d][i];
		struct ir_rule b = { .builtin = bi, .addr_set = -1,
				     .port_set = -1,
				     .verdict = bi == IR_INVALID ? IR_DROP
								 : IR_ACCEPT };

		r = add_rule(chain, &b);
	}
	c->list = "deny";
	for (c->index = 0; r == 0 && c->index < pd->ndeny; c->index++)
		r = compile_rule(c, chain, &pd->deny[c->index], deny);
	c->list = "allow";
	for (c->index = 0; r == 0 && c->index < pd->nallow; c->index++)
		r = compile_rule(c, chain, &pd->allow[c->index],
				 VERDICT_ACCEPT);
	if (r < 0)
		return r;
	snprintf(def.comment, sizeof(def.comment), "%s.default%s",
		 direction_names[d], audit_mark(c, pd->def));
	return add_verdict(c, chain, &def, pd->def, log_of(c, NULL));
}

void ruleset_free(struct ruleset *rs)
{
	for (size_t i = 0; i < rs->nsets; i++)
		interval_list_free(&rs->sets[i].elems);
	free(rs->sets);
	free(rs->symbols);
	for (int d = 0; d < DIR_COUNT; d++)
		free(rs->chains[d].rules);
	*rs = (struct ruleset){ 0 };
}

int ruleset_compile(const struct policy *p, const char *name,
		    const uint8_t sha256[SHA256_LEN], struct ruleset *ret,
		    struct fw_error *err)
{
	struct ruleset rs = { 0 };
	struct compiler c = { .policy = p, .rs = &rs, .err = err };
	char hex[17];
	int r;

	for (int i = 0; i < 8; i++)
		snprintf(hex + 2 * i, 3, "%02x", sha256[i]);
	/* nft comments hold 128 bytes: the name part stays short. */
	snprintf(rs.comment, sizeof(rs.comment), "%.64s sha256:%s%s", name, hex,
		 p->audit ? AUDIT_TABLE_MARK : "");
	snprintf(rs.log_id, sizeof(rs.log_id), "-");
	r = compile_policy_sets(&c);
	if (r == 0)
		r = compile_symbols(&c);
	for (int d = 0; r == 0 && d < DIR_COUNT; d++)
		r = compile_chain(&c, (enum direction)d);
	free(c.named_set[0]);
	free(c.named_set[1]);
	if (r < 0) {
		ruleset_free(&rs);
		return c.reported ? r
				  : fw_error_set(err, r, "",
						 "compiling the ruleset: %s",
						 strerror(-r));
	}
	*ret = rs;
	return 0;
}
