#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# watch.sh: watch prints blocked connections (egress deny, egress default, ingress default; audit would-drops) decoded, from the container's own NFLOG group, within 5 s, with the host's nf_log_all_netns left at 0; a second watch is refused; watch ends with the container.

. "$(dirname "$0")/../lib/netns.sh"
t_init
t_need_hook

# The sysctl exists in the initial netns only (the Debian 13 root runs in
# one of its own: there it cannot be on for this test's namespaces).
sysctl=/proc/sys/net/netfilter/nf_log_all_netns
modprobe nfnetlink_log 2>/dev/null
sysctl_off() { [ ! -e $sysctl ] || [ "$(cat $sysctl)" = 0 ]; }
sysctl_off && t_ok "nf_log_all_netns is 0 (or not this netns's)" || t_die "nf_log_all_netns is $(cat $sysctl): this test proves watch needs none"

topo_pair
servers_tcp "$NS_S" 8080 8081 8082
mkdir -p "$T_DIR/pol"
cat >"$T_DIR/pol/w.json" <<'JSON'
{ "egress": { "default": "reject",
    "deny": [ { "proto": "tcp", "ports": [8081], "comment": "not this one" } ],
    "allow": [ { "proto": "tcp", "ports": [8080, 8081] } ] },
  "ingress": { "default": "drop" } }
JSON
cat >"$T_DIR/pol/audit.json" <<'JSON'
{ "mode": "audit", "egress": { "default": "drop" } }
JSON
HOOK_DIRS=(--policy-dir "$T_DIR/pol")
check_probes baseline "reach tcp NS_C $S4 8082"
apply_policy "$NS_C" w
pid=$FC_PID

# watch_start NAME ARGS...: watch in the background, its stdout in
# T_DIR/NAME.out; waits (bounded) for it to listen.
watch_start() {
	local name=$1 i
	shift
	"$OCI_FW_HOOK" watch "$@" >"$T_DIR/$name.out" 2>"$T_DIR/$name.err" &
	WATCH_PID=$!
	t_track_pid "$WATCH_PID"
	for i in $(seq 1 100); do
		grep -q watching "$T_DIR/$name.err" && return 0
		kill -0 "$WATCH_PID" 2>/dev/null || break
		sleep 0.05
	done
	t_die "watch $* did not start: $(cat "$T_DIR/$name.err")"
}
# wait_line FILE PATTERN: the first line matching, within 5 s of now.
wait_line() {
	local i
	for i in $(seq 1 100); do
		grep -m1 -- "$2" "$1" && return 0
		sleep 0.05
	done
	return 1
}

watch_start json --json --pid "$pid"
out=$("$OCI_FW_HOOK" watch --pid "$pid" 2>&1 </dev/null)
rc=$?
[ "$rc" != 0 ] && grep -q "has a listener already" <<<"$out" && t_ok "a second watch is refused: $out" ||
	t_fail "second watch: exit $rc: $out"

check_probes policy "
blocked tcp NS_C $S4 8081
blocked tcp NS_C $S4 8082
reach   tcp NS_C $S4 8080
"
# jq_has FILE FILTER: a line of FILE's JSON matches FILTER, within 5 s.
jq_has() {
	local i
	for i in $(seq 1 100); do
		jq -ec "select($2)" "$1" 2>/dev/null | head -n1 | grep . && return 0
		sleep 0.05
	done
	return 1
}
line=$(jq_has "$T_DIR/json.out" ".rule == \"egress.deny[0]\" and .action == \"reject\" and .proto == \"tcp\" and .src == \"$C4\" and .dst == \"$S4\" and .dport == 8081 and (.sport | type) == \"number\" and (.time | test(\"^[0-9-]+T[0-9:.]+[+-][0-9]{4}$\"))") &&
	t_ok "the deny's reject, decoded: $line" || t_fail "no egress.deny[0] record: $(cat "$T_DIR/json.out")"
line=$(jq_has "$T_DIR/json.out" ".rule == \"egress.default\" and .action == \"reject\" and .dport == 8082") &&
	t_ok "the default's reject: $line" || t_fail "no egress.default record: $(cat "$T_DIR/json.out")"
jq -e 'select(.dport == 8080)' "$T_DIR/json.out" >/dev/null &&
	t_fail "the allowed connection was reported" || t_ok "the allowed connection is not reported"

# Ingress, and the time it takes: a SYN from the server to the container.
t0=$(date +%s%N)
probe_tcp "$NS_S" "$C4" 9 1
line=$(jq_has "$T_DIR/json.out" ".rule == \"ingress.default\" and .action == \"drop\" and .src == \"$S4\" and .dst == \"$C4\" and .dport == 9") &&
	t_ok "ingress drop within $((($(date +%s%N) - t0) / 1000000)) ms (at most 5 s): $line" ||
	t_fail "no ingress.default record: $(cat "$T_DIR/json.out")"
line=$(nsenter --net="/run/netns/$NS_C" ping -6 -c1 -W1 "$S6" >/dev/null 2>&1
	jq_has "$T_DIR/json.out" ".rule == \"egress.default\" and .proto == \"icmpv6\" and .icmp_type == 128 and .dst == \"$S6\"") &&
	t_ok "IPv6 echo request: $line" || t_fail "no icmpv6 record: $(cat "$T_DIR/json.out")"

# The text form, and the audit mode.
ns_add a NS_A
ip link add a0 netns "$NS_A" type veth peer name sa0 netns "$NS_S"
ip -n "$NS_A" addr add 203.0.113.1/24 dev a0
ip -n "$NS_S" addr add 203.0.113.2/24 dev sa0
ip -n "$NS_A" link set a0 up
ip -n "$NS_S" link set sa0 up
apply_policy "$NS_A" audit
watch_start text --pid "$FC_PID"
check_probes audit "reach tcp NS_A 203.0.113.2 8082"
line=$(wait_line "$T_DIR/text.out" " egress.default audit-drop tcp 203.0.113.1:[0-9]* -> 203.0.113.2:8082$") &&
	t_ok "audit mode: the connection passes and watch says it would be dropped: $line" ||
	t_fail "text: $(cat "$T_DIR/text.out")"

# watch ends, successfully, with the container.
kill "$FC_PID"
for _ in $(seq 1 100); do kill -0 "$WATCH_PID" 2>/dev/null || break; sleep 0.05; done
if kill -0 "$WATCH_PID" 2>/dev/null; then
	t_fail "watch still runs 5 s after its container ended"
else
	wait "$WATCH_PID"
	rc=$?
	[ "$rc" = 0 ] && t_ok "watch ends with its container" || t_fail "watch exit $rc: $(cat "$T_DIR/text.err")"
fi
sysctl_off && t_ok "nf_log_all_netns still 0" || t_fail "nf_log_all_netns changed"
t_finish
