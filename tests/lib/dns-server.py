#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A tiny authoritative DNS server over UDP, for the tests of named hosts.

    dns-server.py --listen ADDR [--port 53] --zone FILE [--log FILE]
                  [--delay MS] [--ttl S] [--rotate] [--tcp]

The zone file is read again for every query, so that a test can change an
answer between two queries.  Its lines are "NAME ADDRESS" (IPv4 or IPv6;
a name may have several lines) or "NAME CNAME TARGET"; "#" starts a
comment.  A and AAAA queries are answered from it with TTL 1 (--ttl), a
CNAME chain as its records then the target's addresses; --rotate answers
one address at a time, the next one for each query of the name; --tcp
also answers DNS over TCP on the same port; a name with addresses of the other family
only gets NOERROR without records, an unknown name NXDOMAIN, and every
query SERVFAIL while the zone file is missing; --delay holds each answer
back (a far nameserver: the window a forger aims at).  Each query is logged as
"qname qtype" to --log.  SIGTERM and SIGINT end it with status 0.
"""
import argparse
import ipaddress
import signal
import socket
import struct
import sys
import threading
import time

TYPE_A, TYPE_AAAA, CLASS_IN = 1, 28, 1
NOERROR, SERVFAIL, NXDOMAIN, NOTIMP = 0, 2, 3, 4
QR, AA, TC, RD, OPCODE = 0x8000, 0x0400, 0x0200, 0x0100, 0x7800
# Without EDNS a UDP answer holds 512 bytes; beyond that it is truncated.
UDP_MAX = 512


def read_zone(path):
    """{name: [address, ...]}; lines that are no "NAME ADDRESS" are
    reported and skipped, a missing file raises OSError."""
    zone = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            fields = line.split("#", 1)[0].split()
            if not fields:
                continue
            try:
                if len(fields) == 3 and fields[1].upper() == "CNAME":
                    zone.setdefault(fields[0].lower().rstrip("."), []).append(
                        fields[2].lower().rstrip("."))
                    continue
                if len(fields) != 2:
                    raise ValueError("expected NAME ADDRESS")
                addr = ipaddress.ip_address(fields[1])
            except ValueError as e:
                print(f"dns-server: {path}:{n}: {e}", file=sys.stderr)
                continue
            zone.setdefault(fields[0].lower().rstrip("."), []).append(addr)
    return zone


def parse_query(pkt):
    """(id, flags, question bytes, qname, qtype), or None for anything that
    is no query with one uncompressed question: that is dropped."""
    if len(pkt) < 12:
        return None
    qid, flags, qdcount = struct.unpack(">HHH", pkt[:6])
    if flags & QR or qdcount != 1:
        return None
    labels, off = [], 12
    while off < len(pkt) and pkt[off] != 0:
        n = pkt[off]
        if n > 63 or off + 1 + n > len(pkt):
            return None
        labels.append(pkt[off + 1:off + 1 + n].decode("latin-1"))
        off += 1 + n
    if off + 5 > len(pkt):
        return None
    qtype = struct.unpack(">H", pkt[off + 1:off + 3])[0]
    return qid, flags, pkt[12:off + 5], ".".join(labels), qtype


ROTATION = {}


def encode(name):
    return b"".join(bytes([len(l)]) + l.encode() for l in name.split(".")) + b"\0"


def records(zone_path, qname, qtype, rotate):
    """(rcode, [(owner, type, rdata), ...]) for a question: the CNAME
    chain from qname (owner None: the question's name), then addresses."""
    try:
        zone = read_zone(zone_path)
    except OSError:
        return SERVFAIL, []
    name, owner, rrs = qname.lower(), None, []
    if name not in zone:
        return NXDOMAIN, []
    for _ in range(8):
        targets = [v for v in zone.get(name, []) if isinstance(v, str)]
        if not targets:
            break
        rrs.append((owner, 5, encode(targets[0])))
        name, owner = targets[0], targets[0]
    version = {TYPE_A: 4, TYPE_AAAA: 6}.get(qtype)
    addrs = [a for a in zone.get(name, [])
             if not isinstance(a, str) and a.version == version]
    if rotate and addrs:
        i = ROTATION.get((name, qtype), 0)
        ROTATION[(name, qtype)] = i + 1
        addrs = [addrs[i % len(addrs)]]
    return NOERROR, rrs + [(owner, qtype, a.packed) for a in addrs]


def respond(pkt, args, limit=UDP_MAX):
    query = parse_query(pkt)
    if query is None:
        return None
    qid, flags, question, qname, qtype = query
    if args.log:
        with open(args.log, "a", encoding="utf-8") as log:
            name = {TYPE_A: "A", TYPE_AAAA: "AAAA"}.get(qtype, str(qtype))
            log.write(f"{qname.lower()} {name}\n")
    if flags & OPCODE:
        rcode, rrs = NOTIMP, []
    else:
        rcode, rrs = records(args.zone, qname, qtype, args.rotate)
    flags = QR | AA | (flags & (OPCODE | RD)) | rcode
    body, count = question, 0
    for owner, rtype, rdata in rrs:
        # The question's name is a pointer to byte 12.
        rr = (b"\xc0\x0c" if owner is None else encode(owner)) + struct.pack(
            ">HHIH", rtype, CLASS_IN, args.ttl, len(rdata))
        if 12 + len(body) + len(rr) + len(rdata) > limit:
            flags |= TC
            break
        body += rr + rdata
        count += 1
    return struct.pack(">HHHHHH", qid, flags, 1, count, 0, 0) + body


def serve_tcp(args, family):
    """DNS over TCP: each message after its 2-byte length, one thread."""
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((args.listen, args.port))
        s.listen(16)
        while True:
            c, _ = s.accept()
            with c:
                try:
                    n = struct.unpack(">H", c.recv(2, socket.MSG_WAITALL))[0]
                    answer = respond(c.recv(n, socket.MSG_WAITALL), args,
                                     65535)
                    if answer is not None:
                        c.sendall(struct.pack(">H", len(answer)) + answer)
                except (OSError, struct.error):
                    pass


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--listen", required=True, help="address to listen on")
    p.add_argument("--port", type=int, default=53)
    p.add_argument("--zone", required=True, help="NAME ADDRESS lines")
    p.add_argument("--log", help='file to append "qname qtype" lines to')
    p.add_argument("--delay", type=int, default=0, help="ms before answering")
    p.add_argument("--ttl", type=int, default=1, help="TTL of every record")
    p.add_argument("--rotate", action="store_true",
                   help="one address per answer, the next one each time")
    p.add_argument("--tcp", action="store_true", help="also over TCP")
    args = p.parse_args()

    def stop(signum, frame):
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    family = (socket.AF_INET6 if ipaddress.ip_address(args.listen).version
              == 6 else socket.AF_INET)
    if args.tcp:
        threading.Thread(target=serve_tcp, args=(args, family),
                         daemon=True).start()
    with socket.socket(family, socket.SOCK_DGRAM) as s:
        s.bind((args.listen, args.port))
        while True:
            pkt, peer = s.recvfrom(4096)
            answer = respond(pkt, args)
            time.sleep(args.delay / 1000)
            if answer is not None:
                try:
                    s.sendto(answer, peer)
                except OSError as e:
                    print(f"dns-server: answering {peer[0]}: {e}",
                          file=sys.stderr)


if __name__ == "__main__":
    main()
