// SPDX-License-Identifier: GPL-2.0-or-later
/* The container's resolv.conf and hosts, read the way its resolver would. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "netconf.h"

#define NAMESERVER_PORT 53

/* The untrusted buffer, one line at a time; nothing is ever read past `end`. */
struct cursor {
	const char *p, *end;
};

/* The next line, without its newline and cut at its first NUL: the C
 * resolvers see each line as a string. */
static bool next_line(struct cursor *c, const char **ret_line, size_t *ret_len)
{
	const char *nl, *nul;
	size_t len;

	if (c->p >= c->end)
		return false;
	nl = memchr(c->p, '\n', (size_t)(c->end - c->p));
	len = nl ? (size_t)(nl - c->p) : (size_t)(c->end - c->p);
	nul = memchr(c->p, '\0', len);
	*ret_line = c->p;
	*ret_len = nul ? (size_t)(nul - c->p) : len;
	c->p += nl ? len + 1 : len;
	return true;
}

/* CR counts as a blank so that files written on Windows still parse. */
static bool is_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\v' ||
	       ch == '\f';
}

/* The next blank-separated word of [*p, end): false when there is none. */
static bool next_word(const char **p, const char *end, const char **ret_word,
		      size_t *ret_len)
{
	const char *s = *p, *w;

	while (s < end && is_blank(*s))
		s++;
	if (s == end)
		return false;
	w = s;
	while (s < end && !is_blank(*s))
		s++;
	*ret_word = w;
	*ret_len = (size_t)(s - w);
	*p = s;
	return true;
}

/* A NUL-terminated copy for the libc parsers; false when it does not fit,
 * which no address does. */
static bool word_copy(const char *w, size_t len, char *buf, size_t size)
{
	if (len >= size)
		return false;
	memcpy(buf, w, len);
	buf[len] = '\0';
	return true;
}

/* A numeric zone ("%2") as glibc parses it; 0 (no scope) for anything else. */
static uint32_t zone_index(const char *zone)
{
	unsigned long v;
	char *end;

	if (zone[0] < '0' || zone[0] > '9')
		return 0;
	errno = 0;
	v = strtoul(zone, &end, 10);
	if (errno || *end || v > UINT32_MAX)
		return 0;
	return (uint32_t)v;
}

static bool nameserver_parse(const char *w, size_t len,
			     struct sockaddr_storage *ret)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ret;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ret;
	char buf[INET6_ADDRSTRLEN + 1 + 64], *zone;

	if (!word_copy(w, len, buf, sizeof(buf)))
		return false;
	memset(ret, 0, sizeof(*ret));
	if (inet_aton(buf, &sin->sin_addr)) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(NAMESERVER_PORT);
		return true;
	}
	zone = strchr(buf, '%');
	if (zone)
		*zone++ = '\0';
	if (inet_pton(AF_INET6, buf, &sin6->sin6_addr) != 1)
		return false;
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons(NAMESERVER_PORT);
	sin6->sin6_scope_id = zone ? zone_index(zone) : 0;
	return true;
}

/* "nameserver ADDRESS ...": the keyword starts the line and a blank follows
 * it, so comment lines (# or ;) and indented lines never match. */
static bool nameserver_line(const char *line, size_t len,
			    struct sockaddr_storage *ret)
{
	static const char kw[] = "nameserver";
	const char *p, *w;
	size_t wlen;

	if (len < sizeof(kw) || memcmp(line, kw, sizeof(kw) - 1) != 0 ||
	    !is_blank(line[sizeof(kw) - 1]))
		return false;
	p = line + sizeof(kw) - 1;
	if (!next_word(&p, line + len, &w, &wlen))
		return false;
	return nameserver_parse(w, wlen, ret);
}

int resolv_conf_nameservers(const char *buf, size_t len,
			    struct sockaddr_storage *ret, size_t max,
			    size_t *ret_n)
{
	struct cursor c = { buf, buf + len };
	const char *line;
	size_t n = 0, llen;

	while (n < max && next_line(&c, &line, &llen))
		if (nameserver_line(line, llen, &ret[n]))
			n++;
	*ret_n = n;
	return 0;
}

int sockaddr_key(const struct sockaddr_storage *sa, int *ret_family,
		 uint8_t key[KEY_MAX_LEN])
{
	const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)sa;

	if (sa->ss_family == AF_INET) {
		memcpy(key, &sin->sin_addr, 4);
		*ret_family = AF_INET;
		return 4;
	}
	if (sa->ss_family != AF_INET6)
		return -EAFNOSUPPORT;
	if (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr)) {
		memcpy(key, sin6->sin6_addr.s6_addr + 12, 4);
		*ret_family = AF_INET;
		return 4;
	}
	memcpy(key, &sin6->sin6_addr, 16);
	*ret_family = AF_INET6;
	return 16;
}

/* ASCII only: the hook never sets a locale, and host names are ASCII. */
static bool name_equal(const char *w, size_t len, const char *name,
		       size_t name_len)
{
	if (len != name_len)
		return false;
	for (size_t i = 0; i < len; i++) {
		char a = w[i], b = name[i];

		if (a >= 'A' && a <= 'Z')
			a += 'a' - 'A';
		if (b >= 'A' && b <= 'Z')
			b += 'a' - 'A';
		if (a != b)
			return false;
	}
	return true;
}

/* Whether a word after the address in [p, end) is `name`. */
static bool hosts_line_names(const char *p, const char *end, const char *name,
			     size_t name_len)
{
	const char *w;
	size_t wlen;

	while (next_word(&p, end, &w, &wlen))
		if (name_equal(w, wlen, name, name_len))
			return true;
	return false;
}

/* The address of a hosts line, as glibc's files backend parses it. */
static bool hosts_addr_parse(const char *w, size_t len,
			     struct sockaddr_storage *ret)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ret;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ret;
	char buf[INET6_ADDRSTRLEN];

	if (!word_copy(w, len, buf, sizeof(buf)))
		return false;
	memset(ret, 0, sizeof(*ret));
	if (inet_pton(AF_INET, buf, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		return true;
	}
	if (inet_pton(AF_INET6, buf, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		return true;
	}
	return false;
}

/* 1 when the line gave an address for `name`, 0 when not, or -ENOMEM. */
static int hosts_line(const char *line, size_t len, const char *name,
		      size_t name_len, struct interval_list *v4,
		      struct interval_list *v6)
{
	const char *p = line, *end, *hash = memchr(line, '#', len), *w;
	struct sockaddr_storage sa;
	uint8_t key[KEY_MAX_LEN];
	int family;
	size_t wlen;

	end = hash ? hash : line + len;
	if (!next_word(&p, end, &w, &wlen) ||
	    !hosts_line_names(p, end, name, name_len) ||
	    !hosts_addr_parse(w, wlen, &sa))
		return 0;
	/* Never fails: hosts_addr_parse() gives AF_INET or AF_INET6. */
	sockaddr_key(&sa, &family, key);
	if (interval_add(family == AF_INET ? v4 : v6, key, key) < 0)
		return -ENOMEM;
	return 1;
}

int hosts_lookup(const char *buf, size_t len, const char *name,
		 struct interval_list *v4, struct interval_list *v6,
		 bool *ret_found)
{
	struct cursor c = { buf, buf + len };
	size_t name_len = strlen(name), llen;
	const char *line;
	bool found = false;
	int r;

	while (next_line(&c, &line, &llen)) {
		r = hosts_line(line, llen, name, name_len, v4, v6);
		if (r < 0)
			return r;
		found |= r > 0;
	}
	*ret_found = found;
	return 0;
}
