/* SPDX-License-Identifier: MIT */
/* alias.c - an alias's value on a line: its spellings tried in turn,
 * learnt once per line shape, kept for the rest of the line */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alias.h"
#include "fields.h"
#include "jscan.h"
#include "profile.h"
#include "record.h"
#include "util.h"

void
alias_cache_init(struct alias_cache *c)
{
	memset(c, 0, sizeof(*c));
}

void
alias_cache_set_profiles(struct alias_cache *c, struct profile_set *profiles)
{
	c->profiles = profiles;
	c->prof_gen = 0;
	c->prof = NULL;
}

void
alias_cache_release(struct alias_cache *c)
{
	free(c->shapes);
	memset(c, 0, sizeof(*c));
}

/* Spelling ALT's conversion of the value *OUT read there. */
static inline void
alt_convert(const struct fields_alias *alias, const struct fields_alt *alt,
    struct arena *arena, struct value *out)
{
	/* A profile's level names are of the raw value ("ERROR+4"). */
	if (__builtin_expect(alias->vocab != NULL, 0) &&
	    fields_vocab_map(alias->vocab, out))
		return;
	/* A pino level that is already a name stays as it is, unless
	 * it is slog's "ERROR+4" (a digit last). */
	if (alt->conv != FIELDS_AS_IS && !(alt->conv == FIELDS_PINO &&
	    out->kind == VALUE_STRING && (out->u.s.len == 0 ||
	    out->u.s.ptr[out->u.s.len - 1] > '9' ||
	    out->u.s.ptr[out->u.s.len - 1] < '0')))
		*out = fields_convert(alt->conv, *out, arena);
}

/* A value read with an assumed unit is a guess when it is a number: a
 * duration text ("1.5s") says its unit. */
static int
guessed_number(const struct value *v)
{
	double d;

	return value_parse_number(v, &d);
}

/*
 * Resolves ALIAS on the line into *OUT. Returns the spelling found (NULL
 * for none, or for an assumed unit the value does not need). Written member by member, not
 * as a struct returned and copied: a copy read just after its fields
 * were stored (a 16-byte load of 4- and 8-byte stores) is not forwarded
 * from the store buffer and stalls, and aliases are read a few times a
 * line.
 */
static __attribute__((noinline)) const struct fields_alt *
resolve_alias(const struct fields_alias *alias, const struct record *rec,
    struct arena *arena, struct value *out)
{
	const struct fields_alt *alt;
	size_t i;
	struct jscan *top = record_scanned(rec);
	const struct jscan_member *m;

	for (i = 0; i < alias->nalts; i++) {
		alt = &alias->alts[i];
		/* A plain top-level key of a scanned line (most alias
		 * spellings on most lines): straight to the member. */
		if (top != NULL && alt->plain) {
			m = jscan_find(top, alt->key, alt->key_len,
			    alt->key_hash);
			if (m == NULL || m->type == JSCAN_NULL)
				continue;
			record_member_into((struct record *)rec, m, out);
		/* An explicit null does not count as present: the next
		 * spelling may carry the value. */
		} else if (!record_get(rec, &alt->path, out) ||
		    out->kind == VALUE_NULL)
			continue;
		if (alt->guess && !guessed_number(out))
			alt = NULL;
		alt_convert(alias, &alias->alts[i], arena, out);
		return alt;
	}
	out->kind = VALUE_NULL;
	return NULL;
}

const struct value alias_null_value = { .kind = VALUE_NULL };

/*
 * Aliases by line shape. A log's lines come from a few statements, each
 * writing the same keys in the same order, so on every line of a shape
 * an alias resolves to the same member, and trying its spellings one by
 * one (a search of the line's members each) is done once per shape. A
 * shape is the sequence of its members' key hashes; equal keys hash
 * equal, so what a shape says holds on all its lines:
 * - a spelling whose hash no member has is not there;
 * - of the members with a spelling's hash, the last is the one that
 *   counts (jansson keeps the last of a repeated key) if its key is the
 *   spelling - checked on each line, one comparison - and its value is
 *   not null; a line where either fails resolves afresh;
 * - a nested spelling (a.b) is not there if neither a nor "a.b" is.
 * A special field, or a nested spelling that may be there, leaves the
 * alias to resolve_alias() on every line of the shape, as are all lines
 * without a shape (parsed by jansson, or of more than ALIAS_SHAPE_MEMBERS
 * members).
 */
