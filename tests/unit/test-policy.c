// SPDX-License-Identifier: GPL-2.0-or-later
/* Policy parsing: every error's JSON path and message, and the model. */
#include <errno.h>
#include <netinet/in.h>

#include "cleanup.h"
#include "policy.h"
#include "tap.h"

static const char *parse_error(const char *json)
{
	static char line[1024];
	struct fw_error err = { 0 };
	struct policy p;

	if (policy_parse(json, strlen(json), &p, &err) == 0) {
		policy_free(&p);
		return "(valid)";
	}
	fw_error_format(&err, line, sizeof(line));
	return line;
}

#define EGRESS(rules) "{\"egress\": {\"default\": \"drop\", \"allow\": [" rules "]}}"
#define DENY(rules) "{\"egress\": {\"default\": \"accept\", \"deny\": [" rules "]}}"

static const struct {
	const char *json, *want;
} invalid[] = {
	{ EGRESS("{\"proto\": \"tcp\", \"ports\": [80, 65536]}"),
	  "egress.allow[0].ports[1]: 65536 is not a port (1-65535)" },
	{ EGRESS("{\"proto\": \"tcp\", \"ports\": [0]}"),
	  "egress.allow[0].ports[0]: 0 is not a port (1-65535)" },
	{ EGRESS("{\"proto\": \"tcp\", \"ports\": [\"90-80\"]}"),
	  "egress.allow[0].ports[0]: \"90-80\": the range runs backwards" },
	{ EGRESS("{\"proto\": \"tcp\", \"ports\": [\"80\"]}"),
	  "egress.allow[0].ports[0]: \"80\" is a string: write 80 for one port, \"lo-hi\" for a range" },
	{ EGRESS("{\"proto\": \"tcp\", \"ports\": [\"80-\"]}"),
	  "egress.allow[0].ports[0]: \"80-\" is not a port range (\"lo-hi\")" },
	{ EGRESS("{\"proto\": \"tcp\", \"ports\": [\"1-70000\"]}"),
	  "egress.allow[0].ports[0]: 70000 is not a port (1-65535)" },
	{ EGRESS("{\"proto\": \"tcp\", \"ports\": [80.5]}"),
	  "egress.allow[0].ports[0]: expected a port number or a \"lo-hi\" range" },
	{ EGRESS("{\"ports\": [80]}"),
	  "egress.allow[0].ports: ports need \"proto\": \"tcp\", \"udp\", \"udplite\", \"sctp\" or \"dccp\"" },
	{ EGRESS("{\"proto\": \"icmp\", \"ports\": [80]}"),
	  "egress.allow[0].ports: ports need \"proto\": \"tcp\", \"udp\", \"udplite\", \"sctp\" or \"dccp\"" },
	{ EGRESS("{\"proto\": \"gre\", \"ports\": [80]}"),
	  "egress.allow[0].ports: ports need \"proto\": \"tcp\", \"udp\", \"udplite\", \"sctp\" or \"dccp\"" },
	{ EGRESS("{\"proto\": \"tcp\", \"ports\": []}"),
	  "egress.allow[0].ports: empty list (leave the key out instead)" },
	{ EGRESS("{\"proto\": \"ipip\"}"),
	  "egress.allow[0].proto: \"ipip\" is not a protocol (tcp, udp, udplite, sctp, dccp, icmp, icmpv6, gre, esp, ah, or a number 0-255)" },
	{ EGRESS("{\"proto\": 256}"),
	  "egress.allow[0].proto: 256 is not a protocol number (0-255)" },
	{ EGRESS("{\"proto\": -1}"),
	  "egress.allow[0].proto: -1 is not a protocol number (0-255)" },
	{ EGRESS("{\"proto\": true}"),
	  "egress.allow[0].proto: expected a protocol name or number" },
	{ EGRESS("{\"to\": [\"10.0.0.0/8\"], \"except\": [{\"proto\": \"udp\"}]}"),
	  "egress.allow[0].except: except narrows deny rules (an allow rule lists only what it allows)" },
	{ DENY("{\"to\": [\"10.0.0.0/8\"], \"except\": []}"),
	  "egress.deny[0].except: empty list (leave the key out instead)" },
	{ DENY("{\"to\": [\"10.0.0.0/8\"], \"except\": [{\"ports\": [53]}]}"),
	  "egress.deny[0].except[0]: an except entry needs \"proto\"" },
	{ DENY("{\"to\": [\"10.0.0.0/8\"], \"except\": [{\"proto\": \"esp\", \"ports\": [53]}]}"),
	  "egress.deny[0].except[0].ports: ports need a protocol that carries them (tcp, udp, udplite, sctp, dccp)" },
	{ DENY("{\"to\": [\"10.0.0.0/8\"], \"except\": [{\"prto\": \"udp\"}]}"),
	  "egress.deny[0].except[0].prto: unknown key (did you mean \"proto\"?)" },
	{ DENY("{\"to\": [\"10.0.0.0/8\"], \"proto\": \"udp\", \"except\": [{\"proto\": \"udp\", \"ports\": [53]}]}"),
	  "egress.deny[0].except: except narrows a rule over every protocol: leave out \"proto\" and \"ports\" (for one protocol, list the ports to deny)" },
	{ DENY("{\"except\": [{\"proto\": \"udp\"}]}"),
	  "egress.deny[0]: a rule needs \"to\", \"proto\" or \"ports\" (to match everything, use \"default\")" },
	{ EGRESS("{\"to\": []}"),
	  "egress.allow[0].to: empty list (leave the key out instead)" },
	{ EGRESS("{\"to\": \"192.0.2.1\"}"), "egress.allow[0].to: expected an array" },
	{ EGRESS("{\"to\": [7]}"), "egress.allow[0].to[0]: expected a string" },
	{ EGRESS("{\"to\": [\"192.0.2.1/24\"]}"),
	  "egress.allow[0].to[0]: \"192.0.2.1/24\" has host bits set (did you mean 192.0.2.0/24?)" },
	{ EGRESS("{\"to\": [\"198.51.100.0/33\"]}"),
	  "egress.allow[0].to[0]: \"198.51.100.0/33\" has no valid prefix length (0-32)" },
	{ EGRESS("{\"to\": [\"@nope\"]}"),
	  "egress.allow[0].to[0]: @nope is not defined in \"sets\"" },
	{ EGRESS("{\"from\": [\"192.0.2.1\"]}"),
	  "egress.allow[0].from: egress rules match the destination: use \"to\"" },
	{ "{\"ingress\": {\"default\": \"drop\", \"deny\": [{\"to\": [\"192.0.2.1\"]}]}}",
	  "ingress.deny[0].to: ingress rules match the sender: use \"from\"" },
	{ EGRESS("{\"proto\": \"icmp\", \"to\": [\"2001:db8::1\"]}"),
	  "egress.allow[0].to: IPv6 addresses never carry icmp (use \"icmpv6\")" },
	{ EGRESS("{\"proto\": \"icmpv6\", \"to\": [\"192.0.2.1\"]}"),
	  "egress.allow[0].to: IPv4 addresses never carry icmpv6 (use \"icmp\")" },
	{ "{\"sets\": {\"v6\": [\"2001:db8::/32\"]}, \"egress\": {\"default\": "
	  "\"drop\", \"allow\": [{\"proto\": \"icmp\", \"to\": [\"@v6\"]}]}}",
	  "egress.allow[0].to: no address of the family icmp travels in" },
	{ EGRESS("{\"comment\": \"say \\\"hi\\\"\"}"),
	  "egress.allow[0].comment: must not contain double quotes, backslashes or control characters" },
	{ EGRESS("{\"comment\": \"" /* 112 bytes: one too many */
		 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}"),
	  "egress.allow[0].comment: longer than 111 bytes (nft comments hold 128 with the rule's path)" },
	{ EGRESS("{\"prto\": \"tcp\"}"),
	  "egress.allow[0].prto: unknown key (did you mean \"proto\"?)" },
	{ EGRESS("{\"zzzzzz\": 1}"),
	  "egress.allow[0].zzzzzz: unknown key (expected one of \"to\", \"from\", \"proto\", \"ports\", \"comment\", \"resolve\", \"log\", \"except\", \"mode\")" },
	{ "{\"egress\": {\"allow\": [{\"proto\": \"tcp\"}]}}",
	  "egress.default: missing (accept, drop or reject)" },
	{ "{\"egress\": {\"default\": \"deny\"}}",
	  "egress.default: \"deny\" is not accept, drop or reject" },
	{ "{\"egress\": {\"default\": \"drop\", \"deny\": []}}",
	  "egress.deny: empty list (leave the key out instead)" },
	{ "{\"egress\": {\"default\": \"drop\", \"alow\": []}}",
	  "egress.alow: unknown key (did you mean \"allow\"?)" },
	{ "{\"egres\": {}}", "egres: unknown key (did you mean \"egress\"?)" },
	{ "{\"sets\": {\"a\": []}}", "sets.a: empty list (leave the key out instead)" },
	{ "{\"sets\": {\"a\": [\"@b\"]}}",
	  "sets.a[0]: sets hold addresses only, not references to other sets" },
	{ "{\"sets\": {\"1a\": [\"192.0.2.1\"]}}",
	  "sets.1a: set names are a letter, then letters, digits or _ (at most 32)" },
	{ "{\"sets\": [\"192.0.2.1\"]}", "sets: expected an object of named address lists" },
	{ "{\"description\": 5}", "description: expected a string" },
	{ "[]", "a policy is a JSON object" },
	/* JSON itself: json-c's strict mode, and what it lets through. */
	{ "{\"egress\": {\"default\": \"drop\"}, \"egress\": {\"default\": \"accept\"}}",
	  "duplicate key \"egress\"" },
	{ EGRESS("{\"proto\": \"tcp\", \"proto\": \"udp\"}"),
	  "egress.allow[0]: duplicate key \"proto\"" },
	{ "{\"egr\\u0065ss\": {}}", "escape sequences in keys are not allowed" },
	{ "{'egress': {}}", "single-quoted strings are not JSON" },
	{ "{\"egress\": {\"default\": \"drop\",}}",
	  "line 1, column 31: trailing comma" },
	{ "{\"egress\": /* c */ {}}", "line 1, column 12: unexpected character" },
	{ "{\"egress\": {}} x", "line 1, column 16: unexpected character" },
	{ "{\"egress\": {", "truncated JSON" },
	{ "  \n", "empty: no JSON value" },
	{ "{\"egress\": {\"default\": \"drop\\u0000accept\"}}",
	  "egress: \\u0000 (NUL) inside a string" },
	{ "\xef\xbb\xbf{}", "starts with a byte order mark: save it as UTF-8 without BOM" },
	{ EGRESS("{\"comment\": \"everything\"}"),
	  "egress.allow[0]: a rule needs \"to\", \"proto\" or \"ports\" (to match everything, use \"default\")" },
	{ "{\"a\": \"\xff\"}", "line 1, column 8: invalid UTF-8: byte 0xff never occurs in UTF-8" },
	{ "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
	  "nested deeper than 16 levels" },
	/* Symbolic destinations and hostnames. */
	{ EGRESS("{\"to\": [\"localhost\"]}"),
	  "egress.allow[0].to[0]: \"localhost\" is not an address, a hostname (it has no dot), dns, host or gateway" },
	{ EGRESS("{\"to\": [\"a..example.com\"]}"),
	  "egress.allow[0].to[0]: \"a..example.com\" is neither an address nor a hostname (letters, digits, '-' and '_' in labels of at most 63)" },
	{ EGRESS("{\"to\": [\"-a.example.com\"]}"),
	  "egress.allow[0].to[0]: \"-a.example.com\" is neither an address nor a hostname (letters, digits, '-' and '_' in labels of at most 63)" },
	{ EGRESS("{\"to\": [\"a.example.com.\", \"x.0123456789012345678901234567890123456789012345678901234567890123.com\"]}"),
	  "egress.allow[0].to[1]: \"x.01234567890123456789012345678901234567890123456789012345678901\" is neither an address nor a hostname (letters, digits, '-' and '_' in labels of at most 63)" },
	{ EGRESS("{\"to\": [\"*.com\"]}"),
	  "egress.allow[0].to[0]: \"*.com\" is no wildcard: \"*.\" then a hostname with a dot (\"*.example.com\")" },
	{ EGRESS("{\"to\": [\"*.*.example.com\"]}"),
	  "egress.allow[0].to[0]: \"*.*.example.com\" is no wildcard: \"*.\" then a hostname with a dot (\"*.example.com\")" },
	{ "{\"egress\": {\"deny\": [{\"to\": [\"*.example.com\"]}]}}",
	  "egress.deny[0].to[0]: a wildcard admits names as the container's DNS answers give them: allow rules only (a deny rule needs names resolved at start)" },
	{ EGRESS("{\"to\": [\"*.example.com\"], \"resolve\": \"required\"}"),
	  "egress.allow[0].resolve: the rule names no hostname to resolve" },
	{ EGRESS("{\"to\": [\"10.0.0\"]}"),
	  "egress.allow[0].to[0]: \"10.0.0\" is not an IPv4 or IPv6 address or CIDR" },
	{ "{\"sets\": {\"s\": [\"dns\"]}}",
	  "sets.s[0]: \"dns\" is not an IPv4 or IPv6 address or CIDR" },
	{ EGRESS("{\"to\": [\"dns\"], \"proto\": \"icmp\"}"),
	  "egress.allow[0].proto: \"dns\" means port 53 over tcp or udp: name \"ports\" to match something else" },
	{ EGRESS("{\"to\": [\"192.0.2.1\"], \"resolve\": \"required\"}"),
	  "egress.allow[0].resolve: the rule names no hostname to resolve" },
	{ EGRESS("{\"to\": [\"a.example.com\"], \"resolve\": \"always\"}"),
	  "egress.allow[0].resolve: \"always\" is not required or optional" },
	{ "{\"include\": [\"../etc/x\"]}",
	  "include[0]: \"../etc/x\" is not a policy name (a letter or digit, then letters, digits, '.', '_' or '-'; at most 64)" },
	{ "{\"include\": []}", "include: empty list (leave the key out instead)" },
	{ "{\"include\": \"no-lan\"}", "include: expected an array" },
	/* Audit mode and logging. */
	{ "{\"mode\": \"learn\"}", "mode: \"learn\" is not enforce or audit" },
	{ EGRESS("{\"proto\": \"tcp\", \"mode\": \"audit\"}"),
	  "egress.allow[0].mode: an allow rule blocks nothing to audit (mode on deny rules, includes or the policy)" },
	{ "{\"egress\": {\"default\": \"drop\", \"deny\": [{\"proto\": \"tcp\", \"mode\": \"try\"}]}}",
	  "egress.deny[0].mode: \"try\" is not enforce or audit" },
	{ "{\"include\": [{\"name\": \"no-lan\", \"mod\": \"audit\"}]}",
	  "include[0]: expected a policy name or {\"name\": NAME, \"mode\": \"audit\" or \"enforce\"}" },
	{ "{\"include\": [{\"name\": \"no-lan\", \"mode\": \"off\"}]}",
	  "include[0].mode: \"off\" is not enforce or audit" },
	{ "{\"include\": [{\"name\": \"../x\", \"mode\": \"audit\"}]}",
	  "include[0]: \"../x\" is not a policy name (a letter or digit, then letters, digits, '.', '_' or '-'; at most 64)" },
	{ EGRESS("{\"proto\": \"tcp\", \"log\": true}"),
	  "egress.allow[0].log: an allow rule drops nothing to log (log on deny rules or on the direction)" },
	{ "{\"egress\": {\"default\": \"drop\", \"log\": \"yes\"}}",
	  "egress.log: expected true, false or {\"group\": N}" },
	{ "{\"egress\": {\"default\": \"drop\", \"log\": {\"group\": 70000}}}",
	  "egress.log.group: 70000 is not an NFLOG group (0-65535)" },
	{ "{\"egress\": {\"default\": \"drop\", \"log\": {\"grp\": 1}}}",
	  "egress.log: expected {\"group\": N} (an NFLOG group, 0-65535)" },
};

