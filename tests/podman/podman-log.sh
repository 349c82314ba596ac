#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# podman-log.sh: "log": true on egress puts a kernel log line with the prefix oci-fw:<first 12 of the container id>:egress: and the packet's DST before each drop, once net.netfilter.nf_log_all_netns is 1 (a container's netns is not the initial one: at 0, the default, the kernel writes no line, and the same container's next drop is logged once the sysctl is 1); "log": {"group": 5} loads `log ... group 5` (NFLOG): a listener on group 5 in the container's netns gets the record with the prefix and the dropped packet, and the kernel log gets nothing.
#
# What the kernel needs: the syslog logger (CONFIG_NF_LOG_SYSLOG, built in
# on this machine's kernel, else `modprobe nf_log_syslog`), nft's log
# expression (CONFIG_NFT_LOG), and net.netfilter.nf_log_all_netns=1.
# The test sets the sysctl and puts back the value it found. The sysctl
# exists only in the initial network namespace: where the tests run in a
# netns of their own (the Debian 13 platform, tests/lib/debian13.sh), it
# is set there, through the namespace that platform leaves at
# /run/oci-fw-hook-test/outer-net.

. "$(dirname "$0")/../lib/podman.sh"
pm_init
pm_server

SYSCTL=/proc/sys/net/netfilter/nf_log_all_netns
OUTER_NET=/run/oci-fw-hook-test/outer-net
IN_NS=()
[ ! -e "$SYSCTL" ] && [ -e "$OUTER_NET" ] && IN_NS=(nsenter --net="$OUTER_NET")
"${IN_NS[@]}" test -w "$SYSCTL" || t_die "$SYSCTL is missing or read-only${IN_NS:+ (in $OUTER_NET too)}"
get_all_netns() { "${IN_NS[@]}" cat "$SYSCTL"; }
saved=$(get_all_netns)
[[ $saved =~ ^[01]$ ]] || t_die "$SYSCTL reads '$saved'"
t_on_exit "${IN_NS[*]} sh -c 'echo $saved >$SYSCTL'"
set_all_netns() {
	"${IN_NS[@]}" sh -c "echo $1 >$SYSCTL" && [ "$(get_all_netns)" = "$1" ] || t_die "cannot set $SYSCTL to $1"
}

# kmsg_lines PREFIX: the kernel log lines that carry PREFIX
kmsg_lines() { dmesg 2>/dev/null | grep -F -- "$1"; }
# wait_kmsg PREFIX SECONDS: a line with PREFIX appears within SECONDS;
# prints the lines
wait_kmsg() {
	local lines
	for _ in $(seq 1 $(($2 * 10))); do
		lines=$(kmsg_lines "$1") && { printf '%s\n' "$lines"; return 0; }
		sleep 0.1
	done
	return 1
}
# start WHAT POLICY: a detached container; sets PM_NAME, PM_PID, CID, ID12
start() {
	pm_start --sysctl net.ipv6.conf.all.disable_ipv6=1 --annotation "fw.policy=$2"
	[ "$PM_RC" -eq 0 ] && [ -n "$PM_PID" ] && t_ok "$1: container, pid $PM_PID" ||
		t_die "$1: podman run -d exit $PM_RC: $PM_ERR"
	CID=$(podman inspect -f '{{.Id}}' "$PM_NAME")
	[[ $CID =~ ^[0-9a-f]{64}$ ]] || t_die "$1: podman inspect gave the id '$CID'"
	ID12=${CID:0:12}
}
# blocked WHAT: one connection to $S4:80 from PM_NAME, dropped
blocked() {
	pm_exec "$1" "$(pm_tcp_probe tcp80 "$S4" 80)"
	pm_expect tcp80 blocked
}

# (a) sysctl 1: the drop is logged
set_all_netns 1
start "(a)" log-egress
prefix="oci-fw:$ID12:egress:"
table=$(nsenter -t "$PM_PID" -n nft list table inet oci_fw 2>&1)
grep -Fq "log prefix \"$prefix\" comment \"egress.default\"" <<<"$table" &&
	t_ok "(a) the table logs with prefix $prefix before the default" ||
	t_fail "(a) no 'log prefix \"$prefix\"' rule: $table"
grep -Eq 'limit rate [0-9]+/second burst [0-9]+ packets log prefix' <<<"$table" &&
	t_ok "(a) the log rule is rate-limited" || t_fail "(a) the log rule has no limit: $table"
