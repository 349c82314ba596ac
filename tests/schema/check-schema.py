#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# check-schema.py: policies/schema/policy.schema.json is valid draft 2020-12, accepts every shipped and test policy, and rejects what the hook rejects where a schema can say so (TAP).
"""Checks, each a TAP line:

  (a) the schema is a valid draft 2020-12 schema;
  (b) every shipped policy, policies/examples/*.fw.json and every
      tests/policies/*.json (and not-standalone/) validates, and so do the
      edge cases in VALID, which the hook accepts too;
  (c) every shipped policy names the schema in "$schema", as its first key;
  (d) the schema rejects every document in INVALID (from test-policy.c's
      invalid[] table, tests/policies/invalid/ and the rules of issue 7), and
      (e) `oci-fw-hook check` rejects each of them too;
  and for honesty: every file of tests/policies/invalid/ is in exactly one of
  SCHEMA_REJECTS, SCHEMA_CANNOT (valid JSON the schema accepts, the hook
  refuses: checked both ways) and NOT_JSON (the schema never sees it), and
  CANNOT lists documents a schema cannot refuse, with why.

Environment (meson sets it): OCI_FW_HOOK, POLICIES, TEST_POLICIES.
"""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
HOOK = os.environ.get("OCI_FW_HOOK", os.path.join(REPO, "build", "hook", "oci-fw-hook"))
POLICIES = os.environ.get("POLICIES", os.path.join(REPO, "policies"))
TEST_POLICIES = os.environ.get("TEST_POLICIES", os.path.join(REPO, "tests", "policies"))
SCHEMA = os.path.join(POLICIES, "schema", "policy.schema.json")
SHIPPED = ["denyall", "dns-only", "no-lan", "web-egress", "web-server"]
SCHEMA_REF = "schema/policy.schema.json"
INSTALLED_SCHEMA = "/usr/share/oci-fw-hook/policies/schema/policy.schema.json"


def egress(rule):
    return '{"egress": {"default": "reject", "allow": [%s]}}' % rule


def deny(rule):
    return '{"egress": {"default": "reject", "deny": [%s]}}' % rule


# Files of tests/policies/invalid/ the schema must reject.
SCHEMA_REJECTS = [
    "bad-cidr", "bad-cidr6", "bad-default", "bad-ipv4", "bad-port", "bad-proto",
    "default-bool", "direction-null", "egress-is-list", "empty-ports", "empty-to",
    "float-port", "from-in-egress", "huge-exponent", "huge-number", "huge-range",
    "key-typo-rule", "key-typo-top", "negative-port", "nul-escape", "ports-not-list",
    "ports-with-icmp", "rule-no-field", "self-ref-set", "set-cycle", "to-in-ingress",
    "to-not-list", "top-array", "top-null", "unknown-key",
]
# Files the hook refuses for what no JSON Schema can see.
SCHEMA_CANNOT = {
    "duplicate-key": "duplicate keys: a JSON parser keeps one, the schema sees a valid object",
    "duplicate-rule-key": "duplicate keys",
    "duplicate-top-key": "duplicate keys",
    "reversed-range": "\"8100-8000\": comparing two numbers inside a string is beyond a pattern",
    "undefined-set": "whether \"@nope\" is a key of \"sets\": a schema cannot compare a value with keys",
}
# Files that are not JSON (or not strict JSON): no schema ever sees them.
NOT_JSON = [
    "bom", "c-comment", "empty", "invalid-utf8", "nul-byte", "nul-in-string",
    "single-quotes", "trailing-comma", "truncated", "two-documents",
]