static void test_invalid(void)
{
	for (size_t i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++)
		is(parse_error(invalid[i].json), invalid[i].want, invalid[i].want);
}

static void test_nul_byte(void)
{
	static const char doc[] = "{\"a\": \"x\0y\"}";
	struct fw_error err = { 0 };
	struct policy p;

	ok(policy_parse(doc, sizeof(doc) - 1, &p, &err) == -EINVAL &&
		   strcmp(err.what, "NUL byte at offset 8") == 0,
	   "a NUL byte is an error with its offset");
}

static void test_model(void)
{
	static const char doc[] =
		"{\"$schema\": \"x\", \"description\": \"d\", "
		"\"sets\": {\"lan\": [\"10.0.0.0/8\", \"10.1.0.0/16\", \"fc00::/7\"]},"
		"\"egress\": {\"default\": \"reject\","
		" \"deny\": [{\"to\": [\"@lan\", \"@lan\", \"192.0.2.1\"]}],"
		" \"allow\": [{\"proto\": \"tcp\", \"ports\": [443, \"80-81\", 82],"
		"              \"comment\": \"web\"}]},"
		"\"ingress\": {\"default\": \"drop\"}}";
	struct fw_error err = { 0 };
	struct policy p;
	const struct policy_rule *deny, *allow;

	if (!ok(policy_parse(doc, strlen(doc), &p, &err) == 0, "valid policy"))
		return;
	deny = &p.dir[DIR_EGRESS].deny[0];
	allow = &p.dir[DIR_EGRESS].allow[0];
	ok(p.nsets == 1 && p.sets[0].v4.n == 1 && p.sets[0].v6.n == 1,
	   "a set's overlapping entries merge, per family");
	ok(p.dir[DIR_EGRESS].def == VERDICT_REJECT &&
		   p.dir[DIR_INGRESS].present && !p.dir[DIR_INGRESS].nallow,
	   "defaults and directions");
	ok(deny->nrefs == 1 && deny->v4.n == 1 && deny->has_addrs,
	   "a repeated reference counts once, literals kept apart");
	ok(allow->proto == IPPROTO_TCP && allow->ports.n == 2,
	   "ports 80-81 and 82 merge; 443 stays");
	is(allow->path, "egress.allow[0]", "a rule knows its path");
	is(allow->comment, "web", "and its comment");
	policy_free(&p);
}

