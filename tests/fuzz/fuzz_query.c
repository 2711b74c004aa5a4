/* SPDX-License-Identifier: MIT */
/*
 * fuzz_query.c - libFuzzer harness: the YAML query loader (libyaml ->
 * struct query), then the planner that compiles what it loaded.
 *
 * The input is inline YAML, as `logq -e` gives it, loaded with an empty
 * search path. A report's `use:` items can still name files: the
 * harness is linked with -Wl,--wrap=fopen,--wrap=realpath so that
 * query.c sees a small in-memory file system (a query, a report that
 * uses it, a report that uses itself, a file with bad YAML) and nothing
 * of the real one. The wrap applies to every object linked, libFuzzer's
 * too, so the fake is in force only while the harness is loading a
 * query, and only for reading: libFuzzer's own corpus and crash files
 * are written with the real fopen.
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "fields.h"
#include "plan.h"
#include "query.h"
#include "util.h"

#include "fuzz.h"

/* A query file is a page of YAML; bigger ones are a CLI case. */
#define FUZZ_QUERY_MAX_LEN	(16 * 1024)

FILE	*__wrap_fopen(const char *path, const char *mode);
FILE	*__real_fopen(const char *path, const char *mode);
char	*__wrap_realpath(const char *path, char *resolved);
char	*__real_realpath(const char *path, char *resolved);

/* Set while query.c runs: the one global, as libFuzzer's entry point
 * leaves no other way to tell the wrappers. */
static int	fuzz_fake_fs;

static const struct {
	const char	*name;
	const char	*text;
} fuzz_files[] = {
	{ "a.yaml", "name: a\ndescription: status of the slow routes\n"
	    "params: {t: 500, levels: [error, fatal]}\n"
	    "where: latency_ms > $t and level in $levels\n"
	    "group_by: {route: route(path)}\n"
	    "aggregate: {n: count(), p99: p99(latency_ms)}\n"
	    "having: n > 1\nsort: -p99\nlimit: 5\n"
	    "assert: [\"p99 < $t\"]\n" },
	{ "list.yaml", "select: {t: time, m: msg}\n"
	    "where: 'msg =~ \"(?i)err\"'\n" },
	{ "r.yaml", "name: r\nparams: {t: 100}\nfields: {latency_ms: took:s}\n"
	    "queries:\n  - use: a.yaml\n    set: {t: 250}\n"
	    "  - use: list.yaml\n  - {aggregate: {n: count()}}\n" },
	{ "self.yaml", "queries: [{use: self.yaml}]\n" },
	{ "loop1.yaml", "queries: [{use: loop2.yaml}]\n" },
	{ "loop2.yaml", "queries: [{use: loop1.yaml}]\n" },
	{ "bad.yaml", "where: [unclosed\n" },
};

static const char *
fuzz_find(const char *path)
{
	const char *base = strrchr(path, '/');
	size_t i;

	base = base ? base + 1 : path;
	for (i = 0; i < sizeof fuzz_files / sizeof fuzz_files[0]; i++)
		if (strcmp(base, fuzz_files[i].name) == 0)
			return fuzz_files[i].text;
	return NULL;
}

FILE *
__wrap_fopen(const char *path, const char *mode)
{
	const char *text;

	if (!fuzz_fake_fs || strchr(mode, 'r') == NULL)
		return __real_fopen(path, mode);
	if ((text = fuzz_find(path)) == NULL) {
		errno = ENOENT;
		return NULL;
	}
	/* fmemopen reads the constant in place: no copy to free. */
	return fmemopen((void *)(uintptr_t)text, strlen(text), "r");
}

char *
__wrap_realpath(const char *path, char *resolved)
{
	const char *base = strrchr(path, '/');
	char *real;

	if (!fuzz_fake_fs)
		return __real_realpath(path, resolved);
	if (fuzz_find(path) == NULL) {
		errno = ENOENT;
		return NULL;
	}
	base = base ? base + 1 : path;
	real = xasprintf("/fuzz/%s", base);
	if (resolved != NULL) {
		snprintf(resolved, 4096, "%s", real);
		free(real);
		return resolved;
	}
	return real;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const field_args[] = { "latency_ms=took:s,ms" };
	struct query_path search = { NULL, 0 };
	struct query_list ql = { 0 };
	struct plan plan = { 0 };
	struct plan_options po = { 0 };
	struct diag err = { 0 };
	struct fields *builtin;
	char *yaml, *explained = NULL;
	size_t explained_len = 0;
	FILE *fp;
	int rc;

	if (size > FUZZ_QUERY_MAX_LEN)
		return 0;
	yaml = xmalloc(size + 1);
	memcpy(yaml, data, size);
	yaml[size] = '\0';

	fuzz_fake_fs = 1;
	rc = query_load_inline(yaml, &search, &ql, &err);
	fuzz_fake_fs = 0;
	if (rc == -1) {
		/* A query that does not load is exit 2 with a message. */
		if (err.msg == NULL || err.status != LOGQ_EXIT_USAGE ||
		    ql.n != 0)
			abort();
		goto out;
	}
	if (rc != 0 || diag_is_set(&err) || ql.n == 0)
		abort();

	builtin = fields_new_builtin();
	po.builtin = builtin;
	po.field_args = field_args;
	po.nfield_args = 1;
	if (plan_build(&plan, ql.items, ql.n, &po, &err) == 0) {
		if (plan.n != ql.n)
			abort();
		fp = open_memstream(&explained, &explained_len);
		if (fp != NULL) {
			plan_explain(&plan, fp);
			fclose(fp);
		}
		free(explained);
	} else if (err.msg == NULL || err.status != LOGQ_EXIT_USAGE)
		abort();
	plan_release(&plan);
	fields_free(builtin);
out:
	query_list_release(&ql);
	diag_release(&err);
	free(yaml);
	return 0;
}
