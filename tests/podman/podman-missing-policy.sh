#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# podman-missing-policy.sh: fw.policy naming no policy makes podman run fail before the container's process runs, with an error naming the policy.

. "$(dirname "$0")/../lib/podman.sh"
pm_init
pm_server

missing="no-such-policy-$$"
pm_run --annotation "fw.policy=$missing" -v "$PM_MARK:/mark" -- /bin/sh -c 'echo ran >/mark/ran; echo container-ran'
# podman maps a failing hook to 126, or to 127 when the runtime's message
# matches "not found" / "no such file": both mean the OCI runtime failed.
case $PM_RC in
126 | 127) t_ok "podman run failed with exit $PM_RC" ;;
*) t_fail "podman run: expected exit 126 (or 127), got $PM_RC; stdout: $PM_OUT; stderr: $PM_ERR" ;;
esac
if [ -e "$PM_MARK/ran" ] || grep -q container-ran <<<"$PM_OUT"; then
	t_fail "the container's process ran despite the missing policy"
else
	t_ok "the container's process never ran"
fi
# the hook's own line (under crun: in its run.oci.hooks.stderr file,
# crun's error has only the exit code) names the policy
pm_check_hook "missing policy" "$missing"
left=$(podman ps -a --filter "name=ofw-$T_TAG" --format '{{.Names}}' 2>/dev/null)
[ -z "$left" ] && t_ok "no container left behind" || t_fail "containers left behind: $left"
t_finish
