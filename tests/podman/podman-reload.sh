#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# podman-reload.sh: `oci-fw-hook reload` after editing a policy: by name, one container changes (the new rule holds, the old one is gone) and its neighbour does not; `--all` reloads the other container and a pod of two members with one load (netns_shared_with names the other member); a flow of connections to a port both versions refuse gets nothing through across the reloads; an invalid new file and a privileged process in the namespace (podman exec --privileged) are refused and the old rules stay; a file that did not change is "unchanged"; "dns" after a reload is what the table held, not a nameserver the container wrote into its own resolv.conf.

. "$(dirname "$0")/../lib/podman.sh"
pm_init
pm_server

pm_policy_dir
# version N allows tcp PORT out to the test server; 22 is refused by both.
# They reject, so that a blocked probe fails at once (a drop waits out its
# timeout, twelve times here).
pol_write() { # pol_write PORT
	printf '{"egress": {"default": "reject", "allow": [{"proto": "tcp", "to": ["%s"], "ports": [%s]}]}}\n' \
		"$S4" "$1" >"$POL/rl.json"
}
pol_write 80
# reload_run ARG...: sets RL_RC, RL_OUT, RL_ERR
reload_run() {
	RL_OUT=$(timeout 120 "$OCI_FW_HOOK" reload --policy-dir "$POL" --syslog-socket none "$@" 2>"$T_DIR/rl.err")
	RL_RC=$?
	RL_ERR=$(<"$T_DIR/rl.err")
}
# probes NAME WHAT 80|443: the container reaches that port and not the other
probes() {
	local name=$1 what=$2 open=$3 shut=80
	[ "$open" = 80 ] && shut=443
	PM_NAME=$name pm_exec "$what" "$(pm_tcp_probe p$open "$S4" "$open")$(pm_tcp_probe p$shut "$S4" "$shut")"
	pm_expect "p$open" reach
	pm_expect "p$shut" blocked
}

pm_start --annotation fw.policy=rl || t_die "A did not start: $PM_ERR"
A=$PM_NAME
pm_start --annotation fw.policy=rl || t_die "B did not start: $PM_ERR"
B=$PM_NAME
pod="ofw-pod-$T_TAG"
pm_pod "$pod"
pm_start --pod "$pod" --annotation fw.policy=rl || t_die "P1 did not start: $PM_ERR"
P1=$PM_NAME
pm_start --pod "$pod" --annotation fw.policy=rl || t_die "P2 did not start: $PM_ERR"
P2=$PM_NAME
for c in "$A" "$B" "$P1"; do
	probes "$c" "$c under version 1" 80
done

# a flow across the reloads: connections to 22, which both versions
# refuse, one a second
flow='n=0; g=0; while [ $n -lt 12 ]; do n=$((n+1)); nc -w 1 '"$S4"' 22 </dev/null 2>/dev/null | grep -q ok && g=$((g+1)); sleep 1; done; echo tries=$n got=$g'
timeout 60 podman exec "$A" /bin/sh -c "$flow" >"$T_DIR/flow.out" 2>&1 &
flow_pid=$!
t_track_pid "$flow_pid"

pol_write 443
reload_run "$A"
[ "$RL_RC" -eq 0 ] && grep -q "^reloaded container=[0-9a-f]* name=$A policy=rl sha256=[0-9a-f]\{16\} was=[0-9a-f]\{16\} mode=enforce rules=" <<<"$RL_OUT" &&
	t_ok "reload $A: $RL_OUT" || t_fail "reload $A: exit $RL_RC, stdout: $RL_OUT, stderr: $RL_ERR"
probes "$A" "$A after its reload" 443
probes "$B" "$B, not named, keeps version 1" 80

reload_run --all
[ "$RL_RC" -eq 0 ] && t_ok "reload --all: exit 0" || t_fail "reload --all: exit $RL_RC: $RL_ERR"
grep -q "^unchanged container=[0-9a-f]* name=$A " <<<"$RL_OUT" && t_ok "reload --all: $A unchanged" ||
	t_fail "reload --all: no 'unchanged ... name=$A' line: $RL_OUT"
grep -q "^reloaded container=[0-9a-f]* name=$B " <<<"$RL_OUT" && t_ok "reload --all: $B reloaded" ||
	t_fail "reload --all: no 'reloaded ... name=$B' line: $RL_OUT"
n_pod=$(grep -cE "name=($P1|$P2) .*netns_shared_with=.*($P1|$P2)" <<<"$RL_OUT")
[ "$n_pod" = 1 ] && ! grep -qE "name=($P1|$P2) " <<<"$(grep -vE 'netns_shared_with' <<<"$RL_OUT")" &&
	t_ok "reload --all: the pod loaded once: $(grep -E "name=($P1|$P2) " <<<"$RL_OUT")" ||
	t_fail "reload --all: expected one line for the pod naming the other member, got: $RL_OUT"
