/* SPDX-License-Identifier: MIT */
/* jscan.h - validate a JSON object and index its members, without a DOM */
#ifndef LOGQ_JSCAN_H
#define LOGQ_JSCAN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "util.h"

/*
 * Most log lines are flat objects of which a query reads a few members.
 * jscan checks that a span is one JSON object (RFC 8259) and records
 * where each top-level member's key and value are; values are decoded
 * only when read (record.c). Building a tree for every line costs ten
 * times more.
 *
 * It decides every line alone, as an independent parser (Python's json
 * module) would: JSCAN_OK for valid JSON, JSCAN_INVALID for anything
 * else. Valid JSON that jansson refuses is kept, as SPEC 2 says: a
 * number beyond a double's range, a \u0000 escape in a key, a lone
 * surrogate escape (decoded as U+FFFD; jscan.lone tells the caller,
 * which counts the line as repaired). Nesting deeper than
 * JSCAN_MAX_DEPTH (jansson's limit) is JSCAN_TOO_DEEP, and an object of
 * more than JSCAN_MAX_MEMBERS members is JSCAN_LARGE: valid, checked to
 * its end, but not indexed (the caller builds its tree).
 */
enum jscan_status { JSCAN_OK, JSCAN_INVALID, JSCAN_TOO_DEEP, JSCAN_LARGE };

enum jscan_type {
	JSCAN_STRING,		/* val excludes the quotes */
	JSCAN_STRING_ESCAPED,	/* ... and holds \ escapes (checked) */
	JSCAN_INT,		/* at most 18 digits: fits int64 */
	JSCAN_REAL,		/* any other number: a fraction, an
				 * exponent, or more digits (record.c
				 * reads it as jansson would, or as the
				 * nearest double where jansson cannot) */
	JSCAN_TRUE, JSCAN_FALSE, JSCAN_NULL,
	JSCAN_OBJECT, JSCAN_ARRAY	/* val is the whole {...} or [...] */
};

/* Levels of nesting, the top object being level 1: jansson's
 * JSON_PARSER_MAX_DEPTH. */
#define JSCAN_MAX_DEPTH	2048
/* More members than this: JSCAN_LARGE (indexes are 16-bit). */
#define JSCAN_MAX_MEMBERS	65000

struct jscan_member {
	const char	*key;
	const char	*val;
	uint32_t	 key_len, val_len;
	uint32_t	 hash;		/* jscan_hash(key) */
	uint8_t		 type;		/* enum jscan_type */
};

/*
 * A logger writes each event's keys the same way, so the key at a
 * position is most often the one the line before had there. Per
 * position, the last key seen there as its text `"key":` (compact, of
 * up to 13 bytes): a member whose text starts with those bytes has that
 * key, valid and unescaped, and its hash, with no scanning or hashing.
 */
#define JSCAN_TEMPLATES	32
struct jscan_template {
	unsigned char	 text[16];
	uint32_t	 hash;
	uint16_t	 mask;		/* the low len bits */
	uint8_t		 len;		/* of `"key":`; 0: none */
};

/* The members of one object; reused from line to line. */
struct jscan {
	struct jscan_member	*m;
	size_t			 n, alloc;
	size_t			 room;		/* min(alloc, JSCAN_MAX_MEMBERS) */
	/* Built on the first look-up of an object of more than
	 * JSCAN_LINEAR members; smaller ones are searched in order. */
	uint16_t		*slot;		/* hash table: member index + 1 */
	size_t			 nslots;
	int			 indexed;
	/* Bit (hash % 64) of every member's key: a key that is not there
	 * (an alias's other spellings) costs one test. */
	uint64_t		 keys;
	struct jscan_template	 tmpl[JSCAN_TEMPLATES];
	/* Members of the last object, SIZE_MAX if it was not OK. */
	size_t			 tmpl_n;
	/* Changes with each object scanned OK whose keys (the sequence
	 * of them) may not be the previous object's: objects scanned OK
	 * with one keys_id have the same keys in the same order. */
	uint64_t		 keys_id;
	/* The last object held a lone surrogate escape (\ud800). */
	int			 lone;
	/* Decoded escaped keys of the last object ("lev\u0065l"): their
	 * member's key points here. */
	char			*kbuf;
	size_t			 kbuf_used, kbuf_alloc;
};

#define JSCAN_LINEAR	16

void	jscan_init(struct jscan *s);
void	jscan_release(struct jscan *s);

/* Scans TEXT[0..LEN) (which starts with '{' and may end in blanks) as
 * exactly one object; fills S with its members. TEXT must be valid
 * UTF-8. */
enum jscan_status jscan_object(struct jscan *s, const char *text, size_t len);

/* The member named KEY (LEN bytes, HASH = jscan_hash), the last one if
 * the key repeats (jansson keeps the last), or NULL. */
static inline const struct jscan_member *jscan_find(struct jscan *s,
	    const char *key, size_t len, uint32_t hash);
const struct jscan_member *jscan_find_indexed(struct jscan *s,
	    const char *key, size_t len, uint32_t hash);

uint32_t jscan_hash(const char *s, size_t len);

/* Decodes the escapes of a JSCAN_STRING_ESCAPED value (or key) into
 * OUT (LEN bytes at most): \u as UTF-8, a surrogate pair as one code
 * point, a lone surrogate as U+FFFD. Returns the decoded length. */
size_t	jscan_unescape(const char *val, size_t len, char *out);

/* In line: a report looks up a dozen keys a line. */
static inline const struct jscan_member *
jscan_find(struct jscan *s, const char *key, size_t len, uint32_t hash)
{
	size_t j;

	/* A log line has a dozen members: looking at each hash, from the
	 * last (jansson keeps the last of a repeated key), is cheaper than
	 * building a table per line. */
	if (!(s->keys & (UINT64_C(1) << (hash & 63))))
		return NULL;
	if (s->n > JSCAN_LINEAR)
		return jscan_find_indexed(s, key, len, hash);
	for (j = s->n; j-- > 0;) {
		const struct jscan_member *m = &s->m[j];

		if (m->hash == hash && m->key_len == len &&
		    bytes_equal(m->key, key, len))
			return m;
	}
	return NULL;
}

#endif
