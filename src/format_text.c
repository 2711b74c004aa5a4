/* SPDX-License-Identifier: MIT */
/* format_text.c - csv, tsv (a block per query), ndjson, raw */
#include "config.h"

#include <string.h>

#include "format_priv.h"

/* Whether S[I] starts a C1 control, U+0080..U+009F (C2 80..C2 9F). */
static int
is_c1(const char *s, size_t i, size_t len)
{
	return (unsigned char)s[i] == 0xc2 && i + 1 < len &&
	    (unsigned char)s[i + 1] >= 0x80 && (unsigned char)s[i + 1] <= 0x9f;
}

/* Appends S with its control characters as text, but tab, CR and LF
 * kept when KEEP_BLANKS is set: csv quotes them, as RFC 4180 data. */
static void
control_escape(struct buf *b, const char *s, size_t len, int keep_blanks)
{
	size_t i, run;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		/* Most text has no control at all: copied a run at a time. */
		for (run = i; i < len && (c = (unsigned char)s[i]) >= 0x20 &&
		    c != 0x7f && c != 0xc2; i++)
			;
		if (i > run)
			buf_add(b, s + run, i - run);
		if (i == len)
			break;
		if (keep_blanks && (c == '\n' || c == '\t' || c == '\r'))
			buf_addc(b, (char)c);
		else if (c == '\n')
			buf_adds(b, "\\n");
		else if (c == '\t')
			buf_adds(b, "\\t");
		else if (c == '\r')
			buf_adds(b, "\\r");
		else if (c < 0x20 || c == 0x7f)
			buf_printf(b, "\\x%02x", c);
		else if (is_c1(s, i, len))
			/* U+009B is a CSI that some terminals obey like
			 * ESC [ */
			buf_printf(b, "\\u%04x", (unsigned char)s[++i]);
		else
			buf_addc(b, (char)c);
	}
}

void
format_text_escape(struct buf *b, const char *s, size_t len)
{
	control_escape(b, s, len, 0);
}

void
format_json_write(FILE *fp, const struct buf *b)
{
	size_t i, run = 0;

	for (i = 0; i < b->len; i++) {
		if (!is_c1(b->ptr, i, b->len))
			continue;
		fwrite(b->ptr + run, 1, i - run, fp);
		fprintf(fp, "\\u%04x", (unsigned char)b->ptr[i + 1]);
		run = i + 2;
		i++;
	}
	fwrite(b->ptr + run, 1, b->len - run, fp);
}

/* RFC 4180: quote a field holding a comma, quote, CR or LF (or leading
 * or trailing blanks, which some readers trim), doubling quotes. */
static void
csv_quote(struct buf *out, const char *s, size_t len)
{
	size_t i;
	int quote = len > 0 && (s[0] == ' ' || s[len - 1] == ' ');

	for (i = 0; i < len && !quote; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
			quote = 1;
	if (!quote) {
		buf_add(out, s, len);
		return;
	}
	buf_addc(out, '"');
	for (i = 0; i < len; i++) {
		if (s[i] == '"')
			buf_addc(out, '"');
		buf_addc(out, s[i]);
	}
	buf_addc(out, '"');
}

/* A csv cell: control characters other than tab, CR and LF (which
 * quoting keeps) are written as \xNN or \u00NN, so that a cell cannot
 * drive the terminal it is printed on. Cells that start with = + - @
 * are left as they are (see logq(1) on spreadsheets). */
static void
csv_field(struct buf *out, const char *s, size_t len)
{
	struct buf text = BUF_INIT;

	control_escape(&text, s, len, 1);
	csv_quote(out, text.ptr ? text.ptr : "", text.len);
	buf_release(&text);
}

/* TSV cannot quote: tab, newline, CR and backslash become \t \n \r \\,
 * as PostgreSQL's text format and Miller's TSV write them. */
static void
tsv_field(struct buf *out, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		switch (s[i]) {
		case '\t':	buf_adds(out, "\\t"); break;
		case '\n':	buf_adds(out, "\\n"); break;
		case '\r':	buf_adds(out, "\\r"); break;
		case '\\':	buf_adds(out, "\\\\"); break;
		default:
			/* other controls as \xNN, \u00NN: unambiguous,
			 * since a backslash is doubled */
			if (is_c1(s, i, len))
				control_escape(out, s + i++, 2, 0);
			else if ((unsigned char)s[i] < 0x20 ||
			    (unsigned char)s[i] == 0x7f)
				control_escape(out, s + i, 1, 0);
			else
				buf_addc(out, s[i]);
			break;
		}
	}
}

/* Whether a section's header row was written; kept in s->state as a
 * non-NULL marker to avoid an allocation. */
