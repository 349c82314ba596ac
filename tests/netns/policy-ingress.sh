#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# policy-ingress.sh: tests/policies/ingress.json lets in only TCP 8080 from the server (IPv4 and IPv6); replies to the container's own connections still arrive (ct established).

. "$(dirname "$0")/../lib/netns.sh"
t_init
t_need_hook

topo_pair
servers_tcp "$NS_C" 8080 9090
servers_tcp "$NS_S" 8080
servers_udp "$NS_S" 5353 "$S4"
servers_udp "$NS_C" 5353 "$C4"

probes="
reach   tcp  NS_S $C4 8080
reach   tcp  NS_S $C6 8080
blocked tcp  NS_S $C4 9090
blocked tcp  NS_S $C6 9090
blocked udp  NS_S $C4 5353
blocked ping NS_S $C4
# over lo to its own address the container meets the ingress rules too (the
# source is its own address, not the server's); loopback addresses do not
blocked tcp  NS_C $C4 8080
blocked tcp  NS_C $C6 8080
reach   tcp  NS_C 127.0.0.1 9090
reach   tcp  NS_C ::1 9090
# out is unrestricted; the answers come back through the ingress chain
reach   tcp  NS_C $S4 8080
reach   tcp  NS_C $S6 8080
reach   udp  NS_C $S4 5353
reach   ping NS_C $S4
reach   ping NS_C $S6
"
check_probes baseline "$probes"
apply_policy "$NS_C" ingress
check_probes policy "$probes"
t_finish
