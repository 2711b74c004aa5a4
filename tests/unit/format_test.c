/* SPDX-License-Identifier: MIT */
/* format_test.c - prometheus, csv, tsv, ndjson, json, markdown, junit
 *
 * Rows are built by hand and written into a memory stream; every
 * expected text below was written by hand from the formats' own rules
 * (Prometheus text exposition 0.0.4, RFC 4180, JSON, GitHub tables,
 * XML 1.0), not copied from logq's output. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "format.h"
#include "util.h"
#include "value.h"
#include "tap.h"

#define S(lit)	value_str((lit), sizeof(lit) - 1)

static const struct format_options plain_opts = { 0 };

/* An output in memory. */
struct out {
	FILE		*fp;
	char		*text;
	size_t		 len;
};

static struct formatter *
start(struct out *o, enum format_kind kind, const struct format_query *qs,
    size_t n)
{
	struct diag err = { 0 };
	struct formatter *f;

	o->text = NULL;
	o->len = 0;
	o->fp = open_memstream(&o->text, &o->len);
	if (o->fp == NULL) {
		perror("open_memstream");
		exit(99);
	}
	f = format_new(kind, o->fp, qs, n, &plain_opts, &err);
	if (f == NULL) {
		printf("# format_new: %s\n", err.msg);
		exit(99);
	}
	return f;
}

/* Finishes F and returns the text (owned by O until out_free). */
static const char *
finish(struct out *o, struct formatter *f, const struct format_stats *st,
    const struct format_assertion *a, size_t na)
{
	struct format_stats zero = { 0, 0, 0, 0, "exact", 0 };

	if (format_finish(f, st ? st : &zero, a, na) != 0)
		printf("# format_finish failed\n");
	format_free(f);
	fclose(o->fp);
	return o->text;
}

static void
out_free(struct out *o)
{
	free(o->text);
}

static int
contains(const char *hay, const char *needle)
{
	return hay != NULL && strstr(hay, needle) != NULL;
}

/* The lines of TEXT not starting with '#', joined with "\n". */
static char *
sample_lines(const char *text)
{
	struct buf b = BUF_INIT;
	const char *p = text, *nl;

	while (p && *p) {
		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p);
		if (*p != '#')
			buf_add(&b, p, (size_t)(nl - p + (*nl ? 1 : 0)));
		p = *nl ? nl + 1 : nl;
	}
	return buf_take(&b);
}

/* Whether LINE (a whole line, with "\n") is in TEXT. */
static int
has_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	const char *p = text;

	while ((p = strstr(p, line)) != NULL) {
		if (p == text || p[-1] == '\n')
			return 1;
		p += n;
	}
	return 0;
}

/* ---------------------------------------------------------------- */

static int
name_char(char c, int first, int colon)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	    (colon && c == ':') || (!first && c >= '0' && c <= '9');
}

/*
 * Whether every sample line of TEXT is `name{label="value",...} number`
 * with a metric name [a-zA-Z_:][a-zA-Z0-9_:]* and label names
 * [a-zA-Z_][a-zA-Z0-9_]* (Prometheus data model).
 */
static int
valid_exposition(const char *text)
{
	const char *p = text;

	while (*p) {
		const char *q = p;

		if (*p == '#') {
			p = strchr(p, '\n');
			if (p == NULL)
				return 0;
			p++;
			continue;
		}
		if (!name_char(*q, 1, 1))
			return 0;
		for (q++; name_char(*q, 0, 1); q++)
			;
		if (*q == '{') {
			q++;
			for (;;) {
				if (!name_char(*q, 1, 0))
					return 0;
				for (q++; name_char(*q, 0, 0); q++)
					;
				if (q[0] != '=' || q[1] != '"')
					return 0;
				for (q += 2; *q != '"'; q++) {
					if (*q == '\n' || *q == '\0')
						return 0;
					if (*q == '\\') {
						q++;
						if (*q != '\\' && *q != '"' &&
						    *q != 'n')
							return 0;
					}
				}
				q++;
				if (*q == ',') {
					q++;
					continue;
				}
				if (*q != '}')
					return 0;
				q++;
				break;
			}
		}
		if (*q != ' ')
			return 0;
		for (q++; *q && *q != '\n'; q++)
			if (!strchr("0123456789.eE+-", *q))
				return 0;
		if (*q != '\n')
			return 0;
		p = q + 1;
	}
	return 1;
}

