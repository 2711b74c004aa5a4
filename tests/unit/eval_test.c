/* SPDX-License-Identifier: MIT */
/* eval_test.c - evaluating expressions over records */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "eval.h"
#include "expr.h"
#include "fields.h"
#include "prepare.h"
#include "record.h"
#include "tap.h"

static struct fields *fields;
static struct record *rec;
static struct eval_ctx ctx;
static struct expr *cur;
static struct expr_env env;

static int
lookup_param(void *pctx, const char *name, size_t len, struct value *out)
{
	static const struct value levels[] = {
		{ .kind = VALUE_STRING, .u.s = { "error", 5 } },
		{ .kind = VALUE_STRING, .u.s = { "fatal", 5 } },
	};

	(void)pctx;
	if (len == 12 && memcmp(name, "threshold_ms", len) == 0)
		*out = value_int(500);
	else if (len == 6 && memcmp(name, "levels", len) == 0) {
		out->kind = VALUE_LIST;
		out->u.list.items = levels;
		out->u.list.n = 2;
	} else if (len == 3 && memcmp(name, "pat", len) == 0)
		*out = value_str("^GET ", 5);
	else
		return 0;
	return 1;
}

/*
 * Compiles TEXT, loads JSON (NULL: no record) and evaluates. The value
 * borrows from the tree, the record and the arena: valid until the next
 * call.
 */
static struct value
run(const char *text, const char *json)
{
	struct diag err = { 0 };
	struct line line;

	expr_free(cur);
	arena_reset(ctx.func.arena);
	cur = expr_parse(text, strlen(text), &env, &err);
	if (cur == NULL) {
		printf("# cannot compile '%s': %s\n", text, err.msg);
		diag_release(&err);
		return value_null();
	}
	ctx.rec = NULL;
	if (json != NULL) {
		line.text = json;
		line.len = strlen(json);
		line.lineno = 1;
		if (record_parse(rec, &line, "-", NULL) != RECORD_OK)
			printf("# not a record: %s\n", json);
		else
			ctx.rec = rec;
	}
	return eval(cur, &ctx);
}

/* 1 when TEXT over JSON evaluates to the boolean WANT. */
static int
is_bool(const char *text, const char *json, int want)
{
	struct value v = run(text, json);

	return v.kind == VALUE_BOOL && v.u.b == want;
}

static int
truthy(const char *text, const char *json)
{
	run(text, json);
	return cur != NULL && eval_truthy(cur, &ctx);
}

static int
is_int_value(const char *text, const char *json, int64_t want)
{
	struct value v = run(text, json);

	return v.kind == VALUE_INT && v.u.i == want;
}

static int
is_real_value(const char *text, const char *json, double want)
{
	struct value v = run(text, json);

	return v.kind == VALUE_REAL && fabs(v.u.r - want) < 1e-9;
}

static int
is_null_value(const char *text, const char *json)
{
	struct value v = run(text, json);

	return cur != NULL && v.kind == VALUE_NULL;
}

static int
is_string_value(const char *text, const char *json, const char *want)
{
	struct value v = run(text, json);

	return v.kind == VALUE_STRING && v.u.s.len == strlen(want) &&
	    memcmp(v.u.s.ptr, want, v.u.s.len) == 0;
}

