// SPDX-License-Identifier: GPL-2.0-or-later
/* What the hook writes into the kernel and reads back: the table comment and
 * the sets' names, each with one writer and one reader. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "names.h"

#define HEX "0123456789abcdef"
#define SYMBOL_PREFIX "sym."
#define HOSTNAME_PREFIX "sym.name"
#define LEARNED_PREFIX "learn."

void table_digest_hex(const uint8_t digest[32], char ret[TABLE_DIGEST_HEX + 1])
{
	for (int i = 0; i < TABLE_DIGEST_HEX / 2; i++) {
		ret[2 * i] = HEX[digest[i] >> 4];
		ret[2 * i + 1] = HEX[digest[i] & 0xf];
	}
	ret[TABLE_DIGEST_HEX] = '\0';
}

void table_comment_format(const struct table_comment *t, char *buf, size_t len)
{
	snprintf(buf, len, "%.*s sha256:%.*s from:%.*s%s%s", POLICY_NAME_MAX,
		 t->name, TABLE_DIGEST_HEX, t->sha256, TABLE_DIGEST_HEX,
		 t->origin,
		 t->audit ? TABLE_AUDIT_MARK : t->mixed ? TABLE_MIXED_MARK : "",
		 t->is_default ? TABLE_DEFAULT_MARK : "");
}

/* Moves *p past `word` when it starts there. */
static bool skip(const char **p, const char *word)
{
	size_t n = strlen(word);

	if (strncmp(*p, word, n) != 0)
		return false;
	*p += n;
	return true;
}

/* `key` then exactly TABLE_DIGEST_HEX lowercase hex digits. */
static bool hex_field(const char **p, const char *key,
		      char ret[TABLE_DIGEST_HEX + 1])
{
	if (!skip(p, key) || strspn(*p, HEX) < TABLE_DIGEST_HEX)
		return false;
	memcpy(ret, *p, TABLE_DIGEST_HEX);
	ret[TABLE_DIGEST_HEX] = '\0';
	*p += TABLE_DIGEST_HEX;
	return true;
}

int table_comment_parse(const char *s, struct table_comment *ret)
{
	struct table_comment t = { 0 };
	size_t n = strcspn(s, " ");
	const char *p = s + n;

	if (n == 0 || n > POLICY_NAME_MAX)
		return -EINVAL;
	memcpy(t.name, s, n);
	if (!hex_field(&p, " sha256:", t.sha256) ||
	    !hex_field(&p, " from:", t.origin))
		return -EINVAL;
	t.audit = skip(&p, TABLE_AUDIT_MARK);
	t.mixed = !t.audit && skip(&p, TABLE_MIXED_MARK);
	t.is_default = skip(&p, TABLE_DEFAULT_MARK);
	if (*p)
		return -EINVAL;
	*ret = t;
	return 0;
}

const char *table_mode_name(const struct table_comment *t)
{
	return t->audit ? "audit" : t->mixed ? "mixed" : "enforce";
}

bool table_same_policy(const struct table_comment *a,
		       const struct table_comment *b)
{
	return strcmp(a->name, b->name) == 0 &&
	       strcmp(a->origin, b->origin) == 0;
}