static void
test_prometheus(void)
{
	static const char *const cols[] = { "tenant", "2xx", "share", "note",
		"maybe", "allnull", "flag" };
	static const struct format_query q = { "tenant-volume", cols, 7, 1,
		0, 1, SIZE_MAX };
	/* tenant: a \ b " c newline d */
	struct value r1[7] = { S("a\\b\"c\nd"), value_int(5), value_real(0.25),
		S("x"), value_null(), value_null(), value_bool(1) };
	struct value r2[7] = { S("plain"), value_int(7), value_real(0.5),
		S("y"), value_int(3), value_null(), value_bool(0) };
	struct format_stats st = { 10, 8, 2, 0, "exact", 0 };
	struct formatter *f;
	struct out o;
	const char *text;
	char *samples;
	const char *t2xx, *s2xx;

	f = start(&o, FORMAT_PROMETHEUS, &q, 1);
	format_row(f, 0, r1, NULL);
	format_row(f, 0, r2, NULL);
	format_query_done(f, 0);
	text = finish(&o, f, &st, NULL, 0);
	samples = sample_lines(text);
	is_str(samples,
	    "logq_tenant_volume_2xx{tenant=\"a\\\\b\\\"c\\nd\"} 5\n"
	    "logq_tenant_volume_2xx{tenant=\"plain\"} 7\n"
	    "logq_tenant_volume_share{tenant=\"a\\\\b\\\"c\\nd\"} 0.25\n"
	    "logq_tenant_volume_share{tenant=\"plain\"} 0.5\n"
	    "logq_tenant_volume_maybe{tenant=\"plain\"} 3\n"
	    "logq_lines_total{queries=\"tenant-volume\"} 10\n"
	    "logq_skipped_lines_total{queries=\"tenant-volume\"} 2\n",
	    "prometheus samples: escaped labels, sanitized names, "
	    "non-numeric and null skipped, the counters last, labelled "
	    "with the query");
	free(samples);
	ok(has_line(text, "# TYPE logq_tenant_volume_2xx gauge\n") &&
	    has_line(text, "# TYPE logq_tenant_volume_share gauge\n") &&
	    has_line(text, "# TYPE logq_tenant_volume_maybe gauge\n"),
	    "each numeric column has a TYPE gauge line");
	t2xx = strstr(text, "# TYPE logq_tenant_volume_2xx gauge\n");
	s2xx = strstr(text, "\nlogq_tenant_volume_2xx{");
	ok(t2xx != NULL && s2xx != NULL && t2xx < s2xx,
	    "the TYPE line comes before the metric's samples");
	ok(has_line(text, "# TYPE logq_lines_total counter\n") &&
	    has_line(text, "# TYPE logq_skipped_lines_total counter\n"),
	    "the two totals are typed counters");
	ok(!contains(text, "_note") && !contains(text, "_allnull") &&
	    !contains(text, "_flag"),
	    "string, all-null and boolean columns make no metric");
	ok(valid_exposition(text), "the whole text is valid exposition");
	out_free(&o);
}

static void
test_prometheus_names(void)
{
	static const char *const c1[] = { "http-method", "1st", "n" };
	static const char *const c2[] = { "n.total" };
	static const struct format_query qs[2] = {
		{ "by method", c1, 3, 2, 0, 1, SIZE_MAX },
		{ "q2", c2, 1, 0, 0, 1, SIZE_MAX },
	};
	struct value r1[3] = { S("GET"), value_int(1), value_int(4) };
	struct value r2[1] = { value_real(1.5) };
	struct format_stats st = { 3, 3, 0, 0, "exact", 0 };
	struct formatter *f;
	struct out o;
	const char *text, *last;

	f = start(&o, FORMAT_PROMETHEUS, qs, 2);
	format_row(f, 0, r1, NULL);
	format_row(f, 1, r2, NULL);
	format_query_done(f, 0);
	format_query_done(f, 1);
	text = finish(&o, f, &st, NULL, 0);
	ok(contains(text, "\nlogq_by_method_n{http_method=\"GET\","),
	    "query 'by method' -> logq_by_method_n; label http-method -> "
	    "http_method");
	ok(has_line(text, "logq_q2_n_total 1.5\n"),
	    "no group columns: a sample without braces; '.' -> '_'");
	ok(valid_exposition(text),
	    "label names are valid: [a-zA-Z_][a-zA-Z0-9_]* (column '1st')");
	last = strstr(text, "logq_skipped_lines_total{queries=\"by method,"
	    "q2\"} 0\n");
	ok(last != NULL && last[strlen("logq_skipped_lines_total{queries="
	    "\"by method,q2\"} 0\n")] == '\0',
	    "two queries: the counters once, at the very end, labelled with "
	    "both queries");
	last = strstr(text, "logq_lines_total{queries=\"by method,q2\"} 3\n");
	ok(last != NULL && strstr(last + 1, "logq_lines_total") == NULL,
	    "two queries: logq_lines_total appears once");
	out_free(&o);
}

