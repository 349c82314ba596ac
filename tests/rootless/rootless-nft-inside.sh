#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# rootless-nft-inside.sh: a rootless container cannot undo its firewall.
#
# The proof runs the real nft inside the container: the host's /usr/sbin/nft
# and the libraries ldd lists are copied into the (user-owned) rootfs. First
# a control: a container given NET_ADMIN (and no policy, so the hook lets it
# be) creates and lists a table with that nft, so nft works in this rootfs
# and a failure later is the kernel's answer, not a broken binary. Then a
# container under the user's deny-all policy, with podman's default
# capabilities, runs `nft flush ruleset` and `nft delete table inet oci_fw`:
# both fail with "Operation not permitted" (the netns belongs to podman's
# user namespace, where the container's root lacks CAP_NET_ADMIN), and the
# same process then still reaches nothing over TCP or UDP.

. "$(dirname "$0")/../lib/rootless.sh"
rl_init
rl_server
rl_policy "$POLICIES/denyall.json" ofw-user-deny

# nft and its libraries into the rootfs, at the same paths
f=
for f in /usr/sbin/nft $(ldd /usr/sbin/nft | grep -o '/[^ ]*'); do
	mkdir -p "$RL_ROOTFS$(dirname "$f")"
	cp -L "$f" "$RL_ROOTFS$f" || t_die "cannot copy $f into the rootfs"
done
chown -R "$RL_UID:$RL_GID" "$RL_ROOTFS"

rl_run --cap-add NET_ADMIN -- /bin/sh -c \
	'/usr/sbin/nft add table inet ofw_probe && /usr/sbin/nft list tables; echo control=$?'
if grep -q '^control=0$' <<<"$PM_OUT" && grep -q 'table inet ofw_probe' <<<"$PM_OUT"; then
	t_ok "control: nft works in this rootfs with NET_ADMIN"
else
	t_fail "control: nft does not work in the container even with NET_ADMIN: $PM_OUT $PM_ERR"
fi

script='/usr/sbin/nft flush ruleset 2>/tmp/e; echo flush=$?; echo "flusherr=$(cat /tmp/e)"; '
script+='/usr/sbin/nft delete table inet oci_fw 2>/tmp/e; echo delete=$?; echo "deleteerr=$(cat /tmp/e)"; '
script+=$RL_PROBES
rl_run --annotation fw.policy=ofw-user-deny -- /bin/sh -c "$script"
rl_check_ran "under ofw-user-deny"
for what in flush delete; do
	rc=$(pm_result "$what")
	msg=$(pm_result "${what}err")
	if [ -n "$rc" ] && [ "$rc" != 0 ]; then t_ok "nft $what inside fails (exit $rc)"; else
		t_fail "nft $what inside: exit '${rc:-none}' (stdout: $PM_OUT; stderr: $PM_ERR)"
	fi
	if grep -qi 'operation not permitted' <<<"$msg"; then t_ok "nft $what: $msg"; else
		t_fail "nft $what: expected 'Operation not permitted', got: $msg"
	fi
done
pm_expect tcp80 blocked
pm_expect tcp8080 blocked
pm_expect udp69 blocked
pm_expect udp53 blocked
t_finish
