#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# rootless-host.sh: `host` under rootless podman means, besides
# host.containers.internal, every address of the runtime's network
# namespace (the host's: the hook reads them in podman's user namespace,
# before entering the container's): a server on a documentation address
# added on the host side is reached on TCP 8080 through slirp4netns (and
# pasta, podman 5's default, where it is installed), without naming it;
# the server in another netns (198.51.100.2) stays blocked; with no policy
# both answer, so "blocked" is the firewall's doing.

. "$(dirname "$0")/../lib/rootless.sh"
rl_init
rl_server
HOST_DOC4=203.0.113.77
pm_host_address "$HOST_DOC4"
srv_host_tcp "$HOST_DOC4" 8080
rl_policy "$TEST_POLICIES/sym-host.json" ofw-user-host
probes="$(pm_tcp_probe hostdoc "$HOST_DOC4" 8080)$(pm_tcp_probe s4 "$S4" 8080)"
modes=(slirp4netns)
command -v pasta >/dev/null && modes+=(pasta)
for mode in "${modes[@]}"; do
	rl_run --network "$mode" -- /bin/sh -c "$probes"
	rl_check_ran "$mode, no policy"
	pm_expect hostdoc reach
	pm_expect s4 reach
	rl_run --network "$mode" --annotation fw.policy=ofw-user-host -- /bin/sh -c "${probes}cat /etc/hosts"
	rl_check_ran "$mode, host on 8080"
	pm_expect hostdoc reach
	pm_expect s4 blocked
	t_log "$mode: the container's /etc/hosts: $(grep host.containers.internal <<<"$PM_OUT")"
done
t_finish