COMMENT_112 = "x" * 112
# Documents the schema must reject, and so must the hook: test-policy.c's
# invalid[] (the ones a schema can express) and the "log"/"mode" keys.
INVALID = {
    "a wildcard in a deny rule": deny('{"to": ["*.example.com"]}'),
    "a wildcard over a top-level domain": egress('{"to": ["*.com"]}'),
    "a wildcard inside a name": egress('{"to": ["a.*.example.com"]}'),
    "port 65536": egress('{"proto": "tcp", "ports": [80, 65536]}'),
    "port 0": egress('{"proto": "tcp", "ports": [0]}'),
    "port as a string": egress('{"proto": "tcp", "ports": ["80"]}'),
    "half a range": egress('{"proto": "tcp", "ports": ["80-"]}'),
    "range to 70000": egress('{"proto": "tcp", "ports": ["1-70000"]}'),
    "range from 0": egress('{"proto": "tcp", "ports": ["0-80"]}'),
    "range of six digits": egress('{"proto": "tcp", "ports": ["1-000080"]}'),
    "fractional port": egress('{"proto": "tcp", "ports": [80.5]}'),
    "ports without proto": egress('{"ports": [80]}'),
    "ports with icmp": egress('{"proto": "icmp", "ports": [80]}'),
    "ports with icmpv6": egress('{"proto": "icmpv6", "ports": [80]}'),
    "empty ports": egress('{"proto": "tcp", "ports": []}'),
    "too many ports": egress('{"proto": "tcp", "ports": [%s]}' % ", ".join(["80"] * 4097)),
    "unknown protocol": egress('{"proto": "ipip"}'),
    "protocol 256": egress('{"proto": 256}'),
    "protocol -1": egress('{"proto": -1}'),
    "ports with gre": egress('{"proto": "gre", "ports": [80]}'),
    "ports with protocol 47": egress('{"proto": 47, "ports": [80]}'),
    "except in an allow rule": egress('{"to": ["10.0.0.0/8"], "except": [{"proto": "udp"}]}'),
    "empty except": deny('{"to": ["10.0.0.0/8"], "except": []}'),
    "except without proto": deny('{"to": ["10.0.0.0/8"], "except": [{"ports": [53]}]}'),
    "except with ports of esp": deny('{"to": ["10.0.0.0/8"], "except": [{"proto": "esp", "ports": [53]}]}'),
    "except and proto": deny('{"to": ["10.0.0.0/8"], "proto": "udp", "except": [{"proto": "udp", "ports": [53]}]}'),
    "except and ports": deny('{"to": ["10.0.0.0/8"], "ports": [53], "except": [{"proto": "udp"}]}'),
    "except with an unknown key": deny('{"to": ["10.0.0.0/8"], "except": [{"proto": "udp", "port": [53]}]}'),
    "17 except entries": deny('{"to": ["10.0.0.0/8"], "except": [%s]}' % ", ".join(['{"proto": "udp"}'] * 17)),
    "empty to": egress('{"to": []}'),
    "to not a list": egress('{"to": "192.0.2.1"}'),
    "address not a string": egress('{"to": [7]}'),
    "IPv4 prefix 33": egress('{"to": ["198.51.100.0/33"]}'),
    "IPv6 prefix 129": egress('{"to": ["2001:db8::/129"]}'),
    "prefix of four digits": egress('{"to": ["10.0.0.0/0008"]}'),
    "octet 256": egress('{"to": ["198.51.100.256"]}'),
    "octet with a leading zero": egress('{"to": ["198.51.100.01"]}'),
    "IPv6 with two ::": egress('{"to": ["2001::db8::1"]}'),
    "IPv6 zone": egress('{"to": ["fe80::1%eth0"]}'),
    "from in egress": egress('{"from": ["192.0.2.1"]}'),
    "to in ingress": '{"ingress": {"default": "drop", "deny": [{"to": ["192.0.2.1"]}]}}',
    "icmp to an IPv6 address": egress('{"proto": "icmp", "to": ["2001:db8::1"]}'),
    "icmpv6 to an IPv4 address": egress('{"proto": "icmpv6", "to": ["192.0.2.1"]}'),
    "icmp from an IPv6 address":
        '{"ingress": {"default": "drop", "allow": [{"proto": "icmp", "from": ["2001:db8::/32"]}]}}',
    "comment with quotes": egress('{"comment": "say \\"hi\\"", "proto": "tcp"}'),
    "comment with a backslash": egress('{"comment": "a\\\\b", "proto": "tcp"}'),
    "comment with a tab": egress('{"comment": "a\\tb", "proto": "tcp"}'),
    "comment with DEL": egress('{"comment": "a\\u007fb", "proto": "tcp"}'),
    "comment of 112 bytes in egress.allow": egress('{"comment": "%s", "proto": "tcp"}' % COMMENT_112),
    "comment of 111 bytes in ingress.allow":
        '{"ingress": {"default": "drop", "allow": [{"proto": "tcp", "comment": "%s"}]}}' % ("x" * 111),
    "comment of 113 bytes in egress.deny": deny('{"comment": "%s", "proto": "tcp"}' % ("x" * 113)),
    "comment not a string": egress('{"comment": 1, "proto": "tcp"}'),
    "rule key typo": egress('{"prto": "tcp"}'),
    "unknown rule key": egress('{"zzzzzz": 1}'),
    "rule with no field": egress('{"comment": "everything"}'),
    "rule not an object": egress('"tcp"'),
    "default missing": '{"egress": {"allow": [{"proto": "tcp"}]}}',
    "default deny": '{"egress": {"default": "deny"}}',
    "empty deny": '{"egress": {"default": "drop", "deny": []}}',
    "direction key typo": '{"egress": {"default": "drop", "alow": []}}',
    "top key typo": '{"egres": {}}',
    "empty set": '{"sets": {"a": []}}',
    "set of a set": '{"sets": {"a": ["@b"]}}',
    "set name with a digit first": '{"sets": {"1a": ["192.0.2.1"]}}',
    "set name of 33": '{"sets": {"a%s": ["192.0.2.1"]}}' % ("b" * 32),
    "set name with a dash": '{"sets": {"a-b": ["192.0.2.1"]}}',
    "set reference with a bad name": egress('{"to": ["@1a"]}'),
    "sets not an object": '{"sets": ["192.0.2.1"]}',
    "dns in a set": '{"sets": {"s": ["dns"]}}',
    "257 sets": '{"sets": {%s}}' % ", ".join('"s%d": ["192.0.2.1"]' % i for i in range(257)),
    "description not a string": '{"description": 5}',
    "$schema not a string": '{"$schema": 5}',
    "top-level array": "[]",
    "no dot: not a hostname": egress('{"to": ["localhost"]}'),
    "empty label": egress('{"to": ["a..example.com"]}'),
    "label starting with -": egress('{"to": ["-a.example.com"]}'),
    "label ending with -": egress('{"to": ["a-.example.com"]}'),
    "label of 64": egress('{"to": ["x.%s.com"]}' % ("a" * 64)),
    "hostname of 254": egress('{"to": ["%s.com"]}' % ".".join(["a" * 62] * 4)),
    "hostname with a space": egress('{"to": ["a b.example.com"]}'),
    "last label digits": egress('{"to": ["10.0.0"]}'),
    "Dns is not dns": egress('{"to": ["Dns"]}'),
    "dns with icmp": egress('{"to": ["dns"], "proto": "icmp"}'),
    "dns with sctp": egress('{"to": ["dns"], "proto": "sctp"}'),
    "resolve without a hostname": egress('{"to": ["192.0.2.1"], "resolve": "required"}'),
    "resolve with only dns": egress('{"to": ["dns"], "resolve": "optional"}'),
    "resolve without to": egress('{"proto": "tcp", "resolve": "required"}'),
    "resolve always": egress('{"to": ["a.example.com"], "resolve": "always"}'),
    "include a path": '{"include": ["../etc/x"]}',
    "include of 65": '{"include": ["%s"]}' % ("a" * 65),
    "empty include": '{"include": []}',
    "include not a list": '{"include": "no-lan"}',
    "17 includes": '{"include": [%s]}' % ", ".join('"p%d"' % i for i in range(17)),
    # issue 7: "mode" and "log"
    "mode loud": '{"mode": "loud"}',
    "mode true": '{"mode": true}',
    "log on an allow rule": egress('{"proto": "tcp", "log": true}'),
    "log as a string": deny('{"proto": "tcp", "log": "yes"}'),
    "log group 65536": deny('{"proto": "tcp", "log": {"group": 65536}}'),
    "log group -1": '{"egress": {"default": "drop", "log": {"group": -1}}}',
    "log group a string": '{"egress": {"default": "drop", "log": {"group": "1"}}}',
    "log without group": '{"egress": {"default": "drop", "log": {}}}',
    "log with more than group": '{"egress": {"default": "drop", "log": {"group": 1, "prefix": "x"}}}',
    "log at the top": '{"log": true}',
    # issue 17: "mode" per deny rule and per include
    "mode on an allow rule": egress('{"proto": "tcp", "mode": "audit"}'),
    "a deny rule's mode loud": deny('{"proto": "tcp", "mode": "loud"}'),
    "an include entry without a name": '{"include": [{"mode": "audit"}]}',
    "an include entry with another key": '{"include": [{"name": "no-lan", "mod": "audit"}]}',
    "an include entry's mode loud": '{"include": [{"name": "no-lan", "mode": "loud"}]}',
    "an include entry's name a path": '{"include": [{"name": "../x"}]}',
}

