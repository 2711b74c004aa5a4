/* SPDX-License-Identifier: MIT */
/* aggfn.c - one table row per aggregate: feed, merge, result, write, read */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "aggfn.h"
#include "hash.h"
#include "percentile.h"
#include "sketch.h"

/* A set of byte strings: distinct()'s values, as aggfn_encode_value
 * gives them. */
struct bset {
	struct bentry {
		uint64_t	 hash;
		char		*key;		/* NULL: empty slot */
		size_t		 len;
	}		*e;
	size_t		 n, cap;
};

static void
bset_grow(struct bset *s)
{
	struct bentry *old = s->e;
	size_t oldcap = s->cap, i;

	s->cap = s->cap ? s->cap * 2 : 16;
	s->e = xcalloc(s->cap, sizeof(*s->e));
	for (i = 0; i < oldcap; i++) {
		size_t j;

		if (old[i].key == NULL)
			continue;
		for (j = old[i].hash & (s->cap - 1); s->e[j].key != NULL;
		    j = (j + 1) & (s->cap - 1))
			;
		s->e[j] = old[i];
	}
	free(old);
}

/* Adds a copy of KEY unless present: 1 if it was added, 0 if not. */
static int
bset_add(struct bset *s, const char *key, size_t len)
{
	uint64_t h = hash_bytes(key, len);
	size_t j;

	if ((s->n + 1) * 4 > s->cap * 3)
		bset_grow(s);
	for (j = h & (s->cap - 1); s->e[j].key != NULL;
	    j = (j + 1) & (s->cap - 1))
		if (s->e[j].hash == h && s->e[j].len == len &&
		    memcmp(s->e[j].key, key, len) == 0)
			return 0;
	s->e[j].hash = h;
	s->e[j].key = xmalloc(len ? len : 1);
	memcpy(s->e[j].key, key, len);
	s->e[j].len = len;
	s->n++;
	return 1;
}

static void
bset_release(struct bset *s)
{
	size_t i;

	for (i = 0; i < s->cap; i++)
		free(s->e[i].key);
	free(s->e);
	memset(s, 0, sizeof(*s));
}

void
aggfn_encode_value(struct buf *b, const struct value *v)
{
	int64_t i;
	double d;
	size_t k;

	switch (v->kind) {
	case VALUE_NULL:
		buf_addc(b, 'n');
		break;
	case VALUE_BOOL:
		buf_addc(b, v->u.b ? 't' : 'f');
		break;
	case VALUE_INT:
		i = v->u.i;
		goto integer;
	case VALUE_REAL:
		d = v->u.r;
		if (d == floor(d) && fabs(d) < 9e18) {
			i = (int64_t)d;
			goto integer;
		}
		buf_addc(b, 'r');
		buf_add(b, &d, sizeof(d));
		break;
	integer:
		buf_addc(b, 'i');
		buf_add(b, &i, sizeof(i));
		break;
	case VALUE_STRING:
		k = v->u.s.len;
		buf_addc(b, 's');
		buf_add(b, &k, sizeof(k));
		buf_add(b, v->u.s.ptr, k);
		break;
	case VALUE_JSON:
	case VALUE_LIST:
		/* Rare as a key: compact JSON text is canonical enough
		 * (jansson keeps key order as read). */
		buf_addc(b, 'j');
		k = b->len;
		buf_add(b, &k, sizeof(k));	/* patched below */
		value_write_json(b, v);
		{
			size_t len = b->len - k - sizeof(k);

			memcpy(b->ptr + k, &len, sizeof(len));
		}
		break;
	}
}

static int
as_number(const struct value *v, double *d, int *is_int)
{
	if (v->kind == VALUE_INT) {
		*d = (double)v->u.i;
		*is_int = 1;
		return 1;
	}
	if (v->kind == VALUE_REAL && isfinite(v->u.r)) {
		*d = v->u.r;
		*is_int = 0;
		return 1;
	}
	return 0;	/* SPEC 3.3: other values are ignored */
}

/* Orders two numbers exactly: integers as integers (nanosecond times
 * differ past 2^53, where doubles do not), other pairs as doubles. */
static int
num_cmp(const struct value *a, const struct value *b)
{
	double x, y;

	if (a->kind == VALUE_INT && b->kind == VALUE_INT)
		return (a->u.i > b->u.i) - (a->u.i < b->u.i);
	x = a->kind == VALUE_INT ? (double)a->u.i : a->u.r;
	y = b->kind == VALUE_INT ? (double)b->u.i : b->u.r;
	return (x > y) - (x < y);
}

/* ---- JSON helpers of write and read -------------------------------- */

/* A double as JSON: jansson has no infinities (a sum can overflow). */
static json_t *
real_to_json(double d)
{
	if (isfinite(d))
		return json_real(d);
	return json_string(isnan(d) ? "nan" : d > 0 ? "inf" : "-inf");
}

static int
real_from_json(const json_t *j, double *d)
{
	const char *s;

	if (json_is_real(j))
		*d = json_real_value(j);
	else if (json_is_integer(j))
		*d = (double)json_integer_value(j);
	else if ((s = json_string_value(j)) != NULL &&
	    (strcmp(s, "inf") == 0 || strcmp(s, "-inf") == 0 ||
	    strcmp(s, "nan") == 0))
		*d = s[0] == 'n' ? NAN : s[0] == '-' ? -INFINITY : INFINITY;
	else
		return 0;
	return 1;
}

/* A number value (int or finite real) of J. */
static int
number_from_json(const json_t *j, struct value *v)
{
	if (json_is_integer(j))
		*v = value_int(json_integer_value(j));
	else if (json_is_real(j) && isfinite(json_real_value(j)))
		*v = value_real(json_real_value(j));
	else
		return 0;
	return 1;
}

/* A new object {"n": N}, the start of every state but the shared. */
static json_t *
state_new(int64_t n)
{
	json_t *o = json_object();

	json_object_set_new(o, "n", json_integer(n));
	return o;
}

static int
state_fail(struct diag *err, const char *msg)
{
	diag_set(err, LOGQ_EXIT_INPUT, "invalid aggregate state: %s", msg);
	return -1;
}

/* Reads "n" of the object J into *N: an integer from 0. */
static int
read_n(const json_t *j, int64_t *n, struct diag *err)
{
	const json_t *jn;

	if (!json_is_object(j))
		return state_fail(err, "not an object");
	jn = json_object_get(j, "n");
	if (!json_is_integer(jn) || json_integer_value(jn) < 0)
		return state_fail(err, "'n' is not a count");
	*n = json_integer_value(jn);
	return 0;
}

/* ---- input positions ------------------------------------------------ */

long long
aggfn_files_intern(struct aggfn_files *f, const char *name)
{
	size_t i;

	/* A merge meets a few files per state: a scan is enough. */
	for (i = f->n; i-- > 0;)
		if (strcmp(f->names[i], name) == 0)
			return (long long)i;
	return aggfn_files_append(f, name);
}

long long
aggfn_files_append(struct aggfn_files *f, const char *name)
{
	if ((uint64_t)f->n + 1 >= AGGFN_MAX_FILES)
		return -1;
	XGROW(f->names, f->n + 1, f->alloc);
	f->names[f->n] = xstrdup(name);
	return (long long)f->n++;
}

