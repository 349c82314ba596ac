/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The OCI state document the runtime writes to a hook's stdin. */
#ifndef OCI_FW_STATE_H
#define OCI_FW_STATE_H

#include <stddef.h>
#include <sys/types.h>

#include "error.h"

#define STATE_MAX_BYTES (1u << 20)
#define ANNOTATION_POLICY "fw.policy"
#define ANNOTATION_UNSAFE "fw.unsafe"

struct oci_state {
	char id[256];
	pid_t pid;
	char bundle[4096];
	char *policy; /* the fw.policy annotation, or NULL */
	char *unsafe; /* the fw.unsafe annotation, or NULL */
};

int state_parse(const char *buf, size_t len, struct oci_state *ret,
		struct fw_error *err);
void state_free(struct oci_state *s);

#endif
