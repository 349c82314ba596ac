// SPDX-License-Identifier: GPL-2.0-or-later
/* Fuzz target: a packet the DNS learner reads from its queue (untrusted: a
 * nameserver, or anyone on its path, wrote the answer in it). */
#include "fuzz.h"
#include "learn_packet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dns_learned dl;
	char *buf;

	if (!fuzz_copy(data, size, &buf))
		return 0;
	if (learn_packet_read((const uint8_t *)buf, size, &dl) == 0)
		(void)learn_name_matches("*.example.com", dl.qname);
	free(buf);
	return 0;
}