static void
test_comparison(void)
{
	const char *r = "{\"status\": 500, \"s\": \"500\", \"e\": \"5e2\", "
	    "\"lo\": \"abc\", \"up\": \"B\", \"n\": null, \"f\": 1.5}";

	ok(is_bool("status == 500", r, 1), "number == number");
	ok(is_bool("s == 500", r, 1), "\"500\" == 500: a whole decimal "
	    "string compares numerically");
	ok(is_bool("s >= 499 and s < 501", r, 1),
	    "\"500\" orders numerically against numbers");
	ok(is_bool("e == 500", r, 0), "\"5e2\" is not a whole decimal");
	ok(is_bool("status == s", r, 1), "field against field, 500 vs \"500\"");
	ok(is_bool("f > 1", r, 1), "a real against an integer");
	ok(is_bool("up < lo", r, 1), "strings bytewise: \"B\" (0x42) < "
	    "\"abc\" (0x61)");
	ok(is_bool("\"abc\" < \"abd\"", r, 1), "\"abc\" < \"abd\"");
	ok(is_bool("\"ab\" < \"abc\"", r, 1), "a prefix sorts first");
	ok(is_bool("\"b\" != \"a\"", r, 1), "!= on strings");
	ok(is_bool("missing < 5", r, 0), "null < 5 is false");
	ok(is_bool("missing >= 5", r, 0), "null >= 5 is false too");
	ok(is_bool("missing <= missing", r, 0), "null <= null is false");
	ok(is_bool("missing == null", r, 1), "== null tests absence");
	ok(is_bool("n == null", r, 1), "an explicit null == null");
	ok(is_bool("status == null", r, 0), "a present field is not null");
	ok(is_bool("status != null", r, 1), "!= null tests presence");
	ok(is_bool("lo == 5", r, 0), "a non-numeric string != a number");
	ok(is_bool("lo > 5", r, 0), "nor is it ordered against one");
	ok(is_bool("true == true", r, 1), "booleans compare equal");
	ok(is_bool("[1, \"a\"] == [1, \"a\"]", r, 1), "lists compare equal");
}

static void
test_logic(void)
{
	const char *r = "{\"zero\": 0, \"empty\": \"\", \"no\": false, "
	    "\"yes\": true, \"nul\": null, \"obj\": {}, \"arr\": []}";

	ok(truthy("zero", r), "0 is truthy (as in jq)");
	ok(truthy("empty", r), "\"\" is truthy");
	ok(truthy("obj", r) && truthy("arr", r), "{} and [] are truthy");
	ok(!truthy("no", r), "false is falsy");
	ok(!truthy("nul", r), "null is falsy");
	ok(!truthy("missing", r), "a missing field is falsy");
	ok(is_bool("zero or no", r, 1), "'or' returns the boolean true");
	ok(is_bool("yes and zero", r, 1), "'and' returns the boolean true");
	ok(is_bool("yes and no", r, 0), "'and' with false");
	ok(is_bool("not zero", r, 0), "'not' returns a boolean");
	ok(is_bool("not missing", r, 1), "not null is true");
	/* a=1, b=2: not (a == b) is true; (not a) == b would be false. */
	ok(is_bool("not a == b", "{\"a\": 1, \"b\": 2}", 1),
	    "not a == b means not (a == b)");
	/* a or (b and c) is true; (a or b) and c would be false. */
	ok(is_bool("a or b and c", "{\"a\": true, \"b\": false, "
	    "\"c\": false}", 1), "a or b and c means a or (b and c)");
	ok(is_bool("yes or 1 / 0 == 1", r, 1), "'or' short-circuits");
}

static void
test_in(void)
{
	const char *r = "{\"level\": \"error\", \"tags\": [\"a\", \"b\"], "
	    "\"nums\": [1, 2, 3], \"n\": \"2\", \"o\": {\"a\": 1}}";

	ok(is_bool("level in [\"error\", \"fatal\"]", r, 1), "in a literal "
	    "list");
	ok(is_bool("level in [\"warn\"]", r, 0), "not in it");
	ok(is_bool("level not in [\"warn\", \"info\"]", r, 1), "not in");
	ok(is_bool("level not in $levels", r, 0), "not in a list parameter");
	ok(is_bool("missing in [\"a\", null]", r, 1),
	    "null in a list holding null");
	ok(is_bool("missing not in [\"a\"]", r, 1), "null not in a list");
	ok(is_bool("\"b\" in tags", r, 1), "in a JSON array of the record");
	ok(is_bool("\"c\" in tags", r, 0), "not in the JSON array");
	ok(is_bool("n in nums", r, 1), "\"2\" in [1, 2, 3] by value_equal");
	ok(is_bool("level in [missing, tags, level]", r, 1),
	    "in a list of expressions");
	ok(is_bool("level in [missing, tags]", r, 0),
	    "not in a list of expressions");
	ok(is_bool("\"a\" in level", r, 0), "in a string: false");
	ok(is_bool("\"a\" in o", r, 0), "in an object: false");
	ok(is_bool("\"a\" not in o", r, 1), "not in an object: true");
}