/* ---------------------------------------------------------------- */

static void
test_csv(void)
{
	static const char *const cols[] = { "a", "b" };
	static const struct format_query q = { "q", cols, 2, 0, 0, 0,
		SIZE_MAX };
	struct value rows[][2] = {
		{ S("x,y"), S("say \"hi\"") },
		{ S("l1\r\nl2"), S(" lead") },
		{ S("trail "), S("plain") },
		{ value_int(5), value_null() },
		{ value_real(0.1), value_real(2.5) },
		{ S(""), value_bool(1) },
		{ S("lone\rcr"), S("lf\nonly") },
	};
	struct formatter *f;
	struct out o;
	const char *text;
	size_t i;

	f = start(&o, FORMAT_CSV, &q, 1);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		format_row(f, 0, rows[i], NULL);
	format_query_done(f, 0);
	text = finish(&o, f, NULL, NULL, 0);
	is_str(text,
	    "a,b\n"
	    "\"x,y\",\"say \"\"hi\"\"\"\n"
	    "\"l1\r\nl2\",\" lead\"\n"
	    "\"trail \",plain\n"
	    "5,\n"
	    "0.1,2.5\n"
	    ",true\n"
	    "\"lone\rcr\",\"lf\nonly\"\n",
	    "csv: comma, quote, CR/LF and edge blanks quoted; null empty");
	out_free(&o);

	/* No rows: the header alone. */
	f = start(&o, FORMAT_CSV, &q, 1);
	format_query_done(f, 0);
	text = finish(&o, f, NULL, NULL, 0);
	is_str(text, "a,b\n", "csv without rows: the header");
	out_free(&o);

	/* Two queries: each row starts with its query's name. */
	{
		static const char *const c1[] = { "n" };
		static const char *const c2[] = { "m", "k" };
		static const struct format_query qs[2] = {
			{ "one", c1, 1, 0, 0, 1, SIZE_MAX },
			{ "two,b", c2, 2, 0, 0, 1, SIZE_MAX },
		};
		struct value a[1] = { value_int(1) };
		struct value b[2] = { S("x"), value_int(2) };

		f = start(&o, FORMAT_CSV, qs, 2);
		format_row(f, 0, a, NULL);
		format_query_done(f, 0);
		format_row(f, 1, b, NULL);
		format_query_done(f, 1);
		text = finish(&o, f, NULL, NULL, 0);
		ok(has_line(text, "one,1\n"), "csv, two queries: 'one,1'");
		ok(has_line(text, "\"two,b\",x,2\n"),
		    "csv, two queries: the query name is quoted too");
		out_free(&o);
	}
}

static void
test_tsv(void)
{
	static const char *const cols[] = { "a", "b\tc" };
	static const struct format_query q = { "q", cols, 2, 0, 0, 0,
		SIZE_MAX };
	struct value r1[2] = { S("t\tx"), S("l1\nl2\r") };
	struct value r2[2] = { S("c\\d"), value_int(3) };
	struct value r3[2] = { S("a,\"b\""), value_null() };
	struct formatter *f;
	struct out o;
	const char *text;

	f = start(&o, FORMAT_TSV, &q, 1);
	format_row(f, 0, r1, NULL);
	format_row(f, 0, r2, NULL);
	format_row(f, 0, r3, NULL);
	format_query_done(f, 0);
	text = finish(&o, f, NULL, NULL, 0);
	is_str(text,
	    "a\tb\\tc\n"
	    "t\\tx\tl1\\nl2\\r\n"
	    "c\\\\d\t3\n"
	    "a,\"b\"\t\n",
	    "tsv: tab, LF, CR, backslash escaped; no quoting; null empty");
	out_free(&o);
}

