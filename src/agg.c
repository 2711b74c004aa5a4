/* agg.c - groups, aggregate states, merge (SPEC 3.3, 4.1, 4.3) */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "sketch.h"
#include "util.h"

/* A set of byte strings: the groups of a table, distinct()'s values. */
struct bset {
	struct bentry {
		uint64_t	 hash;
		char		*key;		/* NULL: empty slot */
		size_t		 len;
		size_t		 index;		/* caller's payload */
	}		*e;
	size_t		 n, cap;
};

static void
bset_grow(struct bset *s)
{
	struct bentry *old = s->e;
	size_t oldcap = s->cap, i;

	s->cap = s->cap ? s->cap * 2 : 16;
	s->e = xcalloc(s->cap, sizeof(*s->e));
	for (i = 0; i < oldcap; i++) {
		size_t j;

		if (old[i].key == NULL)
			continue;
		for (j = old[i].hash & (s->cap - 1); s->e[j].key != NULL;
		    j = (j + 1) & (s->cap - 1))
			;
		s->e[j] = old[i];
	}
	free(old);
}

/*
 * Finds KEY; when absent adds a copy with payload *INDEX. Returns 1 if
 * it was added, 0 if found (then *INDEX is the stored payload).
 */
static int
bset_add(struct bset *s, const char *key, size_t len, size_t *index)
{
	uint64_t h = hash_bytes(key, len);
	size_t j;

	if ((s->n + 1) * 4 > s->cap * 3)
		bset_grow(s);
	for (j = h & (s->cap - 1); s->e[j].key != NULL;
	    j = (j + 1) & (s->cap - 1))
		if (s->e[j].hash == h && s->e[j].len == len &&
		    memcmp(s->e[j].key, key, len) == 0) {
			*index = s->e[j].index;
			return 0;
		}
	s->e[j].hash = h;
	s->e[j].key = xmalloc(len ? len : 1);
	memcpy(s->e[j].key, key, len);
	s->e[j].len = len;
	s->e[j].index = *index;
	s->n++;
	return 1;
}

static void
bset_release(struct bset *s)
{
	size_t i;

	for (i = 0; i < s->cap; i++)
		free(s->e[i].key);
	free(s->e);
	memset(s, 0, sizeof(*s));
}

/*
 * Encodes V so that equal values (by group semantics) have equal bytes:
 * a kind tag, then the payload. Integral reals encode as integers, so
 * 200 and 200.0 are one group; "200" (a string) is another.
 */
static void
encode_value(struct buf *b, const struct value *v)
{
	int64_t i;
	double d;
	size_t k;

	switch (v->kind) {
	case VALUE_NULL:
		buf_addc(b, 'n');
		break;
	case VALUE_BOOL:
		buf_addc(b, v->u.b ? 't' : 'f');
		break;
	case VALUE_INT:
		i = v->u.i;
		goto integer;
	case VALUE_REAL:
		d = v->u.r;
		if (d == floor(d) && fabs(d) < 9e18) {
			i = (int64_t)d;
			goto integer;
		}
		buf_addc(b, 'r');
		buf_add(b, &d, sizeof(d));
		break;
	integer:
		buf_addc(b, 'i');
		buf_add(b, &i, sizeof(i));
		break;
	case VALUE_STRING:
		k = v->u.s.len;
		buf_addc(b, 's');
		buf_add(b, &k, sizeof(k));
		buf_add(b, v->u.s.ptr, k);
		break;
	case VALUE_JSON:
	case VALUE_LIST:
		/* Rare as a key: compact JSON text is canonical enough
		 * (jansson keeps key order as read). */
		buf_addc(b, 'j');
		k = b->len;
		buf_add(b, &k, sizeof(k));	/* patched below */
		value_write_json(b, v);
		{
			size_t len = b->len - k - sizeof(k);

			memcpy(b->ptr + k, &len, sizeof(len));
		}
		break;
	}
}

/* Percentile values of one argument expression, shared by every
 * percentile slot over that expression: 8 bytes per kept value, or a
 * sketch of bounded size once the table is approximate. */
#define PVEC_FIXED	8

struct pvec {
	double		*v;
	size_t		 n, alloc;
	struct sketch	*sk;		/* non-NULL: approximate */
	struct pvec_ranks *ranks;	/* made by pvec_percentile() */
};

/* Ranks of a vector already selected (ascending), while its n is
 * fixed_n: each is in its sorted place with nothing larger before it
 * and nothing smaller after it, so the next percentile of the vector
 * (p95 after p50) selects between two of them only. */
struct pvec_ranks {
	size_t		 fixed[PVEC_FIXED];
	size_t		 nfixed, fixed_n;
};

/* A slot's state beside its count (struct group's n): what sum, avg,
 * min, max, first, last, *_by and distinct keep. */
struct slot_state {
	int64_t		 isum;		/* sum while all values are ints */
	double		 sum;
	int		 all_int;	/* no real and no overflow yet */
	struct value	 best;		/* min, max; x of min_by/max_by; */
					/* first, last (owned copy) */
	char		*own;		/* best's string bytes, reused */
	size_t		 own_cap;
	struct value	 best_key;	/* min/max, or y of *_by: a number */
	uint64_t	 best_seq;
	struct bset	*distinct;	/* distinct() */
};

#define GROUP_INLINE	28

/*
 * A group's record, a whole number of cache lines (the table's stride):
 * what a look-up reads, then the group's state. Its first line holds
 * the look-up's fields and the first counts, so that a line counted
 * by a query such as tenant-volume's (count, count_if) reads one cache
 * line of its group only.
 */
