#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# rootless-learn.sh: hostnames that follow DNS, rootless: with slirp4netns, and with pasta where it is installed (podman 5), the learner (forked by the hook inside podman's user namespace) learns rot.test.example's rotating addresses (TTL 1) from the container's own lookups: 50 lookups and connects in a row all reach; *.wild.test.example admits a.wild, not its apex nor evilwild; an address never announced stays blocked; the learner ends with the container.

. "$(dirname "$0")/../lib/rootless.sh"
rl_init
rl_server
pm_learn_setup
rl_policy "$TEST_POLICIES/learn-names.json" ofw-user-learn

networks=(slirp4netns)
command -v pasta >/dev/null && networks+=(pasta)
for net in "${networks[@]}"; do
	rl_run --network "$net" --dns "$PM_DNS4" --annotation fw.policy=ofw-user-learn -- \
		/bin/sh -c "$(pm_learn_script 50)"
	rl_check_ran "$net"
	pm_learn_expect "$net" 50
done
for _ in $(seq 1 50); do [ -z "$(pgrep -x -u "$RL_UID" oci-fw-hook)" ] && break; sleep 0.1; done
[ -z "$(pgrep -x -u "$RL_UID" oci-fw-hook)" ] && t_ok "no learner outlives its container" ||
	t_fail "learners left: $(pgrep -a -x -u "$RL_UID" oci-fw-hook)"
t_finish