static void
test_ndjson(void)
{
	static const char *const cols[] = { "a", "b" };
	static const struct format_query q = { "q\"1", cols, 2, 0, 0, 0,
		SIZE_MAX };
	struct value r1[2] = { S("x\ny"), value_int(1) };
	struct value r2[2] = { value_null(), value_real(0.5) };
	struct formatter *f;
	struct out o;
	const char *text;

	f = start(&o, FORMAT_NDJSON, &q, 1);
	format_row(f, 0, r1, NULL);
	format_row(f, 0, r2, NULL);
	text = finish(&o, f, NULL, NULL, 0);
	is_str(text,
	    "{\"query\":\"q\\\"1\",\"a\":\"x\\ny\",\"b\":1}\n"
	    "{\"query\":\"q\\\"1\",\"a\":null,\"b\":0.5}\n",
	    "ndjson: one object a row, with the query name");
	out_free(&o);
}

/* ---------------------------------------------------------------- */

static void
test_json(void)
{
	static const char *const c0[] = { "route", "n" };
	static const char *const c1[] = { "msg" };
	static const struct format_query qs[2] = {
		{ "errors", c0, 2, 1, 0, 1, SIZE_MAX },
		{ "plain", c1, 1, 0, 0, 0, SIZE_MAX },
	};
	struct value r0[2] = { S("/a\"q"), value_int(3) };
	struct value r1[2] = { S("/b"), value_real(2.5) };
	struct value r2[1] = { S("hi\nthere") };
	struct format_stats st = { 10, 9, 1, 2, "approx", 3 };
	struct format_assertion as[2];
	json_t *k0 = json_pack("{s:s}", "route", "/a\"q");
	json_t *v0 = json_pack("{s:i}", "n", 3);
	json_t *k1 = json_pack("{s:s}", "route", "/b");
	json_t *v1 = json_pack("{s:f}", "n", 2.5);
	struct formatter *f;
	struct out o;
	const char *text;
	json_t *doc, *q0, *q1, *a, *x;
	json_error_t jerr;

	memset(as, 0, sizeof(as));
	as[0].query = 0;
	as[0].expr = "n < 3";
	as[0].passed = 0;
	as[0].key = k0;
	as[0].values = v0;
	as[0].detail = "n=3, route=/a\"q";
	as[0].message = "assertion failed in errors: n < 3 (n=3, route=/a\"q)";
	as[1] = as[0];
	as[1].passed = 1;
	as[1].key = k1;
	as[1].values = v1;
	as[1].detail = "n=2.5, route=/b";

	f = start(&o, FORMAT_JSON, qs, 2);
	format_row(f, 0, r0, NULL);
	format_row(f, 1, r2, NULL);	/* rows of query 1 come between */
	format_row(f, 0, r1, NULL);
	format_query_done(f, 0);
	format_query_done(f, 1);
	text = finish(&o, f, &st, as, 2);
	doc = json_loads(text, 0, &jerr);
	ok(doc != NULL && json_is_object(doc), "json: one valid document");
	if (doc == NULL) {
		printf("# %s: %s\n", jerr.text, text);
		doc = json_object();
	}
	is_int(json_object_size(doc), 3,
	    "json: top level has queries, stats, percentiles");
	x = json_object_get(doc, "queries");
	is_int(json_is_array(x) ? (long)json_array_size(x) : -1L, 2,
	    "json: queries is an array of 2");
	q0 = json_array_get(x, 0);
	q1 = json_array_get(x, 1);
	is_str(json_string_value(json_object_get(q0, "name")), "errors",
	    "json: queries[0].name");
	x = json_object_get(q0, "columns");
	ok(json_array_size(x) == 2 && strcmp(json_string_value(
	    json_array_get(x, 0)), "route") == 0 &&
	    strcmp(json_string_value(json_array_get(x, 1)), "n") == 0,
	    "json: columns in order");
	x = json_object_get(q0, "rows");
	is_int(json_array_size(x), 2, "json: query 0 keeps its two rows "
	    "together");
	is_str(json_string_value(json_object_get(json_array_get(x, 0),
	    "route")), "/a\"q", "json: a row is an object keyed by column");
	ok(json_is_integer(json_object_get(json_array_get(x, 0), "n")) &&
	    json_integer_value(json_object_get(json_array_get(x, 0), "n")) ==
	    3, "json: an int cell is a JSON integer");
	ok(json_is_real(json_object_get(json_array_get(x, 1), "n")) &&
	    json_real_value(json_object_get(json_array_get(x, 1), "n")) ==
	    2.5, "json: a real cell is 2.5");
	a = json_object_get(q0, "assertions");
	is_int(json_is_array(a) ? (long)json_array_size(a) : -1L, 2,
	    "json: query 0 has its 2 assertion outcomes");
	x = json_array_get(a, 0);
	ok(json_is_string(json_object_get(x, "assert")) &&
	    strcmp(json_string_value(json_object_get(x, "assert")),
	    "n < 3") == 0 && json_is_false(json_object_get(x, "passed")),
	    "json: assertion 0: its expression, passed false");
	is_str(json_string_value(json_object_get(json_object_get(x, "key"),
	    "route")), "/a\"q", "json: assertion 0's key");
	ok(json_integer_value(json_object_get(json_object_get(x, "values"),
	    "n")) == 3, "json: assertion 0's values");
	ok(json_is_true(json_object_get(json_array_get(a, 1), "passed")),
	    "json: assertion 1 passed true");
	is_str(json_string_value(json_object_get(q1, "name")), "plain",
	    "json: queries[1].name");
	x = json_object_get(q1, "rows");
	ok(json_array_size(x) == 1 && strcmp(json_string_value(
	    json_object_get(json_array_get(x, 0), "msg")), "hi\nthere") == 0,
	    "json: query 1's row, newline intact");
	x = json_object_get(q1, "assertions");
	ok(json_is_array(x) && json_array_size(x) == 0,
	    "json: a query without assertions has []");
	x = json_object_get(doc, "stats");
	ok(json_integer_value(json_object_get(x, "lines")) == 10 &&
	    json_integer_value(json_object_get(x, "json")) == 9 &&
	    json_integer_value(json_object_get(x, "skipped")) == 1 &&
	    json_integer_value(json_object_get(x, "joined")) == 3 &&
	    json_integer_value(json_object_get(x, "repaired")) == 2,
	    "json: stats lines, json, skipped, joined, repaired");
	is_str(json_string_value(json_object_get(doc, "percentiles")),
	    "approx", "json: percentiles at the top level");
	json_decref(doc);
	out_free(&o);

	/* No queries' rows at all: still one valid document. */
	f = start(&o, FORMAT_JSON, qs, 1);
	format_query_done(f, 0);
	text = finish(&o, f, NULL, NULL, 0);
	doc = json_loads(text, 0, &jerr);
	ok(doc != NULL && json_array_size(json_object_get(json_array_get(
	    json_object_get(doc, "queries"), 0), "rows")) == 0,
	    "json: a query without rows has rows []");
	json_decref(doc);
	out_free(&o);
	json_decref(k0);
	json_decref(v0);
	json_decref(k1);
	json_decref(v1);
}

