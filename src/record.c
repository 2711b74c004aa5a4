/* SPDX-License-Identifier: MIT */
/* record.c - span -> record (jansson), UTF-8 repair, special fields */
#include "config.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bytes.h"
#include "extract.h"
#include "jscan.h"
#include "record.h"
#include "util.h"
#include "value.h"

const char *const record_status_names[RECORD_NSTATUS] = {
	"ok", "not JSON", "not an object", "too deep", "blank", "too long",
	"joined"
};

static json_t	*record_build_text(const char *text, size_t len);

/* Nested paths (a.b.c) scanned at once, deeper ones through the tree. */
#define RECORD_SCAN_LEVELS	4

/*
 * A record is either scanned (the usual case: jscan indexed the object's
 * members, values are decoded when read) or, for an object of more
 * members than jscan indexes, a jansson tree built from its text
 * (record_build). Reading a record fills caches inside it
 * (nested scans, decoded strings, sub-trees): a record belongs to one
 * thread.
 */
struct record {
	struct record_head	 head;		/* first: record_generation() */
	json_t			*obj;		/* jansson tree, or NULL */
	int			 scanned;	/* members in `top` */
	const char		*span;		/* the object's text */
	size_t			 span_len;
	struct jscan		 top;
	struct jscan		 nested[RECORD_SCAN_LEVELS];
	struct arena		*scratch;	/* decoded strings */
	json_t			**subs;		/* sub-trees made for reads */
	size_t			 nsubs, subs_alloc;
	struct line		 line;		/* repaired.ptr if fixed */
	const char		*file;		/* borrowed */
	struct extract_prefix	 prefix;
	struct buf		 repaired;
	uint64_t		 log_bit;	/* "log" in jscan's keys mask */
};

/* Flat keys ("log.level") up to this long are joined on the stack. */
#define RECORD_FLAT_KEY_MAX	256

struct record *
record_new(void)
{
	static _Atomic uint64_t serial;
	struct record *rec = xcalloc(1, sizeof *rec);
	size_t i;

	/* Never 0, which a cache entry's zeroed stamp holds. */
	rec->head.generation = (serial++ + 1) << 40;
	rec->prefix.kind = EXTRACT_PREFIX_NONE;
	jscan_init(&rec->top);
	for (i = 0; i < RECORD_SCAN_LEVELS; i++)
		jscan_init(&rec->nested[i]);
	rec->scratch = arena_new();
	rec->log_bit = UINT64_C(1) << (jscan_hash("log", 3) & 63);
	return rec;
}

void
record_free(struct record *rec)
{
	size_t i;

	if (rec == NULL)
		return;
	json_decref(rec->obj);
	for (i = 0; i < rec->nsubs; i++)
		json_decref(rec->subs[i]);
	free(rec->subs);
	jscan_release(&rec->top);
	for (i = 0; i < RECORD_SCAN_LEVELS; i++)
		jscan_release(&rec->nested[i]);
	arena_free(rec->scratch);
	buf_release(&rec->repaired);
	free(rec);
}

/*
 * Length of the well-formed UTF-8 sequence at S (Unicode table 3-7), or
 * 0: this rejects overlong forms (C0, C1, E0 80..9F, F0 80..8F),
 * surrogates (ED A0..BF), code points past U+10FFFF (F4 90.., F5..FF),
 * stray continuation bytes and sequences cut short.
 */
static size_t
record_utf8_seq_len(const unsigned char *s, size_t avail)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	if (avail < n || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++) {
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	}
	return n;
}

/* Nearly every log line is ASCII: all of it tested at once; otherwise
 * the ASCII runs are skipped wide, looking at sequences only where a
 * high bit is set. */
static int
record_utf8_is_valid(const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0, n;

	if (bytes_is_ascii(text, len))
		return 1;
	while (i < len) {
		i += bytes_ascii_span(text + i, len - i);
		if (i == len)
			break;
		n = record_utf8_seq_len(s + i, len - i);
		if (n == 0)
			return 0;
		i += n;
	}
	return 1;
}

