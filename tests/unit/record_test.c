/* SPDX-License-Identifier: MIT */
/* record_test.c - lines into records: prefixes, special fields, UTF-8
 * repair, big numbers, deep nesting, field paths (SPEC section 2) */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "util.h"
#include "value.h"
#include "tap.h"

#define FFFD	"\xef\xbf\xbd"

static struct record *rec;
static int repaired;

/* Parses LEN bytes of TEXT as line LINENO of "app.log". */
static enum record_status
parse_n(const char *text, size_t len, unsigned long lineno)
{
	struct line l = { text, len, lineno };

	repaired = -1;
	return record_parse(rec, &l, "app.log", &repaired);
}

static enum record_status
parse(const char *text)
{
	return parse_n(text, strlen(text), 1);
}

/* The value at a dotted path (segments split on '.', none quoted). */
static int
get(const char *dotted, struct value *v)
{
	struct field_path p;
	const char *s = dotted, *dot;
	int rc;

	field_path_init(&p);
	for (;;) {
		dot = strchr(s, '.');
		field_path_push(&p, s, dot ? (size_t)(dot - s) : strlen(s));
		if (dot == NULL)
			break;
		s = dot + 1;
	}
	rc = record_get(rec, &p, v);
	field_path_release(&p);
	return rc;
}

/* The string at PATH as a C string (NUL bytes shown as "\0"), or a
 * word naming what else was found. */
static const char *
get_str(const char *path)
{
	static char tmp[4][512];
	static int next;
	char *out = tmp[next++ % 4];
	struct value v;
	size_t i, o = 0;

	if (!get(path, &v))
		return "(missing)";
	if (v.kind != VALUE_STRING)
		return value_kind_name(v.kind);
	for (i = 0; i < v.u.s.len && o + 3 < sizeof tmp[0]; i++) {
		if (v.u.s.ptr[i] == '\0') {
			out[o++] = '\\';
			out[o++] = '0';
		} else
			out[o++] = v.u.s.ptr[i];
	}
	out[o] = '\0';
	return out;
}

static void
test_plain(void)
{
	struct value v;

	/* hl__kitchen-sink.log, line 3 */
	is_int(parse("{\"ts\": \"2025-04-01T09:00:02.789Z\", \"level\": "
	    "\"info\", \"msg\": \"database connection established\", "
	    "\"port\": 5432, \"ssl_enabled\": true}"), RECORD_OK,
	    "a JSON object line is OK");
	is_int(repaired, 0, "valid UTF-8 is not repaired");
	is_str(get_str("level"), "info", "a string field");
	ok(get("port", &v) && v.kind == VALUE_INT && v.u.i == 5432,
	    "an integer field is VALUE_INT 5432");
	ok(get("ssl_enabled", &v) && v.kind == VALUE_BOOL && v.u.b == 1,
	    "a boolean field");
	is_int(record_prefix(rec)->kind, EXTRACT_PREFIX_NONE,
	    "no prefix on a plain object line");
	ok(record_json(rec) != NULL && json_is_object(record_json(rec)),
	    "record_json is the object");

	is_int(parse("{\"a\":1,\"a\":2}"), RECORD_OK, "duplicate keys parse");
	ok(get("a", &v) && v.kind == VALUE_INT && v.u.i == 2,
	    "duplicate keys: the last one wins (as jq)");

	is_int(parse("  {\"a\":1} \t\r"), RECORD_OK,
	    "blanks and a stray CR round the object");
	is_int(record_prefix(rec)->kind, EXTRACT_PREFIX_NONE,
	    "leading blanks are no prefix");
}