enum { SHAPE_NONE = -1, SHAPE_SLOW = -2 };

struct alias_shape {
	size_t		 n;		/* 0: empty entry */
	uint32_t	 hash[ALIAS_SHAPE_MEMBERS];
	/* The profiles that may hold on its lines, found on the first. */
	struct alias_candidates cand;
	/* By alias slot, as the alias cache. */
	struct alias_shape_alias {
		const struct fields_alias *alias;	/* NULL: not learnt */
		int32_t		 member;	/* or SHAPE_NONE, SHAPE_SLOW */
		uint32_t	 alt;		/* the spelling found there */
	}		 res[ALIAS_SLOTS];
};

/* SH becomes TOP's shape, with nothing learnt. */
static __attribute__((noinline)) void
shape_take(struct alias_shape *sh, const struct jscan *top)
{
	size_t i;

	sh->n = top->n;
	for (i = 0; i < sh->n; i++)
		sh->hash[i] = top->m[i].hash;
	sh->cand.known = 0;
	for (i = 0; i < ALIAS_SLOTS; i++)
		sh->res[i].alias = NULL;
}

/* The current line's shape: found, or taken over, once a line. */
static struct alias_shape *
line_shape(struct alias_cache *c, const struct jscan *top, uint64_t gen)
{
	struct alias_shape *sh;
	size_t i, n = top->n;

	if (c->shape_gen == gen)
		return c->shape;
	c->shape_gen = gen;
	if (c->shape_scan == top && c->shape_keys == top->keys_id)
		return c->shape;
	c->shape_scan = top;
	c->shape_keys = top->keys_id;
	c->shape = NULL;
	if (n == 0 || n > ALIAS_SHAPE_MEMBERS)
		return NULL;
	if (c->shapes == NULL)
		c->shapes = xcalloc(ALIAS_SHAPES, sizeof(*c->shapes));
	/* Its entry by a few of the hashes; all of them must match. */
	sh = &c->shapes[(n + top->m[0].hash + top->m[n / 2].hash +
	    top->m[n - 1].hash) % ALIAS_SHAPES];
	for (i = 0; sh->n == n && i < n && sh->hash[i] == top->m[i].hash; i++)
		;
	if (sh->n != n || i < n)
		shape_take(sh, top);
	c->shape = sh;
	return sh;
}

/* Whether a member of the shape has HASH; *LAST: the last that has. */
static int
shape_has(const struct alias_shape *sh, uint32_t hash, size_t *last)
{
	size_t i = sh->n;

	while (i-- > 0)
		if (sh->hash[i] == hash) {
			*last = i;
			return 1;
		}
	return 0;
}

/* What ALIAS resolves to on lines of shape SH, into *R. */
static __attribute__((noinline)) void
shape_learn(const struct alias_shape *sh, const struct fields_alias *alias,
    struct alias_shape_alias *r)
{
	size_t i, j = 0;

	r->alias = alias;
	r->member = SHAPE_NONE;
	for (i = 0; i < alias->nalts; i++) {
		const struct fields_alt *alt = &alias->alts[i];

		if (alt->plain) {
			if (!shape_has(sh, alt->key_hash, &j))
				continue;
			r->member = (int32_t)j;
			r->alt = (uint32_t)i;
			return;
		}
		/* a.b: read as member a's b, or as the key "a.b"
		 * (record_get on a scanned line). */
		if (alt->path.n > 1 &&
		    !shape_has(sh, alt->path.seg_hash[0], &j) &&
		    !shape_has(sh, alt->path.flat_hash, &j))
			continue;
		r->member = SHAPE_SLOW;
		return;
	}
}

/* ALIAS on this line by its shape into *OUT: 1, or 0 when the shape
 * does not decide. */
