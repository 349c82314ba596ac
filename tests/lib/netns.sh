# SPDX-License-Identifier: GPL-2.0-or-later
# netns.sh: sourced helpers for tests that run oci-fw-hook against real network namespaces.
# shellcheck shell=bash
#
# A test sources this file, calls t_init, builds its namespaces with the
# helpers below, records results with t_ok/t_fail/expect, and ends with
# t_finish (exit 0 when every check passed, 1 otherwise: meson's exit-code
# protocol, never 77). Everything it starts is killed by PID and every
# namespace it made is deleted by the EXIT trap, also on failure or signal.
#
# Rules kept here: every wait loop is bounded in count and time; traffic
# only ever goes to addresses of servers the test itself started inside its
# own namespaces (the container/server pair is not connected to the host).

# Paths: meson passes them in the environment; by hand they default to the
# repository's own build and policy directories.
T_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
T_REPO_DIR=$(cd "$T_LIB_DIR/../.." && pwd)
: "${OCI_FW_HOOK:=$T_REPO_DIR/build/hook/oci-fw-hook}"
: "${POLICIES:=$T_REPO_DIR/policies}"
: "${TEST_POLICIES:=$T_REPO_DIR/tests/policies}"
export OCI_FW_HOOK POLICIES TEST_POLICIES
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH

# Documentation addresses of the two ends of the test link.
C4=198.51.100.1
S4=198.51.100.2
C6=2001:db8:1::1
S6=2001:db8:1::2
# Extra addresses a server may carry to prove that no-lan blocks private
# ranges; they exist only inside the test's own, unconnected namespaces.
S_PRIV4=(10.254.0.2 172.16.254.2 192.168.254.2 100.64.254.2 169.254.254.2)
S_PRIV6=(fdfe:1::2)

T_PIDS=()
T_NETNS=()
T_CLEANUP=()
T_FAILED=0
T_CHECKS=0

t_log() { printf '%s: %s\n' "$T_NAME" "$*" >&2; }

# t_init [NAME]: names derived from the test name and $$ so that tests can
# run in parallel; sets T_NAME, T_TAG, T_DIR and the EXIT trap.
t_init() {
	T_NAME=${1:-$(basename "$0" .sh)}
	T_TAG="${T_NAME:0:20}-$$"
	if [ "$(id -u)" != 0 ]; then
		echo "$T_NAME: FAIL: must run as root (network namespaces, nftables)" >&2
		exit 1
	fi
	t_sweep_stale
	T_DIR=$(mktemp -d "/tmp/ofw-${T_NAME:0:20}-$$.XXXXXX") || exit 1
	chmod 0755 "$T_DIR"
	trap t_cleanup EXIT
	trap 'exit 1' INT TERM HUP
}

# t_sweep_stale: a test killed outright (meson's timeout ends with SIGKILL)
# cannot clean up after itself. Its namespaces ("ofw...-PID", and with them
# the veths into the host) and its T_DIR ("/tmp/ofw-NAME-PID.XXXXXX") carry
# its PID: remove those whose PID no longer runs.
t_sweep_stale() {
	local n d
	while read -r n _; do
		[[ $n =~ ^ofw.*-([0-9]+)$ ]] || continue
		kill -0 "${BASH_REMATCH[1]}" 2>/dev/null && continue
		ip netns del "$n" 2>/dev/null && t_log "note: removed netns $n, left by a killed test"
	done < <(ip netns list 2>/dev/null)
	for d in /tmp/ofw-*-[0-9]*.??????; do
		[[ $d =~ -([0-9]+)\.[A-Za-z0-9]{6}$ ]] || continue
		kill -0 "${BASH_REMATCH[1]}" 2>/dev/null || rm -rf -- "$d"
	done
}

# t_track_pid PID: killed (TERM, then KILL) by the EXIT trap.
t_track_pid() { T_PIDS+=("$1"); }
# t_on_exit CMD...: run (as one eval'd string) by the EXIT trap, last first.
t_on_exit() { T_CLEANUP+=("$*"); }

t_kill_pid() {
	local pid=$1 i
	kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }
	kill -TERM "$pid" 2>/dev/null
	for i in $(seq 1 20); do
		kill -0 "$pid" 2>/dev/null || break
		# a zombie child still answers kill -0: reap it
		[ "$(ps -o stat= -p "$pid" 2>/dev/null | cut -c1)" = Z ] && break
		sleep 0.05
	done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return 0
}

