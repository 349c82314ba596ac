// SPDX-License-Identifier: GPL-2.0-or-later
/* The policy language, version 1: a plain C model and its validating parser. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr_lists.h"
#include "cleanup.h"
#include "json_strict.h"
#include "policy.h"
#include "policy_file.h"

const char *const direction_names[DIR_COUNT] = { "egress", "ingress" };

/* A set by name: one lookup per @ref, and a list may hold millions. */
struct set_entry {
	const char *name;
	size_t idx; /* in policy.sets */
	size_t pos; /* where it last went into a rule's refs */
};

struct parser {
	struct policy *policy;
	enum direction dir; /* of the rules being parsed */
	bool allow;	    /* they are allow rules */
	size_t naddrs;
	struct set_entry *sets_by_name; /* sorted by name */
	struct addr_lists lists;	/* taken from the document */
	struct fw_error *err;
};

/* Handles one member of an object; `target` is what the object fills. */
typedef int (*member_fn)(struct parser *ps, struct json_object *val,
			 const char *path, void *target);

struct member {
	const char *key;
	member_fn parse;
};

static void path_join(char *buf, size_t len, const char *path, const char *key)
{
	snprintf(buf, len, "%s%s%s", path, path[0] ? "." : "", key);
}

static void path_index(char *buf, size_t len, const char *path, size_t i)
{
	snprintf(buf, len, "%s[%zu]", path, i);
}

static int fail(struct parser *ps, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(struct parser *ps, const char *path, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fw_error_setv(ps->err, -EINVAL, path, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* Levenshtein distance, for "did you mean" hints on short keys. */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[33];

	if (la > 32 || lb > 32)
		return SIZE_MAX;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[lb];
}

static int fail_unknown_key(struct parser *ps, const char *path,
			    const char *key, const struct member *m, size_t n)
{
	const char *best = NULL;
	size_t best_dist = 3, used = 0;
	char known[256] = "";

	for (size_t i = 0; i < n; i++) {
		size_t d = edit_distance(key, m[i].key);

		if (d < best_dist) {
			best = m[i].key;
			best_dist = d;
		}
		if (used < sizeof(known))
			used += snprintf(known + used, sizeof(known) - used,
					 "%s\"%s\"", used ? ", " : "", m[i].key);
	}
	if (best)
		return fail(ps, path, "unknown key (did you mean \"%s\"?)", best);
	return fail(ps, path, "unknown key (expected one of %s)", known);
}

/* Dispatches each member of `obj` to its handler; a NULL handler marks a key
 * that is valid here but was handled before (like "sets"). */
static int parse_members(struct parser *ps, struct json_object *obj,
			 const char *path, const struct member *m, size_t n,
			 void *target)
{
	char sub[128];
	size_t i;
	int r;

	if (!json_object_is_type(obj, json_type_object))
		return fail(ps, path, "expected an object");
	json_object_object_foreach(obj, key, val)
	{
		path_join(sub, sizeof(sub), path, key);
		for (i = 0; i < n && strcmp(m[i].key, key) != 0; i++)
			;
		if (i == n)
			return fail_unknown_key(ps, sub, key, m, n);
		if (m[i].parse && (r = m[i].parse(ps, val, sub, target)) < 0)
			return r;
	}
	return 0;
}

static int expect_string(struct parser *ps, struct json_object *val,
			 const char *path, const char **ret)
{
	if (!json_object_is_type(val, json_type_string))
		return fail(ps, path, "expected a string");
	*ret = json_object_get_string(val);
	return 0;
}

/* Arrays must not be empty: a template that emptied a list must not turn a
 * rule into one that matches everything. */
static int expect_array(struct parser *ps, struct json_object *val,
			const char *path, size_t max, size_t *ret_len)
{
	size_t len;

	if (!json_object_is_type(val, json_type_array))
		return fail(ps, path, "expected an array");
	len = json_object_array_length(val);
	if (len == 0)
		return fail(ps, path, "empty list (leave the key out instead)");
	if (len > max)
		return fail(ps, path, "%zu entries; at most %zu are allowed",
			    len, max);
	*ret_len = len;
	return 0;
}

static int parse_string_ignored(struct parser *ps, struct json_object *val,
				const char *path, void *target)
{
	const char *s = NULL;

	(void)target;
	return expect_string(ps, val, path, &s);
}

/* --- addresses --------------------------------------------------------- */

static int add_address(struct parser *ps, const char *s, const char *path,
		       struct interval_list *v4, struct interval_list *v6)
{
	struct interval iv;
	char why[160];
	int family;

	if (++ps->naddrs > POLICY_MAX_ADDRESSES)
		return fail(ps, path, "more than %u addresses in the policy",
			    POLICY_MAX_ADDRESSES);
	if (cidr_parse(s, &family, &iv, why, sizeof(why)) < 0)
		return fail(ps, path, "%s", why);
	if (interval_add(family == AF_INET ? v4 : v6, iv.lo, iv.hi) < 0)
		return -ENOMEM;
	return 0;
}

static int set_entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct set_entry *)a)->name,
		      ((const struct set_entry *)b)->name);
}

static int index_sets(struct parser *ps)
{
	const struct policy *p = ps->policy;

	ps->sets_by_name = calloc(p->nsets + 1, sizeof(*ps->sets_by_name));
	if (!ps->sets_by_name)
		return -ENOMEM;
	for (size_t i = 0; i < p->nsets; i++)
		ps->sets_by_name[i] = (struct set_entry){ p->sets[i].name, i,
							  SIZE_MAX };
	qsort(ps->sets_by_name, p->nsets, sizeof(*ps->sets_by_name),
	      set_entry_cmp);
	return 0;
}

