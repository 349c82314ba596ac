// SPDX-License-Identifier: GPL-2.0-or-later
/* Fuzz target: the OCI state document (untrusted: the runtime's stdin). */
#include "fuzz.h"
#include "state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fw_error err = { 0 };
	struct oci_state st;
	char *buf;

	if (!fuzz_copy(data, size, &buf))
		return 0;
	if (state_parse(buf, size, &st, &err) == 0)
		state_free(&st);
	free(buf);
	return 0;
}
