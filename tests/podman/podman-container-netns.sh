#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# podman-container-netns.sh: --network container:A where A's policy allows something (tcp-port): B joining with the
# same policy and C joining without one are in A's netns (the same address) and under A's firewall: TCP 8080 to the
# server reaches, TCP 80 is blocked, from A, B and C alike; A's table is the same after B and C as before.
# (podman-shared-netns.sh: the refusals, under deny-all.)

. "$(dirname "$0")/../lib/podman.sh"
pm_init
pm_server

script="$(pm_tcp_probe tcp8080 "$S4" 8080)$(pm_tcp_probe tcp80 "$S4" 80)"
addr_of() { # addr_of NAME: the IPv4 address of eth0 inside container NAME
	timeout 30 podman exec "$1" /bin/sh -c 'ip -o -4 addr show dev eth0' 2>/dev/null |
		awk '{ sub("/.*", "", $4); print $4; exit }'
}

pm_start --annotation fw.policy=tcp-port || t_die "container A did not start: $PM_ERR"
a=$PM_NAME
a_pid=$PM_PID
a_addr=$(addr_of "$a")
[ -n "$a_addr" ] || t_die "A has no IPv4 address on eth0"
before=$(nsenter -t "$a_pid" -n nft -s list table inet oci_fw 2>&1)
grep -q 'comment "tcp-port sha256:' <<<"$before" && t_ok "A is firewalled with tcp-port" ||
	t_fail "A's netns has no tcp-port table: $before"
pm_exec "A" "$script"
pm_expect tcp8080 reach
pm_expect tcp80 blocked

for who in "B, the same policy:--annotation fw.policy=tcp-port" "C, no annotation:"; do
	label=${who%%:*}
	# shellcheck disable=SC2086 # the options
	pm_start --network "container:$a" ${who#*:} || t_die "$label did not start: $PM_ERR"
	got=$(addr_of "$PM_NAME")
	[ "$got" = "$a_addr" ] && t_ok "$label: in A's netns ($got)" || t_fail "$label: eth0 is '$got', A's is $a_addr"
	pm_exec "$label" "$script"
	pm_expect tcp8080 reach
	pm_expect tcp80 blocked
	now=$(nsenter -t "$a_pid" -n nft -s list table inet oci_fw 2>&1)
	[ "$now" = "$before" ] && t_ok "$label: A's table unchanged" ||
		t_fail "$label: A's table changed: $(diff <(echo "$before") <(echo "$now"))"
done
t_finish
