/* SPDX-License-Identifier: MIT */
/* agg.h - groups, tables, sorted listings, merge (SPEC 3.3, 4.1, 4.3) */
#ifndef LOGQ_AGG_H
#define LOGQ_AGG_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "aggfn.h"
#include "diag.h"
#include "eval.h"
#include "line.h"
#include "plan.h"

/*
 * The state of one query: its groups and, per group, the state of each
 * aggregate call (slot), kept and fed as its aggfn.h row says; or, for a listing with `sort`, its rows. One per
 * query per thread; agg_merge() combines two (the -j threads and
 * `logq merge` share it, so results never depend on how input was split).
 */
struct agg_table;

/*
 * The limits of one query shared by all the tables that feed it (one per
 * -j thread), so that --max-values and --max-groups count the query,
 * not the thread, and a run's answer does not depend on -j (SPEC 4.1).
 * Its counters are C11 atomics: tables of other threads update them
 * while feeding. Owned by whoever made it; it must outlive its tables.
 */
struct agg_budget;

/* A budget for MAX_GROUPS groups and MAX_VALUES exact percentile values
 * in all (0: no cap). agg_budget_free() accepts NULL. */
struct agg_budget *agg_budget_new(size_t max_groups, size_t max_values);
void		 agg_budget_free(struct agg_budget *b);

/*
 * Whether the fed tables of the budget together hold more groups than
 * it lets them (the same group counts once per table): time for the
 * caller to merge them into a table of its own, while no thread feeds,
 * and call agg_budget_merged(). A table alone past max_groups is an
 * error at once (agg_feed); this only bounds their sum, so that memory
 * does not grow with -j.
 */
int		 agg_budget_wants_merge(const struct agg_budget *b);
/* The fed tables were emptied into a table that now holds KEPT groups. */
void		 agg_budget_merged(struct agg_budget *b, size_t kept);

/* Limits and modes of a table. */
struct agg_options {
	/* Groups a table may hold (0: no cap), so that a group_by over an
	 * id cannot take all memory; see agg_feed(). */
	size_t		 max_groups;
	/* Percentile values kept exactly (0: no cap); past it the table's
	 * percentiles switch to sketches (agg_is_approx() tells). */
	size_t		 max_values;
	int		 approx;	/* --approx: sketches from the start */
	/* Shared by the tables of one query, or NULL: then the two caps
	 * above are the table's own. With a budget they are ignored for
	 * the budget's: the table holds at most its max_groups groups,
	 * counts its groups and values there, and its percentiles turn
	 * approximate when the query's values, all tables together, pass
	 * its max_values. */
	struct agg_budget *budget;
	/* The names of input positions' files (aggfn.h), shared by every
	 * table that merges with this one; NULL: positions are numbers. */
	struct aggfn_files *files;
};

struct agg_table *agg_table_new(const struct plan_query *pq,
		    const struct agg_options *o);
/* Whether the table's percentiles are approximate (--approx, or the
 * exact values passed max_values). */
int		 agg_is_approx(const struct agg_table *t);
/*
 * Hands the values T was fed since its last report to its budget and
 * takes the budget's verdict: T's percentiles turn approximate if the
 * query's values passed max_values. Tables report in batches while
 * feeding, so once no thread feeds, call this on every table of the
 * budget twice (all report, then all hear the verdict): the answer is
 * then exact or approximate by the whole query's count alone, whatever
 * the -j. No-op without a budget.
 */
void		 agg_sync(struct agg_table *t);
/*
 * Empties T as agg_table_new(T's query, O) would make it, but keeps
 * the arrays and arena blocks it grew: a table renewed again and again
 * (follow mode's --reset and --window, every interval) then reuses the
 * same memory instead of freeing it and allocating anew, which moves
 * malloc's heap. No thread may feed T meanwhile.
 */
void		 agg_table_reset(struct agg_table *t,
		    const struct agg_options *o);
/* The groups T holds. */
size_t		 agg_groups(const struct agg_table *t);
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

/* A listing (sorted, or under --state): keeps a copy of the row CELLS
 * (ncolumns) at position SEQ, and of its input LINE's text when LINE is
 * not NULL (-f raw writes it; a --state run keeps it for the merge). */
void		 agg_keep_row(struct agg_table *t, const struct value *cells,
		    const struct line *line, uint64_t seq);

/* Adds FROM's groups (or rows) to INTO. -1 when INTO would pass its
 * cap on groups. FROM is only read: INTO copies all it keeps, so FROM
 * may go on being fed (results_emit's follow-mode tick merges the fed
 * tables into scratch ones; results_test checks it). */
int		 agg_merge(struct agg_table *into, struct agg_table *from);

/*
 * The partial state of an aggregation's table (SPEC 7), a new JSON
 * object owned by the caller: {"approx": B, "groups": [{"key": [...],
 * "aggs": [...]}, ...]}, one "aggs" item per aggregate call (aggfn.h
 * write(); null for a percentile that shares the state of an earlier
 * call over the same argument). Groups in the order they came.
 */
json_t		*agg_write(const struct agg_table *t);
/* A listing's table (a sorted one, or any under --state) writes its
 * rows instead: {"approx": false, "rows": [[[FILE, LINE], [CELL, ...]
 * (, TEXT)], ...]}, each with its input position and, when kept, its
 * line's text, in the order they were kept. */
/*
 * Fills T, new and not fed, from J as agg_write() gives it, ready for
 * agg_merge(). -1 with *err (LOGQ_EXIT_INPUT, a message saying what is
 * wrong) when J is not such a state; T must then only be freed.
 */
int		 agg_read(struct agg_table *t, const json_t *j,
		    struct diag *err);

/* The rows a listing's table keeps: *CELLS (ncolumns each), *SEQ
 * (their positions) and *LINES (text NULL when not kept), borrowed
 * until T is fed or freed; returns how many. */
size_t		 agg_rows(const struct agg_table *t, const struct value **cells,
		    const uint64_t **seq, const struct line **lines);

/*
 * Splits a table's groups, whose feeding is over, into NPARTS shares of
 * about as many exact values each, for agg_prepare(). Call it before
 * the shares are prepared at once: the split reads every group, which
 * a share's selection changes.
 */
void		 agg_prepare_split(struct agg_table *t, size_t nparts);
/*
 * Selects the exact percentiles of share PART (0 .. NPARTS - 1) of a
 * table's groups ahead of agg_result(), which then reads them: the -j
 * threads share that work at the end of a run. After
 * agg_prepare_split(T, NPARTS), calls with different parts may run at
 * once; together they cover every group.
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