void
aggfn_files_release(struct aggfn_files *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		free(f->names[i]);
	free(f->names);
	memset(f, 0, sizeof(*f));
}

const char *
aggfn_pos_file(const struct aggfn_files *f, uint64_t pos)
{
	uint64_t i = pos >> AGGFN_LINE_BITS;

	return f != NULL && i < f->n ? f->names[i] : "-";
}

int
aggfn_pos_cmp(const struct aggfn_files *f, uint64_t a, uint64_t b)
{
	uint64_t fa = a >> AGGFN_LINE_BITS, fb = b >> AGGFN_LINE_BITS;
	uint64_t mask = (UINT64_C(1) << AGGFN_LINE_BITS) - 1;
	int c;

	if (fa != fb && f != NULL && f->by_name &&
	    (c = strcmp(aggfn_pos_file(f, a), aggfn_pos_file(f, b))) != 0)
		return c;
	if (fa != fb && (f == NULL || !f->by_name))
		return (fa > fb) - (fa < fb);
	a &= mask;
	b &= mask;
	return (a > b) - (a < b);
}

/* ---- count(), count_if(): N in the group header is all -------------- */

static void
count_feed(int64_t *n, void *state, const struct value *args, uint64_t seq,
    struct aggfn_ctx *ctx)
{
	(void)state, (void)args, (void)seq, (void)ctx;
	(*n)++;
}

static void
count_if_feed(int64_t *n, void *state, const struct value *args,
    uint64_t seq, struct aggfn_ctx *ctx)
{
	(void)state, (void)seq, (void)ctx;
	*n += value_truthy(&args[0]) != 0;
}

static void
count_merge(int64_t *n, void *state, int64_t from_n, const void *from,
    struct aggfn_ctx *ctx)
{
	(void)state, (void)from, (void)ctx;
	*n += from_n;
}

static struct value
count_result(int64_t n, void *state, double q)
{
	(void)state, (void)q;
	return value_int(n);
}

/* N itself: the commonest state, kept small (no object to parse). */
static json_t *
count_write(int64_t n, const void *state,
    const struct aggfn_ctx *ctx)
{
	(void)state, (void)ctx;
	return json_integer(n);
}

static int
count_read(int64_t *n, void *state, const json_t *j, struct aggfn_ctx *ctx,
    struct diag *err)
{
	(void)state, (void)ctx;
	if (!json_is_integer(j) || json_integer_value(j) < 0)
		return state_fail(err, "a count is not an integer from 0");
	*n = json_integer_value(j);
	return 0;
}

/* ---- sum(), avg() ------------------------------------------------- */

/*
 * A sum of doubles kept exactly, as Shewchuk's non-overlapping partials
 * (Python's math.fsum): the rounded result is the exact sum's, so it
 * does not depend on the order of the values or on how the lines were
 * split between threads and states (SPEC 4.1, 7). Most sums keep one to
 * three partials.
 */
struct sum_state {
	int64_t		 isum;		/* the sum while all are ints */
	int		 all_int;	/* no real and no overflow yet */
	double		*part;		/* partials, smallest first */
	size_t		 npart, alloc;
	/* Once a partial overflows: the sum is this infinity (or NaN). */
	double		 special;
	int		 is_special;
};

static void
sum_init(void *state)
{
	((struct sum_state *)state)->all_int = 1;
}

static void
sum_add(struct sum_state *s, double x)
{
	size_t i, j;
	double y, t, hi, lo;

	if (s->is_special) {
		s->special += x;
		return;
	}
	for (i = j = 0; j < s->npart; j++) {
		y = s->part[j];
		if (fabs(x) < fabs(y)) {
			t = x;
			x = y;
			y = t;
		}
		hi = x + y;
		lo = y - (hi - x);
		if (lo != 0.0)
			s->part[i++] = lo;
		x = hi;
	}
	if (!isfinite(x)) {
		/* Past DBL_MAX: the partials cannot say it any more. */
		s->is_special = 1;
		s->special = x;
		return;
	}
	s->npart = i;
	XGROW(s->part, s->npart + 1, s->alloc);
	s->part[s->npart++] = x;
}

/* The exact sum of the partials, rounded once (half to even). */
static double
sum_value(const struct sum_state *s)
{
	size_t n = s->npart;
	double hi = 0.0, lo = 0.0, x, y, yr;

	if (s->is_special)
		return s->special;
	if (n == 0)
		return 0.0;
	hi = s->part[--n];
	while (n > 0) {
		x = hi;
		y = s->part[--n];
		hi = x + y;
		yr = hi - x;
		lo = y - yr;
		if (lo != 0.0)
			break;
	}
	/* Halfway between two doubles: the partials below decide. */
	if (n > 0 && ((lo < 0 && s->part[n - 1] < 0) ||
	    (lo > 0 && s->part[n - 1] > 0))) {
		y = lo * 2;
		x = hi + y;
		yr = x - hi;
		if (y == yr)
			hi = x;
	}
	return hi;
}

static void
sum_feed(int64_t *n, void *state, const struct value *args, uint64_t seq,
    struct aggfn_ctx *ctx)
{
	struct sum_state *s = state;
	int64_t sum;
	double d;
	int is_int;

	(void)seq, (void)ctx;
	if (!as_number(&args[0], &d, &is_int))
		return;
	(*n)++;
	sum_add(s, d);
	if (s->all_int && is_int &&
	    !__builtin_add_overflow(s->isum, args[0].u.i, &sum))
		s->isum = sum;
	else
		s->all_int = 0;
}

static void
sum_merge(int64_t *n, void *state, int64_t from_n, const void *from,
    struct aggfn_ctx *ctx)
{
	struct sum_state *a = state;
	const struct sum_state *b = from;
	size_t k;

	(void)ctx;
	if (from_n == 0)
		return;
	if (b->is_special)
		sum_add(a, b->special);
	for (k = 0; k < b->npart; k++)
		sum_add(a, b->part[k]);
	if (!(a->all_int && b->all_int &&
	    !__builtin_add_overflow(a->isum, b->isum, &a->isum)))
		a->all_int = 0;
	*n += from_n;
}

static struct value
sum_result(int64_t n, void *state, double q)
{
	struct sum_state *s = state;

	(void)q;
	if (n == 0)
		return value_null();
	return s->all_int ? value_int(s->isum) : value_real(sum_value(s));
}

static struct value
avg_result(int64_t n, void *state, double q)
{
	struct sum_state *s = state;

	(void)q;
	return n ? value_real(sum_value(s) / (double)n) : value_null();
}

/* {"n": N, "sum": S, "isum": I, "partials": [...]}: isum null once not
 * all ints; S the rounded sum (for a reader), the partials the exact
 * one (or [S] when S overflowed). */
