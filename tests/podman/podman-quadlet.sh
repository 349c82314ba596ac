#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# podman-quadlet.sh: a quadlet .container file with Annotation=fw.policy=tcp-port: the generator (QUADLET_GENERATOR, podman's
# systemd generator; registered where podman has one: podman >= 4.4) writes a unit whose ExecStart passes the annotation;
# that ExecStart, run by hand as systemd would (systemd is not PID 1 here: %-specifiers expanded, without --cgroups=split),
# starts a container with the policy's table in its netns: TCP 8080 to the server reaches, TCP 80 is blocked. The unit's
# ExecStop removes it.

. "$(dirname "$0")/../lib/podman.sh"
pm_init
pm_server
[ -x "${QUADLET_GENERATOR:-}" ] || t_die "QUADLET_GENERATOR='${QUADLET_GENERATOR:-}' is not an executable"

unit="ofw-$T_TAG"
ctr="ofw-$T_TAG-quadlet"
src="$T_DIR/quadlet"
out="$T_DIR/units"
rt="$T_DIR/run" # systemd's %t (the runtime directory) for this test
mkdir -p "$src" "$out" "$rt"
cat >"$src/$unit.container" <<EOF
[Container]
ContainerName=$ctr
Rootfs=$PM_ROOTFS
ReadOnly=true
Annotation=fw.policy=tcp-port
Exec=/bin/sleep 300
EOF

QUADLET_UNIT_DIRS="$src" timeout 60 "$QUADLET_GENERATOR" "$out" >"$T_DIR/gen.log" 2>&1 ||
	t_die "the generator failed: $(cat "$T_DIR/gen.log")"
svc="$out/$unit.service"
[ -f "$svc" ] && t_ok "the generator wrote $unit.service" || t_die "no $unit.service from the generator: $(cat "$T_DIR/gen.log"); $(ls "$out")"

# unit_cmd KEY: the command line of KEY= in [Service], %-specifiers
# expanded, split as systemd would (python shlex: quadlet quotes in the
# shell's way), one NUL-terminated word each
unit_cmd() {
	python3 - "$svc" "$1" "$unit" "$rt" <<'PY'
import shlex, sys
path, key, name, rt = sys.argv[1:]
section = None
for line in open(path):
    line = line.rstrip("\n")
    if line.startswith("["):
        section = line
    elif section == "[Service]" and line.startswith(key + "="):
        cmd = line[len(key) + 1:].lstrip("-@")
        spec = {"%t": rt, "%N": name, "%n": name + ".service", "%%": "%"}
        words = [w for w in shlex.split(cmd) if w != "--cgroups=split"]
        out = []
        for w in words:
            for k, v in spec.items():
                w = w.replace(k, v)
            out.append(w)
        sys.stdout.write("".join(w + "\0" for w in out))
        break
PY
}
mapfile -d '' start < <(unit_cmd ExecStart)
mapfile -d '' stop < <(unit_cmd ExecStop)
[ "${#start[@]}" -gt 2 ] || t_die "no ExecStart in $svc: $(cat "$svc")"
if [[ " ${start[*]} " == *" --annotation fw.policy=tcp-port "* ]]; then
	t_ok "ExecStart passes --annotation fw.policy=tcp-port"
else
	t_fail "ExecStart has no '--annotation fw.policy=tcp-port': ${start[*]}"
fi

PM_NAMES+=("$ctr")
PODMAN_SYSTEMD_UNIT="$unit.service" timeout 120 "${start[@]}" </dev/null >"$T_DIR/start.out" 2>"$T_DIR/start.err"
rc=$?
[ "$rc" -eq 0 ] && t_ok "the unit's ExecStart, by hand: exit 0" ||
	t_die "the unit's ExecStart exited $rc: $(cat "$T_DIR/start.err") (${start[*]})"
PM_NAME=$ctr
PM_PID=$(podman inspect -f '{{.State.Pid}}' "$ctr" 2>/dev/null)
[[ $PM_PID =~ ^[1-9][0-9]*$ ]] || t_die "no pid for $ctr: '$PM_PID'"
ann=$(podman inspect -f '{{index .Config.Annotations "fw.policy"}}' "$ctr" 2>&1)
[ "$ann" = tcp-port ] && t_ok "the container's fw.policy annotation: $ann" || t_fail "the container's fw.policy is '$ann'"
table=$(nsenter -t "$PM_PID" -n nft list table inet oci_fw 2>&1)
grep -q 'comment "tcp-port sha256:' <<<"$table" && t_ok "its netns holds the tcp-port table" ||
	t_fail "no tcp-port table in the container's netns: $table"

pm_exec "quadlet container" "$(pm_tcp_probe tcp8080 "$S4" 8080)$(pm_tcp_probe tcp80 "$S4" 80)"
pm_expect tcp8080 reach
pm_expect tcp80 blocked

[ "${#stop[@]}" -gt 2 ] || t_die "no ExecStop in $svc"
timeout 60 "${stop[@]}" </dev/null >/dev/null 2>"$T_DIR/stop.err" || t_fail "ExecStop failed: $(cat "$T_DIR/stop.err")"
if podman container exists "$ctr"; then t_fail "$ctr is still there after ExecStop"; else
	t_ok "ExecStop removed $ctr"
fi
t_finish
