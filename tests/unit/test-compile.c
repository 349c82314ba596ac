// SPDX-License-Identifier: GPL-2.0-or-later
/* policy → ruleset → nft text and netlink batch; acks mapped to origins. */
#include <errno.h>
#include <stdlib.h>
#include <linux/netlink.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <libmnl/libmnl.h>

#include "batch.h"
#include "netlink.h"
#include "policy.h"
#include "resolve.h"
#include "ruleset.h"
#include "text.h"
#include "compile-json.h"
#include "tap.h"

static char *print_text(const char *json)
{
	struct ruleset rs;
	char *text = NULL;
	size_t len;
	FILE *f;

	if (compile(json, &rs) < 0)
		return NULL;
	f = open_memstream(&text, &len);
	ruleset_print(&rs, f);
	fclose(f);
	ruleset_free(&rs);
	return text;
}

/* Drops watch's statement from the blocks (test_watch checks it):
 * "counter log prefix \"oci-fw-watch:...\" group 20294 drop" → "counter drop". */
static void drop_watch_logs(char *text)
{
	static const char group[] = " group 20294";
	char *p;

	while ((p = strstr(text, " log prefix \"oci-fw-watch:"))) {
		char *end = strstr(p, group);

		if (!end)
			return;
		end += strlen(group);
		memmove(p, end, strlen(end) + 1);
	}
}

/* The last chain's rules, one line each, after its built-in ones: egress
 * ends them with "ct state invalid", ingress with MLD. */
static char *chain_text(const char *json)
{
	static const char *const last[] = { "ct state invalid counter drop",
					    "mld2-listener-report }" };
	char *text = print_text(json), *start = NULL, *p;

	for (size_t i = 0; text && i < 2; i++)
		for (p = strstr(text, last[i]); p; p = strstr(p + 1, last[i]))
			start = p > start ? p : start;
	if (!text)
		return NULL;
	start = start ? strchr(start, '\n') + 1 : text;
	memmove(text, start, strlen(start) + 1);
	drop_watch_logs(text);
	return text;
}

static void check_chain(const char *json, const char *want, const char *name)
{
	char *got = chain_text(json);

	is(got, want, name);
	free(got);
}

static void test_except(void)
{
	check_chain("{\"egress\": {\"default\": \"reject\", \"deny\": "
		    "[{\"to\": [\"192.0.2.0/24\"], \"except\": [{\"proto\": \"udp\", "
		    "\"ports\": [53]}, {\"proto\": \"tcp\", \"ports\": [53, 853]}, "
		    "{\"proto\": \"udp\", \"ports\": [\"60000-65535\"]}]}]}}",
		    "\t\tip daddr & 255.255.255.0 @egress.deny.0_v4.24 meta l4proto != { tcp, udp } counter reject with icmpx admin-prohibited comment \"egress.deny[0]\"\n"
		    "\t\tip daddr & 255.255.255.0 @egress.deny.0_v4.24 udp dport { 0-52, 54-59999 } counter reject with icmpx admin-prohibited comment \"egress.deny[0]\"\n"
		    "\t\tip daddr & 255.255.255.0 @egress.deny.0_v4.24 tcp dport { 0-52, 54-852, 854-65535 } counter reject with tcp reset comment \"egress.deny[0]\"\n"
		    "\t\tmeta l4proto tcp counter reject with tcp reset comment \"egress.default\"\n"
		    "\t\tcounter reject with icmpx admin-prohibited comment \"egress.default\"\n"
		    "\t}\n}\n",
		    "except: every other protocol, then each protocol's other ports; "
		    "no reset where tcp is excepted");
	check_chain("{\"egress\": {\"default\": \"drop\", \"deny\": "
		    "[{\"to\": [\"192.0.2.0/24\"], \"except\": [{\"proto\": \"udplite\"}, "
		    "{\"proto\": \"udplite\", \"ports\": [5]}]}, {\"proto\": 0}]}}",
		    "\t\tip daddr & 255.255.255.0 @egress.deny.0_v4.24 meta l4proto != udplite counter drop comment \"egress.deny[0]\"\n"
		    "\t\tmeta l4proto 0 counter drop comment \"egress.deny[1]\"\n"
		    "\t\tcounter drop comment \"egress.default\"\n\t}\n}\n",
		    "one protocol excepted whole is a comparison; protocol 0 is not any");
}

