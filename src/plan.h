/* SPDX-License-Identifier: MIT */
/* plan.h - loaded queries -> compiled expressions, ready to run */
#ifndef LOGQ_PLAN_H
#define LOGQ_PLAN_H

#include <stddef.h>
#include <stdio.h>

#include "diag.h"
#include "expr.h"
#include "fields.h"
#include "query.h"

struct plan_sort {
	size_t		 column;
	int		 descending;
};

struct plan_assert {
	const char	*text;		/* as written; borrowed from src */
	struct expr	*expr;		/* over the output columns */
};

struct plan_query {
	struct query	 *src;		/* borrowed: the loaded query */
	const char	 *name;		/* borrowed from src */
	struct fields	 *fields;	/* the aliases in force */
	int		  owns_fields;	/* else p->shared_fields */
	struct expr	 *where;	/* NULL: every line */
	/* The first query of the run with the same `where` (this one's
	 * index if none before it): a line passes both or neither, so
	 * the run tests it once. */
	size_t		  where_of;
	int		  is_raw;	/* no select: rows are the lines */
	const char	**columns;	/* ncolumns names, borrowed */
	size_t		  ncolumns;
	struct expr	**select;	/* ncolumns expressions, or NULL */

	/* Aggregation: columns are the nkeys group keys, then the
	 * aggregate columns. */
	int		  is_agg;
	size_t		  nkeys;
	struct expr	**keys;		/* nkeys scalar expressions */
	struct expr	**values;	/* ncolumns - nkeys, aggregate context */
	struct expr	**slots;	/* nslots EXPR_AGG nodes (borrowed) */
	size_t		  nslots;
	struct expr	 *having;	/* over the columns, or NULL */
	struct plan_sort *sort;
	size_t		  nsort;
	long long	  limit;	/* -1: none */
	struct plan_assert *asserts;
	size_t		  nasserts;
	size_t		  chart;	/* column to draw, or SIZE_MAX */
	/* The fields `where` reads, as indexes into plan.watch. */
	size_t		 *watch;
	size_t		  nwatch;
	/* It reads the line's own fields (_line, _file, _lineno,
	 * _prefix) and no other: it runs on lines that hold no JSON
	 * object too, so no-secrets scans every line (run.c). */
	int		  reads_line_only;
	/* Some regex of its expressions (=~, !~, replace()) may stop at
	 * PCRE2's match limit on a line: run.c counts its stops. */
	int		  runs_regex;
};

struct plan {
	struct plan_query *queries;
	size_t		   n;
	/* The built-in table with --field applied: one for every query
	 * without `fields:` of its own, so that they share resolved
	 * aliases per line (eval.h's alias cache). */
	struct fields	  *shared_fields;
	/* Every field or alias some query's `where` reads, once: a run
	 * tells which never appeared (a misspelt name must not make a
	 * check pass on no data). EXPR_FIELD or EXPR_ALIAS nodes. */
	const struct expr **watch;
	size_t		   nwatch;
	int		   has_line_only;	/* some reads_line_only */
	int		   has_regex;		/* some runs_regex */
};

struct plan_options {
	const struct fields *builtin;	/* the built-in alias table */
	const char *const   *field_args;	/* --field CANON=F1,F2 */
	size_t		     nfield_args;
	const char *const   *sets;	/* --set NAME=VALUE */
	size_t		     nsets;
};

/*
 * Compiles the N loaded queries QS (their params updated by --set) into
 * *p. -1 with *err (exit 2) on the first error: an expression error with
 * FILE:LINE:COL and a caret under the query file's own line, a bad
 * `fields:` or --field entry, an unknown --set name.
 */
int	plan_build(struct plan *p, struct query *const *qs, size_t n,
	    const struct plan_options *o, struct diag *err);
void	plan_release(struct plan *p);

/* The name of watched field I as a query spells it ("levle", "time"). */
void	plan_watch_name(const struct plan *p, size_t i, struct buf *out);

/* --explain: each query's source, expressions, and the fields it reads
 * with the alias alternatives each name resolves to, in order. */
void	plan_explain(const struct plan *p, FILE *fp);

#endif
