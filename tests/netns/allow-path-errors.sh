#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# allow-path-errors.sh: rootful with --allow-path, a policy named by path that is missing, under a missing directory, under a file, a directory, insecure, not JSON or not a policy fails with the same line (the path aside) and the same exit status: the annotation's author learns neither the content nor whether the file exists; `check` still shows why; a valid file loads.

. "$(dirname "$0")/../lib/netns.sh"
t_init
t_need_hook

fc_single
d="$T_DIR/pol"
mkdir -m 0755 "$d"
cp "$TEST_POLICIES/tcp-port.json" "$d/valid.json"
printf 'root:secret-%s:0:0\n' "$$" >"$d/secret.json"
echo '{"egress": {"default": "dorp"}}' >"$d/invalid.json"
cp "$TEST_POLICIES/tcp-port.json" "$d/insecure.json"
mkdir -m 0755 "$d/dir.json"
chmod 0644 "$d"/*.json
chmod 0666 "$d/insecure.json"

declare -A paths=(
	[missing]="$d/nope.json"
	["missing directory"]="$d/nodir/p.json"
	["under a file"]="$d/secret.json/p.json"
	[directory]="$d/dir.json"
	[insecure]="$d/insecure.json"
	["not JSON"]="$d/secret.json"
	["not a policy"]="$d/invalid.json"
)
want=
for what in "${!paths[@]}"; do
	path=${paths[$what]}
	hook_apply "$(make_state "$FC_PID" "$FC_BUNDLE" "$path")" --allow-path
	check_hook_error "$what" "$HOOK_EXIT_POLICY"
	check_empty "$NS_C" "$what"
	line=${HOOK_ERR//"$path"/PATH}
	[ -n "$want" ] || want=$line
	if [ "$line" = "$want" ]; then
		t_ok "$what: the same line as the others"
	else
		t_fail "$what: another line: '$line', not '$want'"
	fi
	if [[ $HOOK_ERR == *secret-$$* || $HOOK_ERR == *"No such file"* ||
		$HOOK_ERR == *"Not a directory"* || $HOOK_ERR == *dorp* ]]; then
		t_fail "$what: details leak: $HOOK_ERR"
	else
		t_ok "$what: no details"
	fi
done
err_has "uniform line" 'details withheld' 'oci-fw-hook check'

# check, run by whoever may read the file, says what is wrong
out=$("$OCI_FW_HOOK" check "$d/nope.json" 2>&1)
[[ $out == *"No such file"* ]] && t_ok "check: the missing file is named missing" ||
	t_fail "check on a missing file: $out"
out=$("$OCI_FW_HOOK" check "$d/invalid.json" 2>&1)
[[ $out == *dorp* ]] && t_ok "check: the invalid value is named" ||
	t_fail "check on an invalid policy: $out"

hook_apply "$(make_state "$FC_PID" "$FC_BUNDLE" "$d/valid.json")" --allow-path
check_hook_ok "control: a valid policy by path"
ns_has_table "$NS_C" && t_ok "control: loaded" || t_fail "control: no table"
t_finish
