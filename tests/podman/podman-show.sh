#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# podman-show.sh: `oci-fw-hook show [--json] CONTAINER` of running podman containers, by name and by PID: the rule that blocked a connection counts its packets (the denyall egress default, the tcp-port allow line), the policy name and sha256 are the ones in the loaded table's comment; a container without a firewall and an unknown name exit 1 with one clear line.

. "$(dirname "$0")/../lib/podman.sh"
pm_init
pm_server

# Without IPv6 in the container its link sends nothing by itself (no MLD
# reports, no router solicitations, which the egress default would count)
# once it runs; an MLD report may still leave between the hook and runc's
# sysctl, so the counts checked are the differences over the test's own
# traffic.
NOV6=(--sysctl net.ipv6.conf.all.disable_ipv6=1)

# (a) denyall: the blocked connection is counted by the egress default
pm_start "${NOV6[@]}" --annotation fw.policy=denyall
[ "$PM_RC" -eq 0 ] && [ -n "$PM_PID" ] && t_ok "(a) denyall container, pid $PM_PID" ||
	t_die "(a) podman run -d exit $PM_RC: $PM_ERR"
deny_name=$PM_NAME deny_pid=$PM_PID
show_json "(a) before" "$deny_name"
jq_check "(a) before any traffic: the last egress line is egress.default" \
	'.chains.egress.rules[-1].source == "egress.default"'
pk0=$(jq '.chains.egress.rules[-1].packets' <<<"$SH_OUT")
pm_exec "(a) nc to $S4:80" "$(pm_tcp_probe tcp80 "$S4" 80)"
pm_expect tcp80 blocked

for arg in "$deny_name" "--pid=$deny_pid"; do
	show_json "(a)" "$arg"
	jq_check "(a) $arg: policy denyall, mode enforce" '.policy == "denyall" and .mode == "enforce" and .default == false'
	jq_check "(a) $arg: the egress chain ends with egress.default" '.chains.egress.rules[-1].source == "egress.default"'
	jq_check "(a) $arg: egress.default rejects, enforced" '.chains.egress.rules[-1] | .verdict == "reject" and .enforced == true'
	jq_check "(a) $arg: egress.default counted the blocked connection: its one SYN (packets $pk0 + 1, bytes > 0)" \
		".chains.egress.rules[-1] | .packets == $pk0 + 1 and .bytes > 0"
	jq_check "(a) $arg: egress.default is the only line that is not built-in" \
		'[.chains.egress.rules[].source | select(startswith("built-in: ") | not)] == ["egress.default"]'
	jq_check "(a) $arg: ingress ends with ingress.default, drop" \
		'.chains.ingress.rules[-1] | .source == "ingress.default" and .verdict == "drop" and .enforced == true'
	jq_check "(a) $arg: sha256 is 16 hex digits" '.sha256 | test("^[0-9a-f]{16}$")'
done
deny_json=$SH_OUT

# the text form: the name, and the sha256 of the table's comment
table=$(nsenter -t "$deny_pid" -n nft list table inet oci_fw 2>&1)
nft_sha=$(sed -n 's/^[[:space:]]*comment "denyall sha256:\([0-9a-f]\{16\}\) from:.*/\1/p' <<<"$table")
[ -n "$nft_sha" ] && t_ok "(a) nft list: the table comment names denyall, sha256 $nft_sha" ||
	t_fail "(a) no 'comment \"denyall sha256:...\"' in the container's table: $table"
nft_from=$(sed -n 's/^[[:space:]]*comment "denyall sha256:[0-9a-f]\{16\} from:\([0-9a-f]\{16\}\)".*/\1/p' <<<"$table")
[ -n "$nft_from" ] && [ "$(jq -r .from <<<"$deny_json")" = "$nft_from" ] && t_ok "(a) JSON from = the table's ($nft_from)" ||
	t_fail "(a) JSON from $(jq -r .from <<<"$deny_json") differs from the table's '$nft_from'"
show_run "$deny_name"
[ "$SH_RC" -eq 0 ] && t_ok "(a) show $deny_name (text): exit 0" || t_fail "(a) show $deny_name: exit $SH_RC: $SH_ERR"
first=$(head -n1 <<<"$SH_OUT")
[[ $first == "policy denyall, sha256:$nft_sha, mode enforce" ]] && t_ok "(a) text: $first" ||
	t_fail "(a) text's first line is '$first', expected 'policy denyall, sha256:$nft_sha, mode enforce'"
[ "$(jq -r .sha256 <<<"$deny_json")" = "$nft_sha" ] && t_ok "(a) JSON sha256 = the table's" ||
	t_fail "(a) JSON sha256 $(jq -r .sha256 <<<"$deny_json") differs from the table's $nft_sha"