t_cleanup() {
	local rc=$? i ns
	trap - EXIT
	for ((i = ${#T_CLEANUP[@]} - 1; i >= 0; i--)); do
		eval "${T_CLEANUP[$i]}" >/dev/null 2>&1 || true
	done
	# all at once first: one bounded wait then covers most of them
	[ "${#T_PIDS[@]}" -gt 0 ] && kill -TERM "${T_PIDS[@]}" 2>/dev/null
	for i in "${T_PIDS[@]}"; do
		t_kill_pid "$i"
	done
	for ns in "${T_NETNS[@]}"; do
		ip netns del "$ns" || t_log "warning: could not delete netns $ns"
	done
	if [ -n "${T_DIR:-}" ] && [ -d "$T_DIR" ]; then
		rm -rf -- "$T_DIR"
	fi
	exit "$rc"
}

# Result bookkeeping: a test keeps going after a failed check so that the
# log shows every difference, and t_finish turns the tally into the exit code.
t_ok() {
	T_CHECKS=$((T_CHECKS + 1))
	[ -n "${T_VERBOSE:-}" ] && t_log "ok: $*"
	return 0
}
t_fail() {
	T_CHECKS=$((T_CHECKS + 1))
	T_FAILED=$((T_FAILED + 1))
	printf '%s: FAIL: %s\n' "$T_NAME" "$*" >&2
	return 1
}
t_check() { # t_check DESCRIPTION CMD...: passes when CMD succeeds
	local what=$1
	shift
	if "$@"; then t_ok "$what"; else t_fail "$what"; fi
}
t_die() {
	t_fail "$*"
	exit 1
}
t_finish() {
	if [ "$T_FAILED" -ne 0 ]; then
		echo "$T_NAME: FAILED $T_FAILED of $T_CHECKS checks" >&2
		exit 1
	fi
	if [ "$T_CHECKS" -eq 0 ]; then
		echo "$T_NAME: FAIL: no check was made" >&2
		exit 1
	fi
	echo "$T_NAME: PASS ($T_CHECKS checks)"
	exit 0
}

t_need_hook() {
	[ -x "$OCI_FW_HOOK" ] || t_die "hook binary $OCI_FW_HOOK is missing or not executable (build first)"
}

# --- namespaces ------------------------------------------------------------

# ns_add SUFFIX VAR: creates netns "ofw<SUFFIX>-<tag>" with lo up and
# stores its name in VAR (not via $(...): the cleanup list must see it).
ns_add() {
	local ns="ofw$1-$T_TAG"
	ip netns add "$ns" || t_die "ip netns add $ns failed"
	T_NETNS+=("$ns")
	ip -n "$ns" link set lo up
	printf -v "$2" '%s' "$ns"
}

# ns_exec NS CMD...: CMD in NS's network namespace. nsenter, not `ip netns
# exec`: that also makes a mount namespace and remounts /sys, which nothing
# here needs and which costs a lot on a loaded machine. Where the PID
# matters (servers in the background, `timeout`), the helpers below call
# nsenter themselves: it execs CMD, so $! is CMD's PID.
ns_exec() {
	local ns=$1
	shift
	nsenter --net="/run/netns/$ns" "$@"
}

# topo_pair [private]: a "container" netns NS_C and a server netns NS_S joined
# by a veth pair (c0 in NS_C, s0 in NS_S): 198.51.100.1/24 + 2001:db8:1::1/64
# on the container side, .2 / ::2 on the server side. With "private" the
# server also carries S_PRIV4/S_PRIV6, routed from the container via the
# server. The pair is never connected to the host's namespace.
topo_pair() {
	local a
	ns_add c NS_C
	ns_add s NS_S
	ip link add c0 netns "$NS_C" type veth peer name s0 netns "$NS_S" ||
		t_die "cannot create the veth pair"
	ip -n "$NS_C" addr add "$C4/24" dev c0
	ip -n "$NS_C" addr add "$C6/64" dev c0 nodad
	ip -n "$NS_S" addr add "$S4/24" dev s0
	ip -n "$NS_S" addr add "$S6/64" dev s0 nodad
	ip -n "$NS_C" link set c0 up
	ip -n "$NS_S" link set s0 up
	if [ "${1:-}" = private ]; then
		for a in "${S_PRIV4[@]}"; do
			ip -n "$NS_S" addr add "$a/32" dev s0
			ip -n "$NS_C" route add "$a/32" via "$S4" dev c0
		done
		for a in "${S_PRIV6[@]}"; do
			ip -n "$NS_S" addr add "$a/128" dev s0 nodad
			ip -n "$NS_C" route add "$a/128" via "$S6" dev c0
		done
	fi
	wait_link_local "$NS_S" s0
	wait_link_local "$NS_C" c0
}

# topo_tcp PORT...: topo_pair with TCP servers on each PORT (IPv4 and IPv6),
# each checked reachable from NS_C over IPv4 before any hook runs, so that
# "blocked" later means the firewall and not a missing server.
topo_tcp() {
	local p probes=
	topo_pair
	servers_tcp "$NS_S" "$@"
	for p; do probes+="reach tcp NS_C $S4 $p"$'\n'; done
	check_probes baseline "$probes"
}

# topo_second: a second container netns NS_C2 joined to the server NS_S by
# the veth pair c1/s1: 192.0.2.1/24 (C2_4) on the container side, 192.0.2.2/24
# (S2_4) on the server's.
C2_4=192.0.2.1
S2_4=192.0.2.2
topo_second() {
	ns_add c2 NS_C2
	ip link add c1 netns "$NS_C2" type veth peer name s1 netns "$NS_S" ||
		t_die "cannot create the second veth pair"
	ip -n "$NS_S" addr add "$S2_4/24" dev s1
	ip -n "$NS_C2" addr add "$C2_4/24" dev c1
	ip -n "$NS_S" link set s1 up
	ip -n "$NS_C2" link set c1 up
}

# wait_link_local NS DEV: the kernel adds fe80:: a moment after link up and
# marks it tentative during DAD; wait (bounded) until it is usable.
wait_link_local() {
	local i
	for i in $(seq 1 60); do
		if ip -n "$1" -6 addr show dev "$2" scope link 2>/dev/null | grep -q 'inet6 fe80' &&
			! ip -n "$1" -6 addr show dev "$2" 2>/dev/null | grep -q tentative; then
			return 0
		fi
		sleep 0.05
	done
	t_log "warning: no usable link-local address on $2 in $1 after 3 s"
	return 0
}

# link_local NS DEV: prints DEV's fe80:: address (no prefix length).
link_local() {
	ip -n "$1" -6 addr show dev "$2" scope link | sed -n 's/.*inet6 \(fe80[^/]*\).*/\1/p' | head -n1
}

# --- servers ---------------------------------------------------------------

is_v6() { case $1 in *:*) return 0 ;; *) return 1 ;; esac; }

# wait_listen NS tcp|udp ADDR PORT: bounded wait until a socket listens on
# ADDR:PORT (ss prints IPv6 addresses in brackets).
wait_listen() {
	local ns=$1 proto=$2 addr=$3 port=$4 flag want i
	[ "$proto" = tcp ] && flag=-Hltn || flag=-Hlun
	is_v6 "$addr" && want="[$addr]:$port" || want="$addr:$port"
	for i in $(seq 1 100); do
		ns_exec "$ns" ss $flag 2>/dev/null | awk -v w="$want" '$4 == w { f = 1 } END { exit !f }' &&
			return 0
		sleep 0.05
	done
	t_die "no $proto listener on $want in $ns after 5 s"
}

# srv_socat NS tcp|udp ADDR PORT ANSWER: a socat server on ADDR (0.0.0.0 / ::
# for any) that runs ANSWER (a socat address) for each connection or
# datagram; stopped by the EXIT trap.
srv_socat() {
	local ns=$1 proto=$2 addr=$3 port=$4 answer=$5 p=TCP kind=LISTEN listen
	[ "$proto" = udp ] && p=UDP kind=RECVFROM
	if is_v6 "$addr"; then
		listen="${p}6-$kind:$port,bind=[$addr],ipv6only=1"
	else
		listen="${p}4-$kind:$port,bind=$addr"
	fi
	nsenter --net="/run/netns/$ns" socat "$listen,reuseaddr,fork" "$answer" \
		</dev/null >>"$T_DIR/servers.log" 2>&1 &
	t_track_pid $!
	wait_listen "$ns" "$proto" "$addr" "$port"
}

# srv_tcp NS ADDR PORT: socat server answering "ok" to each connection.
srv_tcp() { srv_socat "$1" tcp "$2" "$3" 'SYSTEM:echo ok'; }

# srv_tcp_many NS PORT...: one python3 process answering "ok" on TCP PORT
# of every IPv4 address, for each PORT (cheaper than a socat per port when
# there are dozens).
srv_tcp_many() {
	local ns=$1 last
	shift
	nsenter --net="/run/netns/$ns" python3 -c '
import selectors, socket, sys
sel = selectors.DefaultSelector()
for p in sys.argv[1:]:
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", int(p)))
    s.listen(64)
    sel.register(s, selectors.EVENT_READ)
while True:
    for key, _ in sel.select():
        try:
            c, _ = key.fileobj.accept()
            c.sendall(b"ok\n")
            c.close()
        except OSError:
            pass
' "$@" </dev/null >>"$T_DIR/servers.log" 2>&1 &
	t_track_pid $!
	for last; do :; done
	wait_listen "$ns" tcp 0.0.0.0 "$last"
}

# udp_responder FILE SHELL-COMMAND: a program for a socat UDP server that
# first reads the datagram socat hands it, then answers. (A program that
# answers without reading can exit before socat has written the datagram to
# it; socat then fails with EPIPE and drops the answer: a flaky server.)
udp_responder() {
	[ -x "$1" ] && return 0
	printf '#!/bin/sh
head -c 1 >/dev/null
%s
' "$2" >"$1"
	chmod 0755 "$1"
}

# srv_udp NS ADDR PORT: socat server answering "ok" to each datagram. Bind
# to one address so that the reply leaves from the address asked.
srv_udp() {
	udp_responder "$T_DIR/udp-ok" 'echo ok'
	srv_socat "$1" udp "$2" "$3" "EXEC:$T_DIR/udp-ok"
}

# --- probes (run inside a namespace; status 0 = the server answered) ---------

PROBE_TMO=2   # seconds a probe that expects an answer waits
BLOCK_TMO=1   # seconds a probe that expects to be blocked waits

sock_addr() { # sock_addr TCP|UDP ADDR PORT
	if is_v6 "$2"; then echo "${1}6:[$2]:$3"; else echo "${1}4:$2:$3"; fi
}

# probe_tcp NS ADDR PORT [TMO]: connect, expect the line "ok".
probe_tcp() {
	local ns=$1 addr=$2 port=$3 tmo=${4:-$PROBE_TMO} out
	out=$(timeout $((tmo + 3)) nsenter --net="/run/netns/$ns" socat -T "$tmo" -u \
		"$(sock_addr TCP "$addr" "$port"),connect-timeout=$tmo" STDOUT 2>/dev/null </dev/null)
	[ "$out" = ok ]
}

# probe_udp NS ADDR PORT [TMO]: send one datagram, expect "ok" back.
probe_udp() {
	local ns=$1 addr=$2 port=$3 tmo=${4:-$PROBE_TMO} out
	out=$(echo ping | timeout $((tmo + 3)) nsenter --net="/run/netns/$ns" socat -t "$tmo" - \
		"$(sock_addr UDP "$addr" "$port"),readbytes=3" 2>/dev/null)
	[ "$out" = ok ]
}

# probe_ping NS ADDR [TMO]: one echo request.
probe_ping() {
	local ns=$1 addr=$2 tmo=${3:-1}
	timeout $((tmo + 3)) nsenter --net="/run/netns/$ns" ping -n -q -c1 -W"$tmo" "$addr" >/dev/null 2>&1 </dev/null
}

# timed_probe tcp|udp NS ADDR PORT TMO: like probe_PROTO; sets PROBE_MS to the
# elapsed milliseconds (how long a failing probe took). timed_tcp, timed_udp:
# the same without the first argument.
PROBE_MS=0
timed_probe() {
	local proto=$1 t0 t1 rc
	shift
	t0=$(date +%s%N)
	"probe_$proto" "$@"
	rc=$?
	t1=$(date +%s%N)
	PROBE_MS=$(((t1 - t0) / 1000000))
	return $rc
}
timed_tcp() { timed_probe tcp "$@"; }
timed_udp() { timed_probe udp "$@"; }

# expect reach|blocked tcp|udp|ping NS ADDR [PORT]: one recorded check.
expect() {
	local want=$1 proto=$2 ns=$3 addr=$4 port=${5:-} tmo got what
	[ "$want" = reach ] && tmo=$PROBE_TMO || tmo=$BLOCK_TMO
	"probe_$proto" "$ns" "$addr" ${port:+"$port"} "$tmo" && got=reach || got=blocked
	what="${EXPECT_LABEL:+$EXPECT_LABEL: }$proto ${ns%%-*} -> $addr${port:+ port $port}"
	if [ "$got" = "$want" ]; then
		t_ok "$what: $got"
	else
		t_fail "$what: expected $want, got $got"
		[ "$want" = reach ] && probe_diag "$proto" "$ns" "$addr" "$port"
	fi
}

# probe_diag PROTO NS ADDR PORT: after an unexpected "blocked", show why.
probe_diag() {
	local proto=$1 ns=$2 addr=$3 port=$4
	{
		echo "--- diagnosis: $proto $addr $port from $ns"
		case $proto in
		tcp) timeout 5 nsenter --net="/run/netns/$ns" socat -d -d -T 2 -u "$(sock_addr TCP "$addr" "$port"),connect-timeout=2" STDOUT </dev/null ;;
		udp) echo ping | timeout 5 nsenter --net="/run/netns/$ns" socat -d -d -t 2 - "$(sock_addr UDP "$addr" "$port"),readbytes=3" ;;
		ping) timeout 5 nsenter --net="/run/netns/$ns" ping -n -c1 -W2 "$addr" </dev/null ;;
		esac
		echo "--- (retry exit $?) neighbours in $ns:"
		ip -n "$ns" neigh show
		ip -n "$ns" -6 neigh show
		echo "--- servers.log tail:"
		tail -n 20 "$T_DIR/servers.log" 2>/dev/null
	} 2>&1 | sed 's/^/    /' >&2
}

