/* SPDX-License-Identifier: MIT */
/* query_test.c - query files, reports, lookups and their errors
 *
 * Fixtures are written into a fresh temporary directory, which the test
 * makes its working directory so that file names in messages are short
 * and fixed. Every line and column below was counted by hand from the
 * fixture text beside it. */
#include "config.h"

#include <sys/stat.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "query.h"
#include "util.h"
#include "tap.h"

static char d1[] = "d1", d2[] = "d2";
static char *dirs[] = { d1, d2 };
static const struct query_path search = { dirs, 2 };

static void
put(const char *path, const char *text)
{
	FILE *fp = fopen(path, "wb");

	if (fp == NULL || fputs(text, fp) == EOF || fclose(fp) != 0) {
		perror(path);
		exit(99);
	}
}

/* "FILE:LINE:COL: MSG" as diag_print shows it, without "logq: ". */
static char *
err_text(const struct diag *d)
{
	struct buf b = BUF_INIT;

	if (d->file != NULL) {
		buf_printf(&b, "%s:", d->file);
		if (d->line) {
			buf_printf(&b, "%u:", d->line);
			if (d->col)
				buf_printf(&b, "%u:", d->col);
		}
		buf_addc(&b, ' ');
	}
	buf_adds(&b, d->msg ? d->msg : "(no message)");
	return buf_take(&b);
}

static struct diag last_err;

/* Loads QUERY (a path or a name); the error text, or "loaded". */
static char *
load_err(const char *query)
{
	struct query_list l = { 0 };

	diag_release(&last_err);
	if (query_load(query, &search, &l, &last_err) == 0) {
		query_list_release(&l);
		return xstrdup("loaded");
	}
	return err_text(&last_err);
}

static char *
inline_err(const char *yaml)
{
	struct query_list l = { 0 };

	diag_release(&last_err);
	if (query_load_inline(yaml, &search, &l, &last_err) == 0) {
		query_list_release(&l);
		return xstrdup("loaded");
	}
	return err_text(&last_err);
}

/* Writes PATH, loads it, checks the error text. */
static void
check_file_err(const char *path, const char *yaml, const char *want,
    const char *what)
{
	char *got;

	put(path, yaml);
	got = load_err(path);
	is_str(got, want, "%s", what);
	free(got);
}

static void
check_inline_err(const char *yaml, const char *want, const char *what)
{
	char *got = inline_err(yaml);

	is_str(got, want, "%s", what);
	free(got);
}

static struct query *
load_one(const char *path, struct query_list *l)
{
	struct diag err = { 0 };

	memset(l, 0, sizeof(*l));
	if (query_load(path, &search, l, &err) == -1) {
		char *t = err_text(&err);

		printf("# load %s: %s\n", path, t);
		free(t);
		diag_release(&err);
		return NULL;
	}
	return l->n > 0 ? l->items[0] : NULL;
}

static const char *
str_of(const struct value *v)
{
	static char b[64];

	if (v->kind != VALUE_STRING)
		return "(not a string)";
	snprintf(b, sizeof(b), "%.*s", (int)v->u.s.len, v->u.s.ptr);
	return b;
}

static void
test_every_key(void)
{
	struct query_list l;
	struct query *q;
	struct query_param *p;

	put("full.yaml",
	    "name: slow\n"				/* 1 */
	    "description: slow requests by route\n"	/* 2 */
	    "where: latency_ms > $threshold_ms\n"	/* 3 */
	    "group_by: route(path)\n"			/* 4 */
	    "aggregate:\n"				/* 5 */
	    "  n: count()\n"				/* 6 */
	    "  p99_ms: p99(latency_ms)\n"		/* 7 */
	    "having: n > 1\n"				/* 8 */
	    "sort: [-p99_ms, route]\n"			/* 9 */
	    "limit: 10\n"				/* 10 */
	    "assert:\n"					/* 11 */
	    "  - p99_ms < 500\n"			/* 12 */
	    "params:\n"					/* 13 */
	    "  threshold_ms: 500\n"			/* 14 */
	    "  levels: [error, fatal]\n"		/* 15 */
	    "fields:\n"					/* 16 */
	    "  latency_ms: [elapsed, took_ms]\n"	/* 17 */
	    "  tenant: \"org,team\"\n"			/* 18 */
	    "chart: p99_ms\n");				/* 19 */
	if ((q = load_one("full.yaml", &l)) == NULL) {
		ok(0, "full.yaml loads");
		return;
	}
	is_int(l.n, 1, "a query file gives one query");
	ok(l.report_name == NULL, "a query file is not a report");
	is_str(q->name, "slow", "name: is the name");
	is_str(q->description, "slow requests by route", "description");
	is_str(q->file, "full.yaml", "file as named");
	ok(q->pos.line == 1 && q->pos.col == 1, "query position is 1:1");
	is_str(q->where->text, "latency_ms > $threshold_ms", "where text");
	is_int(q->where->len, 26, "where length");
	ok(q->where->pos.line == 3 && q->where->pos.col == 8,
	    "where at 3:8");
	is_str(q->where->pos.file, "full.yaml", "where's position names file");
	is_str(q->where->src_line, "where: latency_ms > $threshold_ms",
	    "where's source line");
	is_int(q->where->src_col, 8, "plain where maps to column 8");
	ok(!q->has_select && q->has_aggregate, "an aggregation");
	is_int(q->ngroup_by, 1, "group_by: one expression");
	is_str(q->group_by[0].name, "route(path)",
	    "a group_by expression names its column by its text");
	ok(q->group_by[0].expr.pos.line == 4 &&
	    q->group_by[0].expr.pos.col == 11, "group_by at 4:11");
	is_int(q->naggregate, 2, "two aggregates");
	is_str(q->aggregate[0].name, "n", "aggregate order kept (1)");
	is_str(q->aggregate[1].name, "p99_ms", "aggregate order kept (2)");
	is_str(q->aggregate[1].expr.text, "p99(latency_ms)",
	    "aggregate expression");
	ok(q->aggregate[0].expr.pos.line == 6 &&
	    q->aggregate[0].expr.pos.col == 6, "aggregate n at 6:6");
	is_str(q->having->text, "n > 1", "having");
	ok(q->having->pos.line == 8 && q->having->pos.col == 9,
	    "having at 8:9");
	is_int(q->nsort, 2, "sort list");
	ok(strcmp(q->sort[0].column, "p99_ms") == 0 && q->sort[0].descending,
	    "'-p99_ms' sorts p99_ms descending");
	ok(strcmp(q->sort[1].column, "route") == 0 && !q->sort[1].descending,
	    "'route' sorts ascending");
	ok(q->sort[0].pos.line == 9 && q->sort[0].pos.col == 8 &&
	    q->sort[1].pos.col == 17, "sort items at 9:8 and 9:17");
	is_int(q->limit, 10, "limit");
	is_int(q->nasserts, 1, "one assertion");
	is_str(q->asserts[0].text, "p99_ms < 500", "assertion text");
	ok(q->asserts[0].pos.line == 12 && q->asserts[0].pos.col == 5,
	    "assertion at 12:5");
	is_int(q->nparams, 2, "two params");
	p = query_find_param(q, "threshold_ms", 12);
	ok(p != NULL && p->value.kind == VALUE_INT && p->value.u.i == 500,
	    "threshold_ms is the integer 500");
	ok(p != NULL && p->pos.line == 14 && p->pos.col == 17,
	    "param position is its value, 14:17");
	p = query_find_param(q, "levels", 6);
	ok(p != NULL && p->value.kind == VALUE_LIST &&
	    p->value.u.list.n == 2, "levels is a list of two");
	if (p != NULL && p->value.kind == VALUE_LIST &&
	    p->value.u.list.n == 2) {
		is_str(str_of(&p->value.u.list.items[0]), "error",
		    "list item 1");
		is_str(str_of(&p->value.u.list.items[1]), "fatal",
		    "list item 2");
	}
	ok(query_find_param(q, "threshold", 9) == NULL,
	    "find_param matches whole names");
	ok(query_find_param(q, "threshold_msx", 12) != NULL,
	    "find_param takes a length");
	is_int(q->nfields, 2, "two fields");
	is_str(q->fields[0].name, "latency_ms", "field name");
	is_str(q->fields[0].spec, "elapsed,took_ms",
	    "a list of fields is joined with ','");
	is_str(q->fields[1].spec, "org,team", "a field string is kept");
	is_str(q->chart, "p99_ms", "chart");
	query_list_release(&l);
}

