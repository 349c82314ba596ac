/* SPDX-License-Identifier: GPL-2.0-or-later */
/* reload: the current file(s) of a running container's policy, loaded the
 * way apply loads them at start. */
#ifndef OCI_FW_RELOAD_H
#define OCI_FW_RELOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "apply.h"
#include "names.h"
#include "podman.h"

struct reload_result {
	struct apply_result apply; /* kept: the file had not changed */
	bool had_table;
	struct table_comment before; /* when had_table */
};

/*
 * Runs apply for container `c` as if the runtime had just created it
 * (state from podman, its bundle's config.json): every check apply makes,
 * the admin controls of `o`, one batch that replaces the table, or the
 * old rules stay.  A container without fw.policy whose table holds a
 * default policy gets that default again.  In child processes: apply
 * confines its process for good.  "dns" and "host" mean what the table
 * holds (refresh.c says why), not the container's files now.  -ENODATA:
 * nothing to reload.
 */
int reload_run(const struct apply_options *o, const struct podman_container *c,
	       struct reload_result *ret, struct fw_error *err);

/*
 * One reload per network namespace: fills `ret_pick` with the index of
 * the container to reload for each namespace of `c` (the first with
 * fw.policy, else the first), and ret_same[i] with the pick of the
 * namespace of c[i].  Returns how many picks; containers whose namespace
 * cannot be read (gone) are left out (ret_same[i] = n).
 */
size_t reload_plan(const struct podman_container *c, size_t n,
		   size_t *ret_pick, size_t *ret_same);

#endif
