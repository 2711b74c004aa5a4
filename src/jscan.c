/* SPDX-License-Identifier: MIT */
/* jscan.c - validate a JSON object and index its members, without a DOM */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "hash.h"
#include "jscan.h"
#include "util.h"

void
jscan_init(struct jscan *s)
{
	memset(s, 0, sizeof(*s));
}

void
jscan_release(struct jscan *s)
{
	free(s->m);
	free(s->slot);
	free(s->kbuf);
	memset(s, 0, sizeof(*s));
}

/*
 * Keys are short ("ts", "level", "latencyMs"). A key of up to sixteen
 * bytes hashes as two little-endian words, zero-padded, with its length
 * (hash_words): the scanner hashes it from the sixteen bytes it has
 * just loaded to find the closing quote (jscan_object). Longer keys
 * take hash_bytes. Both are keyed by the run's seed, so no line can
 * bring keys made to share a run of the index (issue 16). Equal keys
 * hash equal; jscan_find compares the bytes anyway.
 */
static inline uint32_t
key_hash_words(uint64_t a, uint64_t b, size_t len)
{
	return (uint32_t)(hash_words(a, b, len) >> 32);
}

uint32_t
jscan_hash(const char *s, size_t len)
{
	char pad[16] = { 0 };

	if (len > 16)
		return (uint32_t)(hash_bytes(s, len) >> 32);
	if (len > 0)
		memcpy(pad, s, len);
	return key_hash_words(bytes_load64le(pad), bytes_load64le(pad + 8),
	    len);
}

static int
is_ws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * The common key: its closing quote within the sixteen bytes at P and
 * nothing to stop at before it. Returns the key's length and fills
 * *HASH (jscan_hash of those bytes), or -1: the caller takes the long
 * way (scan_string).
 */
static inline int
short_key(const char *p, uint32_t *hash)
{
	unsigned mask = bytes_stop_mask16(p), k;
	uint64_t lo, hi;

	if (mask == 0)
		return -1;
	k = (unsigned)__builtin_ctz(mask);
	if (p[k] != '"')
		return -1;
	bytes_words16(p, k, &lo, &hi);
	*hash = key_hash_words(lo, hi, k);
	return (int)k;
}

/*
 * A string value without escapes (timestamps, ids), sixteen bytes at a
 * time while sixteen remain, then byte by byte: its length up to the
 * closing quote, or -1 for anything else (an escape, a control byte, no
 * closing quote), which scan_string decides. Not bytes_find_stop(): the
 * quote is told here, inside the loop, which saves a test a value.
 */
static inline int
plain_string(const char *p, const char *end)
{
	const char *q = p;
	unsigned mask;

	if (end - p > 4096)
		end = p + 4096;
	for (; end - q >= 16; q += 16)
		if ((mask = bytes_stop_mask16(q)) != 0) {
			q += __builtin_ctz(mask);
			return *q == '"' ? (int)(q - p) : -1;
		}
	/* The last bytes of the text (the line's last value). */
	q = bytes_find_stop_scalar(q, end);
	return q < end && *q == '"' ? (int)(q - p) : -1;
}

/*
 * Whether the member at P (its opening quote) has template T's key.
 * Sixteen bytes compared at once, so only where sixteen remain: a
 * line's last member may take the long way.
 */
static inline int
template_hit(const struct jscan_template *t, const char *p, const char *end)
{
	if (t->len == 0 || end - p < 16)
		return 0;
	return (bytes_eq_mask16(p, (const char *)t->text) & t->mask) ==
	    t->mask;
}

/* T becomes M's key, its colon at COLON, if the template can hold it. */
static void
template_learn(struct jscan_template *t, const struct jscan_member *m,
    const char *colon, const char *end)
{
	const char *quote = m->key - 1;

	t->len = 0;
	if (colon != m->key + m->key_len + 1 || m->key_len + 3 > 16 ||
	    end - quote < 16)
		return;
	memcpy(t->text, quote, 16);
	t->len = (uint8_t)(m->key_len + 3);
	t->mask = (uint16_t)((1u << t->len) - 1);
	t->hash = m->hash;
}

