// SPDX-License-Identifier: GPL-2.0-or-later
/* Strict JSON: json-c's strict mode plus the checks json-c does not make. */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "cleanup.h"
#include "json_strict.h"
#include "utf8.h"

struct key {
	const char *s;
	size_t len;
};

/* One open object or array while scanning. */
struct frame {
	bool object;
	bool expect_key;
	size_t index;
	struct key key; /* the current member's key, in objects */
	struct key *keys;
	size_t nkeys, cap;
};

/* A list handed to json_lists: json-c reads a placeholder instead. */
struct skip {
	size_t start, end;
};

struct scan {
	const char *buf;
	size_t len, pos;
	struct frame stack[JSON_MAX_DEPTH];
	unsigned int depth;
	bool at_value; /* errors name the value, not its container */
	bool non_ascii; /* a string holds a multi-byte character */
	const struct json_lists *lists;
	struct skip *skips;
	size_t nskips, skips_cap;
	struct fw_error *err;
};

/* "egress.allow[2]": where the scanner is, for error messages. */
static void scan_path(const struct scan *sc, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i + 1 < sc->depth + sc->at_value && used < len;
	     i++) {
		const struct frame *f = &sc->stack[i];

		if (f->object)
			used += snprintf(buf + used, len - used, "%s%.*s",
					 used ? "." : "", (int)f->key.len,
					 f->key.s);
		else
			used += snprintf(buf + used, len - used, "[%zu]",
					 f->index);
	}
}