static void test_text(void)
{
	char *text;

	check_chain("{\"egress\": {\"default\": \"reject\", \"deny\": "
		    "[{\"to\": [\"192.0.2.0/24\", \"2001:db8::/32\"]}]}}",
		    "\t\tip daddr & 255.255.255.0 @egress.deny.0_v4.24 meta l4proto tcp counter reject with tcp reset comment \"egress.deny[0]\"\n"
		    "\t\tip daddr & 255.255.255.0 @egress.deny.0_v4.24 counter reject with icmpx admin-prohibited comment \"egress.deny[0]\"\n"
		    "\t\tip6 daddr & ffff:ffff:: @egress.deny.0_v6.32 meta l4proto tcp counter reject with tcp reset comment \"egress.deny[0]\"\n"
		    "\t\tip6 daddr & ffff:ffff:: @egress.deny.0_v6.32 counter reject with icmpx admin-prohibited comment \"egress.deny[0]\"\n"
		    "\t\tmeta l4proto tcp counter reject with tcp reset comment \"egress.default\"\n"
		    "\t\tcounter reject with icmpx admin-prohibited comment \"egress.default\"\n"
		    "\t}\n}\n",
		    "reject: TCP reset and icmpx, one rule per family");
	check_chain("{\"egress\": {\"default\": \"drop\", "
		    "\"allow\": [{\"proto\": \"udp\", \"ports\": [53], \"comment\": \"DNS\"},"
		    "{\"proto\": \"tcp\", \"ports\": [\"8000-8100\"]},"
		    "{\"proto\": \"tcp\", \"ports\": [443, 80]}],"
		    "\"deny\": [{\"proto\": \"udp\", \"ports\": [53], \"to\": [\"198.51.100.1\"]}]}}",
		    "\t\tip daddr @egress.deny.0_v4.32 udp dport 53 counter drop comment \"egress.deny[0]\"\n"
		    "\t\tudp dport 53 counter accept comment \"egress.allow[0]: DNS\"\n"
		    "\t\ttcp dport 8000-8100 counter accept comment \"egress.allow[1]\"\n"
		    "\t\ttcp dport { 80, 443 } counter accept comment \"egress.allow[2]\"\n"
		    "\t\tcounter drop comment \"egress.default\"\n"
		    "\t}\n}\n",
		    "deny before allow; one port, a range, a set");
	check_chain("{\"sets\": {\"s\": [\"192.0.2.0/24\"]}, \"ingress\": {\"default\": "
		    "\"accept\", \"deny\": [{\"from\": [\"@s\"], \"proto\": \"icmp\"}]}}",
		    "\t\tip saddr & 255.255.255.0 @s_v4.24 meta l4proto icmp counter drop comment \"ingress.deny[0]\"\n"
		    "\t\tcounter accept comment \"ingress.default\"\n"
		    "\t}\n}\n",
		    "ingress matches the source; one reference uses the named set");
	check_chain("{\"egress\": {\"default\": \"drop\", \"allow\": ["
		    "{\"to\": [\"dns\"]},"
		    "{\"to\": [\"a.example.com\", \"192.0.2.1\"], \"proto\": \"icmp\"}]}}",
		    "\t\tip daddr @sym.dns_v4 udp dport 53 counter accept comment \"egress.allow[0]\"\n"
		    "\t\tip daddr @sym.dns_v4 tcp dport 53 counter accept comment \"egress.allow[0]\"\n"
		    "\t\tip6 daddr @sym.dns_v6 udp dport 53 counter accept comment \"egress.allow[0]\"\n"
		    "\t\tip6 daddr @sym.dns_v6 tcp dport 53 counter accept comment \"egress.allow[0]\"\n"
		    "\t\tip daddr @egress.allow.1_v4.32 meta l4proto icmp counter accept comment \"egress.allow[1]\"\n"
		    "\t\tip daddr @sym.name0_v4 meta l4proto icmp counter accept comment \"egress.allow[1]\"\n"
		    "\t\tip daddr @learn.0_v4 meta l4proto icmp counter accept comment \"egress.allow[1]\"\n"
		    "\t\tcounter drop comment \"egress.default\"\n"
		    "\t}\n"
		    "\tchain ingress {\n"
		    "\t\ttype filter hook input priority filter; policy accept;\n"
		    "\t\tiif \"lo\" ip daddr 127.0.0.0/8 counter accept\n"
		    "\t\tiif \"lo\" ip6 daddr ::1 counter accept\n"
		    "\t\tct state established ct direction reply ip saddr @sym.dns_v4 udp sport 53 counter queue num 41053\n"
		    "\t\tct state established ct direction reply ip saddr @sym.dns_v4 tcp sport 53 counter queue num 41053\n"
		    "\t\tct state established ct direction reply ip6 saddr @sym.dns_v6 udp sport 53 counter queue num 41053\n"
		    "\t\tct state established ct direction reply ip6 saddr @sym.dns_v6 tcp sport 53 counter queue num 41053\n"
		    "\t}\n}\n",
		    "symbols match their own sets and learned ones; dns is udp and tcp 53; "
		    "icmp skips IPv6");
	check_chain("{\"mode\": \"audit\", \"egress\": {\"default\": \"reject\", \"log\": true, "
		    "\"deny\": [{\"proto\": \"udp\", \"log\": {\"group\": 2}, \"comment\": \"c\"},"
		    "{\"proto\": \"sctp\", \"log\": false}]}}",
		    "\t\tmeta l4proto udp limit rate 5/second burst 10 packets log prefix \"oci-fw:-:egress:\" group 2 comment \"egress.deny[0] [audit: reject]: c\"\n"
		    "\t\tmeta l4proto udp counter accept comment \"egress.deny[0] [audit: reject]: c\"\n"
		    "\t\tmeta l4proto sctp counter accept comment \"egress.deny[1] [audit: reject]\"\n"
		    "\t\tlimit rate 5/second burst 10 packets log prefix \"oci-fw:-:egress:\" comment \"egress.default [audit: reject]\"\n"
		    "\t\tcounter accept comment \"egress.default [audit: reject]\"\n"
		    "\t}\n}\n",
		    "audit accepts and marks; a log rule before each logged "
		    "block; a rule's log overrides its direction's");
	text = print_text("{\"ingress\": {\"default\": \"drop\"}}");
	ok(text && strstr(text, "\tchain egress {\n"
				"\t\ttype filter hook output priority filter; policy accept;\n"
				"\t\ticmpv6 type { nd-router-solicit, nd-router-advert, nd-neighbor-solicit, nd-neighbor-advert } counter accept\n"
				"\t\tip6 hoplimit 1 ip6 daddr ff02::/16 icmpv6 type { mld-listener-query, mld-listener-report, mld-listener-done, mld2-listener-report } counter accept\n"
				"\t\tct state != related fib saddr type != local counter drop\n"
				"\t}\n"),
	   "without egress, the egress chain still drops foreign sources");
	free(text);
}

