/* SPDX-License-Identifier: MIT */
/* format.c - result rows to the chosen format: sections and spools */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "format_priv.h"

/* The formats, in the order --help lists them: formats[] and the name
 * list of format_names() are both made from this one list. */
#define FORMAT_LIST(X)						\
	X("table",	FORMAT_TABLE,		format_table_impl)	\
	X("json",	FORMAT_JSON,		format_json_impl)	\
	X("ndjson",	FORMAT_NDJSON,		format_ndjson_impl)	\
	X("csv",	FORMAT_CSV,		format_csv_impl)	\
	X("tsv",	FORMAT_TSV,		format_tsv_impl)	\
	X("markdown",	FORMAT_MARKDOWN,	format_markdown_impl)	\
	X("prometheus",	FORMAT_PROMETHEUS,	format_prometheus_impl)	\
	X("junit",	FORMAT_JUNIT,		format_junit_impl)	\
	X("raw",	FORMAT_RAW,		format_raw_impl)

#define FORMAT_ENTRY(name, kind, impl)	{ name, kind, &impl },
static const struct {
	const char		*name;
	enum format_kind	 kind;
	const struct format_impl *impl;
} formats[] = {
	FORMAT_LIST(FORMAT_ENTRY)
};

/* ", table, json, ...": format_names() skips the first separator. */
#define FORMAT_NAME(name, kind, impl)	", " name
static const char format_name_list[] = FORMAT_LIST(FORMAT_NAME);

#define NFORMATS (sizeof(formats) / sizeof(formats[0]))

int
format_from_name(const char *name)
{
	size_t i;

	for (i = 0; i < NFORMATS; i++)
		if (strcmp(formats[i].name, name) == 0)
			return (int)formats[i].kind;
	return -1;
}

const char *
format_name(enum format_kind kind)
{
	size_t i;

	for (i = 0; i < NFORMATS; i++)
		if (formats[i].kind == kind)
			return formats[i].name;
	return "?";
}

const char *
format_names(void)
{
	return format_name_list + 2;
}

struct formatter *
format_new(enum format_kind kind, FILE *out, const struct format_query *qs,
    size_t n, const struct format_options *opt, struct diag *err)
{
	struct formatter *f = xcalloc(1, sizeof(*f));
	size_t i;
	int later = 0;

	f->kind = kind;
	for (i = 0; i < NFORMATS; i++)
		if (formats[i].kind == kind)
			f->impl = formats[i].impl;
	f->out = out;
	f->opt = *opt;
	f->n = n;
	f->sections = xcalloc(n ? n : 1, sizeof(*f->sections));
	if (f->impl->begin)
		f->impl->begin(f);
	for (i = 0; i < n; i++) {
		struct format_section *s = &f->sections[i];

		s->q = &qs[i];
		s->index = i;
		s->fp = out;
		s->shown = opt->shown == NULL || opt->shown[i];
		s->later = later;
		if (!s->shown)
			continue;
		later = 1;
		/* Spool sections after the first, so each query's rows stay
		 * together without holding them in memory. */
		if (f->impl->sectioned && s->later) {
			s->fp = tmpfile();
			if (s->fp == NULL) {
				diag_set(err, LOGQ_EXIT_INPUT, "cannot create "
				    "a temporary file: %s", strerror(errno));
				f->n = i;
				format_free(f);
				return NULL;
			}
		}
		if (f->impl->begin_section)
			f->impl->begin_section(f, s);
	}
	return f;
}

int
format_row(struct formatter *f, size_t qi, const struct value *cells,
    const struct line *line)
{
	struct format_section *s = &f->sections[qi];

	f->impl->row(f, s, cells, line);
	s->nrows++;
	/* Listing rows are seen as they are found (SPEC 3.1): a streamed
	 * row (it has its LINE) goes out now. Rows of results (LINE NULL)
	 * go out with format_finish()'s flush: a follow-mode print of
	 * 10,000 groups is not 10,000 writes. */
	if (s->fp == f->out && line != NULL &&
	    (fflush(f->out) != 0 || ferror(f->out)))
		return -1;
	if (ferror(f->out))
		return -1;
	return 0;
}

