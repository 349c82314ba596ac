#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# topology.sh: the test network itself works without any hook (servers answer over TCP, UDP, ICMP, IPv4 and IPv6).
# If this fails, the other netns tests' failures say nothing about the hook.

. "$(dirname "$0")/../lib/netns.sh"
t_init

topo_pair private
srv_tcp "$NS_S" 0.0.0.0 8080
srv_tcp "$NS_S" :: 8080
srv_udp "$NS_S" "$S4" 5353
srv_udp "$NS_S" "$S6" 5353
srv_udp "$NS_S" "${S_PRIV4[0]}" 5353
srv_tcp "$NS_C" 0.0.0.0 9090

t_check "container netns starts with an empty ruleset" ns_ruleset_empty "$NS_C"
expect reach tcp "$NS_C" "$S4" 8080
expect reach tcp "$NS_C" "$S6" 8080
expect reach udp "$NS_C" "$S4" 5353
expect reach udp "$NS_C" "$S6" 5353
expect reach ping "$NS_C" "$S4"
expect reach ping "$NS_C" "$S6"
for a in "${S_PRIV4[@]}" "${S_PRIV6[@]}"; do
	expect reach tcp "$NS_C" "$a" 8080
done
expect reach udp "$NS_C" "${S_PRIV4[0]}" 5353
expect reach tcp "$NS_S" "$C4" 9090
expect blocked tcp "$NS_C" "$S4" 8081
expect blocked udp "$NS_C" "$S4" 5354

# a fake container really sits in its netns
fake_container "$NS_C"
t_check "fake container pid $FC_PID is in $NS_C" \
	test "$(stat -L -c %i /proc/$FC_PID/ns/net)" = "$(ns_inode "$NS_C")"
t_finish
