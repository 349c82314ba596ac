#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""nflog-listen.py GROUP SECONDS: binds NFLOG group GROUP in the current
network namespace (NFLOG groups are per namespace: run it with nsenter),
asks for whole packets (copy mode packet, 65535 bytes), prints "ready",
then one line per record for at most SECONDS:
    prefix=PREFIX payload=BYTES dst=IPV4-DESTINATION-OR--
The standard library only: nfnetlink by hand, as `tcpdump -i nflog:N` or
ulogd would bind."""
import socket
import struct
import sys
import time

NETLINK_NETFILTER = 12
NFNL_SUBSYS_ULOG = 4
NFULNL_MSG_PACKET, NFULNL_MSG_CONFIG = 0, 1
NFULA_PAYLOAD, NFULA_PREFIX = 9, 10
NFULA_CFG_CMD, NFULA_CFG_MODE = 1, 2
NFULNL_CFG_CMD_BIND = 1
NFULNL_COPY_PACKET = 2

group, secs = int(sys.argv[1]), float(sys.argv[2])
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
s.bind((0, 0))


def attr(kind, data):
    n = 4 + len(data)
    return struct.pack("=HH", n, kind) + data + b"\0" * ((4 - n % 4) % 4)


def config(attrs, seq):
    body = struct.pack("=BBH", socket.AF_UNSPEC, 0, socket.htons(group)) + attrs
    # NLM_F_REQUEST | NLM_F_ACK
    s.send(struct.pack("=IHHII", 16 + len(body), NFNL_SUBSYS_ULOG << 8 | NFULNL_MSG_CONFIG,
                       0x1 | 0x4, seq, 0) + body)
    err = struct.unpack_from("=i", s.recv(65536), 16)[0]
    if err:
        sys.exit("nflog-listen: configuring group %d: errno %d" % (group, -err))


config(attr(NFULA_CFG_CMD, struct.pack("=B", NFULNL_CFG_CMD_BIND)), 1)
config(attr(NFULA_CFG_MODE, struct.pack(">IBB", 0xFFFF, NFULNL_COPY_PACKET, 0)), 2)
print("ready", flush=True)
s.settimeout(0.2)
end = time.monotonic() + secs
while time.monotonic() < end:
    try:
        msg = s.recv(65536)
    except socket.timeout:
        continue
    off = 0
    while off + 16 <= len(msg):
        length, kind = struct.unpack_from("=IH", msg, off)
        if length < 16:
            break
        if kind == NFNL_SUBSYS_ULOG << 8 | NFULNL_MSG_PACKET:
            a, prefix, payload = off + 20, "", b""
            while a + 4 <= off + length:
                alen, akind = struct.unpack_from("=HH", msg, a)
                if alen < 4:
                    break
                value = msg[a + 4:a + alen]
                akind &= 0x7FFF
                if akind == NFULA_PREFIX:
                    prefix = value.rstrip(b"\0").decode(errors="replace")
                elif akind == NFULA_PAYLOAD:
                    payload = value
                a += (alen + 3) & ~3
            dst = socket.inet_ntoa(payload[16:20]) if len(payload) >= 20 and payload[0] >> 4 == 4 else "-"
            print("prefix=%s payload=%d dst=%s" % (prefix, len(payload), dst), flush=True)
        off += (length + 3) & ~3
