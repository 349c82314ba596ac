// SPDX-License-Identifier: GPL-2.0-or-later
/* Composition: a policy with its includes, or fw.policy=a,b, as one policy. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "compose.h"
#include "list.h"
#include "policy_file.h"
#include "sha256.h"

/* One file of the composition, parsed, in the order rules are merged. */
struct part {
	char name[POLICY_NAME_MAX + 1];
	char path[PATH_MAX];
	uint8_t sha256[32];
	enum policy_mode mode; /* its rules' where they have none of their own */
	struct policy policy;
};

struct composer {
	const struct policy_lookup *l;
	struct part *parts; /* grown as files come: most compositions are one */
	size_t nparts, parts_cap;
	const char *stack[COMPOSE_MAX_DEPTH + 1]; /* resolved paths */
	const char *names[COMPOSE_MAX_DEPTH + 1]; /* as named, for errors */
	enum policy_mode modes[COMPOSE_MAX_DEPTH + 1]; /* each file's, there */
	size_t depth;
	/* The files the spec names, in its order, a file named twice too */
	uint8_t origins[COMPOSE_MAX_FILES][32];
	char named[POLICY_NAME_MAX + 1]; /* the last one's name */
	size_t nnamed;
	struct fw_error *err;
};

static int fail_cycle(struct composer *c, const char *name)
{
	char chain[192] = "";
	size_t used = 0;

	for (size_t i = 0; i < c->depth && used < sizeof(chain); i++)
		used += snprintf(chain + used, sizeof(chain) - used, "%s → ",
				 c->names[i]);
	return fw_error_set(c->err, -ELOOP, "include",
			    "include cycle: %s%s", chain, name);
}

/* A file the spec names: what the table comment says of it. */
static int add_named(struct composer *c, const struct policy_file *f)
{
	if (c->nnamed == COMPOSE_MAX_FILES)
		return fw_error_set(c->err, -E2BIG, "", "more than %d policies "
				    "in one list", COMPOSE_MAX_FILES);
	sha256(f->found, strlen(f->found), c->origins[c->nnamed++]);
	snprintf(c->named, sizeof(c->named), "%s", f->name);
	return 0;
}

/*
 * The mode a file's rules take where they say none: what the include entry
 * that reached it says, else the file's own "mode", else its includer's
 * (so "mode": "audit" over includes audits them too), else enforce.
 */
static enum policy_mode file_mode(const struct composer *c,
				  const struct policy *p, enum policy_mode entry)
{
	if (entry != MODE_UNSET)
		return entry;
	if (p->mode != MODE_UNSET)
		return p->mode;
	return c->depth ? c->modes[c->depth - 1] : MODE_ENFORCE;
}

/* A file reached twice counts once, and enforces if either way does. */
static void reached_again(struct part *part, enum policy_mode mode)
{
	if (mode == MODE_ENFORCE && part->mode == MODE_AUDIT) {
		part->mode = MODE_ENFORCE;
		policy_modes_resolve(&part->policy, MODE_ENFORCE);
	}
}

/*
 * Depth first: a file's includes are merged before its own rules, like C's
 * #include.  A file reached twice (two includes of no-lan) counts once; a
 * file that includes itself, however indirectly, is an error.
 */
