# SPDX-License-Identifier: GPL-2.0-or-later
# deps.sh: sourced; installs the Debian packages the build and the tests need (only those missing), and builds.
# shellcheck shell=bash

# scdoc: the man pages (meson builds them only when it finds scdoc, and the
# install suite fails when scdoc is there and they are not).
DEPS_BUILD="meson ninja-build pkg-config gcc libnftnl-dev libmnl-dev libjson-c-dev libseccomp-dev scdoc"
# iptables: netavark (podman's network stack) runs the iptables binary; it
# only arrives with podman's recommends, so name it.
DEPS_TEST="nftables iproute2 socat iputils-ping strace podman runc uidmap slirp4netns busybox-static jq python3 python3-jsonschema iptables"
# tests/run's line coverage of the Debian 12 run.
DEPS_COVERAGE="gcovr"
# libFuzzer's runtime is in libclang-rt-N-dev (N: clang's major version, 14
# on Debian 12, 19 on Debian 13), which clang only recommends.
DEPS_FUZZ="clang"

deps_missing() { # deps_missing PKG...: prints the ones not installed
	local p
	for p in "$@"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
			printf '%s\n' "$p"
	done
}

# deps_fuzz: clang, then the libFuzzer runtime of its version.
deps_fuzz() {
	local major
	deps_install $DEPS_FUZZ || return 1
	major=$(clang -dumpversion | cut -d. -f1)
	deps_install "libclang-rt-$major-dev"
}

# deps_install [PKG...]: default the build and test lists. Works with no
# stdin (CI).
deps_install() {
	local want missing
	if [ $# -gt 0 ]; then want=("$@"); else read -ra want <<<"$DEPS_BUILD $DEPS_TEST"; fi
	mapfile -t missing < <(deps_missing "${want[@]}")
	[ "${#missing[@]}" -eq 0 ] && return 0
	if [ "$(id -u)" != 0 ]; then
		echo "deps: missing packages and not root: ${missing[*]}" >&2
		return 1
	fi
	echo "deps: installing ${missing[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q </dev/null || return 1
	apt-get install -y -q "${missing[@]}" </dev/null || return 1
	mapfile -t missing < <(deps_missing "${want[@]}")
	if [ "${#missing[@]}" -ne 0 ]; then
		echo "deps: still missing after install: ${missing[*]}" >&2
		return 1
	fi
}

# build_hook DIR [MESON_OPTION...]: meson setup with those options (reusing
# a configured DIR; wiping it if the reconfigure fails) and ninja. Output
# goes to stderr; status 0 on success.
build_hook() {
	local build=$1 log rc
	shift
	log=$(mktemp /tmp/ofw-setup.XXXXXX) || return 1
	if [ -f "$build/meson-private/coredata.dat" ]; then
		meson setup --reconfigure "$build" "$@" >"$log" 2>&1 ||
			meson setup --wipe "$build" "$@" >"$log" 2>&1
		rc=$?
	else
		rm -rf "$build"
		meson setup "$build" "$@" >"$log" 2>&1
		rc=$?
	fi
	[ "$rc" -eq 0 ] || cat "$log" >&2
	rm -f "$log"
	[ "$rc" -eq 0 ] || { echo "build: meson setup $build failed" >&2; return 1; }
	ninja -C "$build" >&2 || { echo "build: ninja -C $build failed" >&2; return 1; }
}
