/* SPDX-License-Identifier: MIT */
/* agg.c - groups, tables, sorted listings, merge (SPEC 3.3, 4.1, 4.3) */
#include "config.h"

#include <math.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "aggfn.h"
#include "hash.h"
#include "util.h"

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
	/* Per slot, its count (see enum aggfn_kind); then the states of
	 * the slots, each at its t->state_of offset from the record. */
	int64_t		 n[];
};

_Static_assert(sizeof(struct group) <= 48, "two counts share the "
    "look-up's cache line");

/*
 * Exact values a table feeds before it reports them to its budget: one
 * atomic add per value would take the budget's cache line from thread
 * to thread on every line of a percentile query. The budget may so lag
 * the truth by this many values per table, which only delays going
 * approximate (memory); the verdict is settled by agg_sync().
 */
#define VALUES_BATCH	256

struct agg_budget {
	size_t		 max_groups, max_values;	/* 0: no cap */
	/* Exact percentile values fed to all tables, as reported. */
	_Atomic uint64_t values;
	/* Set once values passed max_values: every table goes approximate. */
	atomic_int	 approx;
	/* Groups added by feeding, all tables, since the last merge; past
	 * group_room, agg_budget_wants_merge() says so. */
	_Atomic size_t	 groups;
	_Atomic size_t	 group_room;
};

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
	/* Exact percentile values the table may keep, all groups (SIZE_MAX:
	 * no cap); actx.nvalues counts them. */
	size_t		 value_cap;
	struct agg_budget *budget;	/* shared, or NULL */
	size_t		 values_unreported;	/* fed, not yet in budget */
	struct aggfn_ctx actx;		/* lent to the rows' functions */
	char		*groups;	/* records, stride bytes apart */
	size_t		 ngroups, alloc, stride;
	/* slot -> byte offset of its state in a group record, or SIZE_MAX:
	 * count and count_if keep nothing there, so the groups of a
	 * report's counting queries stay small; percentiles over one
	 * argument share the first one's state. */
	size_t		*state_of;
	/* The offsets of the shared (percentile) states, one each. */
	size_t		*shared;
	size_t		 nshared;
	/* What a line feeds, sorted by kind at creation: the count()
	 * slots, the count_if() slots, then the slots that own a state
	 * (percentiles once per argument). */
	size_t		*feed;
	size_t		 ncount, ncond, nfeed;
	struct buf	 keybuf;
	struct value	*keyvals;	/* scratch: nkeys */
	/* a sorted listing */
	struct value	*rows;		/* nrows * ncolumns */
	uint64_t	*row_seq;
	struct line	*row_line;	/* text in arena, or NULL: none */
	size_t		 nrows, rows_alloc;
	/* agg_prepare_split(): each group's share, or NULL, made for
	 * nshares shares of share_groups groups */
	uint32_t	*share;
	size_t		 nshares, share_groups;
};

static struct group *group_find(struct agg_table *t, const struct value *keys);

static inline struct group *
group_at(const struct agg_table *t, size_t i)
{
	return (struct group *)(void *)(t->groups + i * t->stride);
}

/* Slot I's state in G, or NULL for count and count_if. */
static inline void *
slot_of(const struct agg_table *t, struct group *g, size_t i)
{
	return t->state_of[i] == SIZE_MAX ? NULL :
	    (char *)g + t->state_of[i];
}

static inline const struct aggfn *
slot_fn(const struct agg_table *t, size_t i)
{
	return t->pq->slots[i]->u.agg.fn;
}

/* The caps and modes of O, for a table new or reset. */
static void
table_options(struct agg_table *t, const struct agg_options *o)
{
	t->max_groups = o->max_groups;
	t->value_cap = o->max_values > 0 ? o->max_values : SIZE_MAX;
	/* With a budget the caps are the query's: a table alone may hold
	 * all its groups, and its values are counted there. */
	if ((t->budget = o->budget) != NULL) {
		t->max_groups = t->budget->max_groups;
		t->value_cap = SIZE_MAX;
	}
	t->values_unreported = 0;
	t->actx.approx = o->approx;
	t->actx.files = o->files;
	t->actx.nvalues = 0;
}

/* A table's first state, holding nothing. */
static void
table_start(struct agg_table *t)
{
	/* SPEC 3.3: without group_by, exactly one row, even on empty
	 * input (its one group exists from the start). */
	if (t->pq->is_agg && t->pq->nkeys == 0)
		group_find(t, t->keyvals);
}

