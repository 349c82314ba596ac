#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# rootless-pasta.sh: rootless podman with --network pasta (podman 5's
# default rootless network; registered only where pasta is installed).
# pasta copies the host's default-route interface into the container (its
# name and IPv4 address) and makes the container's connections from the
# host's namespace. The firewall sits in the container's netns, in front
# of pasta's tap: no policy reaches the server over TCP and UDP, the
# user's deny-all blocks both, a TCP-port policy lets only TCP 8080 out.
# Then the counters, as root with nft in the container's netns: one
# blocked connection adds exactly its one SYN to the egress default's
# counter. Only the test's own traffic may count: under pasta IPv6 MLD
# reports reach the default right after the start, so IPv6 is off (`all`
# and `default`, for a link that comes up after the OCI sysctls) and the
# count before the probe is taken once it has held for a second.

. "$(dirname "$0")/../lib/rootless.sh"
rl_init
command -v pasta >/dev/null || t_die "pasta (passt) is not installed"
rl_server

# the container really is on pasta: the host's default-route interface
# and its address, copied
dev=$(ip -4 -o route show default | sed -n 's/.* dev \([^ ]*\).*/\1/p' | head -n1)
addr=$(ip -4 -o addr show dev "$dev" 2>/dev/null | awk '{ sub("/.*", "", $4); print $4; exit }')
[ -n "$dev" ] && [ -n "$addr" ] || t_die "the host has no default-route interface with an IPv4 address (pasta needs one)"
rl_run --network pasta -- /bin/sh -c 'ip -o -4 addr show'
if grep -Eq "^[0-9]+: $dev +inet $addr/" <<<"$PM_OUT"; then
	t_ok "pasta: the container has $dev with the host's $addr"
else
	t_fail "pasta: no $dev with $addr in the container: $PM_OUT $PM_ERR"
fi

rl_policy_cases pasta --network pasta

# the counters
NOV6=(--sysctl net.ipv6.conf.all.disable_ipv6=1 --sysctl net.ipv6.conf.default.disable_ipv6=1)
PM_N=$((PM_N + 1))
name="ofw-$T_TAG-$PM_N"
PM_NAMES+=("$name")
rl_podman_timeout 120 run -d --read-only --network pasta "${NOV6[@]}" --annotation fw.policy=ofw-user-deny \
	--name "$name" --rootfs "$RL_ROOTFS" /bin/sleep 300 >/dev/null 2>"$T_DIR/start.err" ||
	t_die "rootless podman run -d --network pasta failed: $(cat "$T_DIR/start.err")"
pid=$(rl_podman_timeout 30 inspect -f '{{.State.Pid}}' "$name")
[[ $pid =~ ^[1-9][0-9]*$ ]] || t_die "no pid for $name: '$pid'"
pk0=$(rl_default_settled "$pid") ||
	t_die "the egress default's counter in $name's netns did not settle within 20 s (now '$pk0'): $(nsenter -t "$pid" -n nft list table inet oci_fw 2>&1)"
out=$(rl_podman_timeout 30 exec "$name" /bin/sh -c "$(pm_tcp_probe tcp80 "$S4" 80)" 2>"$T_DIR/exec.err")
[ "$(sed -n 's/^tcp80=//p' <<<"$out")" = blocked ] && t_ok "pasta, detached: nc to $S4:80 blocked" ||
	t_fail "pasta, detached: nc to $S4:80: expected blocked, got '$out' ($(cat "$T_DIR/exec.err"))"
pk1=$(rl_default_packets "$pid")
[ "$pk1" = $((pk0 + 1)) ] && t_ok "the egress default counted the one SYN ($pk0 -> $pk1)" ||
	t_fail "the egress default went from $pk0 to '$pk1', expected $((pk0 + 1)): $(nsenter -t "$pid" -n nft list chain inet oci_fw egress 2>&1)"
t_finish
