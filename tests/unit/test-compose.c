// SPDX-License-Identifier: GPL-2.0-or-later
/* Composition: fw.policy=a,b and includes merge into one policy (unions,
 * the strictest default, sets by name, rules named after their file), and
 * what it refuses: cycles, deep nesting, too many files, one set name with
 * two meanings, empty names. The files live in a directory of the test's
 * own, found by name as the hook finds them. */
#include <errno.h>
#include <ftw.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compose.h"
#include "tap.h"

static char dir[] = "/tmp/ofw-test-compose.XXXXXX";
static const char *dirs[1];
static const struct policy_lookup lookup = { .dirs = dirs, .ndirs = 1 };

static void put(const char *name, const char *json)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.json", dir, name);
	f = fopen(path, "we");
	if (!f || fputs(json, f) < 0 || fclose(f) != 0 || chmod(path, 0644) < 0) {
		perror(path);
		exit(1);
	}
}

static int remove_one(const char *path, const struct stat *st, int type,
		      struct FTW *ftw)
{
	(void)st, (void)type, (void)ftw;
	return remove(path);
}

static int compose(const char *spec, struct composed *c, struct fw_error *err)
{
	*err = (struct fw_error){0};
	return policy_compose(spec, &lookup, c, err);
}

static void refused(const char *spec, int want, const char *what,
		    const char *name)
{
	struct fw_error err;
	struct composed c;

	if (!ok(compose(spec, &c, &err) == want, "%s: refused (%d)", name, want))
		return;
	if (!ok(strstr(err.what, what) != NULL, "%s: says \"%s\"", name, what))
		printf("# got: %s\n", err.what);
}

static void union_of_two(void)
{
	struct fw_error err;
	struct composed one, two;
	struct policy *p = &two.policy;

	put("a", "{\"egress\":{\"default\":\"accept\",\"deny\":"
		 "[{\"to\":[\"192.0.2.1\"]}]}}");
	put("b", "{\"egress\":{\"default\":\"drop\",\"log\":true,\"allow\":"
		 "[{\"to\":[\"198.51.100.2\"],\"proto\":\"tcp\",\"ports\":[80]}]},"
		 "\"ingress\":{\"default\":\"reject\"}}");
	if (!ok(compose("a", &one, &err) == 0, "a alone"))
		return;
	if (!ok(compose("a,b", &two, &err) == 0, "a,b")) {
		printf("# %s: %s\n", err.where, err.what);
		composed_free(&one);
		return;
	}
	is(two.name, "a,b", "the composition's name");
	is(one.policy.dir[DIR_EGRESS].deny[0].path, "egress.deny[0]",
	   "one file: its own rule paths");
	ok(p->dir[DIR_EGRESS].ndeny == 1 && p->dir[DIR_EGRESS].nallow == 1,
	   "a's deny and b's allow");
	is(p->dir[DIR_EGRESS].deny[0].path, "a:egress.deny[0]",
	   "rules named after their file");
	is(p->dir[DIR_EGRESS].allow[0].path, "b:egress.allow[0]", "... both");
	ok(p->dir[DIR_EGRESS].def == VERDICT_DROP,
	   "accept and drop: drop, the stricter");
	ok(p->dir[DIR_EGRESS].log.on, "a direction logs when a part logs it");
	ok(p->dir[DIR_INGRESS].present &&
		   p->dir[DIR_INGRESS].def == VERDICT_REJECT,
	   "ingress from b alone: b's");
	ok(memcmp(one.sha256, two.sha256, 32) != 0,
	   "the digest covers every file");
	composed_free(&one);
	composed_free(&two);
}

static void includes(void)
{
	struct fw_error err;
	struct composed c;

	put("inc", "{\"include\":[\"a\"],\"egress\":{\"default\":\"drop\"}}");
	if (!ok(compose("a,inc", &c, &err) == 0, "a, and inc that includes a"))
		return;
	ok(c.policy.dir[DIR_EGRESS].ndeny == 1,
	   "a file reached twice counts once");
	is(c.name, "a,inc", "named as listed");
	composed_free(&c);

	put("loop1", "{\"include\":[\"loop2\"]}");
	put("loop2", "{\"include\":[\"loop1\"]}");
	refused("loop1", -ELOOP, "include cycle: loop1 → loop2 → loop1",
		"a cycle");
	put("self", "{\"include\":[\"self\"]}");
	refused("self", -ELOOP, "include cycle: self → self", "a file including itself");

	for (int i = 0; i <= COMPOSE_MAX_DEPTH + 1; i++) {
		char name[16], json[64];

		snprintf(name, sizeof(name), "deep%d", i);
		snprintf(json, sizeof(json), "{\"include\":[\"deep%d\"]}", i + 1);
		put(name, i <= COMPOSE_MAX_DEPTH ? json : "{}");
	}
	refused("deep0", -ELOOP, "includes nest more than 8 deep",
		"includes 9 deep");
	ok(compose("deep1", &c, &err) == 0, "includes 8 deep");
	composed_free(&c);

	put("broken", "{\"include\":[\"a\",\"absent\"]}");
	if (ok(compose("broken", &c, &err) == -ENOENT, "a missing include")) {
		is(err.where, "include[1]", "... names the include");
		ok(strstr(err.file, "broken.json") != NULL,
		   "... in the including file (%s)", err.file);
		ok(err.cls == FW_CLASS_POLICY, "... the policy's fault, not "
		   "the annotation's");
	}
}

