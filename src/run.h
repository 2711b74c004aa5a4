/* run.h - one pass over the inputs: lines -> records -> queries -> rows */
#ifndef LOGQ_RUN_H
#define LOGQ_RUN_H

#include <stdint.h>

#include "check.h"
#include "diag.h"
#include "format.h"
#include "timeparse.h"
#include "plan.h"
#include "record.h"

/* Where the first line of a kind was seen, for the summary. */
struct run_place {
	char		*file;		/* owned, NULL when none */
	unsigned long	 lineno;
};

struct run_stats {
	int64_t		 lines;		/* lines read */
	int64_t		 json;		/* JSON objects used */
	int64_t		 skipped;	/* sum of by_reason */
	int64_t		 by_reason[RECORD_NSTATUS];
	struct run_place first[RECORD_NSTATUS];
	int64_t		 repaired;	/* invalid UTF-8 repaired */
	struct run_place first_repaired;
	int64_t		 out_of_range;	/* dropped by --since/--until */
	int		 input_errors;	/* files that could not be read */
	int		 unseen_queries; /* where read only absent fields */
	int		 approx;	/* some percentiles are approximate */
	unsigned long	 regex_limit_hits;
};

struct run_options {
	size_t		 jobs;		/* threads, the reading one included */
	int		 verbose;
	int		 quiet, strict;
	size_t		 max_groups;	/* per query; 0: no cap */
	size_t		 max_values;	/* exact percentile values; 0: no cap */
	int		 approx;	/* --approx */
	int		 has_since, has_until;
	struct timeparse_time since, until;
	const struct fields *fields;	/* aliases for --since's `time` */
	/* Reports a problem that does not stop the run (an unreadable
	 * file, a skipped line under --verbose). */
	void		(*warn)(void *ctx, const struct diag *d);
	void		*warn_ctx;
};

/*
 * Reads FILES (none: standard input) in order, line by line, and feeds
 * every query of PLAN, writing rows to FMT: listing rows as they are
 * found, aggregation rows (and sorted listings) after the input. Every
 * row's assertions are checked into CHECKS. Unreadable inputs are
 * reported through o->warn and counted; the others are still read.
 * Returns 0, or -1 with *err when the run cannot go on.
 */
int	run_inputs(const struct plan *plan, char *const *files, size_t nfiles,
	    const struct run_options *o, struct formatter *fmt,
	    struct run_stats *st, struct check_list *checks,
	    struct diag *err);
void	run_stats_release(struct run_stats *st);

#endif
