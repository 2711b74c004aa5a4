/* SPDX-License-Identifier: MIT */
/* state.h - versioned partial states for --state and logq merge (SPEC 7) */
#ifndef LOGQ_STATE_H
#define LOGQ_STATE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "agg.h"
#include "aggfn.h"
#include "diag.h"
#include "plan.h"
#include "results.h"

/*
 * The format version of the document: `logq merge` refuses any other.
 * Raise it whenever a reader of this version would misread a new
 * document (a new field it must not ignore, a changed meaning).
 */
#define STATE_VERSION		1
/* Hex digits of a fingerprint. */
#define STATE_FINGERPRINT_LEN	16

/* What results_emit() needs to write a state instead of rows. */
struct state_options {
	FILE			*fp;		/* borrowed */
	const char		*fingerprint;	/* of state_fingerprint() */
	/* The names of the positions' files (borrowed). */
	const struct aggfn_files *files;
};

/*
 * The fingerprint of PLAN's queries as run with the --field arguments
 * FIELD_ARGS (N): a hash of their normalised definitions (names,
 * where, columns, group keys, aggregates, having, sort, limit,
 * assertions, fields) and their parameters' values after --set and a
 * report's set:, and PROFILES (or NULL): --profile and each profile's
 * conditions, aliases (every table built) and level names. Whitespace
 * between tokens of an expression and the YAML's layout and comments do
 * not change it. OUT gets
 * STATE_FINGERPRINT_LEN hex digits and a NUL.
 */
void	state_fingerprint(const struct plan *plan,
	    const char *const *field_args, size_t nfield_args,
	    struct profile_set *profiles, char *out);

/*
 * Whether PLAN's queries can have a partial state: aggregations can, and
 * listings (their rows with their positions), except a listing whose
 * rows read the input's counts ($lines ... at that row, which a part
 * does not know). -1 with *err (exit 2) naming it and what to do.
 */
int	state_check_plan(const struct plan *plan, struct diag *err);

/*
 * Writes the state of PLAN's queries as one JSON document on one line
 * to so->fp: version, fingerprint, query names, ST's counts and first
 * places, the watched fields seen (and the nearest keys) and, per
 * query, its matched lines and MERGED[qi] (agg_write()). The sources
 * SRC (NSRC) give matched, seen and near, summed. -1 with *err (errno
 * set) when so->fp cannot be written.
 */
int	state_write(const struct state_options *so, const struct plan *plan,
	    struct agg_table *const *merged, const struct results_source *src,
	    size_t nsrc, const struct results_stats *st, struct diag *err);

/* States read and merged: one source for results_emit(). */
struct state_merge {
	struct agg_table	**tables;	/* per query */
	uint64_t		 *matched;	/* per query */
	char			 *seen;		/* per plan->watch */
	char			**near;		/* per watch, owned */
	struct results_stats	  st;
	size_t			  nstates;	/* read */
};

/*
 * Reads the states in PATHS (NPATHS; none, or "-": standard input),
 * one JSON document a line, and merges them into *M (zeroed first),
 * with tables made by AO (its files shared by all of them). A state
 * of another format version, of other queries, or with another
 * FINGERPRINT is refused with exit 2; a line that is not a state
 * (bad JSON, a truncated line, a field of the wrong type), an
 * unreadable file, or no state at all, with exit 3. Errors name the
 * file and line. -1 with *err; *M must then still be released.
 */
int	state_merge_read(struct state_merge *m, const struct plan *plan,
	    const char *fingerprint, const struct agg_options *ao,
	    char *const *paths, size_t npaths, struct diag *err);
void	state_merge_release(struct state_merge *m, const struct plan *plan);

#endif
