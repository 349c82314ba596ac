#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# podman-shared-netns.sh: containers joining a firewalled container's netns (--network container:A): the same policy runs and is blocked, another policy or NET_ADMIN without annotation is refused, a plain container without annotation runs under A's firewall; A's table is never touched.

. "$(dirname "$0")/../lib/podman.sh"
pm_init
pm_server

pm_start --annotation fw.policy=denyall || t_die "container A did not start: $PM_ERR"
a=$PM_NAME
[ -n "$PM_PID" ] && [ "$PM_PID" -gt 0 ] || t_die "no pid for container A"
a_ns() { nsenter --net="/proc/$PM_PID_A/ns/net" nft "$@"; }
PM_PID_A=$PM_PID
before=$(a_ns -s list table inet oci_fw 2>&1)
grep -q 'comment "denyall sha256:' <<<"$before" && t_ok "A is firewalled with denyall" ||
	t_fail "A's netns has no denyall table: $before"
check_a() { # the table in A's netns is exactly as A's hook left it
	local now
	now=$(a_ns -s list table inet oci_fw 2>&1)
	[ "$now" = "$before" ] && t_ok "$1: A's table unchanged" ||
		t_fail "$1: A's table changed:
$(diff <(echo "$before") <(echo "$now"))"
}

script="$(pm_tcp_probe tcp80 "$S4" 80)$(pm_tcp_probe tcp8080 "$S4" 8080)$(pm_udp_probe udp69 "$S4" 69)"

pm_run --network "container:$a" --annotation fw.policy=denyall -- /bin/sh -c "$script"
pm_ok "B with the same policy"
pm_expect tcp80 blocked
pm_expect udp69 blocked
check_a "B with the same policy"

pm_refused "B with another policy" --network "container:$a" --annotation fw.policy=tcp-port -- \
	denyall tcp-port
check_a "B with another policy"

pm_refused "B without annotation, --cap-add NET_ADMIN" --network "container:$a" --cap-add NET_ADMIN -- \
	NET_ADMIN
check_a "B without annotation, NET_ADMIN"
pm_refused "B without annotation, --privileged" --network "container:$a" --privileged -- NET_ADMIN
check_a "B without annotation, --privileged"

pm_run --network "container:$a" -- /bin/sh -c "$script"
pm_ok "B without annotation, default capabilities"
pm_expect tcp80 blocked
pm_expect tcp8080 blocked
pm_expect udp69 blocked
check_a "B without annotation"
t_finish
