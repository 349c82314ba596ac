// SPDX-License-Identifier: GPL-2.0-or-later
/* suggest: a draft policy allowing what watch saw a container do. */
#include <arpa/inet.h>
#include <errno.h>
#include <json-c/json.h>
#include <libnftnl/set.h>
#include <libnftnl/udata.h>
#include <linux/netfilter/nf_tables.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "cleanup.h"
#include "interval.h"
#include "netlink.h"
#include "netns.h"
#include "ruleset.h"
#include "suggest.h"

/*
 * DOC: suggest
 *
 * Input: what `watch --json` printed while the container ran (in audit
 * mode, every connection its policy would block; enforcing, every one it
 * blocked).  A flow is one (direction, protocol, source, destination,
 * ports) seen: a retransmitted SYN is the same flow.  Each remote address
 * is named where the container's table names it (a symbol's set, a
 * hostname's set, or an element whose comment is the hostname the DNS
 * learner saw it answered for), else kept as an address.  One rule per
 * name and protocol; unnamed addresses with the same ports share a rule,
 * private and public ones apart; ports are folded into ranges.
 */

#define SUGGEST_MAX_FLOWS 65536
#define SUGGEST_MAX_LINE 4096

struct flow {
	enum direction dir;
	int family;
	uint8_t addr[16]; /* the remote end */
	int proto;
	bool has_port;
	uint16_t port;	  /* the destination port */
	uint16_t sport;
	uint8_t local[16];
};

struct name {
	int family;
	uint8_t addr[16];
	char name[HOSTNAME_MAX + 1];
};

struct suggest {
	struct flow *flows;
	size_t nflows;
	size_t skipped; /* protocols a policy cannot name */
	struct name *names;
	size_t nnames, names_cap;
};

static const char *field(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) &&
			       json_object_is_type(v, json_type_string)
		       ? json_object_get_string(v)
		       : NULL;
}

static int port_field(json_object *o, const char *key, uint16_t *ret)
{
	json_object *v;
	int64_t n;

	if (!json_object_object_get_ex(o, key, &v))
		return 0;
	n = json_object_get_int64(v);
	if (!json_object_is_type(v, json_type_int) || n < 0 || n > 65535)
		return -EINVAL;
	*ret = (uint16_t)n;
	return 1;
}

/* The direction of a rule path: "egress.deny[0]", "no-lan:ingress.default". */
static int path_direction(const char *path, enum direction *ret)
{
	const char *p = strrchr(path, ':');

	p = p ? p + 1 : path;
	for (int d = 0; d < DIR_COUNT; d++) {
		size_t n = strlen(direction_names[d]);

		if (strncmp(p, direction_names[d], n) == 0 && p[n] == '.') {
			*ret = (enum direction)d;
			return 0;
		}
	}
	return -EINVAL;
}

static int record_flow(json_object *o, struct flow *f, bool *ret_skip)
{
	const char *rule = field(o, "rule"), *proto = field(o, "proto");
	const char *src = field(o, "src"), *dst = field(o, "dst"), *remote;
	uint16_t dport = 0;
	int r;

	*f = (struct flow){ .proto = -1 };
	if (!rule || !proto || !src || !dst || path_direction(rule, &f->dir) < 0)
		return -EINVAL;
	remote = f->dir == DIR_EGRESS ? dst : src;
	f->family = strchr(remote, ':') ? AF_INET6 : AF_INET;
	if (inet_pton(f->family, remote, f->addr) != 1 ||
	    inet_pton(f->family, f->dir == DIR_EGRESS ? src : dst,
		      f->local) != 1)
		return -EINVAL;
	/* watch writes a protocol without a name as its number. */
	f->proto = proto_parse(proto);
	if (f->proto < 0 && strspn(proto, "0123456789") == strlen(proto) &&
	    strlen(proto) <= 3 && atoi(proto) <= 255)
		f->proto = atoi(proto);
	*ret_skip = f->proto < 0;
	r = port_field(o, "dport", &dport);
	if (r >= 0 && port_field(o, "sport", &f->sport) >= 0) {
		f->has_port = r > 0;
		f->port = dport;
		return 0;
	}
	return -EINVAL;
}

static int flow_cmp(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct flow));
}

static int add_line(struct suggest *s, const char *line, size_t len)
{
	json_object *o = json_tokener_parse(line);
	struct flow f;
	bool skip = false;
	int r;

	if (len == 0)
		return 0;
	r = o ? record_flow(o, &f, &skip) : -EINVAL;
	json_object_put(o);
	if (r < 0 || skip) {
		s->skipped += r == 0;
		return r;
	}
	if (s->nflows == SUGGEST_MAX_FLOWS)
		return -E2BIG;
	s->flows[s->nflows++] = f;
	return 0;
}

