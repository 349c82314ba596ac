/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The learner's writes to its firewall: learned addresses in, one batch. */
#ifndef OCI_FW_LEARN_NFT_H
#define OCI_FW_LEARN_NFT_H

#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

#include "error.h"

/* One element of a learned set (names.h: "learn.0_v4"). */
struct learn_elem {
	const char *set;
	int family;	       /* 0: IPv4, 1: IPv6 */
	uint8_t addr[16];
	uint32_t timeout_s;    /* added (or its timeout renewed); 0: deleted */
	const char *comment;   /* the name the container asked: nft's comment */
};

/* At most this many elements in one call. */
#define LEARN_NFT_MAX 64

/*
 * Adds (and deletes) the elements in one transaction and returns once the
 * kernel has committed it (nl_commit: the kernel acks inside sendmsg), so
 * a packet let through afterwards meets the new elements.  An element
 * there already gets the new timeout.  0 or -errno with `err` filled.
 */
int learn_nft_commit(struct mnl_socket *nl, uint32_t *seq,
		     const struct learn_elem *e, size_t n,
		     struct fw_error *err);

#endif
