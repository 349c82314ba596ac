#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bad-annotation.sh: an unknown policy name, a path-like or malformed fw.policy, and a path without --allow-path each fail with exit 11, one error line (and the record: container, exit status, the same line) and load nothing.

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

t_finish