static void
test_missing_null_nested(void)
{
	struct value v;

	is_int(parse("{\"a\":null,\"s\":\"x\",\"checks\":{\"db\":\"ok\","
	    "\"n\":{\"deep\":[1,2]}},\"@timestamp\":\"t\",\"k e-y\":1}"),
	    RECORD_OK, "nested object line parses");
	ok(get("a", &v) == 1 && v.kind == VALUE_NULL,
	    "explicit null: present, VALUE_NULL");
	ok(get("nope", &v) == 0 && v.kind == VALUE_NULL,
	    "missing field: 0, VALUE_NULL");
	is_str(get_str("checks.db"), "ok", "a nested path");
	ok(get("checks.n.deep", &v) && v.kind == VALUE_JSON &&
	    json_is_array(v.u.json) && json_array_size(v.u.json) == 2,
	    "an array value is VALUE_JSON");
	ok(get("checks", &v) && v.kind == VALUE_JSON &&
	    json_is_object(v.u.json), "an object value is VALUE_JSON");
	ok(get("s.x", &v) == 0, "a path through a string is missing");
	ok(get("checks.nope", &v) == 0, "a missing nested key");
	is_str(get_str("@timestamp"), "t", "a key starting with '@'");
	ok(get("k e-y", &v) && v.kind == VALUE_INT, "a key with blank, dash");
}

static void
test_flat_keys(void)
{
	struct value v;

	/* lnav__logfile_ecs_log.json, line 1 (shortened) */
	is_int(parse("{\"@timestamp\":\"2025-01-13T09:58:13.631Z\","
	    "\"log.level\":\"debug\",\"message\":\"this is a debug message "
	    "num=39\",\"ecs.version\":\"1.6.0\",\"log\":{\"logger\":\"app\"}}"),
	    RECORD_OK, "an ECS line parses");
	is_str(get_str("log.level"), "debug",
	    "log.level: missing nested, found as a flat key");
	is_str(get_str("log.logger"), "app", "log.logger: found nested");
	is_str(get_str("ecs.version"), "1.6.0", "ecs.version: flat key");
	ok(get("log.nope", &v) == 0, "neither nested nor flat: missing");

	is_int(parse("{\"a\":{\"b\":\"nested\"},\"a.b\":\"flat\"}"), RECORD_OK,
	    "both a.b forms");
	is_str(get_str("a.b"), "nested", "the nested form comes first");
}

static void
test_special_fields(void)
{
	struct value v;
	const char *fly = "2026-04-25T03:01:53Z app[148e4d55f36278] iad "
	    "[info] {\"level\":\"info\",\"_time\":\"mine\",\"_app\":\"mine\"}";

	is_int(parse_n(fly, strlen(fly), 42), RECORD_OK, "a fly line parses");
	is_str(get_str("_line"), fly, "_line is the raw line");
	is_str(get_str("_file"), "app.log", "_file is the input name");
	ok(get("_lineno", &v) && v.kind == VALUE_INT && v.u.i == 42,
	    "_lineno is the integer 42");
	is_str(get_str("_prefix"), "2026-04-25T03:01:53Z app[148e4d55f36278] "
	    "iad [info]", "_prefix is the trimmed prefix");
	is_str(get_str("_time"), "2026-04-25T03:01:53Z",
	    "_time from the prefix shadows an input key");
	is_str(get_str("_app"), "app", "_app from the prefix");
	is_str(get_str("_instance"), "148e4d55f36278", "_instance");
	is_str(get_str("_region"), "iad", "_region");
	is_str(get_str("_source_level"), "info", "_source_level");
	ok(get("_pod", &v) == 0, "a fly line has no _pod");
	is_str(get_str("level"), "info", "the object's own fields still work");

	is_int(parse("{\"_line\":\"mine\",\"_prefix\":\"p\",\"_time\":\"t\","
	    "\"_lineno\":7}"), RECORD_OK, "input keys named like specials");
	is_str(get_str("_line"), "{\"_line\":\"mine\",\"_prefix\":\"p\","
	    "\"_time\":\"t\",\"_lineno\":7}",
	    "_line is the raw line even with an input key _line");
	ok(get("_lineno", &v) && v.kind == VALUE_INT && v.u.i == 1,
	    "_lineno shadows the input key _lineno");
	is_str(get_str("_time"), "t",
	    "no prefix: _time falls back to the input key");
	is_str(get_str("_prefix"), "p",
	    "no prefix: _prefix falls back to the input key");

	is_int(parse("{\"a\":1}"), RECORD_OK, "a line without prefix");
	ok(get("_prefix", &v) == 0 && v.kind == VALUE_NULL,
	    "no prefix and no key: _prefix is missing (null)");
	ok(get("_time", &v) == 0, "no prefix: _time is missing");

	is_int(parse("[pod/api-7d9f8c6b5-x2k4q/api] {\"msg\":\"x\"}"),
	    RECORD_OK, "a kubectl line parses");
	is_str(get_str("_pod"), "api-7d9f8c6b5-x2k4q", "kubectl _pod");
	is_str(get_str("_container"), "api", "kubectl _container");
	is_int(parse("api-1  | {\"msg\":\"x\"}"), RECORD_OK, "a docker line");
	is_str(get_str("_service"), "api-1", "docker _service");
	is_int(parse("web-0 nginx {\"msg\":\"x\"}"), RECORD_OK, "a stern line");
	is_str(get_str("_pod"), "web-0", "stern _pod");
	is_str(get_str("_container"), "nginx", "stern _container");
	/* angle-grinder__test_partial_json.log */
	is_int(parse("WARN {\"level\": null}"), RECORD_OK, "a word prefix");
	is_str(get_str("_prefix"), "WARN", "word prefix: _prefix");
	ok(get("level", &v) == 1 && v.kind == VALUE_NULL,
	    "word prefix: the object's null level is present");

	{
		struct line l = { "{}", 2, 3 };

		record_parse(rec, &l, "-", NULL);
		is_str(get_str("_file"), "-", "_file of standard input is -");
	}
	is_int(parse("hello"), RECORD_NOT_JSON, "a text line is not JSON");
	is_str(get_str("_line"), "hello", "_line exists on skipped lines");
	ok(get("level", &v) == 0, "no object: fields are missing");
}

