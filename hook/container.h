/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the bundle's config.json says about the container's reach: its
 * capabilities and whether it has a network namespace of its own. */
#ifndef OCI_FW_CONTAINER_H
#define OCI_FW_CONTAINER_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define CONFIG_MAX_BYTES (4u << 20)

/* The capabilities that would let a container undo or bypass its firewall,
 * as bits (1 << CAP_*), the names runtimes write in config.json. */
#define RISK_NET_ADMIN (UINT64_C(1) << 12)
#define RISK_NET_RAW (UINT64_C(1) << 13)
#define RISK_SYS_ADMIN (UINT64_C(1) << 21)
#define RISKS (RISK_NET_ADMIN | RISK_NET_RAW | RISK_SYS_ADMIN)

struct container {
	uint64_t risks;	 /* RISK_* held in any capability set */
	bool own_netns; /* linux.namespaces has a "network" entry */
	char netns_path[PATH_MAX]; /* its "path", when the runtime named one */
	char root[PATH_MAX];	   /* root.path: absolute, or in the bundle */
	/* What the runtime bind-mounts on /etc/resolv.conf and /etc/hosts
	 * (podman prepares both), or "": the rootfs's own files count. */
	char resolv_conf[PATH_MAX];
	char hosts[PATH_MAX];
};

/* `need_strict`: the container gets a firewall, so config.json must be
 * strict JSON; otherwise plain JSON will do (runtime_json_parse()). */
int container_parse(const char *buf, size_t len, bool need_strict,
		    struct container *ret, struct fw_error *err);
/* Reads BUNDLE/config.json (a regular file, at most CONFIG_MAX_BYTES). */
int container_load(const char *bundle, bool need_strict, struct container *ret,
		   struct fw_error *err);
/* Parses fw.unsafe ("CAP_NET_RAW,CAP_NET_ADMIN") into RISK_* bits. */
int unsafe_parse(const char *s, uint64_t *ret, struct fw_error *err);
/* "CAP_NET_ADMIN,CAP_NET_RAW": the names of the RISK_* bits in `bits`. */
void risk_names(uint64_t bits, char *buf, size_t len);
/* Refuses a container holding a risk that `accepted` does not name;
 * `why` ends the sentence: what such a container could do. */
int container_check_risks(const struct container *c, uint64_t accepted,
			  const char *why, bool unsafe_honoured,
			  struct fw_error *err);

#endif
