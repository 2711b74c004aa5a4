/* SPDX-License-Identifier: MIT */
/* plan.c - compile loaded queries with the run's aliases and params */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "func.h"
#include "plan.h"
#include "prepare.h"
#include "util.h"

static int
apply_sets(struct query *const *qs, size_t n, const struct plan_options *o,
    struct diag *err)
{
	size_t i, j;

	for (i = 0; i < o->nsets; i++) {
		const char *arg = o->sets[i], *eq = strchr(arg, '=');
		size_t len = (size_t)(eq - arg);
		int used = 0;
		char *why = NULL;

		for (j = 0; j < n; j++) {
			struct query_param *p = query_find_param(qs[j], arg,
			    len);

			if (p == NULL)
				continue;
			if (query_param_set_text(p, eq + 1, &why) < 0) {
				diag_set(err, LOGQ_EXIT_USAGE, "--set %s: %s",
				    arg, why);
				free(why);
				return -1;
			}
			p->set_by = arg;
			used = 1;
		}
		if (!used) {
			struct buf names = BUF_INIT;

			for (j = 0; j < n; j++) {
				size_t k;

				for (k = 0; k < qs[j]->nparams; k++)
					buf_printf(&names, "%s%s",
					    names.len ? ", " : "",
					    qs[j]->params[k].name);
			}
			if (names.len)
				diag_set(err, LOGQ_EXIT_USAGE, "unknown "
				    "parameter '%.*s' in --set; the queries "
				    "declare: %s", (int)len, arg,
				    buf_str(&names));
			else
				diag_set(err, LOGQ_EXIT_USAGE, "unknown "
				    "parameter '%.*s' in --set; the queries "
				    "declare no parameters", (int)len, arg);
			buf_release(&names);
			return -1;
		}
	}
	return 0;
}

static int
param_lookup(void *ctx, const char *name, size_t len, struct value *out)
{
	struct query_param *p = query_find_param(ctx, name, len);

	if (p == NULL)
		return 0;
	*out = p->value;
	return 1;
}

/*
 * The parameter whose `$name` the caret of ERR (on its source line)
 * is under, when a --set gave its value; else NULL.
 */
static const struct query_param *
set_param_at(const struct diag *err, const struct expr_env *env)
{
	const char *s;
	size_t n = 0;
	const struct query_param *p;

	if (env->param != param_lookup || err->source == NULL ||
	    err->caret_col == 0 || err->caret_col > strlen(err->source))
		return NULL;
	s = err->source + err->caret_col - 1;
	if (*s++ != '$')
		return NULL;
	while (s[n] == '_' || (s[n] >= 'a' && s[n] <= 'z') ||
	    (s[n] >= 'A' && s[n] <= 'Z') || (s[n] >= '0' && s[n] <= '9'))
		n++;
	p = query_find_param(env->param_ctx, s, n);
	return p != NULL && p->set_by != NULL ? p : NULL;
}

/*
 * Compiles T. On error, moves the caret from the expression text onto the
 * query file's line when the text maps onto it byte for byte (query.h),
 * so the user sees their file: "queries/x.yaml:9:8: unknown function".
 * An error about a parameter's value that a --set gave (a bucket step
 * of 0) names that --set, where the user typed it (SPEC 1.2), and the
 * place that uses it.
 */
static struct expr *
compile_text(const struct query_text *t, const struct expr_env *env,
    struct diag *err)
{
	struct expr *e = expr_parse(t->text, t->len, env, err);
	struct diag_pos pos = t->pos;
	unsigned caret, span;

	const struct query_param *set;
	char *msg;

	if (e != NULL)
		return e;
	caret = err->caret_col ? err->caret_col : 1;
	span = err->span;
	if ((set = set_param_at(err, env)) != NULL) {
		if (t->src_line != NULL && t->src_col > 0)
			pos.col = t->src_col + caret - 1;
		msg = xasprintf("--set %s: %s (the value of $%s, at %s:%u:%u)",
		    set->set_by, err->msg, set->name, pos.file, pos.line,
		    pos.col);
		diag_set(err, LOGQ_EXIT_USAGE, "%s", msg);
		free(msg);
		free(err->source);
		err->source = NULL;
		return NULL;
	}
	if (t->src_line != NULL && t->src_col > 0 &&
	    memchr(t->text, '\n', caret - 1 < t->len ? caret - 1 : t->len)
	    == NULL) {
		pos.col = t->src_col + caret - 1;
		diag_source(err, t->src_line, strlen(t->src_line), pos.col,
		    span);
	} else if (err->source == NULL)
		diag_source(err, t->text, t->len, caret, span);
	diag_place(err, pos);
	return NULL;
}