/* ---------------------------------------------------------------- */

/* The cells of a markdown table line, split on '|' not after '\',
 * trimmed, joined with TAB; NULL if the line does not start with '|'. */
static char *
md_cells(const char *line, size_t len)
{
	struct buf b = BUF_INIT, c = BUF_INIT;
	size_t i, n = 0;

	if (len == 0 || line[0] != '|')
		return NULL;
	for (i = 1; i < len; i++) {
		if (line[i] == '|' && line[i - 1] != '\\') {
			size_t s = 0, e = c.len;

			while (s < e && c.ptr[s] == ' ')
				s++;
			while (e > s && c.ptr[e - 1] == ' ')
				e--;
			if (n++)
				buf_addc(&b, '\t');
			buf_add(&b, c.ptr + s, e - s);
			buf_reset(&c);
		} else
			buf_addc(&c, line[i]);
	}
	buf_release(&c);
	return buf_take(&b);
}

/* Line N (0-based) of TEXT as table cells, or NULL. */
static char *
md_line(const char *text, int n)
{
	const char *p = text, *nl;

	for (; n > 0 && p; n--)
		p = (p = strchr(p, '\n')) ? p + 1 : NULL;
	if (p == NULL)
		return NULL;
	nl = strchr(p, '\n');
	return md_cells(p, nl ? (size_t)(nl - p) : strlen(p));
}

static int
dashes(const char *s, size_t n, int colon)
{
	size_t i, d = 0;

	for (i = 0; i < n && s[i] == '-'; i++)
		d++;
	if (colon && i < n && s[i] == ':')
		i++;
	else if (colon)
		return 0;
	return i == n && d >= (colon ? 2 : 3);
}

