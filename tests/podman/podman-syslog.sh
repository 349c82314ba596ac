#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# podman-syslog.sh: every apply sends one syslog datagram (facility daemon, "<PRI>oci-fw-hook[PID]: ...") to --syslog-socket: a podman container with fw.policy=denyall gives "<30>... applied container=<podman's full id> policy=denyall sha256=<the table's> mode=enforce rules=N elements=M elapsed_us=T", a refused one (missing policy) "<27>... refused container=<id> exit=11: <the error podman shows>". By hand in a netns: with the default --log-level nothing reaches stderr on success, "kept" (naming what the table holds, also for an unannotated container under a default policy) and the warning of a replaced firewall are recorded too (<30>, <28>), --log-level warning and info print them, --syslog-socket none sends nothing.

. "$(dirname "$0")/../lib/podman.sh"
pm_init
pm_server

# A syslog daemon of the test's own: each datagram one line of $LOG.
SOCK="$T_DIR/log.sock"
LOG="$T_DIR/log"
record_listen "$SOCK" "$LOG"

PM_HOOK_ARGS=(--syslog-socket "$SOCK")
pm_write_hook_json "$PM_HOOKS/oci-fw-hook.json"

# records_for ID: the lines of $LOG naming container ID (bounded wait for
# the first; the hook has exited by the time podman returns, so more do
# not follow)
records_for() {
	for _ in $(seq 1 20); do
		grep -F "container=$1" "$LOG" && return 0
		sleep 0.05
	done
	return 1
}

# (a) podman, denyall: one "applied" record with podman's id
pm_start --annotation fw.policy=denyall
[ "$PM_RC" -eq 0 ] && [ -n "$PM_PID" ] && t_ok "(a) denyall container, pid $PM_PID" ||
	t_die "(a) podman run -d exit $PM_RC: $PM_ERR"
cid=$(podman inspect -f '{{.Id}}' "$PM_NAME")
[[ $cid =~ ^[0-9a-f]{64}$ ]] || t_die "(a) podman inspect gave the id '$cid'"
sha=$(nsenter -t "$PM_PID" -n nft list table inet oci_fw | sed -n 's/^[[:space:]]*comment "denyall sha256:\([0-9a-f]\{16\}\) from:.*/\1/p')
[ -n "$sha" ] || t_fail "(a) no 'denyall sha256:' comment in the container's table"
recs=$(records_for "$cid")
n=$(grep -c . <<<"$recs")
[ "$n" = 1 ] && t_ok "(a) one record for container $cid" || t_fail "(a) $n records for container $cid: $recs (all: $(cat "$LOG"))"
re='^<30>oci-fw-hook\[([0-9]+)\]: applied container='"$cid"' policy=denyall sha256='"$sha"' mode=enforce rules=([0-9]+) elements=([0-9]+) elapsed_us=([0-9]+)$'
if [[ $recs =~ $re ]]; then
	t_ok "(a) $recs"
	[ "${BASH_REMATCH[2]}" -gt 0 ] && t_ok "(a) rules=${BASH_REMATCH[2]} > 0" || t_fail "(a) rules=${BASH_REMATCH[2]}"
	[ "${BASH_REMATCH[1]}" -gt 1 ] && [ "${BASH_REMATCH[1]}" != "$PM_PID" ] &&
		t_ok "(a) the pid in the ident is the hook's (${BASH_REMATCH[1]})" ||
		t_fail "(a) the ident's pid ${BASH_REMATCH[1]} is not the hook's"
	[ "${BASH_REMATCH[4]}" -gt 0 ] && [ "${BASH_REMATCH[4]}" -lt 10000000 ] &&
		t_ok "(a) elapsed_us=${BASH_REMATCH[4]}" || t_fail "(a) elapsed_us=${BASH_REMATCH[4]} (0 or over 10 s)"
else
	t_fail "(a) the record does not match /$re/: '$recs'"
fi

# (b) podman, a missing policy: refused, the error line recorded at LOG_ERR.
# Without --rm: podman 5's --rm removes the --cidfile too when the start
# fails (the EXIT trap removes the container).
rm -f "$T_DIR/cid-refused"
PM_RM=()
pm_refused "(b) missing policy" --cidfile "$T_DIR/cid-refused" --annotation fw.policy=no-such-policy-xyz -- 'no-such-policy-xyz'
PM_RM=(--rm)
rcid=$(cat "$T_DIR/cid-refused" 2>/dev/null)
[[ $rcid =~ ^[0-9a-f]{64}$ ]] || t_die "(b) podman wrote no container id to --cidfile: '$rcid'"
# the line the user was shown (under crun: crun's run.oci.hooks.stderr file)
err_line=$(grep -o 'oci-fw-hook: .*' <<<"$PM_HOOK_ERR" | head -n1 | sed 's/\\n.*$//; s/^oci-fw-hook: //')
recs=$(records_for "$rcid")
if [ "$(grep -c . <<<"$recs")" = 1 ] && [[ $recs =~ ^\<27\>oci-fw-hook\[[0-9]+\]:\ refused\ container=$rcid\ exit=11:\ (.*)$ ]]; then
	t_ok "(b) $recs"
	[ "${BASH_REMATCH[1]}" = "$err_line" ] && t_ok "(b) the record's error is the one podman showed" ||
		t_fail "(b) the record says '${BASH_REMATCH[1]}', podman showed '$err_line'"
else
	t_fail "(b) expected one '<27>oci-fw-hook[PID]: refused container=$rcid exit=11: ...' record, got: '$recs' (all: $(cat "$LOG"))"
fi

