#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# insecure-policy-file.sh: a policy file or directory that others could write, or a file not owned by root, is refused; the same file made safe loads.

. "$(dirname "$0")/../lib/netns.sh"
t_init
t_need_hook

fc_single

# case DIR-MODE FILE-MODE FILE-OWNER WANT(ok|refused) DESCRIPTION
case_() {
	local dmode=$1 fmode=$2 owner=$3 want=$4 what=$5 d
	d=$(mktemp -d "$T_DIR/pol.XXXXXX")
	cp "$TEST_POLICIES/tcp-port.json" "$d/insecure-p.json"
	chown "$owner" "$d/insecure-p.json"
	chmod "$fmode" "$d/insecure-p.json"
	chmod "$dmode" "$d"
	hook_apply "$(make_state "$FC_PID" "$FC_BUNDLE" insecure-p)" --policy-dir "$d"
	if [ "$want" = ok ]; then
		if [ "$HOOK_RC" -eq 0 ] && ns_has_table "$NS_C"; then
			t_ok "$what: loaded"
		else
			t_fail "$what: expected the policy to load; exit $HOOK_RC: $HOOK_ERR"
		fi
	else
		check_hook_error "$what" "$HOOK_EXIT_POLICY"
		check_empty "$NS_C" "$what"
	fi
	ip netns exec "$NS_C" nft flush ruleset
}

case_ 0755 0644 0:0 ok "control: 0644 root file in a 0755 dir"
case_ 0700 0600 0:0 ok "control: 0600 root file in a 0700 dir"
case_ 0755 0664 0:0 refused "group-writable file"
case_ 0755 0646 0:0 refused "world-writable file"
case_ 0755 0644 65534:65534 refused "file owned by nobody"
case_ 0775 0644 0:0 refused "group-writable directory"
case_ 0777 0644 0:0 refused "world-writable directory (not sticky)"
t_finish
