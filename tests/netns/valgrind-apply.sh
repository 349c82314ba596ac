#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# valgrind-apply.sh: `apply` under memcheck (the unconfined build: valgrind cannot run the seccomp filter) reads no uninitialised byte and frees nothing it did not allocate: into a fresh namespace (no table yet), again into the same one (the table kept), and refused; the firewall still blocks. (Not symbolic destinations: reading the container's files takes openat2, which valgrind 3.19 does not know.)

. "$(dirname "$0")/../lib/netns.sh"
t_init
t_need_hook
# registered only where valgrind and the unconfined build are
[ -n "${OCI_FW_HOOK_UNCONFINED:-}" ] && command -v valgrind >/dev/null ||
	t_die "no valgrind or no OCI_FW_HOOK_UNCONFINED (meson registers this test only where both are)"

# Every hook run below goes through memcheck; 99 is its finding.
printf '#!/bin/sh\nexec valgrind -q --error-exitcode=99 --track-origins=yes %s "$@"\n' \
	"$OCI_FW_HOOK_UNCONFINED" >"$T_DIR/memcheck"
chmod 0755 "$T_DIR/memcheck"
OCI_FW_HOOK=$T_DIR/memcheck
HOOK_TMO=120

clean() { # clean WHAT: memcheck found nothing in the last run
	if grep -q '==[0-9]*==' <<<"$HOOK_ERR" || [ "$HOOK_RC" = 99 ]; then
		t_fail "$1: memcheck: $HOOK_ERR"
	else
		t_ok "$1: memcheck clean"
	fi
}

topo_tcp 8080 8081
fc_new "$NS_C"
hook_apply "$(make_state "$FC_PID" "$FC_BUNDLE" tcp-port)"
check_hook_ok "fresh namespace"
clean "fresh namespace"
hook_apply "$(make_state "$FC_PID" "$FC_BUNDLE" tcp-port)"
check_hook_ok "the same policy again"
clean "the same policy again"
check_probes tcp-port "
reach   tcp NS_C $S4 8080
blocked tcp NS_C $S4 8081
"

ns_nft "$NS_C" flush ruleset
fc_bundle CAP_SYS_MODULE
hook_apply "$(make_state "$FC_PID" "$FC_BUNDLE" tcp-port)"
check_hook_error "refused (CAP_SYS_MODULE)" "$HOOK_EXIT_UNSAFE"
clean "refused"
check_empty "$NS_C" "refused"
t_finish
