#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tr-hook-env.sh: nothing in the environment the runtime hands the hook changes what it loads: the binary reads no variable of its own (no getenv import); an apply under a hostile environment (locale, TMPDIR, HOME, MALLOC_*, GLIBC_TUNABLES, LD_LIBRARY_PATH, resolver variables) loads exactly the ruleset of an apply with an empty one; the shipped hooks.d sets "env" to a bare PATH, so the runtime's own LD_PRELOAD and the like never reach the root hook, and an apply with exactly that environment works.

. "$(dirname "$0")/../lib/netns.sh"
t_init
t_need_hook

# the hook's own code asks for no variable (glibc's loader and malloc read
# theirs: the hostile run below and the hooks.d "env" cover those). Its own
# objects are checked: a coverage build links gcov's runtime (GCOV_PREFIX),
# and where json-c is linked in statically its strerror_override.o comes
# along, whose getenv(_JSON_C_STRERROR_ENABLE) only json-c's file functions
# reach: the hook's objects call none of them.
own="$(dirname "$OCI_FW_HOOK")"
syms=$(nm --undefined-only "$own"/libhook.a "$own"/oci-fw-hook.p/*.o 2>&1)
[ -n "$syms" ] || t_die "nm printed nothing for the hook's objects in $own"
grep -Eq '\b(secure_)?getenv\b|\benviron\b' <<<"$syms" && t_fail "the hook's objects import getenv/environ: $(grep -E 'getenv|environ' <<<"$syms")" ||
	t_ok "the hook's objects import no getenv, secure_getenv or environ"
grep -Eq '\bjson_object_(from|to)_(file|fd)' <<<"$syms" &&
	t_fail "the hook calls json-c's file functions (their errors read the environment)" ||
	t_ok "the hook calls none of json-c's file functions"
bin=$(nm -D --undefined-only "$OCI_FW_HOOK" 2>&1)
[ -n "$bin" ] || t_die "nm -D printed nothing for $OCI_FW_HOOK"
if grep -Eq '\b(secure_)?getenv\b|\benviron\b' <<<"$bin"; then
	nm "$OCI_FW_HOOK" 2>/dev/null | grep -Eq '__gcov_|_json_c_strerror' &&
		t_ok "the binary's getenv is gcov's or static json-c's strerror_override" ||
		t_fail "the binary imports getenv/environ from something else: $(grep -E 'getenv|environ' <<<"$bin")"
else
	t_ok "the binary imports no getenv, secure_getenv or environ"
fi

pol="$T_DIR/pol"
mkdir -m 0755 "$pol"
cat >"$pol/envt.json" <<'JSON'
{ "description": "test: the environment", "sets": { "s": ["203.0.113.0/25", "2001:db8:9::/48"] },
  "egress": { "default": "reject", "deny": [ { "to": ["@s"] } ],
              "allow": [ { "proto": "tcp", "ports": [80, 443, "8000-8100"], "comment": "İstanbul ıi" } ] },
  "ingress": { "default": "drop", "allow": [ { "proto": "udp", "ports": [53] } ] } }
JSON
chmod 0644 "$pol/envt.json"
HOOK_DIRS=(--policy-dir "$pol")

# apply_env NS ENV...: a fake container in NS, apply with exactly ENV
apply_env() {
	local ns=$1
	shift
	fc_new "$ns"
	make_state "$FC_PID" "$FC_BUNDLE" envt >"$T_DIR/state"
	(cd "$FC_BUNDLE" && exec env -i "$@" timeout 20 "$OCI_FW_HOOK" apply "${HOOK_DIRS[@]}") \
		<"$T_DIR/state" >"$T_DIR/env.out" 2>"$T_DIR/env.err"
}
ns_add a NS_A
ns_add b NS_B
ns_add c NS_C
apply_env "$NS_A" && t_ok "apply with an empty environment" || t_die "apply, empty environment: $(<"$T_DIR/env.err")"
mkdir -m 0700 "$T_DIR/tmp-locked"
locale=$(locale -a 2>/dev/null | grep -m1 -i '^tr_TR' || echo tr_TR.UTF-8)
apply_env "$NS_B" LANG="$locale" LC_ALL="$locale" LC_CTYPE="$locale" LANGUAGE=tr TMPDIR="$T_DIR/tmp-locked/x" \
	HOME=/nonexistent-tr XDG_RUNTIME_DIR=/nonexistent-tr MALLOC_PERTURB_=165 MALLOC_CHECK_=3 \
	MALLOC_ARENA_MAX=1 GLIBC_TUNABLES=glibc.malloc.mmap_threshold=0:glibc.malloc.tcache_count=0 \
	LD_LIBRARY_PATH="$T_DIR/tmp-locked" LD_BIND_NOW=1 RES_OPTIONS="ndots:15 attempts:1" \
	LOCALDOMAIN=tr.invalid HOSTALIASES=/nonexistent-tr NOTIFY_SOCKET=/nonexistent-tr \
	CONTAINERS_CONF=/nonexistent-tr TZ=Europe/Istanbul &&
	t_ok "apply with a hostile environment" || t_fail "apply, hostile environment: $(<"$T_DIR/env.err")"
a=$(ns_nft "$NS_A" -s list ruleset)
b=$(ns_nft "$NS_B" -s list ruleset)
[ -n "$a" ] && [ "$a" = "$b" ] && t_ok "the same ruleset, byte for byte" ||
	t_fail "the hostile environment changed the ruleset: $(diff <(echo "$a") <(echo "$b"))"

# the shipped hooks.d: exactly a bare PATH, and an apply with it works
hj="$T_REPO_DIR/hooks.d/oci-fw-hook.json.in"
envs=$(jq -c '.hook.env' "$hj")
[ "$envs" = '["PATH=/usr/sbin:/usr/bin:/sbin:/bin"]' ] && t_ok "hooks.d sets env $envs" ||
	t_fail "$hj: hook.env is $envs, not a bare PATH"
mapfile -t shipped < <(jq -r '.hook.env[]' "$hj")
apply_env "$NS_C" "${shipped[@]}" && t_ok "apply with the hooks.d environment" ||
	t_fail "apply with hooks.d's env: $(<"$T_DIR/env.err")"
c=$(ns_nft "$NS_C" -s list ruleset)
[ "$a" = "$c" ] && t_ok "the hooks.d environment: the same ruleset" || t_fail "the hooks.d environment changed the ruleset"
t_finish
