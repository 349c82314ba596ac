#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# no-net-admin.sh: a process in the container's netns without CAP_NET_ADMIN cannot flush or loosen the loaded table, and traffic stays blocked.

. "$(dirname "$0")/../lib/netns.sh"
t_init
t_need_hook

topo_tcp 8080 8081
apply_policy "$NS_C" tcp-port
before=$(ip netns exec "$NS_C" nft -s list ruleset)

attempt() { # attempt DESCRIPTION SETPRIV-ARGS... -- NFT-ARGS...
	local what=$1 sp=() out rc
	shift
	while [ "$1" != -- ]; do sp+=("$1"); shift; done
	shift
	out=$(ip netns exec "$NS_C" setpriv "${sp[@]}" nft "$@" 2>&1)
	rc=$?
	if [ "$rc" -ne 0 ]; then
		t_ok "$what: nft $* refused ($(head -n1 <<<"$out"))"
	else
		t_fail "$what: nft $* SUCCEEDED without CAP_NET_ADMIN"
	fi
}

for how in "no capabilities" "all but CAP_NET_ADMIN" "uid 65534"; do
	case $how in
	"no capabilities") args=(--inh-caps=-all --ambient-caps=-all --bounding-set=-all) ;;
	"all but CAP_NET_ADMIN") args=(--inh-caps=-net_admin --bounding-set=-net_admin) ;;
	"uid 65534") args=(--reuid=65534 --regid=65534 --clear-groups) ;;
	esac
	attempt "$how" "${args[@]}" -- flush ruleset
	attempt "$how" "${args[@]}" -- delete table inet oci_fw
	attempt "$how" "${args[@]}" -- insert rule inet oci_fw egress accept
	attempt "$how" "${args[@]}" -- add table inet oci_fw_bypass
done
after=$(ip netns exec "$NS_C" nft -s list ruleset)
if [ "$before" = "$after" ]; then
	t_ok "ruleset unchanged"
else
	t_fail "ruleset changed:
$(diff <(echo "$before") <(echo "$after"))"
fi
expect blocked tcp "$NS_C" "$S4" 8081
expect reach tcp "$NS_C" "$S4" 8080
t_finish