static int
shape_resolve(struct alias_shape *sh, unsigned slot,
    const struct fields_alias *alias, const struct record *rec,
    struct arena *arena, const struct jscan *top, struct value *out,
    const struct fields_alt **used)
{
	struct alias_shape_alias *r = &sh->res[slot % ALIAS_SLOTS];
	const struct jscan_member *m;
	const struct fields_alt *alt;

	if (r->alias != alias)
		shape_learn(sh, alias, r);
	if (r->member == SHAPE_NONE) {
		out->kind = VALUE_NULL;
		return 1;
	}
	if (r->member < 0)
		return 0;
	m = &top->m[r->member];
	alt = &alias->alts[r->alt];
	if (m->type == JSCAN_NULL || m->key_len != alt->key_len ||
	    !bytes_equal(m->key, alt->key, alt->key_len))
		return 0;
	record_member_into((struct record *)rec, m, out);
	if (!alt->guess || guessed_number(out))
		*used = alt;
	alt_convert(alias, alt, arena, out);
	return 1;
}

/*
 * The profile of REC's line (profile.h): the first of its shape's
 * candidates whose per-line conditions hold. The candidates are found
 * once a shape (SH), once a run of lines with the same keys without
 * one, or afresh on a line that was not scanned.
 */
static const struct profile *
line_profile(struct alias_cache *c, const struct record *rec,
    const struct jscan *top, struct alias_shape *sh, uint64_t gen)
{
	struct alias_candidates *cd = &c->cand;
	uint32_t i;

	if (c->prof_gen == gen)
		return c->prof;
	c->prof_gen = gen;
	c->prof = NULL;
	if (c->profiles->forced != NULL)
		return c->prof = c->profiles->forced;
	if (sh != NULL)
		cd = &sh->cand;
	else if (top == NULL || c->cand_scan != top ||
	    c->cand_keys != top->keys_id) {
		cd->known = 0;
		c->cand_scan = top;
		c->cand_keys = top != NULL ? top->keys_id : 0;
	}
	if (!cd->known) {
		cd->n = (uint32_t)profile_candidates(c->profiles, rec, cd->p,
		    ALIAS_CANDIDATES);
		cd->known = top != NULL;
	}
	for (i = 0; i < cd->n; i++)
		if (!cd->p[i]->per_line || profile_holds(cd->p[i], rec, 0))
			return c->prof = cd->p[i];
	return NULL;
}

const struct profile *
alias_line_profile(struct alias_cache *c, const struct record *rec)
{
	struct jscan *top = record_scanned(rec);
	uint64_t gen = record_generation(rec);
	struct alias_shape *sh = top != NULL ? line_shape(c, top, gen) : NULL;

	return c->profiles == NULL ? NULL : line_profile(c, rec, top, sh, gen);
}

/* A unit assumed (`duration:s?`): said once per field (profile.c), and
 * asked there once per thread. */
static __attribute__((noinline)) void
note_guess(struct alias_cache *c, const struct fields_alias *alias,
    const struct fields_alt *alt)
{
	uint32_t i;

	for (i = 0; i < c->nguessed; i++)
		if (c->guessed[i] == alt)
			return;
	if (c->nguessed < sizeof(c->guessed) / sizeof(c->guessed[0]))
		c->guessed[c->nguessed++] = alt;
	profile_warn_guess(c->profiles, alias, alt);
}

const struct value *
alias_fill(const struct fields_alias *alias, struct alias_cache *c,
    const struct record *rec, struct arena *arena, struct alias_entry *e,
    uint64_t gen)
{
	struct jscan *top = record_scanned(rec);
	struct alias_shape *sh = top != NULL ? line_shape(c, top, gen) : NULL;
	const struct fields_alias *eff = alias;
	const struct fields_alt *used = NULL;
	const struct profile *p;

	/* A profile replaces the built-in spellings it names. */
	if (c->profiles != NULL && alias->builtin &&
	    alias->slot < PROFILE_SLOTS &&
	    (p = line_profile(c, rec, top, sh, gen)) != NULL &&
	    p->alias[alias->slot] != NULL)
		eff = p->alias[alias->slot];
	if (sh == NULL || !shape_resolve(sh, alias->slot, eff, rec, arena,
	    top, &e->v, &used))
		used = resolve_alias(eff, rec, arena, &e->v);
	if (eff->vocab != NULL && e->v.kind == VALUE_NULL &&
	    eff->vocab->dflt != NULL)
		e->v = value_str(eff->vocab->dflt, strlen(eff->vocab->dflt));
	if (used != NULL && used->guess && c->profiles != NULL)
		note_guess(c, eff, used);
	e->alias = alias;
	e->gen = gen;
	return &e->v;
}