/* A rule names each set once in refs, however often its list repeats it.
 * Rules are parsed one after the other, so the set's last position is in
 * this rule's refs if the set is. */
static int add_set_ref(struct parser *ps, struct policy_rule *rule,
		       const char *name, const char *path)
{
	struct set_entry key = { .name = name }, *e = NULL;
	size_t *refs;

	if (ps->sets_by_name)
		e = bsearch(&key, ps->sets_by_name, ps->policy->nsets,
			    sizeof(*e), set_entry_cmp);
	if (!e)
		return fail(ps, path, "@%s is not defined in \"sets\"", name);
	if (e->pos < rule->nrefs && rule->refs[e->pos] == e->idx)
		return 0;
	refs = reallocarray(rule->refs, rule->nrefs + 1, sizeof(*refs));
	if (!refs)
		return -ENOMEM;
	rule->refs = refs;
	e->pos = rule->nrefs;
	rule->refs[rule->nrefs++] = e->idx;
	return 0;
}

static const char *const symbol_words[] = {
	[SYM_DNS] = "dns", [SYM_HOST] = "host", [SYM_GATEWAY] = "gateway",
};

/* Letters, digits, '-' and '_' in dot-separated labels of 1-63 bytes, at
 * most 253 in all, the last label not only digits (that is a mistyped
 * address).  A final dot is dropped. */
static bool hostname_valid(const char *s, char *ret)
{
	size_t len = strlen(s), label = 0;
	bool digits_only = true;

	if (len && s[len - 1] == '.')
		len--;
	if (len == 0 || len > HOSTNAME_MAX || !memchr(s, '.', len))
		return false;
	for (size_t i = 0; i <= len; i++) {
		char ch = i < len ? s[i] : '.';

		if (ch == '.') {
			if (label == 0 || label > 63 || s[i - 1] == '-')
				return false;
			label = 0;
			if (i < len) {
				ret[i] = '.';
				digits_only = true;
			}
			continue;
		}
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789-_", ch) || (label == 0 && ch == '-'))
			return false;
		digits_only &= ch >= '0' && ch <= '9';
		ret[i] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
		label++;
	}
	ret[len] = '\0';
	return !digits_only;
}

/* One symbol per destination, however many rules name it. */
static int add_symbol(struct parser *ps, struct policy_rule *rule,
		      enum symbol_kind kind, const char *name, const char *path)
{
	struct policy *p = ps->policy;
	struct policy_symbol *sym;
	size_t idx, *syms, names = 0;

	for (idx = 0; idx < p->nsymbols; idx++) {
		names += symbol_is_name(p->symbols[idx].kind);
		if (p->symbols[idx].kind == kind &&
		    strcmp(p->symbols[idx].name, name) == 0)
			break;
	}
	if (idx == p->nsymbols) {
		if (symbol_is_name(kind) && names == POLICY_MAX_NAMES)
			return fail(ps, path, "more than %d hostnames in the "
				    "policy (each is resolved at start)",
				    POLICY_MAX_NAMES);
		sym = reallocarray(p->symbols, p->nsymbols + 1, sizeof(*sym));
		if (!sym)
			return -ENOMEM;
		p->symbols = sym;
		sym = &p->symbols[p->nsymbols++];
		*sym = (struct policy_symbol){ .kind = kind };
		snprintf(sym->name, sizeof(sym->name), "%s", name);
		snprintf(sym->where, sizeof(sym->where), "%s", path);
	}
	p->symbols[idx].learned |= ps->allow && symbol_is_name(kind);
	for (size_t i = 0; i < rule->nsyms; i++)
		if (rule->syms[i] == idx)
			return 0;
	syms = reallocarray(rule->syms, rule->nsyms + 1, sizeof(*syms));
	if (!syms)
		return -ENOMEM;
	rule->syms = syms;
	rule->syms[rule->nsyms++] = idx;
	return 0;
}

/* "*.example.com": the names under an apex that is itself a hostname
 * with a dot (learn_match.h says which), in allow rules only: nothing
 * resolves a wildcard ahead, and a deny rule must not wait for the
 * container to ask (README: hostname rules). */
static int parse_wildcard(struct parser *ps, struct policy_rule *rule,
			  const char *s, const char *path)
{
	char name[HOSTNAME_MAX + 2];

	if (strlen(s) > HOSTNAME_MAX || !hostname_valid(s + 2, name + 2))
		return fail(ps, path, "\"%.64s\" is no wildcard: \"*.\" then "
			    "a hostname with a dot (\"*.example.com\")", s);
	if (!ps->allow)
		return fail(ps, path, "a wildcard admits names as the "
			    "container's DNS answers give them: allow rules "
			    "only (a deny rule needs names resolved at start)");
	memcpy(name, "*.", 2);
	return add_symbol(ps, rule, SYM_WILDCARD, name, path);
}

/* "dns", "host", "gateway", or a hostname: anything with a dot that no
 * address parser would take.  Returns 1 when `s` is none of them. */
static int parse_symbol(struct parser *ps, struct policy_rule *rule,
			const char *s, const char *path)
{
	char name[HOSTNAME_MAX + 2];

	for (size_t k = 0; k < ARRAY_SIZE(symbol_words); k++)
		if (strcmp(s, symbol_words[k]) == 0)
			return add_symbol(ps, rule, (enum symbol_kind)k, s, path);
	if (addr_looks_like(s))
		return 1;
	if (strlen(s) <= HOSTNAME_MAX + 1 && hostname_valid(s, name))
		return add_symbol(ps, rule, SYM_NAME, name, path);
	if (strncmp(s, "*.", 2) == 0)
		return parse_wildcard(ps, rule, s, path);
	if (strchr(s, '.'))
		return fail(ps, path, "\"%.64s\" is neither an address nor a "
			    "hostname (letters, digits, '-' and '_' in labels "
			    "of at most 63)", s);
	return fail(ps, path, "\"%.64s\" is not an address, a hostname (it "
		    "has no dot), dns, host or gateway", s);
}

