/* jscan.h - validate a JSON object and index its members, without a DOM */
#ifndef LOGQ_JSCAN_H
#define LOGQ_JSCAN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "util.h"

/*
 * Most log lines are flat objects of which a query reads a few members.
 * jscan checks that a span is one JSON object, as jansson would, and
 * records where each top-level member's key and value are; values are
 * decoded only when read (record.c). Building jansson's tree for every
 * line costs ten times more.
 *
 * It answers JSCAN_OK only when jansson would accept the text (with
 * JSON_ALLOW_NUL) and give the same values - or when jansson would
 * refuse a number beyond a double's range, which SPEC 2 says must not
 * cost the line - and JSCAN_INVALID only when jansson would reject it.
 * What it does not decide exactly - \u escapes, escaped keys, nesting
 * deeper than JSCAN_MAX_DEPTH - is JSCAN_UNSURE: jansson parses that
 * line instead.
 */
enum jscan_status { JSCAN_OK, JSCAN_INVALID, JSCAN_UNSURE };

enum jscan_type {
	JSCAN_STRING,		/* val excludes the quotes */
	JSCAN_STRING_ESCAPED,	/* ... and holds simple \ escapes */
	JSCAN_INT,		/* at most 18 digits: fits int64 */
	JSCAN_REAL,		/* any other number: a fraction, an
				 * exponent, or more digits (record.c
				 * reads it as jansson would, or as the
				 * nearest double where jansson cannot) */
	JSCAN_TRUE, JSCAN_FALSE, JSCAN_NULL,
	JSCAN_OBJECT, JSCAN_ARRAY	/* val is the whole {...} or [...] */
};

#define JSCAN_MAX_DEPTH	64
/* More members than this: JSCAN_UNSURE (indexes are 16-bit). */
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

/* Decodes the simple escapes of a JSCAN_STRING_ESCAPED value into OUT
 * (LEN bytes at most); returns the decoded length. */
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
