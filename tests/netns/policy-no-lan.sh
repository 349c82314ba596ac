#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# policy-no-lan.sh: the shipped no-lan policy allows public addresses, denies RFC 1918, CGNAT, link-local and ULA, except DNS (UDP and TCP 53) to any address.

. "$(dirname "$0")/../lib/netns.sh"
t_init
t_need_hook

topo_pair private
servers_tcp "$NS_S" 8080 53
servers_udp "$NS_S" 53 "$S4" "$S6" "${S_PRIV4[@]}" "${S_PRIV6[@]}"
servers_udp "$NS_S" 5353 "$S4" "${S_PRIV4[0]}"
ll=$(link_local "$NS_S" s0)
[ -n "$ll" ] || t_die "the server has no link-local address"

probes="
reach   tcp  NS_C $S4 8080
reach   tcp  NS_C $S6 8080
reach   udp  NS_C $S4 5353
reach   ping NS_C $S4
reach   ping NS_C $S6
blocked tcp  NS_C 10.254.0.2 8080
blocked tcp  NS_C 172.16.254.2 8080
blocked tcp  NS_C 192.168.254.2 8080
blocked tcp  NS_C 100.64.254.2 8080
blocked tcp  NS_C 169.254.254.2 8080
blocked tcp  NS_C fdfe:1::2 8080
blocked tcp  NS_C $ll%c0 8080
blocked udp  NS_C 10.254.0.2 5353
blocked ping NS_C 10.254.0.2
blocked ping NS_C fdfe:1::2
# DNS to any address, private ones included
reach   udp  NS_C $S4 53
reach   udp  NS_C $S6 53
reach   tcp  NS_C $S4 53
reach   udp  NS_C 10.254.0.2 53
reach   udp  NS_C 172.16.254.2 53
reach   udp  NS_C 192.168.254.2 53
reach   udp  NS_C 100.64.254.2 53
reach   udp  NS_C 169.254.254.2 53
reach   udp  NS_C fdfe:1::2 53
reach   tcp  NS_C 10.254.0.2 53
reach   tcp  NS_C fdfe:1::2 53
"
check_probes baseline "$probes"
apply_policy "$NS_C" no-lan
check_probes policy "$probes"
t_finish