/* One entry of an address list: an address or CIDR; "@name" references
 * and symbolic destinations only where `rule` is given: sets hold
 * addresses only. */
static int add_entry(struct parser *ps, const char *s, const char *path,
		     struct interval_list *v4, struct interval_list *v6,
		     struct policy_rule *rule)
{
	int r;

	if (s[0] == '@' && !rule)
		return fail(ps, path, "sets hold addresses only, not "
			    "references to other sets");
	if (s[0] == '@')
		return add_set_ref(ps, rule, s + 1, path);
	if (rule && (r = parse_symbol(ps, rule, s, path)) != 1)
		return r;
	return add_address(ps, s, path, v4, v6);
}

static void list_move(struct interval_list *dst, struct interval_list *src)
{
	interval_list_free(dst);
	*dst = *src;
	*src = (struct interval_list){ .keylen = dst->keylen };
}

/* A list the scanner took: its entries that are not addresses, then the
 * address count and the first bad address, in the order of the entries. */
static int take_list(struct parser *ps, struct addr_list *l, const char *path,
		     struct interval_list *v4, struct interval_list *v6,
		     struct policy_rule *rule)
{
	size_t i = 0, next;
	char sub[128];
	int r;

	if (l->count > POLICY_MAX_ADDRESSES)
		return fail(ps, path, "%zu entries; at most %zu are allowed",
			    l->count, (size_t)POLICY_MAX_ADDRESSES);
	for (size_t j = 0; j <= l->nrest; i = next + 1, j++) {
		next = j < l->nrest ? l->rest[j].idx : l->n;
		if (ps->naddrs + (next - i) > POLICY_MAX_ADDRESSES) {
			path_index(sub, sizeof(sub), path,
				   i + POLICY_MAX_ADDRESSES - ps->naddrs);
			return fail(ps, sub, "more than %u addresses in the "
				    "policy", POLICY_MAX_ADDRESSES);
		}
		ps->naddrs += next - i;
		path_index(sub, sizeof(sub), path, next);
		if (j < l->nrest &&
		    (r = add_entry(ps, l->rest[j].s, sub, v4, v6, rule)) < 0)
			return r;
	}
	if (l->bad != SIZE_MAX) {
		path_index(sub, sizeof(sub), path, l->bad);
		return fail(ps, sub, "%s", l->why);
	}
	if (v4->n || v6->n) {
		r = interval_append_list(v4, &l->v4);
		return r < 0 ? r : interval_append_list(v6, &l->v6);
	}
	list_move(v4, &l->v4);
	list_move(v6, &l->v6);
	return 0;
}

static int parse_address_list(struct parser *ps, struct json_object *val,
			      const char *path, struct interval_list *v4,
			      struct interval_list *v6, struct policy_rule *rule)
{
	struct addr_list *taken = addr_lists_find(&ps->lists, val, path);
	char sub[128];
	const char *s = NULL;
	size_t len = 0;
	int r;

	if (taken)
		return take_list(ps, taken, path, v4, v6, rule);
	r = expect_array(ps, val, path, POLICY_MAX_ADDRESSES, &len);
	for (size_t i = 0; r == 0 && i < len; i++) {
		path_index(sub, sizeof(sub), path, i);
		r = expect_string(ps, json_object_array_get_idx(val, i), sub,
				  &s);
		if (r == 0)
			r = add_entry(ps, s, sub, v4, v6, rule);
	}
	return r;
}

static int parse_addresses(struct parser *ps, struct json_object *val,
			   const char *path, void *target)
{
	struct policy_rule *rule = target;

	rule->has_addrs = true;
	return parse_address_list(ps, val, path, &rule->v4, &rule->v6, rule);
}

static int parse_wrong_side(struct parser *ps, struct json_object *val,
			    const char *path, void *target)
{
	(void)val;
	(void)target;
	if (ps->dir == DIR_INGRESS)
		return fail(ps, path, "ingress rules match the sender: use \"from\"");
	return fail(ps, path, "egress rules match the destination: use \"to\"");
}

/* --- ports and protocols ------------------------------------------------ */

/* "8000-8100": both ends 1-65535, in order. */
static int parse_port_range(struct parser *ps, const char *s, const char *path,
			    uint16_t *ret_lo, uint16_t *ret_hi)
{
	unsigned long v[2];
	const char *p = s;

	if (s[0] && strspn(s, "0123456789") == strlen(s))
		return fail(ps, path, "\"%.8s\" is a string: write %.8s for one "
			    "port, \"lo-hi\" for a range", s, s);
	for (int i = 0; i < 2; i++) {
		size_t n = strspn(p, "0123456789");

		if (n == 0 || n > 5 || p[n] != (i == 0 ? '-' : '\0'))
			return fail(ps, path,
				    "\"%.32s\" is not a port range (\"lo-hi\")",
				    s);
		v[i] = strtoul(p, NULL, 10);
		if (v[i] < 1 || v[i] > 65535)
			return fail(ps, path, "%lu is not a port (1-65535)",
				    v[i]);
		p += n + 1;
	}
	if (v[0] > v[1])
		return fail(ps, path, "\"%s\": the range runs backwards", s);
	*ret_lo = (uint16_t)v[0];
	*ret_hi = (uint16_t)v[1];
	return 0;
}

