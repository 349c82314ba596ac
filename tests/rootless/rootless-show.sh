#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# rootless-show.sh: `oci-fw-hook show [--json] NAME` run by the user of a rootless container (it looks the name up with podman inspect and runs itself again under `podman unshare`, where the container's netns is reachable): policy denyall, and the egress default counts a blocked connection; a container without a firewall exits 1 with the "holds no table" line.

. "$(dirname "$0")/../lib/rootless.sh"
rl_init
rl_server
rl_policy "$POLICIES/denyall.json" denyall

# rl_start WHAT [PODMAN-RUN-OPTIONS...]: a detached rootless container;
# sets NAME and PID (the host's)
rl_start() {
	local what=$1
	shift
	PM_N=$((PM_N + 1))
	NAME="ofw-$T_TAG-$PM_N"
	PM_NAMES+=("$NAME")
	rl_podman_timeout 120 run -d --read-only --name "$NAME" "$@" --rootfs "$RL_ROOTFS" \
		/bin/sleep 300 >/dev/null 2>"$T_DIR/start.err" ||
		t_die "$what: rootless podman run -d failed: $(cat "$T_DIR/start.err")"
	PID=$(rl_podman_timeout 30 inspect -f '{{.State.Pid}}' "$NAME")
	[[ $PID =~ ^[1-9][0-9]*$ ]] && t_ok "$what: detached container $NAME, pid $PID" ||
		t_die "$what: no pid for $NAME: '$PID'"
}
# show_run ARG...: `oci-fw-hook show ARG...` as the user; sets SH_RC,
# SH_OUT, SH_ERR
show_run() {
	SH_OUT=$(RL_TMO=30 rl_as "$RL_HOOK" show "$@" 2>"$T_DIR/show.err")
	SH_RC=$?
	SH_ERR=$(<"$T_DIR/show.err")
}

# no IPv6: the container's link then sends nothing by itself that the
# default would count while the test looks (`default` too: under pasta,
# podman 5's default, the link comes up after the OCI sysctls, and IPv6
# MLD reports reach the default right after the start). Only the test's
# own traffic may count: wait (bounded) until the default's counter has
# held for a second.
rl_start "denyall" --sysctl net.ipv6.conf.all.disable_ipv6=1 --sysctl net.ipv6.conf.default.disable_ipv6=1 \
	--annotation fw.policy=denyall
rl_default_settled "$PID" >/dev/null || t_log "note: the egress default's counter did not settle"

show_run --json "$NAME"
[ "$SH_RC" -eq 0 ] && t_ok "show --json $NAME as $RL_USER: exit 0" ||
	t_fail "show --json $NAME as $RL_USER: exit $SH_RC, stdout: $SH_OUT, stderr: $SH_ERR"
jq_check "policy denyall, mode enforce" '.policy == "denyall" and .mode == "enforce"'
jq_check "egress ends with egress.default, reject, enforced" \
	'.chains.egress.rules[-1] | .source == "egress.default" and .verdict == "reject" and .enforced == true'
pk0=$(jq '.chains.egress.rules[-1].packets' <<<"$SH_OUT" 2>/dev/null)
[[ $pk0 =~ ^[0-9]+$ ]] || pk0=-1

out=$(rl_podman_timeout 30 exec "$NAME" /bin/sh -c "$(pm_tcp_probe tcp80 "$S4" 80)" 2>"$T_DIR/exec.err")
[ "$(sed -n 's/^tcp80=//p' <<<"$out")" = blocked ] && t_ok "nc to $S4:80: blocked" ||
	t_fail "nc to $S4:80: expected blocked, got '$out' ($(cat "$T_DIR/exec.err"))"

show_run --json "$NAME"
[ "$SH_RC" -eq 0 ] && t_ok "show --json after the connection: exit 0" ||
	t_fail "show --json after the connection: exit $SH_RC: $SH_ERR"
jq_check "egress.default counted the blocked SYN ($pk0 + 1 packets)" \
	".chains.egress.rules[-1] | .source == \"egress.default\" and .packets == $pk0 + 1 and .bytes > 0"

# the same by PID (the host's), and as text
show_run --json --pid "$PID"
jq_check "show --json $PID: the same policy and count" \
	".policy == \"denyall\" and (.chains.egress.rules[-1].packets == $pk0 + 1)"
show_run "$NAME"
[[ $SH_RC -eq 0 && $(head -n1 <<<"$SH_OUT") =~ ^policy\ denyall,\ sha256:[0-9a-f]{16},\ mode\ enforce$ ]] &&
	t_ok "show $NAME (text): $(head -n1 <<<"$SH_OUT")" ||
	t_fail "show $NAME (text): exit $SH_RC, stdout: $SH_OUT, stderr: $SH_ERR"
grep -Eq "^[[:space:]]+egress\.default[[:space:]]+reject[[:space:]]+$((pk0 + 1))[[:space:]]+[0-9]+\$" <<<"$SH_OUT" &&
	t_ok "text: egress.default reject $((pk0 + 1))" || t_fail "text: no 'egress.default reject $((pk0 + 1))' line: $SH_OUT"

# a rootless container without fw.policy
rl_start "no policy"
show_run "$NAME"
[ "$SH_RC" -eq 1 ] && [ -z "$SH_OUT" ] && grep -q 'holds no table inet oci_fw: it runs without a firewall' <<<"$SH_ERR" &&
	t_ok "no policy: exit 1, $SH_ERR" ||
	t_fail "no policy: expected exit 1 and the 'holds no table' line, got exit $SH_RC, stdout: $SH_OUT, stderr: $SH_ERR"
t_finish
