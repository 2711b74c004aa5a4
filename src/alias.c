/* SPDX-License-Identifier: MIT */
/* alias.c - an alias's value on a line: its spellings tried in turn,
 * learnt once per line shape, kept for the rest of the line */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
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

/*
 * A number member in seconds, microseconds or nanoseconds, read as
 * milliseconds from its text with the decimal exponent moved, so that
 * 0.3101 s is the double nearest 310.1 ms (0.3101 * 1000 is
 * 310.09999999999997) and 100000 ns is 0.1. 1 and *OUT set, or 0 for
 * fields_convert() to do it (other text, a string, an exponent).
 */
static int
unit_from_text(const struct jscan_member *m, const struct fields_alt *alt,
    struct value *out)
{
	char buf[64];
	int shift;

	switch (alt->conv) {
	case FIELDS_S:
		shift = 3;
		break;
	case FIELDS_US:
		shift = -3;
		break;
	case FIELDS_NS:
		shift = -6;
		break;
	default:
		return 0;
	}
	if ((m->type != JSCAN_REAL && m->type != JSCAN_INT) ||
	    m->val_len > sizeof(buf) - 8 ||
	    memchr(m->val, 'e', m->val_len) != NULL ||
	    memchr(m->val, 'E', m->val_len) != NULL)
		return 0;
	memcpy(buf, m->val, m->val_len);
	snprintf(buf + m->val_len, sizeof(buf) - m->val_len, "e%d", shift);
	*out = value_real(strtod(buf, NULL));
	return 1;
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
			if (alt->conv > FIELDS_MS && alt->conv <= FIELDS_NS &&
			    unit_from_text(m, alt, out)) {
				if (alt->guess)
					return alt;
				return NULL;
			}
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
enum { SHAPE_NONE = -1, SHAPE_SLOW = -2, SHAPE_DYN = -3 };

struct alias_shape {
	size_t		 n;		/* 0: empty entry */
	uint32_t	 sig;		/* shape_sig() */
	uint64_t	 used;		/* shape_clock when last found */
	uint32_t	 hash[ALIAS_SHAPE_MEMBERS];
	/* The profiles that may hold on its lines, found on the first. */
	struct alias_candidates cand;
	/* By alias slot, as the alias cache. */
	struct alias_shape_alias {
		const struct fields_alias *alias;	/* NULL: not learnt */
		/* The alias read: ALIAS, or the shape's profile's. */
		const struct fields_alias *eff;
		int32_t		 member;	/* or SHAPE_NONE, SHAPE_SLOW,
						 * SHAPE_DYN */
		uint32_t	 alt;		/* the spelling found there */
		/* SHAPE_DYN: the alias read depends on the line (a
		 * profile that tests values) or maps levels; where the
		 * last one read was found. */
		const struct fields_alias *dyn_eff;
		int32_t		 dyn_member;
		uint32_t	 dyn_alt;
	}		 res[ALIAS_SLOTS];
};

/* SH becomes TOP's shape, of signature SIG, with nothing learnt. */
static __attribute__((noinline)) void
shape_take(struct alias_shape *sh, const struct jscan *top, uint32_t sig)
{
	size_t i;

	sh->n = top->n;
	sh->sig = sig;
	for (i = 0; i < sh->n; i++)
		sh->hash[i] = top->m[i].hash;
	sh->cand.known = 0;
	for (i = 0; i < ALIAS_SLOTS; i++)
		sh->res[i].alias = NULL;
}

/* Whether SH is the shape of TOP (N members, signature SIG). */
static inline int
shape_is(const struct alias_shape *sh, const struct jscan *top, size_t n,
    uint32_t sig)
{
	size_t i;

	if (sh->n != n || sh->sig != sig)
		return 0;
	for (i = 0; i < n; i++)
		if (sh->hash[i] != top->m[i].hash)
			return 0;
	return 1;
}

/* The current line's shape: found, or taken over, once a line. */
static inline __attribute__((always_inline)) struct alias_shape *
line_shape(struct alias_cache *c, const struct jscan *top, uint64_t gen)
{
	struct alias_shape *set, *sh;
	size_t i, n = top->n;
	uint32_t sig;

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
	/* Its set by a few of the hashes; all of them must match. */
	sig = (uint32_t)n + top->m[0].hash + top->m[n / 2].hash +
	    top->m[n - 1].hash;
	set = &c->shapes[(sig ^ sig >> 16) %
	    (ALIAS_SHAPES / ALIAS_SHAPE_WAYS) * ALIAS_SHAPE_WAYS];
	sh = set;
	for (i = 0; i < ALIAS_SHAPE_WAYS; i++) {
		if (shape_is(&set[i], top, n, sig)) {
			sh = &set[i];
			break;
		}
		if (set[i].used < sh->used)
			sh = &set[i];
	}
	if (i == ALIAS_SHAPE_WAYS)	/* not kept: the oldest (or empty) */
		shape_take(sh, top, sig);
	sh->used = ++c->shape_clock;
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

/* The candidates of REC's line, whose shape is SH or none. */
static struct alias_candidates *
line_candidates(struct alias_cache *c, const struct record *rec,
    const struct jscan *top, struct alias_shape *sh)
{
	struct alias_candidates *cd = &c->cand;

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
	return cd;
}

/*
 * The profile of REC's line (profile.h): the one --profile forces, or
 * the first of its shape's candidates whose per-line conditions hold.
 * Found once a line.
 */
static __attribute__((noinline)) const struct profile *
line_profile(struct alias_cache *c, const struct record *rec,
    const struct jscan *top, struct alias_shape *sh, uint64_t gen)
{
	struct alias_candidates *cd;
	uint32_t i;

	if (c->prof_gen == gen)
		return c->prof;
	c->prof_gen = gen;
	c->prof = NULL;
	if (c->profiles->forced != NULL)
		return c->prof = c->profiles->forced;
	cd = line_candidates(c, rec, top, sh);
	for (i = 0; i < cd->n; i++)
		if (!cd->p[i]->per_line || profile_holds(cd->p[i], rec, 0))
			return c->prof = cd->p[i];
	return NULL;
}

/* The alias a line read with profile P reads for ALIAS. */
static inline const struct fields_alias *
profile_alias(const struct profile *p, const struct fields_alias *alias)
{
	if (p != NULL && alias->builtin && alias->slot < PROFILE_SLOTS &&
	    p->alias[alias->slot] != NULL)
		return p->alias[alias->slot];
	return alias;
}

/* Where EFF's value is on lines of shape SH: *MEMBER (or SHAPE_NONE,
 * SHAPE_SLOW) and the spelling *ALT found there. */
static void
shape_place(const struct alias_shape *sh, const struct fields_alias *eff,
    int32_t *member, uint32_t *alt_out)
{
	size_t i, j = 0;

	*member = SHAPE_NONE;
	for (i = 0; i < eff->nalts; i++) {
		const struct fields_alt *alt = &eff->alts[i];

		if (alt->plain) {
			if (!shape_has(sh, alt->key_hash, &j))
				continue;
			*member = (int32_t)j;
			*alt_out = (uint32_t)i;
			return;
		}
		/* a.b: read as member a's b, or as the key "a.b"
		 * (record_get on a scanned line). */
		if (alt->path.n > 1 &&
		    !shape_has(sh, alt->path.seg_hash[0], &j) &&
		    !shape_has(sh, alt->path.flat_hash, &j))
			continue;
		*member = SHAPE_SLOW;
		return;
	}
}

/*
 * What ALIAS resolves to on lines of shape SH (REC's line is one), into
 * *R: which alias is read (a profile's, when the shape's profile does
 * not depend on the line) and where. A profile that depends on values
 * or nested keys, or a level vocabulary, makes it SHAPE_DYN: the line's
 * profile's alias is found on each line (dyn_resolve).
 */
static __attribute__((noinline)) void
shape_learn(struct alias_cache *c, struct alias_shape *sh,
    const struct fields_alias *alias, const struct record *rec,
    const struct jscan *top, struct alias_shape_alias *r)
{
	const struct fields_alias *eff = alias;
	struct alias_candidates *cd;

	r->alias = alias;
	r->eff = alias;
	r->dyn_eff = NULL;
	if (c->profiles != NULL && alias->builtin) {
		if (c->profiles->forced != NULL)
			eff = profile_alias(c->profiles->forced, alias);
		else {
			/* Candidates end at the first that holds on
			 * every line of the shape. */
			cd = line_candidates(c, rec, top, sh);
			if (cd->n > 0 && cd->p[0]->per_line) {
				r->member = SHAPE_DYN;
				return;
			}
			if (cd->n > 0)
				eff = profile_alias(cd->p[0], alias);
		}
		if (eff->vocab != NULL) {
			r->member = SHAPE_DYN;
			return;
		}
	}
	r->eff = eff;
	shape_place(sh, eff, &r->member, &r->alt);
}

/* A unit assumed (`duration:s?`): said once per field (profile.c), and
 * asked there once per thread. */
static __attribute__((noinline)) void
note_guess(struct alias_cache *c, const struct fields_alias *alias,
    const struct fields_alt *alt)
{
	uint32_t i;

	if (c->profiles == NULL)
		return;
	for (i = 0; i < c->nguessed; i++)
		if (c->guessed[i] == alt)
			return;
	if (c->nguessed < sizeof(c->guessed) / sizeof(c->guessed[0]))
		c->guessed[c->nguessed++] = alt;
	profile_warn_guess(c->profiles, alias, alt);
}

/* Member M read with a conversion (ALT of ALIAS) into *OUT: a level
 * name of most lines, kept in line. */
static inline __attribute__((always_inline)) void
member_convert(struct alias_cache *c, const struct fields_alias *alias,
    const struct fields_alt *alt, const struct jscan_member *m,
    const struct record *rec, struct arena *arena, struct value *out)
{
	if (__builtin_expect(alt->conv > FIELDS_MS && alt->conv <= FIELDS_NS,
	    0) && unit_from_text(m, alt, out)) {
		if (alt->guess)
			note_guess(c, alias, alt);
		return;
	}
	record_member_into((struct record *)rec, m, out);
	if (__builtin_expect(alt->guess, 0) && guessed_number(out))
		note_guess(c, alias, alt);
	alt_convert(alias, alt, arena, out);
}

/*
 * SHAPE_DYN: the alias the line's profile reads, found where the last
 * line of the shape read with it had it; its level names and default.
 * 1, or 0 when the shape does not decide.
 */
static __attribute__((noinline)) int
dyn_resolve(struct alias_cache *c, struct alias_shape *sh,
    struct alias_shape_alias *r, const struct fields_alias *alias,
    const struct record *rec, struct arena *arena, const struct jscan *top,
    uint64_t gen, struct value *out)
{
	const struct fields_alias *eff = profile_alias(line_profile(c, rec,
	    top, sh, gen), alias);
	const struct jscan_member *m;
	const struct fields_alt *alt;

	if (r->dyn_eff != eff) {
		r->dyn_eff = eff;
		shape_place(sh, eff, &r->dyn_member, &r->dyn_alt);
	}
	if (r->dyn_member == SHAPE_NONE) {
		out->kind = VALUE_NULL;
		if (eff->vocab != NULL && eff->vocab->dflt != NULL)
			*out = value_str(eff->vocab->dflt,
			    strlen(eff->vocab->dflt));
		return 1;
	}
	if (r->dyn_member < 0)
		return 0;
	m = &top->m[r->dyn_member];
	alt = &eff->alts[r->dyn_alt];
	if (m->type == JSCAN_NULL || m->key_len != alt->key_len ||
	    !bytes_equal(m->key, alt->key, alt->key_len))
		return 0;
	member_convert(c, eff, alt, m, rec, arena, out);
	return 1;
}

/* ALIAS on this line by its shape into *OUT: 1, or 0 when the shape
 * does not decide. */
static inline int
shape_resolve(struct alias_cache *c, struct alias_shape *sh,
    const struct fields_alias *alias, const struct record *rec,
    struct arena *arena, const struct jscan *top, uint64_t gen,
    struct value *out)
{
	struct alias_shape_alias *r = &sh->res[alias->slot % ALIAS_SLOTS];
	const struct jscan_member *m;
	const struct fields_alt *alt;

	if (r->alias != alias)
		shape_learn(c, sh, alias, rec, top, r);
	if (r->member == SHAPE_NONE) {
		out->kind = VALUE_NULL;
		return 1;
	}
	if (r->member < 0)
		return r->member == SHAPE_DYN && dyn_resolve(c, sh, r, alias,
		    rec, arena, top, gen, out);
	m = &top->m[r->member];
	alt = &r->eff->alts[r->alt];
	if (m->type == JSCAN_NULL || m->key_len != alt->key_len ||
	    !bytes_equal(m->key, alt->key, alt->key_len))
		return 0;
	if (__builtin_expect(alt->conv == FIELDS_AS_IS, 1))
		record_member_into((struct record *)rec, m, out);
	else
		member_convert(c, r->eff, alt, m, rec, arena, out);
	return 1;
}

const struct profile *
alias_line_profile(struct alias_cache *c, const struct record *rec)
{
	struct jscan *top = record_scanned(rec);
	uint64_t gen = record_generation(rec);
	struct alias_shape *sh = top != NULL ? line_shape(c, top, gen) : NULL;

	return c->profiles == NULL ? NULL : line_profile(c, rec, top, sh, gen);
}

/* The line's profile, then every spelling in turn: lines without a
 * shape, and shapes that do not decide. */
static __attribute__((noinline)) void
alias_fill_slow(const struct fields_alias *alias, struct alias_cache *c,
    const struct record *rec, struct arena *arena, const struct jscan *top,
    struct alias_shape *sh, uint64_t gen, struct value *out)
{
	const struct fields_alias *eff = alias;
	const struct fields_alt *used;

	if (c->profiles != NULL && alias->builtin)
		eff = profile_alias(line_profile(c, rec, top, sh, gen), alias);
	used = resolve_alias(eff, rec, arena, out);
	if (eff->vocab != NULL && out->kind == VALUE_NULL &&
	    eff->vocab->dflt != NULL)
		*out = value_str(eff->vocab->dflt, strlen(eff->vocab->dflt));
	if (used != NULL && used->guess)
		note_guess(c, eff, used);
}

void
alias_get(const struct fields_alias *alias, struct alias_cache *c,
    const struct record *rec, struct arena *arena, struct value *out)
{
	struct jscan *top = record_scanned(rec);
	uint64_t gen = record_generation(rec);
	struct alias_shape *sh = top != NULL ? line_shape(c, top, gen) : NULL;

	alias_fill_slow(alias, c, rec, arena, top, sh, gen, out);
}

const struct value *
alias_fill(const struct fields_alias *alias, struct alias_cache *c,
    const struct record *rec, struct arena *arena, struct alias_entry *e,
    uint64_t gen)
{
	struct jscan *top = record_scanned(rec);
	struct alias_shape *sh = top != NULL ? line_shape(c, top, gen) : NULL;

	if (sh == NULL || !shape_resolve(c, sh, alias, rec, arena, top, gen,
	    &e->v))
		alias_fill_slow(alias, c, rec, arena, top, sh, gen, &e->v);
	e->alias = alias;
	e->gen = gen;
	return &e->v;
}
