#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/bench/ops.sh: not a test, it measures `reload` and `ps` (issue 17).
# (1) reload of a running rootful podman container (runc) after an edit,
# for web-egress and for a 100k-address policy (gen.py's block-100k): the
# hook's own elapsed_us (its child processes: the table read and apply)
# and the whole command's wall time (with podman inspect and ps), against
# apply's elapsed_us for the same policy into a fresh namespace; (2) ps
# with 50 running containers (denyall): wall time. Medians of OPS_RUNS (5).
# Prints "key value" lines. OCI_FW_HOOK is the binary measured.

. "$(dirname "$0")/../lib/podman.sh"
pm_init
N=${OPS_RUNS:-5}
NPS=${OPS_PS_CONTAINERS:-50}
POL="$T_DIR/pol"
mkdir -p "$POL"
python3 "$(dirname "$0")/gen.py" "$T_DIR/gen" >/dev/null || t_die "gen.py failed"
cp "$POLICIES/web-egress.json" "$POL/web.json"
cp "$T_DIR/gen/policies/block-100k.json" "$POL/big.json"
PM_HOOK_ARGS=(--policy-dir "$POL")
pm_write_hook_json "$PM_HOOKS/oci-fw-hook.json"

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
now_us() { echo $(($(date +%s%N) / 1000)); }
# touch_policy FILE: a new version (a description), so reload replaces
touch_policy() { jq --arg d "v$RANDOM$RANDOM" '.description = $d' "$1" >"$1.new" && mv "$1.new" "$1"; }

apply_us() { # apply_us POLICY: apply's elapsed_us into a fresh netns
	local st out
	ns_add "a$RANDOM" APPLY_NS
	fake_container "$APPLY_NS"
	make_bundle "$T_DIR/bundle"
	st=$(make_state "$FC_PID" "$T_DIR/bundle" "$1")
	out=$("$OCI_FW_HOOK" apply --policy-dir "$POL" --log-level info --syslog-socket none <<<"$st" 2>&1)
	sed -n 's/.*applied .* elapsed_us=\([0-9]*\).*/\1/p' <<<"$out"
	t_kill_pid "$FC_PID"
}

for pol in web big; do
	pm_start --annotation fw.policy=$pol || t_die "$pol container: $PM_ERR"
	name=$PM_NAME
	hook=() wall=() app=()
	for _ in $(seq "$N"); do
		touch_policy "$POL/$pol.json"
		t0=$(now_us)
		out=$("$OCI_FW_HOOK" reload --policy-dir "$POL" --syslog-socket none "$name" 2>&1)
		t1=$(now_us)
		grep -q '^reloaded ' <<<"$out" || t_die "reload $pol: $out"
		hook+=("$(sed -n 's/.* elapsed_us=\([0-9]*\).*/\1/p' <<<"$out")")
		wall+=($((t1 - t0)))
		app+=("$(apply_us "$pol")")
	done
	echo "reload_$pol.elapsed_us $(printf '%s\n' "${hook[@]}" | median)"
	echo "reload_$pol.wall_us $(printf '%s\n' "${wall[@]}" | median)"
	echo "apply_$pol.elapsed_us $(printf '%s\n' "${app[@]}" | median)"
	timeout 30 podman rm -f -t 0 "$name" >/dev/null 2>&1
done

for _ in $(seq "$NPS"); do
	pm_start --annotation fw.policy=denyall || t_die "ps container: $PM_ERR"
done
ps=()
for _ in $(seq "$N"); do
	t0=$(now_us)
	"$OCI_FW_HOOK" ps --json --policy-dir "$POLICIES" >"$T_DIR/ps.json" 2>"$T_DIR/ps.err" || t_die "ps: $(cat "$T_DIR/ps.err")"
	t1=$(now_us)
	ps+=($((t1 - t0)))
done
echo "ps_containers $(jq length "$T_DIR/ps.json")"
echo "ps_${NPS}.wall_us $(printf '%s\n' "${ps[@]}" | median)"
t_ok "measured"
t_finish