int set_name_format(const struct set_name *s, char *buf, size_t len)
{
	char fam = s->family ? '6' : '4';
	int n;

	switch (s->kind) {
	case SET_NAME_POLICY:
		n = snprintf(buf, len, "%s_v%c", s->word, fam);
		break;
	case SET_NAME_SYMBOL:
		n = snprintf(buf, len, SYMBOL_PREFIX "%s_v%c", s->word, fam);
		break;
	case SET_NAME_HOSTNAME:
		n = snprintf(buf, len, HOSTNAME_PREFIX "%zu_v%c", s->index, fam);
		break;
	case SET_NAME_LEARNED:
		n = snprintf(buf, len, LEARNED_PREFIX "%zu_v%c", s->index, fam);
		break;
	case SET_NAME_RULE:
		n = snprintf(buf, len, "%s.%s.%zu_v%c", direction_names[s->dir],
			     s->word, s->index, fam);
		break;
	default:
		return -EINVAL;
	}
	if (n >= 0 && (size_t)n < len && s->by_prefix)
		n += snprintf(buf + n, len - (size_t)n, ".%u", s->prefix);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* A number as "%zu" writes it: digits, no leading zero, bounded. */
static bool parse_index(const char *s, size_t len, size_t *ret)
{
	size_t v = 0;

	if (len == 0 || len > 9 || strspn(s, "0123456789") < len ||
	    (s[0] == '0' && len > 1))
		return false;
	for (size_t i = 0; i < len; i++)
		v = v * 10 + (size_t)(s[i] - '0');
	*ret = v;
	return true;
}

/* A word of `len` bytes without '.': a set's, a symbol's or a list's. */
static bool parse_word(const char *s, size_t len, char *ret)
{
	if (len == 0 || len > POLICY_SET_NAME_MAX || memchr(s, '.', len))
		return false;
	memcpy(ret, s, len);
	ret[len] = '\0';
	return true;
}

/* "egress.allow.2" */
static bool parse_rule(const char *s, size_t len, struct set_name *ret)
{
	for (int d = 0; d < DIR_COUNT; d++) {
		size_t n = strlen(direction_names[d]), w;

		if (len <= n || strncmp(s, direction_names[d], n) != 0 ||
		    s[n] != '.')
			continue;
		s += n + 1;
		len -= n + 1;
		w = strcspn(s, ".");
		ret->kind = SET_NAME_RULE;
		ret->dir = (enum direction)d;
		return w < len && parse_word(s, w, ret->word) &&
		       parse_index(s + w + 1, len - w - 1, &ret->index);
	}
	return false;
}

/* "_v4.24" at the end of `name`: strips ".24" and says so. */
static bool parse_prefix(const char *name, size_t *len, struct set_name *ret)
{
	const char *dot = memrchr(name, '.', *len);
	size_t prefix;

	if (!dot || dot - name < 3 || dot[-3] != '_' || dot[-2] != 'v' ||
	    !parse_index(dot + 1, *len - (size_t)(dot + 1 - name), &prefix) ||
	    prefix > (dot[-1] == '6' ? 128u : 32u))
		return false;
	ret->by_prefix = true;
	ret->prefix = (unsigned int)prefix;
	*len = (size_t)(dot - name);
	return true;
}

int set_name_parse(const char *name, struct set_name *ret)
{
	struct set_name s = { 0 };
	size_t len = strnlen(name, SET_NAME_MAX), n = strlen(HOSTNAME_PREFIX);
	size_t nl = strlen(LEARNED_PREFIX);
	bool ok;

	if (len == SET_NAME_MAX)
		return -EINVAL;
	parse_prefix(name, &len, &s);
	if (len < 4 || name[len - 3] != '_' ||
	    name[len - 2] != 'v' || !strchr("46", name[len - 1]))
		return -EINVAL;
	s.family = name[len - 1] == '6';
	len -= 3;
	if (len > n && strncmp(name, HOSTNAME_PREFIX, n) == 0) {
		s.kind = SET_NAME_HOSTNAME;
		ok = parse_index(name + n, len - n, &s.index);
	} else if (len > nl && strncmp(name, LEARNED_PREFIX, nl) == 0) {
		s.kind = SET_NAME_LEARNED;
		ok = parse_index(name + nl, len - nl, &s.index);
	} else if (strncmp(name, SYMBOL_PREFIX, strlen(SYMBOL_PREFIX)) == 0) {
		s.kind = SET_NAME_SYMBOL;
		ok = parse_word(name + strlen(SYMBOL_PREFIX),
				len - strlen(SYMBOL_PREFIX), s.word);
	} else if (memchr(name, '.', len)) {
		ok = parse_rule(name, len, &s);
	} else {
		s.kind = SET_NAME_POLICY;
		ok = parse_word(name, len, s.word);
	}
	if (!ok)
		return -EINVAL;
	*ret = s;
	return 0;
}

#define WATCH_PREFIX "oci-fw-watch:"

const char *const watch_action_names[] = {
	[WATCH_NONE] = "",
	[WATCH_DROP] = "drop",
	[WATCH_REJECT] = "reject",
	[WATCH_AUDIT_DROP] = "audit-drop",
	[WATCH_AUDIT_REJECT] = "audit-reject",
};

void watch_prefix_format(enum watch_action a, const char *path,
			 size_t path_len, char *buf, size_t len)
{
	snprintf(buf, len, WATCH_PREFIX "%s:%.*s", watch_action_names[a],
		 (int)path_len, path);
}

int watch_prefix_parse(const char *s, enum watch_action *ret_action,
		       const char **ret_path)
{
	size_t n = strlen(WATCH_PREFIX);

	if (strncmp(s, WATCH_PREFIX, n) != 0)
		return -EINVAL;
	s += n;
	for (int a = WATCH_DROP; a <= WATCH_AUDIT_REJECT; a++) {
		size_t w = strlen(watch_action_names[a]);

		if (strncmp(s, watch_action_names[a], w) == 0 && s[w] == ':') {
			*ret_action = (enum watch_action)a;
			*ret_path = s + w + 1;
			return 0;
		}
	}
	return -EINVAL;
}
