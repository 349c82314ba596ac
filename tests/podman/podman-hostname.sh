#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# podman-hostname.sh: a hostname in "to" resolves when the container starts, from its /etc/hosts (--add-host, which wins over DNS) or else by its nameserver (--dns, a test DNS server); "resolve": "required" refuses a container whose name does not resolve, without it the rule matches nothing; `oci-fw-hook refresh PID` moves a running container's name to its new address, and keeps the old one when the name is gone (or, for a required name, fails and changes nothing).

. "$(dirname "$0")/../lib/podman.sh"
pm_init
pm_server
zone="$T_DIR/zone"
echo "api.test.example $PM_PRIV4" >"$zone"
pm_dns_server "$zone"

script="$(pm_tcp_probe s4_8080 "$S4" 8080)$(pm_tcp_probe s4_80 "$S4" 80)$(pm_tcp_probe priv_8080 "$PM_PRIV4" 8080)"

# (a) --add-host: /etc/hosts first, though the nameserver says otherwise
pm_run --dns "$PM_DNS4" --add-host "api.test.example:$S4" --annotation fw.policy=sym-name -- /bin/sh -c "$script"
pm_ok "(a) --add-host api.test.example:$S4"
pm_expect s4_8080 reach
pm_expect s4_80 blocked
pm_expect priv_8080 blocked

# (b) only the DNS server knows the name
echo "api.test.example $S4" >"$zone"
: >"$PM_DNS_LOG"
pm_run --dns "$PM_DNS4" --annotation fw.policy=sym-name -- /bin/sh -c "$script"
pm_ok "(b) api.test.example by DNS"
pm_expect s4_8080 reach
pm_expect s4_80 blocked
pm_expect priv_8080 blocked
if grep -q '^api\.test\.example A$' "$PM_DNS_LOG"; then t_ok "(b) the hook asked the DNS server"; else
	t_fail "(b) no query for api.test.example in the DNS server's log: $(cat "$PM_DNS_LOG")"
fi

# (c) a required name the nameserver does not know: refused (podman 4.3);
# podman 5 writes resolv.conf after the hook, so the hook's companion
# resolves then and stops the container once podman has started it (crun
# never returns from starting one killed before: podman run would hang
# until the test's timeout, 124), and the record says why
if pm_late_files; then
	record_listen "$T_DIR/log.sock" "$T_DIR/log"
	PM_HOOK_ARGS=(--syslog-socket "$T_DIR/log.sock")
	pm_write_hook_json "$PM_HOOKS/oci-fw-hook.json"
	pm_run --dns "$PM_DNS4" --annotation fw.policy=sym-name-required -- /bin/sh -c 'sleep 5; echo container-finished'
	pm_check_stopped "(c) required, NXDOMAIN"
	record_wait "$T_DIR/log" 'stopped the container \(a required name stays empty\): .*missing\.test\.example did not resolve \(the rule says "resolve": "required"\)' &&
		t_ok "(c) the record: $(grep -o 'container=.*stopped the container.*' "$T_DIR/log")" ||
		t_fail "(c) no record of the stop: $(cat "$T_DIR/log")"
	PM_HOOK_ARGS=()
	pm_write_hook_json "$PM_HOOKS/oci-fw-hook.json"
else
	pm_refused "(c) required, NXDOMAIN" --dns "$PM_DNS4" --annotation fw.policy=sym-name-required -- \
		'missing\.test\.example' 'required'
fi

# (d) the same name, not required: the container runs, the rule matches nothing
pm_run --dns "$PM_DNS4" --annotation fw.policy=sym-name-optional -- /bin/sh -c "$script"
pm_ok "(d) optional, NXDOMAIN"
pm_expect s4_8080 blocked
pm_expect priv_8080 blocked