static void
test_candidates(void)
{
	struct buf b = BUF_INIT;
	int i;

	is_int(parse("note {\"x\": \"{\"} {\"a\":1}"), RECORD_OK,
	    "the first '{' from which the rest parses");
	is_str(get_str("_prefix"), "note {\"x\": \"{\"}",
	    "... everything before it is the prefix");
	is_str(get_str("x"), "(missing)", "... and not part of the object");

	for (i = 0; i < 63; i++)
		buf_addc(&b, '{');
	buf_adds(&b, "{\"a\":1}");
	is_int(parse_n(b.ptr, b.len, 1), RECORD_OK,
	    "the 64th candidate is tried");
	buf_reset(&b);
	for (i = 0; i < 64; i++)
		buf_addc(&b, '{');
	buf_adds(&b, "{\"a\":1}");
	is_int(parse_n(b.ptr, b.len, 1), RECORD_NOT_JSON,
	    "the 65th candidate is not: the line is not JSON");
	buf_release(&b);
}

static void
test_not_objects(void)
{
	is_int(parse("42"), RECORD_NOT_OBJECT, "a number is not an object");
	is_int(parse("\"str\""), RECORD_NOT_OBJECT, "a string");
	is_int(parse("[1,2]"), RECORD_NOT_OBJECT, "an array");
	is_int(parse(" [ {\"a\":1} ] "), RECORD_NOT_OBJECT,
	    "an array of objects");
	is_int(parse("true"), RECORD_NOT_OBJECT, "true");
	is_int(parse("null"), RECORD_NOT_OBJECT, "null");
	is_int(parse("-1.5e3"), RECORD_NOT_OBJECT, "a negative real");
	is_int(parse("99999999999999999999"), RECORD_NOT_OBJECT,
	    "a bare big integer is a value, not an object");
	is_int(parse(""), RECORD_BLANK, "an empty line is blank");
	is_int(parse(" \t "), RECORD_BLANK, "a line of blanks is blank");
	is_int(parse("nope"), RECORD_NOT_JSON, "a word starting with n");
	is_int(parse("{\"a\":1} x"), RECORD_NOT_JSON, "text after the object");
	is_int(parse("{\"a\":"), RECORD_NOT_JSON, "a truncated object");
	is_int(parse("{\"a\":1,}"), RECORD_NOT_JSON, "a trailing comma");
	is_int(parse("[1,2"), RECORD_NOT_JSON, "a truncated array");
	is_int(parse("INFO [1,2]"), RECORD_NOT_JSON,
	    "an array after a prefix is not looked for");
	/* lnav__logfile_mixed_json2.json: logfmt among JSON lines */
	is_int(parse("ts=2013-09-06T22:00:00Z level=info msg=\"ok\""),
	    RECORD_NOT_JSON, "a logfmt line is not JSON");
	is_int(record_json(rec) == NULL, 1, "no object after a skipped line");
	is_str(record_status_names[RECORD_NOT_JSON], "not JSON",
	    "summary word for not JSON");
	is_str(record_status_names[RECORD_NOT_OBJECT], "not an object",
	    "summary word for not an object");
	is_str(record_status_names[RECORD_TOO_DEEP], "too deep",
	    "summary word for too deep");
}

