// SPDX-License-Identifier: GPL-2.0-or-later
/* Reading a whole file descriptor, up to a bound. */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "readall.h"

int read_all(int fd, size_t max, char **ret, size_t *ret_len)
{
	size_t cap = 0, len = 0;
	char *buf = NULL, *grown;
	ssize_t n;

	for (;;) {
		if (len == cap) {
			cap = cap ? 2 * cap : 1u << 16;
			grown = realloc(buf, cap + 1);
			if (!grown) {
				free(buf);
				return -ENOMEM;
			}
			buf = grown;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		if (len > max) {
			free(buf);
			return -EFBIG;
		}
	}
	if (n < 0) {
		int e = errno;

		free(buf);
		return -e;
	}
	buf[len] = '\0';
	*ret = buf;
	*ret_len = len;
	return 0;
}