# check_probes baseline|policy TABLE: TABLE has one probe a line,
# "WANT PROTO NSVAR ADDR [PORT]" (WANT reach|blocked, NSVAR the name of the
# variable holding the netns: NS_C or NS_S; # starts a comment). "baseline"
# runs every probe before the hook and expects each to reach: a blocked
# result after the hook then means the firewall, not a missing server.
check_probes() {
	local mode=$1 want proto nsvar addr port
	while read -r want proto nsvar addr port <&3; do
		[ -z "$want" ] && continue
		[[ $want == \#* ]] && continue
		[ "$mode" = baseline ] && want=reach
		EXPECT_LABEL=$mode expect "$want" "$proto" "${!nsvar}" "$addr" ${port:+"$port"}
	done 3<<<"$2"
}

# --- fake containers and the hook -------------------------------------------

ns_inode() { stat -L -c %i "/run/netns/$1"; }

# fake_container NS: a sleep inside NS, as a runtime's container process
# would be when createRuntime hooks run. Sets FC_PID.
fake_container() {
	local ns=$1 i
	[ -e "/run/netns/$ns" ] || t_die "no netns $ns"
	nsenter --net="/run/netns/$ns" sleep 300 </dev/null >/dev/null 2>&1 &
	FC_PID=$!
	t_track_pid "$FC_PID"
	# the shell forks, nsenter setns()es before exec: wait for that
	# (-ef: same device and inode, the test builtin, no fork per try)
	for i in $(seq 1 200); do
		[[ /proc/$FC_PID/ns/net -ef /run/netns/$ns ]] && return 0
		sleep 0.01
	done
	t_die "process $FC_PID did not enter $ns within 2 s"
}

# neighbour NS [SETPRIV-ARG...]: a process of another container in NS: a
# sleep in a mount namespace of its own (the hook trusts processes in its
# own, the runtime's), as root with every capability unless setpriv's
# arguments take some away. Sets NB_PID once the sleep runs.
neighbour() {
	local ns=$1 i
	shift
	local run=(sleep 300)
	[ $# -gt 0 ] && run=(setpriv "$@" -- sleep 300)
	nsenter --net="/run/netns/$ns" unshare --mount "${run[@]}" </dev/null >/dev/null 2>&1 &
	NB_PID=$!
	t_track_pid "$NB_PID"
	for i in $(seq 1 200); do
		[[ /proc/$NB_PID/ns/net -ef /run/netns/$ns ]] &&
			[ "$(cat "/proc/$NB_PID/comm" 2>/dev/null)" = sleep ] && return 0
		sleep 0.01
	done
	t_die "neighbour $NB_PID did not start in $ns within 2 s"
}

# Debian's default capability list (podman's, with the test containers.conf):
# what a container's process holds unless the launcher adds or drops some.
FC_DEFAULT_CAPS=(CAP_CHOWN CAP_DAC_OVERRIDE CAP_FOWNER CAP_FSETID CAP_KILL
	CAP_NET_BIND_SERVICE CAP_SETFCAP CAP_SETGID CAP_SETPCAP CAP_SETUID CAP_SYS_CHROOT)
FC_SETS=(bounding effective inheritable permitted ambient)

# make_bundle DIR [WORD...]: a bundle whose config.json looks like podman's
# as far as the hook reads it: the default capabilities in bounding,
# effective and permitted (inheritable and ambient empty), and pid, network,
# ipc, uts and mount namespaces. Each WORD changes that:
#   CAP_X        adds CAP_X to all five capability sets
#   SET:CAP_X    adds CAP_X to one set (bounding, effective, ...)
#   nocaps       starts from empty sets
#   hostnet      no "network" entry in linux.namespaces (--network host)
#   netns=PATH   the "network" entry names its namespace: "path": PATH
#   nameserver=A a line of DIR/etc/resolv.conf (repeatable): config.json
#                names no root, so the bundle is the root the hook reads
#   late         as podman 5 leaves them at createRuntime: DIR/userdata/
#                resolv.conf and hosts, empty, bind-mounted (config.json
#                "mounts") on /etc/resolv.conf and /etc/hosts
make_bundle() {
	local dir=$1 w set nsl sets=() json nameservers=() mounts=
	local -A caps=([bounding]=1 [effective]=1 [inheritable]=0 [permitted]=1 [ambient]=0) extra=()
	shift
	nsl='{"type":"pid"},{"type":"network"},{"type":"ipc"},{"type":"uts"},{"type":"mount"}'
	for w in "$@"; do
		case $w in
		nocaps) caps=([bounding]=0 [effective]=0 [inheritable]=0 [permitted]=0 [ambient]=0) ;;
		hostnet) nsl='{"type":"pid"},{"type":"ipc"},{"type":"uts"},{"type":"mount"}' ;;
		netns=*) nsl=${nsl/'{"type":"network"}'/'{"type":"network","path":"'"${w#*=}"'"}'} ;;
		CAP_*) for set in "${FC_SETS[@]}"; do extra[$set]+=" $w"; done ;;
		[a-z]*:CAP_*) extra[${w%%:*}]+=" ${w#*:}" ;;
		nameserver=*) nameservers+=("${w#*=}") ;;
		late)
			mkdir -p "$dir/userdata"
			: >"$dir/userdata/resolv.conf"
			: >"$dir/userdata/hosts"
			mounts=$(printf ',"mounts":[{"destination":"/etc/resolv.conf","type":"bind","source":"%s","options":["bind"]},{"destination":"/etc/hosts","type":"bind","source":"%s","options":["bind"]}]' \
				"$dir/userdata/resolv.conf" "$dir/userdata/hosts")
			;;
		*) t_die "make_bundle: unknown word $w" ;;
		esac
	done
	for set in "${FC_SETS[@]}"; do
		w=()
		[ "${caps[$set]}" = 1 ] && w+=("${FC_DEFAULT_CAPS[@]}")
		# shellcheck disable=SC2206 # the words are CAP_ names
		w+=(${extra[$set]:-})
		json=
		[ "${#w[@]}" -gt 0 ] && printf -v json '"%s",' "${w[@]}"
		sets+=("\"$set\":[${json%,}]")
	done
	mkdir -p "$dir"
	printf -v json '%s,' "${sets[@]}"
	printf '{"ociVersion":"1.0.2","process":{"capabilities":{%s}},"linux":{"namespaces":[%s]}%s}\n' \
		"${json%,}" "$nsl" "$mounts" >"$dir/config.json"
	# No root.path: the bundle is the container's root for its files.
	if [ "${#nameservers[@]}" -gt 0 ]; then
		mkdir -p "$dir/etc"
		printf 'nameserver %s\n' "${nameservers[@]}" >"$dir/etc/resolv.conf"
	fi
}

