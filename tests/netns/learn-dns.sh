#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# learn-dns.sh: hostnames that follow DNS (learn.h). A test nameserver rotates rot.test.example over 10 test-host addresses with TTL 1: 50 lookups and connects in a row all succeed, and an address never announced stays blocked. A wildcard admits two subdomains, not its apex nor evilwild.test.example; a CNAME chain and DNS over TCP are learned; a name the policy does not name adds nothing; the learned elements carry the name asked and a timeout of at least LEARN_TTL_MIN. The learner killed: the next lookup fails, nothing new opens, the other rules still work, and the syslog record has its start and end.

. "$(dirname "$0")/../lib/netns.sh"
t_init
t_need_hook

DNS=198.51.100.3
DNS2=198.51.100.4 # a second nameserver of the container, silent
topo_pair
ip -n "$NS_S" addr add "$DNS/32" dev s0
ip -n "$NS_S" addr add "$DNS2/32" dev s0
ip -n "$NS_C" route add 203.0.113.0/24 via "$S4" dev c0
ip -n "$NS_C" route add "$DNS/32" via "$S4" dev c0
ROT=()
for i in $(seq 10 19); do ROT+=("203.0.113.$i"); done
for a in "${ROT[@]}" 203.0.113.20 203.0.113.30 203.0.113.31 203.0.113.32 \
	203.0.113.33 203.0.113.34 203.0.113.40 203.0.113.41 203.0.113.50; do
	ip -n "$NS_S" addr add "$a/32" dev s0
done
srv_tcp_many "$NS_S" 80 8080
{
	for a in "${ROT[@]}"; do echo "rot.test.example $a"; done
	echo "a.wild.test.example 203.0.113.30"
	echo "b.c.wild.test.example 203.0.113.31"
	echo "wild.test.example 203.0.113.32"
	echo "evilwild.test.example 203.0.113.33"
	echo "z.wild.test.example 203.0.113.34"
	echo "alias.test.example CNAME mid.other.example"
	echo "mid.other.example CNAME final.other.example"
	echo "final.other.example 203.0.113.40"
	echo "other.test.example 203.0.113.41"
	echo "tcp.test.example 203.0.113.50"
} >"$T_DIR/zone"
ip netns exec "$NS_S" python3 "$T_LIB_DIR/dns-server.py" --listen "$DNS" --rotate --tcp \
	--zone "$T_DIR/zone" </dev/null >"$T_DIR/dns.out" 2>&1 &
t_track_pid $!
wait_listen "$NS_S" udp "$DNS" 53
wait_listen "$NS_S" tcp "$DNS" 53

mkdir -p "$T_DIR/pol"
cat >"$T_DIR/pol/learn.json" <<'JSON'
{ "egress": { "default": "reject", "allow": [
    { "to": ["dns"] },
    { "to": ["198.51.100.2"], "proto": "tcp", "ports": [80], "comment": "a static rule" },
    { "to": ["rot.test.example", "*.wild.test.example", "alias.test.example",
             "tcp.test.example"], "proto": "tcp", "ports": [8080] } ] },
  "ingress": { "default": "drop" } }
JSON
LOG="$T_DIR/log"
record_listen "$T_DIR/log.sock" "$LOG"
HOOK_DIRS=(--policy-dir "$T_DIR/pol" --syslog-socket "$T_DIR/log.sock")

srv_udp "$NS_C" "$C4" 5000
fc_new "$NS_C" "nameserver=$DNS" "nameserver=$DNS2"
if hook_apply "$(make_state "$FC_PID" "$FC_BUNDLE" learn)"; then
	t_ok "apply exit 0"
else
	t_die "apply exit $HOOK_RC: $HOOK_ERR"
