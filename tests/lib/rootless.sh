# SPDX-License-Identifier: GPL-2.0-or-later
# rootless.sh: sourced helpers for tests that run the hook under rootless
# podman (runc) as an unprivileged test user.
# shellcheck shell=bash
#
# Builds on netns.sh (t_init, checks) and podman.sh (the server netns at
# 198.51.100.2, the busybox rootfs, the container-side probes). The tests run
# as root and set up, see ../../shared TESTING.md "Podman, rootless":
#   - the test user RL_USER (default ofwtest, `useradd -m`, kept between
#     runs: its podman storage is reused), with /etc/subuid and /etc/subgid
#     ranges, /run/user/UID (mode 0700, the user's), /dev/net/tun 0666
#     (slirp4netns opens it as the user; it is 0600 on these machines)
# and per test, in T_DIR (root's, 0755, so the user can read but not change
# it; the repository may not be traversable by the user):
#   bin/oci-fw-hook      a copy of the built hook
#   hooks.d/             the hook JSON: createRuntime, "always", `apply` with
#                        no --policy-dir (so the user's directory is searched)
#   containers.conf      runc, cgroupfs, file events, Debian's capabilities
#   rootfs/              a busybox rootfs owned by the user
# and in the user's home ~/.config/oci-fw-hook/policies (the user's, 0755),
# removed again at the end.

. "$(dirname "${BASH_SOURCE[0]}")/podman.sh"

: "${RL_USER:=ofwtest}"
RL_NETWORKS=()

# rl_init [NAME]: t_init, the user and its runtime dir, the hook copy, the
# podman configuration, the rootfs, the user's (empty) policy directory.
rl_init() {
	t_init "$@"
	t_need_hook
	# what the test and the user create must not be group-writable: the
	# hook would (rightly) refuse it
	umask 022
	local c
	for c in podman "$PM_RUNTIME" newuidmap newgidmap slirp4netns jq; do
		command -v "$c" >/dev/null || t_die "$c is not installed"
	done
	[ -x /bin/busybox ] || t_die "busybox-static (/bin/busybox) is not installed"
	rl_user
	RL_BIN="$T_DIR/bin"
	RL_HOOKS="$T_DIR/hooks.d"
	RL_NOHOOKS="$T_DIR/no-hooks.d"
	RL_CONF="$T_DIR/containers.conf"
	RL_CONF_NOHOOK="$T_DIR/containers-nohook.conf"
	RL_ROOTFS="$T_DIR/rootfs"
	mkdir -p "$RL_BIN" "$RL_HOOKS" "$RL_NOHOOKS"
	# crun, rootless, writes run.oci.hooks.stderr files as the user
	PM_HOOK_ERR_DIR="$T_DIR/hook-stderr"
	install -d -o "$RL_UID" -g "$RL_GID" -m 0755 "$PM_HOOK_ERR_DIR"
	install -m 0755 "$OCI_FW_HOOK" "$RL_BIN/oci-fw-hook"
	RL_HOOK="$RL_BIN/oci-fw-hook"
	rl_write_hook_json "$RL_HOOKS/oci-fw-hook.json"
	pm_write_conf "$RL_CONF" "$RL_HOOKS"
	pm_write_conf "$RL_CONF_NOHOOK" "$RL_NOHOOKS"
	chmod 0644 "$RL_CONF" "$RL_CONF_NOHOOK" "$RL_HOOKS/oci-fw-hook.json"
	pm_make_rootfs "$RL_ROOTFS"
	chown -R "$RL_UID:$RL_GID" "$RL_ROOTFS"
	PM_ROOTFS=$RL_ROOTFS
	PM_PODMAN=(rl_podman_timeout 120)
	rl_as test -x "$RL_HOOK" || t_die "$RL_USER cannot execute $RL_HOOK"
	rl_as test -r "$RL_CONF" || t_die "$RL_USER cannot read $RL_CONF"
	# the user's policy directory, made by the user (owner and mode as a
	# user would have them); anything the test leaves there goes at exit
	RL_PDIR="$RL_HOME/.config/oci-fw-hook/policies"
	[ -e "$RL_PDIR" ] && rm -rf -- "$RL_PDIR"
	rl_as mkdir -p "$RL_PDIR" || t_die "cannot create $RL_PDIR as $RL_USER"
	rl_as chmod 0755 "$RL_HOME/.config/oci-fw-hook" "$RL_PDIR"
	t_on_exit "rm -rf -- '$RL_HOME/.config/oci-fw-hook'"
	t_on_exit rl_cleanup
}

