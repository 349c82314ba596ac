#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# runc-admin.sh: the admin controls of a node whose pod authors are not
# trusted, through the CRI-O contract (runc, hooks.createRuntime, config.json
# annotations): --default-policy catches containers without fw.policy,
# --allowed-policies refuses other names, fw.unsafe counts only with
# --allow-unsafe, and the enforced hooks.d example's own args work.

. "$(dirname "$0")/../lib/runc.sh"
rc_init
rc_server

reset_ns() { ip netns exec "$NS_C" nft flush ruleset; }
DIRS=(arg=--policy-dir "arg=$POLICIES" arg=--policy-dir "arg=$TEST_POLICIES")
# shellcheck disable=SC2054 # the commas are in the list option
ADMIN=("${DIRS[@]}" arg=--default-policy arg=denyall arg=--allowed-policies arg=denyall,tcp-port)

# --- the enforced example's args, as an admin would install them ---------
EXAMPLE=${ENFORCED_EXAMPLE:?set by tests/runc/meson.build}
mapfile -t ex_args < <(jq -r '.hook.args[2:][]' "$EXAMPLE")
[ "${#ex_args[@]}" -gt 0 ] || t_die "no args after 'apply' in $EXAMPLE"
ENFORCED=("${DIRS[@]}")
for a in "${ex_args[@]}"; do ENFORCED+=("arg=$a"); done

rc_bundle netns="$NS_C" "${ENFORCED[@]}"
rc_run
rc_check_ran "enforced example, no annotation"
rc_expect tcp80 blocked
rc_expect tcp8080 blocked
rc_expect udp69 blocked
c=$(rc_comment "$NS_C")
[[ $c == "denyall sha256:"*" (default)" ]] && t_ok "enforced example: default table: $c" ||
	t_fail "enforced example: table comment '$c', expected 'denyall sha256:... (default)'"
reset_ns

rc_bundle netns="$NS_C" "${ENFORCED[@]}" ann=fw.policy=tcp-port -- /bin/sh -c 'echo ran'
rc_run
rc_check_refused "enforced example, fw.policy=tcp-port" \
	'tcp-port: not among the policies this node allows \(web-egress,dns-only,no-lan\)'
check_empty "$NS_C" "enforced example, disallowed name"

rc_bundle netns="$NS_C" "${ENFORCED[@]}" ann=fw.policy=dns-only
rc_run
rc_check_ran "enforced example, fw.policy=dns-only (allowed)"
rc_expect tcp80 blocked
c=$(rc_comment "$NS_C")
[[ $c == "dns-only sha256:"* && $c != *"(default)" ]] && t_ok "enforced example: chosen table: $c" ||
	t_fail "enforced example: table comment '$c', expected 'dns-only sha256:...'"
reset_ns

rc_bundle netns="$NS_C" "${ENFORCED[@]}" ann=fw.policy=/etc/passwd -- /bin/sh -c 'echo ran'
rc_run
rc_check_refused "enforced example, fw.policy=/etc/passwd" 'not among the policies'
check_empty "$NS_C" "enforced example, a path"

# --- --default-policy, --allowed-policies with traffic ---------------------
rc_bundle netns="$NS_C" "${ADMIN[@]}"
rc_run
rc_check_ran "default denyall, no annotation"
rc_expect tcp8080 blocked
rc_expect udp69 blocked
reset_ns

rc_bundle netns="$NS_C" "${ADMIN[@]}" ann=fw.policy=tcp-port
rc_run
rc_check_ran "allowed tcp-port"
rc_expect tcp8080 reach
rc_expect tcp80 blocked
rc_expect udp69 blocked
reset_ns

rc_bundle netns="$NS_C" "${ADMIN[@]}" ann=fw.policy=no-lan -- /bin/sh -c 'echo ran'
rc_run
rc_check_refused "disallowed no-lan" 'no-lan: not among the policies this node allows \(denyall,tcp-port\)'
check_empty "$NS_C" "disallowed no-lan"

# --allowed-policies alone (no default): no annotation, no effect
rc_bundle netns="$NS_C" "${DIRS[@]}" arg=--allowed-policies arg=tcp-port
rc_run
rc_check_ran "allowed list only, no annotation"
rc_expect tcp80 reach
check_empty "$NS_C" "allowed list only, no annotation"

# --- fw.unsafe ----------------------------------------------------------------
# No admin control: fw.unsafe is the launcher's to give (issue 3).
rc_bundle netns="$NS_C" "${DIRS[@]}" cap=CAP_NET_RAW ann=fw.policy=tcp-port -- /bin/sh -c 'echo ran'
rc_run
rc_check_refused "CAP_NET_RAW without fw.unsafe" 'CAP_NET_RAW'
rc_bundle netns="$NS_C" "${DIRS[@]}" cap=CAP_NET_RAW ann=fw.policy=tcp-port ann=fw.unsafe=CAP_NET_RAW
rc_run
rc_check_ran "CAP_NET_RAW + fw.unsafe, no admin control"
rc_expect tcp8080 reach
rc_expect tcp80 blocked
reset_ns

# Under admin controls fw.unsafe is ignored ...
rc_bundle netns="$NS_C" "${ADMIN[@]}" cap=CAP_NET_RAW ann=fw.policy=tcp-port ann=fw.unsafe=CAP_NET_RAW -- /bin/sh -c 'echo ran'
rc_run
rc_check_refused "CAP_NET_RAW + fw.unsafe under admin controls" 'CAP_NET_RAW' 'this node does not honour fw\.unsafe$'
check_empty "$NS_C" "fw.unsafe ignored"
# ... also for a container that only gets the default
rc_bundle netns="$NS_C" "${ADMIN[@]}" cap=CAP_NET_ADMIN ann=fw.unsafe=CAP_NET_ADMIN -- /bin/sh -c 'echo ran'
rc_run
rc_check_refused "CAP_NET_ADMIN + fw.unsafe, default policy" 'CAP_NET_ADMIN' 'this node does not honour fw\.unsafe$'
check_empty "$NS_C" "fw.unsafe ignored under the default"
# ... unless the admin says --allow-unsafe.
rc_bundle netns="$NS_C" "${ADMIN[@]}" arg=--allow-unsafe cap=CAP_NET_RAW ann=fw.policy=tcp-port ann=fw.unsafe=CAP_NET_RAW
rc_run
rc_check_ran "CAP_NET_RAW + fw.unsafe with --allow-unsafe"
rc_expect tcp8080 reach
rc_expect udp69 blocked
reset_ns
t_finish