struct group {
	uint64_t	 hash;		/* of the keys */
	struct value	*keys;		/* nkeys, owned (t->arena) */
	/* A string first key of up to GROUP_INLINE bytes, again, here: a
	 * look-up compares it without reading the arena. */
	uint32_t	 inline_len;	/* UINT32_MAX: not inline */
	char		 inline_key[GROUP_INLINE];
	/* Per slot, the values seen (count: lines); then the percentile
	 * vectors (group_pvecs), then the slot states the other
	 * aggregates keep (group_slots). */
	int64_t		 n[];
};

_Static_assert(sizeof(struct group) <= 48, "two counts share the "
    "look-up's cache line");

struct agg_table {
	const struct plan_query *pq;
	struct arena	*arena;		/* keys and kept strings */
	/* Hash table: group index + 1 in the low 32 bits, the high 32
	 * bits of the group's hash above, so that a probe reads the group
	 * (three loads away: group, keys, key bytes) only on a likely
	 * match. */
	uint64_t	*gslot;
	size_t		 gcap;
	size_t		 max_groups;	/* 0: no cap */
	size_t		 max_values;	/* 0: no cap */
	size_t		 nvalues;	/* kept exactly, all groups */
	int		 approx;
	char		*groups;	/* records, stride bytes apart */
	size_t		 ngroups, alloc, stride;
	size_t		*pvec_of;	/* slot -> pvec index, or SIZE_MAX */
	/* slot -> index in a group's slot states, or SIZE_MAX: count,
	 * count_if and percentiles keep nothing there, so the groups of
	 * a report's counting queries stay small. */
	size_t		*state_of;
	size_t		 nstates;
	char		*feeds_pvec;	/* slot is its pvec's first user */
	size_t		 npvecs;
	/* What a line feeds, sorted by kind at creation: the count()
	 * slots, the count_if() slots, then the slots that read a value
	 * (percentiles once per vector). */
	size_t		*feed;
	size_t		 ncount, ncond, nfeed;
	struct buf	 keybuf;
	struct value	*keyvals;	/* scratch: nkeys */
	/* a sorted listing */
	struct value	*rows;		/* nrows * ncolumns */
	uint64_t	*row_seq;
	size_t		 nrows, rows_alloc;
};

static struct group *group_find(struct agg_table *t, const struct value *keys);

static inline struct group *
group_at(const struct agg_table *t, size_t i)
{
	return (struct group *)(void *)(t->groups + i * t->stride);
}

static inline struct pvec *
group_pvecs(const struct agg_table *t, const struct group *g)
{
	return (struct pvec *)(void *)(g->n + t->pq->nslots + 1);
}

static inline struct slot_state *
group_slots(const struct agg_table *t, const struct group *g)
{
	return (struct slot_state *)(void *)(group_pvecs(t, g) + t->npvecs +
	    1);
}

/* Slot I's state in G, or NULL for count, count_if and percentiles. */
static inline struct slot_state *
slot_of(const struct agg_table *t, struct group *g, size_t i)
{
	return t->state_of[i] == SIZE_MAX ? NULL :
	    &group_slots(t, g)[t->state_of[i]];
}

struct agg_table *
agg_table_new(const struct plan_query *pq, const struct agg_options *o)
{
	struct agg_table *t = xcalloc(1, sizeof(*t));
	size_t i, j;

	t->pq = pq;
	t->max_groups = o->max_groups;
	t->max_values = o->max_values;
	t->approx = o->approx;
	t->arena = arena_new();
	t->keyvals = xcalloc(pq->nkeys + 1, sizeof(*t->keyvals));
	t->pvec_of = xcalloc(pq->nslots + 1, sizeof(*t->pvec_of));
	t->feeds_pvec = xcalloc(pq->nslots + 1, 1);
	t->state_of = xcalloc(pq->nslots + 1, sizeof(*t->state_of));
	for (i = 0; i < pq->nslots; i++) {
		enum expr_agg_fn fn = pq->slots[i]->u.agg.fn;

		t->state_of[i] = fn == AGG_COUNT || fn == AGG_COUNT_IF ||
		    fn == AGG_PERCENTILE ? SIZE_MAX : t->nstates++;
	}
	for (i = 0; i < pq->nslots; i++) {
		const struct expr *s = pq->slots[i];

		t->pvec_of[i] = SIZE_MAX;
		if (s->u.agg.fn != AGG_PERCENTILE)
			continue;
		for (j = 0; j < i; j++)
			if (t->pvec_of[j] != SIZE_MAX &&
			    expr_equal(pq->slots[j]->u.agg.arg, s->u.agg.arg))
				break;
		if (j < i)
			t->pvec_of[i] = t->pvec_of[j];
		else {
			t->pvec_of[i] = t->npvecs++;
			t->feeds_pvec[i] = 1;
		}
	}
	t->feed = xcalloc(pq->nslots + 1, sizeof(*t->feed));
	for (i = 0; i < pq->nslots; i++)
		if (pq->slots[i]->u.agg.fn == AGG_COUNT)
			t->feed[t->nfeed++] = i;
	t->ncount = t->nfeed;
	for (i = 0; i < pq->nslots; i++)
		if (pq->slots[i]->u.agg.fn == AGG_COUNT_IF)
			t->feed[t->nfeed++] = i;
	t->ncond = t->nfeed - t->ncount;
	for (i = 0; i < pq->nslots; i++) {
		enum expr_agg_fn fn = pq->slots[i]->u.agg.fn;

		/* p50, p95 and p99 of one expression: the first feeds
		 * them all. */
		if (fn != AGG_COUNT && fn != AGG_COUNT_IF &&
		    (fn != AGG_PERCENTILE || t->feeds_pvec[i]))
			t->feed[t->nfeed++] = i;
	}
	t->stride = sizeof(struct group) + (pq->nslots + 1) *
	    sizeof(int64_t) + (t->npvecs + 1) * sizeof(struct pvec) +
	    (t->nstates + 1) * sizeof(struct slot_state);
	t->stride = (t->stride + 63) / 64 * 64;
	/* SPEC 3.3: without group_by, exactly one row, even on empty
	 * input (its one group exists from the start). */
	if (pq->is_agg && pq->nkeys == 0)
		group_find(t, t->keyvals);
	return t;
}

