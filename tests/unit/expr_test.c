/* SPDX-License-Identifier: MIT */
/* expr_test.c - the expression parser: trees, names, load-time errors */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "aggfn.h"
#include "expr.h"
#include "fields.h"
#include "func.h"
#include "tap.h"

static struct fields *fields;

/* $threshold_ms, $levels, $pat, $badpat, $neg as a --set would give. */
static int
lookup_param(void *ctx, const char *name, size_t len, struct value *out)
{
	static const struct value levels[] = {
		{ .kind = VALUE_STRING, .u.s = { "error", 5 } },
		{ .kind = VALUE_STRING, .u.s = { "fatal", 5 } },
	};

	(void)ctx;
	if (len == 12 && memcmp(name, "threshold_ms", len) == 0)
		*out = value_int(500);
	else if (len == 6 && memcmp(name, "levels", len) == 0) {
		out->kind = VALUE_LIST;
		out->u.list.items = levels;
		out->u.list.n = 2;
	} else if (len == 3 && memcmp(name, "pat", len) == 0)
		*out = value_str("^GET ", 5);
	else if (len == 6 && memcmp(name, "badpat", len) == 0)
		*out = value_str("a(b", 3);
	else if (len == 3 && memcmp(name, "neg", len) == 0)
		*out = value_int(-3);
	else
		return 0;
	return 1;
}

static struct expr_env
scalar_env(void)
{
	struct expr_env env = { 0 };

	env.fields = fields;
	env.param = lookup_param;
	return env;
}

static struct expr *
parse(const char *text, const struct expr_env *env)
{
	struct diag err = { 0 };
	struct expr *e = expr_parse(text, strlen(text), env, &err);

	if (e == NULL)
		printf("# unexpected error for '%s': %s\n", text, err.msg);
	diag_release(&err);
	return e;
}

/* Checks that TEXT fails with MSG and the caret at COL, SPAN wide. */
static void
check_error(const char *text, const struct expr_env *env, const char *msg,
    unsigned col, unsigned span)
{
	struct diag err = { 0 };
	struct expr *e = expr_parse(text, strlen(text), env, &err);
	char shown[128];
	size_t i, j;

	/* TAP descriptions are one line: show a newline as \n. */
	for (i = j = 0; text[i] != '\0' && j + 3 < sizeof(shown); i++) {
		if (text[i] == '\n') {
			shown[j++] = '\\';
			shown[j++] = 'n';
		} else
			shown[j++] = text[i];
	}
	shown[j] = '\0';
	ok(e == NULL, "'%s' does not compile", shown);
	expr_free(e);
	is_str(err.msg, msg, "'%s': the message", shown);
	is_int(err.caret_col, col, "'%s': the caret column", shown);
	is_int(err.span, span, "'%s': the caret width", shown);
	is_int(err.status, LOGQ_EXIT_USAGE, "'%s': exit status 2", shown);
	diag_release(&err);
}

static int
is_field(const struct expr *e, const char *seg0, const char *seg1)
{
	const struct field_path *p = &e->u.field;

	if (e->op != EXPR_FIELD)
		return 0;
	if (p->n != (seg1 ? 2u : 1u) || strcmp(p->seg[0], seg0) != 0)
		return 0;
	return seg1 == NULL || strcmp(p->seg[1], seg1) == 0;
}

static int
is_lit_str(const struct expr *e, const char *s, size_t len)
{
	return e != NULL && e->op == EXPR_LITERAL &&
	    e->u.literal.kind == VALUE_STRING &&
	    e->u.literal.u.s.len == len &&
	    memcmp(e->u.literal.u.s.ptr, s, len) == 0;
}