/*
 * One U+FFFD per bad byte, as SPEC section 2 says, rather than Unicode's
 * "maximal subpart" (one per bad sequence): a cut E2 82 becomes two.
 */
size_t
record_repair_utf8(const char *s, size_t len, struct buf *out)
{
	static const char replacement[] = "\xef\xbf\xbd";
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, run = 0, n, nbad = 0;

	buf_reset(out);
	while (i < len) {
		n = record_utf8_seq_len(u + i, len - i);
		if (n > 0) {
			i += n;
			continue;
		}
		if (nbad == 0)
			buf_reserve(out, len + 16);
		buf_add(out, s + run, i - run);
		buf_add(out, replacement, sizeof replacement - 1);
		nbad++;
		run = ++i;
	}
	if (nbad > 0)
		buf_add(out, s + run, len - run);
	return nbad;
}

/*
 * json_loadb with logq's flags, only to tell why a line without an
 * object is skipped (record_classify): objects are jscan's alone.
 * JSON_ALLOW_NUL accepts "\u0000" escapes. An integer beyond 64 bits
 * fails as numeric overflow; reading the text again with integers as
 * reals accepts it.
 */
static json_t *
record_load(const char *s, size_t len, size_t flags,
    enum json_error_code *code)
{
	json_error_t e;
	json_t *j;

	flags |= JSON_ALLOW_NUL;
	j = json_loadb(s, len, flags, &e);
	if (j == NULL && json_error_code(&e) == json_error_numeric_overflow)
		j = json_loadb(s, len, flags | JSON_DECODE_INT_AS_REAL, &e);
	if (j == NULL)
		*code = json_error_code(&e);
	return j;
}

/* Why a line without an object is skipped: a bare value, or nothing. */
static enum record_status
record_classify(const char *s, size_t len, int was_too_deep)
{
	enum json_error_code code = json_error_unknown;
	json_t *j;

	while (len > 0 && (*s == ' ' || *s == '\t' || *s == '\r')) {
		s++;
		len--;
	}
	/* Objects were the candidates' business; only parse what could
	 * start another JSON value, not every line of plain text. */
	if (len > 0 && *s != '\0' && strchr("[\"-0123456789tfn", *s) != NULL) {
		j = record_load(s, len, JSON_DECODE_ANY, &code);
		if (j != NULL) {
			json_decref(j);
			return RECORD_NOT_OBJECT;
		}
		if (code == json_error_stack_overflow)
			return RECORD_TOO_DEEP;
	}
	return was_too_deep ? RECORD_TOO_DEEP : RECORD_NOT_JSON;
}

static int
record_is_key(const struct jscan_member *m, const char *key, size_t len)
{
	return m->key_len == len && memcmp(m->key, key, len) == 0;
}

/*
 * Docker's json-file driver (and Fluent Bit's records of it) wrap each
 * line an application wrote in {"log":"<the line>\n","stream":"stdout",
 * "time":"..."}. When `log` is one of the first two members, the object
 * has a `stream` or `time` beside it, and its text is one JSON object,
 * that object is the line's: REC is rescanned from the decoded text
 * (kept in its scratch arena), and the wrapper's time and stream become
 * the prefix fields _time and _stream. Otherwise REC stays as it is.
 * One level only: a `log` inside the inner object is an ordinary field.
 */
