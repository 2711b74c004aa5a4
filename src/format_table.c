/* SPDX-License-Identifier: MIT */
/* format_table.c - aligned columns for people (SPEC 5, 4.2) */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "format_priv.h"

/* Rows held back to size the columns before the header is printed. */
#define TABLE_HOLD_ROWS	1000
#define TABLE_GAP	2	/* blanks between columns */
#define TABLE_MIN_CUT	8	/* a cut column keeps at least this width */
#define CHART_WIDTH	20	/* cells of the longest bar */
/* A column is never padded wider than this: a longer cell overflows its
 * column (or, on a terminal, is cut), so one long value cannot make
 * every other row as wide (a 500 KB log printed 1 GB through a pipe). */
#define TABLE_MAX_WIDTH	80
/* GitHub refuses a step summary over 1 MiB: markdown rows and failed
 * assertions stop there, leaving room for headings and notes. */
#define MARKDOWN_MAX_BYTES	(1024 * 1024 - 64 * 1024)

struct table {
	char		**held;		/* nheld rows of ncolumns cells */
	size_t		  nheld, alloc;
	size_t		 *width;	/* display width of each column */
	int		 *numeric;	/* 1 numbers only, 0 not, -1 no data */
	int		  sized;	/* header printed: widths are fixed */
	int		  markdown;	/* GitHub table, not aligned text */
	double		 *chart_value;	/* per held row, for `chart:` */
	size_t		  chart_alloc;
	double		  chart_max;
	uint64_t	  left_out;	/* markdown rows over the size cap */
};

/* Display width: code points (continuation bytes take no column). */
static size_t
text_width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
	return w;
}

/*
 * Markdown inline text: a backslash before every ASCII punctuation mark
 * that could start markup in a GitHub table cell (emphasis, code, links,
 * images, raw HTML, entities, strikethrough, and '|', which would end
 * the cell), so that text from the logs reads as text. An '_' between
 * two letters or digits starts nothing and stays bare (tenant_acme).
 */
static void
md_escape(struct buf *out, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '_' && i > 0 && i + 1 < len &&
		    isalnum((unsigned char)s[i - 1]) &&
		    isalnum((unsigned char)s[i + 1]))
			buf_addc(out, '_');
		else if (strchr("\\`*_[]<>!&~|#()", c) != NULL && c != '\0')
			buf_printf(out, "\\%c", c);
		else
			buf_addc(out, (char)c);
	}
}

/* A cell's text: control characters (C0, DEL, C1) are shown escaped, as
 * \n or \x1b, so a log line cannot move the cursor or break the row;
 * in markdown the text is then escaped from markup too. */
static char *
cell_text(struct buf *b, const struct value *v, int markdown)
{
	struct buf out = BUF_INIT, md = BUF_INIT;

	buf_reset(b);
	value_write_text(b, v, VALUE_TEXT_TABLE);
	format_text_escape(&out, b->ptr ? b->ptr : "", b->len);
	if (!markdown)
		return buf_take(&out);
	md_escape(&md, out.ptr ? out.ptr : "", out.len);
	buf_release(&out);
	return buf_take(&md);
}

static struct table *
table_of(struct formatter *f, struct format_section *s)
{
	struct table *t = s->state;
	size_t i;

	if (t == NULL) {
		t = xcalloc(1, sizeof(*t));
		t->markdown = f->kind == FORMAT_MARKDOWN;
		t->width = xcalloc(s->q->ncolumns + 1, sizeof(*t->width));
		t->numeric = xcalloc(s->q->ncolumns + 1, sizeof(*t->numeric));
		for (i = 0; i < s->q->ncolumns; i++) {
			t->width[i] = text_width(s->q->columns[i]);
			t->numeric[i] = -1;
		}
		s->state = t;
	}
	return t;
}

/* Writes TEXT in WIDTH columns: cut with an ellipsis when it is wider
 * and CUT is set, padded unless it is the last column. */
