#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bad-annotation.sh: an unknown policy name, a path-like or malformed fw.policy, a path without --allow-path (the same line whatever the file is), and podman 5's quoted key ("fw.policy) each fail with exit 11, one error line (and the record: container, exit status, the same line) and load nothing; an unrelated annotation key with an escape does not refuse a container without fw.policy.

. "$(dirname "$0")/../lib/netns.sh"
t_init
t_need_hook

fc_single
# The record goes to a socket of the test's own.
python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "a") as f:
    while True:
        f.write(s.recv(4096).decode(errors="replace") + "\n")
        f.flush()
' "$T_DIR/log.sock" "$T_DIR/log" </dev/null >/dev/null 2>&1 &
t_track_pid $!
for _ in $(seq 1 100); do [ -S "$T_DIR/log.sock" ] && break; sleep 0.05; done
HOOK_DIRS+=(--syslog-socket "$T_DIR/log.sock")
# a valid policy reachable by path, to prove paths need --allow-path
cp "$TEST_POLICIES/tcp-port.json" "$T_DIR/p.json"
chmod 0644 "$T_DIR/p.json"
long=$(printf 'a%.0s' $(seq 1 65))

try() {
	local what=$1 value=$2
	hook_apply "$(make_state "$FC_PID" "$FC_BUNDLE" "$value")"
	check_hook_error "$what ($value)" "$HOOK_EXIT_ANNOTATION"
	check_empty "$NS_C" "$what"
}

missing="no-such-policy-$$"
try "missing policy" "$missing"
if grep -q -- "$missing" <<<"$HOOK_ERR"; then
	t_ok "the error names the missing policy"
else
	t_fail "the error does not name the policy $missing: $HOOK_ERR"
fi
# under crun the record is where the line shows: container, status, line
for _ in $(seq 1 50); do grep -q "$missing" "$T_DIR/log" 2>/dev/null && break; sleep 0.05; done
rec=$(grep -F -- "$missing" "$T_DIR/log")
want="refused container=ofw-$T_TAG exit=$HOOK_EXIT_ANNOTATION: ${HOOK_ERR#oci-fw-hook: }"
if [[ $rec =~ ^\<27\>oci-fw-hook\[[0-9]+\]:\ (.*)$ ]] && [ "${BASH_REMATCH[1]}" = "$want" ]; then
	t_ok "the record: $rec"
else
	t_fail "expected the record '<27>oci-fw-hook[PID]: $want', got: '$rec'"
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
err_has "absolute path without --allow-path" 'policy paths are off'
# Paths off says so before any file is opened: one line, whatever the
# file is (valid, shipped, missing, invalid), alone or in a list, so the
# annotation's author learns nothing about the host's files from it.
printf '{"egress": ' >"$T_DIR/bad.json"
for p in "$T_DIR/p.json" "$POLICIES/denyall.json" "$T_DIR/missing.json" "$T_DIR/bad.json" \
	"denyall,$T_DIR/p.json" "denyall,$T_DIR/missing.json"; do
	try "path without --allow-path" "$p"
	if [ "$HOOK_ERR" = "oci-fw-hook: $p: policy paths are off (the hook needs --allow-path); use a name from the policy directories" ]; then
		t_ok "paths off, the same line for $p"
	else
		t_fail "paths off for $p: $HOOK_ERR"
	fi
done

# podman 5 does not split --annotation at commas: the form podman 4.3
# needed, --annotation '"fw.policy=a,b"', becomes the key "fw.policy
for kv in '"fw.policy=no-lan,web-egress"' '"fw.unsafe=CAP_NET_RAW,CAP_NET_ADMIN"'; do
	key=${kv%%=*}
	hook_apply "$(make_state_ann "$FC_PID" "$FC_BUNDLE" "$kv")"
	check_hook_error "podman 5 quoted $key" "$HOOK_EXIT_ANNOTATION"
	err_has "podman 5 quoted $key" "key '\\$key' holds quotes" "--annotation ${key#\"}=a,b without quotes"
	check_empty "$NS_C" "podman 5 quoted $key"
done

# an escape in an unrelated annotation key (Go's encoder writes "<" as
# \u003c; jq writes a quote as \"), in the state and in config.json: a
# container without fw.policy passes untouched ...
jq -c '.annotations["a\"b"] = "1"' "$FC_BUNDLE/config.json" >"$T_DIR/c" &&
	mv "$T_DIR/c" "$FC_BUNDLE/config.json"
hook_apply "$(make_state_ann "$FC_PID" "$FC_BUNDLE" 'a"b=1')"
check_hook_ok "escaped annotation key, no fw.policy"
check_empty "$NS_C" "escaped annotation key, no fw.policy"
# ... one with fw.policy is refused: its state must be strict JSON
hook_apply "$(make_state "$FC_PID" "$FC_BUNDLE" tcp-port 'a"b=1')"
check_hook_error "escaped annotation key beside fw.policy" "$HOOK_EXIT_STATE"
err_has "escaped annotation key beside fw.policy" 'state: annotations: escape sequences in keys'
check_empty "$NS_C" "escaped annotation key beside fw.policy"
t_finish
