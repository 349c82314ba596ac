/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The ruleset as nft syntax: what `print` shows and `nft -f` loads. */
#ifndef OCI_FW_TEXT_H
#define OCI_FW_TEXT_H

#include <stdio.h>

#include "ruleset.h"

/* Returns 0 or -EIO when writing failed. */
int ruleset_print(const struct ruleset *rs, FILE *out);

#endif
