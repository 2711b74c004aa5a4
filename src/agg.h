/* agg.h - groups, aggregate states, merge (SPEC 3.3, 4.1, 4.3) */
#ifndef LOGQ_AGG_H
#define LOGQ_AGG_H

#include <stddef.h>
#include <stdint.h>

#include "eval.h"
#include "plan.h"

/*
 * The state of one query: its groups and, per group, the state of each
 * aggregate call (slot); or, for a listing with `sort`, its rows. One per
 * query per thread; agg_merge() combines two (the -j threads and
 * `logq merge` share it, so results never depend on how input was split).
 */
struct agg_table;

struct agg_table *agg_table_new(const struct plan_query *pq);
void		 agg_table_free(struct agg_table *t);

/*
 * Adds the line in CTX (ctx->rec set, where already true) to its group:
 * evaluates the group keys and each aggregate call's arguments. SEQ is
 * the line's position in the whole input, which orders first() and
 * last() and breaks ties of min_by()/max_by().
 */
void		 agg_feed(struct agg_table *t, struct eval_ctx *ctx,
		    uint64_t seq);

/* A sorted listing: keeps a copy of the row CELLS (ncolumns). */
void		 agg_keep_row(struct agg_table *t, const struct value *cells,
		    uint64_t seq);

/* Moves FROM's groups (or rows) into INTO; FROM is left empty. */
void		 agg_merge(struct agg_table *into, struct agg_table *from);

/* The final rows of a query, ready for the formatter. */
struct agg_result {
	const struct plan_query *pq;
	struct value	*cells;		/* nrows * ncolumns */
	size_t		 nrows, ncolumns;
	struct arena	*arena;		/* owns the strings of cells */
};

/*
 * Computes the rows: one per group (key columns, then the aggregate
 * columns), `having` applied, sorted by `sort` with ties broken by the
 * group key (SPEC 4.1), then `limit`. CTX gives the input statistics for
 * having ($lines ...). The table may not be fed afterwards, and must
 * outlive the result (group keys are borrowed from it).
 */
void		 agg_result(struct agg_table *t, struct eval_ctx *ctx,
		    struct agg_result *out);
void		 agg_result_release(struct agg_result *r);

/* The nearest-rank percentile Q (0 < Q <= 100) of V[0..N), N > 0, as
 * SPEC 4.3 defines it: the value at 1-based rank ceil(Q/100 * N) of V
 * sorted ascending. Reorders V (selection, not a full sort). */
double		 agg_percentile(double *v, size_t n, double q);

#endif