/* In every block, watch's NFLOG statement before the verdict (names.h). */
static void test_watch(void)
{
	char *text = print_text("{\"mode\": \"audit\", \"egress\": {\"default\": \"drop\", "
				"\"log\": true, \"deny\": [{\"proto\": \"udp\", \"comment\": \"c\"}]},"
				"\"ingress\": {\"default\": \"reject\", "
				"\"allow\": [{\"proto\": \"tcp\"}]}}");

	ok(text && strstr(text,
			  "\t\tmeta l4proto udp limit rate 5/second burst 10 packets log prefix \"oci-fw:-:egress:\" comment \"egress.deny[0] [audit: drop]: c\"\n"
			  "\t\tmeta l4proto udp counter log prefix \"oci-fw-watch:audit-drop:egress.deny[0]\" group 20294 accept comment \"egress.deny[0] [audit: drop]: c\"\n"),
	   "watch: in the block after the log rule, the path and audit");
	ok(text && strstr(text,
			  "\t\tmeta l4proto tcp counter accept comment \"ingress.allow[0]\"\n"
			  "\t\tcounter log prefix \"oci-fw-watch:audit-reject:ingress.default\" group 20294 accept comment \"ingress.default [audit: reject]\"\n"),
	   "watch: none for accepts; an audited reject is one accepting rule");
	ok(text && !strstr(text, "limit rate 5/second burst 10 packets log prefix \"oci-fw-watch:"),
	   "watch: no rule of its own, no rate limit");
	free(text);
}

