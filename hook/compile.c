// SPDX-License-Identifier: GPL-2.0-or-later
/* policy → ruleset: order-free semantics as one ordered chain per direction. */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "cleanup.h"
#include "ruleset.h"

struct compiler {
	const struct policy *policy;
	struct ruleset *rs;
	enum direction dir; /* of the chain being compiled */
	const char *list;   /* "deny" or "allow" */
	size_t index;	    /* of the rule in it */
	bool audit;	    /* the rule or default being compiled is audited */
	struct fw_error *err;
	bool reported; /* err already says what went wrong */
	int learn_dns[2]; /* the "dns" sets, when answers are learned; -1 */
	/* policy set index → its hash sets in the ruleset, per family */
	struct set_run *named_set[2];
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

	if (ARRAY_RESERVE(rs->sets, rs->sets_cap, rs->nsets, 8) < 0)
		return -ENOMEM;
	set = &rs->sets[rs->nsets];
	*set = (struct ir_set){ .type = type, .prefix = -1 };
	snprintf(set->name, sizeof(set->name), "%s", name);
	snprintf(set->source, sizeof(set->source), "%s", source);
	interval_list_init(&set->elems, type == SET_PROTO ? 1
					   : type == SET_PORT ? 2
					   : type == SET_IPV4 ? 4 : 16);
	*ret = (int)rs->nsets++;
	return elems ? set_fill(rs, set, elems) : 0;
}

static int add_rule(struct ir_chain *c, const struct ir_rule *rule)
{
	if (ARRAY_RESERVE(c->rules, c->cap, c->n, 16) < 0)
		return -ENOMEM;
	c->rules[c->n++] = *rule;
	return 0;
}

/* A rule that matches every packet, until its fields say otherwise. */
static struct ir_rule rule_new(enum ir_builtin builtin)
{
	return (struct ir_rule){ .builtin = builtin, .addr_set = -1,
				 .l4proto = PROTO_ANY, .port_set = -1,
				 .except_proto = PROTO_ANY, .except_set = -1 };
}

/* Policy sets become named sets "NAME_v4" / "NAME_v6", one per family
 * that has addresses, whether or not a rule uses them. */
static int add_prefix_set(struct ruleset *rs, const struct ir_set *whole,
			  unsigned int prefix, struct interval_list *elems)
{
	struct set_name sn;
	char name[SET_NAME_MAX];
	int r, idx;

	r = set_name_parse(whole->name, &sn);
	sn.by_prefix = true;
	sn.prefix = prefix;
	if (r == 0)
		r = set_name_format(&sn, name, sizeof(name));
	if (r == 0)
		r = ruleset_add_set(rs, name, whole->source, whole->type, NULL,
				    &idx);
	if (r < 0)
		return r;
	rs->sets[idx].prefix = (int)prefix;
	rs->sets[idx].elems = *elems; /* moved */
	interval_list_init(elems, elems->keylen);
	return 0;
}

/* Replaces the address set `idx`, the last one added, by the hash sets of
 * the normalized list `elems`, one per prefix length (ruleset.h): its own
 * elements, or a policy set's, split without a copy in between. */
static int split_by_prefix(struct ruleset *rs, int idx,
			   const struct interval_list *elems,
			   struct set_run *ret)
{
	struct ir_set whole = rs->sets[idx];
	unsigned int bits = 8 * whole.elems.keylen;
	struct interval_list *by_len = calloc(bits + 1, sizeof(*by_len));
	int r;

	if (!by_len)
		return -ENOMEM;
	for (unsigned int p = 0; p <= bits; p++)
		interval_list_init(&by_len[p], whole.elems.keylen);
	r = interval_split_prefixes(elems, by_len);
	rs->nsets--;
	rs->nelems -= whole.elems.n;
	interval_list_free(&whole.elems);
	*ret = (struct set_run){ .first = (int)rs->nsets };
	for (unsigned int p = 0; r == 0 && p <= bits; p++) {
		rs->nelems += by_len[p].n;
		if (rs->nelems > RULESET_MAX_ELEMS)
			r = -E2BIG;
		else if (by_len[p].n)
			r = add_prefix_set(rs, &whole, p, &by_len[p]);
	}
	for (unsigned int p = 0; p <= bits; p++)
		interval_list_free(&by_len[p]);
	free(by_len);
	ret->n = (int)rs->nsets - ret->first;
	return r;
}

