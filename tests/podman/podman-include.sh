#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# podman-include.sh: "include" composes policies: denies and allows are unions (8080 allowed by one part and 198.51.100.2 denied by the other is denied), the strictest default wins (drop over accept); fw.policy=a,b composes the same way; an include cycle, a set defined differently by two parts and a missing include refuse the container with a line saying so.

. "$(dirname "$0")/../lib/podman.sh"
pm_init
pm_server

script="$(pm_tcp_probe s4_8080 "$S4" 8080)$(pm_tcp_probe s4_80 "$S4" 80)$(pm_tcp_probe priv_8080 "$PM_PRIV4" 8080)$(pm_tcp_probe priv_80 "$PM_PRIV4" 80)"

# the parts alone: each lets through what the other blocks
pm_run --annotation fw.policy=inc-no-s4 -- /bin/sh -c "$script"
pm_ok "inc-no-s4 alone"
pm_expect s4_8080 blocked
pm_expect priv_8080 reach
pm_expect priv_80 reach

pm_run --annotation fw.policy=inc-port8080 -- /bin/sh -c "$script"
pm_ok "inc-port8080 alone"
pm_expect s4_8080 reach
pm_expect priv_8080 reach
pm_expect priv_80 blocked

# (a) inc-web (in not-standalone/: it includes inc-no-s4): inc-no-s4 plus
#     inc-port8080's rules
# (b) fw.policy=inc-no-s4,inc-port8080 (in one annotation: pm_annotation)
for spec in inc-web inc-no-s4,inc-port8080; do
	pm_run --annotation "$(pm_annotation "fw.policy=$spec")" -- /bin/sh -c "$script"
	pm_ok "$spec"
	pm_expect s4_8080 blocked # allowed by one part, denied by the other
	pm_expect s4_80 blocked
	pm_expect priv_8080 reach
	pm_expect priv_80 blocked # drop (one part) wins over accept (the other)
done

# (c) compositions that cannot be: refused, with a line saying why
pm_refused "include cycle" --annotation fw.policy=inc-cycle-a -- \
	'include cycle: inc-cycle-a → inc-cycle-b → inc-cycle-a'
pm_refused "set s defined twice, by includes" --annotation fw.policy=inc-set-conflict -- \
	's.? is also defined, differently, by inc-set-s1' 'inc-set-s2'
pm_refused "set s defined twice, fw.policy=a,b" --annotation "$(pm_annotation fw.policy=inc-set-s1,inc-set-s2)" -- \
	's.? is also defined, differently, by inc-set-s1' 'inc-set-s2'
pm_refused "missing include" --annotation fw.policy=inc-missing -- \
	'inc-missing(\.json)?: include\[0\]' 'no policy inc-does-not-exist'
t_finish