# rl_user: creates RL_USER when missing; sets RL_UID, RL_GID, RL_HOME.
rl_user() {
	local first
	if ! id "$RL_USER" >/dev/null 2>&1; then
		useradd -m -s /bin/sh "$RL_USER" || t_die "useradd $RL_USER failed"
	fi
	RL_UID=$(id -u "$RL_USER")
	RL_GID=$(id -g "$RL_USER")
	RL_HOME=$(getent passwd "$RL_USER" | cut -d: -f6)
	[ -d "$RL_HOME" ] || t_die "$RL_USER has no home directory $RL_HOME"
	# useradd adds subordinate ids when SUB_UID_COUNT is set (Debian); an
	# older user may lack them
	if ! grep -q "^$RL_USER:" /etc/subuid 2>/dev/null || ! grep -q "^$RL_USER:" /etc/subgid 2>/dev/null; then
		first=$(cat /etc/subuid /etc/subgid 2>/dev/null | awk -F: 'BEGIN { m = 100000 }
			$2 + $3 > m { m = $2 + $3 } END { print m }')
		usermod --add-subuids "$first-$((first + 65535))" --add-subgids "$first-$((first + 65535))" "$RL_USER" ||
			t_die "cannot add subordinate ids for $RL_USER"
	fi
	mkdir -p "/run/user/$RL_UID"
	chown "$RL_UID:$RL_GID" "/run/user/$RL_UID"
	chmod 0700 "/run/user/$RL_UID"
	[ "$(stat -c %a /dev/net/tun 2>/dev/null)" = 666 ] || chmod 0666 /dev/net/tun ||
		t_die "cannot make /dev/net/tun usable by users (slirp4netns needs it)"
}

# rl_as CMD...: runs CMD as the test user with a clean login-like
# environment, from / (the caller's cwd may not be the user's to enter).
# RL_CONTAINERS_CONF chooses the podman configuration (default RL_CONF);
# RL_TMO, when set, bounds CMD (seconds).
rl_as() {
	local tmo=()
	[ -n "${RL_TMO:-}" ] && tmo=(timeout -k 5 "$RL_TMO")
	(cd / && exec runuser -u "$RL_USER" -- env -i HOME="$RL_HOME" USER="$RL_USER" LOGNAME="$RL_USER" \
		PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin XDG_RUNTIME_DIR="/run/user/$RL_UID" \
		CONTAINERS_CONF="${RL_CONTAINERS_CONF:-$RL_CONF}" "${tmo[@]}" "$@")
}

rl_podman() { rl_as podman "$@"; }

# rl_write_hook_json FILE: the hook for every container at createRuntime,
# with no --policy-dir: rootless, it searches ~/.config/oci-fw-hook/policies
# first, as installed.
rl_write_hook_json() {
	jq -n --arg path "$RL_HOOK" '{
		version: "1.0.0",
		hook: { path: $path, args: ["oci-fw-hook", "apply"], timeout: 10 },
		when: { always: true },
		stages: ["createRuntime"]
	}' >"$1"
}

# rl_policy SRC NAME: installs the policy file SRC as the user's NAME.json
# (owned by the user, mode 0644).
rl_policy() {
	install -o "$RL_UID" -g "$RL_GID" -m 0644 "$1" "$RL_PDIR/$2.json" ||
		t_die "cannot install $1 as $RL_PDIR/$2.json"
}

# rl_server: the server netns at 198.51.100.2 (podman.sh pm_server): TCP 22,
# 80, 443, 8080, UDP 53 and 69; slirp4netns connects from the host, a user
# bridge network from the rootless network namespace through slirp4netns.
# The host-side address is shared with the podman suite: wait (bounded) for
# another run that holds it to end, rather than fail at once.
rl_server() {
	local i
	for i in $(seq 1 60); do
		ip -br addr show | grep -q " $C4/" || break
		[ "$i" = 1 ] && t_log "waiting (at most 60 s) for $C4 to be free on the host"
		sleep 1
	done
	pm_server
}

# rl_network SUBNET: a user bridge network, removed at exit; sets RL_NET.
rl_network() {
	RL_NET="ofw-$T_TAG"
	rl_podman_timeout 30 network rm -f "$RL_NET" >/dev/null 2>&1
	RL_TMO=30 rl_podman network create --disable-dns --subnet "$1" "$RL_NET" >/dev/null 2>"$T_DIR/net.err" ||
		t_die "podman network create $RL_NET failed: $(cat "$T_DIR/net.err")"
	RL_NETWORKS+=("$RL_NET")
}

