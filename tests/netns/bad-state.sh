#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bad-state.sh: hostile OCI states (empty, not JSON, oversized, too deep, NUL bytes, bad or foreign pids, missing or broken bundles) each fail with exit 10 (13 for a pid in the host's netns) and one error line naming the field, and load nothing; a state that is plain but not strict JSON is refused when it holds fw.policy, and passes without it.

. "$(dirname "$0")/../lib/netns.sh"
t_init
t_need_hook

fc_single
host_table_guard
good=$(make_state "$FC_PID" "$FC_BUNDLE" harmless)
sleep 0 &
gone=$!
wait "$gone"
mkdir "$T_DIR/noconfig"
: >"$T_DIR/plainfile"

# try WHAT ERE [STATUS]: the state in $T_DIR/state fails with exit STATUS
# (the state's class unless given); the error matches ERE
try() {
	local what=$1 re=$2 status=${3:-$HOOK_EXIT_STATE}
	hook_apply_file "$T_DIR/state"
	check_hook_error "$what" "$status"
	[ -n "$re" ] && err_has "$what" "$re"
	check_empty "$NS_C" "$what"
}
trim() { local s=$1; s=${s#"${s%%[! ]*}"}; printf '%s' "${s%"${s##*[! ]}"}"; }

# WHAT ; ERE the error must match ; jq filter applied to the good state
# (pid 2 is in the machine's first namespace: the hook's own on Debian 12,
# refused as the host's; in the Debian 13 root, which runs in a namespace
# of its own, refused for a process there, which holds everything: the
# host's processes are in another mount namespace than the hook, and which
# one comes first depends on what the host runs; the kernel's threads are
# not looked at)
# [; exit status, when not the state's]
while IFS=';' read -r what re filter status <&3; do
	[ -z "$what" ] && continue
	jq -c "$filter" <<<"$good" >"$T_DIR/state" || t_die "jq $filter"
	try "$(trim "$what")" "$(trim "$re")" $(trim "$status")
done 3<<EOF
JSON array                 ; state        ; [.]
no pid                     ; pid          ; del(.pid)
pid 0                      ; pid          ; .pid = 0
pid -1                     ; pid          ; .pid = -1
pid as string              ; pid          ; .pid = "$FC_PID"
pid too large              ; pid          ; .pid = 99999999999
pid fractional             ; pid          ; .pid = 1.5
pid null                   ; pid          ; .pid = null
pid of no process          ; $gone|pid    ; .pid = $gone
pid of a kernel thread     ; host|/proc/2|process [0-9]+ \(.+\) in the container's network namespace holds CAP_NET_ADMIN ; .pid = 2 ; $HOOK_EXIT_UNSAFE
no bundle                  ; bundle       ; del(.bundle)
bundle not a string        ; bundle       ; .bundle = 5
bundle does not exist      ; /nonexistent-$$ ; .bundle = "/nonexistent-$$/b"
bundle without config.json ; config\.json ; .bundle = "$T_DIR/noconfig"
bundle is a file           ; config\.json|bundle ; .bundle = "$T_DIR/plainfile"
annotations not an object  ; annotations  ; .annotations = "fw.policy=harmless"
annotation not a string    ; fw\.policy   ; .annotations["fw.policy"] = ["harmless"]
EOF

# raw bytes: WHAT ; ERE ; printf format (the good state is its argument)
while IFS=';' read -r what re fmt <&3; do
	[ -z "$what" ] && continue
	# shellcheck disable=SC2059 # the format is the table's
	printf "$(trim "$fmt")" "$good" >"$T_DIR/state"
	try "$(trim "$what")" "$(trim "$re")"
done 3<<'EOF'
empty stdin                ; state ; %.0s
only whitespace            ; state ; %.0s\n\t \n
not JSON                   ; state ; hello%.0s
truncated JSON             ; state ; %.40s
NUL byte after the state   ; NUL   ; %s\0
NUL byte inside the state  ; NUL   ; {"a":"\0"}%.0s
BOM before the state       ; state ; \357\273\277%s
EOF

# two documents, one after the other
printf '%s%s' "$good" "$good" >"$T_DIR/state"
try "two states" 'state'

# too deep, too large: generated
{ printf '{"a":'; printf '[%.0s' $(seq 1 5000); } >"$T_DIR/state"
try "state nested 5000 deep" 'state'
# 8 MiB of padding: the hook must bound what it reads, fail, and not hang
head -c 8388608 /dev/zero | tr '\0' x >"$T_DIR/pad"
jq -c --rawfile pad "$T_DIR/pad" '.annotations.pad = $pad' <<<"$good" >"$T_DIR/state"
try "8 MiB state" 'state'

# plain JSON, not strict: refused where it asks for a firewall, with what
# strictness found; without fw.policy it passes (invariant 7)
printf '%s' "$good" | sed 's/"io.container.manager"/"x\\u003cy"/' >"$T_DIR/state"
try "escaped annotation key beside fw.policy" 'annotations: escape sequences in keys'
printf '%s' "$good" | sed 's/"fw.policy"/"x":"1","x"/' >"$T_DIR/state"
hook_apply_file "$T_DIR/state"
check_hook_ok "a duplicate annotation key, no fw.policy"
check_empty "$NS_C" "a duplicate annotation key, no fw.policy"

# control: the same state, unmodified, loads
hook_apply "$good"
if [ "$HOOK_RC" -eq 0 ] && ns_has_table "$NS_C"; then t_ok "control: the good state loads"; else
	t_fail "control: the good state did not load: exit $HOOK_RC: $HOOK_ERR"
fi
t_finish