struct agg_table *
agg_table_new(const struct plan_query *pq, const struct agg_options *o)
{
	/* Fed on every line by one thread: on cache lines of its own,
	 * whichever thread allocates it (run.c's main thread renews the
	 * workers' tables; adjacent tables would bounce their lines). */
	size_t size = (sizeof(struct agg_table) + 127) / 128 * 128;
	struct agg_table *t = xmalloc_aligned(128, size);
	size_t i, j, off;

	memset(t, 0, size);
	t->pq = pq;
	table_options(t, o);
	t->arena = arena_new();
	t->actx.arena = t->arena;
	t->keyvals = xcalloc(pq->nkeys + 1, sizeof(*t->keyvals));
	t->state_of = xcalloc(pq->nslots + 1, sizeof(*t->state_of));
	t->shared = xcalloc(pq->nslots + 1, sizeof(*t->shared));
	t->feed = xcalloc(pq->nslots + 1, sizeof(*t->feed));
	for (i = 0; i < pq->nslots; i++)
		if (slot_fn(t, i)->kind == AGGFN_COUNT)
			t->feed[t->nfeed++] = i;
	t->ncount = t->nfeed;
	for (i = 0; i < pq->nslots; i++)
		if (slot_fn(t, i)->kind == AGGFN_COUNT_IF)
			t->feed[t->nfeed++] = i;
	t->ncond = t->nfeed - t->ncount;
	off = offsetof(struct group, n) + (pq->nslots + 1) * sizeof(int64_t);
	for (i = 0; i < pq->nslots; i++) {
		const struct aggfn *fn = slot_fn(t, i);
		const struct expr *s = pq->slots[i];

		t->state_of[i] = SIZE_MAX;
		if (fn->kind == AGGFN_COUNT || fn->kind == AGGFN_COUNT_IF)
			continue;
		if (fn->kind == AGGFN_STATE_SHARED) {
			/* p50, p95 and p99 of one expression: the first
			 * keeps and feeds the values of them all. */
			for (j = 0; j < i; j++)
				if (slot_fn(t, j)->kind == AGGFN_STATE_SHARED &&
				    expr_equal(pq->slots[j]->u.agg.arg,
				    s->u.agg.arg))
					break;
			if (j < i) {
				t->state_of[i] = t->state_of[j];
				continue;
			}
			t->shared[t->nshared++] = off;
		}
		t->state_of[i] = off;
		off += fn->state_size;
		t->feed[t->nfeed++] = i;
	}
	t->stride = (off + 63) / 64 * 64;
	table_start(t);
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
	for (i = t->ncount + t->ncond; i < t->nfeed; i++) {
		const struct aggfn *fn = slot_fn(t, t->feed[i]);

		if (fn->init != NULL)
			fn->init(slot_of(t, g, t->feed[i]));
	}
	return g;
}

/* A number as a group key: integral values are integers, so that 200
 * and 200.0 fall in one group, as aggfn_encode_value() has it. */
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
 * looked up once per line and query). Keyed throughout (hash.h): numbers
 * too, or a log could carry ids made to fill one run of slots. */
