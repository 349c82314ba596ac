#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# shared-netns.sh: containers sharing a netns (pods, --network container:X): the same policy again changes nothing, an edited policy file replaces the table (by name and by path), another policy (also one of the same name from another file: a path to another denyall.json, the name denyall.json) or a risky sibling (annotated or not; an unannotated one's fw.unsafe counts for nothing) is refused and the table stays intact; a container is refused while a neighbour that started first holds a risky capability (also when only one of its threads is in the namespace, and when it is the child of a PID 2 that is not the kernel's kthreadd); applies started at the same moment never duplicate the table or its rules.

. "$(dirname "$0")/../lib/netns.sh"
t_init
t_need_hook

topo_tcp 8080 8081

# ruleset_s NS: the listing without counters (they differ run to run)
ruleset_s() { ns_nft "$1" -s list ruleset 2>&1; }
n_tables() { ns_nft "$1" list tables 2>/dev/null | grep -c 'inet oci_fw$'; }

# same_as NS REFERENCE WHAT: NS's listing is REFERENCE, with one table.
same_as() {
	local now
	now=$(ruleset_s "$1")
	if [ "$now" = "$2" ]; then t_ok "$3: ruleset unchanged"; else
		t_fail "$3: ruleset differs:
$(diff <(echo "$2") <(echo "$now"))"
	fi
	[ "$(n_tables "$1")" = 1 ] && t_ok "$3: one table" || t_fail "$3: $(n_tables "$1") oci_fw tables"
}

