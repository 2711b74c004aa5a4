/* SPDX-License-Identifier: MIT */
/* eval.c - expression tree x record -> value, once per line */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "eval.h"
#include "fields.h"
#include "func.h"
#include "hash.h"
#include "prepare.h"
#include "util.h"

/* Memo entries come in blocks of EVAL_MEMO_BLOCK; a cached call keeps
 * EVAL_CACHE_ENTRIES results. */
#define EVAL_MEMO_BLOCK		32
#define EVAL_CACHE_ENTRIES	64
#define EVAL_CACHE_ARG		64	/* longest argument kept */
#define EVAL_CACHE_RESULT	128	/* longest string result kept */

/* PCRE2's limits, so that one hostile line cannot stall the run. */
#define EVAL_MATCH_LIMIT	1000000
#define EVAL_DEPTH_LIMIT	100000
#define EVAL_JIT_STACK_MIN	(32 * 1024)
#define EVAL_JIT_STACK_MAX	(1024 * 1024)

static inline struct value eval_fast(const struct expr *e,
    struct eval_ctx *ctx);
static inline const struct value *eval_ref(const struct expr *e,
    struct eval_ctx *ctx, struct value *tmp);

void
eval_ctx_init(struct eval_ctx *ctx)
{
	pcre2_match_context *mctx;

	memset(ctx, 0, sizeof(*ctx));
	ctx->func.arena = arena_new();
	alias_cache_init(&ctx->aliases);
	if ((mctx = pcre2_match_context_create(NULL)) == NULL ||
	    (ctx->func.match_data = pcre2_match_data_create(EVAL_OVECTOR_PAIRS,
	    NULL)) == NULL) {
		fprintf(stderr, "%s: out of memory\n", logq_progname);
		exit(2);
	}
	pcre2_set_match_limit(mctx, EVAL_MATCH_LIMIT);
	pcre2_set_depth_limit(mctx, EVAL_DEPTH_LIMIT);
	/* JIT's default 32K stack fails on long lines with backtracking
	 * patterns; a larger one (grown on demand) makes that rare. */
	ctx->jit_stack = pcre2_jit_stack_create(EVAL_JIT_STACK_MIN,
	    EVAL_JIT_STACK_MAX, NULL);
	if (ctx->jit_stack != NULL)
		pcre2_jit_stack_assign(mctx, NULL, ctx->jit_stack);
	ctx->func.match_ctx = mctx;
}

void
eval_ctx_release(struct eval_ctx *ctx)
{
	arena_free(ctx->func.arena);
	pcre2_match_data_free(ctx->func.match_data);
	pcre2_match_context_free(ctx->func.match_ctx);
	pcre2_jit_stack_free(ctx->jit_stack);
	for (size_t i = 0; i < ctx->nmemo_blocks; i++)
		free(ctx->memo[i]);
	free(ctx->memo);
	for (size_t i = 0; i < ctx->ncall_cache; i++)
		free(ctx->call_cache[i]);
	free(ctx->call_cache);
	alias_cache_release(&ctx->aliases);
	memset(ctx, 0, sizeof(*ctx));
}

int
eval_regex_match(struct eval_ctx *ctx, void *code, const char *s, size_t len)
{
	int rc;

	rc = pcre2_match(code, (PCRE2_SPTR)(s ? s : ""), len, 0, 0,
	    ctx->func.match_data, ctx->func.match_ctx);
	if (rc >= 0)
		return 1;	/* 0: matched, ovector too small */
	switch (rc) {
	case PCRE2_ERROR_MATCHLIMIT:
	case PCRE2_ERROR_DEPTHLIMIT:
	case PCRE2_ERROR_HEAPLIMIT:
	case PCRE2_ERROR_JIT_STACKLIMIT:
		ctx->func.regex_limit_hits++;
		return 0;
	default:
		return 0;
	}
}