static void
record_unwrap_log(struct record *rec)
{
	const struct jscan_member *m = NULL, *tm = NULL, *sm = NULL;
	struct value inner, tv = { .kind = VALUE_NULL }, sv = tv;
	const char *text;
	size_t i, len, n = rec->top.n;

	if (n < 2 || n > JSCAN_TEMPLATES)
		return;
	if (record_is_key(&rec->top.m[0], "log", 3))
		m = &rec->top.m[0];
	else if (record_is_key(&rec->top.m[1], "log", 3))
		m = &rec->top.m[1];
	if (m == NULL || (m->type != JSCAN_STRING &&
	    m->type != JSCAN_STRING_ESCAPED))
		return;
	for (i = 0; i < n; i++) {
		const struct jscan_member *k = &rec->top.m[i];

		if (k->type != JSCAN_STRING && k->type != JSCAN_STRING_ESCAPED)
			continue;
		if (record_is_key(k, "time", 4))
			tm = k;
		else if (record_is_key(k, "stream", 6))
			sm = k;
	}
	if (tm == NULL && sm == NULL)
		return;
	inner = record_decode(rec, m);
	text = inner.u.s.ptr;
	len = inner.u.s.len;
	while (len > 0 && strchr(" \t\r\n", text[len - 1]) != NULL)
		len--;
	while (len > 0 && strchr(" \t\r\n", *text) != NULL) {
		text++;
		len--;
	}
	if (len < 2 || text[0] != '{' || text[len - 1] != '}')
		return;
	if (tm != NULL)
		tv = record_decode(rec, tm);
	if (sm != NULL)
		sv = record_decode(rec, sm);
	switch (jscan_object(&rec->top, text, len)) {
	case JSCAN_OK:
		break;
	case JSCAN_LARGE:
		rec->scanned = 0;
		rec->head.top = NULL;
		rec->obj = record_build_text(text, len);
		break;
	default:
		/* Not an object after all: the wrapper again, as it was. */
		jscan_object(&rec->top, rec->span, rec->span_len);
		return;
	}
	rec->span = text;
	rec->span_len = len;
	memset(&rec->prefix, 0, sizeof rec->prefix);
	rec->prefix.kind = EXTRACT_PREFIX_DOCKER_LOG;
	if (tv.kind == VALUE_STRING)
		rec->prefix.field[EXTRACT_TIME] = (struct extract_span){
		    tv.u.s.ptr, tv.u.s.len };
	if (sv.kind == VALUE_STRING)
		rec->prefix.field[EXTRACT_STREAM] = (struct extract_span){
		    sv.u.s.ptr, sv.u.s.len };
}

/* The object found at TEXT[START..END): REC's span and the prefix
 * before it. */
static inline __attribute__((always_inline)) void
record_found(struct record *rec, const char *text, size_t start, size_t end)
{
	rec->span = text + start;
	rec->span_len = end - start;
	if (start > 0)	/* else no prefix, as it stands */
		extract_prefix(text, start, &rec->prefix);
}

enum record_status
record_parse(struct record *rec, const struct line *line, const char *file,
    int *repaired)
{
	const char *text = line->text;
	size_t len = line->len, end, start;
	unsigned tries;
	int was_too_deep = 0;

	json_decref(rec->obj);
	rec->obj = NULL;
	rec->scanned = 0;
	rec->head.top = NULL;
	rec->head.generation++;
	while (rec->nsubs > 0)
		json_decref(rec->subs[--rec->nsubs]);
	arena_reset(rec->scratch);
	/* Only extract_prefix() changes it, and only to a kind of prefix:
	 * most lines have none, and the last line's reset stands. */
	if (rec->prefix.kind != EXTRACT_PREFIX_NONE) {
		memset(&rec->prefix, 0, sizeof rec->prefix);
		rec->prefix.kind = EXTRACT_PREFIX_NONE;
	}
	rec->line = *line;
	rec->file = file;
	if (repaired != NULL)
		*repaired = 0;

	/* The whole line, so that _line and _prefix are valid UTF-8 too. */
	if (!record_utf8_is_valid(text, len)) {
		record_repair_utf8(text, len, &rec->repaired);
		text = rec->line.text = rec->repaired.ptr;
		len = rec->line.len = rec->repaired.len;
		if (repaired != NULL)
			*repaired = 1;
	}

	/* Trailing blanks once, not in each extract_next_candidate call. */
	end = len;
	while (end > 0 && (text[end - 1] == ' ' || text[end - 1] == '\t' ||
	    text[end - 1] == '\r'))
		end--;
	/* Most lines are one object and nothing else: the first
	 * candidate extract_next_candidate() would give, without the
	 * call. */
	if (end >= 2 && text[0] == '{' && text[end - 1] == '}')
		start = 0;
	else
		start = extract_next_candidate(text, end, 0);
	for (tries = 0; start != (size_t)-1 && tries < EXTRACT_MAX_CANDIDATES;
	    tries++) {
		/* jscan decides every line: no second parser to disagree
		 * with (issue 16). */
		switch (jscan_object(&rec->top, text + start, end - start)) {
		case JSCAN_OK:
			rec->scanned = 1;
			rec->head.top = &rec->top;
			record_found(rec, text, start, end);
			/* Most lines have no "log" key: one test of the
			 * keys. */
			if (rec->top.keys & rec->log_bit)
				record_unwrap_log(rec);
			break;
		case JSCAN_LARGE:	/* valid, too many members to index */
			rec->obj = record_build_text(text + start,
			    end - start);
			record_found(rec, text, start, end);
			break;
		case JSCAN_TOO_DEEP:
			was_too_deep = 1;
			/* FALLTHROUGH */
		case JSCAN_INVALID:
			start = extract_next_candidate(text, end, start + 1);
			continue;
		}
		if (rec->top.lone && repaired != NULL)
			*repaired = 1;
		return RECORD_OK;
	}
	if (end == 0 || strspn(text, " \t\r") >= end)
		return RECORD_BLANK;
	return record_classify(text, end, was_too_deep);
}