# sibling WANT(ok|refused) WHAT POLICY(- for none) ANNOTATIONS WORDS [ERE...]:
# a new container in NS_C (new bundle; "samepid" in WORDS: the first
# container's process again, else a new process) runs the hook.
sibling() {
	local want=$1 what=$2 policy=$3 ann=$4 words=$5
	shift 5
	if [[ " $words " == *" samepid "* ]]; then FC_PID=$PID_A; words=${words/samepid/}; else
		fake_container "$NS_C"
	fi
	# shellcheck disable=SC2086 # words and annotations
	fc_bundle $words
	if [ "$policy" = - ]; then
		hook_apply "$(make_state_ann "$FC_PID" "$FC_BUNDLE" $ann)"
	else
		hook_apply "$(make_state "$FC_PID" "$FC_BUNDLE" "$policy" $ann)"
	fi
	if [ "$want" = ok ]; then check_hook_ok "$what"; else
		check_hook_error "$what" "$HOOK_EXIT_UNSAFE"
		[ $# -gt 0 ] && err_has "$what" "$@"
	fi
	same_as "$NS_C" "$BEFORE" "$what"
}

# --- the first container loads tcp-port --------------------------------------
apply_policy "$NS_C" tcp-port
PID_A=$FC_PID
BEFORE=$(ruleset_s "$NS_C")

# same policy, same file: nothing changes
sibling ok "same policy, another container" tcp-port "" ""
sibling ok "same policy, same process again" tcp-port "" "samepid"
# the capability checks still apply
sibling refused "same policy, sibling with CAP_NET_ADMIN" tcp-port "" "CAP_NET_ADMIN" NET_ADMIN
sibling ok "same policy, CAP_NET_RAW accepted by fw.unsafe" tcp-port fw.unsafe=CAP_NET_RAW "CAP_NET_RAW"
# another policy: refused, naming both; the table stays
sibling refused "another policy" denyall "" "" tcp-port denyall
sibling refused "another policy, same process" denyall "" "samepid" tcp-port denyall
# no annotation: a safe sibling passes, a risky one is refused
sibling ok "no annotation, default capabilities" - "" ""
sibling ok "no annotation, no capabilities" - "" "nocaps"
for cap in NET_ADMIN SYS_ADMIN NET_RAW; do
	sibling refused "no annotation, CAP_$cap" - "" "CAP_$cap" "$cap" \
		'another container|other container|already holds|oci_fw'
done
sibling refused "no annotation, CAP_SYS_ADMIN in bounding only" - "" "bounding:CAP_SYS_ADMIN" SYS_ADMIN
sibling refused "no annotation, CAP_NET_RAW and CAP_NET_ADMIN, NET_RAW accepted" - \
	fw.unsafe=CAP_NET_RAW "CAP_NET_RAW CAP_NET_ADMIN" NET_ADMIN
# fw.unsafe accepts a risk for the container's own firewall, never for
# another container's: unannotated, it accepts nothing here
sibling refused "no annotation, CAP_NET_RAW, fw.unsafe=CAP_NET_RAW" - fw.unsafe=CAP_NET_RAW "CAP_NET_RAW" \
	CAP_NET_RAW "another container's firewall"
sibling refused "no annotation, CAP_NET_ADMIN, fw.unsafe=CAP_NET_ADMIN" - fw.unsafe=CAP_NET_ADMIN "CAP_NET_ADMIN" \
	CAP_NET_ADMIN "another container's firewall"
# ... and it still enforces
check_probes policy "
reach   tcp NS_C $S4 8080
blocked tcp NS_C $S4 8081
"

# --- neighbours that started first (invariant 4, whichever order) ------------
# A process of another container already in the namespace, with no firewall
# there yet: the container that brings one is refused while a neighbour
# holds what could undo it, admitted once none does.
ns_add n NS_N
# first WANT WHAT POLICY ANNOTATIONS [SETPRIV-ARG...]: a neighbour (with
# setpriv's arguments), then a container with POLICY; the neighbour stops.
first() {
	local want=$1 what=$2 policy=$3 ann=$4
	shift 4
	neighbour "$NS_N" "$@"
	fc_new "$NS_N"
	# shellcheck disable=SC2086 # the annotations
	hook_apply "$(make_state "$FC_PID" "$FC_BUNDLE" "$policy" $ann)"
	if [ "$want" = ok ]; then
		check_hook_ok "$what"
		ns_has_table "$NS_N" && t_ok "$what: the firewall is loaded" || t_fail "$what: no table"
	else
		check_hook_error "$what" "$HOOK_EXIT_UNSAFE"
		err_has "$what" "process $NB_PID" "$want"
		check_empty "$NS_N" "$what"
	fi
	t_kill_pid "$NB_PID"
	ns_nft "$NS_N" flush ruleset
}
first CAP_NET_ADMIN "neighbour with every capability, then denyall" denyall ""
first CAP_NET_ADMIN "neighbour with every capability, fw.unsafe of another risk" denyall fw.unsafe=CAP_NET_RAW
first ok "neighbour without capabilities" denyall "" \
	--bounding-set -all --inh-caps -all --ambient-caps -all
first CAP_NET_RAW "neighbour with CAP_NET_RAW only" denyall "" \
	--bounding-set -all,+net_raw --inh-caps -all --ambient-caps -all
first ok "neighbour with CAP_NET_RAW, which fw.unsafe accepts" denyall fw.unsafe=CAP_NET_RAW \
	--bounding-set -all,+net_raw --inh-caps -all --ambient-caps -all
# An unprivileged user holds nothing, but without no_new_privs a setuid
# or file-capability program gives back what its bounding set keeps.
first CAP_NET_ADMIN "neighbour as nobody, full bounding set" denyall "" \
	--reuid 65534 --regid 65534 --clear-groups
first ok "neighbour as nobody, full bounding set, no_new_privs" denyall "" \
	--reuid 65534 --regid 65534 --clear-groups --no-new-privs
# A neighbour whose main thread stays outside: only its second thread
# entered the namespace (setns), and with every capability it can act there.
ready=$T_DIR/thread-ready
unshare --mount python3 -c 'import ctypes, os, sys, threading, time
def enter():
    fd = os.open(sys.argv[1], os.O_RDONLY)
    if ctypes.CDLL(None).setns(fd, 0x40000000) != 0:
        os._exit(1)
    open(sys.argv[2], "w").close()
    time.sleep(300)
threading.Thread(target=enter, daemon=True).start()
time.sleep(300)' "/run/netns/$NS_N" "$ready" </dev/null >/dev/null 2>&1 &
NB_PID=$!
t_track_pid "$NB_PID"
for _ in $(seq 1 200); do [ -e "$ready" ] && break; sleep 0.01; done
[ -e "$ready" ] || t_die "the threaded neighbour did not enter $NS_N within 2 s"
[[ /proc/$NB_PID/ns/net -ef /run/netns/$NS_N ]] &&
	t_fail "threaded neighbour: its main thread is in the namespace, the case proves nothing"
fc_new "$NS_N"
hook_apply "$(make_state "$FC_PID" "$FC_BUNDLE" denyall)"
check_hook_error "a neighbour's second thread with every capability" "$HOOK_EXIT_UNSAFE"
err_has "a neighbour's second thread" "process $NB_PID" CAP_NET_ADMIN
check_empty "$NS_N" "a neighbour's second thread"
t_kill_pid "$NB_PID"
ns_nft "$NS_N" flush ruleset
# The kernel's threads, kthreadd's children, are not looked at one by one,
# but PID 2 is kthreadd only in the initial PID namespace: where the hook's
# /proc is a PID namespace's own, PID 2 is whatever started second there.
# Here a process named kthreadd, whose child is a neighbour with every
# capability: the hook must still find the neighbour.
fc_bundle
unshare --pid --fork --mount-proc --kill-child -- bash -c '
	ns=$1 bundle=$2 out=$3
	shift 3
	python3 -c "import ctypes, os, sys, time
ctypes.CDLL(None).prctl(15, b\"kthreadd\", 0, 0, 0)
if os.fork() == 0:
    os.execvp(\"nsenter\", [\"nsenter\", \"--net=\" + sys.argv[1], \"unshare\", \"--mount\", \"sleep\", \"300\"])
time.sleep(300)" "$ns" </dev/null >/dev/null 2>&1 &
	echo "$!" >"$out.kthreadd"
	for _ in $(seq 1 200); do
		nb=$(cat /proc/2/task/2/children 2>/dev/null | tr -d " ")
		[ -n "$nb" ] && [[ /proc/$nb/ns/net -ef $ns ]] &&
			[ "$(cat "/proc/$nb/comm")" = sleep ] && break
		sleep 0.01
	done
	echo "$nb" >"$out.neighbour"
	nsenter --net="$ns" sleep 300 </dev/null >/dev/null 2>&1 &
	# the container is in the namespace before the hook runs, not a fork
	# of this shell that has yet to enter it (then in the host namespace)
	for _ in $(seq 1 200); do
		[[ /proc/$!/ns/net -ef $ns ]] && break
		sleep 0.01
	done
	printf "{\"ociVersion\":\"1.0.2\",\"id\":\"pidns\",\"pid\":%d,\"bundle\":\"%s\",\"annotations\":{\"fw.policy\":\"denyall\"}}" "$!" "$bundle" |
		(cd "$bundle" && "$@" >/dev/null 2>"$out.err")
	echo "$?" >"$out.rc"
' _ "/run/netns/$NS_N" "$FC_BUNDLE" "$T_DIR/pidns" timeout -k 2 "$HOOK_TMO" "$OCI_FW_HOOK" apply "${HOOK_DIRS[@]}"
[ "$(cat "$T_DIR/pidns.kthreadd" 2>/dev/null)" = 2 ] &&
	[ -n "$(cat "$T_DIR/pidns.neighbour" 2>/dev/null)" ] ||
	t_fail "PID namespace: the process named kthreadd is not PID 2 or has no neighbour child, the case proves nothing"
HOOK_RC=$(cat "$T_DIR/pidns.rc" 2>/dev/null || echo 1) HOOK_ERR=$(cat "$T_DIR/pidns.err" 2>/dev/null)
check_hook_error "a PID namespace's PID 2 named kthreadd, its child a neighbour with every capability" "$HOOK_EXIT_UNSAFE"
err_has "the child of a PID 2 that is not kthreadd" "process $(cat "$T_DIR/pidns.neighbour" 2>/dev/null) \\(sleep" CAP_NET_ADMIN
check_empty "$NS_N" "the child of a PID 2 that is not kthreadd"
# the reverse order: the firewall first, a risky neighbour second (above,
# "no annotation, CAP_*"); here the attack the first order allowed: a
# neighbour with CAP_NET_ADMIN deletes the table.
neighbour "$NS_N"
ns_nft "$NS_N" add table inet oci_fw
nsenter --target "$NB_PID" --net nft delete table inet oci_fw 2>/dev/null &&
	t_ok "a neighbour with CAP_NET_ADMIN can delete the table (what the refusal prevents)" ||
	t_fail "the neighbour could not delete the table: the refusals above prove nothing"
t_kill_pid "$NB_PID"

# --- the policy file is edited between two members' starts -------------------
topo_second
servers_tcp "$NS_S" 9080 9081
pol="$T_DIR/pol"
mkdir -m 0755 "$pol"
write_pol() { # write_pol PORT: allow TCP PORT to the server, reject the rest
	printf '{"description": "test: edited", "egress": {"default": "reject", "allow": [
	  {"to": ["%s"], "proto": "tcp", "ports": [%s], "comment": "port %s"}]}}\n' "$S2_4" "$1" "$1" \
		>"$pol/shared-edit.json"
	chmod 0644 "$pol/shared-edit.json"
}
check_probes baseline "reach tcp NS_C2 $S2_4 9080
reach tcp NS_C2 $S2_4 9081"
write_pol 9080
apply_policy "$NS_C2" shared-edit --policy-dir "$pol"
check_probes policy "reach tcp NS_C2 $S2_4 9080
blocked tcp NS_C2 $S2_4 9081"
write_pol 9081
sha=$(sha256sum "$pol/shared-edit.json" | cut -c1-12)
fc_new "$NS_C2"
hook_apply "$(make_state "$FC_PID" "$FC_BUNDLE" shared-edit)" --policy-dir "$pol"
check_hook_ok "edited policy"
# the result must equal a fresh load of the new file into an empty netns
ns_add r NS_R
apply_policy "$NS_R" shared-edit --policy-dir "$pol"
same_as "$NS_C2" "$(ruleset_s "$NS_R")" "edited policy: the table equals a fresh load"
listing=$(ns_ruleset "$NS_C2")
[ "$(grep -c 'dport 9081' <<<"$listing")" = 1 ] && t_ok "edited policy: one rule for the new port" ||
	t_fail "edited policy: expected one rule for port 9081:
$listing"
grep -q 'dport 9080' <<<"$listing" && t_fail "edited policy: the old rule is still there" ||
	t_ok "edited policy: the old rule is gone"
grep -q "comment \"shared-edit sha256:$sha" <<<"$listing" && t_ok "edited policy: the comment has the new hash" ||
	t_fail "edited policy: no comment with sha256:$sha"
check_probes policy "blocked tcp NS_C2 $S2_4 9080
reach tcp NS_C2 $S2_4 9081"

# --- one name, two files: the same name from another place is another policy ----
# The table comment names where the policy was found (from:, the digest of
# the path the lookup opened), so neither a path to another denyall.json nor
# the name "denyall.json" (which loads denyall.json.json) stands for the
# denyall that is loaded; the same file by its path is the same policy.
mkdir -m 0755 "$T_DIR/elsewhere" "$T_DIR/dotjson"
permissive='{"description": "test: lets everything out"}'
echo "$permissive" >"$T_DIR/elsewhere/denyall.json"
echo "$permissive" >"$T_DIR/dotjson/denyall.json.json"
chmod 0644 "$T_DIR/elsewhere/denyall.json" "$T_DIR/dotjson/denyall.json.json"
ns_nft "$NS_C2" flush ruleset
apply_policy "$NS_C2" denyall
DENYALL=$(ruleset_s "$NS_C2")
# other WANT(ok|refused) WHAT POLICY [HOOK-ARG...]: a new member of NS_C2
# with fw.policy=POLICY; the table must stay denyall's, and denyall's
# default must still refuse a connection.
other() {
	local want=$1 what=$2 policy=$3
	shift 3
	fc_new "$NS_C2"
	hook_apply "$(make_state "$FC_PID" "$FC_BUNDLE" "$policy")" "$@"
	if [ "$want" = ok ]; then check_hook_ok "$what"; else
		check_hook_error "$what" "$HOOK_EXIT_UNSAFE"
		err_has "$what" "already holds another container's firewall \\(denyall sha256:[0-9a-f]{16} from:[0-9a-f]{16}\\)"
	fi
	same_as "$NS_C2" "$DENYALL" "$what"
	check_probes "$what" "blocked tcp NS_C2 $S2_4 9080"
}
other refused "a path to another denyall.json (--allow-path)" "$T_DIR/elsewhere/denyall.json" --allow-path
err_has "another denyall.json" "refusing to load denyall sha256:[0-9a-f]{16} from:"
other refused "the name denyall.json (denyall.json.json)" denyall.json --policy-dir "$T_DIR/dotjson"
err_has "the name denyall.json" "refusing to load denyall\\.json sha256:"
other ok "the same file by its path (--allow-path)" "$POLICIES/denyall.json" --allow-path