/*
 * =~ on V: strings as they are, numbers as the text str() gives them
 * (so `status =~ "^5"` works on numeric statuses); null, booleans,
 * lists and objects never match.
 */
static int
match_value(struct eval_ctx *ctx, void *code, const struct value *v)
{
	char tmp[40];
	int n, prec;

	switch (v->kind) {
	case VALUE_STRING:
		return eval_regex_match(ctx, code, v->u.s.ptr, v->u.s.len);
	case VALUE_INT:
		n = snprintf(tmp, sizeof(tmp), "%lld", (long long)v->u.i);
		return eval_regex_match(ctx, code, tmp, (size_t)n);
	case VALUE_REAL:
		/* The text value_write_double() makes, without a buffer. */
		if (v->u.r == floor(v->u.r) && fabs(v->u.r) < 1e17)
			n = snprintf(tmp, sizeof(tmp), "%.0f", v->u.r);
		else {
			for (prec = 15, n = 0; prec <= 17; prec++) {
				n = snprintf(tmp, sizeof(tmp), "%.*g", prec,
				    v->u.r);
				if (strtod(tmp, NULL) == v->u.r)
					break;
			}
		}
		return eval_regex_match(ctx, code, tmp, (size_t)n);
	default:
		return 0;
	}
}

static struct value
concat(struct eval_ctx *ctx, const struct value *x, const struct value *y)
{
	size_t len = x->u.s.len + y->u.s.len;
	char *s = arena_alloc(ctx->func.arena, len ? len : 1);

	if (x->u.s.len > 0)
		memcpy(s, x->u.s.ptr, x->u.s.len);
	if (y->u.s.len > 0)
		memcpy(s + x->u.s.len, y->u.s.ptr, y->u.s.len);
	return value_str(s, len);
}

static struct value
real_result(double d)
{
	/* inf has no JSON form and no order worth keeping: null. */
	return isfinite(d) ? value_real(d) : value_null();
}

/*
 * + - * / %: numbers, or strings value_parse_number() reads ("1.5").
 * Integers stay integers unless they overflow; / is always real; a
 * zero divisor gives null. + on two strings concatenates.
 */
static struct value
arith(enum expr_op op, struct eval_ctx *ctx, const struct value *x,
    const struct value *y)
{
	int64_t r;
	double a, b;

	if (x->kind == VALUE_INT && y->kind == VALUE_INT) {
		switch (op) {
		case EXPR_ADD:
			if (!__builtin_add_overflow(x->u.i, y->u.i, &r))
				return value_int(r);
			break;
		case EXPR_SUB:
			if (!__builtin_sub_overflow(x->u.i, y->u.i, &r))
				return value_int(r);
			break;
		case EXPR_MUL:
			if (!__builtin_mul_overflow(x->u.i, y->u.i, &r))
				return value_int(r);
			break;
		case EXPR_MOD:
			if (y->u.i == 0)
				return value_null();
			/* INT64_MIN % -1 traps on x86. */
			if (y->u.i == -1)
				return value_int(0);
			return value_int(x->u.i % y->u.i);
		default:
			break;
		}
	}
	if (op == EXPR_ADD && x->kind == VALUE_STRING &&
	    y->kind == VALUE_STRING)
		return concat(ctx, x, y);
	if (!value_parse_number(x, &a) || !value_parse_number(y, &b))
		return value_null();
	switch (op) {
	case EXPR_ADD:
		return real_result(a + b);
	case EXPR_SUB:
		return real_result(a - b);
	case EXPR_MUL:
		return real_result(a * b);
	case EXPR_DIV:
		return b == 0 ? value_null() : real_result(a / b);
	case EXPR_MOD:
		return b == 0 ? value_null() : real_result(fmod(a, b));
	default:
		return value_null();
	}
}

static struct value
negate(const struct value *v)
{
	if (v->kind == VALUE_INT)
		return v->u.i == INT64_MIN ? value_real(-(double)v->u.i) :
		    value_int(-v->u.i);
	if (v->kind == VALUE_REAL)
		return value_real(-v->u.r);
	return value_null();
}