static void
test_precedence(void)
{
	struct expr_env env = scalar_env();
	struct expr *e;

	e = parse("a or b and c", &env);
	ok(e && e->op == EXPR_OR && e->b->op == EXPR_AND,
	    "'and' binds tighter than 'or'");
	expr_free(e);
	e = parse("not a == b", &env);
	ok(e && e->op == EXPR_NOT && e->a->op == EXPR_EQ,
	    "'not' applies to the whole comparison");
	expr_free(e);
	e = parse("-2 * 3 + 4", &env);
	ok(e && e->op == EXPR_ADD && e->a->op == EXPR_MUL &&
	    e->a->a->op == EXPR_LITERAL && e->a->a->u.literal.u.i == -2,
	    "-2 * 3 + 4 is ((-2) * 3) + 4, the minus folded into the literal");
	expr_free(e);
	e = parse("10 - 4 - 3", &env);
	ok(e && e->op == EXPR_SUB && e->a->op == EXPR_SUB &&
	    e->b->u.literal.u.i == 3, "'-' associates to the left");
	expr_free(e);
	e = parse("a + b * c % d", &env);
	ok(e && e->op == EXPR_ADD && e->b->op == EXPR_MOD &&
	    e->b->a->op == EXPR_MUL, "'*' and '%%' bind tighter than '+'");
	expr_free(e);
	e = parse("(a or b) and c", &env);
	ok(e && e->op == EXPR_AND && e->a->op == EXPR_OR,
	    "parentheses group");
	expr_free(e);
	e = parse("a + 1 > b and c", &env);
	ok(e && e->op == EXPR_AND && e->a->op == EXPR_GT &&
	    e->a->a->op == EXPR_ADD, "arithmetic binds tighter than '>'");
	expr_free(e);
	e = parse("level not in [\"a\"]", &env);
	ok(e && e->op == EXPR_NOT_IN && e->offset == 6 && e->span == 6,
	    "'not in' is one operator covering both words");
	expr_free(e);
	e = parse("-x", &env);
	ok(e && e->op == EXPR_NEG && e->a->op == EXPR_FIELD,
	    "unary minus on a field is a node");
	expr_free(e);
	e = parse("- $neg", &env);
	ok(e && e->op == EXPR_LITERAL && e->u.literal.u.i == 3,
	    "unary minus on a numeric parameter folds");
	expr_free(e);
}

static void
test_fields(void)
{
	struct expr_env env = scalar_env();
	struct expr *e;

	e = parse("checks.db", &env);
	ok(e && is_field(e, "checks", "db"), "checks.db is a 2-segment path");
	expr_free(e);
	e = parse("http.request.method", &env);
	ok(e && e->op == EXPR_FIELD && e->u.field.n == 3 &&
	    strcmp(e->u.field.seg[2], "method") == 0, "three segments");
	expr_free(e);
	e = parse("._x9", &env);
	ok(e && is_field(e, "_x9", NULL), "a leading dot is allowed");
	expr_free(e);
	e = parse(".\"@timestamp\"", &env);
	ok(e && is_field(e, "@timestamp", NULL), "a quoted first segment");
	expr_free(e);
	e = parse("kubernetes.\"pod-name\"", &env);
	ok(e && is_field(e, "kubernetes", "pod-name"),
	    "a quoted segment after a dot");
	expr_free(e);
	e = parse(".'a b'", &env);
	ok(e && is_field(e, "a b", NULL), "single quotes in a path");
	expr_free(e);
	e = parse(".\"in\"", &env);
	ok(e && is_field(e, "in", NULL), "a keyword as a quoted field");
	expr_free(e);
	e = parse("a.in", &env);
	ok(e && is_field(e, "a", "in"), "a keyword after a dot is a name");
	expr_free(e);
	e = parse("msg", &env);
	ok(e && e->op == EXPR_ALIAS && strcmp(e->u.alias->name, "msg") == 0,
	    "an alias name compiles to EXPR_ALIAS");
	expr_free(e);
	e = parse(".msg", &env);
	ok(e && e->op == EXPR_ALIAS, "so does .msg");
	expr_free(e);
	e = parse(".\"msg\"", &env);
	ok(e && is_field(e, "msg", NULL),
	    "a quoted alias name is the plain field");
	expr_free(e);
	e = parse("msg.x", &env);
	ok(e && is_field(e, "msg", "x"), "a dotted path is never an alias");
	expr_free(e);
	env.fields = NULL;
	e = parse("msg", &env);
	ok(e && is_field(e, "msg", NULL), "no alias table: a plain field");
	expr_free(e);
}

