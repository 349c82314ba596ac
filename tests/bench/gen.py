# SPDX-License-Identifier: GPL-2.0-or-later
"""Policies and hand-written rulesets for the benchmark (tests/bench/run).

block-N.json: {"sets": {"block": [N CIDRs]}, "egress": {"default": "accept",
"deny": [{"to": ["@block"]}]}}: 70% IPv4, 30% IPv6, several prefix lengths
(IPv4 /32 /28 /24 /20, IPv6 /128 /64 /56 /48), arbitrary public ranges plus
a few documentation ranges. Deterministic (fixed seed). No two elements
overlap or touch, so the hook's merged intervals and nft's elements are the
same list. block-10 has the same prefix lengths (one of each, plus the two
elements the correctness check uses).

hand-N.nft: what a person writes by hand for the same addresses: one named
interval set per family, one rule each.

The addresses the benchmark's own hosts use are never in a set, except the
prefixes the correctness check targets on purpose:
    198.51.100.0/24, 2001:db8:1::/48   the client/server link: never
    203.0.113.64/28                    in the set (the check's IPv4 target)
    2001:db8:5::/48                    in the set (the check's IPv6 target)
"""
import ipaddress
import json
import os
import random
import socket
import sys

CHECK4 = "203.0.113.64/28"
CHECK6 = "2001:db8:5::/48"

# documentation elements (the correctness targets among them)
DOC4 = ["192.0.2.0/28", "192.0.2.32/30", "192.0.2.64/32", "192.0.2.128/26",
        CHECK4]
DOC6 = ["2001:db8:100::/40", "2001:db8:200::/56", "2001:db8:300::1/128",
        CHECK6]

LEN4 = [(32, 40), (28, 20), (24, 25), (20, 15)]   # (prefix length, weight %)
LEN6 = [(128, 30), (64, 30), (56, 20), (48, 20)]

# IPv4: the elements are laid out in one walk up the address space, each
# aligned to its size, with a gap of at least one address after it (so that
# no two overlap or touch) and random slack spread over what is left:
# 2,000,000 addresses would hold 1.4 million IPv4 elements. Ranges holding
# anything special are skipped.
V4_EXCLUDE = sorted((int(n.network_address), int(n.broadcast_address))
                    for n in map(ipaddress.ip_network, (
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8",
    "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/19", "192.168.0.0/16",
    "198.18.0.0/15", "198.51.96.0/19", "203.0.96.0/19", "224.0.0.0/3")))
V6_SLOT = 40   # inside 2000::/3; 2001:db8::/32 is out


def pick_len(rng, table):
    r = rng.randrange(100)
    for plen, w in table:
        if r < w:
            return plen
        r -= w
    return table[-1][0]


def v4_place(p, size):
    """The first address >= p aligned to size whose block is not excluded."""
    while True:
        p = (p + size - 1) & ~(size - 1)
        hit = next((hi for lo, hi in V4_EXCLUDE
                    if lo < p + size and hi >= p), None)
        if hit is None:
            return p
        p = hit + 1


def gen_v4(rng, n):
    lens = [pick_len(rng, LEN4) for _ in range(n)]
    free = (1 << 32) - sum(hi - lo + 1 for lo, hi in V4_EXCLUDE)
    slack = (free - 3 * sum(1 << (32 - plen) for plen in lens)) // max(n, 1)
    out, p = [], 1 << 24
    for plen in lens:
        size = 1 << (32 - plen)
        p = v4_place(p, size)
        assert p + size <= 1 << 32
        out.append(f"{socket.inet_ntoa(p.to_bytes(4, 'big'))}/{plen}")
        p += size + 1 + rng.randrange(max(slack, 1))
    rng.shuffle(out)
    return out


def gen_v6(rng, n):
    seen, out = set(), []
    doc = ipaddress.ip_network("2001:db8::/32")
    while len(out) < n:
        slot = (1 << (V6_SLOT - 3)) | rng.randrange(1 << (V6_SLOT - 3))  # 2000::/3
        if slot in seen:
            continue
        base = slot << (128 - V6_SLOT)
        if ipaddress.IPv6Network((base, V6_SLOT)).overlaps(doc):
            continue
        seen.add(slot)
        plen = pick_len(rng, LEN6)
        half_bits = 128 - V6_SLOT - 1
        size_bits = 128 - plen
        off = rng.randrange(1 << (half_bits - size_bits)) << size_bits
        a = ipaddress.IPv6Address(base + off)
        out.append(f"{a}/{plen}")
    return out