# the egress default line: its packets as in the JSON (nothing passed since)
want_pk=$(jq '.chains.egress.rules[-1].packets' <<<"$deny_json")
line=$(grep -E '^[[:space:]]+egress\.default[[:space:]]' <<<"$SH_OUT")
if [[ $line =~ ^[[:space:]]+egress\.default[[:space:]]+reject[[:space:]]+([0-9]+)[[:space:]]+([0-9]+)$ ]] &&
	[ "${BASH_REMATCH[1]}" = "$want_pk" ]; then
	t_ok "(a) text: '$line'"
else
	t_fail "(a) text has no 'egress.default reject $want_pk BYTES' line: '$line'; all of it:
$SH_OUT"
fi
# the default is the last line of the egress block, built-ins before it
egress_block=$(awk '/^egress /{f=1; next} /^$/{f=0} f' <<<"$SH_OUT")
last=$(tail -n1 <<<"$egress_block")
[[ $last =~ ^[[:space:]]+egress\.default[[:space:]] ]] && grep -q 'built-in: ' <<<"$egress_block" &&
	t_ok "(a) text: the egress block lists built-ins and ends with the default" ||
	t_fail "(a) text: the egress block does not end with egress.default after built-ins:
$egress_block"

# (b) tcp-port: the allow line counts the connection to 8080
pm_start "${NOV6[@]}" --annotation fw.policy=tcp-port
[ "$PM_RC" -eq 0 ] && [ -n "$PM_PID" ] && t_ok "(b) tcp-port container, pid $PM_PID" ||
	t_die "(b) podman run -d exit $PM_RC: $PM_ERR"
show_json "(b) before" "$PM_NAME"
jq_check "(b) before any traffic: the allow line has counted nothing" \
	'[.chains.egress.rules[] | select(.source | startswith("egress.allow[0]"))] | length == 1 and .[0].packets == 0'
pk0=$(jq '.chains.egress.rules[-1].packets' <<<"$SH_OUT")
pm_exec "(b) nc to $S4:8080" "$(pm_tcp_probe tcp8080 "$S4" 8080)"
pm_expect tcp8080 reach
show_json "(b)" "$PM_NAME"
jq_check "(b) policy tcp-port" '.policy == "tcp-port"'
jq_check "(b) the allow line: egress.allow[0] to $S4 tcp dport 8080, accept" \
	'[.chains.egress.rules[] | select(.source == "egress.allow[0] to 198.51.100.2 tcp dport 8080")] | length == 1 and .[0].verdict == "accept" and .[0].enforced == true'
jq_check "(b) the allow line counted the SYN (packets = 1: the rest is established)" \
	'.chains.egress.rules[] | select(.source | startswith("egress.allow[0]")) | .packets == 1 and .bytes > 0'
jq_check "(b) the egress default counted nothing more ($pk0)" \
	".chains.egress.rules[-1] | .source == \"egress.default\" and .packets == $pk0"
jq_check "(b) the established connection counted by built-in: ct state established,related" \
	'.chains.egress.rules[] | select(.source == "built-in: ct state established,related") | .packets > 0'

# (c) a container without fw.policy: no table, exit 1, one line
pm_start
[ "$PM_RC" -eq 0 ] && [ -n "$PM_PID" ] && t_ok "(c) container without fw.policy, pid $PM_PID" ||
	t_die "(c) podman run -d exit $PM_RC: $PM_ERR"
show_run "$PM_NAME"
[ "$SH_RC" -eq 1 ] && t_ok "(c) show: exit 1" || t_fail "(c) show of a container without a firewall: exit $SH_RC, stdout: $SH_OUT"
[ -z "$SH_OUT" ] && t_ok "(c) nothing on stdout" || t_fail "(c) stdout: $SH_OUT"
if [ "$(grep -c . <<<"$SH_ERR")" = 1 ] && [[ $SH_ERR == oci-fw-hook:* ]] &&
	grep -q 'holds no table inet oci_fw: it runs without a firewall' <<<"$SH_ERR"; then
	t_ok "(c) $SH_ERR"
else
	t_fail "(c) expected one 'oci-fw-hook: ...holds no table inet oci_fw: it runs without a firewall' line, got: $SH_ERR"
fi
show_run --json --pid "$PM_PID"
[ "$SH_RC" -eq 1 ] && grep -q 'holds no table inet oci_fw' <<<"$SH_ERR" && [ -z "$SH_OUT" ] &&
	t_ok "(c) show --json PID: exit 1, the same line" ||
	t_fail "(c) show --json $PM_PID: exit $SH_RC, stdout: $SH_OUT, stderr: $SH_ERR"

# (d) no such container
show_run no-such-container-XYZ
[ "$SH_RC" -eq 1 ] && t_ok "(d) show no-such-container-XYZ: exit 1" || t_fail "(d) show no-such-container-XYZ: exit $SH_RC, stdout: $SH_OUT"
if [ "$(grep -c . <<<"$SH_ERR")" = 1 ] && grep -qi 'no-such-container-XYZ.*no such container' <<<"$SH_ERR"; then
	t_ok "(d) $SH_ERR"
else
	t_fail "(d) expected one line naming no-such-container-XYZ and 'no such container', got: $SH_ERR"
fi
t_finish
