#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# install: `meson install` of the current build into a scratch DESTDIR, then
# every installed file: the binary and its symlink, the hooks.d JSON and
# the enforced example, the policies and their schema, the man pages, the bash completion; and the
# binary's --version and --help.
# Environment (tests/install/meson.build): MESON BUILD_DIR VERSION PREFIX
# HOOK_PATH BINDIR DATADIR MANDIR POLICY_DIR POLICIES SCHEMA_SRC
# COMPLETION_SRC SCDOC_FOUND.
# "A && ok || fail" below: ok only echoes, so fail runs exactly when A fails.
# shellcheck disable=SC2015
set -u

failures=0
fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}
ok() { echo "ok: $*"; }

dest=$(mktemp -d "${TMPDIR:-/tmp}/ofw-install.XXXXXX") || exit 1
trap 'rm -rf "$dest"' EXIT

echo "# $MESON install -C $BUILD_DIR --destdir $dest --no-rebuild"
if ! "$MESON" install -C "$BUILD_DIR" --destdir "$dest" --no-rebuild >"$dest.log" 2>&1; then
	cat "$dest.log"
	rm -f "$dest.log"
	echo "FAIL: meson install"
	exit 1
fi
rm -f "$dest.log"

echo "# installed tree (prefix $PREFIX)"
(cd "$dest" && find . | sort)

# 1. The binary, and the symlink to it.
hook=$dest$HOOK_PATH
if [ -f "$hook" ] && [ -x "$hook" ]; then
	ok "binary $HOOK_PATH"
else
	fail "no executable $HOOK_PATH; nothing else can be checked"
	exit 1
fi
got=$("$hook" --version 2>&1)
[ "$got" = "oci-fw-hook $VERSION" ] && ok "--version: $got" ||
	fail "--version printed \"$got\", not \"oci-fw-hook $VERSION\""
link=$dest$BINDIR/oci-fw-hook
if [ -L "$link" ] && [ "$(readlink "$link")" = "$HOOK_PATH" ]; then
	ok "symlink $BINDIR/oci-fw-hook -> $HOOK_PATH"
else
	fail "$BINDIR/oci-fw-hook is not a symlink to $HOOK_PATH ($(readlink "$link" 2>&1))"
fi

