/* SPDX-License-Identifier: GPL-2.0-or-later */
/* SHA-256 (FIPS 180-4) of a buffer: names a policy's exact bytes. */
#ifndef OCI_FW_SHA256_H
#define OCI_FW_SHA256_H

#include <stddef.h>
#include <stdint.h>

void sha256(const void *data, size_t len, uint8_t out[32]);

#endif
