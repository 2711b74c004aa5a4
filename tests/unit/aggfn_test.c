/* SPDX-License-Identifier: MIT */
/* aggfn_test.c - every aggregate's row: feed, merge, result, write, read
 *
 * The oracle is the row itself: lines fed into one state A must give
 * exactly what the same lines split between B and C give once C has
 * gone through write(), JSON text and read() and been merged into B
 * (SPEC 7: a partial state merged is the state of all its lines). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggfn.h"
#include "util.h"
#include "value.h"
#include "tap.h"

static uint64_t rng = 88172645463325252ULL;

static uint64_t
next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static const char *const words[] = { "GET", "POST", "", "caf\xc3\xa9",
	"a\"quote", "x" };
static json_t *lists[3];

/*
 * A random argument: integers, reals that are never integral (so that
 * min(3, 3.0) cannot tie with a different kind), strings, null,
 * booleans and JSON arrays/objects. Reals are quarters: their sums are
 * exact whatever the order of addition.
 */
static struct value
random_value(void)
{
	uint64_t r = next();
	int64_t i = (int64_t)(r >> 40) % 101 - 50;

	switch ((r >> 8) % 10) {
	case 0:
	case 1:
	case 2:
		return value_int(i);
	case 3:
	case 4:
	case 5:
		return value_real((double)i + 0.25 * (double)((r >> 20) % 3 +
		    1));
	case 6:
		return value_str(words[(r >> 16) % 6],
		    strlen(words[(r >> 16) % 6]));
	case 7:
		return value_null();
	case 8:
		return value_bool((int)(r >> 30) & 1);
	default:
		return value_from_json(lists[(r >> 12) % 3]);
	}
}

struct st {
	int64_t		 n;
	void		*state;
	struct aggfn_ctx ctx;
};

static void
st_init(struct st *s, const struct aggfn *fn, int approx)
{
	memset(s, 0, sizeof(*s));
	s->state = xcalloc(1, fn->state_size + 8);
	s->ctx.arena = arena_new();
	s->ctx.approx = approx;
	if (fn->init != NULL)
		fn->init(s->state);
}

static void
st_release(struct st *s, const struct aggfn *fn)
{
	if (fn->release != NULL)
		fn->release(s->state);
	free(s->state);
	buf_release(&s->ctx.scratch);
	arena_free(s->ctx.arena);
}

/* A value as comparable text: kind, then its JSON. */
static char *
value_text(const struct value *v)
{
	struct buf b = BUF_INIT;

	buf_printf(&b, "%d:", (int)v->kind);
	value_write_json(&b, v);
	return buf_take(&b);
}

static char *
state_text(const struct aggfn *fn, const struct st *s)
{
	json_t *j = fn->write(s->n, s->state, &s->ctx);
	char *text = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS |
	    JSON_ENCODE_ANY);

	json_decref(j);
	return text;
}

