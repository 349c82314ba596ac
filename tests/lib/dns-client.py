#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Resolve a name the way a container's resolver would, then connect.

    dns-client.py --server ADDR --name NAME [--tcp] [--aaaa] [--count N]
                  [--connect PORT] [--timeout S]

Each round asks ADDR (port 53, over UDP or with --tcp over TCP) for the A
(--aaaa: AAAA) records of NAME, follows nothing (the answer carries the
CNAME chain), takes the first address and, with --connect, connects to it
on PORT and expects the line "ok".  One line a round: "ADDRESS ok",
"ADDRESS blocked" or "- unresolved"; exit status 0 when every round
connected (or, without --connect, resolved), 1 otherwise.
"""
import argparse
import ipaddress
import os
import socket
import struct
import sys


def query(name, qtype):
    qid = struct.unpack(">H", os.urandom(2))[0]
    q = b"".join(bytes([len(l)]) + l.encode() for l in name.split("."))
    return qid, struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0) + q + \
        b"\0" + struct.pack(">HH", qtype, 1)


def skip_name(msg, off):
    while msg[off]:
        if msg[off] & 0xC0 == 0xC0:
            return off + 2
        off += 1 + msg[off]
    return off + 1


def addresses(msg, qid, qtype):
    if len(msg) < 12 or struct.unpack(">H", msg[:2])[0] != qid:
        return []
    ancount = struct.unpack(">H", msg[6:8])[0]
    off = skip_name(msg, 12) + 4
    out = []
    for _ in range(ancount):
        off = skip_name(msg, off)
        rtype, _, _, rdlen = struct.unpack(">HHIH", msg[off:off + 10])
        off += 10
        if rtype == qtype:
            out.append(str(ipaddress.ip_address(msg[off:off + rdlen])))
        off += rdlen
    return out


def resolve(args):
    qtype = 28 if args.aaaa else 1
    qid, q = query(args.name, qtype)
    fam = socket.AF_INET6 if ":" in args.server else socket.AF_INET
    try:
        if args.tcp:
            with socket.create_connection((args.server, 53),
                                          args.timeout) as s:
                s.sendall(struct.pack(">H", len(q)) + q)
                n = struct.unpack(">H", s.recv(2, socket.MSG_WAITALL))[0]
                return addresses(s.recv(n, socket.MSG_WAITALL), qid, qtype)
        with socket.socket(fam, socket.SOCK_DGRAM) as s:
            s.settimeout(args.timeout)
            s.sendto(q, (args.server, 53))
            return addresses(s.recv(4096), qid, qtype)
    except (OSError, struct.error):
        return []


def connect(addr, port, timeout):
    try:
        with socket.create_connection((addr, port), timeout) as s:
            s.settimeout(timeout)
            return s.recv(3) == b"ok\n"
    except OSError:
        return False


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--server", required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--tcp", action="store_true")
    p.add_argument("--aaaa", action="store_true")
    p.add_argument("--count", type=int, default=1)
    p.add_argument("--connect", type=int)
    p.add_argument("--timeout", type=float, default=2)
    args = p.parse_args()
    good = 0
    for _ in range(args.count):
        addrs = resolve(args)
        if not addrs:
            print("- unresolved", flush=True)
            continue
        if args.connect is None:
            print(f"{addrs[0]} resolved", flush=True)
            good += 1
            continue
        ok = connect(addrs[0], args.connect, args.timeout)
        print(f"{addrs[0]} {'ok' if ok else 'blocked'}", flush=True)
        good += ok
    sys.exit(0 if good == args.count else 1)


if __name__ == "__main__":
    main()