# 2. --help: one screen (50 lines of 80 columns), every verb and option the
# binary accepts, and each of them offered by the completion.
help=$("$hook" --help 2>&1)
lines=$(printf '%s\n' "$help" | wc -l)
wide=$(printf '%s\n' "$help" | awk 'length($0) > 80' | head -3)
[ "$lines" -le 50 ] && ok "--help: $lines lines" || fail "--help is $lines lines (more than 50)"
[ -z "$wide" ] && ok "--help: no line over 80 columns" || fail "--help lines over 80 columns: $wide"
# shellcheck source=/dev/null
. "$COMPLETION_SRC"
completions() { # completions WORD...: what the completion offers for the last WORD
	COMP_WORDS=("$@")
	COMP_CWORD=$(($# - 1))
	COMPREPLY=()
	_oci_fw_hook
	printf '%s\n' "${COMPREPLY[@]}"
}
help_has() { printf '%s\n' "$help" | grep -q -- "$1\($\|[^a-z-]\)"; }
for verb in $(completions oci-fw-hook "" | grep -v '^-'); do
	out=$(timeout 10 "$hook" "$verb" </dev/null 2>&1)
	if printf '%s' "$out" | grep -q 'unknown verb'; then
		echo "# $verb: not a verb of this binary yet (the completion offers it)"
		continue
	fi
	help_has "  $verb" || fail "--help does not list the verb $verb"
	for opt in $(completions oci-fw-hook "$verb" --); do
		out=$(timeout 10 "$hook" "$verb" "$opt" </dev/null 2>&1)
		if printf '%s' "$out" | grep -q 'unrecognized option'; then
			echo "# $verb $opt: not an option of this binary yet (the completion offers it)"
			continue
		fi
		help_has "$opt" || fail "--help does not list $opt ($verb takes it)"
	done
done
for opt in $(printf '%s\n' "$help" | grep -o -- '--[a-z][a-z-]*' | sort -u); do
	case $opt in --version) continue ;; esac
	offered=
	for verb in apply check doctor print refresh show reload ps watch explain suggest; do
		completions oci-fw-hook "$verb" -- | grep -qx -- "$opt" && offered=1
	done
	[ -n "$offered" ] || fail "--help lists $opt, the completion offers it for no verb"
done
ok "--help and the completion checked against the binary's verbs and options"

# 3. The hooks.d JSON runs the installed binary, prefix and all.
json=$dest$DATADIR/containers/oci/hooks.d/oci-fw-hook.json
path=$(jq -er '.hook.path' "$json" 2>&1)
[ "$path" = "$HOOK_PATH" ] && ok "hooks.d JSON: hook.path $path" ||
	fail "hooks.d JSON $json: hook.path is \"$path\", not $HOOK_PATH"
jq -e '.stages == ["createRuntime"] and .when.always == true and .hook.args[1] == "apply"' \
	"$json" >/dev/null && ok "hooks.d JSON: createRuntime, always, apply" ||
	fail "hooks.d JSON: stages, when or args are not createRuntime, always, apply"

# The enforced example, generated with the same path: copied into hooks.d,
# it cannot name a binary that is not there.
ex=$dest$DATADIR/doc/oci-fw-hook/examples/oci-fw-hook-enforced.json
path=$(jq -er '.hook.path' "$ex" 2>&1)
[ "$path" = "$HOOK_PATH" ] && ok "enforced example: hook.path $path" ||
	fail "enforced example $ex: hook.path is \"$path\", not $HOOK_PATH"

# 4. Every shipped policy is installed and passes the installed binary's check.
n=0
for src in "$POLICIES"/*.json; do
	name=$(basename "$src" .json)
	f=$dest$POLICY_DIR/$name.json
	if ! cmp -s "$src" "$f"; then
		fail "policy $name: $POLICY_DIR/$name.json missing or not the source's"
		continue
	fi
	if out=$("$hook" check --policy-dir "$dest$POLICY_DIR" "$name" 2>&1); then
		n=$((n + 1))
	else
		fail "policy $name: check: $out"
	fi
done
for f in "$dest$POLICY_DIR"/*.json; do
	[ -f "$POLICIES/$(basename "$f")" ] || fail "installed policy $(basename "$f") has no source"
done
[ "$n" -gt 0 ] && ok "$n shipped policies installed, each passes check"

# 5. The JSON Schema, once the source tree has it.
schema=$dest$POLICY_DIR/schema/policy.schema.json
if [ -f "$SCHEMA_SRC" ]; then
	jq -e . "$schema" >/dev/null 2>&1 && cmp -s "$SCHEMA_SRC" "$schema" &&
		ok "schema $POLICY_DIR/schema/policy.schema.json" ||
		fail "schema: $POLICY_DIR/schema/policy.schema.json missing, invalid JSON or not the source's"
else
	echo "# schema: not in the source tree yet ($SCHEMA_SRC); not checked"
fi

# 6. The man pages: built whenever scdoc is there.
if [ "$SCDOC_FOUND" = true ] || command -v scdoc >/dev/null; then
	[ "$SCDOC_FOUND" = true ] ||
		fail "scdoc is installed but this build was configured without it (meson setup --reconfigure $BUILD_DIR)"
	for page in man1/oci-fw-hook.1 man5/oci-fw-hook-policy.5; do
		f=$dest$MANDIR/$page
		name=${page#*/} sec=${page##*.}
		name=${name%.*}
		if [ ! -s "$f" ]; then
			fail "man page $MANDIR/$page missing"
		elif ! grep -q "^\.TH \"$name\" \"$sec\"" "$f" || ! grep -q '^\.SH "\?NAME"\?$' "$f"; then
			fail "man page $MANDIR/$page: no .TH \"$name\" \"$sec\" or no NAME section"
		else
			ok "man page $MANDIR/$page"
		fi
	done
else
	echo "# man pages: scdoc is not installed; not built, not checked"
fi

# 7. The bash completion: the source's file, and it registers itself.
comp=$dest$DATADIR/bash-completion/completions/oci-fw-hook
if cmp -s "$COMPLETION_SRC" "$comp" &&
	bash -c '. "$1" && complete -p oci-fw-hook' _ "$comp" | grep -q _oci_fw_hook; then
	ok "bash completion $DATADIR/bash-completion/completions/oci-fw-hook"
else
	fail "bash completion: $DATADIR/bash-completion/completions/oci-fw-hook missing or does not register"
fi

# Nothing installed that this test does not know about.
known="$HOOK_PATH|$BINDIR/oci-fw-hook|$DATADIR/containers/oci/hooks.d/oci-fw-hook.json"
known+="|$POLICY_DIR/[^/]*\.json|$POLICY_DIR/schema/policy\.schema\.json"
known+="|$MANDIR/man1/oci-fw-hook\.1|$MANDIR/man5/oci-fw-hook-policy\.5"
known+="|$DATADIR/bash-completion/completions/oci-fw-hook"
known+="|$DATADIR/doc/oci-fw-hook/examples/oci-fw-hook-enforced\.json"
unknown=$(cd "$dest" && find . ! -type d | sed 's|^\.||' | grep -Ev "^($known)\$")
[ -z "$unknown" ] && ok "no other files installed" || fail "installed, but not checked here: $unknown"

[ "$failures" -eq 0 ] || { echo "$failures failures"; exit 1; }
echo "all installed files checked"
