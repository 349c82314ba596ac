# SPDX-License-Identifier: GPL-2.0-or-later
"""The measurements of tests/bench/run (which installs, builds, generates
the policies and calls this). Run as root; see run's header for what each
part measures.

Everything this starts is recorded in WORK/registry (netns NAME, pid PID,
container NAME, one a line) before it exists, removed here in a finally
block, and again by run's EXIT trap if this process dies.
"""
import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time

C4, S4 = "198.51.100.1", "198.51.100.2"
C6, S6 = "2001:db8:1::1", "2001:db8:1::2"
PORT = 5201

# The test containers.conf the podman suites use too (TESTING.md).
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib",
                       "containers.conf.in")) as _f:
    CONTAINERS_CONF = _f.read()

# correctness check: (address, in the set?) -- each gets a server
CHECK_ADDRS = [
    ("203.0.113.63", False), ("203.0.113.64", True),
    ("203.0.113.70", True), ("203.0.113.79", True), ("203.0.113.80", False),
    ("2001:db8:4:ffff:ffff:ffff:ffff:ffff", False), ("2001:db8:5::", True),
    ("2001:db8:5:ffff:ffff:ffff:ffff:ffff", True), ("2001:db8:6::", False),
]
CHECK_PORT = 7


class Bench:
    def __init__(self, a):
        self.a = a
        self.work = a.work
        self.tag = f"obench{os.getpid()}"
        self.n = 0
        self.netns = []
        self.pids = []
        self.containers = []
        self.reg = open(os.path.join(self.work, "registry"), "a", buffering=1)
        self.rng = random.Random(a.seed)
        self.devnull = open(os.devnull, "rb")

    # --- bookkeeping -----------------------------------------------------
    def log(self, *m):
        print("bench:", *m, file=sys.stderr, flush=True)

    def run(self, argv, check=True, **kw):
        kw.setdefault("stdin", self.devnull)
        p = subprocess.run(argv, capture_output=True, text=True, **kw)
        if check and p.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)}: exit {p.returncode}: "
                               f"{p.stderr.strip()[:2000]}")
        return p

    def spawn(self, argv, **kw):
        kw.setdefault("stdin", self.devnull)
        kw.setdefault("stdout", subprocess.DEVNULL)
        kw.setdefault("stderr", open(os.path.join(self.work, "servers.log"), "a"))
        p = subprocess.Popen(argv, **kw)
        self.reg.write(f"pid {p.pid}\n")
        self.pids.append(p)
        return p

    def kill(self, p):
        if p.poll() is None:
            p.terminate()
            try:
                p.wait(2)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        if p in self.pids:
            self.pids.remove(p)

    def ns_add(self, what):
        self.n += 1
        name = f"{self.tag}-{what}{self.n}"
        self.reg.write(f"netns {name}\n")
        self.run(["ip", "netns", "add", name])
        self.netns.append(name)
        self.run(["ip", "-n", name, "link", "set", "lo", "up"])
        return name

    def ns_del(self, name):
        self.run(["ip", "netns", "del", name], check=False)
        self.netns.remove(name)

    def nsx(self, ns, *argv):
        return ["nsenter", f"--net=/run/netns/{ns}", *argv]

    def cleanup(self):
        for p in list(self.pids):
            try:
                self.kill(p)
            except Exception:
                pass
        for c in self.containers:
            subprocess.run(["podman", "rm", "-f", "-t", "0", "--ignore", c],
                           stdin=self.devnull, capture_output=True, timeout=60)
        for ns in list(self.netns):
            self.ns_del(ns)

    # --- a container: a process in a netns, a bundle, a state document ----
    def holder(self, ns):
        p = self.spawn(self.nsx(ns, "sleep", "600"))
        want = os.stat(f"/run/netns/{ns}").st_ino
        for _ in range(200):
            try:
                if os.stat(f"/proc/{p.pid}/ns/net").st_ino == want:
                    return p
            except FileNotFoundError:
                pass
            time.sleep(0.01)
        raise RuntimeError(f"holder {p.pid} never entered {ns}")

    def bundle(self):
        b = os.path.join(self.work, "bundle")
        if not os.path.isdir(b):
            os.mkdir(b, 0o755)
            with open(os.path.join(b, "config.json"), "w") as f:
                json.dump({"process": {"capabilities": {"bounding": ["CAP_CHOWN"]}},
                           "linux": {"namespaces": [{"type": "network"}]}}, f)
        return b

    def state(self, pid, policy):
        path = os.path.join(self.work, "state.json")
        with open(path, "w") as f:
            json.dump({"ociVersion": "1.0.2", "id": "bench", "pid": pid,
                       "bundle": self.bundle(),
                       "annotations": {"fw.policy": policy} if policy else {}}, f)
        return path

    def hook(self, verb, *args):
        dirs = []
        for d in self.a.policy_dir:
            dirs += ["--policy-dir", d]
        return [self.a.hook, verb, *dirs, *args]

    # --- one timed command ------------------------------------------------
    def timed(self, argv, stdin=None, cwd=None, env=None, stdout=None):
        """(wall ms, peak RSS KiB, user CPU ms, system CPU ms) of one run of
        argv (getrusage of the child); raises if it fails."""
        errpath = os.path.join(self.work, "cmd.err")
        with open(errpath, "w+") as err, \
                open(stdin or os.devnull, "rb") as inp, \
                open(stdout or os.devnull, "wb") as out:
            t0 = time.perf_counter_ns()
            p = subprocess.Popen(argv, stdin=inp, stdout=out, stderr=err,
                                 cwd=cwd, env=env)
            _, status, ru = os.wait4(p.pid, 0)
            t1 = time.perf_counter_ns()
            p.returncode = os.waitstatus_to_exitcode(status)
            if p.returncode != 0:
                err.seek(0)
                raise RuntimeError(f"{' '.join(argv)}: exit {p.returncode}: "
                                   f"{err.read().strip()[:2000]}")
        return (t1 - t0) / 1e6, ru.ru_maxrss, ru.ru_utime * 1e3, ru.ru_stime * 1e3

    # --- part 1 and 2: loads into fresh namespaces -------------------------
    def load_once(self, kind, arg):
        """One load of kind apply (arg: policy name; None: a container
        without annotation, which the hook leaves alone) or nft (arg: file)
        into a fresh netns; or one check or print (arg: policy name); or
        `true`: /bin/true, what starting any process costs."""
        if kind in ("check", "print"):
            return self.timed(self.hook(kind, arg))
        if kind == "true":
            return self.timed(["/bin/true"])
        ns = self.ns_add("l")
        h = None
        try:
            if kind == "apply":
                h = self.holder(ns)
                r = self.timed(self.hook("apply"), stdin=self.state(h.pid, arg),
                               cwd=self.bundle())
                table = "table inet oci_fw"
            else:
                r = self.timed(self.nsx(ns, "nft", "-f", arg))
                table = ("table inet block" if "hand-" in arg or "hash-" in arg
                         else "table inet oci_fw")
            out = self.run(self.nsx(ns, "nft", "list", "tables")).stdout
            if (table in out) != (arg is not None):
                raise RuntimeError(f"{kind} {arg}: {table} {'' if arg else 'not '}expected, "
                                   f"got {out.strip()!r}")
            return r
        finally:
            if h:
                self.kill(h)
            self.ns_del(ns)

    def prints(self):
        """policy name -> file with its `print`"""
        out = {}
        for pol in ("web-egress", "block-1k", "block-100k"):
            out[pol] = os.path.join(self.work, f"print-{pol}.nft")
            if not os.path.exists(out[pol]):
                with open(out[pol], "w") as f:
                    subprocess.run(self.hook("print", pol), stdout=f, check=True,
                                   stdin=self.devnull)
        return out

    def part_loads(self):
        a, w = self.a, self.work
        prints = self.prints()
        hand = {p: os.path.join(w, f"hand-{p[6:]}.nft") for p in ("block-1k", "block-100k")}
        # the fastest representation nft -f commits (a hash set per prefix
        # length): the kernel's floor; and the limit the hook accepts
        hashed = {p: os.path.join(w, f"hash-{p[6:]}.nft") for p in ("block-100k", "block-500k")}
        small = [("exec", "true", None),
                 ("no-annotation", "apply", None),
                 ("web-egress", "apply", "web-egress"),
                 ("web-egress", "nft", prints["web-egress"]),
                 ("block-1k", "apply", "block-1k"),
                 ("block-1k", "nft", prints["block-1k"]),
                 ("block-1k", "hand", hand["block-1k"])]
        big = [("block-100k", "apply", "block-100k"),
               ("block-100k", "nft", prints["block-100k"]),
               ("block-100k", "hand", hand["block-100k"]),
               ("block-100k", "check", "block-100k"),
               ("block-100k", "print", "block-100k"),
               ("block-100k", "hash", hashed["block-100k"]),
               ("block-500k", "apply", "block-500k"),
               ("block-500k", "hash", hashed["block-500k"])]
        self.log(f"part 1-2: loads, {a.reps_small} reps (100k: {a.reps_big}), interleaved")
        for case in small + big:            # warm the page cache, untimed
            self.load_once("nft" if case[1] in ("hand", "hash") else case[1], case[2])
        res = {}
        for rep in range(max(a.reps_small, a.reps_big)):
            cases = (small if rep < a.reps_small else []) + (big if rep < a.reps_big else [])
            self.rng.shuffle(cases)
            for pol, kind, arg in cases:
                r = self.load_once("nft" if kind in ("hand", "hash") else kind, arg)
                res.setdefault(f"{pol}/{kind}", []).append((rep, *r))
            self.log(f"  rep {rep + 1} done")
        return res

    # --- part 3: podman ----------------------------------------------------
    def part_podman(self):
        a, w = self.a, self.work
        pd = os.path.join(w, "podman")
        rootfs = os.path.join(pd, "rootfs")
        hooks, empty = os.path.join(pd, "hooks.d"), os.path.join(pd, "empty.d")
        for d in (pd, hooks, empty):
            os.makedirs(d, mode=0o755, exist_ok=True)
        for d in ("bin", "etc", "tmp", "proc", "sys", "dev"):
            os.makedirs(os.path.join(rootfs, d), exist_ok=True)
        shutil.copy2("/bin/busybox", os.path.join(rootfs, "bin/busybox"))
        applets = self.run(["/bin/busybox", "--list"]).stdout.split()
        for ap in applets:
            if ap != "busybox":
                os.symlink("busybox", os.path.join(rootfs, "bin", ap))
        with open(os.path.join(rootfs, "etc/passwd"), "w") as f:
            f.write("root:x:0:0:root:/:/bin/sh\n")
        # the hook as installed, and the same hook run by a wrapper that
        # logs the hook's own wall time (the wrapper's start is not in it)
        # and, just before, that of /bin/true three times: a bare exec in
        # the same place (the median of three: one exec is noisy), then
        # `oci-fw-hook --version`: this binary's start alone, the floor
        # under which no hook path of it can go; then floor-hook
        # (floor.c): the least a hook in this place does for the same
        # container (with fw.policy: the design's neighbour scan and
        # seccomp filters, and a table of two drop chains); the hook last.
        # All read the state from a copy the wrapper makes first, a file
        # (the runtime's pipe can be read once).
        # And, as a control, a hook that is /bin/true: what any hook costs
        wrapped, log = os.path.join(pd, "wrapped.d"), os.path.join(pd, "hook-times")
        state = os.path.join(pd, "state.json")
        truehook = os.path.join(pd, "true.d")
        for d in (wrapped, truehook):
            os.makedirs(d, mode=0o755, exist_ok=True)
        wrapper = os.path.join(pd, "timed-hook")
        with open(wrapper, "w") as f:
            f.write(f'#!/bin/bash\ncat >{state}\nt=($EPOCHREALTIME)\nfor _ in 1 2 3; do\n'
                    '\t/bin/true </dev/null\n\tt+=($EPOCHREALTIME)\ndone\n'
                    '"$1" --version </dev/null >/dev/null\nt+=($EPOCHREALTIME)\n'
                    f'{a.floor_hook} <{state} || exit 1\nt+=($EPOCHREALTIME)\n'
                    f'"$@" <{state}\nrc=$?\ne=$EPOCHREALTIME\n'
                    f'echo "${{t[*]}} $e $rc" >>{log}\nexit $rc\n')
        os.chmod(wrapper, 0o755)
        args = ["apply", "--policy-dir", a.repo_policies]
        for d, path, argv in ((hooks, a.hook, ["oci-fw-hook"] + args),
                              (wrapped, wrapper, ["timed-hook", a.hook] + args),
                              (truehook, "/bin/true", ["true"])):
            with open(os.path.join(d, "oci-fw-hook.json"), "w") as f:
                json.dump({"version": "1.0.0", "hook": {"path": path, "args": argv},
                           "when": {"always": True}, "stages": ["createRuntime"]}, f)
        confs = {}
        for name, hd in (("hook", hooks), ("none", empty), ("wrapped", wrapped),
                         ("true", truehook)):
            confs[name] = os.path.join(pd, f"{name}.conf")
            with open(confs[name], "w") as f:
                f.write(CONTAINERS_CONF.replace("@HOOKS_DIR@", hd).replace("@RUNTIME@", "runc"))

        def prun(conf, annot, cmd="/bin/true", timed=True):
            self.n += 1
            name = f"{self.tag}-{self.n}"
            self.reg.write(f"container {name}\n")
            self.containers.append(name)
            argv = ["podman", "run", "--rm", "--read-only", "--name", name]
            if annot:
                argv += ["--annotation", f"fw.policy={annot}"]
            argv += ["--rootfs", rootfs, cmd]
            env = dict(os.environ, CONTAINERS_CONF=confs[conf])
            try:
                if not timed:
                    return self.run(argv, check=False, env=env, timeout=120)
                if os.path.exists(log):
                    os.unlink(log)
                ms = self.timed(argv, env=env)[0]
                inner = bare = start = 0.0
                if conf == "wrapped":
                    with open(log) as f:
                        *t, rc = f.read().split()
                    if rc != "0":
                        raise RuntimeError(f"the wrapped hook exited {rc}")
                    t = [float(x) * 1e3 for x in t]
                    inner = t[6] - t[5]
                    start = t[4] - t[3]
                    floor = t[5] - t[4]
                    bare = sorted(t[i + 1] - t[i] for i in range(3))[1]
                    return ms, inner, bare, start, floor
                return ms, inner, bare, start
            finally:
                self.containers.remove(name)

        # the hooks dir is really used: an unknown policy is refused there
        # (exit 126) and ignored without it
        r = prun("hook", "no-such-policy-bench", timed=False)
        if r.returncode != 126 or "oci-fw-hook" not in r.stderr:
            raise RuntimeError(f"podman with the hook: an unknown policy was not refused "
                               f"(exit {r.returncode}): {r.stderr.strip()[:500]}")
        r = prun("none", "no-such-policy-bench", timed=False)
        if r.returncode != 0:
            raise RuntimeError(f"podman without hooks: exit {r.returncode}: {r.stderr.strip()[:500]}")
        cases = [("none", "denyall"), ("hook", "denyall"), ("true", "denyall"),
                 ("wrapped", "denyall"), ("wrapped", None)]
        self.log(f"part 3: podman run --rm, {a.reps_podman} interleaved rounds")
        for c in cases:
            prun(*c)                          # warm up
        res = {}
        for rep in range(a.reps_podman):
            order = list(cases)
            self.rng.shuffle(order)
            for conf, annot in order:
                res.setdefault(f"{conf}/{annot or '-'}", []).append((rep, *prun(conf, annot)))
            self.log(f"  round {rep + 1} done")
        return res

    # --- part 4: packet rate and the 100k correctness check ----------------
    def topology(self):
        c, s = self.ns_add("c"), self.ns_add("s")
        R = self.run
        R(["ip", "link", "add", "c0", "netns", c, "type", "veth", "peer", "name", "s0", "netns", s])
        R(["ip", "-n", c, "addr", "add", f"{C4}/24", "dev", "c0"])
        R(["ip", "-n", c, "addr", "add", f"{C6}/64", "dev", "c0", "nodad"])
        R(["ip", "-n", s, "addr", "add", f"{S4}/24", "dev", "s0"])
        R(["ip", "-n", s, "addr", "add", f"{S6}/64", "dev", "s0", "nodad"])
        for addr, _ in CHECK_ADDRS:
            v6 = ":" in addr
            R(["ip", "-n", s, "addr", "add", addr + ("/128" if v6 else "/32"), "dev", "s0"]
              + (["nodad"] if v6 else []))
        R(["ip", "-n", c, "link", "set", "c0", "up"])
        R(["ip", "-n", s, "link", "set", "s0", "up"])
        for addr, _ in CHECK_ADDRS:
            v6 = ":" in addr
            R(["ip", "-n", c, "route", "add", addr + ("/128" if v6 else "/32"),
               "via", S6 if v6 else S4, "dev", "c0"])
        return c, s

    def wait_listen(self, ns, proto, addr, port):
        want = f"[{addr}]:{port}" if ":" in addr else f"{addr}:{port}"
        flag = "-Hltn" if proto == "tcp" else "-Hlun"
        for _ in range(100):
            out = self.run(self.nsx(ns, "ss", flag), check=False).stdout
            if any(line.split()[3] == want for line in out.splitlines() if len(line.split()) > 3):
                return
            time.sleep(0.05)
        raise RuntimeError(f"no {proto} listener on {want} in {ns}")

    def tcp_probe(self, ns, addr, tmo):
        sock = f"TCP6:[{addr}]:{CHECK_PORT}" if ":" in addr else f"TCP4:{addr}:{CHECK_PORT}"
        p = self.run(["timeout", str(tmo + 3)] + self.nsx(
            ns, "socat", "-T", str(tmo), "-u", f"{sock},connect-timeout={tmo}", "STDOUT"),
            check=False)
        return p.stdout.strip() == "ok"

    def correctness(self, c, s, h):
        """Servers on every CHECK_ADDRS address; all reachable before, then
        the 100k policy: only the in-set ones blocked. Also the kernel's
        ruleset equals nft -f of print (no element lost in a large batch)."""
        for addr, _ in CHECK_ADDRS:
            lst = (f"TCP6-LISTEN:{CHECK_PORT},bind=[{addr}],ipv6only=1" if ":" in addr
                   else f"TCP4-LISTEN:{CHECK_PORT},bind={addr}")
            self.spawn(self.nsx(s, "socat", lst + ",reuseaddr,fork", "SYSTEM:echo ok"))
        for addr, _ in CHECK_ADDRS:
            self.wait_listen(s, "tcp", addr, CHECK_PORT)
        out = {"before": {}, "after": {}}
        for addr, _ in CHECK_ADDRS:
            out["before"][addr] = self.tcp_probe(c, addr, 2)
        self.apply_in(h, "block-100k")
        for addr, inset in CHECK_ADDRS:
            out["after"][addr] = self.tcp_probe(c, addr, 1 if inset else 2)
        ok = all(out["before"].values()) and all(
            out["after"][a] != inset for a, inset in CHECK_ADDRS)
        # same ruleset as nft -f of print, element for element
        ref = self.ns_add("r")
        try:
            self.run(self.nsx(ref, "nft", "-f", self.prints()["block-100k"]))
            mine = self.run(self.nsx(c, "nft", "-s", "list", "table", "inet", "oci_fw")).stdout
            theirs = self.run(self.nsx(ref, "nft", "-s", "list", "table", "inet", "oci_fw")).stdout
        finally:
            self.ns_del(ref)
        out["same_as_nft"] = mine == theirs
        out["ok"] = ok and mine == theirs
        self.run(self.nsx(c, "nft", "delete", "table", "inet", "oci_fw"))
        return out

    def apply_in(self, h, policy):
        self.timed(self.hook("apply"), stdin=self.state(h.pid, policy), cwd=self.bundle())

    def iperf(self, c):
        t = self.a.iperf_secs
        aff = ["-A", "0"] if os.cpu_count() >= 2 else []
        p = self.run(["timeout", str(t + 20)] + self.nsx(
            c, "iperf3", "-c", S4, "-p", str(PORT), "-u", "-l", "64", "-b", "0",
            "-t", str(t), "-J", *aff), check=False)
        try:
            d = json.loads(p.stdout)["end"]
            sent, recv = d["sum_sent"], d["sum_received"]
            return (sent["packets"] / sent["seconds"],
                    (recv["packets"] - recv["lost_packets"]) / recv["seconds"])
        except (ValueError, KeyError) as e:
            raise RuntimeError(f"iperf3 failed (exit {p.returncode}): {p.stderr.strip()[:500]} "
                               f"{p.stdout.strip()[:500]}") from e

    def part_packets(self):
        a, w = self.a, self.work
        c, s = self.topology()
        h = self.holder(c)
        corr = self.correctness(c, s, h)
        self.log(f"correctness: {'ok' if corr['ok'] else 'FAILED'}")
        aff = ["-A", "1"] if os.cpu_count() >= 2 else []
        self.spawn(self.nsx(s, "iperf3", "-s", "-B", S4, "-p", str(PORT), *aff))
        self.wait_listen(s, "tcp", S4, PORT)
        # 1000 linear iptables rules: addresses from the 100k list, never S4
        with open(os.path.join(w, "policies", "block-100k.json")) as f:
            v4 = [x.split("/")[0] for x in json.load(f)["sets"]["block"] if ":" not in x]
        ipt = os.path.join(w, "iptables-1000")
        with open(ipt, "w") as f:
            f.write("*filter\n" + "".join(f"-A OUTPUT -d {x}/32 -j DROP\n" for x in v4[:1000])
                    + "COMMIT\n")
        nft_backend = "nf_tables" in self.run(["iptables", "-V"]).stdout
        # "lookup" mode: the benchmark's UDP flow is not tracked, so every
        # packet walks the chain to the set (an established flow is accepted
        # by `ct state established` before the set is consulted: "flow" mode)
        notrack = os.path.join(w, "notrack.nft")
        with open(notrack, "w") as f:
            f.write("table inet bench_notrack {\n\tchain out {\n\t\ttype filter hook output "
                    f"priority raw; policy accept;\n\t\tudp dport {PORT} notrack\n\t}}\n}}\n")

        def setup(v):
            if v == "100k":
                self.apply_in(h, "block-100k")
            elif v == "10":
                self.apply_in(h, "block-10")
            elif v in ("h100k", "h10"):
                self.run(self.nsx(c, "nft", "-f", os.path.join(w, f"hash-{v[1:]}.nft")))
            elif v == "ipt":
                self.run(self.nsx(c, "iptables-restore", "--noflush", ipt))
                n = self.run(self.nsx(c, "iptables", "-S", "OUTPUT")).stdout.count("-j DROP")
                if n != 1000:
                    raise RuntimeError(f"iptables: {n} rules, not 1000")

        def teardown(v):
            if v in ("100k", "10"):
                self.run(self.nsx(c, "nft", "delete", "table", "inet", "oci_fw"))
            elif v in ("h100k", "h10"):
                self.run(self.nsx(c, "nft", "delete", "table", "inet", "block"))
            elif v == "ipt":
                if nft_backend:
                    self.run(self.nsx(c, "nft", "delete", "table", "ip", "filter"))
                else:
                    self.run(self.nsx(c, "iptables", "-F", "OUTPUT"))

        variants = ["none", "100k", "10", "ipt", "h100k", "h10"]
        modes = ["lookup", "flow"]
        self.log(f"part 4: iperf3 64-byte UDP, {a.iperf_secs} s each, {a.reps_packets} "
                 "interleaved rounds")
        self.iperf(c)                                    # warm up
        res = {}
        for rep in range(a.reps_packets):
            vs = list(variants)
            self.rng.shuffle(vs)
            for v in vs:
                setup(v)
                ms = list(modes)
                self.rng.shuffle(ms)
                for m in ms:
                    if m == "lookup":
                        self.run(self.nsx(c, "nft", "-f", notrack))
                    sent, recv = self.iperf(c)
                    if m == "lookup":
                        self.run(self.nsx(c, "nft", "delete", "table", "inet", "bench_notrack"))
                    res.setdefault(f"{m}/{v}", []).append((rep, sent, recv))
                teardown(v)
            self.log(f"  round {rep + 1} done")
        return res, corr


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True)
    ap.add_argument("--hook", required=True)
    ap.add_argument("--floor-hook", required=True, help="floor.c, built")
    ap.add_argument("--policy-dir", action="append", required=True)
    ap.add_argument("--repo-policies", required=True)
    ap.add_argument("--parts", default="1234")
    ap.add_argument("--reps-small", type=int, default=9)
    ap.add_argument("--reps-big", type=int, default=5)
    ap.add_argument("--reps-podman", type=int, default=15)
    ap.add_argument("--reps-packets", type=int, default=5)
    ap.add_argument("--iperf-secs", type=int, default=3)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--json", required=True, help="raw samples go here")
    a = ap.parse_args()

    def stop(sig, frame):
        raise SystemExit(128 + sig)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGHUP, stop)

    b = Bench(a)
    raw = {"args": vars(a)}
    try:
        if "1" in a.parts or "2" in a.parts:
            raw["loads"] = b.part_loads()
        if "3" in a.parts:
            raw["podman"] = b.part_podman()
        if "4" in a.parts:
            raw["packets"], raw["correctness"] = b.part_packets()
    finally:
        b.cleanup()
        with open(a.json, "w") as f:
            json.dump(raw, f, indent=1)


if __name__ == "__main__":
    main()
