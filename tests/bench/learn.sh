#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/bench/learn.sh: not a test, it measures the DNS learner (learn.h).
# A fake container in a netns asks a test nameserver (dns-server.py,
# rotating rot.test.example over 10 addresses, so that every answer adds
# or renews an element) LEARN_BENCH_N (2000) times in a row, timing each
# answer; once under a policy that learns the name (each answer waits in
# the queue until its address is committed) and once under the same policy
# with a literal address instead (the answers pass as before: the
# baseline). Prints the median and p99 of both and their difference, the
# learner's peak RSS (VmHWM) and its CPU time per 1,000 answers. Needs
# root; OCI_FW_HOOK is the binary measured.

. "$(dirname "$0")/../lib/netns.sh"
t_init bench-learn
N=${LEARN_BENCH_N:-2000}
DNS=198.51.100.3
topo_pair
ip -n "$NS_S" addr add "$DNS/32" dev s0
ip -n "$NS_C" route add "$DNS/32" via "$S4" dev c0
for i in $(seq 10 19); do echo "rot.test.example 203.0.113.$i"; done >"$T_DIR/zone"
ip netns exec "$NS_S" python3 "$T_LIB_DIR/dns-server.py" --listen "$DNS" --rotate \
	--zone "$T_DIR/zone" </dev/null >"$T_DIR/dns.out" 2>&1 &
t_track_pid $!
wait_listen "$NS_S" udp "$DNS" 53
mkdir -p "$T_DIR/pol"
printf '{ "egress": { "default": "drop", "allow": [ { "to": ["dns"] },
  { "to": ["%s"], "proto": "tcp", "ports": [8080] } ] } }\n' rot.test.example >"$T_DIR/pol/learned.json"
printf '{ "egress": { "default": "drop", "allow": [ { "to": ["dns"] },
  { "to": ["%s"], "proto": "tcp", "ports": [8080] } ] } }\n' 203.0.113.10 >"$T_DIR/pol/static.json"
HOOK_DIRS=(--policy-dir "$T_DIR/pol")

# times POLICY: N lookups from a fresh container under POLICY; prints the
# microseconds of each, one a line
times() {
	fc_new "$NS_C" "nameserver=$DNS"
	ns_nft "$NS_C" delete table inet oci_fw 2>/dev/null
	hook_apply "$(make_state "$FC_PID" "$FC_BUNDLE" "$1")" || t_die "apply $1: $HOOK_ERR"
	nsenter --net="/run/netns/$NS_C" python3 - "$DNS" "$N" <<'PY'
import os, socket, struct, sys, time
server, n = sys.argv[1], int(sys.argv[2])
q = b"".join(bytes([len(l)]) + l.encode() for l in "rot.test.example".split(".")) + b"\0"
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(2)
s.connect((server, 53))
for i in range(n):
    msg = struct.pack(">HHHHHH", i & 0xFFFF, 0x0100, 1, 0, 0, 0) + q + struct.pack(">HH", 1, 1)
    t0 = time.perf_counter_ns()
    s.send(msg)
    s.recv(512)
    print((time.perf_counter_ns() - t0) // 1000)
PY
}
pct() { sort -n | awk -v p="$1" '{ v[NR] = $1 } END { i = int(NR * p / 100 + 0.5); if (i < 1) i = 1; print v[i] }'; }
learner_of() {
	local p
	for p in $(pgrep -x oci-fw-hook); do
		[[ /proc/$p/ns/net -ef /run/netns/$NS_C ]] && echo "$p"
	done
}

times static >"$T_DIR/static.us" || t_die "static lookups failed"
kill "$FC_PID"
sleep 0.3
times learned >"$T_DIR/learned.us.tmp" &
learner=
for _ in $(seq 1 100); do
	learner=$(learner_of)
	[ -n "$learner" ] && break
	sleep 0.05
done
[ -n "$learner" ] || t_die "no learner in $NS_C"
read -r _ _ _ _ _ _ _ _ _ _ _ _ _ u0 s0 _ <"/proc/$learner/stat"
wait $! || t_die "learned lookups failed"
mv "$T_DIR/learned.us.tmp" "$T_DIR/learned.us"
read -r _ _ _ _ _ _ _ _ _ _ _ _ _ u1 s1 _ <"/proc/$learner/stat"
hwm=$(awk '/^VmHWM/ { print $2 }' "/proc/$learner/status")
rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$learner/status")
hz=$(getconf CLK_TCK)
for k in static learned; do
	eval "${k}_med=\$(pct 50 <\"\$T_DIR/$k.us\")"
	eval "${k}_p99=\$(pct 99 <\"\$T_DIR/$k.us\")"
done
echo "learner: $N lookups of a name rotating over 10 addresses (every answer commits)"
echo "  per answer, static rule:  median ${static_med} us, p99 ${static_p99} us"
echo "  per answer, learned rule: median ${learned_med} us, p99 ${learned_p99} us"
echo "  added by the learner:     median $((learned_med - static_med)) us, p99 $((learned_p99 - static_p99)) us"
echo "  learner peak RSS (VmHWM): ${hwm} KiB (its pages shared with the hook it was forked from count), now ${rss} KiB"
echo "  learner CPU: $(((u1 + s1 - u0 - s0) * 1000 * 1000 / hz / N)) ms per 1000 answers"
