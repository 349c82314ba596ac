// SPDX-License-Identifier: GPL-2.0-or-later
/* explain: which rule of a compiled ruleset decides a packet, and why. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "explain.h"
#include "netlink.h"
#include "netns.h"

/*
 * The ruleset is evaluated as the kernel would evaluate the first packet
 * of a connection (ct state new): the built-in established, invalid,
 * neighbour-discovery and spoofing rules never decide it, log rules
 * never do, and the first rule whose every match holds does.
 */

/* "192.0.2.1:443", "[2001:db8::1]:443", "2001:db8::1", "192.0.2.1". */
static int split_port(char *s, const char **ret_addr, const char **ret_port)
{
	char *colon = strrchr(s, ':');

	*ret_port = NULL;
	if (s[0] == '[') {
		char *end = strchr(s, ']');

		if (!end || (end[1] && end[1] != ':'))
			return -EINVAL;
		*end = '\0';
		*ret_addr = s + 1;
		*ret_port = end[1] ? end + 2 : NULL;
		return 0;
	}
	*ret_addr = s;
	if (colon && strchr(s, ':') == colon) {
		*colon = '\0';
		*ret_port = colon + 1;
	}
	return 0;
}

static int parse_port(const char *s, uint16_t *ret)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (errno || *end || end == s || n < 0 || n > 65535)
		return -EINVAL;
	*ret = (uint16_t)n;
	return 0;
}

int explain_query_parse(const char *proto, const char *addr, bool in,
			struct explain_query *ret, struct fw_error *err)
{
	struct explain_query q = { .dir = in ? DIR_INGRESS : DIR_EGRESS,
				   .proto = -1 };
	char buf[INET6_ADDRSTRLEN + 16];
	const char *a, *port;
	bool ports;

	q.proto = proto_parse(proto);
	if (q.proto < 0)
		return fw_error_set(err, -EINVAL, proto, "not a protocol (tcp, "
				    "udp, sctp, icmp, icmpv6, ...: as policies "
				    "name them)");
	ports = proto_has_ports(q.proto);
	snprintf(buf, sizeof(buf), "%s", addr);
	if (strlen(addr) >= sizeof(buf) || split_port(buf, &a, &port) < 0)
		return fw_error_set(err, -EINVAL, addr, "not ADDR[:PORT]");
	if (inet_pton(AF_INET, a, q.addr) == 1)
		q.family = AF_INET;
	else if (inet_pton(AF_INET6, a, q.addr) == 1)
		q.family = AF_INET6;
	else
		return fw_error_set(err, -EINVAL, addr, "not an IPv4 or IPv6 "
				    "address (IPv6 with a port: [ADDR]:PORT)");
	if (ports != !!port)
		return fw_error_set(err, -EINVAL, addr, ports ?
				    "%s needs a port: ADDR:PORT" :
				    "%s has no ports", proto);
	if (port && parse_port(port, &q.port) < 0)
		return fw_error_set(err, -EINVAL, addr, "%s is not a port", port);
	if ((q.proto == IPPROTO_ICMP && q.family != AF_INET) ||
	    (q.proto == IPPROTO_ICMPV6 && q.family != AF_INET6))
		return fw_error_set(err, -EINVAL, addr, "%s is for IPv%c "
				    "addresses", proto,
				    q.proto == IPPROTO_ICMP ? '4' : '6');
	q.has_port = port;
	*ret = q;
	return 0;
}

/* The index of the interval holding `key` (a sorted, merged list), or -1. */
static int find_key(const struct interval_list *l, const uint8_t *key)
{
	size_t lo = 0, hi = l->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (memcmp(l->v[mid].hi, key, l->keylen) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < l->n && memcmp(l->v[lo].lo, key, l->keylen) <= 0)
		return (int)lo;
	return -1;
}

static bool is_loopback(const struct explain_query *q)
{
	static const uint8_t v6[16] = { [15] = 1 };

	return q->family == AF_INET ? q->addr[0] == 127
				    : memcmp(q->addr, v6, 16) == 0;
}

static bool builtin_matches(const struct ir_rule *r,
			    const struct explain_query *q)
{
	/* Established, invalid, neighbour discovery and spoofed sources
	 * never decide a new connection's first packet. */
	if (r->builtin == IR_LOOPBACK)
		return is_loopback(q);
	if (r->builtin == IR_LOOPBACK_V4 || r->builtin == IR_LOOPBACK_V6)
		return is_loopback(q) &&
		       q->family == (r->builtin == IR_LOOPBACK_V4 ? AF_INET
								 : AF_INET6);
	return false;
}