static void too_many(void)
{
	char spec[512] = "", name[16], json[512];
	size_t used = 0, jused;

	for (int i = 0; i <= COMPOSE_MAX_FILES; i++) {
		snprintf(name, sizeof(name), "f%d", i);
		put(name, "{\"egress\":{\"default\":\"accept\"}}");
		used += snprintf(spec + used, sizeof(spec) - used, "%s%s",
				 i ? "," : "", name);
	}
	refused(spec, -E2BIG, "more than 32 policies in one list",
		"33 names in fw.policy");
	/* top2 includes top (f0-f15) and f16 (f17-f32): 35 files in all. */
	for (int part = 0; part < 2; part++) {
		jused = snprintf(json, sizeof(json), "{\"include\":[");
		for (int i = 0; i < 16; i++)
			jused += snprintf(json + jused, sizeof(json) - jused,
					  "%s\"f%d\"", i ? "," : "",
					  part * 17 + i);
		snprintf(json + jused, sizeof(json) - jused, "]}");
		put(part ? "f16" : "top", json);
	}
	put("top2", "{\"include\":[\"top\",\"f16\"]}");
	refused("top2", -E2BIG, "more than 32 policy files",
		"35 files through includes");
}

/* Sets merge by name: the same name must mean the same addresses, and
 * every rule still points at its own set. */
static void sets(void)
{
	struct fw_error err;
	struct composed c;
	struct policy *p = &c.policy;

	put("s1", "{\"sets\":{\"x\":[\"192.0.2.0/24\"],\"y\":[\"2001:db8::/32\"]},"
		  "\"egress\":{\"default\":\"accept\",\"deny\":[{\"to\":[\"@y\"]}]}}");
	put("s2", "{\"sets\":{\"y\":[\"2001:db8::/32\"]},"
		  "\"egress\":{\"default\":\"accept\",\"deny\":[{\"to\":[\"@y\"]}]}}");
	put("s3", "{\"sets\":{\"x\":[\"198.51.100.0/24\"]}}");
	if (ok(compose("s1,s2", &c, &err) == 0, "one set name, one meaning")) {
		ok(p->nsets == 2, "x and y once each");
		ok(p->dir[DIR_EGRESS].ndeny == 2 &&
			   p->dir[DIR_EGRESS].deny[0].refs[0] == 1 &&
			   p->dir[DIR_EGRESS].deny[1].refs[0] == 1,
		   "both rules point at y");
		composed_free(&c);
	}
	ok(compose("s1,s3", &c, &err) == -EINVAL &&
		   strstr(err.what, "\"x\" is also defined, differently, by s1"),
	   "one set name, two meanings: refused, naming the first file");
	ok(strstr(err.file, "s3.json") != NULL, "... in the second (%s)",
	   err.file);
}

static void symbols_and_modes(void)
{
	struct fw_error err;
	struct composed c;

	put("n1", "{\"mode\":\"audit\",\"egress\":{\"default\":\"drop\",\"allow\":[{\"to\":"
		  "[\"api.test.example\"],\"proto\":\"tcp\",\"ports\":[443]}]}}");
	put("n2", "{\"mode\":\"audit\",\"egress\":{\"default\":\"drop\",\"allow\":[{\"to\":"
		  "[\"api.test.example\",\"dns\"],\"resolve\":\"required\"}]}}");
	if (ok(compose("n1,n2", &c, &err) == 0, "a name in two files")) {
		ok(c.policy.nsymbols == 2 && c.policy.symbols[0].required,
		   "one symbol, required when one file requires it");
		is(c.policy.symbols[0].where, "n1:egress.allow[0].to[0]",
		   "named where it first appears");
		ok(policy_mode_summary(&c.policy) == MODE_AUDIT,
		   "every file audits: audit");
		composed_free(&c);
	}
}

