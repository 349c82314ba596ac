#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# no-annotation.sh: without a fw.policy annotation the hook exits 0 and leaves the container's netns untouched.

. "$(dirname "$0")/../lib/netns.sh"
t_init
t_need_hook

topo_pair
servers_tcp "$NS_S" 8080
servers_udp "$NS_S" 5353 "$S4"
t_check "ruleset empty before" ns_ruleset_empty "$NS_C"
fake_container "$NS_C"
bundle="$T_DIR/bundle"
make_bundle "$bundle"

check_untouched() {
	local what=$1
	if [ "$HOOK_RC" -eq 0 ]; then t_ok "$what: exit 0"; else t_fail "$what: exit $HOOK_RC, stderr: $HOOK_ERR"; fi
	if ns_ruleset_empty "$NS_C"; then
		t_ok "$what: ruleset still empty"
	else
		t_fail "$what: the netns has a ruleset now:
$(ns_ruleset "$NS_C")"
		ip netns exec "$NS_C" nft flush ruleset
	fi
}

hook_apply "$(make_state "$FC_PID" "$bundle")"
check_untouched "other annotations only"
hook_apply "$(jq -c 'del(.annotations)' <<<"$(make_state "$FC_PID" "$bundle")")"
check_untouched "no annotations object"
hook_apply "$(jq -c '.annotations = {}' <<<"$(make_state "$FC_PID" "$bundle")")"
check_untouched "empty annotations object"
# a near-miss key is not the annotation
hook_apply "$(jq -c '.annotations = {"fw.policy.x": "denyall", "FW.POLICY": "denyall"}' <<<"$(make_state "$FC_PID" "$bundle")")"
check_untouched "look-alike keys"

expect reach tcp "$NS_C" "$S4" 8080
expect reach tcp "$NS_C" "$S6" 8080
expect reach udp "$NS_C" "$S4" 5353
expect reach ping "$NS_C" "$S4"
t_finish