/* The special fields: 1 and *out set, or 0 to look in the object. */
static int
record_get_special(const struct record *rec, const char *name, size_t len,
    struct value *out)
{
	const struct extract_span *sp = NULL;
	size_t i;

	if (len == 5 && memcmp(name, "_line", 5) == 0) {
		*out = value_str(rec->line.text, rec->line.len);
		return 1;
	}
	if (len == 5 && memcmp(name, "_file", 5) == 0 && rec->file != NULL) {
		*out = value_str(rec->file, strlen(rec->file));
		return 1;
	}
	if (len == 7 && memcmp(name, "_lineno", 7) == 0) {
		*out = value_int((int64_t)rec->line.lineno);
		return 1;
	}
	if (len == 7 && memcmp(name, "_prefix", 7) == 0)
		sp = &rec->prefix.text;
	for (i = 0; sp == NULL && i < EXTRACT_NFIELDS; i++) {
		if (strlen(extract_field_names[i]) == len &&
		    memcmp(extract_field_names[i], name, len) == 0)
			sp = &rec->prefix.field[i];
	}
	/* A prefix field the line lacks falls back to the input's key. */
	if (sp == NULL || sp->ptr == NULL)
		return 0;
	*out = value_str(sp->ptr, sp->len);
	return 1;
}

static const json_t *
record_object_get(const json_t *obj, const char *key, size_t len)
{
	if (!json_is_object(obj))
		return NULL;
#if JANSSON_VERSION_HEX >= 0x020e00
	return json_object_getn(obj, key, len);
#else
	(void)len;		/* segments hold no NUL: the C string will do */
	return json_object_get(obj, key);
#endif
}

/*
 * A dotted path joined into one key ("log.level", as Elastic ECS
 * writes it): in STACK when it fits, else malloc'ed (the caller frees
 * the result if it is not STACK). NUL-terminated; *LEN is its length.
 */
static char *
record_join_path(const struct field_path *path, char *stack, size_t size,
    size_t *len)
{
	char *key = stack;
	size_t i, n = path->n - 1;

	for (i = 0; i < path->n; i++)
		n += path->seg_len[i];
	if (n + 1 > size)
		key = xmalloc(n + 1);
	n = 0;
	for (i = 0; i < path->n; i++) {
		if (i > 0)
			key[n++] = '.';
		memcpy(key + n, path->seg[i], path->seg_len[i]);
		n += path->seg_len[i];
	}
	key[n] = '\0';
	*len = n;
	return key;
}

static const json_t *
record_get_flat(const json_t *obj, const struct field_path *path)
{
	char stack[RECORD_FLAT_KEY_MAX], *key;
	const json_t *j;
	size_t len;

	key = record_join_path(path, stack, sizeof(stack), &len);
	j = record_object_get(obj, key, len);
	if (key != stack)
		free(key);
	return j;
}