int suggest_read(const char *buf, struct suggest **ret, struct fw_error *err)
{
	struct suggest *s = calloc(1, sizeof(*s));
	char line[SUGGEST_MAX_LINE];
	const char *p = buf;
	size_t n = 0, w = 0;
	int r = 0;

	if (s)
		s->flows = calloc(SUGGEST_MAX_FLOWS, sizeof(*s->flows));
	if (!s || !s->flows) {
		free(s);
		return fw_error_set(err, -ENOMEM, "", "out of memory");
	}
	while (r == 0 && *p) {
		size_t len = strcspn(p, "\n");

		n++;
		if (len >= sizeof(line)) {
			r = -E2BIG;
			break;
		}
		memcpy(line, p, len);
		line[len] = '\0';
		r = add_line(s, line, len);
		p += len + (p[len] == '\n');
	}
	if (r < 0) {
		suggest_free(s);
		return fw_error_set(err, r, "", "line %zu: %s", n, r == -E2BIG
				    ? "too long, or too many flows"
				    : "not a record of oci-fw-hook watch --json");
	}
	/* One flow, however many times its first packet was seen. */
	qsort(s->flows, s->nflows, sizeof(*s->flows), flow_cmp);
	for (size_t i = 0; i < s->nflows; i++)
		if (w == 0 || flow_cmp(&s->flows[w - 1], &s->flows[i]) != 0)
			s->flows[w++] = s->flows[i];
	s->nflows = s->nflows ? w : 0;
	*ret = s;
	return 0;
}

void suggest_free(struct suggest *s)
{
	if (!s)
		return;
	free(s->flows);
	free(s->names);
	free(s);
}

/* A name the policy language takes: a symbol, or a hostname as the
 * learner or the resolver stored it (letters, digits, '-', '_', '.'). */
static bool name_usable(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > HOSTNAME_MAX)
		return false;
	if (!strcmp(s, "dns") || !strcmp(s, "host") || !strcmp(s, "gateway"))
		return true;
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			 "0123456789-_.") == n && strchr(s, '.');
}

struct name_reader {
	struct suggest *s;
	char set_name[HOSTNAME_MAX + 1]; /* the set's own comment's name */
	unsigned int keylen;
};

static int add_name(struct suggest *s, int family, const void *key,
		    const char *name)
{
	struct name *v;

	if (!name_usable(name))
		return 0;
	/* a set read back may hold the limit's 500,000 elements */
	if (ARRAY_RESERVE(s->names, s->names_cap, s->nnames, 64) < 0)
		return -ENOMEM;
	v = &s->names[s->nnames++];
	*v = (struct name){ .family = family };
	memcpy(v->addr, key, family == AF_INET ? 4 : 16);
	snprintf(v->name, sizeof(v->name), "%s", name);
	return 0;
}

/* An element's own comment (the learner's), else its set's. */
static int found_elem(const struct nl_elem_info *e, void *data)
{
	struct name_reader *nr = data;

	if (e->keylen != nr->keylen || e->end)
		return 0;
	return add_name(nr->s, e->keylen == 4 ? AF_INET : AF_INET6, e->key,
			e->comment[0] ? e->comment : nr->set_name);
}

struct set_list {
	struct nl_set_info_copy {
		char name[SET_NAME_MAX];
		char comment[HOSTNAME_MAX + 1];
		unsigned int keylen;
	} *v;
	size_t n, cap;
};

/* Address sets only; the comment's name without its marks. */
static int found_set(const struct nl_set_info *set, void *data)
{
	struct set_list *l = data;
	struct nl_set_info_copy *c;
	struct set_name sn;

	if (set->keylen != 4 && set->keylen != 16)
		return 0;
	if (ARRAY_RESERVE(l->v, l->cap, l->n, 16) < 0)
		return -ENOMEM;
	c = &l->v[l->n++];
	*c = (struct nl_set_info_copy){ .keylen = set->keylen };
	snprintf(c->name, sizeof(c->name), "%s", set->name);
	/* Only a symbol's or a hostname's set names all it holds. */
	if (set_name_parse(set->name, &sn) == 0 &&
	    (sn.kind == SET_NAME_SYMBOL || sn.kind == SET_NAME_HOSTNAME) &&
	    set->comment)
		snprintf(c->comment, sizeof(c->comment), "%.*s",
			 (int)strcspn(set->comment, " "), set->comment);
	return 0;
}