static void
test_numbers(void)
{
	struct value v;

	is_int(parse("{\"n\":99999999999999999999,\"m\":5}"), RECORD_OK,
	    "an integer beyond 64 bits does not cost the line");
	ok(get("n", &v) && v.kind == VALUE_REAL && v.u.r == 1e20,
	    "99999999999999999999 reads as the real 1e20");
	ok(get("m", &v) && (v.kind == VALUE_REAL ? v.u.r == 5 :
	    v.kind == VALUE_INT && v.u.i == 5),
	    "other numbers keep their value");
	is_int(parse("{\"n\":9223372036854775807}"), RECORD_OK, "INT64_MAX");
	ok(get("n", &v) && v.kind == VALUE_INT && v.u.i == INT64_MAX,
	    "INT64_MAX stays an integer");
	is_int(parse("{\"n\":-9223372036854775809}"), RECORD_OK,
	    "INT64_MIN - 1 parses");
	ok(get("n", &v) && v.kind == VALUE_REAL &&
	    v.u.r == -9223372036854775808.0,
	    "INT64_MIN - 1 reads as a real");
	is_int(parse("{\"r\":1.5e3}"), RECORD_OK, "a real");
	ok(get("r", &v) && v.kind == VALUE_REAL && v.u.r == 1500,
	    "1.5e3 is 1500.0");
}

static void
test_nul(void)
{
	static const char esc[] = "{\"s\":\"a\\u0000b\"}";
	static const char raw_in[] = "{\"s\":\"a\0b\"}";
	static const char raw_out[] = "{\"s\":1}\0";
	static const char raw_between[] = "{\"s\":1,\0\"t\":2}";
	static const char raw_before[] = "\0{\"s\":1}";
	struct value v;

	is_int(parse_n(esc, sizeof esc - 1, 1), RECORD_OK,
	    "a \\u0000 escape is accepted");
	ok(get("s", &v) && v.kind == VALUE_STRING && v.u.s.len == 3 &&
	    memcmp(v.u.s.ptr, "a\0b", 3) == 0, "... and kept as a NUL byte");
	is_int(parse_n(raw_in, sizeof raw_in - 1, 1), RECORD_NOT_JSON,
	    "a raw NUL inside a string: not JSON");
	is_int(parse_n(raw_out, sizeof raw_out - 1, 1), RECORD_NOT_JSON,
	    "a raw NUL after the object: not JSON");
	is_int(parse_n(raw_between, sizeof raw_between - 1, 1),
	    RECORD_NOT_JSON, "a raw NUL between members: not JSON");
	is_int(parse_n(raw_before, sizeof raw_before - 1, 1), RECORD_OK,
	    "a raw NUL before the object is a prefix");
	is_str(get_str("_prefix"), "\\0", "... kept in _prefix");
	is_int(parse("{\"k\\u0000\":1}"), RECORD_OK,
	    "a NUL in a key (valid JSON that jansson refuses): kept");
}

/* One bad byte at each place of lines of 16 to 200 bytes, across the
 * wide ASCII test's steps of 64 and 16 bytes and its overlapping tail:
 * always found; the clean line never repaired. */
static void
test_utf8_every_place(void)
{
	static const size_t lens[] = { 16, 17, 31, 48, 63, 64, 65, 79, 127,
	    128, 129, 200 };
	char line[256];
	size_t i, k, pos;
	int found = 1, clean = 1, n = 0;

	for (i = 0; i < sizeof lens / sizeof lens[0]; i++) {
		size_t len = lens[i];

		/* {"a":"xxx...x"} of LEN bytes */
		memcpy(line, "{\"a\":\"", 6);
		for (k = 6; k < len - 2; k++)
			line[k] = (char)('a' + k % 26);
		memcpy(line + len - 2, "\"}", 2);
		parse_n(line, len, 1);
		clean &= repaired == 0;
		for (pos = 0; pos < len; pos++) {
			char was = line[pos];

			line[pos] = (char)0xff;
			parse_n(line, len, 1);
			found &= repaired == 1;
			line[pos] = was;
			n++;
		}
	}
	ok(found, "a bad byte is found at every one of %d places", n);
	ok(clean, "the clean lines of every length are not repaired");
}

