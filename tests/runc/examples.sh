#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# examples.sh: policies/examples stays usable. Every Annotation=fw.policy=
# value in the quadlet examples is a policy name the hook accepts or, after
# systemd's %h expansion, an absolute path to an example that
# `oci-fw-hook check` passes; the enforced hooks.d example is valid JSON for
# the createRuntime stage whose policies exist among the shipped ones.

. "$(dirname "$0")/../lib/netns.sh"
t_init
t_need_hook

EX="$T_REPO_DIR/policies/examples"
NAME_RE='^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$'
HOME_X=/home/ofw-example   # what %h stands for here
PD="$T_DIR/pd"
mkdir -p "$PD"

shopt -s nullglob
units=("$EX"/*.container)
[ "${#units[@]}" -ge 3 ] && t_ok "${#units[@]} quadlet examples" ||
	t_fail "expected at least 3 .container examples in $EX, found ${#units[@]}"

n=0
for unit in "${units[@]}"; do
	u=$(basename "$unit")
	grep -q '^\[Container\]' "$unit" && t_ok "$u: has [Container]" || t_fail "$u: no [Container] section"
	while IFS= read -r v; do
		n=$((n + 1))
		x=${v//%h/$HOME_X}
		if [[ $x == /* ]]; then
			base=$(basename "$x")
			[[ $x == "$HOME_X"/* ]] && t_ok "$u: $v is under the user's home" ||
				t_fail "$u: $v: a rootless path should be under %h"
			[[ $x != *..* && $x == *.json ]] && t_ok "$u: $v: a plain .json path" ||
				t_fail "$u: $v: not a plain .json path"
			if [ -f "$EX/$base" ]; then
				if out=$("$OCI_FW_HOOK" check "$EX/$base" 2>&1); then t_ok "$u: check $base: $out"; else
					t_fail "$u: oci-fw-hook check $EX/$base: $out"
				fi
			else
				t_fail "$u: names $base, which policies/examples does not hold"
			fi
		elif [[ $x =~ $NAME_RE ]]; then
			t_ok "$u: $v matches the name rule"
			# the hook itself agrees that it is a name
			cp "$POLICIES/denyall.json" "$PD/$x.json"
			if out=$("$OCI_FW_HOOK" check --policy-dir "$PD" "$x" 2>&1); then t_ok "$u: hook accepts the name $x"; else
				t_fail "$u: oci-fw-hook check --policy-dir DIR $x: $out"
			fi
		else
			t_fail "$u: fw.policy=$v is neither a policy name nor an absolute path"
		fi
	done < <(sed -n 's/^Annotation=fw\.policy=//p' "$unit")
done
[ "$n" -ge 3 ] && t_ok "$n fw.policy annotations checked" || t_fail "only $n fw.policy annotations found"

# The shipped policy web.container names must exist.
if out=$("$OCI_FW_HOOK" check --policy-dir "$POLICIES" web-egress 2>&1); then t_ok "web-egress is shipped"; else
	t_fail "web.container names web-egress: $out"
fi

# The enforced hooks.d example.
J="$EX/oci-fw-hook-enforced.json"
if jq -e . "$J" >/dev/null 2>&1; then t_ok "enforced: valid JSON"; else t_die "$J is not valid JSON"; fi
# the same form as the shipped hooks.d/oci-fw-hook.json.in
jcheck() { # jcheck DESCRIPTION JQ-EXPRESSION
	if jq -e "$2" "$J" >/dev/null; then t_ok "enforced: $1"; else t_fail "enforced: $1 ($2 is false)"; fi
}
jcheck "version 1.0.0" '.version == "1.0.0"'
jcheck "stage createRuntime only" '.stages == ["createRuntime"]'
jcheck "runs for every container" '.when == {"always": true}'
jcheck "an absolute hook path" '.hook.path | startswith("/") and endswith("/oci/hooks.d/oci-fw-hook")'
jcheck "args start oci-fw-hook apply" '.hook.args[0:2] == ["oci-fw-hook", "apply"]'
jcheck "a timeout" '.hook.timeout | type == "number" and . > 0'
jcheck "no --allow-path" '.hook.args | index("--allow-path") == null'
jcheck "no --allow-unsafe" '.hook.args | index("--allow-unsafe") == null'
jcheck "keys as in hooks.d" 'keys == ["hook", "stages", "version", "when"]'
shipped="$T_REPO_DIR/hooks.d/oci-fw-hook.json.in"
if [ -f "$shipped" ]; then
	a=$(jq -c '{version, when, stages}' "$J")
	b=$(sed 's/@HOOK_PATH@/x/' "$shipped" | jq -c '{version, when, stages}')
	[ "$a" = "$b" ] && t_ok "enforced: version, when and stages as in the shipped file" ||
		t_fail "enforced: $a differs from the shipped $b"
fi
def=$(jq -r '.hook.args as $a | ($a | index("--default-policy")) as $i | if $i then $a[$i+1] else empty end' "$J")
allowed=$(jq -r '.hook.args as $a | ($a | index("--allowed-policies")) as $i | if $i then $a[$i+1] else empty end' "$J")
[ "$def" = denyall ] && t_ok "enforced: --default-policy denyall" || t_fail "enforced: --default-policy is '$def'"
[ "$allowed" = web-egress,dns-only,no-lan ] && t_ok "enforced: --allowed-policies $allowed" ||
	t_fail "enforced: --allowed-policies is '$allowed'"
IFS=, read -ra names <<<"$def,$allowed"
for p in "${names[@]}"; do
	if out=$("$OCI_FW_HOOK" check --policy-dir "$POLICIES" "$p" 2>&1); then t_ok "enforced: $p is shipped"; else
		t_fail "enforced: $p: $out"
	fi
done
t_finish
