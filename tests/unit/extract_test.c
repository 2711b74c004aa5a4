/* SPDX-License-Identifier: MIT */
/* extract_test.c - object candidates and the prefixes of fly, kubectl,
 * docker compose and stern (SPEC section 2) */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "util.h"
#include "tap.h"

/* The prefix of LINE read up to its first '{'. */
static void
prefix_of(const char *line, struct extract_prefix *p)
{
	const char *brace = strchr(line, '{');

	extract_prefix(line, brace ? (size_t)(brace - line) : strlen(line), p);
}

/* A span as a C string, for is_str; "(absent)" when NULL. */
static const char *
span_str(struct extract_span sp)
{
	static char tmp[8][256];
	static int next;
	char *s = tmp[next++ % 8];

	if (sp.ptr == NULL)
		return "(absent)";
	snprintf(s, sizeof tmp[0], "%.*s", (int)sp.len, sp.ptr);
	return s;
}

static int
count_fields(const struct extract_prefix *p)
{
	int i, n = 0;

	for (i = 0; i < EXTRACT_NFIELDS; i++)
		n += p->field[i].ptr != NULL;
	return n;
}

static size_t
cand(const char *line, size_t from)
{
	return extract_next_candidate(line, strlen(line), from);
}

static void
test_candidates(void)
{
	const char *s;

	is_int(cand("{\"a\":1}", 0), 0, "a line that is an object: offset 0");
	is_int(cand("{\"a\":1}", 1), -1, "... and no second candidate");
	s = "x {\"a\":\"{b}\"}";
	is_int(cand(s, 0), 2, "first '{' after a prefix");
	is_int(cand(s, 3), 8, "a '{' inside a string is still a candidate");
	is_int(cand(s, 9), -1, "the final '}' is not a candidate");
	is_int(cand("pfx {\"a\":1} \t\r", 0), 4,
	    "trailing blanks (space, tab, CR) are ignored");
	is_int(cand("{\"a\":1} trailing", 0), -1,
	    "text after the object: no candidate");
	is_int(cand("[1,{\"a\":1}]", 0), -1, "an array line: no candidate");
	is_int(cand("", 0), -1, "an empty line: no candidate");
	is_int(cand("   ", 0), -1, "a blank line: no candidate");
	is_int(cand("}", 0), -1, "a lone '}': no candidate");
	is_int(extract_next_candidate("a{b}\0", 5, 0), -1,
	    "a NUL is not blank: it is the last byte, not '}'");
	is_int(extract_next_candidate("\0{}", 3, 0), 1,
	    "a NUL before the object does not stop the search");
	is_int(EXTRACT_MAX_CANDIDATES, 64, "at most 64 candidates per line");
}

static void
test_no_prefix(void)
{
	struct extract_prefix p;

	prefix_of("{\"a\":1}", &p);
	is_int(p.kind, EXTRACT_PREFIX_NONE, "'{' first: no prefix");
	ok(p.text.ptr == NULL, "no prefix: _prefix is absent");
	prefix_of(" \t {\"a\":1}", &p);
	is_int(p.kind, EXTRACT_PREFIX_NONE,
	    "only blanks before '{': no prefix");
	is_int(count_fields(&p), 0, "no prefix: no named fields");
}