fi
# Only replies to the container's own queries are queued (an accepted
# packet skips the rest of the chain): a datagram a nameserver's address
# sends from port 53 unasked meets the ingress default.
out=$(echo ping | timeout 5 nsenter --net="/run/netns/$NS_S" socat -t 1 - \
	"UDP4:$C4:5000,bind=$DNS2:53,readbytes=3" 2>/dev/null)
[ -z "$out" ] && t_ok "unasked UDP from a nameserver's port 53: dropped by the ingress default" ||
	t_fail "unasked UDP from $DNS2:53 reached the container: $out"
t_check "the record says the learner started" record_wait "$LOG" "learner started container=ofw-$T_TAG queue=41053"

# client NAME [ARGS...]: dns-client.py in the container's netns
client() {
	local name=$1
	shift
	timeout 120 nsenter --net="/run/netns/$NS_C" python3 "$T_LIB_DIR/dns-client.py" \
		--server "$DNS" --name "$name" "$@" 2>&1
}
learned() { ns_nft "$NS_C" list set inet oci_fw "$1" 2>&1; }

out=$(client rot.test.example --count 50 --connect 8080)
rc=$?
n_ok=$(grep -c ' ok$' <<<"$out")
distinct=$(grep ' ok$' <<<"$out" | cut -d' ' -f1 | sort -u | wc -l)
if [ "$rc" = 0 ] && [ "$n_ok" = 50 ] && [ "$distinct" = 10 ]; then
	t_ok "rotating name, TTL 1: 50 lookups and connects in a row, all 50 reached ($distinct addresses)"
else
	t_fail "rotating name: $n_ok of 50 reached over $distinct addresses: $(grep -v ' ok$' <<<"$out" | head -n 5)"
fi
expect blocked tcp "$NS_C" 203.0.113.20 8080

set0=$(learned learn.0_v4)
if grep -q '203.0.113.10 timeout 1m expires' <<<"$set0" && grep -q 'comment "rot.test.example"' <<<"$set0"; then
	t_ok "a learned element: its name as comment, the TTL floor (60 s) as timeout"
else
	t_fail "learn.0_v4 lacks 203.0.113.10 with timeout 1m and its comment: $set0"
fi

for n in a.wild.test.example b.c.wild.test.example; do
	out=$(client "$n" --connect 8080) && t_ok "wildcard: $n reached ($out)" ||
		t_fail "wildcard: $n: $out"
done
for n in wild.test.example evilwild.test.example other.test.example; do
	out=$(client "$n" --connect 8080 --timeout 1)
	if [[ $out == *" blocked" ]]; then
		t_ok "$n resolves but is not learned: $out"
	else
		t_fail "$n: expected resolved and blocked, got: $out"
	fi
done
all=$(ns_nft "$NS_C" list table inet oci_fw)
for a in 203.0.113.32 203.0.113.33 203.0.113.41; do
	if grep -q "$a" <<<"$all"; then t_fail "$a is in the firewall"; else
		t_ok "$a (a name the policy does not name) added nothing"
	fi
done

out=$(client alias.test.example --connect 8080) && [[ $out == "203.0.113.40 ok" ]] &&
	t_ok "CNAME chain alias -> mid.other.example -> final.other.example: $out" ||
	t_fail "CNAME chain: $out"
grep -q 'comment "alias.test.example"' <<<"$(learned learn.2_v4)" &&
	t_ok "the chain's address is learned for the name asked" ||
	t_fail "learn.2_v4: $(learned learn.2_v4)"

out=$(client tcp.test.example --tcp --connect 8080) && t_ok "DNS over TCP learned: $out" ||
	t_fail "DNS over TCP: $out"

show=$("$OCI_FW_HOOK" show --pid "$FC_PID" 2>&1)
if grep -q 'learned from DNS answers: .*the learner listens' <<<"$show" &&
	grep -Eq '^ +203\.0\.113\.40 +alias\.test\.example +[0-9]+ s +\(alias\.test\.example\)' <<<"$show"; then
	t_ok "show lists the learned addresses with their name and time left"
