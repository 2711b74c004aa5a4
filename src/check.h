/* SPDX-License-Identifier: MIT */
/* check.h - assertions over output rows (SPEC 3.7) */
#ifndef LOGQ_CHECK_H
#define LOGQ_CHECK_H

#include <jansson.h>

#include "eval.h"
#include "plan.h"

/* One assertion on one row. */
struct check_outcome {
	size_t		 query;		/* index in the plan */
	size_t		 assert;	/* index in the query's asserts */
	int		 passed;
	json_t		*key;		/* owned: group columns, or NULL */
	json_t		*values;	/* owned: columns the assertion reads */
	char		*detail;	/* owned: "p99_ms=812, route=/v1/x" */
};

/*
 * The outcomes of a run. Aggregation rows record every outcome; listing
 * rows, which can be millions, record their failures (the first
 * CHECK_MAX_LISTING_FAILURES of each assertion, the rest counted) and,
 * when an assertion never failed, one passing outcome without a row.
 */
#define CHECK_MAX_LISTING_FAILURES	100

struct check_list {
	struct check_outcome	*items;
	size_t			 n, alloc;
	size_t			 failed;	/* every failure, recorded or not */
	size_t			*listing_failures; /* per query x assert */
	size_t			*rows_checked;	/* per query */
};

/* Evaluates every assertion of query QI on ROW (pq->ncolumns cells),
 * with CTX's statistics; records outcomes in L. Returns the number of
 * assertions that failed on the row. */
size_t	check_row(struct check_list *l, const struct plan *plan, size_t qi,
	    const struct value *row, struct eval_ctx *ctx);
/* After a listing query's last row: a passing outcome for each of its
 * assertions that never failed. */
void	check_listing_done(struct check_list *l, const struct plan *plan,
	    size_t qi);
/* The rows of query QI that check_row() saw: 0 means its assertions
 * held on nothing (SPEC 3.7 says so on stderr). */
size_t	check_rows_checked(const struct check_list *l, size_t qi);
/* "assertion failed in latency: p99_ms < 500 (p99_ms=812, route=...)" */
char	*check_message(const struct plan *plan, const struct check_outcome *o);
void	check_list_release(struct check_list *l);

#endif
