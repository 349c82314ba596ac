#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# spoof-dns.sh: an unprivileged process in the namespace (with NET_BIND_SERVICE, as podman grants) reads the hook's DNS socket from /proc/net/udp6 and floods it with forged answers from [nameserver]:53 for every query id, while refresh runs and while apply runs for a container joining it: the forged address never enters the set; at refresh (the firewall refuses the forger) the name keeps the nameserver's address, at apply (no firewall yet) it keeps it or stays unresolved, as the hook stops asking a nameserver whose address answered what was not asked.

. "$(dirname "$0")/../lib/netns.sh"
t_init
t_need_hook

NS6=2001:db8:1::3
FORGED=203.0.113.9
topo_pair
servers_tcp "$NS_S" 8080
ip -n "$NS_S" addr add "$NS6/128" dev s0 nodad
printf 'api.test.example %s\n' "$S4" >"$T_DIR/zone"
# A nameserver that takes its time, as a far one does: the forger's window.
ip netns exec "$NS_S" python3 "$T_LIB_DIR/dns-server.py" --listen "$NS6" --delay 40 \
	--zone "$T_DIR/zone" --log "$T_DIR/dns.log" </dev/null >"$T_DIR/dns.out" 2>&1 &
t_track_pid $!
wait_listen "$NS_S" udp "$NS6" 53

# A copy uid 65534 can read (the tree may sit in a private home).
install -m 0644 "$T_LIB_DIR/spoof.py" "$T_DIR/spoof.py"
names_policy
HOOK_DIRS=(--policy-dir "$T_DIR/pol")
FC_WORDS=(nameserver=$NS6)

# flood SECONDS: the forger in NS_C, in the background; waits until ready.
flood() {
	rm -f "$T_DIR/flood.out"
	nsenter --net="/run/netns/$NS_C" setpriv --reuid=65534 --regid=65534 --clear-groups \
		--inh-caps=-all,+net_bind_service --ambient-caps=-all,+net_bind_service --bounding-set=-all,+net_bind_service -- \
		python3 "$T_DIR/spoof.py" flood "$NS6" api.test.example "$FORGED" "$C6" "$1" \
		</dev/null >"$T_DIR/flood.out" 2>&1 &
	FLOOD_PID=$!
	t_track_pid "$FLOOD_PID"
	for _ in $(seq 1 100); do grep -q ready "$T_DIR/flood.out" 2>/dev/null && return 0; sleep 0.05; done
	t_die "the forger did not start: $(cat "$T_DIR/flood.out")"
}
# flood_done WHEN: waits for the forger, checks it found a socket and sent.
flood_done() {
	wait "$FLOOD_PID"
	local out
	out=$(grep ports= "$T_DIR/flood.out")
	t_log "$1: forger: $out"
	[[ $out =~ ports=[0-9] ]] && [[ $out =~ (sent|refused)=[1-9][0-9]{4,} ]] &&
		t_ok "$1: the forger found the hook's socket and fired" ||
		t_fail "$1: the forger did not aim: $(cat "$T_DIR/flood.out")"
}
# check_set WHEN [or-empty]: the forged address is never in the set; the
# nameserver's is, or with or-empty the set may be empty: a nameserver
# whose address answered what was not asked (a guessed id) is not asked
# again in that exchange, and the name stays unresolved (closed).
check_set() {
	local set
	set=$(ns_nft "$NS_C" list set inet oci_fw sym.name0_v4)
	grep -q "$FORGED" <<<"$set" && t_fail "$1: the forged address is in the set: $set" ||
		t_ok "$1: the forged address is not in the set"
	if grep -q "elements = { $S4 }" <<<"$set"; then
		t_ok "$1: the set holds the nameserver's answer"
	elif [ "${2:-}" = or-empty ] && ! grep -q "elements = " <<<"$set"; then
		t_ok "$1: the set is empty: the hook stopped asking a nameserver that was forged"
	else
		t_fail "$1: the set lacks $S4: $set"
	fi
}

# At start: a neighbour already in the namespace, before any firewall.
flood 6
apply_policy "$NS_C" names
pid=$FC_PID
flood_done apply
check_set apply or-empty

# At refresh: the container itself, under its firewall.
flood 6
for i in 1 2 3; do
	out=$("$OCI_FW_HOOK" refresh --pid "$pid" 2>&1) || t_fail "refresh $i: $out"
done
flood_done refresh
check_set refresh
grep -c "api.test.example" "$T_DIR/dns.log" | grep -qv '^0$' && t_ok "the nameserver was asked" ||
	t_fail "the nameserver logged no query"
t_finish