static struct group *
group_add(struct agg_table *t, const struct value *keys)
{
	const struct plan_query *pq = t->pq;
	struct group *g;
	size_t i;

	if (t->ngroups + 1 > t->alloc) {
		/* Cache-line aligned: a record is whole lines. */
		size_t alloc = t->alloc ? t->alloc * 2 : 16;
		char *groups = xmalloc_aligned(64, alloc * t->stride);

		if (t->ngroups > 0)
			memcpy(groups, t->groups, t->ngroups * t->stride);
		free(t->groups);
		t->groups = groups;
		t->alloc = alloc;
	}
	g = group_at(t, t->ngroups++);
	memset(g, 0, t->stride);
	g->keys = arena_alloc(t->arena, (pq->nkeys + 1) * sizeof(*g->keys));
	for (i = 0; i < pq->nkeys; i++)
		g->keys[i] = value_dup(t->arena, &keys[i]);
	g->inline_len = UINT32_MAX;
	if (pq->nkeys > 0 && g->keys[0].kind == VALUE_STRING &&
	    g->keys[0].u.s.len <= GROUP_INLINE) {
		g->inline_len = (uint32_t)g->keys[0].u.s.len;
		if (g->inline_len > 0)
			memcpy(g->inline_key, g->keys[0].u.s.ptr,
			    g->inline_len);
	}
	for (i = 0; i < t->nstates; i++)
		group_slots(t, g)[i].all_int = 1;
	return g;
}

/* 64-bit mix (splitmix64's finaliser). */
static uint64_t
mix64(uint64_t h)
{
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 31;
	return h;
}

/* A number as a group key: integral values are integers, so that 200
 * and 200.0 fall in one group, as encode_value() has it. */
static int
key_int(const struct value *v, int64_t *out)
{
	if (v->kind == VALUE_INT) {
		*out = v->u.i;
		return 1;
	}
	if (v->kind == VALUE_REAL && v->u.r == floor(v->u.r) &&
	    fabs(v->u.r) < 9e18) {
		*out = (int64_t)v->u.r;
		return 1;
	}
	return 0;
}

/* The hash of a key tuple, without encoding it into bytes (groups are
 * looked up once per line and query). */
static uint64_t
hash_keys(struct agg_table *t, const struct value *keys, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL;
	size_t i;
	int64_t k;

	/* One string key (tenant, route): its bytes' hash, mixed enough
	 * (hash_bytes ends with a mix). */
	if (n == 1 && keys[0].kind == VALUE_STRING)
		return hash_bytes(keys[0].u.s.ptr, keys[0].u.s.len);

	for (i = 0; i < n; i++) {
		const struct value *v = &keys[i];

		switch (v->kind) {
		case VALUE_STRING:
			h = mix64(h ^ hash_bytes(v->u.s.ptr, v->u.s.len));
			break;
		case VALUE_INT:
		case VALUE_REAL:
			if (key_int(v, &k))
				h = mix64(h ^ (uint64_t)k ^ 0x1234);
			else {
				double d = v->u.r;
				uint64_t bits;

				memcpy(&bits, &d, sizeof(bits));
				h = mix64(h ^ bits ^ 0x5678);
			}
			break;
		case VALUE_NULL:
			h = mix64(h ^ 0x6e);
			break;
		case VALUE_BOOL:
			h = mix64(h ^ (v->u.b ? 0x74 : 0x66));
			break;
		default:
			buf_reset(&t->keybuf);
			encode_value(&t->keybuf, v);
			h = mix64(h ^ hash_bytes(t->keybuf.ptr, t->keybuf.len));
			break;
		}
	}
	return h;
}

/* Equality of group keys: the same as equal encodings. */
static int
key_equal(const struct value *a, const struct value *b)
{
	int64_t x, y;
	int ai, bi;

	switch (a->kind) {
	case VALUE_STRING:
		return b->kind == VALUE_STRING && a->u.s.len == b->u.s.len &&
		    bytes_equal(a->u.s.ptr, b->u.s.ptr, a->u.s.len);
	case VALUE_INT:
	case VALUE_REAL:
		if (b->kind != VALUE_INT && b->kind != VALUE_REAL)
			return 0;
		ai = key_int(a, &x);
		bi = key_int(b, &y);
		if (ai != bi)
			return 0;
		if (ai)
			return x == y;
		return memcmp(&a->u.r, &b->u.r, sizeof(double)) == 0;
	case VALUE_NULL:
		return b->kind == VALUE_NULL;
	case VALUE_BOOL:
		return b->kind == VALUE_BOOL && a->u.b == b->u.b;
	default: {
		struct buf x1 = BUF_INIT, y1 = BUF_INIT;
		int same;

		if (b->kind != VALUE_JSON && b->kind != VALUE_LIST)
			return 0;
		encode_value(&x1, a);
		encode_value(&y1, b);
		same = x1.len == y1.len && memcmp(x1.ptr, y1.ptr, x1.len) == 0;
		buf_release(&x1);
		buf_release(&y1);
		return same;
	}
	}
}

