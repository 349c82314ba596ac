#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# host-netns.sh: the hook refuses a container that shares its own network namespace (host network), and never loads a table there.

. "$(dirname "$0")/../lib/netns.sh"
t_init
t_need_hook

# 1. Safely first: run the hook inside a test netns, with a "container" in
#    that same netns. A hook that does not check would firewall only the
#    test netns.
ns_add h NS_H
fake_container "$NS_H"
bundle="$T_DIR/bundle"
make_bundle "$bundle"
state=$(make_state "$FC_PID" "$bundle" harmless)
(cd "$bundle" && exec timeout 20 ip netns exec "$NS_H" "$OCI_FW_HOOK" apply \
	--policy-dir "$POLICIES" --policy-dir "$TEST_POLICIES") \
	<<<"$state" >"$T_DIR/hook.out" 2>"$T_DIR/hook.err"
HOOK_RC=$?
HOOK_ERR=$(cat "$T_DIR/hook.err")
check_hook_error "container in the hook's own (test) netns"
if ns_ruleset_empty "$NS_H"; then
	t_ok "nothing loaded into the hook's own (test) netns"
else
	t_fail "the hook loaded a ruleset into its own netns:
$(ns_ruleset "$NS_H")"
fi

# 2. The real host netns: a process of the test's own in the host netns.
#    Only the harmless test policy is used, and the guard deletes a table
#    the hook might wrongly load, failing the test loudly.
host_table_guard
sleep 300 </dev/null >/dev/null 2>&1 &
hpid=$!
t_track_pid "$hpid"
[ "$(stat -L -c %i /proc/$hpid/ns/net)" = "$(stat -L -c %i /proc/self/ns/net)" ] ||
	t_die "the test's sleep is not in the host netns"
hook_apply "$(make_state "$hpid" "$bundle" harmless)"
check_hook_error "container in the host netns"
if [ "$T_HOST_HAD_TABLE" = 0 ] && host_has_table; then
	t_fail "the hook loaded table inet oci_fw into the HOST netns"
else
	t_ok "no table loaded into the host netns"
fi
host_table_unguard || true
t_finish
