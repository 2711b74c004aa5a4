/* SPDX-License-Identifier: MIT */
/* prepare.h - plan-time rewrites of expression trees: flat chains,
 * intervals and sets, which evaluation runs instead of the tree */
#ifndef LOGQ_PREPARE_H
#define LOGQ_PREPARE_H

#include <stddef.h>
#include <stdint.h>

#include "expr.h"
#include "bytes.h"
#include "fields.h"
#include "value.h"

/*
 * Precomputes evaluation shortcuts in E's tree, for a run's queries
 * (plan.c), on every node:
 * - an and-chain or or-chain of tests of aliases against literals
 *   (tenant != null and path != null, status >= 200 and status < 300,
 *   error == "X" or status == 429) becomes a flat list, e->flat, that
 *   eval_truthy() runs in a loop; a lone integer range (status >= 500)
 *   becomes a flat list of one when it is an interval;
 * - `x in [constants]` gets the list as a set, e->set.
 * Evaluation gives the same values with and without them (eval_test
 * checks). The tree must not change afterwards; expr_free() frees what
 * this adds.
 */
void	prepare_expr(struct expr *e);

/* An alias against a literal, not memoised: aliases and literals never
 * are (plan.c). What a flat chain is made of, and what eval.c decides
 * without a call. */
static inline int
prepare_is_alias_test(const struct expr *e)
{
	return e->op >= EXPR_EQ && e->op <= EXPR_GE && e->memo == 0 &&
	    e->a->op == EXPR_ALIAS && e->b->op == EXPR_LITERAL;
}

/*
 * The head of a flat chain: when the chain is an and of integer ranges
 * of one alias - status >= 200 and status < 300, status >= 500 - their
 * intersection [lo, hi] (empty when lo > hi), which eval_flat_truthy()
 * tests in line on an integer or a null (count_if's status classes, a
 * few a line); other values run the tests.
 */
struct prepare_interval {
	int		 interval, empty;
	const struct fields_alias *alias;
	int64_t		 lo, hi;
};

/* How a flat test is decided, chosen by its operator and literal so
 * that the loop seldom reaches compare(). */
enum prepare_flat_kind {
	PREPARE_FLAT_PRESENT,	/* alias != null */
	PREPARE_FLAT_ABSENT,	/* alias == null */
	PREPARE_FLAT_RANGE,	/* an integer within [lo, hi], or not */
	PREPARE_FLAT_STRING,	/* alias == or != a string */
	PREPARE_FLAT_OTHER	/* compare() */
};

/*
 * A flat and/or chain: N tests of an alias against a literal, all of
 * which (and) or any of which (or) must hold. Tests are pure, so the
 * list is run in order and stops at the first that decides, as the
 * tree would. Literals and aliases are borrowed from the tree.
 */
struct expr_flat {
	struct prepare_interval h;	/* eval_flat_truthy() tries it first */
	int		 any;		/* or */
	size_t		 n;
	struct prepare_flat_test {
		const struct fields_alias *alias;
		enum expr_op	 op;
		const struct value *lit;
		enum prepare_flat_kind kind;
		int		 negate;	/* RANGE, STRING: != */
		int64_t		 lo, hi;	/* RANGE: only integer values */
	}		 t[];
};

/*
 * `x in [constants]` (a list of constants is one literal, expr.c): the
 * list's strings apart, with a mask of a bit for each one's length and
 * first and last bytes, so that most values that are not in the list
 * ("info", "debug") are told apart by one test; other literals
 * (numbers, which a numeric string may equal) apart too. Items are
 * borrowed from the list literal.
 */
struct expr_set {
	uint64_t	 mask;
	size_t		 nstr, nother;
	const struct value **item;	/* nstr strings, then the others */
	/* `lower(level) in [...]` (func.h's folds_to_lower) with no capital
	 * letter in the list's strings: lower's argument, whose string is
	 * tested with its capitals folded as lower() would (ASCII), without
	 * calling it. */
	const struct expr *fold;
};

/* The set look-ups are in line: `level in [...]` is tested a few times
 * a line, and the mask decides most of them. */

static inline unsigned char
prepare_fold_byte(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? c | 0x20 : c;
}

/* The mask bit of a string of LEN bytes, FIRST and LAST its first and
 * last (any when LEN is 0): the one definition, for the set's strings
 * and for the values looked up, folded or not. */
static inline uint64_t
prepare_set_bit_of(size_t len, unsigned char first, unsigned char last)
{
	if (len == 0)
		return 1;
	return UINT64_C(1) << ((len * 7 + first * 3 + last) & 63);
}

static inline uint64_t
prepare_set_bit(const struct value *v)
{
	const unsigned char *s = (const unsigned char *)v->u.s.ptr;
	size_t len = v->u.s.len;

	return prepare_set_bit_of(len, len ? s[0] : 0, len ? s[len - 1] : 0);
}

/* X in SET, by SPEC 3.2's equality: the list's order does not matter,
 * equality being all that is asked. */
static inline int
prepare_set_has(const struct expr_set *set, const struct value *x)
{
	size_t i, n = set->nstr + set->nother;

	if (x->kind == VALUE_STRING) {
		if (set->mask & prepare_set_bit(x))
			for (i = 0; i < set->nstr; i++)
				if (set->item[i]->u.s.len == x->u.s.len &&
				    bytes_equal(set->item[i]->u.s.ptr,
				    x->u.s.ptr, x->u.s.len))
					return 1;
		i = set->nstr;
	} else
		i = 0;
	for (; i < n; i++)
		if (value_equal(x, set->item[i]))
			return 1;
	return 0;
}

/* lower(X) in SET, X a string, for a set with fold: the set's strings
 * have no capitals, so X's are folded on the fly. */
static inline int
prepare_set_has_folded(const struct expr_set *set, const struct value *x)
{
	const unsigned char *s = (const unsigned char *)x->u.s.ptr, *t;
	size_t i, k, len = x->u.s.len;

	if (len > 0 && (set->mask & prepare_set_bit_of(len,
	    prepare_fold_byte(s[0]), prepare_fold_byte(s[len - 1]))) == 0)
		return 0;
	for (i = 0; i < set->nstr; i++) {
		if (set->item[i]->u.s.len != len)
			continue;
		t = (const unsigned char *)set->item[i]->u.s.ptr;
		for (k = 0; k < len && prepare_fold_byte(s[k]) == t[k]; k++)
			;
		if (k == len)
			return 1;
	}
	return 0;
}

#endif
