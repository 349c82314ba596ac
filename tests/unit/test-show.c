// SPDX-License-Identifier: GPL-2.0-or-later
/* show without a kernel: the rules batch.c writes, read back by
 * show_decode.c (one writer, one reader), grouped into the policy's lines
 * and printed. */
#include <errno.h>
#include <stdlib.h>
#include <json-c/json.h>
#include <libmnl/libmnl.h>
#include <libnftnl/rule.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>

#include "batch.h"
#include "policy.h"
#include "ruleset.h"
#include "show.h"
#include "show_decode.h"
#include "show_lines.h"
#include "compile-json.h"
#include "tap.h"

static const char policy_json[] =
	"{\"sets\": {\"lan\": [\"192.0.2.0/24\"]}, \"egress\": {\"default\": "
	"\"reject\", \"allow\": [{\"to\": [\"@lan\", \"dns\"], \"proto\": "
	"\"udp\", \"ports\": [53]}, {\"to\": [\"198.51.100.7\"], \"proto\": "
	"\"tcp\", \"ports\": [\"8000-8100\", 443]}], \"deny\": [{\"to\": "
	"[\"203.0.113.0/24\"]}]}, \"ingress\": {\"default\": \"drop\", "
	"\"allow\": [{\"proto\": \"tcp\", \"ports\": [\"22-23\"]}]}}";

static int build(const char *json, struct batch *b)
{
	struct fw_error err = { 0 };
	struct ruleset rs;
	int r = compile(json, &rs);

	if (r == 0) {
		r = batch_build(&rs, 1, false, b, &err);
		ruleset_free(&rs);
	}
	if (r < 0 && err.what[0])
		printf("# %s: %s\n", err.where, err.what);
	return r;
}

/* The batch's rules as the kernel would dump them, decoded. */
static size_t decode_batch(const struct batch *b, struct show_nft_rule *v,
			   size_t max)
{
	const struct nlmsghdr *nlh = (const void *)b->buf;
	int rest = (int)b->len;
	size_t n = 0;

	for (; mnl_nlmsg_ok(nlh, rest); nlh = mnl_nlmsg_next(nlh, &rest)) {
		struct nftnl_rule *r;

		if (nlh->nlmsg_type != (NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_NEWRULE))
			continue;
		r = nftnl_rule_alloc();
		if (r && nftnl_rule_nlmsg_parse(nlh, r) == 0 && n < max)
			n += show_decode_rule(r, &v[n]);
		nftnl_rule_free(r);
	}
	return n;
}

static const struct show_nft_rule *find(const struct show_nft_rule *v,
					size_t n, const char *key,
					const char *addr_set)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].key, key) == 0 &&
		    strcmp(v[i].addr_set, addr_set) == 0)
			return &v[i];
	return NULL;
}

static void test_decode(const struct show_nft_rule *v, size_t n)
{
	const struct show_nft_rule *r;

	r = find(v, n, "egress.allow[0]", "sym.dns_v6");
	ok(r && r->proto == 17 && r->port_lo == 53 && r->port_hi == 53 &&
		   !r->port_set[0] && strcmp(r->verdict, "accept") == 0 &&
		   r->dir == DIR_EGRESS && !r->audit,
	   "one port, a symbol's set, udp, accept");
	r = find(v, n, "egress.allow[1]", "egress.allow.1_v4.32");
	ok(r && r->proto == 6 && r->port_set[0], "a port set is named");
	r = find(v, n, "egress.deny[0]", "egress.deny.0_v4.24");
	ok(r && strcmp(r->verdict, "reject") == 0, "a deny rejects");
	r = find(v, n, "ingress.allow[0]", "");
	ok(r && r->dir == DIR_INGRESS && r->port_lo == 22 && r->port_hi == 23,
	   "a port range, in the ingress chain");
	r = find(v, n, SHOW_BUILTIN "source address not its own", "");
	ok(r && strcmp(r->verdict, "drop") == 0,
	   "the foreign-source rule is not called ct state invalid");
	ok(find(v, n, SHOW_BUILTIN "ct state invalid", "") &&
		   find(v, n, SHOW_BUILTIN "ct state established,related", "") &&
		   find(v, n, SHOW_BUILTIN "loopback", "") &&
		   find(v, n, SHOW_BUILTIN "ICMPv6 neighbour discovery", ""),
	   "the other built-ins by name");
	r = find(v, n, "egress.default", "");
	ok(r && strcmp(r->verdict, "reject") == 0, "the default, last");
	ok(strcmp(v[n - 1].key, "ingress.default") == 0 ||
		   strcmp(v[n - 1].key, "egress.default") == 0,
	   "a default is the last rule of its chain");
}

