# SPDX-License-Identifier: GPL-2.0-or-later
# podman.sh: sourced helpers for end-to-end tests with rootful podman + runc and the built hook.
# shellcheck shell=bash
#
# Builds on netns.sh (t_init, cleanup, servers). What it sets up, per test,
# in T_DIR (see ../../shared TESTING.md for why each setting is there):
#   containers.conf  runc, cgroupfs, file events, Debian's capability list,
#                    ulimits within this machine's hard limits, hooks_dir
#   hooks.d/         the oci-fw-hook hook JSON (createRuntime, every container)
#   rootfs/          a busybox-static rootfs, used --read-only
# and a server netns joined to the host by a veth: 198.51.100.2/24 (+
# 10.254.0.2/32) there, 198.51.100.1/24 on the host; containers on podman's
# default bridge reach it through the host's forwarding.

. "$(dirname "${BASH_SOURCE[0]}")/netns.sh"

PM_PRIV4=10.254.0.2
PM_N=0
PM_NAMES=()
# How pm_run starts podman: as root here; rootless.sh makes it the test
# user's.
PM_PODMAN=(timeout 120 podman)
# The OCI runtime podman runs (tests/run runs the suites with runc and, on
# Debian 13, with crun too: the runtimes report a failed hook differently).
PM_RUNTIME=${OCI_FW_RUNTIME:-runc}

# How a failed hook's stderr reaches the test. runc puts it into its error,
# which podman shows; crun shows only "error executing hook `PATH` (exit
# code: N)", and writes the hooks' stderr to the file named by the
# annotation run.oci.hooks.stderr (appending; created by the runtime, so
# it must be in a directory the runtime may write: rl_init makes
# PM_HOOK_ERR_DIR the test user's). Under crun pm_run and pm_start give
# every container a file of its own there; PM_HOOK_ERR is then what the
# hook wrote to stderr (under runc: podman's stderr, which holds it).
PM_HOOK_ERR_DIR=
PM_HOOK_ERR_FILE=
PM_HOOK_ERR=
# pm_hook_err_setup: under crun, PM_HOOK_ERR_FILE for container PM_N
# (empty under runc); pm_run and pm_start then add --annotation
# run.oci.hooks.stderr=PM_HOOK_ERR_FILE.
pm_hook_err_setup() {
	PM_HOOK_ERR_FILE=
	[ "$PM_RUNTIME" = crun ] || return 0
	PM_HOOK_ERR_FILE="$PM_HOOK_ERR_DIR/hook-stderr.$PM_N"
	rm -f "$PM_HOOK_ERR_FILE"
}
# pm_hook_err_collect: PM_HOOK_ERR after a run (see above).
pm_hook_err_collect() {
	if [ -n "$PM_HOOK_ERR_FILE" ]; then
		PM_HOOK_ERR=$(cat "$PM_HOOK_ERR_FILE" 2>/dev/null)
	else
		PM_HOOK_ERR=$PM_ERR
	fi
}

# pm_check_hook WHAT ERE...: the last pm_run or pm_start failed in the
# hook and the hook's "oci-fw-hook: " line matches every ERE (ignoring
# case). Under runc the line is in podman's error; under crun, podman's
# error must be crun's "error executing hook `...oci-fw-hook` (exit code:
# N)" with N > 0 (no particular N) and the line is in the
# run.oci.hooks.stderr file.
pm_check_hook() {
	local what=$1
	shift
	if [ "$PM_RUNTIME" = crun ]; then
		if grep -Eq 'error executing hook `[^`]*oci-fw-hook` \(exit code: [1-9][0-9]*\)' <<<"$PM_ERR"; then
			t_ok "$what: crun: $(grep -Eo 'error executing hook .*' <<<"$PM_ERR" | head -n1)"
		else
			t_fail "$what: no \"error executing hook \`...oci-fw-hook\` (exit code: N>0)\" in podman's error: $PM_ERR"
		fi
		check_hook_line "$what" "crun's run.oci.hooks.stderr file" "$PM_HOOK_ERR" "$@"
	else
		check_hook_line "$what" podman "$PM_ERR" "$@"
	fi
}

