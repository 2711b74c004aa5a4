/* SPDX-License-Identifier: MIT */
/* check_test.c - assertions over output rows (SPEC 3.7)
 *
 * Rows are built by hand; expected messages follow SPEC 3.7's example
 * ("assertion failed in latency: p99_ms < 500 (p99_ms=812,
 * route=/v1/apple/verify)"): the columns read, then the statistics read,
 * then the group key, each once. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "check.h"
#include "eval.h"
#include "fields.h"
#include "plan.h"
#include "query.h"
#include "util.h"
#include "tap.h"

#define S(lit)	value_str((lit), sizeof(lit) - 1)

static struct fields *builtin;
static struct eval_ctx ctx;

struct tq {
	struct query_list	 list;
	struct plan		 plan;
};

static void
tq_load(struct tq *q, const char *yaml)
{
	struct query_path search = { NULL, 0 };
	struct plan_options o;
	struct diag err = { 0 };

	memset(q, 0, sizeof(*q));
	memset(&o, 0, sizeof(o));
	o.builtin = builtin;
	if (query_load_inline(yaml, &search, &q->list, &err) != 0 ||
	    plan_build(&q->plan, q->list.items, q->list.n, &o, &err) != 0) {
		printf("# cannot load '%s': %s\n", yaml, err.msg);
		diag_release(&err);
		exit(99);
	}
}

static void
tq_release(struct tq *q)
{
	plan_release(&q->plan);
	query_list_release(&q->list);
}

/* check_message of outcome I, or "(none)"; owned by the caller. */
static char *
message(const struct tq *q, const struct check_list *l, size_t i)
{
	if (i >= l->n)
		return xstrdup("(none)");
	return check_message(&q->plan, &l->items[i]);
}

static void
test_aggregation(void)
{
	static const char yaml[] =
	    "name: latency\n"
	    "group_by:\n"
	    "  route: path\n"
	    "aggregate:\n"
	    "  p99_ms: p99(latency_ms)\n"
	    "  n: count()\n"
	    "assert:\n"
	    "  - p99_ms < 500\n"
	    "  - n * 2 >= $lines\n"
	    "  - route != \"/skip\"\n";
	struct tq q;
	struct check_list l;
	struct value r1[3] = { S("/v1/x"), value_int(812), value_int(3) };
	struct value r2[3] = { S("/ok"), value_real(120.5), value_int(5) };
	struct value r3[3] = { S("/skip"), value_real(812.5), value_int(9) };
	char *m;
	size_t i;
	int all;

	tq_load(&q, yaml);
	memset(&l, 0, sizeof(l));
	ctx.stats[EXPR_STAT_LINES] = 10;

	/* Row 1 (hand): 812 < 500 false; 3*2 >= 10 false; "/v1/x" !=
	 * "/skip" true. */
	is_int(check_row(&l, &q.plan, 0, r1, &ctx), 2,
	    "a row failing two of three assertions: check_row returns 2");
	is_int(l.n, 3, "an aggregation row records every outcome");
	is_int(l.failed, 2, "failed counts the two failures");
	ok(l.n == 3 && !l.items[0].passed && !l.items[1].passed &&
	    l.items[2].passed, "outcomes: failed, failed, passed");
	ok(l.n == 3 && l.items[0].query == 0 && l.items[0].assert == 0 &&
	    l.items[1].assert == 1 && l.items[2].assert == 2,
	    "outcomes name their query and assertion in order");
	m = message(&q, &l, 0);
	is_str(m, "assertion failed in latency: p99_ms < 500 "
	    "(p99_ms=812, route=/v1/x)",
	    "message: the column read, then the group key");
	free(m);
	m = message(&q, &l, 1);
	is_str(m, "assertion failed in latency: n * 2 >= $lines "
	    "(n=3, $lines=10, route=/v1/x)",
	    "message: the column, the statistic $lines, then the key");
	free(m);
	ok(l.n > 0 && l.items[0].key != NULL && json_object_size(
	    l.items[0].key) == 1 && json_is_string(json_object_get(
	    l.items[0].key, "route")) && strcmp(json_string_value(
	    json_object_get(l.items[0].key, "route")), "/v1/x") == 0,
	    "key is the group columns: {route: /v1/x}");
	ok(l.n > 0 && l.items[0].values != NULL && json_object_size(
	    l.items[0].values) == 1 && json_integer_value(json_object_get(
	    l.items[0].values, "p99_ms")) == 812,
	    "values are the columns read: {p99_ms: 812}");
	ok(l.n > 1 && json_integer_value(json_object_get(l.items[1].values,
	    "n")) == 3, "values of assertion 1 hold n = 3");

	/* Row 2 passes everything (hand: 120.5 < 500, 10 >= 10, /ok). */
	is_int(check_row(&l, &q.plan, 0, r2, &ctx), 0,
	    "a passing row: check_row returns 0");
	all = l.n == 6;
	for (i = 3; i < l.n; i++)
		all = all && l.items[i].passed;
	ok(all, "...and records three passing outcomes");
	is_int(l.failed, 2, "failed unchanged by a passing row");

	/* Row 3: 812.5 < 500 false; 18 >= 10 true; route == /skip. */
	is_int(check_row(&l, &q.plan, 0, r3, &ctx), 2,
	    "row 3 fails assertions 0 and 2");
	m = message(&q, &l, 6);
	is_str(m, "assertion failed in latency: p99_ms < 500 "
	    "(p99_ms=812.5, route=/skip)", "message: a real value");
	free(m);
	m = message(&q, &l, 8);
	is_str(m, "assertion failed in latency: route != \"/skip\" "
	    "(route=/skip)",
	    "message: a key column read is named once");
	free(m);
	is_int(l.failed, 4, "failed totals 4 over three rows");
	check_list_release(&l);
	tq_release(&q);
}

