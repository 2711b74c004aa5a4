/* agg.h - groups, tables, sorted listings, merge (SPEC 3.3, 4.1, 4.3) */
#ifndef LOGQ_AGG_H
#define LOGQ_AGG_H

#include <stddef.h>
#include <stdint.h>

#include "eval.h"
#include "plan.h"

/*
 * The state of one query: its groups and, per group, the state of each
 * aggregate call (slot), kept and fed as its aggfn.h row says; or, for a listing with `sort`, its rows. One per
 * query per thread; agg_merge() combines two (the -j threads and
 * `logq merge` share it, so results never depend on how input was split).
 */
struct agg_table;

/* Limits and modes of a table. */
struct agg_options {
	/* Groups a table may hold (0: no cap), so that a group_by over an
	 * id cannot take all memory; see agg_feed(). */
	size_t		 max_groups;
	/* Percentile values kept exactly (0: no cap); past it the table's
	 * percentiles switch to sketches (agg_is_approx() tells). */
	size_t		 max_values;
	int		 approx;	/* --approx: sketches from the start */
};

struct agg_table *agg_table_new(const struct plan_query *pq,
		    const struct agg_options *o);
/* Whether the table's percentiles are approximate (--approx, or the
 * exact values passed max_values). */
int		 agg_is_approx(const struct agg_table *t);
void		 agg_table_free(struct agg_table *t);

/*
 * Adds the line in CTX (ctx->rec set, where already true) to its group:
 * evaluates the group keys and each aggregate call's arguments. SEQ is
 * the line's position in the whole input, which orders first() and
 * last() and breaks ties of min_by()/max_by(). Returns 0, or -1 when
 * the line belongs to a new group beyond the table's cap (the line is
 * not counted: the caller must stop, the result would be wrong).
 */
int		 agg_feed(struct agg_table *t, struct eval_ctx *ctx,
		    uint64_t seq);

/* A sorted listing: keeps a copy of the row CELLS (ncolumns). */
void		 agg_keep_row(struct agg_table *t, const struct value *cells,
		    uint64_t seq);

/* Adds FROM's groups (or rows) to INTO. -1 when INTO would pass its
 * cap on groups. FROM is only read: INTO copies all it keeps, so FROM
 * may go on being fed (results_emit's follow-mode tick merges the fed
 * tables into scratch ones; results_test checks it). */
int		 agg_merge(struct agg_table *into, struct agg_table *from);

/*
 * Selects the exact percentiles of share PART (0 .. NPARTS - 1) of a
 * table's groups, whose feeding is over, ahead of agg_result(), which
 * then reads them: the -j threads share that work at the end of a run.
 * Calls on one table with different parts may run at once; together
 * they cover every group.
 */
void		 agg_prepare(struct agg_table *t, size_t part, size_t nparts);
/* How many exact values share PART's call selects among. */
uint64_t	 agg_prepare_share(struct agg_table *t, size_t part,
		    size_t nparts);

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

#endif
