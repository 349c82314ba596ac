#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# podman-host.sh: "to": ["host"] means the addresses of host.containers.internal in the container's /etc/hosts (--add-host): TCP 8080 to that address passes; TCP 80 there and TCP 8080 to another server do not; pointing the name at the other server swaps the verdicts. `host` also means the runtime namespace's own addresses: a server on a documentation address added on the host (a dummy link) is reached on 8080 without naming it, the server in another netns stays blocked.

. "$(dirname "$0")/../lib/podman.sh"
pm_init
pm_server

script="$(pm_tcp_probe s4_8080 "$S4" 8080)$(pm_tcp_probe s4_80 "$S4" 80)$(pm_tcp_probe priv_8080 "$PM_PRIV4" 8080)$(pm_tcp_probe priv_80 "$PM_PRIV4" 80)"
script+='grep -q "host.containers.internal" /etc/hosts && echo hosts=ok; '

pm_run --add-host "host.containers.internal:$S4" --annotation fw.policy=sym-host -- /bin/sh -c "$script"
pm_ok "host = $S4"
pm_expect hosts ok
pm_expect s4_8080 reach
pm_expect s4_80 blocked
pm_expect priv_8080 blocked
pm_expect priv_80 blocked

pm_run --add-host "host.containers.internal:$PM_PRIV4" --annotation fw.policy=sym-host -- /bin/sh -c "$script"
pm_ok "host = $PM_PRIV4"
pm_expect s4_8080 blocked
pm_expect s4_80 blocked
pm_expect priv_8080 reach
pm_expect priv_80 blocked

# `host` is also every address of the runtime's network namespace (here:
# the host's), as the hook reads it before entering the container's: a
# documentation address on a dummy link of the test's own on the host is
# reachable on 8080 without naming it, the server in another netns is not.
HOST_DOC4=203.0.113.77
pm_host_address "$HOST_DOC4"
srv_host_tcp "$HOST_DOC4" 8080
script_h="$(pm_tcp_probe hostdoc_8080 "$HOST_DOC4" 8080)$(pm_tcp_probe s4_8080 "$S4" 8080)"
pm_run --annotation fw.policy=sym-host -- /bin/sh -c "$script_h"
pm_ok "host = the runtime's addresses and host.containers.internal"
pm_expect hostdoc_8080 reach
pm_expect s4_8080 blocked

# Without the policy both servers answer on both ports: "blocked" above is
# the firewall's doing.
pm_run --add-host "host.containers.internal:$S4" -- /bin/sh -c "$script"
pm_ok "no policy"
pm_expect s4_80 reach
pm_expect priv_8080 reach
pm_run -- /bin/sh -c "$script_h"
pm_ok "no policy, the host's address"
pm_expect hostdoc_8080 reach
pm_expect s4_8080 reach
t_finish