/* What the recursive scanners report besides a position. */
struct scan_ctx {
	enum jscan_status	 st;		/* why NULL was returned */
	int			 lone;		/* a lone surrogate was seen */
};

static int
hex4(const char *p, const char *end, unsigned *cp)
{
	unsigned v = 0;
	int i;

	if (end - p < 4)
		return 0;
	for (i = 0; i < 4; i++) {
		char c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return 0;
	}
	*cp = v;
	return 1;
}

/*
 * Scans a string whose opening quote is at P[-1]. Returns the position
 * of the closing quote (*ESCAPED set if the string holds an escape), or
 * NULL with C->st INVALID: a raw control character, a bad escape, a \u
 * without four hex digits (RFC 8259 and every parser reject these). A
 * surrogate escape without its other half is valid JSON that
 * jscan_unescape decodes as U+FFFD: C->lone is set, and the line
 * counts as repaired.
 */
static const char *
scan_string(const char *p, const char *end, int *escaped,
    struct scan_ctx *c)
{
	unsigned cp, lo;

	for (;;) {
		unsigned char ch;

		p = bytes_find_stop(p, end);
		if (p >= end) {
			c->st = JSCAN_INVALID;
			return NULL;
		}
		ch = (unsigned char)*p;
		if (ch == '"')
			return p;
		if (ch < 0x20) {
			c->st = JSCAN_INVALID;
			return NULL;
		}
		/* A backslash. */
		if (p + 1 >= end) {
			c->st = JSCAN_INVALID;
			return NULL;
		}
		switch (p[1]) {
		case '"': case '\\': case '/': case 'b': case 'f':
		case 'n': case 'r': case 't':
			*escaped = 1;
			p += 2;
			continue;
		case 'u':
			if (!hex4(p + 2, end, &cp)) {
				c->st = JSCAN_INVALID;
				return NULL;
			}
			*escaped = 1;
			p += 6;
			if (cp < 0xd800 || cp > 0xdfff)
				continue;
			if (cp <= 0xdbff && end - p >= 6 && p[0] == '\\' &&
			    p[1] == 'u' && hex4(p + 2, end, &lo) &&
			    lo >= 0xdc00 && lo <= 0xdfff) {
				p += 6;		/* a pair */
				continue;
			}
			c->lone = 1;
			continue;
		default:
			c->st = JSCAN_INVALID;
			return NULL;
		}
	}
}

/* A number per RFC 8259: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
 * Short integers are JSCAN_INT; every other number JSCAN_REAL, read by
 * record.c (which keeps it even beyond a double's range). */
static const char *
scan_number(const char *p, const char *end, uint8_t *type,
    struct scan_ctx *c)
{
	const char *digits;

	if (p < end && *p == '-')
		p++;
	digits = p;
	if (p < end && *p == '0')
		p++;
	else if (p < end && *p >= '1' && *p <= '9')
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	else {
		c->st = JSCAN_INVALID;
		return NULL;
	}
	*type = p - digits > 18 ? JSCAN_REAL : JSCAN_INT;
	if (p < end && *p == '.') {
		p++;
		if (p >= end || *p < '0' || *p > '9') {
			c->st = JSCAN_INVALID;
			return NULL;
		}
		while (p < end && *p >= '0' && *p <= '9')
			p++;
		*type = JSCAN_REAL;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if (p >= end || *p < '0' || *p > '9') {
			c->st = JSCAN_INVALID;
			return NULL;
		}
		while (p < end && *p >= '0' && *p <= '9')
			p++;
		*type = JSCAN_REAL;
	}
	/* "01" or "1x": the next byte must end the value. */
	if (p < end && !is_ws((unsigned char)*p) && *p != ',' && *p != '}' &&
	    *p != ']') {
		c->st = JSCAN_INVALID;
		return NULL;
	}
	return p;
}

/*
 * A positive integer of at most 18 digits (the common status, latency,
 * port) followed by ',' or '}': its length, or 0 for anything else,
 * which scan_number decides.
 */
