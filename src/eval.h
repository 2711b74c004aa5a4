/* SPDX-License-Identifier: MIT */
/* eval.h - expression tree x record -> value */
#ifndef LOGQ_EVAL_H
#define LOGQ_EVAL_H

#include <stdint.h>

#include "alias.h"
#include "expr.h"
#include "fields.h"
#include "func.h"
#include "prepare.h"
#include "record.h"
#include "value.h"

/*
 * Everything one thread needs to evaluate expressions. One per thread:
 * the PCRE2 match data inside is not shared. eval_ctx_init() makes the
 * arena and match data; eval_ctx_release() frees them and the caches.
 * Callers set rec (eval_ctx_new_line), columns, aggs and stats, and
 * read func.arena and func.regex_limit_hits; the rest is eval's.
 */
struct eval_ctx {
	/* Aliases' values on this line, and what line shapes resolve
	 * them to (alias.h). First: the hot look-up then needs no other
	 * base than the context. */
	struct alias_cache	 aliases;
	/* Arena, match data and limit counter: all a scalar function
	 * gets (func.h). */
	struct func_ctx		 func;
	const struct record	*rec;		/* NULL in having/assert */
	const struct value	*columns;	/* EXPR_COLUMN values, or NULL */
	const struct value	*aggs;		/* EXPR_AGG values by slot */
	int64_t			 stats[EXPR_NSTATS];
	void			*jit_stack;	/* pcre2_jit_stack_8 * */
	/* Per cached call (struct expr's u.call.cache): recent results
	 * by argument (eval.c). */
	struct eval_call_entry	**call_cache;
	size_t			 ncall_cache;
	/* Values of memoised subexpressions (struct expr's memo), in
	 * blocks (eval.c). */
	struct eval_memo_entry	**memo;
	size_t			 nmemo_blocks;
};

/* Capture pairs in the thread's match data (func.h's match_data). */
#define EVAL_OVECTOR_PAIRS	32

void	eval_ctx_init(struct eval_ctx *ctx);
/* Starts a new line: the arena is emptied; the caches follow the
 * record's generation (record.h). */
void	eval_ctx_new_line(struct eval_ctx *ctx, const struct record *rec);
void	eval_ctx_release(struct eval_ctx *ctx);

/*
 * Evaluates E. The result borrows from the record, the literals of E and
 * ctx->func.arena; it never fails: what cannot be computed (a missing field,
 * arithmetic on a string, division by zero) is null.
 */
struct value	eval(const struct expr *e, struct eval_ctx *ctx);

/*
 * E's value read in place where it already is (a literal, an alias's
 * cache entry, a memoised node), else computed into *TMP: the copy a
 * value returned by eval() needs is avoided. Valid until the next
 * evaluation on CTX (which may reuse the place).
 */
const struct value *eval_peek(const struct expr *e, struct eval_ctx *ctx,
		    struct value *tmp);

/* The truthiness of E's value: what where, having, assert and
 * count_if test. Comparisons, and/or/not and `in` are decided without
 * building values where the operands are fields, aliases, memoised
 * nodes or literals (read in place); a flat chain (prepare.h) goes
 * straight to its loop, several times a line in a report. */
int		eval_test(const struct expr *e, struct eval_ctx *ctx);
/* A prepared chain's tests, in turn (eval_flat_truthy's slow side). */
int		eval_flat_tests(const struct expr_flat *f,
		    struct eval_ctx *ctx);

/* LO <= X <= HI (LO <= HI) in one unsigned comparison. */
static inline int
eval_in_range(int64_t x, int64_t lo, int64_t hi)
{
	return (uint64_t)x - (uint64_t)lo <= (uint64_t)hi - (uint64_t)lo;
}

static inline int
eval_in_interval(const struct prepare_interval *h, int64_t x)
{
	return !h->empty && eval_in_range(x, h->lo, h->hi);
}

/* The alias's value on this line (alias.h): valid until the next
 * line, or until an alias of the same slot is read. */
static inline const struct value *
eval_alias_ref(const struct fields_alias *alias, struct eval_ctx *ctx)
{
	return alias_ref(alias, &ctx->aliases, ctx->rec, ctx->func.arena);
}

/* A prepared chain's truth: an interval decided here on an integer or
 * a null, anything else by its tests. */
static inline int
eval_flat_truthy(const struct expr_flat *f, struct eval_ctx *ctx)
{
	const struct prepare_interval *h = &f->h;

	if (h->interval) {
		const struct value *v = eval_alias_ref(h->alias, ctx);

		/* Null fails every range, as in compare(). */
		if (v->kind == VALUE_INT)
			return eval_in_interval(h, v->u.i);
		if (v->kind == VALUE_NULL)
			return 0;
	}
	return eval_flat_tests(f, ctx);
}

static inline int
eval_truthy(const struct expr *e, struct eval_ctx *ctx)
{
	if (e->flat != NULL)
		return eval_flat_truthy(e->flat, ctx);
	return eval_test(e, ctx);
}

/* Regex match of S against compiled CODE with CTX's match data:
 * 1 match, 0 no match (also when a limit was hit, which is counted). */
int		eval_regex_match(struct eval_ctx *ctx, void *code,
		    const char *s, size_t len);

#endif
