#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# podman-tcp-port.sh: under tests/policies/tcp-port.json a podman container reaches TCP 8080 on the server and nothing else (no TCP 80, no UDP).

. "$(dirname "$0")/../lib/podman.sh"
pm_init
pm_server

script="$(pm_tcp_probe tcp8080 "$S4" 8080)$(pm_tcp_probe tcp80 "$S4" 80)$(pm_udp_probe udp69 "$S4" 69)"
pm_run --annotation fw.policy=tcp-port -- /bin/sh -c "$script"
[ "$PM_RC" -eq 0 ] && t_ok "podman run exit 0" || t_fail "podman run exit $PM_RC: $PM_ERR"
pm_expect tcp8080 reach
pm_expect tcp80 blocked
pm_expect udp69 blocked
t_finish
