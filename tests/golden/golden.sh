#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A shipped policy's `print` output must equal its stored nft text.
# Regenerate after changing a policy: GOLDEN_UPDATE=1 meson test --suite golden
set -eu
hook=$1 dir=$2 policy=$3 want=$4
if [ "${GOLDEN_UPDATE:-}" = 1 ]; then
	"$hook" print --policy-dir "$dir" "$policy" > "$want"
fi
"$hook" print --policy-dir "$dir" "$policy" | diff -u "$want" -
