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
if grep -q -- "$missing" <<<"$PM_ERR"; then
	t_ok "the error names the policy"
else
	t_fail "the error does not name $missing: $PM_ERR"
fi
if grep -q 'oci-fw-hook: ' <<<"$PM_ERR"; then
	t_ok "the hook's own error line reaches the user"
else
	t_fail "no 'oci-fw-hook: ' line in podman's error: $PM_ERR"
fi
left=$(podman ps -a --filter "name=ofw-$T_TAG" --format '{{.Names}}' 2>/dev/null)
[ -z "$left" ] && t_ok "no container left behind" || t_fail "containers left behind: $left"
t_finish
