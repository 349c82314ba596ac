#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# policy-deny-wins.sh: a deny rule wins over an overlapping allow; under default reject it rejects, under default accept it drops.

. "$(dirname "$0")/../lib/netns.sh"
t_init
t_need_hook

topo_pair
servers_tcp "$NS_S" 8080 8081 8082
servers_udp "$NS_S" 8080 "$S4"
topo_second
ip -n "$NS_C2" route add "$S4/32" via "$S2_4"

# deny_case NSVAR POLICY reject|drop PROBES: PROBES pass before (baseline)
# and as listed after POLICY; TCP 8080 (denied) fails at once under reject,
# times out under drop.
deny_case() {
	local nsvar=$1 policy=$2 how=$3 probes=$4 ns=${!1}
	check_probes baseline "$probes"
	apply_policy "$ns" "$policy"
	check_probes policy "$probes"
	if timed_tcp "$ns" "$S4" 8080 2; then
		t_fail "$policy: tcp 8080 reached"
	elif [ "$how" = reject ] && [ "$PROBE_MS" -lt 1000 ]; then
		t_ok "$policy: the deny rejects ($PROBE_MS ms)"
	elif [ "$how" = drop ] && [ "$PROBE_MS" -ge 1900 ]; then
		t_ok "$policy: the deny drops (timed out after $PROBE_MS ms)"
	else
		t_fail "$policy: tcp 8080 failed after $PROBE_MS ms, expected it to $how"
	fi
}

deny_case NS_C deny-wins reject "
blocked tcp  NS_C $S4 8080
reach   tcp  NS_C $S4 8081
blocked tcp  NS_C $S4 8082
blocked tcp  NS_C $S6 8080
blocked tcp  NS_C $S6 8081
"
# default accept: the deny drops, everything else passes
deny_case NS_C2 deny-accept drop "
blocked tcp  NS_C2 $S4 8080
reach   tcp  NS_C2 $S4 8081
reach   udp  NS_C2 $S4 8080
"
t_finish
