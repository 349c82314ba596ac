#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# runc-policy.sh: the OCI contract without podman. `runc run` on a bundle whose
# config.json lists the hook under hooks.createRuntime and carries fw.policy
# in its annotations (what CRI-O writes): denyall blocks TCP and UDP from the
# container's own process, tcp-port lets only TCP 8080 through, a missing
# policy makes `runc run` fail before the container's process runs.

. "$(dirname "$0")/../lib/runc.sh"
rc_init
rc_server

reset_ns() { ip netns exec "$NS_C" nft flush ruleset; }

# Controls: the probes work, and the hook without an annotation changes nothing.
rc_bundle netns="$NS_C" nohook
rc_run
rc_check_ran "no hook"
rc_expect tcp80 reach
rc_expect tcp8080 reach
rc_expect udp69 reach

rc_bundle netns="$NS_C"
rc_run
rc_check_ran "hook, no annotation"
rc_expect tcp80 reach
rc_expect udp69 reach
check_empty "$NS_C" "hook, no annotation"

rc_bundle netns="$NS_C" ann=fw.policy=denyall
rc_run
rc_check_ran "denyall"
rc_expect tcp80 blocked
rc_expect tcp8080 blocked
rc_expect udp69 blocked
c=$(rc_comment "$NS_C")
[[ $c == "denyall sha256:"* ]] && t_ok "denyall: table comment $c" ||
	t_fail "denyall: table comment is '$c', expected 'denyall sha256:...'"
reset_ns

rc_bundle netns="$NS_C" ann=fw.policy=tcp-port
rc_run
rc_check_ran "tcp-port"
rc_expect tcp8080 reach
rc_expect tcp80 blocked
rc_expect udp69 blocked
reset_ns

rc_bundle netns="$NS_C" ann=fw.policy=no-such-policy -- /bin/sh -c 'echo ran'
rc_run
rc_check_refused "missing policy" 'no policy no-such-policy\.json'
check_empty "$NS_C" "missing policy"
t_finish