static void
test_fly(void)
{
	struct extract_prefix p;

	prefix_of("2026-04-25T03:01:53Z app[148e4d55f36278] iad [info] "
	    "{\"ts\":\"2026-04-25T03:01:53.428Z\",\"level\":\"info\"}", &p);
	is_int(p.kind, EXTRACT_PREFIX_FLY, "fly logs prefix is recognised");
	is_str(span_str(p.text),
	    "2026-04-25T03:01:53Z app[148e4d55f36278] iad [info]",
	    "fly: _prefix is the trimmed text before the object");
	is_str(span_str(p.field[EXTRACT_TIME]), "2026-04-25T03:01:53Z",
	    "fly: _time");
	is_str(span_str(p.field[EXTRACT_APP]), "app", "fly: _app");
	is_str(span_str(p.field[EXTRACT_INSTANCE]), "148e4d55f36278",
	    "fly: _instance");
	is_str(span_str(p.field[EXTRACT_REGION]), "iad", "fly: _region");
	is_str(span_str(p.field[EXTRACT_SOURCE_LEVEL]), "info",
	    "fly: _source_level");
	is_int(count_fields(&p), 5, "fly: exactly five named fields");

	prefix_of("2026-04-25T03:01:53.123456Z attesto[e82d92ef5d7348] "
	    "cdg [error] {}", &p);
	is_int(p.kind, EXTRACT_PREFIX_FLY, "fly with a fractional time");
	is_str(span_str(p.field[EXTRACT_APP]), "attesto",
	    "fly: another app name");
	is_str(span_str(p.field[EXTRACT_SOURCE_LEVEL]), "error",
	    "fly: error source level");

	prefix_of("2026-04-25T03:01:53Z app148 iad [info] {}", &p);
	is_int(p.kind, EXTRACT_PREFIX_OTHER, "fly without app[id]: other");
	is_int(count_fields(&p), 0, "a rejected fly prefix leaves no fields");
	prefix_of("2026-04-25T03:01:53Z app[] iad [info] {}", &p);
	is_int(p.kind, EXTRACT_PREFIX_OTHER, "fly with an empty id: other");
	prefix_of("2026-04-25T03:01:53Z app[1] iad info {}", &p);
	is_int(p.kind, EXTRACT_PREFIX_OTHER,
	    "fly without brackets round the level: other");
}

static void
test_kubectl(void)
{
	struct extract_prefix p;

	prefix_of("[pod/api-7d9f8c6b5-x2k4q/api] {\"msg\":\"listening\"}", &p);
	is_int(p.kind, EXTRACT_PREFIX_KUBECTL, "kubectl --prefix recognised");
	is_str(span_str(p.field[EXTRACT_POD]), "api-7d9f8c6b5-x2k4q",
	    "kubectl: _pod");
	is_str(span_str(p.field[EXTRACT_CONTAINER]), "api",
	    "kubectl: _container");
	ok(p.field[EXTRACT_TIME].ptr == NULL, "kubectl --prefix: no _time");
	is_str(span_str(p.text), "[pod/api-7d9f8c6b5-x2k4q/api]",
	    "kubectl: _prefix");

	prefix_of("[pod/api-7d9f8c6b5-x2k4q/api] "
	    "2026-04-25T03:01:53.123456789Z {}", &p);
	is_int(p.kind, EXTRACT_PREFIX_KUBECTL,
	    "kubectl --prefix --timestamps (time after) recognised");
	is_str(span_str(p.field[EXTRACT_TIME]),
	    "2026-04-25T03:01:53.123456789Z", "kubectl: _time after the pod");
	is_str(span_str(p.field[EXTRACT_POD]), "api-7d9f8c6b5-x2k4q",
	    "kubectl with time: _pod");

	prefix_of("2026-04-25T03:01:53.123456789Z "
	    "[pod/worker-5d8f9-abcde/sidecar] {}", &p);
	is_int(p.kind, EXTRACT_PREFIX_KUBECTL, "kubectl, time first");
	is_str(span_str(p.field[EXTRACT_TIME]),
	    "2026-04-25T03:01:53.123456789Z", "kubectl: _time before the pod");
	is_str(span_str(p.field[EXTRACT_CONTAINER]), "sidecar",
	    "kubectl time first: _container");

	prefix_of("[pod/api] {}", &p);
	is_int(p.kind, EXTRACT_PREFIX_OTHER, "[pod/NAME] without container");
	prefix_of("[pod/a/b/c] {}", &p);
	is_int(p.kind, EXTRACT_PREFIX_OTHER, "[pod/a/b/c]: too many slashes");
}

