/* SPDX-License-Identifier: MIT */
/* value.h - the values that expressions compute and result rows carry */
#ifndef LOGQ_VALUE_H
#define LOGQ_VALUE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "util.h"

enum value_kind {
	VALUE_NULL,		/* also: a missing field */
	VALUE_BOOL,
	VALUE_INT,		/* a JSON integer, a count */
	VALUE_REAL,
	VALUE_STRING,		/* bytes, valid UTF-8, not NUL-terminated */
	VALUE_JSON,		/* a JSON array or object from the input */
	VALUE_LIST		/* a list literal or a list made by a function */
};

/*
 * A value is small and copied by value. It owns nothing: a string points
 * into the record (valid until the record is freed) or into the arena of
 * the evaluation (valid until arena_reset()); VALUE_JSON borrows the
 * record's jansson tree. Whoever keeps a value past the line (an
 * aggregate, a group key) makes its own copy with value_dup().
 */
struct value {
	enum value_kind		 kind;
	union {
		int		 b;
		int64_t		 i;
		double		 r;
		struct {
			const char	*ptr;
			size_t		 len;
		} s;
		const json_t	*json;
		struct {
			const struct value	*items;
			size_t			 n;
		} list;
	} u;
};

static inline struct value
value_null(void)
{
	struct value v = { .kind = VALUE_NULL };
	return v;
}

static inline struct value
value_bool(int b)
{
	struct value v = { .kind = VALUE_BOOL, .u.b = b != 0 };
	return v;
}

static inline struct value
value_int(int64_t i)
{
	struct value v = { .kind = VALUE_INT, .u.i = i };
	return v;
}

static inline struct value
value_real(double r)
{
	struct value v = { .kind = VALUE_REAL, .u.r = r };
	return v;
}

static inline struct value
value_str(const char *ptr, size_t len)
{
	struct value v = { .kind = VALUE_STRING, .u.s = { ptr, len } };
	return v;
}

/* A borrowed view of a jansson value: strings and numbers become scalar
 * values, arrays and objects VALUE_JSON. NULL gives VALUE_NULL. */
struct value	value_from_json(const json_t *j);

/* Truthiness (SPEC 3.2): null and false are false, all else true. */
int		value_truthy(const struct value *v);

/* 1 and *out set when V is a number, or a string holding a whole decimal
 * number (SPEC 3.2's comparison rule); 0 otherwise. */
int		value_as_number(const struct value *v, double *out);

/* Like value_as_number, but also accepts any numeric string strtod takes
 * completely ("1.5", "1e3"): the conversion num() does. */
int		value_parse_number(const struct value *v, double *out);
/* 1 and *out set when V is a string holding [-+]?[0-9]+ that fits
 * int64_t, blanks and tabs around it aside: exact where a double would
 * round (epoch nanoseconds); 0 otherwise. */
int		value_parse_int64(const struct value *v, int64_t *out);

enum value_order {
	VALUE_LT = -1, VALUE_EQ = 0, VALUE_GT = 1,
	VALUE_UNORDERED = 2	/* null involved, or kinds that do not order */
};

/* Compares by SPEC 3.2: numbers numerically (with whole-number strings),
 * strings bytewise, booleans and lists/JSON only for equality. */
enum value_order value_compare(const struct value *a, const struct value *b);
int		value_equal(const struct value *a, const struct value *b);

/*
 * A total order for sorting result rows and group keys: null < booleans
 * < numbers < strings < lists/JSON; numbers numerically, strings bytewise.
 * Deterministic whatever the input order, as SPEC 4.1 needs.
 */
int		value_sort_cmp(const struct value *a, const struct value *b);

/* A copy of V that outlives the line: strings and lists are copied into
 * ARENA; VALUE_JSON takes a jansson reference, which value_release()
 * drops. (Aggregates and group keys keep values this way.) */
struct value	value_dup(struct arena *arena, const struct value *v);
void		value_release(struct value *v);

/* A copy of V that owns its bytes on the heap, for values kept by a
 * loaded query or an expression tree: strings are malloc'ed and
 * NUL-terminated, lists copied item by item, VALUE_JSON takes a jansson
 * reference. value_heap_release() frees what the copy owns. */
struct value	value_heap_copy(const struct value *v);
/* Frees what V owns as value_heap_copy() made it; V becomes null. */
void		value_heap_release(struct value *v);

/* New jansson reference for V (caller owns it). */
json_t		*value_to_json(const struct value *v);

/* Appends V as JSON text (strings quoted and escaped, numbers at full
 * precision, the shortest text that reads back to the same double). */
void		value_write_json(struct buf *out, const struct value *v);

enum value_text_mode {
	VALUE_TEXT_PLAIN,	/* full precision; null as "" (csv, tsv) */
	VALUE_TEXT_TABLE	/* up to 3 decimals; null as "-" (table) */
};

/* Appends V as text: strings unquoted, numbers per MODE, lists and JSON
 * as compact JSON. */
void		value_write_text(struct buf *out, const struct value *v,
		    enum value_text_mode mode);

/* Appends the shortest decimal text that reads back as D ("1e+300",
 * "0.1", "5"); integral values print without a fraction. */
void		value_write_double(struct buf *out, double d);

/* Kind as a word for messages: "null", "boolean", "number", ... */
const char	*value_kind_name(enum value_kind kind);

#endif
