/* format_table.c - aligned columns for people (SPEC 5, 4.2) */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "format_priv.h"

/* Rows held back to size the columns before the header is printed. */
#define TABLE_HOLD_ROWS	1000
#define TABLE_GAP	2	/* blanks between columns */
#define TABLE_MIN_CUT	8	/* a cut column keeps at least this width */
#define CHART_WIDTH	20	/* cells of the longest bar */

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

/* A cell's text: control characters are shown escaped, so a log line
 * cannot move the cursor or break the row ("\n", "\t", "\x1b"). */
static char *
cell_text(struct buf *b, const struct value *v, int markdown)
{
	struct buf out = BUF_INIT;
	size_t i;

	buf_reset(b);
	value_write_text(b, v, VALUE_TEXT_TABLE);
	for (i = 0; i < b->len; i++) {
		unsigned char c = (unsigned char)b->ptr[i];

		if (c == '|' && markdown)
			buf_adds(&out, "\\|");
		else if (c >= 0x20 && c != 0x7f)
			buf_addc(&out, (char)c);
		else if (c == '\n')
			buf_adds(&out, "\\n");
		else if (c == '\t')
			buf_adds(&out, "\\t");
		else if (c == '\r')
			buf_adds(&out, "\\r");
		else
			buf_printf(&out, "\\x%02x", c);
	}
	return buf_take(&out);
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

static void
put_row(struct formatter *f, struct format_section *s, char **cells,
    double chart_value, int is_header)
{
	struct table *t = s->state;
	size_t i, n = s->q->ncolumns;

	if (t->markdown) {
		fputs("|", s->fp);
		for (i = 0; i < n; i++) {
			fputc(' ', s->fp);
			put_cell(s->fp, cells[i], t->width[i],
			    t->numeric[i] == 1, 0, 0);
			fputs(" |", s->fp);
		}
		fputc('\n', s->fp);
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
	if (s->index > 0)
		fputc('\n', s->fp);
	if (f->kind == FORMAT_MARKDOWN)
		fprintf(s->fp, "### %s\n\n", s->q->name);
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

	table_size(f, s);
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
	for (i = 0; i < s->nasserts; i++)
		if (!s->asserts[i].passed)
			fprintf(s->fp, "- `%s` (%s)\n", s->asserts[i].expr,
			    s->asserts[i].detail);
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
