/* SPDX-License-Identifier: MIT */
/* line.h - one input line, as the reader hands it out (SPEC section 2) */
#ifndef LOGQ_LINE_H
#define LOGQ_LINE_H

#include <stddef.h>

/* The text is borrowed: how long for, each producer says (reader_next:
 * until its next call; a kept row: as long as the row). */
struct line {
	const char	*text;		/* borrowed until next reader_next() */
	size_t		 len;		/* without "\n" or "\r\n" */
	unsigned long	 lineno;	/* 1-based, per input */
};

#endif
