#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# podman-examples.sh: policies/examples do what they say, with real
# connections. web.container's policy (its Annotation=fw.policy=, the
# shipped web-server) admits a client in another netns to the container's
# server through its PublishPort (host port -> container port 80), and
# drops a connection to another published port; web-egress, what the
# example used to name, drops the published port too. web.fw.json (by path,
# --allow-path) lets DNS over TCP out to a private resolver, as its comment
# says, while it rejects HTTP to that private address and lets HTTP out to
# a public one.

. "$(dirname "$0")/../lib/podman.sh"
pm_init
pm_server
EX="$T_REPO_DIR/policies/examples"
ann=$(sed -n 's/^Annotation=//p' "$EX/web.container")
publish=$(sed -n 's/^PublishPort=//p' "$EX/web.container")
cport=${publish##*:}
[[ $ann == fw.policy=* ]] && [[ $cport =~ ^[0-9]+$ ]] ||
	t_die "web.container: Annotation '$ann', PublishPort '$publish'"
t_ok "web.container: $ann, PublishPort=$publish"

read -r HP HP2 <<<"$(pm_free_ports)"

# serve ANNOTATION: a detached container answering "ok" on $cport and on
# 9090, published on the host's $HP and $HP2; waits until both listen
serve() {
	pm_start --annotation "$1" -p "$HP:$cport" -p "$HP2:9090"
	[ "$PM_RC" -eq 0 ] || t_die "$1: podman run -d exit $PM_RC: $PM_ERR"
	podman exec -d "$PM_NAME" /bin/sh -c "nc -ll -p $cport -e /bin/echo ok & nc -ll -p 9090 -e /bin/echo ok" ||
		t_die "$1: podman exec failed"
	for _ in $(seq 1 50); do
		[ "$(nsenter -t "$PM_PID" -n ss -Htln "sport = :$cport or sport = :9090" | wc -l)" -ge 2 ] && return 0
		sleep 0.1
	done
	t_die "$1: the servers in $PM_NAME do not listen"
}
# client WHAT PORT WANT: from the server netns (another host) to the
# host's $C4:PORT, forwarded by podman to the container
client() {
	local got=blocked
	timeout 8 ip netns exec "$NS_S" socat -T 3 - "TCP4:$C4:$2,connect-timeout=3" </dev/null 2>/dev/null |
		grep -q ok && got=reach
	[ "$got" = "$3" ] && t_ok "$1: $got" || t_fail "$1: expected $3, got $got"
}

serve "$ann"
client "$ann: the published $HP:$cport" "$HP" reach
client "$ann: the published $HP2:9090" "$HP2" blocked
podman rm -f -t 0 "$PM_NAME" >/dev/null 2>&1
serve fw.policy=web-egress
client "web-egress (the old example): the published $HP:$cport" "$HP" blocked
podman rm -f -t 0 "$PM_NAME" >/dev/null 2>&1
serve ofw.example=no-policy
client "no policy: the published $HP:$cport" "$HP" reach
client "no policy: the published $HP2:9090" "$HP2" reach
podman rm -f -t 0 "$PM_NAME" >/dev/null 2>&1

# web.fw.json, named by path (rootful: the hook needs --allow-path)
srv_tcp "$NS_S" "$PM_PRIV4" 53
install -m 0644 "$EX/web.fw.json" "$T_DIR/web.fw.json"
PM_HOOK_ARGS=(--allow-path)
pm_write_hook_json "$PM_HOOKS/oci-fw-hook.json"
probes="$(pm_tcp_probe priv53 "$PM_PRIV4" 53)$(pm_tcp_probe priv80 "$PM_PRIV4" 80)$(pm_tcp_probe pub80 "$S4" 80)"
pm_run --annotation "fw.policy=$T_DIR/web.fw.json" -- /bin/sh -c "$probes"
pm_ok "web.fw.json"
pm_expect priv53 reach
pm_expect priv80 blocked
pm_expect pub80 reach
t_finish