static inline uint64_t
gslot_entry(uint64_t hash, size_t index)
{
	return (hash & UINT64_C(0xffffffff00000000)) | (uint64_t)(index + 1);
}

static void
gindex_grow(struct agg_table *t)
{
	size_t cap = t->gcap ? t->gcap * 2 : 64, i, j;
	uint64_t *slot = xcalloc(cap, sizeof(*slot));

	for (i = 0; i < t->ngroups; i++) {
		for (j = group_at(t, i)->hash & (cap - 1); slot[j] != 0;
		    j = (j + 1) & (cap - 1))
			;
		slot[j] = gslot_entry(group_at(t, i)->hash, i);
	}
	free(t->gslot);
	t->gslot = slot;
	t->gcap = cap;
}

static struct group *
group_find(struct agg_table *t, const struct value *keys)
{
	size_t n = t->pq->nkeys, i, j;
	uint64_t h = hash_keys(t, keys, n), e;
	struct group *g;

	if ((t->ngroups + 1) * 4 > t->gcap * 3)
		gindex_grow(t);
	for (j = h & (t->gcap - 1); (e = t->gslot[j]) != 0;
	    j = (j + 1) & (t->gcap - 1)) {
		if ((e ^ h) >> 32 != 0)
			continue;
		g = group_at(t, (uint32_t)e - 1);
		if (g->hash != h)
			continue;
		if (g->inline_len != UINT32_MAX) {
			if (keys[0].kind != VALUE_STRING ||
			    keys[0].u.s.len != g->inline_len ||
			    !bytes_equal(g->inline_key, keys[0].u.s.ptr,
			    g->inline_len))
				continue;
		} else if (n > 0 && !key_equal(&g->keys[0], &keys[0]))
			continue;
		for (i = n > 0 ? 1 : 0; i < n &&
		    key_equal(&g->keys[i], &keys[i]); i++)
			;
		if (i == n)
			return g;
	}
	if (t->max_groups > 0 && t->ngroups >= t->max_groups)
		return NULL;
	g = group_add(t, keys);
	g->hash = h;
	t->gslot[j] = gslot_entry(h, t->ngroups - 1);
	return g;
}

/* Turns every vector of the table into a sketch: --max-values was
 * passed. Exact values are added to the sketches and freed. */
static void
table_go_approx(struct agg_table *t)
{
	size_t gi, i, k;

	t->approx = 1;
	for (gi = 0; gi < t->ngroups; gi++)
		for (i = 0; i < t->npvecs; i++) {
			struct pvec *p = &group_pvecs(t, group_at(t, gi))[i];

			if (p->sk == NULL)
				p->sk = sketch_new();
			for (k = 0; k < p->n; k++)
				sketch_add(p->sk, p->v[k]);
			free(p->v);
			p->v = NULL;
			p->n = p->alloc = 0;
		}
	t->nvalues = 0;
}

static void
pvec_add(struct agg_table *t, struct pvec *p, double d)
{
	if (t->approx) {
		if (p->sk == NULL)
			p->sk = sketch_new();
		sketch_add(p->sk, d);
		return;
	}
	XGROW(p->v, p->n + 1, p->alloc);
	p->v[p->n++] = d;
	if (t->max_values > 0 && ++t->nvalues > t->max_values)
		table_go_approx(t);
}

int
agg_is_approx(const struct agg_table *t)
{
	return t->approx;
}

static int
as_number(const struct value *v, double *d, int *is_int)
{
	if (v->kind == VALUE_INT) {
		*d = (double)v->u.i;
		*is_int = 1;
		return 1;
	}
	if (v->kind == VALUE_REAL && isfinite(v->u.r)) {
		*d = v->u.r;
		*is_int = 0;
		return 1;
	}
	return 0;	/* SPEC 3.3: other values are ignored */
}

/* Orders two numbers exactly: integers as integers (nanosecond times
 * differ past 2^53, where doubles do not), other pairs as doubles. */
static int
num_cmp(const struct value *a, const struct value *b)
{
	double x, y;

	if (a->kind == VALUE_INT && b->kind == VALUE_INT)
		return (a->u.i > b->u.i) - (a->u.i < b->u.i);
	x = a->kind == VALUE_INT ? (double)a->u.i : a->u.r;
	y = b->kind == VALUE_INT ? (double)b->u.i : b->u.r;
	return (x > y) - (x < y);
}

/*
 * Keeps V as the slot's value. last() replaces it on every line: a
 * string goes in the slot's own buffer, reused, not in the table's
 * arena (which is never given back), so memory does not grow with the
 * input (SPEC 6: bounded over hours of a live stream).
 */
static void
keep_value(struct agg_table *t, struct slot_state *s, const struct value *v,
    uint64_t seq)
{
	value_release(&s->best);
	if (v->kind == VALUE_STRING) {
		if (v->u.s.len + 1 > s->own_cap) {
			s->own_cap = v->u.s.len + 1 > 32 ? v->u.s.len + 1 : 32;
			free(s->own);
			s->own = xmalloc(s->own_cap);
		}
		if (v->u.s.len)
			memcpy(s->own, v->u.s.ptr, v->u.s.len);
		s->best = value_str(s->own, v->u.s.len);
	} else
		s->best = value_dup(t->arena, v);
	s->best_seq = seq;
}