void
eval_ctx_new_line(struct eval_ctx *ctx, const struct record *rec)
{
	arena_reset(ctx->func.arena);
	ctx->rec = rec;
}

/* One result of a cached call: its argument's bytes and the result,
 * a string result copied here. */
struct eval_call_entry {
	uint32_t	 len;		/* UINT32_MAX: empty */
	char		 arg[EVAL_CACHE_ARG];
	struct value	 v;
	char		 res[EVAL_CACHE_RESULT];
};

/*
 * route(path), lower(level): the same few arguments come back line
 * after line, so a call whose function depends only on its string
 * argument (func.h's by_argument) keeps its recent results by argument,
 * per thread, direct-mapped by the argument's hash. An entry belongs to
 * one call node and a node gets one argument a line, so a result handed
 * out stays unchanged until the next line, as arena strings do.
 */
static struct value
cached_call(const struct expr *e, struct eval_ctx *ctx,
    const struct value *arg)
{
	size_t k = e->u.call.cache - 1, len = arg->u.s.len;
	struct eval_call_entry *c;
	struct value v;

	if (k >= ctx->ncall_cache) {
		size_t n = k + 1, i, j;

		ctx->call_cache = xrealloc(ctx->call_cache, n *
		    sizeof(*ctx->call_cache));
		for (i = ctx->ncall_cache; i < n; i++) {
			ctx->call_cache[i] = xcalloc(EVAL_CACHE_ENTRIES,
			    sizeof(**ctx->call_cache));
			for (j = 0; j < EVAL_CACHE_ENTRIES; j++)
				ctx->call_cache[i][j].len = UINT32_MAX;
		}
		ctx->ncall_cache = n;
	}
	c = &ctx->call_cache[k][hash_bytes(arg->u.s.ptr, len) &
	    (EVAL_CACHE_ENTRIES - 1)];
	if (c->len == len && bytes_equal(c->arg, arg->u.s.ptr, len))
		return c->v;
	v = e->u.call.fn->fn(&ctx->func, e->u.call.prepared, arg, 1);
	if ((v.kind == VALUE_STRING && v.u.s.len > EVAL_CACHE_RESULT) ||
	    v.kind == VALUE_JSON || v.kind == VALUE_LIST)
		return v;	/* not kept */
	if (v.kind == VALUE_STRING) {
		if (v.u.s.len > 0)
			memcpy(c->res, v.u.s.ptr, v.u.s.len);
		v.u.s.ptr = c->res;
	}
	if (len > 0)
		memcpy(c->arg, arg->u.s.ptr, len);
	c->len = (uint32_t)len;
	c->v = v;
	return v;
}

static struct value
eval_call(const struct expr *e, struct eval_ctx *ctx)
{
	struct value small[8], *args = small;
	size_t i, n = e->u.call.nargs;
	const struct value *arg;

	/* route(path), lower(level): the argument read in place. */
	if (e->u.call.cache != 0 && n == 1) {
		arg = eval_ref(e->u.call.args[0], ctx, small);
		if (arg->kind == VALUE_STRING && arg->u.s.len <= EVAL_CACHE_ARG)
			return cached_call(e, ctx, arg);
		return e->u.call.fn->fn(&ctx->func, e->u.call.prepared, arg, 1);
	}

	if (n > sizeof(small) / sizeof(small[0]))
		args = arena_alloc(ctx->func.arena, n * sizeof(*args));
	for (i = 0; i < n; i++)
		args[i] = eval_fast(e->u.call.args[i], ctx);
	return e->u.call.fn->fn(&ctx->func, e->u.call.prepared, args, n);
}