static void
test_regex(void)
{
	const char *r = "{\"msg\": \"GET /v1/users/42\", \"status\": 503, "
	    "\"f\": 2.5}";
	char big[100];

	ok(is_bool("msg =~ \"^GET /v1\"", r, 1), "=~ matches");
	ok(is_bool("msg =~ \"^POST\"", r, 0), "=~ does not match");
	ok(is_bool("msg !~ \"^POST\"", r, 1), "!~ is its negation");
	ok(is_bool("msg =~ \"^get\"", r, 0), "matching is case-sensitive");
	ok(is_bool("msg =~ \"(?i)^get\"", r, 1), "(?i) makes it insensitive");
	ok(is_bool("msg =~ '/\\d+$'", r, 1), "'\\d' reaches PCRE2 intact");
	ok(is_bool("msg =~ $pat", r, 1), "a pattern from a parameter");
	ok(is_bool("status =~ \"^5\\\\d\\\\d$\"", r, 1),
	    "a number is matched as its text");
	ok(is_bool("f =~ \"^2\\\\.5$\"", r, 1), "a real as its text \"2.5\"");
	ok(is_bool("missing =~ \".*\"", r, 0), "null =~ anything is false");
	ok(is_bool("missing !~ \"x\"", r, 1), "null !~ anything is true");
	ok(is_bool("\"caf\\u00e9\" =~ \"^caf.$\"", r, 1),
	    "'.' matches one UTF-8 character");
	is_int(ctx.func.regex_limit_hits, 0, "no limit hit so far");
	/* (a+)+$ against a...ab backtracks exponentially. */
	strcpy(big, "{\"x\": \"");
	memset(big + 7, 'a', 60);
	strcpy(big + 67, "b\"}");
	ok(is_bool("x =~ \"^(a+)+$\"", big, 0),
	    "a runaway pattern stops at the match limit: no match");
	is_int(ctx.func.regex_limit_hits, 1, "and the limit hit is counted");
}

static void
test_arithmetic(void)
{
	const char *r = "{\"a\": 7, \"s\": \"1.5\", \"w\": \"x\", \"big\": "
	    "9223372036854775807}";

	ok(is_int_value("-2 * 3 + 4", NULL, -2), "-2 * 3 + 4 = -2");
	ok(is_int_value("2 + 3 * 4", NULL, 14), "2 + 3 * 4 = 14");
	ok(is_int_value("(2 + 3) * 4", NULL, 20), "(2 + 3) * 4 = 20");
	ok(is_int_value("10 - 4 - 3", NULL, 3), "10 - 4 - 3 = 3");
	ok(is_real_value("a / 2", r, 3.5), "/ is real division: 7 / 2 = 3.5");
	ok(is_real_value("6 / 2", r, 3), "6 / 2 is the real 3");
	ok(is_int_value("a % 3", r, 1), "7 %% 3 = 1");
	ok(is_int_value("-7 % 3", r, -1), "-7 %% 3 = -1 (sign of dividend)");
	ok(is_int_value("7 % -3", r, 1), "7 %% -3 = 1");
	ok(is_real_value("7.5 % 2", r, 1.5), "7.5 %% 2 = 1.5 (fmod)");
	ok(is_null_value("a / 0", r), "division by zero is null");
	ok(is_null_value("a % 0", r), "modulo by zero is null");
	ok(is_null_value("a / 0.0", r), "division by 0.0 is null");
	ok(is_real_value("big + 1", r, 9223372036854775808.0),
	    "integer overflow turns real");
	ok(is_real_value("big * 2", r, 18446744073709551614.0),
	    "multiplication overflow too");
	ok(is_int_value("big - 1", r, INT64_MAX - 1), "no overflow, int");
	ok(is_real_value("s + 1", r, 2.5), "\"1.5\" + 1 = 2.5");
	ok(is_real_value("s * s", r, 2.25), "numeric strings both sides");
	ok(is_null_value("w + 1", r), "a non-numeric string gives null");
	ok(is_null_value("missing + 1", r), "null + 1 is null");
	ok(is_null_value("true + 1", r), "a boolean + 1 is null");
	ok(is_string_value("\"ab\" + \"cd\"", r, "abcd"),
	    "+ on two strings concatenates");
	ok(is_string_value("w + s", r, "x1.5"), "even numeric-looking ones");
	ok(is_int_value("-a", r, -7), "unary minus on a field");
	ok(is_null_value("-w", r), "unary minus on a string is null");
	ok(is_null_value("1e308 * 10", NULL), "an infinite result is null");
}

