/* SPDX-License-Identifier: MIT */
/* util.h - allocation that cannot fail, growable byte buffers, arenas */
#ifndef LOGQ_UTIL_H
#define LOGQ_UTIL_H

#include <stddef.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include "bytes.h"	/* bytes_equal() */

/* Out-of-memory is the one error we do not carry: these print a message
 * and exit(2), as git's xmalloc() does. */
void	*xmalloc(size_t n);
void	*xcalloc(size_t nmemb, size_t size);
void	*xrealloc(void *p, size_t n);
/* N bytes aligned to ALIGN (a power of two, a multiple of the size of a
 * pointer), for free(). */
void	*xmalloc_aligned(size_t align, size_t n);
char	*xstrdup(const char *s);
char	*xstrndup(const char *s, size_t n);
char	*xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char	*xvasprintf(const char *fmt, va_list ap);

/* Grows ARRAY (of *NALLOC elements) so that index N - 1 is valid. */
#define XGROW(array, n, nalloc) do {					\
	if ((size_t)(n) > (nalloc)) {					\
		size_t grow_ = (nalloc) ? (nalloc) * 2 : 8;		\
		while (grow_ < (size_t)(n))				\
			grow_ *= 2;					\
		(array) = xrealloc((array), grow_ * sizeof(*(array)));	\
		(nalloc) = grow_;					\
	}								\
} while (0)

/*
 * A growable byte buffer, always NUL-terminated once anything was added.
 * Transparent: ptr[0..len) are the bytes; ptr may be NULL while len is 0.
 * buf_release() frees the bytes; buf_take() hands them to the caller.
 */
struct buf {
	char	*ptr;
	size_t	 len;
	size_t	 cap;
};

#define BUF_INIT { NULL, 0, 0 }

void	 buf_reserve(struct buf *b, size_t extra);
void	 buf_add(struct buf *b, const void *data, size_t len);
void	 buf_addc(struct buf *b, char c);
void	 buf_adds(struct buf *b, const char *s);
void	 buf_printf(struct buf *b, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	 buf_reset(struct buf *b);		/* len = 0, keeps memory */
char	*buf_take(struct buf *b);		/* owned by caller, b reset */
void	 buf_release(struct buf *b);
/* NUL-terminated view; valid until the next change to b. */
const char *buf_str(struct buf *b);

/*
 * A bump allocator for per-line scratch values (strings made by
 * functions, lists). arena_reset() frees nothing but makes all of it
 * reusable: values made from an arena die at the next reset.
 */
struct arena;

struct arena	*arena_new(void);
void		*arena_alloc(struct arena *a, size_t n);	/* 16-aligned */
char		*arena_strndup(struct arena *a, const char *s, size_t n);
void		 arena_reset(struct arena *a);
void		 arena_free(struct arena *a);

/* Program name that starts every message: "logq" whatever argv[0] is,
 * so that messages read the same from a wrapper or a symlink. */
extern const char *const logq_progname;

#endif
