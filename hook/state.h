/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The OCI state document the runtime writes to a hook's stdin. */
#ifndef OCI_FW_STATE_H
#define OCI_FW_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <json-c/json.h>

#include "error.h"
#include "json_strict.h"

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

/*
 * The runtime's documents (the state, config.json): strict JSON
 * (json_strict.h) where they decide a firewall, plain JSON elsewhere.
 * hooks.d runs the hook for every container, and one that has nothing to
 * do with the firewall must not be refused for an annotation key with an
 * escape (Go's encoder writes "<" as "\u003c") or a duplicate key.  Fails
 * only on what is not JSON at all; *ret_strict says whether it was strict,
 * and when not, `err` holds what strictness found, for the caller to
 * refuse with when the document matters.  `lists`, or NULL: plain lists
 * the caller takes from the strict parse (json_parse_lists()).
 */
int runtime_json_parse(const char *buf, size_t len,
		       const struct json_lists *lists, struct json_object **ret,
		       bool *ret_strict, struct fw_error *err);
int state_parse(const char *buf, size_t len, struct oci_state *ret,
		struct fw_error *err);
void state_free(struct oci_state *s);

#endif