static int
build_fields(struct plan *p, struct plan_query *pq,
    const struct plan_options *o, struct diag *err)
{
	const struct query *q = pq->src;
	size_t i;

	if (q->nfields == 0 && p->shared_fields != NULL) {
		pq->fields = p->shared_fields;
		return 0;
	}
	pq->owns_fields = 1;
	pq->fields = fields_copy(o->builtin);
	for (i = 0; i < q->nfields; i++)
		if (fields_set(pq->fields, q->fields[i].name, q->fields[i].spec,
		    err) < 0) {
			diag_place(err, q->fields[i].pos);
			return -1;
		}
	/* The command line wins over the query file. */
	for (i = 0; i < o->nfield_args; i++)
		if (fields_set_arg(pq->fields, o->field_args[i], err) < 0)
			return -1;
	return 0;
}

/* Names are unique across the output columns: they key JSON rows. */
static int
check_column(struct plan_query *pq, size_t upto, const char *name,
    struct diag_pos pos, struct diag *err)
{
	size_t j;

	for (j = 0; j < upto; j++)
		if (strcmp(pq->columns[j], name) == 0) {
			diag_set_at(err, LOGQ_EXIT_USAGE, pos, "duplicate "
			    "column '%s' in query '%s'", name, pq->name);
			return -1;
		}
	return 0;
}

static void
collect_slot(struct expr *agg, void *ctx)
{
	struct plan_query *pq = ctx;

	pq->slots[agg->u.agg.slot] = agg;
}

/* The same aggregate call: one state can answer both. */
static int
agg_equal(const struct expr *a, const struct expr *b)
{
	return a->u.agg.fn == b->u.agg.fn && a->u.agg.q == b->u.agg.q &&
	    expr_equal(a->u.agg.arg, b->u.agg.arg) &&
	    expr_equal(a->u.agg.arg2, b->u.agg.arg2);
}

/*
 * A query's columns often repeat an aggregate call (count() in requests
 * and in 100.0 * count_if(...) / count()): identical calls share one
 * slot, so each line feeds it once. Slots are renumbered densely in
 * order of first use.
 */
static void
share_slots(struct plan_query *pq)
{
	size_t i, j, n = 0, *map = xcalloc(pq->nslots + 1, sizeof(*map));
	struct expr **uniq = xcalloc(pq->nslots + 1, sizeof(*uniq));

	for (i = 0; i < pq->nslots; i++) {
		for (j = 0; j < n && !agg_equal(uniq[j], pq->slots[i]); j++)
			;
		if (j == n)
			uniq[n++] = pq->slots[i];
		map[i] = j;
	}
	for (i = 0; i < pq->nslots; i++)
		pq->slots[i]->u.agg.slot = map[i];
	free(pq->slots);
	free(map);
	pq->slots = uniq;
	pq->nslots = n;
}

static int
build_columns(struct plan_query *pq, struct query *q, struct expr_env *env,
    struct diag *err)
{
	size_t i, n;