static void
test_utf8(void)
{
	static const struct {
		const char	*in, *want;
		size_t		 nbad;
		const char	*what;
	} cases[] = {
		{ "\xc0\x80", FFFD FFFD, 2, "overlong C0 80" },
		{ "\xe0\x80\x80", FFFD FFFD FFFD, 3, "overlong E0 80 80" },
		{ "\xf0\x80\x80\x80", FFFD FFFD FFFD FFFD, 4,
		    "overlong F0 80 80 80" },
		{ "\xed\xa0\x80", FFFD FFFD FFFD, 3, "surrogate ED A0 80" },
		{ "\xf4\x90\x80\x80", FFFD FFFD FFFD FFFD, 4,
		    "beyond U+10FFFF" },
		{ "\xf5", FFFD, 1, "F5 never starts a sequence" },
		{ "\xff", FFFD, 1, "FF never appears" },
		{ "\xc1\xbf", FFFD FFFD, 2, "C1 is always overlong" },
		{ "a\xe2\x82", "a" FFFD FFFD, 2,
		    "truncated E2 82 at the end: one per byte" },
		{ "\xe2\x82" "z", FFFD FFFD "z", 2, "truncated E2 82 then z" },
		{ "\x80" "x", FFFD "x", 1, "a stray continuation byte" },
		{ "a\xff" "b", "a" FFFD "b", 1, "a bad byte inside ASCII" },
	};
	struct buf out = BUF_INIT;
	struct value v;
	size_t i, n;
	const char *ok_text = "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 "
	    "\xed\x9f\xbf \xee\x80\x80 \xf4\x8f\xbf\xbf";

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		n = record_repair_utf8(cases[i].in, strlen(cases[i].in), &out);
		ok(n == cases[i].nbad && out.len == strlen(cases[i].want) &&
		    memcmp(out.ptr, cases[i].want, out.len) == 0,
		    "repair: %s", cases[i].what);
	}
	n = record_repair_utf8(ok_text, strlen(ok_text), &out);
	ok(n == 0 && out.len == 0,
	    "valid 2-, 3- and 4-byte forms and edge code points: no repair");
	buf_release(&out);

	is_int(parse("{\"s\":\"\xc0\x80\",\"t\":\"ok\"}"), RECORD_OK,
	    "a line with an overlong form is used");
	is_int(repaired, 1, "... and counted as repaired");
	ok(get("s", &v) && v.kind == VALUE_STRING && v.u.s.len == 6 &&
	    memcmp(v.u.s.ptr, FFFD FFFD, 6) == 0,
	    "... each bad byte became U+FFFD");
	is_str(get_str("_line"), "{\"s\":\"" FFFD FFFD "\",\"t\":\"ok\"}",
	    "_line is the repaired text");
	is_int(record_line(rec)->len, strlen("{\"s\":\"" FFFD FFFD
	    "\",\"t\":\"ok\"}"), "record_line has the repaired length");
	is_int(parse("app\xff {\"a\":1}"), RECORD_OK,
	    "a bad byte in the prefix");
	is_int(repaired, 1, "... counts as repaired");
	is_str(get_str("_prefix"), "app" FFFD, "... _prefix is repaired");
	is_int(parse("{\"a\":\"x\xe2\x82\"}"), RECORD_OK,
	    "a sequence cut short before the quote");
	is_str(get_str("a"), "x" FFFD FFFD, "... two replacements");
	is_int(parse("{\"a\":1}"), RECORD_OK, "the next clean line");
	is_int(repaired, 0, "... is not repaired");
	test_utf8_every_place();
}

