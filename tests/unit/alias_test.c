/* SPDX-License-Identifier: MIT */
/* alias_test.c - aliases read through the cache and line shapes against
 * their definition, on every line of the test corpora
 *
 * An alias is its first spelling present and not null on the line, with
 * that spelling's conversion (fields.h). The oracle below reads exactly
 * that with record_get(); alias_ref() must agree on every line while
 * its cache carries what earlier lines of each shape taught it, with
 * the aliases read in several orders so that slots are taken over and
 * read back. The built-in table is joined by aliases of nested, dotted
 * and converted spellings, so that every way alias.c has of deciding is
 * taken.
 */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "alias.h"
#include "fields.h"
#include "record.h"
#include "util.h"
#include "tap.h"

#define MAX_ALIASES	64

static const struct fields_alias *aliases[MAX_ALIASES];
static size_t naliases;
static unsigned long n_lines, n_reads, n_shaped, n_bad;

/* Same kind and same value: 1 and 1.0 differ (INT and REAL). */
static int
same_value(const struct value *a, const struct value *b)
{
	if (a->kind != b->kind)
		return 0;
	if (a->kind == VALUE_JSON)
		return json_equal((json_t *)a->u.json, (json_t *)b->u.json);
	if (a->kind == VALUE_REAL)
		return a->u.r == b->u.r;
	return value_equal(a, b);
}

/* The alias by its definition: no cache, no shape, no jscan look-up. */
static struct value
oracle(const struct fields_alias *alias, const struct record *rec,
    struct arena *arena)
{
	struct value v;
	size_t i;

	for (i = 0; i < alias->nalts; i++) {
		const struct fields_alt *alt = &alias->alts[i];

		if (!record_get(rec, &alt->path, &v) || v.kind == VALUE_NULL)
			continue;
		/* A pino level that is already a name stays as it is. */
		if (alt->conv != FIELDS_AS_IS && !(alt->conv == FIELDS_PINO &&
		    v.kind == VALUE_STRING))
			v = fields_convert(alt->conv, v, arena);
		return v;
	}
	return value_null();
}

static void
check_alias(const struct fields_alias *alias, struct alias_cache *c,
    const struct record *rec, struct arena *arena, const char *text)
{
	struct value want = oracle(alias, rec, arena);
	const struct value *got = alias_ref(alias, c, rec, arena);

	n_reads++;
	if (!same_value(got, &want) && n_bad++ < 10) {
		struct buf g = BUF_INIT, w = BUF_INIT;

		value_write_json(&g, got);
		value_write_json(&w, &want);
		printf("# %s: got %s, want %s on %.200s\n", alias->name,
		    buf_str(&g), buf_str(&w), text);
		buf_release(&g);
		buf_release(&w);
	}
}

/* Every alias on the line, forwards, backwards, then every third. */
static void
check_line(struct alias_cache *c, struct record *rec, struct arena *arena,
    const char *text, size_t len)
{
	struct line line = { text, len, 1 };
	size_t i;

	if (record_parse(rec, &line, "-", NULL) != RECORD_OK)
		return;
	n_lines++;
	for (i = 0; i < naliases; i++)
		check_alias(aliases[i], c, rec, arena, text);
	if (c->shape != NULL)
		n_shaped++;
	for (i = naliases; i-- > 0;)
		check_alias(aliases[i], c, rec, arena, text);
	for (i = 0; i < naliases; i += 3)
		check_alias(aliases[i], c, rec, arena, text);
	arena_reset(arena);
}

static void
check_file(struct alias_cache *c, struct record *rec, struct arena *arena,
    const char *path)
{
	FILE *fp = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if (fp == NULL)
		return;
	while ((n = getline(&line, &cap, fp)) > 0) {
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			n--;
		check_line(c, rec, arena, line, (size_t)n);
	}
	free(line);
	fclose(fp);
}

