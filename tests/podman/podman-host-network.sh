#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# podman-host-network.sh: --network host with a policy is refused, even with fw.unsafe (the hook must not firewall the host), and the host gets no oci_fw table; without a policy it runs.

. "$(dirname "$0")/../lib/podman.sh"
pm_init


# Only the harmless test policy; the guard deletes a wrongly loaded table
# from the host and fails the test loudly.
host_table_guard
pm_run --network host --annotation fw.policy=harmless -v "$PM_MARK:/mark" -- /bin/sh -c 'echo ran >/mark/ran'
if [ "$PM_RC" -ne 0 ]; then t_ok "podman run --network host refused (exit $PM_RC)"; else
	t_fail "podman run --network host with a policy succeeded"
fi
if [ -e "$PM_MARK/ran" ]; then t_fail "the container's process ran"; else t_ok "the container's process never ran"; fi
pm_check_hook "--network host"
if [ "$T_HOST_HAD_TABLE" = 0 ] && host_has_table; then
	t_fail "table inet oci_fw is now in the HOST netns"
else
	t_ok "no oci_fw table in the host netns"
fi
# fw.unsafe cannot accept host networking.
pm_refused "--network host with every risk accepted" --network host --annotation fw.policy=harmless \
	--annotation "$(pm_annotation fw.unsafe=CAP_NET_ADMIN,CAP_NET_RAW,CAP_SYS_ADMIN)" -- host

# Without fw.policy the hook runs too (hooks.d "always") and lets it be.
for opts in "--network host" "--network host --privileged"; do
	# shellcheck disable=SC2086 # the options
	pm_run $opts -- /bin/sh -c 'echo hello-from-host-net'
	pm_ok "no fw.policy, $opts"
	grep -q hello-from-host-net <<<"$PM_OUT" && t_ok "$opts: the container ran" ||
		t_fail "$opts: no output from the container: $PM_OUT"
done
if [ "$T_HOST_HAD_TABLE" = 0 ] && host_has_table; then
	t_fail "table inet oci_fw is now in the HOST netns"
fi
host_table_unguard || true
t_finish