static void
test_deep_and_big(void)
{
	size_t n = 10 * 1000 * 1000, i;
	char *s = xmalloc(n + 64);
	struct buf b = BUF_INIT;
	struct value v;

	memset(s, '[', n);
	is_int(parse_n(s, n, 1), RECORD_TOO_DEEP,
	    "10 million '[' is too deep, without crash or hang");
	memset(s, '{', n / 2);
	memset(s + n / 2, '}', n / 2);
	is_int(parse_n(s, n, 1), RECORD_NOT_JSON,
	    "5 million '{' then '}' is not JSON (no key)");

	for (i = 0; i < 3000; i++)
		buf_adds(&b, "{\"a\":");
	buf_addc(&b, '1');
	for (i = 0; i < 3000; i++)
		buf_addc(&b, '}');
	is_int(parse_n(b.ptr, b.len, 1), RECORD_TOO_DEEP,
	    "objects nested 3000 deep are too deep");
	buf_reset(&b);
	buf_adds(&b, "{\"a\":");
	for (i = 0; i < 2000; i++)
		buf_addc(&b, '[');
	for (i = 0; i < 2000; i++)
		buf_addc(&b, ']');
	buf_addc(&b, '}');
	is_int(parse_n(b.ptr, b.len, 1), RECORD_OK,
	    "2001 levels are within jansson's limit of 2048");

	/* An object then a million blanks. */
	memcpy(s, "{\"a\":1}", 7);
	memset(s + 7, ' ', 1000000);
	is_int(parse_n(s, 1000007, 1), RECORD_OK,
	    "an object followed by a million blanks");

	/* A 10 MB string value. */
	memcpy(s, "{\"big\":\"", 8);
	memset(s + 8, 'x', n - 10);
	memcpy(s + n - 2, "\"}", 2);
	is_int(parse_n(s, n, 1), RECORD_OK, "a 10 MB line parses");
	ok(get("big", &v) && v.kind == VALUE_STRING && v.u.s.len == n - 10,
	    "... its string is 9999990 bytes");
	free(s);
	buf_release(&b);
}

static struct buf path_out;

/* SEGS pushed into a path, copied, and written back as text. */
static const char *
path_text(const char *const *segs, size_t n)
{
	struct field_path p, q;
	size_t i;

	field_path_init(&p);
	for (i = 0; i < n; i++)
		field_path_push(&p, segs[i], strlen(segs[i]));
	field_path_copy(&q, &p);
	field_path_release(&p);
	buf_reset(&path_out);
	field_path_write(&path_out, &q);
	field_path_release(&q);
	return buf_str(&path_out);
}

static void
test_field_paths(void)
{
	static const char *const http[] = { "http", "status_code" };
	static const char *const ts[] = { "@timestamp" };
	static const char *const kube[] = { "kubernetes", "pod-name" };
	static const char *const quote[] = { "a", "b\"c\\d" };
	static const char *const word[] = { "and" };
	static const char *const digit[] = { "x1", "1x" };
	static const char *const ctl[] = { "a\tb\x01" };
	struct field_path p;

	is_str(path_text(http, 2), "http.status_code", "identifiers bare");
	is_str(path_text(ts, 1), ".\"@timestamp\"", "a quoted first segment");
	is_str(path_text(kube, 2), "kubernetes.\"pod-name\"",
	    "a quoted later segment");
	is_str(path_text(quote, 2), "a.\"b\\\"c\\\\d\"",
	    "quotes and backslashes escaped");
	is_str(path_text(word, 1), ".\"and\"", "an operator word is quoted");
	is_str(path_text(digit, 2), "x1.\"1x\"",
	    "digits only after the first character");
	is_str(path_text(ctl, 1), ".\"a\\tb\\u0001\"", "control characters");

	field_path_init(&p);
	field_path_push(&p, "abc", 2);
	ok(p.n == 1 && p.seg_len[0] == 2 && strcmp(p.seg[0], "ab") == 0,
	    "push copies LEN bytes and NUL-terminates");
	field_path_release(&p);
	ok(p.n == 0 && p.seg == NULL, "release leaves an empty path");
}

int
main(void)
{
	rec = record_new();
	test_plain();
	test_missing_null_nested();
	test_flat_keys();
	test_special_fields();
	test_candidates();
	test_not_objects();
	test_numbers();
	test_nul();
	test_utf8();
	test_deep_and_big();
	test_field_paths();
	record_free(rec);
	record_free(NULL);
	buf_release(&path_out);
	return done_testing();
}
