#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# podman-no-policy.sh: a podman container without fw.policy reaches the test server over TCP and UDP (the hook does not run or changes nothing).

. "$(dirname "$0")/../lib/podman.sh"
pm_init
pm_server

script="$(pm_tcp_probe tcp80 "$S4" 80)$(pm_tcp_probe tcp8080 "$S4" 8080)$(pm_tcp_probe tcppriv "$PM_PRIV4" 80)$(pm_udp_probe udp69 "$S4" 69)$(pm_udp_probe udppriv "$PM_PRIV4" 69)"
pm_run -- /bin/sh -c "$script"
[ "$PM_RC" -eq 0 ] && t_ok "podman run exit 0" || t_fail "podman run exit $PM_RC: $PM_ERR"
pm_expect tcp80 reach
pm_expect tcp8080 reach
pm_expect tcppriv reach
pm_expect udp69 reach
pm_expect udppriv reach
t_finish