	if (q->has_aggregate) {
		pq->is_agg = 1;
		pq->nkeys = q->ngroup_by;
		n = q->ngroup_by + q->naggregate;
	} else if (q->has_select)
		n = q->nselect;
	else {
		static const char *const raw_columns[] = { "_line" };

		pq->is_raw = 1;
		pq->columns = (const char **)raw_columns;
		pq->ncolumns = 1;
		return 0;
	}
	pq->ncolumns = n;
	pq->columns = xcalloc(n + 1, sizeof(*pq->columns));
	if (!pq->is_agg) {
		pq->select = xcalloc(n + 1, sizeof(*pq->select));
		for (i = 0; i < n; i++) {
			if (check_column(pq, i, q->select[i].name,
			    q->select[i].expr.pos, err) < 0)
				return -1;
			pq->columns[i] = q->select[i].name;
			pq->select[i] = compile_text(&q->select[i].expr, env,
			    err);
			if (pq->select[i] == NULL)
				return -1;
		}
		return 0;
	}
	pq->keys = xcalloc(pq->nkeys + 1, sizeof(*pq->keys));
	pq->values = xcalloc(q->naggregate + 1, sizeof(*pq->values));
	for (i = 0; i < pq->nkeys; i++) {
		if (check_column(pq, i, q->group_by[i].name,
		    q->group_by[i].expr.pos, err) < 0)
			return -1;
		pq->columns[i] = q->group_by[i].name;
		if ((pq->keys[i] = compile_text(&q->group_by[i].expr, env,
		    err)) == NULL)
			return -1;
	}
	env->allow_aggregates = 1;
	env->allow_stats = 1;
	env->next_slot = &pq->nslots;
	for (i = 0; i < q->naggregate; i++) {
		if (check_column(pq, pq->nkeys + i, q->aggregate[i].name,
		    q->aggregate[i].expr.pos, err) < 0)
			return -1;
		pq->columns[pq->nkeys + i] = q->aggregate[i].name;
		if ((pq->values[i] = compile_text(&q->aggregate[i].expr, env,
		    err)) == NULL)
			return -1;
	}
	env->allow_aggregates = 0;
	env->allow_stats = 0;
	env->next_slot = NULL;
	pq->slots = xcalloc(pq->nslots + 1, sizeof(*pq->slots));
	for (i = 0; i < q->naggregate; i++)
		expr_foreach_agg(pq->values[i], collect_slot, pq);
	share_slots(pq);
	return 0;
}

static int
find_column(const struct plan_query *pq, const char *name, size_t *out)
{
	size_t i;

	for (i = 0; i < pq->ncolumns; i++)
		if (strcmp(pq->columns[i], name) == 0) {
			*out = i;
			return 1;
		}
	return 0;
}

static void
unknown_column(const struct plan_query *pq, const char *what,
    const char *name, struct diag_pos pos, struct diag *err)
{
	struct buf cols = BUF_INIT;
	size_t i;

	for (i = 0; i < pq->ncolumns; i++)
		buf_printf(&cols, "%s%s", i ? ", " : "", pq->columns[i]);
	diag_set_at(err, LOGQ_EXIT_USAGE, pos, "unknown %s column '%s' "
	    "(columns: %s)", what, name, buf_str(&cols));
	buf_release(&cols);
}

/* having, sort, limit, assert, chart: all over the output columns. */
static int
build_rows(struct plan_query *pq, struct query *q, struct expr_env *env,
    struct diag *err)
{
	size_t i;

	env->columns = pq->columns;
	env->ncolumns = pq->ncolumns;
	env->allow_stats = 1;
	if (q->having && (pq->having = compile_text(q->having, env, err)) ==
	    NULL)
		return -1;
	pq->asserts = xcalloc(q->nasserts + 1, sizeof(*pq->asserts));
	for (i = 0; i < q->nasserts; i++) {
		pq->asserts[i].text = q->asserts[i].text;
		if ((pq->asserts[i].expr = compile_text(&q->asserts[i], env,
		    err)) == NULL)
			return -1;
		pq->nasserts++;
	}
	pq->sort = xcalloc(q->nsort + 1, sizeof(*pq->sort));
	for (i = 0; i < q->nsort; i++) {
		if (!find_column(pq, q->sort[i].column, &pq->sort[i].column)) {
			unknown_column(pq, "sort", q->sort[i].column,
			    q->sort[i].pos, err);
			return -1;
		}
		pq->sort[i].descending = q->sort[i].descending;
		pq->nsort++;
	}
	pq->limit = q->limit;
	pq->chart = SIZE_MAX;
	if (q->chart && !find_column(pq, q->chart, &pq->chart)) {
		unknown_column(pq, "chart", q->chart, q->pos, err);
		return -1;
	}
	return 0;
}

static int
build_query(struct plan *p, struct plan_query *pq, struct query *q,
    const struct plan_options *o, struct diag *err)
{
	struct expr_env env = { 0 };

	pq->src = q;
	pq->name = q->name;
	pq->limit = -1;
	pq->chart = SIZE_MAX;
	if (build_fields(p, pq, o, err) < 0)
		return -1;
	env.fields = pq->fields;
	env.param = param_lookup;
	env.param_ctx = q;
	if (q->where && (pq->where = compile_text(q->where, &env, err)) == NULL)
		return -1;
	if (build_columns(pq, q, &env, err) < 0)
		return -1;
	return build_rows(pq, q, &env, err);
}

