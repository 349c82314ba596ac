#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# explain.sh: for a table of connections, explain's verdict (of the policy file, and of the running container with its dns set as loaded) agrees with real packets through the same loaded policy, and names the deciding rule.

. "$(dirname "$0")/../lib/netns.sh"
t_init
t_need_hook

topo_pair private
servers_tcp "$NS_S" 8080 8081
servers_udp "$NS_S" 53 "$S4"
servers_udp "$NS_S" 8080 "$S4"
servers_tcp "$NS_C" 9000 9001
mkdir -p "$T_DIR/pol"
cat >"$T_DIR/pol/x.json" <<'JSON'
{ "sets": { "lan": ["10.0.0.0/8"] },
  "egress": { "default": "reject",
    "deny": [ { "to": ["@lan"], "comment": "no LAN" }, { "proto": "tcp", "ports": [8081] } ],
    "allow": [ { "to": ["dns"] }, { "proto": "tcp", "ports": [8080, 8081] }, { "proto": "icmp" } ] },
  "ingress": { "default": "drop", "allow": [ { "proto": "tcp", "ports": [9000] } ] } }
JSON
HOOK_DIRS=(--policy-dir "$T_DIR/pol")
FC_WORDS=(nameserver=$S4)

# PROTO NSVAR ADDR PORT EXPLAIN-ARGS RULE (the rule explain names; "-": the
# file alone cannot say, its dns set is empty)
cases="
tcp  NS_C $S4          8080 --out egress.allow[1]
tcp  NS_C $S4          8081 --out egress.deny[1]
tcp  NS_C ${S_PRIV4[0]} 8080 --out egress.deny[0]
tcp  NS_C $S6          8080 --out egress.allow[1]
udp  NS_C $S4          53   --out -
udp  NS_C $S4          8080 --out egress.default
tcp  NS_S $C4          9000 --in  ingress.allow[0]
tcp  NS_S $C4          9001 --in  ingress.default
"
check_probes baseline "$(awk 'NF { print "reach", $1, $2, $3, $4 }' <<<"$cases")
reach ping NS_C $S4"
apply_policy "$NS_C" x
pid=$FC_PID

addr_port() { if is_v6 "$1"; then echo "[$1]:$2"; else echo "$1:$2"; fi; }
# agree WHAT OUT REAL: explain's first word against the packets'
agree() {
	local what=$1 out=$2 real=$3 said
	case $out in accepted*) said=reach ;; rejected* | dropped*) said=blocked ;; *) said="?" ;; esac
	[ "$said" = "$real" ] && t_ok "$what: $real; explain: $out" ||
		t_fail "$what: the packets $real, explain says: $out"
}
while read -r proto nsvar addr port dir rule <&3; do
	[ -z "$proto" ] && continue
	"probe_$proto" "${!nsvar}" "$addr" "$port" 1 && real=reach || real=blocked
	[ "$dir" = --in ] && remote=$S4 || remote=$addr
	out=$("$OCI_FW_HOOK" explain "${HOOK_DIRS[@]}" --pid "$pid" "$dir" "$proto" "$(addr_port "$remote" "$port")" 2>&1 | sed -n 2p)
	agree "container: $proto $dir $addr $port" "$out" "$real"
	[ "$rule" = - ] && rule=egress.allow[0]
	[[ "$out " == *" by $rule "* ]] && t_ok "names $rule" || t_fail "expected $rule: $out"
	out=$("$OCI_FW_HOOK" explain "${HOOK_DIRS[@]}" x "$dir" "$proto" "$(addr_port "$remote" "$port")" 2>&1)
	if [ "$proto $port" = "udp 53" ]; then
		grep -q "^rejected.* by egress.default" <<<"$out" && grep -q "^note: .*: dns;" <<<"$out" &&
			t_ok "the file alone: dns is empty, and says so: $(tr '\n' ' ' <<<"$out")" ||
			t_fail "the file alone, dns: $out"
	else
		agree "file: $proto $dir $addr $port" "$(sed -n 2p <<<"$out")" "$real"
	fi
done 3<<<"$cases"
probe_ping "$NS_C" "$S4" && real=reach || real=blocked
agree "container: icmp $S4" "$("$OCI_FW_HOOK" explain "${HOOK_DIRS[@]}" --pid "$pid" icmp "$S4" | sed -n 2p)" "$real"
out=$("$OCI_FW_HOOK" explain "${HOOK_DIRS[@]}" --pid "$pid" tcp "${S_PRIV4[0]}:8080" | sed -n 2p)
grep -q "^rejected with a TCP reset by egress.deny\[0\] (to ${S_PRIV4[0]} in @lan: 10.0.0.0/8); the rule says \"no LAN\"$" <<<"$out" &&
	t_ok "why: $out" || t_fail "why: $out"
out=$("$OCI_FW_HOOK" explain "${HOOK_DIRS[@]}" x tcp "$S4" 2>&1)
[ $? != 0 ] && grep -q "needs a port" <<<"$out" && t_ok "a port is required for tcp: $out" || t_fail "no port: $out"
t_finish