static void
test_forms(void)
{
	struct query_list l;
	struct query *q;

	put("forms.yml",
	    "select: [msg, \"lower(level)\"]\n"
	    "sort: -ts\n"
	    "assert: \"$skipped == 0\"\n"
	    "limit: 0\n");
	if ((q = load_one("forms.yml", &l)) != NULL) {
		is_str(q->name, "forms", "default name: base name less .yml");
		ok(q->has_select && !q->has_aggregate && q->where == NULL,
		    "a listing without where");
		is_int(q->nselect, 2, "select list of two");
		is_str(q->select[1].name, "lower(level)",
		    "a select list names columns by their text");
		ok(q->nsort == 1 && strcmp(q->sort[0].column, "ts") == 0 &&
		    q->sort[0].descending, "sort: one string, descending");
		ok(q->nasserts == 1 &&
		    strcmp(q->asserts[0].text, "$skipped == 0") == 0,
		    "assert: a single string");
		is_int(q->limit, 0, "limit 0 is allowed");
		ok(q->description == NULL && q->chart == NULL &&
		    q->nparams == 0 && q->nfields == 0, "absent keys");
	} else
		ok(0, "forms.yml loads");
	query_list_release(&l);

	put("formmap.yaml",
	    "select:\n"
	    "  path: route(path)\n"
	    "  ms: latency_ms\n"
	    "where: status >= 500\n");
	if ((q = load_one("formmap.yaml", &l)) != NULL) {
		ok(q->nselect == 2 && strcmp(q->select[0].name, "path") == 0 &&
		    strcmp(q->select[0].expr.text, "route(path)") == 0 &&
		    strcmp(q->select[1].name, "ms") == 0,
		    "select mapping: column: expression, in order");
		is_int(q->limit, -1, "no limit is -1");
	} else
		ok(0, "formmap.yaml loads");
	query_list_release(&l);

	put("gblist.yaml",
	    "group_by:\n"
	    "  - route(path)\n"
	    "  - method\n"
	    "aggregate: {n: count()}\n");
	if ((q = load_one("gblist.yaml", &l)) != NULL)
		ok(q->ngroup_by == 2 &&
		    strcmp(q->group_by[1].name, "method") == 0,
		    "group_by list");
	else
		ok(0, "gblist.yaml loads");
	query_list_release(&l);

	put("gbmap.yaml",
	    "group_by: {r: route(path)}\n"
	    "aggregate: {n: count()}\n");
	if ((q = load_one("gbmap.yaml", &l)) != NULL)
		ok(q->ngroup_by == 1 && strcmp(q->group_by[0].name, "r") == 0 &&
		    strcmp(q->group_by[0].expr.text, "route(path)") == 0,
		    "group_by mapping");
	else
		ok(0, "gbmap.yaml loads");
	query_list_release(&l);
}

static void
test_inline(void)
{
	struct query_list l = { 0 };
	struct diag err = { 0 };
	struct query *q;

	if (query_load_inline("{where: \"status >= 500\"}", &search, &l,
	    &err) == -1 || l.n != 1) {
		ok(0, "inline query loads");
		diag_release(&err);
		return;
	}
	q = l.items[0];
	is_str(q->name, "query", "an inline query is named 'query'");
	is_str(q->file, "-e", "its file is '-e'");
	is_str(q->where->text, "status >= 500", "inline where");
	ok(q->where->pos.line == 1 && q->where->pos.col == 9,
	    "quoted scalar's position is its quote, 1:9");
	is_int(q->where->src_col, 10, "its text starts after the quote");
	query_list_release(&l);
}