static json_t *
sum_write(int64_t n, const void *state,
    const struct aggfn_ctx *ctx)
{
	const struct sum_state *s = state;
	json_t *o = state_new(n), *parts = json_array();
	size_t k;

	(void)ctx;
	json_object_set_new(o, "sum", real_to_json(sum_value(s)));
	json_object_set_new(o, "isum", s->all_int ? json_integer(s->isum) :
	    json_null());
	if (s->is_special)
		json_array_append_new(parts, real_to_json(s->special));
	for (k = 0; k < s->npart; k++)
		json_array_append_new(parts, json_real(s->part[k]));
	json_object_set_new(o, "partials", parts);
	return o;
}

static int
sum_read(int64_t *n, void *state, const json_t *j, struct aggfn_ctx *ctx,
    struct diag *err)
{
	struct sum_state *s = state;
	const json_t *isum, *parts, *p;
	double d;
	size_t k;

	(void)ctx;
	if (read_n(j, n, err) < 0)
		return -1;
	if (!real_from_json(json_object_get(j, "sum"), &d))
		return state_fail(err, "'sum' is not a number");
	parts = json_object_get(j, "partials");
	if (!json_is_array(parts))
		return state_fail(err, "'partials' is not a list");
	json_array_foreach(parts, k, p) {
		if (!real_from_json(p, &d))
			return state_fail(err, "a partial sum is not a "
			    "number");
		sum_add(s, d);
	}
	isum = json_object_get(j, "isum");
	if (json_is_integer(isum))
		s->isum = json_integer_value(isum);
	else if (json_is_null(isum))
		s->all_int = 0;
	else
		return state_fail(err, "'isum' is neither an integer nor null");
	return 0;
}

static void
sum_release(void *state)
{
	free(((struct sum_state *)state)->part);
}

/* ---- min(), max() ------------------------------------------------- */

struct minmax_state {
	struct value	 best;		/* a number */
};

static void
minmax_feed(int64_t *n, struct minmax_state *s, const struct value *v,
    int sign)
{
	double d;
	int is_int;

	if (!as_number(v, &d, &is_int))
		return;
	if (*n == 0 || num_cmp(v, &s->best) * sign > 0)
		s->best = *v;	/* a number: nothing to own */
	(*n)++;
}

static void
min_feed(int64_t *n, void *state, const struct value *args, uint64_t seq,
    struct aggfn_ctx *ctx)
{
	(void)seq, (void)ctx;
	minmax_feed(n, state, &args[0], -1);
}

static void
max_feed(int64_t *n, void *state, const struct value *args, uint64_t seq,
    struct aggfn_ctx *ctx)
{
	(void)seq, (void)ctx;
	minmax_feed(n, state, &args[0], 1);
}

static void
minmax_merge(int64_t *n, struct minmax_state *a, int64_t from_n,
    const struct minmax_state *b, int sign)
{
	if (from_n == 0)
		return;
	if (*n == 0 || num_cmp(&b->best, &a->best) * sign > 0)
		a->best = b->best;
	*n += from_n;
}

static void
min_merge(int64_t *n, void *state, int64_t from_n, const void *from,
    struct aggfn_ctx *ctx)
{
	(void)ctx;
	minmax_merge(n, state, from_n, from, -1);
}

static void
max_merge(int64_t *n, void *state, int64_t from_n, const void *from,
    struct aggfn_ctx *ctx)
{
	(void)ctx;
	minmax_merge(n, state, from_n, from, 1);
}

static struct value
minmax_result(int64_t n, void *state, double q)
{
	(void)q;
	return n ? ((struct minmax_state *)state)->best : value_null();
}

/* {"n": N, "value": X}, X left out while N is 0. */
static json_t *
minmax_write(int64_t n, const void *state,
    const struct aggfn_ctx *ctx)
{
	json_t *o = state_new(n);

	(void)ctx;
	if (n > 0)
		json_object_set_new(o, "value",
		    value_to_json(&((const struct minmax_state *)state)->best));
	return o;
}

static int
minmax_read(int64_t *n, void *state, const json_t *j, struct aggfn_ctx *ctx,
    struct diag *err)
{
	struct minmax_state *s = state;

	(void)ctx;
	if (read_n(j, n, err) < 0)
		return -1;
	if (*n > 0 && !number_from_json(json_object_get(j, "value"),
	    &s->best))
		return state_fail(err, "'value' is not a number");
	return 0;
}

/* ---- first(), last(), min_by(), max_by() --------------------------- */

struct pick_state {
	struct value	 best;		/* the value kept */
	char		*own;		/* best's string bytes, reused */
	size_t		 own_cap;
	struct value	 key;		/* y of min_by/max_by: a number */
	uint64_t	 seq;		/* of the line best came from */
};

/*
 * Keeps V as the state's value. last() replaces it on every line: a
 * string goes in the state's own buffer, reused, not in the table's
 * arena (which is never given back), so memory does not grow with the
 * input (SPEC 6: bounded over hours of a live stream).
 */
static void
keep_value(struct aggfn_ctx *ctx, struct pick_state *s,
    const struct value *v, uint64_t seq)
{
	value_release(&s->best);
	if (v->kind == VALUE_STRING) {
		if (v->u.s.len + 1 > s->own_cap) {
			s->own_cap = v->u.s.len + 1 > 32 ? v->u.s.len + 1 : 32;
			free(s->own);
			s->own = xmalloc(s->own_cap);
		}
		if (v->u.s.len)
			memcpy(s->own, v->u.s.ptr, v->u.s.len);
		s->best = value_str(s->own, v->u.s.len);
	} else
		s->best = value_dup(ctx->arena, v);
	s->seq = seq;
}

static void
first_feed(int64_t *n, void *state, const struct value *args, uint64_t seq,
    struct aggfn_ctx *ctx)
{
	struct pick_state *s = state;

	if ((*n)++ == 0 || seq < s->seq)
		keep_value(ctx, s, &args[0], seq);
}

static void
last_feed(int64_t *n, void *state, const struct value *args, uint64_t seq,
    struct aggfn_ctx *ctx)
{
	struct pick_state *s = state;

	if ((*n)++ == 0 || seq > s->seq)
		keep_value(ctx, s, &args[0], seq);
}

/* Whether a line with key Y at SEQ beats the state's: SIGN -1 for the
 * least key, 1 for the greatest; ties keep the earliest line, whatever
 * the thread. */
static int
by_beats(const struct pick_state *s, const struct value *y, uint64_t seq,
    int sign)
{
	int c = num_cmp(y, &s->key) * sign;

	return c > 0 || (c == 0 && seq < s->seq);
}

static void
by_feed(int64_t *n, struct pick_state *s, const struct value *args,
    uint64_t seq, struct aggfn_ctx *ctx, int sign)
{
	double dy;
	int y_int;

	if (!as_number(&args[1], &dy, &y_int))
		return;
	if (*n == 0 || by_beats(s, &args[1], seq, sign)) {
		keep_value(ctx, s, &args[0], seq);
		s->key = args[1];
	}
	(*n)++;
}

static void
min_by_feed(int64_t *n, void *state, const struct value *args, uint64_t seq,
    struct aggfn_ctx *ctx)
{
	by_feed(n, state, args, seq, ctx, -1);
}

static void
max_by_feed(int64_t *n, void *state, const struct value *args, uint64_t seq,
    struct aggfn_ctx *ctx)
{
	by_feed(n, state, args, seq, ctx, 1);
}

