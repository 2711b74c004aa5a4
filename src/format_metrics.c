/* SPDX-License-Identifier: MIT */
/* format_metrics.c - prometheus text exposition and JUnit XML (SPEC 5) */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "format_priv.h"

/*
 * Prometheus: each numeric column of an aggregation becomes a gauge
 * logq_<query>_<column>, with the group columns as labels. A metric's
 * samples must stand together, but rows arrive one by one: the section
 * keeps its rows (as text) until the end. Aggregation rows are few.
 */
struct metrics {
	/* nrows * nkeys: each group column's labels, ready to print
	 * (`,route="/x"`, owned); may hold NUL bytes, hence the lengths */
	char		**label;
	size_t		 *label_len;
	char		**sample;	/* nrows * ncolumns; NULL: no number */
	size_t		  nrows, alloc;
};

/* [a-zA-Z_:][a-zA-Z0-9_:]*: anything else becomes '_'. */
static void
metric_name(struct buf *b, const char *s)
{
	for (; *s; s++) {
		char c = *s;

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '_' || c == ':'))
			c = '_';
		buf_addc(b, c);
	}
}

/* Label names are [a-zA-Z_][a-zA-Z0-9_]*: no ':' and no leading digit
 * (a column named "1st" becomes "_1st"). */
static void
label_name(struct buf *b, const char *s)
{
	if (*s >= '0' && *s <= '9')
		buf_addc(b, '_');
	for (; *s; s++) {
		char c = *s;

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '_'))
			c = '_';
		buf_addc(b, c);
	}
}

/* HELP text escapes backslash and newline. */
static void
help_text(struct buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			buf_adds(b, "\\\\");
		else if (*s == '\n')
			buf_adds(b, "\\n");
		else
			buf_addc(b, *s);
	}
}

/* Label values escape backslash, double quote and newline, the three
 * escapes of the text format; other bytes, NUL included, are written as
 * they are (any UTF-8 is a valid label value), so that two different
 * values never give the same label. */
static void
label_value(struct buf *b, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == '\\')
			buf_adds(b, "\\\\");
		else if (s[i] == '"')
			buf_adds(b, "\\\"");
		else if (s[i] == '\n')
			buf_adds(b, "\\n");
		else
			buf_addc(b, s[i]);
	}
}

/* Whether a string group key reads as the text another kind of value
 * prints as: 200 and "200", true and "true", null and "" would label
 * their series alike, so the string gets one more label. */
static int
string_looks_typed(const struct value *v)
{
	double d;
	const char *s = v->u.s.ptr;
	size_t len = v->u.s.len;

	if (len == 0 || s[0] == '{' || s[0] == '[')
		return 1;
	if ((len == 4 && memcmp(s, "true", 4) == 0) ||
	    (len == 5 && memcmp(s, "false", 5) == 0) ||
	    (len == 4 && memcmp(s, "null", 4) == 0))
		return 1;
	return value_parse_number(v, &d) ||
	    (len >= 3 && (strncasecmp(s, "inf", 3) == 0 ||
	    strncasecmp(s, "nan", 3) == 0 || strncasecmp(s, "-inf", 4) == 0));
}

/* ,name="value" for group column I of query Q, and, for a string that
 * reads like a number (see above), ,name_type="string". */
static void
key_labels(struct buf *b, const struct format_query *q, size_t i,
    const struct value *v)
{
	struct buf text = BUF_INIT;

	buf_addc(b, ',');
	label_name(b, q->columns[i]);
	buf_adds(b, "=\"");
	value_write_text(&text, v, VALUE_TEXT_PLAIN);
	label_value(b, text.ptr ? text.ptr : "", text.len);
	buf_addc(b, '"');
	if (v->kind == VALUE_STRING && string_looks_typed(v)) {
		buf_addc(b, ',');
		label_name(b, q->columns[i]);
		buf_adds(b, "_type=\"string\"");
	}
	buf_release(&text);
}