/* The aliases of F, by the names fields_print() gives. */
static void
collect_aliases(const struct fields *f)
{
	char *text = NULL, *p, *eq;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);

	fields_print(f, fp);
	fclose(fp);
	for (p = text; p != NULL && *p != '\0' && naliases < MAX_ALIASES;
	    p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if ((eq = strchr(p, '=')) == NULL)
			break;
		aliases[naliases] = fields_find(f, p, (size_t)(eq - p));
		if (aliases[naliases] != NULL)
			naliases++;
	}
	free(text);
}

int
main(void)
{
	static const char *const extra[] = {
		"dur=took:s,duration_ms,http.duration:ms,latency:us,elapsed:ns",
		"lvl=level:pino,severity,log.level",
		"code=http.status_code,http.status,status,response.status",
		"where=_file,_prefix,host",
		"dotted=log.level,msg",
	};
	static const char *const hand[] = {
		"{\"latencyMs\": 5, \"latency_ms\": 7}",
		"{\"latencyMs\": null, \"latency_ms\": 7}",
		"{\"latencyMs\": null, \"latency_ms\": null}",
		"{\"latencyMs\": 6, \"latency_ms\": 7}",
		"{\"status\": 1, \"status\": 2}",
		"{\"status\": 3, \"status\": null}",
		"{\"status\": null, \"status\": 4}",
		"{\"http\": {\"status_code\": 404}}",
		"{\"http\": {\"code\": 404}}",
		"{\"http\": 1}",
		"{\"http.status_code\": 500}",
		"{\"http.status\": 500}",
		"{\"level\": 30, \"took\": 1.5}",
		"{\"level\": \"warn\", \"took\": \"2s\"}",
		"{\"log.level\": \"error\", \"log\": {\"level\": \"info\"}}",
		"{\"log\": {\"level\": \"info\"}, \"log.level\": \"error\"}",
		"2024-01-01T00:00:00Z web-1 {\"msg\": \"x\", \"status\": 200}",
	};
	const char *tests = getenv("LOGQ_TESTS");
	struct fields *f = fields_new_builtin();
	struct record *rec = record_new();
	struct arena *arena = arena_new();
	struct alias_cache cache;
	struct diag err = { 0 };
	char dir[4096];
	size_t i, k;
	DIR *d;
	struct dirent *de;

	for (i = 0; i < sizeof(extra) / sizeof(extra[0]); i++)
		if (fields_set_arg(f, extra[i], &err) < 0) {
			printf("# %s: %s\n", extra[i], err.msg);
			diag_release(&err);
		}
	collect_aliases(f);
	ok(naliases > 10, "%zu aliases, the built-in table and %zu more",
	    naliases, sizeof(extra) / sizeof(extra[0]));

	/* The hand-made lines, in turn and then each twice over, so that
	 * a shape is met again with other values. */
	alias_cache_init(&cache);
	for (k = 0; k < 3; k++)
		for (i = 0; i < sizeof(hand) / sizeof(hand[0]); i++)
			check_line(&cache, rec, arena, hand[i],
			    strlen(hand[i]));
	ok(n_bad == 0, "the cache agrees with the definition on %lu "
	    "hand-made lines", n_lines);

	/* Every line of the golden tests' inputs, one cache for all. */
	if (tests == NULL)
		tests = "tests";
	n_lines = n_reads = n_shaped = n_bad = 0;
	for (i = 0; i < 3; i++) {
		static const char *const sub[] = {
			"cli/data", "cli/data/real", "cli/data/agg"
		};

		snprintf(dir, sizeof(dir), "%s/%s", tests, sub[i]);
		if ((d = opendir(dir)) == NULL)
			continue;
		while ((de = readdir(d)) != NULL) {
			char path[8192];

			if (de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
			check_file(&cache, rec, arena, path);
		}
		closedir(d);
	}
	ok(n_lines > 500 && n_shaped > n_lines / 2, "the corpora were read "
	    "(%lu lines, %lu of them with a shape)", n_lines, n_shaped);
	ok(n_bad == 0, "the cache agrees with the definition on every "
	    "corpus line (%lu reads)", n_reads);

	alias_cache_release(&cache);
	arena_free(arena);
	record_free(rec);
	fields_free(f);
	return done_testing();
}
