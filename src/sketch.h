/* SPDX-License-Identifier: MIT */
/* sketch.h - bounded-memory, mergeable percentiles for --approx (SPEC 4.3) */
#ifndef LOGQ_SKETCH_H
#define LOGQ_SKETCH_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "diag.h"
#include "util.h"

/*
 * A DDSketch (Masson, Rim and Lee, VLDB 2019). A value x with
 * DBL_MIN <= |x| goes to bucket i = ceil(log_g |x|) of the store of its
 * sign, g = (1 + SKETCH_ALPHA) / (1 - SKETCH_ALPHA) ~ 1.01005; bucket i
 * holds the magnitudes in (g^(i-1), g^i] and stands for 2 g^i / (g + 1),
 * which is within SKETCH_ALPHA (0.5%) of each of them. |x| < DBL_MIN
 * (0, -0, subnormals) counts as zero. Count, min and max are exact.
 *
 * Memory: each store keeps at most SKETCH_MAX_BUCKETS buckets of 8 bytes
 * (64 KiB per sketch at worst, whatever the number of values). 4096
 * buckets span a factor g^4096 ~ 6.1e17, 17.8 decades: 1 ms to 19
 * million years, or 1 byte to 615 PB. When the magnitudes of one sign
 * span more, the buckets of the smallest magnitudes are collapsed into
 * the lowest kept one (top - 4095): a magnitude below about
 * 1.6e-18 * max|x| of its sign then reads as that bound, an absolute
 * error under 1.7e-18 * max|x| but no relative accuracy. Only quantiles
 * falling in the collapsed range are affected; the others keep alpha.
 */
#define SKETCH_ALPHA		0.005
#define SKETCH_MAX_BUCKETS	4096

struct sketch;

/* An empty sketch, owned by the caller: sketch_free() it. */
struct sketch	*sketch_new(void);
void		 sketch_free(struct sketch *s);	/* accepts NULL */

/* Counts X. NaN and infinities are ignored (callers feed numbers only). */
void		 sketch_add(struct sketch *s, double x);
/* Counts X COUNT times, as that many sketch_add() calls would. */
void		 sketch_add_n(struct sketch *s, double x, uint64_t count);

/*
 * Adds FROM's counts to INTO (FROM unchanged, FROM != INTO). The result
 * is exactly the sketch of all the values added to either, whatever the
 * order or split (collapsing included): -j and `logq merge` cannot change
 * a result.
 */
void		 sketch_merge(struct sketch *into,
		    const struct sketch *from);

/* Values counted (NaN and infinities excluded). */
uint64_t	 sketch_count(const struct sketch *s);
/* Exact smallest and largest value counted; NAN while empty. */
double		 sketch_min(const struct sketch *s);
double		 sketch_max(const struct sketch *s);

/*
 * The percentile Q (0 < Q <= 100, to 1/1000) by SPEC 4.3's nearest rank,
 * as percentile_of() computes it: the value at rank ceil(Q/100 * n),
 * read from the bucket holding that rank. Rank 1 gives the exact min and
 * rank n the exact max (p100 equals max()); other ranks give the bucket's
 * value clamped to [min, max], within 1% (SKETCH_ALPHA, plus rounding) of
 * the exact percentile. NAN when the sketch is empty.
 */
double		 sketch_quantile(const struct sketch *s, double q);

/* Buckets allocated for both signs (at most 2 * SKETCH_MAX_BUCKETS):
 * the memory bound, for tests and statistics. */
size_t		 sketch_buckets(const struct sketch *s);

/*
 * Appends S as one compact JSON object for --state (SPEC 7):
 * {"alpha":0.005,"zero":Z,"min":X,"max":Y,
 *  "pos":{"offset":I,"counts":[...]},"neg":{"offset":I,"counts":[...]}}
 * counts[k] is the count of bucket offset + k of |x|; leading and
 * trailing empty buckets are left out, so equal sketches write equal text.
 * min and max are null while the sketch is empty.
 */
void		 sketch_write_json(struct buf *out, const struct sketch *s);

/* The object sketch_write_json() writes, as a new jansson value owned by
 * the caller (aggfn.c's partial states are JSON trees). */
json_t		*sketch_write(const struct sketch *s);

/*
 * The sketch J describes (as sketch_write_json() writes it; other keys are
 * ignored), owned by the caller. NULL with *err set (LOGQ_EXIT_INPUT) when
 * J is not one: a missing or ill-typed key, another alpha, a negative or
 * fractional count, a bucket out of range, more than SKETCH_MAX_BUCKETS.
 */
struct sketch	*sketch_read_json(const json_t *j, struct diag *err);

#endif
