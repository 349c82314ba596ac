#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# late-files.sh: podman 5's order without podman (so under ASan too): the container's resolv.conf and hosts are bind-mounted empty at createRuntime and written afterwards. The hook loads the firewall with the symbolic sets empty (a connection to the hostname is blocked), its companion fills them the moment the "runtime" writes resolv.conf (then it reaches, and the record says filled ... late_us=N); a file written again before the companion read it is not trusted (sets stay empty); a required name that stays empty stops the container; a container that ends first leaves nothing behind.

. "$(dirname "$0")/../lib/netns.sh"
t_init
t_need_hook

names_setup
LOG="$T_DIR/log"
record_listen "$T_DIR/log.sock" "$LOG"

cat >"$T_DIR/pol/required.json" <<'JSON'
{ "egress": { "default": "reject", "allow": [
    { "to": ["dns"] },
    { "to": ["missing.test.example"], "proto": "tcp", "ports": [8080], "resolve": "required" } ] } }
JSON
HOOK_DIRS=(--policy-dir "$T_DIR/pol" --syslog-socket "$T_DIR/log.sock")

# late_apply POLICY: a fake container whose files come late, and the hook.
late_apply() {
	fc_new "$NS_C" late
	if hook_apply "$(make_state "$FC_PID" "$FC_BUNDLE" "$1")"; then
		t_ok "$1: apply exit 0 with the files still empty"
	else
		t_fail "$1: apply exit $HOOK_RC: $HOOK_ERR"
	fi
}
# companion_pid: the companion of FC_BUNDLE (it holds its resolv.conf open).
companion_pid() {
	local p f
	for p in $(pgrep -x oci-fw-hook); do
		for f in /proc/"$p"/fd/*; do
			[ "$(readlink "$f")" = "$FC_BUNDLE/userdata/resolv.conf" ] && echo "$p" && return 0
		done
	done
	return 1
}
# alive PID: runs (a zombie, not yet reaped by this shell, does not)
alive() { [ -e "/proc/$1" ] && [ "$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" != Z ]; }
# next_case: the fake container of the case before gone (not just
# signalled: a neighbour with every capability refuses the next), its
# firewall too
next_case() {
	t_kill_pid "$FC_PID"
	ns_nft "$NS_C" delete table inet oci_fw 2>/dev/null
}
set_elems() { ns_nft "$NS_C" list set inet oci_fw "$1" 2>&1 | grep -c 'elements = '; }
# runtime_writes: as podman 5: hosts, then resolv.conf, each in place
runtime_writes() {
	printf '127.0.0.1 localhost\n' >"$FC_BUNDLE/userdata/hosts"
	printf 'nameserver 198.51.100.3\n' >"$FC_BUNDLE/userdata/resolv.conf"
}

# (a) filled once the runtime writes the files
late_apply names
id=ofw-$T_TAG
record_wait "$LOG" "applied container=$id policy=names .* symbols=late " &&
	t_ok "(a) the record says the symbols come late" || t_fail "(a) no symbols=late record: $(cat "$LOG")"
[ "$(set_elems sym.dns_v4)" = 0 ] && t_ok "(a) sym.dns_v4 is empty before the files are written" ||
	t_fail "(a) sym.dns_v4 before the write: $(ns_nft "$NS_C" list set inet oci_fw sym.dns_v4 2>&1)"
check_probes "(a) before" "
blocked tcp NS_C $S4 8080
"
companion_pid >/dev/null && t_ok "(a) the companion waits" || t_fail "(a) no companion holds the bundle's resolv.conf"
runtime_writes
if record_wait "$LOG" "filled container=$id policy=names sha256=[0-9a-f]{16} late_us=[0-9]+"; then
	t_ok "(a) $(grep -o 'filled .*' "$LOG")"
else
	t_fail "(a) no filled record: $(cat "$LOG")"
fi
check_probes "(a) after" "
reach   tcp NS_C $S4 8080
blocked tcp NS_C $S4 80
"
ns_nft "$NS_C" list set inet oci_fw sym.dns_v4 | grep -q 'elements = { 198.51.100.3 }' &&
	t_ok "(a) sym.dns_v4 holds the nameserver the runtime wrote" ||
	t_fail "(a) sym.dns_v4: $(ns_nft "$NS_C" list set inet oci_fw sym.dns_v4 2>&1)"
for _ in $(seq 1 50); do companion_pid >/dev/null || break; sleep 0.1; done
companion_pid >/dev/null && t_fail "(a) the companion is still there" || t_ok "(a) the companion has ended"

# (b) written again before the companion read it: the container's own
# write, as far as anyone can tell; not trusted
next_case
late_apply names
if cp=$(companion_pid); then
	kill -STOP "$cp"
	runtime_writes
	printf 'nameserver %s\n' "$S4" >"$FC_BUNDLE/userdata/resolv.conf"
	kill -CONT "$cp"
	record_wait "$LOG" "container=$id: symbolic destinations stay empty: .*written again before the hook read it" &&
		t_ok "(b) $(grep -o 'container=[^ ]*: symbolic destinations stay empty.*' "$LOG" | tail -n1)" ||
		t_fail "(b) no record of the file written twice: $(cat "$LOG")"
	[ "$(set_elems sym.dns_v4)" = 0 ] && t_ok "(b) sym.dns_v4 stays empty" ||
		t_fail "(b) sym.dns_v4: $(ns_nft "$NS_C" list set inet oci_fw sym.dns_v4 2>&1)"
	alive "$FC_PID" && t_ok "(b) the container runs on (no name was required)" ||
		t_fail "(b) the container was stopped"
else
	t_fail "(b) no companion"
fi

# (c) a required name that stays empty stops the container, once the
# runtime has started it (its process runs the container's program): crun
# waits forever to start a process killed before (late.c). Here the
# "runtime's init" is a bash that execs sleep when $T_DIR/go appears.
# late_init: that process as the fake container (FC_PID), then its bundle.
late_init() {
	rm -f "$T_DIR/go"
	nsenter --net="/run/netns/$NS_C" bash -c 'while [ ! -e "$0" ]; do sleep 0.02; done; exec sleep 300' \
		"$T_DIR/go" </dev/null >/dev/null 2>&1 &
	FC_PID=$!
	t_track_pid "$FC_PID"
	for _ in $(seq 1 200); do
		[ "$(readlink "/proc/$FC_PID/exe")" = "$(readlink -f "$(command -v bash)")" ] && break
		sleep 0.01
	done
	fc_bundle late
}
# gone_within SECONDS PID: PID ends within SECONDS
gone_within() {
	for _ in $(seq 1 $(($1 * 20))); do alive "$2" || return 0; sleep 0.05; done
	return 1
}
# required_case: the case before gone, that process applied with the
# required policy, and the "runtime" writes the files
required_case() {
	next_case
	late_init
	hook_apply "$(make_state "$FC_PID" "$FC_BUNDLE" required)" || t_fail "(c) apply exit $HOOK_RC: $HOOK_ERR"
	runtime_writes
}
stop_record="container=$id: stopped the container \(a required name stays empty\): .*missing.test.example did not resolve"
required_case
sleep 1
alive "$FC_PID" && ! grep -q "stopped the container" "$LOG" &&
	t_ok "(c) not stopped before its start (1 s after the files)" ||
	t_fail "(c) stopped before the runtime started it: $(cat "$LOG")"
touch "$T_DIR/go"
gone_within 2 "$FC_PID" && t_ok "(c) killed once started" || t_fail "(c) the started container's process still runs"
record_wait "$LOG" "$stop_record" &&
	t_ok "(c) the record says the container was stopped" || t_fail "(c) no record of the stop: $(cat "$LOG")"

# (c) a container the runtime created and never starts (podman container
# init) is stopped all the same, after LATE_START_WAIT_MS (5 s)
: >"$LOG"
required_case
sleep 3
alive "$FC_PID" && t_ok "(c) never started: not stopped at 3 s" || t_fail "(c) never started: stopped before 5 s"
gone_within 5 "$FC_PID" && t_ok "(c) never started: killed after 5 s" ||
	t_fail "(c) never started: the container's process still runs"
record_wait "$LOG" "$stop_record" &&
	t_ok "(c) never started: the record says so" || t_fail "(c) never started: no record of the stop: $(cat "$LOG")"

# (d) the container ends before its runtime writes anything
next_case
late_apply names
cp=$(companion_pid)
kill "$FC_PID"
record_wait "$LOG" "container=$id: symbolic destinations stay empty: .*the container ended before its runtime wrote" &&
	t_ok "(d) the companion saw the container end" || t_fail "(d) no record: $(cat "$LOG")"
gone_within 5 "$cp" && t_ok "(d) the companion has ended" || t_fail "(d) the companion is still there"

t_finish