static uint64_t
hash_keys(struct agg_table *t, const struct value *keys, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL;
	size_t i;
	int64_t k;

	/* One string key (tenant, route): its bytes' hash. */
	if (n == 1 && keys[0].kind == VALUE_STRING)
		return hash_bytes(keys[0].u.s.ptr, keys[0].u.s.len);

	/* Each key folds into H with a tag for its kind (the third
	 * argument), so that 1 and true, or "" and null, differ. */
	for (i = 0; i < n; i++) {
		const struct value *v = &keys[i];

		switch (v->kind) {
		case VALUE_STRING:
			h = hash_words(h, hash_bytes(v->u.s.ptr, v->u.s.len),
			    0x73);
			break;
		case VALUE_INT:
		case VALUE_REAL:
			if (key_int(v, &k))
				h = hash_words(h, (uint64_t)k, 0x1234);
			else {
				double d = v->u.r;
				uint64_t bits;

				memcpy(&bits, &d, sizeof(bits));
				h = hash_words(h, bits, 0x5678);
			}
			break;
		case VALUE_NULL:
			h = hash_words(h, 0, 0x6e);
			break;
		case VALUE_BOOL:
			h = hash_words(h, v->u.b, 0x74);
			break;
		default:
			buf_reset(&t->keybuf);
			aggfn_encode_value(&t->keybuf, v);
			h = hash_words(h, hash_bytes(t->keybuf.ptr,
			    t->keybuf.len), 0x6a);
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
		aggfn_encode_value(&x1, a);
		aggfn_encode_value(&y1, b);
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

/* Turns every percentile state of the table into a sketch: --max-values
 * was passed. Exact values are added to the sketches and freed. */
static void
table_go_approx(struct agg_table *t)
{
	size_t gi, i;

	t->actx.approx = 1;
	for (gi = 0; gi < t->ngroups; gi++)
		for (i = 0; i < t->nshared; i++)
			aggfn_values_to_sketch((struct aggfn_values *)(void *)
			    (t->groups + gi * t->stride + t->shared[i]));
	t->actx.nvalues = 0;
}

int
agg_is_approx(const struct agg_table *t)
{
	return t->actx.approx;
}

struct agg_budget *
agg_budget_new(size_t max_groups, size_t max_values)
{
	struct agg_budget *b = xcalloc(1, sizeof(*b));

	b->max_groups = max_groups;
	b->max_values = max_values;
	atomic_init(&b->values, 0);
	atomic_init(&b->approx, 0);
	atomic_init(&b->groups, 0);
	atomic_init(&b->group_room, max_groups > 0 ? max_groups : SIZE_MAX);
	return b;
}

void
agg_budget_free(struct agg_budget *b)
{
	free(b);
}

int
agg_budget_wants_merge(const struct agg_budget *b)
{
	return atomic_load_explicit(&b->groups, memory_order_relaxed) >
	    atomic_load_explicit(&b->group_room, memory_order_relaxed);
}

void
agg_budget_merged(struct agg_budget *b, size_t kept)
{
	size_t room = b->max_groups > kept ? b->max_groups - kept : 0;

	/*
	 * The fed tables may hold what the kept table lacks, and at least
	 * a quarter of the cap more, so that a run near its cap does not
	 * merge after every chunk: memory stays under 1.25 times the cap
	 * (plus the chunks in flight), whatever -j.
	 */
	if (b->max_groups == 0)
		room = SIZE_MAX;
	else if (room < b->max_groups / 4 + 1)
		room = b->max_groups / 4 + 1;
	atomic_store(&b->groups, 0);
	atomic_store(&b->group_room, room);
}

/* Reports T's unreported values to its budget; 1 when the query's
 * values are past the budget's cap. */
static int
budget_report(struct agg_table *t)
{
	struct agg_budget *b = t->budget;
	uint64_t total;

	if (t->values_unreported > 0) {
		total = atomic_fetch_add_explicit(&b->values,
		    t->values_unreported, memory_order_relaxed) +
		    t->values_unreported;
		t->values_unreported = 0;
		if (b->max_values > 0 && total > b->max_values)
			atomic_store_explicit(&b->approx, 1,
			    memory_order_relaxed);
	}
	return atomic_load_explicit(&b->approx, memory_order_relaxed);
}

size_t
agg_groups(const struct agg_table *t)
{
	return t->ngroups;
}

void
agg_sync(struct agg_table *t)
{
	if (t != NULL && t->budget != NULL && budget_report(t) &&
	    !t->actx.approx)
		table_go_approx(t);
}

int
agg_feed(struct agg_table *t, struct eval_ctx *ctx, uint64_t seq)
{
	const struct plan_query *pq = t->pq;
	struct group *g;
	struct value tmp, args[2];
	size_t i, ngroups = t->ngroups, nvalues = t->actx.nvalues;

	/* Copied from where they are (an alias, a memo) or computed. */
	for (i = 0; i < pq->nkeys; i++)
		t->keyvals[i] = *eval_peek(pq->keys[i], ctx, &tmp);
	if ((g = group_find(t, t->keyvals)) == NULL)
		return -1;
	/* A query without group_by has its one group in every table: not
	 * one the budget need count. */
	if (t->ngroups != ngroups && t->budget != NULL && pq->nkeys > 0)
		atomic_fetch_add_explicit(&t->budget->groups, 1,
		    memory_order_relaxed);
	for (i = 0; i < t->ncount; i++)
		g->n[t->feed[i]]++;
	for (; i < t->ncount + t->ncond; i++)
		g->n[t->feed[i]] += eval_truthy(pq->slots[t->feed[i]]->u.agg.arg,
		    ctx) != 0;
	/* The rows' feeds, with the arguments evaluated here and fed
	 * before their arena strings die (at the next line's
	 * arena_reset); a row copies what it keeps. */
	for (; i < t->nfeed; i++) {
		size_t s = t->feed[i];
		const struct expr *e = pq->slots[s];

		args[0] = *eval_peek(e->u.agg.arg, ctx, &tmp);
		if (e->u.agg.arg2 != NULL)
			args[1] = *eval_peek(e->u.agg.arg2, ctx, &tmp);
		e->u.agg.fn->feed(&g->n[s], (char *)g + t->state_of[s], args,
		    seq, &t->actx);
	}
	if (t->budget != NULL) {
		t->values_unreported += t->actx.nvalues - nvalues;
		if (t->values_unreported >= VALUES_BATCH)
			agg_sync(t);
	} else if (t->actx.nvalues > t->value_cap)
		table_go_approx(t);
	return 0;
}

void
agg_keep_row(struct agg_table *t, const struct value *cells,
    const struct line *line, uint64_t seq)
{
	size_t i, n = t->pq->ncolumns;
	struct line *l;

	if (t->nrows + 1 > t->rows_alloc) {
		t->rows_alloc = t->rows_alloc ? t->rows_alloc * 2 : 64;
		t->rows = xrealloc(t->rows, t->rows_alloc * n *
		    sizeof(*t->rows));
		t->row_seq = xrealloc(t->row_seq, t->rows_alloc *
		    sizeof(*t->row_seq));
		t->row_line = xrealloc(t->row_line, t->rows_alloc *
		    sizeof(*t->row_line));
	}
	for (i = 0; i < n; i++)
		t->rows[t->nrows * n + i] = value_dup(t->arena, &cells[i]);
	l = &t->row_line[t->nrows];
	memset(l, 0, sizeof(*l));
	if (line != NULL && line->text != NULL) {
		l->text = arena_strndup(t->arena, line->text, line->len);
		l->len = line->len;
		l->lineno = line->lineno;
	}
	t->row_seq[t->nrows++] = seq;
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
		for (i = 0; i < into->ncount + into->ncond; i++)
			a->n[into->feed[i]] += b->n[into->feed[i]];
		for (; i < into->nfeed; i++) {
			size_t s = into->feed[i];
			const struct aggfn *fn = slot_fn(into, s);
			void *bs = slot_of(from, b, s);

			/* A sketch from FROM makes all of INTO's
			 * percentiles approximate, not just this group's. */
			if (fn->kind == AGGFN_STATE_SHARED &&
			    ((struct aggfn_values *)bs)->sk != NULL &&
			    !into->actx.approx)
				table_go_approx(into);
			fn->merge(&a->n[s], slot_of(into, a, s), b->n[s], bs,
			    &into->actx);
		}
	}
	for (i = 0; i < from->nrows; i++)
		agg_keep_row(into, &from->rows[i * pq->ncolumns],
		    &from->row_line[i],
		    from->row_seq[i]);
	return 0;
}

/* Whether slot I shares the state of an earlier slot (a percentile
 * over the same argument): its state is written and read there. */
static int
slot_is_shared_copy(const struct agg_table *t, size_t i)
{
	size_t j;

	if (t->state_of[i] == SIZE_MAX)
		return 0;
	for (j = 0; j < i; j++)
		if (t->state_of[j] == t->state_of[i])
			return 1;
	return 0;
}

size_t
agg_rows(const struct agg_table *t, const struct value **cells,
    const uint64_t **seq, const struct line **lines)
{
	*cells = t->rows;
	*seq = t->row_seq;
	*lines = t->row_line;
	return t->nrows;
}

/* A listing's rows with their positions (as aggfn's pick states). */
static json_t *
rows_write(const struct agg_table *t)
{
	const struct plan_query *pq = t->pq;
	json_t *rows = json_array();
	uint64_t mask = (UINT64_C(1) << AGGFN_LINE_BITS) - 1;
	size_t r, i;

	for (r = 0; r < t->nrows; r++) {
		json_t *cells = json_array(), *row;

		for (i = 0; i < pq->ncolumns; i++)
			json_array_append_new(cells, value_to_json(
			    &t->rows[r * pq->ncolumns + i]));
		row = json_pack("[[sI]o]", aggfn_pos_file(t->actx.files,
		    t->row_seq[r]), (json_int_t)(t->row_seq[r] & mask), cells);
		if (t->row_line[r].text != NULL)
			json_array_append_new(row, json_stringn(
			    t->row_line[r].text, t->row_line[r].len));
		json_array_append_new(rows, row);
	}
	return json_pack("{sbso}", "approx", 0, "rows", rows);
}

json_t *
agg_write(const struct agg_table *t)
{
	const struct plan_query *pq = t->pq;
	json_t *o, *groups;
	size_t gi, i;

	if (!pq->is_agg)
		return rows_write(t);
	o = json_object();
	groups = json_array();

	for (gi = 0; gi < t->ngroups; gi++) {
		struct group *g = group_at(t, gi);
		json_t *key = json_array(), *aggs = json_array();

		for (i = 0; i < pq->nkeys; i++)
			json_array_append_new(key, value_to_json(&g->keys[i]));
		for (i = 0; i < pq->nslots; i++)
			json_array_append_new(aggs, slot_is_shared_copy(t, i) ?
			    json_null() : slot_fn(t, i)->write(g->n[i],
			    slot_of(t, g, i), &t->actx));
		json_array_append_new(groups, json_pack("[oo]", key, aggs));
	}
	json_object_set_new(o, "approx", json_boolean(t->actx.approx));
	json_object_set_new(o, "groups", groups);
	return o;
}

static int
read_fail(struct diag *err, size_t gi, const char *msg)
{
	diag_set(err, LOGQ_EXIT_INPUT, "invalid state: group %zu: %s",
	    gi + 1, msg);
	return -1;
}

/* Reads rows_write()'s rows into T. */
static int
rows_read(struct agg_table *t, const json_t *rows, struct diag *err)
{
	const struct plan_query *pq = t->pq;
	const json_t *jr, *pos, *cells, *line, *text;
	struct value *row = xcalloc(pq->ncolumns + 1, sizeof(*row));
	struct line l;
	long long file;
	size_t r, i;
	int rc = 0;

	json_array_foreach(rows, r, jr) {
		pos = json_array_get(jr, 0);
		cells = json_array_get(jr, 1);
		line = json_array_get(pos, 1);
		text = json_array_get(jr, 2);
		if (!json_is_array(jr) || json_array_size(jr) < 2 ||
		    json_array_size(jr) > 3 ||
		    (json_array_size(jr) == 3 && !json_is_string(text)) ||
		    !json_is_array(pos) || json_array_size(pos) != 2 ||
		    !json_is_string(json_array_get(pos, 0)) ||
		    !json_is_integer(line) || json_integer_value(line) < 0 ||
		    (uint64_t)json_integer_value(line) >> AGGFN_LINE_BITS ||
		    !json_is_array(cells) ||
		    json_array_size(cells) != pq->ncolumns) {
			diag_set(err, LOGQ_EXIT_INPUT, "invalid state: row "
			    "%zu: not [[file, line], [cells...], text] with "
			    "this query's columns", r + 1);
			rc = -1;
			break;
		}
		file = t->actx.files == NULL ? 0 : aggfn_files_intern(
		    t->actx.files, json_string_value(json_array_get(pos, 0)));
		if (file < 0) {
			diag_set(err, LOGQ_EXIT_INPUT, "too many files");
			rc = -1;
			break;
		}
		/* Borrowed from J: agg_keep_row() copies them. */
		for (i = 0; i < pq->ncolumns; i++)
			row[i] = value_from_json(json_array_get(cells, i));
		l.text = json_string_value(text);
		l.len = json_string_length(text);
		l.lineno = (unsigned long)json_integer_value(line);
		agg_keep_row(t, row, text != NULL ? &l : NULL,
		    (uint64_t)file << AGGFN_LINE_BITS |
		    (uint64_t)json_integer_value(line));
	}
	free(row);
	return rc;
}

int
agg_read(struct agg_table *t, const json_t *j, struct diag *err)
{
	const struct plan_query *pq = t->pq;
	const json_t *groups, *jg, *key, *aggs, *japprox;
	struct value *keys;
	struct group *g;
	size_t gi, i, before;
	int rc = 0;

	if (!pq->is_agg) {
		if (!json_is_array(json_object_get(j, "rows"))) {
			diag_set(err, LOGQ_EXIT_INPUT, "invalid state: a "
			    "listing's table is not {\"rows\": [...]}");
			return -1;
		}
		return rows_read(t, json_object_get(j, "rows"), err);
	}
	groups = json_object_get(j, "groups");
	japprox = json_object_get(j, "approx");
	if (!json_is_object(j) || !json_is_array(groups) ||
	    !json_is_boolean(japprox)) {
		diag_set(err, LOGQ_EXIT_INPUT, "invalid state: a table is "
		    "not {\"approx\": B, \"groups\": [...]}");
		return -1;
	}
	/* Percentile values go to sketches as they are read. */
	if (json_is_true(japprox) && !t->actx.approx)
		table_go_approx(t);
	keys = xcalloc(pq->nkeys + 1, sizeof(*keys));
	json_array_foreach(groups, gi, jg) {
		key = json_array_get(jg, 0);
		aggs = json_array_get(jg, 1);
		if (!json_is_array(jg) || json_array_size(jg) != 2 ||
		    !json_is_array(key) || json_array_size(key) != pq->nkeys ||
		    !json_is_array(aggs) || json_array_size(aggs) !=
		    pq->nslots) {
			rc = read_fail(err, gi, "not [[keys...], [aggregates"
			    "...]] with this query's columns");
			break;
		}
		/* Borrowed from J: group_add() copies the keys. */
		for (i = 0; i < pq->nkeys; i++)
			keys[i] = value_from_json(json_array_get(key, i));
		before = t->ngroups;
		if ((g = group_find(t, keys)) == NULL) {
			diag_set(err, LOGQ_EXIT_INPUT, "query '%s' has more "
			    "than %zu groups, the --max-groups limit; raise "
			    "it", pq->name, t->max_groups);
			rc = -1;
			break;
		}
		/* The one group of a query without group_by exists from
		 * the start; any other must be new. */
		if (t->ngroups == before && (pq->nkeys > 0 || gi > 0)) {
			rc = read_fail(err, gi, "listed twice");
			break;
		}
		for (i = 0; i < pq->nslots && rc == 0; i++) {
			const json_t *a = json_array_get(aggs, i);
			struct diag e = { 0 };

			if (slot_is_shared_copy(t, i)) {
				if (!json_is_null(a))
					rc = read_fail(err, gi, "a shared "
					    "percentile state is not null");
				continue;
			}
			if (slot_fn(t, i)->read(&g->n[i], slot_of(t, g, i), a,
			    &t->actx, &e) < 0) {
				diag_set(err, LOGQ_EXIT_INPUT, "%s (group %zu, "
				    "aggregate %zu, %s())", e.msg, gi + 1,
				    i + 1, slot_fn(t, i)->name);
				diag_release(&e);
				rc = -1;
			}
		}
		if (rc < 0)
			break;
	}
	free(keys);
	return rc;
}

/* A group's share of the selections: its exact values, a run of
 * equal ones (struct aggfn_values) counted once, as it is read once. */
static uint64_t
group_values(const struct agg_table *t, const struct group *g)
{
	uint64_t n = 0;
	size_t k;

	for (k = 0; k < t->nshared; k++) {
		const struct aggfn_values *p = (const void *)((const char *)g +
		    t->shared[k]);

		if (p->sk == NULL)
			n += p->n + p->nruns;
	}
	return n;
}

/*
 * The share (0 .. NPARTS - 1) of each group, into SHARE: shares of about
 * as many values each, not as many groups, since a few routes have
 * most of the requests. A group goes to the share its values' middle
 * falls in.
 */
static void
split_shares(const struct agg_table *t, size_t nparts, uint32_t *share)
{
	uint64_t total = 0, before = 0, w;
	size_t gi;

	for (gi = 0; gi < t->ngroups; gi++)
		total += group_values(t, group_at(t, gi));
	for (gi = 0; gi < t->ngroups; gi++, before += w) {
		w = group_values(t, group_at(t, gi));
		share[gi] = w == 0 ? UINT32_MAX :
		    (uint32_t)((before + w / 2) * nparts / total);
	}
}

/*
 * The groups of share PART of NPARTS (agg_prepare_split's, or split
 * here): selects their percentiles when SELECT; returns how many values
 * they have (group_values()).
 */
static uint64_t
prepare_share(struct agg_table *t, size_t part, size_t nparts, int select)
{
	const struct plan_query *pq = t->pq;
	uint32_t *share = t->share;
	uint64_t mine = 0;
	size_t gi, i;

	if (share == NULL || t->nshares != nparts ||
	    t->share_groups != t->ngroups) {
		share = xmalloc((t->ngroups + 1) * sizeof(*share));
		split_shares(t, nparts, share);
	}
	for (gi = 0; gi < t->ngroups; gi++) {
		if (share[gi] != part)
			continue;
		mine += group_values(t, group_at(t, gi));
		for (i = 0; select && i < pq->nslots; i++) {
			struct aggfn_values *p;

			if (slot_fn(t, i)->kind != AGGFN_STATE_SHARED)
				continue;
			p = slot_of(t, group_at(t, gi), i);
			/* The result selects the rank; agg_result()
			 * finds it fixed. */
			if (p->sk == NULL && (p->n > 0 || p->nruns > 0))
				(void)slot_fn(t, i)->result(0, p,
				    pq->slots[i]->u.agg.q);
		}
	}
	if (share != t->share)
		free(share);
	return mine;
}

void
agg_prepare_split(struct agg_table *t, size_t nparts)
{
	free(t->share);
	t->share = NULL;
	t->nshares = nparts;
	t->share_groups = t->ngroups;
	if (t->nshared == 0)
		return;
	t->share = xmalloc((t->ngroups + 1) * sizeof(*t->share));
	split_shares(t, nparts, t->share);
}

void
agg_prepare(struct agg_table *t, size_t part, size_t nparts)
{
	if (t->nshared > 0)
		prepare_share(t, part, nparts, 1);
}

uint64_t
agg_prepare_share(struct agg_table *t, size_t part, size_t nparts)
{
	return t->nshared > 0 ? prepare_share(t, part, nparts, 0) : 0;
}

static struct value
slot_value(struct agg_table *t, struct group *g, size_t i)
{
	return slot_fn(t, i)->result(g->n[i], slot_of(t, g, i),
	    t->pq->slots[i]->u.agg.q);
}


struct sort_ctx {
	const struct plan_query	*pq;
	const struct value	*cells;
	const uint64_t		*seq;		/* listing rows, or NULL */
	const struct aggfn_files *files;	/* of seq's positions */
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
	/* By position: in a merge, by file name (aggfn.h). */
	if (c->seq && (r = aggfn_pos_cmp(c->files, c->seq[a], c->seq[b])) != 0)
		return r;
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
	sc.files = t->actx.files;
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

/* Releases what T's groups and rows hold (not their arrays). */
static void
table_release_contents(struct agg_table *t)
{
	size_t gi, i;

	for (gi = 0; gi < t->ngroups; gi++) {
		struct group *g = group_at(t, gi);

		for (i = 0; i < t->pq->nkeys; i++)
			value_release(&g->keys[i]);
		for (i = t->ncount + t->ncond; i < t->nfeed; i++) {
			const struct aggfn *fn = slot_fn(t, t->feed[i]);

			if (fn->release != NULL)
				fn->release(slot_of(t, g, t->feed[i]));
		}
	}
	for (i = 0; i < t->nrows * t->pq->ncolumns; i++)
		value_release(&t->rows[i]);
}

void
agg_table_reset(struct agg_table *t, const struct agg_options *o)
{
	table_release_contents(t);
	free(t->share);
	t->share = NULL;
	t->ngroups = 0;
	t->nrows = 0;
	if (t->gcap > 0)
		memset(t->gslot, 0, t->gcap * sizeof(*t->gslot));
	arena_reset(t->arena);
	table_options(t, o);
	table_start(t);
}

void
agg_table_free(struct agg_table *t)
{
	if (t == NULL)
		return;
	table_release_contents(t);
	free(t->rows);
	free(t->row_seq);
	free(t->row_line);
	free(t->share);
	free(t->groups);
	free(t->gslot);
	buf_release(&t->keybuf);
	free(t->keyvals);
	free(t->state_of);
	free(t->shared);
	free(t->feed);
	buf_release(&t->actx.scratch);
	arena_free(t->arena);
	free(t);
}