static void
feed_slot(struct agg_table *t, struct group *g, size_t i,
    struct eval_ctx *ctx, uint64_t seq)
{
	const struct expr *e = t->pq->slots[i];
	struct slot_state *s;
	int64_t *n = &g->n[i];
	struct value v, y;
	double d, dy;
	int is_int, y_int, c;
	int64_t sum;

	/* count, count_if and percentiles not feeding their vector are
	 * agg_feed's. */
	v = *eval_peek(e->u.agg.arg, ctx, &y);
	s = slot_of(t, g, i);
	switch (e->u.agg.fn) {
	case AGG_COUNT:
	case AGG_COUNT_IF:
		break;
	case AGG_SUM:
	case AGG_AVG:
		if (!as_number(&v, &d, &is_int))
			break;
		(*n)++;
		s->sum += d;
		if (s->all_int && is_int &&
		    !__builtin_add_overflow(s->isum, v.u.i, &sum))
			s->isum = sum;
		else
			s->all_int = 0;
		break;
	case AGG_MIN:
	case AGG_MAX:
		if (!as_number(&v, &d, &is_int))
			break;
		if (*n == 0 || (e->u.agg.fn == AGG_MIN ?
		    num_cmp(&v, &s->best_key) < 0 :
		    num_cmp(&v, &s->best_key) > 0)) {
			s->best = v;	/* a number: nothing to own */
			s->best_key = v;
		}
		(*n)++;
		break;
	case AGG_PERCENTILE: {
		struct pvec *p = &group_pvecs(t, g)[t->pvec_of[i]];

		if (as_number(&v, &d, &is_int))
			pvec_add(t, p, d);
		break;
	}
	case AGG_DISTINCT: {
		size_t unused = 0;

		/* As SQL's COUNT(DISTINCT x): a missing value is no value. */
		if (v.kind == VALUE_NULL)
			break;
		if (s->distinct == NULL)
			s->distinct = xcalloc(1, sizeof(*s->distinct));
		buf_reset(&t->keybuf);
		encode_value(&t->keybuf, &v);
		if (bset_add(s->distinct, t->keybuf.ptr, t->keybuf.len,
		    &unused))
			(*n)++;
		break;
	}
	case AGG_FIRST:
		if ((*n)++ == 0 || seq < s->best_seq)
			keep_value(t, s, &v, seq);
		break;
	case AGG_LAST:
		if ((*n)++ == 0 || seq > s->best_seq)
			keep_value(t, s, &v, seq);
		break;
	case AGG_MIN_BY:
	case AGG_MAX_BY:
		y = eval(e->u.agg.arg2, ctx);
		if (!as_number(&y, &dy, &y_int))
			break;
		/* Ties keep the earliest line, whatever the thread. */
		c = *n == 0 ? 0 : num_cmp(&y, &s->best_key);
		if (*n == 0 || (e->u.agg.fn == AGG_MIN_BY ? c < 0 : c > 0) ||
		    (c == 0 && seq < s->best_seq)) {
			keep_value(t, s, &v, seq);
			s->best_key = y;
		}
		(*n)++;
		break;
	}
}

int
agg_feed(struct agg_table *t, struct eval_ctx *ctx, uint64_t seq)
{
	const struct plan_query *pq = t->pq;
	struct group *g;
	struct value tmp;
	size_t i;

	/* Copied from where they are (an alias, a memo) or computed. */
	for (i = 0; i < pq->nkeys; i++)
		t->keyvals[i] = *eval_peek(pq->keys[i], ctx, &tmp);
	if ((g = group_find(t, t->keyvals)) == NULL)
		return -1;
	for (i = 0; i < t->ncount; i++)
		g->n[t->feed[i]]++;
	for (; i < t->ncount + t->ncond; i++)
		g->n[t->feed[i]] += eval_truthy(pq->slots[t->feed[i]]->u.agg.arg,
		    ctx) != 0;
	/* With the slot states evaluated before their arguments' arena
	 * strings die (at the next line's arena_reset). */
	for (; i < t->nfeed; i++)
		feed_slot(t, g, t->feed[i], ctx, seq);
	return 0;
}

void
agg_keep_row(struct agg_table *t, const struct value *cells, uint64_t seq)
{
	size_t i, n = t->pq->ncolumns;

	if (t->nrows + 1 > t->rows_alloc) {
		t->rows_alloc = t->rows_alloc ? t->rows_alloc * 2 : 64;
		t->rows = xrealloc(t->rows, t->rows_alloc * n *
		    sizeof(*t->rows));
		t->row_seq = xrealloc(t->row_seq, t->rows_alloc *
		    sizeof(*t->row_seq));
	}
	for (i = 0; i < n; i++)
		t->rows[t->nrows * n + i] = value_dup(t->arena, &cells[i]);
	t->row_seq[t->nrows++] = seq;
}

static void
merge_slot(struct agg_table *into, const struct expr *e,
    struct slot_state *a, int64_t *an, struct slot_state *b, int64_t bn)
{
	size_t i;

