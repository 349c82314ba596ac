#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# policy-tcp-port.sh: tests/policies/tcp-port.json lets exactly TCP 8080 to the server out; other ports, UDP, ICMP and IPv6 are blocked; loopback stays open.

. "$(dirname "$0")/../lib/netns.sh"
t_init
t_need_hook

topo_pair
servers_tcp "$NS_S" 8080 8081
servers_udp "$NS_S" 8080 "$S4"
servers_tcp "$NS_C" 9090

probes="
reach   tcp  NS_C $S4 8080
blocked tcp  NS_C $S4 8081
blocked tcp  NS_C $S6 8080
blocked udp  NS_C $S4 8080
blocked ping NS_C $S4
blocked ping NS_C $S6
reach   tcp  NS_C 127.0.0.1 9090
# the policy has no ingress section: a missing direction accepts
reach   tcp  NS_S $C4 9090
reach   tcp  NS_S $C6 9090
"
check_probes baseline "$probes"
apply_policy "$NS_C" tcp-port
check_probes policy "$probes"
t_finish
