#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# drop-timeout.sh: a drop default makes blocked TCP connections time out (no reset, no ICMP error), out and in; the allowed port still works.
# (UDP dropped in the output hook fails at once with EPERM from sendmsg():
# the kernel reports a local drop to the sender, so it is only checked blocked.)

. "$(dirname "$0")/../lib/netns.sh"
t_init
t_need_hook

topo_pair
servers_tcp "$NS_S" 8080 8081
servers_udp "$NS_S" 8081 "$S4"
check_probes baseline "
reach tcp NS_C $S4 8081
reach udp NS_C $S4 8081
"
apply_policy "$NS_C" tcp-port-drop
expect reach tcp "$NS_C" "$S4" 8080
expect blocked udp "$NS_C" "$S4" 8081
tmo=2

timed_block() { # timed_block NS ADDR PORT DESCRIPTION
	if timed_tcp "$1" "$2" "$3" "$tmo"; then
		t_fail "$4: tcp to $2 port $3 reached the listener; it should be dropped"
	elif [ "$PROBE_MS" -ge $((tmo * 1000 - 100)) ]; then
		t_ok "$4: tcp to $2 port $3 timed out after $PROBE_MS ms"
	else
		t_fail "$4: tcp to $2 port $3 failed after only $PROBE_MS ms: refused, not dropped"
	fi
}
timed_block "$NS_C" "$S4" 8081 "egress drop"
timed_block "$NS_C" "$S6" 8081 "egress drop"

# ingress: tests/policies/ingress.json drops what it does not allow
topo_second
servers_tcp "$NS_C2" 9090
check_probes baseline "reach tcp NS_S $C2_4 9090"
apply_policy "$NS_C2" ingress
timed_block "$NS_S" "$C2_4" 9090 "ingress drop"
t_finish