static struct value record_number(const char *s, size_t len, char *tmp,
	    size_t size);

/*
 * The jansson tree of text jscan accepted (valid JSON, nested at most
 * JSCAN_MAX_DEPTH deep), values decoded as jscan's members are: escapes
 * by jscan_unescape, numbers by record_number.
 */
static json_t *
record_build(const char **pp, const char *end)
{
	const char *p = *pp, *q;
	char tmp[64];
	json_t *j = NULL, *item;
	struct value v;

	while (p < end && strchr(" \t\r\n", *p))
		p++;
	if (p >= end)
		return json_null();
	switch (*p) {
	case '{':
	case '[': {
		int is_object = *p == '{';
		char close = is_object ? '}' : ']';

		j = is_object ? json_object() : json_array();
		for (p++;;) {
			char *key = NULL;
			size_t klen = 0;

			while (p < end && strchr(" \t\r\n,", *p))
				p++;
			if (p >= end || *p == close) {
				p++;
				break;
			}
			if (is_object) {
				for (q = ++p; q < end && *q != '"'; q++)
					if (*q == '\\')
						q++;
				key = xmalloc((size_t)(q - p) + 1);
				klen = jscan_unescape(p, (size_t)(q - p), key);
				key[klen] = '\0';
				for (p = q + 1; p < end && *p != ':'; p++)
					;
				p++;
			}
			item = record_build(&p, end);
			if (is_object) {
				json_object_setn_new_nocheck(j, key, klen, item);
				free(key);
			} else
				json_array_append_new(j, item);
		}
		break;
	}
	case '"':
		for (q = ++p; q < end && *q != '"'; q++)
			if (*q == '\\')
				q++;
		{
			char *str = xmalloc((size_t)(q - p) + 1);
			size_t n = jscan_unescape(p, (size_t)(q - p), str);

			j = json_stringn_nocheck(str, n);
			free(str);
		}
		p = q + 1;
		break;
	case 't':
		j = json_true();
		p += 4;
		break;
	case 'f':
		j = json_false();
		p += 5;
		break;
	case 'n':
		j = json_null();
		p += 4;
		break;
	default:
		for (q = p; q < end && strchr("+-.0123456789eE", *q); q++)
			;
		v = record_number(p, (size_t)(q - p), tmp, sizeof(tmp));
		if (v.kind == VALUE_INT)
			j = json_integer(v.u.i);
		else
			j = json_real(v.u.r);	/* finite */
		p = q;
		break;
	}
	*pp = p;
	return j;
}

/*
 * jansson's tree of TEXT (checked by jscan), built by record_build
 * rather than json_loadb, so that every value reads the same through
 * the tree as through the scan: jansson would refuse some valid JSON
 * (1e400, a lone surrogate, "\u0000" in a key) and read every integer
 * of a text as a real when one is beyond 64 bits.
 */
static json_t *
record_build_text(const char *text, size_t len)
{
	return record_build(&text, text + len);
}

static struct value
record_sub_json(struct record *rec, const char *text, size_t len)
{
	json_t *j = record_build_text(text, len);

	XGROW(rec->subs, rec->nsubs + 1, rec->subs_alloc);
	rec->subs[rec->nsubs++] = j;
	return value_from_json(j);
}

/*
 * Significant digits kept of a long number: a decimal that decides the
 * rounding to a double has at most 767 of them; those past these, if
 * any is not 0, stand as one more digit 1 (a sticky digit), so strtod
 * rounds the shortened text as it would round the whole.
 */
#define RECORD_NUM_DIGITS	800

/* strtod's answer, or +-DBL_MAX where it overflows to +-inf (as jq
 * 1.6 does): SPEC 2 keeps such a number's line, and a finite value
 * keeps sums and JSON output valid. */
static struct value
record_real(const char *s)
{
	double d = strtod(s, NULL);

	if (isinf(d))
		d = d < 0 ? -DBL_MAX : DBL_MAX;
	return value_real(d);
}