/* Set references are looked up by name and kept once per rule, in the
 * order first named, each rule its own. */
static void test_set_refs(void)
{
	static const char doc[] =
		"{\"sets\": {\"zz\": [\"192.0.2.1\"], \"aa\": [\"192.0.2.2\"],"
		" \"mm\": [\"192.0.2.3\"]},"
		"\"egress\": {\"default\": \"accept\", \"deny\": ["
		" {\"to\": [\"@mm\", \"@zz\", \"@mm\", \"@aa\", \"@zz\", \"@mm\"]},"
		" {\"to\": [\"@zz\", \"@mm\", \"@zz\"]}, {\"to\": [\"@aa\"]}]}}";
	static const char undefined[] =
		"{\"sets\": {\"a\": [\"192.0.2.1\"]}, \"egress\": "
		"{\"default\": \"drop\", \"allow\": [{\"to\": [\"@b\"]}]}}";
	static const char no_sets[] =
		"{\"egress\": {\"default\": \"drop\", \"allow\": "
		"[{\"to\": [\"@b\"]}]}}";
	struct fw_error err = { 0 };
	struct policy p;
	const struct policy_rule *r;

	if (!ok(policy_parse(doc, strlen(doc), &p, &err) == 0,
		"references to three sets"))
		return;
	r = p.dir[DIR_EGRESS].deny;
	ok(r[0].nrefs == 3 && strcmp(p.sets[r[0].refs[0]].name, "mm") == 0 &&
		   strcmp(p.sets[r[0].refs[1]].name, "zz") == 0 &&
		   strcmp(p.sets[r[0].refs[2]].name, "aa") == 0,
	   "mm, zz, aa: each once, in the order named");
	ok(r[1].nrefs == 2 && strcmp(p.sets[r[1].refs[0]].name, "zz") == 0 &&
		   strcmp(p.sets[r[1].refs[1]].name, "mm") == 0,
	   "the next rule: its own zz and mm");
	ok(r[2].nrefs == 1 && strcmp(p.sets[r[2].refs[0]].name, "aa") == 0,
	   "and the last its own aa");
	policy_free(&p);
	for (int i = 0; i < 2; i++) {
		const char *bad = i ? undefined : no_sets;

		err = (struct fw_error){ 0 };
		ok(policy_parse(bad, strlen(bad), &p, &err) == -EINVAL &&
			   strstr(err.what, "@b is not defined"),
		   "%s: refused", i ? "an undefined set" : "no sets at all");
	}
}

