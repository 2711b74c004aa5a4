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

/*
 * Scans a string whose opening quote is at P[-1]. Returns the position
 * of the closing quote, or NULL with *st set: INVALID for a raw control
 * character or a bad escape (jansson rejects both), UNSURE for \u.
 */
static const char *
scan_string(const char *p, const char *end, int *escaped,
    enum jscan_status *st)
{
	for (;;) {
		unsigned char c;

		p = bytes_find_stop(p, end);
		if (p >= end) {
			*st = JSCAN_INVALID;
			return NULL;
		}
		c = (unsigned char)*p;
		if (c == '"')
			return p;
		if (c < 0x20) {
			*st = JSCAN_INVALID;
			return NULL;
		}
		/* A backslash. */
		if (p + 1 >= end) {
			*st = JSCAN_INVALID;
			return NULL;
		}
		switch (p[1]) {
		case '"': case '\\': case '/': case 'b': case 'f':
		case 'n': case 'r': case 't':
			*escaped = 1;
			p += 2;
			continue;
		case 'u':
			*st = JSCAN_UNSURE;
			return NULL;
		default:
			*st = JSCAN_INVALID;
			return NULL;
		}
	}
}

/* A number per RFC 8259: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
 * Short integers are JSCAN_INT; every other number JSCAN_REAL, read by
 * record.c (which keeps it even beyond a double's range). */
static const char *
scan_number(const char *p, const char *end, uint8_t *type,
    enum jscan_status *st)
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
		*st = JSCAN_INVALID;
		return NULL;
	}
	*type = p - digits > 18 ? JSCAN_REAL : JSCAN_INT;
	if (p < end && *p == '.') {
		p++;
		if (p >= end || *p < '0' || *p > '9') {
			*st = JSCAN_INVALID;
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
			*st = JSCAN_INVALID;
			return NULL;
		}
		while (p < end && *p >= '0' && *p <= '9')
			p++;
		*type = JSCAN_REAL;
	}
	/* "01" or "1x": the next byte must end the value. */
	if (p < end && !is_ws((unsigned char)*p) && *p != ',' && *p != '}' &&
	    *p != ']') {
		*st = JSCAN_INVALID;
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
	    uint8_t *type, enum jscan_status *st);

/* A nested object or array, opening bracket at P; returns past its end. */
static const char *
scan_container(const char *p, const char *end, int depth,
    enum jscan_status *st)
{
	int is_object = *p == '{';
	char close = is_object ? '}' : ']';
	uint8_t type;
	int escaped;

	if (depth > JSCAN_MAX_DEPTH) {
		*st = JSCAN_UNSURE;
		return NULL;
	}
	for (p++; p < end && is_ws((unsigned char)*p); p++)
		;
	if (p < end && *p == close)
		return p + 1;
	for (;;) {
		if (is_object) {
			if (p >= end || *p != '"') {
				*st = JSCAN_INVALID;
				return NULL;
			}
			escaped = 0;
			if ((p = scan_string(p + 1, end, &escaped, st)) == NULL)
				return NULL;
			for (p++; p < end && is_ws((unsigned char)*p); p++)
				;
			if (p >= end || *p != ':') {
				*st = JSCAN_INVALID;
				return NULL;
			}
			for (p++; p < end && is_ws((unsigned char)*p); p++)
				;
		}
		if ((p = scan_value(p, end, depth + 1, &type, st)) == NULL)
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
		*st = JSCAN_INVALID;
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
    enum jscan_status *st)
{
	int escaped = 0;
	const char *q;

	if (p >= end) {
		*st = JSCAN_INVALID;
		return NULL;
	}
	switch (*p) {
	case '"':
		if ((q = scan_string(p + 1, end, &escaped, st)) == NULL)
			return NULL;
		*type = escaped ? JSCAN_STRING_ESCAPED : JSCAN_STRING;
		return q + 1;
	case '{':
		*type = JSCAN_OBJECT;
		return scan_container(p, end, depth, st);
	case '[':
		*type = JSCAN_ARRAY;
		return scan_container(p, end, depth, st);
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
		return scan_number(p, end, type, st);
	}
	*st = JSCAN_INVALID;
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

enum jscan_status
jscan_object(struct jscan *s, const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	enum jscan_status st = JSCAN_OK;
	struct jscan_member *m;
	struct jscan_template *t;
	size_t last_n = s->tmpl_n;
	int escaped, k, same = 1;

	s->n = 0;
	s->keys = 0;
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
			/* The hash table holds 16-bit indexes. */
			if (s->n >= JSCAN_MAX_MEMBERS)
				return JSCAN_UNSURE;
			XGROW(s->m, s->n + 1, s->alloc);
			s->room = s->alloc < JSCAN_MAX_MEMBERS ? s->alloc :
			    JSCAN_MAX_MEMBERS;
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
				    &st)) == NULL)
					return st;
				if (escaped)	/* jansson decodes such keys */
					return JSCAN_UNSURE;
				m->key_len = (uint32_t)(p - m->key);
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
			if (t != NULL)
				template_learn(t, m, p, end);
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
			if ((p = scan_value(p, end, 1, &m->type, &st)) == NULL)
				return st;
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

size_t
jscan_unescape(const char *val, size_t len, char *out)
{
	size_t i, n = 0;

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
		default:	out[n++] = val[i]; break;	/* " \ / */
		}
	}
	return n;
}
