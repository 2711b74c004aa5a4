/* eval.h - expression tree x record -> value */
#ifndef LOGQ_EVAL_H
#define LOGQ_EVAL_H

#include <stdint.h>

#include "expr.h"
#include "fields.h"
#include "func.h"
#include "prepare.h"
#include "record.h"
#include "value.h"

/*
 * Everything one thread needs to evaluate expressions. One per thread:
 * the PCRE2 match data inside is not shared. eval_ctx_init() makes the
 * arena and match data; eval_ctx_release() frees them.
 */
/* Direct-mapped by the alias's slot in its table. */
#define EVAL_ALIAS_SLOTS	32

struct eval_shape;

struct eval_ctx {
	/* Arena, match data and limit counter: all a scalar function
	 * gets (func.h). */
	struct func_ctx		 func;
	const struct record	*rec;		/* NULL in having/assert */
	const struct value	*columns;	/* EXPR_COLUMN values, or NULL */
	const struct value	*aggs;		/* EXPR_AGG values by slot */
	int64_t			 stats[EXPR_NSTATS];
	void			*jit_stack;	/* pcre2_jit_stack_8 * */
	/* Aliases resolved on the current line: several queries of a
	 * report read `path` or `status` of every line, and resolving an
	 * alias tries its alternatives in turn. eval_ctx_new_line() empties
	 * it. Keyed by the alias, so queries must share alias tables for it
	 * to help (plan.c does). */
	struct eval_alias_entry {
		const void	*alias;
		uint64_t	 gen;		/* record_generation() */
		struct value	 v;
	}			 alias_cache[EVAL_ALIAS_SLOTS];
	/* Lines of one shape (the same keys in the same order: a logger
	 * writes each event the same way) resolve each alias to the same
	 * member: learnt once per shape (eval.c), EVAL_SHAPES of them,
	 * allocated on first use. shape is the line's, found once a line
	 * (shape_gen); NULL when it has none. What a shape learnt is kept
	 * by alias: a context reads the aliases of one table, which
	 * outlives it. A line with the keys of the last line whose shape
	 * was found (the same scanner's keys_id) has that shape. */
	struct eval_shape	*shapes;
	struct eval_shape	*shape;
	uint64_t		 shape_gen;
	const struct jscan	*shape_scan;
	uint64_t		 shape_keys;
	/* Per cached call (struct expr's u.call.cache): recent results
	 * by argument, EVAL_CACHE_ENTRIES each. */
	struct eval_call_entry	**call_cache;
	size_t			 ncall_cache;
	/* Values of memoised subexpressions (struct expr's memo), each
	 * valid while its stamp is the line's generation. In blocks that
	 * never move, so that a value can be read in place while other
	 * slots are being filled. */
	struct eval_memo_entry {
		uint64_t	 gen;		/* record_generation() */
		struct value	 v;
	}			**memo;		/* blocks of EVAL_MEMO_BLOCK */
	size_t			 nmemo_blocks;
};

#define EVAL_OVECTOR_PAIRS	32
#define EVAL_SHAPES		16
#define EVAL_SHAPE_MEMBERS	32	/* lines with more have no shape */
#define EVAL_MEMO_BLOCK		32
#define EVAL_CACHE_ENTRIES	64
#define EVAL_CACHE_ARG		64	/* longest argument kept */
#define EVAL_CACHE_RESULT	128	/* longest string result kept */

void	eval_ctx_init(struct eval_ctx *ctx);
/* Starts a new line: the arena and the alias cache are emptied. */
void	eval_ctx_new_line(struct eval_ctx *ctx, const struct record *rec);
void	eval_ctx_release(struct eval_ctx *ctx);

/*
 * Evaluates E. The result borrows from the record, the literals of E and
 * ctx->arena; it never fails: what cannot be computed (a missing field,
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

/* The alias's value on this line, in its cache entry: valid until the
 * next line, or until an alias of the same slot is read. Read a few
 * dozen times a line by a report: the hit is in line, the rest is
 * eval_alias_fill's. */
extern const struct value eval_null_value;
const struct value *eval_alias_fill(const struct fields_alias *alias,
		    struct eval_ctx *ctx, struct eval_alias_entry *c,
		    uint64_t gen);

static inline const struct value *
eval_alias_ref(const struct fields_alias *alias, struct eval_ctx *ctx)
{
	uint64_t gen;
	struct eval_alias_entry *c;

	if (ctx->rec == NULL)
		return &eval_null_value;
	/* One entry per alias slot, stamped with the line: whoever
	 * changed ctx->rec or parsed a new line into it, it follows (a
	 * generation belongs to one record and line). */
	c = &ctx->alias_cache[alias->slot % EVAL_ALIAS_SLOTS];
	gen = record_generation(ctx->rec);
	if (__builtin_expect(c->alias == alias && c->gen == gen, 1))
		return &c->v;
	return eval_alias_fill(alias, ctx, c, gen);
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
