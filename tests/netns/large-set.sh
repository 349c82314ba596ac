#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# large-set.sh: a policy whose set holds 40,000 addresses (about 80,000 interval elements, many netlink messages, large sorts under seccomp) loads in one batch; an address in the set is blocked and its neighbours just outside it are not, over IPv4 and IPv6.

. "$(dirname "$0")/../lib/netns.sh"
t_init
t_need_hook

IN4=203.0.113.9 OUT4A=203.0.113.7 OUT4B=203.0.113.16
IN6=2001:db8:2::5 OUT6=2001:db8:3::5

topo_pair
for a in $IN4 $OUT4A $OUT4B; do
	ip -n "$NS_S" addr add "$a/32" dev s0
	ip -n "$NS_C" route add "$a/32" via "$S4" dev c0
done
for a in $IN6 $OUT6; do
	ip -n "$NS_S" addr add "$a/128" dev s0 nodad
	ip -n "$NS_C" route add "$a/128" via "$S6" dev c0
done
servers_tcp "$NS_S" 80

# 30,000 IPv4 hosts four apart in 10/8 (none adjacent: each is its own
# interval), 10,000 IPv6 /64s, and the two blocks the probes aim at.
python3 - "$T_DIR/large.json" <<'PY'
import json, sys
v4 = ["10.%d.%d.%d" % (i >> 14 & 255, i >> 6 & 255, (i & 63) * 4) for i in range(30000)]
v6 = ["2001:db8:1:%x::/64" % (i + 1) for i in range(10000)]
doc = {"sets": {"big": v4 + v6 + ["203.0.113.8/29", "2001:db8:2::/48"]},
       "egress": {"default": "accept", "deny": [{"to": ["@big"], "comment": "blocklist"}]}}
json.dump(doc, open(sys.argv[1], "w"))
PY
chmod 0644 "$T_DIR/large.json"

probes="
reach   tcp NS_C $S4 80
reach   tcp NS_C $IN4 80
reach   tcp NS_C $OUT4A 80
reach   tcp NS_C $OUT4B 80
reach   tcp NS_C $IN6 80
reach   tcp NS_C $OUT6 80
"
check_probes baseline "$probes"
apply_policy "$NS_C" "$T_DIR/large.json" --allow-path
# one hash set per prefix length: 30,000 /32s and the /29
n=$( (ns_nft "$NS_C" list set inet oci_fw big_v4.32
      ns_nft "$NS_C" list set inet oci_fw big_v4.29) | tr ',' '\n' |
    grep -cE '[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+')
t_check "the IPv4 sets hold all 30,001 entries (got $n)" [ "$n" -eq 30001 ]
check_probes policy "
blocked tcp NS_C $IN4 80
reach   tcp NS_C $OUT4A 80
reach   tcp NS_C $OUT4B 80
blocked tcp NS_C $IN6 80
reach   tcp NS_C $OUT6 80
reach   tcp NS_C $S4 80
"
t_finish