	if (bn == 0 && (b == NULL || b->distinct == NULL))
		return;
	switch (e->u.agg.fn) {
	case AGG_COUNT:
	case AGG_COUNT_IF:
	case AGG_PERCENTILE:
		*an += bn;
		break;
	case AGG_SUM:
	case AGG_AVG:
		a->sum += b->sum;
		if (a->all_int && b->all_int &&
		    !__builtin_add_overflow(a->isum, b->isum, &a->isum))
			;
		else
			a->all_int = 0;
		*an += bn;
		break;
	case AGG_MIN:
	case AGG_MAX:
		if (*an == 0 || (e->u.agg.fn == AGG_MIN ?
		    num_cmp(&b->best_key, &a->best_key) < 0 :
		    num_cmp(&b->best_key, &a->best_key) > 0)) {
			a->best = b->best;
			a->best_key = b->best_key;
		}
		*an += bn;
		break;
	case AGG_DISTINCT:
		if (b->distinct == NULL)
			break;
		if (a->distinct == NULL)
			a->distinct = xcalloc(1, sizeof(*a->distinct));
		for (i = 0; i < b->distinct->cap; i++) {
			struct bentry *be = &b->distinct->e[i];
			size_t unused = 0;

			if (be->key != NULL && bset_add(a->distinct, be->key,
			    be->len, &unused))
				(*an)++;
		}
		break;
	case AGG_FIRST:
	case AGG_LAST:
	case AGG_MIN_BY:
	case AGG_MAX_BY: {
		int take;

		if (*an == 0)
			take = 1;
		else if (e->u.agg.fn == AGG_FIRST)
			take = b->best_seq < a->best_seq;
		else if (e->u.agg.fn == AGG_LAST)
			take = b->best_seq > a->best_seq;
		else {
			int c = num_cmp(&b->best_key, &a->best_key);

			take = (e->u.agg.fn == AGG_MIN_BY ? c < 0 : c > 0) ||
			    (c == 0 && b->best_seq < a->best_seq);
		}
		if (take) {
			keep_value(into, a, &b->best, b->best_seq);
			a->best_key = b->best_key;
		}
		*an += bn;
		break;
	}
	}
}

int
agg_merge(struct agg_table *into, struct agg_table *from)
{
	const struct plan_query *pq = into->pq;
	size_t gi, i;

	for (gi = 0; gi < from->ngroups; gi++) {
		struct group *b = group_at(from, gi), *a;

		if ((a = group_find(into, b->keys)) == NULL)
			return -1;
		for (i = 0; i < pq->nslots; i++)
			merge_slot(into, pq->slots[i], slot_of(into, a, i),
			    &a->n[i], slot_of(from, b, i), b->n[i]);
		for (i = 0; i < into->npvecs; i++) {
			struct pvec *pa = &group_pvecs(into, a)[i];
			struct pvec *pb = &group_pvecs(from, b)[i];
			size_t k;

			if (pb->sk != NULL && !into->approx)
				table_go_approx(into);
			if (into->approx) {
				if (pa->sk == NULL)
					pa->sk = sketch_new();
				if (pb->sk != NULL)
					sketch_merge(pa->sk, pb->sk);
				for (k = 0; k < pb->n; k++)
					sketch_add(pa->sk, pb->v[k]);
				continue;
			}
			XGROW(pa->v, pa->n + pb->n, pa->alloc);
			if (pb->n)
				memcpy(pa->v + pa->n, pb->v, pb->n *
				    sizeof(*pb->v));
			pa->n += pb->n;
			into->nvalues += pb->n;
		}
	}
	for (i = 0; i < from->nrows; i++)
		agg_keep_row(into, &from->rows[i * pq->ncolumns],
		    from->row_seq[i]);
	return 0;
}

/*
 * Quickselect within V[LO..HI]: afterwards V[K] is the K-th smallest of
 * them and V[LO..K) <= V[K] <= V(K..HI]. Median-of-three pivots; the
 * partition is Lomuto's without a branch on the data (a value below the
 * pivot swaps into place and moves the boundary by the comparison's 0
 * or 1), since on unordered values a branch on each comparison is
 * mispredicted half the time: 2.8 times faster on latencies. When no
 * value is below the pivot, the ones equal to it go first instead, so
 * that many equal values still make progress. The values are finite
 * (pvec_add).
 */
static void
select_kth(double *v, size_t lo, size_t hi, size_t k)
{
	size_t i, s;

	while (hi - lo >= 16) {
		size_t mid = lo + (hi - lo) / 2;
		double a = v[lo], b = v[mid], c = v[hi], pivot, x;

		pivot = a < b ? (b < c ? b : (a < c ? c : a)) :
		    (a < c ? a : (b < c ? c : b));
		for (i = s = lo; i <= hi; i++) {
			x = v[i];
			v[i] = v[s];
			v[s] = x;
			s += x < pivot;
		}
		if (k < s) {
			hi = s - 1;
			continue;
		}
		if (s > lo) {
			lo = s;
			continue;
		}
		/* The pivot is the least: V[LO..S) becomes its equals. */
		for (i = s = lo; i <= hi; i++) {
			x = v[i];
			v[i] = v[s];
			v[s] = x;
			s += x <= pivot;
		}
		if (k < s)
			return;
		lo = s;
	}
	for (i = lo + 1; i <= hi; i++) {	/* insertion sort of the rest */
		double x = v[i];

		for (s = i; s > lo && v[s - 1] > x; s--)
			v[s] = v[s - 1];
		v[s] = x;
	}
}

/* The 0-based index of percentile Q of N > 0 sorted values: nearest
 * rank ceil(q/100 * n) in integers, q to 1/1000 (a double product would
 * make p99.9 of 1000 values rank 1000, not 999), within 1..n. */