static void
test_no_group(void)
{
	struct tq q;
	struct check_list l;
	struct value row[1] = { value_int(0) };
	char *m;

	tq_load(&q, "{name: total, aggregate: {n: count()}, "
	    "assert: [\"n > 0\", \"$skipped <= $lines * 0.01\"]}");
	memset(&l, 0, sizeof(l));
	ctx.stats[EXPR_STAT_LINES] = 100;
	ctx.stats[EXPR_STAT_SKIPPED] = 2;
	/* Hand: 0 > 0 false; 2 <= 1 false. */
	is_int(check_row(&l, &q.plan, 0, row, &ctx), 2,
	    "no group_by: both assertions fail");
	m = message(&q, &l, 0);
	is_str(m, "assertion failed in total: n > 0 (n=0)",
	    "no group_by: no key in the message");
	free(m);
	m = message(&q, &l, 1);
	is_str(m, "assertion failed in total: $skipped <= $lines * 0.01 "
	    "($skipped=2, $lines=100)",
	    "statistics in the order the assertion reads them");
	free(m);
	ok(l.n > 0 && l.items[0].key == NULL, "no group_by: key is NULL");
	ctx.stats[EXPR_STAT_SKIPPED] = 1;
	row[0] = value_int(4);
	is_int(check_row(&l, &q.plan, 0, row, &ctx), 0,
	    "n=4, 1 skipped of 100: both hold");
	check_list_release(&l);
	ctx.stats[EXPR_STAT_SKIPPED] = 0;
	tq_release(&q);

	tq_load(&q, "{name: none, aggregate: {n: count()}}");
	memset(&l, 0, sizeof(l));
	is_int(check_row(&l, &q.plan, 0, row, &ctx), 0,
	    "a query without assertions: nothing fails");
	is_int(l.n, 0, "...and nothing is recorded");
	check_list_release(&l);
	tq_release(&q);
}