/* The values' encodings compared: the last word between two states
 * that hold the same position (two "-" inputs, each from line 1). */
static int
value_order(const struct value *a, const struct value *b)
{
	struct buf x = BUF_INIT;
	size_t alen;
	int c;

	aggfn_encode_value(&x, a);
	alen = x.len;
	aggfn_encode_value(&x, b);
	c = memcmp(x.ptr, x.ptr + alen, alen < x.len - alen ? alen :
	    x.len - alen);
	if (c == 0)
		c = (alen > x.len - alen) - (alen < x.len - alen);
	buf_release(&x);
	return c;
}

/* SIGN: 0 first(), 2 last(), else as by_beats(). Positions compare by
 * ctx->files, so that states of other runs order by file and line. */
static void
pick_merge(int64_t *n, struct pick_state *a, int64_t from_n,
    const struct pick_state *b, struct aggfn_ctx *ctx, int sign)
{
	int take, c, k;

	if (from_n == 0)
		return;
	c = aggfn_pos_cmp(ctx->files, b->seq, a->seq);
	if (c == 0 && *n > 0)
		c = value_order(&b->best, &a->best);
	if (*n == 0)
		take = 1;
	else if (sign == 0)
		take = c < 0;
	else if (sign == 2)
		take = c > 0;
	else {
		k = num_cmp(&b->key, &a->key) * sign;
		take = k > 0 || (k == 0 && c < 0);
	}
	if (take) {
		keep_value(ctx, a, &b->best, b->seq);
		a->key = b->key;
	}
	*n += from_n;
}

static void
first_merge(int64_t *n, void *state, int64_t from_n, const void *from,
    struct aggfn_ctx *ctx)
{
	pick_merge(n, state, from_n, from, ctx, 0);
}

static void
last_merge(int64_t *n, void *state, int64_t from_n, const void *from,
    struct aggfn_ctx *ctx)
{
	pick_merge(n, state, from_n, from, ctx, 2);
}

static void
min_by_merge(int64_t *n, void *state, int64_t from_n, const void *from,
    struct aggfn_ctx *ctx)
{
	pick_merge(n, state, from_n, from, ctx, -1);
}

static void
max_by_merge(int64_t *n, void *state, int64_t from_n, const void *from,
    struct aggfn_ctx *ctx)
{
	pick_merge(n, state, from_n, from, ctx, 1);
}

static struct value
pick_result(int64_t n, void *state, double q)
{
	(void)q;
	return n ? ((struct pick_state *)state)->best : value_null();
}

/* {"n": N, "value": X, "pos": [FILE, LINE]}, and "key": Y for *_by;
 * only "n" while N is 0. The position names its file (SPEC 7), so that
 * states of other runs, files and shards compare. */
static json_t *
pick_write_key(int64_t n, const struct pick_state *s,
    const struct aggfn_ctx *ctx, int has_key)
{
	json_t *o = state_new(n);
	uint64_t line = s->seq & ((UINT64_C(1) << AGGFN_LINE_BITS) - 1);

	if (n == 0)
		return o;
	json_object_set_new(o, "value", value_to_json(&s->best));
	json_object_set_new(o, "pos", json_pack("[sI]",
	    aggfn_pos_file(ctx->files, s->seq), (json_int_t)line));
	if (has_key)
		json_object_set_new(o, "key", value_to_json(&s->key));
	return o;
}

static json_t *
pick_write(int64_t n, const void *state,
    const struct aggfn_ctx *ctx)
{
	return pick_write_key(n, state, ctx, 0);
}

static json_t *
by_write(int64_t n, const void *state,
    const struct aggfn_ctx *ctx)
{
	return pick_write_key(n, state, ctx, 1);
}

static int
pick_read_key(int64_t *n, struct pick_state *s, const json_t *j,
    struct aggfn_ctx *ctx, struct diag *err, int has_key)
{
	const json_t *jv, *jpos, *jline;
	struct value v;
	long long file;
	uint64_t seq;

	if (read_n(j, n, err) < 0)
		return -1;
	if (*n == 0)
		return 0;
	jpos = json_object_get(j, "pos");
	jline = json_array_get(jpos, 1);
	if (!json_is_array(jpos) || json_array_size(jpos) != 2 ||
	    !json_is_string(json_array_get(jpos, 0)) ||
	    !json_is_integer(jline) || json_integer_value(jline) < 0 ||
	    (uint64_t)json_integer_value(jline) >>
	    AGGFN_LINE_BITS != 0)
		return state_fail(err, "'pos' is not a position [file, "
		    "line]");
	file = ctx->files == NULL ? 0 : aggfn_files_intern(ctx->files,
	    json_string_value(json_array_get(jpos, 0)));
	if (file < 0)
		return state_fail(err, "too many files");
	seq = (uint64_t)file << AGGFN_LINE_BITS |
	    (uint64_t)json_integer_value(jline);
	if ((jv = json_object_get(j, "value")) == NULL)
		return state_fail(err, "'value' is missing");
	if (has_key && !number_from_json(json_object_get(j, "key"), &s->key))
		return state_fail(err, "'key' is not a number");
	/* Borrowed from J: keep_value copies it (a jansson reference for
	 * arrays and objects). */
	v = value_from_json(jv);
	keep_value(ctx, s, &v, seq);
	return 0;
}

static int
pick_read(int64_t *n, void *state, const json_t *j, struct aggfn_ctx *ctx,
    struct diag *err)
{
	return pick_read_key(n, state, j, ctx, err, 0);
}

static int
by_read(int64_t *n, void *state, const json_t *j, struct aggfn_ctx *ctx,
    struct diag *err)
{
	return pick_read_key(n, state, j, ctx, err, 1);
}

static void
pick_release(void *state)
{
	struct pick_state *s = state;

	value_release(&s->best);
	free(s->own);
}

/* ---- distinct() ---------------------------------------------------- */

static void
distinct_feed(int64_t *n, void *state, const struct value *args,
    uint64_t seq, struct aggfn_ctx *ctx)
{
	(void)seq;
	/* As SQL's COUNT(DISTINCT x): a missing value is no value. */
	if (args[0].kind == VALUE_NULL)
		return;
	buf_reset(&ctx->scratch);
	aggfn_encode_value(&ctx->scratch, &args[0]);
	if (bset_add(state, ctx->scratch.ptr, ctx->scratch.len))
		(*n)++;
}

static void
distinct_merge(int64_t *n, void *state, int64_t from_n, const void *from,
    struct aggfn_ctx *ctx)
{
	const struct bset *b = from;
	size_t i;

	(void)from_n, (void)ctx;
	for (i = 0; i < b->cap; i++)
		if (b->e[i].key != NULL &&
		    bset_add(state, b->e[i].key, b->e[i].len))
			(*n)++;
}

static int
bentry_cmp(const void *pa, const void *pb)
{
	const struct bentry *a = *(const struct bentry *const *)pa;
	const struct bentry *b = *(const struct bentry *const *)pb;
	int c = memcmp(a->key, b->key, a->len < b->len ? a->len : b->len);

	return c != 0 ? c : (a->len > b->len) - (a->len < b->len);
}

