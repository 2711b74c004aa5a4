/* SPDX-License-Identifier: MIT */
/* prepare.c - plan-time rewrites of expression trees: flat chains,
 * intervals and sets */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "expr.h"
#include "func.h"
#include "prepare.h"
#include "util.h"

/* ---- sets: `x in [constants]` ---- */

static struct expr_set *
set_new(const struct value *list)
{
	struct expr_set *set;
	size_t i, n = list->u.list.n, k = 0;

	set = xcalloc(1, sizeof(*set) + (n + 1) * sizeof(*set->item));
	set->item = (const struct value **)(void *)(set + 1);
	for (i = 0; i < n; i++)
		if (list->u.list.items[i].kind == VALUE_STRING) {
			set->item[k++] = &list->u.list.items[i];
			set->mask |= prepare_set_bit(&list->u.list.items[i]);
		}
	set->nstr = k;
	for (i = 0; i < n; i++)
		if (list->u.list.items[i].kind != VALUE_STRING)
			set->item[k++] = &list->u.list.items[i];
	set->nother = k - set->nstr;
	return set;
}

/* No capital letter in the set's strings (lower() gives none). */
static int
set_is_lower(const struct expr_set *set)
{
	size_t i, k;
	const unsigned char *t;

	for (i = 0; i < set->nstr; i++)
		for (k = 0, t = (const unsigned char *)set->item[i]->u.s.ptr;
		    k < set->item[i]->u.s.len; k++)
			if (prepare_fold_byte(t[k]) != t[k])
				return 0;
	return 1;
}

/* ---- flat chains: and/or of alias tests ---- */

/* T's kind, from its operator and literal: an integer x op k is the
 * range of integers that satisfy it (only integer values take that
 * way; reals and numeric strings go to compare(), as in the tree). */
static void
flat_kind(struct prepare_flat_test *t)
{
	const struct value *k = t->lit;

	t->kind = PREPARE_FLAT_OTHER;
	if (k->kind == VALUE_NULL && (t->op == EXPR_EQ || t->op == EXPR_NE))
		t->kind = t->op == EXPR_NE ? PREPARE_FLAT_PRESENT :
		    PREPARE_FLAT_ABSENT;
	else if (k->kind == VALUE_STRING && (t->op == EXPR_EQ ||
	    t->op == EXPR_NE)) {
		t->kind = PREPARE_FLAT_STRING;
		t->negate = t->op == EXPR_NE;
	} else if (k->kind == VALUE_INT) {
		t->kind = PREPARE_FLAT_RANGE;
		t->lo = INT64_MIN;
		t->hi = INT64_MAX;
		switch (t->op) {
		case EXPR_EQ:
		case EXPR_NE:
			t->lo = t->hi = k->u.i;
			t->negate = t->op == EXPR_NE;
			break;
		case EXPR_LT:
			if (k->u.i == INT64_MIN)
				t->kind = PREPARE_FLAT_OTHER;	/* empty */
			else
				t->hi = k->u.i - 1;
			break;
		case EXPR_LE:
			t->hi = k->u.i;
			break;
		case EXPR_GT:
			if (k->u.i == INT64_MAX)
				t->kind = PREPARE_FLAT_OTHER;	/* empty */
			else
				t->lo = k->u.i + 1;
			break;
		default:
			t->lo = k->u.i;
			break;
		}
	}
}

/* The tests under E's chain of OP, into F (NULL: count only); -1 when
 * something else is under it. */
static long
flat_collect(const struct expr *e, enum expr_op op, struct expr_flat *f)
{
	long x, y;

	if (e->op == op) {
		if ((x = flat_collect(e->a, op, f)) < 0 ||
		    (y = flat_collect(e->b, op, f)) < 0)
			return -1;
		return x + y;
	}
	if (!prepare_is_alias_test(e))
		return -1;
	if (f != NULL) {
		struct prepare_flat_test *t = &f->t[f->n++];

		t->alias = e->a->u.alias;
		t->op = e->op;
		t->lit = &e->b->u.literal;
		flat_kind(t);
	}
	return 1;
}

/* F's interval, when it is an and of ranges of one alias. */
static void
flat_interval(struct expr_flat *f)
{
	size_t i;

	if (f->any)
		return;
	for (i = 0; i < f->n; i++)
		if (f->t[i].kind != PREPARE_FLAT_RANGE || f->t[i].negate ||
		    f->t[i].alias != f->t[0].alias)
			return;
	f->h.interval = 1;
	f->h.alias = f->t[0].alias;
	f->h.lo = INT64_MIN;
	f->h.hi = INT64_MAX;
	for (i = 0; i < f->n; i++) {
		if (f->t[i].lo > f->h.lo)
			f->h.lo = f->t[i].lo;
		if (f->t[i].hi < f->h.hi)
			f->h.hi = f->t[i].hi;
	}
	f->h.empty = f->h.lo > f->h.hi;
}

/* E's set and flat list, where it has them; its operands were visited
 * first (expr_walk), so a chain's own subchains are prepared too, and
 * a test under a chain may be reached alone (not, mixed chains). */
static void
rewrite_node(struct expr *e, void *unused)
{
	long n;

	(void)unused;
	if ((e->op == EXPR_IN || e->op == EXPR_NOT_IN) && e->set == NULL &&
	    e->b->op == EXPR_LITERAL && e->b->u.literal.kind == VALUE_LIST)
		e->set = set_new(&e->b->u.literal);
	if (e->set != NULL && e->a->op == EXPR_CALL &&
	    e->a->u.call.fn->folds_to_lower &&
	    e->a->u.call.nargs == 1 && e->set->nother == 0 &&
	    set_is_lower(e->set))
		e->set->fold = e->a->u.call.args[0];
	if ((e->op == EXPR_AND || e->op == EXPR_OR) && e->flat == NULL &&
	    (n = flat_collect(e, e->op, NULL)) >= 2) {
		e->flat = xcalloc(1, sizeof(*e->flat) + (size_t)n *
		    sizeof(e->flat->t[0]));
		e->flat->any = e->op == EXPR_OR;
		flat_collect(e, e->op, e->flat);
		flat_interval(e->flat);
	}
	/* One test of an integer range (status >= 500): an interval of
	 * one, for eval_truthy to test in line. */
	if (e->flat == NULL && prepare_is_alias_test(e)) {
		e->flat = xcalloc(1, sizeof(*e->flat) + sizeof(e->flat->t[0]));
		flat_collect(e, EXPR_AND, e->flat);
		flat_interval(e->flat);
		if (!e->flat->h.interval) {
			free(e->flat);
			e->flat = NULL;
		}
	}
}

void
prepare_expr(struct expr *e)
{
	expr_walk(e, rewrite_node, NULL);
}