static inline int
plain_int(const char *p, const char *end)
{
	const char *q = p + 1;

	while (q < end && *q >= '0' && *q <= '9')
		q++;
	if (q - p > 18 || q >= end || (*q != ',' && *q != '}'))
		return 0;
	return (int)(q - p);
}

static const char *scan_value(const char *p, const char *end, int depth,
	    uint8_t *type, struct scan_ctx *c);

/* A nested object or array, opening bracket at P; returns past its end. */
static const char *
scan_container(const char *p, const char *end, int depth,
    struct scan_ctx *c)
{
	int is_object = *p == '{';
	char close = is_object ? '}' : ']';
	uint8_t type;
	int escaped;

	/* The top object is level 1, this container level DEPTH + 1. */
	if (depth >= JSCAN_MAX_DEPTH) {
		c->st = JSCAN_TOO_DEEP;
		return NULL;
	}
	for (p++; p < end && is_ws((unsigned char)*p); p++)
		;
	if (p < end && *p == close)
		return p + 1;
	for (;;) {
		if (is_object) {
			if (p >= end || *p != '"') {
				c->st = JSCAN_INVALID;
				return NULL;
			}
			escaped = 0;
			if ((p = scan_string(p + 1, end, &escaped, c)) == NULL)
				return NULL;
			for (p++; p < end && is_ws((unsigned char)*p); p++)
				;
			if (p >= end || *p != ':') {
				c->st = JSCAN_INVALID;
				return NULL;
			}
			for (p++; p < end && is_ws((unsigned char)*p); p++)
				;
		}
		if ((p = scan_value(p, end, depth + 1, &type, c)) == NULL)
			return NULL;
		for (; p < end && is_ws((unsigned char)*p); p++)
			;
		if (p < end && *p == ',') {
			for (p++; p < end && is_ws((unsigned char)*p); p++)
				;
			continue;
		}
		if (p < end && *p == close)
			return p + 1;
		c->st = JSCAN_INVALID;
		return NULL;
	}
}

static int
literal(const char *p, const char *end, const char *word, size_t len)
{
	return (size_t)(end - p) >= len && memcmp(p, word, len) == 0;
}

static const char *
scan_value(const char *p, const char *end, int depth, uint8_t *type,
    struct scan_ctx *c)
{
	int escaped = 0;
	const char *q;

	if (p >= end) {
		c->st = JSCAN_INVALID;
		return NULL;
	}
	switch (*p) {
	case '"':
		if ((q = scan_string(p + 1, end, &escaped, c)) == NULL)
			return NULL;
		*type = escaped ? JSCAN_STRING_ESCAPED : JSCAN_STRING;
		return q + 1;
	case '{':
		*type = JSCAN_OBJECT;
		return scan_container(p, end, depth, c);
	case '[':
		*type = JSCAN_ARRAY;
		return scan_container(p, end, depth, c);
	case 't':
		*type = JSCAN_TRUE;
		if (literal(p, end, "true", 4))
			return p + 4;
		break;
	case 'f':
		*type = JSCAN_FALSE;
		if (literal(p, end, "false", 5))
			return p + 5;
		break;
	case 'n':
		*type = JSCAN_NULL;
		if (literal(p, end, "null", 4))
			return p + 4;
		break;
	default:
		return scan_number(p, end, type, c);
	}
	c->st = JSCAN_INVALID;
	return NULL;
}

static void
index_members(struct jscan *s)
{
	size_t i, need = 16;

	while (need < s->n * 2)
		need *= 2;
	if (need > s->nslots) {
		free(s->slot);
		s->slot = xcalloc(need, sizeof(*s->slot));
		s->nslots = need;
	} else
		memset(s->slot, 0, s->nslots * sizeof(*s->slot));
	/* Later members overwrite earlier ones of the same key: the last
	 * one wins, as in jansson. */
	for (i = 0; i < s->n; i++) {
		const struct jscan_member *m = &s->m[i];
		size_t j = m->hash & (s->nslots - 1);

		for (;; j = (j + 1) & (s->nslots - 1)) {
			const struct jscan_member *o;

			if (s->slot[j] == 0) {
				s->slot[j] = (uint16_t)(i + 1);
				break;
			}
			o = &s->m[s->slot[j] - 1];
			if (o->hash == m->hash && o->key_len == m->key_len &&
			    memcmp(o->key, m->key, m->key_len) == 0) {
				s->slot[j] = (uint16_t)(i + 1);
				break;
			}
		}
	}
}

