/* reader.h - turn byte streams into lines of any length (SPEC section 2) */
#ifndef LOGQ_READER_H
#define LOGQ_READER_H

#include <stddef.h>

#include "diag.h"

struct reader;

struct line {
	const char	*text;		/* borrowed until next reader_next() */
	size_t		 len;		/* without "\n" or "\r\n" */
	unsigned long	 lineno;	/* 1-based, per input */
};

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