int suggest_names(struct suggest *s, pid_t pid, struct fw_error *err)
{
	char comment[COMMENT_MAX + 1];
	struct mnl_socket *nl = NULL;
	struct set_list l = { 0 };
	int r;

	r = netns_open_firewall(pid, true, &nl, comment, sizeof(comment), err);
	if (r == 0)
		r = nl_dump_sets(nl, found_set, &l, err);
	for (size_t i = 0; r == 0 && i < l.n; i++) {
		struct name_reader nr = { .s = s, .keylen = l.v[i].keylen };

		snprintf(nr.set_name, sizeof(nr.set_name), "%s",
			 l.v[i].comment);
		r = nl_dump_elements(nl, l.v[i].name, found_elem, &nr, err);
	}
	free(l.v);
	if (nl)
		mnl_socket_close(nl);
	return r;
}

/* One remote end (a name, or an address) of one protocol and direction. */
struct entry {
	enum direction dir;
	int proto;
	bool named, private, used;
	char target[HOSTNAME_MAX + 1];
	struct interval_list ports;
	size_t flows;
};

static const char *const private_ranges[] = {
	"10.0.0.0/8",	 "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10",
	"169.254.0.0/16", "fc00::/7",	   "fe80::/10",
};

static bool is_private(int family, const uint8_t *addr)
{
	unsigned int len = family == AF_INET ? 4 : 16;

	for (size_t i = 0; i < ARRAY_SIZE(private_ranges); i++) {
		struct interval iv;
		int fam;

		if (cidr_parse(private_ranges[i], &fam, &iv, NULL, 0) == 0 &&
		    fam == family && memcmp(iv.lo, addr, len) <= 0 &&
		    memcmp(addr, iv.hi, len) <= 0)
			return true;
	}
	return false;
}

static const char *name_of(const struct suggest *s, const struct flow *f)
{
	for (size_t i = 0; i < s->nnames; i++)
		if (s->names[i].family == f->family &&
		    !memcmp(s->names[i].addr, f->addr,
			    f->family == AF_INET ? 4 : 16))
			return s->names[i].name;
	return NULL;
}

static int add_flow(struct entry *v, size_t *n, const struct suggest *s,
		    const struct flow *f)
{
	const char *name = name_of(s, f);
	struct entry e = { .dir = f->dir, .proto = f->proto, .named = name };
	uint8_t key[2];

	if (name)
		snprintf(e.target, sizeof(e.target), "%s", name);
	else
		inet_ntop(f->family, f->addr, e.target, sizeof(e.target));
	e.private = !name && is_private(f->family, f->addr);
	for (size_t i = 0; i < *n; i++) {
		if (v[i].dir != e.dir || v[i].proto != e.proto ||
		    strcmp(v[i].target, e.target) != 0)
			continue;
		v[i].flows++;
		port_key(f->port, key);
		return f->has_port ? interval_add(&v[i].ports, key, key) : 0;
	}
	e.flows = 1;
	interval_list_init(&e.ports, 2);
	port_key(f->port, key);
	v[(*n)++] = e;
	return f->has_port ? interval_add(&v[*n - 1].ports, key, key) : 0;
}

static bool same_ports(const struct interval_list *a,
		       const struct interval_list *b)
{
	return a->n == b->n &&
	       (a->n == 0 || !memcmp(a->v, b->v, a->n * sizeof(*a->v)));
}

/* The rule of entry `i` and of every later unnamed one like it. */
static json_object *rule_json(struct entry *v, size_t n, size_t i)
{
	json_object *rule = json_object_new_object();
	json_object *to = json_object_new_array();
	json_object *ports = json_object_new_array();
	char buf[32], comment[COMMENT_MAX + 1];
	size_t flows = 0;

	for (size_t j = i; j < n; j++) {
		if (j != i && (v[i].named || v[j].named || v[j].used ||
			       v[j].dir != v[i].dir ||
			       v[j].proto != v[i].proto ||
			       v[j].private != v[i].private ||
			       !same_ports(&v[j].ports, &v[i].ports)))
			continue;
		v[j].used = true;
		flows += v[j].flows;
		json_object_array_add(to, json_object_new_string(v[j].target));
	}
	json_object_object_add(rule, v[i].dir == DIR_EGRESS ? "to" : "from",
			       to);
	proto_format((uint8_t)v[i].proto, buf);
	json_object_object_add(rule, "proto", proto_parse(buf) < 0
			       ? json_object_new_int(v[i].proto)
			       : json_object_new_string(buf));
	for (size_t k = 0; k < v[i].ports.n; k++) {
		struct interval *iv = &v[i].ports.v[k];

		interval_format_port(iv, buf, sizeof(buf));
		json_object_array_add(ports, memcmp(iv->lo, iv->hi, 2)
			? json_object_new_string(buf)
			: json_object_new_int(iv->lo[0] << 8 | iv->lo[1]));
	}
	if (v[i].ports.n)
		json_object_object_add(rule, "ports", ports);
	else
		json_object_put(ports);
	snprintf(comment, sizeof(comment), "%zu flow%s seen%s", flows,
		 flows == 1 ? "" : "s", v[i].named ? "" : v[i].private
		 ? ", private addresses" : ", public addresses");
	json_object_object_add(rule, "comment",
			       json_object_new_string(comment));
	return rule;
}

