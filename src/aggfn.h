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
 * Input positions (SPEC 4.1, 7): a line's position is its file's
 * ordinal in a struct aggfn_files, shifted left by AGGFN_LINE_BITS,
 * or'ed with the line's number in that file. Within one run ordinals
 * follow the order the files are read in, so positions compare as
 * numbers. `logq merge` meets files in the order the states come, and
 * sets by_name: positions of two files then compare by the files'
 * names (bytewise, as a shell glob sorts them under LC_ALL=C), so a
 * merge resolves first()/last() as one pass over the files in name
 * order would, whatever the order of the states.
 */
#define AGGFN_LINE_BITS		40
#define AGGFN_MAX_FILES		(UINT64_C(1) << (64 - AGGFN_LINE_BITS))

struct aggfn_files {
	char		**names;	/* owned; ordinal -> name */
	size_t		  n, alloc;
	int		  by_name;	/* see above */
};

/* The ordinal of NAME (added if new). -1 past AGGFN_MAX_FILES names. */
long long	 aggfn_files_intern(struct aggfn_files *f, const char *name);
/* NAME as the next ordinal, even if F has it (a run given one file
 * twice reads it twice). -1 past AGGFN_MAX_FILES names. */
long long	 aggfn_files_append(struct aggfn_files *f, const char *name);
void		 aggfn_files_release(struct aggfn_files *f);
/* The name of position POS's file ("-" when F or the ordinal is
 * unknown), borrowed from F. */
const char	*aggfn_pos_file(const struct aggfn_files *f, uint64_t pos);
/* <0, 0, >0 as position A is before, at or after B (F may be NULL). */
int		 aggfn_pos_cmp(const struct aggfn_files *f, uint64_t a,
		    uint64_t b);

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
	/* The names of positions' files: borrowed, shared by the tables
	 * that merge, or NULL (positions compare as numbers). */
	struct aggfn_files *files;
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
	 * one of feeding both states' lines into one, whatever the split
	 * and the order of merges (positions compare by ctx->files; two
	 * equal positions, as the "-" of two stdin runs can have, are
	 * decided by the values, so the merge still commutes). */
	void		 (*merge)(int64_t *n, void *state, int64_t from_n,
			    const void *from, struct aggfn_ctx *ctx);
	/* The value of the call, borrowed from STATE until it is fed or
	 * released. May reorder STATE's values (percentile selection). */
	struct value	 (*result)(int64_t n, void *state, double q);
	/* The partial state (SPEC 7) as a new JSON object, owned by the
	 * caller: it grows with distinct values, not with lines. CTX
	 * names the files of positions. */
	json_t		*(*write)(int64_t n, const void *state,
			    const struct aggfn_ctx *ctx);
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

/* A distinct value of a percentile's and how many times it came. */
struct aggfn_run {
	double		 x;
	uint64_t	 count;
};

/*
 * The state of AGGFN_STATE_SHARED rows: a percentile's values, exactly
 * or, once SK is set, as a sketch of bounded size. A table reads it to
 * share the selections and to turn exact into approx.
 *
 * Exact values are appended to V (8 bytes each). When V is full (from
 * AGGFN_COMPACT_MIN values on, or once there are runs) it is compacted
 * (aggfn.c, values_compact()): a value that has a run counts there,
 * found through IDX; the others wait in V until they fill a quarter of
 * it, then their distinct values become new runs (16 bytes each) if
 * they are at most half as many as V's values, so that the bytes never
 * grow; if not, they stay in V, which doubles. Values that do not
 * repeat so cost 8 bytes each, as without runs; values that do, 16
 * bytes a distinct value plus the index (4 to 12), plus V, which
 * shrinks to about a quarter of the runs. Results fold V into the runs
 * and select by cumulative counts (V alone, with no runs, is selected
 * in place). --max-values counts values (ctx->nvalues), not runs.
 */
struct aggfn_values {
	double		*v;		/* not in runs yet */
	size_t		 n, alloc;
	size_t		 nknown;	/* v[0..nknown) have no run */
	struct aggfn_run *runs;		/* ascending, -0 before 0 */
	size_t		 nruns, runs_alloc;
	uint64_t	 nrun;		/* the runs' counts summed */
	/* Open addressing, run index + 1 (0: empty), of the first
	 * INDEXED runs, by value bits; remade when runs were added. */
	uint32_t	*idx;
	size_t		 icap, indexed;
	struct sketch	*sk;		/* non-NULL: approximate */
	struct percentile_ranks *ranks;	/* of v, made by the first result */
};

#define AGGFN_COMPACT_MIN	1024

/* Moves V's exact values into its sketch (made if need be). */
void		 aggfn_values_to_sketch(struct aggfn_values *v);
/* How many exact values V holds (those of its runs counted). */
uint64_t	 aggfn_values_count(const struct aggfn_values *v);

/* Appends V's bytes such that values equal as group keys (200 and
 * 200.0; SPEC 3.3) and as distinct() values have equal bytes: a kind
 * tag, then the payload. */
void		 aggfn_encode_value(struct buf *b, const struct value *v);

#endif
