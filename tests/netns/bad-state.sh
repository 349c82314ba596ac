#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bad-state.sh: malformed, empty or oversized OCI state, or a pid that is gone or invalid, fails with one error line and loads nothing.

. "$(dirname "$0")/../lib/netns.sh"
t_init
t_need_hook

fc_single
host_table_guard
good=$(make_state "$FC_PID" "$FC_BUNDLE" harmless)
sleep 0 &
gone=$!
wait "$gone"

try() {
	local what=$1 state=$2
	hook_apply "$state"
	check_hook_error "$what"
	check_empty "$NS_C" "$what"
}

try "empty stdin" ""
try "not JSON" "hello"
try "truncated JSON" "${good:0:40}"
try "JSON array" "[$good]"
try "no pid" "$(jq -c 'del(.pid)' <<<"$good")"
try "pid 0" "$(jq -c '.pid = 0' <<<"$good")"
try "pid -1" "$(jq -c '.pid = -1' <<<"$good")"
try "pid as string" "$(jq -c '.pid = "'"$FC_PID"'"' <<<"$good")"
try "pid too large" "$(jq -c '.pid = 99999999999' <<<"$good")"
try "pid that has exited" "$(jq -c --argjson p "$gone" '.pid = $p' <<<"$good")"
try "annotation not a string" "$(jq -c '.annotations["fw.policy"] = ["harmless"]' <<<"$good")"
# 8 MiB of padding: the hook must bound what it reads, fail, and not hang
head -c 8388608 /dev/zero | tr '\0' x >"$T_DIR/pad"
big=$(jq -c --rawfile pad "$T_DIR/pad" '.annotations.pad = $pad' <<<"$good")
try "8 MiB state" "$big"
# control: the same state, unmodified, loads
hook_apply "$good"
if [ "$HOOK_RC" -eq 0 ] && ns_has_table "$NS_C"; then t_ok "control: the good state loads"; else
	t_fail "control: the good state did not load: exit $HOOK_RC: $HOOK_ERR"
fi
t_finish