else
	t_fail "show: $show"
fi
json=$("$OCI_FW_HOOK" show --json --pid "$FC_PID" 2>&1)
[ "$(jq -r '.learned.learner' <<<"$json")" = listening ] &&
	[ "$(jq -r '[.learned.addresses[] | select(.name == "a.wild.test.example")][0].rule_name' <<<"$json")" = '*.wild.test.example' ] &&
	t_ok "show --json: the learner listens, a.wild.test.example learned for *.wild.test.example" ||
	t_fail "show --json: $json"

# learners: the oci-fw-hook processes in the container's netns
learners() {
	local p
	for p in $(pgrep -x oci-fw-hook); do
		[[ /proc/$p/ns/net -ef /run/netns/$NS_C ]] && echo "$p"
	done
}
# learners_settle N: n, the number of learners, once it is N or after 5 s
# (a member's child that handed its pidfd over, and a learner that said
# it ended, exit a little later: under ASan a while later)
learners_settle() {
	for _ in $(seq 50); do
		n=$(learners | wc -l)
		[ "$n" = "$1" ] && return
		sleep 0.1
	done
}
# A pod: a second member with the same policy joins the netns; the one
# learner serves both, outlives the first and ends after the last.
first=$FC_PID
fc_new "$NS_C" "nameserver=$DNS"
hook_apply "$(make_state "$FC_PID" "$FC_BUNDLE" learn)" && t_ok "second member: apply exit 0" ||
	t_fail "second member: apply exit $HOOK_RC: $HOOK_ERR"
learners_settle 1
[ "$n" = 1 ] && t_ok "two members, one learner" || t_fail "two members, $n learners: $(learners)"
kill "$first"
sleep 0.3
out=$(client a.wild.test.example --connect 8080) && t_ok "first member gone, the learner still serves the second: $out" ||
	t_fail "first member gone: $out"
kill "$FC_PID"
t_check "the last member gone: the record says the learner ended" \
	record_wait "$LOG" "learner ended container=ofw-$T_TAG queue=41053 answers=[1-9][0-9]* learned=[1-9]"
learners_settle 0
[ "$n" = 0 ] && t_ok "no learner left" || t_fail "$n learners left: $(learners)"

# A new container in the netns (the table is there: kept) starts a new
# learner; killed, it stays gone.
fc_new "$NS_C" "nameserver=$DNS"
hook_apply "$(make_state "$FC_PID" "$FC_BUNDLE" learn)" || t_fail "third container: apply exit $HOOK_RC: $HOOK_ERR"
learner=$(learners)
if [ -n "$learner" ]; then
	t_ok "one learner process in the netns: $learner"
	kill -9 "$learner"
	for _ in $(seq 1 50); do [ -e "/proc/$learner" ] || break; sleep 0.1; done
else
	t_fail "no learner process in the netns"
fi
out=$(client z.wild.test.example --timeout 1)
[[ $out == "- unresolved" ]] && t_ok "learner gone: the next lookup fails ($out)" ||
	t_fail "learner gone: the lookup gave $out"
expect blocked tcp "$NS_C" 203.0.113.34 8080
expect reach tcp "$NS_C" "$S4" 80
grep -q '203.0.113.34' <<<"$(ns_nft "$NS_C" list table inet oci_fw)" &&
	t_fail "203.0.113.34 got into the firewall" || t_ok "nothing was learned without the learner"
show=$("$OCI_FW_HOOK" show --pid "$FC_PID" 2>&1)
grep -q 'THE LEARNER IS GONE' <<<"$show" && t_ok "show says the learner is gone" ||
	t_fail "show after the kill: $show"
[ "$(jq -r '.learned.learner' <<<"$("$OCI_FW_HOOK" show --json --pid "$FC_PID" 2>&1)")" = gone ] &&
	t_ok "show --json: learner gone" || t_fail "show --json after the kill"

kill "$FC_PID"
t_finish