/* One trial: NLINES lines into A, and into B or C at random. */
static int
trial(const struct aggfn *fn, int approx, size_t nlines, double q)
{
	struct st a, b, c, c2;
	struct diag err = { 0 };
	json_t *jc, *jc2;
	char *text, *ta, *tb, *va, *vb;
	struct value ra, rb;
	size_t k;
	int same;

	st_init(&a, fn, approx);
	st_init(&b, fn, approx);
	st_init(&c, fn, approx);
	st_init(&c2, fn, approx);
	for (k = 0; k < nlines; k++) {
		struct value args[2];
		struct st *half = next() & 1 ? &b : &c;

		args[0] = random_value();
		args[1] = random_value();
		fn->feed(&a.n, a.state, args, k, &a.ctx);
		fn->feed(&half->n, half->state, args, k, &half->ctx);
	}
	jc = fn->write(c.n, c.state, &c.ctx);
	/* A count's state is a bare integer: any JSON value. */
	text = json_dumps(jc, JSON_COMPACT | JSON_ENCODE_ANY);
	jc2 = json_loads(text, JSON_DECODE_ANY, NULL);
	if (fn->read(&c2.n, c2.state, jc2, &c2.ctx, &err) < 0) {
		printf("# %s: read of its own state: %s\n", fn->name, err.msg);
		diag_release(&err);
		same = 0;
		goto out;
	}
	fn->merge(&b.n, b.state, c2.n, c2.state, &b.ctx);
	ta = state_text(fn, &a);
	tb = state_text(fn, &b);
	ra = fn->result(a.n, a.state, q);
	rb = fn->result(b.n, b.state, q);
	va = value_text(&ra);
	vb = value_text(&rb);
	same = a.n == b.n && strcmp(ta, tb) == 0 && strcmp(va, vb) == 0;
	if (!same)
		printf("# %s%s, %zu lines:\n#  A %s = %s\n#  B %s = %s\n",
		    fn->name, approx ? " approx" : "", nlines, va, ta, vb, tb);
	free(ta);
	free(tb);
	free(va);
	free(vb);
out:
	json_decref(jc);
	json_decref(jc2);
	free(text);
	st_release(&a, fn);
	st_release(&b, fn);
	st_release(&c, fn);
	st_release(&c2, fn);
	return same;
}

static void
test_split_merge(void)
{
	/* 2000 and 6000 lines: past AGGFN_COMPACT_MIN numbers, so the
	 * percentiles' states compact (struct aggfn_values). */
	static const size_t sizes[] = { 0, 1, 2, 3, 10, 57, 300, 2000, 6000 };
	const struct aggfn *fn;
	size_t i, si, t;
	int approx;

	for (i = 0; (fn = aggfn_at(i)) != NULL; i++)
		for (approx = 0; approx < 2; approx++) {
			double q = fn->has_q_argument ? 37.5 : fn->q;
			int all = 1;

			for (si = 0; si < sizeof(sizes) / sizeof(sizes[0]);
			    si++)
				for (t = 0; t < 5; t++)
					all &= trial(fn, approx, sizes[si], q);
			ok(all, "%s%s: one state equals two merged, one of "
			    "them written and read back", fn->name,
			    approx ? " (--approx)" : "");
		}
}

/* Each row refuses these; and its own malformed cases below. */
static const char *const bad_any[] = {
	"[]", "3", "null", "{\"n\": -1}", "{\"n\": \"x\"}",
};

static const struct bad {
	const char	*name;
	const char	*json;
} bad_own[] = {
	{ "count", "-1" },
	{ "count", "1.5" },
	{ "count_if", "{\"n\": 1}" },
	{ "sum", "{\"n\": 1}" },
	{ "sum", "{\"n\": 1, \"sum\": 1, \"isum\": 1}" },
	{ "sum", "{\"n\": 1, \"sum\": 1, \"isum\": 1, \"partials\": "
	    "[\"x\"]}" },
	{ "sum", "{\"n\": 1, \"sum\": \"x\", \"isum\": null}" },
	{ "avg", "{\"n\": 1, \"sum\": 1.5, \"isum\": 1.5}" },
	{ "min", "{\"n\": 1}" },
	{ "max", "{\"n\": 2, \"value\": \"big\"}" },
	{ "first", "{\"n\": 1, \"value\": 1}" },
	{ "first", "{\"n\": 1, \"value\": 1, \"seq\": 3}" },
	{ "last", "{\"n\": 1, \"value\": 1, \"pos\": [\"a\", -3]}" },
	{ "last", "{\"n\": 1, \"value\": 1, \"pos\": [1, 3]}" },
	{ "last", "{\"n\": 1, \"value\": 1, \"pos\": [\"a\"]}" },
	{ "min_by", "{\"n\": 1, \"value\": 1, \"pos\": [\"a\", 0]}" },
	{ "max_by", "{\"n\": 1, \"pos\": [\"a\", 0], \"key\": 3}" },
	{ "distinct", "{\"n\": 2, \"values\": [1, 1]}" },
	{ "distinct", "{\"n\": 1, \"values\": [[1]]}" },
	{ "distinct", "{\"n\": 3, \"values\": [1, 2]}" },
	{ "distinct", "{\"n\": 1, \"values\": [{\"json\": \"[1\"}]}" },
	{ "distinct", "{\"n\": 1, \"values\": [{\"real\": \"big\"}]}" },
	{ "distinct", "{\"n\": 0}" },
	{ "p95", "{\"values\": [[1, 0]]}" },
	{ "p95", "{\"values\": [[2, 1], [1, 1]]}" },
	{ "p95", "{\"values\": [[1, 1], [1, 1]]}" },
	{ "p95", "{\"values\": [[1, 1.5]]}" },
	{ "p95", "{\"values\": [[1, 4294967296]]}" },
	{ "p95", "{\"values\": [\"x\"]}" },
	{ "p95", "{\"values\": 3}" },
	{ "p95", "{\"sketch\": {\"alpha\": 0.1}}" },
	{ "percentile", "{\"sketch\": 7}" },
};