#define HEADER_DONE	((void *)1)

static void
delimited_header(struct formatter *f, struct format_section *s, char sep,
    void (*field)(struct buf *, const char *, size_t))
{
	struct buf *b = &f->scratch;
	size_t i;

	if (s->state == HEADER_DONE)
		return;
	s->state = HEADER_DONE;
	buf_reset(b);
	if (f->n > 1) {
		buf_adds(b, "query");
		buf_addc(b, sep);
	}
	for (i = 0; i < s->q->ncolumns; i++) {
		if (i)
			buf_addc(b, sep);
		field(b, s->q->columns[i], strlen(s->q->columns[i]));
	}
	buf_addc(b, '\n');
	fwrite(b->ptr, 1, b->len, s->fp);
}

static void
delimited_row(struct formatter *f, struct format_section *s,
    const struct value *cells, char sep,
    void (*field)(struct buf *, const char *, size_t))
{
	struct buf *b = &f->scratch, cell = BUF_INIT;
	size_t i;

	delimited_header(f, s, sep, field);
	buf_reset(b);
	if (f->n > 1) {
		field(b, s->q->name, strlen(s->q->name));
		buf_addc(b, sep);
	}
	for (i = 0; i < s->q->ncolumns; i++) {
		if (i)
			buf_addc(b, sep);
		buf_reset(&cell);
		value_write_text(&cell, &cells[i], VALUE_TEXT_PLAIN);
		field(b, buf_str(&cell), cell.len);
	}
	buf_addc(b, '\n');
	fwrite(b->ptr, 1, b->len, s->fp);
	buf_release(&cell);
}

static void
csv_row(struct formatter *f, struct format_section *s,
    const struct value *cells, const struct line *line)
{
	(void)line;
	delimited_row(f, s, cells, ',', csv_field);
}

static void
tsv_row(struct formatter *f, struct format_section *s,
    const struct value *cells, const struct line *line)
{
	(void)line;
	delimited_row(f, s, cells, '\t', tsv_field);
}

/*
 * Several queries: each query's block (its header, then its rows) stands
 * together, and an empty line separates it from the one before, as
 * Miller's csvlite reads a change of columns (SPEC 5). The formats are
 * sectioned for that: the first query's rows still stream, the others'
 * wait in their spools until the end.
 */
static void
delimited_begin_section(struct formatter *f, struct format_section *s)
{
	if (s->later || f->opt.follows)
		fputc('\n', s->fp);
}

/* A query without rows still gets its header, so a consumer sees the
 * columns of an empty result. */
static void
csv_end(struct formatter *f, struct format_section *s)
{
	delimited_header(f, s, ',', csv_field);
}

static void
tsv_end(struct formatter *f, struct format_section *s)
{
	delimited_header(f, s, '\t', tsv_field);
}

static void
ndjson_row(struct formatter *f, struct format_section *s,
    const struct value *cells, const struct line *line)
{
	struct buf *b = &f->scratch;
	struct value name = value_str(s->q->name, strlen(s->q->name));
	size_t i;

	(void)line;
	buf_reset(b);
	buf_adds(b, "{\"query\":");
	value_write_json(b, &name);
	/* SPEC 6: a follow-mode print's rows say which print they are of. */
	if (f->opt.print_time != NULL) {
		struct value t = value_str(f->opt.print_time,
		    strlen(f->opt.print_time));

		buf_adds(b, ",\"print_time\":");
		value_write_json(b, &t);
	}
	for (i = 0; i < s->q->ncolumns; i++) {
		struct value col = value_str(s->q->columns[i],
		    strlen(s->q->columns[i]));

		buf_addc(b, ',');
		value_write_json(b, &col);
		buf_addc(b, ':');
		value_write_json(b, &cells[i]);
	}
	buf_adds(b, "}\n");
	format_json_write(f->out, b);
}

static void
raw_row(struct formatter *f, struct format_section *s,
    const struct value *cells, const struct line *line)
{
	(void)s;
	(void)cells;
	if (line == NULL)
		return;
	fwrite(line->text, 1, line->len, f->out);
	fputc('\n', f->out);
}

const struct format_impl format_csv_impl = {
	.sectioned = 1, .begin_section = delimited_begin_section,
	.row = csv_row, .end_section = csv_end,
};
const struct format_impl format_tsv_impl = {
	.sectioned = 1, .begin_section = delimited_begin_section,
	.row = tsv_row, .end_section = tsv_end,
};
const struct format_impl format_ndjson_impl = { .row = ndjson_row };
const struct format_impl format_raw_impl = { .row = raw_row };