# podman 5 takes every --annotation value whole; podman 4 splits values
# at commas (CSV; pflag StringSlice), and double quotes keep a value with
# commas in one annotation. pm_annotation KEY=VALUE prints the
# --annotation argument that gives the container exactly KEY=VALUE.
PM_MAJOR=
pm_major() {
	[ -n "$PM_MAJOR" ] || PM_MAJOR=$(podman --version 2>/dev/null | sed -n 's/^podman version \([0-9]*\)\..*/\1/p')
	echo "${PM_MAJOR:-0}"
}
pm_annotation() {
	if [ "$(pm_major)" -ge 5 ] || [[ $1 != *,* ]]; then
		printf '%s\n' "$1"
	else
		printf '"%s"\n' "$1"
	fi
}

# pm_init [NAME]: t_init plus the podman configuration and a rootfs.
pm_init() {
	t_init "$@"
	t_need_hook
	command -v podman >/dev/null || t_die "podman is not installed"
	command -v "$PM_RUNTIME" >/dev/null || t_die "$PM_RUNTIME is not installed"
	[ -x /bin/busybox ] || t_die "busybox-static (/bin/busybox) is not installed"
	PM_HOOKS="$T_DIR/hooks.d"
	PM_CONF="$T_DIR/containers.conf"
	PM_ROOTFS="$T_DIR/rootfs"
	PM_MARK="$T_DIR/mark"
	PM_HOOK_ERR_DIR="$T_DIR/hook-stderr"
	mkdir -p "$PM_HOOKS" "$PM_MARK" "$PM_HOOK_ERR_DIR"
	pm_write_conf "$PM_CONF" "$PM_HOOKS"
	pm_write_hook_json "$PM_HOOKS/oci-fw-hook.json"
	pm_make_rootfs "$PM_ROOTFS"
	export CONTAINERS_CONF="$PM_CONF"
	t_on_exit pm_cleanup_containers
}

# pm_write_conf FILE HOOKS-DIR: the test containers.conf (containers.conf.in,
# which the benchmark uses too) with HOOKS-DIR as its hooks_dir and
# PM_RUNTIME as the OCI runtime.
pm_write_conf() {
	sed -e "s|@HOOKS_DIR@|$2|" -e "s|@RUNTIME@|$PM_RUNTIME|" "$T_LIB_DIR/containers.conf.in" >"$1"
}

# pm_write_hook_json FILE: the hook, run at createRuntime for every
# container (like the shipped hooks.d: a container without fw.policy that
# joins a firewalled netns must pass the capability checks). It searches
# the shipped policies, the test policies, and tests/policies/not-standalone/:
# policies that `check FILE` or an apply in a bare netns cannot take alone
# (one that includes others, which are looked up in the policy directories;
# an include cycle; a required name that resolves only in its test; a
# logging policy, whose log prefix names the container), kept out of
# tests/policies/ because tests/netns/cli-check.sh and differential.sh
# check and apply every file there.
# PM_HOOK_ARGS: extra arguments of `apply`, after the policy directories
# (e.g. PM_HOOK_ARGS=(--syslog-socket "$T_DIR/log.sock")); empty by
# default; no newlines in them. pm_init writes the JSON before a test can
# set them: set the array, then call pm_write_hook_json
# "$PM_HOOKS/oci-fw-hook.json" again.
PM_HOOK_ARGS=()
pm_write_hook_json() {
	local extra=[]
	[ "${#PM_HOOK_ARGS[@]}" -gt 0 ] && extra=$(printf '%s\n' "${PM_HOOK_ARGS[@]}" | jq -R . | jq -sc .)
	jq -n --argjson extra "$extra" --arg path "$OCI_FW_HOOK" --arg p "$POLICIES" --arg tp "$TEST_POLICIES" \
		--arg rp "$TEST_POLICIES/not-standalone" '{
		version: "1.0.0",
		hook: { path: $path,
		        args: (["oci-fw-hook", "apply", "--policy-dir", $p, "--policy-dir", $tp,
		               "--policy-dir", $rp] + $extra) },
		when: { always: true },
		stages: ["createRuntime"]
	}' >"$1"
}

