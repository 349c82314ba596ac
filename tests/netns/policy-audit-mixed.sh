#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# policy-audit-mixed.sh: audit per rule and per include. "mode": "audit" over an include audits the included rules too (they used to enforce silently), the table says "(audit)"; a baseline that enforces beside an audited rule keeps blocking, even where the audited rule overlaps it (a deny still wins), while the audited rule lets its packets through and counts them; {"name": "base", "mode": "audit"} audits one include; the table says "(mixed)" and `check` lists each deny rule's and default's mode.

. "$(dirname "$0")/../lib/netns.sh"
t_init
t_need_hook

topo_pair
servers_tcp "$NS_S" 8080 8081 8082
check_probes baseline "
reach tcp NS_C $S4 8080
reach tcp NS_C $S4 8081
reach tcp NS_C $S4 8082
"
mkdir -p "$T_DIR/pol"
put() { printf '%s\n' "$2" >"$T_DIR/pol/$1.json" && chmod 0644 "$T_DIR/pol/$1.json"; }
put base '{ "egress": { "default": "accept", "deny": [ { "to": ["'"$S4"'"], "proto": "tcp", "ports": [8080] } ] } }'
put try '{ "include": ["base"], "egress": { "default": "accept", "deny": [
  { "to": ["'"$S4"'"], "proto": "tcp", "ports": ["8080-8081"], "mode": "audit", "comment": "new" } ] } }'
put audit-over '{ "mode": "audit", "include": ["base"], "egress": { "default": "accept" } }'
put try-base '{ "include": [ { "name": "base", "mode": "audit" } ], "egress": { "default": "accept", "deny": [
  { "to": ["'"$S4"'"], "proto": "tcp", "ports": [8082] } ] } }'
HOOK_DIRS=(--policy-dir "$T_DIR/pol")
comment() { ns_nft "$1" list table inet oci_fw | sed -n 's/^[[:space:]]*comment "\(.*\)"$/\1/p' | head -n1; }
packets() { # packets NS MATCH: the packets of the rules whose line holds MATCH
	ns_nft "$1" list chain inet oci_fw egress | grep -F -- "$2" |
		sed -n 's/.*counter packets \([0-9]*\) .*/\1/p' | awk '{ s += $1 } END { print s + 0 }'
}

# a baseline enforces, a new rule is audited, overlapping it on 8080
apply_policy "$NS_C" try
[[ $(comment "$NS_C") == *" (mixed)" ]] && t_ok "try: the table says (mixed): $(comment "$NS_C")" ||
	t_fail "try: the table comment is '$(comment "$NS_C")'"
check_probes policy "
blocked tcp NS_C $S4 8080
reach   tcp NS_C $S4 8081
reach   tcp NS_C $S4 8082
"
n=$(packets "$NS_C" 'comment "try:egress.deny[0] [audit: drop]: new"')
[ "$n" -ge 1 ] && t_ok "try: the audited rule counted what it would have dropped ($n)" ||
	t_fail "try: the audited rule counted $n: $(ns_nft "$NS_C" list chain inet oci_fw egress)"
out=$("$OCI_FW_HOOK" check "${HOOK_DIRS[@]}" try 2>&1)
want="try: ok
try: base:egress.deny[0]: enforce
try: try:egress.deny[0]: audit
try: egress.default: enforce (accept)"
[ "$out" = "$want" ] && t_ok "check lists each rule's mode" || t_fail "check said: $out"

# again POLICY MARK: POLICY replaces the table; its comment ends in MARK
again() {
	ns_nft "$NS_C" delete table inet oci_fw
	fc_new "$NS_C"
	hook_apply "$(make_state "$FC_PID" "$FC_BUNDLE" "$1")" || t_die "apply $1: $HOOK_ERR"
	[[ $(comment "$NS_C") == *" $2" ]] && t_ok "$1: the table says $2" ||
		t_fail "$1: the table comment is '$(comment "$NS_C")'"
}

# "mode": "audit" over an include: everything audited, 8080 too
again audit-over "(audit)"
check_probes policy "
reach tcp NS_C $S4 8080
"
n=$(packets "$NS_C" 'comment "base:egress.deny[0] [audit: drop]"')
[ "$n" -ge 1 ] && t_ok "audit-over: the included deny counted what it would have dropped ($n)" ||
	t_fail "audit-over: the included deny counted $n"

# one include audited, the including file's own deny enforced
again try-base "(mixed)"
check_probes policy "
reach   tcp NS_C $S4 8080
blocked tcp NS_C $S4 8082
"
t_finish
