/* SPDX-License-Identifier: MIT */
/* aggfn.h - one table row per aggregate: feed, merge, result, write, read */
#ifndef LOGQ_AGGFN_H
#define LOGQ_AGGFN_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "diag.h"
#include "util.h"
#include "value.h"

struct percentile_ranks;
struct sketch;

/*
 * How agg.c keeps and feeds a call of the row: its hot path goes by the
 * kind, never by name. Every kind but AGGFN_STATE_SHARED keeps a count
 * N in the group header beside the state.
 */
enum aggfn_kind {
	AGGFN_COUNT,		/* N counts lines: no state, no argument */
	AGGFN_COUNT_IF,		/* N counts lines whose argument is true */
	AGGFN_STATE,		/* a state of state_size bytes per call */
	/* The state is a struct aggfn_values, one for every call over the
	 * same argument (p50, p95 and p99 of latency_ms); N is unused. */
	AGGFN_STATE_SHARED
};

/*
 * What a table lends every feed, merge and read: the arena that keeps
 * values of first() and the like (not strings: see keep_value), scratch
 * bytes, and the percentile mode and budget of the table.
 */
struct aggfn_ctx {
	struct arena	*arena;		/* borrowed; outlives the states */
	struct buf	 scratch;	/* distinct()'s key bytes */
	int		 approx;	/* percentiles go to sketches */
	size_t		 nvalues;	/* exact percentile values added */
};

/*
 * One aggregate of SPEC 3.3. A state is STATE_SIZE bytes, zeroed by
 * the caller, then init() (when not NULL); release() (when not NULL)
 * frees what it holds. N is the call's count (see enum aggfn_kind).
 * Q is the call's percentile (Q of the row, or its constant argument
 * 2 when has_q_argument); other rows ignore it.
 */
struct aggfn {
	const char	*name;
	unsigned	 min_args, max_args;
	enum aggfn_kind	 kind;
	double		 q;		/* p50 .. p999: their percentile */
	int		 has_q_argument;	/* percentile(x, q) */
	size_t		 state_size;	/* a multiple of 8 */
	void		 (*init)(void *state);
	/* Adds one line: ARGS are the evaluated arguments, borrowed for
	 * the call (the state copies what it keeps); SEQ is the line's
	 * position in the input (first(), last(), ties of min_by()). */
	void		 (*feed)(int64_t *n, void *state,
			    const struct value *args, uint64_t seq,
			    struct aggfn_ctx *ctx);
	/* Adds FROM (count FROM_N, unchanged) to STATE: the result is the
	 * one of feeding both states' lines into one, whatever the split. */
	void		 (*merge)(int64_t *n, void *state, int64_t from_n,
			    const void *from, struct aggfn_ctx *ctx);
	/* The value of the call, borrowed from STATE until it is fed or
	 * released. May reorder STATE's values (percentile selection). */
	struct value	 (*result)(int64_t n, void *state, double q);
	/* The partial state (SPEC 7) as a new JSON object, owned by the
	 * caller: it grows with distinct values, not with lines. */
	json_t		*(*write)(int64_t n, const void *state);
	/* Sets a fresh (initialised) STATE and *N from J as write() gives
	 * it. -1 with *err set (LOGQ_EXIT_INPUT) when J is not such a
	 * state; STATE must then still be released, and nothing else. */
	int		 (*read)(int64_t *n, void *state, const json_t *j,
			    struct aggfn_ctx *ctx, struct diag *err);
	void		 (*release)(void *state);
};

/* The aggregate NAME (LEN bytes), or NULL. */
const struct aggfn *aggfn_find(const char *name, size_t len);
/* Row I of the table (ties in "did you mean" go to the first), or NULL
 * past the last one. */
const struct aggfn *aggfn_at(size_t i);

/*
 * The state of AGGFN_STATE_SHARED rows: a percentile's values, exactly
 * (8 bytes a value) or, once SK is set, as a sketch of bounded size. A
 * table reads it to share the selections and to turn exact into approx.
 */
struct aggfn_values {
	double		*v;
	size_t		 n, alloc;
	struct sketch	*sk;		/* non-NULL: approximate */
	struct percentile_ranks *ranks;	/* of v, made by the first result */
};

/* Moves V's exact values into its sketch (made if need be). */
void		 aggfn_values_to_sketch(struct aggfn_values *v);

/* Appends V's bytes such that values equal as group keys (200 and
 * 200.0; SPEC 3.3) and as distinct() values have equal bytes: a kind
 * tag, then the payload. */
void		 aggfn_encode_value(struct buf *b, const struct value *v);

#endif