# pm_policy_dir: a policy directory of the test's own, POL, that the hook
# searches too (PM_HOOK_ARGS, the hook JSON written again): for tests that
# edit a policy while its containers run.
pm_policy_dir() {
	POL="$T_DIR/pol"
	mkdir -p "$POL"
	PM_HOOK_ARGS+=(--policy-dir "$POL")
	pm_write_hook_json "$PM_HOOKS/oci-fw-hook.json"
}

# pm_pod NAME: a pod of that name whose infra image is the busybox rootfs
# (no registry), both removed at exit (the pod first).
pm_pod() {
	local img="localhost/ofw-infra-$T_TAG:latest"
	if ! podman image exists "$img"; then
		tar -C "$PM_ROOTFS" -c . | timeout 120 podman import --change 'CMD ["/bin/sleep", "3600"]' - "$img" \
			>"$T_DIR/import.log" 2>&1 || t_die "podman import of the rootfs failed: $(tail -n 3 "$T_DIR/import.log")"
		t_on_exit "timeout 60 podman rmi -f $img"
	fi
	timeout 120 podman pod create --name "$1" --infra-image "$img" >"$T_DIR/pod.log" 2>&1 ||
		t_die "podman pod create failed: $(cat "$T_DIR/pod.log")"
	t_on_exit "timeout 60 podman pod rm -f -t 0 $1"
}

# pm_late_files: podman writes the container's resolv.conf and hosts after
# the OCI create, so after createRuntime hooks (podman 5 and later).
pm_late_files() { [ "$(pm_major)" -ge 5 ]; }

# pm_make_rootfs DIR: /bin/busybox and one symlink per applet.
pm_make_rootfs() {
	local d=$1 a
	mkdir -p "$d/bin" "$d/etc" "$d/tmp" "$d/proc" "$d/sys" "$d/dev" "$d/mark"
	cp /bin/busybox "$d/bin/busybox"
	for a in $("$d/bin/busybox" --list); do
		[ "$a" = busybox ] || ln -s busybox "$d/bin/$a"
	done
	echo 'root:x:0:0:root:/:/bin/sh' >"$d/etc/passwd"
	echo 'root:x:0:' >"$d/etc/group"
}

# pm_server: the server netns, veth to the host, servers on TCP 22, 80, 443,
# 8080 and a TFTP-like UDP responder on 69 and 53 (busybox nc has no UDP;
# the container uses `tftp -g`), on 198.51.100.2 and 10.254.0.2. Sets NS_S
# and PM_VETH.
pm_server() {
	local a p
	if ip -br addr show | grep -q " $C4/"; then
		t_die "$C4 is already configured on the host (a leftover of another run, or one running now)"
	fi
	ns_add s NS_S
	PM_VETH="ofh$$"
	ip link add "$PM_VETH" type veth peer name s0 netns "$NS_S" || t_die "cannot create veth $PM_VETH"
	t_on_exit "ip link del $PM_VETH"
	ip addr add "$C4/24" dev "$PM_VETH"
	ip link set "$PM_VETH" up
	ip -n "$NS_S" addr add "$S4/24" dev s0
	ip -n "$NS_S" addr add "$PM_PRIV4/32" dev s0
	ip -n "$NS_S" link set s0 up
	ip -n "$NS_S" route add default via "$C4"
	ip route add "$PM_PRIV4/32" via "$S4" dev "$PM_VETH"
	for p in 22 80 443 8080; do
		srv_tcp "$NS_S" 0.0.0.0 "$p"
	done
	udp_responder "$T_DIR/tftp-reply" "printf '\\000\\003\\000\\001ok\\n'"
	for a in "$S4" "$PM_PRIV4"; do
		for p in 69 53; do
			ip netns exec "$NS_S" socat "UDP4-RECVFROM:$p,bind=$a,reuseaddr,fork" \
				"EXEC:$T_DIR/tftp-reply" </dev/null >>"$T_DIR/servers.log" 2>&1 &
			t_track_pid $!
			wait_listen "$NS_S" udp "$a" "$p"
		done
	done
}

