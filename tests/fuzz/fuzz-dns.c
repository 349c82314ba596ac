// SPDX-License-Identifier: GPL-2.0-or-later
/* Fuzz target: a DNS response (untrusted: anyone on the path can send one). */
#include "dns.h"
#include "fuzz.h"

/*
 * The first byte chooses the query: bit 0 asks AAAA rather than A, bit 1
 * takes the id from the packet itself so that the fuzzer gets past the id
 * check at once.  The packet follows; it answers "www.example.com".
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct interval_list v4, v6;
	uint16_t qtype, id = 0x1234;
	char *buf;

	if (size < 1)
		return 0;
	qtype = data[0] & 1 ? DNS_TYPE_AAAA : DNS_TYPE_A;
	if ((data[0] & 2) && size >= 3)
		id = (uint16_t)(data[1] << 8 | data[2]);
	if (!fuzz_copy(data + 1, size - 1, &buf))
		return 0;
	interval_list_init(&v4, 4);
	interval_list_init(&v6, 16);
	dns_response_parse((const uint8_t *)buf, size - 1, id,
			   "www.example.com", qtype, &v4, &v6);
	interval_list_free(&v4);
	interval_list_free(&v6);
	free(buf);
	return 0;
}