static struct value
eval_list(const struct expr *e, struct eval_ctx *ctx)
{
	struct value v, *items;
	size_t i, n = e->u.list.n;

	items = arena_alloc(ctx->func.arena, (n ? n : 1) * sizeof(*items));
	for (i = 0; i < n; i++)
		items[i] = eval_fast(e->u.list.items[i], ctx);
	v.kind = VALUE_LIST;
	v.u.list.items = items;
	v.u.list.n = n;
	return v;
}

static struct value eval_node(const struct expr *e, struct eval_ctx *ctx);
static int test_node(const struct expr *e, struct eval_ctx *ctx);
static int test_other(const struct expr *e, struct eval_ctx *ctx);
static inline int test(const struct expr *e, struct eval_ctx *ctx);

/* A memoised node's value, valid while its stamp is the line's
 * generation. */
struct eval_memo_entry {
	uint64_t	 gen;		/* record_generation() */
	struct value	 v;
};

/*
 * A memoised node (plan.c marks subexpressions that several queries of
 * the run share, such as route(path)) is computed once per line. The
 * stamp is the record's generation, so a new line, or a test that sets
 * ctx->rec itself, is never served a stale value. Entries live in
 * blocks that never move: a reference to one stays good while other
 * slots are filled.
 */
static const struct value *
memo_ref(const struct expr *e, struct eval_ctx *ctx)
{
	size_t i = e->memo - 1, b = i / EVAL_MEMO_BLOCK;
	struct eval_memo_entry *m;
	uint64_t gen;

	if (b >= ctx->nmemo_blocks) {
		size_t n = b + 1, k;

		ctx->memo = xrealloc(ctx->memo, n * sizeof(*ctx->memo));
		for (k = ctx->nmemo_blocks; k < n; k++)
			ctx->memo[k] = xcalloc(EVAL_MEMO_BLOCK,
			    sizeof(**ctx->memo));
		ctx->nmemo_blocks = n;
	}
	m = &ctx->memo[b][i % EVAL_MEMO_BLOCK];
	gen = record_generation(ctx->rec);
	if (m->gen != gen) {
		m->v = eval_node(e, ctx);
		m->gen = gen;
	}
	return &m->v;
}

/* Most nodes are not memoised: one branch, then the node itself. */
static inline struct value
eval_fast(const struct expr *e, struct eval_ctx *ctx)
{
	if (__builtin_expect(e->memo == 0 || ctx->rec == NULL, 1))
		return eval_node(e, ctx);
	return *memo_ref(e, ctx);
}

/*
 * E's value, read in place where it already exists (a literal, an
 * alias's cache entry, a memoised node) or computed into *TMP. Copying
 * a struct value from a callee's stores costs more than it seems on
 * x86 (a 16-byte load from two 8-byte stores is not forwarded), and
 * comparisons read several of them a line. A reference into a cache
 * stays good until the next line or the next read of an alias of the
 * same cache slot: callers that evaluate something else before using
 * it copy it first.
 */
static inline const struct value *
eval_ref(const struct expr *e, struct eval_ctx *ctx, struct value *tmp)
{
	if (e->memo != 0 && ctx->rec != NULL)
		return memo_ref(e, ctx);
	switch (e->op) {
	case EXPR_LITERAL:
		return &e->u.literal;
	case EXPR_ALIAS:
		return eval_alias_ref(e->u.alias, ctx);
	case EXPR_FIELD:
		if (ctx->rec == NULL || !record_get(ctx->rec, &e->u.field, tmp))
			return &alias_null_value;
		return tmp;
	default:
		*tmp = eval_node(e, ctx);
		return tmp;
	}
}

/* The operands of a binary node, by reference: B second, and A copied
 * first unless B is a literal (whose reference evaluates nothing). */
static inline void
operands(const struct expr *e, struct eval_ctx *ctx, struct value *ta,
    struct value *tb, const struct value **a, const struct value **b)
{
	*a = eval_ref(e->a, ctx, ta);
	if (e->b->op == EXPR_LITERAL && e->b->memo == 0) {
		*b = &e->b->u.literal;
		return;
	}
	if (*a != ta) {
		*ta = **a;
		*a = ta;
	}
	*b = eval_ref(e->b, ctx, tb);
}