/* The mode of the deny rules of egress, "ae" for audit then enforce, and
 * of its default. */
static void modes_are(const char *spec, const char *want_rules,
		      enum verdict want_def, bool want_def_audit,
		      enum policy_mode want, const char *name)
{
	struct policy_direction *d;
	struct fw_error err;
	struct composed c;
	char got[16] = "";

	if (!ok(compose(spec, &c, &err) == 0, "%s: composes", name)) {
		printf("# %s: %s\n", err.where, err.what);
		return;
	}
	d = &c.policy.dir[DIR_EGRESS];
	for (size_t i = 0; i < d->ndeny && i + 1 < sizeof(got); i++)
		got[i] = d->deny[i].audit ? 'a' : 'e';
	ok(strcmp(got, want_rules) == 0, "%s: the deny rules' modes (%s)", name,
	   got);
	ok(d->def == want_def && d->def_audit == want_def_audit,
	   "%s: the default (%d%s)", name, d->def, d->def_audit ? ", audited" : "");
	ok(policy_mode_summary(&c.policy) == want, "%s: the policy's mode", name);
	composed_free(&c);
}

static void modes(void)
{
	put("m-base", "{\"egress\":{\"default\":\"reject\",\"deny\":[{\"to\":"
		      "[\"10.0.0.0/8\"]}]}}");
	put("m-firm", "{\"mode\":\"enforce\",\"egress\":{\"default\":\"drop\","
		      "\"deny\":[{\"to\":[\"172.16.0.0/12\"]}]}}");
	put("m-audit-all", "{\"mode\":\"audit\",\"include\":[\"m-base\"],"
			   "\"egress\":{\"default\":\"drop\",\"deny\":[{\"to\":"
			   "[\"192.0.2.0/24\"]}]}}");
	put("m-keep-base", "{\"mode\":\"audit\",\"include\":[{\"name\":\"m-base\","
			   "\"mode\":\"enforce\"}],\"egress\":{\"default\":\"accept\","
			   "\"deny\":[{\"to\":[\"192.0.2.0/24\"]}]}}");
	put("m-rule", "{\"include\":[\"m-base\"],\"egress\":{\"default\":"
		      "\"accept\",\"deny\":[{\"to\":[\"198.51.100.0/24\"],"
		      "\"mode\":\"audit\"}]}}");
	put("m-try", "{\"include\":[{\"name\":\"m-base\",\"mode\":\"audit\"}],"
		     "\"egress\":{\"default\":\"accept\"}}");
	put("m-firm-in-audit", "{\"mode\":\"audit\",\"include\":[\"m-firm\"],"
			       "\"egress\":{\"default\":\"reject\"}}");
	put("m-twice", "{\"include\":[{\"name\":\"m-base\",\"mode\":\"audit\"},"
		       "\"m-base\"]}");
	modes_are("m-audit-all", "aa", VERDICT_REJECT, true, MODE_AUDIT,
		  "\"mode\": \"audit\" over an include audits it too");
	modes_are("m-keep-base", "ea", VERDICT_REJECT, false, MODE_MIXED,
		  "an include entry's enforce keeps the baseline");
	modes_are("m-rule", "ea", VERDICT_REJECT, false, MODE_MIXED,
		  "one audited rule over an enforced baseline");
	modes_are("m-try", "a", VERDICT_REJECT, true, MODE_AUDIT,
		  "an audited include's stricter default is audited, not done");
	modes_are("m-firm-in-audit", "e", VERDICT_DROP, false, MODE_ENFORCE,
		  "a file's own enforce holds in an audited includer; its "
		  "enforced drop wins over an audited reject");
	modes_are("m-twice", "e", VERDICT_REJECT, false, MODE_ENFORCE,
		  "a file reached audited and enforced enforces");
	modes_are("m-base,m-try", "e", VERDICT_REJECT, false, MODE_ENFORCE,
		  "in a list too");
}

int main(void)
{
	/* 0700, the caller's: a directory the hook trusts. */
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	dirs[0] = dir;
	union_of_two();
	includes();
	too_many();
	sets();
	symbols_and_modes();
	modes();
	refused("a,,b", -EINVAL, "an empty name in the list of policies",
		"an empty name");
	refused("", -EINVAL, "no policy named", "no name at all");
	refused("absent", -ENOENT, "", "a name no file has");
	nftw(dir, remove_one, 8, FTW_DEPTH | FTW_PHYS);
	return tap_done();
}
