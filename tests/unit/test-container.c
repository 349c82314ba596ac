// SPDX-License-Identifier: GPL-2.0-or-later
/* config.json: what decides who is refused (the risks held in any
 * capability set, a network namespace of its own), what the hook reads
 * next (the root, the resolv.conf and hosts it mounts), and what it
 * refuses to guess about. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>

#include "cleanup.h"
#include "container.h"
#include "tap.h"

/* The last parse's paths stay until the next one. */
static int parse(const char *doc, bool strict, struct container *c,
		 struct fw_error *err)
{
	static struct container last;
	int r;

	container_free(&last);
	*err = (struct fw_error){0};
	memset(c, 0xa5, sizeof(*c)); /* nothing read from a previous parse */
	r = container_parse(doc, strlen(doc), strict, c, err);
	if (r == 0)
		last = *c;
	return r;
}

static void refused(const char *doc, const char *where, const char *what,
		    const char *name)
{
	struct fw_error err;
	struct container c;

	if (!ok(parse(doc, false, &c, &err) == -EINVAL, "%s: refused", name))
		return;
	is(err.where, where, name);
	if (!ok(strstr(err.what, what) != NULL, "%s: says \"%s\"", name, what))
		printf("# got: %s\n", err.what);
}

/* Every set counts; the names are matched exactly, unknown ones are not
 * risks. */
static void capabilities(void)
{
	static const char *const sets[] = { "bounding", "effective",
					     "inheritable", "permitted",
					     "ambient" };
	struct fw_error err;
	struct container c;
	char doc[256];

	for (size_t i = 0; i < ARRAY_SIZE(sets); i++) {
		snprintf(doc, sizeof(doc),
			 "{\"process\":{\"capabilities\":{\"%s\":"
			 "[\"CAP_CHOWN\",\"CAP_NET_ADMIN\"]}}}", sets[i]);
		ok(parse(doc, true, &c, &err) == 0 &&
			   c.risks == RISK(CAP_NET_ADMIN),
		   "NET_ADMIN in %s only: a risk", sets[i]);
	}
	ok(parse("{\"process\":{\"capabilities\":{\"bounding\":[\"CAP_SYS_ADMIN\"],"
		 "\"ambient\":[\"CAP_BPF\",\"CAP_DAC_READ_SEARCH\"]}}}",
		 true, &c, &err) == 0 &&
		   c.risks == (RISK(CAP_SYS_ADMIN) | RISK(CAP_BPF) |
			       RISK(CAP_DAC_READ_SEARCH)),
	   "risks from several sets add up");
	ok(parse("{\"process\":{\"capabilities\":{\"bounding\":[\"cap_net_admin\","
		 "\"NET_ADMIN\",\"CAP_NET_ADMIN \",\"CAP_PERFMON\"]}}}",
		 true, &c, &err) == 0 && c.risks == 0,
	   "other spellings and harmless capabilities: no risk");
	ok(parse("{\"process\":{\"args\":[\"sh\"]}}", true, &c, &err) == 0 &&
		   c.risks == 0, "no capabilities object: no risk");
	refused("{\"process\":{\"capabilities\":{\"permitted\":\"CAP_NET_RAW\"}}}",
		"process.capabilities", "permitted is not an array",
		"a set that is a string");
	refused("{\"process\":{\"capabilities\":{\"effective\":[\"CAP_CHOWN\",7]}}}",
		"process.capabilities", "effective[1] is not a string",
		"an entry that is a number");
	refused("{\"process\":{\"capabilities\":{\"bounding\":[null]}}}",
		"process.capabilities", "bounding[0] is not a string",
		"an entry that is null");
}