static void
test_markdown(void)
{
	static const char *const cols[] = { "route", "p99" };
	static const struct format_query q = { "lat", cols, 2, 1, 0, 1,
		SIZE_MAX };
	struct value r1[2] = { S("a|b"), value_int(812) };
	struct value r2[2] = { S("/x"), value_real(12.5) };
	struct format_assertion a;
	struct formatter *f;
	struct out o;
	const char *text;
	char *cells, *tab;
	int i, header = -1;

	memset(&a, 0, sizeof(a));
	a.query = 0;
	a.expr = "p99 < 500";
	a.passed = 0;
	a.detail = "p99=812, route=a|b";
	a.message = "assertion failed in lat: p99 < 500 (p99=812, route=a|b)";
	f = start(&o, FORMAT_MARKDOWN, &q, 1);
	format_row(f, 0, r1, NULL);
	format_row(f, 0, r2, NULL);
	format_set_approx(f, 0);
	format_query_done(f, 0);
	text = finish(&o, f, NULL, &a, 1);
	ok(strncmp(text, "### lat\n", 8) == 0, "markdown: a ### heading");
	for (i = 0; i < 6 && header < 0; i++) {
		cells = md_line(text, i);
		if (cells && strcmp(cells, "route\tp99") == 0)
			header = i;
		free(cells);
	}
	ok(header > 0, "markdown: a header row | route | p99 |");
	cells = md_line(text, header + 1);
	tab = cells ? strchr(cells, '\t') : NULL;
	ok(tab && dashes(cells, (size_t)(tab - cells), 0),
	    "markdown: a text column's rule is dashes");
	ok(tab && dashes(tab + 1, strlen(tab + 1), 1),
	    "markdown: a numeric column's rule ends ':' (---:)");
	free(cells);
	cells = md_line(text, header + 2);
	is_str(cells, "a\\|b\t812", "markdown: '|' in a cell escaped as \\|");
	free(cells);
	cells = md_line(text, header + 3);
	is_str(cells, "/x\t12.5", "markdown: the second row");
	free(cells);
	ok(contains(text, "approx"), "markdown says the percentiles are "
	    "approximate");
	ok(contains(text, "p99 < 500") && contains(text, "p99=812"),
	    "markdown lists the failed assertion with its values");
	out_free(&o);
}

/* ---------------------------------------------------------------- */

/* A small XML 1.0 reader, enough to check well-formedness and read
 * attributes: elements in document order with decoded attributes. */
struct xel {
	char	*name;
	char	*attr_name[8];
	char	*attr_val[8];
	int	 nattr;
	int	 parent;
};

struct xdoc {
	struct xel	 el[64];
	int		 n;
};

/* Decodes one reference at *P (after '&') into B; 0 if not valid. */
static int
xml_ref(const char **p, struct buf *b)
{
	static const struct { const char *name; char c; } ents[] = {
		{ "lt;", '<' }, { "gt;", '>' }, { "amp;", '&' },
		{ "quot;", '"' }, { "apos;", '\'' },
	};
	size_t i;

	for (i = 0; i < 5; i++)
		if (strncmp(*p, ents[i].name, strlen(ents[i].name)) == 0) {
			buf_addc(b, ents[i].c);
			*p += strlen(ents[i].name);
			return 1;
		}
	if (**p == '#') {
		char *end;
		long c = (*p)[1] == 'x' ? strtol(*p + 2, &end, 16) :
		    strtol(*p + 1, &end, 10);

		if (*end != ';' || c <= 0 || c > 127)
			return 0;
		buf_addc(b, (char)c);
		*p = end + 1;
		return 1;
	}
	return 0;
}

