#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# podman-pod.sh: a pod (offline: its infra image is imported from the test rootfs): members with the same policy run firewalled, a member with another policy or a risky member without annotation is refused, a plain member runs under the pod's firewall; in a second pod a member with NET_ADMIN that starts first keeps a denyall member out (naming it), and its fw.unsafe does not let it into a firewalled pod.

. "$(dirname "$0")/../lib/podman.sh"
pm_init
pm_server

# No registry: the infra image is the busybox rootfs, imported under a name
# of this run's own and removed at exit (after the pod: cleanups run last first).
pod="ofw-pod-$T_TAG"
pm_pod "$pod"
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

# A second pod: a member with --cap-add NET_ADMIN and no annotation starts
# first (no firewall yet: it runs); a member with denyall is refused while
# it runs, the error naming it; once it is gone denyall goes in, and the
# same risky member, now with its own fw.unsafe, is refused.
pod2="ofw-pod2-$T_TAG"
pm_pod "$pod2"
pm_start --pod "$pod2" --cap-add NET_ADMIN || t_die "the NET_ADMIN member did not start: $PM_ERR"
admin=$PM_NAME admin_pid=$PM_PID
admin_id=$(podman inspect -f '{{.Id}}' "$admin" | cut -c1-12)
pm_refused "denyall member after a member with NET_ADMIN" --pod "$pod2" --annotation fw.policy=denyall -- \
	"process $admin_pid \\(sleep, container $admin_id\\)" CAP_NET_ADMIN
nsenter --net="/proc/$admin_pid/ns/net" nft list table inet oci_fw >/dev/null 2>&1 &&
	t_fail "the pod holds a table after the refusal" || t_ok "no table in the pod after the refusal"
timeout 60 podman rm -f -t 0 "$admin" >/dev/null 2>&1
pm_start --pod "$pod2" --annotation fw.policy=denyall || t_die "denyall did not start once the neighbour was gone: $PM_ERR"
t_ok "denyall member once the NET_ADMIN member is gone"
pm_refused "member with NET_ADMIN and its own fw.unsafe, after denyall" --pod "$pod2" --cap-add NET_ADMIN \
	--annotation fw.unsafe=CAP_NET_ADMIN -- "another container's firewall" CAP_NET_ADMIN
t_finish
