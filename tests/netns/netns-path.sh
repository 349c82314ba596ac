#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# netns-path.sh: where config.json names the network namespace by path (podman, CRI-O), the namespace of the state's pid must be that one (invariant 5): a pid in another namespace, or a path that names nothing, is refused and neither namespace gets a table; a matching path (a bind mount or /proc/PID/ns/net) is firewalled.

. "$(dirname "$0")/../lib/netns.sh"
t_init
t_need_hook

ns_add a NS_A
ns_add b NS_B
fake_container "$NS_B"
PID_B=$FC_PID

# refused WHAT WORDS...: a fake container in NS_A whose bundle says WORDS
refused() {
	local what=$1
	shift
	fc_new "$NS_A" "$@"
	hook_apply "$(make_state "$FC_PID" "$FC_BUNDLE" harmless)"
	check_hook_error "$what" "$HOOK_EXIT_UNSAFE"
	check_empty "$NS_A" "$what (the pid's namespace)"
	check_empty "$NS_B" "$what (the named namespace)"
}

refused "pid in A, config.json names /run/netns/B" "netns=/run/netns/$NS_B"
err_has "pid in A, config.json names B" "/run/netns/$NS_B" "not in the network namespace config.json names"
refused "pid in A, config.json names /proc/PID-in-B/ns/net" "netns=/proc/$PID_B/ns/net"
refused "config.json names a path that does not exist" "netns=$T_DIR/no-such-netns"
err_has "a path that does not exist" "no-such-netns"

# An unannotated container with a risky capability is checked against a
# firewall in its namespace: the same check of the path comes first.
ns_nft "$NS_A" add table inet oci_fw '{ comment "tcp-port sha256:0000000000000000"; }'
fc_new "$NS_A" CAP_NET_ADMIN "netns=/run/netns/$NS_B"
hook_apply "$(make_state "$FC_PID" "$FC_BUNDLE")"
check_hook_error "unannotated, CAP_NET_ADMIN, pid in A, config.json names B" "$HOOK_EXIT_UNSAFE"
err_has "unannotated, pid in A, config.json names B" "not in the network namespace config.json names"
ns_nft "$NS_A" delete table inet oci_fw
# Without a risk and without fw.policy, nothing is opened: it passes.
fc_new "$NS_A" "netns=/run/netns/$NS_B"
hook_apply "$(make_state "$FC_PID" "$FC_BUNDLE")"
check_hook_ok "unannotated, default capabilities, config.json names B"

# The path and the pid agree: firewalled.
for path in "/run/netns/$NS_A" "/proc/self/ns/net"; do
	fc_new "$NS_A" "netns=${path/self/PIDSELF}"
	sed -i "s|PIDSELF|$FC_PID|" "$FC_BUNDLE/config.json"
	hook_apply "$(make_state "$FC_PID" "$FC_BUNDLE" harmless)"
	check_hook_ok "config.json names ${path/self/PID}, the pid's own"
	ns_has_table "$NS_A" && t_ok "${path/self/PID}: the table is in A" ||
		t_fail "${path/self/PID}: no table in A"
	ns_nft "$NS_A" delete table inet oci_fw
done
check_empty "$NS_B" "B, never named by a pid"
t_finish
