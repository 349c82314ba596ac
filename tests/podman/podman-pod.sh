#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# podman-pod.sh: a pod (offline: its infra image is imported from the test rootfs): members with the same policy run firewalled, a member with another policy or a risky member without annotation is refused, a plain member runs under the pod's firewall.

. "$(dirname "$0")/../lib/podman.sh"
pm_init
pm_server

# No registry: the infra image is the busybox rootfs, imported under a name
# of this run's own and removed at exit (after the pod: cleanups run last first).
img="localhost/ofw-infra-$T_TAG:latest"
pod="ofw-pod-$T_TAG"
tar -C "$PM_ROOTFS" -c . | timeout 120 podman import --change 'CMD ["/bin/sleep", "3600"]' - "$img" \
	>"$T_DIR/import.log" 2>&1 || t_die "podman import of the rootfs failed: $(tail -n 3 "$T_DIR/import.log")"
t_on_exit "timeout 60 podman rmi -f $img"
timeout 120 podman pod create --name "$pod" --infra-image "$img" >"$T_DIR/pod.log" 2>&1 ||
	t_die "podman pod create failed: $(cat "$T_DIR/pod.log")"
t_on_exit "timeout 60 podman pod rm -f -t 0 $pod"
t_ok "pod $pod created with a local infra image"

pm_start --pod "$pod" --annotation fw.policy=denyall || t_die "the first member did not start: $PM_ERR"
first=$PM_PID
table() { nsenter --net="/proc/$first/ns/net" nft -s list table inet oci_fw 2>&1; }
before=$(table)
grep -q 'comment "denyall sha256:' <<<"$before" && t_ok "the pod is firewalled with denyall" ||
	t_fail "the pod's netns has no denyall table: $before"
check_table() {
	local now
	now=$(table)
	[ "$now" = "$before" ] && t_ok "$1: the pod's table unchanged" ||
		t_fail "$1: the pod's table changed:
$(diff <(echo "$before") <(echo "$now"))"
}

script="$(pm_tcp_probe tcp80 "$S4" 80)$(pm_tcp_probe tcp8080 "$S4" 8080)"
pm_run --pod "$pod" --annotation fw.policy=denyall -- /bin/sh -c "$script"
pm_ok "member with the same policy"
pm_expect tcp80 blocked
check_table "member with the same policy"

pm_refused "member with another policy" --pod "$pod" --annotation fw.policy=tcp-port -- denyall tcp-port
check_table "member with another policy"
pm_refused "member without annotation, --cap-add NET_RAW" --pod "$pod" --cap-add NET_RAW -- NET_RAW
check_table "member with NET_RAW"

pm_run --pod "$pod" -- /bin/sh -c "$script"
pm_ok "member without annotation"
pm_expect tcp80 blocked
pm_expect tcp8080 blocked
check_table "member without annotation"
t_finish
