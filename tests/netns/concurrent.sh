#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# concurrent.sh: 24 containers, each in its own netns with its own policy, are firewalled by 24 applies released at the same moment; each netns ends up with exactly its own table, and its own allowed port is the one that connects.

. "$(dirname "$0")/../lib/netns.sh"
t_init
t_need_hook

N=24
port() { echo $((8100 + 10#$1)); }

# The server netns: a bridge with 198.51.100.2/24 and one listener on every
# port; container i is 198.51.100.(10+i) on a veth whose other end is on
# the bridge. Container i's policy, conc-i, allows only TCP port 8100+i.
ns_add s NS_S
pol="$T_DIR/pol"
mkdir -m 0755 "$pol"
NS=()
ports=()
for i in $(seq -w 1 $N); do
	ns_add "$i" NS_I
	ns=$NS_I
	NS[10#$i]=$ns
	ip link add c0 netns "$ns" type veth peer name "v$i" netns "$NS_S" || t_die "veth $i"
	printf 'addr add 198.51.100.%s/24 dev c0\nlink set c0 up\n' $((10 + 10#$i)) | ip -n "$ns" -b - ||
		t_die "addresses in $ns"
	ports+=("$(port "$i")")
	printf '{"description": "test: concurrent %s", "egress": {"default": "reject", "allow": [
	  {"to": ["%s"], "proto": "tcp", "ports": [%s]}]}}\n' "$i" "$S4" "$(port "$i")" >"$pol/conc-$i.json"
	chmod 0644 "$pol/conc-$i.json"
done
{
	printf 'link add br0 type bridge\naddr add %s/24 dev br0\nlink set br0 up\n' "$S4"
	for i in $(seq -w 1 $N); do printf 'link set v%s master br0 up\n' "$i"; done
} | ip -n "$NS_S" -b - || t_die "the server's bridge"
srv_tcp_many "$NS_S" "${ports[@]}"
HOOK_DIRS=(--policy-dir "$pol")

# 24 containers, 24 states, one moment
states=()
for i in $(seq -w 1 $N); do
	fc_new "${NS[10#$i]}"
	make_state "$FC_PID" "$FC_BUNDLE" "conc-$i" >"$T_DIR/state-$i"
	states+=("$T_DIR/state-$i")
done
t0=$EPOCHREALTIME
hook_parallel "${states[@]}"
t_log "$N applies released together: all ended after $(((${EPOCHREALTIME/./} - ${t0/./}) / 1000)) ms"

# Each netns holds exactly its own table: one table, named for its policy,
# one allow rule, for its port.
for i in $(seq -w 1 $N); do
	rc=$(<"$T_DIR/state-$i.rc")
	[ "$rc" = 0 ] && t_ok "$i: exit 0" || t_fail "conc-$i: exit $rc: $(<"$T_DIR/state-$i.err")"
	listing=$(ns_ruleset "${NS[10#$i]}")
	if [[ $listing =~ ^table\ inet\ oci_fw\ \{ ]] && [[ $listing != *$'\ntable '* ]]; then
		t_ok "$i: one table"
	else
		t_fail "conc-$i: not exactly one table inet oci_fw:
$listing"
	fi
	[[ $listing == *"comment \"conc-$i sha256:"* ]] && t_ok "$i: the table names conc-$i" ||
		t_fail "conc-$i: the table does not name conc-$i:
$listing"
	own="dport $(port "$i") "
	rest=${listing//"$own"/}
	if [ $(((${#listing} - ${#rest}) / ${#own})) = 1 ] && [[ $rest != *dport* ]]; then
		t_ok "$i: one rule, for its own port"
	else
		t_fail "conc-$i: expected one rule, for port $(port "$i"):
$listing"
	fi
done

# One real probe each, all at once: its own port connects, its neighbour's
# is rejected.
for i in $(seq 1 $N); do
	next=$((i % N + 1))
	(probe_tcp "${NS[i]}" "$S4" "$(port "$i")" 3 && echo reach || echo blocked) >"$T_DIR/own-$i" &
	(probe_tcp "${NS[i]}" "$S4" "$(port "$next")" 3 && echo reach || echo blocked) >"$T_DIR/next-$i" &
done
# wait for the probes only, not the servers and containers
mapfile -t running < <(jobs -pr)
for p in "${running[@]}"; do
	[[ " ${T_PIDS[*]} " == *" $p "* ]] || wait "$p"
done
for i in $(seq 1 $N); do
	next=$((i % N + 1))
	got=$(<"$T_DIR/own-$i")
	[ "$got" = reach ] && t_ok "$i: own port reached" ||
		t_fail "container $i -> port $(port "$i") (its own): expected reach, got $got"
	got=$(<"$T_DIR/next-$i")
	[ "$got" = blocked ] && t_ok "$i: neighbour's port blocked" ||
		t_fail "container $i -> port $(port "$next") (its neighbour's): expected blocked, got $got"
done
t_finish
