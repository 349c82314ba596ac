#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# doctor: `oci-fw-hook doctor` on a scratch `meson install` (DESTDIR), with
# --hooks-dir standing for podman's two directories. It passes on the
# proper install, its packet proof included (denyall refuses a datagram
# that passed without it); it FAILs, with a line that says why, on a
# hooks.d file naming a missing binary (podman skips such a file without a
# word: the fail-open case), on a group-writable binary, on a file of the
# same name in the later (/etc) directory that runs something else, and
# on the enforced example of another prefix copied there.
# Environment (tests/install/meson.build): MESON BUILD_DIR HOOK_PATH
# DATADIR POLICY_DIR.
# "A && t_ok || t_fail": t_ok returns 0, so t_fail runs exactly when A fails.
# shellcheck disable=SC2015

. "$(dirname "$0")/../lib/netns.sh"
t_init
dest=$T_DIR
out=$("$MESON" install -C "$BUILD_DIR" --destdir "$dest" --no-rebuild 2>&1) ||
	t_die "meson install: $out"
hook=$dest$HOOK_PATH
# podman's two directories, in its order: the later one (etc) wins.
usr=$dest/hooks/usr etc=$dest/hooks/etc
mkdir -p "$usr" "$etc"
chmod 755 "$dest/hooks" "$usr" "$etc"
# The installed hooks.d file, its path moved into the DESTDIR as the
# install would have put it.
jq --arg p "$hook" '.hook.path = $p' \
	"$dest$DATADIR/containers/oci/hooks.d/oci-fw-hook.json" >"$usr/oci-fw-hook.json"

# doctor NAME WANT-STATUS: runs doctor on the two directories; its output
# in $dest/NAME.out.
doctor() {
	"$hook" doctor --hooks-dir "$usr" --hooks-dir "$etc" \
		--policy-dir "$dest$POLICY_DIR" >"$dest/$1.out" 2>&1
	local rc=$?
	t_log "doctor ($1): exit $rc"
	sed 's/^/#   /' "$dest/$1.out" >&2
	[ "$rc" -eq "$2" ] && t_ok "$1: doctor exits $2" || t_fail "$1: doctor exits $rc, not $2"
}
# has NAME REGEX: a line of NAME's output matches.
has() {
	grep -Eq -- "$2" "$dest/$1.out" && t_ok "$1: a line matches /$2/" ||
		t_fail "$1: no line matches /$2/"
}

# 1. The proper install passes, every line ok (warn aside).
doctor proper 0
has proper "^ok +$usr/oci-fw-hook.json: runs .apply. at createRuntime for every container"
has proper "^ok +$usr/oci-fw-hook.json: hook.path $hook runs \\(oci-fw-hook "
has proper "^ok +packets: without a firewall, datagrams pass both ways"
has proper "^ok +denyall: refuses a datagram out of the firewalled namespace \\(sendto: Operation not permitted\\)"
has proper "^ok +denyall: drops a datagram into the firewalled namespace \\(never arrived\\)"
! grep -q '^FAIL' "$dest/proper.out" && t_ok "proper: no FAIL line" || t_fail "proper: a FAIL line"
"$hook" doctor --json --hooks-dir "$usr" --policy-dir "$dest$POLICY_DIR" >"$dest/json.out" 2>&1
jq -e 'length > 5 and all(.level == "ok" or .level == "warn") and any(.subject == "denyall")' \
	"$dest/json.out" >/dev/null && t_ok "--json: an array of findings, none FAIL" ||
	t_fail "--json: $(head -c 300 "$dest/json.out")"

# 2. The fail-open case: a hooks.d file whose binary is missing.
jq '.hook.path = "/nonexistent/do-doctor/oci-fw-hook"' "$usr/oci-fw-hook.json" >"$usr/zz-missing.json"
doctor missing 1
has missing "^FAIL +$usr/zz-missing.json: hook.path /nonexistent/do-doctor/oci-fw-hook does not exist: podman and CRI-O skip this file without a word, and containers with fw.policy run unfirewalled$"
mv "$usr/oci-fw-hook.json" "$dest/saved.json"
doctor missing-only 1
has missing-only "^FAIL +hooks.d: no file podman and CRI-O read runs oci-fw-hook: every container runs unfirewalled"
mv "$dest/saved.json" "$usr/oci-fw-hook.json"
rm "$usr/zz-missing.json"

# 3. A binary its group may write.
chmod g+w "$hook"
doctor group-writable 1
has group-writable "^FAIL +$usr/oci-fw-hook.json: hook.path $hook: .* is writable by group or others \\(chmod go-w .*\\): whoever can change it runs code as root"
chmod g-w "$hook"

# 4. The later directory's file of the same name runs something else: it
# hides the working one.
jq '.hook.path = "/bin/true" | .hook.args = ["true"]' "$usr/oci-fw-hook.json" >"$etc/oci-fw-hook.json"
doctor hidden 1
has hidden "^FAIL +$usr/oci-fw-hook.json: hidden by $etc/oci-fw-hook.json, which does not run oci-fw-hook: podman and CRI-O read that file instead"

# 5. The enforced example of a build installed elsewhere, copied over it:
# its binary is missing, so podman skips it and reads the other one; the
# admin's controls (--default-policy) are not in force.
jq '.hook.path = "/nonexistent/do-doctor/libexec/oci/hooks.d/oci-fw-hook"' \
	"$dest$DATADIR/doc/oci-fw-hook/examples/oci-fw-hook-enforced.json" >"$etc/oci-fw-hook.json"
doctor other-prefix 1
has other-prefix "^FAIL +$etc/oci-fw-hook.json: hook.path /nonexistent/do-doctor/libexec/oci/hooks.d/oci-fw-hook does not exist: .* \\(they read $usr/oci-fw-hook.json instead\\)"
# ... and the example as installed, copied there, passes.
cp "$dest$DATADIR/doc/oci-fw-hook/examples/oci-fw-hook-enforced.json" "$etc/oci-fw-hook.json"
jq --arg p "$hook" '.hook.path = $p' "$etc/oci-fw-hook.json" >"$etc/x" && mv "$etc/x" "$etc/oci-fw-hook.json"
doctor enforced 0
has enforced "^ok +$usr/oci-fw-hook.json: hidden by $etc/oci-fw-hook.json, which runs oci-fw-hook too"

t_finish