static int load(struct composer *c, const char *name, enum policy_mode entry)
{
	struct policy_file f = { 0 };
	struct policy p = { 0 };
	struct part *part;
	int r;

	if (c->depth > COMPOSE_MAX_DEPTH)
		return fw_error_set(c->err, -ELOOP, "include", "includes nest "
				    "more than %d deep", COMPOSE_MAX_DEPTH);
	r = policy_file_load(name, c->l, &f, c->err);
	/* What an include names is the including file's business: no name
	 * it holds is the annotation's fault. */
	if (r < 0 && c->depth > 0 && c->err)
		c->err->cls = FW_CLASS_POLICY;
	if (r == 0 && c->depth == 0)
		r = add_named(c, &f);
	if (r == 0)
		r = policy_parse(f.data, f.len, &p, c->err);
	policy_file_free(&f);
	if (r < 0)
		return r;
	for (size_t i = 0; i < c->depth; i++)
		if (strcmp(c->stack[i], f.path) == 0) {
			policy_free(&p);
			return fail_cycle(c, name);
		}
	for (size_t i = 0; i < c->nparts; i++)
		if (strcmp(c->parts[i].path, f.path) == 0) {
			reached_again(&c->parts[i], file_mode(c, &p, entry));
			policy_free(&p);
			return 0;
		}
	c->modes[c->depth] = file_mode(c, &p, entry);
	policy_modes_resolve(&p, c->modes[c->depth]);
	c->stack[c->depth] = f.path;
	c->names[c->depth++] = name;
	for (size_t i = 0; r == 0 && i < p.nincludes; i++) {
		r = load(c, p.includes[i], p.include_modes[i]);
		/* A missing include is the including file's mistake. */
		if (r == -ENOENT && c->err && !c->err->where[0]) {
			char where[32];

			snprintf(where, sizeof(where), "include[%zu]", i);
			fw_error_set_file(c->err, f.path);
			snprintf(c->err->where, sizeof(c->err->where), "%s",
				 where);
		}
	}
	c->depth--;
	if (r == 0 && c->nparts == COMPOSE_MAX_FILES)
		r = fw_error_set(c->err, -E2BIG, "include", "more than %d "
				 "policy files in one composition",
				 COMPOSE_MAX_FILES);
	if (r < 0) {
		policy_free(&p);
		return r;
	}
	if (ARRAY_RESERVE(c->parts, c->parts_cap, c->nparts, 2) < 0) {
		policy_free(&p);
		return fw_error_set(c->err, -ENOMEM, "", "out of memory");
	}
	part = &c->parts[c->nparts++];
	part->mode = c->modes[c->depth];
	snprintf(part->name, sizeof(part->name), "%s", f.name);
	snprintf(part->path, sizeof(part->path), "%s", f.path);
	memcpy(part->sha256, f.sha256, sizeof(part->sha256));
	part->policy = p;
	return 0;
}

static bool lists_equal(const struct interval_list *a,
			const struct interval_list *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (memcmp(a->v[i].lo, b->v[i].lo, a->keylen) != 0 ||
		    memcmp(a->v[i].hi, b->v[i].hi, a->keylen) != 0)
			return false;
	return true;
}

/* The part that brought set `name` in, for the error naming both. */
static const char *set_origin(const struct composer *c, const char *name)
{
	for (size_t i = 0; i < c->nparts; i++)
		for (size_t j = 0; j < c->parts[i].policy.nsets; j++)
			if (strcmp(c->parts[i].policy.sets[j].name, name) == 0)
				return c->parts[i].name;
	return "?";
}

/* Sets merge by name: the same name must mean the same addresses. */
static int oom(struct composer *c)
{
	return fw_error_set(c->err, -ENOMEM, "", "out of memory");
}

static int merge_sets(struct composer *c, struct policy *out,
		      struct part *part, size_t *map)
{
	struct policy *in = &part->policy;

	for (size_t i = 0; i < in->nsets; i++) {
		struct policy_set *set = &in->sets[i], *v;
		size_t j;

		for (j = 0; j < out->nsets; j++)
			if (strcmp(out->sets[j].name, set->name) == 0)
				break;
		map[i] = j;
		if (j < out->nsets) {
			if (lists_equal(&out->sets[j].v4, &set->v4) &&
			    lists_equal(&out->sets[j].v6, &set->v6))
				continue;
			fw_error_set_file(c->err, part->path);
			return fw_error_set(c->err, -EINVAL, "sets", "\"%s\" is "
					    "also defined, differently, by %s "
					    "(one name, one set of addresses)",
					    set->name, set_origin(c, set->name));
		}
		v = reallocarray(out->sets, out->nsets + 1, sizeof(*v));
		if (!v)
			return oom(c);
		out->sets = v;
		out->sets[out->nsets++] = *set;
		/* The copy owns the addresses now; the name stays for
		 * set_origin(). */
		interval_list_init(&set->v4, 4);
		interval_list_init(&set->v6, 16);
	}
	return 0;
}

