#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# podman-dns.sh: "to": ["dns"] means the nameservers podman writes into the container's resolv.conf (--dns): UDP/53 to that server passes, UDP/53 to another server and other ports of the same server do not.

. "$(dirname "$0")/../lib/podman.sh"
pm_init
pm_server

script="$(pm_udp_probe dns53 "$S4" 53)$(pm_udp_probe other53 "$PM_PRIV4" 53)$(pm_udp_probe dns69 "$S4" 69)$(pm_tcp_probe dns80 "$S4" 80)"
pm_run --dns "$S4" --annotation fw.policy=sym-dns -- /bin/sh -c "$script"
pm_ok "--dns $S4"
pm_expect dns53 reach
pm_expect other53 blocked
pm_expect dns69 blocked
pm_expect dns80 blocked

# The same policy with the other server as nameserver: the verdicts swap.
pm_run --dns "$PM_PRIV4" --annotation fw.policy=sym-dns -- /bin/sh -c "$script"
pm_ok "--dns $PM_PRIV4"
pm_expect dns53 blocked
pm_expect other53 reach
t_finish