static int compile_policy_sets(struct compiler *c)
{
	const struct policy *p = c->policy;
	char name[SET_NAME_MAX], source[48];
	int r;

	for (int fam = 0; fam < 2; fam++) {
		c->named_set[fam] = calloc(p->nsets + 1,
					   sizeof(*c->named_set[fam]));
		if (!c->named_set[fam])
			return -ENOMEM;
	}
	for (size_t i = 0; i < p->nsets; i++) {
		const struct interval_list *lists[2] = { &p->sets[i].v4,
							 &p->sets[i].v6 };

		for (int fam = 0; fam < 2; fam++) {
			int idx;

			if (lists[fam]->n == 0)
				continue;
			struct set_name sn = { .kind = SET_NAME_POLICY,
					       .family = fam };

			snprintf(sn.word, sizeof(sn.word), "%s", p->sets[i].name);
			snprintf(source, sizeof(source), "sets.%s",
				 p->sets[i].name);
			r = set_name_format(&sn, name, sizeof(name));
			if (r == 0)
				r = ruleset_add_set(c->rs, name, source,
						    fam ? SET_IPV6 : SET_IPV4,
						    NULL, &idx);
			if (r == 0)
				r = split_by_prefix(c->rs, idx, lists[fam],
						    &c->named_set[fam][i]);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

static int symbol_set(struct compiler *c, struct ir_symbol *sym,
		      struct set_name *sn, int *ret)
{
	struct ruleset *rs = c->rs;
	char name[SET_NAME_MAX];
	int r;

	r = set_name_format(sn, name, sizeof(name));
	if (r == 0)
		r = ruleset_add_set(rs, name, sym->sym.where,
				    sn->family ? SET_IPV6 : SET_IPV4, NULL, ret);
	if (r < 0)
		return r;
	rs->sets[*ret].learned = sn->kind == SET_NAME_LEARNED;
	snprintf(rs->sets[*ret].comment, COMMENT_MAX + 1, "%.100s%s",
		 sym->sym.name, sym->sym.required && !rs->sets[*ret].learned
				? SYMBOL_REQUIRED_MARK : "");
	return 0;
}

/* Each symbolic destination gets its sets whether or not it resolves:
 * `print` shows them empty, and the rules naming them load either way.
 * A name that an allow rule names gets learned sets too; a wildcard has
 * only those. */
static int compile_symbols(struct compiler *c)
{
	const struct policy *p = c->policy;
	struct ruleset *rs = c->rs;
	bool has_name = false, has_dns = false, names_only;
	size_t names = 0, learned = 0;
	int r = 0;

	for (size_t i = 0; i < p->nsymbols; i++) {
		has_name |= symbol_is_name(p->symbols[i].kind);
		has_dns |= p->symbols[i].kind == SYM_DNS;
	}
	names_only = has_name && !has_dns;
	rs->symbols = calloc(p->nsymbols + 1, sizeof(*rs->symbols));
	if (!rs->symbols)
		return -ENOMEM;
	for (size_t i = 0; r == 0 && i < p->nsymbols + names_only; i++) {
		struct ir_symbol *sym = &rs->symbols[rs->nsymbols++];

		if (i < p->nsymbols) {
			sym->sym = p->symbols[i];
		} else {
			sym->sym = (struct policy_symbol){ .kind = SYM_DNS,
							   .name = "dns" };
			sym->implicit = true;
		}
		for (int fam = 0; r == 0 && fam < 2; fam++) {
			struct set_name sn = { .kind = SET_NAME_SYMBOL,
					       .index = names, .family = fam };

			sym->set[fam] = sym->learn[fam] = -1;
			if (sym->sym.kind == SYM_NAME)
				sn.kind = SET_NAME_HOSTNAME;
			else
				snprintf(sn.word, sizeof(sn.word), "%s",
					 sym->sym.name);
			if (sym->sym.kind != SYM_WILDCARD)
				r = symbol_set(c, sym, &sn, &sym->set[fam]);
			sn.kind = SET_NAME_LEARNED;
			sn.index = learned;
			if (r == 0 && sym->sym.learned)
				r = symbol_set(c, sym, &sn, &sym->learn[fam]);
		}
		names += sym->sym.kind == SYM_NAME;
		learned += sym->sym.learned;
	}
	for (size_t i = 0; learned && i < rs->nsymbols; i++)
		if (rs->symbols[i].sym.kind == SYM_DNS)
			memcpy(c->learn_dns, rs->symbols[i].set,
			       sizeof(c->learn_dns));
	return r;
}

/* The set a rule's addresses and set references compile to for one family:
 * the policy set itself when the list is exactly one reference, else the
 * rule's own set holding the union.  -1 when the family has none. */
static int rule_addr_set(struct compiler *c, const struct policy_rule *pr,
			 int fam, struct set_run *ret)
{
	const struct interval_list *lit = fam ? &pr->v6 : &pr->v4;
	struct set_name sn = { .kind = SET_NAME_RULE, .dir = c->dir,
			       .index = c->index, .family = fam };
	char name[SET_NAME_MAX], source[48];
	struct ir_set *set;
	int r, idx = -1;

	*ret = (struct set_run){ 0 };
	if (pr->nrefs == 1 && lit->n == 0) {
		*ret = c->named_set[fam][pr->refs[0]];
		return 0;
	}
	if (pr->nrefs == 0 && lit->n == 0)
		return 0;
	/* The index is the rule's place in the composed policy. */
	snprintf(sn.word, sizeof(sn.word), "%s", c->list);
	snprintf(source, sizeof(source), "%s.%s", pr->path,
		 c->dir == DIR_INGRESS ? "from" : "to");
	r = set_name_format(&sn, name, sizeof(name));
	if (r == 0)
		r = ruleset_add_set(c->rs, name, source,
				    fam ? SET_IPV6 : SET_IPV4, lit, &idx);
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
	return split_by_prefix(c->rs, idx, &set->elems, ret);
}

/* One port stays a comparison, several become an anonymous set, as nft
 * itself builds them. */
static int rule_ports(struct compiler *c, const struct policy_rule *pr,
		      const struct interval_list *ports, struct ir_rule *rule)
{
	rule->port_set = -1;
	rule->has_port = ports->n == 1;
	if (ports->n == 1)
		rule->port = ports->v[0];
	if (ports->n <= 1)
		return 0;
	return ruleset_add_set(c->rs, "", pr->path, SET_PORT, ports,
			       &rule->port_set);
}

/* Whether a rule over every protocol leaves `proto` to other rules. */
static bool rule_excepts(const struct ruleset *rs, const struct ir_rule *rule,
			 uint8_t proto)
{
	const struct interval_list *l;

	if (rule->except_proto != PROTO_ANY)
		return rule->except_proto == proto;
	if (rule->except_set < 0)
		return false;
	l = &rs->sets[rule->except_set].elems;
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].lo[0] <= proto && proto <= l->v[i].hi[0])
			return true;
	return false;
}

/* A rule's own "log", else its direction's. */
static const struct policy_log *log_of(const struct compiler *c,
				       const struct policy_rule *pr)
{
	return pr && pr->log.set ? &pr->log : &c->policy->dir[c->dir].log;
}

static const char *audit_mark(const struct compiler *c, enum verdict v)
{
	if (!c->audit || v == VERDICT_ACCEPT)
		return "";
	return v == VERDICT_DROP ? AUDIT_MARK_DROP : AUDIT_MARK_REJECT;
}

/* What watch says a blocking rule does: its rule sends each packet it
 * blocks to NFLOG group WATCH_GROUP with a prefix naming the rule and the
 * action (names.h), in the same rule, so the set is looked up once.  With
 * no listener in the netns the kernel finds no instance for the group and
 * goes on to the verdict: every block has it, so that `watch` works on any
 * running container. */
static enum watch_action watch_action(const struct ir_rule *rule,
				      enum verdict v)
{
	bool audit = strncmp(rule->comment + rule->path_len, " [audit:",
			     strlen(" [audit:")) == 0;

	if (v == VERDICT_DROP)
		return audit ? WATCH_AUDIT_DROP : WATCH_DROP;
	return audit ? WATCH_AUDIT_REJECT : WATCH_REJECT;
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
		l.watch = WATCH_NONE;
		l.nflog = log->nflog;
		l.group = log->group;
		r = add_rule(chain, &l);
		if (r < 0)
			return r;
	}
	if (v != VERDICT_ACCEPT)
		rule->watch = (uint8_t)watch_action(rule, v);
	if (c->audit)
		v = VERDICT_ACCEPT;
	if (v != VERDICT_REJECT) {
		rule->verdict = v == VERDICT_ACCEPT ? IR_ACCEPT : IR_DROP;
		return add_rule(chain, rule);
	}
	if (rule->l4proto == PROTO_ANY &&
	    !rule_excepts(c->rs, rule, IPPROTO_TCP)) {
		struct ir_rule tcp = *rule;

		/* TCP is not among the except's protocols: drop them. */
		tcp.l4proto = IPPROTO_TCP;
		tcp.except_proto = PROTO_ANY;
		tcp.except_set = -1;
		tcp.verdict = IR_REJECT_TCP;
		r = add_rule(chain, &tcp);
		if (r < 0)
			return r;
	}
	rule->verdict = rule->l4proto == IPPROTO_TCP ? IR_REJECT_TCP
						     : IR_REJECT_ICMPX;
	return add_rule(chain, rule);
}