static int
count_fields_cb_n;

static void
count_fields_cb(const struct expr *e, void *ctx)
{
	(void)e;
	(void)ctx;
	count_fields_cb_n++;
}

static void
test_literals(void)
{
	struct expr_env env = scalar_env();
	struct expr *e;

	e = parse("42", &env);
	ok(e && e->u.literal.kind == VALUE_INT && e->u.literal.u.i == 42,
	    "an integer");
	expr_free(e);
	e = parse("9223372036854775807", &env);
	ok(e && e->u.literal.kind == VALUE_INT &&
	    e->u.literal.u.i == INT64_MAX, "INT64_MAX stays an integer");
	expr_free(e);
	e = parse("9223372036854775808", &env);
	ok(e && e->u.literal.kind == VALUE_REAL &&
	    e->u.literal.u.r == 9223372036854775808.0,
	    "one more is a real");
	expr_free(e);
	e = parse("0.5", &env);
	ok(e && e->u.literal.kind == VALUE_REAL && e->u.literal.u.r == 0.5,
	    "0.5");
	expr_free(e);
	e = parse("1e3", &env);
	ok(e && e->u.literal.kind == VALUE_REAL && e->u.literal.u.r == 1000,
	    "1e3 is a real 1000");
	expr_free(e);
	e = parse(".5", &env);
	ok(e && e->u.literal.kind == VALUE_REAL && e->u.literal.u.r == 0.5,
	    ".5 is 0.5");
	expr_free(e);
	e = parse("2.5E-1", &env);
	ok(e && e->u.literal.u.r == 0.25, "2.5E-1");
	expr_free(e);
	e = parse("\"a\\\\b\\\"c\\'d\\/e\\nf\\tg\\rh\"", &env);
	ok(is_lit_str(e, "a\\b\"c'd/e\nf\tg\rh", 15), "the JSON escapes");
	expr_free(e);
	e = parse("'\\d+\\.\\w'", &env);
	ok(is_lit_str(e, "\\d+\\.\\w", 7), "other escapes keep the backslash");
	expr_free(e);
	e = parse("\"\\u00e9\"", &env);
	ok(is_lit_str(e, "\xc3\xa9", 2), "\\u00e9 is UTF-8 C3 A9");
	expr_free(e);
	e = parse("\"\\ud83d\\ude00\"", &env);
	ok(is_lit_str(e, "\xf0\x9f\x98\x80", 4),
	    "a surrogate pair is one 4-byte character (U+1F600)");
	expr_free(e);
	e = parse("'say \"hi\"'", &env);
	ok(is_lit_str(e, "say \"hi\"", 8), "double quotes inside single");
	expr_free(e);
	e = parse("\"\"", &env);
	ok(is_lit_str(e, "", 0), "the empty string");
	expr_free(e);
	e = parse("true", &env);
	ok(e && e->u.literal.kind == VALUE_BOOL && e->u.literal.u.b == 1,
	    "true");
	expr_free(e);
	e = parse("null", &env);
	ok(e && e->op == EXPR_LITERAL && e->u.literal.kind == VALUE_NULL,
	    "null");
	expr_free(e);
	e = parse("[\"error\", \"fatal\", -1, [2]]", &env);
	ok(e && e->op == EXPR_LITERAL && e->u.literal.kind == VALUE_LIST &&
	    e->u.literal.u.list.n == 4 &&
	    e->u.literal.u.list.items[2].u.i == -1 &&
	    e->u.literal.u.list.items[3].kind == VALUE_LIST,
	    "a list of constants is one VALUE_LIST literal");
	expr_free(e);
	e = parse("[]", &env);
	ok(e && e->u.literal.kind == VALUE_LIST && e->u.literal.u.list.n == 0,
	    "the empty list");
	expr_free(e);
	e = parse("[a, \"x\"]", &env);
	ok(e && e->op == EXPR_LIST && e->u.list.n == 2,
	    "a list with a field is EXPR_LIST");
	count_fields_cb_n = 0;
	expr_foreach_field(e, count_fields_cb, NULL);
	is_int(count_fields_cb_n, 1, "expr_foreach_field sees its field");
	expr_free(e);
	e = parse("a + lower(b.c) > msg and [d] == 1", &env);
	count_fields_cb_n = 0;
	expr_foreach_field(e, count_fields_cb, NULL);
	is_int(count_fields_cb_n, 4, "expr_foreach_field visits each field");
	expr_free(e);
}