static void
put_cell(FILE *fp, const char *text, size_t width, int right, int last,
    int cut)
{
	size_t w = text_width(text), pad, i;

	if (w > width && cut) {
		/* Copy width - 1 code points, then the ellipsis. */
		size_t cps = 0;

		for (i = 0; text[i]; i++) {
			if (((unsigned char)text[i] & 0xc0) != 0x80 &&
			    cps++ == width - 1)
				break;
			fputc(text[i], fp);
		}
		fputs("\xe2\x80\xa6", fp);
		return;
	}
	pad = w < width ? width - w : 0;
	if (right)
		for (i = 0; i < pad; i++)
			fputc(' ', fp);
	fputs(text, fp);
	if (!right && !last)
		for (i = 0; i < pad; i++)
			fputc(' ', fp);
}

/* A bar of V/MAX of CHART_WIDTH cells, in eighths of a cell, padded
 * to CHART_WIDTH unless it ends the row. */
static void
put_bar(FILE *fp, double v, double max, int last)
{
	static const char *const eighths[] = { "", "\u258f", "\u258e",
		"\u258d", "\u258c", "\u258b", "\u258a", "\u2589" };
	long n = 0, cells = 0;

	if (max > 0 && v > 0)
		n = lround((v > max ? max : v) / max * CHART_WIDTH * 8);
	for (; n >= 8; n -= 8, cells++)
		fputs("\u2588", fp);
	if (n > 0) {
		fputs(eighths[n], fp);
		cells++;
	}
	while (!last && cells++ < CHART_WIDTH)
		fputc(' ', fp);
}

/* Writes TEXT padded to WIDTH code points, to B. */
static void
md_cell(struct buf *b, const char *text, size_t width, int right)
{
	size_t w = text_width(text), pad = w < width ? width - w : 0, i;

	if (right)
		for (i = 0; i < pad; i++)
			buf_addc(b, ' ');
	buf_adds(b, text);
	if (!right)
		for (i = 0; i < pad; i++)
			buf_addc(b, ' ');
}

/*
 * Whether LEN more bytes of markdown fit under GitHub's limit; counts
 * them if so. All sections share the one budget, in the order rows
 * come, so the whole output stays under the limit.
 */
static int
md_fits(struct formatter *f, size_t len)
{
	if (f->markdown_bytes + len > MARKDOWN_MAX_BYTES)
		return 0;
	f->markdown_bytes += len;
	return 1;
}

/* A table line `| a | b |`; a row that does not fit is counted, not
 * written. */
static void
md_put_row(struct formatter *f, struct format_section *s, char **cells,
    int is_header)
{
	struct table *t = s->state;
	struct buf b = BUF_INIT;
	size_t i, n = s->q->ncolumns;

	buf_addc(&b, '|');
	for (i = 0; i < n; i++) {
		buf_addc(&b, ' ');
		md_cell(&b, cells[i], t->width[i], t->numeric[i] == 1);
		buf_adds(&b, " |");
	}
	buf_addc(&b, '\n');
	if (md_fits(f, b.len) || is_header)
		fwrite(b.ptr, 1, b.len, s->fp);
	else
		t->left_out++;
	buf_release(&b);
}

static void
put_row(struct formatter *f, struct format_section *s, char **cells,
    double chart_value, int is_header)
{
	struct table *t = s->state;
	size_t i, n = s->q->ncolumns;

	if (t->markdown) {
		md_put_row(f, s, cells, is_header);
		return;
	}
	for (i = 0; i < n; i++) {
		int last = i + 1 == n && i != s->q->chart;

		if (i)
			fprintf(s->fp, "%*s", TABLE_GAP, "");
		put_cell(s->fp, cells[i], t->width[i], t->numeric[i] == 1,
		    last, f->opt.is_tty);
		if (i == s->q->chart && !(is_header && i + 1 == n)) {
			fputc(' ', s->fp);
			if (is_header)
				fprintf(s->fp, "%*s", CHART_WIDTH, "");
			else
				put_bar(s->fp, chart_value, t->chart_max,
				    i + 1 == n);
		}
	}
	fputc('\n', s->fp);
}