# A policy named by path: a new version at that path replaces it; the same
# bytes at another path are another policy.
ns_nft "$NS_C2" flush ruleset
write_pol 9080
apply_policy "$NS_C2" "$pol/shared-edit.json" --allow-path
write_pol 9081
fc_new "$NS_C2"
hook_apply "$(make_state "$FC_PID" "$FC_BUNDLE" "$pol/shared-edit.json")" --allow-path
check_hook_ok "a new version at the same path"
EDITED=$(ruleset_s "$NS_C2")
check_probes "a new version at the same path replaced the table" "blocked tcp NS_C2 $S2_4 9080
reach tcp NS_C2 $S2_4 9081"
cp "$pol/shared-edit.json" "$T_DIR/elsewhere/shared-edit.json"
fc_new "$NS_C2"
hook_apply "$(make_state "$FC_PID" "$FC_BUNDLE" "$T_DIR/elsewhere/shared-edit.json")" --allow-path
check_hook_error "the same bytes at another path" "$HOOK_EXIT_UNSAFE"
same_as "$NS_C2" "$EDITED" "the same bytes at another path"
check_probes "the same bytes at another path" "blocked tcp NS_C2 $S2_4 9080
reach tcp NS_C2 $S2_4 9081"

# --- members starting at the same moment --------------------------------------
# Two processes and the first one again, same policy: all exit 0, and the
# netns ends up as after one load (BEFORE). Different policies: exactly one
# wins, the other is refused, one table.
ns_add p NS_P
fake_container "$NS_P"; fc_bundle; p1=$FC_PID b1=$FC_BUNDLE
fake_container "$NS_P"; fc_bundle; p2=$FC_PID b2=$FC_BUNDLE
rounds=8
bad=0
for r in $(seq 1 $rounds); do
	ns_nft "$NS_P" flush ruleset
	make_state "$p1" "$b1" tcp-port >"$T_DIR/s1"
	make_state "$p2" "$b2" tcp-port >"$T_DIR/s2"
	cp "$T_DIR/s1" "$T_DIR/s3"
	hook_parallel "$T_DIR/s1" "$T_DIR/s2" "$T_DIR/s3"
	rcs="$(cat "$T_DIR/s1.rc") $(cat "$T_DIR/s2.rc") $(cat "$T_DIR/s3.rc")"
	now=$(ruleset_s "$NS_P")
	if [ "$rcs" != "0 0 0" ] || [ "$now" != "$BEFORE" ]; then
		bad=$((bad + 1))
		t_fail "same policy at once, round $r: exits $rcs ($(cat "$T_DIR"/s[123].err))