# fc_new NS [WORD...]: a fake container in NS and a bundle of its own
# (make_bundle WORDs); sets FC_PID and FC_BUNDLE.
# fc_bundle [WORD...]: a new bundle (FC_BUNDLE) for the same FC_PID: the
# hook then sees another container in the same place, without a new process.
FC_N=0
FC_WORDS=()
fc_new() {
	local ns=$1
	shift
	fake_container "$ns"
	fc_bundle "$@"
}
fc_bundle() {
	FC_N=$((FC_N + 1))
	FC_BUNDLE="$T_DIR/bundle-$FC_N"
	make_bundle "$FC_BUNDLE" "$@"
}

# fc_single [WORD...]: the start of the tests that need one container and
# no traffic: netns NS_C with a fake container in it (FC_PID, FC_BUNDLE).
fc_single() {
	ns_add c NS_C
	fc_new "$NS_C" "$@"
}

# make_state_ann PID BUNDLE [KEY=VALUE...]: prints the OCI state JSON for
# the hook's stdin, with these annotations (VALUE may hold '=' and newlines)
# besides one the hook must ignore. PID is put in as given (any JSON).
make_state_ann() {
	local pid=$1 bundle=$2 kv ann=
	shift 2
	# plain printable text is written directly; anything else goes through jq
	if [[ "$T_TAG$bundle$*" =~ ^[][A-Za-z0-9\ _./,:@+=-]*$ ]] && [[ $pid =~ ^-?[0-9]+$ ]]; then
		for kv; do ann+=$(printf ',"%s":"%s"' "${kv%%=*}" "${kv#*=}"); done
		printf '{"ociVersion":"1.0.2","id":"ofw-%s","status":"creating","pid":%s,"bundle":"%s","annotations":{"io.container.manager":"oci-fw-hook-tests"%s}}\n' \
			"$T_TAG" "$pid" "$bundle" "$ann"
		return
	fi
	jq -cn --arg id "ofw-$T_TAG" --argjson pid "$pid" --arg b "$bundle" '
		{ociVersion:"1.0.2",id:$id,status:"creating",pid:$pid,bundle:$b,
		 annotations: ({"io.container.manager":"oci-fw-hook-tests"}
		   + ($ARGS.positional | map(index("=") as $i | {key: .[:$i], value: .[$i+1:]})
		      | from_entries))}' --args "$@"
}