static int
xml_parse(const char *s, struct xdoc *d)
{
	int stack[64], depth = 0;
	const char *p = s;

	d->n = 0;
	if (strncmp(p, "<?xml", 5) == 0) {
		p = strstr(p, "?>");
		if (p == NULL)
			return 0;
		p += 2;
	}
	while (*p) {
		if (*p == '&') {
			struct buf b = BUF_INIT;
			int okr;

			p++;
			okr = xml_ref(&p, &b);
			buf_release(&b);
			if (!okr)
				return 0;
			continue;
		}
		if (*p != '<') {
			p++;
			continue;
		}
		p++;
		if (*p == '/') {	/* end tag */
			size_t n;

			p++;
			if (depth == 0)
				return 0;
			n = strlen(d->el[stack[depth - 1]].name);
			if (strncmp(p, d->el[stack[depth - 1]].name, n) != 0 ||
			    p[n] != '>')
				return 0;
			p += n + 1;
			depth--;
			continue;
		}
		{
			struct xel *e;
			const char *st = p;

			if (d->n == 64 || depth == 64)
				return 0;
			e = &d->el[d->n];
			memset(e, 0, sizeof(*e));
			e->parent = depth ? stack[depth - 1] : -1;
			while (*p && *p != ' ' && *p != '>' && *p != '/')
				p++;
			if (p == st)
				return 0;
			e->name = xstrndup(st, (size_t)(p - st));
			d->n++;
			for (;;) {
				struct buf b = BUF_INIT;

				while (*p == ' ' || *p == '\n')
					p++;
				if (*p == '>') {
					p++;
					stack[depth++] = d->n - 1;
					break;
				}
				if (p[0] == '/' && p[1] == '>') {
					p += 2;
					break;
				}
				st = p;
				while (*p && *p != '=' && *p != ' ')
					p++;
				if (p == st || p[0] != '=' || p[1] != '"' ||
				    e->nattr == 8)
					return 0;
				e->attr_name[e->nattr] = xstrndup(st,
				    (size_t)(p - st));
				for (p += 2; *p != '"'; p++) {
					if (*p == '\0' || *p == '<') {
						buf_release(&b);
						e->attr_val[e->nattr] = NULL;
						e->nattr++;
						return 0;
					}
					if (*p == '&') {
						p++;
						if (!xml_ref(&p, &b)) {
							buf_release(&b);
							e->nattr++;
							return 0;
						}
						p--;
					} else
						buf_addc(&b, *p);
				}
				p++;
				e->attr_val[e->nattr++] = buf_take(&b);
			}
		}
	}
	return depth == 0 && d->n > 0;
}

static void
xml_free(struct xdoc *d)
{
	int i, j;

	for (i = 0; i < d->n; i++) {
		free(d->el[i].name);
		for (j = 0; j < d->el[i].nattr; j++) {
			free(d->el[i].attr_name[j]);
			free(d->el[i].attr_val[j]);
		}
	}
	d->n = 0;
}

static const char *
xattr(const struct xel *e, const char *name)
{
	int i;

	for (i = 0; i < e->nattr; i++)
		if (strcmp(e->attr_name[i], name) == 0)
			return e->attr_val[i];
	return NULL;
}

static void
test_junit(void)
{
	static const char *const c0[] = { "x" };
	static const char *const c1[] = { "m" };
	static const struct format_query qs[2] = {
		{ "a<b&\"c'd", c0, 1, 0, 0, 1, SIZE_MAX },
		{ "ok", c1, 1, 0, 0, 1, SIZE_MAX },
	};
	struct value r0[1] = { value_int(7) };
	struct format_assertion as[2];
	struct formatter *f;
	struct out o;
	const char *text;
	struct xdoc d;
	int i, ncase = 0, nfail = 0, failing = -1, suite0 = -1, suite1 = -1,
	    root = -1;

	memset(as, 0, sizeof(as));
	as[0].query = 0;
	as[0].expr = "x < 5 & y > \"z\"";
	as[0].passed = 0;
	as[0].detail = "x=7";
	as[0].message = "assertion failed in a<b&\"c'd: x < 5 & y > \"z\" "
	    "(x=7)";
	as[1].query = 0;
	as[1].expr = "x >= 0";
	as[1].passed = 1;
	as[1].detail = "x=7";
	as[1].message = "";
	f = start(&o, FORMAT_JUNIT, qs, 2);
	format_row(f, 0, r0, NULL);
	format_query_done(f, 0);
	format_query_done(f, 1);
	text = finish(&o, f, NULL, as, 2);
	ok(strncmp(text, "<?xml", 5) == 0, "junit: an XML declaration");
	ok(xml_parse(text, &d), "junit: well-formed, every <, & and \" "
	    "escaped");
	for (i = 0; i < d.n; i++) {
		if (strcmp(d.el[i].name, "testsuites") == 0)
			root = i;
		if (strcmp(d.el[i].name, "testsuite") == 0) {
			if (suite0 < 0)
				suite0 = i;
			else
				suite1 = i;
		}
		if (strcmp(d.el[i].name, "testcase") == 0)
			ncase++;
		if (strcmp(d.el[i].name, "failure") == 0) {
			nfail++;
			failing = d.el[i].parent;
		}
	}
	ok(root == 0, "junit: the root is <testsuites>");
	is_str(suite0 >= 0 ? xattr(&d.el[suite0], "name") : NULL, "a<b&\"c'd",
	    "junit: the suite name reads back as the query name");
	is_str(root >= 0 ? xattr(&d.el[root], "tests") : NULL, "3",
	    "junit: tests=3 (2 assertions, 1 query without)");
	is_str(root >= 0 ? xattr(&d.el[root], "failures") : NULL, "1",
	    "junit: failures=1");
	is_int(ncase, 3, "junit: three test cases");
	is_int(nfail, 1, "junit: one failure element");
	ok(failing >= 0 && strcmp(d.el[failing].name, "testcase") == 0 &&
	    contains(xattr(&d.el[failing], "name"), "x < 5 & y > \"z\""),
	    "junit: the failing case's name reads back as the expression");
	ok(failing >= 0 && failing + 1 < d.n && contains(xattr(&d.el[failing +
	    1], "message"), "assertion failed in a<b&\"c'd"),
	    "junit: the failure message reads back intact");
	is_str(suite1 >= 0 ? xattr(&d.el[suite1], "tests") : NULL, "1",
	    "junit: a query without assertions is one case");
	ok(suite1 >= 0 && suite1 + 1 < d.n && strcmp(d.el[suite1 + 1].name,
	    "testcase") == 0 && d.el[suite1 + 1].parent == suite1,
	    "junit: ... a passing testcase inside its suite");
	xml_free(&d);
	out_free(&o);
}

