/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The container's resolv.conf and hosts, read the way its resolver would. */
#ifndef OCI_FW_NETCONF_H
#define OCI_FW_NETCONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "interval.h"

/* glibc's MAXNS: the resolver asks only the first three nameservers. */
#define RESOLV_MAX_SERVERS 3

/*
 * The `nameserver` lines of a resolv.conf, in order, at most `max`, each
 * with port 53.  The buffer is untrusted and need not end in a newline or a
 * NUL; a NUL ends its line, as it does for the C resolvers.  Lines the
 * resolvers would not take are skipped: an address that is not the first
 * word after the keyword, anything after it on the line, comments (# or ;).
 * IPv4 takes inet_aton()'s forms ("10.1" included) as glibc and musl do.
 * An IPv6 zone ("%eth0") is accepted; only a numeric one is kept, as
 * sin6_scope_id: an interface name would need if_nametoindex(), an ioctl
 * on an inet socket that the hook's seccomp filter does not allow.
 * Returns 0 and sets *ret_n (possibly to 0); it allocates nothing.
 */
int resolv_conf_nameservers(const char *buf, size_t len,
			    struct sockaddr_storage *ret, size_t max,
			    size_t *ret_n);

/*
 * Adds to `v4` and `v6` (keylen 4 and 16, initialised by the caller) one
 * single-point interval per address of an /etc/hosts whose line names
 * `name` as its canonical name or an alias, compared without regard to
 * ASCII case.  Words are separated by blanks, # starts a comment, a NUL
 * ends its line, and a line whose address inet_pton() refuses is skipped.
 * An IPv4-mapped IPv6 address goes to `v4`: packets to it leave as IPv4.
 * Returns 0 and sets *ret_found (whether any address was added), or
 * -ENOMEM; the lists may then hold part of the answer.
 */
int hosts_lookup(const char *buf, size_t len, const char *name,
		 struct interval_list *v4, struct interval_list *v6,
		 bool *ret_found);

/*
 * The family and interval key of the packets sent to `sa`: 4 bytes for
 * AF_INET, 16 for AF_INET6, except that an IPv4-mapped IPv6 address yields
 * AF_INET and its IPv4 address, as the packets carry it on the wire.
 * Returns the key length, or -EAFNOSUPPORT for any other family.
 */
int sockaddr_key(const struct sockaddr_storage *sa, int *ret_family,
		 uint8_t key[KEY_MAX_LEN]);

#endif