/*
 * A deny rule with an except is one nft rule for every protocol but the
 * except's, and one per except protocol with ports for the ports it does
 * not name (0 included: the except names exactly what it leaves alone).
 */
static int compile_except(struct compiler *c, struct ir_chain *chain,
			  const struct policy_rule *pr,
			  const struct ir_rule *rule, enum verdict v)
{
	_cleanup_(interval_list_free) struct interval_list protos;
	_cleanup_(interval_list_free) struct interval_list ports;
	struct ir_rule any = *rule;
	uint8_t key[2];
	int r = 0;

	interval_list_init(&protos, 1);
	interval_list_init(&ports, 2);
	for (size_t i = 0; r == 0 && i < pr->nexcept; i++) {
		key[0] = (uint8_t)pr->except[i].proto;
		r = interval_add(&protos, key, key);
	}
	if (r < 0)
		return r;
	interval_normalize(&protos);
	if (protos.n == 1 && !memcmp(protos.v[0].lo, protos.v[0].hi, 1))
		any.except_proto = protos.v[0].lo[0];
	else
		r = ruleset_add_set(c->rs, "", pr->path, SET_PROTO, &protos,
				    &any.except_set);
	if (r == 0)
		r = add_verdict(c, chain, &any, v, log_of(c, pr));
	for (size_t i = 0; r == 0 && i < pr->nexcept; i++) {
		struct ir_rule one = *rule;
		int proto = pr->except[i].proto;
		bool first = true, whole = false;

		/* One rule per protocol, at its first entry. */
		for (size_t j = 0; j < pr->nexcept; j++) {
			if (pr->except[j].proto != proto)
				continue;
			first &= j >= i;
			whole |= pr->except[j].ports.n == 0;
		}
		if (!first || whole)
			continue;
		ports.n = 0;
		for (size_t j = 0; r == 0 && j < pr->nexcept; j++)
			if (pr->except[j].proto == proto)
				r = interval_append_list(&ports,
							 &pr->except[j].ports);
		if (r < 0)
			return r;
		one.l4proto = proto;
		r = interval_complement(&ports);
		if (r == 0)
			r = rule_ports(c, pr, &ports, &one);
		if (r == 0)
			r = add_verdict(c, chain, &one, v, log_of(c, pr));
	}
	return r;
}