/* SPEC 5: a case's name is the assertion and the group key, never the
 * values; the schema's errors attribute; no character XML forbids. */
static void
test_junit_names(void)
{
	static const char *const c0[] = { "route", "p99_ms" };
	static const struct format_query qs[1] = {
		{ "lat", c0, 2, 1, 0, 1, SIZE_MAX },
	};
	struct value r0[2] = { value_str("/x", 2), value_int(812) };
	struct format_assertion as[1];
	struct formatter *f;
	struct out o;
	const char *text;
	struct xdoc d;
	int i, tc = -1, fl = -1, root = -1;
	json_t *key = json_pack("{s:s}", "route", "/x\xef\xbf\xbf\x01");

	memset(as, 0, sizeof(as));
	as[0].expr = "p99_ms < $max";
	as[0].key = key;
	as[0].detail = "p99_ms=812, $max=500, route=/x\xef\xbf\xbf\\x01";
	as[0].message = "assertion failed in lat: p99_ms < $max (p99_ms=812, "
	    "$max=500, route=/x\xef\xbf\xbf\\x01)";
	f = start(&o, FORMAT_JUNIT, qs, 1);
	format_row(f, 0, r0, NULL);
	format_query_done(f, 0);
	text = finish(&o, f, NULL, as, 1);
	ok(xml_parse(text, &d), "junit names: well-formed");
	ok(strstr(text, "\xef\xbf\xbf") == NULL && strchr(text, '\x01') ==
	    NULL, "junit names: no U+FFFF, no C0 control in the XML");
	for (i = 0; i < d.n; i++) {
		if (strcmp(d.el[i].name, "testsuites") == 0)
			root = i;
		if (strcmp(d.el[i].name, "testcase") == 0)
			tc = i;
		if (strcmp(d.el[i].name, "failure") == 0)
			fl = i;
	}
	is_str(tc >= 0 ? xattr(&d.el[tc], "name") : NULL,
	    "p99_ms < $max [route=/x\\uffff\\x01]",
	    "junit names: the assertion and the group key, no value");
	is_str(root >= 0 ? xattr(&d.el[root], "errors") : NULL, "0",
	    "junit names: errors=\"0\" on <testsuites>");
	ok(fl >= 0 && contains(xattr(&d.el[fl], "message"), "$max=500"),
	    "junit names: the threshold is in the failure message");
	xml_free(&d);
	out_free(&o);
	json_decref(key);
}

int
main(void)
{
	test_prometheus();
	test_prometheus_names();
	test_junit_names();
	test_csv();
	test_tsv();
	test_ndjson();
	test_json();
	test_markdown();
	test_junit();
	return done_testing();
}