static void test_except(void)
{
	static const char doc[] =
		"{\"egress\": {\"default\": \"accept\", \"deny\": [{\"to\": [\"dns\"],"
		" \"except\": [{\"proto\": \"udp\", \"ports\": [53, 54]},"
		" {\"proto\": 0}]}, {\"proto\": \"udplite\", \"ports\": [5000]}]}}";
	struct fw_error err = { 0 };
	struct policy p;
	const struct policy_rule *r;

	if (!ok(policy_parse(doc, strlen(doc), &p, &err) == 0,
		"except, protocol numbers, udplite ports parse"))
		return;
	r = &p.dir[DIR_EGRESS].deny[0];
	ok(r->nexcept == 2 && r->except[0].proto == IPPROTO_UDP &&
		   r->except[0].ports.n == 1 && r->except[1].proto == 0 &&
		   r->except[1].ports.n == 0,
	   "except entries keep their protocol (0 is one) and merged ports");
	ok(r->proto == PROTO_ANY && !r->dns_ports && r->ports.n == 0,
	   "with except, \"dns\" is the nameservers' addresses, every port");
	ok(p.dir[DIR_EGRESS].deny[1].proto == IPPROTO_UDPLITE,
	   "udplite carries ports");
	policy_free(&p);
}

static void test_symbols(void)
{
	static const char doc[] =
		"{\"include\": [\"no-lan\"], \"egress\": {\"default\": \"drop\", \"allow\": ["
		"{\"to\": [\"dns\"]},"
		"{\"to\": [\"API.Example.com.\", \"host\", \"192.0.2.1\"], \"proto\": \"tcp\","
		" \"ports\": [443], \"resolve\": \"required\"},"
		"{\"to\": [\"api.example.com\", \"dns\"], \"proto\": \"udp\", \"ports\": [5353]}]}}";
	struct fw_error err = { 0 };
	struct policy p;
	const struct policy_rule *r;

	if (!ok(policy_parse(doc, strlen(doc), &p, &err) == 0,
		"symbols, hostnames and includes parse"))
		return;
	ok(p.nincludes == 1 && strcmp(p.includes[0], "no-lan") == 0,
	   "includes are kept for compose.c");
	ok(p.nsymbols == 3, "dns, the name and host: one symbol each, "
			    "however many rules name them");
	is(p.symbols[1].name, "api.example.com",
	   "a hostname is kept lower case, without the final dot");
	is(p.symbols[1].where, "egress.allow[1].to[0]", "where it first appears");
	ok(p.symbols[1].required && !p.symbols[2].required,
	   "required marks the rule's hostnames only");
	r = &p.dir[DIR_EGRESS].allow[0];
	ok(r->dns_ports && r->ports.n == 1 && r->proto == PROTO_ANY,
	   "\"dns\" without ports means port 53, both protocols");
	r = &p.dir[DIR_EGRESS].allow[2];
	ok(!r->dns_ports && r->nsyms == 2 && r->proto == IPPROTO_UDP,
	   "with ports, \"dns\" is only addresses");
	policy_free(&p);
}

