/* reader.h - turn byte streams into lines of any length (SPEC section 2) */
#ifndef LOGQ_READER_H
#define LOGQ_READER_H

#include <stddef.h>

#include "diag.h"
#include "line.h"
#include "util.h"

struct reader;

/*
 * Opens PATH ("-" is standard input; a name ending in ".gz" is
 * decompressed when built with zlib). NULL with *err filled (exit 3)
 * when the file cannot be read: missing, a directory, no permission.
 */
struct reader	*reader_open(const char *path, struct diag *err);

/* 1 with *out filled; 0 at end of input; -1 with *err filled (a read
 * error, exit status 3). A last line without a newline is still a line. */
int		 reader_next(struct reader *r, struct line *out,
		    struct diag *err);

/*
 * Whole lines as they are buffered, for a caller that cuts them itself
 * (elsewhere, later, in another thread): text holds nlines lines with
 * their line ends, the first numbered lineno; only at the end of input
 * may the last line lack its newline.
 */
struct span {
	const char	*text;		/* borrowed until next call */
	size_t		 len;
	unsigned long	 lineno;	/* of the first line */
	size_t		 nlines;
};

/*
 * The complete lines buffered now, reading first if there is none: at
 * most about MAX bytes of them unless the first line alone is longer.
 * 1 with *out set; 0 at end of input; -1 with *err set. Interleaving
 * with reader_next() is fine.
 */
int		 reader_next_span(struct reader *r, size_t max,
		    struct span *out, struct diag *err);

/*
 * reader_next_span() into *INTO, which must be empty: the span is the
 * reader's own buffer handed over when it can be (the reader takes
 * INTO's old buffer in exchange and keeps the bytes after the span),
 * else a copy. out->text is INTO's text either way.
 */
int		 reader_take_span(struct reader *r, struct buf *into,
		    size_t max, struct span *out, struct diag *err);

/*
 * Cuts the line at *POS of a span's TEXT (LEN bytes) as reader_next()
 * would give it (without "\n" or "\r\n"; a last line without a newline
 * keeps a final '\r'), and moves *POS past it. 0 when *POS is at LEN.
 */
int		 reader_cut_line(const char *text, size_t len, size_t *pos,
		    const char **line, size_t *line_len);

/*
 * Called before the reader blocks waiting for more input from a pipe or
 * terminal (not before reading a regular file), so that output held for
 * alignment can be flushed while a live stream is idle. NULL: none.
 */
void		 reader_set_idle_hook(struct reader *r,
		    void (*hook)(void *), void *ctx);

/* The name given to reader_open ("-" for standard input). */
const char	*reader_name(const struct reader *r);
void		 reader_free(struct reader *r);

#endif
