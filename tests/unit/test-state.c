// SPDX-License-Identifier: GPL-2.0-or-later
/* The OCI state: what refuses a container, with which class, and what a
 * container without a firewall's annotation is allowed to carry. */
#include <errno.h>
#include <stdlib.h>

#include "container.h"
#include "state.h"
#include "tap.h"

#define STATE(ann)                                                             \
	"{\"ociVersion\":\"1.0.2\",\"id\":\"c1\",\"status\":\"creating\","     \
	"\"pid\":42,\"bundle\":\"/b\",\"annotations\":{" ann "}}"

static int parse(const char *doc, struct oci_state *st, struct fw_error *err)
{
	*err = (struct fw_error){0};
	*st = (struct oci_state){0};
	return state_parse(doc, strlen(doc), st, err);
}

static void refused(const char *doc, enum fw_class cls, const char *what,
		    const char *name)
{
	struct fw_error err;
	struct oci_state st;
	char line[1024];

	if (!ok(parse(doc, &st, &err) < 0, "%s: refused", name)) {
		state_free(&st);
		return;
	}
	fw_error_format(&err, line, sizeof(line));
	ok(err.cls == cls, "%s: class %d (got %d)", name, cls, err.cls);
	if (!ok(strstr(line, what) != NULL, "%s: says \"%s\"", name, what))
		printf("# got: %s\n", line);
}

static void accepted(const char *doc, const char *policy, const char *name)
{
	struct fw_error err;
	struct oci_state st;

	if (!ok(parse(doc, &st, &err) == 0, "%s: accepted", name))
		printf("# error: %s: %s\n", err.where, err.what);
	else if (policy)
		is(st.policy, policy, name);
	else
		ok(st.policy == NULL, "%s: no fw.policy", name);
	state_free(&st);
}

static void quoted_keys(void)
{
	/* podman 5 with --annotation '"fw.policy=no-lan,web-egress"' */
	refused(STATE("\"\\\"fw.policy\":\"no-lan,web-egress\\\"\""),
		FW_CLASS_ANNOTATION,
		"state: annotations: the key '\"fw.policy' holds quotes",
		"podman 5, quoted fw.policy");
	refused(STATE("\"\\\"fw.policy\":\"a,b\\\"\""), FW_CLASS_ANNOTATION,
		"--annotation fw.policy=a,b without quotes",
		"the line says how to write it");
	refused(STATE("\"\\\"fw.unsafe\":\"CAP_NET_RAW,CAP_NET_ADMIN\\\"\""),
		FW_CLASS_ANNOTATION, "--annotation fw.unsafe=a,b",
		"podman 5, quoted fw.unsafe");
	refused(STATE("\"\\\"fw.policy\\\"\":\"web\""), FW_CLASS_ANNOTATION,
		"'\"fw.policy\"'", "quotes on both sides");
	refused(STATE("\"'fw.policy\":\"a,b'\""), FW_CLASS_ANNOTATION,
		"'fw.policy", "single quote, no escape in the JSON");
	/* ... also beside a correct one: the launcher meant something */
	refused(STATE("\"fw.policy\":\"web\",\"\\\"fw.policy\":\"x\""),
		FW_CLASS_ANNOTATION, "holds quotes", "quoted and plain key");
	/* names that only look alike are not the hook's business */
	accepted(STATE("\"\\\"fw.policyx\":\"a\""), NULL, "\"fw.policyx");
	accepted(STATE("\"fw.policy.x\\\"\":\"a\""), NULL, "fw.policy.x\"");
	accepted(STATE("\"\\\"\":\"a\""), NULL, "a key that is one quote");
}

/* Invariant 7: without fw.policy or fw.unsafe, plain JSON will do. */
static void tolerated(void)
{
	accepted(STATE("\"x\\u0026y\":\"1\""), NULL,
		 "an escaped key (Go writes & as \\u0026), no fw.policy");
	accepted(STATE("\"a\":\"1\",\"a\":\"2\""), NULL,
		 "a duplicate annotation, no fw.policy");
	accepted(STATE("\"io.x\":\"1\""), NULL, "control: plain state");
	accepted(STATE("\"fw.policy\":\"web\""), "web", "control: fw.policy");
	/* where the state asks for a firewall, strictness still holds */
	refused(STATE("\"x\\u0026y\":\"1\",\"fw.policy\":\"web\""),
		FW_CLASS_NONE, "escape sequences in keys",
		"an escaped key beside fw.policy");
	refused(STATE("\"fw.policy\":\"web\",\"fw.policy\":\"denyall\""),
		FW_CLASS_NONE, "duplicate key \"fw.policy\"",
		"a duplicate fw.policy");
	refused(STATE("\"fw\\u002epolicy\":\"web\""), FW_CLASS_NONE,
		"escape sequences in keys", "fw.policy spelt with an escape");
	refused(STATE("\"a\":\"1\",\"a\":\"2\",\"fw.unsafe\":\"CAP_NET_RAW\""),
		FW_CLASS_NONE, "duplicate key", "a duplicate beside fw.unsafe");
	/* not JSON at all is refused, whatever it holds */
	refused("{\"id\":", FW_CLASS_NONE, "truncated", "truncated state");
	/* plain JSON that fails anyway: the strict finding explains it */
	refused("{\"a\":1,\"a\":2}", FW_CLASS_NONE, "duplicate key",
		"no bundle, and a duplicate");
}

static void config_json(void)
{
	static const char doc[] =
	    "{\"annotations\":{\"x\\u003cy\":\"1\"},\"process\":"
	    "{\"capabilities\":{\"bounding\":[\"CAP_NET_RAW\"]}},"
	    "\"linux\":{\"namespaces\":[{\"type\":\"network\"}]}}";
	struct fw_error err = {0};
	struct container c;

	ok(container_parse(doc, strlen(doc), false, &c, &err) == 0 &&
	       c.risks == RISK(CAP_NET_RAW) && c.own_netns,
	   "config.json with an escaped annotation key, no firewall: read");
	container_free(&c);
	ok(container_parse(doc, strlen(doc), true, &c, &err) == -EINVAL &&
	       strstr(err.what, "escape sequences in keys"),
	   "... and refused when the container gets a firewall");
}

/* One map from capabilities to risks, for config.json and for processes
 * found in a namespace (/proc/PID/status masks) alike. */
static void risks(void)
{
	char names[256];

	ok(caps_risks(RISK(CAP_PERFMON) | RISK(CAP_MKNOD) | RISK(CAP_SYS_TIME) |
		      RISK(CAP_MAC_ADMIN) | RISK(CAP_CHOWN)) == 0,
	   "PERFMON, MKNOD, SYS_TIME, MAC_ADMIN, CHOWN: no risk");
	risks_names(caps_risks(~UINT64_C(0)), names, sizeof(names));
	is(names, "CAP_NET_ADMIN,CAP_NET_RAW,CAP_SYS_ADMIN,CAP_SYS_MODULE,"
		  "CAP_SYS_RAWIO,CAP_SYS_BOOT,CAP_BPF,CAP_SYS_PTRACE,"
		  "CAP_DAC_READ_SEARCH", "every capability: the nine risks");
	risks_names(caps_risks(RISK(CAP_BPF) | RISK(CAP_PERFMON)), names,
		    sizeof(names));
	is(names, "CAP_BPF", "BPF and PERFMON: BPF");
}

int main(void)
{
	risks();
	quoted_keys();
	tolerated();
	config_json();
	return tap_done();
}
