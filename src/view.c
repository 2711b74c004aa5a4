/* SPDX-License-Identifier: MIT */
/* view.c - follow mode's terminal view: each print redrawn in place */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "util.h"
#include "view.h"

/* ECMA-48 controls, understood by every terminal logq meets. */
#define VIEW_HOME		"\033[H"
#define VIEW_CLEAR_SCREEN	"\033[2J"
#define VIEW_CLEAR_LINE		"\033[K"	/* to the end of the line */
#define VIEW_CLEAR_BELOW	"\033[J"	/* to the end of the screen */
#define VIEW_CURSOR_HIDE	"\033[?25l"
#define VIEW_CURSOR_SHOW	"\033[?25h"
#define VIEW_ATTR_RESET		"\033[m"

struct view {
	FILE		*fp;
	char		*text;		/* the frame being written */
	size_t		 len;
	FILE		*mem;		/* open_memstream() on text */
	unsigned	 cols, rows;
	int		 painted;	/* a frame is on the screen */
};

/*
 * The terminal's fd while a frame hid the cursor, else -1: read by the
 * signal handler of the second SIGINT (view_restore_from_signal), so it
 * cannot live in struct view (STYLE 5 allows a signal flag).
 */
static volatile sig_atomic_t cursor_hidden_fd = -1;

struct view *
view_new(FILE *fp)
{
	struct view *v = xcalloc(1, sizeof(*v));

	v->fp = fp;
	return v;
}

/* The terminal's size now: TIOCGWINSZ, else $COLUMNS/$LINES, else
 * 80x24. */
static void
view_size(struct view *v)
{
	struct winsize ws;
	const char *env;

	v->cols = 80;
	v->rows = 24;
	if (ioctl(fileno(v->fp), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 &&
	    ws.ws_row > 0) {
		v->cols = ws.ws_col;
		v->rows = ws.ws_row;
		return;
	}
	if ((env = getenv("COLUMNS")) != NULL && atoi(env) > 0)
		v->cols = (unsigned)atoi(env);
	if ((env = getenv("LINES")) != NULL && atoi(env) > 0)
		v->rows = (unsigned)atoi(env);
}

FILE *
view_frame_begin(struct view *v, unsigned *cols)
{
	view_size(v);
	free(v->text);
	v->text = NULL;
	v->len = 0;
	*cols = v->cols;
	return v->mem = open_memstream(&v->text, &v->len);
}

/*
 * Writes LINE (LEN bytes, no newline) cut to MAX columns, then clears
 * the rest of the screen line. A column is a character: a UTF-8 lead
 * byte (the table's cells and bars are one column each); escape
 * sequences (colours) take none. One column is left free: a character
 * in the last one leaves the cursor waiting to wrap, where "clear to
 * the end of the line" would erase it.
 */
static void
put_line(FILE *fp, const char *line, size_t len, unsigned max)
{
	size_t i = 0, used = 0;
	int escaped = 0;

	if (max > 1)
		max--;
	while (i < len) {
		unsigned char c = (unsigned char)line[i];

		if (c == '\033' && i + 1 < len && line[i + 1] == '[') {
			size_t j = i + 2;

			while (j < len && ((unsigned char)line[j] < 0x40 ||
			    (unsigned char)line[j] > 0x7e))
				j++;
			j += j < len;
			fwrite(line + i, 1, j - i, fp);
			escaped = 1;
			i = j;
			continue;
		}
		if ((c & 0xc0) != 0x80 && used++ == max)
			break;
		fputc(c, fp);
		i++;
	}
	if (escaped && i < len)
		fputs(VIEW_ATTR_RESET, fp);
	fputs(VIEW_CLEAR_LINE "\n", fp);
}

int
view_frame_end(struct view *v, const char *status, int final,
    struct diag *err)
{
	const char *p, *end, *nl;
	size_t nlines = 0, shown, room;
	int rc = fclose(v->mem);

	v->mem = NULL;
	if (rc != 0) {
		diag_set(err, LOGQ_EXIT_INPUT, "cannot hold the terminal "
		    "view's frame: %s", strerror(errno));
		errno = 0;	/* not the terminal's fault */
		return -1;
	}
	/* The status line, the frame, and the line the cursor rests on
	 * (a newline on the screen's last line would scroll it). */
	room = v->rows > 2 ? v->rows - 2 : 1;
	for (p = v->text, end = v->text + v->len; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		nlines++;
	}
	shown = nlines <= room ? nlines : room - 1;
	if (!v->painted) {
		/* The first frame: the screen's old content goes once. */
		fputs(VIEW_CURSOR_HIDE VIEW_HOME VIEW_CLEAR_SCREEN, v->fp);
		cursor_hidden_fd = fileno(v->fp);
		v->painted = 1;
	} else
		fputs(VIEW_HOME, v->fp);
	put_line(v->fp, status, strlen(status), v->cols);
	for (p = v->text; shown > 0; p = nl + 1, shown--) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		put_line(v->fp, p, (size_t)(nl - p), v->cols);
	}
	if (nlines > room) {
		char more[80];

		snprintf(more, sizeof(more), "… %zu more lines: a taller "
		    "terminal shows them", nlines - (room - 1));
		put_line(v->fp, more, strlen(more), v->cols);
	}
	fputs(VIEW_CLEAR_BELOW, v->fp);
	if (final) {
		fputs(VIEW_CURSOR_SHOW, v->fp);
		cursor_hidden_fd = -1;
	}
	if (fflush(v->fp) != 0 || ferror(v->fp)) {
		diag_set(err, LOGQ_EXIT_INPUT, "error writing output: %s",
		    strerror(errno));
		return -1;
	}
	return 0;
}

void
view_free(struct view *v)
{
	if (v == NULL)
		return;
	if (v->mem != NULL)
		fclose(v->mem);
	if (cursor_hidden_fd != -1) {
		fputs(VIEW_CURSOR_SHOW, v->fp);
		fflush(v->fp);
		cursor_hidden_fd = -1;
	}
	free(v->text);
	free(v);
}

void
view_restore_from_signal(void)
{
	int fd = cursor_hidden_fd;
	ssize_t n;

	if (fd == -1)
		return;
	n = write(fd, VIEW_CURSOR_SHOW, sizeof(VIEW_CURSOR_SHOW) - 1);
	(void)n;
}