struct memo_node {
	struct expr	*e;
	uint64_t	 hash;
};

struct memo_nodes {
	struct memo_node *v;
	size_t		  n, alloc;
};

/* Subtrees larger than this are not shared: sharing pays on small ones
 * (route(path), status >= 500), and the bound keeps expr_equal's
 * recursion and the hashing short even for a 1 MB expression. */
#define MEMO_MAX_NODES	64

static uint64_t
memo_mix(uint64_t h, uint64_t x)
{
	h ^= x + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
	return h;
}

static uint64_t
memo_bytes(uint64_t h, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		h = memo_mix(h, (unsigned char)s[i]);
	return h;
}

/* A hash that expr_equal trees share (what it compares, hashed). */
static uint64_t
memo_hash(const struct expr *e)
{
	uint64_t h;
	size_t i;

	if (e == NULL)
		return 0x51;
	h = memo_mix(e->op, memo_hash(e->a));
	h = memo_mix(h, memo_hash(e->b));
	switch (e->op) {
	case EXPR_LITERAL:
		h = memo_mix(h, e->u.literal.kind);
		if (e->u.literal.kind == VALUE_STRING)
			h = memo_bytes(h, e->u.literal.u.s.ptr,
			    e->u.literal.u.s.len);
		else if (e->u.literal.kind == VALUE_INT)
			h = memo_mix(h, (uint64_t)e->u.literal.u.i);
		break;
	case EXPR_FIELD:
		for (i = 0; i < e->u.field.n; i++)
			h = memo_mix(h, e->u.field.seg_hash[i]);
		break;
	case EXPR_ALIAS:
		h = memo_mix(h, (uint64_t)(uintptr_t)e->u.alias);
		break;
	case EXPR_MATCH:
	case EXPR_NOT_MATCH:
		h = memo_bytes(h, e->u.regex.pattern,
		    strlen(e->u.regex.pattern));
		break;
	case EXPR_CALL:
		h = memo_mix(h, (uint64_t)(uintptr_t)e->u.call.fn);
		for (i = 0; i < e->u.call.nargs; i++)
			h = memo_mix(h, memo_hash(e->u.call.args[i]));
		break;
	case EXPR_LIST:
		for (i = 0; i < e->u.list.n; i++)
			h = memo_mix(h, memo_hash(e->u.list.items[i]));
		break;
	default:
		break;
	}
	return h;
}

/*
 * Whether computing E costs more than looking it up in the memo: it
 * calls a function, matches a regex or searches a list, or it is large.
 * A comparison of a field with a literal (status >= 500) is cheaper
 * computed again than memoised.
 */
static int
memo_worth(const struct expr *e)
{
	if (e == NULL)
		return 0;
	switch (e->op) {
	case EXPR_CALL:
	case EXPR_MATCH:
	case EXPR_NOT_MATCH:
	case EXPR_IN:
	case EXPR_NOT_IN:
	case EXPR_LIST:
		return 1;
	default:
		break;
	}
	return memo_worth(e->a) || memo_worth(e->b);
}

#define MEMO_LARGE	8	/* nodes: worth memoising whatever they are */

/* Collects the nodes worth computing once a line (memo_worth): operators
 * and calls over the record only (no aggregate, column or statistic
 * inside) of at most MEMO_MAX_NODES nodes. Returns whether E reads only
 * the record; *SIZE is its node count (capped). */
