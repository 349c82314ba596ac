#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Forged-source attacks an unprivileged process can make (IP_FREEBIND /
IPV6_FREEBIND need no capability), for the tests of the anti-spoofing rule.

    spoof.py prime udp|tcp C P D Q
        In the firewalled netns.  Binds C:P, sends one datagram (udp) or a
        SYN (tcp) to it from the forged D:Q over "lo", which would leave
        conntrack the flow D:Q -> C:P; then (udp) sends C:P -> D:Q itself
        (its reply direction) and waits for D's answer.  Prints "key=value"
        lines.
    spoof.py log D Q LOG
        In the server netns: logs the source and text of every UDP datagram
        to D:Q and answers "pong".
    spoof.py flood NS NAME ADDR DEST SECONDS
        In the firewalled netns: finds UDP sockets that appear in
        /proc/net/udp{,6} (the hook's DNS sockets) and sends them, at the
        namespace's own address DEST, forged answers "NAME A ADDR" from
        [NS]:53 for every query id, until SECONDS have passed.  Prints
        what it found and sent.
"""
import errno
import os
import socket
import struct
import sys
import time

IP_FREEBIND = 15
IPV6_FREEBIND = 78


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def forged(kind, addr, port):
    """A socket bound to a foreign address."""
    f = family(addr)
    s = socket.socket(f, socket.SOCK_DGRAM if kind == "udp" else socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if f == socket.AF_INET6:
        s.setsockopt(socket.IPPROTO_IPV6, IPV6_FREEBIND, 1)
    else:
        s.setsockopt(socket.IPPROTO_IP, IP_FREEBIND, 1)
    s.bind((addr, port))
    return s


def err_name(e):
    return errno.errorcode.get(e.errno, str(e.errno))


def prime(kind, c, p, d, q):
    f = family(c)
    if kind == "udp":
        own = socket.socket(f, socket.SOCK_DGRAM)
        own.bind((c, p))
    else:
        own = socket.socket(f, socket.SOCK_STREAM)
        own.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        own.bind((c, p))
        own.listen(4)
    try:
        fake = forged(kind, d, q)
        if kind == "udp":
            fake.sendto(b"prime", (c, p))
        else:
            fake.settimeout(1.0)
            fake.connect((c, p))
        print("prime=sent")
    except OSError as e:
        print("prime=" + (err_name(e) if not isinstance(e, socket.timeout) else "timeout"))
    sys.stdout.flush()
    if kind != "udp":
        time.sleep(1.0)  # the listener's SYN-ACK, if any, goes to D now
        return
    try:
        own.sendto(b"exfil", (d, q))
        print("egress=sent")
    except OSError as e:
        print("egress=" + err_name(e))
    own.settimeout(2.0)
    try:
        data, src = own.recvfrom(512)
        print("reply=" + data.decode(errors="replace"))
    except socket.timeout:
        print("reply=none")


def log(d, q, path):
    s = socket.socket(family(d), socket.SOCK_DGRAM)
    s.bind((d, q))
    with open(path, "a", buffering=1) as out:
        while True:
            data, src = s.recvfrom(512)
            out.write("%s %s\n" % (src[0], data.decode(errors="replace")))
            s.sendto(b"pong", src)


def udp_ports():
    """(local port) of every UDP socket in this netns."""
    ports = set()
    for path in ("/proc/net/udp", "/proc/net/udp6"):
        try:
            with open(path) as f:
                next(f)
                for line in f:
                    ports.add(int(line.split()[1].split(":")[1], 16))
        except OSError:
            pass
    return ports


def answer(qid, name, addr):
    qname = b"".join(bytes([len(l)]) + l.encode() for l in name.split(".")) + b"\0"
    hdr = struct.pack("!HHHHHH", qid, 0x8180, 1, 1, 0, 0)
    rr = b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 60, 4) + socket.inet_aton(addr)
    return hdr + qname + struct.pack("!HH", 1, 1) + rr


def flood(ns, name, addr, dest, seconds):
    fake = forged("udp", ns, 53)
    before = udp_ports()
    targets, sent, refused = set(), 0, 0
    pkts = [answer(i, name, addr) for i in range(65536)]
    end = time.monotonic() + seconds
    print("ready", flush=True)
    while time.monotonic() < end:
        targets |= udp_ports() - before
        for port in list(targets):
            for pkt in pkts:
                try:
                    fake.sendto(pkt, (dest, port))
                    sent += 1
                except OSError:
                    refused += 1
    print("ports=%s sent=%d refused=%d" % (",".join(map(str, sorted(targets))) or "none", sent, refused))


def main(argv):
    if argv[1] == "prime":
        prime(argv[2], argv[3], int(argv[4]), argv[5], int(argv[6]))
    elif argv[1] == "log":
        log(argv[2], int(argv[3]), argv[4])
    elif argv[1] == "flood":
        flood(argv[2], argv[3], argv[4], argv[5], float(argv[6]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