/*
 * A number jscan found valid but not a short integer: an integer that
 * fits int64 stays one, exactly (each number on its own: another
 * number of the line beyond 64 bits changes nothing); anything else is
 * the nearest double (record_real). A text longer than TMP (a
 * ten-million-digit number) is shortened to RECORD_NUM_DIGITS
 * significant digits and a sticky one, with the exponent adjusted, so
 * it costs linear time and still rounds correctly.
 */
static struct value
record_number(const char *s, size_t len, char *tmp, size_t size)
{
	char big[RECORD_NUM_DIGITS + 48];
	const char *p = s, *end = s + len;
	size_t n = 0, kept = 0;
	long long exp10 = 0, e = 0;
	int esign = 1, seen_point = 0, nonzero = 0, sticky = 0;
	char *endp;

	if (len < size) {
		memcpy(tmp, s, len);
		tmp[len] = '\0';
		if (!memchr(s, '.', len) && !memchr(s, 'e', len) &&
		    !memchr(s, 'E', len)) {
			long long i;

			errno = 0;
			i = strtoll(tmp, &endp, 10);
			if (errno == 0)
				return value_int(i);
		}
		return record_real(tmp);
	}
	/* Long: the value is 0.DDD... x 10^exp10 with DDD the significant
	 * digits (from the first that is not 0). */
	if (*p == '-')
		big[n++] = *p++;
	big[n++] = '0';
	big[n++] = '.';
	for (; p < end && ((*p >= '0' && *p <= '9') || *p == '.'); p++) {
		if (*p == '.') {
			seen_point = 1;
			continue;
		}
		if (!nonzero && *p == '0') {
			if (seen_point)
				exp10--;	/* 0.000ddd */
			continue;
		}
		nonzero = 1;
		if (!seen_point)
			exp10++;
		if (kept < RECORD_NUM_DIGITS) {
			big[n++] = *p;
			kept++;
		} else if (*p != '0')
			sticky = 1;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			esign = *p++ == '-' ? -1 : 1;
		/* Capped: past 10^9 every double is inf or 0 anyway. */
		for (; p < end && *p >= '0' && *p <= '9'; p++)
			if (e < 1000000000)
				e = e * 10 + (*p - '0');
	}
	if (kept == 0)
		return value_real(big[0] == '-' ? -0.0 : 0.0);
	if (sticky)
		big[n++] = '1';
	exp10 += esign * e;
	snprintf(big + n, sizeof(big) - n, "e%lld", exp10);
	return record_real(big);
}

struct value
record_decode(struct record *rec, const struct jscan_member *m)
{
	char tmp[64], *buf;
	int64_t n = 0;
	size_t i;
	int neg;

	switch ((enum jscan_type)m->type) {
	case JSCAN_STRING:
		return value_str(m->val, m->val_len);
	case JSCAN_STRING_ESCAPED:
		buf = arena_alloc(rec->scratch, m->val_len + 1);
		return value_str(buf, jscan_unescape(m->val, m->val_len, buf));
	case JSCAN_INT:
		/* At most 18 digits: no overflow. */
		neg = m->val[0] == '-';
		for (i = (size_t)neg; i < m->val_len; i++)
			n = n * 10 + (m->val[i] - '0');
		return value_int(neg ? -n : n);
	case JSCAN_REAL:
		return record_number(m->val, m->val_len, tmp, sizeof(tmp));
	case JSCAN_TRUE:
		return value_bool(1);
	case JSCAN_FALSE:
		return value_bool(0);
	case JSCAN_NULL:
		return value_null();
	case JSCAN_OBJECT:
	case JSCAN_ARRAY:
		return record_sub_json(rec, m->val, m->val_len);
	}
	return value_null();
}

/* "log.level" as one top-level key of a scanned record. */
static const struct jscan_member *
record_scan_flat(struct record *rec, const struct field_path *path)
{
	char stack[RECORD_FLAT_KEY_MAX], *key;
	const struct jscan_member *m;
	size_t len;

	/* Most lines have no such key: the key mask says so at once. */
	if (!(rec->top.keys & (UINT64_C(1) << (path->flat_hash & 63))))
		return NULL;
	key = record_join_path(path, stack, sizeof(stack), &len);
	m = jscan_find(&rec->top, key, len, path->flat_hash);
	if (key != stack)
		free(key);
	return m;
}