static int parse_port(struct parser *ps, struct json_object *val,
		      const char *path, struct interval_list *ports)
{
	uint8_t lo[2], hi[2];
	uint16_t a = 0, b = 0;
	int64_t n;
	int r;

	if (json_object_is_type(val, json_type_int)) {
		n = json_object_get_int64(val);
		if (n < 1 || n > 65535)
			return fail(ps, path, "%s is not a port (1-65535)",
				    json_object_to_json_string(val));
		a = b = (uint16_t)n;
	} else if (json_object_is_type(val, json_type_string)) {
		r = parse_port_range(ps, json_object_get_string(val), path, &a,
				     &b);
		if (r < 0)
			return r;
	} else {
		return fail(ps, path,
			    "expected a port number or a \"lo-hi\" range");
	}
	port_key(a, lo);
	port_key(b, hi);
	return interval_add(ports, lo, hi);
}

static int parse_port_list(struct parser *ps, struct json_object *val,
			   const char *path, struct interval_list *ports)
{
	char sub[128];
	size_t len = 0;
	int r;

	r = expect_array(ps, val, path, POLICY_MAX_PORTS, &len);
	for (size_t i = 0; r == 0 && i < len; i++) {
		path_index(sub, sizeof(sub), path, i);
		r = parse_port(ps, json_object_array_get_idx(val, i), sub,
			       ports);
	}
	return r;
}

static int parse_ports(struct parser *ps, struct json_object *val,
		       const char *path, void *target)
{
	return parse_port_list(ps, val, path,
			       &((struct policy_rule *)target)->ports);
}

static const struct {
	const char *name;
	uint8_t proto;
	bool ports; /* its header starts with source and destination port */
} protocols[] = {
	{ "tcp", IPPROTO_TCP, true },	      { "udp", IPPROTO_UDP, true },
	{ "udplite", IPPROTO_UDPLITE, true }, { "sctp", IPPROTO_SCTP, true },
	{ "dccp", IPPROTO_DCCP, true },	      { "icmp", IPPROTO_ICMP, false },
	{ "icmpv6", IPPROTO_ICMPV6, false },  { "gre", IPPROTO_GRE, false },
	{ "esp", IPPROTO_ESP, false },	      { "ah", IPPROTO_AH, false },
};

void proto_format(uint8_t proto, char buf[PROTO_NAME_MAX])
{
	for (size_t i = 0; i < ARRAY_SIZE(protocols); i++) {
		if (protocols[i].proto == proto) {
			snprintf(buf, PROTO_NAME_MAX, "%s", protocols[i].name);
			return;
		}
	}
	snprintf(buf, PROTO_NAME_MAX, "%u", proto);
}

int proto_parse(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(protocols); i++)
		if (strcmp(name, protocols[i].name) == 0)
			return protocols[i].proto;
	return -EINVAL;
}

bool proto_has_ports(int proto)
{
	for (size_t i = 0; i < ARRAY_SIZE(protocols); i++)
		if (protocols[i].proto == proto)
			return protocols[i].ports;
	return false;
}

/* A name of the table, or a number 0-255 (IANA's protocol numbers). */
static int parse_proto_value(struct parser *ps, struct json_object *val,
			     const char *path, int *ret)
{
	const char *s;
	int64_t n;

	if (json_object_is_type(val, json_type_int)) {
		n = json_object_get_int64(val);
		if (n < 0 || n > 255)
			return fail(ps, path, "%s is not a protocol number "
				    "(0-255)", json_object_to_json_string(val));
		*ret = (int)n;
		return 0;
	}
	if (!json_object_is_type(val, json_type_string))
		return fail(ps, path, "expected a protocol name or number");
	s = json_object_get_string(val);
	*ret = proto_parse(s);
	if (*ret >= 0)
		return 0;
	return fail(ps, path, "\"%.32s\" is not a protocol (tcp, udp, udplite, "
		    "sctp, dccp, icmp, icmpv6, gre, esp, ah, or a number "
		    "0-255)", s);
}

static int parse_proto(struct parser *ps, struct json_object *val,
		       const char *path, void *target)
{
	return parse_proto_value(ps, val, path,
				 &((struct policy_rule *)target)->proto);
}

/* nft comments are at most 128 bytes, quoted, without escapes. */
static int parse_comment(struct parser *ps, struct json_object *val,
			 const char *path, void *target)
{
	struct policy_rule *rule = target;
	size_t room = COMMENT_MAX - strlen(rule->path) - 2;
	const char *s = NULL;
	int r;

	r = expect_string(ps, val, path, &s);
	if (r < 0)
		return r;
	if (strlen(s) > room)
		return fail(ps, path, "longer than %zu bytes (nft comments hold "
			    "128 with the rule's path)", room);
	for (const char *c = s; *c; c++)
		if (*c == '"' || *c == '\\' || (unsigned char)*c < 0x20 ||
		    *c == 0x7f)
			return fail(ps, path, "must not contain double quotes, "
				    "backslashes or control characters");
	memcpy(rule->comment, s, strlen(s) + 1);
	return 0;
}

/* --- rules and directions ------------------------------------------------ */

static void rule_init(struct policy_rule *rule, const char *path)
{
	*rule = (struct policy_rule){ .proto = PROTO_ANY };
	snprintf(rule->path, sizeof(rule->path), "%s", path);
	interval_list_init(&rule->v4, 4);
	interval_list_init(&rule->v6, 16);
	interval_list_init(&rule->ports, 2);
}

static void rule_free(struct policy_rule *rule)
{
	interval_list_free(&rule->v4);
	interval_list_free(&rule->v6);
	interval_list_free(&rule->ports);
	for (size_t i = 0; i < rule->nexcept; i++)
		interval_list_free(&rule->except[i].ports);
	free(rule->except);
	free(rule->refs);
	free(rule->syms);
}