static void
test_aliases(void)
{
	ok(is_int_value("latency_ms", "{\"latencyMs\": 12, \"duration\": 3}",
	    12), "the first present alternative wins");
	ok(is_int_value("latency_ms", "{\"duration_ms\": 8, \"latency_ms\": 7}",
	    7), "in the alias's order, not the record's");
	ok(is_int_value("latency_ms", "{\"latencyMs\": null, "
	    "\"latency_ms\": 7}", 7), "an explicit null is skipped");
	ok(is_real_value("latency_ms", "{\"duration\": 1.5}", 1500),
	    "duration:s is scaled to ms (1.5 s = 1500 ms)");
	ok(is_null_value("latency_ms", "{\"other\": 1}"),
	    "no alternative present: null");
	ok(is_string_value("level", "{\"level\": 50}", "error"),
	    "level:pino maps 50 to \"error\"");
	ok(is_int_value("status", "{\"http\": {\"status_code\": 404}}", 404),
	    "a dotted alternative");
	ok(is_int_value(".\"status\"", "{\"status_code\": 404, \"status\": 1}",
	    1), "a quoted name reads the plain key");
	ok(is_int_value("checks.db", "{\"checks\": {\"db\": 3}}", 3),
	    "a nested field");
	ok(is_string_value("kubernetes.\"pod-name\"",
	    "{\"kubernetes\": {\"pod-name\": \"api-1\"}}", "api-1"),
	    "a quoted segment");
	ok(is_null_value("x", NULL), "no record: a field is null");
}

static void
test_context(void)
{
	static const char *const cols[] = { "route", "n", "p99_ms" };
	struct value colv[3], aggs[2];
	size_t slot = 0;

	ok(is_bool("$threshold_ms == 500", NULL, 1), "a parameter");

	env.allow_stats = 1;
	ctx.stats[EXPR_STAT_LINES] = 1000;
	ctx.stats[EXPR_STAT_SKIPPED] = 10;
	ctx.stats[EXPR_STAT_JSON] = 990;
	ctx.stats[EXPR_STAT_REPAIRED] = 2;
	ok(is_bool("$skipped <= $lines * 0.01", NULL, 1),
	    "10 skipped of 1000 is within 1%%");
	ok(is_int_value("$json + $repaired", NULL, 992), "$json + $repaired");
	ctx.stats[EXPR_STAT_SKIPPED] = 11;
	ok(is_bool("$skipped <= $lines * 0.01", NULL, 0), "11 is not");

	env.columns = cols;
	env.ncolumns = 3;
	colv[0] = value_str("/v1/x", 5);
	colv[1] = value_int(7);
	colv[2] = value_real(812.5);
	ctx.columns = colv;
	ok(is_bool("p99_ms < 500", NULL, 0), "a column: 812.5 < 500 fails");
	ok(is_bool("n > 5 and route == \"/v1/x\"", NULL, 1), "two columns");
	ctx.columns = NULL;
	env.columns = NULL;
	env.ncolumns = 0;
	env.allow_stats = 0;

	env.allow_aggregates = 1;
	env.next_slot = &slot;
	aggs[0] = value_int(3);
	aggs[1] = value_int(12);
	ctx.aggs = aggs;
	ok(is_real_value("count_if(status >= 500) / count()", NULL, 0.25),
	    "aggregates read their slots: 3 / 12");
	is_int(slot, 2, "two slots were handed out");
	ctx.aggs = NULL;
	env.allow_aggregates = 0;
	env.next_slot = NULL;
}

