#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# rootless-refused.sh: rootless containers that could undo their firewall or
# that share the host's network are refused with a clear line, and their
# command never runs: --cap-add NET_ADMIN (and NET_RAW) with a policy, and
# --network host with a policy (the same line as rootful, not EPERM).

. "$(dirname "$0")/../lib/rootless.sh"
rl_init
host_table_guard
rl_policy "$TEST_POLICIES/harmless.json" ofw-user-harmless

rl_run --cap-add NET_ADMIN --annotation fw.policy=ofw-user-harmless -- /bin/sh -c 'echo ran'
rl_check_refused "--cap-add NET_ADMIN" 'CAP_NET_ADMIN' 'undo or bypass'
rl_run --cap-add NET_RAW --annotation fw.policy=ofw-user-harmless -- /bin/sh -c 'echo ran'
rl_check_refused "--cap-add NET_RAW" 'CAP_NET_RAW'
# the launcher may accept the named risk (issue 3) rootless too
rl_run --cap-add NET_RAW --annotation fw.policy=ofw-user-harmless --annotation fw.unsafe=CAP_NET_RAW -- /bin/sh -c 'echo ran'
rl_check_ran "--cap-add NET_RAW with fw.unsafe=CAP_NET_RAW"

rl_run --network host --annotation fw.policy=ofw-user-harmless -- /bin/sh -c 'echo ran'
rl_check_refused "--network host" "shares the host's network namespace"
if grep -qi 'operation not permitted' <<<"$PM_HOOK_ERR"; then
	t_fail "--network host: the error says 'Operation not permitted' instead of what it means: $PM_HOOK_ERR"
else
	t_ok "--network host: no bare EPERM"
fi
# no annotation: no effect, the container runs
rl_run --network host -- /bin/sh -c 'echo ran'
rl_check_ran "--network host without a policy"
[ "$PM_OUT" = ran ] && t_ok "it ran" || t_fail "output: $PM_OUT"

if [ "$T_HOST_HAD_TABLE" = 0 ] && host_has_table; then
	t_fail "table inet oci_fw is now in the HOST netns"
else
	t_ok "no oci_fw table in the host netns"
fi
host_table_unguard || true
t_finish
