#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# podman-gateway.sh: "to": ["gateway"] means the default-route gateways of the container's netns: on a podman network of the test's own (203.0.113.0/24, gateway 203.0.113.1 on the host's bridge) TCP to a server on the gateway's address passes on the allowed port only, and the server netns at 198.51.100.2 is blocked.

. "$(dirname "$0")/../lib/podman.sh"
pm_init
pm_server

GW4=203.0.113.1
GW_PORT=18080   # allowed by sym-gateway
GW_OTHER=18081  # not allowed
net="ofw-$T_TAG"
timeout 30 podman network rm -f "$net" >/dev/null 2>&1
timeout 30 podman network create --disable-dns --subnet 203.0.113.0/24 "$net" >/dev/null 2>"$T_DIR/net.err" ||
	t_die "podman network create $net failed: $(cat "$T_DIR/net.err")"
# -f also removes containers still attached; runs before pm_cleanup_containers
t_on_exit "timeout 30 podman network rm -f $net"

# netavark brings the bridge (and the gateway address) up with the first
# container and keeps it while one runs: a detached container holds it, so
# that the servers below can bind to the gateway's address.
pm_start --network "$net"
[ "$PM_RC" -eq 0 ] || t_die "podman run -d --network $net exit $PM_RC: $PM_ERR"
for i in $(seq 1 50); do
	ip -o -4 addr show | grep -q " inet $GW4/24 " && break
	sleep 0.1
done
ip -o -4 addr show | grep -q " inet $GW4/24 " || t_die "no bridge on the host carries $GW4/24 after 5 s"

for p in "$GW_PORT" "$GW_OTHER"; do
	socat "TCP4-LISTEN:$p,bind=$GW4,reuseaddr,fork" 'SYSTEM:echo ok' </dev/null >>"$T_DIR/servers.log" 2>&1 &
	t_track_pid $!
done
for i in $(seq 1 100); do
	[ "$(ss -Hltn "src $GW4" | grep -c -e ":$GW_PORT " -e ":$GW_OTHER ")" = 2 ] && break
	sleep 0.05
done
[ "$(ss -Hltn "src $GW4" | grep -c -e ":$GW_PORT " -e ":$GW_OTHER ")" = 2 ] ||
	t_die "no listeners on $GW4:$GW_PORT and :$GW_OTHER after 5 s"

script="$(pm_tcp_probe gw "$GW4" "$GW_PORT")$(pm_tcp_probe gw_other "$GW4" "$GW_OTHER")$(pm_tcp_probe s4_8080 "$S4" 8080)"
script+='ip -4 route show default | grep -q "via '"$GW4"' " && echo route=ok; '

# without a policy every server answers: "blocked" below is the firewall's
pm_run --network "$net" -- /bin/sh -c "$script"
pm_ok "no policy on $net"
pm_expect route ok
pm_expect gw reach
pm_expect gw_other reach
pm_expect s4_8080 reach

pm_run --network "$net" --annotation fw.policy=sym-gateway -- /bin/sh -c "$script"
pm_ok "sym-gateway on $net"
pm_expect gw reach
pm_expect gw_other blocked
pm_expect s4_8080 blocked
t_finish