static int
rejects(const struct aggfn *fn, const char *text)
{
	json_t *j = json_loads(text, JSON_DECODE_ANY, NULL);
	struct diag err = { 0 };
	struct st s;
	int refused;

	st_init(&s, fn, 0);
	refused = fn->read(&s.n, s.state, j, &s.ctx, &err) < 0 &&
	    err.msg != NULL && strncmp(err.msg, "invalid aggregate state: ",
	    25) == 0;
	if (!refused)
		printf("# %s accepted %s\n", fn->name, text);
	diag_release(&err);
	st_release(&s, fn);
	json_decref(j);
	return refused;
}

static void
test_malformed(void)
{
	const struct aggfn *fn;
	size_t i, k;
	int all = 1;

	for (i = 0; (fn = aggfn_at(i)) != NULL; i++)
		for (k = 0; k < sizeof(bad_any) / sizeof(bad_any[0]); k++)
			/* 3 is a count's state. */
			if (fn->kind != AGGFN_COUNT_IF &&
			    fn->kind != AGGFN_COUNT)
				all &= rejects(fn, bad_any[k]);
			else if (strcmp(bad_any[k], "3") != 0)
				all &= rejects(fn, bad_any[k]);
	ok(all, "every row refuses states that are not objects (counts: "
	    "not integers from 0), or with a bad 'n' and nothing else");
	for (k = 0; k < sizeof(bad_own) / sizeof(bad_own[0]); k++) {
		fn = aggfn_find(bad_own[k].name, strlen(bad_own[k].name));
		ok(fn != NULL && rejects(fn, bad_own[k].json),
		    "%s refuses %s", bad_own[k].name, bad_own[k].json);
	}
}

/* A few results by hand, so that the oracle is not only the row. */
static void
test_results(void)
{
	const struct aggfn *sum = aggfn_find("sum", 3);
	const struct aggfn *distinct = aggfn_find("distinct", 8);
	const struct aggfn *p50 = aggfn_find("p50", 3);
	struct value args[2];
	struct st s;
	json_t *j;
	char *text;
	int i;

	st_init(&s, sum, 0);
	for (i = 1; i <= 4; i++) {
		args[0] = value_int(i);
		sum->feed(&s.n, s.state, args, (uint64_t)i, &s.ctx);
	}
	args[0] = value_str("7", 1);
	sum->feed(&s.n, s.state, args, 5, &s.ctx);
	ok(s.n == 4 && sum->result(s.n, s.state, 0).kind == VALUE_INT &&
	    sum->result(s.n, s.state, 0).u.i == 10,
	    "sum of 1..4 is the integer 10; a string is no number");
	st_release(&s, sum);

	st_init(&s, distinct, 0);
	args[0] = value_int(200);
	distinct->feed(&s.n, s.state, args, 0, &s.ctx);
	args[0] = value_real(200.0);
	distinct->feed(&s.n, s.state, args, 1, &s.ctx);
	args[0] = value_str("200", 3);
	distinct->feed(&s.n, s.state, args, 2, &s.ctx);
	args[0] = value_null();
	distinct->feed(&s.n, s.state, args, 3, &s.ctx);
	j = distinct->write(s.n, s.state, &s.ctx);
	text = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	is_str(text, "{\"n\":2,\"values\":[200,\"200\"]}",
	    "distinct: 200 and 200.0 are one value, \"200\" another, null "
	    "none");
	free(text);
	json_decref(j);
	st_release(&s, distinct);

	st_init(&s, p50, 0);
	for (i = 0; i < 6; i++) {
		args[0] = value_int(i % 2 ? 5 : 1);
		p50->feed(&s.n, s.state, args, (uint64_t)i, &s.ctx);
	}
	j = p50->write(s.n, s.state, &s.ctx);
	text = json_dumps(j, JSON_COMPACT);
	is_str(text, "{\"values\":[[1,3],[5,3]]}",
	    "exact percentile values are written as (value, count) pairs, "
	    "whole numbers without a fraction");
	free(text);
	json_decref(j);
	ok(p50->result(s.n, s.state, 50).u.r == 1,
	    "p50 of three 1s and three 5s is 1");
	st_release(&s, p50);
}