static void
test_calls(void)
{
	const char *r = "{\"msg\": \"Hello\", \"a\": 1, \"b\": 2}";
	struct value v;

	ok(is_bool("lower(msg) == \"hello\"", r, 1), "a scalar function");
	ok(is_string_value("coalesce(missing, a2, msg, a, b, 1, 2, 3, 4, 5)",
	    r, "Hello"), "more arguments than the stack array holds");
	v = run("[a, b, 3]", r);
	ok(v.kind == VALUE_LIST && v.u.list.n == 3 &&
	    v.u.list.items[1].u.i == 2 && v.u.list.items[2].u.i == 3,
	    "a list of expressions evaluates to a list");
}

/*
 * A call kept by argument (plan.c numbers route, lower, upper) gives
 * what the function gives: over lines whose paths repeat, collide in
 * the cache, are longer than the kept argument, or route to a result
 * longer than the kept result; and a result handed out earlier in a
 * line is not changed by a later evaluation of another cached call.
 */
static void
test_call_cache(void)
{
	static const char *const paths[] = {
		"/v1/apple/verify", "/users/42/orders/7", "/health",
		"/v1/apple/verify", "/a/1/1/1/1/1/1/1/1/1/1/1/1/1/1/1/1/1/1/1/1/1"
		"/1/1/1/1/1/1/1/1/1/1/1/1/1/1/1/1/1/1/1/1/1/1/1/1/1/1/1",
		"/users/42/orders/7", "", "/x?y=1", "/v1/apple/verify",
	};
	struct diag err = { 0 };
	struct expr *plain, *kept, *low;
	char line_buf[512];
	struct line line;
	size_t round, i;
	int same = 1, stable = 1;

	plain = expr_parse("route(path)", 11, &env, &err);
	kept = expr_parse("route(path)", 11, &env, &err);
	low = expr_parse("lower(msg)", 10, &env, &err);
	if (plain == NULL || kept == NULL || low == NULL) {
		ok(0, "cached calls compile");
		return;
	}
	kept->u.call.cache = 1;
	low->u.call.cache = 2;
	for (round = 0; round < 200; round++) {
		for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
			struct value a, b, l;
			char *copy;

			snprintf(line_buf, sizeof(line_buf),
			    "{\"path\":\"%s%s\",\"msg\":\"M%zu\"}", paths[i],
			    round % 3 ? "" : "/9", (round * 7 + i) % 97);
			line.text = line_buf;
			line.len = strlen(line_buf);
			line.lineno = round + 1;
			arena_reset(ctx.func.arena);
			if (record_parse(rec, &line, "-", NULL) != RECORD_OK)
				continue;
			ctx.rec = rec;
			a = eval(plain, &ctx);
			b = eval(kept, &ctx);
			same &= a.kind == b.kind && (a.kind != VALUE_STRING ||
			    (a.u.s.len == b.u.s.len && memcmp(a.u.s.ptr,
			    b.u.s.ptr, a.u.s.len) == 0));
			copy = b.kind == VALUE_STRING ? strndup(b.u.s.ptr,
			    b.u.s.len) : NULL;
			l = eval(low, &ctx);
			same &= l.kind == VALUE_STRING && l.u.s.len > 0 &&
			    l.u.s.ptr[0] == 'm';
			if (copy != NULL)
				stable &= memcmp(copy, b.u.s.ptr,
				    b.u.s.len) == 0;
			free(copy);
		}
	}
	ok(same, "a call kept by argument gives what the function gives");
	ok(stable, "a kept result stays unchanged through the line");
	expr_free(plain);
	expr_free(kept);
	expr_free(low);
}

