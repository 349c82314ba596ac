#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# podman-ps.sh: `oci-fw-hook ps [--json]` lists running rootful podman containers with policy, digest (the table comment's), mode and the egress default's counters (a blocked connection counts); after an edit of one policy file only its containers are "drifted"; a container whose fw.policy names a policy but whose namespace lost its table is flagged fail-open (loud line, exit 1); CRI-O's containers come from a fake OCI runtime state dir (runc's ID/state.json with init_process_pid and a bundle= label; crun's ID/status with pid and bundle; config.json annotated io.container.manager=cri-o; sandboxes left out).

. "$(dirname "$0")/../lib/podman.sh"
pm_init
pm_server

pm_policy_dir
printf '{"egress": {"default": "reject", "allow": [{"proto": "tcp", "to": ["%s"], "ports": [8080]}]}}\n' "$S4" >"$POL/ps1.json"
cp "$POLICIES/denyall.json" "$POL/ps2.json"
RT="$T_DIR/runtime"
mkdir -p "$RT"
# ps_run ARG...: sets PS_RC, PS_OUT, PS_ERR
ps_run() {
	PS_OUT=$(timeout 120 "$OCI_FW_HOOK" ps --policy-dir "$POL" --runtime-root "$RT/runc" --runtime-root "$RT/crun" "$@" 2>"$T_DIR/ps.err")
	PS_RC=$?
	PS_ERR=$(<"$T_DIR/ps.err")
}
# row NAME FILTER: FILTER holds for NAME's row of the last ps --json
row() {
	if jq -e --arg n "$1" "[.[] | select(.name == \$n)] | length == 1 and (.[0] | $2)" >/dev/null 2>&1 <<<"$PS_OUT"; then
		t_ok "$1: $2"
	else
		t_fail "$1: '$2' does not hold: $(jq -c --arg n "$1" '.[] | select(.name == $n)' <<<"$PS_OUT" 2>&1) (stderr: $PS_ERR)"
	fi
}

NOV6=(--sysctl net.ipv6.conf.all.disable_ipv6=1)
pm_start "${NOV6[@]}" --annotation fw.policy=ps1 || t_die "A did not start: $PM_ERR"
A=$PM_NAME
pm_start "${NOV6[@]}" --annotation fw.policy=ps2 || t_die "B did not start: $PM_ERR"
B=$PM_NAME
pm_start "${NOV6[@]}" || t_die "C did not start: $PM_ERR"
C=$PM_NAME

ps_run --json
[ "$PS_RC" -eq 0 ] && t_ok "ps --json: exit 0 (nothing fail-open)" || t_fail "ps --json: exit $PS_RC: $PS_ERR"
sha_a=$(nsenter -t "$(podman inspect -f '{{.State.Pid}}' "$A")" -n nft list table inet oci_fw |
	sed -n 's/^[[:space:]]*comment "ps1 sha256:\([0-9a-f]\{16\}\) .*/\1/p')
row "$A" ".engine == \"podman\" and .user == 0 and .policy == \"ps1\" and .sha256 == \"$sha_a\" and .mode == \"enforce\" and .drifted == false and .fail_open == false"
row "$B" '.policy == "ps2" and .annotation == "ps2" and .drifted == false'
row "$C" '.firewall == false and .annotation == null and .fail_open == false'
pk0=$(jq --arg n "$A" '.[] | select(.name == $n) | .egress_default.packets' <<<"$PS_OUT")
[[ $pk0 =~ ^[0-9]+$ ]] || t_fail "$A: no egress_default packets in: $PS_OUT"
PM_NAME=$A pm_exec "$A: nc to $S4:80" "$(pm_tcp_probe p80 "$S4" 80)"
pm_expect p80 blocked

# an edit of ps1: A drifted, B not
printf '{"egress": {"default": "reject", "allow": [{"proto": "tcp", "to": ["%s"], "ports": [443]}]}}\n' "$S4" >"$POL/ps1.json"
ps_run --json
row "$A" ".drifted == true and (.drift | test(\"sha256:[0-9a-f]{16}\")) and .sha256 == \"$sha_a\""
row "$A" ".egress_default.packets == $pk0 + 1 and .egress_default.bytes > 0"
row "$B" '.drifted == false'

