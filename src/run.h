/* SPDX-License-Identifier: MIT */
/* run.h - one pass over the inputs: lines -> records -> queries -> rows */
#ifndef LOGQ_RUN_H
#define LOGQ_RUN_H

#include <stdint.h>

#include "aggfn.h"

#include "diag.h"
#include "format.h"
#include "timeparse.h"
#include "plan.h"
#include "record.h"
#include "results.h"
#include "profile.h"

/* What the header line of a follow-mode print says (SPEC 6). */
struct run_print {
	double		 time;		/* epoch seconds, now */
	int64_t		 lines;		/* read so far */
	int64_t		 skipped;	/* so far */
	double		 rate;		/* lines/s since the last print */
	double		 idle;		/* seconds since the last line came */
	int		 final;		/* at the end of input */
};

struct run_options {
	size_t		 jobs;		/* threads, the reading one included */
	int		 verbose;
	int		 quiet, strict;
	size_t		 max_groups;	/* per query; 0: no cap */
	size_t		 max_values;	/* exact percentile values; 0: no cap */
	int		 approx;	/* --approx */
	/* --max-line-bytes: longer lines are skipped as "too long"
	 * without being held whole; 0: no cap */
	size_t		 max_line_bytes;
	int		 has_since, has_until;
	struct timeparse_time since, until;
	const struct fields *fields;	/* aliases for --since's `time` */
	struct profile_set *profiles;	/* format profiles, or NULL */
	/* --shard I/N: each input's I-th of N line-aligned byte ranges
	 * (reader_set_shard); shard_count 0 or 1: all of it. */
	unsigned long	 shard_index, shard_count;
	/* Reports a problem that does not stop the run (an unreadable
	 * file, a skipped line under --verbose). */
	void		(*warn)(void *ctx, const struct diag *d);
	void		*warn_ctx;
	/*
	 * Follow mode (SPEC 6), when interval_ms > 0: the aggregations and
	 * sorted listings are printed every interval_ms of wall time, and
	 * once more at the end of input (the final emit), each print on a
	 * formatter of its own that print_begin() returns once it wrote
	 * the print's header line (NULL with *err when it cannot). The FMT
	 * of run_inputs() then gets only the rows of the listings that
	 * stream (none with stream_begin), and may be NULL. With reset, each
	 * print covers the lines since the previous one; with window_ms (a
	 * multiple of interval_ms), each print covers the last window_ms:
	 * the lines since the previous print and those of the intervals
	 * before it, window_ms / interval_ms intervals in all. After each
	 * print's formatter is done and freed, print_end() (or NULL) is
	 * called with the same P: a terminal view paints the print there.
	 */
	double		 interval_ms;
	int		 reset;
	double		 window_ms;
	struct formatter *(*print_begin)(void *ctx, const struct run_print *p,
			    struct diag *err);
	int		(*print_end)(void *ctx, const struct run_print *p,
			    struct diag *err);
	void		*print_ctx;
	/*
	 * Follow mode with listings that stream (SPEC 6): their rows go
	 * out between the prints in blocks, one query's rows each, every
	 * block on a formatter of its own that stream_begin() returns for
	 * query QI (NULL with *err when it cannot). A block ends before a
	 * print, before a row of another query, and at the end of input;
	 * a block's formatter is finished and freed there. NULL: the rows
	 * go to run_inputs()'s FMT, as without follow mode.
	 */
	struct formatter *(*stream_begin)(void *ctx, size_t qi,
			    struct diag *err);
	/*
	 * The names of the inputs, FILES in order (or "-"), whose ordinals
	 * are the positions' files (aggfn.h); borrowed, or NULL.
	 */
	struct aggfn_files *files;
	/* --state: the end of input writes the state, not rows (NULL). */
	const struct state_options *state;
	/*
	 * --stall (SPEC 6): when no line came for stall_ms (> 0) of a live
	 * stream, one warning through warn; another once lines came and
	 * stopped again. With or without interval_ms.
	 */
	double		 stall_ms;
};

/*
 * Reads FILES (none: standard input) in order, line by line, and feeds
 * every query of PLAN, writing rows to FMT: listing rows as they are
 * found, with their assertions checked; after the input, everything
 * else by results_emit(..., final), whose notes and counts go to *OUT.
 * ST receives the input's counts (results_stats_release() frees them).
 * Unreadable inputs are reported through o->warn and counted; the
 * others are still read. Returns 0, or -1 with *err (errno set: EPIPE
 * is a closed pipe) when the run cannot go on.
 */
int	run_inputs(const struct plan *plan, char *const *files, size_t nfiles,
	    const struct run_options *o, struct formatter *fmt,
	    struct results_stats *st, struct results_outcome *out,
	    struct diag *err);

#endif
