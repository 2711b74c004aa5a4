/* SPDX-License-Identifier: MIT */
/* suggest_test.c - the one edit distance and "did you mean" rule
 *
 * Distances counted by hand: one edit is an insertion, a deletion, a
 * change or a swap of two neighbours. */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "suggest.h"
#include "tap.h"

static size_t
dist(const char *a, const char *b)
{
	return suggest_distance(a, strlen(a), b, strlen(b));
}

static const char *
among(const char *word, const char *const *names, size_t n)
{
	return suggest_among(word, strlen(word), names, n);
}

static void
test_distance(void)
{
	char long_name[SUGGEST_MAX_LEN + 2];

	is_int(dist("", ""), 0, "empty to empty");
	is_int(dist("abc", ""), 3, "to empty: one deletion a byte");
	is_int(dist("", "abc"), 3, "from empty: one insertion a byte");
	is_int(dist("where", "where"), 0, "equal names");
	is_int(dist("wher", "where"), 1, "a missing letter");
	is_int(dist("lowr", "lower"), 1, "a missing letter inside");
	is_int(dist("p98", "p95"), 1, "a changed letter");
	is_int(dist("lwoer", "lower"), 1, "a swap of neighbours is one edit");
	is_int(dist("cuont", "count"), 1, "a swap inside a word");
	is_int(dist("eror", "errors"), 2, "two insertions");
	is_int(dist("ab", "ba"), 1, "the whole of a two-letter name swapped");
	is_int(dist("abc", "ca"), 3, "no swap across a deletion");
	is_int(dist("kitten", "sitting"), 3, "the textbook pair");
	is_int(dist("lowercase", "lower"), 4, "four deletions");
	memset(long_name, 'a', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	ok(dist(long_name, "a") == SIZE_MAX, "a name over %d bytes matches "
	    "nothing", SUGGEST_MAX_LEN);
	long_name[SUGGEST_MAX_LEN] = '\0';
	is_int(dist(long_name, long_name), 0, "a name of %d bytes still "
	    "counts", SUGGEST_MAX_LEN);
}

static void
test_rule(void)
{
	static const char *const keys[] = {
		"name", "description", "where", "select", "group_by",
		"aggregate", "having", "sort", "limit", "assert", "params",
		"fields", "chart"
	};
	static const char *const queries[] = { "a", "b", "c", "errors" };
	static const char *const funcs[] = { "route", "round" };
	struct suggest s;

	is_str(among("wher", keys, 13), "where", "one edit");
	is_str(among("eror", queries, 4), "errors", "two edits in four "
	    "letters");
	ok(among("zzzzzz", keys, 13) == NULL, "nothing close");
	ok(among("colour", keys, 13) == NULL, "three edits are too many");
	ok(among("d2", queries, 4) == NULL, "\"d2\" is two edits from \"a\" "
	    "but no typo of it: fewer edits than the word has bytes");
	is_str(among("cnt", (const char *const[]){ "count" }, 1), "count",
	    "two edits in three letters");
	ok(among("x", (const char *const[]){ "" }, 1) == NULL,
	    "a one-letter word is no typo of the empty name");
	ok(among("dir", queries, 4) == NULL, "nor is \"dir\" of \"a\"");
	is_str(among("rout", funcs, 2), "route", "ties go to the first name");
	ok(among("x", funcs, 0) == NULL, "no names, no suggestion");

	suggest_init(&s, "lowr", 4);
	ok(suggest_best(&s) == NULL, "nothing considered yet");
	suggest_consider(&s, "contains");
	ok(suggest_best(&s) == NULL, "a far name is not kept");
	suggest_consider(&s, "low");
	is_str(suggest_best(&s), "low", "names are considered one by one");
	suggest_consider(&s, "lower");
	is_str(suggest_best(&s), "low", "an equally near one does not win");
	suggest_consider(&s, "lowr");
	is_str(suggest_best(&s), "lowr", "a nearer one does");
}

int
main(void)
{
	test_distance();
	test_rule();
	return done_testing();
}
