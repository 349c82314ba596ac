#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# rootless-hostname.sh: rootless, a hostname rule resolves from --add-host and from the container's nameserver (a test DNS server reached through slirp4netns), and `podman unshare oci-fw-hook refresh PID` run by the user moves a running container's name to its new address; a required name that does not resolve refuses the container (podman 4.3) or stops it once started (podman 5: exit 137).

. "$(dirname "$0")/../lib/rootless.sh"
rl_init
rl_server
zone="$T_DIR/zone"
echo "api.test.example $PM_PRIV4" >"$zone"
chmod 0644 "$zone"
pm_dns_server "$zone"
rl_policy "$TEST_POLICIES/sym-name.json" ofw-user-name

script="$(pm_tcp_probe s4_8080 "$S4" 8080)$(pm_tcp_probe priv_8080 "$PM_PRIV4" 8080)$(pm_tcp_probe s4_80 "$S4" 80)"

# --add-host wins over the nameserver, which says $PM_PRIV4
rl_run --dns "$PM_DNS4" --add-host "api.test.example:$S4" --annotation fw.policy=ofw-user-name -- /bin/sh -c "$script"
rl_check_ran "--add-host api.test.example:$S4"
pm_expect s4_8080 reach
pm_expect priv_8080 blocked
pm_expect s4_80 blocked

# refresh of a running rootless container, by its user
echo "api.test.example $S4" >"$zone"
PM_N=$((PM_N + 1))
name="ofw-$T_TAG-$PM_N"
PM_NAMES+=("$name")
rl_podman_timeout 120 run -d --read-only --name "$name" --dns "$PM_DNS4" --annotation fw.policy=ofw-user-name \
	--rootfs "$RL_ROOTFS" /bin/sleep 300 >/dev/null 2>"$T_DIR/start.err" ||
	t_die "rootless podman run -d failed: $(cat "$T_DIR/start.err")"
pid=$(rl_podman_timeout 30 inspect -f '{{.State.Pid}}' "$name")
[[ $pid =~ ^[1-9][0-9]*$ ]] && t_ok "detached container, pid $pid" || t_die "no pid for $name: '$pid'"
rl_exec_probes() { # rl_exec_probes WHAT
	PM_OUT=$(rl_podman_timeout 30 exec "$name" /bin/sh -c "$script" 2>"$T_DIR/exec.err")
	PM_RC=$?
	PM_ERR=$(<"$T_DIR/exec.err")
	[ "$PM_RC" -eq 0 ] && t_ok "$1: podman exec exit 0" || t_fail "$1: podman exec exit $PM_RC: $PM_ERR"
}
rl_exec_probes "before refresh"
pm_expect s4_8080 reach
pm_expect priv_8080 blocked

echo "api.test.example $PM_PRIV4" >"$zone"
out=$(rl_podman_timeout 30 unshare "$RL_HOOK" refresh --pid "$pid" 2>"$T_DIR/refresh.err")
rc=$?
[ "$rc" -eq 0 ] && t_ok "podman unshare oci-fw-hook refresh: exit 0" ||
	t_fail "podman unshare oci-fw-hook refresh: exit $rc: $(cat "$T_DIR/refresh.err")"
[[ $out == "$pid: 1 of 1 hostnames refreshed" ]] && t_ok "refresh: $out" ||
	t_fail "refresh printed '$out' (stderr: $(cat "$T_DIR/refresh.err"))"
# podman 5: the companion's own lookup at start passed through the DNS
# learner, which keeps what it learned (S4) for at least LEARN_TTL_MIN
# (60 s): the old address stays allowed until then
old_s4=blocked
pm_late_files && old_s4=reach
rl_exec_probes "after refresh"
pm_expect s4_8080 "$old_s4"
pm_expect priv_8080 reach

# a required name the nameserver does not know: refused (podman 4.3);
# podman 5 starts the container, and the hook's companion, in the user's
# namespaces, stops it once started: podman run exits 137
rl_policy "$TEST_POLICIES/not-standalone/sym-name-required.json" ofw-user-required
rl_run --dns "$PM_DNS4" --annotation fw.policy=ofw-user-required -- /bin/sh -c 'sleep 5; echo container-finished'
if pm_late_files; then
	pm_check_stopped "required, NXDOMAIN"
else
	rl_check_refused "required, NXDOMAIN" 'missing\.test\.example' 'required'
fi
t_finish
