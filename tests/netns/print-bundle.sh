#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# print-bundle.sh: print --bundle fills dns, host (host.containers.internal and the addresses of the netns print runs in, loopback left out), gateway and hostnames as apply would for that bundle's container (its resolv.conf, hosts, routes and nameservers, a bind-mounted file first, symlinks kept inside the rootfs); without --bundle they are empty sets; check warns about hostnames without DNS; a,b composes.

. "$(dirname "$0")/../lib/netns.sh"
t_init
t_need_hook

topo_pair
ip -n "$NS_C" route add default via "$S4" dev c0
ip -n "$NS_C" -6 route add default via "$S6" dev c0

# A nameserver of the test's own in the server namespace.
printf 'web.test.example 203.0.113.7\nweb.test.example 2001:db8:7::7\n' >"$T_DIR/zone"
ip netns exec "$NS_S" python3 "$T_LIB_DIR/dns-server.py" --listen "$S4" \
	--zone "$T_DIR/zone" --log "$T_DIR/dns.log" </dev/null >"$T_DIR/dns.out" 2>&1 &
t_track_pid $!
wait_listen "$NS_S" udp "$S4" 53

mkdir -p "$T_DIR/pol" "$T_DIR/b/rootfs/etc"
cat >"$T_DIR/pol/sym.json" <<'JSON'
{ "egress": { "default": "drop", "allow": [
    { "to": ["dns"] },
    { "to": ["host", "gateway"], "proto": "tcp", "ports": [8080] },
    { "to": ["local.test.example", "web.test.example", "unknown.test.example"],
      "proto": "tcp", "ports": [443] } ] } }
JSON
cat >"$T_DIR/pol/nodns.json" <<'JSON'
{ "egress": { "default": "drop", "allow": [
    { "to": ["web.test.example"], "proto": "tcp", "ports": [443] } ] } }
JSON
cat >"$T_DIR/pol/dns-part.json" <<'JSON'
{ "egress": { "default": "reject", "allow": [ { "to": ["dns"] } ] } }
JSON
printf 'nameserver 192.0.2.99\n' >"$T_DIR/b/rootfs/etc/resolv.conf"
printf 'nameserver %s\n' "$S4" >"$T_DIR/resolv.conf"
printf '198.51.100.77 host.containers.internal\n192.0.2.55 local.test.example\n' >"$T_DIR/b/rootfs/etc/hosts"
printf '{"ociVersion":"1.0.2","root":{"path":"rootfs"},"mounts":[{"destination":"/etc/resolv.conf","source":"%s","type":"bind"}],"linux":{"namespaces":[{"type":"network","path":"/run/netns/%s"}]}}\n' \
	"$T_DIR/resolv.conf" "$NS_C" >"$T_DIR/b/config.json"

set_of() { # set_of FILE SETNAME: its elements line, or "empty"
	awk -v s="set $2 {" '$0 ~ s {f=1} f && /elements/ {sub(/^[ \t]*elements = /, ""); print; exit} f && /^\t}/ {print "empty"; exit}' "$1"
}
expect_set() { # expect_set FILE SET WANT
	local got
	got=$(set_of "$1" "$2")
	[ "$got" = "$3" ] && t_ok "$2: $3" || t_fail "$2: expected $3, got '$got'"
}

# print runs where a runtime would: in a netns of the test's own with one
# address besides loopback, which `host` holds too
ns_add rt NS_RT
ip link add rt0 netns "$NS_RT" type veth peer name rt1 netns "$NS_RT" || t_die "cannot add a veth in $NS_RT"
ip -n "$NS_RT" addr add 192.0.2.200/32 dev rt0
if ip netns exec "$NS_RT" "$OCI_FW_HOOK" print --policy-dir "$T_DIR/pol" --bundle "$T_DIR/b" sym >"$T_DIR/p.nft" 2>"$T_DIR/p.err"; then
	t_ok "print --bundle exits 0"
else
	t_fail "print --bundle failed: $(cat "$T_DIR/p.err")"
