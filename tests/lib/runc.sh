# SPDX-License-Identifier: GPL-2.0-or-later
# runc.sh: sourced helpers for tests that run the hook the way CRI-O (or any
# OCI runtime) does: `runc run` on a hand-made OCI bundle whose config.json
# lists the hook under hooks.createRuntime. No podman.
# shellcheck shell=bash
#
# Builds on netns.sh (t_init, namespaces, servers, checks) and podman.sh
# (the busybox rootfs and the container-side probe snippets). Per test, in
# T_DIR:
#   rootfs/      a busybox-static rootfs, shared read-only by every bundle
#   runc-root/   runc's state directory (--root), so that nothing of the
#                test mixes with other runc users of the machine
#   b-N/         one bundle per rc_bundle call
# The container's network namespace is one the test made with `ip netns add`
# (netns.sh topo_pair: 198.51.100.1 in NS_C, the server 198.51.100.2 in NS_S,
# not connected to the host), named in config.json by path, as CRI-O names
# the pod's netns; so the suite can run beside others.

. "$(dirname "${BASH_SOURCE[0]}")/podman.sh"

RC_N=0
RC_IDS=()

# rc_init [NAME]: t_init, runc and busybox present, rootfs and state dir.
rc_init() {
	t_init "$@"
	t_need_hook
	umask 022
	command -v runc >/dev/null || t_die "runc is not installed"
	[ -x /bin/busybox ] || t_die "busybox-static (/bin/busybox) is not installed"
	RC_ROOT="$T_DIR/runc-root"
	RC_ROOTFS="$T_DIR/rootfs"
	mkdir -p "$RC_ROOT"
	pm_make_rootfs "$RC_ROOTFS"
	RC_SPEC="$T_DIR/spec.json"
	(cd "$T_DIR" && runc spec) || t_die "runc spec failed"
	mv "$T_DIR/config.json" "$RC_SPEC"
	t_on_exit rc_cleanup
}

# rc_server: the topology (NS_C container side, NS_S server side) with TCP
# "ok" servers on 80 and 8080 and a TFTP-like UDP responder on 69 (busybox
# in the container has nc for TCP and tftp for UDP).
rc_server() {
	local p
	topo_pair
	for p in 80 8080; do
		srv_tcp "$NS_S" 0.0.0.0 "$p"
	done
	udp_responder "$T_DIR/tftp-reply" "printf '\\000\\003\\000\\001ok\\n'"
	ip netns exec "$NS_S" socat "UDP4-RECVFROM:69,bind=$S4,reuseaddr,fork" \
		"EXEC:$T_DIR/tftp-reply" </dev/null >>"$T_DIR/servers.log" 2>&1 &
	t_track_pid $!
	wait_listen "$NS_S" udp "$S4" 69
}

# The probes the container runs: TCP 80, TCP 8080, UDP 69 to the server.
RC_PROBES="$(pm_tcp_probe tcp80 "$S4" 80)$(pm_tcp_probe tcp8080 "$S4" 8080)$(pm_udp_probe udp69 "$S4" 69)"

