/* SPDX-License-Identifier: MIT */
/* sketch.c - a collapsing DDSketch for --approx percentiles (SPEC 4.3) */
#include "config.h"

#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sketch.h"
#include "value.h"

/*
 * The buckets of one sign, indexed by ceil(log_g |x|). counts[] covers
 * [offset, offset + len); the non-empty ones lie in [lo, hi] (counts at
 * lo and hi are non-zero while total > 0), and hi - lo < SKETCH_MAX_BUCKETS.
 */
struct store {
	uint64_t	*counts;
	int		 offset;
	int		 len;
	int		 lo, hi;
	uint64_t	 total;
};

struct sketch {
	struct store	 pos, neg;
	uint64_t	 zero;		/* |x| < DBL_MIN */
	uint64_t	 n;
	double		 min, max;
	double		 ln_gamma;
};

static double
ln_gamma(void)
{
	/* log((1 + a) / (1 - a)) without the rounding of the division. */
	return log1p(2 * SKETCH_ALPHA / (1 - SKETCH_ALPHA));
}

static int
bucket_of(const struct sketch *s, double magnitude)
{
	/* DBL_MIN <= magnitude <= DBL_MAX: the index lies in +-71000. */
	return (int)ceil(log(magnitude) / s->ln_gamma);
}

/* The value bucket I stands for: 2 g^i / (g + 1), equally far (in
 * relative terms) from both ends of (g^(i-1), g^i]. May overflow to
 * infinity at the top bucket; callers clamp to [min, max]. */
static double
bucket_value(const struct sketch *s, int i)
{
	return 2 * exp(i * s->ln_gamma) / (exp(s->ln_gamma) + 1);
}

/* Makes counts[] cover [lo, hi] with room to grow in the direction it
 * grew, keeping every count (all at or above lo by then). */
static void
store_regrow(struct store *st, int lo, int hi)
{
	int need = hi - lo + 1, newlen, newoff, k;
	uint64_t *counts;

	newlen = st->len * 2;
	if (newlen < 32)
		newlen = 32;
	if (newlen < need)
		newlen = need;
	if (newlen > SKETCH_MAX_BUCKETS)
		newlen = SKETCH_MAX_BUCKETS;
	if (st->total == 0)
		newoff = lo - (newlen - need) / 2;
	else if (lo < st->offset)
		newoff = hi - newlen + 1;
	else
		newoff = lo;
	counts = xcalloc(newlen, sizeof(*counts));
	if (st->total > 0)
		for (k = st->lo > lo ? st->lo : lo; k <= st->hi; k++)
			counts[k - newoff] = st->counts[k - st->offset];
	free(st->counts);
	st->counts = counts;
	st->offset = newoff;
	st->len = newlen;
}

/*
 * Sets the store's range to [lo, hi] (hi - lo < SKETCH_MAX_BUCKETS, lo
 * and hi no tighter than the counts held): counts below lo are collapsed
 * into lo. Every count ends at max(index, top - 4095) whatever the order
 * of adds and merges, since raising that floor only ever raises it: this
 * is what makes sketch_merge() exact.
 */
static void
store_set_range(struct store *st, int lo, int hi)
{
	uint64_t folded = 0;
	int k;

	if (st->total > 0 && st->lo < lo) {
		for (k = st->lo; k < lo && k <= st->hi; k++) {
			folded += st->counts[k - st->offset];
			st->counts[k - st->offset] = 0;
		}
	}
	if (st->counts == NULL || lo < st->offset ||
	    hi >= st->offset + st->len)
		store_regrow(st, lo, hi);
	st->counts[lo - st->offset] += folded;
	st->lo = lo;
	st->hi = hi;
}

/* The range holding both the store's counts and [lo, hi], collapsed to
 * the top SKETCH_MAX_BUCKETS. */
static void
store_union(const struct store *st, int *lo, int *hi)
{
	if (st->total > 0) {
		if (st->lo < *lo)
			*lo = st->lo;
		if (st->hi > *hi)
			*hi = st->hi;
	}
	if ((long)*hi - *lo + 1 > SKETCH_MAX_BUCKETS)
		*lo = *hi - SKETCH_MAX_BUCKETS + 1;
}

static void
store_add(struct store *st, int i, uint64_t count)
{
	int lo = i, hi = i;

	store_union(st, &lo, &hi);
	store_set_range(st, lo, hi);
	st->counts[(i < lo ? lo : i) - st->offset] += count;
	st->total += count;
}

static void
store_merge(struct store *into, const struct store *from)
{
	int lo, hi, k;

	if (from->total == 0)
		return;
	lo = from->lo;
	hi = from->hi;
	store_union(into, &lo, &hi);
	store_set_range(into, lo, hi);
	for (k = from->lo; k <= from->hi; k++)
		into->counts[(k < lo ? lo : k) - into->offset] +=
		    from->counts[k - from->offset];
	into->total += from->total;
}

