/* SPDX-License-Identifier: MIT */
/*
 * fuzz_expr.c - libFuzzer harness: expression lexer, parser and
 * evaluator over one fixed log line.
 *
 * The first byte picks where the expression is compiled, as plan.c
 * compiles them: a `where`/`select`/`group_by` (fields, aliases,
 * parameters), an `aggregate` value (aggregate calls allowed, their
 * arguments evaluated over the line as the aggregator does), or a
 * `having`/`assert` (output columns and $lines etc.). The rest is the
 * expression text. Whatever compiles is evaluated, and the result
 * written as the output formats write it.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "eval.h"
#include "expr.h"
#include "fields.h"
#include "record.h"
#include "util.h"
#include "value.h"

#include "fuzz.h"

/* Expressions are a line of YAML; 1 MB ones are a hostile CLI case. */
#define FUZZ_EXPR_MAX_LEN	4096

enum fuzz_mode { FUZZ_WHERE, FUZZ_AGGREGATE, FUZZ_HAVING, FUZZ_NMODES };

/* A kubectl --prefix line with the field conventions the aliases know,
 * nesting, a flat dotted key, odd keys, big and small numbers. */
static const char fuzz_line[] =
    "2026-04-25T03:01:53.123456Z [pod/api-7d9f8c6b5-x2k4q/api] "
    "{\"ts\":\"2026-04-25T03:01:53.120Z\",\"level\":\"error\","
    "\"msg\":\"upstream timed out\",\"latencyMs\":812.5,\"status\":504,"
    "\"path\":\"/v1/users/12345/orders/9f8b7c6d-1e2f-4a3b-8c9d-"
    "0a1b2c3d4e5f?x=1\",\"method\":\"GET\",\"tenantId\":\"acme\","
    "\"error\":\"UPSTREAM_TIMEOUT\",\"duration\":\"1.5s\","
    "\"checks\":{\"db\":true,\"cache\":null,\"n\":[1,2.5,\"3\"]},"
    "\"log.level\":\"warn\",\"@timestamp\":1745550113123,"
    "\"big\":18446744073709551615,\"neg\":-9223372036854775808,"
    "\"tiny\":1e-300,\"huge\":1e300,\"empty\":\"\",\"\":\"blank key\","
    "\"_line\":\"not the line\",\"u\":\"caf\\u00e9 \\u2603 \\ud83d\\ude00\","
    "\"nul\":\"a\\u0000b\",\"arr\":[],\"obj\":{},\"t\":true,\"f\":false,"
    "\"n\":null,\"num_str\":\"500\",\"real_str\":\"1.5e3\","
    "\"elapsed\":0.25,\"level_pino\":50}";

static const char *const fuzz_columns[] = {
	"route", "n", "p99_ms", "share", "key"
};
#define FUZZ_NCOLUMNS	(sizeof fuzz_columns / sizeof fuzz_columns[0])

static int
fuzz_param(void *ctx, const char *name, size_t len, struct value *out)
{
	static const struct value levels[] = {
		{ .kind = VALUE_STRING, .u.s = { "error", 5 } },
		{ .kind = VALUE_STRING, .u.s = { "fatal", 5 } },
		{ .kind = VALUE_INT, .u.i = 3 },
	};

	(void)ctx;
	if (len == 12 && memcmp(name, "threshold_ms", len) == 0)
		*out = value_int(500);
	else if (len == 6 && memcmp(name, "levels", len) == 0) {
		out->kind = VALUE_LIST;
		out->u.list.items = levels;
		out->u.list.n = sizeof levels / sizeof levels[0];
	} else if (len == 3 && memcmp(name, "pat", len) == 0)
		*out = value_str("(a+)+$", 6);
	else if (len == 4 && memcmp(name, "step", len) == 0)
		*out = value_str("1m", 2);
	else if (len == 4 && memcmp(name, "rate", len) == 0)
		*out = value_real(0.001);
	else
		return 0;
	return 1;
}

static void
fuzz_field_cb(const struct expr *node, void *ctx)
{
	(void)node;
	(*(size_t *)ctx)++;
}

struct fuzz_aggs {
	struct eval_ctx	*ctx;
	struct arena	*keep;		/* outlives the line, as agg.c's */
	struct value	*vals;
	size_t		 n;
};

/* What the aggregator does per line: evaluate each call's arguments,
 * then keep a value for the call (the argument itself, or a count),
 * copied out of the line as agg.c copies what it keeps. */
