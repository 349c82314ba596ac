#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tr-fragments.sh: fragments and IPv6 extension headers do not carry a datagram past a port rule. Egress: a process without capabilities sends 4000-byte UDP datagrams, which the kernel fragments (the server's netns counts the fragments on the wire): the allowed port gets them whole, the denied port nothing, IPv4 and IPv6. Ingress: a raw sender in the server's netns crafts IPv4 fragments (split UDP header, overlapping fragments that rewrite the port), IPv6 fragments, an atomic fragment, hop-by-hop and destination options headers, and a UDP header pushed into the second fragment: to the allowed port each arrives (or, for the malformed ones, nowhere), to the denied port none does.

. "$(dirname "$0")/../lib/netns.sh"
t_init
t_need_hook
topo_pair

# egress: UDP 7001 allowed, 7002 denied; ingress: UDP 7101 allowed, 7102 not
pol="$T_DIR/pol"
mkdir -m 0755 "$pol"
printf '{"description": "test: fragments", "egress": {"default": "drop", "allow": [
  {"to": ["%s", "%s"], "proto": "udp", "ports": [7001]}]},
 "ingress": {"default": "drop", "allow": [{"proto": "udp", "ports": [7101]}]}}\n' "$S4" "$S6" >"$pol/frag.json"
chmod 0644 "$pol/frag.json"
HOOK_DIRS=(--policy-dir "$pol")

# sink NS LOG PORT...: tr-udp-sink.py in NS, as nobody, until ready (a
# copy in T_DIR: the source tree may be in a directory nobody cannot read)
cp "$T_LIB_DIR/tr-udp-sink.py" "$T_DIR/" && chmod 0644 "$T_DIR/tr-udp-sink.py" || t_die "copying the sink"
sink() {
	local ns=$1 log=$2 i
	shift 2
	: >"$log"
	chmod 0666 "$log"
	nsenter --net="/run/netns/$ns" setpriv --reuid 65534 --regid 65534 --clear-groups --inh-caps=-all \
		--bounding-set=-all python3 "$T_DIR/tr-udp-sink.py" "$log" "$@" \
		</dev/null >"$log.ready" 2>>"$T_DIR/servers.log" &
	t_track_pid $!
	for i in $(seq 1 100); do
		grep -q ready "$log.ready" && return 0
		sleep 0.05
	done
	t_die "the UDP sink in $ns did not start"
}
sink "$NS_S" "$T_DIR/server.log" 7001 7002
sink "$NS_C" "$T_DIR/container.log" 7101 7102

# the server's netns counts fragments as they arrive (no conntrack there,
# so no reassembly before its prerouting hook)
ns_nft "$NS_S" -f - <<'EOF' || t_die "the fragment counters"
table inet tr_count {
	counter frag4 { }
	counter frag6 { }
	chain pre {
		type filter hook prerouting priority -500; policy accept;
		ip frag-off & 0x3fff != 0 counter name frag4
		exthdr frag exists counter name frag6
	}
}
EOF

fc_new "$NS_C"
hook_apply "$(make_state "$FC_PID" "$FC_BUNDLE" frag)" || t_die "apply: exit $HOOK_RC: $HOOK_ERR"

# seen LOG WHAT WANT-LINE|none: after the senders are done, LOG holds the
# line WANT-LINE (a whole datagram) or, for "none", nothing for that port
seen() {
	local log=$1 what=$2 want=$3 port=$4
	if [ "$want" = none ]; then
		grep -q " $port " "$log" && t_fail "$what: arrived: $(grep " $port " "$log" | tr '\n' ';')" ||
			t_ok "$what: nothing arrived"
	else
		grep -qx "$want" "$log" && t_ok "$what: $want" ||
			t_fail "$what: expected '$want' in: $(tr '\n' ';' <"$log")"
	fi
}

# --- egress: the kernel fragments for a process without capabilities -----
for dst in "$S4" "$S6"; do
	for port in 7001 7002; do
		nsenter --net="/run/netns/$NS_C" setpriv --reuid 65534 --regid 65534 --clear-groups \
			--inh-caps=-all --bounding-set=-all python3 -c '
import socket, sys
fam = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
s = socket.socket(fam, socket.SOCK_DGRAM)
if fam == socket.AF_INET:
    s.setsockopt(socket.IPPROTO_IP, 10, 0)  # IP_MTU_DISCOVER: IP_PMTUDISC_DONT
try:
    s.sendto(b"x" * 4000, (sys.argv[1], int(sys.argv[2])))
except OSError as e:
    print("sendto:", e)
' "$dst" "$port" >>"$T_DIR/egress.out" 2>&1
	done
done
sleep 0.5
seen "$T_DIR/server.log" "egress v4 4000 bytes to 7001 (allowed; sender: $(tr "\n" ";" <"$T_DIR/egress.out"))" "v4 7001 4000"
seen "$T_DIR/server.log" "egress v6 4000 bytes to 7001 (allowed)" "v6 7001 4000"
seen "$T_DIR/server.log" "egress 4000 bytes to 7002 (denied)" none 7002
for c in frag4 frag6; do
	n=$(ns_nft "$NS_S" list counter inet tr_count "$c" | sed -n 's/.*packets \([0-9]*\).*/\1/p')
	[ "${n:-0}" -ge 3 ] && t_ok "$c: $n fragments on the wire" ||
		t_fail "$c: the allowed datagram did not arrive fragmented (${n:-no} fragments)"
done

# --- ingress: crafted fragments and extension headers from the server -----
CMAC=$(ip -n "$NS_C" -br link show c0 | awk '{ print $3 }')
send() { # send KIND PORT
	OVERLAP_FROM=7101 nsenter --net="/run/netns/$NS_S" python3 "$T_LIB_DIR/tr-frag-send.py" \
		s0 "$CMAC" "$S4" "$C4" "$S6" "$C6" "$1" "$2" 2>>"$T_DIR/send.err" ||
		t_fail "sending $1 to $2: $(tail -n 3 "$T_DIR/send.err")"
}
for kind in v4frag v6frag v6atomic v6ext v6split v4overlap; do
	send "$kind" 7102
	[ "$kind" = v4overlap ] || send "$kind" 7101
done
sleep 0.5
len=$((8 + 280))
seen "$T_DIR/container.log" "denied port: no crafted datagram" none 7102
# the allowed port gets the well-formed ones, so the crafted datagrams are
# valid and "nothing" at 7102 is the firewall's doing: v4frag once, v6frag,
# v6atomic and v6ext three times in all
n4=$(grep -cx "v4 7101 $((len - 8))" "$T_DIR/container.log")
n6=$(grep -cx "v6 7101 $((len - 8))" "$T_DIR/container.log")
[ "$n4" -ge 1 ] && t_ok "allowed port: IPv4 fragments reassembled ($n4)" ||
	t_fail "allowed port: no IPv4 datagram: $(tr '\n' ';' <"$T_DIR/container.log")"
[ "$n6" -ge 3 ] && t_ok "allowed port: IPv6 fragments, atomic fragment, extension headers ($n6)" ||
	t_fail "allowed port: expected 3 IPv6 datagrams (fragmented, atomic, extension headers), got $n6: $(tr '\n' ';' <"$T_DIR/container.log")"
t_finish
