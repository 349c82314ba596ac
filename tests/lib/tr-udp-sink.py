# SPDX-License-Identifier: GPL-2.0-or-later
# tr-udp-sink.py LOG PORT...: receives UDP on every PORT of every IPv4 and
# IPv6 address; each datagram is one line of LOG: "v4|v6 PORT LENGTH".
# Answers nothing. Prints "ready" once every socket is bound.
import selectors, socket, sys

log = open(sys.argv[1], "a", buffering=1)
sel = selectors.DefaultSelector()
for p in map(int, sys.argv[2:]):
    for fam, addr, name in ((socket.AF_INET, "0.0.0.0", "v4"), (socket.AF_INET6, "::", "v6")):
        s = socket.socket(fam, socket.SOCK_DGRAM)
        if fam == socket.AF_INET6:
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        s.bind((addr, p))
        sel.register(s, selectors.EVENT_READ, (name, p))
print("ready", flush=True)
while True:
    for key, _ in sel.select():
        data = key.fileobj.recv(65535)
        log.write("%s %d %d\n" % (key.data[0], key.data[1], len(data)))
