#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# podman-netavark.sh: netavark's nftables driver keeps its NAT and forwarding in `table inet netavark` in the host's
# netns (registered where netavark has that driver: >= 1.12). A firewalled container (tcp-port) leaves that table
# exactly as it was (nft -s, with a plain container already running, so netavark's own per-network rules exist), puts
# no oci_fw table in the host's netns, and its traffic still goes through netavark's NAT: TCP 8080 reaches the server,
# TCP 80 is blocked; the plain container still reaches TCP 80 afterwards.

. "$(dirname "$0")/../lib/podman.sh"
pm_init
pm_server
host_table_guard

backend=$(podman info --format '{{.Host.NetworkBackend}}' 2>&1)
[ "$backend" = netavark ] || t_die "podman's network backend is '$backend', not netavark"
script="$(pm_tcp_probe tcp8080 "$S4" 8080)$(pm_tcp_probe tcp80 "$S4" 80)"

pm_start || t_die "the plain container did not start: $PM_ERR"
plain=$PM_NAME
nv() { nft -s list table inet netavark 2>&1; }
before=$(nv)
grep -q '^table inet netavark' <<<"$before" && t_ok "netavark's table is in the host's netns ($(grep -c 'chain ' <<<"$before") chains)" ||
	t_die "no table inet netavark in the host's netns (netavark's firewall driver is not nftables?): $before"

pm_start --annotation fw.policy=tcp-port || t_die "the firewalled container did not start: $PM_ERR"
fw=$PM_NAME
table=$(nsenter -t "$PM_PID" -n nft list table inet oci_fw 2>&1)
grep -q 'comment "tcp-port sha256:' <<<"$table" && t_ok "the firewalled container's netns holds the tcp-port table" ||
	t_fail "no tcp-port table in $fw's netns: $table"
after=$(nv)
[ "$after" = "$before" ] && t_ok "table inet netavark unchanged by the hook" ||
	t_fail "table inet netavark changed: $(diff <(echo "$before") <(echo "$after"))"
host_has_table && [ "$T_HOST_HAD_TABLE" = 0 ] && t_fail "table inet oci_fw is now in the HOST netns" ||
	t_ok "no oci_fw table in the host's netns"

pm_exec "firewalled" "$script"
pm_expect tcp8080 reach
pm_expect tcp80 blocked
PM_NAME=$plain
pm_exec "plain, after" "$script"
pm_expect tcp8080 reach
pm_expect tcp80 reach
[ "$(nv)" = "$before" ] && t_ok "table inet netavark still unchanged after the traffic" ||
	t_fail "table inet netavark changed: $(diff <(echo "$before") <(nv))"
t_finish
