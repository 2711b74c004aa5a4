/* SPDX-License-Identifier: MIT */
/* diag.h - error values with a place (STYLE section 4) */
#ifndef LOGQ_DIAG_H
#define LOGQ_DIAG_H

#include <stdio.h>

enum logq_exit {	/* values are the exit statuses of SPEC section 1.1 */
	LOGQ_EXIT_OK, LOGQ_EXIT_ASSERT, LOGQ_EXIT_USAGE, LOGQ_EXIT_INPUT
};

struct diag_pos {
	const char	*file;		/* borrowed; "-e" if inline */
	unsigned	 line, col;	/* 1-based; 0 when unknown */
};

/*
 * An error. Modules fill one and return NULL or -1; main() alone prints
 * it and picks the exit status. Zero-initialise; diag_release() frees.
 * Setting a diag that is already set replaces it.
 */
struct diag {
	enum logq_exit	 status;
	char		*file;		/* owned copy of pos.file, or NULL */
	unsigned	 line, col;	/* 1-based; 0 when unknown */
	char		*msg;		/* owned; NULL while unset */
	char		*source;	/* owned; line to underline, or NULL */
	unsigned	 caret_col;	/* 1-based column in source */
	unsigned	 span;		/* caret width, at least 1 */
};

void	diag_set(struct diag *d, enum logq_exit status, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
void	diag_set_at(struct diag *d, enum logq_exit status, struct diag_pos pos,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Sets the place of an error already set. */
void	diag_place(struct diag *d, struct diag_pos pos);
/* Attaches the source line (LEN bytes, copied) with a caret at column
 * CARET_COL (1-based, bytes) SPAN bytes wide. */
void	diag_source(struct diag *d, const char *line, size_t len,
	    unsigned caret_col, unsigned span);
/* Prefixes the message: "CONTEXT: old message". */
void	diag_prefix(struct diag *d, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
int	diag_is_set(const struct diag *d);
/* "logq: FILE:LINE:COL: MSG", then the source line and caret if any. */
void	diag_print(const struct diag *d, FILE *fp);
void	diag_release(struct diag *d);

#endif