static int merge_symbols(struct composer *c, struct policy *out,
			 struct part *part, size_t *map)
{
	struct policy *in = &part->policy;
	size_t names = 0;

	for (size_t j = 0; j < out->nsymbols; j++)
		names += symbol_is_name(out->symbols[j].kind);
	for (size_t i = 0; i < in->nsymbols; i++) {
		struct policy_symbol *sym = &in->symbols[i], *v;
		size_t j;

		for (j = 0; j < out->nsymbols; j++)
			if (out->symbols[j].kind == sym->kind &&
			    strcmp(out->symbols[j].name, sym->name) == 0)
				break;
		map[i] = j;
		if (j < out->nsymbols) {
			out->symbols[j].required |= sym->required;
			out->symbols[j].learned |= sym->learned;
			continue;
		}
		if (symbol_is_name(sym->kind) && ++names > POLICY_MAX_NAMES) {
			fw_error_set_file(c->err, part->path);
			return fw_error_set(c->err, -E2BIG, sym->where,
					    "more than %d hostnames in the "
					    "composition (each is resolved at "
					    "start)", POLICY_MAX_NAMES);
		}
		v = reallocarray(out->symbols, out->nsymbols + 1, sizeof(*v));
		if (!v)
			return oom(c);
		out->symbols = v;
		out->symbols[out->nsymbols] = *sym;
		snprintf(out->symbols[out->nsymbols].where,
			 sizeof(sym->where), "%s:%s", part->name, sym->where);
		out->nsymbols++;
	}
	return 0;
}

/* Moves `n` rules to the end of *dst, renumbering their set and symbol
 * references and naming their file in their path. */
static int merge_rules(struct policy_rule **dst, size_t *ndst,
		       struct policy_rule *src, size_t n, const char *file,
		       const size_t *set_map, const size_t *sym_map)
{
	struct policy_rule *v;
	char path[sizeof(src->path)];

	if (n == 0)
		return 0;
	v = reallocarray(*dst, *ndst + n, sizeof(*v));
	if (!v)
		return -ENOMEM;
	*dst = v;
	for (size_t i = 0; i < n; i++) {
		struct policy_rule *rule = &v[(*ndst)++];

		*rule = src[i];
		src[i] = (struct policy_rule){ 0 };
		for (size_t k = 0; k < rule->nrefs; k++)
			rule->refs[k] = set_map[rule->refs[k]];
		for (size_t k = 0; k < rule->nsyms; k++)
			rule->syms[k] = sym_map[rule->syms[k]];
		snprintf(path, sizeof(path), "%s:%s", file, rule->path);
		memcpy(rule->path, path, sizeof(path));
	}
	return 0;
}

/*
 * The default is the strictest (reject, then drop, then accept) of the
 * parts' that enforce; an audited part's stricter default is audited on
 * top of an enforced accept, so auditing a file never blocks more, and
 * never lets an enforced block through.
 */
static void merge_default(struct policy_direction *o,
			  const struct policy_direction *i)
{
	const struct policy_direction *enforced = o->def_audit ? i : o,
				      *audited = o->def_audit ? o : i;

	if (!o->present || o->def_audit == i->def_audit) {
		if (!o->present || i->def > o->def)
			o->def = i->def;
		o->def_audit = i->def_audit;
		return;
	}
	if (enforced->def != VERDICT_ACCEPT || audited->def == VERDICT_ACCEPT) {
		o->def = enforced->def;
		o->def_audit = false;
	} else {
		o->def = audited->def;
		o->def_audit = true;
	}
}

