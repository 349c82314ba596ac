#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# podman-mld.sh: a container's own IPv6 multicast listener reports (MLD, which the kernel sends for every interface as it comes up) are accepted by the built-in MLD rule, so under a policy that drops and logs everything in both directions ("log": true) the defaults' counters stay at 0 after the start and after one more address (a report the kernel sends with the firewall in place) while the built-in counted the reports, and show names it; a forged MLD report to a destination that is not link-local multicast (ff05::16), or with a hop limit above 1, still meets the egress default.

. "$(dirname "$0")/../lib/podman.sh"
pm_init

pm_start --annotation fw.policy=log-both
[ "$PM_RC" -eq 0 ] && [ -n "$PM_PID" ] && t_ok "container, pid $PM_PID" ||
	t_die "podman run -d exit $PM_RC: $PM_ERR"
in_ns() { nsenter -t "$PM_PID" -n "$@"; }
# counter CHAIN MATCH: the packets of the rule of CHAIN whose line holds MATCH
counter() {
	in_ns nft list chain inet oci_fw "$1" | grep -F -- "$2" |
		sed -n 's/.*counter packets \([0-9]*\) .*/\1/p' | awk '{ s += $1 } END { print s + 0 }'
}
mld() { counter "$1" 'mld2-listener-report }'; }
default() { counter "$1" "comment \"$1.default\""; }

# The kernel sends its reports within a second or two of the link coming
# up, which under podman 4.3 (network set up before the OCI create) may be
# before the hook: give eth0 one more address, as a network that assigns
# IPv6 does, so the kernel joins its solicited-node group and reports it
# (twice, RFC 3810's robustness) with the firewall in place. Wait until
# the built-in counted some and the count stayed the same for 2 s, at most
# 20 s.
in_ns ip addr add 2001:db8:0:6d6c::5/128 dev eth0 nodad ||
	t_die "cannot add an IPv6 address to eth0 in the container's netns"
prev=-1 same=0
for _ in $(seq 1 40); do
	now=$(mld egress)
	if [ "$now" = "$prev" ] && [ "$now" -gt 0 ]; then
		same=$((same + 1))
		[ "$same" -ge 4 ] && break
	else
		same=0
	fi
	prev=$now
	sleep 0.5
done
[ "$(mld egress)" -gt 0 ] && t_ok "the built-in MLD rule counted the kernel's reports: $(mld egress)" ||
	t_fail "no MLD report reached the built-in rule within 20 s: $(in_ns nft list table inet oci_fw 2>&1)"
for d in egress ingress; do
	[ "$(default "$d")" = 0 ] && t_ok "$d.default counted nothing after the start" ||
		t_fail "$d.default counted $(default "$d") packets: $(in_ns nft list chain inet oci_fw "$d")"
done
show_run --pid "$PM_PID"
grep -Eq '^  built-in: ICMPv6 MLD, link-local +accept +[1-9][0-9]* ' <<<"$SH_OUT" &&
	t_ok "show names the built-in and its packets" ||
	t_fail "show (exit $SH_RC): no counted 'built-in: ICMPv6 MLD, link-local' line: $SH_OUT $SH_ERR"

# Forged reports (root in the container's netns: a raw socket) that the
# built-in must not take: to ff05::16 (site-local scope), and to ff02::16
# with hop limit 2. Each is one packet to the egress default.
forge() { # forge DEST HOPS
	in_ns python3 - "$1" "$2" <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, int(sys.argv[2]))
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, socket.if_nametoindex("eth0"))
# MLDv2 report (143), one record: mode 4 (change to exclude) of ff05::1:3
rec = bytes([4, 0, 0, 0]) + socket.inet_pton(socket.AF_INET6, "ff05::1:3")
try:
    s.sendto(bytes([143, 0, 0, 0, 0, 0, 0, 1]) + rec, (sys.argv[1], 0, 0, socket.if_nametoindex("eth0")))
    print("sent")
except OSError as e:
    print("send:", e)
PY
}
for c in "ff05::16 1" "ff02::16 2"; do
	before=$(default egress) mb=$(mld egress)
	# shellcheck disable=SC2086
	out=$(forge $c 2>&1)
	after=$(default egress) ma=$(mld egress)
	[ "$after" = $((before + 1)) ] && [ "$ma" = "$mb" ] &&
		t_ok "forged MLD report to ${c% *} (hop limit ${c#* }): dropped by egress.default" ||
		t_fail "forged MLD report to ${c% *} (hop limit ${c#* }) ($out): egress.default $before -> $after, MLD built-in $mb -> $ma"
done
t_finish