static void
test_params_columns_stats(void)
{
	struct expr_env env = scalar_env();
	static const char *const cols[] = { "route", "n", "p99_ms" };
	struct expr *e;

	e = parse("$threshold_ms", &env);
	ok(e && e->op == EXPR_LITERAL && e->u.literal.u.i == 500,
	    "a parameter becomes a literal");
	expr_free(e);
	e = parse("$levels", &env);
	ok(e && e->u.literal.kind == VALUE_LIST &&
	    e->u.literal.u.list.n == 2 &&
	    e->u.literal.u.list.items[1].u.s.len == 5 &&
	    memcmp(e->u.literal.u.list.items[1].u.s.ptr, "fatal", 5) == 0,
	    "a list parameter is copied");
	expr_free(e);
	check_error("x > $nope", &env, "unknown parameter '$nope'", 5, 5);
	check_error("$lines > 0", &env, "unknown parameter '$lines'", 1, 6);

	env.allow_stats = 1;
	e = parse("$skipped <= $lines * 0.01", &env);
	ok(e && e->a->op == EXPR_STAT && e->a->u.stat == EXPR_STAT_SKIPPED &&
	    e->b->a->op == EXPR_STAT && e->b->a->u.stat == EXPR_STAT_LINES,
	    "$skipped and $lines are stats where allowed");
	expr_free(e);
	e = parse("$json + $repaired", &env);
	ok(e && e->a->u.stat == EXPR_STAT_JSON &&
	    e->b->u.stat == EXPR_STAT_REPAIRED, "$json and $repaired");
	expr_free(e);

	env.columns = cols;
	env.ncolumns = 3;
	e = parse("p99_ms < 500 and n > 0", &env);
	ok(e && e->a->a->op == EXPR_COLUMN && e->a->a->u.column == 2 &&
	    e->b->a->op == EXPR_COLUMN && e->b->a->u.column == 1,
	    "identifiers are output columns in having/assert");
	expr_free(e);
	e = parse(".route == \"/\"", &env);
	ok(e && e->a->op == EXPR_COLUMN && e->a->u.column == 0,
	    "a leading dot names a column too");
	expr_free(e);
	check_error("p98_ms < 500", &env,
	    "unknown column 'p98_ms' (columns: route, n, p99_ms)", 1, 6);
	check_error("n > 0 and a.b", &env,
	    "unknown column 'a.b' (columns: route, n, p99_ms)", 11, 3);
	check_error("msg == 1", &env,
	    "unknown column 'msg' (columns: route, n, p99_ms)", 1, 3);
}

struct agg_seen {
	size_t	slots[8];
	size_t	n;
};

static void
collect_agg(struct expr *agg, void *ctx)
{
	struct agg_seen *s = ctx;

	if (s->n < 8)
		s->slots[s->n++] = agg->u.agg.slot;
}

