#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# unsafe-caps.sh: a container holding a capability that undoes the firewall or leaves the sandbox (NET_ADMIN, NET_RAW, SYS_ADMIN, SYS_MODULE, SYS_RAWIO, SYS_BOOT, BPF, SYS_PTRACE, DAC_READ_SEARCH) in any capability set is refused with one line naming each capability, the fix and fw.unsafe, unless fw.unsafe accepts exactly those; then its firewall loads and blocks. Unknown fw.unsafe names and missing or invalid config.json are refused.

. "$(dirname "$0")/../lib/netns.sh"
t_init
t_need_hook

topo_tcp 8080 8081
policy=tcp-port
fake_container "$NS_C"

# refused WHAT UNSAFE ERE... -- WORD...: a container made with make_bundle
# WORDs, fw.policy=tcp-port and fw.unsafe=UNSAFE (none when empty) is refused
# with exit status $WANT (the unsafe class unless set), an error matching
# every ERE, and nothing is loaded.
WANT=$HOOK_EXIT_UNSAFE
refused() {
	local what=$1 unsafe=$2 res=()
	shift 2
	while [ "$1" != -- ]; do res+=("$1"); shift; done
	shift
	fc_bundle "$@"
	hook_apply "$(make_state "$FC_PID" "$FC_BUNDLE" "$policy" ${unsafe:+"fw.unsafe=$unsafe"})"
	check_hook_error "$what" "$WANT"
	[ "${#res[@]}" -gt 0 ] && err_has "$what" "${res[@]}"
	check_empty "$NS_C" "$what"
}

# accepted WHAT UNSAFE WORD...: the same container loads its firewall.
accepted() {
	local what=$1 unsafe=$2
	shift 2
	fc_bundle "$@"
	hook_apply "$(make_state "$FC_PID" "$FC_BUNDLE" "$policy" ${unsafe:+"fw.unsafe=$unsafe"})"
	check_hook_ok "$what"
	if ns_has_table "$NS_C"; then t_ok "$what: the table is loaded"; else
		t_fail "$what: exit $HOOK_RC but no table inet oci_fw"
	fi
}

# One risky capability, in all five sets: the line names it, the fix and
# the annotation that would accept it.
RISKY=(NET_ADMIN NET_RAW SYS_ADMIN SYS_MODULE SYS_RAWIO SYS_BOOT BPF SYS_PTRACE DAC_READ_SEARCH)
for cap in "${RISKY[@]}"; do
	refused "CAP_$cap" "" "$cap" "--cap-drop[= ]+(CAP_)?$cap" 'fw\.unsafe' -- "CAP_$cap"
done
# ... in one set only: each set counts.
refused "CAP_NET_RAW in bounding only" "" NET_RAW -- bounding:CAP_NET_RAW
refused "CAP_NET_ADMIN in effective only" "" NET_ADMIN -- effective:CAP_NET_ADMIN
refused "CAP_SYS_ADMIN in inheritable only" "" SYS_ADMIN -- inheritable:CAP_SYS_ADMIN
refused "CAP_NET_RAW in permitted only" "" NET_RAW -- permitted:CAP_NET_RAW
refused "CAP_NET_ADMIN in ambient only" "" NET_ADMIN -- ambient:CAP_NET_ADMIN
# All three: each is named.
refused "all three" "" NET_ADMIN SYS_ADMIN NET_RAW '--cap-drop' 'fw\.unsafe' -- \
	CAP_NET_ADMIN CAP_SYS_ADMIN CAP_NET_RAW
# Every risk at once (--privileged): each is named, and the one line
# still ends with the annotation that would accept them all.
every=$(printf 'CAP_%s,' "${RISKY[@]}")
every=${every%,}
refused "every risk" "" "${RISKY[@]}" "fw\\.unsafe=$every\$" -- "${RISKY[@]/#/CAP_}"
# Each new risk, accepted alone, leaves the others refused.
refused "SYS_MODULE accepted, DAC_READ_SEARCH not" CAP_SYS_MODULE DAC_READ_SEARCH -- \
	CAP_SYS_MODULE CAP_DAC_READ_SEARCH
# Capabilities that are no risk: PERFMON alone reads, MKNOD's devices stay
# behind the device cgroup, the others act inside the container.
accepted "PERFMON, MKNOD, SYS_TIME, MAC_ADMIN, SYSLOG" "" CAP_PERFMON CAP_MKNOD \
	CAP_SYS_TIME CAP_MAC_ADMIN CAP_SYSLOG
