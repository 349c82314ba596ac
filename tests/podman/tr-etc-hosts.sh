#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tr-etc-hosts.sh: who decides what a hostname and `host` mean: the image's /etc/hosts names api.test.example and host.containers.internal; podman's base_hosts_file (unset: the host's /etc/hosts, here a file of the test's standing in for it; "image"; "none") decides whether the container's /etc/hosts holds those lines, and the hook allows exactly what the container itself sees, on podman 4.3 and 5.

. "$(dirname "$0")/../lib/podman.sh"
pm_init
pm_server
zone="$T_DIR/zone"
echo "api.test.example $PM_PRIV4" >"$zone"
pm_dns_server "$zone"

# The image says S4 for both names; the nameserver says PM_PRIV4.
printf '127.0.0.1 localhost\n%s api.test.example\n%s host.containers.internal\n' "$S4" "$S4" >"$PM_ROOTFS/etc/hosts"
# Stands in for the host's /etc/hosts (a test must not edit the real one):
# what podman uses when base_hosts_file is unset, given here by path.
printf '127.0.0.1 localhost\n%s api.test.example\n' "$PM_PRIV4" >"$T_DIR/host-hosts"

# conf_base VALUE: a containers.conf with base_hosts_file = VALUE
# ("" leaves it unset: podman's default, the host's /etc/hosts).
conf_base() {
	pm_write_conf "$T_DIR/conf-$2" "$PM_HOOKS"
	[ -n "$1" ] && sed -i "/^\[containers\]/a base_hosts_file = \"$1\"" "$T_DIR/conf-$2"
	export CONTAINERS_CONF="$T_DIR/conf-$2"
}

probes="$(pm_tcp_probe s4 "$S4" 8080)$(pm_tcp_probe priv "$PM_PRIV4" 8080)"
# what the container sees: every address a line of its /etc/hosts gives
# each name, in file order, as its C library's getaddrinfo() takes them
view='for n in api.test.example host.containers.internal; do
	a=$(awk -v n=$n '"'"'{ for (i = 2; i <= NF; i++) if ($i == n) { printf "%s%s", s, $1; s = "," } }'"'"' /etc/hosts)
	echo "$n=${a:-none}"; done; '

# run_case WHAT POLICY WANT-ADDRS [RUN-OPTIONS...]: the container's
# /etc/hosts gives the name (api.test.example for sym-name,
# host.containers.internal for sym-host) the addresses WANT-ADDRS (comma
# separated, in file order, or none), and the policy lets TCP 8080 reach
# exactly those of the two test servers.
run_case() {
	local what=$1 policy=$2 want=$3 name=api.test.example got
	shift 3
	[ "$policy" = sym-host ] && name=host.containers.internal
	pm_run --dns "$PM_DNS4" --annotation "fw.policy=$policy" "$@" -- /bin/sh -c "$view$probes"
	pm_ok "$what"
	got=$(pm_result "$name")
	[ "$got" = "$want" ] && t_ok "$what: the container's /etc/hosts: $name=$got" ||
		t_fail "$what: the container's /etc/hosts says $name=${got:-?}, expected $want ($PM_OUT)"
	# a name absent from /etc/hosts is the nameserver's: PM_PRIV4
	[ "$want" = none ] && [ "$policy" = sym-name ] && want=$PM_PRIV4
	[[ ,$want, == *,"$S4",* ]] && pm_expect s4 reach || pm_expect s4 blocked
	[[ ,$want, == *,"$PM_PRIV4",* ]] && pm_expect priv reach || pm_expect priv blocked
}

# (a) podman's default base: the host's /etc/hosts (here by path). The
# image's lines are not there; the name comes from the "host's" file.
conf_base "$T_DIR/host-hosts" host
run_case "(a) base = the host's file" sym-name "$PM_PRIV4"
# the image's host.containers.internal is not there either: podman's own
# entry (the host's address on the bridge), which is neither test server
pm_run -- /bin/sh -c "$view"
own=$(pm_result host.containers.internal)
[ -n "$own" ] && [ "$own" != "$S4" ] && [ "$own" != "$PM_PRIV4" ] && t_ok "(a) podman's own host.containers.internal: $own" ||
	t_fail "(a) podman's own host.containers.internal: '$own' ($PM_OUT $PM_ERR)"
run_case "(a) host, base = the host's file" sym-host "$own"

# (b) base_hosts_file = "image": the image's lines are the base, the
# container and the hook both take S4
conf_base image image
run_case "(b) base = image" sym-name "$S4"
# podman adds no host.containers.internal of its own when the base names it
run_case "(b) host, base = image" sym-host "$S4"

# (c) --add-host comes first but does not replace the base's lines: the
# container's getaddrinfo() and the hook take both addresses
run_case "(c) --add-host and the image" sym-name "$PM_PRIV4,$S4" --add-host "api.test.example:$PM_PRIV4"
run_case "(c) host: --add-host and the image" sym-host "$PM_PRIV4,$S4" \
	--add-host "host.containers.internal:$PM_PRIV4"

# (d) base_hosts_file = "none": no base; the name is the nameserver's
conf_base none none
run_case "(d) base = none" sym-name none

# (e) the image's file alone, with podman's unset default (the host's real
# /etc/hosts, which names no test name): the image's S4 is never taken
conf_base "" default
run_case "(e) base unset" sym-name none
t_finish