struct sketch *
sketch_new(void)
{
	struct sketch *s = xcalloc(1, sizeof(*s));

	s->min = s->max = NAN;
	s->ln_gamma = ln_gamma();
	return s;
}

void
sketch_free(struct sketch *s)
{
	if (s == NULL)
		return;
	free(s->pos.counts);
	free(s->neg.counts);
	free(s);
}

static inline void
add_n(struct sketch *s, double x, uint64_t count)
{
	if (!isfinite(x) || count == 0)
		return;
	if (x == 0)
		x = 0;		/* -0 would print as "-0" in the state */
	if (s->n == 0 || x < s->min)
		s->min = x;
	if (s->n == 0 || x > s->max)
		s->max = x;
	s->n += count;
	if (fabs(x) < DBL_MIN)
		s->zero += count;
	else
		store_add(x > 0 ? &s->pos : &s->neg, bucket_of(s, fabs(x)),
		    count);
}

void
sketch_add(struct sketch *s, double x)
{
	add_n(s, x, 1);
}

void
sketch_add_n(struct sketch *s, double x, uint64_t count)
{
	add_n(s, x, count);
}

void
sketch_merge(struct sketch *into, const struct sketch *from)
{
	if (from->n == 0)
		return;
	if (into->n == 0 || from->min < into->min)
		into->min = from->min;
	if (into->n == 0 || from->max > into->max)
		into->max = from->max;
	into->n += from->n;
	into->zero += from->zero;
	store_merge(&into->pos, &from->pos);
	store_merge(&into->neg, &from->neg);
}

uint64_t
sketch_count(const struct sketch *s)
{
	return s->n;
}

double
sketch_min(const struct sketch *s)
{
	return s->min;
}

double
sketch_max(const struct sketch *s)
{
	return s->max;
}

size_t
sketch_buckets(const struct sketch *s)
{
	return (size_t)s->pos.len + (size_t)s->neg.len;
}

/* ceil(q/100 * n) with q to 1/1000, in integers as percentile_of()
 * does, split so that q * n cannot overflow 64 bits. */
static uint64_t
nearest_rank(double q, uint64_t n)
{
	uint64_t qm, rank;

	if (!(q > 0))
		return 1;
	qm = q >= 100 ? 100000 : (uint64_t)llround(q * 1000);
	rank = qm * (n / 100000) + (qm * (n % 100000) + 99999) / 100000;
	if (rank < 1)
		rank = 1;
	return rank > n ? n : rank;
}

double
sketch_quantile(const struct sketch *s, double q)
{
	uint64_t rank, seen;
	double v;
	int k;

	if (s->n == 0)
		return NAN;
	rank = nearest_rank(q, s->n);
	if (rank == 1)
		return s->min;
	if (rank == s->n)
		return s->max;
	/* Ascending order: negatives from the largest magnitude, zero,
	 * then positives from the smallest. */
	v = 0;
	seen = 0;
	if (rank <= s->neg.total) {
		for (k = s->neg.hi; k >= s->neg.lo; k--) {
			seen += s->neg.counts[k - s->neg.offset];
			if (seen >= rank)
				break;
		}
		v = -bucket_value(s, k);
	} else if (rank > s->neg.total + s->zero) {
		rank -= s->neg.total + s->zero;
		for (k = s->pos.lo; k <= s->pos.hi; k++) {
			seen += s->pos.counts[k - s->pos.offset];
			if (seen >= rank)
				break;
		}
		v = bucket_value(s, k);
	}
	/* The exact value lies in [min, max]: clamping only brings the
	 * estimate closer, and tames the top bucket's overflow. */
	if (v < s->min)
		v = s->min;
	if (v > s->max)
		v = s->max;
	return v;
}

static void
write_store(struct buf *out, const struct store *st)
{
	int k;

	buf_printf(out, "{\"offset\":%d,\"counts\":[",
	    st->total > 0 ? st->lo : 0);
	if (st->total > 0)
		for (k = st->lo; k <= st->hi; k++)
			buf_printf(out, "%s%" PRIu64, k > st->lo ? "," : "",
			    st->counts[k - st->offset]);
	buf_adds(out, "]}");
}

void
sketch_write_json(struct buf *out, const struct sketch *s)
{
	buf_adds(out, "{\"alpha\":");
	value_write_double(out, SKETCH_ALPHA);
	buf_printf(out, ",\"zero\":%" PRIu64 ",\"min\":", s->zero);
	value_write_double(out, s->min);	/* null while empty */
	buf_adds(out, ",\"max\":");
	value_write_double(out, s->max);
	buf_adds(out, ",\"pos\":");
	write_store(out, &s->pos);
	buf_adds(out, ",\"neg\":");
	write_store(out, &s->neg);
	buf_adds(out, "}");
}

static json_t *
store_json(const struct store *st)
{
	json_t *counts = json_array();
	int k;

	if (st->total > 0)
		for (k = st->lo; k <= st->hi; k++)
			json_array_append_new(counts, json_integer(
			    (json_int_t)st->counts[k - st->offset]));
	return json_pack("{siso}", "offset", st->total > 0 ? st->lo : 0,
	    "counts", counts);
}