# pm_free_ports: two distinct free TCP ports of the host, per run (other
# tests may publish ports at the same time), as "P1 P2".
pm_free_ports() {
	local p found=()
	for p in $(shuf -i 20000-39999 -n 40); do
		ss -Htln "sport = :$p" | grep -q . || found+=("$p")
		[ "${#found[@]}" -ge 2 ] && { echo "${found[*]}"; return; }
	done
	t_die "no two free TCP ports found on the host"
}

# pm_host_address ADDR: ADDR/32 on the host side of pm_server's veth, in
# the runtime's (here: the host's) network namespace, gone with the veth:
# an address by which containers reach the host, and no other host's.
# srv_host_tcp ADDR PORT: a TCP server answering "ok" there.
pm_host_address() {
	ip addr add "$1/32" dev "$PM_VETH" || t_die "cannot put $1 on $PM_VETH"
}
srv_host_tcp() {
	socat "TCP4-LISTEN:$2,bind=$1,reuseaddr,fork" 'SYSTEM:echo ok' </dev/null >>"$T_DIR/servers.log" 2>&1 &
	t_track_pid $!
	for _ in $(seq 1 100); do
		ss -Hltn 2>/dev/null | awk -v w="$1:$2" '$4 == w { f = 1 } END { exit !f }' && return 0
		sleep 0.05
	done
	t_die "no TCP listener on $1:$2 on the host after 5 s"
}

# Shell snippets for the container (busybox sh). Each prints NAME=reach or
# NAME=blocked. A probe runs in the background, beside the script's other
# probes: a blocked one waits out its timeout (2 s for TCP, 3 for UDP), and
# one after the other those waits were most of the podman suites' time. The
# script's shell waits for them as it exits (the EXIT trap each sets), so a
# script of probes needs no `wait` of its own; the lines come in the order
# the probes end (pm_result looks a name up).
pm_tcp_probe() { # pm_tcp_probe NAME ADDR PORT
	printf 'trap wait EXIT; (if nc -w 2 %s %s </dev/null 2>/dev/null | grep -q ok; then echo %s=reach; else echo %s=blocked; fi) & ' \
		"$2" "$3" "$1" "$1"
}
pm_udp_probe() { # pm_udp_probe NAME ADDR PORT
	printf 'trap wait EXIT; (if timeout 3 tftp -g -r x -l /tmp/u.%s %s %s 2>/dev/null && grep -q ok /tmp/u.%s; then echo %s=reach; else echo %s=blocked; fi; rm -f /tmp/u.%s) & ' \
		"$1" "$2" "$3" "$1" "$1" "$1" "$1"
}

# pm_run [PODMAN-RUN-OPTIONS...] -- CMD...: one `podman run --rm
# --read-only` of the test rootfs; sets PM_RC, PM_OUT, PM_ERR, PM_HOOK_ERR.
# PM_RM=() runs without --rm (podman 5's --rm also removes --cidfile when
# the start fails; the EXIT trap removes the container).
PM_RM=(--rm)
pm_run() {
	local opts=() name
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		opts+=("$1")
		shift
	done
	[ "${1:-}" = -- ] && shift
	PM_N=$((PM_N + 1))
	name="ofw-$T_TAG-$PM_N"
	PM_NAMES+=("$name")
	pm_hook_err_setup
	[ -n "$PM_HOOK_ERR_FILE" ] && opts+=(--annotation "run.oci.hooks.stderr=$PM_HOOK_ERR_FILE")
	"${PM_PODMAN[@]}" run "${PM_RM[@]}" --read-only --name "$name" "${opts[@]}" \
		--rootfs "$PM_ROOTFS" "$@" </dev/null >"$T_DIR/pm.out" 2>"$T_DIR/pm.err"
	PM_RC=$?
	PM_OUT=$(cat "$T_DIR/pm.out")
	PM_ERR=$(cat "$T_DIR/pm.err")
	pm_hook_err_collect
	# a hang is never what a test expects, though it fails like a refusal
	[ "$PM_RC" -eq 124 ] && t_fail "podman run $name hung: ended by the test's 120 s timeout"
	return $PM_RC
}