/* --- except ------------------------------------------------------------------ */

static int parse_except_proto(struct parser *ps, struct json_object *val,
			      const char *path, void *target)
{
	return parse_proto_value(ps, val, path,
				 &((struct policy_except *)target)->proto);
}

static int parse_except_ports(struct parser *ps, struct json_object *val,
			      const char *path, void *target)
{
	return parse_port_list(ps, val, path,
			       &((struct policy_except *)target)->ports);
}

static const struct member except_members[] = {
	{ "proto", parse_except_proto },
	{ "ports", parse_except_ports },
};

static int except_check(struct parser *ps, struct policy_except *e,
			const char *path)
{
	char sub[128];

	if (e->proto == PROTO_ANY)
		return fail(ps, path, "an except entry needs \"proto\"");
	path_join(sub, sizeof(sub), path, "ports");
	if (e->ports.n && !proto_has_ports(e->proto))
		return fail(ps, sub, "ports need a protocol that carries them "
			    "(tcp, udp, udplite, sctp, dccp)");
	interval_normalize(&e->ports);
	return 0;
}

/* "except": [{"proto": P, "ports": [...]}, ...]: what a deny rule over
 * every protocol leaves alone. */
static int parse_except(struct parser *ps, struct json_object *val,
			const char *path, void *target)
{
	struct policy_rule *rule = target;
	char sub[128];
	size_t len = 0;
	int r;

	if (ps->allow)
		return fail(ps, path, "except narrows deny rules (an allow rule "
			    "lists only what it allows)");
	r = expect_array(ps, val, path, POLICY_MAX_EXCEPT, &len);
	if (r < 0)
		return r;
	rule->except = calloc(len, sizeof(*rule->except));
	if (!rule->except)
		return -ENOMEM;
	for (size_t i = 0; r == 0 && i < len; i++) {
		struct policy_except *e = &rule->except[i];

		path_index(sub, sizeof(sub), path, i);
		e->proto = PROTO_ANY;
		interval_list_init(&e->ports, 2);
		rule->nexcept = i + 1;
		r = parse_members(ps, json_object_array_get_idx(val, i), sub,
				  except_members, ARRAY_SIZE(except_members), e);
		if (r == 0)
			r = except_check(ps, e, sub);
	}
	return r;
}

/* true, false, or {"group": N}: the kernel log or NFLOG group N. */
static int parse_log(struct parser *ps, struct json_object *val,
		     const char *path, struct policy_log *log)
{
	struct json_object *group;
	char sub[128];
	int64_t n;

	log->set = true;
	if (json_object_is_type(val, json_type_boolean)) {
		log->on = json_object_get_boolean(val);
		return 0;
	}
	if (!json_object_is_type(val, json_type_object))
		return fail(ps, path, "expected true, false or {\"group\": N}");
	path_join(sub, sizeof(sub), path, "group");
	if (json_object_object_length(val) != 1 ||
	    !json_object_object_get_ex(val, "group", &group))
		return fail(ps, path, "expected {\"group\": N} (an NFLOG group, "
			    "0-65535)");
	n = json_object_get_int64(group);
	if (!json_object_is_type(group, json_type_int) || n < 0 || n > 65535)
		return fail(ps, sub, "%s is not an NFLOG group (0-65535)",
			    json_object_to_json_string(group));
	log->on = log->nflog = true;
	log->group = (uint16_t)n;
	return 0;
}

static int parse_rule_log(struct parser *ps, struct json_object *val,
			  const char *path, void *target)
{
	struct policy_rule *rule = target;

	if (ps->allow)
		return fail(ps, path, "an allow rule drops nothing to log (log "
			    "on deny rules or on the direction)");
	return parse_log(ps, val, path, &rule->log);
}

/* "enforce" or "audit" */
static int parse_mode_value(struct parser *ps, struct json_object *val,
			    const char *path, enum policy_mode *ret)
{
	const char *s = NULL;
	int r;

	r = expect_string(ps, val, path, &s);
	if (r == 0 && strcmp(s, "enforce") != 0 && strcmp(s, "audit") != 0)
		return fail(ps, path, "\"%.32s\" is not enforce or audit", s);
	if (r == 0)
		*ret = strcmp(s, "audit") == 0 ? MODE_AUDIT : MODE_ENFORCE;
	return r;
}

static int parse_rule_mode(struct parser *ps, struct json_object *val,
			   const char *path, void *target)
{
	struct policy_rule *rule = target;

	if (ps->allow)
		return fail(ps, path, "an allow rule blocks nothing to audit "
			    "(mode on deny rules, includes or the policy)");
	return parse_mode_value(ps, val, path, &rule->mode);
}

static int parse_direction_log(struct parser *ps, struct json_object *val,
			       const char *path, void *target)
{
	return parse_log(ps, val, path, &((struct policy_direction *)target)->log);
}

/* "resolve": "required" refuses the container when one of the rule's
 * hostnames does not resolve; "optional", the default, warns. */
static int parse_resolve(struct parser *ps, struct json_object *val,
			 const char *path, void *target)
{
	struct policy_rule *rule = target;
	const char *s = NULL;
	int r;

	r = expect_string(ps, val, path, &s);
	if (r == 0 && strcmp(s, "required") != 0 && strcmp(s, "optional") != 0)
		return fail(ps, path, "\"%.32s\" is not required or optional",
			    s);
	rule->resolve_set = true;
	if (r == 0)
		rule->resolve_required = strcmp(s, "required") == 0;
	return r;
}

/* "dns" in an egress rule without ports or except means DNS: port 53,
 * over the rule's protocol or else both tcp and udp. */