# Valid JSON the hook refuses and no schema can: kept to keep this list
# honest (the schema must accept each, the hook must refuse each).
CANNOT = {
    "host bits set": (egress('{"to": ["192.0.2.1/24"]}'),
                      "needs the address as a number, masked by the prefix"),
    "undefined set": (egress('{"to": ["@nope"]}'),
                      "a value compared with the keys of \"sets\""),
    "icmp to a set of IPv6": ('{"sets": {"v6": ["2001:db8::/32"]}, "egress": {"default": "drop", '
                              '"allow": [{"proto": "icmp", "to": ["@v6"]}]}}',
                              "the family of a set's addresses, elsewhere in the document"),
    "range backwards": (egress('{"proto": "tcp", "ports": ["90-80"]}'),
                        "two numbers compared inside a string"),
    "escaped key": ('{"egr\\u0065ss": {"default": "drop"}}',
                    "JSON parsers decode the key; the hook refuses escapes in keys"),
    "duplicate key": ('{"egress": {"default": "drop"}, "egress": {"default": "accept"}}',
                      "JSON parsers keep one of the two"),
    "integral float port": (egress('{"proto": "tcp", "ports": [80.0]}'),
                            "JSON Schema's integer includes 80.0; the hook wants an integer literal"),
    "comment of 111 bytes in a later rule":
        ('{"egress": {"default": "reject", "allow": [%s]}}'
         % ", ".join(['{"proto": "tcp"}'] * 10 + ['{"proto": "tcp", "comment": "%s"}' % ("x" * 111)]),
         "the room left depends on the rule's index (\"egress.allow[10]\")"),
    "comment of 112 bytes, 56 characters": (egress('{"proto": "tcp", "comment": "%s"}' % ("\u00e9" * 56)),
                                            "maxLength counts characters, the limit is bytes"),
    "65 hostnames": (egress(", ".join('{"to": ["h%d.example.com"]}' % i for i in range(65))),
                     "a count over all rules"),
    "include of a missing policy": ('{"include": ["no-such-policy"]}', "the included files are not in the document"),
}