/* An escaped key, decoded into S->kbuf (room for the whole text was
 * made before the first one, so earlier keys' pointers stay valid). */
static void
decode_key(struct jscan *s, struct jscan_member *m, size_t len)
{
	char *out;

	if (s->kbuf_alloc < len + 1 || s->kbuf_used == SIZE_MAX) {
		if (s->kbuf_alloc < len + 1) {
			free(s->kbuf);
			s->kbuf = xmalloc(len + 1);
			s->kbuf_alloc = len + 1;
		}
		s->kbuf_used = 0;
	}
	out = s->kbuf + s->kbuf_used;
	m->key_len = (uint32_t)jscan_unescape(m->key, m->key_len, out);
	m->key = out;
	s->kbuf_used += m->key_len;
}

enum jscan_status
jscan_object(struct jscan *s, const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	struct scan_ctx c = { JSCAN_OK, 0 };
	struct jscan_member *m;
	struct jscan_template *t;
	size_t last_n = s->tmpl_n;
	int escaped, k, same = 1, large = 0;

	s->n = 0;
	s->keys = 0;
	s->lone = 0;
	s->kbuf_used = SIZE_MAX;	/* no escaped key yet */
	s->tmpl_n = SIZE_MAX;		/* until this object is scanned */
	while (end > p && is_ws((unsigned char)end[-1]))
		end--;
	if (p >= end || *p != '{')
		return JSCAN_INVALID;
	for (p++; p < end && is_ws((unsigned char)*p); p++)
		;
	if (p < end && *p == '}') {
		p++;
		goto done;
	}
	for (;;) {
		if (p >= end || *p != '"')
			return JSCAN_INVALID;
		if (__builtin_expect(s->n >= s->room, 0)) {
			/* The hash table holds 16-bit indexes: past that,
			 * the object is still checked to its end, its
			 * members overwriting the last slot, and left to
			 * the caller's tree (JSCAN_LARGE). */
			if (s->n >= JSCAN_MAX_MEMBERS) {
				large = 1;
				s->n--;
			} else {
				XGROW(s->m, s->n + 1, s->alloc);
				s->room = s->alloc < JSCAN_MAX_MEMBERS ?
				    s->alloc : JSCAN_MAX_MEMBERS;
			}
		}
		m = &s->m[s->n];
		escaped = 0;
		m->key = p + 1;
		t = s->n < JSCAN_TEMPLATES ? &s->tmpl[s->n] : NULL;
		if (t != NULL && template_hit(t, p, end)) {
			/* The key this position had before: "key": */
			m->key_len = t->len - 3u;
			m->hash = t->hash;
			p += t->len;
		} else {
			same = 0;
			if (end - m->key >= 16 &&
			    (k = short_key(m->key, &m->hash)) >= 0) {
				m->key_len = (uint32_t)k;
				p = m->key + k;
			} else {
				if ((p = scan_string(p + 1, end, &escaped,
				    &c)) == NULL)
					return c.st;
				m->key_len = (uint32_t)(p - m->key);
				/* Found by its decoded text, as a parser
				 * would store it. */
				if (escaped)
					decode_key(s, m, len);
				m->hash = jscan_hash(m->key, m->key_len);
			}
			/* Compact JSON ("key":value) first, blanks the
			 * long way. */
			p++;
			if (p < end && *p != ':')
				for (; p < end && is_ws((unsigned char)*p);
				    p++)
					;
			if (p >= end || *p != ':')
				return JSCAN_INVALID;
			if (t != NULL) {
				if (escaped)
					t->len = 0;
				else
					template_learn(t, m, p, end);
			}
			p++;
		}
		s->keys |= UINT64_C(1) << (m->hash & 63);
		if (p < end && is_ws((unsigned char)*p))
			for (p++; p < end && is_ws((unsigned char)*p); p++)
				;
		m->val = p;
		if (p < end && *p == '"' &&
		    (k = plain_string(p + 1, end)) >= 0) {
			m->type = JSCAN_STRING;
			m->val = p + 1;
			m->val_len = (uint32_t)k;
			p += k + 2;
		} else if (p < end && *p >= '1' && *p <= '9' &&
		    (k = plain_int(p, end)) > 0) {
			/* 200, 249: what scan_number would say, in line */
			m->type = JSCAN_INT;
			m->val_len = (uint32_t)k;
			p += k;
		} else {
			if ((p = scan_value(p, end, 1, &m->type, &c)) == NULL)
				return c.st;
			m->val_len = (uint32_t)(p - m->val);
			if (m->type == JSCAN_STRING ||
			    m->type == JSCAN_STRING_ESCAPED) {
				m->val++;
				m->val_len -= 2;
			}
		}
		s->n++;
		if (p < end && *p != ',' && *p != '}')
			for (; p < end && is_ws((unsigned char)*p); p++)
				;
		if (p < end && *p == ',') {
			p++;
			if (p < end && *p != '"')
				for (; p < end && is_ws((unsigned char)*p);
				    p++)
					;
			continue;
		}
		if (p < end && *p == '}') {
			p++;
			break;
		}
		return JSCAN_INVALID;
	}
done:
	/* Exactly one object: only blanks may follow. */
	if (p != end)
		return JSCAN_INVALID;
	s->lone = c.lone;
	if (large)
		return JSCAN_LARGE;
	s->indexed = 0;
	if (!same || s->n != last_n)
		s->keys_id++;
	s->tmpl_n = s->n;
	return JSCAN_OK;
}