static void test_table(void)
{
	static const char doc[] = "{\"sets\": {\"a\": [\"192.0.2.1\"]}}";
	struct ruleset rs;
	uint8_t sha[SHA256_LEN];
	struct fw_error err = { 0 };
	struct policy p;

	uint8_t origin[SHA256_LEN];
	const struct ruleset_meta m = { .name = "web", .sha256 = sha,
					.origin = origin, .is_default = true,
					.log_id = "01234\"6789abcdef" };

	for (int i = 0; i < SHA256_LEN; i++) {
		sha[i] = (uint8_t)i;
		origin[i] = (uint8_t)(0xf0 + i);
	}
	policy_parse(doc, strlen(doc), &p, &err);
	if (!ok(ruleset_compile(&p, &m, &rs, &err) == 0, "compiles"))
		return;
	is(rs.comment, "web sha256:0001020304050607 from:f0f1f2f3f4f5f6f7 (default)",
	   "table comment: name, the first 16 hex digits of both digests, "
	   "the default's mark");
	is(rs.log_id, "01234_6789ab",
	   "log id: the container id's first 12, sanitized");
	ok(rs.chains[DIR_EGRESS].n == 3 && !rs.chains[DIR_INGRESS].present,
	   "a missing ingress has no chain, a missing egress only the rules "
	   "up to the spoofing one");
	ok(rs.nsets == 1 && rs.nelems == 1, "an unused set is still created");
	ruleset_free(&rs);
	policy_free(&p);
}

/* An NLMSG_ERROR answer to `seq`, with an extended-ack text when given. */
static size_t put_ack(char *buf, uint32_t seq, int error, const char *msg)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlmsgerr *e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));

	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_flags = NLM_F_CAPPED;
	e->error = error;
	e->msg.nlmsg_seq = seq;
	e->msg.nlmsg_len = sizeof(struct nlmsghdr);
	if (msg) {
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, msg);
	}
	return nlh->nlmsg_len;
}

/* The same, pointing (NLMSGERR_ATTR_OFFS) at byte `off` of the refused
 * message, as the kernel does with NL_SET_BAD_ATTR(). */
static size_t put_ack_at(char *buf, uint32_t seq, int error, uint32_t off)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;

	put_ack(buf, seq, error, "bad expression");
	mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, off);
	return nlh->nlmsg_len;
}

/* Where the n-th expression (1: the first) of message `seq` starts. */
static uint32_t expr_offset(const struct batch *b, uint32_t seq, unsigned int n)
{
	const struct nlmsghdr *nlh = (const void *)b->buf;
	const struct nlattr *a, *e;
	int rest = (int)b->len;

	for (; mnl_nlmsg_ok(nlh, rest); nlh = mnl_nlmsg_next(nlh, &rest)) {
		if (nlh->nlmsg_seq != seq)
			continue;
		mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg))
			if (mnl_attr_get_type(a) == NFTA_RULE_EXPRESSIONS)
				mnl_attr_for_each_nested(e, a)
					if (--n == 0)
						return (uint32_t)((const char *)e -
								  (const char *)nlh);
	}
	return 0;
}

/* The last message made for `what`: a rule's anonymous sets come first. */
static const struct batch_origin *origin_of(const struct batch *b,
					    const char *what)
{
	for (size_t i = b->norigins; i-- > 0;)
		if (strcmp(b->origins[i].what, what) == 0)
			return &b->origins[i];
	return NULL;
}