# (e) refresh of a running container
# pm_exec_probes WHAT: the probes run in the detached container PM_NAME
pm_exec_probes() {
	PM_OUT=$(timeout 30 podman exec "$PM_NAME" /bin/sh -c "$script" 2>"$T_DIR/exec.err")
	PM_RC=$?
	PM_ERR=$(<"$T_DIR/exec.err")
	[ "$PM_RC" -eq 0 ] && t_ok "$1: podman exec exit 0" || t_fail "$1: podman exec exit $PM_RC: $PM_ERR"
}
# hook_refresh PID: sets RF_RC, RF_OUT, RF_ERR
hook_refresh() {
	RF_OUT=$(timeout 20 "$OCI_FW_HOOK" refresh --pid "$1" 2>"$T_DIR/refresh.err")
	RF_RC=$?
	RF_ERR=$(<"$T_DIR/refresh.err")
}

echo "api.test.example $S4" >"$zone"
pm_start --dns "$PM_DNS4" --annotation fw.policy=sym-name
[ "$PM_RC" -eq 0 ] && [ -n "$PM_PID" ] && t_ok "(e) detached container, pid $PM_PID" ||
	t_die "(e) podman run -d exit $PM_RC: $PM_ERR"
pm_exec_probes "(e) before refresh"
pm_expect s4_8080 reach
pm_expect priv_8080 blocked

echo "api.test.example $PM_PRIV4" >"$zone"
hook_refresh "$PM_PID"
[ "$RF_RC" -eq 0 ] && t_ok "(e) refresh exit 0" || t_fail "(e) refresh exit $RF_RC: $RF_ERR"
[[ $RF_OUT == "$PM_PID: 1 of 1 hostnames refreshed" ]] && t_ok "(e) refresh: $RF_OUT" ||
	t_fail "(e) refresh printed '$RF_OUT' (stderr: $RF_ERR)"
# podman 5: the companion's own lookup at start passed through the DNS
# learner, which keeps what it learned (S4) for at least LEARN_TTL_MIN
# (60 s): the old address stays allowed until then
old_s4=blocked
pm_late_files && old_s4=reach
pm_exec_probes "(e) after the move"
pm_expect s4_8080 "$old_s4"
pm_expect priv_8080 reach
pm_expect s4_80 blocked

# the name is gone: the old addresses stay, with a warning
echo "other.test.example $S4" >"$zone"
hook_refresh "$PM_PID"
[ "$RF_RC" -eq 0 ] && t_ok "(e) refresh of a vanished name: exit 0" || t_fail "(e) refresh of a vanished name: exit $RF_RC: $RF_ERR"
[[ $RF_OUT == "$PM_PID: 0 of 1 hostnames refreshed" ]] && t_ok "(e) refresh: $RF_OUT" ||
	t_fail "(e) refresh of a vanished name printed '$RF_OUT'"
grep -q 'api\.test\.example' <<<"$RF_ERR" && t_ok "(e) warning: $RF_ERR" ||
	t_fail "(e) no warning naming api.test.example on stderr: '$RF_ERR'"
pm_exec_probes "(e) after the name vanished"
pm_expect s4_8080 "$old_s4"
pm_expect priv_8080 reach

# (f) a required name that vanishes: refresh fails and changes nothing
echo "missing.test.example $S4" >"$zone"
pm_start --dns "$PM_DNS4" --annotation fw.policy=sym-name-required
[ "$PM_RC" -eq 0 ] && [ -n "$PM_PID" ] && t_ok "(f) detached container, pid $PM_PID" ||
	t_die "(f) podman run -d exit $PM_RC: $PM_ERR"
echo "api.test.example $S4" >"$zone"
hook_refresh "$PM_PID"
[ "$RF_RC" -ne 0 ] && t_ok "(f) refresh of a vanished required name: exit $RF_RC" ||
	t_fail "(f) refresh of a vanished required name exited 0: $RF_OUT"
grep -q 'missing\.test\.example' <<<"$RF_ERR" && t_ok "(f) error: $RF_ERR" ||
	t_fail "(f) no error naming missing.test.example: '$RF_ERR'"
pm_exec_probes "(f) after the failed refresh"
pm_expect s4_8080 reach
pm_expect priv_8080 blocked
t_finish