# fail-open: B's table is gone (as if the hook had not run)
nsenter -t "$(podman inspect -f '{{.State.Pid}}' "$B")" -n nft delete table inet oci_fw || t_die "cannot delete B's table"
ps_run
[ "$PS_RC" -eq 1 ] && t_ok "ps: exit 1 with a fail-open container" || t_fail "ps: exit $PS_RC with a fail-open container"
grep -q "^!!! FAIL-OPEN: podman $B (pid [0-9]*): fw.policy=ps2 but its network namespace holds no table inet oci_fw" <<<"$PS_OUT" &&
	t_ok "the loud line: $(grep FAIL-OPEN <<<"$PS_OUT")" || t_fail "no FAIL-OPEN line for $B: $PS_OUT"
grep -q "container(s) named a policy and run WITHOUT a firewall" <<<"$PS_ERR" && t_ok "stderr says it too" ||
	t_fail "stderr: $PS_ERR"
grep -Eq "^podman +0 +$A +ps1 +$sha_a +enforce +yes +[0-9]+/[0-9]+B" <<<"$PS_OUT" && t_ok "text row of $A" ||
	t_fail "no text row 'podman 0 $A ps1 $sha_a enforce yes N/NB': $PS_OUT"

# CRI-O: a fake runtime state of two containers and a sandbox, each a
# process in a netns of this test's own
ns_add crio1 NS_C1
ns_add crio2 NS_C2
crio_bundle() { # crio_bundle DIR TYPE NAME [POLICY]
	local ann
	ann=$(jq -cn --arg t "$2" --arg n "$3" --arg p "${4:-}" '{"io.container.manager": "cri-o",
		"io.kubernetes.cri-o.ContainerType": $t, "io.kubernetes.container.name": $n} +
		(if $p == "" then {} else {"fw.policy": $p} end)')
	mkdir -p "$1"
	jq -n --argjson a "$ann" '{ociVersion: "1.0.2", annotations: $a}' >"$1/config.json"
}
fake_container "$NS_C1"
c1_pid=$FC_PID
crio_bundle "$T_DIR/b1" container web-$T_TAG ps2
mkdir -p "$RT/runc/c1-$T_TAG"
jq -n --argjson p "$c1_pid" --arg b "$T_DIR/b1" '{id: "c1", init_process_pid: $p, config: {labels: ["bundle=" + $b]}}' \
	>"$RT/runc/c1-$T_TAG/state.json"
"$OCI_FW_HOOK" print "$POL/ps2.json" | ip netns exec "$NS_C1" nft -f - || t_die "cannot load ps2 into $NS_C1"
fake_container "$NS_C2"
crio_bundle "$T_DIR/b2" container db-$T_TAG ps2
mkdir -p "$RT/crun/c2-$T_TAG"
jq -n --argjson p "$FC_PID" --arg b "$T_DIR/b2" '{pid: $p, bundle: $b}' >"$RT/crun/c2-$T_TAG/status"
crio_bundle "$T_DIR/b3" sandbox sandbox-$T_TAG ps2
mkdir -p "$RT/runc/s-$T_TAG"
jq -n --argjson p "$FC_PID" --arg b "$T_DIR/b3" '{id: "s", init_process_pid: $p, config: {labels: ["bundle=" + $b]}}' \
	>"$RT/runc/s-$T_TAG/state.json"
ps_run --json
row "web-$T_TAG" ".engine == \"cri-o\" and .pid == $c1_pid and .policy == \"ps2\" and .drifted == false and .fail_open == false"
row "db-$T_TAG" '.engine == "cri-o" and .firewall == false and .fail_open == true'
jq -e --arg n "sandbox-$T_TAG" '[.[] | select(.name == $n)] | length == 0' >/dev/null <<<"$PS_OUT" &&
	t_ok "the sandbox is not listed" || t_fail "the sandbox is listed: $PS_OUT"
t_finish
