#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# policy-large.sh: a 200,000-address blocklist (the benchmark's mix of prefix lengths, both families: tests/bench/gen.py) loads; TCP to addresses inside one IPv4 and one IPv6 network of it is blocked, to the addresses just outside them is not.

. "$(dirname "$0")/../lib/netns.sh"
t_init
t_need_hook

mkdir -p "$T_DIR/pol"
python3 - "$T_REPO_DIR/tests/bench" "$T_DIR/pol/large.json" <<'PY' ||
import json, sys
sys.path.insert(0, sys.argv[1])
import gen
n = 200000
addrs = gen.addresses(n, seed=20240605 + n)
assert len(set(addrs)) == n and gen.CHECK4 in addrs and gen.CHECK6 in addrs
with open(sys.argv[2], "w") as f:
    json.dump(gen.policy(addrs, n), f, separators=(",", ":"))
PY
	t_die "cannot generate the policy"
chmod 0644 "$T_DIR/pol/large.json"

# gen.py's targets: 203.0.113.64/28 and 2001:db8:5::/48 are in the set,
# their neighbours are not.
inside=(203.0.113.64 203.0.113.79 2001:db8:5:: 2001:db8:5:ffff:ffff:ffff:ffff:ffff)
outside=(203.0.113.63 203.0.113.80 2001:db8:4:ffff:ffff:ffff:ffff:ffff 2001:db8:6::)
topo_pair
ip -n "$NS_C" route add 203.0.113.0/24 via "$S4" dev c0
ip -n "$NS_C" -6 route add 2001:db8:4::/46 via "$S6" dev c0
for a in "${inside[@]}" "${outside[@]}"; do
	case $a in *:*) ip -n "$NS_S" addr add "$a/128" dev s0 nodad ;;
	*) ip -n "$NS_S" addr add "$a/32" dev s0 ;; esac
done
servers_tcp "$NS_S" 7

probes=""
for a in "${inside[@]}"; do probes+="blocked tcp NS_C $a 7"$'\n'; done
for a in "${outside[@]}"; do probes+="reach   tcp NS_C $a 7"$'\n'; done
probes+="reach   tcp NS_C $S4 7"$'\n'
check_probes baseline "$probes"
apply_policy "$NS_C" large --policy-dir "$T_DIR/pol"
check_probes policy "$probes"
t_finish
