#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# completion: hook/oci-fw-hook.bash sourced in bash and its function called
# with COMP_WORDS and COMP_CWORD set, as bash would: verbs, options, policy
# names from --policy-dir and from the default directories, paths, lists,
# option values, and podman's containers for show (a stand-in podman).
# Environment (tests/install/meson.build): COMPLETION_SRC POLICIES TEST_POLICIES.
set -u

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ofw-completion.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=/dev/null
. "$COMPLETION_SRC" || exit 1
complete -p oci-fw-hook | grep -q -- '-F _oci_fw_hook' || {
	echo "FAIL: the script does not register _oci_fw_hook for oci-fw-hook"
	exit 1
}

failures=0
# expect "WANT" WORD...: the completions for the last WORD, sorted and on one
# line, must be WANT.
expect() {
	local want=$1 got
	shift
	COMP_WORDS=("$@")
	COMP_CWORD=$(($# - 1))
	COMP_LINE="$*"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	_oci_fw_hook
	got=$(printf '%s\n' "${COMPREPLY[@]}" | sed '/^$/d' | sort | tr '\n' ' ')
	got=${got% }
	if [ "$got" = "$want" ]; then
		echo "ok: $* -> $got"
	else
		echo "FAIL: $*"
		echo "   want: $want"
		echo "   got:  $got"
		failures=$((failures + 1))
	fi
}
names() { # names DIR...: the policy names in DIRs, as the completion should list them
	local d f
	for d in "$@"; do
		for f in "$d"/*.json; do basename "$f" .json; done
	done | sort -u | tr '\n' ' ' | sed 's/ $//'
}

# Verbs, and options per verb.
expect "--help --version apply check doctor print refresh show" oci-fw-hook ""
expect "check" oci-fw-hook ch
expect "--bundle --help --policy-dir" oci-fw-hook print --
expect "--allow-path --allow-unsafe --allowed-policies" oci-fw-hook apply --allow
expect "--json" oci-fw-hook show --j
expect "--help --hooks-dir --json --policy-dir" oci-fw-hook doctor --
expect "$TEST_POLICIES" oci-fw-hook doctor --hooks-dir "$TEST_POLICIES"
expect "" oci-fw-hook check --bun
expect "error info warning" oci-fw-hook apply --log-level ""
expect "none" oci-fw-hook apply --syslog-socket no

# Policy names from --policy-dir, as "--policy-dir DIR" and "--policy-dir=DIR"
# (bash splits the latter at '=').
expect "$(names "$TEST_POLICIES")" oci-fw-hook check --policy-dir "$TEST_POLICIES" ""
expect "sym-dns sym-gateway sym-host sym-host-reject sym-name sym-name-optional" \
	oci-fw-hook check --policy-dir "$TEST_POLICIES" sym-
expect "deny-accept deny-wins denyall" \
	oci-fw-hook print --policy-dir = "$TEST_POLICIES" --policy-dir "$POLICIES" deny
expect "web-egress web-server" oci-fw-hook check --policy-dir "$POLICIES" harmless w
expect "" oci-fw-hook check --policy-dir "$POLICIES" sym-
expect "denyall,no-lan" oci-fw-hook check --policy-dir "$POLICIES" denyall,no
expect "web-egress web-server" oci-fw-hook apply --policy-dir "$POLICIES" --default-policy web
expect "denyall,web-egress denyall,web-server" oci-fw-hook apply --policy-dir "$POLICIES" --allowed-policies denyall,w

# Paths, once the word holds a '/'.
expect "$POLICIES/denyall.json" oci-fw-hook check "$POLICIES/deny"
expect "$TEST_POLICIES" oci-fw-hook print --bundle "$TEST_POLICIES"

# The default directories, the user's own first (HOME comes from the
# environment here: completion runs as the user).
mkdir -p "$tmp/home/.config/oci-fw-hook/policies"
echo '{}' >"$tmp/home/.config/oci-fw-hook/policies/zz-completion-test.json"
HOME=$tmp/home expect "zz-completion-test" oci-fw-hook check zz-completion
HOME=$tmp/home expect "zz-completion-test" oci-fw-hook print --bundle /b zz-co

# show and refresh: podman's running containers (not after --pid); apply: nothing.
mkdir "$tmp/bin"
# shellcheck disable=SC2016 # the stand-in's own "$1 $2 $3"
printf '#!/bin/sh\n[ "$1 $2 $3" = "ps --format {{.Names}}" ] && printf "web\\nweb2\\ndb\\n"\n' >"$tmp/bin/podman"
chmod +x "$tmp/bin/podman"
PATH=$tmp/bin:$PATH expect "web web2" oci-fw-hook show we
PATH=$tmp/bin:$PATH expect "db" oci-fw-hook show --json d
PATH=$tmp/bin:$PATH expect "web web2" oci-fw-hook refresh we
PATH=$tmp/bin:$PATH expect "" oci-fw-hook show --pid ""
expect "--help --json --pid" oci-fw-hook show --
expect "" oci-fw-hook apply ""

[ "$failures" -eq 0 ] || { echo "$failures failures"; exit 1; }
echo "all completions as expected"
