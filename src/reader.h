/* SPDX-License-Identifier: MIT */
/* reader.h - turn byte streams into lines of any length (SPEC section 2) */
#ifndef LOGQ_READER_H
#define LOGQ_READER_H

#include <signal.h>
#include <stddef.h>

#include "diag.h"
#include "line.h"
#include "util.h"

struct reader;

/*
 * Set to a signal's number by logq's SIGINT/SIGTERM handler (SPEC 1.1):
 * every read then ends as at end of input, so the run prints the results
 * of the lines read so far. A global because a signal handler sets it.
 */
extern volatile sig_atomic_t reader_stop;

/*
 * Opens PATH ("-" is standard input; gzip and zstd input, told by its
 * first bytes, is decompressed when built in). NULL with *err filled (exit 3)
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
	/* The lines of the span longer than reader_set_max_line_bytes()
	 * allows, ascending: each is an empty line in TEXT, its bytes
	 * dropped as they were read. Borrowed until the next call. */
	const unsigned long *too_long;
	size_t		 ntoo_long;
	/* On CRI input, the lines of the span that are later records of
	 * a run joined into its first record's line (each an empty line
	 * in TEXT), ascending; borrowed likewise. */
	const unsigned long *joined;
	size_t		 njoined;
};

/*
 * The complete lines buffered now, reading first if there is none: at
 * most about MAX bytes of them unless the first line alone is longer.
 * On input in the CRI log format (its first line a CRI record), a line
 * is a record joined with the partial records of its run (logq(1),
 * INPUT), as reader_next() gives it too: the joined line in its
 * first record's place, the run's later records empty lines (listed in
 * span.joined); a joined line longer than reader_set_max_line_bytes()
 * allows is dropped as a too-long line is, not held past the cap; a run
 * open at a span's end goes, whole, to the next span.
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

/*
 * Follow mode's clock (SPEC 6): TIMER is called before every read, and
 * does what is due (a print) and returns the milliseconds until it is
 * next due, or -1 to end the input now (the output is gone). On a live
 * stream (pipe, terminal, FIFO) the reader then waits for input in
 * poll(2) no longer than that, and calls TIMER again when the wait times
 * out: no busy waiting, and a print is on time while no line comes. A
 * regular file is not waited on. NULL: none.
 */
void		 reader_set_timer(struct reader *r, int (*timer)(void *),
		    void *ctx);

/*
 * Lines longer than MAX bytes (without their line end; 0, the default:
 * no cap, SPEC 2) are not kept whole: the spans give each as an empty
 * line listed in span.too_long, and the reader's memory stays about MAX
 * bytes whatever the input. On CRI input a joined line longer than MAX
 * is given so, and a line longer than MAX is cut to its first MAX + 2
 * bytes before the join, which keeps it too long (the caller drops
 * lines longer than MAX). Applies to reader_next_span() and
 * reader_take_span(), not reader_next().
 */
void		 reader_set_max_line_bytes(struct reader *r, size_t max);

/*
 * The allocator the reader grows its line buffer with (realloc(3) by
 * default; unit tests pass one that fails). When it fails, the call
 * that was reading returns -1 with *err (exit status 3) naming the file
 * and the line too long for memory, instead of exiting as xrealloc()
 * would: an endless line is bad input, not a bug of logq.
 */
void		 reader_set_allocator(struct reader *r,
		    void *(*realloc_fn)(void *, size_t));

/*
 * --shard INDEX/COUNT (SPEC 1, 7; 1 <= INDEX <= COUNT): the input's bytes
 * from where it is now to its size are cut into COUNT equal ranges, and
 * only the lines that start in the INDEX-th are read, the last of them
 * to its end past the range. Line numbers stay the input's own: the
 * newlines before the range are counted (read, not parsed). So the
 * COUNT shards read every line once, whatever the lines' lengths; on
 * CRI input, a joined line is the shard's where its first record
 * starts, read past the range to its run's end.
 * Call before the first read. Returns 1 when the input is split; 0 when
 * it cannot be (not a regular file, or compressed: a gzip or zstd
 * stream has no line boundaries to seek to), and then shard 1 reads it
 * whole and the others none of it, so the shards still add up, with
 * *NOTE (LOGQ_EXIT_OK; the caller releases it) saying so; -1 with *err
 * (exit 3) when the file cannot be read. Data logq refuses to read
 * (bzip2, xz, ...) is left to the first read to report, in every shard.
 */
int		 reader_set_shard(struct reader *r, unsigned long index,
		    unsigned long count, struct diag *note, struct diag *err);

/* The name given to reader_open ("-" for standard input). */
const char	*reader_name(const struct reader *r);
void		 reader_free(struct reader *r);

/* Whether PATH is a regular file that starts as gzip or zstd data this
 * build decompresses, by its first bytes, whatever its name (SPEC 1). */
int		 reader_is_compressed(const char *path);

#endif