/* json-c 0.18's strict mode refused these until json_strict.c escaped them. */
static void test_utf8(void)
{
	static const char doc[] =
		"{\"description\": \"Caf\xc3\xa9 \xe2\x86\x92 web \xf0\x9f\x8c\x90\", "
		"\"egress\": {\"default\": \"drop\", \"allow\": [{\"proto\": \"tcp\", "
		"\"ports\": [443], \"comment\": \"\xc3\xbc" "ber HTTPS \xf0\x9f\x94\x92\"}]}}";
	struct fw_error err = { 0 };
	struct policy p;

	if (!ok(policy_parse(doc, strlen(doc), &p, &err) == 0,
		"a non-ASCII description and comment parse")) {
		printf("# %s: %s\n", err.where, err.what);
		return;
	}
	is(p.dir[DIR_EGRESS].allow[0].comment,
	   "\xc3\xbc" "ber HTTPS \xf0\x9f\x94\x92",
	   "the comment keeps its bytes");
	policy_free(&p);
}

/* Lists of plain strings skip json-c (addr_lists.c); one escaped entry
 * sends the same list through json-c: both must say the same. */
static void test_taken_lists(void)
{
	static const char *const rule_lists[] = {
		"\"192.0.2.1\", \"192.0.2.300\"",
		"\"dns\", \"192.0.2.0/33\", \"nodot\"",
		"\"nodot\", \"192.0.2.0/33\"",
		"\"192.0.2.1/24\", \"2001:db8::/32\"",
		"\"@nope\", \"192.0.2.1\"",
		"\"192.0.2.1\", \"a123456789a123456789a123456789a123456789a123456789a123456789abcd.example\"",
		"\"11111111111111111111111111111111111111111111111111111111111111111111\"",
		"\"192.0.2.1\", \"\"",
		"\"2001:db8::1\", \"example.com\", \"192.0.2.0/24\"",
	};
	static const char *const set_lists[] = {
		"\"192.0.2.1\", \"@x\"",
		"\"192.0.2.1\", \"example.com\"",
		"\"198.51.100.0/24\", \"2001:db8::/33\", \"2001:db8::/31\"",
	};
	char plain[512], twin[512], want[1024], name[160];

	for (size_t i = 0; i < ARRAY_SIZE(rule_lists); i++) {
		snprintf(plain, sizeof(plain), DENY("{\"to\": [%s]}"),
			 rule_lists[i]);
		snprintf(twin, sizeof(twin),
			 DENY("{\"to\": [%s, \"\\u0031.2.3.4\"]}"), rule_lists[i]);
		snprintf(want, sizeof(want), "%s", parse_error(twin));
		snprintf(name, sizeof(name), "a rule's list read either way: "
			 "%.100s", rule_lists[i]);
		is(parse_error(plain), want, name);
	}
	for (size_t i = 0; i < ARRAY_SIZE(set_lists); i++) {
		snprintf(plain, sizeof(plain), "{\"sets\": {\"s\": [%s]}, %s",
			 set_lists[i], DENY("{\"to\": [\"@s\"]}") + 1);
		snprintf(twin, sizeof(twin), "{\"sets\": {\"s\": [%s, "
			 "\"\\u0031.2.3.4\"]}, %s", set_lists[i],
			 DENY("{\"to\": [\"@s\"]}") + 1);
		snprintf(want, sizeof(want), "%s", parse_error(twin));
		snprintf(name, sizeof(name), "a set read either way: %.100s",
			 set_lists[i]);
		is(parse_error(plain), want, name);
	}
	is(parse_error("{\"description\": \"Caf\xc3\xa9\", \"sets\": {\"s\": "
		       "[\"192.0.2.1\"]}, \"egress\": {\"default\": \"accept\",}}"),
	   "line 1, column 86: trailing comma",
	   "positions after a taken list, in a non-ASCII document");
	is(parse_error("{\"sets\": {\"a\": [\"192.0.2.1\"], \"b\": 0}}"),
	   "sets.b: expected an array",
	   "a number where a list goes is not the list taken before it");
	is(parse_error(DENY("{\"to\": 0}")), "egress.deny[0].to: expected an array",
	   "a number where a rule's list goes");
}

static void test_error_line(void)
{
	struct fw_error err = { 0 };
	char line[256];

	fw_error_set_file(&err, "deny\nall\x1b[31m");
	fw_error_set(&err, -EINVAL, "egress", "bad");
	fw_error_format(&err, line, sizeof(line));
	is(line, "deny\\x0aall\\x1b[31m: egress: bad",
	   "an error stays one line: control bytes are escaped");
}

int main(void)
{
	test_error_line();
	test_invalid();
	test_nul_byte();
	test_model();
	test_set_refs();
	test_except();
	test_symbols();
	test_utf8();
	test_taken_lists();
	return tap_done();
}