static void
test_timestamp(void)
{
	struct extract_prefix p;

	prefix_of("2026-04-25T03:01:53.123456789Z {\"msg\":\"x\"}", &p);
	is_int(p.kind, EXTRACT_PREFIX_TIMESTAMP, "kubectl --timestamps alone");
	is_str(span_str(p.field[EXTRACT_TIME]),
	    "2026-04-25T03:01:53.123456789Z", "timestamp: _time");
	is_int(count_fields(&p), 1, "timestamp: only _time");

	prefix_of("2026-04-25T03:01:53+02:00 {}", &p);
	is_int(p.kind, EXTRACT_PREFIX_TIMESTAMP, "a +hh:mm offset");
	prefix_of("2026-04-25T03:01:53.5-07:30 {}", &p);
	is_int(p.kind, EXTRACT_PREFIX_TIMESTAMP, "fraction and -hh:mm offset");
	prefix_of("2026-04-25t03:01:53z {}", &p);
	is_int(p.kind, EXTRACT_PREFIX_TIMESTAMP, "lower-case t and z");
	prefix_of("2026-99-99T99:99:99Z {}", &p);
	is_int(p.kind, EXTRACT_PREFIX_TIMESTAMP,
	    "the shape is checked, not the calendar");
	prefix_of("2026-04-25T03:01:53 {}", &p);
	is_int(p.kind, EXTRACT_PREFIX_OTHER, "no zone: not RFC 3339");
	prefix_of("2026-04-25T03:01:53.Z {}", &p);
	is_int(p.kind, EXTRACT_PREFIX_OTHER, "a '.' without digits");
	prefix_of("2026-04-25T03:01:53+0200 {}", &p);
	is_int(p.kind, EXTRACT_PREFIX_OTHER, "+hhmm without colon");
	prefix_of("2026-04-25T03:01:53Zx {}", &p);
	is_int(p.kind, EXTRACT_PREFIX_OTHER, "text after the zone");
	prefix_of("2026-04-25 03:01:53 {}", &p);
	is_int(p.kind, EXTRACT_PREFIX_OTHER,
	    "date and time as two tokens: neither RFC 3339 nor stern");
}

static void
test_docker(void)
{
	struct extract_prefix p;

	prefix_of("api-1  | {\"level\":\"info\"}", &p);
	is_int(p.kind, EXTRACT_PREFIX_DOCKER, "docker compose recognised");
	is_str(span_str(p.field[EXTRACT_SERVICE]), "api-1",
	    "docker: _service without the padding");
	is_str(span_str(p.text), "api-1  |", "docker: _prefix trimmed");
	is_int(count_fields(&p), 1, "docker: only _service");

	prefix_of("worker-12 | 2026-04-25T03:01:53.123456789Z {}", &p);
	is_int(p.kind, EXTRACT_PREFIX_DOCKER, "docker compose --timestamps");
	is_str(span_str(p.field[EXTRACT_SERVICE]), "worker-12",
	    "docker with time: _service");
	is_str(span_str(p.field[EXTRACT_TIME]),
	    "2026-04-25T03:01:53.123456789Z", "docker with time: _time");

	prefix_of("db|{}", &p);
	is_int(p.kind, EXTRACT_PREFIX_DOCKER, "no blanks round the bar");
	is_str(span_str(p.field[EXTRACT_SERVICE]), "db", "db|: _service");
	prefix_of("two words | {}", &p);
	is_int(p.kind, EXTRACT_PREFIX_OTHER, "two words before '|': other");
	prefix_of("| {}", &p);
	is_int(p.kind, EXTRACT_PREFIX_OTHER, "nothing before '|': other");
	prefix_of("api-1 | note {}", &p);
	is_int(p.kind, EXTRACT_PREFIX_OTHER, "text after '|': other");
}

