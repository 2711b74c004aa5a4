/* SPDX-License-Identifier: MIT */
/* check.c - assertions over output rows (SPEC 3.7) */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "util.h"

static const char *const stat_names[EXPR_NSTATS] = {
	"$lines", "$json", "$skipped", "$repaired", "$matched",
	"$stalled"
};

/* Columns an expression reads, in order of appearance, each once; the
 * statistics ($lines ...) it reads go in STATS. */
static void
columns_read(const struct expr *e, char *seen, size_t *order, size_t *n,
    char *stats)
{
	size_t i;

	if (e == NULL)
		return;
	if (e->op == EXPR_STAT) {
		/* 1 + the order in which it was first read */
		if (!stats[e->u.stat]) {
			int k, m = 0;

			for (k = 0; k < EXPR_NSTATS; k++)
				if (stats[k] > m)
					m = stats[k];
			stats[e->u.stat] = (char)(m + 1);
		}
		return;
	}
	if (e->op == EXPR_COLUMN) {
		if (!seen[e->u.column]) {
			seen[e->u.column] = 1;
			order[(*n)++] = e->u.column;
		}
		return;
	}
	columns_read(e->a, seen, order, n, stats);
	columns_read(e->b, seen, order, n, stats);
	if (e->op == EXPR_CALL)
		for (i = 0; i < e->u.call.nargs; i++)
			columns_read(e->u.call.args[i], seen, order, n,
			    stats);
	if (e->op == EXPR_LIST)
		for (i = 0; i < e->u.list.n; i++)
			columns_read(e->u.list.items[i], seen, order, n,
			    stats);
}

static void
add_outcome(struct check_list *l, struct check_outcome *o)
{
	XGROW(l->items, l->n + 1, l->alloc);
	l->items[l->n++] = *o;
}

/* A value in a message: as tables show it, but null spelled out (a
 * lone '-' reads as a typo in "pct_5xx=-"). Control characters (C0,
 * DEL, C1) are written as \n, \xNN, \u0085: the message goes to a
 * terminal or a CI log, where a logged newline followed by "::error::"
 * would be a workflow command, and a NUL would cut the text short. */
static void
write_detail_value(struct buf *b, const struct value *v)
{
	struct buf text = BUF_INIT;
	size_t i;

	if (v->kind == VALUE_NULL) {
		buf_adds(b, "null");
		return;
	}
	value_write_text(&text, v, VALUE_TEXT_TABLE);
	for (i = 0; i < text.len; i++) {
		unsigned char c = (unsigned char)text.ptr[i];

		if (c == '\n')
			buf_adds(b, "\\n");
		else if (c == '\r')
			buf_adds(b, "\\r");
		else if (c == '\t')
			buf_adds(b, "\\t");
		else if (c < 0x20 || c == 0x7f)
			buf_printf(b, "\\x%02x", c);
		else if (c == 0xc2 && i + 1 < text.len &&
		    (unsigned char)text.ptr[i + 1] >= 0x80 &&
		    (unsigned char)text.ptr[i + 1] <= 0x9f)
			/* U+0080..U+009F in UTF-8: C1 controls (0x9b is CSI) */
			buf_printf(b, "\\u%04x",
			    (unsigned char)text.ptr[++i]);
		else
			buf_addc(b, (char)c);
	}
	buf_release(&text);
}

/* A parameter name is [A-Za-z_][A-Za-z0-9_]*, as expr.c reads $name. */
static int
is_name_char(char c, int is_first)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (!is_first && c >= '0' && c <= '9');
}

/*
 * The parameters an assertion's TEXT reads ($max_p99_ms), in order, each once,
 * with their values: SPEC 3.7 shows the threshold a value was compared
 * with. The tree holds a parameter as a literal, so the names come from
 * the text ($ outside quoted strings); $lines and the other statistics
 * are not parameters and are left to describe().
 */
static void
params_read(const struct plan_query *pq, const char *text, json_t *values,
    struct buf *b)
{
	const char *s = text;
	char quote = 0;

	for (; *s; s++) {
		const char *name;
		struct query_param *p;
		size_t len, k;
		int is_stat = 0;
		char key[128];

		if (quote) {
			if (*s == '\\' && s[1] != '\0')
				s++;
			else if (*s == quote)
				quote = 0;
			continue;
		}
		if (*s == '"' || *s == '\'') {
			quote = *s;
			continue;
		}
		if (*s != '$' || !is_name_char(s[1], 1))
			continue;
		name = ++s;
		for (len = 0; is_name_char(name[len], len == 0); len++)
			;
		s += len - 1;
		for (k = 0; k < EXPR_NSTATS; k++)
			if (strlen(stat_names[k]) == len + 1 &&
			    memcmp(stat_names[k] + 1, name, len) == 0)
				is_stat = 1;
		if (is_stat || len + 2 > sizeof(key) ||
		    (p = query_find_param(pq->src, name, len)) == NULL)
			continue;
		snprintf(key, sizeof(key), "$%.*s", (int)len, name);
		if (json_object_get(values, key) != NULL)
			continue;	/* read twice: listed once */
		json_object_set_new(values, key, value_to_json(&p->value));
		buf_printf(b, "%s%s=", b->len ? ", " : "", key);
		write_detail_value(b, &p->value);
	}
}

/* The values involved: the columns read, then the group key columns
 * (SPEC 3.7: "the values involved and the row's group key"). */