/*
 * Positions across states (SPEC 7): by file name under by_name, then
 * line; and two states at one position (two runs over stdin) decide by
 * the value, so that merging A into B and B into A agree.
 */
static void
test_positions(void)
{
	static const char *const names[] = { "first", "last", "min_by",
	    "max_by" };
	struct aggfn_files files = { 0 };
	uint64_t a, b, c;
	size_t i;

	/* Met in the order b.log, a.log: the names decide, not the order. */
	b = (uint64_t)aggfn_files_intern(&files, "b.log") << AGGFN_LINE_BITS
	    | 1;
	a = (uint64_t)aggfn_files_intern(&files, "a.log") << AGGFN_LINE_BITS
	    | 9;
	c = (uint64_t)aggfn_files_intern(&files, "a.log") << AGGFN_LINE_BITS
	    | 10;
	ok(aggfn_pos_cmp(&files, a, b) > 0, "without by_name, ordinals "
	    "order positions (a run's files in the order read)");
	files.by_name = 1;
	ok(aggfn_pos_cmp(&files, a, b) < 0 && aggfn_pos_cmp(&files, b, a) > 0,
	    "with by_name, a.log:9 comes before b.log:1");
	ok(aggfn_pos_cmp(&files, a, c) < 0 && aggfn_pos_cmp(&files, a, a) == 0,
	    "one file's positions order by line");
	ok(strcmp(aggfn_pos_file(&files, b), "b.log") == 0 &&
	    strcmp(aggfn_pos_file(&files, (uint64_t)7 << AGGFN_LINE_BITS),
	    "-") == 0, "a position names its file, '-' when unknown");

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const struct aggfn *fn = aggfn_find(names[i],
		    strlen(names[i]));
		struct st x, y, x2, y2;
		struct value args[2];
		char *tx, *ty;

		st_init(&x, fn, 0);
		st_init(&y, fn, 0);
		st_init(&x2, fn, 0);
		st_init(&y2, fn, 0);
		x.ctx.files = y.ctx.files = &files;
		x2.ctx.files = y2.ctx.files = &files;
		/* Same key, same position, other values. */
		args[0] = value_str("apple", 5);
		args[1] = value_int(3);
		fn->feed(&x.n, x.state, args, a, &x.ctx);
		fn->feed(&x2.n, x2.state, args, a, &x2.ctx);
		args[0] = value_str("pear", 4);
		fn->feed(&y.n, y.state, args, a, &y.ctx);
		fn->feed(&y2.n, y2.state, args, a, &y2.ctx);
		fn->merge(&x.n, x.state, y.n, y.state, &x.ctx);
		fn->merge(&y2.n, y2.state, x2.n, x2.state, &y2.ctx);
		tx = state_text(fn, &x);
		ty = state_text(fn, &y2);
		is_str(tx, ty, "%s: two states at one position merge to the "
		    "same state in either order", names[i]);
		free(tx);
		free(ty);
		st_release(&x, fn);
		st_release(&y, fn);
		st_release(&x2, fn);
		st_release(&y2, fn);
	}
	aggfn_files_release(&files);
}

