#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# podman-learn.sh: hostnames that follow DNS in real containers (rootful: CNI on podman 4.3, netavark on podman 5). A test nameserver rotates rot.test.example over 10 addresses with TTL 1: 50 lookups (busybox nslookup) and connects in a row all reach; *.wild.test.example admits a.wild, not its apex nor evilwild; an address never announced stays blocked. A pod of two members has one learner, which serves both and ends after the last; show lists the learned addresses.

. "$(dirname "$0")/../lib/podman.sh"
pm_init
pm_server
pm_learn_setup
record_listen "$T_DIR/log.sock" "$T_DIR/log"
PM_HOOK_ARGS=(--syslog-socket "$T_DIR/log.sock")
pm_write_hook_json "$PM_HOOKS/oci-fw-hook.json"

pm_run --dns "$PM_DNS4" --annotation fw.policy=learn-names -- /bin/sh -c "$(pm_learn_script 50)"
pm_ok "one container"
pm_learn_expect "one container" 50
record_wait "$T_DIR/log" "learner ended container=[0-9a-f]+ queue=41053 answers=[1-9]" &&
	t_ok "the record: $(grep -o 'learner ended.*' "$T_DIR/log" | head -n1)" ||
	t_fail "no record of the learner's end: $(cat "$T_DIR/log")"

# a pod: two members, one learner
pod="ofw-$T_TAG-pod"
timeout 60 podman pod create --name "$pod" --dns "$PM_DNS4" >/dev/null 2>"$T_DIR/pod.err" ||
	t_die "podman pod create: $(cat "$T_DIR/pod.err")"
t_on_exit "timeout 60 podman pod rm -f -t 0 $pod >/dev/null 2>&1"
pm_start --pod "$pod" --annotation fw.policy=learn-names || t_die "first member: $PM_ERR"
first=$PM_NAME
first_pid=$PM_PID
pm_start --pod "$pod" --annotation fw.policy=learn-names || t_die "second member: $PM_ERR"
n=$(pm_learners "$PM_PID" | wc -l)
[ "$n" = 1 ] && t_ok "pod: two members, one learner" || t_fail "pod: $n learners: $(pm_learners "$PM_PID")"
pm_exec "pod: second member" "$(pm_learn_script 10)"
pm_learn_expect "pod: second member" 10
show=$("$OCI_FW_HOOK" show --pid "$PM_PID" 2>&1)
grep -Eq '^ +198\.51\.100\.30 +a\.wild\.test\.example +[0-9]+ s +\(\*\.wild\.test\.example\)' <<<"$show" &&
	grep -q 'the learner listens' <<<"$show" &&
	t_ok "show lists a.wild.test.example and says the learner listens" || t_fail "show: $show"
learner=$(pm_learners "$PM_PID")
timeout 60 podman rm -f -t 0 "$first" >/dev/null 2>&1
[[ -n $learner && -e /proc/$learner ]] && t_ok "the first member gone, the learner stays" ||
	t_fail "the learner ended with the first member"
pm_exec "pod: after the first member" "$(pm_learn_script 5)"
pm_learn_expect "pod: after the first member" 5
timeout 60 podman rm -f -t 0 "$PM_NAME" >/dev/null 2>&1
for _ in $(seq 1 50); do [ -e "/proc/$learner" ] || break; sleep 0.1; done
[ -e "/proc/$learner" ] && t_fail "the learner outlived both members" || t_ok "the last member gone, the learner ended"
: "$first_pid"
t_finish
