/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Scope-bound cleanup, in the style of systemd and crun. */
#ifndef OCI_FW_CLEANUP_H
#define OCI_FW_CLEANUP_H

#include <stdlib.h>
#include <unistd.h>
#include <errno.h>
#include <libnftnl/chain.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <libnftnl/table.h>
#include <libnftnl/udata.h>

static inline void freep(void *p)
{
	free(*(void **)p);
}

/* Closes *fd and forgets it: a second call (late_close() after the
 * parent's closep()) must not close a descriptor that reused the number. */
static inline void closep(int *fd)
{
	if (*fd >= 0) {
		int saved = errno;
		close(*fd);
		errno = saved;
	}
	*fd = -1;
}

/* type_freep() for a library type freed by type_free(). */
#define DEFINE_FREEP(type)                                                     \
	static inline void type##_freep(struct type **p)                      \
	{                                                                      \
		if (*p)                                                        \
			type##_free(*p);                                       \
	}
DEFINE_FREEP(nftnl_table)
DEFINE_FREEP(nftnl_chain)
DEFINE_FREEP(nftnl_set)
DEFINE_FREEP(nftnl_rule)
DEFINE_FREEP(nftnl_udata_buf)

#define _cleanup_(f) __attribute__((cleanup(f)))
#define _cleanup_free_ _cleanup_(freep)
#define _cleanup_close_ _cleanup_(closep)

/* Hand ownership out of a cleanup-scoped variable. */
#define TAKE_FD(fd)                                                            \
	({                                                                     \
		int _fd = (fd);                                                \
		(fd) = -1;                                                     \
		_fd;                                                           \
	})

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
