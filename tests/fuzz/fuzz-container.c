// SPDX-License-Identifier: GPL-2.0-or-later
/* Fuzz target: the bundle's config.json (written by whoever made the
 * bundle), which decides who is refused: strict for a container that gets
 * a firewall, plain JSON for one that does not. */
#include "container.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fw_error err = { 0 };
	struct container c;
	char *buf;

	if (!fuzz_copy(data, size, &buf))
		return 0;
	for (int strict = 0; strict < 2; strict++)
		if (container_parse(buf, size, strict, &c, &err) == 0) {
			container_check_risks(&c, 0, "fuzz", true, &err);
			container_free(&c);
		}
	free(buf);
	return 0;
}