# (c) by hand in a netns: what reaches stderr at each --log-level
ns_add c NS_C
mkdir -p "$T_DIR/pol"
cp "$POLICIES/denyall.json" "$T_DIR/pol/rp.json"
chmod 0644 "$T_DIR/pol/rp.json"
HOOK_DIRS=(--policy-dir "$T_DIR/pol")
id="ofw-$T_TAG" # make_state's container id
fc_new "$NS_C"
hook_apply "$(make_state "$FC_PID" "$FC_BUNDLE" rp)" --syslog-socket "$SOCK"
check_hook_ok "(c) apply rp"
[ -z "$HOOK_ERR" ] && [ -z "$HOOK_OUT" ] && t_ok "(c) default --log-level: nothing on stderr or stdout" ||
	t_fail "(c) default --log-level printed: stderr '$HOOK_ERR', stdout '$HOOK_OUT'"
recs=$(records_for "$id")
[[ $recs =~ ^\<30\>oci-fw-hook\[[0-9]+\]:\ applied\ container=$id\ policy=rp\ sha256=[0-9a-f]{16}\ mode=enforce\ rules=[1-9][0-9]*\ elements=[0-9]+\ elapsed_us=[0-9]+$ ]] &&
	t_ok "(c) $recs" || t_fail "(c) expected one applied record for $id, got: '$recs'"

# the same policy again (another container in the netns): kept
: >"$LOG"
fc_bundle
hook_apply "$(make_state "$FC_PID" "$FC_BUNDLE" rp)" --syslog-socket "$SOCK" --log-level info
check_hook_ok "(c) apply rp again, --log-level info"
kept_re="kept container=$id policy=rp sha256=[0-9a-f]{16} mode=enforce rules=0 elements=0 elapsed_us=[0-9]+"
[[ $HOOK_ERR =~ ^oci-fw-hook:\ $kept_re$ ]] && t_ok "(c) --log-level info: $HOOK_ERR" ||
	t_fail "(c) --log-level info: expected one 'oci-fw-hook: kept ...' line on stderr, got '$HOOK_ERR'"
recs=$(records_for "$id")
[[ $recs =~ ^\<30\>oci-fw-hook\[[0-9]+\]:\ $kept_re$ ]] && t_ok "(c) $recs" ||
	t_fail "(c) expected one kept record, got: '$recs'"

# a new version of rp: it replaces the old one, with a warning (<28>)
: >"$LOG"
jq '.description = "rp, version 2"' "$POLICIES/denyall.json" >"$T_DIR/pol/rp.json"
fc_bundle
hook_apply "$(make_state "$FC_PID" "$FC_BUNDLE" rp)" --syslog-socket "$SOCK" --log-level warning
check_hook_ok "(c) apply rp version 2, --log-level warning"
[[ $HOOK_ERR =~ ^oci-fw-hook:\ replaced\ the\ shared\ network\ namespace\'s\ firewall\ \(rp\ sha256:[0-9a-f]{16}\ from:[0-9a-f]{16}\)$ ]] &&
	t_ok "(c) --log-level warning: $HOOK_ERR (and no applied line)" ||
	t_fail "(c) --log-level warning: expected only the 'replaced ...' warning on stderr, got '$HOOK_ERR'"
records_for "$id" >/dev/null
if grep -Eq '^<28>oci-fw-hook\[[0-9]+\]: replaced the shared network namespace.s firewall \(rp sha256:[0-9a-f]{16} from:[0-9a-f]{16}\)$' "$LOG" &&
	grep -Eq "^<30>oci-fw-hook\[[0-9]+\]: applied container=$id policy=rp " "$LOG" && [ "$(grep -c . "$LOG")" = 2 ]; then
	t_ok "(c) recorded: the warning (<28>) and the apply (<30>)"
else
	t_fail "(c) expected a <28> replaced record and a <30> applied one, got: $(cat "$LOG")"
fi

# an unannotated container joins the namespace under --default-policy
# denyall: the table holds rp (version 2) and stays; the record names rp,
# what is loaded, not the default it would have loaded
: >"$LOG"
v2=$(ns_nft "$NS_C" list table inet oci_fw | sed -n 's/.*comment "rp sha256:\([0-9a-f]*\) .*/\1/p')
fc_bundle
HOOK_DIRS=(--policy-dir "$T_DIR/pol" --policy-dir "$POLICIES")
hook_apply "$(make_state "$FC_PID" "$FC_BUNDLE")" --syslog-socket "$SOCK" --default-policy denyall
HOOK_DIRS=(--policy-dir "$T_DIR/pol")
check_hook_ok "(c) an unannotated container joins rp's namespace under --default-policy denyall"
recs=$(records_for "$id")
[ -n "$v2" ] && [[ $recs =~ ^\<30\>oci-fw-hook\[[0-9]+\]:\ kept\ container=$id\ policy=rp\ sha256=$v2\ mode=enforce\ rules=0\ elements=0\ elapsed_us=[0-9]+$ ]] &&
	t_ok "(c) the record names what the table holds: $recs" ||
	t_fail "(c) expected 'kept ... policy=rp sha256=$v2 mode=enforce' (no default), got: '$recs'"

# --syslog-socket none: no record
: >"$LOG"
fc_bundle
hook_apply "$(make_state "$FC_PID" "$FC_BUNDLE" rp)" --syslog-socket none
check_hook_ok "(c) apply with --syslog-socket none"
[ -z "$HOOK_ERR" ] && t_ok "(c) nothing on stderr" || t_fail "(c) stderr: $HOOK_ERR"
records_for "$id" >/dev/null && t_fail "(c) --syslog-socket none sent a record: $(cat "$LOG")" ||
	t_ok "(c) --syslog-socket none: no record"
t_finish