static void namespaces(void)
{
	struct fw_error err;
	struct container c;

	ok(parse("{\"linux\":{\"namespaces\":[{\"type\":\"pid\"},"
		 "{\"type\":\"network\"}]}}", true, &c, &err) == 0 &&
		   c.own_netns && !c.netns_path[0],
	   "a network entry without path: a namespace of its own, made by the runtime");
	ok(parse("{\"linux\":{\"namespaces\":[{\"type\":\"network\","
		 "\"path\":\"/run/netns/x\"}]}}", true, &c, &err) == 0 &&
		   c.own_netns && strcmp(c.netns_path, "/run/netns/x") == 0,
	   "a network entry with a path: that path");
	ok(parse("{\"linux\":{\"namespaces\":[{\"type\":\"mount\"}]}}", true,
		 &c, &err) == 0 && !c.own_netns,
	   "no network entry: the host's (or a shared) namespace");
	ok(parse("{\"linux\":{}}", true, &c, &err) == 0 && !c.own_netns,
	   "no namespaces: none of its own");
	refused("{\"linux\":{\"namespaces\":{\"type\":\"network\"}}}",
		"linux.namespaces", "expected an array", "namespaces as an object");
	refused("{\"linux\":{\"namespaces\":[{\"type\":\"network\"},{}]}}",
		"linux.namespaces", "entry 1 has no \"type\" string",
		"an entry without type");
	refused("{\"linux\":{\"namespaces\":[{\"type\":[\"network\"]}]}}",
		"linux.namespaces", "entry 0 has no \"type\" string",
		"a type that is not a string");
	refused("{\"linux\":{\"namespaces\":[{\"type\":\"network\",\"path\":1}]}}",
		"linux.namespaces", "\"path\" is not a path string",
		"a path that is a number");
}

static void mounts_and_root(void)
{
	struct fw_error err;
	struct container c;
	char *doc, *path;
	int n;

	ok(parse("{\"root\":{\"path\":\"rootfs\"},\"mounts\":["
		 "{\"destination\":\"/proc\",\"source\":\"proc\"},"
		 "{\"destination\":\"/etc/resolv.conf\",\"source\":\"/u/resolv.conf\"},"
		 "{\"destination\":\"/etc/hosts\",\"source\":\"/u/hosts\"}]}",
		 true, &c, &err) == 0 && strcmp(c.root, "rootfs") == 0 &&
		   strcmp(c.resolv_conf, "/u/resolv.conf") == 0 &&
		   strcmp(c.hosts, "/u/hosts") == 0,
	   "root.path, the resolv.conf and hosts mounts' sources");
	ok(parse("{\"mounts\":[{\"destination\":\"/etc/hostname\","
		 "\"source\":\"/u/hostname\"}]}", true, &c, &err) == 0 &&
		   !c.root[0] && !c.resolv_conf[0] && !c.hosts[0],
	   "neither mounted: the rootfs's own files count");
	refused("{\"mounts\":{}}", "mounts", "expected an array",
		"mounts as an object");
	refused("{\"mounts\":[{\"destination\":\"/proc\"},{\"source\":\"/x\"}]}",
		"mounts[1]", "expected an object with a \"destination\"",
		"a mount without destination");
	refused("{\"mounts\":[\"/etc/hosts\"]}", "mounts[0]",
		"expected an object", "a mount that is a string");
	refused("{\"mounts\":[{\"destination\":\"/etc/hosts\",\"source\":false}]}",
		"mounts[0]", "\"source\" is not a path string",
		"a hosts source that is not a string");
	refused("{\"root\":{\"path\":{}}}", "root", "\"path\" is not a path string",
		"root.path an object");

	/* A path as long as PATH_MAX does not fit: refused, not cut. */
	path = malloc(PATH_MAX + 1);
	if (!path)
		abort();
	memset(path, 'a', PATH_MAX);
	path[0] = '/';
	path[PATH_MAX] = '\0';
	n = asprintf(&doc, "{\"mounts\":[{\"destination\":\"/etc/resolv.conf\","
			   "\"source\":\"%s\"}]}", path);
	if (n < 0)
		abort();
	refused(doc, "mounts[0]", "\"source\" is not a path string",
		"a resolv.conf source of PATH_MAX bytes");
	free(doc);
	path[PATH_MAX - 1] = '\0';
	n = asprintf(&doc, "{\"root\":{\"path\":\"%s\"}}", path);
	if (n < 0)
		abort();
	ok(parse(doc, true, &c, &err) == 0 && strlen(c.root) == PATH_MAX - 1,
	   "a root path of PATH_MAX - 1 bytes fits");
	free(doc);
	free(path);
}

