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
#include "util.h"

/* PCRE2's limits, so that one hostile line cannot stall the run. */
#define EVAL_MATCH_LIMIT	1000000
#define EVAL_DEPTH_LIMIT	100000
#define EVAL_JIT_STACK_MIN	(32 * 1024)
#define EVAL_JIT_STACK_MAX	(1024 * 1024)

static inline struct value eval_fast(const struct expr *e,
    struct eval_ctx *ctx);

void
eval_ctx_init(struct eval_ctx *ctx)
{
	pcre2_match_context *mctx;

	memset(ctx, 0, sizeof(*ctx));
	ctx->arena = arena_new();
	if ((mctx = pcre2_match_context_create(NULL)) == NULL ||
	    (ctx->match_data = pcre2_match_data_create(EVAL_OVECTOR_PAIRS,
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
	ctx->match_ctx = mctx;
}

void
eval_ctx_release(struct eval_ctx *ctx)
{
	arena_free(ctx->arena);
	pcre2_match_data_free(ctx->match_data);
	pcre2_match_context_free(ctx->match_ctx);
	pcre2_jit_stack_free(ctx->jit_stack);
	free(ctx->memo);
	memset(ctx, 0, sizeof(*ctx));
}

int
eval_regex_match(struct eval_ctx *ctx, void *code, const char *s, size_t len)
{
	int rc;

	rc = pcre2_match(code, (PCRE2_SPTR)(s ? s : ""), len, 0, 0,
	    ctx->match_data, ctx->match_ctx);
	if (rc >= 0)
		return 1;	/* 0: matched, ovector too small */
	switch (rc) {
	case PCRE2_ERROR_MATCHLIMIT:
	case PCRE2_ERROR_DEPTHLIMIT:
	case PCRE2_ERROR_HEAPLIMIT:
	case PCRE2_ERROR_JIT_STACKLIMIT:
		ctx->regex_limit_hits++;
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

/* X in the list R (a list value or a JSON array); anything else: no. */
static int
in_value(const struct value *x, const struct value *r)
{
	struct value item;
	size_t i, n;

	if (r->kind == VALUE_LIST) {
		for (i = 0; i < r->u.list.n; i++)
			if (value_equal(x, &r->u.list.items[i]))
				return 1;
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

static int
eval_in(const struct expr *e, struct eval_ctx *ctx)
{
	struct value x = eval_fast(e->a, ctx), r, item;
	size_t i;

	/* A list with non-constant items: compare item by item, no list
	 * is built. */
	if (e->b->op == EXPR_LIST) {
		for (i = 0; i < e->b->u.list.n; i++) {
			item = eval_fast(e->b->u.list.items[i], ctx);
			if (value_equal(&x, &item))
				return 1;
		}
		return 0;
	}
	r = eval_fast(e->b, ctx);
	/* A string against a list literal (level in ["error", ...]): two
	 * strings are equal when their bytes are, so compare lengths first;
	 * other pairs take SPEC 3.2's rules (number against "500"). */
	if (x.kind == VALUE_STRING && r.kind == VALUE_LIST) {
		for (i = 0; i < r.u.list.n; i++) {
			const struct value *it = &r.u.list.items[i];

			if (it->kind == VALUE_STRING) {
				if (it->u.s.len == x.u.s.len && (x.u.s.len == 0 ||
				    memcmp(it->u.s.ptr, x.u.s.ptr,
				    x.u.s.len) == 0))
					return 1;
			} else if (value_equal(&x, it))
				return 1;
		}
		return 0;
	}
	return in_value(&x, &r);
}

static struct value
concat(struct eval_ctx *ctx, const struct value *x, const struct value *y)
{
	size_t len = x->u.s.len + y->u.s.len;
	char *s = arena_alloc(ctx->arena, len ? len : 1);

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
	arena_reset(ctx->arena);
	ctx->rec = rec;
}

static struct value
resolve_alias(const struct fields_alias *alias, struct eval_ctx *ctx)
{
	const struct fields_alt *alt;
	struct value v;
	size_t i;

	for (i = 0; i < alias->nalts; i++) {
		alt = &alias->alts[i];
		/* An explicit null does not count as present: the next
		 * spelling may carry the value. */
		if (!record_get(ctx->rec, &alt->path, &v) ||
		    v.kind == VALUE_NULL)
			continue;
		if (alt->conv == FIELDS_AS_IS)
			return v;
		return fields_convert(alt->conv, v, ctx->arena);
	}
	return value_null();
}

static struct value
eval_alias(const struct fields_alias *alias, struct eval_ctx *ctx)
{
	uint64_t gen;
	struct value v;
	struct eval_alias_entry *c;

	if (ctx->rec == NULL)
		return value_null();
	/* One entry per alias slot, stamped with the line: whoever
	 * changed ctx->rec or parsed a new line into it, it follows. */
	c = &ctx->alias_cache[alias->slot % EVAL_ALIAS_SLOTS];
	gen = record_generation(ctx->rec);
	if (c->alias == alias && c->rec == ctx->rec && c->gen == gen)
		return c->v;
	v = resolve_alias(alias, ctx);
	c->alias = alias;
	c->rec = ctx->rec;
	c->gen = gen;
	c->v = v;
	return v;
}

static struct value
eval_call(const struct expr *e, struct eval_ctx *ctx)
{
	struct value small[8], *args = small;
	size_t i, n = e->u.call.nargs;

	if (n > sizeof(small) / sizeof(small[0]))
		args = arena_alloc(ctx->arena, n * sizeof(*args));
	for (i = 0; i < n; i++)
		args[i] = eval_fast(e->u.call.args[i], ctx);
	return e->u.call.fn->fn(ctx, e->u.call.prepared, args, n);
}

static struct value
eval_list(const struct expr *e, struct eval_ctx *ctx)
{
	struct value v, *items;
	size_t i, n = e->u.list.n;

	items = arena_alloc(ctx->arena, (n ? n : 1) * sizeof(*items));
	for (i = 0; i < n; i++)
		items[i] = eval_fast(e->u.list.items[i], ctx);
	v.kind = VALUE_LIST;
	v.u.list.items = items;
	v.u.list.n = n;
	return v;
}

static struct value eval_node(const struct expr *e, struct eval_ctx *ctx);
static struct value eval_memo(const struct expr *e, struct eval_ctx *ctx);

/* Most nodes are not memoised: one branch, then the node itself. */
static inline struct value
eval_fast(const struct expr *e, struct eval_ctx *ctx)
{
	if (__builtin_expect(e->memo == 0 || ctx->rec == NULL, 1))
		return eval_node(e, ctx);
	return eval_memo(e, ctx);
}

/*
 * A memoised node (plan.c marks subexpressions that several queries of
 * the run share, such as route(path)) is computed once per line. The
 * stamp is the record's generation, so a new line, or a test that sets
 * ctx->rec itself, is never served a stale value.
 */
static struct value
eval_memo(const struct expr *e, struct eval_ctx *ctx)
{
	size_t i = e->memo - 1;
	uint64_t gen;

	if (i >= ctx->nmemo) {
		size_t n = i + 8;

		ctx->memo = xrealloc(ctx->memo, n * sizeof(*ctx->memo));
		memset(ctx->memo + ctx->nmemo, 0,
		    (n - ctx->nmemo) * sizeof(*ctx->memo));
		ctx->nmemo = n;
	}
	gen = record_generation(ctx->rec);
	if (ctx->memo[i].rec != ctx->rec || ctx->memo[i].gen != gen) {
		/* Into a local first: evaluating E may grow (move) the memo
		 * array for a slot of its own. */
		struct value v = eval_node(e, ctx);

		ctx->memo[i].v = v;
		ctx->memo[i].rec = ctx->rec;
		ctx->memo[i].gen = gen;
	}
	return ctx->memo[i].v;
}

struct value
eval(const struct expr *e, struct eval_ctx *ctx)
{
	return eval_fast(e, ctx);
}

static struct value
eval_node(const struct expr *e, struct eval_ctx *ctx)
{
	struct value x, y, v;
	enum value_order o;

	switch (e->op) {
	case EXPR_LITERAL:
		return e->u.literal;
	case EXPR_FIELD:
		if (ctx->rec == NULL || !record_get(ctx->rec, &e->u.field, &v))
			return value_null();
		return v;
	case EXPR_ALIAS:
		return eval_alias(e->u.alias, ctx);
	case EXPR_COLUMN:
		return ctx->columns ? ctx->columns[e->u.column] : value_null();
	case EXPR_STAT:
		return value_int(ctx->stats[e->u.stat]);
	case EXPR_AGG:
		return ctx->aggs ? ctx->aggs[e->u.agg.slot] : value_null();
	case EXPR_OR:
		return value_bool(eval_truthy(e->a, ctx) ||
		    eval_truthy(e->b, ctx));
	case EXPR_AND:
		return value_bool(eval_truthy(e->a, ctx) &&
		    eval_truthy(e->b, ctx));
	case EXPR_NOT:
		return value_bool(!eval_truthy(e->a, ctx));
	case EXPR_EQ:
	case EXPR_NE:
		x = eval_fast(e->a, ctx);
		y = eval_fast(e->b, ctx);
		/* The common cases (status == 429, msg == "x") in line. */
		if (x.kind == VALUE_INT && y.kind == VALUE_INT)
			return value_bool((x.u.i == y.u.i) ==
			    (e->op == EXPR_EQ));
		if (x.kind == VALUE_STRING && y.kind == VALUE_STRING)
			return value_bool((x.u.s.len == y.u.s.len &&
			    (x.u.s.len == 0 || memcmp(x.u.s.ptr, y.u.s.ptr,
			    x.u.s.len) == 0)) == (e->op == EXPR_EQ));
		return value_bool(value_equal(&x, &y) == (e->op == EXPR_EQ));
	case EXPR_LT:
	case EXPR_LE:
	case EXPR_GT:
	case EXPR_GE:
		x = eval_fast(e->a, ctx);
		y = eval_fast(e->b, ctx);
		/* The common case (status >= 500): two integers. */
		if (x.kind == VALUE_INT && y.kind == VALUE_INT)
			o = x.u.i < y.u.i ? VALUE_LT : x.u.i > y.u.i ?
			    VALUE_GT : VALUE_EQ;
		else
			o = value_compare(&x, &y);
		/* Ordering with null is false, also null <= null. */
		if (x.kind == VALUE_NULL || y.kind == VALUE_NULL)
			return value_bool(0);
		switch (e->op) {
		case EXPR_LT:	return value_bool(o == VALUE_LT);
		case EXPR_LE:	return value_bool(o == VALUE_LT ||
				    o == VALUE_EQ);
		case EXPR_GT:	return value_bool(o == VALUE_GT);
		default:	return value_bool(o == VALUE_GT ||
				    o == VALUE_EQ);
		}
	case EXPR_MATCH:
	case EXPR_NOT_MATCH:
		x = eval_fast(e->a, ctx);
		return value_bool(match_value(ctx, e->u.regex.code, &x) ==
		    (e->op == EXPR_MATCH));
	case EXPR_IN:
		return value_bool(eval_in(e, ctx));
	case EXPR_NOT_IN:
		return value_bool(!eval_in(e, ctx));
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

int
eval_truthy(const struct expr *e, struct eval_ctx *ctx)
{
	struct value v = eval_fast(e, ctx);

	return value_truthy(&v);
}
