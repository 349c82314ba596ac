#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tr-hundred.sh: 100 containers, each in its own netns, each with a policy of 10,000 addresses, firewalled by 100 applies released at the same moment: each runs under the 5 s timeout of the shipped hooks.d, and each netns ends with all of its firewall (an apply that exits 0: its chain, and all 10,000 addresses where sampled) or, where the timeout killed the apply (the runtime then refuses the container), all or none of it. Logs the wall time and the peak RSS of one apply.

. "$(dirname "$0")/../lib/netns.sh"
t_init
t_need_hook

N=100
# 10,000 IPv4 hosts four apart in 10/8 (no two merge into one interval)
pol="$T_DIR/pol"
mkdir -m 0755 "$pol"
python3 - "$pol/big.json" "$S4" <<'PY'
import json, sys
big = ["10.%d.%d.%d" % (i >> 14 & 255, i >> 6 & 255, (i & 63) * 4) for i in range(10000)]
doc = {"description": "test: 10,000 addresses", "sets": {"big": big},
       "egress": {"default": "reject", "deny": [{"to": ["@big"]}],
                  "allow": [{"to": [sys.argv[2]], "proto": "tcp", "ports": [8100]}]}}
json.dump(doc, open(sys.argv[1], "w"))
PY
chmod 0644 "$pol/big.json"
HOOK_DIRS=(--policy-dir "$pol")
# the timeout of the shipped hooks.d: a slower apply is killed, and the
# runtime refuses its container
HOOK_TMO=5

# The hook runs under /usr/bin/time, which writes its peak RSS (KiB) and
# wall seconds into the bundle, the hook's cwd.
wrap="$T_DIR/timed-hook"
printf '#!/bin/sh\nexec /usr/bin/time -f "%%M %%e %%U %%S" -o "$PWD/time" "%s" "$@"\n' "$OCI_FW_HOOK" >"$wrap"
chmod 0755 "$wrap"

NS=()
states=()
for i in $(seq 1 $N); do
	ns_add "$i" NS_I
	NS[i]=$NS_I
	fc_new "$NS_I"
	make_state "$FC_PID" "$FC_BUNDLE" big >"$T_DIR/state-$i"
	states+=("$T_DIR/state-$i")
	BUNDLE[i]=$FC_BUNDLE
done
t0=$EPOCHREALTIME
OCI_FW_HOOK=$wrap hook_parallel "${states[@]}"
wall=$(((${EPOCHREALTIME/./} - ${t0/./}) / 1000))

# full NS: the table holds the whole policy (its egress chain, 10,000
# addresses, all /32: the set big_v4.32; the policy has no ingress);
# FULL_WHY says what is missing
full() {
	local n
	FULL_WHY=
	for c in egress; do
		ns_nft "$1" list chain inet oci_fw $c >/dev/null 2>"$T_DIR/full.err" ||
			FULL_WHY+="no $c chain ($(<"$T_DIR/full.err")); "
	done
	n=$(ns_nft "$1" list set inet oci_fw big_v4.32 2>"$T_DIR/full.err" | grep -o '10\.[0-9.]*' | wc -l)
	[ "$n" = 10000 ] || FULL_WHY+="$n addresses ($(<"$T_DIR/full.err")); "
	[ -z "$FULL_WHY" ]
}
refused=0
for i in $(seq 1 $N); do
	rc=$(<"$T_DIR/state-$i.rc")
	if [ "$rc" = 0 ]; then
		# every one has its chains; three are checked element by element
		if [ "$i" = 1 ] || [ "$i" = 50 ] || [ "$i" = $N ]; then
			full "${NS[i]}" && t_ok "$i: exit 0, the whole firewall" || t_fail "$i: exit 0 but not the whole firewall: $FULL_WHY"
		else
			ns_nft "${NS[i]}" list chain inet oci_fw egress >/dev/null 2>&1 && t_ok "$i: exit 0, its chain" ||
				t_fail "$i: exit 0 but no egress chain in ${NS[i]}"
		fi
	else
		# killed at the timeout: the runtime refuses the container; its
		# netns holds all of the firewall or none of it
		refused=$((refused + 1))
		if ns_ruleset_empty "${NS[i]}" || full "${NS[i]}"; then t_ok "$i: exit $rc, all or nothing"; else
			t_fail "$i: exit $rc and a partial firewall: $FULL_WHY"
		fi
	fi
done
read -r max_rss max_s cpu < <(cat "${BUNDLE[@]/%//time}" 2>/dev/null |
	awk '$1 > r { r = $1 } $2 > s { s = $2 } { c += $3 + $4; n++ } END { printf "%d %.2f %.0f\n", r, s, n ? c * 1000 / n : 0 }')
t_log "$N applies of 10,000 addresses released together, each bounded by ${HOOK_TMO} s: all ended after $wall ms; $refused killed at the timeout; slowest ${max_s} s; CPU ${cpu} ms per apply (user+sys, mean); peak RSS of one apply $max_rss KiB"
t_finish
