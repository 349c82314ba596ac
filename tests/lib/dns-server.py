#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A tiny authoritative DNS server over UDP, for the tests of named hosts.

    dns-server.py --listen ADDR [--port 53] --zone FILE [--log FILE]
                  [--delay MS]

The zone file is read again for every query, so that a test can change an
answer between two queries.  Its lines are "NAME ADDRESS" (IPv4 or IPv6;
a name may have several lines); "#" starts a comment.  A and AAAA queries
are answered from it with TTL 1; a name with addresses of the other family
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


def records(zone_path, qname, qtype):
    """(rcode, [rdata, ...]) for a question."""
    try:
        zone = read_zone(zone_path)
    except OSError:
        return SERVFAIL, []
    if qname.lower() not in zone:
        return NXDOMAIN, []
    version = {TYPE_A: 4, TYPE_AAAA: 6}.get(qtype)
    return NOERROR, [a.packed for a in zone[qname.lower()]
                     if a.version == version]


def respond(pkt, zone_path, log_path):
    query = parse_query(pkt)
    if query is None:
        return None
    qid, flags, question, qname, qtype = query
    if log_path:
        with open(log_path, "a", encoding="utf-8") as log:
            name = {TYPE_A: "A", TYPE_AAAA: "AAAA"}.get(qtype, str(qtype))
            log.write(f"{qname.lower()} {name}\n")
    if flags & OPCODE:
        rcode, rdatas = NOTIMP, []
    else:
        rcode, rdatas = records(zone_path, qname, qtype)
    flags = QR | AA | (flags & (OPCODE | RD)) | rcode
    body, count = question, 0
    for rdata in rdatas:
        # The owner is a pointer to the name in the question, at byte 12.
        rr = struct.pack(">HHHIH", 0xC00C, qtype, CLASS_IN, 1, len(rdata))
        if 12 + len(body) + len(rr) + len(rdata) > UDP_MAX:
            flags |= TC
            break
        body += rr + rdata
        count += 1
    return struct.pack(">HHHHHH", qid, flags, 1, count, 0, 0) + body


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--listen", required=True, help="address to listen on")
    p.add_argument("--port", type=int, default=53)
    p.add_argument("--zone", required=True, help="NAME ADDRESS lines")
    p.add_argument("--log", help='file to append "qname qtype" lines to')
    p.add_argument("--delay", type=int, default=0, help="ms before answering")
    args = p.parse_args()

    def stop(signum, frame):
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    family = (socket.AF_INET6 if ipaddress.ip_address(args.listen).version
              == 6 else socket.AF_INET)
    with socket.socket(family, socket.SOCK_DGRAM) as s:
        s.bind((args.listen, args.port))
        while True:
            pkt, peer = s.recvfrom(4096)
            answer = respond(pkt, args.zone, args.log)
            time.sleep(args.delay / 1000)
            if answer is not None:
                try:
                    s.sendto(answer, peer)
                except OSError as e:
                    print(f"dns-server: answering {peer[0]}: {e}",
                          file=sys.stderr)


if __name__ == "__main__":
    main()