/* jscan_find's side for objects of more than JSCAN_LINEAR members. */
const struct jscan_member *
jscan_find_indexed(struct jscan *s, const char *key, size_t len,
    uint32_t hash)
{
	size_t j;

	if (!s->indexed) {
		index_members(s);
		s->indexed = 1;
	}
	for (j = hash & (s->nslots - 1); s->slot[j] != 0;
	    j = (j + 1) & (s->nslots - 1)) {
		const struct jscan_member *m = &s->m[s->slot[j] - 1];

		if (m->hash == hash && m->key_len == len &&
		    memcmp(m->key, key, len) == 0)
			return m;
	}
	return NULL;
}

/* CP as UTF-8 at OUT; returns the bytes written (1 to 4). */
static size_t
put_utf8(unsigned cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/*
 * VAL was checked by jscan_object: every escape is complete. A \u
 * escape (at most 3 bytes of UTF-8 for its 6, 4 for a pair's 12) never
 * makes the text longer. A surrogate without its other half becomes
 * U+FFFD, as invalid UTF-8 bytes do.
 */
size_t
jscan_unescape(const char *val, size_t len, char *out)
{
	const char *end = val + len;
	size_t i, n = 0;
	unsigned cp, lo;

	for (i = 0; i < len; i++) {
		if (val[i] != '\\' || i + 1 >= len) {
			out[n++] = val[i];
			continue;
		}
		switch (val[++i]) {
		case 'b':	out[n++] = '\b'; break;
		case 'f':	out[n++] = '\f'; break;
		case 'n':	out[n++] = '\n'; break;
		case 'r':	out[n++] = '\r'; break;
		case 't':	out[n++] = '\t'; break;
		case 'u':
			if (!hex4(val + i + 1, end, &cp)) {
				out[n++] = 'u';		/* not checked text */
				break;
			}
			i += 4;
			if (cp >= 0xd800 && cp <= 0xdbff && i + 6 < len &&
			    val[i + 1] == '\\' && val[i + 2] == 'u' &&
			    hex4(val + i + 3, end, &lo) && lo >= 0xdc00 &&
			    lo <= 0xdfff) {
				cp = 0x10000 + ((cp - 0xd800) << 10) +
				    (lo - 0xdc00);
				i += 6;
			} else if (cp >= 0xd800 && cp <= 0xdfff)
				cp = 0xfffd;
			n += put_utf8(cp, out + n);
			break;
		default:	out[n++] = val[i]; break;	/* " \ / */
		}
	}
	return n;
}