/* Hostnames resolve through the container's nameservers, from inside its
 * namespace when podman 5 writes resolv.conf late (late.h) and at every
 * refresh: a draft that names one lets DNS to them out, unless a rule
 * does already. */
static bool needs_dns(const struct entry *v, size_t n)
{
	bool names = false, dns = false;

	for (size_t i = 0; i < n; i++) {
		if (v[i].dir != DIR_EGRESS || !v[i].named)
			continue;
		dns |= strcmp(v[i].target, "dns") == 0;
		names |= strchr(v[i].target, '.') != NULL;
	}
	return names && !dns;
}

static json_object *dns_rule(void)
{
	json_object *rule = json_object_new_object();
	json_object *to = json_object_new_array();

	json_object_array_add(to, json_object_new_string("dns"));
	json_object_object_add(rule, "to", to);
	json_object_object_add(rule, "comment", json_object_new_string(
		"its nameservers: the hostnames above resolve through them"));
	return rule;
}

static json_object *policy_json(const struct suggest *s, struct entry *v,
				size_t n)
{
	static const char *const defaults[DIR_COUNT] = { "reject", "drop" };
	json_object *p = json_object_new_object();
	char desc[160];

	snprintf(desc, sizeof(desc), "drafted by oci-fw-hook suggest from %zu "
		 "flows%s: review before use", s->nflows,
		 s->skipped ? " (flows of other protocols left out)" : "");
	json_object_object_add(p, "description", json_object_new_string(desc));
	for (int d = 0; d < DIR_COUNT; d++) {
		json_object *dir = NULL, *allow = json_object_new_array();

		for (size_t i = 0; i < n; i++) {
			if ((int)v[i].dir != d || v[i].used)
				continue;
			json_object_array_add(allow, rule_json(v, n, i));
		}
		if (d == DIR_EGRESS && needs_dns(v, n))
			json_object_array_add(allow, dns_rule());
		/* A direction never seen is left to the runtime. */
		if (json_object_array_length(allow) == 0 && d == DIR_INGRESS) {
			json_object_put(allow);
			continue;
		}
		dir = json_object_new_object();
		json_object_object_add(dir, "default",
				       json_object_new_string(defaults[d]));
		json_object_object_add(dir, "allow", allow);
		json_object_object_add(p, direction_names[d], dir);
	}
	return p;
}

/* What `check` would say: the parser, then the compiler. */
static int validate(const char *text, struct fw_error *err)
{
	static const uint8_t zero[SHA256_LEN];
	struct ruleset rs;
	struct policy p;
	int r;

	r = policy_parse(text, strlen(text), &p, err);
	if (r < 0)
		return r;
	r = ruleset_compile(&p, &(const struct ruleset_meta){
				    .name = "suggest", .sha256 = zero,
				    .origin = zero },
			    &rs, err);
	policy_free(&p);
	if (r == 0)
		ruleset_free(&rs);
	return r;
}

int suggest_print(const struct suggest *s, FILE *out, struct fw_error *err)
{
	struct entry *v = calloc(s->nflows + 1, sizeof(*v));
	json_object *p = NULL;
	size_t n = 0;
	int r = v ? 0 : -ENOMEM;

	for (size_t i = 0; r == 0 && i < s->nflows; i++)
		r = add_flow(v, &n, s, &s->flows[i]);
	for (size_t i = 0; r == 0 && i < n; i++)
		interval_normalize(&v[i].ports);
	if (r == 0)
		p = policy_json(s, v, n);
	if (r == 0 && !p)
		r = -ENOMEM;
	if (r == 0)
		r = validate(json_object_to_json_string_ext(
				     p, JSON_C_TO_STRING_PLAIN), err);
	if (r == 0)
		fprintf(out, "%s\n", json_object_to_json_string_ext(
					     p, JSON_C_TO_STRING_PRETTY |
					     JSON_C_TO_STRING_SPACED |
					     JSON_C_TO_STRING_NOSLASHESCAPE));
	for (size_t i = 0; i < n; i++)
		interval_list_free(&v[i].ports);
	free(v);
	json_object_put(p);
	if (r == -ENOMEM)
		return fw_error_set(err, r, "", "out of memory");
	return r;
}