static void
test_src_col(void)
{
	struct query_list l;
	struct query *q;

	put("cols.yaml",
	    "where: status >= 500\n"				/* 1 */
	    "assert: ['n > 1', \"it's\", 'it''s', \"a\\tb\"]\n"	/* 2 */
	    "select:\n"						/* 3 */
	    "  - \"lower(msg)\"\n"				/* 4 */
	    "  - |\n"						/* 5 */
	    "    x + 1\n"					/* 6 */
	    "  - \"multi\n"					/* 7 */
	    "    line\"\n"					/* 8 */
	    "  - plain\n"					/* 9 */
	    "    continued\n"					/* 10 */
	    "  - >-\n"						/* 11 */
	    "    folded\n");					/* 12 */
	if ((q = load_one("cols.yaml", &l)) == NULL) {
		ok(0, "cols.yaml loads");
		return;
	}
	is_int(q->where->src_col, 8, "plain: column of its first byte");
	ok(q->asserts[0].pos.col == 10 && q->asserts[0].src_col == 11,
	    "single-quoted without escapes: after the quote");
	ok(q->asserts[1].pos.col == 19 && q->asserts[1].src_col == 20,
	    "double-quoted without escapes: after the quote");
	is_str(q->asserts[2].text, "it's", "'' is a quote");
	ok(q->asserts[2].pos.col == 27 && q->asserts[2].src_col == 0,
	    "single-quoted with '': no column");
	ok(q->asserts[3].len == 3 && memcmp(q->asserts[3].text, "a\tb", 3) == 0,
	    "\\t is a tab");
	ok(q->asserts[3].pos.col == 36 && q->asserts[3].src_col == 0,
	    "double-quoted with an escape: no column");
	is_str(q->asserts[3].src_line,
	    "assert: ['n > 1', \"it's\", 'it''s', \"a\\tb\"]",
	    "src_line is the file's line");
	ok(q->select[0].expr.pos.line == 4 && q->select[0].expr.src_col == 6,
	    "quoted list item: column after the quote");
	is_str(q->select[1].expr.text, "x + 1\n", "literal block text");
	ok(q->select[1].expr.pos.line == 5 && q->select[1].expr.pos.col == 5 &&
	    q->select[1].expr.src_col == 0, "literal block: no column");
	is_str(q->select[2].expr.text, "multi line", "quoted lines fold");
	is_int(q->select[2].expr.src_col, 0, "multi-line quoted: no column");
	is_str(q->select[3].expr.text, "plain continued", "plain lines fold");
	ok(q->select[3].expr.pos.line == 9 && q->select[3].expr.src_col == 0,
	    "multi-line plain: no column");
	is_str(q->select[4].expr.text, "folded", "folded block, stripped");
	is_int(q->select[4].expr.src_col, 0, "folded block: no column");
	query_list_release(&l);

	/* "é" is two bytes and one character: libyaml counts the
	 * character, we count bytes. */
	put("utf.yaml", "select: {\"\xc3\xa9\": x + 1}\n");
	if ((q = load_one("utf.yaml", &l)) != NULL) {
		is_str(q->select[0].name, "\xc3\xa9", "UTF-8 column name");
		ok(q->select[0].expr.pos.col == 16 &&
		    q->select[0].expr.src_col == 16,
		    "columns count bytes after a two-byte character");
	} else
		ok(0, "utf.yaml loads");
	query_list_release(&l);

	put("bom.yaml", "\xef\xbb\xbfwhere: x\n");
	if ((q = load_one("bom.yaml", &l)) != NULL)
		ok(q->where->pos.col == 8 && q->where->src_col == 8 &&
		    strcmp(q->where->src_line, "where: x") == 0,
		    "a byte order mark is not part of line 1");
	else
		ok(0, "bom.yaml loads");
	query_list_release(&l);
}

static void
test_param_typing(void)
{
	struct query_list l;
	struct query *q;
	struct query_param *p;

	put("params.yaml",
	    "where: \"true\"\n"
	    "params:\n"
	    "  i: 42\n"
	    "  neg: -7\n"
	    "  r: 0.5\n"
	    "  e: 1e3\n"
	    "  t: true\n"
	    "  f: FALSE\n"
	    "  n: null\n"
	    "  tilde: ~\n"
	    "  empty:\n"
	    "  s: hello\n"
	    "  q: \"42\"\n"
	    "  sq: '1.5'\n"
	    "  hex: 0x1f\n"
	    "  big: 99999999999999999999\n"
	    "  yes: yes\n"
	    "  tagged: !!str 7\n"
	    "  list: [1, two, \"3\", null]\n");
	if ((q = load_one("params.yaml", &l)) == NULL) {
		ok(0, "params.yaml loads");
		return;
	}
#define P(name) query_find_param(q, name, strlen(name))
	p = P("i");
	ok(p && p->value.kind == VALUE_INT && p->value.u.i == 42, "42: int");
	p = P("neg");
	ok(p && p->value.kind == VALUE_INT && p->value.u.i == -7, "-7: int");
	p = P("r");
	ok(p && p->value.kind == VALUE_REAL && p->value.u.r == 0.5,
	    "0.5: real");
	p = P("e");
	ok(p && p->value.kind == VALUE_REAL && p->value.u.r == 1000.0,
	    "1e3: real");
	p = P("t");
	ok(p && p->value.kind == VALUE_BOOL && p->value.u.b == 1, "true");
	p = P("f");
	ok(p && p->value.kind == VALUE_BOOL && p->value.u.b == 0, "FALSE");
	p = P("n");
	ok(p && p->value.kind == VALUE_NULL, "null");
	p = P("tilde");
	ok(p && p->value.kind == VALUE_NULL, "~ is null");
	p = P("empty");
	ok(p && p->value.kind == VALUE_NULL, "no value is null");
	p = P("s");
	ok(p && strcmp(str_of(&p->value), "hello") == 0, "plain string");
	p = P("q");
	ok(p && strcmp(str_of(&p->value), "42") == 0,
	    "a quoted number is a string");
	p = P("sq");
	ok(p && strcmp(str_of(&p->value), "1.5") == 0,
	    "a single-quoted number is a string");
	p = P("hex");
	ok(p && p->value.kind == VALUE_INT && p->value.u.i == 31,
	    "0x1f: int 31");
	p = P("big");
	ok(p && p->value.kind == VALUE_REAL && p->value.u.r == 1e20,
	    "an integer beyond 64 bits is a real");
	p = P("yes");
	ok(p && strcmp(str_of(&p->value), "yes") == 0,
	    "yes is a string (YAML 1.2, not 1.1)");
	p = P("tagged");
	ok(p && strcmp(str_of(&p->value), "7") == 0, "!!str 7 is a string");
	p = P("list");
	ok(p && p->value.kind == VALUE_LIST && p->value.u.list.n == 4 &&
	    p->value.u.list.items[0].kind == VALUE_INT &&
	    p->value.u.list.items[0].u.i == 1 &&
	    strcmp(str_of(&p->value.u.list.items[1]), "two") == 0 &&
	    strcmp(str_of(&p->value.u.list.items[2]), "3") == 0 &&
	    p->value.u.list.items[3].kind == VALUE_NULL,
	    "a list's items are typed one by one");
#undef P
	query_list_release(&l);
}