# pm_start [PODMAN-RUN-OPTIONS...]: a detached container of the test
# rootfs running `sleep 300` (removed by the EXIT trap); sets PM_NAME,
# PM_ERR, PM_HOOK_ERR and PM_PID (its process, as the hook saw it) and
# returns podman's status.
pm_start() {
	PM_N=$((PM_N + 1))
	PM_NAME="ofw-$T_TAG-$PM_N"
	PM_NAMES+=("$PM_NAME")
	PM_PID=
	pm_hook_err_setup
	local hk=()
	[ -n "$PM_HOOK_ERR_FILE" ] && hk=(--annotation "run.oci.hooks.stderr=$PM_HOOK_ERR_FILE")
	timeout 120 podman run -d --read-only --name "$PM_NAME" "${hk[@]}" "$@" --rootfs "$PM_ROOTFS" \
		/bin/sleep 300 </dev/null >"$T_DIR/pm.out" 2>"$T_DIR/pm.err"
	PM_RC=$?
	PM_ERR=$(<"$T_DIR/pm.err")
	pm_hook_err_collect
	[ "$PM_RC" -eq 0 ] || return "$PM_RC"
	PM_PID=$(podman inspect -f '{{.State.Pid}}' "$PM_NAME" 2>/dev/null)
}

# pm_exec WHAT SCRIPT: SCRIPT (busybox sh) run by `podman exec` in the
# detached container PM_NAME; sets PM_RC, PM_OUT, PM_ERR (for pm_expect) and
# records whether podman exec exited 0.
pm_exec() {
	PM_OUT=$(timeout 30 podman exec "$PM_NAME" /bin/sh -c "$2" </dev/null 2>"$T_DIR/exec.err")
	PM_RC=$?
	PM_ERR=$(<"$T_DIR/exec.err")
	[ "$PM_RC" -eq 0 ] && t_ok "$1: podman exec exit 0" || t_fail "$1: podman exec exit $PM_RC: $PM_ERR"
}

# pm_refused WHAT [PODMAN-RUN-OPTIONS...] -- [ERE...]: a container whose
# process would leave a mark must be refused: podman exits 126 (the OCI
# runtime failed: the hook), the process never ran, and the hook's line
# (pm_check_hook: in podman's error under runc, in crun's
# run.oci.hooks.stderr file under crun) matches every ERE
# (case-insensitive).
pm_refused() {
	local what=$1 opts=()
	shift
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		opts+=("$1")
		shift
	done
	[ "${1:-}" = -- ] && shift
	rm -f "$PM_MARK/ran"
	pm_run "${opts[@]}" -v "$PM_MARK:/mark" -- /bin/sh -c 'echo ran >/mark/ran; echo container-ran'
	[ "$PM_RC" = 126 ] && t_ok "$what: podman run exit 126" ||
		t_fail "$what: expected podman run to exit 126, got $PM_RC; stdout: $PM_OUT; stderr: $PM_ERR"
	if [ -e "$PM_MARK/ran" ] || grep -q container-ran <<<"$PM_OUT"; then
		t_fail "$what: the container's process ran"
	else
		t_ok "$what: the container's process never ran"
	fi
	pm_check_hook "$what" "$@"
}

# pm_ok WHAT: the last pm_run exited 0.
pm_ok() { check_run_ran "$1" podman "$PM_RC" "stdout: $PM_OUT; stderr: $PM_ERR"; }

# pm_result NAME: the reach/blocked word the container printed for NAME.
pm_result() { sed -n "s/^$1=//p" <<<"$PM_OUT" | head -n1; }

