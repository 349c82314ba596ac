# SPDX-License-Identifier: GPL-2.0-or-later
# tr-frag-send.py IFACE DST-MAC SRC4 DST4 SRC6 DST6 KIND PORT: one crafted UDP
# datagram to PORT, as Ethernet frames on IFACE (an AF_PACKET socket: run as
# root in the sender's netns). KIND:
#   v4frag     IPv4, two fragments: the UDP header and 8 bytes, then the rest
#   v4overlap  IPv4, a first fragment to port 1 (any allowed port: given as
#              PORT's pair, see below) and a second that overlaps it and
#              rewrites the destination port to PORT
#   v6frag     IPv6, two fragments (fragment header)
#   v6atomic   IPv6, one "atomic" fragment (offset 0, no more fragments)
#   v6ext      IPv6, hop-by-hop and destination options before UDP
#   v6split    IPv6, two fragments; the first holds only a destination
#              options header, the UDP header is in the second (RFC 7112)
# For v4overlap the first fragment names port OVERLAP_FROM (environment).
import os, socket, struct, sys

iface, dmac, src4, dst4, src6, dst6, kind, port = sys.argv[1:9]
port = int(port)
payload = b"fragment-test-" * 20  # 280 bytes


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def udp(sport, dport, data, pseudo):
    hdr = struct.pack("!HHHH", sport, dport, 8 + len(data), 0)
    c = csum(pseudo(8 + len(data)) + hdr + data) or 0xFFFF
    return struct.pack("!HHHH", sport, dport, 8 + len(data), c) + data


def ip4(ident, off8, more, body):
    flags = (0x2000 if more else 0) | off8
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(body), ident, flags, 64, 17, 0,
                    socket.inet_aton(src4), socket.inet_aton(dst4))
    return h[:10] + struct.pack("!H", csum(h)) + h[12:] + body


def ip6(nxt, body):
    return struct.pack("!IHBB16s16s", 6 << 28, len(body), nxt, 64,
                       socket.inet_pton(socket.AF_INET6, src6),
                       socket.inet_pton(socket.AF_INET6, dst6)) + body


def frag6(nxt, off8, more, ident, body):
    return struct.pack("!BBHI", nxt, 0, (off8 << 3) | (1 if more else 0), ident) + body


def pseudo4(n):
    return socket.inet_aton(src4) + socket.inet_aton(dst4) + struct.pack("!BBH", 0, 17, n)


def pseudo6(n):
    return (socket.inet_pton(socket.AF_INET6, src6) + socket.inet_pton(socket.AF_INET6, dst6)
            + struct.pack("!I3xB", n, 17))


def opts(nxt):  # an 8-byte options header: PadN
    return struct.pack("!BB", nxt, 0) + b"\x01\x04\0\0\0\0"


ident = os.getpid() & 0xFFFF
packets = []
if kind == "v4frag":
    d = udp(40000, port, payload, pseudo4)
    packets = [ip4(ident, 0, True, d[:16]), ip4(ident, 2, False, d[16:])]
elif kind == "v4overlap":
    good = udp(40000, int(os.environ["OVERLAP_FROM"]), payload, pseudo4)
    bad = udp(40000, port, payload, pseudo4)
    packets = [ip4(ident, 0, True, good[:16]), ip4(ident, 0, False, bad)]
elif kind == "v6frag":
    d = udp(40000, port, payload, pseudo6)
    packets = [ip6(44, frag6(17, 0, True, ident, d[:16])),
               ip6(44, frag6(17, 2, False, ident, d[16:]))]
elif kind == "v6atomic":
    packets = [ip6(44, frag6(17, 0, False, ident, udp(40000, port, payload, pseudo6)))]
elif kind == "v6ext":
    packets = [ip6(0, opts(60) + opts(17) + udp(40000, port, payload, pseudo6))]
elif kind == "v6split":
    d = opts(17) + udp(40000, port, payload, pseudo6)
    packets = [ip6(44, frag6(60, 0, True, ident, d[:8])),
               ip6(44, frag6(60, 1, False, ident, d[8:]))]
else:
    sys.exit("unknown kind " + kind)

s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((iface, 0))
smac = s.getsockname()[4]
for p in packets:
    etype = 0x0800 if kind.startswith("v4") else 0x86DD
    s.send(bytes.fromhex(dmac.replace(":", "")) + smac + struct.pack("!H", etype) + p)