/*
 * record_get on a scanned record: 1/0 as record_get, or -1 when a nested
 * object is too large for jscan to index (then the caller builds the
 * tree).
 */
static int
record_get_scanned(struct record *rec, const struct field_path *path,
    struct value *out)
{
	struct jscan *level = &rec->top;
	const struct jscan_member *m;
	size_t i;

	for (i = 0; i < path->n; i++) {
		m = jscan_find(level, path->seg[i], path->seg_len[i],
		    path->seg_hash[i]);
		if (m == NULL)
			break;
		if (i + 1 == path->n) {
			*out = record_decode(rec, m);
			return 1;
		}
		if (m->type != JSCAN_OBJECT)
			break;
		if (i >= RECORD_SCAN_LEVELS)
			return -1;
		switch (jscan_object(&rec->nested[i], m->val, m->val_len)) {
		case JSCAN_OK:
			level = &rec->nested[i];
			continue;
		case JSCAN_LARGE:	/* not indexed: through the tree */
			return -1;
		case JSCAN_TOO_DEEP:
		case JSCAN_INVALID:
			return 0;	/* cannot happen: checked whole */
		}
	}
	if (path->n > 1 && (m = record_scan_flat(rec, path)) != NULL) {
		*out = record_decode(rec, m);
		return 1;
	}
	return 0;
}

/* The jansson tree of a scanned record, made when something needs it. */
static const json_t *
record_tree(struct record *rec)
{
	if (rec->obj == NULL && rec->scanned)
		rec->obj = record_build_text(rec->span, rec->span_len);
	return rec->obj;
}

int
record_get(const struct record *crec, const struct field_path *path,
    struct value *out)
{
	/* Reading fills the record's caches; see struct record. */
	struct record *rec = (struct record *)crec;
	const json_t *j;
	size_t i;
	int rc;

	*out = value_null();
	if (path->n == 0)
		return 0;
	if (path->n == 1 && path->seg[0][0] == '_' &&
	    record_get_special(rec, path->seg[0], path->seg_len[0], out))
		return 1;
	/* A scanned record is always read through the scan, so that a
	 * value reads the same whether or not something asked for the
	 * jansson tree meanwhile. */
	if (rec->scanned && (rc = record_get_scanned(rec, path, out)) >= 0)
		return rc;
	if (record_tree(rec) == NULL)
		return 0;
	j = rec->obj;
	for (i = 0; j != NULL && i < path->n; i++)
		j = record_object_get(j, path->seg[i], path->seg_len[i]);
	if (j == NULL && path->n > 1)
		j = record_get_flat(rec->obj, path);
	if (j == NULL)
		return 0;
	*out = value_from_json(j);
	return 1;
}

const json_t *
record_json(const struct record *rec)
{
	return record_tree((struct record *)rec);
}

const struct line *
record_line(const struct record *rec)
{
	return &rec->line;
}

const struct extract_prefix *
record_prefix(const struct record *rec)
{
	return &rec->prefix;
}

void
field_path_init(struct field_path *p)
{
	p->seg = NULL;
	p->seg_len = NULL;
	p->seg_hash = NULL;
	p->n = 0;
	p->flat_hash = 0;
}

/*
 * A path's three arrays are one block of room for path_room(N)
 * segments: the pointers, then the lengths, then the hashes. Paths have
 * a handful of segments and are made by the thousand (a profile's
 * spellings), so one allocation, not three, and growing by doubling.
 */
static size_t
path_room(size_t n)
{
	size_t room = 2;

	while (room < n)
		room *= 2;
	return room;
}

