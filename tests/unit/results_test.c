/* SPDX-License-Identifier: MIT */
/* results_test.c - results_emit: final, and a tick while feeding goes on
 *
 * Two sources stand for two -j threads: even lines feed the first, odd
 * lines the second. The expected rows were worked out by hand from the
 * lines below (nearest-rank p50: the value at rank ceil(n / 2) of the
 * sorted values); the comment beside each says how. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "eval.h"
#include "fields.h"
#include "format.h"
#include "plan.h"
#include "query.h"
#include "record.h"
#include "results.h"
#include "util.h"
#include "tap.h"

static const char report[] =
    "queries:\n"
    "  - name: by_k\n"
    "    group_by: k\n"
    "    aggregate:\n"
    "      n: count()\n"
    "      s: sum(x)\n"
    "      p: p50(x)\n"
    "      mx: max(x)\n"
    "      f: first(x)\n"
    "      l: last(x)\n"
    "      d: distinct(x)\n"
    "    assert:\n"
    "      - n < 4\n"
    "  - name: top\n"
    "    select: [k, x]\n"
    "    sort: [-x]\n"
    "    limit: 2\n";

/* Lines 0-5 come before the tick, 6-9 after it. */
static const char *const lines[] = {
	"{\"k\": \"a\", \"x\": 5}", "{\"k\": \"b\", \"x\": 2}",
	"{\"k\": \"a\", \"x\": 7}", "{\"k\": \"a\", \"x\": 1}",
	"{\"k\": \"b\", \"x\": 9}", "{\"k\": \"b\", \"x\": 4}",
	"{\"k\": \"a\", \"x\": 3}", "{\"k\": \"b\", \"x\": 8}",
	"{\"k\": \"a\", \"x\": 10}", "{\"k\": \"c\", \"x\": 6}",
};

#define NSRC	2

static struct fields *builtin;
static struct record *rec;
static struct eval_ctx ctx;
static struct query_list ql;
static struct plan plan;

/* What one feeding thread holds. */
struct feeder {
	struct agg_table	**tables;
	uint64_t		*matched;
	char			*seen;
};

static void
load_plan(void)
{
	struct query_path search = { NULL, 0 };
	struct plan_options o;
	struct diag err = { 0 };

	memset(&o, 0, sizeof(o));
	o.builtin = builtin;
	if (query_load_inline(report, &search, &ql, &err) != 0 ||
	    plan_build(&plan, ql.items, ql.n, &o, &err) != 0) {
		printf("# cannot load the report: %s\n", err.msg);
		exit(99);
	}
}

static void
feeder_init(struct feeder *f, const struct agg_options *ao)
{
	size_t qi;

	f->tables = xcalloc(plan.n, sizeof(*f->tables));
	f->matched = xcalloc(plan.n, sizeof(*f->matched));
	f->seen = xcalloc(plan.nwatch + 1, 1);
	for (qi = 0; qi < plan.n; qi++)
		f->tables[qi] = agg_table_new(&plan.queries[qi], ao);
}

static void
feeder_release(struct feeder *f)
{
	size_t qi;

	for (qi = 0; qi < plan.n; qi++)
		agg_table_free(f->tables[qi]);
	free(f->tables);
	free(f->matched);
	free(f->seen);
}

/* Feeds line SEQ to F's tables, as run.c's feed_queries does. */
static void
feed(struct feeder *f, size_t seq, struct results_stats *st)
{
	struct line l = { lines[seq], strlen(lines[seq]), seq + 1 };
	struct value cells[2];
	size_t qi, k;
	int repaired;

	if (record_parse(rec, &l, "t", &repaired) != RECORD_OK) {
		printf("# not a record: %s\n", lines[seq]);
		exit(99);
	}
	eval_ctx_new_line(&ctx, rec);
	for (qi = 0; qi < plan.n; qi++) {
		const struct plan_query *pq = &plan.queries[qi];

		f->matched[qi]++;
		if (pq->is_agg) {
			if (agg_feed(f->tables[qi], &ctx, seq) < 0)
				exit(99);
			continue;
		}
		for (k = 0; k < pq->ncolumns; k++)
			cells[k] = eval(pq->select[k], &ctx);
		agg_keep_row(f->tables[qi], cells, NULL, seq);
	}
	st->lines++;
	st->json++;
}

/* results_emit() of the feeders to a csv formatter; the text written,
 * owned by the caller. */
static char *
emit(struct feeder *fs, size_t n, const struct results_stats *st,
    struct check_list *checks, int final, struct results_outcome *out)
{
	struct results_source src[NSRC];
	struct results_options o;
	struct format_query *fq = results_format_queries(&plan);
	struct format_options fo = { 0 };
	struct formatter *fmt;
	struct diag err = { 0 };
	char *text = NULL;
	size_t len = 0, i;
	FILE *fp = open_memstream(&text, &len);