static size_t
percentile_index(size_t n, double q)
{
	unsigned long long qm = (unsigned long long)llround(q * 1000);
	unsigned long long rank = (qm * n + 99999) / 100000;

	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return (size_t)(rank - 1);
}

double
agg_percentile(double *v, size_t n, double q)
{
	size_t k = percentile_index(n, q);

	select_kth(v, 0, n - 1, k);
	return v[k];
}

/* agg_percentile() of a group's vector, selecting only between the
 * ranks its other percentiles fixed. */
static double
pvec_percentile(struct pvec *p, double q)
{
	size_t k = percentile_index(p->n, q), lo = 0, hi = p->n - 1, i;
	struct pvec_ranks *f;

	if ((f = p->ranks) == NULL)
		f = p->ranks = xcalloc(1, sizeof(*p->ranks));
	if (f->fixed_n != p->n)
		f->nfixed = 0;
	for (i = 0; i < f->nfixed && f->fixed[i] < k; i++)
		lo = f->fixed[i] + 1;
	if (i < f->nfixed && f->fixed[i] == k)
		return p->v[k];
	if (i < f->nfixed)
		hi = f->fixed[i] - 1;
	select_kth(p->v, lo, hi, k);
	if (f->nfixed < PVEC_FIXED) {
		memmove(&f->fixed[i + 1], &f->fixed[i],
		    (f->nfixed - i) * sizeof(f->fixed[0]));
		f->fixed[i] = k;
		f->nfixed++;
		f->fixed_n = p->n;
	}
	return p->v[k];
}

/* A group's share of the selections: its exact values. */
static uint64_t
group_values(const struct agg_table *t, const struct group *g)
{
	const struct pvec *p = group_pvecs(t, g);
	uint64_t n = 0;
	size_t k;

	for (k = 0; k < t->npvecs; k++)
		if (p[k].sk == NULL)
			n += p[k].n;
	return n;
}

/*
 * The groups of share PART of NPARTS: parts of about as many values
 * each, not as many groups, since a few routes have most of the
 * requests. A group goes to the part its values' middle falls in;
 * every part computes the same split. Selects their percentiles when
 * SELECT; returns how many values they have.
 */
static uint64_t
prepare_share(struct agg_table *t, size_t part, size_t nparts, int select)
{
	const struct plan_query *pq = t->pq;
	uint64_t total = 0, before = 0, mine = 0, w;
	size_t gi, i;

	for (gi = 0; gi < t->ngroups; gi++)
		total += group_values(t, group_at(t, gi));
	for (gi = 0; gi < t->ngroups; gi++, before += w) {
		w = group_values(t, group_at(t, gi));
		if (w == 0 || (before + w / 2) * nparts / total != part)
			continue;
		mine += w;
		for (i = 0; select && i < pq->nslots; i++) {
			struct pvec *p;

			if (pq->slots[i]->u.agg.fn != AGG_PERCENTILE)
				continue;
			p = &group_pvecs(t, group_at(t, gi))[t->pvec_of[i]];
			if (p->sk == NULL && p->n > 0)
				pvec_percentile(p, pq->slots[i]->u.agg.q);
		}
	}
	return mine;
}

void
agg_prepare(struct agg_table *t, size_t part, size_t nparts)
{
	if (t->npvecs > 0)
		prepare_share(t, part, nparts, 1);
}

uint64_t
agg_prepare_share(struct agg_table *t, size_t part, size_t nparts)
{
	return t->npvecs > 0 ? prepare_share(t, part, nparts, 0) : 0;
}

static struct value
slot_value(struct agg_table *t, struct group *g, size_t i)
{
	const struct expr *e = t->pq->slots[i];
	struct slot_state *s = slot_of(t, g, i);
	struct pvec *p;

	switch (e->u.agg.fn) {
	case AGG_COUNT:
	case AGG_COUNT_IF:
	case AGG_DISTINCT:
		return value_int(g->n[i]);
	case AGG_SUM:
		if (g->n[i] == 0)
			return value_null();
		return s->all_int ? value_int(s->isum) : value_real(s->sum);
	case AGG_AVG:
		return g->n[i] ? value_real(s->sum / (double)g->n[i]) : value_null();
	case AGG_PERCENTILE:
		p = &group_pvecs(t, g)[t->pvec_of[i]];
		if (p->sk != NULL)
			return sketch_count(p->sk) == 0 ? value_null() :
			    value_real(sketch_quantile(p->sk, e->u.agg.q));
		if (p->n == 0)
			return value_null();
		return value_real(pvec_percentile(p, e->u.agg.q));
	default:
		return g->n[i] ? s->best : value_null();
	}
}

struct sort_ctx {
	const struct plan_query	*pq;
	const struct value	*cells;
	const uint64_t		*seq;		/* listing rows, or NULL */
};

/* qsort has no context argument in C11: sorting is single-threaded and
 * short, so the context travels in a file-scope pointer set just
 * before qsort and cleared after it (the one mutable static here). */
static const struct sort_ctx *sort_ctx;