ns_nft "$NS_C" flush ruleset
# fw.unsafe accepts only what it names.
refused "NET_RAW accepted, NET_ADMIN not" CAP_NET_RAW NET_ADMIN -- CAP_NET_RAW CAP_NET_ADMIN
refused "NET_ADMIN accepted, SYS_ADMIN in bounding not" CAP_NET_ADMIN SYS_ADMIN -- \
	CAP_NET_ADMIN bounding:CAP_SYS_ADMIN

# Unknown names in fw.unsafe are errors, whatever the container holds:
# the annotation's fault.
WANT=$HOOK_EXIT_ANNOTATION
for unsafe in CAP_FOO NET_RAW cap_net_raw CAP_NET_RAW,CAP_FOO CAP_NET_RAWX; do
	refused "fw.unsafe=$unsafe" "$unsafe" 'fw\.unsafe' --
	refused "fw.unsafe=$unsafe, with CAP_NET_RAW" "$unsafe" 'fw\.unsafe' -- CAP_NET_RAW
done
WANT=$HOOK_EXIT_UNSAFE

# config.json missing, unreadable or invalid: refused, the line names it.
bad_config() { # bad_config WHAT: FC_BUNDLE's config.json has been spoilt
	hook_apply "$(make_state "$FC_PID" "$FC_BUNDLE" "$policy")"
	check_hook_error "$1" "$HOOK_EXIT_STATE"
	err_has "$1" 'config\.json'
	check_empty "$NS_C" "$1"
}
fc_bundle; rm "$FC_BUNDLE/config.json"; bad_config "no config.json"
fc_bundle; : >"$FC_BUNDLE/config.json"; bad_config "empty config.json"
fc_bundle; echo '{"process": {' >"$FC_BUNDLE/config.json"; bad_config "truncated config.json"
fc_bundle; rm "$FC_BUNDLE/config.json"; mkdir "$FC_BUNDLE/config.json"; bad_config "config.json is a directory"
fc_bundle; rm "$FC_BUNDLE/config.json"; ln -s /nonexistent "$FC_BUNDLE/config.json"; bad_config "config.json dangling symlink"
fc_bundle; echo '[]' >"$FC_BUNDLE/config.json"; bad_config "config.json is an array"
# a capability list of the wrong type must not read as "no capabilities"
fc_bundle
jq -c '.process.capabilities.bounding = "CAP_NET_ADMIN"' "$FC_BUNDLE/config.json" >"$T_DIR/c" &&
	mv "$T_DIR/c" "$FC_BUNDLE/config.json"
bad_config "capabilities.bounding is a string"
fc_bundle
jq -c '.process.capabilities.effective = [7]' "$FC_BUNDLE/config.json" >"$T_DIR/c" &&
	mv "$T_DIR/c" "$FC_BUNDLE/config.json"
bad_config "capabilities.effective holds a number"
fc_bundle
jq -c '.linux.namespaces = {"type": "network"}' "$FC_BUNDLE/config.json" >"$T_DIR/c" &&
	mv "$T_DIR/c" "$FC_BUNDLE/config.json"
bad_config "linux.namespaces is an object"

# Accepted: default capabilities, none at all, a risk accepted by name (then
# the firewall is loaded and enforced), and fw.unsafe naming a capability
# the container does not hold.
accepted "default capabilities" ""
ns_nft "$NS_C" flush ruleset
accepted "no capabilities" "" nocaps
ns_nft "$NS_C" flush ruleset
accepted "fw.unsafe=CAP_NET_ADMIN without the capability" CAP_NET_ADMIN
ns_nft "$NS_C" flush ruleset
accepted "all three accepted" CAP_NET_RAW,CAP_NET_ADMIN,CAP_SYS_ADMIN CAP_NET_ADMIN CAP_SYS_ADMIN CAP_NET_RAW
ns_nft "$NS_C" flush ruleset
for cap in SYS_MODULE SYS_RAWIO SYS_BOOT BPF SYS_PTRACE DAC_READ_SEARCH; do
	accepted "CAP_$cap accepted by fw.unsafe" "CAP_$cap" "CAP_$cap"
	ns_nft "$NS_C" flush ruleset
done
accepted "every risk accepted" "$every" "${RISKY[@]/#/CAP_}"
ns_nft "$NS_C" flush ruleset
accepted "CAP_NET_RAW accepted by fw.unsafe" CAP_NET_RAW CAP_NET_RAW
check_probes policy "
reach   tcp NS_C $S4 8080
blocked tcp NS_C $S4 8081
"
t_finish