static int dns_implied_ports(struct parser *ps, struct policy_rule *rule,
			     const char *path)
{
	uint8_t port[2];
	char sub[128];
	bool dns = false;

	for (size_t i = 0; i < rule->nsyms; i++)
		dns |= ps->policy->symbols[rule->syms[i]].kind == SYM_DNS;
	if (!dns || ps->dir != DIR_EGRESS || rule->ports.n || rule->nexcept)
		return 0;
	if (rule->proto != PROTO_ANY && rule->proto != IPPROTO_TCP &&
	    rule->proto != IPPROTO_UDP) {
		path_join(sub, sizeof(sub), path, "proto");
		return fail(ps, sub, "\"dns\" means port 53 over tcp or udp: "
			    "name \"ports\" to match something else");
	}
	rule->dns_ports = true;
	port_key(53, port);
	return interval_add(&rule->ports, port, port);
}

/* `required` applies to the rule's hostnames, wherever else they appear. */
static int rule_check_symbols(struct parser *ps, struct policy_rule *rule,
			      const char *path)
{
	size_t names = 0;
	char sub[128];

	for (size_t i = 0; i < rule->nsyms; i++) {
		struct policy_symbol *sym = &ps->policy->symbols[rule->syms[i]];

		if (sym->kind != SYM_NAME)
			continue;
		names++;
		sym->required |= rule->resolve_required;
	}
	path_join(sub, sizeof(sub), path, "resolve");
	if (rule->resolve_set && names == 0)
		return fail(ps, sub, "the rule names no hostname to resolve");
	return dns_implied_ports(ps, rule, path);
}

/* Cross-field checks, once every member of the rule is known. */
static int rule_check(struct parser *ps, struct policy_rule *rule,
		      const char *path)
{
	const char *side = ps->dir == DIR_INGRESS ? "from" : "to";
	bool any4 = rule->v4.n > 0, any6 = rule->v6.n > 0;
	char sub[128];
	int r;

	if (!rule->has_addrs && rule->proto == PROTO_ANY && !rule->ports.n)
		return fail(ps, path, "a rule needs \"%s\", \"proto\" or "
			    "\"ports\" (to match everything, use \"default\")",
			    side);
	path_join(sub, sizeof(sub), path, "except");
	if (rule->nexcept && (rule->proto != PROTO_ANY || rule->ports.n))
		return fail(ps, sub, "except narrows a rule over every protocol: "
			    "leave out \"proto\" and \"ports\" (for one "
			    "protocol, list the ports to deny)");
	r = rule_check_symbols(ps, rule, path);
	if (r < 0)
		return r;
	if (rule->ports.n && !rule->dns_ports && !proto_has_ports(rule->proto)) {
		path_join(sub, sizeof(sub), path, "ports");
		return fail(ps, sub, "ports need \"proto\": \"tcp\", \"udp\", "
			    "\"udplite\", \"sctp\" or \"dccp\"");
	}
	path_join(sub, sizeof(sub), path, side);
	if (rule->proto == IPPROTO_ICMP && any6)
		return fail(ps, sub, "IPv6 addresses never carry icmp (use \"icmpv6\")");
	if (rule->proto == IPPROTO_ICMPV6 && any4)
		return fail(ps, sub, "IPv4 addresses never carry icmpv6 (use \"icmp\")");
	for (size_t i = 0; i < rule->nrefs; i++) {
		const struct policy_set *set = &ps->policy->sets[rule->refs[i]];

		any4 |= set->v4.n > 0;
		any6 |= set->v6.n > 0;
	}
	if (rule->has_addrs && rule->nsyms == 0 &&
	    ((rule->proto == IPPROTO_ICMP && !any4) ||
	     (rule->proto == IPPROTO_ICMPV6 && !any6)))
		return fail(ps, sub, "no address of the family %s travels in",
			    rule->proto == IPPROTO_ICMP ? "icmp" : "icmpv6");
	interval_normalize(&rule->ports);
	return 0;
}

static const struct member egress_rule_members[] = {
	{ "to", parse_addresses },   { "from", parse_wrong_side },
	{ "proto", parse_proto },    { "ports", parse_ports },
	{ "comment", parse_comment }, { "resolve", parse_resolve },
	{ "log", parse_rule_log },    { "except", parse_except },
	{ "mode", parse_rule_mode },
};

static const struct member ingress_rule_members[] = {
	{ "from", parse_addresses }, { "to", parse_wrong_side },
	{ "proto", parse_proto },    { "ports", parse_ports },
	{ "comment", parse_comment }, { "resolve", parse_resolve },
	{ "log", parse_rule_log },    { "except", parse_except },
	{ "mode", parse_rule_mode },
};

static int parse_rule_list(struct parser *ps, struct json_object *val,
			   const char *path, struct policy_rule **ret,
			   size_t *ret_n)
{
	bool ingress = ps->dir == DIR_INGRESS;
	const struct member *m = ingress ? ingress_rule_members
					 : egress_rule_members;
	size_t n = ingress ? ARRAY_SIZE(ingress_rule_members)
			   : ARRAY_SIZE(egress_rule_members);
	char sub[128];
	size_t len = 0;
	int r;

	r = expect_array(ps, val, path, POLICY_MAX_RULES, &len);
	if (r < 0)
		return r;
	*ret = calloc(len, sizeof(**ret));
	if (!*ret)
		return -ENOMEM;
	for (size_t i = 0; i < len; i++) {
		path_index(sub, sizeof(sub), path, i);
		rule_init(&(*ret)[i], sub);
		*ret_n = i + 1;
		r = parse_members(ps, json_object_array_get_idx(val, i), sub, m,
				  n, &(*ret)[i]);
		if (r == 0)
			r = rule_check(ps, &(*ret)[i], sub);
		if (r < 0)
			return r;
	}
	return 0;
}

