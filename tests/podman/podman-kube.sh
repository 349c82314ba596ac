#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# podman-kube.sh: `podman kube play` of a Pod whose metadata.annotations has fw.policy: tcp-port (offline: the image and
# the pod's infra image are imported from the test rootfs): both app containers carry the annotation, the pod's netns
# holds the tcp-port table, and from each container TCP 8080 to the server reaches and TCP 80 is blocked. The same Pod
# without the annotation reaches TCP 80 (the block is the firewall's).

. "$(dirname "$0")/../lib/podman.sh"
pm_init
pm_server

img="localhost/ofw-kube-$T_TAG:test"
tar -C "$PM_ROOTFS" -c . | timeout 120 podman import --change 'CMD ["/bin/sleep", "3600"]' - "$img" \
	>"$T_DIR/import.log" 2>&1 || t_die "podman import of the rootfs failed: $(tail -n 3 "$T_DIR/import.log")"
t_on_exit "timeout 60 podman rmi -f $img >/dev/null 2>&1"
# the pod's infra container: the same image (no registry here)
sed -i "s|^\[engine\]\$|&\ninfra_image = \"$img\"|" "$PM_CONF"
grep -qx "infra_image = \"$img\"" "$PM_CONF" || t_die "no infra_image in $PM_CONF: $(cat "$PM_CONF")"

# pod_yaml NAME [ANNOTATION-LINE]: a Pod with the app containers a and b
pod_yaml() {
	cat <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: $1
${2:+  annotations:
    $2}
spec:
  containers:
  - name: a
    image: $img
    imagePullPolicy: Never
    command: ["/bin/sleep", "300"]
  - name: b
    image: $img
    imagePullPolicy: Never
    command: ["/bin/sleep", "300"]
EOF
}
# play NAME FILE: kube play, the pod removed at exit
play() {
	t_on_exit "timeout 60 podman pod rm -f -t 0 $1 >/dev/null 2>&1"
	timeout 120 podman kube play "$2" >"$T_DIR/play.out" 2>"$T_DIR/play.err" ||
		t_die "podman kube play $2 failed: $(cat "$T_DIR/play.err")"
	t_ok "kube play: pod $1"
}
script="$(pm_tcp_probe tcp8080 "$S4" 8080)$(pm_tcp_probe tcp80 "$S4" 80)"

pod="ofw-$T_TAG-fw"
pod_yaml "$pod" 'fw.policy: tcp-port' >"$T_DIR/pod.yaml"
play "$pod" "$T_DIR/pod.yaml"
for c in a b; do
	PM_NAME="$pod-$c"
	ann=$(podman inspect -f '{{index .Config.Annotations "fw.policy"}}' "$PM_NAME" 2>&1)
	[ "$ann" = tcp-port ] && t_ok "$c: fw.policy=$ann" || t_fail "$c: fw.policy is '$ann'"
done
pid=$(podman inspect -f '{{.State.Pid}}' "$pod-a" 2>/dev/null)
[[ $pid =~ ^[1-9][0-9]*$ ]] || t_die "no pid for $pod-a: '$pid'"
table=$(nsenter -t "$pid" -n nft list table inet oci_fw 2>&1)
grep -q 'comment "tcp-port sha256:' <<<"$table" && t_ok "the pod's netns holds the tcp-port table" ||
	t_fail "no tcp-port table in the pod's netns: $table"
for c in a b; do
	PM_NAME="$pod-$c"
	pm_exec "$c" "$script"
	pm_expect tcp8080 reach
	pm_expect tcp80 blocked
done

open="ofw-$T_TAG-open"
pod_yaml "$open" >"$T_DIR/open.yaml"
play "$open" "$T_DIR/open.yaml"
PM_NAME="$open-a"
pm_exec "no annotation" "$script"
pm_expect tcp8080 reach
pm_expect tcp80 reach
t_finish
