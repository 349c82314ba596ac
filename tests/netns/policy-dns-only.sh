#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# policy-dns-only.sh: the shipped dns-only policy allows DNS (UDP and TCP 53) to the nameservers of the container's resolv.conf only, and blocks all other traffic out and in.

. "$(dirname "$0")/../lib/netns.sh"
t_init
t_need_hook

topo_pair private
servers_tcp "$NS_S" 53 80 443
servers_udp "$NS_S" 53 "$S4" "$S6" 10.254.0.2
servers_udp "$NS_S" 123 "$S4"
servers_tcp "$NS_C" 9090

probes="
reach   udp  NS_C $S4 53
reach   udp  NS_C $S6 53
blocked udp  NS_C 10.254.0.2 53
reach   tcp  NS_C $S4 53
reach   tcp  NS_C $S6 53
blocked tcp  NS_C $S4 80
blocked tcp  NS_C $S4 443
blocked tcp  NS_C $S6 443
blocked udp  NS_C $S4 123
blocked ping NS_C $S4
blocked ping NS_C $S6
blocked tcp  NS_S $C4 9090
"
check_probes baseline "$(sed 's/^blocked udp  NS_C 10.254.0.2 53/reach   udp  NS_C 10.254.0.2 53/' <<<"$probes")"
FC_WORDS=("nameserver=$S4" "nameserver=$S6")
apply_policy "$NS_C" dns-only
check_probes policy "$probes"
t_finish
