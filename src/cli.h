/* SPDX-License-Identifier: MIT */
/* cli.h - argv -> struct cli_options, nothing else (SPEC section 1) */
#ifndef LOGQ_CLI_H
#define LOGQ_CLI_H

#include <stddef.h>

#include "diag.h"
#include "format.h"
#include "timeparse.h"

enum cli_action {
	CLI_RUN,		/* run queries over input */
	CLI_MERGE,		/* logq merge QUERY [STATE...] */
	CLI_LIST,		/* --list [--names] */
	CLI_LIST_FUNCTIONS,	/* --list-functions */
	CLI_FIELDS,		/* --fields */
	CLI_LIST_PROFILES,	/* --list-profiles [--names] */
	CLI_VERSION,
	CLI_HELP
};

enum cli_color { CLI_COLOR_AUTO, CLI_COLOR_ALWAYS, CLI_COLOR_NEVER };

/* The most shards --shard cuts an input into: a byte range of a file
 * per process, and below 2^32, so that the ranges' bounds are computed
 * without overflow (reader_set_shard). */
#define CLI_MAX_SHARDS	1000000

/* Groups a query may hold before the run stops: a million groups of a
 * few columns is a few hundred MB; an id in group_by passes it. */
#define CLI_DEFAULT_MAX_GROUPS	1000000
/* Values kept for exact percentiles before they turn approximate:
 * 8 bytes each, 400 MB. */
#define CLI_DEFAULT_MAX_VALUES	50000000

/* --window's intervals at most: one table per query each. */
#define CLI_MAX_WINDOW_SLOTS	100000

struct cli_options {
	enum cli_action	 action;
	int		 list_names;		/* --list --names */
	int		 list_params;		/* --list --params */
	char		**queries;		/* QUERY,... split; borrowed */
	size_t		  nqueries;
	const char	 *inline_yaml;		/* -e */
	char		**files;		/* borrowed from argv; for
						 * merge, the state files */
	size_t		  nfiles;
	int		  format_set;		/* -f given */
	enum format_kind  format;
	const char	 *output;		/* -o, or NULL */
	const char	**sets;			/* --set NAME=VALUE */
	size_t		  nsets;
	const char	**field_args;		/* --field CANON=F1,F2 */
	size_t		  nfield_args;
	const char	 *profile;		/* --profile, or NULL */
	int		  has_since, has_until;
	struct timeparse_time  since, until;
	int		  strict, quiet, verbose, explain;
	size_t		  jobs;			/* -j; 0: online CPUs */
	size_t		  max_groups;		/* per query; 0: no cap */
	int		  max_groups_set;
	size_t		  max_values;		/* exact percentile values */
	size_t		  max_line_bytes;	/* 0: no cap */
	int		  approx;
	double		  interval_ms;		/* --interval; 0: none */
	int		  reset;		/* --reset */
	unsigned long	  shard_index;		/* --shard I/N: I */
	unsigned long	  shard_count;		/* N; 0: no --shard */
	int		  state;		/* --state */
	double		  window_ms;		/* --window; 0: none */
	double		  stall_ms;		/* --stall; 0: none */
	enum cli_color	  color;
};

/*
 * Parses ARGV into *opt (zeroed first). NOW is the current epoch time,
 * for --since 15m. -1 with *err (exit 2) on a usage error; the message
 * names the option and what it takes.
 */
int	cli_parse(int argc, char **argv, double now, struct cli_options *opt,
	    struct diag *err);
void	cli_release(struct cli_options *opt);
/* The --help text. */
void	cli_usage(FILE *fp);

#endif
