#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# no-annotation.sh: without a fw.policy annotation, in a netns that holds no oci_fw table, the hook exits 0 and leaves the netns untouched, whatever capabilities the container holds.

. "$(dirname "$0")/../lib/netns.sh"
t_init
t_need_hook

topo_tcp 8080
servers_udp "$NS_S" 5353 "$S4"
t_check "ruleset empty before" ns_ruleset_empty "$NS_C"
fake_container "$NS_C"

check_untouched() {
	check_hook_ok "$1"
	check_empty "$NS_C" "$1"
}

# The hook runs for every container (hooks.d "when": {"always": true}).
for words in "" nocaps CAP_NET_ADMIN CAP_SYS_ADMIN CAP_NET_RAW "CAP_NET_ADMIN CAP_SYS_ADMIN CAP_NET_RAW"; do
	# shellcheck disable=SC2086 # words
	fc_bundle $words
	state=$(make_state "$FC_PID" "$FC_BUNDLE")
	with=" (${words:-default capabilities})"
	hook_apply "$state"
	check_untouched "other annotations only$with"
	hook_apply "$(jq -c 'del(.annotations)' <<<"$state")"
	check_untouched "no annotations object$with"
	hook_apply "$(jq -c '.annotations = {}' <<<"$state")"
	check_untouched "empty annotations object$with"
	# a near-miss key is not the annotation
	hook_apply "$(jq -c '.annotations = {"fw.policy.x": "denyall", "FW.POLICY": "denyall"}' <<<"$state")"
	check_untouched "look-alike keys$with"
done
# fw.unsafe alone: nothing to load, nothing to refuse
fc_bundle CAP_NET_RAW
hook_apply "$(make_state_ann "$FC_PID" "$FC_BUNDLE" fw.unsafe=CAP_NET_RAW)"
check_untouched "fw.unsafe=CAP_NET_RAW without fw.policy"

expect reach tcp "$NS_C" "$S4" 8080
expect reach tcp "$NS_C" "$S6" 8080
expect reach udp "$NS_C" "$S4" 5353
expect reach ping "$NS_C" "$S4"
t_finish
