/* SPDX-License-Identifier: MIT */
/* format.h - result rows -> table, json, ndjson, csv, tsv, markdown,
 * prometheus, junit, raw (SPEC 5) */
#ifndef LOGQ_FORMAT_H
#define LOGQ_FORMAT_H

#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "diag.h"
#include "line.h"
#include "value.h"

enum format_kind {
	FORMAT_TABLE, FORMAT_JSON, FORMAT_NDJSON, FORMAT_CSV, FORMAT_TSV,
	FORMAT_MARKDOWN, FORMAT_PROMETHEUS, FORMAT_JUNIT, FORMAT_RAW
};

/* "table" -> FORMAT_TABLE; -1 for an unknown name. */
int		 format_from_name(const char *name);
const char	*format_name(enum format_kind kind);
/* The names, comma-separated, for messages and --help. */
const char	*format_names(void);

/* What a formatter knows of one query's output. Borrowed for the
 * formatter's life. */
struct format_query {
	const char		*name;
	const char *const	*columns;
	size_t			 ncolumns;
	size_t			 nkeys;		/* leading group columns */
	int			 is_raw;	/* rows are input lines */
	int			 is_agg;
	size_t			 chart;		/* column to draw, SIZE_MAX */
};

/* One assertion's outcome on one row (SPEC 3.7), for json, markdown and
 * junit; borrowed until format_finish() returns. */
struct format_assertion {
	size_t			 query;
	const char		*expr;		/* as written */
	int			 passed;
	const json_t		*key;		/* group columns, or NULL */
	const json_t		*values;	/* the columns it read */
	const char		*detail;	/* "p99_ms=812, route=/x" */
	const char		*message;	/* the stderr line, no prefix */
};

/* The input's health, printed in json's "stats". */
struct format_stats {
	int64_t		 lines, json, skipped, repaired;
	const char	*percentiles;	/* "exact" or "approx" */
	int64_t		 joined;	/* CRI records joined: not skipped */
};

struct format_options {
	int		 is_tty;	/* cut long cells to the terminal */
	int		 color;		/* bold titles and headers */
	unsigned	 term_width;	/* columns, when is_tty */
	/* Follow mode's print, for ndjson: each row gets "print_time"
	 * with this RFC 3339 time (borrowed; NULL: not a print). */
	const char	*print_time;
	/* Follow mode (SPEC 6): SHOWN[i] says whether query i's section
	 * is in this output (NULL: every query's); a print shows the
	 * aggregations and sorted listings, a block of streamed rows the
	 * one listing they are of. FOLLOWS: output was written before
	 * this formatter's, so its first block is set apart by an empty
	 * line as a later query's is (table, markdown, csv, tsv). */
	const char	*shown;
	int		 follows;
};

struct formatter;

/* A formatter writing KIND to OUT (borrowed) for the N queries QS;
 * format_free() frees it. NULL with *err filled (exit status 3) when a
 * sectioned format cannot create the spool file of a section. */
struct formatter *format_new(enum format_kind kind, FILE *out,
		    const struct format_query *qs, size_t n,
		    const struct format_options *opt, struct diag *err);

/*
 * One result row of query QI: CELLS[0..ncolumns) (borrowed for the
 * call); for a raw query LINE is the input line (CELLS[0] is the line as
 * a string value). Listing rows are written as they come, except that
 * `table` holds the first rows back to size its columns (until 1000
 * rows, the end, or format_idle()), and that csv and tsv hold the rows
 * of every query but the first until the end, to print one block per
 * query (SPEC 5). Returns -1 (errno set) when the
 * output can no longer be written (a closed pipe, a full disk), else 0.
 */
int		 format_row(struct formatter *f, size_t qi,
		    const struct value *cells, const struct line *line);

/* Query QI's percentiles are approximate (--approx, --max-values):
 * table and markdown say so under its rows. */
void		 format_set_approx(struct formatter *f, size_t qi);

/* Query QI has given all its rows (an aggregation, after the input):
 * streaming formats write what a query without rows still shows. */
void		 format_query_done(struct formatter *f, size_t qi);

/* Input is idle (a live stream waits): write what is held back. */
void		 format_idle(struct formatter *f);

/* Ends the output, with the assertions' outcomes (in query order).
 * Returns 0, or -1 with errno set on a write error. */
int		 format_finish(struct formatter *f,
		    const struct format_stats *stats,
		    const struct format_assertion *asserts, size_t nasserts);
void		 format_free(struct formatter *f);

#endif