static int
memo_collect(struct expr *e, struct memo_nodes *m, size_t *size)
{
	size_t i, sub = 0;
	int pure = 1;

	*size = 0;
	if (e == NULL)
		return 1;
	*size = 1;
	switch (e->op) {
	case EXPR_AGG:
		memo_collect(e->u.agg.arg, m, &sub);
		memo_collect(e->u.agg.arg2, m, &sub);
		return 0;
	case EXPR_COLUMN:
	case EXPR_STAT:
		return 0;
	case EXPR_LITERAL:
	case EXPR_FIELD:
	case EXPR_ALIAS:
		return 1;	/* cheap, or cached already (eval.h) */
	default:
		break;
	}
	pure &= memo_collect(e->a, m, &sub);
	*size += sub;
	pure &= memo_collect(e->b, m, &sub);
	*size += sub;
	if (e->op == EXPR_CALL)
		for (i = 0; i < e->u.call.nargs; i++) {
			pure &= memo_collect(e->u.call.args[i], m, &sub);
			*size += sub;
		}
	if (e->op == EXPR_LIST)
		for (i = 0; i < e->u.list.n; i++) {
			pure &= memo_collect(e->u.list.items[i], m, &sub);
			*size += sub;
		}
	if (*size > MEMO_MAX_NODES)
		*size = MEMO_MAX_NODES + 1;
	if (pure && *size <= MEMO_MAX_NODES &&
	    (*size >= MEMO_LARGE || memo_worth(e))) {
		XGROW(m->v, m->n + 1, m->alloc);
		m->v[m->n].e = e;
		m->v[m->n++].hash = memo_hash(e);
	}
	return pure;
}

static int
memo_cmp(const void *a, const void *b)
{
	const struct memo_node *x = a, *y = b;

	return (x->hash > y->hash) - (x->hash < y->hash);
}

/* Calls FN on every expression a run evaluates over lines: each
 * query's where, select columns, group keys and aggregate columns. */
static void
foreach_query_expr(struct plan *p, void (*fn)(struct expr *, void *),
    void *ctx)
{
	size_t qi, i;

	for (qi = 0; qi < p->n; qi++) {
		struct plan_query *pq = &p->queries[qi];

		if (pq->where != NULL)
			fn(pq->where, ctx);
		for (i = 0; pq->select && i < pq->ncolumns; i++)
			fn(pq->select[i], ctx);
		for (i = 0; i < pq->nkeys; i++)
			fn(pq->keys[i], ctx);
		for (i = 0; pq->values && i < pq->ncolumns - pq->nkeys; i++)
			fn(pq->values[i], ctx);
	}
}

static void
memo_query(struct expr *e, void *m)
{
	size_t size;

	memo_collect(e, m, &size);
}

/*
 * Common subexpressions across the run's queries: a report reads
 * route(path) in two queries and `status >= 500` in three, per line.
 * Identical subtrees get one memo slot, computed once a line (eval.c).
 * Sorted by hash, only trees of equal hash are compared.
 */
static void
plan_memoise(struct plan *p)
{
	struct memo_nodes m = { 0 };
	size_t i, j, slots = 0;

	foreach_query_expr(p, memo_query, &m);
	if (m.n > 0)
		qsort(m.v, m.n, sizeof(*m.v), memo_cmp);
	for (i = 0; i < m.n; i = j) {
		size_t k;

		for (j = i + 1; j < m.n && m.v[j].hash == m.v[i].hash; j++)
			;
		/* A run of equal hashes: usually one tree, many times. */
		for (k = i; k < j; k++) {
			size_t l;

			if (m.v[k].e->memo != 0)
				continue;
			for (l = k + 1; l < j; l++)
				if (m.v[l].e->memo == 0 &&
				    expr_equal(m.v[k].e, m.v[l].e)) {
					if (m.v[k].e->memo == 0)
						m.v[k].e->memo =
						    (unsigned)++slots;
					m.v[l].e->memo = m.v[k].e->memo;
				}
		}
	}
	free(m.v);
}

/* Numbers a call whose results evaluation keeps by argument (func.h's
 * by_argument): each has its own cache per thread. */
static void
number_cached_call(struct expr *e, void *next)
{
	unsigned *n = next;

	if (e->op == EXPR_CALL && e->u.call.fn->by_argument &&
	    e->u.call.nargs == 1 && e->u.call.cache == 0)
		e->u.call.cache = ++*n;
}

/* Numbers the cached calls and rewrites the tree for evaluation
 * (prepare.c). */
static void
prepare_query_expr(struct expr *e, void *next)
{
	expr_walk(e, number_cached_call, next);
	prepare_expr(e);
}

static void
plan_prepare_eval(struct plan *p)
{
	unsigned n = 0;

	foreach_query_expr(p, prepare_query_expr, &n);
}

/* Queries with the same `where` (rate-limited and its total): tested
 * once a line (run.c). Both must read aliases from one table. */
