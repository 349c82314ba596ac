/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A DNS stub resolver over UDP, bounded in time, for names in a policy. */
#ifndef OCI_FW_DNS_H
#define OCI_FW_DNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "error.h"
#include "interval.h"

/* The longest name in text, without the trailing dot. */
#define DNS_NAME_MAX 253
/* Limits of one dns_resolve() call; more is -E2BIG. */
#define DNS_MAX_NAMES 64
#define DNS_MAX_SERVERS 16

#define DNS_TYPE_A 1
#define DNS_TYPE_AAAA 28

/* Header, the longest name in wire form (255), type and class. */
#define DNS_QUERY_MAX (12 + 255 + 4)

struct dns_name {
	/* "api.example.com", a trailing dot allowed; the caller validated
	 * it (LDH labels). */
	const char *name;
	/* Initialised by the caller (keylen 4 and 16); each address found is
	 * added as a single-point interval, unsorted, possibly twice:
	 * interval_normalize() them. */
	struct interval_list v4, v6;
	/* A server answered both A and AAAA: NOERROR (possibly without
	 * addresses) or NXDOMAIN. */
	bool answered;
};

/*
 * Draws the secret that query ids derive from, once per process (later
 * calls do nothing).  Call it before a seccomp filter that forbids
 * getrandom(); dns_resolve() calls it otherwise.  A child forked after it
 * would repeat its parent's ids.  Returns 0 or -errno with `err` filled.
 */
int dns_seed(struct fw_error *err);

/*
 * Asks `servers` (AF_INET or AF_INET6, port set) for the A and AAAA records
 * of every name over UDP, all queries in flight at once, and returns within
 * `budget_ms`.  Each query goes to the first server, then to the next one
 * (round robin) every budget_ms / 3 while unanswered; SERVFAIL, REFUSED or a
 * failing sendto() moves it to the next server at once, and a query every
 * server failed is given up.  A response counts only when it comes from a
 * server the query was sent to (each server has its own connected socket,
 * on a port the kernel drew), carries the query's id (unpredictable, see
 * dns_seed()) and question, and did not come over "lo" unless the server
 * is on a loopback address: a process of the namespace can send from a
 * foreign address to a local one, but only ever over "lo".
 *
 * Sets each name's `answered`; names nobody answered are no error.  Returns
 * 0, or -errno with `err` filled: -E2BIG for more than DNS_MAX_NAMES names
 * or DNS_MAX_SERVERS servers, -EINVAL for a name that is no DNS name or a
 * server of another family, -ENOMEM, or what socket() or ppoll() failed
 * with (or getrandom(), when dns_seed() was not called).  A family the
 * netns lacks (EAFNOSUPPORT) only makes its servers unreachable.
 *
 * Syscalls: socket, setsockopt, connect, sendto, recvmsg, ppoll, close,
 * clock_gettime (when the vDSO cannot serve it), and brk/mmap when
 * interval_add() grows a list; getrandom too unless dns_seed() came first.
 */
int dns_resolve(const struct sockaddr_storage *servers, size_t nservers,
		struct dns_name *names, size_t nnames, unsigned int budget_ms,
		struct fw_error *err);

/*
 * Writes a query with one question (name, qtype, class IN) and RD set into
 * buf.  Returns 0 and its length in *ret_len, -EINVAL when `name` has an
 * empty label, a label longer than 63 or is longer than DNS_NAME_MAX, or
 * -ENOBUFS when `len` is too short (DNS_QUERY_MAX always suffices).
 */
int dns_query_build(uint16_t id, const char *name, uint16_t qtype,
		    uint8_t *buf, size_t len, size_t *ret_len);

/*
 * Parses one response to the query (id, name, qtype), qtype A or AAAA.
 * Returns:
 *   0        an answer: NOERROR, whose records of qtype and class IN in the
 *            answer section owned by `name` or by a CNAME target reached
 *            from it are added to v4 or v6; or NXDOMAIN, adding nothing;
 *   -EAGAIN  the server failed: SERVFAIL, REFUSED, any other rcode, or TC
 *            set and no address usable;
 *   -EINVAL  malformed, or not the response to this query (id, QR, opcode,
 *            question: compared case-insensitively);
 *   -ENOMEM.
 * On any error v4 and v6 are left as they were.  Safe on any bytes.
 */
int dns_response_parse(const uint8_t *buf, size_t len, uint16_t id,
		       const char *name, uint16_t qtype,
		       struct interval_list *v4, struct interval_list *v6);

/* Addresses one answer may teach; the rest of a longer answer is not
 * learned (a client tries the first ones). */
#define DNS_LEARN_MAX_ADDRS 32

/* What a response says about the name it answers: the learner's. */
struct dns_learned {
	char qname[DNS_NAME_MAX + 1]; /* the question: lowercase, no dot at end */
	uint16_t qtype;		      /* DNS_TYPE_A or DNS_TYPE_AAAA */
	uint32_t ttl;		      /* the least TTL of the records used */
	size_t naddrs;
	uint8_t addrs[DNS_LEARN_MAX_ADDRS][16]; /* 4 bytes each for A */
};

/*
 * Reads a response to any one question of class IN: the records of the
 * question's type owned by the question's name or by a CNAME target
 * reached from it within the answer section (dns_response_parse's rules:
 * the chain ends after DNS_CHAIN_MAX names; with TC set, the records read
 * whole count).  Returns 0 (naddrs may be 0), -ENOENT for a well-formed
 * message that teaches nothing (another type, an rcode other than
 * NOERROR, a name with bytes no policy name has), -EINVAL when
 * malformed.  Not reentrant (a static work area).  Safe on any bytes.
 */
int dns_answer_read(const uint8_t *buf, size_t len, struct dns_learned *ret);

#endif
