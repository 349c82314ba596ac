/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reading a file of the container's, as its processes will see it. */
#ifndef OCI_FW_ROOTFS_H
#define OCI_FW_ROOTFS_H

#include <stddef.h>

#include "error.h"

#define ROOTFS_FILE_MAX (1u << 20)

/*
 * `bind_source` is what the runtime mounts on the file (a path it chose),
 * or "": then `path` ("etc/resolv.conf") is opened inside `root` (a
 * directory, relative to `base` when not absolute), with every symlink
 * resolved as if `root` were "/": the image cannot point the hook at a
 * host file.  A missing file reads as empty; anything but a regular file
 * and more than ROOTFS_FILE_MAX bytes are errors.
 */
int rootfs_read(const char *bind_source, const char *base, const char *root,
		const char *path, char **ret, size_t *ret_len,
		struct fw_error *err);

#endif
