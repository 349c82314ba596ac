#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# differential.sh: for every valid policy, the netlink batch (apply) and the nft text (print | nft -f) build identical rulesets.

. "$(dirname "$0")/../lib/netns.sh"
t_init
t_need_hook

# the learner's queue rules: see nft_queue_missing
filter=cat
nft_queue_missing && filter=queue_as_drop
n=0
for f in "$POLICIES"/*.json "$TEST_POLICIES"/*.json; do
	[ -e "$f" ] || continue
	n=$((n + 1))
	dir=$(dirname "$f")
	name=$(basename "$f" .json)
	tag="$n"
	ns_add "a$tag" NS_A
	ns_add "b$tag" NS_B
	HOOK_DIRS=(--policy-dir "$dir")
	# the runtime's netns has no address but loopback: `host` gets none
	# of the machine's, and print (no container) has none either
	HOOK_RUNTIME_NS=$NS_B

	fake_container "$NS_A"
	make_bundle "$T_DIR/bundle-$tag"
	hook_apply "$(make_state "$FC_PID" "$T_DIR/bundle-$tag" "$name")"
	if [ "$HOOK_RC" -ne 0 ]; then
		t_fail "$name: apply failed, exit $HOOK_RC: $HOOK_ERR"
		continue
	fi
	if ! "$OCI_FW_HOOK" print --policy-dir "$dir" "$name" 2>"$T_DIR/$tag.err" |
		$filter >"$T_DIR/$tag.nft"; then
		t_fail "$name: print failed: $(cat "$T_DIR/$tag.err")"
		continue
	fi
	if ! out=$(ip netns exec "$NS_B" nft -f "$T_DIR/$tag.nft" 2>&1); then
		t_fail "$name: nft -f rejected the printed text: $out
--- printed text:
$(cat "$T_DIR/$tag.nft")"
		continue
	fi
	ip netns exec "$NS_A" nft -s list ruleset 2>/dev/null | $filter >"$T_DIR/$tag.apply"
	ip netns exec "$NS_B" nft -s list ruleset >"$T_DIR/$tag.print" 2>&1
	if ! grep -q '^table inet oci_fw ' "$T_DIR/$tag.apply"; then
		t_fail "$name: no table inet oci_fw after apply:
$(cat "$T_DIR/$tag.apply")"
	elif diff -u --label "apply (netlink batch) $name" --label "print | nft -f $name" \
		"$T_DIR/$tag.apply" "$T_DIR/$tag.print" >"$T_DIR/$tag.diff"; then
		t_ok "$name: identical ($(wc -l <"$T_DIR/$tag.apply") lines)"
	else
		t_fail "$name: the two back ends differ:
$(cat "$T_DIR/$tag.diff")"
	fi
done
[ "$n" -gt 0 ] || t_fail "no policies found in $POLICIES or $TEST_POLICIES"
t_finish
