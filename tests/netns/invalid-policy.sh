#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# invalid-policy.sh: every file in tests/policies/invalid/ is refused by check and by apply, with one error line and nothing loaded.

. "$(dirname "$0")/../lib/netns.sh"
t_init
t_need_hook

fc_single
inv="$TEST_POLICIES/invalid"
n=0
for f in "$inv"/*.json; do
	name=$(basename "$f" .json)
	n=$((n + 1))
	out=$("$OCI_FW_HOOK" check "$f" 2>&1)
	rc=$?
	if [ "$rc" -eq 1 ]; then
		t_ok "check $name: exit 1: $out"
	else
		t_fail "check $name: expected exit 1, got $rc: $out"
	fi
	hook_apply "$(make_state "$FC_PID" "$FC_BUNDLE" "$name")" --policy-dir "$inv"
	check_hook_error "apply $name"
	check_empty "$NS_C" "apply $name"
done
[ "$n" -gt 0 ] || t_fail "no invalid policy files in $inv"
t_finish
