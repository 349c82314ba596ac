#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# runc-pod.sh: a pod under a default policy, as CRI-O runs one: an infra
# container and members whose bundles name the same netns path. The infra
# (no annotation) gets the default; an unannotated member keeps it; a member
# naming an allowed policy replaces the default table (the comment changes,
# traffic follows); one naming a disallowed policy is refused and the table
# stays; a later unannotated member keeps the chosen policy; a member naming
# another allowed policy cannot replace a chosen one. A member with
# CAP_NET_ADMIN that started first keeps a later member with a policy out;
# its fw.unsafe does not let it join a firewalled namespace.

. "$(dirname "$0")/../lib/runc.sh"
rc_init
rc_server

# shellcheck disable=SC2054 # the commas are in the list option
ADMIN=(arg=--policy-dir "arg=$POLICIES" arg=--policy-dir "arg=$TEST_POLICIES"
	arg=--default-policy arg=denyall arg=--allowed-policies arg=tcp-port,denyall)

comment_is() { # comment_is DESCRIPTION GLOB
	local c
	c=$(rc_comment "$NS_C")
	# shellcheck disable=SC2053 # $2 is a glob
	if [[ $c == $2 ]]; then t_ok "$1: table comment $c"; else
		t_fail "$1: table comment '$c', expected $2"
	fi
}
tables_one() {
	local n
	n=$(ip netns exec "$NS_C" nft list tables | grep -c .)
	[ "$n" = 1 ] && t_ok "$1: one table" || t_fail "$1: $n tables: $(ip netns exec "$NS_C" nft list tables)"
}

# The infra container: no annotation, stays up (detached).
rc_bundle netns="$NS_C" "${ADMIN[@]}" -- /bin/sleep 120
rc_run -d
rc_check_ran "infra"
INFRA=$RC_ID
comment_is "infra" 'denyall sha256:* (default)'

rc_bundle netns="$NS_C" "${ADMIN[@]}"
rc_run
rc_check_ran "member without annotation"
rc_expect tcp8080 blocked
rc_expect udp69 blocked
comment_is "member without annotation" 'denyall sha256:* (default)'

rc_bundle netns="$NS_C" "${ADMIN[@]}" ann=fw.policy=tcp-port
rc_run
rc_check_ran "member naming tcp-port"
rc_expect tcp8080 reach
rc_expect tcp80 blocked
rc_expect udp69 blocked
comment_is "member naming tcp-port" 'tcp-port sha256:*'
comment_is "member naming tcp-port (no default mark)" '*[0-9a-f]'
tables_one "after the replacement"

rc_bundle netns="$NS_C" "${ADMIN[@]}" ann=fw.policy=no-lan -- /bin/sh -c 'echo ran'
rc_run
rc_check_refused "member naming no-lan" 'not among the policies this node allows'
comment_is "after the refused member" 'tcp-port sha256:*'

rc_bundle netns="$NS_C" "${ADMIN[@]}" ann=fw.policy=denyall -- /bin/sh -c 'echo ran'
rc_run
rc_check_refused "member naming denyall over a chosen tcp-port" 'already holds another container'
comment_is "after the denyall member" 'tcp-port sha256:*'

rc_bundle netns="$NS_C" "${ADMIN[@]}"
rc_run
rc_check_ran "later member without annotation"
rc_expect tcp8080 reach
rc_expect tcp80 blocked
comment_is "later member without annotation" 'tcp-port sha256:*'
tables_one "at the end"

# --- a neighbour that starts first keeps no power (invariant 4) ------------
# An unannotated member with CAP_NET_ADMIN starts first (no firewall yet:
# it passes); a member naming denyall is refused while it runs, and the
# error names the neighbour; once it is gone, denyall goes in; then the
# same member again, with its own fw.unsafe, is refused (that accepts a
# risk for a firewall of its own only).
ns_add p NS_P
rc_bundle netns="$NS_P" cap=CAP_NET_ADMIN -- /bin/sleep 120
rc_run -d
rc_check_ran "unannotated member with CAP_NET_ADMIN, first"
ADMIN_ID=$RC_ID
ADMIN_PID=$(runc --root "$RC_ROOT" state "$ADMIN_ID" 2>/dev/null | jq -r .pid)
rc_bundle netns="$NS_P" ann=fw.policy=denyall -- /bin/sh -c 'echo ran'
rc_run
rc_check_refused "denyall member after a neighbour with CAP_NET_ADMIN" \
	"process $ADMIN_PID \\(sleep, cgroup $ADMIN_ID\\)" CAP_NET_ADMIN
[ -z "$(rc_comment "$NS_P")" ] && t_ok "no table after the refusal" ||
	t_fail "a table after the refusal: $(rc_comment "$NS_P")"
timeout 20 runc --root "$RC_ROOT" kill "$ADMIN_ID" KILL >/dev/null 2>&1
timeout 20 runc --root "$RC_ROOT" delete --force "$ADMIN_ID" >/dev/null 2>&1
rc_bundle netns="$NS_P" ann=fw.policy=denyall -- /bin/sleep 120
rc_run -d
rc_check_ran "denyall member once the neighbour is gone"
[[ $(rc_comment "$NS_P") == 'denyall sha256:'* ]] && t_ok "denyall loaded" ||
	t_fail "no denyall table: $(rc_comment "$NS_P")"
rc_bundle netns="$NS_P" cap=CAP_NET_ADMIN ann=fw.unsafe=CAP_NET_ADMIN -- /bin/sh -c 'echo ran'
rc_run
rc_check_refused "unannotated member with CAP_NET_ADMIN and fw.unsafe=CAP_NET_ADMIN, second" \
	"another container's firewall" CAP_NET_ADMIN

st=$(runc --root "$RC_ROOT" state "$INFRA" 2>/dev/null | jq -r .status)
[ "$st" = running ] && t_ok "infra still running" || t_fail "infra status: $st"
t_finish