/* One encoded value as JSON: itself, but for the kinds JSON cannot say
 * as such, {"json": text} (an array or object) and {"real": "inf"}. */
static json_t *
key_to_json(const char *key, size_t len)
{
	int64_t i;
	double d;
	size_t k;

	switch (key[0]) {
	case 'n':
		return json_null();
	case 't':
		return json_true();
	case 'f':
		return json_false();
	case 'i':
		memcpy(&i, key + 1, sizeof(i));
		return json_integer(i);
	case 'r':
		memcpy(&d, key + 1, sizeof(d));
		return isfinite(d) ? json_real(d) :
		    json_pack("{so}", "real", real_to_json(d));
	default:
		memcpy(&k, key + 1, sizeof(k));
		(void)len;
		if (key[0] == 's')
			return json_stringn(key + 1 + sizeof(k), k);
		return json_pack("{so}", "json",
		    json_stringn(key + 1 + sizeof(k), k));
	}
}

/* Encodes the JSON of key_to_json() into B; 0 when it is none. */
static int
key_from_json(struct buf *b, const json_t *j)
{
	const json_t *x;
	json_t *parsed;
	struct value v;
	double d;
	size_t k;

	if (json_is_object(j) && json_object_size(j) == 1 &&
	    (x = json_object_get(j, "real")) != NULL) {
		if (!json_is_string(x) || !real_from_json(x, &d))
			return 0;
		v = value_real(d);
	} else if (json_is_object(j) && json_object_size(j) == 1 &&
	    json_is_string(x = json_object_get(j, "json"))) {
		/* The text must be an array or object, as value_write_json
		 * wrote it. */
		k = json_string_length(x);
		parsed = json_loadb(json_string_value(x), k,
		    0, NULL);
		if (!json_is_array(parsed) && !json_is_object(parsed)) {
			json_decref(parsed);
			return 0;
		}
		json_decref(parsed);
		buf_addc(b, 'j');
		buf_add(b, &k, sizeof(k));
		buf_add(b, json_string_value(x), k);
		return 1;
	} else if (json_is_array(j) || json_is_object(j))
		return 0;
	else
		v = value_from_json(j);
	aggfn_encode_value(b, &v);
	return 1;
}

/* {"n": N, "values": [...]}, the values sorted by their encoding. */
static json_t *
distinct_write(int64_t n, const void *state,
    const struct aggfn_ctx *ctx)
{
	const struct bset *s = state;
	const struct bentry **sorted = xcalloc(s->n + 1, sizeof(*sorted));
	json_t *o = state_new(n), *list = json_array();
	size_t i, k = 0;

	(void)ctx;
	for (i = 0; i < s->cap; i++)
		if (s->e[i].key != NULL)
			sorted[k++] = &s->e[i];
	qsort(sorted, k, sizeof(*sorted), bentry_cmp);
	for (i = 0; i < k; i++)
		json_array_append_new(list, key_to_json(sorted[i]->key,
		    sorted[i]->len));
	json_object_set_new(o, "values", list);
	free(sorted);
	return o;
}

static int
distinct_read(int64_t *n, void *state, const json_t *j, struct aggfn_ctx *ctx,
    struct diag *err)
{
	const json_t *list, *x;
	size_t i;

	if (read_n(j, n, err) < 0)
		return -1;
	list = json_object_get(j, "values");
	if (!json_is_array(list))
		return state_fail(err, "'values' is not a list");
	json_array_foreach(list, i, x) {
		buf_reset(&ctx->scratch);
		if (!key_from_json(&ctx->scratch, x))
			return state_fail(err, "a distinct value is not one "
			    "a state holds");
		if (!bset_add(state, ctx->scratch.ptr, ctx->scratch.len))
			return state_fail(err, "a distinct value is listed "
			    "twice");
	}
	if ((uint64_t)*n != ((struct bset *)state)->n)
		return state_fail(err, "'n' is not the number of values");
	return 0;
}

static void
distinct_release(void *state)
{
	bset_release(state);
}

/* ---- percentiles: p50 .. p999, percentile(x, q) -------------------- */

/* Orders values as the runs are: ascending, -0 before 0. */
static inline int
dcmp(double x, double y)
{
	if (x != y)
		return (x > y) - (x < y);
	return (signbit(y) != 0) - (signbit(x) != 0);
}

/* The runs of the ascending V[0..N), into R (room for them). */
static size_t
runs_of_sorted(struct aggfn_run *r, const double *v, size_t n)
{
	size_t i, m = 0;

	for (i = 0; i < n; i++)
		if (m > 0 && dcmp(r[m - 1].x, v[i]) == 0)
			r[m - 1].count++;
		else {
			r[m].x = v[i];
			r[m++].count = 1;
		}
	return m;
}

/* How many runs P's runs and B[0..NB) make together. */
static size_t
runs_union(const struct aggfn_values *p, const struct aggfn_run *b,
    size_t nb)
{
	size_t i = 0, j = 0, m = 0;
	int c;

	while (i < p->nruns && j < nb) {
		c = dcmp(p->runs[i].x, b[j].x);
		i += c <= 0;
		j += c >= 0;
		m++;
	}
	return m + (p->nruns - i) + (nb - j);
}

/* Adds the runs B[0..NB) (ascending, their union with P's making M
 * runs) to P's runs, merging from the end, in place. The runs grow by
 * a quarter at a time when SLACK (compactions), else to M exactly (a
 * merge of tables, mostly at the end): they are most of a state's
 * bytes. */
static void
runs_merge(struct aggfn_values *p, const struct aggfn_run *b, size_t nb,
    size_t m, int slack)
{
	size_t i = p->nruns, j = nb, k;
	uint64_t added = 0;
	int c;

	if (m > p->runs_alloc) {
		p->runs_alloc = slack ? m + m / 4 + 16 : m;
		p->runs = xrealloc(p->runs, p->runs_alloc * sizeof(*p->runs));
	}
	for (k = m; j > 0;) {
		c = i > 0 ? dcmp(p->runs[i - 1].x, b[j - 1].x) : -1;
		if (c > 0) {
			p->runs[--k] = p->runs[--i];
			continue;
		}
		added += b[j - 1].count;
		if (c == 0) {
			p->runs[--k] = p->runs[--i];
			p->runs[k].count += b[--j].count;
		} else
			p->runs[--k] = b[--j];
	}
	p->nruns = m;
	p->nrun += added;
}

/* The bits of X: equal for equal values, -0 and 0 told apart. */
static inline uint64_t
value_bits(double x)
{
	uint64_t u;

	memcpy(&u, &x, sizeof(u));
	return u;
}

/* Adds the runs B[0..NB), ascending and none of them P's, to P's runs:
 * each found by binary search and the runs after it moved in one block
 * (runs_merge() when B is not much shorter than the runs). */
