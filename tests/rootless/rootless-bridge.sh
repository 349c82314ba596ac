#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# rootless-bridge.sh: the same as rootless-slirp.sh on a user-created bridge
# network (`podman network create --disable-dns --subnet 203.0.113.0/24`),
# whose bridge lives in the user's rootless network namespace.

. "$(dirname "$0")/../lib/rootless.sh"
rl_init
rl_server
rl_network 203.0.113.0/24
# the container really is on bridge: its address
rl_run --network "$RL_NET" -- /bin/sh -c 'ip -o -4 addr show'
if grep -q 'inet 203\.0\.113\.' <<<"$PM_OUT"; then t_ok "bridge: the container has a 203.0.113.x address"; else
	t_fail "bridge: no 203.0.113.x address in the container: $PM_OUT $PM_ERR"
fi
rl_policy_cases "bridge $RL_NET" --network "$RL_NET"
t_finish