static int parse_deny(struct parser *ps, struct json_object *val,
		      const char *path, void *target)
{
	struct policy_direction *d = target;

	ps->allow = false;
	return parse_rule_list(ps, val, path, &d->deny, &d->ndeny);
}

static int parse_allow(struct parser *ps, struct json_object *val,
		       const char *path, void *target)
{
	struct policy_direction *d = target;

	ps->allow = true;
	return parse_rule_list(ps, val, path, &d->allow, &d->nallow);
}

static int parse_default(struct parser *ps, struct json_object *val,
			 const char *path, void *target)
{
	static const char *const names[] = { "accept", "drop", "reject" };
	struct policy_direction *d = target;
	const char *s = NULL;
	int r;

	r = expect_string(ps, val, path, &s);
	for (size_t i = 0; r == 0 && i < ARRAY_SIZE(names); i++) {
		if (strcmp(s, names[i]) == 0) {
			d->def = (enum verdict)i;
			return 0;
		}
	}
	return r < 0 ? r : fail(ps, path,
				"\"%.32s\" is not accept, drop or reject", s);
}

static const struct member direction_members[] = {
	{ "default", parse_default },
	{ "deny", parse_deny },
	{ "allow", parse_allow },
	{ "log", parse_direction_log },
};

static int parse_direction(struct parser *ps, struct json_object *val,
			   const char *path, void *target)
{
	struct policy_direction *d;
	char sub[128];
	int r;

	(void)target;
	ps->dir = strcmp(path, direction_names[DIR_INGRESS]) == 0 ? DIR_INGRESS
								 : DIR_EGRESS;
	d = &ps->policy->dir[ps->dir];
	d->present = true;
	r = parse_members(ps, val, path, direction_members,
			  ARRAY_SIZE(direction_members), d);
	if (r < 0)
		return r;
	if (!json_object_object_get_ex(val, "default", NULL)) {
		path_join(sub, sizeof(sub), path, "default");
		return fail(ps, sub, "missing (accept, drop or reject)");
	}
	return 0;
}

/* --- named sets ----------------------------------------------------------- */

static bool set_name_valid(const char *s)
{
	size_t len = strlen(s);

	if (len == 0 || len > POLICY_SET_NAME_MAX ||
	    !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
		return false;
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			 "0123456789_") == len;
}

static int parse_set(struct parser *ps, struct json_object *val,
		     const char *path, struct policy_set *set)
{
	int r = parse_address_list(ps, val, path, &set->v4, &set->v6, NULL);

	interval_normalize(&set->v4);
	interval_normalize(&set->v6);
	return r;
}

static int parse_sets(struct parser *ps, struct json_object *val,
		      const char *path)
{
	struct policy *p = ps->policy;
	char sub[128];
	int r;

	if (!json_object_is_type(val, json_type_object))
		return fail(ps, path, "expected an object of named address lists");
	if (json_object_object_length(val) > POLICY_MAX_SETS)
		return fail(ps, path, "more than %d sets", POLICY_MAX_SETS);
	p->sets = calloc((size_t)json_object_object_length(val) + 1,
			 sizeof(*p->sets));
	if (!p->sets)
		return -ENOMEM;
	json_object_object_foreach(val, name, list)
	{
		struct policy_set *set = &p->sets[p->nsets++];

		path_join(sub, sizeof(sub), path, name);
		interval_list_init(&set->v4, 4);
		interval_list_init(&set->v6, 16);
		if (!set_name_valid(name))
			return fail(ps, sub, "set names are a letter, then "
				    "letters, digits or _ (at most %d)",
				    POLICY_SET_NAME_MAX);
		strcpy(set->name, name);
		r = parse_set(ps, list, sub, set);
		if (r < 0)
			return r;
	}
	return 0;
}

/* {"name": "no-lan", "mode": "audit"}: an include with its mode */
static int include_entry(struct parser *ps, struct json_object *val,
			 const char *path, const char **ret_name,
			 enum policy_mode *ret_mode)
{
	struct json_object *name = NULL, *mode = NULL;
	char sub[128];

	if (json_object_is_type(val, json_type_string))
		return expect_string(ps, val, path, ret_name);
	if (!json_object_is_type(val, json_type_object) ||
	    !json_object_object_get_ex(val, "name", &name) ||
	    json_object_object_length(val) !=
		    1 + json_object_object_get_ex(val, "mode", &mode))
		return fail(ps, path, "expected a policy name or {\"name\": "
			    "NAME, \"mode\": \"audit\" or \"enforce\"}");
	path_join(sub, sizeof(sub), path, "mode");
	if (mode && parse_mode_value(ps, mode, sub, ret_mode) < 0)
		return -EINVAL;
	path_join(sub, sizeof(sub), path, "name");
	return expect_string(ps, name, sub, ret_name);
}

/* Names, each with the mode its rules take here when the entry says one;
 * compose.c looks them up like fw.policy names, in the policy directories. */