/* What show.c reads from the sets, made up. */
static void describe(struct show_nft_rule *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		snprintf(v[i].target, sizeof(v[i].target), "%s", v[i].addr_set);
		if (v[i].port_set[0])
			snprintf(v[i].ports, sizeof(v[i].ports), "443,8000-8100");
		else if (v[i].port_lo)
			snprintf(v[i].ports, sizeof(v[i].ports), "%u",
				 v[i].port_lo);
		v[i].packets = 1;
		v[i].bytes = 10;
	}
}

static const struct show_rule *line(const struct show *s, enum direction d,
				    const char *prefix)
{
	for (size_t i = 0; i < s->chains[d].n; i++)
		if (strncmp(s->chains[d].rules[i].source, prefix,
			    strlen(prefix)) == 0)
			return &s->chains[d].rules[i];
	return NULL;
}

static void test_lines(struct show *s)
{
	const struct show_rule *r;

	r = line(s, DIR_EGRESS, "egress.allow[0]");
	ok(r && strcmp(r->source, "egress.allow[0] to lan_v4.24, sym.dns_v4, "
				  "sym.dns_v6 udp dport 53") == 0 &&
		   r->packets == 3 && r->bytes == 30,
	   "three nft rules, one line, counters summed");
	if (r)
		printf("# %s\n", r->source);
	r = line(s, DIR_EGRESS, "egress.deny[0]");
	ok(r && strcmp(r->source, "egress.deny[0] to egress.deny.0_v4.24") == 0 &&
		   r->packets == 2,
	   "tcp reset and icmpx of one deny, no protocol shown");
	r = line(s, DIR_EGRESS, "egress.default");
	ok(r && r == &s->chains[DIR_EGRESS].rules[s->chains[DIR_EGRESS].n - 1],
	   "egress.default is the last line");
	r = line(s, DIR_INGRESS, "ingress.allow[0]");
	ok(r && strcmp(r->source, "ingress.allow[0] tcp dport 22") == 0,
	   "ingress, ports as described");
	ok(s->chains[DIR_INGRESS].present && s->chains[DIR_EGRESS].present,
	   "both chains");
}

static char *print_text(const struct show *s)
{
	char *text = NULL;
	size_t len;
	FILE *f = open_memstream(&text, &len);

	show_print_text(s, f);
	fclose(f);
	return text;
}

static void test_print(struct show *s)
{
	struct fw_error err = { 0 };
	json_object *root, *rules;
	char *text, *json = NULL;
	size_t len;
	FILE *f;

	snprintf(s->policy, sizeof(s->policy), "web");
	snprintf(s->sha256, sizeof(s->sha256), "0123456789abcdef");
	s->audit = true;
	s->chains[DIR_EGRESS].rules[0].enforced = false;
	text = print_text(s);
	ok(text && strstr(text, "policy web, sha256:0123456789abcdef, mode "
				"audit (blocks are counted, not done)\n") &&
		   strstr(text, "\negress "),
	   "text: the header and the chains");
	ok(text && strstr(text, "would "), "text: audit says would");
	free(text);
	f = open_memstream(&json, &len);
	ok(show_print_json(s, f, &err) == 0, "json printed");
	fclose(f);
	root = json_tokener_parse(json);
	ok(root && json_object_object_get_ex(root, "chains", &rules) &&
		   json_object_object_get_ex(rules, "ingress", &rules) &&
		   json_object_object_get_ex(rules, "rules", &rules) &&
		   json_object_array_length(rules) == s->chains[DIR_INGRESS].n,
	   "json: every ingress line");
	json_object_put(root);
	free(json);
}

int main(void)
{
	struct show_nft_rule v[64];
	struct fw_error err = { 0 };
	struct show s = { 0 };
	struct batch b;
	size_t n = 0;

	if (ok(build(policy_json, &b) == 0, "policy built")) {
		n = decode_batch(&b, v, 64);
		batch_free(&b);
	}
	if (!ok(n > 10, "rules decoded: %zu", n))
		return tap_done();
	test_decode(v, n);
	describe(v, n);
	ok(show_lines_build(v, n, &s, &err) == 0, "lines built");
	test_lines(&s);
	test_print(&s);
	show_free(&s);
	return tap_done();
}