static void
test_listing(void)
{
	static const char yaml[] =
	    "name: slow\n"
	    "select:\n"
	    "  msg: msg\n"
	    "  ms: latency_ms\n"
	    "assert:\n"
	    "  - ms < 100\n"
	    "  - ms >= 0\n"
	    "  - ms < 150\n";
	struct tq q;
	struct check_list l;
	struct value bad[2] = { S("slow one"), value_int(200) };
	struct value good[2] = { S("fast"), value_int(50) };
	size_t i, n0 = 0, n2 = 0, other = 0, failed = 0;
	char *m;

	tq_load(&q, yaml);
	memset(&l, 0, sizeof(l));
	/* 150 rows failing assertions 0 and 2, 10 passing all (hand). */
	for (i = 0; i < 150; i++)
		failed += check_row(&l, &q.plan, 0, bad, &ctx);
	for (i = 0; i < 10; i++)
		failed += check_row(&l, &q.plan, 0, good, &ctx);
	is_int(failed, 300, "check_row's returns add up to 300 failures");
	is_int(l.failed, 300, "every listing failure is counted");
	for (i = 0; i < l.n; i++) {
		if (l.items[i].passed)
			other++;
		else if (l.items[i].assert == 0)
			n0++;
		else if (l.items[i].assert == 2)
			n2++;
		else
			other++;
	}
	is_int(n0, CHECK_MAX_LISTING_FAILURES,
	    "assertion 0: the first 100 failures recorded");
	is_int(n2, CHECK_MAX_LISTING_FAILURES,
	    "assertion 2: its own 100, the cap is per assertion");
	is_int(other, 0, "passing listing rows record nothing");
	m = message(&q, &l, 0);
	is_str(m, "assertion failed in slow: ms < 100 (ms=200)",
	    "listing message: the column read, no key");
	free(m);
	check_listing_done(&l, &q.plan, 0);
	is_int(l.n, 201, "check_listing_done adds one outcome...");
	ok(l.n == 201 && l.items[200].passed && l.items[200].assert == 1,
	    "...a passing one, for the assertion that never failed");
	check_list_release(&l);

	/* Nothing fails: one passing outcome per assertion at the end. */
	memset(&l, 0, sizeof(l));
	for (i = 0; i < 5; i++)
		check_row(&l, &q.plan, 0, good, &ctx);
	is_int(l.n, 0, "listing rows that pass record nothing");
	check_listing_done(&l, &q.plan, 0);
	ok(l.n == 3 && l.items[0].passed && l.items[1].passed &&
	    l.items[2].passed && l.items[0].assert == 0 &&
	    l.items[2].assert == 2 && l.failed == 0,
	    "check_listing_done: three passing outcomes, none failed");
	check_list_release(&l);

	/* No rows at all: the assertions held on every (no) row. */
	memset(&l, 0, sizeof(l));
	check_listing_done(&l, &q.plan, 0);
	is_int(l.n, 3, "check_listing_done with no rows: 3 passing outcomes");
	check_list_release(&l);
	tq_release(&q);
}

/* Two queries in one plan: failures are capped per query. */
static void
test_report(void)
{
	static const char yaml[] =
	    "name: r\n"
	    "queries:\n"
	    "  - {name: one, select: {ms: latency_ms}, assert: [ms < 100]}\n"
	    "  - {name: two, select: {ms: latency_ms}, assert: [ms < 100]}\n";
	struct tq q;
	struct check_list l;
	struct value bad[1] = { value_int(200) };
	size_t i, one = 0, two = 0;
	char *m;

	tq_load(&q, yaml);
	memset(&l, 0, sizeof(l));
	for (i = 0; i < 120; i++) {
		check_row(&l, &q.plan, 0, bad, &ctx);
		check_row(&l, &q.plan, 1, bad, &ctx);
	}
	for (i = 0; i < l.n; i++) {
		if (l.items[i].query == 0)
			one++;
		else
			two++;
	}
	ok(one == CHECK_MAX_LISTING_FAILURES &&
	    two == CHECK_MAX_LISTING_FAILURES,
	    "two queries: each records its own first 100 failures");
	m = message(&q, &l, 1);
	is_str(m, "assertion failed in two: ms < 100 (ms=200)",
	    "the message names the second query");
	free(m);
	check_listing_done(&l, &q.plan, 0);
	check_listing_done(&l, &q.plan, 1);
	is_int(l.n, 200, "both failed: check_listing_done adds nothing");
	check_list_release(&l);
	tq_release(&q);
}

/* Many assertions on a listing: each keeps its own count (hand: 64
 * that hold, the 65th fails on every row). */
static void
test_many_asserts(void)
{
	struct tq q;
	struct check_list l;
	struct buf y = BUF_INIT;
	struct value bad[1] = { value_int(200) };
	size_t i, passed = 0, failed = 0;

	buf_adds(&y, "name: many\nselect: {ms: latency_ms}\nassert:\n");
	for (i = 0; i < 64; i++)
		buf_printf(&y, "  - ms >= %zu\n", i);
	buf_adds(&y, "  - ms < 0\n");
	tq_load(&q, buf_str(&y));
	memset(&l, 0, sizeof(l));
	for (i = 0; i < 3; i++)
		check_row(&l, &q.plan, 0, bad, &ctx);
	check_listing_done(&l, &q.plan, 0);
	for (i = 0; i < l.n; i++) {
		if (l.items[i].passed)
			passed++;
		else
			failed++;
	}
	is_int(failed, 3, "65 assertions: the 65th's 3 failures recorded");
	is_int(passed, 64,
	    "65 assertions: the 64 that held each get a passing outcome");
	check_list_release(&l);
	tq_release(&q);
	buf_release(&y);
}

int
main(void)
{
	builtin = fields_new_builtin();
	eval_ctx_init(&ctx);
	test_aggregation();
	test_no_group();
	test_listing();
	test_report();
	test_many_asserts();
	eval_ctx_release(&ctx);
	fields_free(builtin);
	return done_testing();
}