/* Unions of denies and allows, each rule in the mode its file has here;
 * the defaults as merge_default() says; a direction logs when a part logs
 * it. */
static int merge(struct composer *c, struct policy *out, struct part *part)
{
	struct policy *in = &part->policy;
	size_t *set_map = calloc(in->nsets + 1, sizeof(size_t));
	size_t *sym_map = calloc(in->nsymbols + 1, sizeof(size_t));
	int r = set_map && sym_map ? 0 : oom(c);

	if (r == 0)
		r = merge_sets(c, out, part, set_map);
	if (r == 0)
		r = merge_symbols(c, out, part, sym_map);
	for (int d = 0; r == 0 && d < DIR_COUNT; d++) {
		struct policy_direction *o = &out->dir[d], *i = &in->dir[d];

		if (!i->present)
			continue;
		merge_default(o, i);
		if (!o->log.on && i->log.on)
			o->log = i->log;
		o->present = true;
		if (merge_rules(&o->deny, &o->ndeny, i->deny, i->ndeny,
				part->name, set_map, sym_map) < 0 ||
		    merge_rules(&o->allow, &o->nallow, i->allow, i->nallow,
				part->name, set_map, sym_map) < 0)
			r = oom(c);
	}
	free(set_map);
	free(sym_map);
	return r;
}

static int merge_all(struct composer *c, struct composed *ret)
{
	uint8_t digests[COMPOSE_MAX_FILES][32];
	int r = 0;

	if (c->nnamed == 1)
		memcpy(ret->origin, c->origins[0], sizeof(ret->origin));
	else
		sha256(c->origins, 32 * c->nnamed, ret->origin);
	ret->nfiles = c->nparts;
	if (c->nparts == 1) {
		/* One file: its own rule paths and its own digest. */
		ret->policy = c->parts[0].policy;
		c->parts[0].policy = (struct policy){ 0 };
		memcpy(ret->sha256, c->parts[0].sha256, sizeof(ret->sha256));
		return 0;
	}
	for (size_t i = 0; r == 0 && i < c->nparts; i++) {
		memcpy(digests[i], c->parts[i].sha256, 32);
		r = merge(c, &ret->policy, &c->parts[i]);
	}
	sha256(digests, 32 * c->nparts, ret->sha256);
	return r;
}

int policy_compose(const char *spec, const struct policy_lookup *l,
		   struct composed *ret, struct fw_error *err)
{
	struct composer *c = calloc(1, sizeof(*c));
	char name[PATH_MAX];
	size_t n, used = 0;
	int r = c ? 0 : fw_error_set(err, -ENOMEM, "", "out of memory");

	*ret = (struct composed){ 0 };
	for (const char *p = spec, *next; r == 0 && *p; p = next) {
		next = list_item(p, &n);
		snprintf(name, sizeof(name), "%.*s", (int)n, p);
		c->l = l;
		c->err = err;
		fw_error_set_file(err, spec);
		r = n ? load(c, name, MODE_UNSET)
		      : fw_error_class(err, FW_CLASS_ANNOTATION,
				       fw_error_set(err, -EINVAL, "",
						    "an empty name in the "
						    "list of policies"));
		if (r == 0)
			used += (size_t)snprintf(ret->name + used,
						 sizeof(ret->name) - used,
						 "%s%s", used ? "," : "",
						 c->named);
		if (used >= sizeof(ret->name))
			used = sizeof(ret->name) - 1;
	}
	if (r == 0 && c->nparts == 0)
		r = fw_error_class(
		    err, FW_CLASS_ANNOTATION,
		    fw_error_set(err, -EINVAL, "", "no policy named"));
	if (r == 0)
		r = merge_all(c, ret);
	for (size_t i = 0; c && i < c->nparts; i++)
		policy_free(&c->parts[i].policy);
	if (c)
		free(c->parts);
	free(c);
	if (r < 0)
		composed_free(ret);
	return r;
}

void composed_free(struct composed *c)
{
	policy_free(&c->policy);
}