static bool proto_matches(const struct ruleset *rs, const struct ir_rule *r,
			  const struct explain_query *q)
{
	uint8_t key[2] = { (uint8_t)q->proto };

	if (r->l4proto != PROTO_ANY && r->l4proto != q->proto)
		return false;
	if (r->except_proto != PROTO_ANY && r->except_proto == q->proto)
		return false;
	if (r->except_set >= 0 && find_key(&rs->sets[r->except_set].elems,
					   key) >= 0)
		return false;
	port_key(q->port, key);
	if (r->port_set >= 0)
		return q->has_port &&
		       find_key(&rs->sets[r->port_set].elems, key) >= 0;
	if (r->has_port)
		return q->has_port && memcmp(r->port.lo, key, 2) <= 0 &&
		       memcmp(key, r->port.hi, 2) <= 0;
	return true;
}

/* A hash set of one prefix length holds networks: the rule matches the
 * address masked to it (ruleset.h). */
static const uint8_t *masked(const struct ir_set *set, const uint8_t *addr,
			     uint8_t *buf)
{
	uint8_t mask[KEY_MAX_LEN];

	if (set->prefix < 0)
		return addr;
	prefix_mask(mask, set->elems.keylen, (unsigned int)set->prefix);
	for (unsigned int i = 0; i < set->elems.keylen; i++)
		buf[i] = addr[i] & mask[i];
	return buf;
}

static bool rule_matches(const struct ruleset *rs, const struct ir_rule *r,
			 const struct explain_query *q, int *ret_elem)
{
	uint8_t key[KEY_MAX_LEN];
	const struct ir_set *set;

	*ret_elem = -1;
	if (r->builtin != IR_RULE)
		return builtin_matches(r, q);
	if (r->verdict == IR_LOG || !proto_matches(rs, r, q))
		return false;
	if (r->addr_set < 0)
		return true;
	set = &rs->sets[r->addr_set];
	if (set->type != (q->family == AF_INET ? SET_IPV4 : SET_IPV6))
		return false;
	*ret_elem = find_key(&set->elems, masked(set, q->addr, key));
	return *ret_elem >= 0;
}

void explain_eval(const struct ruleset *rs, const struct explain_query *q,
		  struct explanation *ret)
{
	const struct ir_chain *c = &rs->chains[q->dir];

	*ret = (struct explanation){ .rule = -1, .addr_elem = -1 };
	for (size_t i = 0; i < c->n; i++) {
		if (rule_matches(rs, &c->rules[i], q, &ret->addr_elem)) {
			ret->rule = (ssize_t)i;
			return;
		}
	}
}

static const char *const builtin_words[] = {
	[IR_LOOPBACK] = "loopback", [IR_LOOPBACK_V4] = "loopback",
	[IR_LOOPBACK_V6] = "loopback",
};

/* "@private", "dns", "example.com" or "its own list". */
static void set_words(const struct ir_set *set, char *buf, size_t len)
{
	size_t n = strcspn(set->comment, " ");

	if (strncmp(set->source, "sets.", 5) == 0)
		snprintf(buf, len, "@%s", set->source + 5);
	else if (set->comment[0])
		snprintf(buf, len, "%.*s", (int)n, set->comment);
	else
		snprintf(buf, len, "its own list");
}

static const char *verdict_word(enum ir_verdict v)
{
	static const char *const words[] = {
		[IR_ACCEPT] = "accepted",
		[IR_DROP] = "dropped",
		[IR_REJECT_TCP] = "rejected with a TCP reset",
		[IR_REJECT_ICMPX] = "rejected with ICMP admin-prohibited",
	};

	return words[v];
}

/* "to 10.254.0.2 in @private (10.0.0.0/8)", then "tcp port 80". */
static void print_reason(const struct ruleset *rs, const struct ir_rule *r,
			 const struct explain_query *q, int elem, FILE *out)
{
	char addr[INET6_ADDRSTRLEN], words[COMMENT_MAX + 2], iv[128];
	const char *sep = " (";

	inet_ntop(q->family, q->addr, addr, sizeof(addr));
	if (r->addr_set >= 0 && elem >= 0) {
		const struct ir_set *set = &rs->sets[r->addr_set];

		set_words(set, words, sizeof(words));
		interval_format_addr(&set->elems.v[elem], q->family, iv,
				     sizeof(iv));
		if (set->prefix >= 0)
			snprintf(iv + strcspn(iv, "/-"), sizeof(iv) -
				 strcspn(iv, "/-"), "/%d", set->prefix);
		fprintf(out, "%s%s %s in %s: %s", sep,
			q->dir == DIR_INGRESS ? "from" : "to", addr, words, iv);
		sep = ", ";
	}
	/* A reject's TCP reset says tcp already. */
	if (r->l4proto != PROTO_ANY && r->verdict != IR_REJECT_TCP) {
		proto_format((uint8_t)r->l4proto, iv);
		fprintf(out, "%s%s", sep, iv);
		sep = ", ";
	}
	if (r->port_set >= 0 || r->has_port) {
		fprintf(out, "%sport %u", sep, q->port);
		sep = ", ";
	}
	if (r->except_proto != PROTO_ANY || r->except_set >= 0) {
		fprintf(out, "%snot among the protocols excepted", sep);
		sep = ", ";
	}
	fputs(*sep == ',' ? ")" : "", out);
	if (r->comment[r->path_len] && strstr(r->comment + r->path_len, ": "))
		fprintf(out, "; the rule says \"%s\"",
			strstr(r->comment + r->path_len, ": ") + 2);
}