static inline int
truthy(const struct value *v)
{
	return v->kind == VALUE_BOOL ? v->u.b : v->kind != VALUE_NULL;
}

/* X in the list R (a list value or a JSON array); anything else: no. */
static int
in_value(const struct value *x, const struct value *r)
{
	struct value item;
	size_t i, n;

	if (r->kind == VALUE_LIST) {
		for (i = 0; i < r->u.list.n; i++) {
			const struct value *it = &r->u.list.items[i];

			/* A string against a list literal (level in
			 * ["error", ...]): two strings are equal when their
			 * bytes are, so compare lengths first; other pairs
			 * take SPEC 3.2's rules (number against "500"). */
			if (x->kind == VALUE_STRING &&
			    it->kind == VALUE_STRING) {
				if (it->u.s.len == x->u.s.len &&
				    bytes_equal(it->u.s.ptr, x->u.s.ptr,
				    x->u.s.len))
					return 1;
			} else if (value_equal(x, it))
				return 1;
		}
		return 0;
	}
	if (r->kind != VALUE_JSON || !json_is_array(r->u.json))
		return 0;
	n = json_array_size(r->u.json);
	for (i = 0; i < n; i++) {
		item = value_from_json(json_array_get(r->u.json, i));
		if (value_equal(x, &item))
			return 1;
	}
	return 0;
}

static __attribute__((noinline)) int
eval_in(const struct expr *e, struct eval_ctx *ctx)
{
	struct value tx, tr, item;
	const struct value *x, *r;
	size_t i;

	if (e->set != NULL) {
		if (e->set->fold != NULL) {
			x = eval_ref(e->set->fold, ctx, &tx);
			if (x->kind == VALUE_STRING)
				return prepare_set_has_folded(e->set, x);
		}
		return prepare_set_has(e->set, eval_ref(e->a, ctx, &tx));
	}
	/* A list with non-constant items: compare item by item, no list
	 * is built. */
	if (e->b->op == EXPR_LIST && e->b->memo == 0) {
		x = eval_ref(e->a, ctx, &tx);
		if (x != &tx) {
			tx = *x;
			x = &tx;
		}
		for (i = 0; i < e->b->u.list.n; i++) {
			item = eval_fast(e->b->u.list.items[i], ctx);
			if (value_equal(x, &item))
				return 1;
		}
		return 0;
	}
	operands(e, ctx, &tx, &tr, &x, &r);
	return in_value(x, r);
}

/* ==, !=, <, <=, >, >= between two values (SPEC 3.2). */
static inline __attribute__((always_inline)) int
compare(enum expr_op op, const struct value *x, const struct value *y)
{
	enum value_order o;
	int eq;

	/* The common cases (status == 429, msg == "x", status >= 500) in
	 * line. */
	if (x->kind == VALUE_INT && y->kind == VALUE_INT) {
		switch (op) {
		case EXPR_EQ:	return x->u.i == y->u.i;
		case EXPR_NE:	return x->u.i != y->u.i;
		case EXPR_LT:	return x->u.i < y->u.i;
		case EXPR_LE:	return x->u.i <= y->u.i;
		case EXPR_GT:	return x->u.i > y->u.i;
		default:	return x->u.i >= y->u.i;
		}
	}
	if (op == EXPR_EQ || op == EXPR_NE) {
		if (x->kind == VALUE_NULL || y->kind == VALUE_NULL)
			eq = x->kind == y->kind;	/* x != null */
		else if (x->kind == VALUE_STRING && y->kind == VALUE_STRING)
			eq = x->u.s.len == y->u.s.len &&
			    bytes_equal(x->u.s.ptr, y->u.s.ptr, x->u.s.len);
		else
			eq = value_equal(x, y);
		return eq == (op == EXPR_EQ);
	}
	/* Ordering with null is false, also null <= null. */
	if (x->kind == VALUE_NULL || y->kind == VALUE_NULL)
		return 0;
	o = value_compare(x, y);
	switch (op) {
	case EXPR_LT:	return o == VALUE_LT;
	case EXPR_LE:	return o == VALUE_LT || o == VALUE_EQ;
	case EXPR_GT:	return o == VALUE_GT;
	default:	return o == VALUE_GT || o == VALUE_EQ;
	}
}

