#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# policy-ipv6.sh: tests/policies/ipv6.json allows only TCP 8080 to the server's IPv6 address; neighbour discovery keeps working under a reject default.

. "$(dirname "$0")/../lib/netns.sh"
t_init
t_need_hook

topo_pair
servers_tcp "$NS_S" 8080 8081
servers_udp "$NS_S" 8080 "$S6"
# the first packet needs neighbour discovery: flush the cache so it is
# really exercised after the firewall is in place
probes="
reach   tcp  NS_C $S6 8080
blocked tcp  NS_C $S4 8080
blocked tcp  NS_C $S6 8081
blocked udp  NS_C $S6 8080
blocked ping NS_C $S6
"
check_probes baseline "$probes"
apply_policy "$NS_C" ipv6
ip -n "$NS_C" -6 neigh flush dev c0
ip -n "$NS_S" -6 neigh flush dev s0
check_probes policy "$probes"
t_finish