static void
path_alloc(struct field_path *p, size_t room)
{
	char *block = xmalloc(room * (sizeof(*p->seg) + sizeof(*p->seg_len) +
	    sizeof(*p->seg_hash)));
	char **seg = (char **)(void *)block;
	size_t *seg_len = (size_t *)(void *)(block + room * sizeof(*seg));
	uint32_t *seg_hash = (uint32_t *)(void *)(block + room *
	    (sizeof(*seg) + sizeof(*seg_len)));

	if (p->n > 0) {
		memcpy(seg, p->seg, p->n * sizeof(*seg));
		memcpy(seg_len, p->seg_len, p->n * sizeof(*seg_len));
		memcpy(seg_hash, p->seg_hash, p->n * sizeof(*seg_hash));
	}
	free(p->seg);
	p->seg = seg;
	p->seg_len = seg_len;
	p->seg_hash = seg_hash;
}

void
field_path_push(struct field_path *p, const char *s, size_t len)
{
	if (p->n == 0 || (p->n >= 2 && path_room(p->n) == p->n))
		path_alloc(p, path_room(p->n + 1));
	p->seg[p->n] = xstrndup(s, len);
	p->seg_len[p->n] = len;
	p->seg_hash[p->n] = jscan_hash(s, len);
	p->n++;
	if (p->n > 1) {
		char stack[RECORD_FLAT_KEY_MAX], *key;
		size_t n;

		key = record_join_path(p, stack, sizeof(stack), &n);
		p->flat_hash = jscan_hash(key, n);
		if (key != stack)
			free(key);
	} else
		p->flat_hash = p->seg_hash[0];
}

/* The segments, their lengths and hashes as they are: nothing hashed
 * again. */
void
field_path_copy(struct field_path *dst, const struct field_path *src)
{
	size_t i;

	field_path_init(dst);
	if (src->n == 0)
		return;
	path_alloc(dst, path_room(src->n));
	for (i = 0; i < src->n; i++)
		dst->seg[i] = xstrndup(src->seg[i], src->seg_len[i]);
	memcpy(dst->seg_len, src->seg_len, src->n * sizeof(*dst->seg_len));
	memcpy(dst->seg_hash, src->seg_hash, src->n * sizeof(*dst->seg_hash));
	dst->n = src->n;
	dst->flat_hash = src->flat_hash;
}

void
field_path_release(struct field_path *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		free(p->seg[i]);
	free(p->seg);	/* and seg_len, seg_hash: one block */
	field_path_init(p);
}

/* A segment the expression parser reads bare: an identifier that is not
 * one of its words (a field named "and" must be written ."and"). */
static int
field_path_is_bare(const char *s, size_t len)
{
	static const char *const words[] = {
		"and", "or", "not", "in", "true", "false", "null"
	};
	size_t i;
	char c;

	if (len == 0)
		return 0;
	for (i = 0; i < len; i++) {
		c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    c == '_' || (i > 0 && c >= '0' && c <= '9')))
			return 0;
	}
	for (i = 0; i < sizeof words / sizeof words[0]; i++) {
		if (strlen(words[i]) == len && memcmp(words[i], s, len) == 0)
			return 0;
	}
	return 1;
}

static void
field_path_write_quoted(struct buf *out, const char *s, size_t len)
{
	size_t i;
	unsigned char c;

	buf_addc(out, '"');
	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			buf_addc(out, '\\');
			buf_addc(out, (char)c);
		} else if (c == '\n')
			buf_adds(out, "\\n");
		else if (c == '\t')
			buf_adds(out, "\\t");
		else if (c == '\r')
			buf_adds(out, "\\r");
		else if (c < 0x20 || c == 0x7f)
			buf_printf(out, "\\u%04x", c);
		else
			buf_addc(out, (char)c);
	}
	buf_addc(out, '"');
}

void
field_path_write(struct buf *out, const struct field_path *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		if (field_path_is_bare(p->seg[i], p->seg_len[i])) {
			if (i > 0)
				buf_addc(out, '.');
			buf_add(out, p->seg[i], p->seg_len[i]);
		} else {
			buf_addc(out, '.');
			field_path_write_quoted(out, p->seg[i], p->seg_len[i]);
		}
	}
}
