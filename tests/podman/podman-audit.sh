#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# podman-audit.sh: a policy with "mode": "audit" lets what it would block through and counts it: a connection to TCP 80 that the egress default (drop) would stop reaches the server, and `show` reports mode audit and the default as not enforced ("would drop") with the connection's packet; the same policy without audit mode (tcp-port-drop) blocks it.

. "$(dirname "$0")/../lib/podman.sh"
pm_init
pm_server

# no IPv6 in the container: once it runs its link sends nothing the
# default would count (an MLD report may leave between the hook and runc's
# sysctl: the default's count is taken before the probes)
NOV6=(--sysctl net.ipv6.conf.all.disable_ipv6=1)
script="$(pm_tcp_probe tcp80 "$S4" 80)$(pm_tcp_probe tcp8080 "$S4" 8080)"

# (a) audit: everything reaches, the default counts what it would drop
pm_start "${NOV6[@]}" --annotation fw.policy=audit-tcp-port-drop
[ "$PM_RC" -eq 0 ] && [ -n "$PM_PID" ] && t_ok "(a) audit container, pid $PM_PID" ||
	t_die "(a) podman run -d exit $PM_RC: $PM_ERR"
table=$(nsenter -t "$PM_PID" -n nft list table inet oci_fw 2>&1)
grep -q 'comment "audit-tcp-port-drop sha256:[0-9a-f]\{16\} from:[0-9a-f]\{16\} (audit)"' <<<"$table" &&
	t_ok "(a) the table's comment marks audit" || t_fail "(a) no '(audit)' table comment: $table"
grep -Eq 'counter packets [0-9]+ bytes [0-9]+ log prefix "oci-fw-watch:audit-drop:egress\.default" group 20294 accept comment "egress\.default \[audit: drop\]"' <<<"$table" &&
	t_ok "(a) the egress default is loaded as a counted accept that tells watch" ||
	t_fail "(a) no 'counter ... log prefix \"oci-fw-watch:audit-drop:egress.default\" group 20294 accept comment \"egress.default [audit: drop]\"' rule: $table"
# the built-in drops hold in audit mode too: invalid packets and forged
# sources (no policy choice lets those through)
grep -Eq ' (drop|reject)$' <<<"$(sed 's/ comment ".*"$//' <<<"$table" | grep -v -e 'ct state invalid' -e 'fib saddr type != local')" &&
	t_fail "(a) the audit table blocks something besides the built-in drops: $table" ||
	t_ok "(a) no drop or reject besides ct state invalid and the source check"

pk0=$(timeout 30 "$OCI_FW_HOOK" show --json "$PM_NAME" | jq '.chains.egress.rules[-1].packets')
[[ $pk0 =~ ^[0-9]+$ ]] || t_die "(a) show --json before the probes: no count for the egress default ('$pk0')"
pm_exec "(a) probes" "$script"
pm_expect tcp80 reach
pm_expect tcp8080 reach

show_run --json "$PM_NAME"
[ "$SH_RC" -eq 0 ] && t_ok "(a) show --json: exit 0" || t_fail "(a) show --json $PM_NAME: exit $SH_RC: $SH_ERR"
jq_check "(a) policy audit-tcp-port-drop, mode audit" '.policy == "audit-tcp-port-drop" and .mode == "audit"'
jq_check "(a) egress.default: drop, not enforced" \
	'.chains.egress.rules[-1] | .source == "egress.default" and .verdict == "drop" and .enforced == false'
jq_check "(a) egress.default counted the audited SYN to port 80 (packets $pk0 + 1)" \
	".chains.egress.rules[-1] | .packets == $pk0 + 1 and .bytes > 0"
jq_check "(a) the allow line (enforced) counted the SYN to 8080" \
	'.chains.egress.rules[] | select(.source == "egress.allow[0] to 198.51.100.2 tcp dport 8080") | .verdict == "accept" and .enforced == true and .packets == 1'
jq_check "(a) the built-ins stay enforced" \
	'[.chains.egress.rules[] | select(.source | startswith("built-in: ")) | .enforced] | length > 0 and all'

show_run "$PM_NAME"
[ "$SH_RC" -eq 0 ] && t_ok "(a) show (text): exit 0" || t_fail "(a) show $PM_NAME: exit $SH_RC: $SH_ERR"
[[ $(head -n1 <<<"$SH_OUT") =~ ^policy\ audit-tcp-port-drop,\ sha256:[0-9a-f]{16},\ mode\ audit ]] &&
	t_ok "(a) text: $(head -n1 <<<"$SH_OUT")" || t_fail "(a) text's first line: $(head -n1 <<<"$SH_OUT")"
grep -Eq "^[[:space:]]+egress\.default[[:space:]]+would drop[[:space:]]+$((pk0 + 1))[[:space:]]+[0-9]+\$" <<<"$SH_OUT" &&
	t_ok "(a) text: egress.default would drop, $((pk0 + 1)) packets" ||
	t_fail "(a) text has no 'egress.default would drop $((pk0 + 1)) BYTES' line:
$SH_OUT"

# (b) control: the same policy enforced blocks port 80
pm_start "${NOV6[@]}" --annotation fw.policy=tcp-port-drop
[ "$PM_RC" -eq 0 ] && [ -n "$PM_PID" ] && t_ok "(b) enforced container, pid $PM_PID" ||
	t_die "(b) podman run -d exit $PM_RC: $PM_ERR"
pm_exec "(b) probes" "$script"
pm_expect tcp80 blocked
pm_expect tcp8080 reach
show_run --json "$PM_NAME"
jq_check "(b) mode enforce, egress.default drop enforced, counted the SYN to 80 (and its retransmissions)" \
	'.mode == "enforce" and (.chains.egress.rules[-1] | .source == "egress.default" and .verdict == "drop" and .enforced == true and .packets >= 1)'
t_finish