void
format_set_approx(struct formatter *f, size_t qi)
{
	f->sections[qi].approx = 1;
}

void
format_query_done(struct formatter *f, size_t qi)
{
	/* Sectioned formats end their sections in format_finish; a
	 * streamed one ends a query here, when its last row is out. */
	if (!f->impl->sectioned && f->impl->end_section &&
	    f->sections[qi].shown)
		f->impl->end_section(f, &f->sections[qi]);
}

void
format_idle(struct formatter *f)
{
	size_t i;

	if (f->impl->idle)
		for (i = 0; i < f->n; i++)
			if (f->sections[i].shown)
				f->impl->idle(f, &f->sections[i]);
	fflush(f->out);
}

static int
copy_spool(FILE *from, FILE *to)
{
	char chunk[65536];
	size_t n;

	if (fflush(from) != 0 || fseek(from, 0, SEEK_SET) != 0)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), from)) > 0)
		if (fwrite(chunk, 1, n, to) != n)
			return -1;
	return ferror(from) ? -1 : 0;
}

int
format_finish(struct formatter *f, const struct format_stats *stats,
    const struct format_assertion *asserts, size_t nasserts)
{
	size_t i, j;
	int rc = 0;

	f->asserts = asserts;
	f->nasserts = nasserts;
	for (i = 0; i < f->n; i++) {
		struct format_section *s = &f->sections[i];

		if (!s->shown)
			continue;
		/* Outcomes come in query order: each section's are a run. */
		for (j = 0; j < nasserts && asserts[j].query != i; j++)
			;
		s->asserts = asserts != NULL ? asserts + j : NULL;
		for (s->nasserts = 0; j < nasserts && asserts[j].query == i;
		    j++)
			s->nasserts++;
		if (f->impl->end_section)
			f->impl->end_section(f, s);
		if (s->fp != f->out) {
			if (copy_spool(s->fp, f->out) < 0)
				rc = -1;
			fclose(s->fp);
			s->fp = f->out;
		}
	}
	if (f->impl->finish)
		f->impl->finish(f, stats);
	if (fflush(f->out) != 0 || ferror(f->out))
		rc = -1;
	return rc;
}

void
format_free(struct formatter *f)
{
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < f->n; i++) {
		struct format_section *s = &f->sections[i];

		if (f->impl->free_state)
			f->impl->free_state(s);
		if (s->fp != f->out && s->fp != NULL)
			fclose(s->fp);
	}
	free(f->sections);
	buf_release(&f->scratch);
	free(f);
}

void
format_xml_escape(struct buf *b, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	for (; *u; u++) {
		switch (*u) {
		case '<':	buf_adds(b, "&lt;"); break;
		case '>':	buf_adds(b, "&gt;"); break;
		case '&':	buf_adds(b, "&amp;"); break;
		case '"':	buf_adds(b, "&quot;"); break;
		case '\'':	buf_adds(b, "&apos;"); break;
		/* References, or an attribute's value would read them as
		 * blanks (attribute value normalisation). */
		case '\t':	buf_adds(b, "&#9;"); break;
		case '\n':	buf_adds(b, "&#10;"); break;
		case '\r':	buf_adds(b, "&#13;"); break;
		default:
			/* XML 1.0 allows no other C0 control, not even as a
			 * reference, nor U+FFFE and U+FFFF (EF BF BE/BF). */
			if (*u < 0x20)
				buf_printf(b, "\\x%02x", *u);
			else if (u[0] == 0xef && u[1] == 0xbf &&
			    (u[2] == 0xbe || u[2] == 0xbf)) {
				buf_printf(b, "\\u%s", u[2] == 0xbe ? "fffe" :
				    "ffff");
				u += 2;
			} else
				buf_addc(b, (char)*u);
		}
	}
}