static void
prom_row(struct formatter *f, struct format_section *s,
    const struct value *cells, const struct line *line)
{
	struct metrics *m = s->state;
	size_t i, n = s->q->ncolumns, k = s->q->nkeys;

	(void)line;
	if (m == NULL)
		m = s->state = xcalloc(1, sizeof(*m));
	if (m->nrows + 1 > m->alloc) {
		m->alloc = m->alloc ? m->alloc * 2 : 16;
		m->label = xrealloc(m->label, m->alloc * (k + 1) *
		    sizeof(*m->label));
		m->label_len = xrealloc(m->label_len, m->alloc * (k + 1) *
		    sizeof(*m->label_len));
		m->sample = xrealloc(m->sample, m->alloc * (n + 1) *
		    sizeof(*m->sample));
	}
	for (i = 0; i < k; i++) {
		struct buf lab = BUF_INIT;

		key_labels(&lab, s->q, i, &cells[i]);
		m->label_len[m->nrows * k + i] = lab.len;
		m->label[m->nrows * k + i] = buf_take(&lab);
	}
	for (i = 0; i < n; i++) {
		char **out = &m->sample[m->nrows * n + i];

		*out = NULL;
		if (i < k || (cells[i].kind != VALUE_INT &&
		    cells[i].kind != VALUE_REAL))
			continue;
		buf_reset(&f->scratch);
		value_write_json(&f->scratch, &cells[i]);
		if (strcmp(buf_str(&f->scratch), "null") != 0)
			*out = xstrdup(buf_str(&f->scratch));
	}
	m->nrows++;
}

static void
prom_end_section(struct formatter *f, struct format_section *s)
{
	struct metrics *m = s->state;
	size_t i, r, j, n = s->q->ncolumns, k = s->q->nkeys;
	struct buf *b = &f->scratch, help = BUF_INIT;

	if (m == NULL)
		return;
	for (i = k; i < n; i++) {
		int any = 0;

		for (r = 0; r < m->nrows && !any; r++)
			any = m->sample[r * n + i] != NULL;
		if (!any)
			continue;	/* not a numeric column */
		buf_reset(b);
		buf_adds(b, "logq_");
		metric_name(b, s->q->name);
		buf_addc(b, '_');
		metric_name(b, s->q->columns[i]);
		buf_reset(&help);
		help_text(&help, s->q->name);
		buf_adds(&help, ", column ");
		help_text(&help, s->q->columns[i]);
		fprintf(s->fp, "# HELP %s logq query %s\n", buf_str(b),
		    buf_str(&help));
		fprintf(s->fp, "# TYPE %s gauge\n", buf_str(b));
		for (r = 0; r < m->nrows; r++) {
			size_t namelen = b->len;

			if (m->sample[r * n + i] == NULL)
				continue;
			if (k > 0) {
				buf_addc(b, '{');
				/* each label starts with a ',': skip the
				 * first */
				for (j = 0; j < k; j++)
					buf_add(b, m->label[r * k + j] +
					    (j == 0), m->label_len[r * k + j] -
					    (j == 0));
				buf_addc(b, '}');
			}
			fwrite(b->ptr, 1, b->len, s->fp);
			fprintf(s->fp, " %s\n", m->sample[r * n + i]);
			b->len = namelen;
			b->ptr[namelen] = '\0';
		}
	}
	buf_release(&help);
}

/*
 * The input's counters, labelled with the queries of the run (a report's
 * queries, in order): node_exporter's textfile collector reads every
 * file of its directory as one, and two files with an unlabelled
 * logq_lines_total would be the same series twice, a scrape error. The
 * HELP and TYPE lines stay the same in every file, as the collector
 * requires of one metric family.
 */
static void
prom_finish(struct formatter *f, const struct format_stats *st)
{
	struct buf *b = &f->scratch;
	size_t i;

	buf_reset(b);
	buf_adds(b, "{queries=\"");
	for (i = 0; i < f->n; i++) {
		if (i)
			buf_addc(b, ',');
		label_value(b, f->sections[i].q->name,
		    strlen(f->sections[i].q->name));
	}
	buf_adds(b, "\"}");
	fprintf(f->out, "# HELP logq_lines_total Lines logq read.\n"
	    "# TYPE logq_lines_total counter\nlogq_lines_total%s %lld\n"
	    "# HELP logq_skipped_lines_total Lines logq skipped (no JSON "
	    "object).\n# TYPE logq_skipped_lines_total counter\n"
	    "logq_skipped_lines_total%s %lld\n", buf_str(b),
	    (long long)st->lines, buf_str(b), (long long)st->skipped);
}

static void
prom_free_state(struct format_section *s)
{
	struct metrics *m = s->state;
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->nrows * s->q->nkeys; i++)
		free(m->label[i]);
	for (i = 0; i < m->nrows * s->q->ncolumns; i++)
		free(m->sample[i]);
	free(m->label);
	free(m->label_len);
	free(m->sample);
	free(m);
	s->state = NULL;
}

const struct format_impl format_prometheus_impl = {
	.sectioned = 1,
	.row = prom_row,
	.end_section = prom_end_section,
	.finish = prom_finish,
	.free_state = prom_free_state,
};

