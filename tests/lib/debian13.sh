# SPDX-License-Identifier: GPL-2.0-or-later
# debian13.sh: sourced; the Debian 13 (trixie: podman 5, crun, netavark,
# pasta, json-c 0.18, glibc 2.41) test platform on a Debian 12 machine.
# shellcheck shell=bash
#
# A trixie root filesystem, built once with mmdebstrap from the archive this
# machine's apt uses and cached in D13_CACHE, is copied for each instance
# (a few seconds) and entered with pivot_root in a mount namespace of its
# own, inside a network namespace of its own whose default route is a dead
# end (pasta needs a default-route interface to copy; nothing it or
# netavark does reaches the machine's namespace).  Why each step is there:
# ../../shared/reference/trixie/README.md (measured on these machines).
#
#   d13_cache            builds the cached root when it is missing or was
#                        built from another package list
#   d13_up NAME SRC      an instance: copy, namespaces, mounts, the working
#                        tree of the git checkout SRC (committed or not)
#                        copied to /root/proj inside
#   d13_enter NAME CMD   runs CMD (bash -c) inside, as root
#   d13_down NAME        stops what runs inside, undoes it all
#
# Instances are independent (NAME-host / NAME-void netns, their own copy),
# so two may run at once.

D13_CACHE=${D13_CACHE:-/var/cache/oci-fw-hook-test/debian13}
D13_BASE=${D13_BASE:-/var/tmp/oci-fw-hook-d13}
# What the tests use inside: the build, the test tools, both runtimes and
# both rootless networks. Changing this list rebuilds the cache.
D13_PACKAGES="ca-certificates git meson ninja-build pkg-config gcc libnftnl-dev libmnl-dev libjson-c-dev libseccomp-dev scdoc nftables iproute2 socat iputils-ping strace podman crun runc uidmap slirp4netns passt busybox-static jq python3 python3-jsonschema iptables netavark aardvark-dns procps psmisc util-linux passwd valgrind"

d13_root() { echo "$D13_BASE/$1/root"; }
d13_mntns() { echo "$D13_BASE/$1/mnt/ns"; }

d13_cache() {
	local stamp="$D13_CACHE/.oci-fw-hook-packages" mirror
	[ -x "$D13_CACHE/usr/bin/podman" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$D13_PACKAGES" ] && return 0
	command -v mmdebstrap >/dev/null || {
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q mmdebstrap </dev/null >&2 || return 1
	}
	mirror=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null)
	[ -n "$mirror" ] || mirror=http://deb.debian.org/debian
	echo "debian13: building the trixie root in $D13_CACHE (about 2 minutes)" >&2
	rm -rf "$D13_CACHE.new"
	mkdir -p "$(dirname "$D13_CACHE")"
	mmdebstrap --variant=apt --aptopt='APT::Install-Recommends "true"' \
		--include="${D13_PACKAGES// /,}" trixie "$D13_CACHE.new" "$mirror" \
		</dev/null >"$D13_CACHE.log" 2>&1 || {
		tail -n 20 "$D13_CACHE.log" >&2
		echo "debian13: mmdebstrap failed (the whole log: $D13_CACHE.log)" >&2
		return 1
	}
	printf '%s' "$D13_PACKAGES" >"$D13_CACHE.new/.oci-fw-hook-packages"
	rm -rf "$D13_CACHE"
	mv "$D13_CACHE.new" "$D13_CACHE"
}

# d13_net NAME: NAME-host, the instance's "host" (forwarding on, a dead-end
# default route into NAME-void, where forwarding is off).
d13_net() {
	local h=$1-host v=$1-void
	ip netns add "$h" && ip netns add "$v" || return 1
	ip -n "$h" link set lo up
	ip -n "$v" link set lo up
	ip netns exec "$h" sysctl -q -w net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
	ip netns exec "$v" sysctl -q -w net.ipv4.ip_forward=0 net.ipv6.conf.all.forwarding=0
	ip -n "$h" link add up0 type veth peer name up1 netns "$v" || return 1
	ip -n "$h" addr add 192.0.2.10/24 dev up0
	ip -n "$v" addr add 192.0.2.254/24 dev up1
	ip -n "$h" link set up0 up
	ip -n "$v" link set up1 up
	ip -n "$h" route add default via 192.0.2.254 dev up0
}