/* On a terminal, narrow the widest columns until the table fits. */
static void
fit_terminal(struct formatter *f, struct format_section *s)
{
	struct table *t = s->state;
	size_t i, n = s->q->ncolumns, total, widest;

	if (!f->opt.is_tty || f->opt.term_width == 0 || n == 0)
		return;
	for (;;) {
		total = TABLE_GAP * (n - 1);
		widest = 0;
		for (i = 0; i < n; i++) {
			total += t->width[i];
			if (t->width[i] > t->width[widest])
				widest = i;
		}
		if (total <= f->opt.term_width ||
		    t->width[widest] <= TABLE_MIN_CUT)
			return;
		t->width[widest]--;
	}
}

/* Prints the header and the held rows; widths are fixed from now on. */
static void
table_size(struct formatter *f, struct format_section *s)
{
	struct table *t = table_of(f, s);
	char **header = (char **)s->q->columns;
	size_t i, j;

	if (t->sized)
		return;
	t->sized = 1;
	if (!t->markdown)
		fit_terminal(f, s);
	if (f->opt.color && !t->markdown)
		fputs("\033[1m", s->fp);
	if (t->markdown) {
		/* Column names are cells too: escape them like the rows. */
		char **esc = xcalloc(s->q->ncolumns + 1, sizeof(*esc));
		struct value v;

		for (j = 0; j < s->q->ncolumns; j++) {
			v = value_str(header[j], strlen(header[j]));
			esc[j] = cell_text(&f->scratch, &v, 1);
		}
		put_row(f, s, esc, 0, 1);
		for (j = 0; j < s->q->ncolumns; j++)
			free(esc[j]);
		free(esc);
	} else
		put_row(f, s, header, 0, 1);
	if (f->opt.color && !t->markdown)
		fputs("\033[0m", s->fp);
	if (t->markdown) {
		fputs("|", s->fp);
		for (j = 0; j < s->q->ncolumns; j++) {
			size_t k, w = t->width[j] < 3 ? 3 : t->width[j];

			fputc(' ', s->fp);
			for (k = 0; k + 1 < w; k++)
				fputc('-', s->fp);
			fputs(t->numeric[j] == 1 ? ":" : "-", s->fp);
			fputs(" |", s->fp);
		}
		fputc('\n', s->fp);
	}
	for (i = 0; i < t->nheld; i++) {
		put_row(f, s, &t->held[i * s->q->ncolumns],
		    t->chart_value ? t->chart_value[i] : 0, 0);
		for (j = 0; j < s->q->ncolumns; j++)
			free(t->held[i * s->q->ncolumns + j]);
	}
	free(t->held);
	free(t->chart_value);
	t->held = NULL;
	t->chart_value = NULL;
	t->nheld = t->alloc = t->chart_alloc = 0;
}

static void
table_begin_section(struct formatter *f, struct format_section *s)
{
	if (s->later || f->opt.follows)
		fputc('\n', s->fp);
	if (f->kind == FORMAT_MARKDOWN) {
		struct buf name = BUF_INIT;

		md_escape(&name, s->q->name, strlen(s->q->name));
		fprintf(s->fp, "### %s\n\n", buf_str(&name));
		buf_release(&name);
	}
	else if (f->opt.color)
		fprintf(s->fp, "\033[1m%s\033[0m\n", s->q->name);
	else
		fprintf(s->fp, "%s\n", s->q->name);
}