/* SPEC 3.6: --set holds a number parameter to numbers; a duration in
 * the unit its name ends with. */
static void
test_param_set_number(void)
{
	static const struct {
		const char	*name, *text;
		int		 fails;
		enum value_kind	 kind;
		double		 want;
		const char	*what;
	} cases[] = {
		{ "threshold_ms", "1000", 0, VALUE_INT, 1000, "a number" },
		{ "threshold_ms", "1.5s", 0, VALUE_INT, 1500, "1.5s in ms" },
		{ "threshold_ms", "250us", 0, VALUE_REAL, 0.25, "us in ms" },
		{ "timeout_s", "2m", 0, VALUE_INT, 120, "2m in s" },
		{ "window_min", "90s", 0, VALUE_REAL, 1.5, "90s in min" },
		{ "age_d", "36h", 0, VALUE_REAL, 1.5, "36h in days" },
		{ "threshold_ms", "abc", 1, VALUE_NULL, 0, "text refused" },
		{ "threshold_ms", "1 s", 1, VALUE_NULL, 0,
		    "a blank inside a duration" },
		{ "threshold_ms", "500mss", 1, VALUE_NULL, 0, "a typo" },
		{ "max_lines", "1s", 1, VALUE_NULL, 0,
		    "a duration for a name with no unit" },
		{ "max_lines", "12", 0, VALUE_INT, 12, "a number, no unit" },
		{ "threshold_ms", "null", 0, VALUE_NULL, 0,
		    "null is typed as YAML types it" },
		{ "threshold_ms", "true", 0, VALUE_BOOL, 1,
		    "true is typed as YAML types it" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct query_param p = { 0 };
		char *why = NULL;
		int rc;

		p.name = (char *)cases[i].name;
		p.value = p.dflt = value_int(500);
		rc = query_param_set_text(&p, cases[i].text, &why);
		if (cases[i].fails)
			ok(rc == -1 && why != NULL && strstr(why, cases[i].name)
			    != NULL && p.value.kind == VALUE_INT &&
			    p.value.u.i == 500, "--set %s=%s: %s (%s)",
			    cases[i].name, cases[i].text, cases[i].what,
			    why ? why : "no message");
		else
			ok(rc == 0 && p.value.kind == cases[i].kind &&
			    (cases[i].kind == VALUE_NULL ||
			    (cases[i].kind == VALUE_BOOL ? p.value.u.b == 1 :
			    cases[i].kind == VALUE_INT ? p.value.u.i ==
			    (int64_t)cases[i].want : p.value.u.r ==
			    cases[i].want)), "--set %s=%s: %s",
			    cases[i].name, cases[i].text, cases[i].what);
		free(why);
		value_heap_release(&p.value);
	}
}

static void
test_report(void)
{
	struct query_list l;
	struct query *q;
	struct query_param *p;

	put("lib/slow.yaml",
	    "description: slow requests\n"		/* 1 */
	    "where: latency_ms > $threshold_ms\n"	/* 2 */
	    "select: [path, latency_ms]\n"		/* 3 */
	    "params:\n"					/* 4 */
	    "  threshold_ms: 500\n"			/* 5 */
	    "  tenant: acme\n"				/* 6 */
	    "fields:\n"					/* 7 */
	    "  latency_ms: elapsed\n");			/* 8 */
	put("reports/ops.yaml",
	    "name: ops\n"				/* 1 */
	    "description: the ops report\n"		/* 2 */
	    "params:\n"					/* 3 */
	    "  tenant: globex\n"			/* 4 */
	    "  step: 1m\n"				/* 5 */
	    "fields:\n"					/* 6 */
	    "  latency_ms: duration\n"			/* 7 */
	    "  tenant: [org, team]\n"			/* 8 */
	    "queries:\n"				/* 9 */
	    "  - where: level == \"error\"\n"		/* 10 */
	    "  - use: ../lib/slow.yaml\n"		/* 11 */
	    "    set: {threshold_ms: 1000}\n"		/* 12 */
	    "  - name: volume\n"			/* 13 */
	    "    aggregate: {n: count()}\n"		/* 14 */
	    "    params: {step: 5m}\n");		/* 15 */
	if (load_one("reports/ops.yaml", &l) == NULL || l.n != 3) {
		ok(0, "the report loads three queries");
		query_list_release(&l);
		return;
	}
	is_str(l.report_name, "ops", "report name");
	is_str(l.report_description, "the ops report", "report description");

	q = l.items[0];
	is_str(q->name, "ops-1", "an unnamed query of a report: REPORT-1");
	is_str(q->file, "reports/ops.yaml", "inline query's file");
	ok(q->where->pos.line == 10 && q->where->pos.col == 12,
	    "inline query's where at 10:12");
	is_int(q->nparams, 2, "a report's own query gets the report params");
	p = query_find_param(q, "tenant", 6);
	ok(p && strcmp(str_of(&p->value), "globex") == 0 &&
	    p->pos.line == 4 && p->pos.col == 11,
	    "report param tenant, at 4:11");
	is_int(q->nfields, 2, "report fields added");
	ok(q->nfields == 2 && strcmp(q->fields[0].spec, "duration") == 0 &&
	    strcmp(q->fields[1].spec, "org,team") == 0,
	    "report fields' specs");

	q = l.items[1];
	is_str(q->name, "slow", "an included query keeps its name");
	is_str(q->file, "reports/../lib/slow.yaml",
	    "use: paths start from the report's directory");
	is_str(q->description, "slow requests", "included description");
	is_int(q->nparams, 2, "included params: only its own");
	p = query_find_param(q, "threshold_ms", 12);
	ok(p && p->value.kind == VALUE_INT && p->value.u.i == 1000,
	    "set: overrides the default");
	ok(p && strcmp(p->pos.file, "reports/ops.yaml") == 0 &&
	    p->pos.line == 12 && p->pos.col == 25,
	    "a set: value is placed in the report, 12:25");
	p = query_find_param(q, "tenant", 6);
	ok(p && strcmp(str_of(&p->value), "globex") == 0,
	    "report params replace declared defaults");
	ok(query_find_param(q, "step", 4) == NULL,
	    "report params do not declare params in included queries");
	ok(q->nfields == 2 && strcmp(q->fields[0].spec, "elapsed") == 0 &&
	    strcmp(q->fields[0].pos.file, "reports/../lib/slow.yaml") == 0 &&
	    strcmp(q->fields[1].name, "tenant") == 0,
	    "the query's own field wins; others are added");

	q = l.items[2];
	is_str(q->name, "volume", "name: in a report's query");
	p = query_find_param(q, "step", 4);
	ok(p && strcmp(str_of(&p->value), "1m") == 0 && q->nparams == 2 &&
	    strcmp(q->params[0].name, "step") == 0,
	    "report param replaces the query's own default, in place");
	query_list_release(&l);
}

static void
test_nested_reports(void)
{
	struct query_list l;
	struct query_param *p;

	put("d1/errs.yaml",
	    "where: level == \"error\"\n"
	    "params: {min: 1}\n");
	put("sub.yaml",
	    "queries:\n"
	    "  - use: errs\n"
	    "  - name: inner\n"
	    "    where: x\n"
	    "    params: {min: 0}\n");
	put("top.yaml",
	    "name: top\n"
	    "queries:\n"
	    "  - use: sub.yaml\n"
	    "    set: {min: 5}\n"
	    "  - use: errs\n"
	    "    name: errs2\n"
	    "  - where: y\n");
	if (load_one("top.yaml", &l) == NULL || l.n != 4) {
		ok(0, "top.yaml loads four queries");
		query_list_release(&l);
		return;
	}
	ok(strcmp(l.items[0]->name, "errs") == 0 &&
	    strcmp(l.items[1]->name, "inner") == 0 &&
	    strcmp(l.items[2]->name, "errs2") == 0 &&
	    strcmp(l.items[3]->name, "top-3") == 0,
	    "an included report is expanded in place");
	is_str(l.report_name, "top", "the outer report names the list");
	p = query_find_param(l.items[0], "min", 3);
	ok(p && p->value.kind == VALUE_INT && p->value.u.i == 5,
	    "set: on a report reaches its queries (1)");
	p = query_find_param(l.items[1], "min", 3);
	ok(p && p->value.kind == VALUE_INT && p->value.u.i == 5,
	    "set: on a report reaches its queries (2)");
	p = query_find_param(l.items[2], "min", 3);
	ok(p && p->value.kind == VALUE_INT && p->value.u.i == 1,
	    "another use of the same query keeps its default");
	is_str(l.items[2]->file, "d1/errs.yaml",
	    "use: NAME goes through the search path");
	query_list_release(&l);

	put("list.yaml", "queries: [errs, forms.yml]\n");
	if (load_one("list.yaml", &l) != NULL && l.n == 2)
		ok(strcmp(l.items[0]->name, "errs") == 0 &&
		    strcmp(l.items[1]->name, "forms") == 0,
		    "a bare name in queries: is a use:");
	else
		ok(0, "list.yaml loads");
	query_list_release(&l);

	check_file_err("dupname.yaml",
	    "queries:\n"
	    "  - use: errs\n"
	    "  - use: errs\n",
	    "dupname.yaml:3:5: query name 'errs' appears twice in report "
	    "'dupname' (first at line 2); give one a 'name:'",
	    "two queries of a name in a report");
	check_file_err("renrep.yaml",
	    "queries:\n"
	    "  - use: sub.yaml\n"
	    "    name: x\n",
	    "renrep.yaml:3:5: 'name' cannot rename report 'sub.yaml': it "
	    "names its queries itself",
	    "name: cannot rename an included report");
	check_file_err("setbad.yaml",
	    "queries:\n"
	    "  - use: errs\n"
	    "    set: {mni: 3}\n",
	    "setbad.yaml:3:11: query 'errs' has no param 'mni' (did you "
	    "mean 'min'?)",
	    "set: of an undeclared param");
	check_file_err("setbad2.yaml",
	    "queries:\n"
	    "  - use: sub.yaml\n"
	    "    set: {zz: 3}\n",
	    "setbad2.yaml:3:11: no query of report 'sub.yaml' has a param "
	    "'zz'",
	    "set: on a report of a param none declares");
	check_file_err("usebad.yaml", "queries: [{use: erors}]\n",
	    "usebad.yaml:1:17: unknown query 'erors' (did you mean "
	    "'errors'?); 'logq --list' shows the built-in queries",
	    "use: of an unknown name");
	check_file_err("usekey.yaml",
	    "queries:\n"
	    "  - use: errs\n"
	    "    where: x\n",
	    "usekey.yaml:3:5: unknown key 'where' in 'use' item; allowed: "
	    "use, set, name",
	    "a use: item takes use, set and name only");
	check_file_err("reportkey.yaml",
	    "queries: [errs]\n"
	    "limit: 3\n",
	    "reportkey.yaml:2:1: unknown key 'limit' in report; allowed: "
	    "name, description, fields, params, queries",
	    "a report takes report keys only");
	check_file_err("reportitem.yaml", "queries: [[a]]\n",
	    "reportitem.yaml:1:11: 'queries' must be a list of query "
	    "mappings or {use: NAME} items",
	    "a list is not a report item");
	check_file_err("noqueries.yaml", "name: r\nqueries: []\n",
	    "noqueries.yaml:2:10: report 'r' has no queries",
	    "a report needs queries");
	check_file_err("usemissing.yaml", "queries: [{use: nope.yaml}]\n",
	    "usemissing.yaml:1:17: cannot read query file 'nope.yaml': No "
	    "such file or directory",
	    "use: of a missing file is placed at the use:");
}

static void
test_cycles(void)
{
	put("a.yaml", "queries: [{use: b.yaml}]\n");
	put("b.yaml", "queries: [{use: a.yaml}]\n");
	check_file_err("a.yaml", "queries: [{use: b.yaml}]\n",
	    "b.yaml:1:17: query 'a' includes itself via 'b'",
	    "a two-file cycle");
	check_file_err("c.yaml", "queries: [{use: c.yaml}]\n",
	    "c.yaml:1:17: query 'c' includes itself", "a file using itself");
	put("q.yaml", "queries: [{use: r.yaml}]\n");
	put("r.yaml", "queries: [{use: p.yaml}]\n");
	check_file_err("p.yaml", "queries: [{use: q.yaml}]\n",
	    "r.yaml:1:17: query 'p' includes itself via 'q', 'r'",
	    "a three-file cycle names the whole path");
	put("x.yaml", "queries: [{use: q.yaml}]\n");
	check_file_err("x.yaml", "queries: [{use: q.yaml}]\n",
	    "p.yaml:1:17: query 'q' includes itself via 'r', 'p'",
	    "a cycle below the top is named from where it starts");
}

static void
test_errors(void)
{
	char *deep, *got;
	size_t i;

	check_file_err("badkey.yaml",
	    "name: x\n"
	    "where: a\n"
	    "wher: b\n",
	    "badkey.yaml:3:1: unknown key 'wher' in query (did you mean "
	    "'where'?); allowed: name, description, where, select, group_by, "
	    "aggregate, having, sort, limit, assert, params, fields, chart",
	    "unknown key, with suggestion and the keys allowed");
	is_str(last_err.source, "wher: b", "the key's line is attached");
	ok(last_err.caret_col == 1 && last_err.span == 4,
	    "the caret underlines the key");
	is_int(last_err.status, LOGQ_EXIT_USAGE, "a bad query file is exit 2");
	check_file_err("badkey2.yaml", "where: a\nzzzzzz: b\n",
	    "badkey2.yaml:2:1: unknown key 'zzzzzz' in query; allowed: name, "
	    "description, where, select, group_by, aggregate, having, sort, "
	    "limit, assert, params, fields, chart",
	    "no suggestion when nothing is close");
	check_file_err("dup.yaml",
	    "where: a\n"
	    "select: [b]\n"
	    "where: c\n",
	    "dup.yaml:3:1: duplicate key 'where' in query (first at line 1)",
	    "duplicate key");
	check_file_err("dup2.yaml",
	    "aggregate:\n"
	    "  n: count()\n"
	    "  m: sum(x)\n"
	    "  n: max(x)\n",
	    "dup2.yaml:4:3: duplicate key 'n' in 'aggregate' (first at "
	    "line 2)",
	    "duplicate key in a nested mapping");
	check_file_err("lim.yaml", "where: x\nlimit: -1\n",
	    "lim.yaml:2:8: 'limit' must be a non-negative integer",
	    "negative limit");
	check_file_err("lim2.yaml", "where: x\nlimit: \"5\"\n",
	    "lim2.yaml:2:8: 'limit' must be a non-negative integer",
	    "quoted limit");
	check_file_err("sel.yaml", "select: status\n",
	    "sel.yaml:1:9: 'select' must be a list of expressions or a "
	    "mapping of column: expression",
	    "select as a scalar");
	check_file_err("sel2.yaml", "select: [a, [b]]\n",
	    "sel2.yaml:1:13: 'select' must be a list of expressions or a "
	    "mapping of column: expression",
	    "a select item that is a list");
	check_file_err("agg.yaml", "aggregate: [count()]\n",
	    "agg.yaml:1:12: 'aggregate' must be a mapping of column: "
	    "aggregate expression",
	    "aggregate as a list");
	check_file_err("where.yaml", "where: [a]\n",
	    "where.yaml:1:8: 'where' must be an expression",
	    "where as a list");
	check_file_err("dupcol.yaml", "select: [a, b, a]\n",
	    "dupcol.yaml:1:16: duplicate column 'a' in 'select' (first at "
	    "line 1)",
	    "a column twice in a select list");
	check_file_err("gbagg.yaml",
	    "group_by: n\n"
	    "aggregate: {n: count()}\n",
	    "gbagg.yaml:2:16: column 'n' is both in 'group_by' and "
	    "'aggregate' (first at line 1)",
	    "a column both grouped and aggregated");
	check_file_err("selagg.yaml",
	    "select: [a]\n"
	    "aggregate: {n: count()}\n",
	    "selagg.yaml:2:1: 'select' and 'aggregate' cannot be used "
	    "together: 'select' lists lines, 'aggregate' sums them up in "
	    "groups",
	    "select with aggregate");
	check_file_err("gb.yaml", "where: x\ngroup_by: y\n",
	    "gb.yaml:2:1: 'group_by' needs 'aggregate'",
	    "group_by without aggregate");
	check_file_err("hv.yaml", "where: x\nhaving: n > 1\n",
	    "hv.yaml:2:1: 'having' needs 'aggregate'",
	    "having without aggregate");
	check_file_err("emptyq.yaml", "name: nothing\n",
	    "emptyq.yaml:1:1: query 'nothing' is empty: it needs 'where', "
	    "'select' or 'aggregate'",
	    "a query with nothing to do");
	check_file_err("pname.yaml", "where: x\nparams: {a-b: 1}\n",
	    "pname.yaml:2:10: param name 'a-b' is not valid: use letters, "
	    "digits and '_'",
	    "param names are identifiers");
	check_file_err("pstat.yaml", "where: x\nparams: {lines: 1}\n",
	    "pstat.yaml:2:10: '$lines' is built in; choose another param "
	    "name",
	    "params may not hide $lines");
	check_file_err("pval.yaml", "where: x\nparams: {a: {b: 1}}\n",
	    "pval.yaml:2:13: param 'a' must be a scalar or a list of scalars",
	    "a mapping is not a param value");
	check_file_err("fld.yaml", "where: x\nfields: {time: []}\n",
	    "fld.yaml:2:16: field 'time' must be a list of field names or a "
	    "string \"a,b\"",
	    "an empty field list");
	check_file_err("sortbad.yaml", "where: x\nsort: {a: 1}\n",
	    "sortbad.yaml:2:7: 'sort' must be a column name or a list of "
	    "column names",
	    "sort as a mapping");
	check_file_err("top.yml", "- where: x\n",
	    "top.yml:1:1: expected a mapping of query keys (where, select, "
	    "aggregate, ...) or a report's 'queries:', found a list",
	    "a list is not a query");
	check_file_err("missing-value.yaml", "where:\n",
	    "missing-value.yaml:1:7: 'where' must be an expression",
	    "where without a value");

	/* YAML itself. */
	check_inline_err("where: a: b",
	    "-e:1:9: mapping values are not allowed in this context",
	    "libyaml's problem at its place");
	is_str(last_err.source, "where: a: b", "the YAML line is attached");
	is_int(last_err.caret_col, 9, "caret under the problem");
	put("tab.yaml", "where: x\n\tselect: [a]\n");
	got = load_err("tab.yaml");
	ok(strncmp(got, "tab.yaml:2:1: ", 14) == 0 && strstr(got, "tab"),
	    "a tab in indentation: libyaml's error at its place");
	free(got);
	check_inline_err("status >= 500",
	    "-e:1:1: expected a mapping of query keys (where, select, "
	    "aggregate, ...) or a report's 'queries:', found a scalar",
	    "an expression alone is not a query");
	check_inline_err("where: a\n---\nwhere: b\n",
	    "-e:2:1: a query file holds one YAML document; this is a "
	    "second one",
	    "one document per file");
	check_inline_err("",
	    "-e:1:1: empty query file: a query is a mapping with 'where', "
	    "'select' or 'aggregate'",
	    "an empty file");
	check_inline_err("# just a comment\n",
	    "-e:1:1: empty query file: a query is a mapping with 'where', "
	    "'select' or 'aggregate'",
	    "a file of comments is empty");
	check_file_err("utf8.yaml", "where: \xff\n",
	    "utf8.yaml:1:8: invalid leading UTF-8 octet (0xFF)",
	    "invalid UTF-8 at its byte");

	/* Hostile input. */
	check_inline_err("where: *x",
	    "-e:1:8: aliases (*x) are not supported in query files",
	    "aliases are refused");
	check_inline_err("params: &p {a: 1}\nwhere: x\n",
	    "-e:1:9: anchors (&p) are not supported in query files",
	    "anchors are refused");
	check_inline_err("where: !foo x",
	    "-e:1:8: tags (!foo) are not supported in query files",
	    "unknown tags are refused");
	/* The root mapping is level 1: the 64th '[' (column 71) is the
	 * 65th level. */
	deep = xmalloc(7 + 200 + 1);
	memcpy(deep, "where: ", 7);
	for (i = 0; i < 100; i++) {
		deep[7 + i] = '[';
		deep[107 + i] = ']';
	}
	deep[207] = '\0';
	check_inline_err(deep, "-e:1:71: YAML nested deeper than 64 levels",
	    "nesting is bounded");
	free(deep);
}

static void
test_big(void)
{
	struct query_list l = { 0 };
	struct diag err = { 0 };
	struct buf b = BUF_INIT;
	struct query_param *p;
	char *got;
	size_t i;

	/* 1.1 MiB: a long where and a list of 200000 items. */
	buf_adds(&b, "where: \"");
	for (i = 0; i < 700000; i++)
		buf_addc(&b, 'a');
	buf_adds(&b, "\"\nparams:\n  many: [");
	for (i = 0; i < 200000; i++)
		buf_adds(&b, i ? ",7" : "7");
	buf_adds(&b, "]\n");
	ok(b.len > (1u << 20), "the big document is over 1 MiB");
	if (query_load_inline(buf_str(&b), &search, &l, &err) == 0) {
		is_int(l.items[0]->where->len, 700000, "a long expression");
		p = query_find_param(l.items[0], "many", 4);
		ok(p && p->value.kind == VALUE_LIST &&
		    p->value.u.list.n == 200000 &&
		    p->value.u.list.items[199999].u.i == 7,
		    "a long list");
	} else
		ok(0, "a big document loads");
	query_list_release(&l);
	diag_release(&err);

	/* Reports copy params into their queries: bounded. */
	buf_reset(&b);
	buf_adds(&b, "where: x\nparams:\n");
	for (i = 1; i <= 257; i++)
		buf_printf(&b, "  p%zu: 1\n", i);
	got = inline_err(buf_str(&b));
	is_str(got, "-e:259:3: 'params' has more than 256 entries",
	    "params are bounded, the entry past the bound is named");
	free(got);
	buf_reset(&b);
	buf_adds(&b, "name: r\nqueries:\n");
	for (i = 1; i <= 257; i++)
		buf_adds(&b, "  - where: x\n");
	got = inline_err(buf_str(&b));
	is_str(got, "-e:259:5: report 'r' has more than 256 queries",
	    "a report's queries are bounded");
	free(got);
	buf_reset(&b);
	buf_adds(&b, "name: r\nparams:\n  big: [");
	for (i = 0; i < 200000; i++)
		buf_adds(&b, i ? ",7" : "7");
	buf_adds(&b, "]\nqueries:\n");
	for (i = 1; i <= 200; i++)
		buf_adds(&b, "  - where: x\n");
	got = inline_err(buf_str(&b));
	ok(strstr(got, "report 'r' grows over 64 MiB with its params and "
	    "fields copied into its queries") != NULL,
	    "a big report param copied into many queries is refused");
	free(got);
	buf_release(&b);
}

static void
test_lookup(void)
{
	struct query_list l;
	struct query *q;
	char *got;

	if ((q = load_one("a", &l)) != NULL)
		is_str(q->file, "d1/a.yml",
		    "the first directory wins, even with .yml");
	else
		ok(0, "a loads");
	query_list_release(&l);
	if ((q = load_one("b", &l)) != NULL)
		is_str(q->file, "d1/b.yaml",
		    "in a directory .yaml before .yml");
	else
		ok(0, "b loads");
	query_list_release(&l);
	if ((q = load_one("c", &l)) != NULL)
		is_str(q->file, "d2/c.yaml", "later directories are searched");
	else
		ok(0, "c loads");
	query_list_release(&l);
	if ((q = load_one("d2/a.yaml", &l)) != NULL)
		is_str(q->description, "a from d2", "a path is not looked up");
	else
		ok(0, "d2/a.yaml loads");
	query_list_release(&l);

	got = load_err("erors");
	is_str(got, "unknown query 'erors' (did you mean 'errors'?); "
	    "'logq --list' shows the built-in queries",
	    "unknown name, suggested from the search path");
	free(got);
	ok(last_err.file == NULL, "an unknown name has no file place");
	is_int(last_err.status, LOGQ_EXIT_USAGE, "an unknown name is exit 2");
	got = load_err("zzzzzz");
	is_str(got, "unknown query 'zzzzzz'; 'logq --list' shows the built-in "
	    "queries", "no suggestion when nothing is close");
	free(got);
	got = load_err("dir");
	is_str(got, "unknown query 'dir'; 'logq --list' shows the built-in "
	    "queries", "a directory named NAME.yaml is not a query");
	free(got);
	got = load_err("missing.yaml");
	is_str(got, "cannot read query file 'missing.yaml': No such file or "
	    "directory", "a missing path");
	free(got);
	is_int(last_err.status, LOGQ_EXIT_USAGE,
	    "a query file that cannot be read is exit 2");
	got = load_err("d2");
	is_str(got, "unknown query 'd2'; 'logq --list' shows the built-in "
	    "queries", "a bare directory name is a query name");
	free(got);
	got = load_err("d2/dir.yaml");
	is_str(got, "cannot read query file 'd2/dir.yaml': Is a directory",
	    "a directory path");
	free(got);
}

static void
collect(const char *name, const char *description, const char *path,
    void *ctx)
{
	buf_printf(ctx, "%s|%s|%s\n", name, description ? description : "-",
	    path);
}

static void
test_list_builtin(void)
{
	struct buf b = BUF_INIT;

	query_list_builtin(&search, collect, &b);
	is_str(buf_str(&b),
	    "a|a from d1|d1/a.yml\n"
	    "b|b yaml|d1/b.yaml\n"
	    "broken|-|d1/broken.yaml\n"
	    "c|c from d2|d2/c.yaml\n"
	    "errors|error lines|d1/errors.yaml\n"
	    "errs|-|d1/errs.yaml\n"
	    "rep|a report|d2/rep.yaml\n",
	    "built-ins sorted by name, first of a name wins, broken listed");
	buf_release(&b);
}

int
main(void)
{
	char tmpl[] = "/tmp/logq-query-test-XXXXXX";
	char *dir, *cmd;
	struct query_list l = { 0 };

	if ((dir = mkdtemp(tmpl)) == NULL || chdir(dir) == -1) {
		perror("mkdtemp");
		return 99;
	}
	mkdir("d1", 0777);
	mkdir("d2", 0777);
	mkdir("d2/dir.yaml", 0777);
	mkdir("lib", 0777);
	mkdir("reports", 0777);
	put("d1/a.yml", "description: a from d1\nwhere: x\n");
	put("d2/a.yaml", "description: a from d2\nwhere: x\n");
	put("d1/b.yaml", "description: b yaml\nwhere: x\n");
	put("d1/b.yml", "description: b yml\nwhere: x\n");
	put("d2/c.yaml", "description: c from d2\nwhere: x\n");
	put("d1/errors.yaml", "description: error lines\nwhere: x\n");
	put("d1/broken.yaml", "description: broken\nwhere: [\n");
	put("d1/notes.txt", "not a query\n");
	put("d2/.hidden.yaml", "description: hidden\nwhere: x\n");
	put("d2/rep.yaml", "description: a report\nqueries: [errors]\n");

	test_every_key();
	test_forms();
	test_inline();
	test_src_col();
	test_param_typing();
	test_param_set_number();
	test_report();
	test_nested_reports();
	test_cycles();
	test_errors();
	test_big();
	test_lookup();
	test_list_builtin();

	query_list_release(&l);
	diag_release(&last_err);
	if (chdir("/") == 0) {
		cmd = xasprintf("rm -rf '%s'", dir);
		if (system(cmd) != 0)
			printf("# could not remove %s\n", dir);
		free(cmd);
	}
	return done_testing();
}