	memset(&o, 0, sizeof(o));
	o.nthreads = 2;
	for (i = 0; i < n; i++) {
		src[i].tables = fs[i].tables;
		src[i].matched = fs[i].matched;
		src[i].seen = fs[i].seen;
	}
	if (fp == NULL || (fmt = format_new(FORMAT_CSV, fp, fq, plan.n, &fo,
	    &err)) == NULL)
		exit(99);
	memset(out, 0, sizeof(*out));
	if (results_emit(&plan, src, n, st, checks, &o, fmt, final, out,
	    &err) < 0) {
		printf("# results_emit: %s\n", err.msg);
		exit(99);
	}
	format_free(fmt);
	free(fq);
	fclose(fp);
	return text;
}

/* Rows of lines 0-5. by_k, a: 5 7 1: n 3, sum 13, sorted 1 5 7, p50 at
 * rank 2 = 5, max 7, first 5, last 1. b: 2 9 4: n 3, sum 15, sorted
 * 2 4 9, p50 4, max 9, first 2, last 4. Each group's values are
 * distinct: d = n. top: the two largest x: 9, 7. */
static const char tick_rows[] =
    "query,k,n,s,p,mx,f,l,d\n"
    "by_k,a,3,13,5,7,5,1,3\n"
    "by_k,b,3,15,4,9,2,4,3\n"
    "\n"
    "query,k,x\n"
    "top,b,9\n"
    "top,a,7\n";

/* Rows of lines 0-9. a: 5 7 1 3 10: n 5, sum 26, sorted 1 3 5 7 10,
 * p50 at rank 3 = 5, max 10, first 5 (line 0), last 10 (line 8). b:
 * 2 9 4 8: n 4, sum 23, sorted 2 4 8 9, p50 at rank 2 = 4, max 9, first
 * 2, last 8. c: 6 alone. d = n again. top: 10, 9. */
static const char final_rows[] =
    "query,k,n,s,p,mx,f,l,d\n"
    "by_k,a,5,26,5,10,5,10,5\n"
    "by_k,b,4,23,4,9,2,8,4\n"
    "by_k,c,1,6,6,6,6,6,1\n"
    "\n"
    "query,k,x\n"
    "top,a,10\n"
    "top,b,9\n";

static void
test_tick_then_final(void)
{
	struct agg_options ao = { 0, 0, 0, NULL, NULL };
	struct feeder fs[NSRC], one;
	struct results_stats st = { 0 }, st_one = { 0 };
	struct check_list checks = { 0 }, checks_one = { 0 };
	struct results_outcome out;
	char *text;
	size_t seq;

	load_plan();
	feeder_init(&fs[0], &ao);
	feeder_init(&fs[1], &ao);
	for (seq = 0; seq < 6; seq++)
		feed(&fs[seq % NSRC], seq, &st);

	text = emit(fs, NSRC, &st, &checks, 0, &out);
	is_str(text, tick_rows, "a tick: the rows of the lines so far");
	free(text);
	is_int(out.asserts_failed, 0, "a tick: n < 4 holds for a and b");
	is_int(out.nnotes, 0, "a tick gives no end-of-run notes");
	results_outcome_release(&out);
	is_int(checks.n, 0, "a tick leaves the run's outcomes alone");

	text = emit(fs, NSRC, &st, &checks, 0, &out);
	is_str(text, tick_rows, "a second tick without feeding: the same");
	free(text);
	results_outcome_release(&out);

	for (; seq < 10; seq++)
		feed(&fs[seq % NSRC], seq, &st);
	text = emit(fs, NSRC, &st, &checks, 0, &out);
	is_str(text, final_rows, "a tick after more lines counts each "
	    "line once");
	free(text);
	results_outcome_release(&out);

	text = emit(fs, NSRC, &st, &checks, 1, &out);
	is_str(text, final_rows, "final after ticks: every line, once");
	free(text);
	/* a: n 5, b: n 4 fail n < 4; c: n 1 holds. */
	is_int(out.asserts_failed, 2, "final: n < 4 fails for a and b");
	is_int(out.nnotes, 2, "final: a note per failed assertion");
	if (out.nnotes == 2) {
		is_str(out.notes[0].msg, "assertion failed in by_k: n < 4 "
		    "(n=5, k=a)", "the first failure's note");
		is_str(out.notes[1].msg, "assertion failed in by_k: n < 4 "
		    "(n=4, k=b)", "the second failure's note");
	}
	results_outcome_release(&out);

	/* The same lines through one table and no tick. */
	feeder_init(&one, &ao);
	for (seq = 0; seq < 10; seq++)
		feed(&one, seq, &st_one);
	text = emit(&one, 1, &st_one, &checks_one, 1, &out);
	is_str(text, final_rows, "one source, no tick: the same rows");
	free(text);
	results_outcome_release(&out);

	check_list_release(&checks);
	check_list_release(&checks_one);
	feeder_release(&fs[0]);
	feeder_release(&fs[1]);
	feeder_release(&one);
	results_stats_release(&st);
	results_stats_release(&st_one);
}

