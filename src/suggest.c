/* SPDX-License-Identifier: MIT */
/* suggest.c - "did you mean": one edit distance, one rule for close */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "suggest.h"

size_t
suggest_distance(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t r0[SUGGEST_MAX_LEN + 1], r1[SUGGEST_MAX_LEN + 1];
	size_t r2[SUGGEST_MAX_LEN + 1];
	size_t *pp = r0, *prev = r1, *cur = r2, *t, i, j, d;

	if (alen > SUGGEST_MAX_LEN || blen > SUGGEST_MAX_LEN)
		return SIZE_MAX;
	for (j = 0; j <= blen; j++)
		prev[j] = j;
	for (i = 1; i <= alen; i++) {
		cur[0] = i;
		for (j = 1; j <= blen; j++) {
			d = prev[j - 1] + (a[i - 1] != b[j - 1]);
			if (prev[j] + 1 < d)
				d = prev[j] + 1;
			if (cur[j - 1] + 1 < d)
				d = cur[j - 1] + 1;
			/* Two rows back: a swap of neighbours. */
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && pp[j - 2] + 1 < d)
				d = pp[j - 2] + 1;
			cur[j] = d;
		}
		t = pp;
		pp = prev;
		prev = cur;
		cur = t;
	}
	return prev[blen];
}

void
suggest_init(struct suggest *s, const char *word, size_t len)
{
	s->word = word;
	s->len = len;
	s->best = NULL;
	/* Anything nearer than this is within the two edits allowed. */
	s->best_distance = 3;
}

void
suggest_consider(struct suggest *s, const char *name)
{
	size_t d = suggest_distance(s->word, s->len, name, strlen(name));

	/* Strictly nearer: ties keep the name considered first. */
	if (d < s->best_distance && d < s->len) {
		s->best = name;
		s->best_distance = d;
	}
}

const char *
suggest_best(const struct suggest *s)
{
	return s->best;
}

const char *
suggest_among(const char *word, size_t len, const char *const *names,
    size_t n)
{
	struct suggest s;
	size_t i;

	suggest_init(&s, word, len);
	for (i = 0; i < n; i++)
		suggest_consider(&s, names[i]);
	return suggest_best(&s);
}