static void
test_aggregates(void)
{
	struct expr_env env = scalar_env();
	struct agg_seen seen = { { 0 }, 0 };
	size_t next_slot = 3;
	struct expr *e, *f;

	env.allow_aggregates = 1;
	env.next_slot = &next_slot;
	e = parse("count_if(status >= 500) / count()", &env);
	ok(e && e->op == EXPR_DIV && e->a->op == EXPR_AGG &&
	    e->a->u.agg.fn == aggfn_find("count_if", 8) &&
	    e->a->u.agg.arg->op == EXPR_GE &&
	    e->b->u.agg.fn == aggfn_find("count", 5) && e->b->u.agg.arg == NULL,
	    "aggregates combine with arithmetic");
	ok(e && e->a->u.agg.slot == 3 && e->b->u.agg.slot == 4,
	    "slots are handed out from *next_slot in text order");
	is_int(next_slot, 5, "next_slot moved past both");
	f = parse("round(avg(latency_ms), 1) + p95(x) + max_by(a, b)", &env);
	ok(f && f->a->a->op == EXPR_CALL &&
	    f->a->a->u.call.args[0]->op == EXPR_AGG &&
	    f->a->a->u.call.args[0]->u.agg.fn == aggfn_find("avg", 3),
	    "a scalar function around an aggregate");
	ok(f && f->a->b->u.agg.fn->kind == AGGFN_STATE_SHARED &&
	    f->a->b->u.agg.q == 95, "p95 is the 95th percentile");
	ok(f && f->b->u.agg.fn == aggfn_find("max_by", 6) &&
	    f->b->u.agg.arg2 != NULL, "max_by keeps both arguments");
	expr_foreach_agg(f, collect_agg, &seen);
	ok(seen.n == 3 && seen.slots[0] == 5 && seen.slots[1] == 6 &&
	    seen.slots[2] == 7, "expr_foreach_agg visits in slot order");
	expr_free(e);
	expr_free(f);
	e = parse("percentile(latency_ms, 99.5)", &env);
	ok(e && e->u.agg.q == 99.5 && e->u.agg.arg2 == NULL,
	    "percentile(x, q) keeps q");
	expr_free(e);
	e = parse("p999(x) + p50(x) + p90(x) + p99(x)", &env);
	ok(e && e->b->u.agg.q == 99 && e->a->b->u.agg.q == 90 &&
	    e->a->a->b->u.agg.q == 50 && e->a->a->a->u.agg.q == 99.9,
	    "p999 p50 p90 p99");
	expr_free(e);
	e = parse("sum(x) + min(x) + distinct(x) + first(x) + last(x) - "
	    "min_by(x, y) + $threshold_ms", &env);
	ok(e != NULL, "the other aggregates and a parameter outside them");
	expr_free(e);

	check_error("percentile(x, 0)", &env, "argument 2 of 'percentile' "
	    "must be a number above 0 and at most 100", 15, 1);
	check_error("percentile(x, 100.5)", &env, "argument 2 of "
	    "'percentile' must be a number above 0 and at most 100", 15, 5);
	check_error("percentile(x, y)", &env,
	    "argument 2 of 'percentile' must be a constant", 15, 1);
	check_error("sum(count())", &env,
	    "cannot use aggregate 'count' inside 'sum'", 5, 5);
	check_error("count() > 0 and status", &env, "'status' must be inside "
	    "an aggregate such as count() or first()", 17, 6);
	check_error("sum(a, b)", &env,
	    "aggregate 'sum' takes 1 argument, got 2", 1, 3);
	check_error("count(x)", &env,
	    "aggregate 'count' takes no arguments, got 1", 1, 5);
	check_error("p98(x)", &env,
	    "unknown function 'p98' (did you mean 'p95'?)", 1, 3);
	check_error("cuont()", &env,
	    "unknown function 'cuont' (did you mean 'count'?)", 1, 5);

	env.allow_aggregates = 0;
	check_error("count() > 1", &env,
	    "aggregate 'count' is only allowed in aggregate:", 1, 5);
}