/*
 * JUnit XML: a test case per assertion and row, a passing case for a
 * query without assertions; rows themselves are not printed. A case is
 * named by what stays the same from run to run (SPEC 5): the assertion
 * as written and the row's group key, never the values measured, so a
 * CI tool can follow its history. The values and the thresholds go in
 * the failure's message and text. The attributes are those of the
 * JUnit schema Jenkins' xunit plugin checks (tests/junit-10.xsd).
 */
static void
junit_row(struct formatter *f, struct format_section *s,
    const struct value *cells, const struct line *line)
{
	(void)f;
	(void)s;
	(void)cells;
	(void)line;
}

/* "route=/health, status=200": the group key of an outcome, its
 * values as text (strings unquoted unless they read like another kind
 * of value: "200"), control characters escaped. */
static void
key_text(struct buf *b, const json_t *key)
{
	const char *name;
	json_t *v;
	int first = 1;

	json_object_foreach((json_t *)key, name, v) {
		buf_adds(b, first ? "" : ", ");
		first = 0;
		format_text_escape(b, name, strlen(name));
		buf_addc(b, '=');
		struct value sv = value_str(json_string_value(v),
		    json_string_length(v));

		/* "200" quoted, so that it is not the case of 200 */
		if (json_is_string(v) && !string_looks_typed(&sv))
			format_text_escape(b, sv.u.s.ptr, sv.u.s.len);
		else {
			char *text = json_dumps(v, JSON_COMPACT |
			    JSON_ENCODE_ANY | JSON_REAL_PRECISION(17));

			if (text != NULL)
				buf_adds(b, text);
			free(text);
		}
	}
}

static void
junit_case(FILE *out, const char *suite, const struct format_assertion *a)
{
	struct buf raw = BUF_INIT, name = BUF_INIT, msg = BUF_INIT;

	buf_adds(&raw, a->expr);
	if (a->key != NULL && json_object_size(a->key) > 0) {
		buf_adds(&raw, " [");
		key_text(&raw, a->key);
		buf_addc(&raw, ']');
	}
	format_xml_escape(&name, buf_str(&raw));
	fprintf(out, "<testcase classname=\"logq.%s\" name=\"%s\"", suite,
	    buf_str(&name));
	if (a->passed)
		fputs("/>\n", out);
	else {
		format_xml_escape(&msg, a->message);
		fprintf(out, ">\n<failure type=\"assertion\" message=\"%s\">",
		    buf_str(&msg));
		buf_reset(&msg);
		format_xml_escape(&msg, a->detail ? a->detail : "");
		fprintf(out, "%s</failure>\n</testcase>\n", buf_str(&msg));
	}
	buf_release(&raw);
	buf_release(&name);
	buf_release(&msg);
}

static void
junit_finish(struct formatter *f, const struct format_stats *st)
{
	struct buf *b = &f->scratch;
	size_t i, j, tests = 0, failures = 0;

	(void)st;
	for (i = 0; i < f->n; i++) {
		tests += f->sections[i].nasserts ? f->sections[i].nasserts : 1;
		for (j = 0; j < f->sections[i].nasserts; j++)
			failures += !f->sections[i].asserts[j].passed;
	}
	/* errors="0": an assertion fails, it never errs, but the schema
	 * requires the count on each suite. */
	fprintf(f->out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<testsuites name=\"logq\" tests=\"%zu\" failures=\"%zu\" "
	    "errors=\"0\">\n", tests, failures);
	for (i = 0; i < f->n; i++) {
		struct format_section *s = &f->sections[i];
		size_t sfail = 0;

		for (j = 0; j < s->nasserts; j++)
			sfail += !s->asserts[j].passed;
		buf_reset(b);
		format_xml_escape(b, s->q->name);
		fprintf(f->out, "<testsuite name=\"%s\" tests=\"%zu\" "
		    "failures=\"%zu\" errors=\"0\">\n", buf_str(b),
		    s->nasserts ? s->nasserts : 1, sfail);
		if (s->nasserts == 0)
			fprintf(f->out, "<testcase classname=\"logq.%s\" "
			    "name=\"%s\"/>\n", buf_str(b), buf_str(b));
		for (j = 0; j < s->nasserts; j++)
			junit_case(f->out, buf_str(b), &s->asserts[j]);
		fputs("</testsuite>\n", f->out);
	}
	fputs("</testsuites>\n", f->out);
}

const struct format_impl format_junit_impl = {
	.row = junit_row,
	.finish = junit_finish,
};