$(diff <(echo "$BEFORE") <(echo "$now"))"
	fi
done
[ "$bad" = 0 ] && t_ok "same policy at once: $rounds rounds of 3 applies, all exit 0, one table, no duplicates"
bad=0
for r in $(seq 1 $rounds); do
	ns_nft "$NS_P" flush ruleset
	make_state "$p1" "$b1" tcp-port >"$T_DIR/s1"
	make_state "$p2" "$b2" denyall >"$T_DIR/s2"
	hook_parallel "$T_DIR/s1" "$T_DIR/s2"
	rcs="$(cat "$T_DIR/s1.rc") $(cat "$T_DIR/s2.rc")"
	case $rcs in
	"0 $HOOK_EXIT_UNSAFE") want=tcp-port ;;
	"$HOOK_EXIT_UNSAFE 0") want=denyall ;;
	*) want= ;;
	esac
	if [ -z "$want" ] || [ "$(n_tables "$NS_P")" != 1 ] ||
		! ns_nft "$NS_P" list table inet oci_fw | grep -q "comment \"$want sha256:"; then
		bad=$((bad + 1))
		t_fail "two policies at once, round $r: exits $rcs, $(n_tables "$NS_P") tables: $(cat "$T_DIR"/s[12].err)
$(ns_ruleset "$NS_P" | head -n 3)"
	fi
done
[ "$bad" = 0 ] && t_ok "two policies at once: $rounds rounds, one wins, one is refused, one table"
t_finish