static void
table_row(struct formatter *f, struct format_section *s,
    const struct value *cells, const struct line *line)
{
	struct table *t = table_of(f, s);
	size_t i, n = s->q->ncolumns, chart = s->q->chart;
	double cv = 0;
	char **row;

	(void)line;
	if (chart < n && !value_as_number(&cells[chart], &cv))
		cv = 0;
	if (t->sized) {
		row = xcalloc(n ? n : 1, sizeof(*row));
		for (i = 0; i < n; i++)
			row[i] = cell_text(&f->scratch, &cells[i],
			    t->markdown);
		put_row(f, s, row, cv, 0);
		for (i = 0; i < n; i++)
			free(row[i]);
		free(row);
		return;
	}
	if (chart < n) {
		XGROW(t->chart_value, t->nheld + 1, t->chart_alloc);
		t->chart_value[t->nheld] = cv;
		if (cv > t->chart_max)
			t->chart_max = cv;
	}
	XGROW(t->held, (t->nheld + 1) * n, t->alloc);
	row = &t->held[t->nheld++ * n];
	for (i = 0; i < n; i++) {
		size_t w;

		row[i] = cell_text(&f->scratch, &cells[i], t->markdown);
		w = text_width(row[i]);
		if (w > TABLE_MAX_WIDTH)
			w = TABLE_MAX_WIDTH;
		if (w > t->width[i])
			t->width[i] = w;
		if (cells[i].kind == VALUE_INT || cells[i].kind == VALUE_REAL) {
			if (t->numeric[i] == -1)
				t->numeric[i] = 1;
		} else if (cells[i].kind != VALUE_NULL)
			t->numeric[i] = 0;
	}
	if (t->nheld >= TABLE_HOLD_ROWS)
		table_size(f, s);
}

static void
table_idle(struct formatter *f, struct format_section *s)
{
	/* Only the section writing to the output can show rows now. */
	if (s->fp == f->out && s->state != NULL)
		table_size(f, s);
}

static void
table_end_section(struct formatter *f, struct format_section *s)
{
	size_t i, nfailed = 0;

	struct table *t;
	uint64_t failed_left_out = 0;
	struct buf b = BUF_INIT;

	table_size(f, s);
	t = s->state;
	if (f->kind == FORMAT_MARKDOWN && t->left_out > 0)
		fprintf(s->fp, "\n*%llu rows left out: the output stays "
		    "under GitHub's 1 MiB step summary limit.*\n",
		    (unsigned long long)t->left_out);
	if (s->approx)
		fprintf(s->fp, "%s(percentiles approximate: within 1%%)\n",
		    f->kind == FORMAT_MARKDOWN ? "\n" : "");
	if (f->kind != FORMAT_MARKDOWN)
		return;
	/* Failed assertions under the table, for $GITHUB_STEP_SUMMARY. */
	for (i = 0; i < s->nasserts; i++)
		nfailed += !s->asserts[i].passed;
	if (nfailed == 0)
		return;
	fprintf(s->fp, "\n**Failed assertions**\n\n");
	for (i = 0; i < s->nasserts; i++) {
		const struct format_assertion *a = &s->asserts[i];

		if (a->passed)
			continue;
		/* The expression is the query's, in a code span (a double
		 * fence if it holds a backtick); the values are the logs',
		 * escaped like cells. */
		buf_reset(&b);
		buf_printf(&b, strchr(a->expr, '`') ? "- `` %s `` (" :
		    "- `%s` (", a->expr);
		md_escape(&b, a->detail, strlen(a->detail));
		buf_adds(&b, ")\n");
		if (md_fits(f, b.len))
			fwrite(b.ptr, 1, b.len, s->fp);
		else
			failed_left_out++;
	}
	if (failed_left_out > 0)
		fprintf(s->fp, "\n*%llu failed assertions left out: the "
		    "output stays under GitHub's 1 MiB step summary limit.*\n",
		    (unsigned long long)failed_left_out);
	buf_release(&b);
}

static void
table_free_state(struct format_section *s)
{
	struct table *t = s->state;
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nheld * s->q->ncolumns; i++)
		free(t->held[i]);
	free(t->held);
	free(t->chart_value);
	free(t->width);
	free(t->numeric);
	free(t);
	s->state = NULL;
}

const struct format_impl format_markdown_impl = {
	.sectioned = 1,
	.begin_section = table_begin_section,
	.row = table_row,
	.idle = table_idle,
	.end_section = table_end_section,
	.free_state = table_free_state,
};

const struct format_impl format_table_impl = {
	.sectioned = 1,
	.begin_section = table_begin_section,
	.row = table_row,
	.idle = table_idle,
	.end_section = table_end_section,
	.free_state = table_free_state,
};
