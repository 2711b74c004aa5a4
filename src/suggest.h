/* SPDX-License-Identifier: MIT */
/* suggest.h - "did you mean": one edit distance, one rule for close */
#ifndef LOGQ_SUGGEST_H
#define LOGQ_SUGGEST_H

#include <stddef.h>

/* Names longer than this are no typos of anything: they match nothing. */
#define SUGGEST_MAX_LEN		64

/*
 * Edit distance counting an insertion, a deletion, a change or a swap of
 * neighbours as one edit (optimal string alignment: "lwoer" is one edit
 * from "lower"). SIZE_MAX when either name is over SUGGEST_MAX_LEN.
 */
size_t	suggest_distance(const char *a, size_t alen, const char *b,
	    size_t blen);

/*
 * The search for the name nearest a mistyped WORD. A name is close
 * enough within two edits, and fewer edits than WORD has bytes ("cnt"
 * is a typo of "count", but "d2", two edits from "a", is no typo of
 * it: every byte would be changed). Of equally near names
 * the first considered wins, so callers offer names in their order of
 * preference. Borrows WORD and the names considered.
 */
struct suggest {
	const char	*word;
	size_t		 len;
	const char	*best;		/* NULL while nothing is close */
	size_t		 best_distance;
};

void	suggest_init(struct suggest *s, const char *word, size_t len);
void	suggest_consider(struct suggest *s, const char *name);
/* The nearest name considered that is close enough, or NULL. */
const char *suggest_best(const struct suggest *s);

/* The nearest of the N NAMES to WORD by the rule above, or NULL. */
const char *suggest_among(const char *word, size_t len,
	    const char *const *names, size_t n);

#endif
