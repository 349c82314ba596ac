/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What every fuzz target shares: the libFuzzer entry point and input copies. */
#ifndef OCI_FW_FUZZ_H
#define OCI_FW_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * The parsers take (buf, len) and must not read past len: hand them exactly
 * len bytes of their own heap block, no NUL after them, so that ASan reports
 * any over-read (the replay driver's buffers and libFuzzer's are not
 * promised to be exact).  Even the empty input gets a block of its own, of
 * size 0.  Returns false when malloc fails.
 */
static inline bool fuzz_copy(const uint8_t *data, size_t size, char **ret)
{
	char *buf = malloc(size);

	if (!buf && size)
		return false;
	if (size)
		memcpy(buf, data, size);
	*ret = buf;
	return true;
}

#endif