/* Columns count characters, as editors do: continuation bytes add none. */
static void offset_to_line(const char *buf, size_t off, unsigned int *line,
			   unsigned int *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off; i++) {
		if (buf[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if ((buf[i] & 0xc0) != 0x80) {
			(*col)++;
		}
	}
}

__attribute__((format(printf, 2, 3))) static int
scan_fail(struct scan *sc, const char *fmt, ...)
{
	char path[128];
	va_list ap;

	scan_path(sc, path, sizeof(path));
	va_start(ap, fmt);
	fw_error_setv(sc->err, -EINVAL, path, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* An error at byte `off`, named by its line and column. */
__attribute__((format(printf, 3, 4))) static int
scan_fail_at(struct scan *sc, size_t off, const char *fmt, ...)
{
	unsigned int line, col;
	char what[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	offset_to_line(sc->buf, off, &line, &col);
	return scan_fail(sc, "line %u, column %u: %s", line, col, what);
}

static int key_cmp(const void *a, const void *b)
{
	const struct key *x = a, *y = b;
	int c = memcmp(x->s, y->s, x->len < y->len ? x->len : y->len);

	return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* Sorting makes this O(n log n): objects may hold many thousand keys. */
static int frame_check_dups(struct scan *sc, struct frame *f)
{
	char key[64];

	if (f->nkeys < 2)
		return 0;
	qsort(f->keys, f->nkeys, sizeof(*f->keys), key_cmp);
	for (size_t i = 1; i < f->nkeys; i++) {
		if (key_cmp(&f->keys[i - 1], &f->keys[i]) == 0) {
			snprintf(key, sizeof(key), "%.*s", (int)f->keys[i].len,
				 f->keys[i].s);
			return scan_fail(sc, "duplicate key \"%s\"", key);
		}
	}
	return 0;
}

static int frame_add_key(struct scan *sc, struct frame *f, struct key k)
{
	if (memchr(k.s, '\\', k.len))
		return scan_fail(sc, "escape sequences in keys are not allowed");
	if (ARRAY_RESERVE(f->keys, f->cap, f->nkeys, 8) < 0)
		return -ENOMEM;
	f->keys[f->nkeys++] = k;
	f->key = k;
	return 0;
}

/* "\u0000" is refused: C strings would end there, and the hook would act
 * on less than what jq or a reviewer reads.  A backslash must not take
 * half a character along: the escaped copy would read it as "\\u00e9". */
static int scan_escape(struct scan *sc)
{
	unsigned char next;

	if (sc->len - sc->pos >= 6 &&
	    memcmp(sc->buf + sc->pos + 1, "u0000", 5) == 0)
		return scan_fail(sc, "\\u0000 (NUL) inside a string");
	if (++sc->pos == sc->len)
		return 0;
	next = (unsigned char)sc->buf[sc->pos];
	if (next >= 0x80)
		return scan_fail_at(sc, sc->pos - 1, "invalid escape: \\ "
				    "before a non-ASCII character");
	if (next >= 0x20) /* a control character is refused next */
		sc->pos++;
	return 0;
}

/* JSON forbids raw U+0000..U+001F in strings; json-c 0.16 lets them by. */
static int scan_control(struct scan *sc, unsigned char c)
{
	static const char *const short_form[0x20] = {
		['\b'] = "\\b", ['\t'] = "\\t", ['\n'] = "\\n",
		['\f'] = "\\f", ['\r'] = "\\r",
	};

	if (short_form[c])
		return scan_fail_at(sc, sc->pos, "control character 0x%02x "
				    "inside a string (write %s)", c,
				    short_form[c]);
	return scan_fail_at(sc, sc->pos, "control character 0x%02x inside a "
			    "string (write \\u%04x)", c, c);
}

/* Validates here, whatever json-c's version checks or gets wrong. */
static int scan_utf8(struct scan *sc)
{
	char why[64];
	uint32_t cp;
	int n;

	n = utf8_decode(sc->buf + sc->pos, sc->len - sc->pos, &cp, why,
			sizeof(why));
	if (n < 0)
		return scan_fail_at(sc, sc->pos, "invalid UTF-8: %s", why);
	sc->pos += (size_t)n;
	sc->non_ascii = true;
	return 0;
}

static int scan_char(struct scan *sc)
{
	unsigned char c = (unsigned char)sc->buf[sc->pos];

	if (c >= 0x20 && c < 0x80 && c != '\\') { /* most of them */
		sc->pos++;
		return 0;
	}
	if (c < 0x20)
		return scan_control(sc, c);
	if (c >= 0x80)
		return scan_utf8(sc);
	return scan_escape(sc);
}

/* Skips a double-quoted string starting at sc->pos; returns its body. */
static int scan_string(struct scan *sc, struct key *ret)
{
	size_t start = ++sc->pos;
	int r = 0;

	while (r == 0 && sc->pos < sc->len && sc->buf[sc->pos] != '"')
		r = scan_char(sc);
	if (r < 0)
		return r;
	if (sc->pos >= sc->len)
		return 0; /* unterminated: json-c reports it with a position */
	*ret = (struct key){ sc->buf + start, sc->pos - start };
	sc->pos++;
	return 0;
}

static int scan_open(struct scan *sc, bool object)
{
	if (sc->depth == JSON_MAX_DEPTH)
		return fw_error_set(sc->err, -EINVAL, "",
				    "nested deeper than %d levels",
				    JSON_MAX_DEPTH);
	sc->stack[sc->depth++] = (struct frame){ .object = object,
						 .expect_key = object };
	return 0;
}

static size_t skip_blank(const char *buf, size_t pos, size_t len)
{
	while (pos < len && json_is_blank(buf + pos, 1))
		pos++;
	return pos;
}

/* Where the array at `pos` ends (after its ']') when it holds one or more
 * strings of printable ASCII without escapes and nothing else; else 0. */
static size_t plain_list_end(const char *buf, size_t pos, size_t len)
{
	for (pos = skip_blank(buf, pos + 1, len);;
	     pos = skip_blank(buf, pos + 1, len)) {
		if (pos >= len || buf[pos] != '"')
			return 0;
		for (pos++; pos < len && buf[pos] != '"'; pos++)
			if ((unsigned char)buf[pos] < 0x20 ||
			    (unsigned char)buf[pos] >= 0x80 || buf[pos] == '\\')
				return 0;
		pos = skip_blank(buf, pos + 1, len);
		if (pos < len && buf[pos] == ']')
			return pos + 1;
		if (pos >= len || buf[pos] != ',')
			return 0;
	}
}

/* The path of the value at sc->pos, for the caller's callbacks. */
static void value_path(struct scan *sc, char *buf, size_t len)
{
	sc->at_value = true;
	scan_path(sc, buf, len);
	sc->at_value = false;
}

/* json-c reads a number where the bytes from `start` to `end` are. */
static int add_skip(struct scan *sc, size_t start, size_t end)
{
	if (ARRAY_RESERVE(sc->skips, sc->skips_cap, sc->nskips, 8) < 0)
		return -ENOMEM;
	sc->skips[sc->nskips++] = (struct skip){ start, end };
	return 0;
}

/* Hands the array at sc->pos to sc->lists when it is a plain list the
 * caller wants; sets `taken` then. */
static int scan_take_list(struct scan *sc, bool *taken)
{
	size_t end = plain_list_end(sc->buf, sc->pos, sc->len), at;
	const char *s, *e;
	char path[128];
	int r;

	if (!sc->lists || end == 0 || sc->depth == JSON_MAX_DEPTH)
		return 0;
	value_path(sc, path, sizeof(path));
	if (!sc->lists->open(sc->lists->ctx, path))
		return 0;
	if (add_skip(sc, sc->pos, end) < 0)
		return -ENOMEM;
	for (at = sc->pos; (s = memchr(sc->buf + at, '"', end - at));
	     at = (size_t)(e - sc->buf) + 1) {
		s++;
		e = memchr(s, '"', (size_t)(sc->buf + end - s));
		r = sc->lists->add(sc->lists->ctx, s, (size_t)(e - s));
		if (r < 0)
			return fw_error_set(sc->err, r, path, "%s", strerror(-r));
	}
	sc->pos = end;
	*taken = true;
	return 0;
}

static int scan_close(struct scan *sc)
{
	struct frame *f;
	int r = 0;

	if (sc->depth == 0)
		return 0; /* unbalanced: json-c reports it */
	f = &sc->stack[sc->depth - 1];
	if (f->object)
		r = frame_check_dups(sc, f);
	free(f->keys);
	sc->depth--;
	return r;
}

/*
 * An integer that fits neither int64 nor uint64: json-c 0.16 saturates it
 * (and the hook would then say what was wrong with the saturated value),
 * 0.18 in strict mode refuses it without a path.  Refused here the same
 * way on every version.  Fractions and exponents are json-c's (doubles).
 */
static int scan_number(struct scan *sc)
{
	static const char u64_max[] = "18446744073709551615",
			  i64_min[] = "9223372036854775808";
	size_t start = sc->pos, digits;
	bool negative = sc->buf[sc->pos] == '-';
	const char *limit = negative ? i64_min : u64_max;

	if (negative)
		sc->pos++;
	digits = sc->pos;
	while (sc->pos < sc->len && sc->buf[sc->pos] >= '0' &&
	       sc->buf[sc->pos] <= '9')
		sc->pos++;
	digits = sc->pos - digits;
	if (sc->pos < sc->len && strchr(".eE", sc->buf[sc->pos]))
		return 0; /* a double: the rest is scanned as other bytes */
	if (digits < strlen(limit) ||
	    (digits == strlen(limit) &&
	     memcmp(sc->buf + sc->pos - digits, limit, digits) <= 0))
		return 0;
	sc->at_value = true; /* the path names the number itself */
	return scan_fail_at(sc, start, "%.*s: integer out of range",
			    (int)(sc->pos - start > 40 ? 40 : sc->pos - start),
			    sc->buf + start);
}

/* json-c stops at the '}' or ']' after a comma; say what people wrote. */
static bool trailing_comma(const char *buf, size_t end, size_t len)
{
	if (end >= len || (buf[end] != '}' && buf[end] != ']'))
		return false;
	while (end > 0 && json_is_blank(buf + end - 1, 1))
		end--;
	return end > 0 && buf[end - 1] == ',';
}

/* How many digits start at *pos; *pos moves past them. */
static size_t skip_digits(const char *buf, size_t *pos, size_t len)
{
	size_t start = *pos;

	while (*pos < len && buf[*pos] >= '0' && buf[*pos] <= '9')
		(*pos)++;
	return *pos - start;
}

/* Where the number at `pos` ends by JSON's grammar, or 0:
 * -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static size_t number_end(const char *buf, size_t pos, size_t len)
{
	if (pos < len && buf[pos] == '-')
		pos++;
	if (pos < len && buf[pos] == '0')
		pos++;
	else if (!skip_digits(buf, &pos, len))
		return 0;
	if (pos < len && buf[pos] == '.') {
		pos++;
		if (!skip_digits(buf, &pos, len))
			return 0;
	}
	if (pos < len && (buf[pos] == 'e' || buf[pos] == 'E')) {
		pos++;
		if (pos < len && (buf[pos] == '+' || buf[pos] == '-'))
			pos++;
		if (!skip_digits(buf, &pos, len))
			return 0;
	}
	return pos;
}

/* What may come next in a value that json-c never sees. */
enum next { NEXT_VALUE, NEXT_KEY, NEXT_COLON, NEXT_COMMA };

/* A value in an unread one: '{' and '[' open a frame, a string, number
 * or literal is whole; *next is what may follow. */
static int scan_unread_value(struct scan *sc, enum next *next)
{
	static const char *const literals[] = { "true", "false", "null" };
	char c = sc->buf[sc->pos];
	size_t start = sc->pos, end;
	struct key k = { NULL, 0 };
	int r;

	*next = NEXT_COMMA;
	if (c == '{' || c == '[') {
		sc->pos++;
		*next = c == '{' ? NEXT_KEY : NEXT_VALUE;
		return scan_open(sc, c == '{');
	}
	if (c == '"') {
		r = scan_string(sc, &k);
		return r < 0 || k.s ? r : scan_fail_at(sc, start,
							"unterminated string");
	}
	if (c == '-' || (c >= '0' && c <= '9')) {
		end = number_end(sc->buf, sc->pos, sc->len);
		if (end == 0)
			return scan_fail_at(sc, start, "invalid number");
		r = scan_number(sc);
		sc->pos = end;
		return r;
	}
	for (size_t i = 0; i < ARRAY_SIZE(literals); i++) {
		end = strlen(literals[i]);
		if (sc->len - sc->pos >= end &&
		    memcmp(sc->buf + sc->pos, literals[i], end) == 0) {
			sc->pos += end;
			return 0;
		}
	}
	return scan_fail_at(sc, start, "expected a value");
}

/*
 * The object or array at sc->pos, which the caller never reads: json-c
 * will not see it, so its grammar is checked here with the rest (strings,
 * keys, duplicates, numbers, depth).
 */
static int scan_unread(struct scan *sc)
{
	unsigned int base = sc->depth;
	enum next next = NEXT_VALUE;
	bool may_close = false;
	int r = 0;

	do {
		struct frame *f = sc->depth > base ? &sc->stack[sc->depth - 1]
						   : NULL;
		struct key k = { NULL, 0 };
		size_t start;
		bool closer;
		char c;

		sc->pos = skip_blank(sc->buf, sc->pos, sc->len);
		if (sc->pos == sc->len)
			return fw_error_set(sc->err, -EINVAL, "",
					    "truncated JSON");
		c = sc->buf[sc->pos];
		closer = c == '}' || c == ']';
		if (f && closer && may_close && f->object == (c == '}')) {
			sc->pos++;
			r = scan_close(sc);
			next = NEXT_COMMA;
			continue;
		}
		if (closer && trailing_comma(sc->buf, sc->pos, sc->len))
			return scan_fail_at(sc, sc->pos, "trailing comma");
		switch (next) {
		case NEXT_COMMA:
			if (c != ',')
				return scan_fail_at(sc, sc->pos, "expected ',' "
						    "or '%c'",
						    f->object ? '}' : ']');
			sc->pos++;
			if (f->object)
				f->expect_key = true;
			else
				f->index++;
			next = f->object ? NEXT_KEY : NEXT_VALUE;
			may_close = false;
			break;
		case NEXT_COLON:
			if (c != ':')
				return scan_fail_at(sc, sc->pos, "expected ':'");
			sc->pos++;
			next = NEXT_VALUE;
			break;
		case NEXT_KEY:
			if (c != '"')
				return scan_fail_at(sc, sc->pos,
						    "expected a key");
			start = sc->pos;
			r = scan_string(sc, &k);
			if (r == 0 && !k.s)
				r = scan_fail_at(sc, start,
						 "unterminated string");
			if (r == 0) {
				f->expect_key = false;
				r = frame_add_key(sc, f, k);
			}
			next = NEXT_COLON;
			may_close = false;
			break;
		case NEXT_VALUE:
			r = scan_unread_value(sc, &next);
			may_close = true;
			break;
		}
	} while (r == 0 && sc->depth > base);
	return r;
}

/* Hands the object or array at sc->pos to scan_unread() when the caller
 * never reads it; sets `taken` then. */
static int scan_skip_unread(struct scan *sc, bool *taken)
{
	size_t start = sc->pos;
	char path[128];
	int r;

	if (!sc->lists || !sc->lists->unread || sc->depth == 0)
		return 0;
	value_path(sc, path, sizeof(path));
	if (!sc->lists->unread(sc->lists->ctx, path))
		return 0;
	r = scan_unread(sc);
	if (r == 0)
		r = add_skip(sc, start, sc->pos);
	*taken = r == 0;
	return r;
}

static int scan_token(struct scan *sc)
{
	struct frame *f = sc->depth ? &sc->stack[sc->depth - 1] : NULL;
	char c = sc->buf[sc->pos];
	struct key k = { NULL, 0 };
	bool taken = false;
	int r;

	switch (c) {
	case '[':
		r = scan_take_list(sc, &taken);
		if (r < 0 || taken)
			return r;
		/* fall through */
	case '{':
		r = scan_skip_unread(sc, &taken);
		if (r < 0 || taken)
			return r;
		sc->pos++;
		return scan_open(sc, c == '{');
	case '}':
	case ']':
		sc->pos++;
		return scan_close(sc);
	case ',':
		sc->pos++;
		if (f && f->object)
			f->expect_key = true;
		else if (f)
			f->index++;
		return 0;
	case '"':
		r = scan_string(sc, &k);
		if (r == 0 && k.s && f && f->object && f->expect_key) {
			f->expect_key = false;
			return frame_add_key(sc, f, k);
		}
		return r;
	case '\'':
		return scan_fail(sc, "single-quoted strings are not JSON");
	case '-':
	case '0' ... '9':
		return scan_number(sc);
	default:
		if ((unsigned char)c >= 0x80)
			return scan_fail_at(sc, sc->pos, "byte 0x%02x outside "
					    "a string", (unsigned char)c);
		sc->pos++;
		return 0;
	}
}

/* Sets sc->non_ascii when json-c must read escaped copies, and sc->skips
 * to the lists taken. */
static int scan_document(struct scan *sc)
{
	const char *nul = memchr(sc->buf, '\0', sc->len);
	int r = 0;

	if (nul)
		return fw_error_set(sc->err, -EINVAL, "", "NUL byte at offset "
				    "%zu", (size_t)(nul - sc->buf));
	if (sc->len >= 3 && memcmp(sc->buf, "\xef\xbb\xbf", 3) == 0)
		return fw_error_set(sc->err, -EINVAL, "", "starts with a byte "
				    "order mark: save it as UTF-8 without BOM");
	while (sc->pos < sc->len && r == 0)
		r = scan_token(sc);
	while (sc->depth > 0) {
		free(sc->stack[sc->depth - 1].keys);
		sc->depth--;
	}
	return r;
}

bool json_is_blank(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (buf[i] != ' ' && buf[i] != '\t' && buf[i] != '\r' &&
		    buf[i] != '\n')
			return false;
	return true;
}

/* Feeds `len` bytes at `buf` to json-c, as a copy with \\u escapes when
 * `escape` (json-c reads multi-byte characters so, whatever its version
 * does with raw ones); `end` is where it stopped, mapped back to `buf`. */
static int feed(struct json_tokener *tok, const char *buf, size_t len,
		bool escape, struct json_object **ret, size_t *end)
{
	_cleanup_free_ char *copy = NULL;
	size_t n = len;
	int r;

	if (escape) {
		r = utf8_escape(buf, len, &copy, &n);
		if (r < 0)
			return r;
	}
	*ret = json_tokener_parse_ex(tok, copy ? copy : buf, (int)n);
	*end = json_tokener_get_parse_end(tok);
	if (escape)
		*end = utf8_unescape_offset(buf, len, *end);
	return 0;
}

/* Where the number standing for skip i is in the spliced copy. */
struct placeholder {
	size_t at, len;
};

/* The text json-c reads when lists were taken or values left unread: the
 * bytes between them, each replaced by its index, in one copy.  One parse
 * of it, not one per piece: json-c sets up a locale at every call. */
static int splice(const struct scan *sc, char **ret, size_t *ret_len,
		  struct placeholder **ret_ph)
{
	size_t n = sc->len + 1, pos = 0;
	struct placeholder *ph;
	char *copy;

	for (size_t i = 0; i < sc->nskips; i++) /* ranges out, numbers in */
		n += 20 - (sc->skips[i].end - sc->skips[i].start);
	copy = malloc(n);
	ph = calloc(sc->nskips, sizeof(*ph));
	n = 0;

	if (!copy || !ph) {
		free(copy);
		free(ph);
		return -ENOMEM;
	}
	for (size_t i = 0; i < sc->nskips; i++) {
		memcpy(copy + n, sc->buf + pos, sc->skips[i].start - pos);
		n += sc->skips[i].start - pos;
		ph[i].at = n;
		ph[i].len = (size_t)sprintf(copy + n, "%zu", i);
		n += ph[i].len;
		pos = sc->skips[i].end;
	}
	memcpy(copy + n, sc->buf + pos, sc->len - pos);
	n += sc->len - pos;
	copy[n] = '\0';
	*ret = copy;
	*ret_len = n;
	*ret_ph = ph;
	return 0;
}

/* The offset in the caller's text of offset `off` of the spliced copy: a
 * placeholder's is where its list or value starts. */
static size_t unsplice_offset(const struct scan *sc,
			      const struct placeholder *ph, size_t off)
{
	size_t shift = 0;

	for (size_t i = 0; i < sc->nskips && off >= ph[i].at; i++) {
		if (off < ph[i].at + ph[i].len)
			return sc->skips[i].start;
		shift = sc->skips[i].end - (ph[i].at + ph[i].len);
	}
	return off + shift;
}

/* json-c's verdict on the buffer, each taken list read as its number;
 * `end` is where it stopped. */
static int tokenize(const struct scan *sc, struct json_object **ret,
		    enum json_tokener_error *jerr, size_t *end)
{
	struct json_tokener *tok = json_tokener_new_ex(JSON_MAX_DEPTH + 1);
	_cleanup_free_ struct placeholder *ph = NULL;
	_cleanup_free_ char *copy = NULL;
	struct json_object *obj = NULL;
	const char *text = sc->buf;
	size_t len = sc->len, got = 0;
	int r = 0;

	if (!tok)
		return -ENOMEM;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
					    JSON_TOKENER_VALIDATE_UTF8);
	if (sc->nskips)
		r = splice(sc, &copy, &len, &ph);
	if (copy)
		text = copy;
	if (r == 0 && len > 0)
		r = feed(tok, text, len, sc->non_ascii, &obj, &got);
	*jerr = json_tokener_get_error(tok);
	*end = ph ? unsplice_offset(sc, ph, got) : got;
	/* A value that could go on ("null", "5") ends where the input does:
	 * a NUL tells json-c so. */
	if (r == 0 && *jerr == json_tokener_continue &&
	    !json_is_blank(sc->buf, sc->len)) {
		obj = json_tokener_parse_ex(tok, "", 1);
		*jerr = json_tokener_get_error(tok);
		*end = sc->len;
	}
	json_tokener_free(tok);
	*ret = obj;
	return r;
}

int json_parse_strict(const char *buf, size_t len, struct json_object **ret,
		      struct fw_error *err)
{
	return json_parse_lists(buf, len, NULL, ret, err);
}

int json_parse_lists(const char *buf, size_t len, const struct json_lists *l,
		     struct json_object **ret, struct fw_error *err)
{
	struct scan sc = { .buf = buf, .len = len, .lists = l, .err = err };
	enum json_tokener_error jerr = json_tokener_success;
	struct json_object *obj = NULL;
	unsigned int line, col;
	size_t end = 0;
	int r;

	r = scan_document(&sc);
	if (r == 0 && (r = tokenize(&sc, &obj, &jerr, &end)) < 0)
		fw_error_set(err, r, "", "%s", strerror(-r));
	free(sc.skips);
	if (r < 0)
		return r;
	/* A lone "null" is NULL: callers see a value of type null. */
	if (jerr == json_tokener_success && json_is_blank(buf + end, len - end)) {
		*ret = obj;
		return 0;
	}
	json_object_put(obj);
	if (jerr == json_tokener_continue || end >= len)
		return fw_error_set(err, -EINVAL, "", "%s",
				    json_is_blank(buf, len) ? "empty: no JSON value"
							    : "truncated JSON");
	offset_to_line(buf, end, &line, &col);
	return fw_error_set(err, -EINVAL, "", "line %u, column %u: %s", line,
			    col,
			    jerr == json_tokener_success ? "text after the JSON value"
			    : trailing_comma(buf, end, len)
				    ? "trailing comma"
				    : json_tokener_error_desc(jerr));
}
