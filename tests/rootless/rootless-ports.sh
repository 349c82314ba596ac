#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# rootless-ports.sh: published ports (`-p 127.0.0.1:HOST:8080`) of rootless
# containers meet the ingress rules in every rootless network mode podman
# offers here: slirp4netns with rootlessport (podman 4.3's default) and with
# its own port handler, a user bridge network, pasta (podman 5's default).
# rootlessport and pasta connect from a socket inside the container's netns
# to the container's own address, over lo: the firewall accepts lo only to
# 127.0.0.0/8 and ::1. Per mode, with a listener on 8080 and 9090 published
# to the host: under denyall the host connects to neither (and the
# ingress.default counter counted the attempt) while a client in the
# container still reaches its own listener on 127.0.0.1; under a policy that
# lets in TCP 8080 the host reaches 8080 and not 9090.
# pasta's --host-lo-to-ns-lo option (not podman's default) delivers to
# 127.0.0.1 instead: that case is checked too, as the README's security
# model states it (not protected).

. "$(dirname "$0")/../lib/rootless.sh"
rl_init
rl_policy "$POLICIES/denyall.json" ofw-user-deny
rl_policy "$TEST_POLICIES/ingress-port.json" ofw-user-in8080

read -r PO_P8080 PO_P9090 <<<"$(pm_free_ports)"

# po_start POLICY [PODMAN-RUN-OPTIONS...]: a detached container listening on
# 8080 and 9090, both published on the host's 127.0.0.1; sets PO_NAME, PO_PID.
po_start() {
	local policy=$1 i
	shift
	PM_N=$((PM_N + 1))
	PO_NAME="ofw-$T_TAG-$PM_N"
	PM_NAMES+=("$PO_NAME")
	PO_PID=
	rl_podman_timeout 120 run -d --read-only --name "$PO_NAME" "$@" --annotation fw.policy="$policy" \
		-p "127.0.0.1:$PO_P8080:8080" -p "127.0.0.1:$PO_P9090:9090" --rootfs "$RL_ROOTFS" /bin/sh -c \
		'nc -ll -p 8080 -e /bin/echo ok & nc -ll -p 9090 -e /bin/echo ok & sleep 300' \
		</dev/null >"$T_DIR/start.out" 2>&1 || return 1
	PO_PID=$(rl_podman_timeout 30 inspect -f '{{.State.Pid}}' "$PO_NAME" 2>/dev/null)
	for i in $(seq 1 50); do
		[ "$(nsenter -t "$PO_PID" -n ss -Htln 'sport = :8080 or sport = :9090' | wc -l)" -ge 2 ] && return 0
		sleep 0.1
	done
	return 1
}

# po_host_expect LABEL HOST-PORT reach|blocked: a connection from the host.
po_host_expect() {
	local got=blocked
	timeout 8 socat -T 3 - "TCP4:127.0.0.1:$2" </dev/null 2>/dev/null | grep -q ok && got=reach
	[ "$got" = "$3" ] && t_ok "$1: $got" || t_fail "$1: expected $3, got $got"
}

# po_default_count: packets the ingress.default rule of PO_PID's firewall counted.
po_default_count() {
	nsenter -t "$PO_PID" -n nft list chain inet oci_fw ingress 2>/dev/null |
		sed -n 's/.*counter packets \([0-9]*\) .*"ingress.default".*/\1/p'
}

po_stop() { rl_podman_timeout 30 rm -f -t 0 "$PO_NAME" >/dev/null 2>&1; }

# po_mode LABEL [PODMAN-RUN-OPTIONS...]: the cases on one network mode.
po_mode() {
	local label=$1 before
	shift
	if ! po_start ofw-user-deny "$@"; then
		t_fail "$label, denyall: the container did not start listening: $(cat "$T_DIR/start.out")"
		po_stop
		return
	fi
	before=$(po_default_count)
	po_host_expect "$label, denyall: host to published 8080" "$PO_P8080" blocked
	po_host_expect "$label, denyall: host to published 9090" "$PO_P9090" blocked
	[ "$(po_default_count)" -gt "${before:-0}" ] && t_ok "$label, denyall: ingress.default counted the attempts" ||
		t_fail "$label, denyall: ingress.default counted nothing ($before before): $(nsenter -t "$PO_PID" -n nft list chain inet oci_fw ingress)"
	PM_OUT=$(rl_podman_timeout 30 exec "$PO_NAME" /bin/sh -c "$(pm_tcp_probe own-loopback 127.0.0.1 8080)" 2>&1)
	pm_expect own-loopback reach
	po_stop

	if ! po_start ofw-user-in8080 "$@"; then
		t_fail "$label, in 8080: the container did not start listening: $(cat "$T_DIR/start.out")"
		po_stop
		return
	fi
	po_host_expect "$label, ingress allows tcp 8080: host to published 8080" "$PO_P8080" reach
	po_host_expect "$label, ingress allows tcp 8080: host to published 9090" "$PO_P9090" blocked
	po_stop
}

po_mode "slirp4netns, rootlessport" --network slirp4netns
po_mode "slirp4netns, its own port handler" --network slirp4netns:port_handler=slirp4netns
rl_network 203.0.113.0/24
po_mode "bridge $RL_NET" --network "$RL_NET"
if command -v pasta >/dev/null; then
	po_mode pasta --network pasta
	# --host-lo-to-ns-lo: pasta connects to 127.0.0.1 in the container,
	# which the firewall cannot tell from the container's own connections
	if po_start ofw-user-deny --network pasta:--host-lo-to-ns-lo; then
		po_host_expect "pasta --host-lo-to-ns-lo, denyall: host to published 8080 (documented: not protected)" \
			"$PO_P8080" reach
	else
		t_fail "pasta --host-lo-to-ns-lo: the container did not start listening: $(cat "$T_DIR/start.out")"
	fi
	po_stop
else
	t_log "pasta is not installed (podman 4.3 has no pasta mode): that mode was not tested"
fi
t_finish
