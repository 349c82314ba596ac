/* SPDX-License-Identifier: GPL-2.0-or-later */
/* show: the nft rules of a chain grouped into the lines of the policy. */
#ifndef OCI_FW_SHOW_LINES_H
#define OCI_FW_SHOW_LINES_H

#include <stddef.h>

#include "error.h"
#include "show.h"
#include "show_decode.h"

/* Consecutive nft rules with one key and direction (the families, the
 * symbols, tcp and udp of one policy line) make one line of `ret`, their
 * counters summed; built-in rules keep their names. */
int show_lines_build(const struct show_nft_rule *rules, size_t n,
		     struct show *ret, struct fw_error *err);

#endif