for c in "$B" "$P1" "$P2"; do
	probes "$c" "$c after reload --all" 443
done
wait "$flow_pid"
flow_out=$(<"$T_DIR/flow.out")
[[ $flow_out == "tries=12 got=0" ]] && t_ok "the flow to port 22 across the reloads: $flow_out" ||
	t_fail "the flow to port 22 across the reloads: '$flow_out' (expected tries=12 got=0)"

# refused: an invalid new file; the old rules (443) stay
printf '{"egress": {"default": "drop", "allow": [' >"$POL/rl.json"
reload_run "$A"
[ "$RL_RC" -eq 1 ] && grep -q "reload-refused container=.* name=$A .*rl.*(the old rules stay)" <<<"$RL_ERR" &&
	t_ok "invalid file: refused: $RL_ERR" || t_fail "invalid file: exit $RL_RC, stdout: $RL_OUT, stderr: $RL_ERR"
probes "$A" "$A after the refused reload" 443

# refused: a privileged process in A's namespace could undo the firewall
pol_write 80
priv_ns=$(readlink "/proc/$(podman inspect -f '{{.State.Pid}}' "$A")/ns/net")
timeout 30 podman exec -d --privileged "$A" /bin/sleep 1207 >/dev/null 2>&1 || t_die "podman exec --privileged failed"
for _ in $(seq 50); do # until it runs in A's namespace
	for p in $(pgrep -f '^/bin/sleep 1207$'); do
		[ "$(readlink "/proc/$p/ns/net")" = "$priv_ns" ] && break 2
	done
	sleep 0.1
done
reload_run "$A"
[ "$RL_RC" -eq 1 ] && grep -qi "reload-refused .*name=$A .*CAP_NET_ADMIN.*(the old rules stay)" <<<"$RL_ERR" &&
	t_ok "privileged neighbour: refused: $RL_ERR" || t_fail "privileged neighbour: exit $RL_RC, stdout: $RL_OUT, stderr: $RL_ERR"
probes "$A" "$A after the refused reload (privileged neighbour)" 443
probes "$B" "$B reloads without the neighbour" 443
reload_run "$B"
[ "$RL_RC" -eq 0 ] && probes "$B" "$B reloaded to version 3" 80 || t_fail "reload $B: $RL_ERR"

# symbols come from the table, not from files the container can write: a
# container (not --read-only: its resolv.conf is writable) names the test
# server as its nameserver; after a reload "dns" still means the old one
printf '{"egress": {"default": "reject", "allow": [{"to": ["dns"], "proto": "udp", "ports": [53]}]}}\n' >"$POL/rldns.json"
PM_N=$((PM_N + 1))
D="ofw-$T_TAG-$PM_N"
PM_NAMES+=("$D")
cp -a "$PM_ROOTFS" "$T_DIR/rootfs-rw"
timeout 120 podman run -d --name "$D" --annotation fw.policy=rldns --rootfs "$T_DIR/rootfs-rw" /bin/sleep 300 \
	>/dev/null 2>"$T_DIR/d.err" || t_die "D did not start: $(cat "$T_DIR/d.err")"
PM_NAME=$D pm_exec "$D rewrites its resolv.conf" "echo nameserver $S4 >>/etc/resolv.conf && echo written=yes; $(pm_udp_probe dns53 "$S4" 53)"
[ "$(pm_result written)" = yes ] && t_ok "$D: its /etc/resolv.conf now names $S4" || t_fail "$D could not write its resolv.conf: $PM_OUT"
pm_expect dns53 blocked
jq '.description = "v2"' "$POL/rldns.json" >"$T_DIR/v2" && cp "$T_DIR/v2" "$POL/rldns.json"
reload_run "$D"
[ "$RL_RC" -eq 0 ] && grep -q "^reloaded .* name=$D " <<<"$RL_OUT" && t_ok "reload $D: $RL_OUT" || t_fail "reload $D: exit $RL_RC: $RL_ERR"
PM_NAME=$D pm_exec "$D after reload" "$(pm_udp_probe dns53 "$S4" 53)"
pm_expect dns53 blocked

reload_run no-such-container-XYZ
[ "$RL_RC" -eq 1 ] && grep -q 'no-such-container-XYZ.*no such container' <<<"$RL_ERR" &&
	t_ok "reload of an unknown name: $RL_ERR" || t_fail "reload no-such-container-XYZ: exit $RL_RC: $RL_ERR"
t_finish
