#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# rootless-paths.sh: where a rootless hook finds policies and whose files it
# trusts there.
#   - a policy file beside a quadlet, named by absolute path (the fw.policy
#     value of policies/examples/beside.container with %h expanded, and the
#     example web.fw.json), works without --allow-path;
#   - a path to a file the user cannot read is refused: Permission denied;
#   - in the user's own directory, a group-writable policy, a group-writable
#     directory and a file owned by someone else (root: the overflow uid in
#     the namespace) are refused;
#   - the lookup order: the user's directory, then the system directory
#     (where root's files, owned by the overflow uid inside, are accepted);
#     the user's file of a name hides the system's.

. "$(dirname "$0")/../lib/rootless.sh"
rl_init
rl_server

EX="$T_REPO_DIR/policies/examples"
QDIR="$RL_HOME/.config/containers/systemd"

# --- beside a quadlet --------------------------------------------------------
qdir_made=0
[ -d "$QDIR" ] || qdir_made=1
rl_as mkdir -p "$QDIR" || t_die "cannot create $QDIR"
[ "$qdir_made" = 1 ] && t_on_exit "rm -rf -- '$QDIR'"
t_on_exit "rm -f -- '$QDIR/beside.container' '$QDIR/web.fw.json' '$QDIR/secret.fw.json'"
install -o "$RL_UID" -g "$RL_GID" -m 0644 "$EX/beside.container" "$EX/web.fw.json" "$QDIR/"
value=$(sed -n 's/^Annotation=fw\.policy=//p' "$QDIR/beside.container")
path=${value//%h/$RL_HOME}
[ "$path" = "$QDIR/web.fw.json" ] && t_ok "beside.container names $path" ||
	t_fail "beside.container's fw.policy expands to '$path', expected $QDIR/web.fw.json"
rl_run --annotation "fw.policy=$path" -- /bin/sh -c "$RL_PROBES"
rl_check_ran "policy beside the quadlet"
pm_expect tcp80 reach    # web.fw.json: TCP 80 to a public address
pm_expect udp53 reach    # and DNS
pm_expect tcp8080 blocked
pm_expect udp69 blocked

# a relative path is refused (fw.policy is never resolved against a cwd)
rl_run --annotation fw.policy=.config/containers/systemd/web.fw.json -- /bin/sh -c 'echo ran'
rl_check_refused "a relative path" 'must be absolute'

# --- paths the user cannot read --------------------------------------------
mkdir -m 0700 "$T_DIR/secret"
cp "$TEST_POLICIES/harmless.json" "$T_DIR/secret/p.json"
chmod 0644 "$T_DIR/secret/p.json"
rl_as test -r "$T_DIR/secret/p.json" && t_die "$RL_USER can read $T_DIR/secret/p.json; the case proves nothing"
rl_run --annotation "fw.policy=$T_DIR/secret/p.json" -- /bin/sh -c 'echo ran'
rl_check_refused "a file in root's 0700 directory" 'permission denied'
install -o root -g root -m 0600 "$TEST_POLICIES/harmless.json" "$QDIR/secret.fw.json"
rl_run --annotation "fw.policy=$QDIR/secret.fw.json" -- /bin/sh -c 'echo ran'
rl_check_refused "root's 0600 file in the user's directory" 'permission denied|owned by uid|not yours'

# --- whose files, in the user's directory -----------------------------------
rl_policy "$POLICIES/denyall.json" ofw-user-gw
chmod 0664 "$RL_PDIR/ofw-user-gw.json"
rl_run --annotation fw.policy=ofw-user-gw -- /bin/sh -c 'echo ran'
rl_check_refused "a group-writable policy" 'writable by group or others'
rm -f "$RL_PDIR/ofw-user-gw.json"

rl_policy "$POLICIES/denyall.json" ofw-user-ok
chmod 0775 "$RL_PDIR"
rl_run --annotation fw.policy=ofw-user-ok -- /bin/sh -c 'echo ran'
rl_check_refused "a group-writable policy directory" 'writable by group or others'
chmod 0755 "$RL_PDIR"

install -o root -g root -m 0644 "$POLICIES/denyall.json" "$RL_PDIR/ofw-user-root.json"
rl_run --annotation fw.policy=ofw-user-root -- /bin/sh -c 'echo ran'
rl_check_refused "a file owned by another user (root)" 'not yours'
rm -f "$RL_PDIR/ofw-user-root.json"

# the control: the same file, the user's and 0644, is accepted
rl_run --annotation fw.policy=ofw-user-ok -- /bin/sh -c "$RL_PROBES"
rl_check_ran "the user's own 0644 policy"
pm_expect tcp80 blocked

# --- the lookup order ---------------------------------------------------------
# The error for a missing name lists the directories searched.
rl_run --annotation fw.policy=ofw-no-such -- /bin/sh -c 'echo ran'
rl_check_refused "a missing name" "no policy ofw-no-such\\.json in $RL_PDIR, /"
sysdir=$(grep -o 'oci-fw-hook: .*' <<<"$PM_HOOK_ERR" | sed -n "s|.* in $RL_PDIR, \\([^,]*\\),.*|\\1|p" | head -n1)
case $sysdir in
/*/oci-fw-hook/policies) t_ok "the system directory after the user's: $sysdir" ;;
*) t_die "cannot tell the system policy directory from: $PM_HOOK_ERR" ;;
esac
# Put a root-owned policy there (creating the directory if it is missing;
# removing what was created), and one of the same name in the user's dir.
made=$sysdir
while [ ! -e "$(dirname "$made")" ]; do made=$(dirname "$made"); done
if [ -e "$sysdir" ]; then
	t_on_exit "rm -f -- '$sysdir/ofw-sys-$$.json' '$sysdir/ofw-both-$$.json'"
else
	t_on_exit "rm -rf -- '$made'"
	mkdir -p "$sysdir"
	chmod 0755 "$sysdir"
fi
install -o root -g root -m 0644 "$POLICIES/denyall.json" "$sysdir/ofw-sys-$$.json"
install -o root -g root -m 0644 "$TEST_POLICIES/harmless.json" "$sysdir/ofw-both-$$.json"
rl_run --annotation "fw.policy=ofw-sys-$$" -- /bin/sh -c "$RL_PROBES"
rl_check_ran "root's policy in the system directory"
pm_expect tcp80 blocked
pm_expect udp69 blocked
rl_policy "$POLICIES/denyall.json" "ofw-both-$$"
rl_run --annotation "fw.policy=ofw-both-$$" -- /bin/sh -c "$RL_PROBES"
rl_check_ran "a name in both directories"
pm_expect tcp80 blocked   # the user's denyall, not the system's harmless
t_finish
