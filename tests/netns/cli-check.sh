#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# cli-check.sh: check accepts every valid policy (by name and by path) and refuses invalid ones; print emits text that nft accepts; unknown input fails.

. "$(dirname "$0")/../lib/netns.sh"
t_init
t_need_hook

ns_add x NS_X
valid=()
for f in "$POLICIES"/*.json "$TEST_POLICIES"/*.json; do
	[ -e "$f" ] && valid+=("$f")
done
[ "${#valid[@]}" -gt 0 ] || t_die "no policies found"

run() { # run WANT-RC DESCRIPTION CMD...
	local want=$1 what=$2 out rc
	shift 2
	out=$(timeout 20 "$@" 2>&1)
	rc=$?
	if [ "$rc" -eq "$want" ]; then t_ok "$what"; else t_fail "$what: expected exit $want, got $rc: $out"; fi
}

filter=cat
nft_queue_missing && filter=queue_as_drop # the learner's queue: see netns.sh
for f in "${valid[@]}"; do
	name=$(basename "$f" .json)
	# a path's includes are names, looked up in the policy directories
	# (web-server includes web-egress)
	run 0 "check $f (path)" "$OCI_FW_HOOK" check --policy-dir "$(dirname "$f")" "$f"
	run 0 "check $name (name)" "$OCI_FW_HOOK" check --policy-dir "$(dirname "$f")" "$name"
	if "$OCI_FW_HOOK" print --policy-dir "$(dirname "$f")" "$f" >"$T_DIR/p.raw" 2>"$T_DIR/p.err" &&
		$filter "$T_DIR/p.raw" >"$T_DIR/p.nft"; then
		run 0 "print $name | nft -c -f" ip netns exec "$NS_X" nft -c -f "$T_DIR/p.nft"
	else
		t_fail "print $f failed: $(cat "$T_DIR/p.err")"
	fi
done
run 0 "check of all valid policies at once" "$OCI_FW_HOOK" check --policy-dir "$POLICIES" "${valid[@]}"
first_invalid=$(ls "$TEST_POLICIES"/invalid/*.json | head -n1)
run 1 "check of valid + one invalid" "$OCI_FW_HOOK" check "${valid[0]}" "$first_invalid"
run 1 "check of an unknown name" "$OCI_FW_HOOK" check --policy-dir "$TEST_POLICIES" "no-such-policy-$$"
run 1 "print of an unknown name" "$OCI_FW_HOOK" print --policy-dir "$TEST_POLICIES" "no-such-policy-$$"
run 1 "print of an invalid policy" "$OCI_FW_HOOK" print "$first_invalid"
run 0 "--help" "$OCI_FW_HOOK" --help
run 0 "--version" "$OCI_FW_HOOK" --version
if "$OCI_FW_HOOK" --version 2>&1 | grep -q '[0-9]\.[0-9]'; then t_ok "--version prints a version"; else
	t_fail "--version prints no version number: $("$OCI_FW_HOOK" --version 2>&1)"
fi
out=$("$OCI_FW_HOOK" no-such-verb 2>&1)
rc=$?
[ "$rc" -ne 0 ] && t_ok "unknown verb fails ($rc)" || t_fail "unknown verb exited 0: $out"
out=$("$OCI_FW_HOOK" 2>&1 </dev/null)
rc=$?
[ "$rc" -ne 0 ] && t_ok "no verb fails ($rc)" || t_fail "no verb exited 0: $out"
t_finish