# rl_run [PODMAN-RUN-OPTIONS...] -- CMD...: pm_run as the test user (rl_init
# points PM_PODMAN and PM_ROOTFS at the user's podman and rootfs).
rl_run() { pm_run "$@"; }
rl_podman_timeout() { # rl_podman_timeout SECONDS PODMAN-ARGS...
	local t=$1
	shift
	RL_TMO=$t rl_as podman "$@"
}

# rl_check_ran DESCRIPTION: the last rl_run exited 0.
rl_check_ran() { check_run_ran "$1" podman "$PM_RC" "$PM_ERR"; }

# rl_check_refused DESCRIPTION ERE...: the last rl_run failed, the
# container's command printed nothing (it never ran), and the hook's
# "oci-fw-hook: " line matches every ERE (pm_check_hook: podman's error
# under runc, crun's run.oci.hooks.stderr file under crun).
rl_check_refused() {
	if [ "$PM_RC" -ne 0 ]; then t_ok "$1: podman run refused (exit $PM_RC)"; else
		t_fail "$1: podman run succeeded (stdout: $PM_OUT)"
	fi
	if [ -z "$PM_OUT" ]; then t_ok "$1: the container's process never ran"; else
		t_fail "$1: the container printed: $PM_OUT"
	fi
	pm_check_hook "$@"
}

# rl_policy_cases LABEL [PODMAN-RUN-OPTIONS...]: the rootless traffic cases on
# one network mode: no policy reaches TCP and UDP; a policy that exists only
# in the user's own directory blocks both; a TCP-port policy from there lets
# TCP 8080 through and blocks TCP 80 and UDP.
RL_PROBES="$(pm_tcp_probe tcp80 "$S4" 80)$(pm_tcp_probe tcp8080 "$S4" 8080)$(pm_udp_probe udp69 "$S4" 69)$(pm_udp_probe udp53 "$S4" 53)"
rl_policy_cases() {
	local label=$1
	shift
	rl_policy "$POLICIES/denyall.json" ofw-user-deny
	rl_policy "$TEST_POLICIES/tcp-port.json" ofw-user-tcp

	rl_run "$@" -- /bin/sh -c "$RL_PROBES"
	rl_check_ran "$label, no policy"
	pm_expect tcp80 reach
	pm_expect tcp8080 reach
	pm_expect udp69 reach
	pm_expect udp53 reach

	rl_run "$@" --annotation fw.policy=ofw-user-deny -- /bin/sh -c "$RL_PROBES"
	rl_check_ran "$label, the user's ofw-user-deny"
	pm_expect tcp80 blocked
	pm_expect tcp8080 blocked
	pm_expect udp69 blocked
	pm_expect udp53 blocked

	rl_run "$@" --annotation fw.policy=ofw-user-tcp -- /bin/sh -c "$RL_PROBES"
	rl_check_ran "$label, the user's ofw-user-tcp"
	pm_expect tcp8080 reach
	pm_expect tcp80 blocked
	pm_expect udp69 blocked
	pm_expect udp53 blocked
}

# Containers newest first, as pm_cleanup_containers says why.
rl_cleanup() {
	local i n
	for ((i = ${#PM_NAMES[@]} - 1; i >= 0; i--)); do
		rl_podman_timeout 30 rm -f --ignore "${PM_NAMES[i]}" >/dev/null 2>&1
	done
	for n in "${RL_NETWORKS[@]}"; do
		rl_podman_timeout 30 network rm -f "$n" >/dev/null 2>&1
	done
}

# rl_default_settled PID: waits (at most 20 s) until the egress default's
# packet count in PID's netns holds for a second (under pasta, IPv6 MLD
# reports reach it right after the start); prints the count, fails when it
# never settled.
rl_default_settled() {
	local p0 p1
	p0=$(rl_default_packets "$1")
	for _ in $(seq 1 20); do
		sleep 1
		p1=$(rl_default_packets "$1")
		[ "$p1" = "$p0" ] && break
		p0=$p1
	done
	echo "$p1"
	[ -n "$p1" ] && [ "$p1" = "$p0" ]
}
rl_default_packets() {
	nsenter -t "$1" -n nft list chain inet oci_fw egress 2>/dev/null |
		sed -n 's/.*counter packets \([0-9]*\) bytes [0-9]* .*comment "egress\.default".*/\1/p' | head -n1
}
