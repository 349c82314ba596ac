#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# rootless-reload-ps.sh: a rootless container's policy (the user's own file) is edited; `oci-fw-hook ps --json` run by root lists the container under the user's uid as drifted (the file compiled again with the user's rights and directory), and so does the user's own `ps`; the user's `reload NAME` (through podman unshare) loads the new file: the new rule holds, the old one is gone; afterwards ps says not drifted.

. "$(dirname "$0")/../lib/rootless.sh"
rl_init
rl_server

printf '{"egress": {"default": "drop", "allow": [{"proto": "tcp", "to": ["%s"], "ports": [%s]}]}}\n' "$S4" 80 >"$T_DIR/v1.json"
printf '{"egress": {"default": "drop", "allow": [{"proto": "tcp", "to": ["%s"], "ports": [%s]}]}}\n' "$S4" 443 >"$T_DIR/v2.json"
rl_policy "$T_DIR/v1.json" rlp

PM_N=$((PM_N + 1))
NAME="ofw-$T_TAG-$PM_N"
PM_NAMES+=("$NAME")
rl_podman_timeout 120 run -d --read-only --name "$NAME" --annotation fw.policy=rlp --rootfs "$RL_ROOTFS" \
	/bin/sleep 300 >/dev/null 2>"$T_DIR/start.err" || t_die "rootless podman run -d failed: $(cat "$T_DIR/start.err")"
# probes WHAT OPEN SHUT
probes() {
	local out
	out=$(rl_podman_timeout 30 exec "$NAME" /bin/sh -c "$(pm_tcp_probe a "$S4" "$2")$(pm_tcp_probe b "$S4" "$3")" 2>&1)
	[ "$(sed -n 's/^a=//p' <<<"$out")" = reach ] && [ "$(sed -n 's/^b=//p' <<<"$out")" = blocked ] &&
		t_ok "$1: $2 reached, $3 blocked" || t_fail "$1: expected $2 reach and $3 blocked, got: $out"
}
probes "version 1" 80 443
# jqc WHAT JSON FILTER
jqc() { jq -e --arg n "$NAME" "$3" >/dev/null 2>&1 <<<"$2" && t_ok "$1" || t_fail "$1: '$3' does not hold for: $2"; }

rl_policy "$T_DIR/v2.json" rlp
out=$(timeout 120 "$RL_HOOK" ps --json 2>"$T_DIR/ps.err")
jqc "root's ps: $NAME listed under uid $RL_UID, policy rlp, drifted" "$out" \
	".[] | select(.name == \$n) | .engine == \"podman\" and .user == $RL_UID and .policy == \"rlp\" and .drifted == true"
out=$(RL_TMO=120 rl_as "$RL_HOOK" ps --json 2>"$T_DIR/ps.err")
jqc "the user's ps: $NAME drifted" "$out" '.[] | select(.name == $n) | .policy == "rlp" and .drifted == true'

out=$(RL_TMO=120 rl_as "$RL_HOOK" reload --syslog-socket none "$NAME" 2>"$T_DIR/rl.err")
rc=$?
[ "$rc" -eq 0 ] && grep -q "^reloaded container=[0-9a-f]* name=$NAME policy=rlp " <<<"$out" &&
	t_ok "the user's reload: $out" || t_fail "the user's reload: exit $rc, stdout: $out, stderr: $(cat "$T_DIR/rl.err")"
probes "after reload" 443 80
out=$(RL_TMO=120 rl_as "$RL_HOOK" ps --json 2>"$T_DIR/ps.err")
jqc "the user's ps after reload: not drifted" "$out" '.[] | select(.name == $n) | .drifted == false and .fail_open == false'
t_finish