/* Symbols whose sets stay empty here: a policy explained without a
 * container. */
static void print_unresolved(const struct ruleset *rs, FILE *out)
{
	const char *sep = "note: resolved only for a container (empty here): ";

	for (size_t i = 0; i < rs->nsymbols; i++) {
		if (rs->symbols[i].resolved || rs->symbols[i].implicit)
			continue;
		fprintf(out, "%s%s", sep, rs->symbols[i].sym.name);
		sep = ", ";
	}
	if (*sep == ',')
		fputs("; name a container to use its addresses\n", out);
}

void explain_print(const struct ruleset *rs, const struct explain_query *q,
		   const struct explanation *e, FILE *out)
{
	const struct ir_rule *r;
	const char *audit;

	if (e->rule < 0) {
		fprintf(out, "accepted: %s\n", rs->chains[q->dir].present
			? "no rule matches (the chain's policy)"
			: "the policy has no such direction");
		print_unresolved(rs, out);
		return;
	}
	r = &rs->chains[q->dir].rules[e->rule];
	if (r->builtin != IR_RULE) {
		fprintf(out, "accepted by the built-in %s rule\n",
			builtin_words[r->builtin]);
		return;
	}
	audit = strstr(r->comment + r->path_len, " [audit: ");
	if (audit && audit == r->comment + r->path_len)
		fprintf(out, "accepted by audit mode: %s by %.*s",
			strncmp(audit, AUDIT_MARK_DROP,
				strlen(AUDIT_MARK_DROP)) == 0 ? "would be dropped"
							      : "would be rejected",
			r->path_len, r->comment);
	else
		fprintf(out, "%s by %.*s", verdict_word(r->verdict),
			r->path_len, r->comment);
	print_reason(rs, r, q, e->addr_elem, out);
	fputc('\n', out);
	print_unresolved(rs, out);
}

static int found_set(const struct nl_set_info *set, void *data)
{
	struct loaded *l = data;
	struct set_name sn;
	struct loaded_set *ls;

	if (set_name_parse(set->name, &sn) < 0 ||
	    (sn.kind != SET_NAME_SYMBOL && sn.kind != SET_NAME_HOSTNAME))
		return 0;
	ls = realloc(l->sets, (l->n + 1) * sizeof(*ls));
	if (!ls)
		return -ENOMEM;
	l->sets = ls;
	ls = &l->sets[l->n++];
	snprintf(ls->name, sizeof(ls->name), "%s", set->name);
	interval_list_init(&ls->elems, set->keylen);
	return 0;
}

int explain_read_loaded(pid_t pid, struct loaded *ret, struct fw_error *err)
{
	struct mnl_socket *nl = NULL;
	char comment[COMMENT_MAX + 1];
	int r;

	*ret = (struct loaded){ 0 };
	/* Unconfined: the policy's files are read after. */
	r = netns_open_firewall(pid, false, &nl, comment, sizeof(comment), err);
	if (r == 0 && table_comment_parse(comment, &ret->table) < 0)
		r = fw_error_set(err, -EINVAL, "", "the table's comment \"%s\" "
				 "is not this hook's", comment);
	if (r == 0)
		r = nl_dump_sets(nl, found_set, ret, err);
	for (size_t i = 0; r == 0 && i < ret->n; i++)
		r = nl_set_elements(nl, ret->sets[i].name, true,
				    &ret->sets[i].elems, err);
	if (nl)
		mnl_socket_close(nl);
	if (r < 0)
		loaded_free(ret);
	return r;
}

void loaded_free(struct loaded *l)
{
	for (size_t i = 0; i < l->n; i++)
		interval_list_free(&l->sets[i].elems);
	free(l->sets);
	*l = (struct loaded){ 0 };
}

void explain_use_loaded(struct ruleset *rs, struct loaded *l)
{
	for (size_t i = 0; i < l->n; i++) {
		for (size_t j = 0; j < rs->nsets; j++) {
			struct ir_set *set = &rs->sets[j];

			if (strcmp(set->name, l->sets[i].name) != 0)
				continue;
			/* Moved: the loaded list is left empty. */
			interval_list_free(&set->elems);
			set->elems = l->sets[i].elems;
			interval_list_init(&l->sets[i].elems, set->elems.keylen);
		}
	}
	for (size_t i = 0; i < rs->nsymbols; i++)
		rs->symbols[i].resolved = true;
}
