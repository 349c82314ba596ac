#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# podman-late-window.sh: how long a container can run before its symbolic destinations are filled. The container's first command connects to "host" (host.containers.internal, --add-host) on TCP 8080 again and again until it reaches it; the policy rejects everything else, so each attempt before the sets are filled fails at once. podman 4.3 writes /etc/hosts before the hook: no attempt fails. podman 5 writes it after: the hook's companion fills the sets (the record: "filled ... late_us=N"), and every container reaches the host within a bounded number of attempts; the counts and late_us are printed.

. "$(dirname "$0")/../lib/podman.sh"
pm_init
pm_server
record_listen "$T_DIR/log.sock" "$T_DIR/log"
PM_HOOK_ARGS=(--syslog-socket "$T_DIR/log.sock")
pm_write_hook_json "$PM_HOOKS/oci-fw-hook.json"

RUNS=10
# shellcheck disable=SC2016 # expanded in the container
script='n=0; until nc -w 1 '"$S4"' 8080 </dev/null 2>/dev/null | grep -q ok; do n=$((n + 1)); [ $n -ge 2000 ] && break; done; echo failed=$n'
fails=()
for i in $(seq 1 "$RUNS"); do
	pm_run --add-host "host.containers.internal:$S4" --annotation fw.policy=sym-host-reject -- /bin/sh -c "$script"
	n=$(sed -n 's/^failed=//p' <<<"$PM_OUT")
	if [ "$PM_RC" -eq 0 ] && [ -n "$n" ] && [ "$n" -lt 2000 ]; then
		fails+=("$n")
	else
		t_fail "run $i: never reached the host (exit $PM_RC; $PM_OUT $PM_ERR)"
	fi
done
sorted=$(printf '%s\n' "${fails[@]}" | sort -n | tr '\n' ' ')
if pm_late_files; then
	[ "${#fails[@]}" -eq "$RUNS" ] && t_ok "podman 5: every container reached the host; attempts that failed first, sorted: $sorted" ||
		t_fail "podman 5: only ${#fails[@]} of $RUNS containers reached the host"
	record_wait "$T_DIR/log" "filled container=.* policy=sym-host-reject" || true
	late=$(sed -n 's/.*filled container=.* late_us=\([0-9]*\)$/\1/p' "$T_DIR/log" | sort -n | tr '\n' ' ')
	n=$(wc -w <<<"$late")
	[ "$n" -eq "$RUNS" ] && t_ok "podman 5: $n filled records, late_us sorted: $late" ||
		t_fail "podman 5: $n filled records of $RUNS: $(cat "$T_DIR/log")"
else
	[ "$(printf '%s\n' "${fails[@]}" | sort -n | tail -n1)" = 0 ] && [ "${#fails[@]}" -eq "$RUNS" ] &&
		t_ok "podman 4.3: no attempt failed in $RUNS containers (the sets are filled before the start)" ||
		t_fail "podman 4.3: attempts that failed first: $sorted"
	grep -q 'filled container=' "$T_DIR/log" && t_fail "podman 4.3: a companion ran: $(cat "$T_DIR/log")" ||
		t_ok "podman 4.3: no companion"
fi
t_finish
