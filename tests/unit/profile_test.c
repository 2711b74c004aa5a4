/* SPDX-License-Identifier: MIT */
/* profile_test.c - format profiles: loading, their order, recognition
 * per line shape and per line, and the aliases read through them
 *
 * Profiles are written to a directory of their own; lines are parsed
 * into a record and read through alias_ref() with the profiles set, as
 * a worker reads them, several times over and interleaved so that the
 * shape cache's learnt profile is what is read back.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/stat.h>

#include "alias.h"
#include "fields.h"
#include "line.h"
#include "profile.h"
#include "querypath.h"
#include "record.h"
#include "util.h"
#include "tap.h"

static char dir[64];
static struct query_path search;

static void
write_profile(const char *name, const char *yaml)
{
	char *path = xasprintf("%s/%s.yaml", dir, name);
	FILE *fp = fopen(path, "w");

	if (fp == NULL) {
		perror(path);
		exit(99);
	}
	fputs(yaml, fp);
	fclose(fp);
	free(path);
}

static void
remove_profile(const char *name)
{
	char *path = xasprintf("%s/%s.yaml", dir, name);

	unlink(path);
	free(path);
}

/* ALIAS (of TABLE) on LINE as text ("null" when absent). */
static char *
read_alias(struct alias_cache *c, struct record *rec,
    const struct fields *table, const char *alias, const char *text)
{
	struct line line = { text, strlen(text), 1 };
	struct buf b = BUF_INIT;
	const struct value *v;

	if (record_parse(rec, &line, "t", NULL) != RECORD_OK)
		return xstrdup("(not parsed)");
	v = alias_ref(fields_find(table, alias, strlen(alias)), c, rec, NULL);
	if (v->kind == VALUE_NULL)
		buf_adds(&b, "null");
	else
		value_write_text(&b, v, VALUE_TEXT_PLAIN);
	return buf_take(&b);
}

#define is_alias(c, rec, table, alias, text, want) do {			\
	char *text_ = read_alias(c, rec, table, alias, text);		\
	is_str(text_, want, "%s on %s", alias, text);			\
	free(text_);							\
} while (0)

static int warnings;

static void
count_warning(void *ctx, const struct diag *d)
{
	(void)ctx;
	(void)d;
	warnings++;
}

static const char *const caddy_access =
    "{\"level\":\"error\",\"ts\":2,\"logger\":\"http.log.access.log0\","
    "\"msg\":\"handled request\",\"request\":{\"uri\":\"/c\"},"
    "\"duration\":0.3101,\"status\":502}";
static const char *const caddy_error =
    "{\"level\":\"error\",\"ts\":1,\"logger\":\"http.log.error\","
    "\"msg\":\"handled request\",\"request\":{\"uri\":\"/c\"},"
    "\"duration\":0.3101,\"status\":502}";
static const char *const traefik =
    "{\"DownstreamStatus\":404,\"RequestPath\":\"/t\",\"Duration\":100000,"
    "\"status\":1}";
static const char *const plain =
    "{\"ts\":3,\"level\":\"INFO\",\"msg\":\"m\",\"status\":200,"
    "\"code\":\"E1\",\"duration\":2}";
static const char *const clef_info = "{\"@t\":\"x\",\"@mt\":\"hello\"}";
static const char *const clef_warn =
    "{\"@t\":\"x\",\"@mt\":\"hello\",\"@l\":\"Warning\"}";
static const char *const structlog =
    "{\"event\":\"request_finished\",\"level\":\"error\",\"code\":500}";

/*
 * Workers recognising lines at the same time on one set: each thread
 * its own cache and record, its own order of the formats, so that the
 * first use of a profile (its table built) races with the others'.
 * Counts the values read otherwise than the profile says.
 */
struct reader_arg {
	struct profile_set	*set;
	const struct fields	*builtin;
	int			 start, wrong;
};

