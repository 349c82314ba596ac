#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# policy-sets-ranges.sh: named sets of both families, @references and port ranges (edges included) match exactly; rule comments show in the listing.

. "$(dirname "$0")/../lib/netns.sh"
t_init
t_need_hook

topo_pair
servers_tcp "$NS_S" 7999 8000 8100 8101 9000 9001
servers_udp "$NS_S" 5353 "$S4" "$S6"
servers_udp "$NS_S" 5354 "$S4"
servers_tcp "$NS_C" 9000 9001 9002

probes="
blocked tcp  NS_C $S4 7999
reach   tcp  NS_C $S4 8000
reach   tcp  NS_C $S4 8100
blocked tcp  NS_C $S4 8101
reach   tcp  NS_C $S4 9000
blocked tcp  NS_C $S4 9001
reach   tcp  NS_C $S6 8000
reach   tcp  NS_C $S6 8100
blocked tcp  NS_C $S6 8101
reach   tcp  NS_C $S6 9000
reach   udp  NS_C $S4 5353
reach   udp  NS_C $S6 5353
blocked udp  NS_C $S4 5354
reach   tcp  NS_S $C4 9000
reach   tcp  NS_S $C4 9001
blocked tcp  NS_S $C4 9002
reach   tcp  NS_S $C6 9001
blocked tcp  NS_S $C6 9002
"
check_probes baseline "$probes"
apply_policy "$NS_C" sets-ranges
check_probes policy "$probes"
listing=$(ns_ruleset "$NS_C")
if grep -q 'comment "[^"]*sets-ranges test rule' <<<"$listing"; then
	t_ok "the rule comment is in the listing"
else
	t_fail "no rule comment \"sets-ranges test rule...\" in the listing:
$listing"
fi
# @servers compiles to one hash set per family and prefix length (a /32
# and a /25, a /128): show folds them back into the policy's words, one
# line with the counters of all its nft rules (six connections went out).
show_json=$("$OCI_FW_HOOK" show --json --pid "$FC_PID" 2>&1)
line=$(jq -c '[.chains.egress.rules[] | select(.source | startswith("egress.allow[0]"))]' <<<"$show_json")
if [ "$(jq -r 'length' <<<"$line")" = 1 ] &&
	[ "$(jq -r '.[0].source' <<<"$line")" = "egress.allow[0] to @servers tcp dport 8000-8100,9000" ] &&
	[ "$(jq -r '.[0].packets' <<<"$line")" -ge 6 ] 2>/dev/null; then
	t_ok "show: @servers's per-prefix sets are one line, counters summed: $line"
else
	t_fail "show: egress.allow[0]: $line"
fi
t_finish
