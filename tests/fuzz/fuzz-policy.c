// SPDX-License-Identifier: GPL-2.0-or-later
/* Fuzz target: the policy parser and validator. */
#include "fuzz.h"
#include "policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fw_error err = { 0 };
	struct policy p;
	char *buf;

	if (!fuzz_copy(data, size, &buf))
		return 0;
	if (policy_parse(buf, size, &p, &err) == 0)
		policy_free(&p);
	free(buf);
	return 0;
}