/* compare() out of line: the flat loop's rare cases. */
static __attribute__((noinline)) int
compare_value(enum expr_op op, const struct value *x, const struct value *y)
{
	return compare(op, x, y);
}

/* A flat chain's tests (prepare.h), in turn, each the way its kind
 * says. */
int
eval_flat_tests(const struct expr_flat *f, struct eval_ctx *ctx)
{
	size_t i;
	int r;

	for (i = 0; i < f->n; i++) {
		const struct prepare_flat_test *t = &f->t[i];
		const struct value *v = eval_alias_ref(t->alias, ctx);

		switch (t->kind) {
		case PREPARE_FLAT_PRESENT:
			r = v->kind != VALUE_NULL;
			break;
		case PREPARE_FLAT_ABSENT:
			r = v->kind == VALUE_NULL;
			break;
		case PREPARE_FLAT_RANGE:
			/* Null: only != holds, as in compare(). */
			if (v->kind == VALUE_NULL)
				r = t->negate;
			else if (v->kind != VALUE_INT)
				goto other;
			else
				r = eval_in_range(v->u.i, t->lo, t->hi) !=
				    t->negate;
			break;
		case PREPARE_FLAT_STRING:
			if (v->kind == VALUE_NULL)
				r = t->negate;
			else if (v->kind != VALUE_STRING)
				goto other;
			else
				r = (v->u.s.len == t->lit->u.s.len &&
				    bytes_equal(v->u.s.ptr, t->lit->u.s.ptr,
				    v->u.s.len)) != t->negate;
			break;
		default:
		other:
			r = compare_value(t->op, v, t->lit);
			break;
		}
		if (r == f->any)
			return f->any;
	}
	return !f->any;
}

/* The truthiness of the operators the fast path below leaves: a
 * comparison of anything else than an alias with a literal, =~, `in`,
 * and values. */
static __attribute__((noinline)) int
test_other(const struct expr *e, struct eval_ctx *ctx)
{
	struct value tx, ty;
	const struct value *x, *y;

	switch (e->op) {
	case EXPR_EQ:
	case EXPR_NE:
	case EXPR_LT:
	case EXPR_LE:
	case EXPR_GT:
	case EXPR_GE:
		operands(e, ctx, &tx, &ty, &x, &y);
		return compare(e->op, x, y);
	case EXPR_MATCH:
	case EXPR_NOT_MATCH:
		x = eval_ref(e->a, ctx, &tx);
		return match_value(ctx, e->u.regex.code, x) ==
		    (e->op == EXPR_MATCH);
	case EXPR_IN:
		return eval_in(e, ctx);
	case EXPR_NOT_IN:
		return !eval_in(e, ctx);
	default:
		x = eval_ref(e, ctx, &tx);
		return truthy(x);
	}
}

/* An alias against a literal (status >= 500, tenant != null), read
 * from the alias cache without a call. */
static inline int
alias_compare(const struct expr *e, struct eval_ctx *ctx)
{
	return compare(e->op, eval_alias_ref(e->a->u.alias, ctx), &e->b->u.literal);
}

/*
 * The truthiness of E, memo aside. and/or chains are walked in a loop
 * (their right side is the rest of the chain), and the commonest test of
 * all, an alias against a literal, is decided here without a call.
 */
