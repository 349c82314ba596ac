// SPDX-License-Identifier: GPL-2.0-or-later
/* Reading a file of the container's, as its processes will see it. */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"
#include "readall.h"
#include "rootfs.h"

/* An fd, or -errno. */
static int open_in_root(const char *base, const char *root, const char *path)
{
	struct open_how how = { .flags = O_RDONLY | O_CLOEXEC | O_NOCTTY |
					 O_NONBLOCK,
				.resolve = RESOLVE_IN_ROOT |
					   RESOLVE_NO_MAGICLINKS };
	_cleanup_close_ int base_fd = -1, root_fd = -1;
	int fd;

	base_fd = open(base, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (base_fd < 0)
		return -errno;
	root_fd = openat(base_fd, root[0] ? root : ".",
			 O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root_fd < 0)
		return -errno;
	fd = (int)syscall(SYS_openat2, root_fd, path, &how, sizeof(how));
	return fd < 0 ? -errno : fd;
}

int rootfs_read(const char *bind_source, const char *base, const char *root,
		const char *path, char **ret, size_t *ret_len,
		struct fw_error *err)
{
	_cleanup_close_ int fd = -1;
	struct stat st;
	int r;

	*ret = NULL;
	*ret_len = 0;
	if (bind_source[0]) {
		fd = open(bind_source, O_RDONLY | O_CLOEXEC | O_NOCTTY |
					       O_NONBLOCK);
		if (fd < 0)
			fd = -errno;
	} else {
		fd = open_in_root(base, root, path);
	}
	if (fd == -ENOENT)
		return 0;
	if (fd < 0)
		return fw_error_set(err, fd, "", "the container's /%s: %s",
				    path, strerror(-fd));
	if (fstat(fd, &st) < 0)
		return fw_error_set(err, -errno, "", "the container's /%s: %s",
				    path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return fw_error_set(err, -EINVAL, "", "the container's /%s is "
				    "not a regular file", path);
	r = read_all(fd, ROOTFS_FILE_MAX, ret, ret_len);
	if (r < 0)
		return fw_error_set(err, r, "", "the container's /%s: %s", path,
				    r == -EFBIG ? "larger than 1 MiB"
						: strerror(-r));
	return 0;
}