# rc_json_array WORD...: a JSON array of strings (jq --args would take a
# word such as --policy-dir as its own option). Words hold no NUL. jq 1.6
# drops a trailing NUL from raw input; newer versions keep it.
rc_json_array() {
	[ $# -gt 0 ] || { echo '[]'; return; }
	printf '%s\0' "$@" | jq -cRs '. as $s | split("\u0000")
		| if ($s | endswith("\u0000")) then .[:-1] else . end'
}

# rc_bundle [OPTION...] -- CMD...: writes a bundle from `runc spec` and sets
# RC_BUNDLE. Options:
#   netns=NAME       linux.namespaces network entry with path /run/netns/NAME
#   hostnet          no network namespace at all (the host's network)
#   ann=KEY=VALUE    an annotation in config.json (runc passes them in the
#                    state it gives the hook); repeatable
#   arg=ARG          one more argument after `oci-fw-hook apply`; repeatable
#                    (none: the shipped and test policy directories)
#   cap=CAP_X        CAP_X added to every capability set; repeatable
#   nohook           no hooks at all
#   hookpath=PATH    the hook's path (default $OCI_FW_HOOK), e.g. a wrapper
# The hook: {"path": $OCI_FW_HOOK, "args": ["oci-fw-hook", "apply", ARGS...],
# "timeout": 20} under hooks.createRuntime, exactly what CRI-O writes from
# hooks.d. The rootfs is read-only, with a tmpfs on /tmp.
rc_bundle() {
	local netns='' hostnet=0 hook=1 anns=() args=() caps=() cmd=() o hookpath=$OCI_FW_HOOK
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		o=$1
		shift
		case $o in
		netns=*) netns=${o#netns=} ;;
		hostnet) hostnet=1 ;;
		ann=*) anns+=("${o#ann=}") ;;
		arg=*) args+=("${o#arg=}") ;;
		cap=*) caps+=("${o#cap=}") ;;
		nohook) hook=0 ;;
		hookpath=*) hookpath=${o#hookpath=} ;;
		*) t_die "rc_bundle: unknown option $o" ;;
		esac
	done
	[ "${1:-}" = -- ] && shift
	cmd=("$@")
	[ ${#cmd[@]} -gt 0 ] || cmd=(/bin/sh -c "$RC_PROBES")
	[ ${#args[@]} -gt 0 ] || args=(--policy-dir "$POLICIES" --policy-dir "$TEST_POLICIES")
	RC_N=$((RC_N + 1))
	RC_BUNDLE="$T_DIR/b-$RC_N"
	mkdir -p "$RC_BUNDLE"
	jq --arg rootfs "$RC_ROOTFS" --arg netns "$netns" --argjson hostnet "$hostnet" \
		--argjson hook "$hook" --arg hookpath "$hookpath" \
		--argjson cmd "$(rc_json_array "${cmd[@]}")" \
		--argjson args "$(rc_json_array "${args[@]}")" \
		--argjson caps "$(rc_json_array "${caps[@]}")" \
		--argjson anns "$(rc_json_array "${anns[@]}" | jq -c 'map(index("=") as $i
			| {key: .[:$i], value: .[$i+1:]}) | from_entries')" '
		.root = {path: $rootfs, readonly: true}
		| .process.terminal = false
		| .process.args = $cmd
		| .process.capabilities |= map_values(. + $caps | unique)
		| .mounts += [{destination: "/tmp", type: "tmpfs", source: "tmpfs",
		               options: ["nosuid", "nodev", "mode=1777", "size=1m"]}]
		| .linux.namespaces |= (map(select(.type != "network"))
			+ (if $hostnet == 1 then [] elif $netns != ""
			   then [{type: "network", path: ("/run/netns/" + $netns)}]
			   else [{type: "network"}] end))
		| if $hook == 1 then .hooks = {createRuntime: [{path: $hookpath,
			args: (["oci-fw-hook", "apply"] + $args), timeout: 20}]} else . end
		| if ($anns | length) > 0 then .annotations = $anns else . end
		' "$RC_SPEC" >"$RC_BUNDLE/config.json" || t_die "rc_bundle: jq failed"
}

# rc_run [-d]: `runc run` of the last bundle (foreground; -d detached, for a
# long-lived "infra" container); sets RC_RC, RC_OUT, RC_ERR, RC_ID.
rc_run() {
	local detach=()
	[ "${1:-}" = -d ] && detach=(--detach)
	RC_ID="ofw-$T_TAG-$RC_N"
	RC_IDS+=("$RC_ID")
	timeout 60 runc --root "$RC_ROOT" run "${detach[@]}" --bundle "$RC_BUNDLE" "$RC_ID" \
		</dev/null >"$T_DIR/$RC_ID.out" 2>"$T_DIR/$RC_ID.err"
	RC_RC=$?
	RC_OUT=$(cat "$T_DIR/$RC_ID.out")
	RC_ERR=$(cat "$T_DIR/$RC_ID.err")
	# a foreground container is gone now; runc deletes it unless it failed
	[ ${#detach[@]} -gt 0 ] || runc --root "$RC_ROOT" delete --force "$RC_ID" >/dev/null 2>&1
	return $RC_RC
}

# rc_expect NAME reach|blocked: one check on the output of the last rc_run.
rc_expect() {
	local got
	got=$(sed -n "s/^$1=//p" <<<"$RC_OUT" | head -n1)
	if [ "$got" = "$2" ]; then
		t_ok "$1: $got"
	else
		t_fail "$1: expected $2, got ${got:-nothing} (runc exit $RC_RC; stdout: $RC_OUT; stderr: $RC_ERR)"
	fi
}

# rc_check_ran DESCRIPTION: the last rc_run succeeded (the container ran).
rc_check_ran() { check_run_ran "$1" runc "$RC_RC" "$RC_ERR"; }

# rc_check_refused DESCRIPTION ERE...: the last rc_run failed, the
# container's process never printed anything, and runc's error carries one
# "oci-fw-hook: " line matching every ERE.
rc_check_refused() {
	check_run_refused "$1" runc "$RC_RC" "$RC_OUT" "$RC_ERR" "${@:2}"
}

# rc_comment NS: the comment of table inet oci_fw in NS (empty: no table).
rc_comment() {
	ip netns exec "$1" nft list table inet oci_fw 2>/dev/null |
		sed -n 's/^[[:space:]]*comment "\(.*\)"$/\1/p' | head -n1
}

rc_cleanup() {
	local id
	for id in "${RC_IDS[@]}"; do
		timeout 20 runc --root "$RC_ROOT" kill "$id" KILL >/dev/null 2>&1
		timeout 20 runc --root "$RC_ROOT" delete --force "$id" >/dev/null 2>&1
	done
}
