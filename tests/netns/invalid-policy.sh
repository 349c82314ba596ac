#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# invalid-policy.sh: hostile policies — every file in tests/policies/invalid/ plus generated ones (20 MB of whitespace, 5000 deep, over the size limit, symlinks to /etc/shadow, /dev/zero or nowhere, a directory, a FIFO) — are refused by check with exit 1 and by apply with exit 12 (11 for a link to nowhere: no policy) and one line naming the file (and the field), without leaking the file's content, hanging, or loading anything.

. "$(dirname "$0")/../lib/netns.sh"
t_init
t_need_hook

fc_single
inv="$TEST_POLICIES/invalid"
gen="$T_DIR/gen"
mkdir -m 0755 "$gen"
HOOK_TMO=10 # a FIFO or /dev/zero must not make the hook wait or read forever

# What the error must say besides the file's name: NAME ERE (case-insensitive).
declare -A want=(
	[unknown-key]='did you mean' [key-typo-rule]='did you mean "?proto' [key-typo-top]='did you mean "?egress'
	[duplicate-key]='duplicate' [duplicate-top-key]='duplicate' [duplicate-rule-key]='duplicate.*proto|proto.*duplicate'
	[bad-cidr]='egress\.allow\[0\]\.to\[0\]' [bad-cidr6]='egress\.allow\[0\]\.to\[0\]' [bad-ipv4]='to\[0\]'
	[bad-port]='ports\[0\]' [negative-port]='ports\[0\]' [huge-number]='ports\[0\]' [huge-exponent]='ports\[0\]'
	[float-port]='ports\[0\]' [huge-range]='ports\[0\]' [reversed-range]='ports\[0\]'
	[empty-ports]='allow\[0\]\.ports' [empty-to]='allow\[0\]\.to' [ports-not-list]='ports'
	[to-not-list]='allow\[0\]\.to' [to-in-ingress]='ingress\.allow\[0\]\.to' [from-in-egress]='egress\.allow\[0\]\.from'
	[rule-no-field]='allow\[0\]' [ports-with-icmp]='ports' [bad-proto]='proto'
	[self-ref-set]='sets\.a' [set-cycle]='sets\.[ab]' [undefined-set]='@nope'
	[nul-byte]='NUL' [nul-in-string]='NUL' [nul-escape]='NUL|\\u0000' [bom]='BOM|byte order mark'
	[invalid-utf8]='UTF-?8' [top-null]='object' [top-array]='object' [egress-is-list]='egress'
	[direction-null]='ingress' [default-bool]='default' [bad-default]='default'
	[deep-arrays]='deep|depth|nest' [deep-objects]='deep|depth|nest'
	[over-limit]='limit|too (large|big)|exceeds|MiB'
)

# --- generated hostile files ----------------------------------------------------
# 20 MB of whitespace and nothing else
head -c 20000000 /dev/zero | tr '\0' ' ' >"$gen/whitespace-20mb.json"
# nesting 5000 deep, in a place where a list is expected, and as objects
{
	printf '{"egress": {"default": "reject", "allow": '
	printf '[%.0s' $(seq 1 5000)
	printf ']%.0s' $(seq 1 5000)
	printf '}}\n'
} >"$gen/deep-arrays.json"
{
	printf '{"a":%.0s' $(seq 1 5000)
	printf '1'
	printf '}%.0s' $(seq 1 5000)
} >"$gen/deep-objects.json"
# one byte over 64 MiB: valid JSON but for its size
{
	printf '{"description": "'
	head -c $((64 * 1024 * 1024)) /dev/zero | tr '\0' a
	printf '", "egress": {"default": "reject"}}\n'
} >"$gen/over-limit.json"
# links to what nobody should read through a policy, or cannot be read
ln -s /etc/shadow "$gen/shadow.json"
mkdir -m 0700 "$T_DIR/secret"
secret="TOPSECRET-$$-$RANDOM"
printf 'root:$6$%s$hash:19000:0:99999:7:::\n' "$secret" >"$T_DIR/secret/shadow"
chmod 0600 "$T_DIR/secret/shadow"
ln -s "$T_DIR/secret/shadow" "$gen/secret.json"
ln -s /dev/zero "$gen/zero.json"
ln -s /nonexistent-$$ "$gen/dangling.json"
ln -s loop.json "$gen/loop.json"
mkdir "$gen/directory.json"
mkfifo "$gen/fifo.json"
# a FIFO with a writer that never writes: an open without O_NONBLOCK would
# then succeed, and a blocking read would wait for ever
mkfifo "$gen/fifo-writer.json"
sleep 300 >"$gen/fifo-writer.json" &
t_track_pid $!

# Secrets that must never reach the error line: the made-up one, and every
# line and every long field of /etc/shadow.
mapfile -t secrets < <(echo "$secret"; grep -v '^$' /etc/shadow
	tr ':' '\n' </etc/shadow | grep -E '.{8,}' | grep -Ev '^[0-9]+$')
leaks() { # leaks TEXT: sets LEAK to the first secret TEXT holds, or ""
	local t
	LEAK=
	for t in "${secrets[@]}"; do
		[[ $1 == *"$t"* ]] && { LEAK=$t; return; }
	done
}

# --- each file: check by path, apply by name --------------------------------------
n=0
for f in "$inv"/*.json "$gen"/*.json; do
	name=${f##*/}
	name=${name%.json}
	n=$((n + 1))
	t0=$EPOCHREALTIME
	out=$(timeout -k 2 "$HOOK_TMO" "$OCI_FW_HOOK" check "$f" 2>&1)
	rc=$?
	if [ "$rc" -eq 1 ]; then t_ok "check $name: exit 1: $out"; else
		t_fail "check $name: expected exit 1, got $rc${out:+: $out}"
	fi
	hook_apply "$(make_state "$FC_PID" "$FC_BUNDLE" "$name")" --policy-dir "${f%/*}"
	# a link to nowhere is no policy: the name's fault, as for a missing one
	case $name in
	dangling | loop) check_hook_error "apply $name" "$HOOK_EXIT_ANNOTATION" ;;
	*) check_hook_error "apply $name" "$HOOK_EXIT_POLICY" ;;
	esac
	err_has "apply $name" "$name(\.json)?" ${want[$name]:+"${want[$name]}"}
	check_empty "$NS_C" "apply $name"
	for e in "$out" "$HOOK_ERR"; do
		leaks "$e"
		[ -z "$LEAK" ] || t_fail "$name: the error shows what it read: $LEAK"
		# a symlinked policy is named as given, never by its target
		if [ -L "$f" ] && target=$(readlink "$f") && [[ $target == /* ]] && [[ $e == *"$target"* ]]; then
			t_fail "$name: the error names the link's target $target: $e"
		fi
	done
	[ -n "${T_VERBOSE:-}" ] && t_log "$name: $(( (${EPOCHREALTIME/./} - ${t0/./}) / 1000 )) ms"
done
[ "$n" -ge 50 ] && t_ok "$n hostile policies" || t_fail "only $n hostile policies (want at least 50)"
t_finish