/* Feeds the number X (an integer when whole and small) to S. */
static void
feed_num(const struct aggfn *fn, struct st *s, double x)
{
	struct value args[2];

	args[0] = x == floor(x) && fabs(x) < 1e15 && !(x == 0 && signbit(x)) ?
	    value_int((int64_t)x) : value_real(x);
	args[1] = value_null();
	fn->feed(&s->n, s->state, args, 0, &s->ctx);
}

static char *
written(const struct aggfn *fn, const struct st *s)
{
	json_t *j = fn->write(s->n, s->state, &s->ctx);
	char *text = json_dumps(j, JSON_COMPACT);

	json_decref(j);
	return text;
}

static double
pct(const struct aggfn *fn, struct st *s, double q)
{
	struct value r = fn->result(s->n, s->state, q);

	return r.kind == VALUE_REAL ? r.u.r : NAN;
}

/*
 * Exact percentiles kept as (value, count) runs (struct aggfn_values):
 * ranks at the runs' edges, one value, all values equal, NaN and
 * infinities, -0 and 0, values that never repeat, and merges of
 * compacted states with states that are not. Expected values computed
 * with python3 from the sorted lists (rank = ceil(q * n / 100), q in
 * thousandths, in integers):
 *   a = [1 + i % 4 for i in range(2048)]: ranks 1, 512, 513, 1024,
 *     1025, 1536, 2048 (q 0.001, 25, 25.01, 50, 50.01, 75, 99.99/100)
 *     give 1, 1, 2, 2, 3, 3, 4.
 *   A = [(i * 7) % 10 for i in range(3000)], B = [(i % 20) * 0.5 for i
 *     in range(100)]: A + B has 20 distinct values; p50 (rank 1550)
 *     4.5, p90 (2790) 8.5, p99 (3069) 9, p99.9 (3097) 9.5.
 *   1030 values alternating -0.0 and 0.0: p50 is rank 515, the last -0;
 *     percentile 50.1 is rank 517, a 0.
 *   [i * 1.5 for i in range(3000)]: p50 2248.5, p99 4453.5.
 */