json_t *
sketch_write(const struct sketch *s)
{
	json_t *o = json_pack("{sfsI}", "alpha", SKETCH_ALPHA, "zero",
	    (json_int_t)s->zero);
	json_object_set_new(o, "min", s->n > 0 ? json_real(s->min) :
	    json_null());
	json_object_set_new(o, "max", s->n > 0 ? json_real(s->max) :
	    json_null());
	json_object_set_new(o, "pos", store_json(&s->pos));
	json_object_set_new(o, "neg", store_json(&s->neg));
	return o;
}

/* A count: a JSON integer >= 0. 0 with *out set, or -1. */
static int
read_count(const json_t *j, uint64_t *out)
{
	if (!json_is_integer(j) || json_integer_value(j) < 0)
		return -1;
	*out = (uint64_t)json_integer_value(j);
	return 0;
}

/* Adds *TOTAL + C, refusing to wrap: 0 or -1. */
static int
add_total(uint64_t *total, uint64_t c)
{
	if (c > UINT64_MAX - *total)
		return -1;
	*total += c;
	return 0;
}

/* Reads the store J into ST, adding its counts to *TOTAL. NULL, or a
 * static message. */
static const char *
read_store(struct sketch *s, struct store *st, const json_t *j,
    uint64_t *total)
{
	const json_t *counts, *offset, *c;
	json_int_t first, last, lowest, highest;
	uint64_t count;
	size_t k, n;

	offset = json_object_get(j, "offset");
	counts = json_object_get(j, "counts");
	if (!json_is_object(j) || !json_is_integer(offset) ||
	    !json_is_array(counts))
		return "must be an object with integer 'offset' and "
		    "array 'counts'";
	n = json_array_size(counts);
	if (n > SKETCH_MAX_BUCKETS)
		return "has more than 4096 buckets";
	lowest = bucket_of(s, DBL_MIN);
	highest = bucket_of(s, DBL_MAX);
	first = json_integer_value(offset);
	last = first + (json_int_t)n - 1;
	if (n > 0 && (first < lowest || first > highest || last > highest))
		return "has buckets out of range";
	for (k = 0; k < n; k++) {
		c = json_array_get(counts, k);
		if (read_count(c, &count) == -1)
			return "has a count that is not an integer >= 0";
		if (count == 0)
			continue;
		if (add_total(total, count) == -1)
			return "has counts that overflow 64 bits";
		store_add(st, (int)(first + (json_int_t)k), count);
	}
	return NULL;
}

struct sketch *
sketch_read_json(const json_t *j, struct diag *err)
{
	const json_t *alpha, *zero, *min, *max;
	struct sketch *s;
	const char *msg;
	uint64_t total = 0;

	if (!json_is_object(j)) {
		diag_set(err, LOGQ_EXIT_INPUT,
		    "invalid sketch: not a JSON object");
		return NULL;
	}
	alpha = json_object_get(j, "alpha");
	zero = json_object_get(j, "zero");
	min = json_object_get(j, "min");
	max = json_object_get(j, "max");
	if (!json_is_number(alpha)) {
		diag_set(err, LOGQ_EXIT_INPUT,
		    "invalid sketch: 'alpha' is missing or not a number");
		return NULL;
	}
	/* Another accuracy means other buckets: they cannot be merged. */
	if (json_number_value(alpha) != SKETCH_ALPHA) {
		diag_set(err, LOGQ_EXIT_INPUT, "invalid sketch: 'alpha' is "
		    "%g, this logq uses %g", json_number_value(alpha),
		    SKETCH_ALPHA);
		return NULL;
	}
	if (read_count(zero, &total) == -1) {
		diag_set(err, LOGQ_EXIT_INPUT, "invalid sketch: 'zero' is "
		    "missing or not an integer >= 0");
		return NULL;
	}
	s = sketch_new();
	s->zero = total;
	if ((msg = read_store(s, &s->pos, json_object_get(j, "pos"),
	    &total)) != NULL) {
		diag_set(err, LOGQ_EXIT_INPUT, "invalid sketch: 'pos' %s",
		    msg);
		sketch_free(s);
		return NULL;
	}
	if ((msg = read_store(s, &s->neg, json_object_get(j, "neg"),
	    &total)) != NULL) {
		diag_set(err, LOGQ_EXIT_INPUT, "invalid sketch: 'neg' %s",
		    msg);
		sketch_free(s);
		return NULL;
	}
	s->n = total;
	if (total == 0 ? !json_is_null(min) || !json_is_null(max) :
	    !json_is_number(min) || !json_is_number(max) ||
	    !(json_number_value(min) <= json_number_value(max))) {
		diag_set(err, LOGQ_EXIT_INPUT, "invalid sketch: 'min' and "
		    "'max' must be numbers, min <= max (null when empty)");
		sketch_free(s);
		return NULL;
	}
	if (total > 0) {
		s->min = json_number_value(min);
		s->max = json_number_value(max);
	}
	return s;
}