fi
expect_set "$T_DIR/p.nft" sym.dns_v4 "{ $S4 }"
expect_set "$T_DIR/p.nft" sym.dns_v6 empty
expect_set "$T_DIR/p.nft" sym.host_v4 "{ 192.0.2.200, 198.51.100.77 }"
expect_set "$T_DIR/p.nft" sym.gateway_v4 "{ $S4 }"
expect_set "$T_DIR/p.nft" sym.gateway_v6 "{ $S6 }"
expect_set "$T_DIR/p.nft" sym.name0_v4 "{ 192.0.2.55 }"
expect_set "$T_DIR/p.nft" sym.name1_v4 "{ 203.0.113.7 }"
expect_set "$T_DIR/p.nft" sym.name1_v6 "{ 2001:db8:7::7 }"
expect_set "$T_DIR/p.nft" sym.name2_v4 empty
grep -q 'comment "unknown.test.example"' "$T_DIR/p.nft" && t_ok "a hostname's sets carry its name" ||
	t_fail "no set comment names unknown.test.example"
check_hook_line "print --bundle warns" print "$(cat "$T_DIR/p.err")" \
	'egress\.allow\[2\]\.to\[2\]: warning: unknown\.test\.example: it did not resolve'
grep -q 'local.test.example' "$T_DIR/dns.log" && t_fail "a name in /etc/hosts was asked of the nameserver" ||
	t_ok "a name in /etc/hosts is not asked of the nameserver"
filter=cat
nft_queue_missing && filter=queue_as_drop # the learner's queue: see netns.sh
if $filter "$T_DIR/p.nft" | ip netns exec "$NS_C" nft -c -f -; then t_ok "the resolved print loads with nft -f"; else
	t_fail "nft -c -f refused the resolved print"
fi

# Without --bundle: the same sets, empty, and no warning.
"$OCI_FW_HOOK" print --policy-dir "$T_DIR/pol" sym >"$T_DIR/e.nft" 2>"$T_DIR/e.err"
expect_set "$T_DIR/e.nft" sym.dns_v4 empty
expect_set "$T_DIR/e.nft" sym.name1_v4 empty
[ ! -s "$T_DIR/e.err" ] && t_ok "print without --bundle warns about nothing" ||
	t_fail "print without --bundle printed: $(cat "$T_DIR/e.err")"

# The image cannot point the hook at a host file: /etc/hosts as a symlink
# to an absolute host path resolves inside the rootfs (where it is absent).
printf '203.0.113.99 local.test.example\n' >"$T_DIR/secret-hosts"
ln -sf "$T_DIR/secret-hosts" "$T_DIR/b/rootfs/etc/hosts"
"$OCI_FW_HOOK" print --policy-dir "$T_DIR/pol" --bundle "$T_DIR/b" sym >"$T_DIR/s.nft" 2>"$T_DIR/s.err"
expect_set "$T_DIR/s.nft" sym.name0_v4 empty
grep -q 203.0.113.99 "$T_DIR/s.nft" && t_fail "the hook read a host file through the image's symlink" ||
	t_ok "the image's symlink to a host file stays inside the rootfs"

# check: hostnames without DNS out warn (and pass); with dns they do not.
out=$("$OCI_FW_HOOK" check --policy-dir "$T_DIR/pol" nodns 2>&1)
rc=$?
[ "$rc" = 0 ] && t_ok "check nodns exits 0" || t_fail "check nodns: exit $rc: $out"
grep -q 'warning: hostnames resolve at start, but egress lets no DNS out' <<<"$out" &&
	t_ok "check warns: hostnames without DNS" || t_fail "check did not warn: $out"
out=$("$OCI_FW_HOOK" check --policy-dir "$T_DIR/pol" sym 2>&1)
grep -q warning <<<"$out" && t_fail "check warned about a policy that allows dns: $out" ||
	t_ok "no warning when dns is allowed"
out=$("$OCI_FW_HOOK" check --policy-dir "$T_DIR/pol" nodns,dns-part 2>&1)
grep -q warning <<<"$out" && t_fail "check warned about a composition that allows dns: $out" ||
	t_ok "no warning when an included part allows dns"
"$OCI_FW_HOOK" print --policy-dir "$T_DIR/pol" nodns,dns-part >"$T_DIR/c.nft" 2>&1
grep -q 'comment "nodns,dns-part sha256:' "$T_DIR/c.nft" && t_ok "a,b: the table names the composition" ||
	t_fail "a,b: table comment: $(grep -m1 comment "$T_DIR/c.nft")"
grep -q 'group 20294 reject with icmpx admin-prohibited comment "egress.default"' "$T_DIR/c.nft" &&
	t_ok "a,b: the strictest default (reject) wins" || t_fail "a,b: default is not reject"
grep -q 'comment "dns-part:egress.allow\[0\]"' "$T_DIR/c.nft" && t_ok "a,b: rules name their file" ||
	t_fail "a,b: no rule comment names dns-part"
t_finish
