#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# policy-denyall.sh: the shipped denyall policy blocks everything in and out (TCP, UDP, ICMP, IPv4 and IPv6) but loopback (127.0.0.0/8, ::1); the container's own address over lo is ingress like any other.

. "$(dirname "$0")/../lib/netns.sh"
t_init
t_need_hook

topo_pair
servers_tcp "$NS_S" 8080
servers_udp "$NS_S" 5353 "$S4" "$S6"
servers_tcp "$NS_C" 9090

probes="
blocked tcp  NS_C $S4 8080
blocked tcp  NS_C $S6 8080
blocked udp  NS_C $S4 5353
blocked udp  NS_C $S6 5353
blocked ping NS_C $S4
blocked ping NS_C $S6
# in: the server connects to a listener in the container
blocked tcp  NS_S $C4 9090
blocked tcp  NS_S $C6 9090
blocked ping NS_S $C4
blocked ping NS_S $C6
# loopback inside the container is always accepted
reach   tcp  NS_C 127.0.0.1 9090
reach   tcp  NS_C ::1 9090
# the container's own address is not: over lo it is how rootless port
# forwarders (rootlessport, pasta) deliver published ports
blocked tcp  NS_C $C4 9090
blocked tcp  NS_C $C6 9090
"
check_probes baseline "$probes"
apply_policy "$NS_C" denyall
check_probes policy "$probes"
t_finish
