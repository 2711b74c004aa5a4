/* SPDX-License-Identifier: MIT */
/* record.h - one input line as a JSON object plus logq's special fields */
#ifndef LOGQ_RECORD_H
#define LOGQ_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "extract.h"
#include "jscan.h"
#include "reader.h"
#include "value.h"

/*
 * A field path: `checks.db` is {"checks", "db"}; `."@timestamp"` is
 * {"@timestamp"}. Segments are owned, NUL-terminated, may hold any byte
 * but NUL. Built by the expression parser and the alias table.
 */
struct field_path {
	char		**seg;
	size_t		 *seg_len;
	uint32_t	 *seg_hash;	/* jscan_hash of each segment */
	size_t		  n;
	uint32_t	  flat_hash;	/* jscan_hash of "a.b.c", one key */
};

void	field_path_init(struct field_path *p);
void	field_path_push(struct field_path *p, const char *s, size_t len);
void	field_path_copy(struct field_path *dst, const struct field_path *src);
void	field_path_release(struct field_path *p);
/* Appends the path as an expression would spell it: a.b, ."@timestamp". */
void	field_path_write(struct buf *out, const struct field_path *p);

/* Why a line was not used (SPEC 1.2's end-of-run summary). */
enum record_status {
	RECORD_OK,
	RECORD_NOT_JSON,	/* no JSON object in the line */
	RECORD_NOT_OBJECT,	/* valid JSON, but a string, number, array */
	RECORD_TOO_DEEP,	/* nesting deeper than the parser allows */
	RECORD_BLANK,		/* nothing but blanks: counted, carries nothing */
	/* longer than --max-line-bytes: never parsed (run.c, not
	 * record_parse, gives it; the reader may not even keep it) */
	RECORD_TOO_LONG,
	/* a later record of a CRI run, its content joined into the line
	 * of the run's first record (reader.h): not skipped, counted
	 * apart (run.c, not record_parse, gives it) */
	RECORD_JOINED,
	RECORD_NSTATUS
};

/* Words for the summary: "not JSON", "not an object", "too deep",
 * "blank", "too long", "joined". */
extern const char *const record_status_names[RECORD_NSTATUS];

struct record;

/* A reusable record: parse line after line into the same one. */
struct record	*record_new(void);
void		 record_free(struct record *rec);

/*
 * Parses LINE (from input FILE, borrowed for the record's life) into
 * REC, replacing what it held. Invalid UTF-8 anywhere in the line is
 * repaired first (each bad byte becomes U+FFFD, into a buffer REC owns)
 * and *repaired set to 1, else 0 (REPAIRED may be NULL); so is a line
 * whose object holds a lone surrogate escape (decoded as U+FFFD).
 * Integers beyond 64 bits are read as reals, each number on its own,
 * rather than losing the line. Returns
 * RECORD_OK, or why the line is skipped (an empty line is "not JSON").
 * LINE's text must stay valid while REC is used.
 */
enum record_status record_parse(struct record *rec, const struct line *line,
		    const char *file, int *repaired);

/*
 * The value at PATH, borrowed from REC (valid until the next
 * record_parse or record_free). Missing fields give VALUE_NULL and 0;
 * present ones 1 (also for an explicit JSON null, which gives
 * VALUE_NULL). A one-segment path naming a special field gives that
 * field before any input key of that name: _line (the line as read,
 * repaired if it was), _file and _lineno always; _prefix and the prefix
 * fields (_time, _pod, ...) where the line has them, else the input key
 * of that name, else missing. A dotted path missing as nested objects is
 * tried as one flat key ("log.level" in Elastic ECS logs).
 */
int		 record_get(const struct record *rec,
		    const struct field_path *path, struct value *out);

/* The first member of struct record, public so that reading the
 * generation costs no call. */
struct record_head {
	/* Unique to this record and line in the process: the record's
	 * serial number above bit 40, its parses so far below. */
	uint64_t	 generation;
	struct jscan	*top;		/* the scanned object, or NULL */
};

/* Changes with every record_parse and differs between records: caches
 * of a line's values (eval.c) compare it alone to know they are stale.
 * They ask once or more per field read, hence inline. */
static inline uint64_t
record_generation(const struct record *rec)
{
	return ((const struct record_head *)(const void *)rec)->generation;
}

/*
 * The top-level members of a record that jscan indexed (most lines), or
 * NULL (jansson parsed it). With record_member_into(), the short way to a
 * plain top-level key that evaluation takes for aliases; it reads the
 * same value as record_get() with a one-segment path that does not name
 * a special field.
 */
static inline struct jscan *
record_scanned(const struct record *rec)
{
	return ((const struct record_head *)(const void *)rec)->top;
}

struct value	 record_decode(struct record *rec,
		    const struct jscan_member *m);

/* The value of a member of record_scanned(REC) into *OUT: plain strings
 * and short integers (most values) in line, field by field. */
static inline void
record_member_into(struct record *rec, const struct jscan_member *m,
    struct value *out)
{
	const char *p = m->val, *end = m->val + m->val_len;
	int64_t n = 0;

	if (m->type == JSCAN_STRING) {
		out->kind = VALUE_STRING;
		out->u.s.ptr = m->val;
		out->u.s.len = m->val_len;
		return;
	}
	if (m->type == JSCAN_INT && *p != '-') {
		/* At most 18 digits: no overflow. */
		for (; p < end; p++)
			n = n * 10 + (*p - '0');
		out->kind = VALUE_INT;
		out->u.i = n;
		return;
	}
	*out = record_decode(rec, m);
}

/* The parsed object (borrowed; NULL unless RECORD_OK), the line (its
 * text repaired if it was), and the prefix (spans into that text). */
const json_t	*record_json(const struct record *rec);
const struct line *record_line(const struct record *rec);
const struct extract_prefix *record_prefix(const struct record *rec);

/*
 * Replaces each invalid UTF-8 sequence byte of S[0..LEN) with U+FFFD
 * (EF BF BD) into OUT (reset first). Returns the number of bytes
 * replaced; 0 means S was valid and OUT is left empty.
 */
size_t		 record_repair_utf8(const char *s, size_t len, struct buf *out);

#endif