static void
count_prepared(struct expr *e, void *n)
{
	if (e->flat != NULL || e->set != NULL)
		++*(int *)n;
}

/*
 * and/or chains of alias tests run as flat lists once prepared
 * (prepare_expr), each test by its kind (presence, integer range,
 * string), and `in` a list of constants as a set: the same truth as the
 * tree on every kind of value the aliases can hold - integers (at
 * int64's ends too), reals, numeric strings, strings, null, absent,
 * booleans - and on mixed chains that stay trees.
 */
static void
test_flat_chains(void)
{
	static const char *const exprs[] = {
		"status >= 200 and status < 300",
		"status >= 500 and status < 600",
		"tenant != null and path != null",
		"error == \"RATE_LIMITED\" or status == 429",
		"status == 429 or status == 503 or status == 504",
		"path != null and status >= 400 and status <= 499 and "
		    "tenant != null",
		"not (status > 100 and status < 200)",
		"(status >= 500 and status < 600) or error == \"X\"",
		"latency_ms > 1.5 and latency_ms <= 1000",
		"status != \"200\" and status != null",
		"status > -9223372036854775807 and status < 9223372036854775807",
		"status <= -9223372036854775808 or status >= 9223372036854775807",
		"status != 429 and status != 500 and status != 0",
		"status == 0 or status > 100000000000 or status < -1",
		"error == \"\" or error != \"X\"",
		"error == null or tenant == null",
		"lower(level) in [\"error\", \"err\", \"fatal\", \"crit\", "
		    "500, \"\", null]",
		"level not in [\"info\", \"warn\"]",
		"status in [429, \"503\", 2.5, true]",
		"error in []",
		"level in [\"fatal\", \"ERROR\"] or status not in [200]",
		"status > 300 and status < 200",
		"status >= 100 and status <= 599 and status > 428 and "
		    "status < 9223372036854775807",
		/* one test of a range: an interval of one */
		"status >= 500",
		"status == 429",
		"status <= -1",
		"status > 9223372036854775806",
		"latency_ms >= 1000",
		/* lower() folded into the set's test (no capitals in it) */
		"lower(level) in [\"error\", \"err\", \"fatal\", \"crit\", "
		    "\"emergency\", \"\", \"\xc3\xa9rror\"]",
		"lower(level) not in [\"info\", \"error\"]",
		"lower(level) in [\"ERROR\", \"fatal\"]",
	};
	static const char *const lines[] = {
		"{\"status\":200,\"path\":\"/a\",\"tenantId\":\"t\"}",
		"{\"status\":503,\"path\":\"/a\"}",
		"{\"status\":\"429\",\"error\":\"RATE_LIMITED\"}",
		"{\"status\":429.0,\"tenantId\":null,\"path\":\"/b\"}",
		"{\"status\":null,\"latencyMs\":2.5}",
		"{\"statusCode\":404,\"path\":\"/c\",\"tenant_id\":\"u\"}",
		"{\"status\":true,\"error\":\"X\",\"latencyMs\":\"1000\"}",
		"{\"msg\":\"none of them\"}",
		"{\"status\":\"abc\",\"latencyMs\":1e3}",
		"{\"status\":9223372036854775807,\"level\":\"INFO\"}",
		"{\"status\":-9223372036854775808,\"level\":\"Crit\"}",
		"{\"status\":-1,\"level\":\"\",\"error\":\"\"}",
		"{\"status\":2.5,\"level\":500,\"error\":7}",
		"{\"status\":\"503\",\"level\":\"500\",\"error\":\"X\"}",
		"{\"status\":100000000001,\"level\":\"ERROR\"}",
		"{\"status\":0,\"level\":null,\"tenantId\":\"t\"}",
		"{\"status\":true,\"level\":\"fatal\"}",
		"{\"level\":\"emergency\",\"error\":null}",
		"{\"level\":\"ErRoR\"}",
		"{\"level\":\"FATAL\"}",
		"{\"level\":\"\xc3\x89RROR\"}",
		"{\"level\":\"Emergenc\"}",
	};
	struct diag err = { 0 };
	struct line line;
	size_t i, j;
	int agree = 1, flattened = 0, n, tests = 0;

	for (i = 0; i < sizeof(exprs) / sizeof(exprs[0]); i++) {
		struct expr *tree = expr_parse(exprs[i], strlen(exprs[i]),
		    &env, &err);
		struct expr *flat = expr_parse(exprs[i], strlen(exprs[i]),
		    &env, &err);

		if (tree == NULL || flat == NULL) {
			ok(0, "compiles: %s", exprs[i]);
			expr_free(tree);
			expr_free(flat);
			continue;
		}
		prepare_expr(flat);
		n = 0;
		expr_walk(flat, count_prepared, &n);
		flattened += n > 0;
		for (j = 0; j < sizeof(lines) / sizeof(lines[0]); j++) {
			line.text = lines[j];
			line.len = strlen(lines[j]);
			line.lineno = j + 1;
			arena_reset(ctx.func.arena);
			if (record_parse(rec, &line, "-", NULL) != RECORD_OK)
				continue;
			ctx.rec = rec;
			tests++;
			if (eval_truthy(tree, &ctx) !=
			    eval_truthy(flat, &ctx)) {
				agree = 0;
				printf("# differs: %s on %s\n", exprs[i],
				    lines[j]);
			}
		}
		expr_free(tree);
		expr_free(flat);
	}
	ok(agree && tests == 31 * 22, "prepared chains and sets agree with "
	    "the tree on every line (%d tests)", tests);
	ok(flattened == 31, "every expression here has a flat chain or a "
	    "set (%d of 31)", flattened);
}