static int parse_include(struct parser *ps, struct json_object *val,
			 const char *path, void *target)
{
	struct policy *p = ps->policy;
	const char *s = NULL;
	char sub[128];
	size_t len = 0;
	int r;

	(void)target;
	r = expect_array(ps, val, path, POLICY_MAX_INCLUDES, &len);
	if (r < 0)
		return r;
	p->includes = calloc(len, sizeof(*p->includes));
	p->include_modes = calloc(len, sizeof(*p->include_modes));
	if (!p->includes || !p->include_modes)
		return -ENOMEM;
	for (size_t i = 0; i < len; i++) {
		path_index(sub, sizeof(sub), path, i);
		r = include_entry(ps, json_object_array_get_idx(val, i), sub, &s,
				  &p->include_modes[i]);
		if (r < 0)
			return r;
		if (!policy_name_valid(s))
			return fail(ps, sub, "\"%.64s\" is not a policy name (a "
				    "letter or digit, then letters, digits, "
				    "'.', '_' or '-'; at most 64)", s);
		p->includes[i] = strdup(s);
		if (!p->includes[i])
			return -ENOMEM;
		p->nincludes = i + 1;
	}
	return 0;
}

static int parse_mode(struct parser *ps, struct json_object *val,
		      const char *path, void *target)
{
	(void)target;
	return parse_mode_value(ps, val, path, &ps->policy->mode);
}

/* The paths of address lists: "sets.NAME", "egress.allow[2].to". */
static bool holds_addresses(const char *path)
{
	size_t len = strlen(path);

	if (strncmp(path, "sets.", 5) == 0)
		return !strpbrk(path + 5, ".[");
	if (strncmp(path, "egress.", 7) != 0 && strncmp(path, "ingress.", 8) != 0)
		return false;
	return (len > 4 && strcmp(path + len - 4, "].to") == 0) ||
	       (len > 6 && strcmp(path + len - 6, "].from") == 0);
}

static const struct member top_members[] = {
	{ "$schema", parse_string_ignored },
	{ "mode", parse_mode },
	{ "include", parse_include },
	{ "description", parse_string_ignored },
	{ "sets", NULL }, /* parsed first: rules refer to them */
	{ "egress", parse_direction },
	{ "ingress", parse_direction },
};

void policy_free(struct policy *p)
{
	for (size_t i = 0; i < p->nsets; i++) {
		interval_list_free(&p->sets[i].v4);
		interval_list_free(&p->sets[i].v6);
	}
	free(p->sets);
	free(p->symbols);
	for (size_t i = 0; i < p->nincludes; i++)
		free(p->includes[i]);
	free(p->includes);
	free(p->include_modes);
	for (int d = 0; d < DIR_COUNT; d++) {
		for (size_t i = 0; i < p->dir[d].ndeny; i++)
			rule_free(&p->dir[d].deny[i]);
		for (size_t i = 0; i < p->dir[d].nallow; i++)
			rule_free(&p->dir[d].allow[i]);
		free(p->dir[d].deny);
		free(p->dir[d].allow);
	}
	*p = (struct policy){ 0 };
}

static bool ports_hold(const struct interval_list *ports, uint16_t port)
{
	uint8_t key[2];

	port_key(port, key);
	for (size_t i = 0; i < ports->n; i++)
		if (memcmp(ports->v[i].lo, key, 2) <= 0 &&
		    memcmp(key, ports->v[i].hi, 2) <= 0)
			return true;
	return !ports->n;
}

void policy_modes_resolve(struct policy *p, enum policy_mode file)
{
	for (int d = 0; d < DIR_COUNT; d++) {
		struct policy_direction *pd = &p->dir[d];

		pd->def_audit = file == MODE_AUDIT;
		for (size_t i = 0; i < pd->ndeny; i++)
			pd->deny[i].audit = pd->deny[i].mode ? pd->deny[i].mode ==
								       MODE_AUDIT
							     : pd->def_audit;
	}
}

enum policy_mode policy_mode_summary(const struct policy *p)
{
	size_t audited = 0, all = 0;

	for (int d = 0; d < DIR_COUNT; d++) {
		const struct policy_direction *pd = &p->dir[d];

		if (!pd->present)
			continue;
		audited += pd->def_audit;
		for (size_t i = 0; i < pd->ndeny; i++)
			audited += pd->deny[i].audit;
		all += 1 + pd->ndeny;
	}
	if (audited == 0)
		return MODE_ENFORCE;
	return audited == all ? MODE_AUDIT : MODE_MIXED;
}

bool policy_allows_dns(const struct policy *p)
{
	const struct policy_direction *d = &p->dir[DIR_EGRESS];

	if (!d->present || d->def == VERDICT_ACCEPT)
		return true;
	for (size_t i = 0; i < d->nallow; i++)
		if ((d->allow[i].proto == PROTO_ANY ||
		     d->allow[i].proto == IPPROTO_UDP) &&
		    ports_hold(&d->allow[i].ports, 53))
			return true;
	return false;
}

int policy_parse(const char *buf, size_t len, struct policy *ret,
		 struct fw_error *err)
{
	struct policy p = { 0 };
	struct parser ps = { .policy = &p, .err = err };
	struct json_object *root = NULL, *sets;
	int r;

	addr_lists_init(&ps.lists, holds_addresses, POLICY_MAX_ADDRESSES);
	r = json_parse_lists(buf, len, &ps.lists.json, &root, err);
	if (r < 0) {
		addr_lists_free(&ps.lists);
		return r;
	}
	if (!json_object_is_type(root, json_type_object))
		r = fail(&ps, "", "a policy is a JSON object");
	else if (json_object_object_get_ex(root, "sets", &sets))
		r = parse_sets(&ps, sets, "sets");
	if (r == 0)
		r = index_sets(&ps);
	if (r == 0)
		r = parse_members(&ps, root, "", top_members,
				  ARRAY_SIZE(top_members), NULL);
	free(ps.sets_by_name);
	addr_lists_free(&ps.lists);
	json_object_put(root);
	if (r < 0) {
		policy_free(&p);
		return r;
	}
	/* As a policy of its own; compose.c resolves again where it is
	 * included. */
	policy_modes_resolve(&p, p.mode);
	*ret = p;
	return 0;
}