static void
describe(struct check_outcome *o, const struct plan_query *pq,
    const struct plan_assert *pa, const struct value *row,
    const struct eval_ctx *ctx)
{
	const struct expr *e = pa->expr;
	char *seen = xcalloc(pq->ncolumns + 1, 1);
	size_t *order = xcalloc(pq->ncolumns + 1, sizeof(*order));
	size_t n = 0, i, ncols;
	char stats[EXPR_NSTATS] = { 0 };
	int k;
	struct buf b = BUF_INIT;

	columns_read(e, seen, order, &n, stats);
	ncols = n;
	o->values = json_object();
	for (i = 0; i < n; i++)
		json_object_set_new(o->values, pq->columns[order[i]],
		    value_to_json(&row[order[i]]));
	for (k = 1; k <= EXPR_NSTATS; k++)
		for (i = 0; i < EXPR_NSTATS; i++)
			if (stats[i] == k)
				json_object_set_new(o->values, stat_names[i],
				    json_integer(ctx->stats[i]));
	if (pq->is_agg && pq->nkeys > 0) {
		o->key = json_object();
		for (i = 0; i < pq->nkeys; i++) {
			json_object_set_new(o->key, pq->columns[i],
			    value_to_json(&row[i]));
			if (!seen[i]) {
				seen[i] = 1;
				order[n++] = i;
			}
		}
	}
	/* Columns read, statistics read, parameters read, then the group
	 * key. */
	for (i = 0; i < ncols; i++) {
		buf_printf(&b, "%s%s=", b.len ? ", " : "",
		    pq->columns[order[i]]);
		write_detail_value(&b, &row[order[i]]);
	}
	for (k = 1; k <= EXPR_NSTATS; k++)
		for (i = 0; i < EXPR_NSTATS; i++)
			if (stats[i] == k)
				buf_printf(&b, "%s%s=%lld", b.len ? ", " : "",
				    stat_names[i], (long long)ctx->stats[i]);
	params_read(pq, pa->text, o->values, &b);
	for (i = ncols; i < n; i++) {
		buf_printf(&b, "%s%s=", b.len ? ", " : "",
		    pq->columns[order[i]]);
		write_detail_value(&b, &row[order[i]]);
	}
	o->detail = buf_take(&b);
	free(seen);
	free(order);
}

/* Failure counters of listing assertions: one per assertion of the
 * plan, query after query; a query's start in that array. */
static size_t
assert_base(const struct plan *plan, size_t qi)
{
	size_t i, base = 0;

	for (i = 0; i < qi; i++)
		base += plan->queries[i].nasserts;
	return base;
}

static size_t
total_asserts(const struct plan *plan)
{
	return assert_base(plan, plan->n);
}

size_t
check_row(struct check_list *l, const struct plan *plan, size_t qi,
    const struct value *row, struct eval_ctx *ctx)
{
	const struct plan_query *pq = &plan->queries[qi];
	const struct value *saved = ctx->columns;
	size_t i, failed = 0;

	if (pq->nasserts == 0)
		return 0;
	if (l->listing_failures == NULL)
		l->listing_failures = xcalloc(total_asserts(plan) + 1,
		    sizeof(*l->listing_failures));
	if (l->rows_checked == NULL)
		l->rows_checked = xcalloc(plan->n + 1,
		    sizeof(*l->rows_checked));
	l->rows_checked[qi]++;
	ctx->columns = row;
	for (i = 0; i < pq->nasserts; i++) {
		struct check_outcome o = { qi, i, 1, NULL, NULL, NULL };
		size_t *count = &l->listing_failures[assert_base(plan, qi) +
		    i];

		o.passed = eval_truthy(pq->asserts[i].expr, ctx);
		if (!o.passed) {
			failed++;
			l->failed++;
		}
		if (!pq->is_agg) {
			/* Listing rows: failures only, capped. */
			if (o.passed || (*count)++ >= CHECK_MAX_LISTING_FAILURES)
				continue;
		}
		describe(&o, pq, &pq->asserts[i], row, ctx);
		add_outcome(l, &o);
	}
	ctx->columns = saved;
	return failed;
}

void
check_listing_done(struct check_list *l, const struct plan *plan, size_t qi)
{
	const struct plan_query *pq = &plan->queries[qi];
	size_t i;

	for (i = 0; i < pq->nasserts; i++) {
		struct check_outcome o = { qi, i, 1, NULL, NULL, NULL };

		if (l->listing_failures != NULL &&
		    l->listing_failures[assert_base(plan, qi) + i] > 0)
			continue;
		o.values = json_object();
		o.detail = xstrdup("every row");
		add_outcome(l, &o);
	}
}

size_t
check_rows_checked(const struct check_list *l, size_t qi)
{
	return l->rows_checked != NULL ? l->rows_checked[qi] : 0;
}

char *
check_message(const struct plan *plan, const struct check_outcome *o)
{
	const struct plan_query *pq = &plan->queries[o->query];

	return xasprintf("assertion %s in %s: %s (%s)", o->passed ? "held" :
	    "failed", pq->name, pq->asserts[o->assert].text, o->detail);
}

void
check_list_release(struct check_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		json_decref(l->items[i].key);
		json_decref(l->items[i].values);
		free(l->items[i].detail);
	}
	free(l->items);
	free(l->listing_failures);
	free(l->rows_checked);
	memset(l, 0, sizeof(*l));
}