static void
test_compaction(void)
{
	const struct aggfn *pc = aggfn_find("percentile", 10);
	static const double qs[] = { 0.001, 25, 25.01, 50, 50.01, 75, 99.99,
	    100 };
	static const double want[] = { 1, 1, 2, 2, 3, 3, 4, 4 };
	const struct aggfn_values *p;
	struct st s, a, b, b2, all, c;
	struct diag err = { 0 };
	char *text, *t2;
	json_t *j;
	size_t i;
	int good;

	st_init(&s, pc, 0);
	p = s.state;
	for (i = 0; i < 2048; i++)
		feed_num(pc, &s, 1 + (double)(i % 4));
	ok(p->nruns == 4 && p->nrun + p->n == 2048 && p->nrun >= 1024 &&
	    p->n > 0, "2048 values of 4 kinds: compacted into 4 runs but "
	    "for the last ones");
	for (i = 0, good = 1; i < sizeof(qs) / sizeof(qs[0]); i++)
		if (pct(pc, &s, qs[i]) != want[i]) {
			printf("# q %g: %g, want %g\n", qs[i], pct(pc, &s,
			    qs[i]), want[i]);
			good = 0;
		}
	ok(good, "ranks at the runs' first and last values (512/513, "
	    "1024/1025, 2048) select by cumulative counts");
	text = written(pc, &s);
	is_str(text, "{\"values\":[[1,512],[2,512],[3,512],[4,512]]}",
	    "its state: four pairs, counts summed over runs and values");
	free(text);
	st_release(&s, pc);

	st_init(&s, pc, 0);
	p = s.state;
	for (i = 0; i < 5000; i++)
		feed_num(pc, &s, 42.5);
	ok(p->nruns == 1 && p->alloc <= AGGFN_COMPACT_MIN &&
	    pct(pc, &s, 50) == 42.5 && pct(pc, &s, 99.9) == 42.5 &&
	    pct(pc, &s, 0.001) == 42.5,
	    "5000 equal values: one run, V no larger than it started, every "
	    "percentile 42.5");
	text = written(pc, &s);
	is_str(text, "{\"values\":[[42.5,5000]]}", "their state is one pair");
	free(text);
	st_release(&s, pc);

	st_init(&s, pc, 0);
	feed_num(pc, &s, 7);
	ok(pct(pc, &s, 50) == 7 && pct(pc, &s, 99.9) == 7 &&
	    pct(pc, &s, 0.001) == 7, "one value: every percentile is it");
	text = written(pc, &s);
	is_str(text, "{\"values\":[[7,1]]}", "one value's state");
	free(text);
	st_release(&s, pc);

	st_init(&s, pc, 0);
	for (i = 0; i < 1500; i++) {
		feed_num(pc, &s, (double)(i % 3));
		feed_num(pc, &s, NAN);
		feed_num(pc, &s, INFINITY);
		feed_num(pc, &s, -INFINITY);
	}
	text = written(pc, &s);
	is_str(text, "{\"values\":[[0,500],[1,500],[2,500]]}",
	    "NaN and infinities are never stored, compacted or not");
	free(text);
	ok(s.ctx.nvalues == 1500 && pct(pc, &s, 100) == 2 &&
	    pct(pc, &s, 0.001) == 0, "nor counted (1500 values), nor "
	    "selected (p100 2, lowest 0)");
	st_release(&s, pc);

	st_init(&s, pc, 0);
	p = s.state;
	for (i = 0; i < 1030; i++)
		feed_num(pc, &s, i % 2 ? 0.0 : -0.0);
	text = written(pc, &s);
	is_str(text, "{\"values\":[[-0.0,515],[0,515]]}",
	    "-0 and 0 are two runs, -0 first");
	free(text);
	ok(p->nruns == 2 && signbit(pct(pc, &s, 50)) &&
	    !signbit(pct(pc, &s, 50.1)),
	    "rank 515 is the last -0, rank 517 a 0");
	st_release(&s, pc);

	st_init(&s, pc, 0);
	p = s.state;
	for (i = 0; i < 3000; i++)
		feed_num(pc, &s, (double)i * 1.5);
	ok(p->nruns == 0 && p->n == 3000 && pct(pc, &s, 50) == 2248.5 &&
	    pct(pc, &s, 99) == 4453.5,
	    "3000 values that never repeat stay values (8 bytes each): p50 "
	    "2248.5, p99 4453.5");
	st_release(&s, pc);

	/* A compacted, B not; merged both ways and through write/read,
	 * against one state of all the values. */
	st_init(&a, pc, 0);
	st_init(&b, pc, 0);
	st_init(&b2, pc, 0);
	st_init(&all, pc, 0);
	st_init(&c, pc, 0);
	for (i = 0; i < 3000; i++) {
		feed_num(pc, &a, (double)((i * 7) % 10));
		feed_num(pc, &all, (double)((i * 7) % 10));
	}
	for (i = 0; i < 100; i++) {
		feed_num(pc, &b, (double)(i % 20) * 0.5);
		feed_num(pc, &b2, (double)(i % 20) * 0.5);
		feed_num(pc, &all, (double)(i % 20) * 0.5);
	}
	ok(((const struct aggfn_values *)a.state)->nruns == 10 &&
	    ((const struct aggfn_values *)b.state)->nruns == 0,
	    "A is compacted (10 runs), B is not");
	pc->merge(&b.n, b.state, a.n, a.state, &b.ctx);
	text = written(pc, &a);
	j = json_loads(text, 0, NULL);
	free(text);
	if (pc->read(&c.n, c.state, j, &c.ctx, &err) < 0) {
		printf("# read: %s\n", err.msg);
		diag_release(&err);
	}
	json_decref(j);
	pc->merge(&c.n, c.state, b2.n, b2.state, &c.ctx);
	pc->merge(&a.n, a.state, b2.n, b2.state, &a.ctx);
	text = written(pc, &all);
	t2 = written(pc, &a);
	good = strcmp(text, t2) == 0;
	free(t2);
	t2 = written(pc, &b);
	good &= strcmp(text, t2) == 0;
	free(t2);
	t2 = written(pc, &c);
	good &= strcmp(text, t2) == 0;
	free(t2);
	free(text);
	ok(good, "compacted into uncompacted, the reverse and a read state "
	    "merged: the state of all the values");
	good = 1;
	for (i = 0; i < 3; i++) {
		struct st *m = i == 0 ? &a : i == 1 ? &b : &c;

		good &= pct(pc, m, 50) == 4.5 && pct(pc, m, 90) == 8.5 &&
		    pct(pc, m, 99) == 9 && pct(pc, m, 99.9) == 9.5;
	}
	ok(good && pct(pc, &all, 50) == 4.5 && pct(pc, &all, 99.9) == 9.5,
	    "and their p50, p90, p99, p99.9: 4.5, 8.5, 9, 9.5");
	ok(a.ctx.nvalues == 3100 && b.ctx.nvalues == 3100 &&
	    c.ctx.nvalues == 3100, "--max-values counts the merged states' "
	    "values, not their runs: 3100");
	st_release(&a, pc);
	st_release(&b, pc);
	st_release(&b2, pc);
	st_release(&all, pc);
	st_release(&c, pc);

	/*
	 * A few runs into many (`logq merge` of small states): X has the
	 * 500 runs of [i % 500 for i in range(2000)], Y is read as -1 twice,
	 * 7 five times, 1000.5 once. python3, sorted(X + Y), n = 2008:
	 * rank 1 is -1, 21 is 4, 1004 (p50) 249, 2006 (p99.9) 499, 2008
	 * (p100) 1000.5.
	 */
	st_init(&a, pc, 0);
	st_init(&c, pc, 0);
	st_init(&all, pc, 0);
	for (i = 0; i < 2000; i++) {
		feed_num(pc, &a, (double)(i % 500));
		feed_num(pc, &all, (double)(i % 500));
	}
	for (i = 0; i < 8; i++)
		feed_num(pc, &all, i < 2 ? -1 : i < 7 ? 7 : 1000.5);
	j = json_loads("{\"values\": [[-1, 2], [7, 5], [1000.5, 1]]}", 0,
	    NULL);
	if (pc->read(&c.n, c.state, j, &c.ctx, &err) < 0) {
		printf("# read: %s\n", err.msg);
		diag_release(&err);
	}
	json_decref(j);
	ok(((const struct aggfn_values *)a.state)->nruns == 500,
	    "X is 500 runs");
	pc->merge(&a.n, a.state, c.n, c.state, &a.ctx);
	text = written(pc, &all);
	t2 = written(pc, &a);
	is_str(t2, text, "three runs merged into 500: two new, one added to");
	free(text);
	free(t2);
	ok(pct(pc, &a, 0.001) == -1 && pct(pc, &a, 1) == 4 &&
	    pct(pc, &a, 50) == 249 && pct(pc, &a, 99.9) == 499 &&
	    pct(pc, &a, 100) == 1000.5,
	    "their percentiles: -1, 4, 249, 499, 1000.5");
	st_release(&a, pc);
	st_release(&c, pc);
	st_release(&all, pc);
}

int
main(void)
{
	lists[0] = json_loads("[1,\"two\"]", 0, NULL);
	lists[1] = json_loads("{\"a\":{\"b\":null}}", 0, NULL);
	lists[2] = json_loads("[]", 0, NULL);
	test_split_merge();
	test_malformed();
	test_results();
	test_positions();
	test_compaction();
	json_decref(lists[0]);
	json_decref(lists[1]);
	json_decref(lists[2]);
	return done_testing();
}
