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
# next_case: the fake container of the case before gone, its firewall too
next_case() {
	kill "$FC_PID" 2>/dev/null
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

# (c) a required name that stays empty stops the container
next_case
late_apply required
runtime_writes
record_wait "$LOG" "container=$id: stopped the container \(a required name stays empty\): .*missing.test.example did not resolve" &&
	t_ok "(c) the record says the container was stopped" || t_fail "(c) no record of the stop: $(cat "$LOG")"
for _ in $(seq 1 50); do alive "$FC_PID" || break; sleep 0.1; done
alive "$FC_PID" && t_fail "(c) the container's process still runs" ||
	t_ok "(c) the container's process was killed"

# (d) the container ends before its runtime writes anything
next_case
late_apply names
cp=$(companion_pid)
kill "$FC_PID"
record_wait "$LOG" "container=$id: symbolic destinations stay empty: .*the container ended before its runtime wrote" &&
	t_ok "(d) the companion saw the container end" || t_fail "(d) no record: $(cat "$LOG")"
for _ in $(seq 1 50); do alive "$cp" || break; sleep 0.1; done
alive "$cp" && t_fail "(d) the companion is still there" || t_ok "(d) the companion has ended"

t_finish
