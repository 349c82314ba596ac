#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# policy-deny-wins.sh: a deny rule wins over an overlapping allow; under default reject it rejects, under default accept it drops.

. "$(dirname "$0")/../lib/netns.sh"
t_init
t_need_hook

topo_pair
servers_tcp "$NS_S" 8080 8081 8082
servers_udp "$NS_S" 8080 "$S4"
ns_add c2 NS_C2
ip link add c1 netns "$NS_C2" type veth peer name s1 netns "$NS_S" || t_die "second veth"
ip -n "$NS_S" addr add 192.0.2.2/24 dev s1
ip -n "$NS_C2" addr add 192.0.2.1/24 dev c1
ip -n "$NS_S" link set s1 up
ip -n "$NS_C2" link set c1 up
ip -n "$NS_C2" route add 198.51.100.2/32 via 192.0.2.2

probes="
blocked tcp  NS_C $S4 8080
reach   tcp  NS_C $S4 8081
blocked tcp  NS_C $S4 8082
blocked tcp  NS_C $S6 8080
blocked tcp  NS_C $S6 8081
"
check_probes baseline "$probes"
apply_policy "$NS_C" deny-wins
check_probes policy "$probes"
if timed_tcp "$NS_C" "$S4" 8080 5; then
	t_fail "deny-wins: tcp 8080 reached"
elif [ "$PROBE_MS" -lt 1000 ]; then
	t_ok "deny under default reject rejects ($PROBE_MS ms)"
else
	t_fail "deny under default reject took $PROBE_MS ms: dropped, not rejected"
fi

# default accept: the deny drops, everything else passes
probes2="
blocked tcp  NS_C2 $S4 8080
reach   tcp  NS_C2 $S4 8081
reach   udp  NS_C2 $S4 8080
"
check_probes baseline "$probes2"
apply_policy "$NS_C2" deny-accept
check_probes policy "$probes2"
if timed_tcp "$NS_C2" "$S4" 8080 2; then
	t_fail "deny-accept: tcp 8080 reached"
elif [ "$PROBE_MS" -ge 1900 ]; then
	t_ok "deny under default accept drops (timed out after $PROBE_MS ms)"
else
	t_fail "deny under default accept failed after only $PROBE_MS ms: refused, not dropped"
fi
t_finish
