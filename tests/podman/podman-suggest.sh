#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# podman-suggest.sh: `watch --json CONTAINER` (by podman name) records what an audit-mode container does, each record within 5 s; `suggest` drafts a policy from it that names the hostname the container's table resolved (and lets DNS to its nameservers out, so the name resolves), keeps private and public addresses apart, folds ports, and passes `check` and the JSON schema; a fresh container under the draft reaches exactly those flows, and another is blocked.

. "$(dirname "$0")/../lib/podman.sh"
pm_init
pm_server
echo "api.test.example $S4" >"$T_DIR/zone"
pm_dns_server "$T_DIR/zone"
mkdir -p "$T_DIR/pol"
cat >"$T_DIR/pol/sug-audit.json" <<'JSON'
{ "mode": "audit",
  "egress": { "default": "drop", "deny": [ { "to": ["api.test.example"], "comment": "named" } ] },
  "ingress": { "default": "drop" } }
JSON
PM_HOOK_ARGS=(--policy-dir "$T_DIR/pol")
pm_write_hook_json "$PM_HOOKS/oci-fw-hook.json"
# no IPv6: its link's MLD reports would be flows too
NOV6=(--sysctl net.ipv6.conf.all.disable_ipv6=1)
# wait_name: the running container's hostname set holds the address (podman
# 5 writes resolv.conf after the hook: its companion fills the set later).
wait_name() {
	for _ in $(seq 1 100); do
		nsenter -t "$PM_PID" -n nft list set inet oci_fw sym.name0_v4 2>/dev/null | grep -q "$S4" && return 0
		sleep 0.1
	done
	t_fail "api.test.example did not resolve in $PM_NAME within 10 s"
}
flows="$(pm_tcp_probe tcp80 "$S4" 80)$(pm_tcp_probe tcp443 "$S4" 443)$(pm_udp_probe udp69 "$PM_PRIV4" 69)"

# start_watched POLICY REC: a container under POLICY and, by its name,
# `watch --json` recording into REC (its stderr in REC.err)
start_watched() {
	pm_start "${NOV6[@]}" --dns "$PM_DNS4" --annotation fw.policy="$1" ||
		t_die "container under $1: podman exit $PM_RC: $PM_ERR"
	wait_name
	timeout 120 "$OCI_FW_HOOK" watch --json "$PM_NAME" >"$2" 2>"$2.err" </dev/null &
	watch_pid=$!
	t_track_pid "$watch_pid"
	for _ in $(seq 1 100); do grep -q watching "$2.err" && break; sleep 0.05; done
}

start_watched sug-audit "$T_DIR/rec"
grep -q watching "$T_DIR/rec.err" && t_ok "watch $PM_NAME (by name) listens" ||
	t_die "watch $PM_NAME: $(cat "$T_DIR/rec.err")"
t0=$(date +%s%N)
pm_exec "audit: three flows" "$flows"
pm_expect tcp80 reach
pm_expect tcp443 reach
pm_expect udp69 reach
for _ in $(seq 1 100); do [ "$(wc -l <"$T_DIR/rec")" -ge 3 ] && break; sleep 0.05; done
ms=$((($(date +%s%N) - t0) / 1000000))
jq -se 'any(.[]; .rule == "egress.deny[0]" and .action == "audit-drop" and .dst == "'"$S4"'" and .dport == 80)' "$T_DIR/rec" >/dev/null &&
	t_ok "watch by name: the audited flow to api.test.example:80, by the rule that would drop it ($ms ms for all three, at most 5 s + the probes)" ||
	t_fail "watch records: $(cat "$T_DIR/rec")"
kill "$watch_pid"

out=$("$OCI_FW_HOOK" suggest --from "$T_DIR/rec" "$PM_NAME" 2>&1 >"$T_DIR/pol/suggested.json")
[ $? = 0 ] && t_ok "suggest: exit 0" || t_die "suggest: $out"
sug=$(cat "$T_DIR/pol/suggested.json")
jq -e '.egress.allow | any(.to == ["api.test.example"] and .proto == "tcp" and .ports == [80, 443] and .comment == "2 flows seen")' <<<"$sug" >/dev/null &&
	t_ok "the hostname, its two ports, two flows" || t_fail "no api.test.example rule: $sug"
jq -e '.egress.allow | any(.to == ["'"$PM_PRIV4"'"] and .proto == "udp" and .ports == [69] and (.comment | endswith("private addresses")))' <<<"$sug" >/dev/null &&
	t_ok "the private address apart" || t_fail "no private rule: $sug"
jq -e '.egress.default == "reject" and (has("ingress") | not)' <<<"$sug" >/dev/null &&
	t_ok "egress rejects the rest; no ingress seen, none drafted" || t_fail "defaults: $sug"
# podman 5's companion resolves the name late, from inside, through egress
jq -e '.egress.allow | any(.to == ["dns"])' <<<"$sug" >/dev/null &&
	t_ok "a hostname brings DNS to the container's nameservers" || t_fail "no dns rule: $sug"
out=$("$OCI_FW_HOOK" check "$T_DIR/pol/suggested.json" 2>&1)
grep -q ": ok$" <<<"$out" && t_ok "check: $out" || t_fail "check: $out"
python3 - "$POLICIES/schema/policy.schema.json" "$T_DIR/pol/suggested.json" <<'PY' && t_ok "valid against the schema" || t_fail "schema: $sug"
import json, sys, jsonschema
jsonschema.Draft202012Validator(json.load(open(sys.argv[1]))).validate(json.load(open(sys.argv[2])))
PY

start_watched suggested "$T_DIR/rec2"
pm_exec "the draft" "$flows$(pm_tcp_probe tcp8080 "$S4" 8080)$(pm_tcp_probe tcp22 "$S4" 22)"
pm_expect tcp80 reach
pm_expect tcp443 reach
pm_expect udp69 reach
pm_expect tcp8080 blocked
pm_expect tcp22 blocked
for _ in $(seq 1 100); do [ "$(wc -l <"$T_DIR/rec2")" -ge 2 ] && break; sleep 0.05; done
kill "$watch_pid"
jq -se '[.[] | .dport] | sort == [22, 8080]' "$T_DIR/rec2" >/dev/null &&
	t_ok "watch: the draft blocked 8080 and 22 and nothing else" || t_fail "the draft's blocks: $(cat "$T_DIR/rec2")"
t_finish
