#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# policy-no-lan-any.sh: under no-lan an unprivileged process reaches no LAN host in any protocol (UDP-Lite, ICMP echo through a ping socket) nor by broadcast or multicast (255.255.255.255, 224.0.0.1, ff02::1), while DNS to a LAN resolver still works; LAN hosts still reach the container (no-lan has no ingress rules).

. "$(dirname "$0")/../lib/netns.sh"
t_init
t_need_hook

# A copy the unprivileged user can read (the tree may sit under /root).
LAN_HOST="$T_DIR/lan-host.py"
install -m 0644 "$T_LIB_DIR/lan-host.py" "$LAN_HOST"
PORT=7001
LOG="$T_DIR/lan-host.log"

topo_pair private
# A container has a default route; broadcast and multicast need one here.
ip -n "$NS_C" route add default via "$S4" dev c0
ip -n "$NS_C" -6 route add default via "$S6" dev c0
# Unprivileged ICMP echo, as podman sets it for its containers.
ns_exec "$NS_C" sysctl -qw net.ipv4.ping_group_range="0 2147483647"
servers_udp "$NS_S" 53 "${S_PRIV4[0]}" "${S_PRIV6[0]}"
nsenter --net="/run/netns/$NS_S" python3 "$LAN_HOST" serve "$LOG" "$PORT" \
	</dev/null >>"$T_DIR/servers.log" 2>&1 &
t_track_pid $!
record_wait "$LOG" '^listening' || t_die "the LAN host did not start: $(cat "$T_DIR/servers.log")"

# send MODE KIND ADDR [IFNAME]: one datagram or echo from an unprivileged
# process in the container, with a token of its own; then whether it got
# an answer (reach) and, for UDP kinds, whether the LAN host logged it.
n=0
send() {
	local mode=$1 kind=$2 addr=$3 ifname=${4:-} token got logged=
	n=$((n + 1))
	token="$mode-$kind-$n"
	if nsenter --net="/run/netns/$NS_C" setpriv --reuid=65534 --regid=65534 --clear-groups \
		--inh-caps=-all python3 "$LAN_HOST" send "$kind" "$addr" "$PORT" "$token" $ifname </dev/null; then
		got=reach
	else
		got=blocked
	fi
	if [ "$kind" != ping ]; then
		sleep 0.2
		grep -q " $token\$" "$LOG" && logged=", logged" || logged=", not logged"
	fi
	echo "$got$logged"
}

# check MODE WANT KIND ADDR [IFNAME]: WANT "reach" (answered, and the LAN
# host logged it) or "blocked" (neither).
check() {
	local mode=$1 want=$2 kind=$3 addr=$4 got expect
	got=$(send "$mode" "$kind" "$addr" "${5:-}")
	expect=$want
	[ "$kind" = ping ] || { [ "$want" = reach ] && expect="reach, logged" || expect="blocked, not logged"; }
	if [ "$got" = "$expect" ]; then
		t_ok "$mode: $kind -> $addr${5:+%$5}: $got"
	else
		t_fail "$mode: $kind -> $addr${5:+%$5}: expected $expect, got $got"
	fi
}

lan="
blocked udplite 10.254.0.2
blocked udplite 192.168.254.2
blocked udplite fdfe:1::2
blocked ping    10.254.0.2
blocked ping    fdfe:1::2
blocked bcast   255.255.255.255
blocked udp     224.0.0.1
blocked udp     ff02::1 c0
blocked udplite ff02::1 c0
reach   udplite $S4
reach   udplite $S6
reach   ping    $S4
"
run() {
	local mode=$1 want kind addr ifname
	while read -r want kind addr ifname <&3; do
		[ -z "$want" ] && continue
		[ "$mode" = baseline ] && want=reach
		check "$mode" "$want" "$kind" "$addr" "$ifname"
	done 3<<<"$lan"
}
run baseline
apply_policy "$NS_C" no-lan
run policy
# The exception: DNS to a resolver on the LAN.
check_probes policy "
reach udp NS_C ${S_PRIV4[0]} 53
reach udp NS_C ${S_PRIV6[0]} 53
"

# Ingress: no-lan keeps the container's packets off the LAN; what LAN hosts
# send to the container is the ingress policy's business, and no-lan has
# none. A LAN host (private source) connects, and its broadcast arrives.
srv_tcp "$NS_C" 0.0.0.0 8080
out=$(timeout 5 nsenter --net="/run/netns/$NS_S" socat -T 2 -u \
	"TCP4:$C4:8080,bind=${S_PRIV4[0]},connect-timeout=2" STDOUT 2>&1 </dev/null)
[ "$out" = ok ] && t_ok "ingress: a LAN host (${S_PRIV4[0]}) connects to the container and gets its answer" ||
	t_fail "ingress: a LAN host could not connect to the container: $out"
nsenter --net="/run/netns/$NS_C" python3 "$LAN_HOST" serve "$T_DIR/container.log" 7002 \
	</dev/null >>"$T_DIR/servers.log" 2>&1 &
t_track_pid $!
record_wait "$T_DIR/container.log" '^listening' || t_die "the container's listener did not start"
ip -n "$NS_S" route add default via "$C4" dev s0 2>/dev/null
nsenter --net="/run/netns/$NS_S" python3 "$LAN_HOST" send bcast 255.255.255.255 7002 from-lan </dev/null
record_wait "$T_DIR/container.log" ' from-lan$' &&
	t_ok "ingress: a LAN host's broadcast reaches the container" ||
	t_fail "ingress: a LAN host's broadcast did not reach the container"
t_finish
