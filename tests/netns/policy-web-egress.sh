#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# policy-web-egress.sh: the shipped web-egress policy allows DNS to the container's own nameservers and TCP 80/443 to public addresses only, and nothing in.

. "$(dirname "$0")/../lib/netns.sh"
t_init
t_need_hook

topo_pair private
servers_tcp "$NS_S" 80 443 8080 53
servers_udp "$NS_S" 53 "$S4" "$S6" 10.254.0.2 fdfe:1::2
servers_udp "$NS_S" 123 "$S4"
servers_tcp "$NS_C" 9090

probes="
reach   tcp  NS_C $S4 80
reach   tcp  NS_C $S4 443
reach   tcp  NS_C $S6 80
reach   tcp  NS_C $S6 443
blocked tcp  NS_C $S4 8080
blocked tcp  NS_C $S6 8080
blocked tcp  NS_C 10.254.0.2 80
blocked tcp  NS_C 10.254.0.2 443
blocked tcp  NS_C 192.168.254.2 443
blocked tcp  NS_C 172.16.254.2 443
blocked tcp  NS_C fdfe:1::2 443
reach   udp  NS_C $S4 53
reach   udp  NS_C $S6 53
reach   tcp  NS_C $S4 53
blocked udp  NS_C 10.254.0.2 53
blocked tcp  NS_C 10.254.0.2 53
blocked udp  NS_C fdfe:1::2 53
blocked udp  NS_C $S4 123
blocked ping NS_C $S4
# nothing in
blocked tcp  NS_S $C4 9090
blocked tcp  NS_S $C6 9090
"
# Before the policy everything answers: only the DNS servers the
# container does not use change.
check_probes baseline "$(sed -E 's/^blocked (udp|tcp)  NS_C (10.254.0.2|fdfe:1::2) 53/reach   \1  NS_C \2 53/' <<<"$probes")"
FC_WORDS=("nameserver=$S4" "nameserver=$S6")
apply_policy "$NS_C" web-egress
check_probes policy "$probes"
t_finish
