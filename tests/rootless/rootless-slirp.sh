#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# rootless-slirp.sh: rootless podman with --network slirp4netns (podman
# 4's default; podman 5's is pasta, rootless-pasta.sh):
# the hook runs as root of podman's user namespace, enters the container's
# netns and loads the policy. No policy reaches the server over TCP and UDP;
# a policy found only in the user's ~/.config/oci-fw-hook/policies blocks
# both; a TCP-port policy from there lets TCP 8080 through and blocks the rest.

. "$(dirname "$0")/../lib/rootless.sh"
rl_init
rl_server
# the container really is on slirp4netns: its address
rl_run --network slirp4netns -- /bin/sh -c 'ip -o -4 addr show'
if grep -q 'inet 10\.0\.2\.' <<<"$PM_OUT"; then t_ok "slirp4netns: the container has a 10.0.2.x address"; else
	t_fail "slirp4netns: no 10.0.2.x address in the container: $PM_OUT $PM_ERR"
fi
rl_policy_cases slirp4netns --network slirp4netns
t_finish
