/* SPDX-License-Identifier: MIT */
/* diag.c - error values with a place, printed as SPEC section 1.2 asks */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "util.h"

/* Bytes of a source line shown under an error. */
#define DIAG_MAX_SOURCE	120

static void
diag_vset(struct diag *d, enum logq_exit status, const char *fmt, va_list ap)
{
	diag_release(d);
	d->status = status;
	d->msg = xvasprintf(fmt, ap);
}

void
diag_set(struct diag *d, enum logq_exit status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vset(d, status, fmt, ap);
	va_end(ap);
}

void
diag_set_at(struct diag *d, enum logq_exit status, struct diag_pos pos,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vset(d, status, fmt, ap);
	va_end(ap);
	diag_place(d, pos);
}

void
diag_place(struct diag *d, struct diag_pos pos)
{
	free(d->file);
	d->file = pos.file ? xstrdup(pos.file) : NULL;
	d->line = pos.line;
	d->col = pos.col;
}

void
diag_source(struct diag *d, const char *line, size_t len, unsigned caret_col,
    unsigned span)
{
	free(d->source);
	d->source = xstrndup(line, len);
	d->caret_col = caret_col ? caret_col : 1;
	d->span = span ? span : 1;
}

void
diag_prefix(struct diag *d, const char *fmt, ...)
{
	va_list ap;
	char *ctx, *msg;

	va_start(ap, fmt);
	ctx = xvasprintf(fmt, ap);
	va_end(ap);
	msg = xasprintf("%s: %s", ctx, d->msg ? d->msg : "error");
	free(ctx);
	free(d->msg);
	d->msg = msg;
}

int
diag_is_set(const struct diag *d)
{
	return d->msg != NULL;
}

/* Columns count bytes; the caret line must count what a terminal shows:
 * UTF-8 continuation bytes take no column, tabs are copied as tabs. */
static void
print_caret(FILE *fp, const char *src, unsigned col, unsigned span)
{
	size_t i, n = strlen(src);
	unsigned width = 0;

	fputs("    ", fp);
	for (i = 0; i + 1 < col && i < n; i++) {
		unsigned char c = (unsigned char)src[i];

		if ((c & 0xc0) == 0x80)
			continue;
		fputc(c == '\t' ? '\t' : ' ', fp);
	}
	for (; i + 1 < (size_t)col + span && i < n; i++)
		if (((unsigned char)src[i] & 0xc0) != 0x80)
			width++;
	if (width == 0)
		width = 1;
	while (width--)
		fputc('^', fp);
	fputc('\n', fp);
}

void
diag_print(const struct diag *d, FILE *fp)
{
	fprintf(fp, "%s: ", logq_progname);
	if (d->file) {
		fprintf(fp, "%s:", d->file);
		if (d->line) {
			fprintf(fp, "%u:", d->line);
			if (d->col)
				fprintf(fp, "%u:", d->col);
		}
		fputc(' ', fp);
	}
	fprintf(fp, "%s\n", d->msg ? d->msg : "unknown error");
	if (d->source) {
		const char *src = d->source, *nl = strchr(src, '\n');
		size_t n = nl ? (size_t)(nl - src) : strlen(src), start = 0;
		unsigned col = d->caret_col;
		char *window = NULL;

		/* A 1 MB expression is not echoed whole: a window of the line
		 * around the caret, cut at character boundaries. */
		if (n > DIAG_MAX_SOURCE) {
			size_t end;

			if (col > DIAG_MAX_SOURCE / 2)
				start = col - DIAG_MAX_SOURCE / 2;
			while (start > 0 &&
			    ((unsigned char)src[start] & 0xc0) == 0x80)
				start--;
			end = start + DIAG_MAX_SOURCE < n ?
			    start + DIAG_MAX_SOURCE : n;
			while (end < n && ((unsigned char)src[end] & 0xc0) == 0x80)
				end++;
			window = xasprintf("%s%.*s%s", start ? "\u2026" : "",
			    (int)(end - start), src + start,
			    end < n ? "\u2026" : "");
			/* The ellipsis is one column, three bytes. */
			col = col - (unsigned)start + (start ? 3 : 0);
			src = window;
			n = strlen(window);
		}
		fprintf(fp, "    %.*s\n", (int)n, src);
		print_caret(fp, src, col, d->span);
		free(window);
	}
}

void
diag_release(struct diag *d)
{
	free(d->file);
	free(d->msg);
	free(d->source);
	memset(d, 0, sizeof(*d));
}