/* One nft rule (two for a protocol-less reject) matching `addr_set`; DNS
 * without a protocol is one rule for tcp and one for udp. */
static int compile_match(struct compiler *c, struct ir_chain *chain,
			 const struct policy_rule *pr, int addr_set,
			 enum verdict v)
{
	static const uint8_t dns_protos[] = { IPPROTO_UDP, IPPROTO_TCP };
	struct ir_rule rule = rule_new(IR_RULE);
	bool both = pr->dns_ports && pr->proto == PROTO_ANY;
	int r;

	rule.addr_set = addr_set;
	rule.l4proto = pr->proto;
	/* A composed policy's path may leave the comment less room: the
	 * path is what matters, the user's words are cut. */
	snprintf(rule.comment, sizeof(rule.comment), "%s%s%s%s", pr->path,
		 audit_mark(c, v), pr->comment[0] ? ": " : "", pr->comment);
	rule.path_len = (uint8_t)strlen(pr->path);
	if (pr->nexcept)
		return compile_except(c, chain, pr, &rule, v);
	for (size_t i = 0; i < (both ? 2 : 1); i++) {
		struct ir_rule one = rule;

		if (both)
			one.l4proto = dns_protos[i];
		r = rule_ports(c, pr, &pr->ports, &one);
		if (r == 0)
			r = add_verdict(c, chain, &one, v, log_of(c, pr));
		if (r < 0)
			return r;
	}
	return 0;
}