static void *
reader_thread(void *varg)
{
	static const struct {
		const char *line, *alias, *want;
	} reads[] = {
		{ NULL, "latency_ms", "0.1" },		/* traefik */
		{ NULL, "path", "/c" },			/* caddy */
		{ NULL, "level", "warn" },		/* clef */
		{ NULL, "status", "500" },		/* structlog */
		{ NULL, "status", "null" },		/* caddy-error */
	};
	const char *lines[] = { traefik, caddy_access, clef_warn, structlog,
	    caddy_error };
	struct reader_arg *arg = varg;
	struct record *rec = record_new();
	struct alias_cache c;
	size_t i, k, n = sizeof(reads) / sizeof(reads[0]);
	char *got;

	alias_cache_init(&c);
	alias_cache_set_profiles(&c, arg->set);
	for (i = 0; i < 50 * n; i++) {
		k = ((size_t)arg->start + i) % n;
		got = read_alias(&c, rec, arg->builtin, reads[k].alias,
		    lines[k]);
		arg->wrong += strcmp(got, reads[k].want) != 0;
		free(got);
	}
	alias_cache_release(&c);
	record_free(rec);
	return NULL;
}

static void
test_threads(const struct fields *builtin)
{
	struct reader_arg args[4];
	pthread_t th[4];
	struct profile_set set;
	struct diag err = { 0 };
	size_t i, built = 0;
	int wrong = 0;

	ok(profile_set_load(&set, &search, builtin, &err) == 0,
	    "the profiles load again");
	set.quiet = 1;
	for (i = 0; i < 4; i++) {
		args[i] = (struct reader_arg){ &set, builtin, (int)i, 0 };
		if (pthread_create(&th[i], NULL, reader_thread, &args[i]) != 0)
			abort();
	}
	for (i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		wrong += args[i].wrong;
	}
	is_int(wrong, 0, "four threads at once read every format its "
	    "profile's way");
	for (i = 0; i < set.n; i++)
		built += set.v[i]->built && set.v[i]->fields != NULL;
	is_int((long long)built, 5, "each profile used is built, once");
	diag_release(&err);
	profile_set_release(&set);
}

