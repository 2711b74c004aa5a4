/* SPDX-License-Identifier: MIT */
/* alias.h - an alias's value on a line: its spellings tried in turn,
 * learnt once per line shape, kept for the rest of the line */
#ifndef LOGQ_ALIAS_H
#define LOGQ_ALIAS_H

#include <stdint.h>

#include "fields.h"
#include "jscan.h"
#include "record.h"
#include "value.h"

struct arena;

/* Direct-mapped by the alias's slot in its table. */
#define ALIAS_SLOTS		32
/* Line shapes kept: sets of ALIAS_SHAPE_WAYS, the least recently
 * found of a set replaced. A log of 14 shapes in 16 direct-mapped
 * entries lost a shape to another every 20 lines, and learnt its
 * aliases again each time. */
#define ALIAS_SHAPES		64
#define ALIAS_SHAPE_WAYS	4
#define ALIAS_SHAPE_MEMBERS	32	/* lines with more have no shape */

struct alias_shape;	/* alias.c */
struct profile;
struct profile_set;

/* Profiles that may hold on a line shape, in order (profile.h). */
#define ALIAS_CANDIDATES	4
struct alias_candidates {
	int			 known;
	uint32_t		 n;
	const struct profile	*p[ALIAS_CANDIDATES];
};

/*
 * What one thread has learnt about aliases: the values resolved on the
 * current line, and what each line shape resolves to. Held by the eval
 * context, one per thread. alias_cache_init() empties it;
 * alias_cache_release() frees what it allocated.
 */
struct alias_cache {
	/* Aliases resolved on the current line: several queries of a
	 * report read `path` or `status` of every line, and resolving an
	 * alias tries its alternatives in turn. Keyed by the alias, so
	 * queries must share alias tables for it to help (plan.c does). */
	struct alias_entry {
		const struct fields_alias *alias;
		uint64_t	 gen;		/* record_generation() */
		struct value	 v;
	}			 entry[ALIAS_SLOTS];
	/* Lines of one shape (the same keys in the same order: a logger
	 * writes each event the same way) resolve each alias to the same
	 * member: learnt once per shape (alias.c), ALIAS_SHAPES of them,
	 * allocated on first use; shape_clock counts the look-ups, the
	 * age of a shape found. shape is the line's, found once a line
	 * (shape_gen); NULL when it has none. What a shape learnt is kept
	 * by alias: a context reads the aliases of one table, which
	 * outlives it. A line with the keys of the last line whose shape
	 * was found (the same scanner's keys_id) has that shape. */
	struct alias_shape	*shapes;
	struct alias_shape	*shape;
	uint64_t		 shape_clock;
	uint64_t		 shape_gen;
	const struct jscan	*shape_scan;
	uint64_t		 shape_keys;
	/* Format profiles (profile.h), or NULL: the built-in aliases
	 * alone. The line's profile is found once a line (prof_gen) from
	 * its shape's candidates; a line without a shape has them by its
	 * keys (the scanner's keys_id, as above) or afresh. */
	struct profile_set	*profiles;
	const struct profile	*prof;
	uint64_t		 prof_gen;
	const struct jscan	*cand_scan;
	uint64_t		 cand_keys;
	struct alias_candidates	 cand;
	/* Guessed units already reported by this thread (a few). */
	const struct fields_alt	*guessed[8];
	uint32_t		 nguessed;
};

void	alias_cache_init(struct alias_cache *c);
/* The profiles lines are recognised by (NULL: none), borrowed. */
void	alias_cache_set_profiles(struct alias_cache *c,
	    struct profile_set *profiles);
/*
 * ALIAS's value on REC's line into *OUT, the line's profile applied,
 * without its cache entry: for an alias of another table than the
 * queries' (run.c's `time` for --since), which would take the entry of
 * theirs of the same slot on every line.
 */
void	alias_get(const struct fields_alias *alias, struct alias_cache *c,
	    const struct record *rec, struct arena *arena, struct value *out);
/* The profile REC's line is read with, or NULL. */
const struct profile *alias_line_profile(struct alias_cache *c,
	    const struct record *rec);
void	alias_cache_release(struct alias_cache *c);

/* A null value to point at: an alias read without a line. */
extern const struct value alias_null_value;

/* alias_ref()'s slow side: resolves ALIAS on REC's line into its entry
 * E, stamped GEN, and returns its value. */
const struct value *alias_fill(const struct fields_alias *alias,
	    struct alias_cache *c, const struct record *rec,
	    struct arena *arena, struct alias_entry *e, uint64_t gen);

/*
 * ALIAS's value on REC's line (null without a line), in C: valid until
 * the next line, or until an alias of the same slot is read.
 * Conversions (fields.h) make their strings in ARENA, the thread's.
 * Read a few dozen times a line by a report: the hit is in line, the
 * rest is alias_fill()'s.
 */
static inline const struct value *
alias_ref(const struct fields_alias *alias, struct alias_cache *c,
    const struct record *rec, struct arena *arena)
{
	uint64_t gen;
	struct alias_entry *e;

	if (rec == NULL)
		return &alias_null_value;
	/* One entry per alias slot, stamped with the line: whoever
	 * changed the record or parsed a new line into it, it follows (a
	 * generation belongs to one record and line). */
	e = &c->entry[alias->slot % ALIAS_SLOTS];
	gen = record_generation(rec);
	if (__builtin_expect(e->alias == alias && e->gen == gen, 1))
		return &e->v;
	return alias_fill(alias, c, rec, arena, e, gen);
}

#endif