# pm_check_stopped WHAT: the last pm_run, of `sleep 5; echo
# container-finished`, was stopped by the hook's companion once started
# (podman 5, a required name that stays empty): SIGKILL, exit 137.
pm_check_stopped() {
	[ "$PM_RC" -eq 137 ] && ! grep -q container-finished <<<"$PM_OUT" &&
		t_ok "$1: podman run exit 137, the container's process killed" ||
		t_fail "$1: podman run exit $PM_RC, not 137 (out: $PM_OUT, err: $PM_ERR)"
}

# pm_expect NAME reach|blocked: one recorded check on the last pm_run.
pm_expect() {
	local got
	got=$(pm_result "$1")
	if [ "$got" = "$2" ]; then
		t_ok "$1: $got"
	else
		t_fail "$1: expected $2, got ${got:-nothing} (podman exit $PM_RC; stdout: $PM_OUT; stderr: $PM_ERR)"
	fi
}

# Newest first: podman refuses to remove a container whose network
# namespace a later one joined (--network container:A) while that one exists.
pm_cleanup_containers() {
	local i
	for ((i = ${#PM_NAMES[@]} - 1; i >= 0; i--)); do
		timeout 30 podman rm -f -t 0 --ignore "${PM_NAMES[i]}" >/dev/null 2>&1
	done
}

# pm_dns_server ZONE: tests/lib/dns-server.py, answering from the zone file
# ZONE ("NAME ADDRESS" lines, read again at every query, so a test can
# change an answer), on UDP 53 of PM_DNS4 (198.51.100.3): a third address of
# the server netns, because pm_server's TFTP-like responder holds port 53 of
# the other two. It is a /32 on s0, inside the host's 198.51.100.0/24 on the
# veth, so the host (and containers through it) reach it on-link: the
# server netns answers ARP for it. Queries are logged to PM_DNS_LOG. Call
# after pm_server; returns once the server answers (bounded wait).
# More arguments go to dns-server.py (--rotate, --tcp, ...).
PM_DNS4=198.51.100.3
pm_dns_server() {
	local zone=$1 i
	PM_DNS_LOG="$T_DIR/dns.log"
	: >"$PM_DNS_LOG"
	ip -n "$NS_S" addr add "$PM_DNS4/32" dev s0 || t_die "cannot add $PM_DNS4 to the server netns"
	nsenter --net="/run/netns/$NS_S" python3 "$T_LIB_DIR/dns-server.py" --listen "$PM_DNS4" \
		--zone "$zone" --log "$PM_DNS_LOG" "${@:2}" </dev/null >>"$T_DIR/servers.log" 2>&1 &
	t_track_pid $!
	for i in $(seq 1 50); do
		pm_dns_query ready.probe.invalid >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	t_die "the DNS server on $PM_DNS4 did not answer within 5 s"
}

# Hostnames that follow DNS (learn.h): the learn-names test policy.
# pm_learn_setup: pm_dns_server with one address at a time for
# rot.test.example (PM_ROT: 198.51.100.10-19, TTL 1), and a.wild,
# wild and evilwild.test.example at .30, .32 and .33; .20 is announced
# for no name. All are /32s of the server netns on the host's link.
PM_ROT=(198.51.100.1{0..9})
pm_learn_setup() {
	local a zone="$T_DIR/learn.zone"
	for a in "${PM_ROT[@]}" 198.51.100.20 198.51.100.30 198.51.100.32 198.51.100.33; do
		ip -n "$NS_S" addr add "$a/32" dev s0 || t_die "cannot add $a to the server netns"
	done
	{
		for a in "${PM_ROT[@]}"; do echo "rot.test.example $a"; done
		echo "a.wild.test.example 198.51.100.30"
		echo "wild.test.example 198.51.100.32"
		echo "evilwild.test.example 198.51.100.33"
	} >"$zone"
	chmod 0644 "$zone"
	pm_dns_server "$zone" --rotate
}
# pm_learn_script N: busybox sh for the container: N times, look
# rot.test.example up (nslookup, at PM_DNS4) and connect to the address
# on 8080; prints rot=SUCCESSES (and for a failed connect, whether a
# second one a second later reached: miss=ADDR again=reach|blocked); then each wildcard name looked up and
# connected once (NAME=reach|blocked), and the unannounced .20.
pm_learn_script() {
	printf 'n=0; i=0; while [ $i -lt %s ]; do i=$((i+1)); a=$(nslookup rot.test.example %s 2>/dev/null | sed -n "s/^Address: *\\(198\\.51\\.100\\.1[0-9]\\)$/\\1/p" | head -n1); if [ -n "$a" ] && nc -w 2 "$a" 8080 </dev/null 2>/dev/null | grep -q ok; then n=$((n+1)); else sleep 1; nc -w 2 "$a" 8080 </dev/null 2>/dev/null | grep -q ok && s=reach || s=blocked; echo "miss=$a again=$s"; fi; done; echo rot=$n; ' \
		"$1" "$PM_DNS4"
	printf 'for h in a.wild wild evilwild; do a=$(nslookup $h.test.example %s 2>/dev/null | sed -n "s/^Address: *\\(198\\.51\\.100\\.3[0-9]\\)$/\\1/p" | head -n1); if [ -n "$a" ] && nc -w 2 "$a" 8080 </dev/null 2>/dev/null | grep -q ok; then echo $h=reach; else echo $h=blocked; fi; done; ' \
		"$PM_DNS4"
	pm_tcp_probe unannounced 198.51.100.20 8080
}
# pm_learn_expect WHAT N: the results of pm_learn_script N
pm_learn_expect() {
	if [ "$(pm_result rot)" = "$2" ]; then
		t_ok "$1: $2 lookups of a rotating name (TTL 1), each connect reached"
	else
		t_fail "$1: rot=$(pm_result rot) of $2 (podman exit $PM_RC; stdout: $PM_OUT; stderr: $PM_ERR)"
	fi
	pm_expect a.wild reach
	pm_expect wild blocked
	pm_expect evilwild blocked
	pm_expect unannounced blocked
}
# pm_learners PID: the oci-fw-hook processes in the netns of process PID
pm_learners() {
	local p
	for p in $(pgrep -x oci-fw-hook); do
		[[ /proc/$p/ns/net -ef /proc/$1/ns/net ]] && echo "$p"
	done
}

# pm_dns_query NAME: one A query to PM_DNS4 from the host; prints the
# response code (0 NOERROR, 3 NXDOMAIN, ...) and fails when there is no
# answer within 0.5 s.
pm_dns_query() {
	timeout 3 python3 - "$PM_DNS4" "$1" <<'PY'
import socket, struct, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(0.5)
q = struct.pack(">HHHHHH", 0x4f46, 0x0100, 1, 0, 0, 0)
q += b"".join(bytes([len(l)]) + l.encode() for l in sys.argv[2].split(".")) + b"\0"
q += struct.pack(">HH", 1, 1)
s.sendto(q, (sys.argv[1], 53))
r = s.recv(512)
print(r[3] & 15)
PY
}

# show_run ARG...: `oci-fw-hook show ARG...`; sets SH_RC, SH_OUT, SH_ERR
# (rootless.sh's tests run it as the user: they define their own).
show_run() {
	SH_OUT=$(timeout 30 "$OCI_FW_HOOK" show "$@" 2>"$T_DIR/show.err")
	SH_RC=$?
	SH_ERR=$(<"$T_DIR/show.err")
}
# show_json WHAT ARG: `show --json ARG` exits 0 with a JSON document
show_json() {
	show_run --json "$2"
	if [ "$SH_RC" -eq 0 ] && jq -e 'type == "object"' >/dev/null 2>&1 <<<"$SH_OUT"; then
		t_ok "$1: show --json $2: exit 0, a JSON object"
	else
		t_fail "$1: show --json $2: exit $SH_RC, stdout: $SH_OUT, stderr: $SH_ERR"
	fi
}
# jq_check WHAT FILTER: FILTER (jq -e) holds for the last show output
jq_check() {
	if jq -e "$2" >/dev/null 2>&1 <<<"$SH_OUT"; then t_ok "$1"; else
		t_fail "$1: jq '$2' does not hold for: $SH_OUT (stderr: $SH_ERR)"
	fi
}