# (the container may have sent an IPv6 MLD report between the hook and
# the sysctl that turns IPv6 off: a line, but not one to $S4)
kmsg_lines "$prefix" | grep -q "DST=$S4 " && t_die "(a) the kernel log holds $prefix DST=$S4 before any traffic"
blocked "(a) nc to $S4:80"
if lines=$(wait_kmsg "$prefix" 5); then
	line=$(grep "DST=$S4 " <<<"$lines" | head -n1)
	[ -n "$line" ] && t_ok "(a) kernel log: $line" || t_fail "(a) no kernel log line with $prefix and DST=$S4: $lines"
	grep -q "DST=$S4 .*PROTO=TCP .*DPT=80 " <<<"$line" &&
		t_ok "(a) the line names DST=$S4, TCP, DPT=80" ||
		t_fail "(a) no line with DST=$S4 PROTO=TCP DPT=80: $lines"
	grep -Eq "\] ${prefix}IN=" <<<"$line" && t_ok "(a) the message starts with the prefix" ||
		t_fail "(a) the prefix does not start the message: $line"
else
	t_fail "(a) no kernel log line with $prefix within 5 s (nf_log_all_netns=1; IPv4 logger: $(cat /proc/sys/net/netfilter/nf_log/2))"
fi

# (b) NFLOG group 5: the rule; a listener bound to group 5 in the
# container's netns (as `tcpdump -i nflog:5` or ulogd would) gets the drop
# with its prefix and the packet; nothing goes to the kernel log
start "(b)" log-nflog
prefix_b="oci-fw:$ID12:egress:"
table=$(nsenter -t "$PM_PID" -n nft list table inet oci_fw 2>&1)
grep -Fq "log prefix \"$prefix_b\" group 5 " <<<"$table" &&
	t_ok "(b) the table logs to NFLOG group 5 with prefix $prefix_b" ||
	t_fail "(b) no 'log prefix \"$prefix_b\" group 5' rule: $table"
nsenter -t "$PM_PID" -n python3 "$T_LIB_DIR/nflog-listen.py" 5 30 </dev/null >"$T_DIR/nflog.out" 2>&1 &
t_track_pid $!
for _ in $(seq 1 50); do
	grep -q '^ready$' "$T_DIR/nflog.out" && break
	sleep 0.1
done
grep -q '^ready$' "$T_DIR/nflog.out" || t_die "(b) the NFLOG listener did not bind group 5 within 5 s: $(cat "$T_DIR/nflog.out")"
blocked "(b) nc to $S4:80"
for _ in $(seq 1 20); do
	grep -q "^prefix=$prefix_b " "$T_DIR/nflog.out" && break
	sleep 0.1
done
recs=$(grep "^prefix=$prefix_b " "$T_DIR/nflog.out")
[ -n "$recs" ] && t_ok "(b) NFLOG group 5 got $(wc -l <<<"$recs") record(s) with $prefix_b" ||
	t_fail "(b) no NFLOG record with $prefix_b: $(cat "$T_DIR/nflog.out")"
grep -Eq " payload=([4-9][0-9]|[1-9][0-9]{2,}) dst=$S4$" <<<"$recs" &&
	t_ok "(b) a record carries the dropped packet (to $S4)" ||
	t_fail "(b) no NFLOG record carries the dropped packet (want payload >= 40 bytes, dst=$S4): $(tr '\n' ';' <<<"$recs"); the rule: $(grep -F "group 5" <<<"$table" | sed 's/^[[:space:]]*//')"
if lines=$(wait_kmsg "$prefix_b" 1); then
	t_fail "(b) an NFLOG rule wrote to the kernel log: $lines"
else
	t_ok "(b) no kernel log line with $prefix_b"
fi

# (c) sysctl 0 (the default): no line from a container's netns, until it is 1
set_all_netns 0
start "(c)" log-egress
prefix_c="oci-fw:$ID12:egress:"
[ "$prefix_c" != "$prefix" ] || t_die "(c) two containers with one id prefix $prefix"
blocked "(c) nc to $S4:80, nf_log_all_netns=0"
if lines=$(wait_kmsg "$prefix_c" 2); then
	t_fail "(c) a kernel log line with nf_log_all_netns=0: $lines"
else
	t_ok "(c) nf_log_all_netns=0: no kernel log line with $prefix_c within 2 s"
fi
pk=$(timeout 30 "$OCI_FW_HOOK" show --json "$PM_NAME" | jq '.chains.egress.rules[-1].packets')
[[ $pk =~ ^[0-9]+$ ]] && [ "$pk" -ge 1 ] && t_ok "(c) yet the drop happened: egress.default counted $pk" ||
	t_fail "(c) egress.default counted '$pk' packets: the connection never met the log rule"
set_all_netns 1
blocked "(c) nc to $S4:80 again, nf_log_all_netns=1"
if lines=$(wait_kmsg "$prefix_c" 5); then
	t_ok "(c) nf_log_all_netns=1: the same container's drop is logged: $(head -n1 <<<"$lines")"
else
	t_fail "(c) nf_log_all_netns=1: no kernel log line with $prefix_c within 5 s"
fi
t_finish
