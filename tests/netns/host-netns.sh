#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# host-netns.sh: a container with a policy that shares the hook's own network namespace (host network), or whose config.json has no network namespace, is refused even with fw.unsafe, and nothing is loaded there; without fw.policy it passes untouched.

. "$(dirname "$0")/../lib/netns.sh"
t_init
t_need_hook

# 1. Safely first: run the hook inside a test netns, with a "container" in
#    that same netns. A hook that does not check would firewall only the
#    test netns.
ns_add h NS_H
fc_new "$NS_H"
state=$(make_state "$FC_PID" "$FC_BUNDLE" harmless)
(cd "$FC_BUNDLE" && exec timeout 20 ip netns exec "$NS_H" "$OCI_FW_HOOK" apply \
	--policy-dir "$POLICIES" --policy-dir "$TEST_POLICIES") \
	<<<"$state" >"$T_DIR/hook.out" 2>"$T_DIR/hook.err"
HOOK_RC=$?
HOOK_ERR=$(cat "$T_DIR/hook.err")
check_hook_error "container in the hook's own (test) netns" "$HOOK_EXIT_UNSAFE"
check_empty "$NS_H" "container in the hook's own (test) netns"

# 2. config.json says there is no network namespace (--network host) while
#    the process sits in a netns of its own: the hook believes the runtime's
#    config, refuses, and accepting every risk by name does not change that.
ns_add c NS_C
all_caps=fw.unsafe=CAP_NET_ADMIN,CAP_SYS_ADMIN,CAP_NET_RAW
for unsafe in "" "$all_caps"; do
	what="config.json without a network namespace${unsafe:+, $unsafe}"
	fc_new "$NS_C" hostnet
	hook_apply "$(make_state "$FC_PID" "$FC_BUNDLE" harmless ${unsafe:+"$unsafe"})"
	check_hook_error "$what" "$HOOK_EXIT_UNSAFE"
	err_has "$what" "host"
	check_empty "$NS_C" "$what"
done

# 3. The real host netns: a process of the test's own in the host netns.
#    Only the harmless test policy is used, and the guard deletes a table
#    the hook might wrongly load, failing the test loudly.
host_table_guard
sleep 300 </dev/null >/dev/null 2>&1 &
hpid=$!
t_track_pid "$hpid"
[ "$(stat -L -c %i /proc/$hpid/ns/net)" = "$(stat -L -c %i /proc/self/ns/net)" ] ||
	t_die "the test's sleep is not in the host netns"
no_host_table() {
	if [ "$T_HOST_HAD_TABLE" = 0 ] && host_has_table; then
		t_fail "$1: the hook loaded table inet oci_fw into the HOST netns"
		nft delete table inet oci_fw
	else
		t_ok "$1: no table loaded into the host netns"
	fi
}
for words in "" hostnet; do
	for unsafe in "" "$all_caps"; do
		what="host netns${words:+ ($words config)}${unsafe:+, $unsafe}"
		# shellcheck disable=SC2086 # the words
		make_bundle "$T_DIR/bundle-host" $words
		hook_apply "$(make_state "$hpid" "$T_DIR/bundle-host" harmless ${unsafe:+"$unsafe"})"
		check_hook_error "$what" "$HOOK_EXIT_UNSAFE"
		no_host_table "$what"
	done
done
err_has "host netns" "host"

# 4. Without fw.policy the hook runs for every container (hooks.d "always"):
#    a host-network container passes, untouched.
for words in hostnet "hostnet CAP_NET_ADMIN CAP_NET_RAW"; do
	what="host netns without fw.policy ($words)"
	# shellcheck disable=SC2086 # the words
	make_bundle "$T_DIR/bundle-host" $words
	hook_apply "$(make_state "$hpid" "$T_DIR/bundle-host")"
	check_hook_ok "$what"
	no_host_table "$what"
done
host_table_unguard || true
t_finish
