#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# lan-host.py: a LAN test host and its client. "serve LOG PORT": UDP and
# UDP-Lite on PORT, IPv4 and IPv6, every address (unicast, 255.255.255.255,
# 224.0.0.1, ff02::1); logs each datagram as "PROTO PAYLOAD" and answers
# "ok". "send KIND ADDR PORT TOKEN [IFNAME]": one datagram (KIND udp,
# udplite, bcast, mcast) or echo request (ping), unprivileged; exit 0 when
# an answer came back within a second.
import select
import socket
import sys

UDPLITE = 136


def serve(log, port):
    socks = []
    for fam, any_addr in ((socket.AF_INET, "0.0.0.0"), (socket.AF_INET6, "::")):
        for proto, name in ((socket.IPPROTO_UDP, "udp"), (UDPLITE, "udplite")):
            s = socket.socket(fam, socket.SOCK_DGRAM, proto)
            if fam == socket.AF_INET6:
                s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            s.bind((any_addr, port))
            socks.append((s, name))
    with open(log, "a", buffering=1) as f:
        print("listening", file=f)
        while True:
            ready, _, _ = select.select([s for s, _ in socks], [], [])
            for s in ready:
                name = dict((id(x), n) for x, n in socks)[id(s)]
                data, peer = s.recvfrom(2048)
                print(name, data.decode(errors="replace"), file=f)
                s.sendto(b"ok", peer)


def send(kind, addr, port, token, ifname=None):
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    dest = (addr, port)
    if fam == socket.AF_INET6:
        dest = (addr, port, 0, socket.if_nametoindex(ifname) if ifname else 0)
    if kind == "ping":
        proto = socket.IPPROTO_ICMPV6 if fam == socket.AF_INET6 else socket.IPPROTO_ICMP
        s = socket.socket(fam, socket.SOCK_DGRAM, proto)
        payload = bytes([128 if fam == socket.AF_INET6 else 8, 0, 0, 0, 0, 0, 0, 1]) + token.encode()
    else:
        s = socket.socket(fam, socket.SOCK_DGRAM, UDPLITE if kind == "udplite" else socket.IPPROTO_UDP)
        payload = token.encode()
    if kind == "bcast":
        s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    s.settimeout(1)
    try:
        s.sendto(payload, dest)
        s.recvfrom(2048)
    except OSError:
        return 1
    return 0


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(sys.argv[2], int(sys.argv[3]))
    else:
        sys.exit(send(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5],
                      sys.argv[6] if len(sys.argv) > 6 else None))