static void
runs_insert(struct aggfn_values *p, const struct aggfn_run *b, size_t nb)
{
	size_t i = p->nruns, j, lo, hi, mid, m = p->nruns + nb;

	if (nb * 8 >= p->nruns) {
		runs_merge(p, b, nb, m, 1);
		return;
	}
	if (m > p->runs_alloc) {
		p->runs_alloc = m + m / 4 + 16;
		p->runs = xrealloc(p->runs, p->runs_alloc * sizeof(*p->runs));
	}
	for (j = nb; j > 0; j--) {
		for (lo = 0, hi = i; lo < hi;) {
			mid = lo + (hi - lo) / 2;
			if (dcmp(p->runs[mid].x, b[j - 1].x) > 0)
				hi = mid;
			else
				lo = mid + 1;
		}
		memmove(&p->runs[lo + j], &p->runs[lo],
		    (i - lo) * sizeof(*p->runs));
		p->runs[lo + j - 1] = b[j - 1];
		p->nrun += b[j - 1].count;
		i = lo;
	}
	p->nruns = m;
}

/* Adds the runs B[0..NB) (ascending) to P's runs, when B is much
 * shorter: those P has by binary search, the others by runs_insert(),
 * rather than a walk over all of P's runs (`logq merge` of many small
 * states into one large). */
static void
runs_add_few(struct aggfn_values *p, const struct aggfn_run *b, size_t nb)
{
	struct aggfn_run *fresh = xmalloc((nb + 1) * sizeof(*fresh));
	size_t j, lo, hi, mid, nfresh = 0;

	for (j = 0; j < nb; j++) {
		for (lo = 0, hi = p->nruns; lo < hi;) {
			mid = lo + (hi - lo) / 2;
			if (dcmp(p->runs[mid].x, b[j].x) >= 0)
				hi = mid;
			else
				lo = mid + 1;
		}
		if (lo < p->nruns && dcmp(p->runs[lo].x, b[j].x) == 0) {
			p->runs[lo].count += b[j].count;
			p->nrun += b[j].count;
		} else
			fresh[nfresh++] = b[j];
	}
	if (nfresh > 0)
		runs_insert(p, fresh, nfresh);
	free(fresh);
}

/* A hash of value bits, within MASK (a power of 2, less one). */
static inline size_t
bits_slot(uint64_t bits, size_t mask)
{
	/* Whole numbers differ in their high bits only: folded down. */
	return (size_t)(((bits ^ (bits >> 32)) *
	    UINT64_C(0x9e3779b97f4a7c15)) >> 32) & mask;
}

static inline size_t
index_slot(const struct aggfn_values *p, uint64_t bits)
{
	return bits_slot(bits, p->icap - 1);
}

/* Up to this many values, distinct_runs() counts them in a hash table
 * (about 40 bytes a distinct value); past it, it sorts them in place,
 * which takes no more memory. */
#define DEDUP_HASH_MAX	4096

/*
 * The distinct values of V[0..N) as runs, ascending, in a new array
 * (*NB of them), or NULL when there are more than LIMIT. V's values
 * are then still there (in some order); otherwise V is scratch.
 * Hashing finds the runs in time linear in N and sorts only them.
 */
static struct aggfn_run *
distinct_runs(double *v, size_t n, size_t limit, size_t *nb)
{
	struct aggfn_run *t, *b;
	uint32_t *slot;
	size_t cap = 16, i, h, d = 0, most = limit < n ? limit : n;
	uint64_t bits;

	if (n > DEDUP_HASH_MAX) {
		percentile_sort(v, n);
		for (i = 0; i < n; i++)
			d += i == 0 || value_bits(v[i]) != value_bits(v[i - 1]);
		if (d > limit)
			return NULL;
		b = xmalloc(d * sizeof(*b));
		*nb = runs_of_sorted(b, v, n);
		return b;
	}
	/* T: the runs in the order met; SLOT: T's index + 1 by value
	 * bits, at most half full (0: a free slot). */
	while (cap < 2 * (most + 1))
		cap *= 2;
	slot = xcalloc(cap, sizeof(*slot));
	t = xmalloc((most + 1) * sizeof(*t));
	for (i = 0; i < n; i++) {
		bits = value_bits(v[i]);
		for (h = bits_slot(bits, cap - 1); slot[h] != 0 &&
		    value_bits(t[slot[h] - 1].x) != bits;
		    h = (h + 1) & (cap - 1))
			;
		if (slot[h] != 0)
			t[slot[h] - 1].count++;
		else if (d == most) {
			free(slot);
			free(t);
			return NULL;
		} else {
			t[d].x = v[i];
			t[d].count = 1;
			slot[h] = (uint32_t)++d;
		}
	}
	for (i = 0; i < d; i++)
		v[i] = t[i].x;
	percentile_sort(v, d);
	b = xmalloc((d + 1) * sizeof(*b));
	for (i = 0; i < d; i++) {
		bits = value_bits(v[i]);
		for (h = bits_slot(bits, cap - 1);
		    value_bits(t[slot[h] - 1].x) != bits;
		    h = (h + 1) & (cap - 1))
			;
		b[i] = t[slot[h] - 1];
	}
	free(slot);
	free(t);
	*nb = d;
	return b;
}

/* Makes P's index of its runs anew: at most 2/3 full. */
static void
runs_index(struct aggfn_values *p)
{
	size_t cap = 16, i, h;

	while (cap < p->nruns + p->nruns / 2 + 1)
		cap *= 2;
	if (cap != p->icap) {
		free(p->idx);
		p->idx = xmalloc(cap * sizeof(*p->idx));
		p->icap = cap;
	}
	memset(p->idx, 0, cap * sizeof(*p->idx));
	for (i = 0; i < p->nruns; i++) {
		for (h = index_slot(p, value_bits(p->runs[i].x)); p->idx[h];
		    h = (h + 1) & (p->icap - 1))
			;
		p->idx[h] = (uint32_t)i + 1;
	}
	p->indexed = p->nruns;
}

/* The run of X, or NULL. */
static inline struct aggfn_run *
runs_find(struct aggfn_values *p, double x)
{
	uint64_t bits = value_bits(x);
	size_t h = index_slot(p, bits);
	uint32_t i;

	while ((i = p->idx[h]) != 0) {
		if (value_bits(p->runs[i - 1].x) == bits)
			return &p->runs[i - 1];
		h = (h + 1) & (p->icap - 1);
	}
	return NULL;
}

/*
 * Empties V into the runs as far as that takes no more bytes (struct
 * aggfn_values): each value that has a run counts there (V[0..nknown)
 * are known to have none); the others stay in V until they fill a
 * quarter of it (or FORCE), then are sorted and added as runs if they
 * make at most half as many new runs as V has values. If not, they
 * stay, and V doubles when they fill half of it. After they are added,
 * V shrinks to about a quarter of the runs (at least a quarter of
 * AGGFN_COMPACT_MIN): later fills mostly meet values the runs have.
 */