/*
 * Aliases resolved by line shape (alias.c): lines of one shape - the
 * same keys, in the same order - reuse what the first one learnt, and
 * must still read exactly what resolving each line afresh reads.
 */
static void
test_shapes(void)
{
	struct fields *saved = fields;
	struct diag err = { 0 };
	char json[128], want[16];
	int i, agree = 1;

	/* The learnt member is null on a later line of the shape. */
	ok(is_int_value("latency_ms", "{\"latencyMs\": 5, \"latency_ms\": 7}",
	    5), "shape: the first spelling");
	ok(is_int_value("latency_ms", "{\"latencyMs\": null, "
	    "\"latency_ms\": 7}", 7), "shape: its null passes to the next");
	ok(is_null_value("latency_ms", "{\"latencyMs\": null, "
	    "\"latency_ms\": null}"), "shape: both null");
	ok(is_int_value("latency_ms", "{\"latencyMs\": 6, \"latency_ms\": 7}",
	    6), "shape: the first spelling again");
	/* A repeated key: the last one counts, null or not. */
	ok(is_int_value("status", "{\"status\": 1, \"status\": 2}", 2),
	    "shape: a repeated key reads the last");
	ok(is_null_value("status", "{\"status\": 3, \"status\": null}"),
	    "shape: the last is null on the next line");
	ok(is_int_value("status", "{\"status\": null, \"status\": 4}", 4),
	    "shape: and the first null on the one after");
	/* Nested and dotted spellings of status (http.status_code). */
	ok(is_int_value("status", "{\"http\": {\"status_code\": 404}}", 404),
	    "shape: a nested spelling");
	ok(is_null_value("status", "{\"http\": {\"code\": 404}}"),
	    "shape: the nested key absent");
	ok(is_null_value("status", "{\"http\": 1}"),
	    "shape: the parent not an object");
	ok(is_int_value("status", "{\"http.status_code\": 500}", 500),
	    "shape: the dotted key");
	ok(is_null_value("status", "{\"http.status\": 500}"),
	    "shape: neither");
	/* Many shapes in turn, more than a context keeps. */
	for (i = 0; i < 200 && agree; i++) {
		if (i % 2)
			snprintf(json, sizeof(json), "{\"k%d\": 1, "
			    "\"latencyMs\": %d, \"tenant\": \"t%d\"}", i % 37,
			    i, i);
		else
			snprintf(json, sizeof(json), "{\"latency_ms\": %d, "
			    "\"k%d\": null, \"tenantId\": \"t%d\"}", i,
			    i % 41, i);
		agree = is_int_value("latency_ms", json, i);
		snprintf(want, sizeof(want), "t%d", i);
		agree = agree && is_string_value("tenant", json, want);
	}
	ok(agree, "shape: 200 lines of 78 shapes in turn (%d)", i);
	/* A line with the keys of the line before keeps its shape (the
	 * scanner's keys_id); two records' first lines have one keys_id
	 * each, alike, and shapes of their own. */
	{
		struct record *mine = rec, *a = record_new(),
		    *b = record_new();

		rec = a;
		ok(is_null_value("level", "{\"status\": 1}"),
		    "shape: one record's line without the key");
		rec = b;
		ok(is_string_value("level", "{\"level\": \"warn\"}", "warn"),
		    "shape: another record's, with it, in one context");
		rec = mine;
		record_free(a);
		record_free(b);
	}

	/*
	 * Two keys of one hash: a shape is hashes, so a line of the one
	 * and a line of the other share a shape. An alias of its own,
	 * in a table of its own: a context reads one table's aliases.
	 * The pair collides under the words a program hashes with until
	 * hash_seed_set() (seed 0), found by a birthday search over
	 * 600,000 six-letter keys; another seed parts them (hash_test).
	 */
	is_int(jscan_hash("argiff", 6), jscan_hash("hbqbzh", 6),
	    "argiff and hbqbzh hash alike");
	fields = fields_copy(saved);
	ok(fields_set(fields, "coll", "argiff,other", &err) == 0,
	    "an alias of a colliding key");
	env.fields = fields;
	eval_ctx_release(&ctx);
	eval_ctx_init(&ctx);
	ok(is_null_value("coll", "{\"hbqbzh\": 1}"),
	    "shape: the other key of the hash is not the spelling");
	ok(is_int_value("coll", "{\"argiff\": 2}", 2),
	    "shape: the spelling, on a line of the same shape");
	ok(is_int_value("coll", "{\"hbqbzh\": 3, \"other\": 9}", 9),
	    "shape: passes to the next spelling");
	ok(is_int_value("coll", "{\"argiff\": 4, \"other\": 9}", 4),
	    "shape: and back");
	ok(is_int_value("coll", "{\"hbqbzh\": 1, \"argiff\": 5}", 5),
	    "shape: both keys of the hash");
	ok(is_int_value("coll", "{\"argiff\": 6, \"hbqbzh\": 1}", 6),
	    "shape: both keys, the other order");
	expr_free(cur);
	cur = NULL;
	eval_ctx_release(&ctx);
	eval_ctx_init(&ctx);
	fields_free(fields);
	fields = saved;
	env.fields = fields;
}

int
main(void)
{
	fields = fields_new_builtin();
	rec = record_new();
	eval_ctx_init(&ctx);
	env.fields = fields;
	env.param = lookup_param;

	test_comparison();
	test_logic();
	test_in();
	test_regex();
	test_arithmetic();
	test_aliases();
	test_shapes();
	test_context();
	test_calls();
	test_call_cache();
	test_flat_chains();

	expr_free(cur);
	eval_ctx_release(&ctx);
	record_free(rec);
	fields_free(fields);
	return done_testing();
}