/* A rule with addresses becomes one rule per family and prefix length. */
static int compile_rule(struct compiler *c, struct ir_chain *chain,
			const struct policy_rule *pr, enum verdict v)
{
	static const uint8_t other_family_proto[2] = { IPPROTO_ICMPV6,
						       IPPROTO_ICMP };
	struct set_run run;
	int r = 0;

	if (!pr->has_addrs)
		return compile_match(c, chain, pr, -1, v);
	for (int fam = 0; r == 0 && fam < 2; fam++) {
		if (pr->proto == other_family_proto[fam])
			continue;
		r = rule_addr_set(c, pr, fam, &run);
		for (int i = 0; r == 0 && i < run.n; i++)
			r = compile_match(c, chain, pr, run.first + i, v);
		for (size_t i = 0; r == 0 && i < pr->nsyms; i++) {
			const struct ir_symbol *sym =
				&c->rs->symbols[pr->syms[i]];

			if (sym->set[fam] >= 0)
				r = compile_match(c, chain, pr, sym->set[fam], v);
			/* a deny rule never waits for what the container asks */
			if (r == 0 && sym->learn[fam] >= 0 && v == VERDICT_ACCEPT)
				r = compile_match(c, chain, pr, sym->learn[fam], v);
		}
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

/*
 * The built-in rules.  Egress first drops what leaves with a source address
 * that is not the namespace's own: a process needs no capability to send
 * from a foreign address (IPV6_FREEBIND), and such a datagram over "lo"
 * would answer the hook's DNS queries as the nameserver or leave conntrack
 * an entry whose reply direction is a flow the policy denies.  It drops
 * before conntrack confirms the entry, so none is left.  Neighbour
 * discovery and MLD go before it: the kernel sends duplicate address
 * detection and its listener reports from "::", which no unprivileged
 * socket can send from (ND and MLD types neither).
 */
static const enum ir_builtin egress_builtins[] = {
	IR_NEIGHBOUR, IR_MLD, IR_SPOOFED, IR_LOOPBACK, IR_ESTABLISHED, IR_INVALID
};
/* Ingress accepts loopback only to loopback addresses: rootless port
 * forwarders deliver published ports over lo to the container's own
 * address, and those meet the ingress rules. */
static const enum ir_builtin ingress_builtins[] = {
	IR_LOOPBACK_V4, IR_LOOPBACK_V6, IR_ESTABLISHED, IR_INVALID, IR_NEIGHBOUR,
	IR_MLD
};

/* DNS answers from the container's nameservers, over udp and tcp, go to
 * the learner before conntrack's established rule could accept them;
 * after the loopback rules: a nameserver on the container's own loopback
 * is the container's, and teaches nothing. */
static int add_learn(struct compiler *c, struct ir_chain *chain)
{
	static const uint8_t protos[] = { IPPROTO_UDP, IPPROTO_TCP };
	int r = 0;

	for (int fam = 0; r == 0 && fam < 2; fam++)
		for (size_t i = 0; r == 0 && i < ARRAY_SIZE(protos); i++) {
			struct ir_rule rule = rule_new(IR_LEARN);

			rule.addr_set = c->learn_dns[fam];
			rule.l4proto = protos[i];
			rule.has_port = rule.sport = true;
			rule.port.lo[1] = rule.port.hi[1] = 53;
			rule.verdict = IR_QUEUE;
			r = add_rule(chain, &rule);
		}
	return r;
}

/* A policy without egress still gets the egress chain's rules up to the
 * spoofing one, and no default: the chain's policy accepts the rest.
 * Ingress without rules of its own still queues DNS answers when names
 * are learned. */
#define EGRESS_ALWAYS 3
#define INGRESS_LOOPBACK 2
static int add_builtins(struct compiler *c, struct ir_chain *chain,
			enum direction d, bool present)
{
	const enum ir_builtin *b = d == DIR_EGRESS ? egress_builtins
						   : ingress_builtins;
	size_t n = d == DIR_EGRESS ? ARRAY_SIZE(egress_builtins)
				   : ARRAY_SIZE(ingress_builtins);
	bool learn = d == DIR_INGRESS && c->learn_dns[0] >= 0;
	int r = 0;

	if (!present)
		n = d == DIR_EGRESS ? EGRESS_ALWAYS
				    : learn ? INGRESS_LOOPBACK : 0;
	for (size_t i = 0; r == 0 && i < n; i++) {
		struct ir_rule rule = rule_new(b[i]);

		rule.verdict = b[i] == IR_INVALID || b[i] == IR_SPOOFED
				       ? IR_DROP
				       : IR_ACCEPT;
		r = add_rule(chain, &rule);
		if (r == 0 && learn && i + 1 == INGRESS_LOOPBACK)
			r = add_learn(c, chain);
	}
	chain->present = chain->n > 0;
	return r;
}

static int compile_chain(struct compiler *c, enum direction d)
{
	const struct policy_direction *pd = &c->policy->dir[d];
	struct ir_chain *chain = &c->rs->chains[d];
	struct ir_rule def = rule_new(IR_RULE);
	/* A match in deny wins over allow: deny rules come first. */
	enum verdict deny = pd->def == VERDICT_REJECT ? VERDICT_REJECT
						      : VERDICT_DROP;
	int r;

	c->dir = d;
	r = add_builtins(c, chain, d, pd->present);
	if (r < 0 || !pd->present)
		return r;
	/* An audited deny accepts: enforced ones go first, so that a deny
	 * still wins over it. */
	c->list = "deny";
	for (int pass = 0; pass < 2; pass++)
		for (c->index = 0; r == 0 && c->index < pd->ndeny; c->index++) {
			c->audit = pd->deny[c->index].audit;
			if (c->audit == (pass == 1))
				r = compile_rule(c, chain, &pd->deny[c->index],
						 deny);
		}
	c->audit = false;
	c->list = "allow";
	for (c->index = 0; r == 0 && c->index < pd->nallow; c->index++)
		r = compile_rule(c, chain, &pd->allow[c->index],
				 VERDICT_ACCEPT);
	if (r < 0)
		return r;
	c->audit = pd->def_audit;
	snprintf(def.comment, sizeof(def.comment), "%s.default%s",
		 direction_names[d], audit_mark(c, pd->def));
	def.path_len = (uint8_t)strlen(def.comment) -
		       (uint8_t)strlen(audit_mark(c, pd->def));
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

int ruleset_compile(const struct policy *p, const struct ruleset_meta *m,
		    struct ruleset *ret, struct fw_error *err)
{
	struct ruleset rs = { 0 };
	struct compiler c = { .policy = p, .rs = &rs, .err = err,
			      .learn_dns = { -1, -1 } };
	struct table_comment *t = &rs.table;
	int r;

	snprintf(t->name, sizeof(t->name), "%s", m->name);
	table_digest_hex(m->sha256, t->sha256);
	table_digest_hex(m->origin, t->origin);
	t->audit = policy_mode_summary(p) == MODE_AUDIT;
	t->mixed = policy_mode_summary(p) == MODE_MIXED;
	t->is_default = m->is_default;
	table_comment_format(t, rs.comment, sizeof(rs.comment));
	/* Log lines name the container; its id comes from the runtime, but
	 * only what an id is made of reaches the kernel log. */
	snprintf(rs.log_id, sizeof(rs.log_id), "%s",
		 m->log_id && m->log_id[0] ? m->log_id : "-");
	name_sanitize(rs.log_id);
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
