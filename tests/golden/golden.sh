#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A shipped policy's `print` output must equal its stored nft text.
# Regenerate after changing a policy: GOLDEN_UPDATE=1 meson test --suite golden
# The table comment's from: is the digest of where the file was found,
# DIR/POLICY.json, so it depends on the checkout's path: the stored text
# holds "from:ORIGIN" for the digest computed here, and any other digest
# differs from it.
set -eu
hook=$1 dir=$2 policy=$3 want=$4
origin=$(printf '%s' "$dir/$policy.json" | sha256sum | cut -c1-16)
print() {
	"$hook" print --policy-dir "$dir" "$policy" | sed "s/ from:$origin/ from:ORIGIN/"
}
if [ "${GOLDEN_UPDATE:-}" = 1 ]; then
	print > "$want"
fi
print | diff -u "$want" -
