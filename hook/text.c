// SPDX-License-Identifier: GPL-2.0-or-later
/* The ruleset as nft syntax: what `print` shows and `nft -f` loads. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>

#include "text.h"

/* As nft lists them: ICMPv6 is "ipv6-icmp" there. */
static void l4proto_name(uint8_t proto, char buf[PROTO_NAME_MAX])
{
	if (proto == IPPROTO_ICMPV6)
		snprintf(buf, PROTO_NAME_MAX, "ipv6-icmp");
	else
		proto_format(proto, buf);
}

static void print_elements(const struct ir_set *set, FILE *out)
{
	const struct interval_list *l = &set->elems;
	char buf[2 * INET6_ADDRSTRLEN + 2];

	for (size_t i = 0; i < l->n; i++) {
		if (set->type == SET_PROTO)
			l4proto_name(l->v[i].lo[0], buf);
		else if (set->type == SET_PORT)
			interval_format_port(&l->v[i], buf, sizeof(buf));
		else if (set->prefix >= 0)
			inet_ntop(set->type == SET_IPV4 ? AF_INET : AF_INET6,
				  l->v[i].lo, buf, sizeof(buf));
		else
			interval_format_addr(&l->v[i],
					     set->type == SET_IPV4 ? AF_INET
								   : AF_INET6,
					     buf, sizeof(buf));
		fprintf(out, "%s%s", i ? ", " : "", buf);
	}
}

static void print_set(const struct ir_set *set, FILE *out)
{
	fprintf(out, "\tset %s {\n\t\ttype %s\n", set->name,
		set->type == SET_IPV4 ? "ipv4_addr" : "ipv6_addr");
	if (set->learned)
		fprintf(out, "\t\tsize %d\n\t\tflags timeout\n", LEARN_SET_SIZE);
	else if (set->prefix < 0)
		fputs("\t\tflags interval\n", out);
	else
		fprintf(out, "\t\tsize %zu\n", set->elems.n);
	if (set->comment[0])
		fprintf(out, "\t\tcomment \"%s\"\n", set->comment);
	if (set->elems.n) {
		fputs("\t\telements = { ", out);
		print_elements(set, out);
		fputs(" }\n", out);
	}
	fputs("\t}\n", out);
}

static const char *builtin_text(enum ir_builtin b)
{
	switch (b) {
	case IR_LOOPBACK:
		return "oif \"lo\"";
	case IR_LOOPBACK_V4:
		return "iif \"lo\" ip daddr 127.0.0.0/8";
	case IR_LOOPBACK_V6:
		return "iif \"lo\" ip6 daddr ::1";
	case IR_ESTABLISHED:
		return "ct state established,related";
	case IR_INVALID:
		return "ct state invalid";
	case IR_NEIGHBOUR:
		return "icmpv6 type { nd-router-solicit, nd-router-advert, "
		       "nd-neighbor-solicit, nd-neighbor-advert }";
	case IR_MLD:
		return "ip6 hoplimit 1 ip6 daddr ff02::/16 icmpv6 type { "
		       "mld-listener-query, mld-listener-report, "
		       "mld-listener-done, mld2-listener-report }";
	case IR_SPOOFED:
		return "ct state != related fib saddr type != local";
	case IR_LEARN: /* then its address and port, as a rule's */
		return "ct state established ct direction reply";
	case IR_RULE: /* print_rule prints the policy's matches instead */
		break;
	}
	return "";
}

/* "& 255.255.255.0 " before a hash set of networks shorter than an
 * address (batch.c's match_addr_set) */
static void print_prefix_mask(const struct ir_set *set, FILE *out)
{
	unsigned int len = set->type == SET_IPV4 ? 4 : 16;
	uint8_t mask[KEY_MAX_LEN];
	char buf[INET6_ADDRSTRLEN];

	if (set->prefix < 0 || (unsigned int)set->prefix == 8 * len)
		return;
	prefix_mask(mask, len, (unsigned int)set->prefix);
	inet_ntop(len == 4 ? AF_INET : AF_INET6, mask, buf, sizeof(buf));
	fprintf(out, "& %s ", buf);
}