static void
plan_share_where(struct plan *p)
{
	size_t qi, k;

	for (qi = 0; qi < p->n; qi++) {
		struct plan_query *pq = &p->queries[qi];

		pq->where_of = qi;
		if (pq->where == NULL)
			continue;
		for (k = 0; k < qi; k++)
			if (p->queries[k].where != NULL &&
			    expr_equal(p->queries[k].where, pq->where)) {
				pq->where_of = k;
				break;
			}
	}
}

struct watch_ctx {
	struct plan		*p;
	struct plan_query	*pq;
	size_t			 alloc;
};

static void
watch_field(const struct expr *node, void *ctx)
{
	struct watch_ctx *w = ctx;
	struct plan *p = w->p;
	struct plan_query *pq = w->pq;
	size_t i, j;

	for (i = 0; i < p->nwatch && !expr_equal(p->watch[i], node); i++)
		;
	if (i == p->nwatch) {
		XGROW(p->watch, p->nwatch + 1, w->alloc);
		p->watch[p->nwatch++] = node;
	}
	for (j = 0; j < pq->nwatch && pq->watch[j] != i; j++)
		;
	if (j == pq->nwatch) {
		pq->watch = xrealloc(pq->watch, (pq->nwatch + 1) *
		    sizeof(*pq->watch));
		pq->watch[pq->nwatch++] = i;
	}
}

/* The fields each `where` reads, for the never-seen warning. */
static void
plan_watch(struct plan *p)
{
	struct watch_ctx w = { p, NULL, 0 };
	size_t qi;

	for (qi = 0; qi < p->n; qi++) {
		w.pq = &p->queries[qi];
		if (w.pq->where)
			expr_foreach_field(w.pq->where, watch_field, &w);
	}
}

/* What a query's expressions read: the line's own fields, others. */
struct line_only_ctx {
	size_t		 line_fields, other_fields;
};

static void
count_line_field(struct expr *e, void *ctx)
{
	static const char *const names[] = {
		"_line", "_file", "_lineno", "_prefix"
	};
	struct line_only_ctx *c = ctx;
	size_t i;

	if (e->op == EXPR_ALIAS) {
		c->other_fields++;
		return;
	}
	if (e->op != EXPR_FIELD)
		return;
	for (i = 0; e->u.field.n == 1 &&
	    i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == e->u.field.seg_len[0] &&
		    memcmp(names[i], e->u.field.seg[0],
		    e->u.field.seg_len[0]) == 0) {
			c->line_fields++;
			return;
		}
	c->other_fields++;
}

/*
 * A query that reads some of _line, _file, _lineno, _prefix and no other
 * field (no-secrets: regexes over _line) has all it needs on a line
 * that holds no JSON object: a PEM dump, a panic, a plain-text
 * "Authorization: Bearer" line. It runs on them too (run.c), where the
 * others cannot; a query that reads no field at all (count()) does not.
 */
static void
plan_line_only(struct plan *p)
{
	size_t qi, i;

	for (qi = 0; qi < p->n; qi++) {
		struct plan_query *pq = &p->queries[qi];
		struct line_only_ctx c = { 0, 0 };

		if (pq->where != NULL)
			expr_walk(pq->where, count_line_field, &c);
		for (i = 0; pq->select && i < pq->ncolumns; i++)
			expr_walk(pq->select[i], count_line_field, &c);
		for (i = 0; i < pq->nkeys; i++)
			expr_walk(pq->keys[i], count_line_field, &c);
		for (i = 0; pq->values && i < pq->ncolumns - pq->nkeys; i++)
			expr_walk(pq->values[i], count_line_field, &c);
		/* A raw listing's rows are its lines: it reads _line. */
		if (pq->is_raw)
			c.line_fields++;
		pq->reads_line_only = c.line_fields > 0 &&
		    c.other_fields == 0 && (pq->where != NULL || !pq->is_raw);
		p->has_line_only |= pq->reads_line_only;
	}
}

static void
note_regex(struct expr *e, void *ctx)
{
	int *runs_regex = ctx;

	if (e->op == EXPR_MATCH || e->op == EXPR_NOT_MATCH ||
	    (e->op == EXPR_CALL && e->u.call.fn->runs_regex))
		*runs_regex = 1;
}