static void
fuzz_agg_cb(struct expr *agg, void *vctx)
{
	struct fuzz_aggs *a = vctx;
	struct value v = value_int(1);

	if (agg->u.agg.arg != NULL)
		v = eval(agg->u.agg.arg, a->ctx);
	if (agg->u.agg.arg2 != NULL)
		(void)eval_truthy(agg->u.agg.arg2, a->ctx);
	if (agg->u.agg.slot >= a->n)
		abort();	/* a slot past what next_slot handed out */
	value_release(&a->vals[agg->u.agg.slot]);
	a->vals[agg->u.agg.slot] = value_dup(a->keep, &v);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fields *fields;
	struct expr_env env = { 0 };
	struct eval_ctx ctx;
	struct diag err = { 0 };
	struct record *rec;
	struct line line;
	struct expr *e;
	struct value v, cols[FUZZ_NCOLUMNS];
	struct fuzz_aggs aggs = { 0 };
	struct buf out = BUF_INIT;
	size_t next_slot = 0, nfields = 0, i;
	enum fuzz_mode mode;
	char *text;

	if (size < 1 || size > FUZZ_EXPR_MAX_LEN)
		return 0;
	/* The alias table is read-only once built: make it once. */
	if (fields == NULL)
		fields = fields_new_builtin();
	mode = (enum fuzz_mode)(data[0] % FUZZ_NMODES);
	/* Exactly the text's bytes on the heap, no NUL after them: the
	 * parser must keep within LEN. */
	text = xmalloc(size - 1 ? size - 1 : 1);
	memcpy(text, data + 1, size - 1);

	env.fields = fields;
	env.param = fuzz_param;
	if (mode == FUZZ_AGGREGATE) {
		env.allow_aggregates = 1;
		env.next_slot = &next_slot;
	} else if (mode == FUZZ_HAVING) {
		env.columns = fuzz_columns;
		env.ncolumns = FUZZ_NCOLUMNS;
		env.allow_stats = 1;
	}
	e = expr_parse(text, size - 1, &env, &err);
	if (e == NULL) {
		/* Every error says what and where (SPEC 1.2). */
		if (!diag_is_set(&err) || err.msg == NULL ||
		    err.status != LOGQ_EXIT_USAGE)
			abort();
		diag_release(&err);
		free(text);
		return 0;
	}
	if (diag_is_set(&err))
		abort();

	rec = record_new();
	line.text = fuzz_line;
	line.len = sizeof fuzz_line - 1;
	line.lineno = 7;
	if (record_parse(rec, &line, "fuzz.log", NULL) != RECORD_OK)
		abort();
	eval_ctx_init(&ctx);
	eval_ctx_new_line(&ctx, mode == FUZZ_HAVING ? NULL : rec);
	ctx.stats[EXPR_STAT_LINES] = 100;
	ctx.stats[EXPR_STAT_JSON] = 97;
	ctx.stats[EXPR_STAT_SKIPPED] = 3;
	ctx.stats[EXPR_STAT_REPAIRED] = 1;
	ctx.stats[EXPR_STAT_MATCHED] = 40;
	if (mode == FUZZ_HAVING) {
		cols[0] = value_str("/v1/users/:id", 13);
		cols[1] = value_int(42);
		cols[2] = value_real(812.5);
		cols[3] = value_real(0.25);
		cols[4] = value_null();
		ctx.columns = cols;
	}
	expr_foreach_field(e, fuzz_field_cb, &nfields);
	if (mode == FUZZ_AGGREGATE) {
		aggs.ctx = &ctx;
		aggs.keep = arena_new();
		aggs.n = next_slot;
		aggs.vals = xcalloc(next_slot + 1, sizeof *aggs.vals);
		expr_foreach_agg(e, fuzz_agg_cb, &aggs);
		/* The final value is computed after the input: no line. */
		eval_ctx_new_line(&ctx, NULL);
		ctx.aggs = aggs.vals;
	}

	v = eval(e, &ctx);
	if (v.kind == VALUE_STRING && v.u.s.len > 0 && v.u.s.ptr == NULL)
		abort();
	value_write_json(&out, &v);
	value_write_text(&out, &v, VALUE_TEXT_TABLE);
	(void)eval_truthy(e, &ctx);

	buf_release(&out);
	for (i = 0; i < aggs.n; i++)
		value_release(&aggs.vals[i]);
	free(aggs.vals);
	arena_free(aggs.keep);
	eval_ctx_release(&ctx);
	record_free(rec);
	expr_free(e);
	free(text);
	return 0;
}
