#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# spoof-established.sh: an unprivileged process under denyall forges a datagram (a SYN) "from" a denied server to itself over lo, so that conntrack would take its own traffic to the server for replies: nothing reaches the server, nothing comes back, IPv6 and IPv4, UDP and TCP.

. "$(dirname "$0")/../lib/netns.sh"
t_init
t_need_hook

# A copy uid 65534 can read (the tree may sit in a private home).
SPOOF="$T_DIR/spoof.py"
install -m 0644 "$T_LIB_DIR/spoof.py" "$SPOOF"
# As a container's process with no capabilities: uid 65534, nothing kept.
unpriv() { ns_exec "$NS_C" setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all -- "$@"; }

topo_pair
# The server's view: what arrives from the container, counted before any
# other rule of the server's namespace could drop it.
ns_nft "$NS_S" -f - <<NFT || t_die "server counters"
table inet count {
	chain in {
		type filter hook input priority -300; policy accept;
		ip6 saddr $C6 udp dport 7777 counter
		ip saddr $C4 udp dport 7777 counter
		ip6 saddr $C6 tcp dport 7778 counter
		ip saddr $C4 tcp dport 7778 counter
	}
}
NFT
counts() { ns_nft "$NS_S" list chain inet count in | grep -o 'packets [0-9]*' | awk '{s+=$2} END {print s+0}'; }

for d in "$S6" "$S4"; do
	nsenter --net="/run/netns/$NS_S" python3 "$SPOOF" log "$d" 7777 "$T_DIR/log.$d" \
		</dev/null >>"$T_DIR/servers.log" 2>&1 &
	t_track_pid $!
	wait_listen "$NS_S" udp "$d" 7777
done
# Without a firewall the attack's own parts work: the server hears the
# container and answers, so "nothing arrives" later means the firewall.
out=$(ns_exec "$NS_C" setpriv --reuid=65534 --regid=65534 --clear-groups -- \
	python3 -c 'import socket,sys; s=socket.socket(socket.AF_INET6,socket.SOCK_DGRAM); s.settimeout(2); s.sendto(b"hello",(sys.argv[1],7777)); print(s.recv(64).decode())' "$S6" 2>&1)
[ "$out" = pong ] && t_ok "baseline: the server answers UDP over IPv6" || t_fail "baseline: $out"
n0=$(counts)
: >"$T_DIR/log.$S6"

apply_policy "$NS_C" denyall

for d in "$S6" "$S4"; do
	c=$C6
	is_v6 "$d" || c=$C4
	out=$(unpriv python3 "$SPOOF" prime udp "$c" 40000 "$d" 7777 2>&1)
	t_log "udp $d: $(tr '\n' ' ' <<<"$out")"
	grep -q '^prime=.*egress=.*reply=' <<<"$(tr '\n' ' ' <<<"$out")" || t_fail "udp $d: the attack did not run: $out"
	grep -qx 'prime=sent' <<<"$out" && t_fail "udp $d: the forged datagram left: $out" ||
		t_ok "udp $d: the forged datagram is refused at egress"
	grep -qx 'egress=sent' <<<"$out" && t_fail "udp $d: the container's datagram to the server left" ||
		t_ok "udp $d: the container's datagram to the server is refused"
	grep -qx 'reply=pong' <<<"$out" && t_fail "udp $d: the server answered" || t_ok "udp $d: no answer"
	[ -s "$T_DIR/log.$d" ] && t_fail "udp $d: the server logged: $(cat "$T_DIR/log.$d")" ||
		t_ok "udp $d: the server logged nothing"

	# The listener's SYN-ACK to a forged SYN would go to the server:
	# its counters below see it.
	out=$(unpriv python3 "$SPOOF" prime tcp "$c" 40001 "$d" 7778 2>&1)
	t_log "tcp $d: $(tr '\n' ' ' <<<"$out")"
done
n=$(counts)
[ "$n" = "$n0" ] && t_ok "the server counted nothing from the container ($n0 before, $n after)" ||
	t_fail "the server counted $((n - n0)) packets from the container: $(ns_nft "$NS_S" list chain inet count in)"
drops=$(ns_nft "$NS_C" list chain inet oci_fw egress | sed -n 's/.*fib saddr type != local counter packets \([0-9]*\).*/\1/p')
[ "${drops:-0}" -ge 3 ] && t_ok "the spoofing rule counted the forged packets ($drops)" ||
	t_fail "the spoofing rule counted ${drops:-nothing}: $(ns_nft "$NS_C" list chain inet oci_fw egress)"
est=$(ns_nft "$NS_C" list chain inet oci_fw egress | sed -n 's/.*ct state established,related counter packets \([0-9]*\).*/\1/p')
[ "${est:-1}" = 0 ] && t_ok "nothing passed egress as established" || t_fail "egress established counted $est"
t_finish