static void
values_compact(struct aggfn_values *p, int force)
{
	struct aggfn_run *b, *r;
	size_t nb, i, k, room, n = p->n;
	double x;

	if (p->nruns > 0) {
		if (p->indexed != p->nruns || p->idx == NULL)
			runs_index(p);
		for (i = k = p->nknown; i < n; i++) {
			x = p->v[i];
			if ((r = runs_find(p, x)) != NULL)
				r->count++;
			else
				p->v[k++] = x;
		}
		p->nrun += n - k;
		p->n = p->nknown = k;
		if (!force && k <= p->alloc / 4)
			return;
	}
	if (p->ranks != NULL)
		p->ranks->nfixed = 0;
	if (p->n == 0)
		return;
	/* The values left have no run: each distinct one is a new run. */
	if ((b = distinct_runs(p->v, p->n, force ? SIZE_MAX : n / 2,
	    &nb)) == NULL) {
		p->nknown = p->n;
		if (p->n > p->alloc / 2)
			XGROW(p->v, p->alloc + 1, p->alloc);
		return;
	}
	runs_insert(p, b, nb);
	free(b);
	p->n = p->nknown = 0;
	for (room = AGGFN_COMPACT_MIN / 4; room < p->nruns / 4; room *= 2)
		;
	if (p->alloc > room) {
		p->v = xrealloc(p->v, room * sizeof(*p->v));
		p->alloc = room;
	}
}

/* Room for one more value in V, compacting it if it is full. */
static void
values_make_room(struct aggfn_values *p)
{
	if (p->n >= AGGFN_COMPACT_MIN || p->nruns > 0)
		values_compact(p, 0);
	XGROW(p->v, p->n + 1, p->alloc);
}

uint64_t
aggfn_values_count(const struct aggfn_values *p)
{
	return p->nrun + p->n;
}

void
aggfn_values_to_sketch(struct aggfn_values *p)
{
	size_t k;

	if (p->sk == NULL)
		p->sk = sketch_new();
	for (k = 0; k < p->nruns; k++)
		sketch_add_n(p->sk, p->runs[k].x, p->runs[k].count);
	for (k = 0; k < p->n; k++)
		sketch_add(p->sk, p->v[k]);
	free(p->v);
	free(p->runs);
	p->v = NULL;
	p->runs = NULL;
	free(p->idx);
	p->idx = NULL;
	p->n = p->alloc = p->nknown = p->nruns = p->runs_alloc = 0;
	p->icap = p->indexed = 0;
	p->nrun = 0;
}

static void
values_feed(int64_t *n, void *state, const struct value *args, uint64_t seq,
    struct aggfn_ctx *ctx)
{
	struct aggfn_values *p = state;
	double d;
	int is_int;

	(void)n, (void)seq;
	if (!as_number(&args[0], &d, &is_int))
		return;
	if (ctx->approx) {
		if (p->sk == NULL)
			p->sk = sketch_new();
		sketch_add(p->sk, d);
		return;
	}
	if (p->n == p->alloc)
		values_make_room(p);
	p->v[p->n++] = d;
	ctx->nvalues++;
}

static void
values_merge(int64_t *n, void *state, int64_t from_n, const void *from,
    struct aggfn_ctx *ctx)
{
	struct aggfn_values *a = state;
	const struct aggfn_values *b = from;
	size_t k, m;

	(void)n, (void)from_n;
	if (b->sk == NULL && b->n == 0 && b->nruns == 0)
		return;
	if (ctx->approx || a->sk != NULL || b->sk != NULL) {
		aggfn_values_to_sketch(a);
		if (b->sk != NULL)
			sketch_merge(a->sk, b->sk);
		for (k = 0; k < b->nruns; k++)
			sketch_add_n(a->sk, b->runs[k].x, b->runs[k].count);
		for (k = 0; k < b->n; k++)
			sketch_add(a->sk, b->v[k]);
		return;
	}
	if (a->nruns == 0 && a->n == 0) {
		/* A merge into a new table: B as it is. */
		if (b->nruns > a->runs_alloc) {
			a->runs = xrealloc(a->runs, b->nruns *
			    sizeof(*a->runs));
			a->runs_alloc = b->nruns;
		}
		if (b->nruns > 0)
			memcpy(a->runs, b->runs, b->nruns * sizeof(*a->runs));
		a->nruns = b->nruns;
		a->nrun = b->nrun;
		if (b->n > a->alloc) {
			a->v = xrealloc(a->v, b->n * sizeof(*a->v));
			a->alloc = b->n;
		}
		if (b->n > 0)
			memcpy(a->v, b->v, b->n * sizeof(*a->v));
		a->n = b->n;
		a->nknown = b->nknown;
		if (a->ranks != NULL)
			a->ranks->nfixed = 0;
		ctx->nvalues += aggfn_values_count(b);
		return;
	}
	if (b->nruns > 0) {
		if (b->nruns * 8 < a->nruns)
			runs_add_few(a, b->runs, b->nruns);
		else
			runs_merge(a, b->runs, b->nruns,
			    runs_union(a, b->runs, b->nruns), 0);
		a->nknown = 0;		/* B's runs may have them */
		if (a->ranks != NULL)
			a->ranks->nfixed = 0;
	}
	for (k = 0; k < b->n; k += m) {
		if (a->n == a->alloc)
			values_make_room(a);
		m = a->alloc - a->n < b->n - k ? a->alloc - a->n : b->n - k;
		memcpy(a->v + a->n, b->v + k, m * sizeof(*a->v));
		a->n += m;
	}
	ctx->nvalues += aggfn_values_count(b);
}

static struct value
values_result(int64_t n, void *state, double q)
{
	struct aggfn_values *p = state;
	uint64_t k, below = 0;
	size_t i;

	(void)n;
	if (p->sk != NULL)
		return sketch_count(p->sk) == 0 ? value_null() :
		    value_real(sketch_quantile(p->sk, q));
	if (p->n == 0 && p->nruns == 0)
		return value_null();
	if (p->nruns == 0) {
		/* Values that never repeated enough to compact (or too
		 * few to try): selected where they are. */
		if (p->ranks == NULL)
			p->ranks = xcalloc(1, sizeof(*p->ranks));
		return value_real(percentile_of_ranked(p->v, p->n, q,
		    p->ranks));
	}
	if (p->n > 0) {
		values_compact(p, 1);
		/* Results come at the end: the index is seldom needed
		 * again (a later compaction makes it anew). */
		free(p->idx);
		p->idx = NULL;
		p->icap = p->indexed = 0;
	}
	/* Selection by the runs' cumulative counts, from the nearer end
	 * (p95 and p99 are in the last runs). */
	k = percentile_index(p->nrun, q);
	if (k < p->nrun / 2) {
		for (i = 0; below + p->runs[i].count <= k; i++)
			below += p->runs[i].count;
		return value_real(p->runs[i].x);
	}
	below = p->nrun;
	for (i = p->nruns - 1; below - p->runs[i].count > k; i--)
		below -= p->runs[i].count;
	return value_real(p->runs[i].x);
}

/* Appends the pair [X, COUNT] to LIST. */
static void
append_pair(json_t *list, double x, uint64_t count)
{
	/* 120 rather than 120.0: latencies are mostly whole milliseconds
	 * (-0 stays a real: its sign is kept). */
	json_array_append_new(list, json_pack("[oI]",
	    x == floor(x) && fabs(x) < 9007199254740992.0 &&
	    !(x == 0 && signbit(x)) ? json_integer((json_int_t)x) :
	    json_real(x), (json_int_t)count));
}

/* Exact: {"values": [[x, count], ...]} ascending, one pair a distinct
 * value; approximate: {"sketch": {...}} as sketch_write() has it. */
