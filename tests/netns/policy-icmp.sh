#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# policy-icmp.sh: tests/policies/icmp.json lets ICMP echo (v4 and v6) to the server out and nothing else.

. "$(dirname "$0")/../lib/netns.sh"
t_init
t_need_hook

topo_pair
servers_tcp "$NS_S" 8080
servers_udp "$NS_S" 5353 "$S4"
probes="
reach   ping NS_C $S4
reach   ping NS_C $S6
blocked tcp  NS_C $S4 8080
blocked tcp  NS_C $S6 8080
blocked udp  NS_C $S4 5353
"
check_probes baseline "$probes"
apply_policy "$NS_C" icmp
check_probes policy "$probes"
t_finish
