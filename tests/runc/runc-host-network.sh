#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# runc-host-network.sh: bundles without a network namespace (the host's
# network: kube-proxy, CNI pods) through runc. Under a default policy and
# without an annotation they run unfirewalled and the hook says so on stderr,
# unless --refuse-host-network; with an annotation they are always refused.
# The host never gets a table (the default here is the harmless test policy,
# and the guard deletes a wrongly loaded table and fails the test).

. "$(dirname "$0")/../lib/runc.sh"
rc_init
host_table_guard

DIRS=(arg=--policy-dir "arg=$POLICIES" arg=--policy-dir "arg=$TEST_POLICIES")
DEFAULT=("${DIRS[@]}" arg=--default-policy arg=harmless)
RAN='echo ran'

# A wrapper keeps the hook's stderr, which runc shows only on failure.
WRAP="$T_DIR/hook-wrapper"
printf '#!/bin/sh\nexec "%s" "$@" 2>>"%s"\n' "$OCI_FW_HOOK" "$T_DIR/hook-stderr" >"$WRAP"
chmod 0755 "$WRAP"

host_clean() {
	if [ "$T_HOST_HAD_TABLE" = 0 ] && host_has_table; then
		t_fail "$1: table inet oci_fw is now in the HOST netns"
		nft delete table inet oci_fw
	else
		t_ok "$1: no oci_fw table in the host netns"
	fi
}

# No admin control, no annotation: nothing to do.
rc_bundle hostnet "${DIRS[@]}" -- /bin/sh -c "$RAN"
rc_run
rc_check_ran "host network, no default, no annotation"
[ "$RC_OUT" = ran ] && t_ok "the container ran" || t_fail "container output: $RC_OUT"
host_clean "no default"

# Under a default policy: runs unfirewalled, with a warning on stderr at
# --log-level warning, and nothing at the default level.
: >"$T_DIR/hook-stderr"
rc_bundle hostnet "${DEFAULT[@]}" arg=--log-level arg=warning hookpath="$WRAP" -- /bin/sh -c "$RAN"
rc_run
rc_check_ran "host network under a default policy"
[ "$RC_OUT" = ran ] && t_ok "the container ran" || t_fail "container output: $RC_OUT"
err=$(cat "$T_DIR/hook-stderr")
if grep -q '^oci-fw-hook: .*host' <<<"$err"; then t_ok "hook said: $err"; else
	t_fail "no 'oci-fw-hook: ... host ...' line on the hook's stderr: '$err'"
fi
host_clean "default, unfirewalled"
: >"$T_DIR/hook-stderr"
rc_bundle hostnet "${DEFAULT[@]}" hookpath="$WRAP" -- /bin/sh -c "$RAN"
rc_run
rc_check_ran "host network under a default policy, default log level"
err=$(cat "$T_DIR/hook-stderr")
[ -z "$err" ] && t_ok "the default log level prints nothing on success" ||
	t_fail "the hook printed on success at the default log level: '$err'"
host_clean "default, unfirewalled, quiet"

# ... refused with --refuse-host-network.
rc_bundle hostnet "${DEFAULT[@]}" arg=--refuse-host-network -- /bin/sh -c "$RAN"
rc_run
rc_check_refused "host network, --refuse-host-network" "shares the host's network" 'refuse-host-network'
host_clean "--refuse-host-network"

# With an annotation: always refused, with or without admin controls.
rc_bundle hostnet "${DEFAULT[@]}" ann=fw.policy=harmless -- /bin/sh -c "$RAN"
rc_run
rc_check_refused "host network + fw.policy under a default" "shares the host's network"
host_clean "annotation under a default"
rc_bundle hostnet "${DIRS[@]}" ann=fw.policy=harmless -- /bin/sh -c "$RAN"
rc_run
rc_check_refused "host network + fw.policy" "shares the host's network"
host_clean "annotation"
host_table_unguard || true
t_finish
