#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/bench/rootless.sh: part 5 of tests/bench/run; not a test, it
# measures. How long a rootless `podman run --rm` (slirp4netns, runc,
# busybox rootfs, `sh -c exit`) takes without the hook, with the hook and no
# annotation, and with the hook loading the user's deny-all policy: the
# median of RL_TIMING_RUNS (10) runs each, interleaved so that drift in the
# machine's load hits all three alike. A run that fails makes the numbers
# meaningless: then it fails. Needs root (it sets up the rootless test user
# as the rootless suite does); OCI_FW_HOOK is the binary measured.

. "$(dirname "$0")/../lib/rootless.sh"
rl_init
rl_policy "$POLICIES/denyall.json" ofw-user-deny
N=${RL_TIMING_RUNS:-10}

declare -A MS
one() { # one KIND: times one run of KIND, appends to MS[KIND]
	local kind=$1 t0 t1 conf=$RL_CONF ann=()
	case $kind in
	nohook) conf=$RL_CONF_NOHOOK ;;
	policy) ann=(--annotation fw.policy=ofw-user-deny) ;;
	esac
	t0=$(date +%s%N)
	RL_CONTAINERS_CONF=$conf rl_run "${ann[@]}" -- /bin/sh -c exit
	t1=$(date +%s%N)
	if [ "$PM_RC" -ne 0 ]; then
		t_fail "$kind run: podman exit $PM_RC: $PM_ERR"
		return
	fi
	MS[$kind]+=" $(((t1 - t0) / 1000000))"
}
median() { # median NUMBER...
	printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END {
		if (NR % 2) print v[(NR + 1) / 2]; else print int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

# one unmeasured run of each first (storage, pause process, page cache)
for k in nohook hook policy; do one "$k"; done
MS=()
for _ in $(seq 1 "$N"); do
	for k in nohook hook policy; do one "$k"; done
done
for k in nohook hook policy; do
	# shellcheck disable=SC2086
	set -- ${MS[$k]:-}
	[ $# -eq "$N" ] && t_ok "$k: $N runs" || t_fail "$k: only $# of $N runs succeeded"
done
# shellcheck disable=SC2086
{
	a=$(median ${MS[nohook]}) b=$(median ${MS[hook]}) c=$(median ${MS[policy]})
}
echo "$T_NAME: rootless podman run --rm, median of $N (ms): without the hook $a;" \
	"hook, no annotation $b (+$((b - a))); hook + denyall $c (+$((c - a)))"
for k in nohook hook policy; do echo "$T_NAME:   $k:${MS[$k]}"; done
t_finish
