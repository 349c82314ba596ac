#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# reject-fast.sh: a reject default makes blocked TCP and UDP fail in well under a second (TCP reset / ICMP admin-prohibited), not time out.

. "$(dirname "$0")/../lib/netns.sh"
t_init
t_need_hook

topo_pair
servers_tcp "$NS_S" 8080 8081
servers_udp "$NS_S" 8081 "$S4" "$S6"
check_probes baseline "
reach tcp NS_C $S4 8081
reach tcp NS_C $S6 8081
reach udp NS_C $S4 8081
reach udp NS_C $S6 8081
"
apply_policy "$NS_C" tcp-port
limit=1000
# each probe would wait 5 s for an answer: only an active refusal ends it early
for target in "tcp $S4" "tcp $S6" "udp $S4" "udp $S6"; do
	set -- $target
	if "timed_$1" "$NS_C" "$2" 8081 5; then
		t_fail "$1 to $2 port 8081 reached the server; tcp-port should reject it"
	elif [ "$PROBE_MS" -lt "$limit" ]; then
		t_ok "$1 to $2 port 8081 refused after $PROBE_MS ms"
	else
		t_fail "$1 to $2 port 8081 took $PROBE_MS ms to fail (reject should fail in < $limit ms)"
	fi
done
t_finish