# Edge cases the schema must accept (and the hook does).
VALID = {
    "wildcards in allow rules": egress('{"to": ["*.example.com", "*.a_b.example.org."], "proto": "tcp", "ports": [443]}'),
    "mixed IPv6": egress('{"to": ["::ffff:192.0.2.1", "::/0", "2001:DB8::/32", "::1", "1::"]}'),
    "prefixes with leading zeros": egress('{"to": ["10.0.0.0/008", "0.0.0.0/0", "fe80::/010"]}'),
    "hostnames": egress('{"to": ["a.b", "A_b.example.com.", "xn--bcher-kva.example", "1a.2b", "%s.com"], '
                        '"resolve": "required"}' % ".".join(["a" * 63] * 3 + ["b" * 57])),
    "host and gateway": '{"ingress": {"default": "drop", "allow": [{"from": ["host", "gateway", "dns"]}]}}',
    "ranges": egress('{"proto": "sctp", "ports": ["1-65535", "00080-00090", 65535, 1]}'),
    "dns with udp": egress('{"to": ["dns"], "proto": "udp"}'),
    "dns with ports": egress('{"to": ["dns", "192.0.2.1"], "proto": "tcp", "ports": [853]}'),
    "comment of 111 bytes in egress.allow": egress('{"proto": "tcp", "comment": "%s"}' % ("x" * 111)),
    "comment of 112 bytes in egress.deny": deny('{"proto": "tcp", "comment": "%s"}' % COMMENT_112),
    "comment of 110 bytes in ingress.allow":
        '{"ingress": {"default": "drop", "allow": [{"proto": "tcp", "comment": "%s"}]}}' % ("x" * 110),
    "comment with UTF-8": egress('{"proto": "tcp", "comment": "caf\u00e9 \u2192 ok"}'),
    "icmp to a set": '{"sets": {"v4": ["192.0.2.0/24"]}, "egress": {"default": "drop", '
                     '"allow": [{"proto": "icmp", "to": ["@v4", "198.51.100.1"]}]}}',
    "mode and log": '{"$schema": "schema/policy.schema.json", "mode": "audit", "egress": {"default": "reject", '
                    '"log": true, "deny": [{"proto": "udp", "log": {"group": 0}}, {"proto": "tcp", "log": false}], '
                    '"allow": [{"proto": "icmp"}]}, "ingress": {"default": "drop", "log": {"group": 65535}}}',
    "mode enforce": '{"mode": "enforce", "description": "d", "ingress": {"default": "accept"}}',
    "a deny rule's mode": deny('{"proto": "udp", "mode": "audit"}, {"proto": "tcp", "mode": "enforce"}'),
    "empty policy": "{}",
    "protocols by name and number": deny('{"proto": "udplite", "ports": [5000]}, {"proto": "dccp", "ports": [1]}, '
                                         '{"proto": "gre"}, {"proto": "esp"}, {"proto": "ah"}, {"proto": 0}, '
                                         '{"proto": 255}, {"proto": 136, "ports": [53]}'),
    "except": deny('{"to": ["10.0.0.0/8"], "except": [{"proto": "udp", "ports": [53]}, {"proto": 33}, '
                   '{"proto": "dccp", "ports": ["1-2"]}]}'),
    "dns with except": deny('{"to": ["dns"], "except": [{"proto": "udp"}]}'),
}


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, what, why=""):
        self.n += 1
        if cond:
            print("ok %d - %s" % (self.n, what))
        else:
            self.failed += 1
            print("not ok %d - %s" % (self.n, what))
            for line in str(why).splitlines():
                print("#   " + line)
        return cond