static const char *const verdict_text[] = {
	[IR_ACCEPT] = "accept",
	[IR_DROP] = "drop",
	[IR_REJECT_TCP] = "reject with tcp reset",
	[IR_REJECT_ICMPX] = "reject with icmpx admin-prohibited",
	/* the netlink back end loads it as xt NFQUEUE (expr.c) */
	[IR_QUEUE] = "queue num " LEARN_QUEUE_TEXT,
};

static void print_matches(const struct ruleset *rs, const struct ir_rule *r,
			  enum direction d, FILE *out)
{
	char buf[16], proto[PROTO_NAME_MAX];

	if (r->addr_set >= 0) {
		const struct ir_set *set = &rs->sets[r->addr_set];

		fprintf(out, "%s %s ", set->type == SET_IPV4 ? "ip" : "ip6",
			chain_matches_source(d) ? "saddr" : "daddr");
		print_prefix_mask(set, out);
		fprintf(out, "@%s ", set->name);
	}
	if (r->except_set >= 0) {
		fputs("meta l4proto != { ", out);
		print_elements(&rs->sets[r->except_set], out);
		fputs(" } ", out);
	} else if (r->except_proto != PROTO_ANY) {
		l4proto_name((uint8_t)r->except_proto, proto);
		fprintf(out, "meta l4proto != %s ", proto);
	}
	if (r->l4proto != PROTO_ANY)
		l4proto_name((uint8_t)r->l4proto, proto);
	if (r->port_set >= 0) {
		fprintf(out, "%s dport { ", proto);
		print_elements(&rs->sets[r->port_set], out);
		fprintf(out, " } ");
	} else if (r->has_port) {
		interval_format_port(&r->port, buf, sizeof(buf));
		fprintf(out, "%s %s %s ", proto, r->sport ? "sport" : "dport",
			buf);
	} else if (r->l4proto != PROTO_ANY) {
		fprintf(out, "meta l4proto %s ", proto);
	}
}

static void print_rule(const struct ruleset *rs, const struct ir_rule *r,
		       enum direction d, FILE *out)
{
	char prefix[WATCH_PREFIX_MAX + 1];

	fputs("\t\t", out);
	if (r->builtin != IR_RULE)
		fprintf(out, "%s ", builtin_text(r->builtin));
	print_matches(rs, r, d, out);
	ruleset_log_prefix(rs, r, d, prefix, sizeof(prefix));
	if (r->verdict == IR_LOG) {
		fprintf(out, "limit rate %d/second burst %d packets log prefix "
			     "\"%s\"", LOG_RATE, LOG_BURST, prefix);
		if (r->nflog)
			fprintf(out, " group %u", r->group);
	} else if (r->watch) {
		fprintf(out, "counter log prefix \"%s\" group %d %s", prefix,
			WATCH_GROUP, verdict_text[r->verdict]);
	} else {
		fprintf(out, "counter %s", verdict_text[r->verdict]);
	}
	if (r->comment[0])
		fprintf(out, " comment \"%s\"", r->comment);
	fputc('\n', out);
}

int ruleset_print(const struct ruleset *rs, FILE *out)
{
	static const char *const hooks[DIR_COUNT] = { "output", "input" };

	fprintf(out, "table inet %s {\n\tcomment \"%s\"\n", RULESET_TABLE,
		rs->comment);
	for (size_t i = 0; i < rs->nsets; i++)
		if (!ir_set_anonymous(&rs->sets[i]))
			print_set(&rs->sets[i], out);
	for (int d = 0; d < DIR_COUNT; d++) {
		const struct ir_chain *c = &rs->chains[d];

		if (!c->present)
			continue;
		fprintf(out, "\tchain %s {\n\t\ttype filter hook %s priority "
			     "filter; policy accept;\n",
			direction_names[d], hooks[d]);
		for (size_t i = 0; i < c->n; i++)
			print_rule(rs, &c->rules[i], (enum direction)d, out);
		fputs("\t}\n", out);
	}
	fputs("}\n", out);
	return fflush(out) == 0 && !ferror(out) ? 0 : -EIO;
}
