#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# podman-network-none.sh: --network none with a policy still runs (exit 0): the hook firewalls the private, empty netns.

. "$(dirname "$0")/../lib/podman.sh"
pm_init


pm_run --network none --annotation fw.policy=denyall -- /bin/sh -c 'echo hello-from-none; ip -o link | grep -c .'
[ "$PM_RC" -eq 0 ] && t_ok "podman run --network none exit 0" ||
	t_fail "podman run --network none: exit $PM_RC; stdout: $PM_OUT; stderr: $PM_ERR"
grep -q hello-from-none <<<"$PM_OUT" && t_ok "the container ran" || t_fail "no output from the container: $PM_OUT"
t_finish