static int
row_cmp(const void *pa, const void *pb)
{
	const struct sort_ctx *c = sort_ctx;
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	size_t n = c->pq->ncolumns, i;
	const struct value *ra = &c->cells[a * n], *rb = &c->cells[b * n];
	int r;

	for (i = 0; i < c->pq->nsort; i++) {
		size_t col = c->pq->sort[i].column;

		r = value_sort_cmp(&ra[col], &rb[col]);
		if (r != 0)
			return c->pq->sort[i].descending ? -r : r;
	}
	/* Ties: by group key (SPEC 4.1), or input order for listings. */
	for (i = 0; i < c->pq->nkeys; i++)
		if ((r = value_sort_cmp(&ra[i], &rb[i])) != 0)
			return r;
	if (c->seq)
		return (c->seq[a] > c->seq[b]) - (c->seq[a] < c->seq[b]);
	return (a > b) - (a < b);
}

/* Drops the aggregate cells of ROW that value_dup gave a reference. */
static void
row_release(const struct plan_query *pq, struct value *row)
{
	size_t i;

	for (i = pq->nkeys; pq->is_agg && i < pq->ncolumns; i++)
		value_release(&row[i]);
}

void
agg_result(struct agg_table *t, struct eval_ctx *ctx, struct agg_result *out)
{
	const struct plan_query *pq = t->pq;
	size_t n = pq->ncolumns, gi, i, kept = 0, nrows;
	struct value *cells, *slotvals;
	size_t *order;
	struct sort_ctx sc;
	const struct value *saved_aggs = ctx->aggs, *saved_cols = ctx->columns;

	memset(out, 0, sizeof(*out));
	out->arena = arena_new();
	out->ncolumns = n;
	out->pq = pq;
	nrows = pq->is_agg ? t->ngroups : t->nrows;
	cells = xcalloc(nrows * n + 1, sizeof(*cells));
	slotvals = xcalloc(pq->nslots + 1, sizeof(*slotvals));
	for (gi = 0; pq->is_agg && gi < t->ngroups; gi++) {
		struct group *g = group_at(t, gi);
		struct value *row = &cells[kept * n];

		for (i = 0; i < pq->nslots; i++)
			slotvals[i] = slot_value(t, g, i);
		for (i = 0; i < pq->nkeys; i++)
			row[i] = g->keys[i];
		arena_reset(ctx->func.arena);
		ctx->aggs = slotvals;
		ctx->columns = NULL;
		for (i = pq->nkeys; i < n; i++) {
			struct value v = eval(pq->values[i - pq->nkeys], ctx);

			row[i] = value_dup(out->arena, &v);
		}
		ctx->aggs = NULL;
		if (pq->having) {
			ctx->columns = row;
			if (!eval_truthy(pq->having, ctx)) {
				row_release(pq, row);
				continue;
			}
		}
		kept++;
	}
	if (!pq->is_agg) {
		if (t->nrows)
			memcpy(cells, t->rows, t->nrows * n * sizeof(*cells));
		kept = t->nrows;
	}
	ctx->aggs = saved_aggs;
	ctx->columns = saved_cols;
	order = xcalloc(kept + 1, sizeof(*order));
	for (i = 0; i < kept; i++)
		order[i] = i;
	sc.pq = pq;
	sc.cells = cells;
	sc.seq = pq->is_agg ? NULL : t->row_seq;
	sort_ctx = &sc;
	qsort(order, kept, sizeof(*order), row_cmp);
	sort_ctx = NULL;
	out->nrows = kept;
	if (pq->limit >= 0 && (size_t)pq->limit < kept) {
		out->nrows = (size_t)pq->limit;
		for (i = out->nrows; i < kept; i++)
			row_release(pq, &cells[order[i] * n]);
	}
	out->cells = xcalloc(out->nrows * n + 1, sizeof(*out->cells));
	for (i = 0; i < out->nrows; i++)
		memcpy(&out->cells[i * n], &cells[order[i] * n],
		    n * sizeof(*cells));
	free(order);
	free(cells);
	free(slotvals);
}

void
agg_result_release(struct agg_result *r)
{
	size_t i;

	for (i = 0; r->pq != NULL && i < r->nrows; i++)
		row_release(r->pq, &r->cells[i * r->ncolumns]);
	free(r->cells);
	arena_free(r->arena);
	memset(r, 0, sizeof(*r));
}

void
agg_table_free(struct agg_table *t)
{
	size_t gi, i;

	if (t == NULL)
		return;
	for (gi = 0; gi < t->ngroups; gi++) {
		struct group *g = group_at(t, gi);

		for (i = 0; i < t->pq->nkeys; i++)
			value_release(&g->keys[i]);
		for (i = 0; i < t->pq->nslots; i++) {
			struct slot_state *s = slot_of(t, g, i);
			enum expr_agg_fn fn = t->pq->slots[i]->u.agg.fn;

			if (s == NULL)
				continue;
			if (fn == AGG_FIRST || fn == AGG_LAST ||
			    fn == AGG_MIN_BY || fn == AGG_MAX_BY)
				value_release(&s->best);
			free(s->own);
			if (s->distinct) {
				bset_release(s->distinct);
				free(s->distinct);
			}
		}
		for (i = 0; i < t->npvecs; i++) {
			free(group_pvecs(t, g)[i].v);
			free(group_pvecs(t, g)[i].ranks);
			sketch_free(group_pvecs(t, g)[i].sk);
		}
	}
	for (i = 0; i < t->nrows * t->pq->ncolumns; i++)
		value_release(&t->rows[i]);
	free(t->rows);
	free(t->row_seq);
	free(t->groups);
	free(t->gslot);
	buf_release(&t->keybuf);
	free(t->keyvals);
	free(t->pvec_of);
	free(t->feeds_pvec);
	free(t->feed);
	free(t->state_of);
	arena_free(t->arena);
	free(t);
}
