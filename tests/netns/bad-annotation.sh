#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bad-annotation.sh: an unknown policy name, a path-like or malformed fw.policy, and a path without --allow-path each fail with one error line and load nothing.

. "$(dirname "$0")/../lib/netns.sh"
t_init
t_need_hook

fc_single
# a valid policy reachable by path, to prove paths need --allow-path
cp "$TEST_POLICIES/tcp-port.json" "$T_DIR/p.json"
chmod 0644 "$T_DIR/p.json"
long=$(printf 'a%.0s' $(seq 1 65))

try() {
	local what=$1 value=$2
	hook_apply "$(make_state "$FC_PID" "$FC_BUNDLE" "$value")"
	check_hook_error "$what ($value)"
	check_empty "$NS_C" "$what"
}

missing="no-such-policy-$$"
try "missing policy" "$missing"
if grep -q -- "$missing" <<<"$HOOK_ERR"; then
	t_ok "the error names the missing policy"
else
	t_fail "the error does not name the policy $missing: $HOOK_ERR"
fi
try "parent dir" "../x"
try "parent dir of a real policy" "../policies/denyall"
try "slash" "a/b"
try "empty" ""
try "too long" "$long"
try "leading dot" ".hidden"
try "leading dash" "-x"
try "space" "deny all"
try "newline" $'denyall\n'
try "name with .json" "denyall.json"
try "absolute path without --allow-path" "$T_DIR/p.json"
t_finish