static void
test_functions(void)
{
	struct expr_env env = scalar_env();
	struct diag err = { 0 };
	struct expr *e;

	e = parse("lower(msg) == \"x\"", &env);
	ok(e && e->a->op == EXPR_CALL && e->a->u.call.nargs == 1 &&
	    strcmp(e->a->u.call.fn->name, "lower") == 0,
	    "a scalar function call");
	expr_free(e);
	e = parse("coalesce(a, b, c, d, e, f, g, h, i, j)", &env);
	ok(e && e->op == EXPR_CALL && e->u.call.nargs == 10,
	    "ten arguments");
	expr_free(e);
	e = parse("bucket(time, \"1m\")", &env);
	ok(e && e->u.call.prepared != NULL,
	    "a constant argument is prepared at load time");
	expr_free(e);
	/* prepare()'s own message (func.c's) with our caret. */
	e = expr_parse("bucket(time, $pat)", 18, &env, &err);
	ok(e == NULL && err.msg != NULL && err.caret_col == 14 &&
	    err.span == 4, "a parameter is checked by prepare, the caret "
	    "under it");
	diag_release(&err);
	check_error("lowr(msg)", &env,
	    "unknown function 'lowr' (did you mean 'lower'?)", 1, 4);
	check_error("frobnicate(msg)", &env,
	    "unknown function 'frobnicate'", 1, 10);
	check_error("lower(a, b)", &env,
	    "function 'lower' takes 1 argument, got 2", 1, 5);
	check_error("round(a, 1, 2)", &env,
	    "function 'round' takes 1 to 2 arguments, got 3", 1, 5);
	check_error("coalesce()", &env,
	    "function 'coalesce' takes at least 1 argument, got 0", 1, 8);
	check_error("bucket(time, step)", &env,
	    "argument 2 of 'bucket' must be a constant", 14, 4);
	check_error("bucket(time, lower(\"1m\"))", &env,
	    "argument 2 of 'bucket' must be a constant", 14, 11);
}

static void
test_regex(void)
{
	struct expr_env env = scalar_env();
	struct expr *e;

	e = parse("msg =~ \"(?i)^get\"", &env);
	ok(e && e->op == EXPR_MATCH && e->u.regex.code != NULL &&
	    e->b == NULL && strcmp(e->u.regex.pattern, "(?i)^get") == 0,
	    "a regex is compiled once, at load time");
	expr_free(e);
	e = parse("msg !~ $pat", &env);
	ok(e && e->op == EXPR_NOT_MATCH && e->u.regex.code != NULL,
	    "a string parameter as pattern");
	expr_free(e);
	/* PCRE2 reports "missing closing parenthesis" at the pattern's
	 * end, offset 2: column 8 (the quote) + 1 + 2. */
	check_error("msg =~ \"(a\"", &env, "invalid regex: missing closing "
	    "parenthesis at offset 2", 11, 1);
	check_error("msg =~ \"\\n(a\"", &env, "invalid regex: missing "
	    "closing parenthesis at offset 3", 8, 6);
	check_error("msg =~ '\\d+(a'", &env, "invalid regex: missing "
	    "closing parenthesis at offset 5", 14, 1);
	check_error("msg =~ $badpat", &env, "invalid regex: missing closing "
	    "parenthesis at offset 3", 8, 7);
	check_error("msg =~ \"a\" + \"b\"", &env, "'=~' needs a string "
	    "literal or a string parameter on its right", 8, 9);
	check_error("msg !~ 5", &env, "'!~' needs a string "
	    "literal or a string parameter on its right", 8, 1);
}