static void
test_stern_and_other(void)
{
	struct extract_prefix p;

	prefix_of("api-7d9f8c6b5-x2k4q api {\"msg\":\"x\"}", &p);
	is_int(p.kind, EXTRACT_PREFIX_STERN, "stern recognised");
	is_str(span_str(p.field[EXTRACT_POD]), "api-7d9f8c6b5-x2k4q",
	    "stern: _pod");
	is_str(span_str(p.field[EXTRACT_CONTAINER]), "api",
	    "stern: _container");
	is_int(count_fields(&p), 2, "stern: two named fields");

	/* angle-grinder__test_partial_json.log */
	prefix_of("INFO {\"level\": \"info\", \"message\": "
	    "\"A thing happened\", \"num_things\": 1102}", &p);
	is_int(p.kind, EXTRACT_PREFIX_OTHER, "a one-word prefix is other");
	is_str(span_str(p.text), "INFO", "other: _prefix is the word");
	is_int(count_fields(&p), 0, "other: no named fields");

	prefix_of("level=info msg=hi {}", &p);
	is_int(p.kind, EXTRACT_PREFIX_OTHER, "logfmt pairs are not stern");
	prefix_of("a b c {}", &p);
	is_int(p.kind, EXTRACT_PREFIX_OTHER, "three words: other");
	is_str(span_str(p.text), "a b c", "three words: whole _prefix");
}

/* cri_of: extract_cri on a C string. */
static int
cri_of(const char *line, struct extract_cri *c)
{
	return extract_cri(line, strlen(line), c);
}

static void
test_cri(void)
{
	struct extract_cri c;
	struct extract_prefix p;

	/* kubernetes logs_test.go, TestParseLog's CRI vectors. */
	ok(cri_of("2016-10-20T18:39:20.57606443Z stdout F cri stdout test "
	    "log", &c) && !c.is_stderr && !c.is_partial && c.head_len == 37 &&
	    c.content == 39, "CRI: a full stdout record, its content at 39");
	ok(cri_of("2016-10-20T18:39:20.57606443Z stderr F cri stderr", &c) &&
	    c.is_stderr && !c.is_partial, "CRI: a full stderr record");
	ok(cri_of("2016-10-20T18:39:20.57606443Z stdout P cri stdout partial "
	    "test log", &c) && c.is_partial, "CRI: a partial record");
	ok(cri_of("2016-10-20T18:39:20.57606443Z stdout P:TAG1:TAG2 cri",
	    &c) && c.is_partial && c.content == 49,
	    "CRI: a tag is read up to its first ':'");
	ok(cri_of("2016-10-20T18:39:20Z stdout F ", &c) && c.content == 30,
	    "CRI: empty content");
	ok(!cri_of("unsupported log format test log", &c),
	    "CRI: not a record");
	ok(!cri_of("2016-10-20T18:39:20Z stdin F x", &c), "CRI: stdin");
	ok(!cri_of("2016-10-20T18:39:20Z stdout X x", &c), "CRI: tag X");
	ok(!cri_of("2016-10-20T18:39:20Z stdout PF x", &c), "CRI: tag PF");
	ok(!cri_of("2016-10-20T18:39:20Z stdout F", &c),
	    "CRI: no space after the tag");
	ok(!cri_of("2016-10-20T18:39Z stdout F x", &c), "CRI: bad time");
	ok(!cri_of("2016-10-20T18:39:20Z  stdout F x", &c),
	    "CRI: two spaces");
	prefix_of("2016-10-20T18:39:20Z stdout F:x {\"a\":1}", &p);
	is_int(p.kind, EXTRACT_PREFIX_CRI, "CRI prefix with a tag 'F:x'");
	prefix_of("2016-10-20T18:39:20Z stdout P {\"a\":1}", &p);
	is_int(p.kind, EXTRACT_PREFIX_OTHER, "a P record left unjoined is "
	    "no CRI prefix");
}

int
main(void)
{
	int i;

	test_candidates();
	test_no_prefix();
	test_fly();
	test_kubectl();
	test_timestamp();
	test_docker();
	test_stern_and_other();
	test_cri();
	for (i = 0; i < EXTRACT_NFIELDS; i++)
		ok(extract_field_names[i][0] == '_', "field name %s starts "
		    "with '_'", extract_field_names[i]);
	is_str(extract_field_names[EXTRACT_SOURCE_LEVEL], "_source_level",
	    "the fly level field is _source_level");
	is_str(extract_field_names[EXTRACT_SERVICE], "_service",
	    "the docker field is _service");
	return done_testing();
}