static void test_batch_and_acks(void)
{
	static const char doc[] =
		"{\"sets\": {\"lan\": [\"10.0.0.0/8\"]}, \"egress\": {\"default\":"
		" \"drop\", \"allow\": [{\"proto\": \"tcp\", \"ports\": [80, 443],"
		" \"comment\": \"web\"}]}}";
	char *buf = calloc(1, 1 << 16);
	const struct batch_origin *rule;
	struct fw_error err = { 0 };
	struct ruleset rs;
	struct nl_acks acks;
	struct batch b;
	size_t len = 0;

	if (compile(doc, &rs) < 0 || batch_build(&rs, 100, false, &b, &err) < 0) {
		ok(0, "batch builds");
		return;
	}
	rule = origin_of(&b, "rule egress.allow[0]: web");
	ok(rule && origin_of(&b, "table inet oci_fw") && origin_of(&b, "set lan_v4.8") &&
		   origin_of(&b, "chain egress"),
	   "every message knows what it creates");
	ok(b.begin_seq == 100 && b.origins[0].seq == 101, "sequence numbers follow BATCH_BEGIN");

	ok(b.last_seq == b.origins[b.norigins - 1].seq,
	   "the last message is the one that asks for an ack");

	nl_acks_init(&acks, &b, &err);
	ok(nl_acks_feed(&acks, buf, 0) == 1, "nothing yet: the ack is due");
	len = put_ack(buf, b.last_seq, 0, NULL);
	ok(nl_acks_feed(&acks, buf, len) == 0, "the last message acked: done");

	nl_acks_init(&acks, &b, &err);
	len = 0;
	/* The kernel goes on after an error: what depends on it fails too. */
	for (size_t i = 0; i < b.norigins; i++)
		if (b.origins[i].seq >= rule->seq)
			len += put_ack(buf + len, b.origins[i].seq, -EOPNOTSUPP,
				       b.origins[i].seq == rule->seq ? "the reason"
								     : NULL);
	ok(nl_acks_feed(&acks, buf, len) == -EOPNOTSUPP, "a refused rule fails the batch");
	is(err.where, "rule egress.allow[0]: web", "the first failure names its rule");
	is(err.what, "not supported by this kernel (is nf_tables loaded?): the reason",
	   "with the kernel's own words");

	nl_acks_init(&acks, &b, &err);
	len = put_ack_at(buf, rule->seq, -EOPNOTSUPP,
			 expr_offset(&b, rule->seq, 3) + 8);
	len += put_ack(buf + len, b.last_seq, -EOPNOTSUPP, NULL);
	ok(nl_acks_feed(&acks, buf, len) == -EOPNOTSUPP, "an expression refused");
	is(err.what, "not supported by this kernel (is nf_tables loaded?): "
		     "bad expression (expression 3 of the rule, payload)",
	   "the ack's offset names the expression inside the rule, as nft does");
	nl_acks_init(&acks, &b, &err);
	len = put_ack_at(buf, rule->seq, -EINVAL, 20);
	nl_acks_feed(&acks, buf, len);
	is(err.what, "Invalid argument: bad expression",
	   "an offset outside the expressions names none");

	nl_acks_init(&acks, &b, &err);
	len = put_ack(buf, b.begin_seq, -ENOMEM, NULL);
	ok(nl_acks_feed(&acks, buf, len) == -ENOMEM, "a failed commit comes on BATCH_BEGIN");

	nl_acks_init(&acks, &b, &err);
	acks.lost = true;
	len = put_ack(buf, b.last_seq, 0, NULL);
	ok(nl_acks_feed(&acks, buf, len) == -ENOBUFS,
	   "answers lost to a full socket: the outcome is unknown, so it fails");
	batch_free(&b);
	ruleset_free(&rs);
	free(buf);
}

/* The companion resolves twice: the second starts from empty sets. */
static void test_clear_symbols(void)
{
	static const char hosts[] = "192.0.2.9 a.example.com\n";
	static const char resolv[] = "nameserver 192.0.2.53\n"
				     "nameserver 2001:db8::53\n";
	struct resolve_input in = { .resolv_conf = resolv,
				    .resolv_len = sizeof(resolv) - 1,
				    .hosts = hosts,
				    .hosts_len = sizeof(hosts) - 1,
				    .no_queries = true };
	struct fw_error err = { 0 };
	struct ruleset rs;
	size_t before;

	if (!ok(compile("{\"sets\": {\"s\": [\"198.51.100.0/24\"]}, "
			"\"egress\": {\"default\": \"drop\", \"allow\": ["
			"{\"to\": [\"dns\", \"a.example.com\", \"@s\"]}]}}",
			&rs) == 0, "symbols compiled"))
		return;
	before = rs.nelems;
	ok(ruleset_resolve(&rs, &in, &err) == 0 && rs.nelems == before + 3 &&
		   rs.symbols[0].resolved,
	   "resolved: 2 nameservers and 1 host added");
	ruleset_clear_symbols(&rs);
	ok(rs.nelems == before, "cleared: the count as compiled");
	for (size_t i = 0; i < rs.nsymbols; i++)
		ok(!rs.symbols[i].resolved &&
			   rs.sets[rs.symbols[i].set[0]].elems.n == 0 &&
			   rs.sets[rs.symbols[i].set[1]].elems.n == 0,
		   "symbol %zu: empty, not resolved", i);
	ok(ruleset_resolve(&rs, &in, &err) == 0 && rs.nelems == before + 3,
	   "resolved again: the same count, nothing twice");
	ruleset_free(&rs);
}

int main(void)
{
	test_clear_symbols();
	test_text();
	test_watch();
	test_except();
	test_table();
	test_batch_and_acks();
	return tap_done();
}