/* Which queries run a regex on each line (their where, select, keys or
 * aggregate arguments): a line's regex stops are counted by query only
 * in a run that has one (run.c). */
static void
plan_regexes(struct plan *p)
{
	size_t qi, i;

	for (qi = 0; qi < p->n; qi++) {
		struct plan_query *pq = &p->queries[qi];
		int runs = 0;

		expr_walk(pq->where, note_regex, &runs);
		for (i = 0; pq->select && i < pq->ncolumns; i++)
			expr_walk(pq->select[i], note_regex, &runs);
		for (i = 0; i < pq->nkeys; i++)
			expr_walk(pq->keys[i], note_regex, &runs);
		for (i = 0; pq->values && i < pq->ncolumns - pq->nkeys; i++)
			expr_walk(pq->values[i], note_regex, &runs);
		pq->runs_regex = runs;
		p->has_regex |= runs;
	}
}

void
plan_watch_name(const struct plan *p, size_t i, struct buf *out)
{
	const struct expr *e = p->watch[i];

	if (e->op == EXPR_ALIAS)
		buf_adds(out, e->u.alias->name);
	else
		field_path_write(out, &e->u.field);
}

int
plan_build(struct plan *p, struct query *const *qs, size_t n,
    const struct plan_options *o, struct diag *err)
{
	size_t i;

	memset(p, 0, sizeof(*p));
	if (apply_sets(qs, n, o, err) < 0)
		return -1;
	p->queries = xcalloc(n ? n : 1, sizeof(*p->queries));
	p->n = n;
	p->shared_fields = fields_copy(o->builtin);
	for (i = 0; i < o->nfield_args; i++)
		if (fields_set_arg(p->shared_fields, o->field_args[i], err) < 0)
			return -1;
	for (i = 0; i < n; i++)
		if (build_query(p, &p->queries[i], qs[i], o, err) < 0)
			return -1;
	plan_memoise(p);
	plan_prepare_eval(p);
	plan_share_where(p);
	plan_watch(p);
	plan_line_only(p);
	plan_regexes(p);
	return 0;
}

void
plan_release(struct plan *p)
{
	size_t i, j;

	for (i = 0; i < p->n; i++) {
		struct plan_query *pq = &p->queries[i];

		if (pq->owns_fields)
			fields_free(pq->fields);
		expr_free(pq->where);
		expr_free(pq->having);
		for (j = 0; pq->select && j < pq->ncolumns; j++)
			expr_free(pq->select[j]);
		for (j = 0; pq->keys && j < pq->nkeys; j++)
			expr_free(pq->keys[j]);
		for (j = 0; pq->values && j < pq->ncolumns - pq->nkeys; j++)
			expr_free(pq->values[j]);
		for (j = 0; j < pq->nasserts; j++)
			expr_free(pq->asserts[j].expr);
		free(pq->select);
		free(pq->keys);
		free(pq->values);
		free(pq->slots);
		free(pq->asserts);
		free(pq->sort);
		free(pq->watch);
		if (!pq->is_raw)
			free(pq->columns);
	}
	free(p->queries);
	free(p->watch);
	fields_free(p->shared_fields);
	memset(p, 0, sizeof(*p));
}

struct explain_fields {
	struct buf	 seen;		/* "\n"-separated names printed */
	FILE		*fp;
};

static void
explain_field(const struct expr *node, void *ctx)
{
	struct explain_fields *x = ctx;
	struct buf name = BUF_INIT, key = BUF_INIT;
	size_t i;

	if (node->op == EXPR_ALIAS)
		buf_adds(&name, node->u.alias->name);
	else
		field_path_write(&name, &node->u.field);
	buf_printf(&key, "\n%s\n", buf_str(&name));
	if (x->seen.len && strstr(buf_str(&x->seen), buf_str(&key))) {
		buf_release(&name);
		buf_release(&key);
		return;
	}
	buf_printf(&x->seen, "%s", buf_str(&key));
	if (node->op == EXPR_ALIAS) {
		const struct fields_alias *a = node->u.alias;

		fprintf(x->fp, "    %s: the first present of ", a->name);
		for (i = 0; i < a->nalts; i++) {
			struct buf alt = BUF_INIT;

			field_path_write(&alt, &a->alts[i].path);
			fprintf(x->fp, "%s%s%s", i ? ", " : "", buf_str(&alt),
			    a->alts[i].conv == FIELDS_AS_IS ? "" :
			    a->alts[i].conv == FIELDS_PINO ?
			    " (pino levels as names)" :
			    a->alts[i].conv == FIELDS_S ? (a->alts[i].guess ?
			    " (seconds assumed, as ms)" : " (seconds, as ms)") :
			    a->alts[i].conv == FIELDS_US ?
			    " (microseconds, as ms)" :
			    a->alts[i].conv == FIELDS_NS ?
			    " (nanoseconds, as ms)" :
			    a->alts[i].conv == FIELDS_REQUEST_PATH ?
			    " (the target of a request line)" :
			    a->alts[i].conv == FIELDS_REQUEST_METHOD ?
			    " (the method of a request line)" :
			    " (milliseconds)");
			buf_release(&alt);
		}
		fputc('\n', x->fp);
	} else
		fprintf(x->fp, "    %s: the field itself\n", buf_str(&name));
	buf_release(&name);
	buf_release(&key);
}