/* The container gets a firewall: config.json must be strict JSON. */
static void strictness(void)
{
	static const char dup[] =
	    "{\"process\":{\"capabilities\":{\"bounding\":[\"CAP_NET_RAW\"]}},"
	    "\"process\":{}}";
	struct fw_error err;
	struct container c;

	ok(parse(dup, true, &c, &err) == -EINVAL && err.what[0],
	   "a duplicate key, firewall: refused, and says why");
	ok(parse("[]", false, &c, &err) == -EINVAL &&
		   strstr(err.what, "expected a JSON object"),
	   "an array: refused");
	ok(parse("{\"process\":", false, &c, &err) < 0 && err.what[0],
	   "cut short: refused");
	ok(parse("", false, &c, &err) < 0, "empty: refused");
}

/* What the hook never reads (the seccomp profile, annotations, hooks)
 * json-c never sees: the strict scanner checks its grammar instead, with
 * the same strictness. */
static void unread_parts(void)
{
	static const struct {
		const char *doc, *says, *name;
	} bad[] = {
		{ "{\"linux\":{\"seccomp\":{\"a\":[1 2]}}}", "column 29: expected ',' or ']'",
		  "a missing comma" },
		{ "{\"linux\":{\"seccomp\":{\"a\":[1,]}}}", "column 29: trailing comma",
		  "a trailing comma in an array" },
		{ "{\"hooks\":{\"a\":1,}}", "trailing comma", "... in an object" },
		{ "{\"annotations\":{\"x\":\"1\",\"x\":\"2\"}}",
		  "duplicate key \"x\"", "a duplicate key" },
		{ "{\"hooks\":{\"x\":tru}}", "expected a value", "a cut literal" },
		{ "{\"hooks\":{\"x\":True}}", "expected a value", "a literal in capitals" },
		{ "{\"hooks\":{\"x\":01}}", "expected ',' or '}'", "a leading zero" },
		{ "{\"hooks\":{\"x\":-}}", "invalid number", "a lone minus" },
		{ "{\"hooks\":{\"x\":1.}}", "invalid number", "a fraction without digits" },
		{ "{\"hooks\":{\"x\":1e}}", "invalid number", "an exponent without digits" },
		{ "{\"hooks\":{\"x\":18446744073709551616}}", "integer out of range",
		  "an integer beyond uint64" },
		{ "{\"hooks\":{\"x\" 1}}", "expected ':'", "a missing colon" },
		{ "{\"hooks\":{1:2}}", "expected a key", "a number as a key" },
		{ "{\"hooks\":{\"a\\u0062\":2}}", "escape sequences in keys",
		  "an escape in a key" },
		{ "{\"hooks\":[1}}", "expected ',' or ']'", "a brace closing a bracket" },
		{ "{\"hooks\":{\"x\":'a'}}", "expected a value", "a single-quoted string" },
		{ "{\"hooks\":{\"x\":\"\x01\"}}", "control character 0x01",
		  "a raw control character" },
		{ "{\"hooks\":{\"x\":\"\xc3\"}}", "invalid UTF-8", "invalid UTF-8" },
		{ "{\"hooks\":{\"x\":\"abc", "column 15: unterminated string",
		  "an unterminated string" },
		{ "{\"hooks\":{\"x\":[", "truncated JSON", "cut short" },
		/* json-c reads one copy with the unread parts cut out: its
		 * positions are mapped back to the text as written */
		{ "{\"hooks\": {\"a\": [1, 2]},\n \"process\": x}",
		  "line 2, column 13: ",
		  "json-c's error after an unread value" },
		{ "{\"annotations\": {\"\xc3\xa9\": \"\xe6\x97\xa5\xe6\x9c\xac\"}, "
		  "\"root\": {\"path\": tru}}", "line 1, column 50: ",
		  "... after non-ASCII text in one" },
		{ "{\"process\": {\"env\": [\"A=1\", \"B=2\"], \"capabilities\": "
		  "{\"bounding\": [\"CAP_CHOWN\"]}}, \"linux\": {\"seccomp\": {\"x\": 1}}, "
		  "\"root\": {\"path\": 5 6}}", "line 1, column 134: ",
		  "... after a taken list, a read list and an unread value" },
	};
	static const char good[] =
	    "{\"hooks\": {\"a\": [true, false, null, -1.5e+3, 0, 0.25E-2,"
	    " {\"b\": []}, {}, [[]]], \"c\": \"caf\xc3\xa9 \\u00e9\"},"
	    " \"process\": {\"user\": {\"uid\": 0}, \"capabilities\":"
	    " {\"bounding\": [\"CAP_NET_RAW\"]}, \"rlimits\": [{\"type\":"
	    " \"RLIMIT_NOFILE\", \"hard\": 1024}]},"
	    " \"linux\": {\"seccomp\": {\"syscalls\": [{\"names\":"
	    " [\"bpf\"], \"args\": [{\"index\": 0}]}]},"
	    " \"namespaces\": [{\"type\": \"network\","
	    " \"path\": \"/run/netns/n\"}]}}";
	struct fw_error err;
	struct container c;

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		if (!ok(parse(bad[i].doc, true, &c, &err) == -EINVAL &&
			    strstr(err.what, bad[i].says),
			"unread, %s: refused, says \"%s\"", bad[i].name,
			bad[i].says))
			printf("# got: %s: %s\n", err.where, err.what);
	}
	ok(parse(good, true, &c, &err) == 0 && c.own_netns &&
		   strcmp(c.netns_path, "/run/netns/n") == 0 &&
		   c.risks == RISK(CAP_NET_RAW),
	   "every kind of value where it is not read: accepted, and what is "
	   "read beside it is read");
}

