#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# show-refresh.sh: without podman (and so under ASan too): apply with a hostname from a test nameserver, the syslog record, show and show --json counting a blocked and an allowed connection, refresh following a changed record, audit mode in show.

. "$(dirname "$0")/../lib/netns.sh"
t_init
t_need_hook

names_setup

# The record goes to a socket of the test's own.
record_listen "$T_DIR/log.sock" "$T_DIR/log"

cat >"$T_DIR/pol/audit.json" <<'JSON'
{ "mode": "audit", "egress": { "default": "drop", "allow": [ { "proto": "tcp", "ports": [8080] },
  { "to": ["203.0.113.5", "192.0.2.0/24", "198.51.100.7", "203.0.113.1", "203.0.113.3", "2001:db8::1"],
    "proto": "tcp", "ports": [443, "8000-8100"] } ] } }
JSON
HOOK_DIRS=(--policy-dir "$T_DIR/pol" --syslog-socket "$T_DIR/log.sock")
FC_WORDS=(nameserver=198.51.100.3)
apply_policy "$NS_C" names
[ -z "$HOOK_ERR" ] && t_ok "apply says nothing on success" || t_fail "apply printed: $HOOK_ERR"
for _ in $(seq 1 50); do grep -q applied "$T_DIR/log" 2>/dev/null && break; sleep 0.05; done
id=$(sed -n 's/.*"id":"\([^"]*\)".*/\1/p' "$T_DIR/hook.state")
if grep -Eq "^<30>oci-fw-hook\[[0-9]+\]: applied container=$id policy=names sha256=[0-9a-f]{16} mode=enforce rules=[1-9][0-9]* elements=[1-9][0-9]* elapsed_us=[0-9]+$" "$T_DIR/log"; then
	t_ok "the record: $(grep applied "$T_DIR/log")"
else
	t_fail "no applied record for container $id: $(cat "$T_DIR/log")"
fi
pid=$FC_PID

check_probes names "
reach   tcp  NS_C $S4 8080
blocked tcp  NS_C $S4 80
"
show_json=$("$OCI_FW_HOOK" show --json --pid "$pid" 2>&1)
rule() { # rule CHAIN SOURCE-PREFIX FIELD
	jq -r --arg c "$1" --arg s "$2" --arg f "$3" \
		'.chains[$c].rules[] | select(.source | startswith($s)) | .[$f]' <<<"$show_json" | head -n1
}
[ "$(jq -r .policy <<<"$show_json")" = names ] && t_ok "show --json: policy names" ||
	t_fail "show --json: $show_json"
[ "$(jq -r .mode <<<"$show_json")" = enforce ] && t_ok "show --json: mode enforce" || t_fail "mode: $show_json"
[ "$(rule egress egress.default verdict)" = reject ] && t_ok "the default rejects" || t_fail "default: $show_json"
[ "$(rule egress egress.default packets)" -ge 1 ] 2>/dev/null && t_ok "the blocked connection counts on the default" ||
	t_fail "no packets on egress.default: $show_json"
[ "$(rule egress 'egress.allow[1] to api.test.example tcp dport 8080' packets)" -ge 1 ] 2>/dev/null &&
	t_ok "the allowed connection counts on egress.allow[1], named by its hostname" ||
	t_fail "egress.allow[1]: $show_json"
text=$("$OCI_FW_HOOK" show --pid "$pid" 2>&1)
grep -q '^policy names, sha256:[0-9a-f]\{16\}, mode enforce' <<<"$text" && t_ok "show names the policy" ||
	t_fail "show: $text"

# refresh: the name moves to the second address; then the record goes.
ip -n "$NS_S" addr add 198.51.100.4/32 dev s0
ip -n "$NS_C" route add 198.51.100.4/32 via "$S4" dev c0
printf 'api.test.example 198.51.100.4\n' >"$T_DIR/zone"
out=$("$OCI_FW_HOOK" refresh --pid "$pid" 2>&1)
rc=$?
[ "$rc" = 0 ] && grep -q "1 of 1 hostnames refreshed" <<<"$out" && t_ok "refresh: $out" ||
	t_fail "refresh: exit $rc: $out"
check_probes refreshed "
reach   tcp  NS_C 198.51.100.4 8080
blocked tcp  NS_C $S4 8080
"
: >"$T_DIR/zone"
out=$("$OCI_FW_HOOK" refresh --pid "$pid" 2>&1)
rc=$?
[ "$rc" = 0 ] && grep -q "0 of 1" <<<"$out" && grep -q 'warning: api.test.example' <<<"$out" &&
	t_ok "refresh of a name gone: warns, keeps it" || t_fail "refresh: exit $rc: $out"