def hook_check(tmp, name, text):
    """`oci-fw-hook check FILE`: (exit status, output)."""
    path = os.path.join(tmp, "doc.json")
    with open(path, "wb") as f:
        f.write(text if isinstance(text, bytes) else text.encode())
    r = subprocess.run([HOOK, "check", path], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       timeout=30, check=False)
    return r.returncode, r.stdout.decode(errors="replace").strip()


def errors(validator, doc):
    return ["%s: %s" % ("/".join(str(p) for p in e.absolute_path) or "(top)", e.message[:200])
            for e in validator.iter_errors(doc)]


def main():
    try:
        import jsonschema
    except ImportError:
        print("Bail out! python3 module jsonschema missing (Debian: python3-jsonschema, "
              "which tests/run installs)")
        return 1
    tap = Tap()
    with open(SCHEMA, encoding="utf-8") as f:
        schema = json.load(f)

    # (a)
    try:
        jsonschema.Draft202012Validator.check_schema(schema)
        tap.ok(True, "the schema is a valid draft 2020-12 schema")
    except jsonschema.exceptions.SchemaError as e:
        tap.ok(False, "the schema is a valid draft 2020-12 schema", e)
        print("1..%d" % tap.n)
        return 1
    tap.ok(schema.get("$schema") == "https://json-schema.org/draft/2020-12/schema",
           "the schema says it is draft 2020-12", schema.get("$schema"))
    v = jsonschema.Draft202012Validator(schema)

    # (b), (c)
    files = [os.path.join(POLICIES, p + ".json") for p in SHIPPED]
    files += sorted(os.path.join(POLICIES, "examples", f) for f in os.listdir(os.path.join(POLICIES, "examples"))
                    if f.endswith(".fw.json"))
    for d in (TEST_POLICIES, os.path.join(TEST_POLICIES, "not-standalone")):
        files += sorted(os.path.join(d, f) for f in os.listdir(d) if f.endswith(".json"))
    for path in files:
        rel = os.path.relpath(path, REPO)
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        errs = errors(v, doc)
        tap.ok(not errs, "%s validates" % rel, "\n".join(errs))
    for p in SHIPPED:
        path = os.path.join(POLICIES, p + ".json")
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        keys = list(doc)
        ref = doc.get("$schema")
        tap.ok(keys[:1] == ["$schema"] and ref == SCHEMA_REF
               and os.path.samefile(os.path.join(os.path.dirname(path), ref), SCHEMA),
               "%s: \"$schema\": \"%s\" is its first key and names the schema" % (p, SCHEMA_REF),
               "first key %r, $schema %r" % (keys[:1], ref))
    for path in files:
        if os.path.dirname(path) == os.path.join(POLICIES, "examples"):
            with open(path, encoding="utf-8") as f:
                doc = json.load(f)
            tap.ok(list(doc)[:1] == ["$schema"] and doc["$schema"] == INSTALLED_SCHEMA,
                   "examples/%s: \"$schema\" is the installed schema" % os.path.basename(path),
                   "$schema %r" % doc.get("$schema"))

    with tempfile.TemporaryDirectory(prefix="ofw-schema.") as tmp:
        os.chmod(tmp, 0o700)
        for name, text in VALID.items():
            errs = errors(v, json.loads(text))
            tap.ok(not errs, "valid: %s: the schema accepts it" % name, "\n".join(errs))
            rc, out = hook_check(tmp, name, text)
            tap.ok(rc == 0, "valid: %s: oci-fw-hook check accepts it" % name, out)

        # (d), (e)
        for name, text in INVALID.items():
            doc = json.loads(text)
            tap.ok(not v.is_valid(doc), "invalid: %s: the schema rejects it" % name, text[:300])
            rc, out = hook_check(tmp, name, text)
            tap.ok(rc != 0, "invalid: %s: oci-fw-hook check rejects it (%s)" % (name, out.splitlines()[-1][:150]
                                                                                 if out else "no output"),
                   "exit %d: %s" % (rc, out))
        for name, (text, why) in CANNOT.items():
            doc = json.loads(text)
            tap.ok(v.is_valid(doc), "beyond a schema: %s (%s): the schema accepts it" % (name, why),
                   "now rejected: move it to INVALID\n" + "\n".join(errors(v, doc)))
            rc, out = hook_check(tmp, name, text)
            tap.ok(rc != 0, "beyond a schema: %s: oci-fw-hook check rejects it" % name, "exit %d: %s" % (rc, out))

        inv = os.path.join(TEST_POLICIES, "invalid")
        names = sorted(f[:-5] for f in os.listdir(inv) if f.endswith(".json"))
        known = SCHEMA_REJECTS + list(SCHEMA_CANNOT) + NOT_JSON
        for n in names:
            tap.ok(known.count(n) == 1, "tests/policies/invalid/%s.json is classified once" % n,
                   "add it to SCHEMA_REJECTS, SCHEMA_CANNOT or NOT_JSON in %s" % __file__)
        for n in sorted(set(known) - set(names)):
            tap.ok(False, "tests/policies/invalid/%s.json exists" % n, "listed here, but no such file")
        for n in names:
            path = os.path.join(inv, n + ".json")
            with open(path, "rb") as f:
                raw = f.read()
            rel = "tests/policies/invalid/%s.json" % n
            try:
                doc = json.loads(raw.decode("utf-8"))
                parsed = True
            except (UnicodeDecodeError, ValueError) as e:
                parsed, doc = False, e
            if n in NOT_JSON:
                tap.ok(not parsed, "%s: not JSON, no schema sees it" % rel, "python parsed it: %r" % (doc,))
            elif n in SCHEMA_CANNOT:
                tap.ok(parsed and v.is_valid(doc), "%s: beyond a schema (%s): the schema accepts it"
                       % (rel, SCHEMA_CANNOT[n]), "now rejected: move it to SCHEMA_REJECTS")
            elif n in SCHEMA_REJECTS:
                tap.ok(parsed and not v.is_valid(doc), "%s: the schema rejects it" % rel,
                       doc if not parsed else "the schema accepts it")
            else:
                continue
            rc, out = hook_check(tmp, n, raw)
            tap.ok(rc != 0, "%s: oci-fw-hook check rejects it" % rel, "exit %d: %s" % (rc, out))

    print("1..%d" % tap.n)
    if tap.failed:
        print("# %d of %d checks failed" % (tap.failed, tap.n))
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
