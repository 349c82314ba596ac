#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tr-gateway-routes.sh: `gateway` is every default route's gateway when the container starts: two default routes with different metrics (both), an ECMP default route (every nexthop), a default route through a nexthop object, and an IPv6 default route learned from a router advertisement (the router's link-local address); a route that is not a default route adds nothing, and an address that is no gateway stays blocked.

. "$(dirname "$0")/../lib/netns.sh"
t_init
t_need_hook

# The router/server netns: a bridge with three IPv4 and two IPv6 addresses,
# TCP 18080 on all of them; container k is 198.51.100.(10+k) on a veth
# whose other end is on the bridge.
R2=198.51.100.2 R3=198.51.100.6 R4=198.51.100.9
R6_2=2001:db8:1::2 R6_3=2001:db8:1::6
ns_add s NS_S
{
	printf 'link add br0 type bridge\nlink set br0 up\n'
	printf 'addr add %s/24 dev br0\naddr add %s/24 dev br0\naddr add %s/24 dev br0\n' $R2 $R3 $R4
	printf 'addr add %s/64 dev br0 nodad\naddr add %s/64 dev br0 nodad\n' $R6_2 $R6_3
} | ip -n "$NS_S" -b - || t_die "the router's bridge"
srv_tcp_many "$NS_S" 18080
srv_tcp "$NS_S" :: 18080

# container K ACCEPT-RA: NS_K, linked to the bridge, no routes but its link's
NSS=()
container() {
	local k=$1 cns
	ns_add "c$k" cns
	NSS[k]=$cns
	printf -v "NSS$k" %s "$cns" # for check_probes
	ip link add c0 netns "$cns" type veth peer name "v$k" netns "$NS_S" || t_die "veth $k"
	ip netns exec "$cns" sysctl -qw net.ipv6.conf.all.forwarding=0 \
		"net.ipv6.conf.c0.accept_ra=$2" || t_die "sysctl in $cns"
	printf 'addr add 198.51.100.%s/24 dev c0\naddr add 2001:db8:1::%s/64 dev c0 nodad\nlink set c0 up\n' \
		$((10 + k)) $((10 + k)) | ip -n "$cns" -b - || t_die "addresses in $cns"
	ip -n "$NS_S" link set "v$k" master br0 up || t_die "v$k on the bridge"
}
container 1 0
container 2 0
container 3 0
container 4 1

# routes K V4-ROUTE... -- V6-ROUTE...: `ip route add` each, in container K
routes() {
	local k=$1 r fam=-4
	shift
	for r; do
		[ "$r" = -- ] && fam=-6 && continue
		# shellcheck disable=SC2086 # a route is words
		ip "$fam" -n "${NSS[k]}" route add $r || t_die "$k: ip $fam route add $r"
	done
}
# 1: two default routes, metrics 100 and 200; a route to 203.0.113.0/24 via R4
routes 1 "default via $R2 metric 100" "default via $R3 metric 200" "203.0.113.0/24 via $R4" -- \
	"default via $R6_2 metric 100" "default via $R6_3 metric 200"
# 2: one ECMP default route
routes 2 "default nexthop via $R2 nexthop via $R3" -- "default nexthop via $R6_2 nexthop via $R6_3"
# 3: default routes through nexthop objects
ip -n "${NSS[3]}" nexthop add id 7 via $R3 dev c0 || t_die "nexthop 7"
ip -n "${NSS[3]}" nexthop add id 8 via $R6_3 dev c0 || t_die "nexthop 8"
routes 3 "default nhid 7" -- "default nhid 8"

# 4: a router advertisement (router lifetime 1800 s, no prefix) from the
# bridge's link-local address, sent as root in the router's netns; the
# container's kernel adds "default via fe80::... proto ra"
wait_link_local "$NS_S" br0
wait_link_local "${NSS[4]}" c0
RLL=$(link_local "$NS_S" br0)
for try in 1 2 3 4 5; do
	nsenter --net="/run/netns/$NS_S" python3 -c '
import socket, struct
s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b"br0")
# type 134, code 0, checksum (the kernel fills it), hop limit 64, flags 0,
# router lifetime 1800, reachable time 0, retransmit timer 0
s.sendto(struct.pack(">BBHBBHII", 134, 0, 0, 64, 0, 1800, 0, 0), ("ff02::1", 0, 0, socket.if_nametoindex("br0")))
' || t_die "sending the router advertisement"
	ra=$(ip -n "${NSS[4]}" -6 route show default proto ra)
	[ -n "$ra" ] && break
	sleep 0.2
done
[[ $ra == *"via $RLL dev c0"* ]] && t_ok "4: the RA made: $ra" ||
	t_die "4: no RA-learned default route via $RLL: '$ra'"

# the same policy into each
for k in 1 2 3 4; do
	fc_new "${NSS[k]}"
	hook_apply "$(make_state "$FC_PID" "$FC_BUNDLE" sym-gateway)" ||
		t_die "$k: apply sym-gateway: exit $HOOK_RC: $HOOK_ERR"
done

# set_is K SET WANT: the set's elements as nft lists them (sorted), or "empty"
set_is() {
	local got
	got=$(ns_nft "${NSS[$1]}" list set inet oci_fw "$2" | tr -d '\n\t' | tr -s ' ' |
		sed -n 's/.*elements = { \([^}]*\) }.*/\1/p')
	[ "$got" = "${3/empty/}" ] && t_ok "$1: $2 = ${3}" || t_fail "$1: $2: expected '$3', got '$got'"
}
set_is 1 sym.gateway_v4 "$R2, $R3"
set_is 1 sym.gateway_v6 "$R6_2, $R6_3"
set_is 2 sym.gateway_v4 "$R2, $R3"
set_is 2 sym.gateway_v6 "$R6_2, $R6_3"
set_is 3 sym.gateway_v4 "$R3"
set_is 3 sym.gateway_v6 "$R6_3"
set_is 4 sym.gateway_v4 empty
set_is 4 sym.gateway_v6 "$RLL"

# real packets: each gateway's 18080 answers, R4 (a route's, not a default
# route's) does not; with no IPv4 default route, no IPv4 gateway either
check_probes policy "
reach tcp NSS1 $R2 18080
reach tcp NSS1 $R3 18080
blocked tcp NSS1 $R4 18080
reach tcp NSS1 $R6_3 18080
reach tcp NSS2 $R3 18080
blocked tcp NSS2 $R4 18080
blocked tcp NSS3 $R2 18080
reach tcp NSS3 $R3 18080
blocked tcp NSS3 $R6_2 18080
blocked tcp NSS4 $R2 18080
blocked tcp NSS4 $R6_2 18080"
t_finish