static void
test_errors(void)
{
	struct expr_env env = scalar_env();
	struct diag err = { 0 };
	struct expr *e;

	check_error("", &env, "empty expression", 1, 1);
	check_error("   ", &env, "empty expression", 1, 1);
	check_error("status ==", &env,
	    "expected an expression after '=='", 10, 1);
	check_error("a and", &env, "expected an expression after 'and'", 6, 1);
	check_error("a and )", &env,
	    "expected an expression after 'and', found ')'", 7, 1);
	check_error("lower(msg", &env, "expected ')' after arguments of "
	    "'lower', found end of expression", 10, 1);
	check_error("lower(", &env, "expected ')' after arguments of "
	    "'lower', found end of expression", 7, 1);
	check_error("lower(a b)", &env, "expected ')' after arguments of "
	    "'lower', found 'b'", 9, 1);
	check_error("a ]", &env, "unexpected ']'", 3, 1);
	check_error("]", &env, "unexpected ']'", 1, 1);
	check_error("\"abc", &env, "unterminated string", 1, 1);
	check_error("x == 'abc\\'", &env, "unterminated string", 6, 1);
	check_error("a < b < c", &env,
	    "comparisons do not chain; use 'and'", 7, 1);
	check_error("a == b != c", &env,
	    "comparisons do not chain; use 'and'", 8, 2);
	check_error("a = 1", &env, "unexpected '='; use '==' to compare", 3, 1);
	check_error("a && b", &env, "unexpected '&&'; use 'and'", 3, 2);
	check_error("a || b", &env, "unexpected '||'; use 'or'", 3, 2);
	check_error("!a", &env, "unexpected '!'; use 'not'", 1, 1);
	check_error("a # b", &env, "unexpected character '#'", 3, 1);
	check_error("a \xc3\xa9", &env, "unexpected character '\xc3\xa9'",
	    3, 2);
	check_error("5xx == 1", &env, "invalid number '5xx'", 1, 3);
	check_error("(a", &env,
	    "expected ')' to close '(', found end of expression", 3, 1);
	check_error("(a b", &env, "expected ')' to close '(', found 'b'", 4, 1);
	check_error("a b", &env, "expected an operator, found 'b'", 3, 1);
	check_error("[1, 2", &env,
	    "expected ']' to close the list, found end of expression", 6, 1);
	check_error("[1 2]", &env,
	    "expected ',' or ']' in the list, found '2'", 4, 1);
	check_error("[1,]", &env, "expected an expression after ',', "
	    "found ']'", 4, 1);
	check_error("a not b", &env,
	    "expected 'in' after 'not', found 'b'", 7, 1);
	check_error("x.", &env,
	    "expected a field name after '.', found end of expression", 3, 1);
	check_error("x.5", &env,
	    "expected a field name after '.', found '5'", 3, 1);
	check_error(". == 1", &env,
	    "expected a field name after '.', found a space", 2, 1);
	check_error("\"\\ud800\"", &env, "unpaired surrogate '\\ud800'", 2, 6);
	check_error("\"\\u12\"", &env,
	    "invalid escape '\\u': expected four hex digits", 2, 2);
	check_error("$", &env, "expected a parameter name after '$'", 1, 1);
	check_error("1e999", &env, "number '1e999' is out of range", 1, 5);
	check_error("a == \"very long string literal here\" b", &env,
	    "expected an operator, found 'b'", 38, 1);
	check_error("x ==\n  y and and", &env,
	    "expected an expression after 'and', found 'and'", 9, 3);

	/* A multi-line text shows the line with the error. */
	e = expr_parse("a and\n  b ==", 12, &env, &err);
	ok(e == NULL && strcmp(err.source, "  b ==") == 0 &&
	    err.caret_col == 7, "a multi-line text: the caret's own line");
	diag_release(&err);
	/* LEN bounds the text: a longer buffer is not read past it. */
	e = expr_parse("a == 1 garbage", 6, &env, &err);
	ok(e != NULL && e->op == EXPR_EQ, "only LEN bytes are parsed");
	expr_free(e);
	diag_release(&err);
}

int
main(void)
{
	fields = fields_new_builtin();
	test_precedence();
	test_fields();
	test_literals();
	test_params_columns_stats();
	test_aggregates();
	test_functions();
	test_regex();
	test_errors();
	fields_free(fields);
	return done_testing();
}