check_probes kept "
reach   tcp  NS_C 198.51.100.4 8080
"
out=$("$OCI_FW_HOOK" refresh --pid 999999999 2>&1)
[ $? = 1 ] && t_ok "refresh of no process fails: $out" || t_fail "refresh --pid 999999999: $out"

# audit: the default would drop, and does not.
ns_add a NS_A
ip link add a0 netns "$NS_A" type veth peer name s1 netns "$NS_S"
ip -n "$NS_A" addr add 198.51.100.9/32 dev a0
ip -n "$NS_A" link set a0 up
ip -n "$NS_S" link set s1 up
ip -n "$NS_A" route add "$S4/32" dev a0
ip -n "$NS_S" route add 198.51.100.9/32 dev s1
FC_WORDS=()
apply_policy "$NS_A" audit
check_probes audit "
reach   tcp  NS_A $S4 80
"
show_json=$("$OCI_FW_HOOK" show --json --pid "$FC_PID" 2>&1)
[ "$(jq -r .mode <<<"$show_json")" = audit ] && t_ok "show --json: mode audit" || t_fail "audit: $show_json"
[ "$(rule egress egress.default enforced)" = false ] && [ "$(rule egress egress.default verdict)" = drop ] &&
	[ "$(rule egress egress.default packets)" -ge 1 ] 2>/dev/null &&
	t_ok "audit: egress.default would drop, counted, not enforced" || t_fail "audit: $show_json"
own='egress.allow[1] to 192.0.2.0/24, 198.51.100.7, 203.0.113.1, 203.0.113.3 (+1), 2001:db8::1 tcp dport 443,8000-8100'
[ "$(rule egress "$own" verdict)" = accept ] &&
	t_ok "a rule's own addresses read back from its sets (four, then +N) and its port set" ||
	t_fail "own addresses: $show_json"
grep -q 'would drop' <<<"$("$OCI_FW_HOOK" show --pid "$FC_PID")" && t_ok "show says: would drop" ||
	t_fail "show: $("$OCI_FW_HOOK" show --pid "$FC_PID" 2>&1)"

# A bare number is a podman container name (podman allows names of digits),
# never a PID: with a podman that knows container "$pid" as the audit
# container, show and refresh answer for that one; with a podman that
# knows no such container, they refuse and point at --pid.
mkdir -p "$T_DIR/bin"
printf '#!/bin/sh\n[ "$*" = "inspect --format {{.State.Pid}} -- %s" ] || { echo "no such container" >&2; exit 125; }\necho %s\n' \
	"$pid" "$FC_PID" >"$T_DIR/bin/podman"
chmod +x "$T_DIR/bin/podman"
out=$(PATH="$T_DIR/bin:$PATH" "$OCI_FW_HOOK" show "$pid" 2>&1)
grep -q '^policy audit,' <<<"$out" && t_ok "show $pid: the container named $pid (audit), not pid $pid (names)" ||
	t_fail "show $pid read something else: $out"
out=$(PATH="$T_DIR/bin:$PATH" "$OCI_FW_HOOK" show "$FC_PID" 2>&1)
[ $? = 1 ] && grep -q 'no such container.*--pid' <<<"$out" && ! grep -q '^policy' <<<"$out" &&
	t_ok "show NUMBER that no container is named: refused, pointing at --pid: $out" ||
	t_fail "show $FC_PID (no such name): $out"
out=$(PATH="$T_DIR/bin:$PATH" "$OCI_FW_HOOK" refresh "$FC_PID" 2>&1)
[ $? = 1 ] && grep -q 'no such container.*--pid' <<<"$out" &&
	t_ok "refresh NUMBER that no container is named: refused: $out" || t_fail "refresh $FC_PID: $out"
out=$("$OCI_FW_HOOK" show --pid "$FC_PID" extra 2>&1)
[ $? = 1 ] && grep -q 'exactly one CONTAINER' <<<"$out" && t_ok "show --pid with a CONTAINER too: refused" ||
	t_fail "show --pid PID extra: $out"
out=$("$OCI_FW_HOOK" show --pid 12x 2>&1)
[ $? = 1 ] && grep -q 'not a PID' <<<"$out" && t_ok "show --pid 12x: not a PID" || t_fail "show --pid 12x: $out"

# show of a namespace without the table
fake_container "$NS_S"
out=$("$OCI_FW_HOOK" show --pid "$FC_PID" 2>&1)
[ $? = 1 ] && grep -q 'holds no table inet oci_fw' <<<"$out" && t_ok "show without a table: $out" ||
	t_fail "show without a table: $out"
t_finish