# make_state PID BUNDLE [POLICY [KEY=VALUE...]]: the same with fw.policy=POLICY
# (and more annotations); with no POLICY there is no fw.policy annotation.
make_state() {
	local pid=$1 bundle=$2
	shift 2
	if [ $# -ge 1 ]; then
		local policy=$1
		shift
		make_state_ann "$pid" "$bundle" "fw.policy=$policy" "$@"
	else
		make_state_ann "$pid" "$bundle"
	fi
}

# hook_apply STATE [EXTRA-ARGS...]: runs `oci-fw-hook apply` with the shipped
# and the test policy directories (HOOK_DIRS), STATE on stdin; sets HOOK_RC, HOOK_ERR
# (stderr text) and HOOK_OUT (stdout text). The hook's cwd is the bundle, as
# under a runtime. HOOK_TMO bounds it (timeout's 124 then means it hung).
# hook_apply_file FILE [EXTRA-ARGS...]: the same with FILE's bytes on stdin
# (NUL bytes and all). HOOK_RUNTIME_NS, when set, is the netns the hook
# runs in, as a runtime's (`host` holds its addresses; default: the
# caller's).
HOOK_RC=0
HOOK_ERR=
HOOK_OUT=
HOOK_TMO=20
HOOK_DIRS=(--policy-dir "$POLICIES" --policy-dir "$TEST_POLICIES")
hook_apply() {
	local state=$1
	shift
	printf '%s\n' "$state" >"$T_DIR/hook.state"
	hook_apply_file "$T_DIR/hook.state" "$@"
}
hook_apply_file() {
	local file=$1 state bundle=/
	shift
	# make_state's compact JSON; a state without a bundle runs in /
	IFS= read -r -N 4096 state <"$file"
	[[ $state =~ \"bundle\":\"([^\"]*)\" ]] && bundle=${BASH_REMATCH[1]}
	local in_ns=()
	[ -n "${HOOK_RUNTIME_NS:-}" ] && in_ns=(ip netns exec "$HOOK_RUNTIME_NS")
	(cd "$bundle" 2>/dev/null || cd /; exec "${in_ns[@]}" timeout -k 2 "$HOOK_TMO" "$OCI_FW_HOOK" apply "${HOOK_DIRS[@]}" "$@") \
		<"$file" >"$T_DIR/hook.out" 2>"$T_DIR/hook.err"
	HOOK_RC=$?
	HOOK_ERR=$(<"$T_DIR/hook.err")
	HOOK_OUT=$(<"$T_DIR/hook.out")
	return $HOOK_RC
}

# hook_parallel STATE-FILE...: one `oci-fw-hook apply` per file (the state
# on stdin, its bundle as cwd, HOOK_DIRS), all held at a shared lock until
# every one is ready, then released at the same moment. Leaves FILE.rc,
# FILE.err and FILE.out; returns when all have ended (each bounded by
# HOOK_TMO).
hook_parallel() {
	local lock="$T_DIR/parallel.lock" f bundle state i n fd pids=()
	: >"$lock"
	exec {fd}>"$lock"
	flock -x "$fd"
	for f in "$@"; do
		state=$(<"$f")
		[[ $state =~ \"bundle\":\"([^\"]*)\" ]] && bundle=${BASH_REMATCH[1]} || bundle=/
		rm -f "$f.ready" "$f.rc"
		(
			exec {fd}>&-
			cd "$bundle" 2>/dev/null || cd /
			exec 9<"$lock"
			: >"$f.ready"
			flock -s 9
			exec 9<&-
			exec timeout -k 2 "$HOOK_TMO" "$OCI_FW_HOOK" apply "${HOOK_DIRS[@]}" \
				<"$f" >"$f.out" 2>"$f.err"
		) &
		pids+=($!)
	done
	for i in $(seq 1 500); do # at most about 5 s
		n=0
		for f in "$@"; do [ -e "$f.ready" ] && n=$((n + 1)); done
		[ "$n" -eq $# ] && break
		sleep 0.01
	done
	sleep 0.05 # the last one from its "ready" to its flock
	flock -u "$fd"
	exec {fd}>&-
	i=0
	for f in "$@"; do
		wait "${pids[$i]}"
		echo $? >"$f.rc"
		i=$((i + 1))
	done
}

# apply_policy NS POLICY [EXTRA-ARGS...]: a fake container in NS (its
# bundle made with the words in FC_WORDS), then the hook with
# fw.policy=POLICY; dies (test fails) unless the hook succeeds.
apply_policy() {
	local ns=$1 policy=$2
	shift 2
	fc_new "$ns" "${FC_WORDS[@]}"
	if ! hook_apply "$(make_state "$FC_PID" "$FC_BUNDLE" "$policy")" "$@"; then
		t_die "apply $policy into $ns: exit $HOOK_RC, stderr: $HOOK_ERR"
	fi
	ns_has_table "$ns" || t_die "apply $policy into $ns exited 0 but there is no table inet oci_fw"
	t_ok "apply $policy"
}

# names_setup: topo_pair, TCP 80 and 8080 on the server, a test
# nameserver on 198.51.100.3 that knows api.test.example as S4 (its zone:
# T_DIR/zone), the client's default route via the server; and
# T_DIR/pol/names.json (names_policy).
names_setup() {
	topo_pair
	servers_tcp "$NS_S" 80 8080
	ip -n "$NS_S" addr add 198.51.100.3/32 dev s0
	ip -n "$NS_C" route add default via "$S4" dev c0
	printf 'api.test.example %s\n' "$S4" >"$T_DIR/zone"
	ip netns exec "$NS_S" python3 "$T_LIB_DIR/dns-server.py" --listen 198.51.100.3 \
		--zone "$T_DIR/zone" </dev/null >"$T_DIR/dns.out" 2>&1 &
	t_track_pid $!
	wait_listen "$NS_S" udp 198.51.100.3 53
	names_policy
}
# names_policy: T_DIR/pol/names.json: DNS to "dns", TCP 8080 to
# api.test.example, everything else rejected.
names_policy() {
	mkdir -p "$T_DIR/pol"
	cat >"$T_DIR/pol/names.json" <<'JSON'
{ "egress": { "default": "reject", "allow": [
    { "to": ["dns"] },
    { "to": ["api.test.example"], "proto": "tcp", "ports": [8080] } ] } }
JSON
}

# record_listen SOCK LOG: a syslog daemon of the test's own on the datagram
# socket SOCK: each datagram one line of LOG (newlines in it written as
# \n); returns once SOCK exists. record_wait LOG ERE: waits (at most 10 s)
# for a line of LOG matching ERE.
record_listen() {
	: >"$2"
	python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "ab", buffering=0) as f:
    while True:
        f.write(s.recv(65536).replace(b"\n", b"\\n") + b"\n")
' "$1" "$2" </dev/null >>"$T_DIR/servers.log" 2>&1 &
	t_track_pid $!
	for _ in $(seq 1 100); do
		[ -S "$1" ] && return 0
		sleep 0.05
	done
	t_die "the syslog listener did not create $1 within 5 s: $(cat "$T_DIR/servers.log")"
}
record_wait() {
	for _ in $(seq 1 200); do
		grep -Eq "$2" "$1" 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}

# Kernels without nft_queue (CONFIG_NFT_QUEUE unset, as on the test
# machines) load the hook's DNS learner rules (xt NFQUEUE through
# nft_compat, which nft lists as "queue num 41053") but not nft's own
# "queue" statement. nft_queue_missing: true on such a kernel.
# queue_as_drop [FILE]: the text with that verdict read as "drop" and nft's
# note about compat expressions left out, for comparing the two back ends.
nft_queue_missing() {
	local ns=ofwq-$$ r=1
	ip netns add "$ns" 2>/dev/null || return 1
	printf 'table inet q {\n chain c {\n  queue num 1\n }\n}\n' |
		ip netns exec "$ns" nft -c -f - 2>/dev/null || r=0
	ip netns del "$ns"
	return $r
}
queue_as_drop() {
	sed -e 's/ queue num 41053$/ drop/' \
		-e '/^# Warning: table inet oci_fw is managed by iptables-nft/d' "$@"
}

ns_nft() {
	local ns=$1
	shift
	ns_exec "$ns" nft "$@"
}
ns_ruleset() { ns_nft "$1" list ruleset; }
ns_has_table() { ns_nft "$1" list table inet oci_fw >/dev/null 2>&1; }
ns_ruleset_empty() { [ -z "$(ns_ruleset "$1" 2>&1)" ]; }
host_has_table() { nft list table inet oci_fw >/dev/null 2>&1; }

# host_table_guard: call before anything that could, with a broken hook,
# load a table into the host's own namespace. If the host had no oci_fw
# table before and has one when the test ends, it is deleted and the test
# fails loudly.
host_table_guard() {
	if host_has_table; then
		T_HOST_HAD_TABLE=1
		t_log "note: the host already has table inet oci_fw; cannot detect a new one"
	else
		T_HOST_HAD_TABLE=0
	fi
	t_on_exit host_table_unguard
}
host_table_unguard() {
	if [ "${T_HOST_HAD_TABLE:-1}" = 0 ] && host_has_table; then
		nft delete table inet oci_fw
		echo "$T_NAME: FAIL: the hook loaded table inet oci_fw into the HOST network namespace; deleted it" >&2
		return 1
	fi
}

# apply's exit status per class of refusal (README "Troubleshooting").
HOOK_EXIT_USAGE=1      # usage, the hooks.d args, internal errors
HOOK_EXIT_STATE=10     # the state or config.json
HOOK_EXIT_ANNOTATION=11 # fw.policy/fw.unsafe name nothing loadable
HOOK_EXIT_POLICY=12    # the policy is invalid or its file refused
HOOK_EXIT_UNSAFE=13    # the container could undo its firewall
HOOK_EXIT_KERNEL=14    # netlink, the kernel refused the ruleset
HOOK_EXIT_RESOLVE=15   # a required symbolic destination

# check_hook_error DESCRIPTION STATUS: the last hook run failed with exit
# status STATUS (one of HOOK_EXIT_*; not a crash, not a timeout) and one
# "oci-fw-hook: " line on stderr.
check_hook_error() {
	local what=$1 want=$2 lines
	[ -n "$want" ] || t_die "check_hook_error $what: no exit status to expect"
	case $HOOK_RC in
	0) t_fail "$what: hook exited 0, expected an error" ;;
	"$want") t_ok "$what: hook exited $want" ;;
	124) t_fail "$what: hook hung (stopped by timeout after $HOOK_TMO s)" ;;
	*) if [ "$HOOK_RC" -gt 128 ]; then
		t_fail "$what: hook killed by signal $((HOOK_RC - 128)), expected exit $want"
	else
		t_fail "$what: hook exited $HOOK_RC, expected $want: $HOOK_ERR"
	fi ;;
	esac
	lines=$(printf '%s\n' "$HOOK_ERR" | grep -c .)
	if [ "$lines" -eq 1 ] && [[ $HOOK_ERR == "oci-fw-hook: "* ]]; then
		t_ok "$what: one error line"
	else
		t_fail "$what: expected one stderr line starting 'oci-fw-hook: ', got: $HOOK_ERR"
	fi
}

# err_has DESCRIPTION ERE...: the last hook error matches every extended
# regular expression (case-insensitive).
err_has() {
	local what=$1 re
	shift
	for re in "$@"; do
		if shopt -s nocasematch; [[ $HOOK_ERR =~ $re ]]; then
			t_ok "$what: error matches /$re/"
		else
			t_fail "$what: error does not match /$re/: $HOOK_ERR"
		fi
	done
	shopt -u nocasematch
}

# check_hook_ok DESCRIPTION: the last hook run exited 0.
check_hook_ok() {
	if [ "$HOOK_RC" -eq 0 ]; then t_ok "$1: exit 0"; else
		t_fail "$1: expected exit 0, got $HOOK_RC: $HOOK_ERR"
	fi
}

# check_empty NS DESCRIPTION: NS has no ruleset (flushed when it has one, so
# that the next case starts clean).
check_empty() {
	if ns_ruleset_empty "$1"; then
		t_ok "$2: nothing loaded"
	else
		t_fail "$2: the netns has a ruleset:
$(ns_ruleset "$1")"
		ns_nft "$1" flush ruleset
	fi
}

# servers_tcp NS PORT...: TCP "ok" servers on every IPv4 and IPv6 address.
servers_tcp() {
	local ns=$1 p
	shift
	for p in "$@"; do
		srv_tcp "$ns" 0.0.0.0 "$p"
		srv_tcp "$ns" :: "$p"
	done
}

# servers_udp NS PORT ADDR...: UDP "ok" servers, one bound to each ADDR.
servers_udp() {
	local ns=$1 port=$2 a
	shift 2
	for a in "$@"; do
		srv_udp "$ns" "$a" "$port"
	done
}

# check_hook_line WHAT TOOL ERR ERE...: a runtime's error text ERR (podman's
# or runc's, which quote the hook's stderr up to a literal \n) carries the
# hook's "oci-fw-hook: " line, and that line matches every ERE (ignoring
# case).
check_hook_line() {
	local what=$1 tool=$2 err=$3 line re
	shift 3
	line=$(grep -o 'oci-fw-hook: .*' <<<"$err" | head -n1 | sed 's/\\n.*$//')
	if [ -n "$line" ]; then t_ok "$what: the hook's line: $line"; else
		t_fail "$what: no 'oci-fw-hook: ' in $tool's error: $err"
	fi
	for re; do
		if grep -Eqi -- "$re" <<<"$line"; then t_ok "$what: error matches /$re/"; else
			t_fail "$what: the hook's error does not match /$re/: ${line:-$err}"
		fi
	done
}

# check_run_ran WHAT TOOL RC ERR: a container run by TOOL (podman, runc)
# exited 0.
check_run_ran() {
	if [ "$3" -eq 0 ]; then t_ok "$1: $2 run exit 0"; else
		t_fail "$1: $2 run exit $3: $4"
	fi
}

# check_run_refused WHAT TOOL RC OUT ERR ERE...: the run failed, the
# container's process printed nothing (it never ran), and TOOL's error
# carries the hook's line matching every ERE.
check_run_refused() {
	local what=$1 tool=$2 rc=$3 out=$4 err=$5
	shift 5
	if [ "$rc" -ne 0 ]; then t_ok "$what: $tool run refused (exit $rc)"; else
		t_fail "$what: $tool run succeeded (stdout: $out)"
	fi
	if [ -z "$out" ]; then t_ok "$what: the container's process never ran"; else
		t_fail "$what: the container printed: $out"
	fi
	check_hook_line "$what" "$tool" "$err" "$@"
}
