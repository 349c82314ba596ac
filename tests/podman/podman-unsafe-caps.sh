#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# podman-unsafe-caps.sh: with fw.policy, --cap-add NET_ADMIN, NET_RAW, SYS_ADMIN, SYS_MODULE, DAC_READ_SEARCH and --privileged are refused (exit 126, the process never runs); NET_RAW accepted by fw.unsafe runs firewalled; without fw.policy the same capabilities run untouched.

. "$(dirname "$0")/../lib/podman.sh"
pm_init
pm_server

# The test containers.conf keeps Debian's capability list: no NET_RAW
# (else every container with a policy would be refused).
pm_run -- /bin/sh -c 'grep CapEff /proc/self/status'
capeff=$(sed -n 's/^CapEff:[[:space:]]*//p' <<<"$PM_OUT")
if [ -n "$capeff" ] && (((0x$capeff & (1 << 13 | 1 << 12 | 1 << 21)) == 0)); then
	t_ok "default capabilities ($capeff) hold no NET_RAW, NET_ADMIN, SYS_ADMIN"
else
	t_fail "default capabilities: CapEff=${capeff:-?} (podman exit $PM_RC: $PM_ERR)"
fi

script="$(pm_tcp_probe tcp80 "$S4" 80)$(pm_tcp_probe tcp8080 "$S4" 8080)"

pm_run --annotation fw.policy=denyall -- /bin/sh -c "$script"
pm_ok "control: denyall, default capabilities"
pm_expect tcp80 blocked

pm_refused "--cap-add NET_ADMIN" --annotation fw.policy=denyall --cap-add NET_ADMIN -- \
	NET_ADMIN '--cap-drop' 'fw\.unsafe'
pm_refused "--cap-add NET_RAW" --annotation fw.policy=denyall --cap-add NET_RAW -- \
	NET_RAW '--cap-drop' 'fw\.unsafe'
pm_refused "--cap-add SYS_ADMIN" --annotation fw.policy=denyall --cap-add SYS_ADMIN -- SYS_ADMIN
pm_refused "--privileged" --annotation fw.policy=denyall --privileged -- NET_ADMIN SYS_ADMIN NET_RAW \
	SYS_MODULE SYS_RAWIO BPF SYS_PTRACE DAC_READ_SEARCH SYS_BOOT
# the kernel's owner (module loading) and the "shocker" escape
# (open_by_handle_at on the host's filesystem)
pm_refused "--cap-add SYS_MODULE" --annotation fw.policy=denyall --cap-add SYS_MODULE -- \
	SYS_MODULE '--cap-drop SYS_MODULE' 'fw\.unsafe=CAP_SYS_MODULE'
pm_refused "--cap-add DAC_READ_SEARCH" --annotation fw.policy=denyall --cap-add DAC_READ_SEARCH -- \
	DAC_READ_SEARCH '--cap-drop DAC_READ_SEARCH' 'fw\.unsafe=CAP_DAC_READ_SEARCH'
# the fix the line names for two is one --cap-drop with a comma list
pm_refused "SYS_MODULE and DAC_READ_SEARCH" --annotation fw.policy=denyall \
	--cap-add SYS_MODULE --cap-add DAC_READ_SEARCH -- '--cap-drop SYS_MODULE,DAC_READ_SEARCH'
# (podman refuses adding and dropping one capability at once: the comma
# list is shown on two default ones)
pm_run --annotation fw.policy=denyall --cap-drop CHOWN,KILL -- \
	/bin/sh -c "grep CapEff /proc/self/status; $script"
pm_ok "--cap-drop CHOWN,KILL"
capeff=$(sed -n 's/^CapEff:[[:space:]]*//p' <<<"$PM_OUT")
[ -n "$capeff" ] && (((0x$capeff & (1 << 0 | 1 << 5)) == 0)) &&
	t_ok "... drops both" || t_fail "... CapEff=${capeff:-?}"
pm_expect tcp80 blocked
pm_refused "NET_RAW accepted, NET_ADMIN not" --annotation fw.policy=denyall \
	--annotation fw.unsafe=CAP_NET_RAW --cap-add NET_RAW --cap-add NET_ADMIN -- NET_ADMIN
pm_refused "fw.unsafe=NET_RAW (no CAP_)" --annotation fw.policy=denyall \
	--annotation fw.unsafe=NET_RAW --cap-add NET_RAW -- 'fw\.unsafe'

# the named risk accepted: it runs, and the firewall is there
pm_run --annotation fw.policy=tcp-port --annotation fw.unsafe=CAP_NET_RAW --cap-add NET_RAW -- \
	/bin/sh -c "grep CapEff /proc/self/status; $script"
pm_ok "--cap-add NET_RAW with fw.unsafe=CAP_NET_RAW"
capeff=$(sed -n 's/^CapEff:[[:space:]]*//p' <<<"$PM_OUT")
[ -n "$capeff" ] && (((0x$capeff & 1 << 13) != 0)) && t_ok "the container holds NET_RAW" ||
	t_fail "the container does not hold NET_RAW: CapEff=${capeff:-?}"
pm_expect tcp8080 reach
pm_expect tcp80 blocked

# a list of risks, in one annotation (pm_annotation: podman 4 splits
# --annotation values at commas)
pm_run --annotation fw.policy=tcp-port --annotation "$(pm_annotation fw.unsafe=CAP_NET_RAW,CAP_NET_ADMIN)" \
	--cap-add NET_RAW --cap-add NET_ADMIN -- /bin/sh -c "$script"
pm_ok "NET_RAW and NET_ADMIN, both accepted"
pm_expect tcp8080 reach
pm_expect tcp80 blocked

# SYS_MODULE accepted by name: it runs, firewalled
pm_run --annotation fw.policy=tcp-port --annotation fw.unsafe=CAP_SYS_MODULE --cap-add SYS_MODULE -- \
	/bin/sh -c "$script"
pm_ok "--cap-add SYS_MODULE with fw.unsafe=CAP_SYS_MODULE"
pm_expect tcp8080 reach
pm_expect tcp80 blocked

# without fw.policy nothing is loaded and nothing refused (no table in the netns)
for caps in "--cap-add NET_ADMIN" "--cap-add NET_RAW" "--cap-add SYS_MODULE" "--privileged"; do
	# shellcheck disable=SC2086 # the options
	pm_run $caps -- /bin/sh -c "$script"
	pm_ok "no fw.policy, $caps"
	pm_expect tcp80 reach
done
t_finish