void
plan_explain(const struct plan *p, FILE *fp)
{
	size_t i, j;

	for (i = 0; i < p->n; i++) {
		const struct plan_query *pq = &p->queries[i];
		const struct query *q = pq->src;
		struct explain_fields x = { BUF_INIT, fp };

		fprintf(fp, "%squery %s (%s)\n", i ? "\n" : "", pq->name,
		    q->file);
		if (q->description)
			fprintf(fp, "  description: %s\n", q->description);
		fprintf(fp, "  where: %s\n", q->where ? q->where->text :
		    "(every line)");
		if (pq->is_raw)
			fprintf(fp, "  rows: the matching lines as read\n");
		else if (!pq->is_agg) {
			fprintf(fp, "  columns:\n");
			for (j = 0; j < pq->ncolumns; j++)
				fprintf(fp, "    %s: %s\n", pq->columns[j],
				    q->select[j].expr.text);
		} else {
			fprintf(fp, "  groups by:%s\n", pq->nkeys ? "" :
			    " (nothing: one row)");
			for (j = 0; j < pq->nkeys; j++)
				fprintf(fp, "    %s: %s\n", pq->columns[j],
				    q->group_by[j].expr.text);
			fprintf(fp, "  aggregates:\n");
			for (j = 0; j < q->naggregate; j++)
				fprintf(fp, "    %s: %s\n",
				    q->aggregate[j].name,
				    q->aggregate[j].expr.text);
		}
		if (q->having)
			fprintf(fp, "  having: %s\n", q->having->text);
		for (j = 0; j < q->nasserts; j++)
			fprintf(fp, "%s    %s\n", j ? "" : "  asserts:\n",
			    q->asserts[j].text);
		/* The value in force, its type as --list --params names
		 * it (a duration also as typed) and the --set that gave
		 * it. */
		for (j = 0; j < q->nparams; j++) {
			const struct query_param *qp = &q->params[j];
			enum query_param_type t = query_param_type(qp);
			struct buf v = BUF_INIT, typed = BUF_INIT;

			value_write_json(&v, &qp->value);
			if (t == QUERY_PARAM_DURATION)
				query_param_write_value(&typed, qp,
				    &qp->value);
			fprintf(fp, "%s    $%s = %s (%s%s%s%s%s)\n", j ? "" :
			    "  parameters:\n", qp->name, buf_str(&v),
			    query_param_type_name(t), typed.len ? " " : "",
			    buf_str(&typed), qp->set_by ? ", from --set " : "",
			    qp->set_by ? qp->set_by : "");
			buf_release(&v);
			buf_release(&typed);
		}
		fprintf(fp, "  fields read:\n");
		if (pq->where)
			expr_foreach_field(pq->where, explain_field, &x);
		for (j = 0; pq->select && j < pq->ncolumns; j++)
			expr_foreach_field(pq->select[j], explain_field, &x);
		for (j = 0; j < pq->nkeys; j++)
			expr_foreach_field(pq->keys[j], explain_field, &x);
		for (j = 0; pq->values && j < pq->ncolumns - pq->nkeys; j++)
			expr_foreach_field(pq->values[j], explain_field, &x);
		if (x.seen.len == 0)
			fprintf(fp, "    (none)\n");
		buf_release(&x.seen);
	}
}