/* What a refusal tells the user, with fw.unsafe honoured or not. */
static void unsafe(void)
{
	struct container c = { .risks = RISK(CAP_NET_RAW) | RISK(CAP_SYS_PTRACE) };
	struct fw_error err = {0};
	uint64_t accepted = 0;

	ok(unsafe_parse("CAP_NET_RAW,CAP_SYS_PTRACE", &accepted, &err) == 0 &&
		   accepted == c.risks, "fw.unsafe names two risks");
	ok(container_check_risks(&c, accepted, "why", true, &err) == 0,
	   "both accepted: not refused");
	ok(unsafe_parse("CAP_NET_RAW", &accepted, &err) == 0 &&
		   container_check_risks(&c, accepted, "it could escape", true,
					 &err) == -EPERM,
	   "one of two accepted: refused");
	ok(strstr(err.what, "holds CAP_SYS_PTRACE: it could escape; drop it "
			    "(--cap-drop SYS_PTRACE) or accept the risk with "
			    "the annotation fw.unsafe=CAP_NET_RAW,CAP_SYS_PTRACE") != NULL,
	   "... names the refused risk, its flag, and every risk held");
	ok(container_check_risks(&c, 0, "x", false, &err) == -EPERM &&
		   strstr(err.what, "drop them (--cap-drop NET_RAW,SYS_PTRACE); "
				    "this node does not honour fw.unsafe"),
	   "not honoured: says so, and which to drop");
	err = (struct fw_error){0};
	ok(unsafe_parse("CAP_NET_RAW,CAP_CHOWN", &accepted, &err) == -EINVAL &&
		   strstr(err.what, "\"CAP_CHOWN\" is not a risk"),
	   "fw.unsafe naming a harmless capability: refused");
	ok(unsafe_parse("CAP_NET_RAW,CAP_NET_RAW_AND_MORE_THAN_THIRTY_TWO_BYTES",
			&accepted, &err) == -EINVAL,
	   "a name longer than any risk: refused, not cut to one");
}

int main(void)
{
	capabilities();
	namespaces();
	mounts_and_root();
	strictness();
	unread_parts();
	unsafe();
	return tap_done();
}
