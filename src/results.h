/* SPDX-License-Identifier: MIT */
/* results.h - tables -> rows, assertions, summary; final or a tick */
#ifndef LOGQ_RESULTS_H
#define LOGQ_RESULTS_H

#include <stddef.h>
#include <stdint.h>

#include "agg.h"
#include "check.h"
#include "diag.h"
#include "format.h"
#include "plan.h"
#include "record.h"

/* Where the first line of a kind was seen, for the summary. */
struct results_place {
	char		*file;		/* owned, NULL when none */
	unsigned long	 lineno;
};

/* The input's health, counted by whoever read it (run.c; `logq merge`
 * will sum its states'), for $lines ..., the summary and --strict.
 * results_stats_release() frees the places. */
struct results_stats {
	int64_t		 lines;		/* lines read */
	int64_t		 json;		/* JSON objects used */
	int64_t		 skipped;	/* sum of by_reason but joined */
	int64_t		 by_reason[RECORD_NSTATUS];
	struct results_place first[RECORD_NSTATUS];
	int64_t		 repaired;	/* invalid UTF-8 repaired */
	struct results_place first_repaired;
	int64_t		 out_of_range;	/* dropped by --since/--until */
	int64_t		 no_time;	/* dropped by them: no usable time */
	struct results_place first_no_time;
	int		 input_errors;	/* files that could not be read */
	/* $stalled: whole seconds since the last line came, at the emit
	 * (follow mode sets it at each print; 0 otherwise) */
	int64_t		 stalled_s;
	unsigned long	 regex_limit_hits; /* while reading */
	/* Per query (nqueries of them; NULL: not counted apart): the
	 * matches of regex_limit_hits stopped while evaluating its
	 * expressions on a line, and the first such line. */
	unsigned long	*limit_hits;
	struct results_place *first_limit;
	size_t		 nqueries;
};

void	results_stats_release(struct results_stats *st);

/* The input counts that expressions read as $lines, $json, $skipped
 * and $repaired (SPEC 3.7), and the output's stats give, with the CRI
 * records joined into earlier lines (lines = json + skipped + joined). */
struct results_counts {
	int64_t		 lines, json, skipped, repaired, joined;
};

/*
 * One feeder of the tables: a -j thread today; a state file for `logq
 * merge`. Every source has a table for the same queries of the plan.
 */
struct results_source {
	/* Per query; NULL for a listing written as it was found. */
	struct agg_table *const	*tables;
	const uint64_t		*matched;	/* per query: past `where` */
	const char		*seen;		/* per plan->watch: 1 when
						 * a line had the field */
	/* Per plan->watch: the top-level key nearest the field's name
	 * that lines had, or NULL; the array may be NULL. */
	const char *const	*near;
};

struct state_options;

struct results_options {
	int		 quiet, strict;
	/* --state (state.h): a final emit writes the merged tables' state
	 * there instead of rows, and no notes or warnings (the merge of
	 * the states gives them, for the whole input). NULL: rows. */
	const struct state_options *state;
	int		 approx;	/* --approx: asked for, not warned */
	size_t		 max_values;	/* --max-values, for its warning */
	/* The limits of the scratch tables a tick merges into; their
	 * max_groups is also the one the merge's message names. */
	struct agg_options agg;
	size_t		 nthreads;	/* percentile selection, this one
					 * included; 0 or 1: this one */
	/* Warnings as they arise (a field no line had, percentiles gone
	 * approximate); the caller prints them. */
	void		(*warn)(void *ctx, const struct diag *d);
	void		*warn_ctx;
	/* Follow mode with --reset or --window (SPEC 6): the input counts
	 * of the print's window, for $lines, $json, $skipped, $repaired
	 * and the output's stats, as $matched is the window's; NULL: the
	 * run's (the emit's results_stats). The end-of-run summary is the
	 * run's either way. */
	const struct results_counts *window;
};

/* What an emit found, for main.c's messages and exit status. */
struct results_outcome {
	size_t		 asserts_failed;	/* shown or not */
	int		 unseen_queries; /* `where` read absent fields */
	int		 unchecked_queries; /* assertions met no row */
	int		 approx;	/* some percentiles approximate */
	unsigned long	 regex_limit_hits; /* the run's, in all */
	/* Queries with assertions whose regexes stopped at PCRE2's limit
	 * on some line: their verdict is unknown (exit 3). */
	int		 limit_failed_queries;
	/*
	 * The end-of-run lines of SPEC 1.2 and 3.7, in order: the summary
	 * of skipped and repaired lines, PCRE2's match limit, the queries
	 * whose assertions met no row, each failed assertion. Owned; the caller prints them once the output is
	 * complete (after -o's rename), as stderr lines of status 0.
	 */
	struct diag	*notes;
	size_t		 nnotes, notes_alloc;
	/* A tick's notes are its failed assertions: for each, what stays
	 * the same while the same assertion fails on the same row (query,
	 * assertion and group key, not the values), so that follow mode
	 * can report a failure once per window (SPEC 6). Owned; nnotes of
	 * them after a tick, NULL after a final emit. */
	char		**note_ids;
};

void	results_outcome_release(struct results_outcome *out);

/* What the formatter is told of PLAN's queries, for format_new(): an
 * array of plan->n (at least one element), which the caller frees with
 * free(); names and columns are borrowed from PLAN. */
struct format_query *results_format_queries(const struct plan *plan);

/*
 * Everything between "the tables are fed" and "the formatter has rows",
 * shaped like curl's progress_meter(..., final): merges the sources'
 * tables query by query, selects their percentiles (o->nthreads
 * threads), writes each aggregation's rows and each sorted listing to
 * FMT with their assertions checked, then ends FMT with the outcomes
 * and ST's counts.
 *
 * FINAL (the end of input, `logq merge`): the sources' tables are
 * merged into SRC[0]'s, which may not be fed afterwards. CHECKS holds
 * the outcomes of the listing rows written during the run (run.c's
 * check_row()) and receives the rest; the fields no line had are
 * warned about first; OUT gets the notes. FMT NULL: the output failed
 * during the run; only the warnings are given.
 *
 * Not FINAL (a tick of follow mode, between chunks, while no thread
 * feeds): the sources' tables are merged into scratch tables, so
 * feeding goes on afterwards and a later emit counts every line once.
 * This needs of agg_merge() more than agg.h says today: that it only
 * reads FROM and that INTO keeps none of FROM's memory (so either may
 * be fed or freed first). Today's agg.c does so (keys, first()/last()
 * strings, distinct() keys, exact values and sketches are copied) and
 * results_test checks it; a rewrite of agg.c must keep it.
 * FMT must be a formatter for this tick alone: it is finished. A tick
 * shows the aggregations' and sorted listings' rows, with their
 * assertions; CHECKS is not read or written (listing rows' outcomes
 * belong to the final emit), there are no warnings, and the notes are
 * the tick's failed assertions alone (follow mode reports them as they
 * happen, SPEC 6).
 *
 * OUT must be zero-initialised (or released); results_outcome_release()
 * frees what it gets. Returns 0; or -1 with *err: a merge passed
 * --max-groups (errno 0), or FMT could not be written (errno set; EPIPE
 * is a closed pipe).
 */
int	results_emit(const struct plan *plan,
	    const struct results_source *src, size_t nsrc,
	    const struct results_stats *st, struct check_list *checks,
	    const struct results_options *o, struct formatter *fmt,
	    int final, struct results_outcome *out, struct diag *err);

#endif
