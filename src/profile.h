/* SPDX-License-Identifier: MIT */
/* profile.h - format profiles: how a line shape is recognised, and the
 * field aliases, units and level names of the format it belongs to */
#ifndef LOGQ_PROFILE_H
#define LOGQ_PROFILE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "diag.h"
#include "fields.h"
#include "querypath.h"
#include "record.h"

/* Aliases of the built-in table a profile may replace, by slot. */
#define PROFILE_SLOTS		16

/* One `match:` condition: a field present, or equal to a text. */
struct profile_cond {
	struct field_path	 path;
	char			*value;		/* NULL: present is enough */
	size_t			 value_len;
	int			 prefix;	/* "http.log.access*" */
};

struct profile {
	char			*name;
	char			*description;	/* or NULL */
	char			*source;	/* or NULL */
	char			*file;
	struct profile_cond	*conds;
	size_t			 nconds;
	/* Its conditions all hold on every line of a shape (plain keys
	 * present) once they hold on one: else each line is tested. */
	int			 per_line;
	/* Bits (jscan hash & 63, as jscan.keys) of the top-level keys one of which a
	 * line must have for the first condition to hold: a line shape
	 * without any is no candidate, found without a look-up. */
	uint64_t		 anchor_bits;
	/* The bits of every plain key a condition names: all must be
	 * among a line's. */
	uint64_t		 need_bits;
	long			 priority;
	/* The spellings its `fields:` names, as read (checked at load);
	 * freed once its table is built. */
	struct fields		*own;
	/*
	 * Its alias table and the aliases by slot, built from OWN and the
	 * built-in table the first time the profile is used (profile_use):
	 * a run reads few formats of the many there are. NULL (fields) and
	 * 0 (built) until then; BUILT is set, with release order, last.
	 */
	struct fields		*fields;
	atomic_int		 built;
	struct fields_vocab	 levels;
	/* By the slot of a built-in alias: the profile's own, or NULL. */
	const struct fields_alias *alias[PROFILE_SLOTS];
};

/*
 * The profiles of a run, in the order they are tried: priority first,
 * then the more conditions, then by name. With FORCED (--profile), every
 * line is read with that one and nothing is recognised.
 */
struct profile_set {
	struct profile		**v;
	size_t			  n;
	const struct profile	 *forced;
	/* The ambiguous-unit warning (alias.c): once per field. */
	int			  quiet;
	void			(*warn)(void *ctx, const struct diag *d);
	void			 *warn_ctx;
	/* The warnings said, and the tables built (workers recognise
	 * lines at the same time). */
	pthread_mutex_t		  lock;
	/* The built-in alias table the profiles' tables are built on:
	 * borrowed, and it must outlive every use of the set. */
	const struct fields	 *builtin;
	char			**warned;
	size_t			  nwarned, warned_alloc;
};

/*
 * Loads every profile of SEARCH (the first of a name wins, as for
 * queries) into *SET, checked against BUILTIN (the built-in alias
 * table, borrowed: it must outlive the set's use). Every file is read
 * and checked whole; each profile's alias table is built on its first
 * use. -1 with *err (exit 2, FILE:LINE:COL) on a file that does not
 * load.
 */
int	profile_set_load(struct profile_set *set,
	    const struct query_path *search, const struct fields *builtin,
	    struct diag *err);
/* --profile NAME: -1 with *err (exit 2, did you mean) when unknown.
 * The forced profile's table is built. */
int	profile_set_force(struct profile_set *set, const char *name,
	    struct diag *err);
void	profile_set_release(struct profile_set *set);
/* P of SET with its table built (once, whichever thread comes first);
 * a profile's fields and alias[] are read only after this. */
const struct profile *profile_use(struct profile_set *set,
	    struct profile *p);
/* Every profile's table built: what --fields prints and --state's
 * fingerprint covers. */
void	profile_set_build_all(struct profile_set *set);

/* Whether P's conditions that a line shape does not decide hold on
 * REC's line (P->per_line), or all of them (ALL). */
int	profile_holds(const struct profile *p, const struct record *rec,
	    int all);

/*
 * The profiles whose conditions may hold on lines of REC's shape (all
 * of them checked on REC, values and nested keys by their first
 * segment), in order, up to MAX into OUT, ending at the first that is
 * not per_line (it always holds), their tables built. Returns how many.
 */
size_t	profile_candidates(struct profile_set *set,
	    const struct record *rec, const struct profile **out, size_t max);

/* Says once per field, unless quiet, that FIELD's unit was assumed. */
void	profile_warn_guess(struct profile_set *set,
	    const struct fields_alias *alias, const struct fields_alt *alt);

/* --fields: the profiles and their tables (built); --explain: a
 * summary. */
void	profile_set_print(struct profile_set *set, FILE *fp);
void	profile_set_explain(const struct profile_set *set, FILE *fp);

#endif
