/* SPDX-License-Identifier: MIT */
/* prefetch.h - input files read and decompressed ahead, each on a thread
 * of its own, their spans handed over in file order (issue 18 item 7) */
#ifndef LOGQ_PREFETCH_H
#define LOGQ_PREFETCH_H

#include <stddef.h>

#include "diag.h"
#include "reader.h"
#include "util.h"

struct prefetch;

struct prefetch_options {
	size_t		 threads;	/* files read at once, at least 1 */
	size_t		 max_line_bytes;	/* reader_set_max_line_bytes */
	unsigned long	 shard_index, shard_count;	/* reader_set_shard */
};

/* What prefetch_next() found at the head of a file's queue. */
enum prefetch_kind {
	PREFETCH_ERROR = -1,	/* *err set: the file cannot be read on */
	PREFETCH_END,		/* the file is read */
	PREFETCH_SPAN,		/* *out and *into set */
	PREFETCH_NOTE		/* *note set: reader_set_shard's */
};

/*
 * Starts O->threads threads that open the FILES marked in IS_AHEAD (both
 * arrays of NFILES, borrowed for the prefetch's life; the others are
 * left to the caller), in order, and read each into a queue of spans of
 * at most about MAX_SPAN bytes (reader_take_span), a few spans ahead of
 * the caller: reading and decompressing file i + 1 goes on while the
 * caller works on file i. Call with SIGINT and SIGTERM blocked, so that
 * they go to the caller's thread. NULL when no thread could be started.
 */
struct prefetch	*prefetch_new(char *const *files, const char *is_ahead,
		    size_t nfiles, size_t max_span,
		    const struct prefetch_options *o);

/*
 * The next item of file I (one that IS_AHEAD marked), waiting for it:
 * a span, whose text is handed over in *INTO (its old buffer is kept
 * for later spans; out->text is into->ptr; out->too_long is valid until
 * the next call),
 * a note, the end of the file, or an error. *NOTE and *ERR are the
 * caller's to release.
 */
enum prefetch_kind prefetch_next(struct prefetch *p, size_t i,
		    struct buf *into, struct span *out, struct diag *note,
		    struct diag *err);

/* Stops the threads where they are, and frees what they read. NULL is
 * fine. */
void		 prefetch_free(struct prefetch *p);

/* Whether PATH is a regular file that starts as gzip or zstd data this
 * build decompresses: the files worth reading ahead. */
int		 prefetch_worth(const char *path);

#endif