int
main(void)
{
	struct fields *builtin = fields_new_builtin(), *query;
	struct profile_set set;
	struct alias_cache c;
	struct record *rec = record_new();
	struct diag err = { 0 };
	struct buf wide = BUF_INIT;
	int i, round;

	snprintf(dir, sizeof(dir), "/tmp/profile_test.%ld", (long)getpid());
	if (mkdir(dir, 0700) != 0) {
		perror(dir);
		return 99;
	}
	search.dirs = (char *[]){ dir };
	search.n = 1;

	write_profile("caddy",
	    "name: caddy\nmatch:\n  keys: [request, status]\n"
	    "  values: {logger: \"http.log.access*\"}\n"
	    "fields:\n  path: request.uri\n  latency_ms: duration:s\n");
	write_profile("caddy-error",
	    "name: caddy-error\nmatch:\n  keys: [request]\n"
	    "  values: {logger: http.log.error}\n"
	    "fields: {status: null, path: [], latency_ms: null}\n");
	write_profile("traefik",
	    "name: traefik\nmatch: {keys: [DownstreamStatus, RequestPath],"
	    " priority: 10}\nfields:\n  status: DownstreamStatus\n"
	    "  path: RequestPath\n  latency_ms: Duration:ns\n");
	write_profile("clef",
	    "name: clef\nmatch: {keys: [\"@t\"]}\n"
	    "fields: {msg: \"@m,@mt\", level: \"@l\"}\n"
	    "levels: {Information: info, Warning: warn}\n"
	    "level_default: info\n");
	write_profile("structlog",
	    "name: structlog\nmatch: {keys: [event, level]}\n"
	    "fields: {status: code, msg: event}\n");

	ok(profile_set_load(&set, &search, builtin, &err) == 0,
	    "five profiles load");
	is_int((long long)set.n, 5, "all are loaded");
	/* priority first, then the more conditions, then by name */
	is_str(set.v[0]->name, "traefik", "the priority 10 profile first");
	is_str(set.v[1]->name, "caddy", "then the most conditions");
	is_str(set.v[2]->name, "caddy-error", "then two conditions");
	is_str(set.v[3]->name, "structlog", "two conditions, by name");
	is_str(set.v[4]->name, "clef", "the one condition last");
	/* A table is built on the profile's first use, not at load: until
	 * then nothing reads it, and it is not there to be read. */
	for (i = 0; i < (int)set.n; i++)
		ok(!set.v[i]->built && set.v[i]->fields == NULL &&
		    set.v[i]->alias[0] == NULL, "%s: no table before its "
		    "first use", set.v[i]->name);

	ok(profile_set_force(&set, "trafik", &err) < 0 && err.msg != NULL &&
	    strstr(err.msg, "did you mean 'traefik'") != NULL,
	    "an unknown --profile suggests the nearest: %s",
	    err.msg ? err.msg : "(none)");
	diag_release(&err);

	query = fields_copy(builtin);
	ok(fields_set(query, "status", "status", &err) == 0,
	    "a query's fields: status");
	set.quiet = 0;
	set.warn = count_warning;
	alias_cache_init(&c);
	alias_cache_set_profiles(&c, &set);
	/* Interleaved, three times: the shapes learnt are read back. */
	for (round = 0; round < 3; round++) {
		is_alias(&c, rec, builtin, "status", caddy_access, "502");
		is_alias(&c, rec, builtin, "path", caddy_access, "/c");
		is_alias(&c, rec, builtin, "latency_ms", caddy_access,
		    "310.1");
		/* the same keys, the error logger: no request fields */
		is_alias(&c, rec, builtin, "status", caddy_error, "null");
		is_alias(&c, rec, builtin, "latency_ms", caddy_error, "null");
		is_alias(&c, rec, builtin, "msg", caddy_error,
		    "handled request");
		is_alias(&c, rec, builtin, "status", traefik, "404");
		is_alias(&c, rec, builtin, "latency_ms", traefik, "0.1");
		is_alias(&c, rec, builtin, "path", traefik, "/t");
		/* a query's own spelling is not the profile's */
		is_alias(&c, rec, query, "status", traefik, "1");
		is_alias(&c, rec, builtin, "status", plain, "200");
		is_alias(&c, rec, builtin, "error", plain, "E1");
		is_alias(&c, rec, builtin, "level", plain, "INFO");
		is_alias(&c, rec, builtin, "level", clef_info, "info");
		is_alias(&c, rec, builtin, "level", clef_warn, "warn");
		is_alias(&c, rec, builtin, "msg", clef_warn, "hello");
		/* structlog's code is its status, so it is no error */
		is_alias(&c, rec, builtin, "status", structlog, "500");
		is_alias(&c, rec, builtin, "error", structlog, "null");
		is_alias(&c, rec, builtin, "msg", structlog,
		    "request_finished");
	}
	for (i = 0; i < (int)set.n; i++)
		ok(set.v[i]->built && set.v[i]->fields != NULL,
		    "%s: its table built on its first line",
		    set.v[i]->name);
	/* duration:s? of the built-in table: one warning for the field */
	is_alias(&c, rec, builtin, "latency_ms", plain, "2000");
	is_int(warnings, 1, "an assumed unit is said once");

	/* A line of more members than a shape holds is recognised too. */
	buf_adds(&wide, "{\"DownstreamStatus\":503,\"RequestPath\":\"/w\"");
	for (i = 0; i < 40; i++)
		buf_printf(&wide, ",\"k%d\":%d", i, i);
	buf_adds(&wide, "}");
	for (round = 0; round < 2; round++)
		is_alias(&c, rec, builtin, "status", buf_str(&wide), "503");

	/* --profile: every line is read the forced profile's way. */
	ok(profile_set_force(&set, "traefik", &err) == 0, "--profile traefik");
	alias_cache_release(&c);
	alias_cache_init(&c);
	alias_cache_set_profiles(&c, &set);
	is_alias(&c, rec, builtin, "path", plain, "null");
	is_alias(&c, rec, builtin, "status", plain, "200");

	alias_cache_release(&c);
	profile_set_release(&set);
	test_threads(builtin);

	/* A profile that does not load: the run's error, with its place. */
	write_profile("bad", "name: bad\nmatch: {keys: [a]}\n"
	    "fields: {latncy_ms: a}\n");
	ok(profile_set_load(&set, &search, builtin, &err) < 0 &&
	    err.line == 3 && err.status == LOGQ_EXIT_USAGE,
	    "a bad profile is an error at its line (line %u)", err.line);
	diag_release(&err);
	profile_set_release(&set);
	remove_profile("bad");

	remove_profile("caddy");
	remove_profile("caddy-error");
	remove_profile("traefik");
	remove_profile("clef");
	remove_profile("structlog");
	rmdir(dir);
	buf_release(&wide);
	record_free(rec);
	fields_free(query);
	fields_free(builtin);
	return done_testing();
}