static int
test_node(const struct expr *e, struct eval_ctx *ctx)
{
	const struct expr *a;

	for (;;) {
		switch (e->op) {
		case EXPR_AND:
			a = e->a;
			if (!(prepare_is_alias_test(a) ?
			    alias_compare(a, ctx) : test(a, ctx)))
				return 0;
			break;
		case EXPR_OR:
			a = e->a;
			if (prepare_is_alias_test(a) ? alias_compare(a, ctx) :
			    test(a, ctx))
				return 1;
			break;
		case EXPR_NOT:
			return !test(e->a, ctx);
		case EXPR_EQ:
		case EXPR_NE:
		case EXPR_LT:
		case EXPR_LE:
		case EXPR_GT:
		case EXPR_GE:
			if (e->a->op == EXPR_ALIAS &&
			    e->b->op == EXPR_LITERAL)
				return alias_compare(e, ctx);
			return test_other(e, ctx);
		/* `lower(level) in [...]`, errors' and error-summary's
		 * where on every line: straight to the set. */
		case EXPR_IN:
			return eval_in(e, ctx);
		case EXPR_NOT_IN:
			return !eval_in(e, ctx);
		default:
			return test_other(e, ctx);
		}
		e = e->b;
		if (e->memo != 0 && ctx->rec != NULL)
			return truthy(memo_ref(e, ctx));
		if (e->flat != NULL)
			return eval_flat_truthy(e->flat, ctx);
	}
}

static inline int
test(const struct expr *e, struct eval_ctx *ctx)
{
	if (e->memo != 0 && ctx->rec != NULL)
		return truthy(memo_ref(e, ctx));
	if (e->flat != NULL)
		return eval_flat_truthy(e->flat, ctx);
	return test_node(e, ctx);
}

int
eval_test(const struct expr *e, struct eval_ctx *ctx)
{
	return test(e, ctx);
}

struct value
eval(const struct expr *e, struct eval_ctx *ctx)
{
	return eval_fast(e, ctx);
}

const struct value *
eval_peek(const struct expr *e, struct eval_ctx *ctx, struct value *tmp)
{
	return eval_ref(e, ctx, tmp);
}

static struct value
eval_node(const struct expr *e, struct eval_ctx *ctx)
{
	struct value x, y, v;

	switch (e->op) {
	case EXPR_LITERAL:
		return e->u.literal;
	case EXPR_FIELD:
		if (ctx->rec == NULL || !record_get(ctx->rec, &e->u.field, &v))
			return value_null();
		return v;
	case EXPR_ALIAS:
		return *eval_alias_ref(e->u.alias, ctx);
	case EXPR_COLUMN:
		return ctx->columns ? ctx->columns[e->u.column] : value_null();
	case EXPR_STAT:
		return value_int(ctx->stats[e->u.stat]);
	case EXPR_AGG:
		return ctx->aggs ? ctx->aggs[e->u.agg.slot] : value_null();
	case EXPR_OR:
	case EXPR_AND:
	case EXPR_NOT:
	case EXPR_EQ:
	case EXPR_NE:
	case EXPR_LT:
	case EXPR_LE:
	case EXPR_GT:
	case EXPR_GE:
	case EXPR_MATCH:
	case EXPR_NOT_MATCH:
	case EXPR_IN:
	case EXPR_NOT_IN:
		return value_bool(test_node(e, ctx));
	case EXPR_ADD:
	case EXPR_SUB:
	case EXPR_MUL:
	case EXPR_DIV:
	case EXPR_MOD:
		x = eval_fast(e->a, ctx);
		y = eval_fast(e->b, ctx);
		return arith(e->op, ctx, &x, &y);
	case EXPR_NEG:
		x = eval_fast(e->a, ctx);
		return negate(&x);
	case EXPR_LIST:
		return eval_list(e, ctx);
	case EXPR_CALL:
		return eval_call(e, ctx);
	}
	return value_null();
}