/* --approx: a tick merges sketches into scratch ones. Sketch values are
 * not worked out by hand; the oracle is the same lines through one
 * table with no tick, and the final emit after the tick. */
static void
test_tick_approx(void)
{
	struct agg_options ao = { 0, 0, 1, NULL, NULL };
	struct feeder fs[NSRC], one;
	struct results_stats st = { 0 }, st_one = { 0 };
	struct check_list checks = { 0 }, checks_one = { 0 };
	struct results_outcome out;
	char *tick, *final, *oracle;
	size_t seq;

	feeder_init(&fs[0], &ao);
	feeder_init(&fs[1], &ao);
	feeder_init(&one, &ao);
	for (seq = 0; seq < 6; seq++)
		feed(&fs[seq % NSRC], seq, &st);
	free(emit(fs, NSRC, &st, &checks, 0, &out));
	ok(out.approx, "--approx: a tick says its percentiles are approximate");
	results_outcome_release(&out);
	for (; seq < 10; seq++)
		feed(&fs[seq % NSRC], seq, &st);
	for (seq = 0; seq < 10; seq++)
		feed(&one, seq, &st_one);
	tick = emit(fs, NSRC, &st, &checks, 0, &out);
	results_outcome_release(&out);
	final = emit(fs, NSRC, &st, &checks, 1, &out);
	results_outcome_release(&out);
	oracle = emit(&one, 1, &st_one, &checks_one, 1, &out);
	results_outcome_release(&out);
	is_str(tick, oracle, "--approx: a tick after every line, as one table");
	is_str(final, oracle, "--approx: final after a tick, as one table");
	free(tick);
	free(final);
	free(oracle);
	check_list_release(&checks);
	check_list_release(&checks_one);
	feeder_release(&fs[0]);
	feeder_release(&fs[1]);
	feeder_release(&one);
	results_stats_release(&st);
	results_stats_release(&st_one);
}

/* A tick merges into a table with the run's --max-groups: the union of
 * the sources' groups can pass it although no source's does. */
static void
test_tick_max_groups(void)
{
	struct agg_options ao = { 0, 0, 0, NULL, NULL };
	struct feeder fs[NSRC];
	struct results_stats st = { 0 };
	struct results_source src[NSRC];
	struct results_options o;
	struct results_outcome out = { 0 };
	struct check_list checks = { 0 };
	struct format_query *fq = results_format_queries(&plan);
	struct format_options fo = { 0 };
	struct formatter *fmt;
	struct diag err = { 0 };
	size_t seq, i;
	FILE *fp = tmpfile();

	feeder_init(&fs[0], &ao);
	feeder_init(&fs[1], &ao);
	/* Lines 0 and 2 (a) feed the first source, line 1 (b) the
	 * second: a group each, within a cap of 1; two when merged. */
	for (seq = 0; seq < 2; seq++)
		feed(&fs[0], seq * 2, &st);
	feed(&fs[1], 1, &st);
	memset(&o, 0, sizeof(o));
	o.agg.max_groups = 1;
	for (i = 0; i < NSRC; i++) {
		src[i].tables = fs[i].tables;
		src[i].matched = fs[i].matched;
		src[i].seen = fs[i].seen;
	}
	if (fp == NULL || (fmt = format_new(FORMAT_CSV, fp, fq, plan.n, &fo,
	    &err)) == NULL)
		exit(99);
	ok(results_emit(&plan, src, NSRC, &st, &checks, &o, fmt, 0, &out,
	    &err) < 0, "a tick past --max-groups fails");
	is_str(err.msg, "query 'by_k' has more than 1 groups, the "
	    "--max-groups limit; group by fewer distinct values (an id?) "
	    "or raise the limit", "and names the query");
	diag_release(&err);
	results_outcome_release(&out);
	format_free(fmt);
	free(fq);
	fclose(fp);
	check_list_release(&checks);
	feeder_release(&fs[0]);
	feeder_release(&fs[1]);
	results_stats_release(&st);
}

int
main(void)
{
	builtin = fields_new_builtin();
	rec = record_new();
	eval_ctx_init(&ctx);

	test_tick_then_final();
	test_tick_approx();
	test_tick_max_groups();

	plan_release(&plan);
	query_list_release(&ql);
	eval_ctx_release(&ctx);
	record_free(rec);
	fields_free(builtin);
	return done_testing();
}
