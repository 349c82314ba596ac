#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# podman-denyall.sh: under fw.policy=denyall a podman container starts but reaches nothing over TCP or UDP.

. "$(dirname "$0")/../lib/podman.sh"
pm_init
pm_server

script="$(pm_tcp_probe tcp80 "$S4" 80)$(pm_tcp_probe tcp8080 "$S4" 8080)$(pm_udp_probe udp69 "$S4" 69)$(pm_udp_probe udp53 "$S4" 53)"
pm_run -- /bin/sh -c "$script"
[ "$PM_RC" -eq 0 ] && t_ok "control without policy: exit 0" || t_fail "control: podman run exit $PM_RC: $PM_ERR"
pm_expect tcp80 reach
pm_expect udp69 reach

pm_run --annotation fw.policy=denyall -- /bin/sh -c "$script"
[ "$PM_RC" -eq 0 ] && t_ok "denyall: podman run exit 0" || t_fail "denyall: podman run exit $PM_RC: $PM_ERR"
pm_expect tcp80 blocked
pm_expect tcp8080 blocked
pm_expect udp69 blocked
pm_expect udp53 blocked
t_finish