static json_t *
values_write(int64_t n, const void *state,
    const struct aggfn_ctx *ctx)
{
	const struct aggfn_values *p = state;
	json_t *o = json_object(), *list;
	struct aggfn_run *b;
	double *v;
	size_t i = 0, j = 0, nb;
	int c;

	(void)n, (void)ctx;
	if (p->sk != NULL) {
		json_object_set_new(o, "sketch", sketch_write(p->sk));
		return o;
	}
	/* The runs and V's values sorted into runs, merged. */
	v = xcalloc(p->n + 1, sizeof(*v));
	if (p->n)
		memcpy(v, p->v, p->n * sizeof(*v));
	percentile_sort(v, p->n);
	b = xcalloc(p->n + 1, sizeof(*b));
	nb = runs_of_sorted(b, v, p->n);
	free(v);
	list = json_array();
	while (i < p->nruns || j < nb) {
		c = i == p->nruns ? 1 : j == nb ? -1 :
		    dcmp(p->runs[i].x, b[j].x);
		append_pair(list, c <= 0 ? p->runs[i].x : b[j].x,
		    (c <= 0 ? p->runs[i].count : 0) +
		    (c >= 0 ? b[j].count : 0));
		i += c <= 0;
		j += c >= 0;
	}
	free(b);
	json_object_set_new(o, "values", list);
	return o;
}

/* Pairs past this many values in all are refused: far more than a
 * run keeps exact (--max-values), and the ranks of merges of many such
 * states stay exact (percentile_index). */
#define VALUES_READ_MAX	(UINT64_C(1) << 31)

static int
values_read(int64_t *n, void *state, const json_t *j, struct aggfn_ctx *ctx,
    struct diag *err)
{
	struct aggfn_values *p = state;
	const json_t *list, *pair, *jc, *jsk;
	struct diag skerr = { 0 };
	double x;
	json_int_t c;
	size_t i;

	*n = 0;
	if (!json_is_object(j))
		return state_fail(err, "not an object");
	if ((jsk = json_object_get(j, "sketch")) != NULL) {
		if ((p->sk = sketch_read_json(jsk, &skerr)) == NULL) {
			state_fail(err, skerr.msg ? skerr.msg : "bad sketch");
			diag_release(&skerr);
			return -1;
		}
		return 0;
	}
	list = json_object_get(j, "values");
	if (!json_is_array(list))
		return state_fail(err, "'values' is not a list");
	/* The pairs are the runs (fresh P has none). */
	if (json_array_size(list) > 0) {
		p->runs_alloc = json_array_size(list);
		p->runs = xcalloc(p->runs_alloc, sizeof(*p->runs));
	}
	json_array_foreach(list, i, pair) {
		jc = json_array_get(pair, 1);
		if (!json_is_array(pair) || json_array_size(pair) != 2 ||
		    !json_is_number(json_array_get(pair, 0)) ||
		    !json_is_integer(jc))
			return state_fail(err, "a value is not a pair "
			    "[number, count]");
		x = json_number_value(json_array_get(pair, 0));
		c = json_integer_value(jc);
		if (!isfinite(x) || c < 1 ||
		    (uint64_t)c > VALUES_READ_MAX - p->nrun)
			return state_fail(err, "a value's count is out of "
			    "range");
		if (i > 0 && dcmp(p->runs[i - 1].x, x) >= 0)
			return state_fail(err, "the values are not in "
			    "ascending order");
		p->runs[p->nruns].x = x;
		p->runs[p->nruns++].count = (uint64_t)c;
		p->nrun += (uint64_t)c;
	}
	/* As values_feed(): an approximate state's sketch is made by its
	 * first value. */
	if (ctx->approx && p->nruns > 0)
		aggfn_values_to_sketch(p);
	else
		ctx->nvalues += p->nrun;
	return 0;
}

static void
values_release(void *state)
{
	struct aggfn_values *p = state;

	free(p->v);
	free(p->runs);
	free(p->idx);
	free(p->ranks);
	sketch_free(p->sk);
}

/* ---- the table ------------------------------------------------------ */

#define STATE_SIZE(type)	((sizeof(type) + 7) / 8 * 8)

#define COUNTING(name, nargs, kind, feed) \
	{ name, nargs, nargs, kind, 0, 0, 0, NULL, feed, count_merge, \
	  count_result, count_write, count_read, NULL }
#define SUMMING(name, result) \
	{ name, 1, 1, AGGFN_STATE, 0, 0, STATE_SIZE(struct sum_state), \
	  sum_init, sum_feed, sum_merge, result, sum_write, sum_read, \
	  sum_release }
#define EXTREME(name, feed, merge) \
	{ name, 1, 1, AGGFN_STATE, 0, 0, STATE_SIZE(struct minmax_state), \
	  NULL, feed, merge, minmax_result, minmax_write, minmax_read, NULL }
#define PERCENTILE(name, nargs, q) \
	{ name, nargs, nargs, AGGFN_STATE_SHARED, q, nargs == 2, \
	  STATE_SIZE(struct aggfn_values), NULL, values_feed, values_merge, \
	  values_result, values_write, values_read, values_release }
#define PICK(name, nargs, feed, merge, write, read) \
	{ name, nargs, nargs, AGGFN_STATE, 0, 0, \
	  STATE_SIZE(struct pick_state), NULL, feed, merge, pick_result, \
	  write, read, pick_release }

/*
 * The aggregates of SPEC 3.3. Ties in "did you mean" go to the first
 * row, so the percentiles are listed most used first.
 */
static const struct aggfn aggfns[] = {
	COUNTING("count", 0, AGGFN_COUNT, count_feed),
	COUNTING("count_if", 1, AGGFN_COUNT_IF, count_if_feed),
	SUMMING("sum", sum_result),
	SUMMING("avg", avg_result),
	EXTREME("min", min_feed, min_merge),
	EXTREME("max", max_feed, max_merge),
	PERCENTILE("p95", 1, 95),
	PERCENTILE("p99", 1, 99),
	PERCENTILE("p90", 1, 90),
	PERCENTILE("p50", 1, 50),
	PERCENTILE("p999", 1, 99.9),
	PERCENTILE("percentile", 2, 0),
	{ "distinct", 1, 1, AGGFN_STATE, 0, 0, STATE_SIZE(struct bset),
	  NULL, distinct_feed, distinct_merge, count_result, distinct_write,
	  distinct_read, distinct_release },
	PICK("first", 1, first_feed, first_merge, pick_write, pick_read),
	PICK("last", 1, last_feed, last_merge, pick_write, pick_read),
	PICK("min_by", 2, min_by_feed, min_by_merge, by_write, by_read),
	PICK("max_by", 2, max_by_feed, max_by_merge, by_write, by_read),
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

const struct aggfn *
aggfn_find(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < NELEM(aggfns); i++)
		if (strlen(aggfns[i].name) == len &&
		    memcmp(aggfns[i].name, name, len) == 0)
			return &aggfns[i];
	return NULL;
}

const struct aggfn *
aggfn_at(size_t i)
{
	return i < NELEM(aggfns) ? &aggfns[i] : NULL;
}