# d13_mount NAME: the root's mounts. Its /sys is a sysfs of NAME-host; its
# copy of /sys/fs/cgroup is rslave and hides the cgroup2 mount, which crun
# refuses on this kernel's hybrid hierarchy (runc works either way).
d13_mount() {
	local r
	r=$(d13_root "$1")
	mount --bind "$r" "$r" && mount --make-private "$r" || return 1
	mount -t proc proc "$r/proc"
	nsenter --net="/run/netns/$1-host" mount -t sysfs sysfs "$r/sys"
	mount --rbind /sys/fs/cgroup "$r/sys/fs/cgroup" && mount --make-rslave "$r/sys/fs/cgroup"
	if mountpoint -q "$r/sys/fs/cgroup/unified"; then umount "$r/sys/fs/cgroup/unified"; fi
	mount --rbind /dev "$r/dev" && mount --make-rslave "$r/dev"
	mount -t tmpfs -o mode=755,size=2g tmpfs "$r/run"
	mount -t tmpfs -o mode=1777,size=4g tmpfs "$r/tmp"
	mkdir -p "$r/run/lock" "$r/run/user" "$r/run/oci-fw-hook-test"
	# the machine's network namespace, where sysctls that exist only in
	# the initial one live (net.netfilter.nf_log_all_netns: podman-log.sh)
	touch "$r/run/oci-fw-hook-test/outer-net"
	mount --bind /proc/self/ns/net "$r/run/oci-fw-hook-test/outer-net"
}

# d13_conf NAME: the system containers.conf inside (the tests bring their
# own through CONTAINERS_CONF for what they vary).
d13_conf() {
	local r
	r=$(d13_root "$1")
	mkdir -p "$r/etc/containers"
	cat >"$r/etc/containers/containers.conf" <<'EOF'
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
[network]
default_subnet = "10.123.0.0/24"
EOF
}

d13_up() {
	local name=$1 src=$2 r m
	r=$(d13_root "$name")
	m=$(d13_mntns "$name")
	d13_down "$name"
	d13_cache || return 1
	mkdir -p "$D13_BASE/$name" "$(dirname "$m")"
	cp -a "$D13_CACHE" "$r" || return 1
	d13_net "$name" || { echo "debian13: cannot create the netns $name-host" >&2; return 1; }
	d13_mount "$name" || { echo "debian13: mounting the root failed" >&2; return 1; }
	d13_conf "$name"
	mkdir -p "$r/root/proj"
	(cd "$src" && git ls-files -z -co --exclude-standard |
		tar -c --null --ignore-failed-read -T - 2>/dev/null) | tar -x -C "$r/root/proj" || return 1
	mountpoint -q "$(dirname "$m")" || {
		mount --bind "$(dirname "$m")" "$(dirname "$m")" && mount --make-private "$(dirname "$m")"
	}
	touch "$m"
	# pivot_root, not chroot: the kernel refuses CLONE_NEWUSER to a
	# chrooted process, and rootless podman needs it.
	unshare --mount="$m" --propagation private /bin/sh -c \
		"cd '$r' && mkdir -p .oldroot && pivot_root . .oldroot && cd / && umount -l /.oldroot && mount --make-rshared /" ||
		{ echo "debian13: pivot_root into $r failed" >&2; return 1; }
}

d13_enter() {
	nsenter --mount="$(d13_mntns "$1")" --net="/run/netns/$1-host" /usr/bin/env -i \
		HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		LANG=C.UTF-8 PODMAN_IGNORE_CGROUPSV1_WARNING=1 /bin/bash -c "$2"
}

# d13_down NAME: containers and the test user's podman state first (their
# processes live in the instance's namespaces), then mounts, netns, copy.
d13_down() {
	local name=$1 r m p
	r=$(d13_root "$name")
	m=$(d13_mntns "$name")
	if [ -e "$m" ] && [ -e "/run/netns/$name-host" ] && mountpoint -q "$m" 2>/dev/null; then
		# shellcheck disable=SC2016 # expanded inside
		d13_enter "$name" 'podman rm -af -t 0 >/dev/null 2>&1
			for u in $(awk -F: "\$3 >= 1000 && \$3 < 60000 { print \$1 }" /etc/passwd); do
				runuser -u "$u" -- env XDG_RUNTIME_DIR=/run/user/$(id -u "$u") podman rm -af -t 0 >/dev/null 2>&1
			done
			for n in $(ip netns list | cut -d" " -f1); do ip netns pids "$n" | xargs -r kill -9; ip netns del "$n"; done' 2>/dev/null
	fi
	# anything still running with the instance's root
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/root" 2>/dev/null)" = / ] && continue
		[ "$(stat -L -c %d:%i "$p/root" 2>/dev/null)" = "$(stat -c %d:%i "$r" 2>/dev/null)" ] && kill -9 "${p#/proc/}" 2>/dev/null
	done
	mountpoint -q "$m" 2>/dev/null && umount "$m"
	mountpoint -q "$(dirname "$m")" 2>/dev/null && umount "$(dirname "$m")"
	for p in /tmp /run /dev /sys/fs/cgroup /sys /proc ""; do
		mountpoint -q "$r$p" 2>/dev/null && umount -R "$r$p" 2>/dev/null
	done
	ip netns del "$name-host" 2>/dev/null
	ip netns del "$name-void" 2>/dev/null
	if mountpoint -q "$r" 2>/dev/null || findmnt -rn -o TARGET | grep -q "^$r/"; then
		echo "debian13: $r is still mounted; not removing it" >&2
		return 1
	fi
	rm -rf "${D13_BASE:?}/$name"
}