def addresses(n, seed):
    rng = random.Random(seed)
    if n <= 10:
        rng4 = gen_v4(random.Random(seed), 200)
        rng6 = gen_v6(random.Random(seed), 200)
        out = []
        for plen, _ in LEN4:
            out.append(next(a for a in rng4 if a.endswith(f"/{plen}")))
        for plen, _ in LEN6:
            out.append(next(a for a in rng6 if a.endswith(f"/{plen}")))
        return (out + [CHECK4, CHECK6])[:n]
    n6 = n * 3 // 10 - len(DOC6)
    n4 = n - n6 - len(DOC6) - len(DOC4)
    v = gen_v4(rng, n4) + DOC4 + gen_v6(rng, n6) + DOC6
    rng.shuffle(v)
    return v


def policy(addrs, n):
    return {
        "description": f"benchmark: {n} blocked CIDRs, mixed IPv4/IPv6",
        "sets": {"block": addrs},
        "egress": {"default": "accept", "deny": [{"to": ["@block"]}]},
    }


def hand_nft(addrs):
    v4 = [a for a in addrs if ":" not in a]
    v6 = [a for a in addrs if ":" in a]
    lines = ["table inet block {"]
    for name, typ, v in (("block4", "ipv4_addr", v4), ("block6", "ipv6_addr", v6)):
        lines += [f"\tset {name} {{", f"\t\ttype {typ}", "\t\tflags interval",
                  "\t\telements = { " + ", ".join(v) + " }", "\t}"]
    lines += ["\tchain egress {",
              "\t\ttype filter hook output priority filter; policy accept;",
              "\t\tip daddr @block4 counter drop",
              "\t\tip6 daddr @block6 counter drop",
              "\t}", "}"]
    return "\n".join(lines) + "\n"


def mask(family, plen):
    bits = 32 if family == 4 else 128
    m = ((1 << plen) - 1) << (bits - plen)
    return str(ipaddress.ip_address(m.to_bytes(bits // 8, "big")))


def hash_nft(addrs):
    """The fastest representation the kernel commits: a hash set per family
    and prefix length, one rule each matching the masked address."""
    groups = {}
    for a in addrs:
        net, plen = a.split("/")
        groups.setdefault((6 if ":" in a else 4, int(plen)), []).append(net)
    lines, rules = ["table inet block {"], []
    for (fam, plen), v in sorted(groups.items()):
        name = f"b{fam}_{plen}"
        lines += [f"\tset {name} {{",
                  f"\t\ttype {'ipv6_addr' if fam == 6 else 'ipv4_addr'}",
                  f"\t\tsize {len(v)}",
                  "\t\telements = { " + ", ".join(v) + " }", "\t}"]
        full = plen == (32 if fam == 4 else 128)
        key = f"{'ip6' if fam == 6 else 'ip'} daddr" + (
            "" if full else f" & {mask(fam, plen)}")
        rules.append(f"\t\t{key} @{name} counter drop")
    lines += ["\tchain egress {",
              "\t\ttype filter hook output priority filter; policy accept;",
              *rules, "\t}", "}"]
    return "\n".join(lines) + "\n"


def write(path, text):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, 0o644)


def main():
    """gen.py DIR: DIR/policies/block-{10,1k,100k,500k}.json
    (500k: the hook's limit), DIR/hand-N.nft (not 10), DIR/hash-N.nft"""
    d = sys.argv[1]
    pdir = os.path.join(d, "policies")
    os.makedirs(pdir, exist_ok=True)
    os.chmod(pdir, 0o755)
    for n, tag in ((10, "10"), (1000, "1k"), (100000, "100k"),
                   (500000, "500k")):
        addrs = addresses(n, seed=20240605 + n)
        assert len(addrs) == n and len(set(addrs)) == n, (n, len(addrs))
        write(os.path.join(pdir, f"block-{tag}.json"),
              json.dumps(policy(addrs, n), separators=(",", ":")) + "\n")
        write(os.path.join(d, f"hash-{tag}.nft"), hash_nft(addrs))
        if n > 10:
            write(os.path.join(d, f"hand-{tag}.nft"), hand_nft(addrs))


if __name__ == "__main__":
    main()
