/* SPDX-License-Identifier: MIT */
/* func_test.c - the scalar functions of SPEC 3.2
 *
 * Where the expected epoch values come from (not from func.c):
 *   python3 -c 'import datetime as d; print(d.datetime(2026,4,25,3,1,53,
 *       tzinfo=d.timezone.utc).timestamp())'            -> 1777086113
 *   date -u -d '2026-04-25T03:01:53Z' +%s                -> 1777086113
 *   same for +02:00 / -05:00 offsets, 2024-02-29 -> 1709164800,
 *   2000-01-01 -> 946684800, 1900-01-01 -> -2208988800,
 *   2100-03-01 -> 4107542400, 2017-01-01 -> 1483228800,
 *   1969-12-31T23:59:59.5 -> -0.5.
 *   Fractions: repr(float("1777086113.123")) etc. in python3 (the double
 *   nearest the decimal, printed shortest).
 *   Buckets: python3 datetime.fromtimestamp(-1/-61/-86401, utc) and
 *   (1777086113 // 420) * 420 = 1777085940 -> 2026-04-25T02:59:00.
 *   rfc3339: (datetime(1970, 1, 1, tzinfo=utc) + timedelta(seconds=s))
 *   .strftime("%Y-%m-%dT%H:%M:%S") and the fraction, from s =
 *   Decimal(x) (the exact value of a double; of an epoch number / 10**3,
 *   10**6, 10**9 by its unit) rounded half up to the decimals x is
 *   written with: Decimal(1648546681782.9036) / 1000 is
 *   1648546681.782903564453125, 7 decimals: "...:01.7829036Z".
 *   PCRE2 messages: the error text table of pcre2_error.c ("missing
 *   closing parenthesis"); offsets as pcre2test prints them.
 */
#include "config.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "func.h"
#include "util.h"
#include "value.h"
#include "tap.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static struct func_ctx ctx;

static struct value
S(const char *s)
{
	return value_str(s, strlen(s));
}

/* The value as "kind text", so one check pins kind and content. */
static const char *
show(struct value v)
{
	struct buf b = BUF_INIT;
	char *p;

	switch (v.kind) {
	case VALUE_NULL:
		buf_adds(&b, "null");
		break;
	case VALUE_BOOL:
		buf_adds(&b, v.u.b ? "bool true" : "bool false");
		break;
	case VALUE_INT:
		buf_printf(&b, "int %lld", (long long)v.u.i);
		break;
	case VALUE_REAL:
		buf_adds(&b, "real ");
		value_write_double(&b, v.u.r);
		break;
	case VALUE_STRING:
		buf_adds(&b, "str ");
		buf_add(&b, v.u.s.ptr, v.u.s.len);
		break;
	default:
		buf_adds(&b, "json ");
		value_write_json(&b, &v);
		break;
	}
	p = arena_strndup(ctx.arena, buf_str(&b), b.len);
	buf_release(&b);
	return p;
}

/* Prepares (failing the test if that fails), calls and releases. */
static struct value
callv(const char *name, const struct value *args, size_t nargs)
{
	const struct func *f = func_lookup(name, strlen(name));
	struct diag err = { 0 };
	struct value consts[8], out;
	size_t i, bad = 99;
	void *prep = NULL;

	if (f == NULL || nargs < f->min_args || nargs > f->max_args) {
		printf("# bad call of %s\n", name);
		return value_null();
	}
	if (f->prepare) {
		for (i = 0; i < nargs; i++)
			consts[i] = f->const_args & (1u << i) ?
			    args[i] : value_null();
		prep = f->prepare(consts, nargs, &bad, &err);
		if (prep == NULL) {
			printf("# prepare %s: %s\n", name, err.msg);
			diag_release(&err);
			return value_str("PREPARE FAILED", 14);
		}
	}
	out = f->fn(&ctx, prep, args, nargs);
	if (f->release)
		f->release(prep);
	return out;
}

#define call(name, ...) callv(name, (const struct value[]){ __VA_ARGS__ }, \
	sizeof((const struct value[]){ __VA_ARGS__ }) / sizeof(struct value))

/* The error prepare gives, as "ARG: message", or "ok". */
static const char *
prepare_error(const char *name, const struct value *args, size_t nargs)
{
	const struct func *f = func_lookup(name, strlen(name));
	struct diag err = { 0 };
	size_t bad = 99;
	void *prep;
	char *s, *copy;

	prep = f->prepare(args, nargs, &bad, &err);
	if (prep != NULL) {
		f->release(prep);
		return "ok";
	}
	s = xasprintf("%zu: %s", bad, err.msg ? err.msg : "(no message)");
	diag_release(&err);
	copy = arena_strndup(ctx.arena, s, strlen(s));
	free(s);
	return copy;
}

#define perr(name, ...) prepare_error(name,				\
	(const struct value[]){ __VA_ARGS__ },				\
	sizeof((const struct value[]){ __VA_ARGS__ }) / sizeof(struct value))

static void
test_lookup(void)
{
	const struct func *f;

	f = func_lookup("lower", 5);
	ok(f != NULL && strcmp(f->name, "lower") == 0, "lookup finds lower");
	ok(func_lookup("lowerX", 5) == f, "lookup reads only LEN bytes");
	ok(func_lookup("lowe", 4) == NULL, "lookup: a prefix is not a name");
	ok(func_lookup("LOWER", 5) == NULL, "lookup is case-sensitive");
	f = func_lookup("coalesce", 8);
	ok(f && f->min_args == 1 && f->max_args > 100,
	    "coalesce takes 1 or more arguments");
	f = func_lookup("round", 5);
	ok(f && f->min_args == 1 && f->max_args == 2, "round takes 1 or 2");
	f = func_lookup("replace", 7);
	ok(f && f->min_args == 3 && f->max_args == 3 && f->const_args == 2,
	    "replace takes 3, the regex constant");
	f = func_lookup("bucket", 6);
	ok(f && f->min_args == 2 && f->const_args == 2,
	    "bucket takes 2, the step constant");

	is_str(func_suggest("lwoer", 5), "lower", "suggest: swapped letters");
	is_str(func_suggest("uper", 4), "upper", "suggest: a missing letter");
	is_str(func_suggest("exist", 5), "exists", "suggest: exist -> exists");
	is_str(func_suggest("strtswith", 9), "startswith",
	    "suggest: distance 2");
	is_str(func_suggest("rout", 4), "route",
	    "suggest: ties go to the first in table order (route, round)");
	ok(func_suggest("xyzzy", 5) == NULL, "suggest: nothing close");
	ok(func_suggest("lowercase", 9) == NULL,
	    "suggest: distance 4 is too far");
}

static void
test_basics(void)
{
	json_t *arr = json_pack("[i,i]", 1, 2);
	json_t *obj = json_pack("{s:i,s:i,s:i}", "a", 1, "b", 2, "c", 3);
	struct value items[3] = { value_int(1), S("a"), value_null() };
	struct value list = { .kind = VALUE_LIST,
	    .u.list = { items, 3 } };
	struct value in, out;

	is_str(show(call("exists", value_null())), "bool false",
	    "exists(null) is false");
	is_str(show(call("exists", value_from_json(json_null()))),
	    "bool false", "exists(JSON null) is false");
	is_str(show(call("exists", value_int(0))), "bool true",
	    "exists(0) is true");
	is_str(show(call("exists", S(""))), "bool true", "exists(\"\")");
	is_str(show(call("exists", value_bool(0))), "bool true",
	    "exists(false) is true");

	is_str(show(call("coalesce", value_null(), value_null(),
	    value_int(3), value_int(4))), "int 3", "coalesce: first non-null");
	is_str(show(call("coalesce", value_null(), value_null())), "null",
	    "coalesce of nulls is null");
	is_str(show(call("coalesce", value_bool(0), value_int(1))),
	    "bool false", "coalesce: false is not null");
	is_str(show(call("coalesce", S("x"))), "str x", "coalesce of one");

	is_str(show(call("lower", S("HeLLo \xc3\x84 World-1"))),
	    "str hello \xc3\x84 world-1", "lower: ASCII only, Ä unchanged");
	is_str(show(call("upper", S("abc-\xc3\xa9z"))), "str ABC-\xc3\xa9Z",
	    "upper: ASCII only, é unchanged");
	in = S("already");
	out = call("lower", in);
	ok(out.u.s.ptr == in.u.s.ptr, "lower: nothing to change, no copy");
	is_str(show(call("lower", value_int(5))), "null", "lower(5) is null");
	is_str(show(call("upper", value_null())), "null", "upper(null)");

	is_str(show(call("len", S("h\xc3\xa9llo"))), "int 5",
	    "len counts code points (héllo)");
	is_str(show(call("len", S("\xe6\x97\xa5\xe6\x9c\xac"))), "int 2",
	    "len of two CJK characters");
	is_str(show(call("len", S("\xf0\x9f\x98\x80"))), "int 1",
	    "len of an emoji (4 bytes)");
	is_str(show(call("len", S(""))), "int 0", "len(\"\") is 0");
	is_str(show(call("len", value_from_json(arr))), "int 2",
	    "len of a JSON array");
	is_str(show(call("len", value_from_json(obj))), "int 3",
	    "len of a JSON object");
	is_str(show(call("len", list)), "int 3", "len of a list");
	is_str(show(call("len", value_int(12345))), "null", "len(number)");
	is_str(show(call("len", value_null())), "null", "len(null)");

	is_str(show(call("contains", S("payment failed"), S("fail"))),
	    "bool true", "contains: yes");
	is_str(show(call("contains", S("payment"), S("fail"))),
	    "bool false", "contains: no");
	is_str(show(call("contains", S("abc"), S(""))), "bool true",
	    "contains: the empty string is in everything");
	is_str(show(call("contains", S("ab"), S("abc"))), "bool false",
	    "contains: longer needle");
	is_str(show(call("contains", value_int(500), S("5"))), "null",
	    "contains: number haystack is null");
	is_str(show(call("contains", S("a5"), value_int(5))), "null",
	    "contains: number needle is null");
	is_str(show(call("startswith", S("/v1/users"), S("/v1/"))),
	    "bool true", "startswith: yes");
	is_str(show(call("startswith", S("/v2/users"), S("/v1/"))),
	    "bool false", "startswith: no");
	is_str(show(call("startswith", S("/v"), S("/v1/"))), "bool false",
	    "startswith: prefix longer than string");
	is_str(show(call("startswith", value_null(), S("x"))), "null",
	    "startswith(null, ...) is null");
	is_str(show(call("endswith", S("report.pdf"), S(".pdf"))),
	    "bool true", "endswith: yes");
	is_str(show(call("endswith", S("report.pdf"), S(".txt"))),
	    "bool false", "endswith: no");
	is_str(show(call("endswith", S("f"), S(".pdf"))), "bool false",
	    "endswith: suffix longer than string");
	is_str(show(call("endswith", S("x"), value_bool(1))), "null",
	    "endswith: boolean suffix is null");

	is_str(show(call("str", S("abc"))), "str abc", "str of a string");
	is_str(show(call("str", value_int(-9223372036854775807LL))),
	    "str -9223372036854775807", "str of an int, all digits");
	is_str(show(call("str", value_real(1.5))), "str 1.5", "str(1.5)");
	is_str(show(call("str", value_real(0.1))), "str 0.1",
	    "str(0.1) is the shortest text");
	is_str(show(call("str", value_real(2.0))), "str 2",
	    "str of a whole real prints no fraction");
	is_str(show(call("str", value_real(1e300))), "str 1e+300",
	    "str(1e300)");
	is_str(show(call("str", value_bool(1))), "str true", "str(true)");
	is_str(show(call("str", value_bool(0))), "str false", "str(false)");
	is_str(show(call("str", value_null())), "str null", "str(null)");
	is_str(show(call("str", list)), "str [1,\"a\",null]",
	    "str of a list is compact JSON");
	is_str(show(call("str", value_from_json(obj))),
	    "str {\"a\":1,\"b\":2,\"c\":3}", "str of a JSON object");
	json_decref(arr);
	json_decref(obj);
}

static void
test_numbers(void)
{
	is_str(show(call("num", value_int(42))), "int 42", "num(42)");
	is_str(show(call("num", value_real(2.5))), "real 2.5", "num(2.5)");
	is_str(show(call("num", S("42"))), "int 42", "num(\"42\") is an int");
	is_str(show(call("num", S(" -7\t"))), "int -7",
	    "num trims blanks");
	is_str(show(call("num", S("1.5"))), "real 1.5", "num(\"1.5\")");
	is_str(show(call("num", S("1e3"))), "real 1000",
	    "num(\"1e3\") is a real 1000");
	is_str(show(call("num", S("99999999999999999999"))), "real 1e+20",
	    "num: beyond int64 becomes a real");
	is_str(show(call("num", S("12abc"))), "null", "num: trailing junk");
	is_str(show(call("num", S(""))), "null", "num(\"\")");
	is_str(show(call("num", S("0x10"))), "null", "num: no hex");
	is_str(show(call("num", S("0x1e"))), "null",
	    "num: no hex, even with an 'e' digit");
	is_str(show(call("num", S("0x1p3"))), "null", "num: no hex float");
	is_str(show(call("num", S("-2.5E-1"))), "real -0.25",
	    "num: sign, point and exponent");
	is_str(show(call("num", S("nan"))), "null", "num: no nan");
	is_str(show(call("num", S("inf"))), "null", "num: no inf");
	is_str(show(call("num", value_bool(1))), "null", "num(true)");
	is_str(show(call("num", value_null())), "null", "num(null)");

	is_str(show(call("round", value_real(3.14159), value_int(2))),
	    "real 3.14", "round(3.14159, 2)");
	is_str(show(call("round", value_real(2.5))), "int 3",
	    "round(2.5) is the int 3 (half away from zero)");
	is_str(show(call("round", value_real(-2.5))), "int -3",
	    "round(-2.5) is -3");
	is_str(show(call("round", value_real(0.5))), "int 1", "round(0.5)");
	is_str(show(call("round", value_real(0.4))), "int 0", "round(0.4)");
	is_str(show(call("round", value_real(-0.4))), "int 0",
	    "round(-0.4) is 0");
	is_str(show(call("round", value_real(99.5))), "int 100",
	    "round(99.5) carries");
	is_str(show(call("round", value_real(1234.5678), value_int(0))),
	    "int 1235", "round(x, 0) is an int");
	is_str(show(call("round", value_real(1.005), value_int(2))),
	    "real 1.01", "round(1.005, 2): the decimal as written");
	is_str(show(call("round", value_real(2.675), value_int(2))),
	    "real 2.68", "round(2.675, 2) is 2.68");
	is_str(show(call("round", value_real(-1.005), value_int(2))),
	    "real -1.01", "round(-1.005, 2) is -1.01");
	is_str(show(call("round", value_real(0.125), value_int(2))),
	    "real 0.13", "round(0.125, 2): exact half goes up");
	is_str(show(call("round", value_real(9.995), value_int(2))),
	    "real 10", "round(9.995, 2) carries to 10");
	is_str(show(call("round", value_real(0.0004), value_int(3))),
	    "real 0", "round(0.0004, 3) is 0");
	is_str(show(call("round", value_real(0.0005), value_int(3))),
	    "real 0.001", "round(0.0005, 3) is 0.001");
	is_str(show(call("round", value_real(-0.0004), value_int(3))),
	    "real 0", "round(-0.0004, 3) is 0, not -0");
	is_str(show(call("round", value_real(123.456), value_int(15))),
	    "real 123.456", "round to 15 places keeps the number");
	is_str(show(call("round", value_real(1e20), value_int(2))),
	    "real 1e+20", "round of a huge real");
	is_str(show(call("round", value_int(5), value_int(2))), "int 5",
	    "round of an int is the int");
	is_str(show(call("round", value_real(1.25), value_real(1.0))),
	    "real 1.3", "round: n may be a whole real");
	is_str(show(call("round", value_real(1.5), value_int(16))), "null",
	    "round: n above 15 is null");
	is_str(show(call("round", value_real(1.5), value_int(-1))), "null",
	    "round: negative n is null");
	is_str(show(call("round", value_real(1.5), value_real(1.5))), "null",
	    "round: fractional n is null");
	is_str(show(call("round", value_real(1.5), S("2"))), "null",
	    "round: string n is null");
	is_str(show(call("round", S("3.2"))), "null", "round(string) is null");
	is_str(show(call("round", value_null(), value_int(2))), "null",
	    "round(null, 2)");
}

static void
test_durations(void)
{
	is_str(show(call("ms", S("143ms"))), "int 143", "ms(\"143ms\")");
	is_str(show(call("ms", S("1.5s"))), "int 1500", "ms(\"1.5s\")");
	is_str(show(call("ms", S("2m3s"))), "int 123000", "ms(\"2m3s\")");
	is_str(show(call("ms", S("1h2m"))), "int 3720000", "ms(\"1h2m\")");
	is_str(show(call("ms", S("1.5h"))), "int 5400000", "ms(\"1.5h\")");
	is_str(show(call("ms", S("1d"))), "int 86400000", "ms(\"1d\")");
	is_str(show(call("ms", S("250\xc2\xb5s"))), "real 0.25",
	    "ms(\"250µs\") with the micro sign U+00B5");
	is_str(show(call("ms", S("250\xce\xbcs"))), "real 0.25",
	    "ms(\"250μs\") with the Greek mu U+03BC");
	is_str(show(call("ms", S("250us"))), "real 0.25", "ms(\"250us\")");
	is_str(show(call("ms", S("1500us"))), "real 1.5", "ms(\"1500us\")");
	is_str(show(call("ms", S("10ns"))), "real 1e-05", "ms(\"10ns\")");
	is_str(show(call("ms", S("2000000ns"))), "int 2",
	    "ms(\"2000000ns\") is whole");
	is_str(show(call("ms", S("-1.5s"))), "int -1500", "ms(\"-1.5s\")");
	is_str(show(call("ms", S("+2s"))), "int 2000", "ms(\"+2s\")");
	is_str(show(call("ms", S("0"))), "int 0", "ms(\"0\")");
	is_str(show(call("ms", S(".5s"))), "int 500", "ms(\".5s\")");
	is_str(show(call("ms", S("1m0.5s"))), "int 60500", "ms(\"1m0.5s\")");
	is_str(show(call("ms", S("143"))), "int 143",
	    "ms of a numeric string is ms");
	is_str(show(call("ms", S("12.5"))), "real 12.5", "ms(\"12.5\")");
	is_str(show(call("ms", value_int(87))), "int 87", "ms(87) is ms");
	is_str(show(call("ms", value_real(0.75))), "real 0.75", "ms(0.75)");
	is_str(show(call("ms", S("1x"))), "null", "ms: unknown unit");
	is_str(show(call("ms", S("5"))), "int 5", "ms(\"5\")");
	is_str(show(call("ms", S("s"))), "null", "ms: unit without number");
	is_str(show(call("ms", S("1.5"))), "real 1.5", "ms(\"1.5\")");
	is_str(show(call("ms", S("1h 2m"))), "null", "ms: no inner blanks");
	is_str(show(call("ms", S("1s2"))), "null", "ms: trailing number");
	is_str(show(call("ms", S(""))), "null", "ms(\"\")");
	is_str(show(call("ms", S("-"))), "null", "ms(\"-\")");
	is_str(show(call("ms", value_bool(1))), "null", "ms(true)");
	is_str(show(call("ms", value_null())), "null", "ms(null)");
}

static void
test_times(void)
{
	is_str(show(call("time", S("2026-04-25T03:01:53Z"))),
	    "int 1777086113", "time: RFC 3339 with Z");
	is_str(show(call("time", S("2026-04-25T03:01:53.123456789Z"))),
	    "real 1777086113.1234567", "time: nanosecond fraction");
	is_str(show(call("time", S("2026-04-25T03:01:53.1Z"))),
	    "real 1777086113.1", "time: one fraction digit");
	is_str(show(call("time", S("2026-04-25T05:01:53+02:00"))),
	    "int 1777086113", "time: +02:00");
	is_str(show(call("time", S("2026-04-25 03:01:53.5 UTC"))),
	    "real 1777086113.5", "time: PostgreSQL jsonlog \" UTC\"");
	is_str(show(call("time", S("1969-12-31T23:59:59.5Z"))), "real -0.5",
	    "time: before the epoch with a fraction");
	is_str(show(call("time", S("yesterday"))), "null", "time: words");

	is_str(show(call("time", value_int(1777086113))), "int 1777086113",
	    "time: epoch seconds");
	is_str(show(call("time", value_int(1777086113123LL))),
	    "real 1777086113.123", "time: epoch milliseconds");
	is_str(show(call("time", value_int(1777086113123456LL))),
	    "real 1777086113.123456", "time: epoch microseconds");
	is_str(show(call("time", value_int(1777086113123456789LL))),
	    "real 1777086113.1234567", "time: epoch nanoseconds");
	is_str(show(call("time", value_int(1777086113000LL))),
	    "int 1777086113", "time: whole ms give an int");
	is_str(show(call("time", value_real(1777086113.5))),
	    "real 1777086113.5", "time: real seconds");
	is_str(show(call("time", value_real(1777086113123.5))),
	    "real 1777086113.1235", "time: real milliseconds");
	is_str(show(call("time", value_int(99999999999999LL))),
	    "real 99999999999.999", "time: just under 1e14 is ms");
	is_str(show(call("time", value_int(-1000))), "int -1000",
	    "time: negative seconds");
	is_str(show(call("time", S("1777086113123"))),
	    "real 1777086113.123", "time: numeric string of ms");
	is_str(show(call("time", S("1777086113.5"))), "real 1777086113.5",
	    "time: numeric string with fraction");
	is_str(show(call("time", value_bool(1))), "null", "time(true)");
	is_str(show(call("time", value_null())), "null", "time(null)");
}

static void
test_bucket(void)
{
	const char *t = "2026-04-25T03:01:53Z";

	is_str(show(call("bucket", S(t), S("1m"))),
	    "str 2026-04-25T03:01:00Z", "bucket 1m");
	is_str(show(call("bucket", S(t), S("30s"))),
	    "str 2026-04-25T03:01:30Z", "bucket 30s");
	is_str(show(call("bucket", S(t), S("5m"))),
	    "str 2026-04-25T03:00:00Z", "bucket 5m");
	is_str(show(call("bucket", S(t), S("1h"))),
	    "str 2026-04-25T03:00:00Z", "bucket 1h");
	is_str(show(call("bucket", S(t), S("1d"))),
	    "str 2026-04-25T00:00:00Z", "bucket 1d");
	is_str(show(call("bucket", S(t), S("7m"))),
	    "str 2026-04-25T02:59:00Z", "bucket 7m: aligned to the epoch");
	is_str(show(call("bucket", S("2026-04-25T03:01:00Z"), S("1m"))),
	    "str 2026-04-25T03:01:00Z", "bucket: a start is its own bucket");
	is_str(show(call("bucket", S("2026-04-25T03:01:59.999Z"), S("1m"))),
	    "str 2026-04-25T03:01:00Z", "bucket: last ms of a minute");
	is_str(show(call("bucket", S("2026-04-25T23:59:59.999Z"), S("1d"))),
	    "str 2026-04-25T00:00:00Z", "bucket 1d: last ms of the day");
	is_str(show(call("bucket", S("2026-04-26T00:00:00Z"), S("1d"))),
	    "str 2026-04-26T00:00:00Z", "bucket 1d: first second of a day");
	is_str(show(call("bucket", S("2024-02-29T12:00:00Z"), S("1d"))),
	    "str 2024-02-29T00:00:00Z", "bucket 1d: 29 February");
	is_str(show(call("bucket", S("2025-12-31T23:59:59Z"), S("1h"))),
	    "str 2025-12-31T23:00:00Z", "bucket 1h: the last hour of a year");
	is_str(show(call("bucket", S("2026-04-25T01:30:00+02:00"),
	    S("1d"))), "str 2026-04-24T00:00:00Z",
	    "bucket 1d: an offset moves the time to the day before in UTC");
	is_str(show(call("bucket", value_int(1777086113123LL), S("1s"))),
	    "str 2026-04-25T03:01:53Z", "bucket: epoch ms input");
	is_str(show(call("bucket", value_int(-1), S("1m"))),
	    "str 1969-12-31T23:59:00Z", "bucket: -1 s floors down");
	is_str(show(call("bucket", value_int(-61), S("1m"))),
	    "str 1969-12-31T23:58:00Z", "bucket: -61 s");
	is_str(show(call("bucket", value_int(-86401), S("1d"))),
	    "str 1969-12-30T00:00:00Z", "bucket 1d before the epoch");
	is_str(show(call("bucket", S("1969-12-31T23:59:59.5Z"), S("1s"))),
	    "str 1969-12-31T23:59:59Z", "bucket: -0.5 s floors to -1");
	is_str(show(call("bucket", value_int(0), S("1h"))),
	    "str 1970-01-01T00:00:00Z", "bucket of the epoch");
	is_str(show(call("bucket", S("2026-04-25T03:01:53.7Z"), S("500ms"))),
	    "str 2026-04-25T03:01:53.500Z",
	    "bucket 500ms shows milliseconds");
	is_str(show(call("bucket", S("2026-04-25T03:01:00.3Z"), S("100ms"))),
	    "str 2026-04-25T03:01:00.300Z",
	    "bucket 100ms: .3 lands in its own bucket despite binary");
	is_str(show(call("bucket", S("2026-04-25T03:01:53.7Z"), S("1s"))),
	    "str 2026-04-25T03:01:53Z", "bucket 1s shows no fraction");
	is_str(show(call("bucket", S("2026-04-25T03:01:53.000123Z"),
	    S("100us"))), "str 2026-04-25T03:01:53.000100Z",
	    "bucket 100us shows microseconds");
	/* 2.4e-7 s apart as doubles in 2026: the last 100 ns of a minute
	 * would round into the next one. */
	is_str(show(call("bucket", S("2026-04-25T03:01:59.9999999Z"),
	    S("1m"))), "str 2026-04-25T03:01:00Z",
	    "bucket: the last 100 ns of a minute, exactly");
	is_str(show(call("bucket", value_int(1777086119999999999LL),
	    S("1m"))), "str 2026-04-25T03:01:00Z",
	    "bucket: the last epoch ns of a minute");
	is_str(show(call("bucket", S("2014-03-10 19:57:38.5 -0400 EDT"),
	    S("1h"))), "str 2014-03-10T23:00:00Z",
	    "bucket: Go's time.Time.String()");
	is_str(show(call("bucket", S("06/Dec/2026:22:14:43 +0000"),
	    S("5m"))), "str 2026-12-06T22:10:00Z",
	    "bucket: nginx's $time_local");
	is_str(show(call("bucket", S("later"), S("1m"))), "null",
	    "bucket of a non-time is null");
	is_str(show(call("bucket", value_null(), S("1m"))), "null",
	    "bucket(null)");

	is_str(perr("bucket", value_null(), S("1x")),
	    "1: invalid bucket step '1x': use a duration such as 30s, 5m, "
	    "1h, 1d", "bucket: bad step message, caret under argument 1");
	is_str(perr("bucket", value_null(), S("0s")),
	    "1: invalid bucket step '0s': use a duration such as 30s, 5m, "
	    "1h, 1d", "bucket: a zero step is an error");
	is_str(perr("bucket", value_null(), S("-1m")),
	    "1: invalid bucket step '-1m': use a duration such as 30s, 5m, "
	    "1h, 1d", "bucket: a negative step is an error");
	is_str(perr("bucket", value_null(), value_int(60)),
	    "1: invalid bucket step '60': use a duration such as 30s, 5m, "
	    "1h, 1d", "bucket: a bare number is not a step");
	is_str(perr("bucket", value_null(), S("1m")), "ok",
	    "bucket: 1m prepares");
}

/* time(t) as RFC 3339 UTC text, exactly as precise as t is written. */
static void
test_rfc3339(void)
{
	static const struct {
		const char	*in, *want, *what;
	} texts[] = {
		{ "2026-04-25T03:01:53Z", "2026-04-25T03:01:53Z",
		    "RFC 3339 UTC unchanged" },
		{ "2026-04-25T03:01:00.000Z", "2026-04-25T03:01:00.000Z",
		    "zero decimals are kept" },
		{ "2026-04-25t03:01:53.1z", "2026-04-25T03:01:53.1Z",
		    "lower-case t and z made upper" },
		{ "2024-04-06T18:58:23.435979+09:00",
		    "2024-04-06T09:58:23.435979Z", "slog's +09:00 to UTC" },
		{ "2024-11-12T14:13:36.880+0900", "2024-11-12T05:13:36.880Z",
		    "zap's +0900" },
		{ "2026-04-25 03:01:53,250", "2026-04-25T03:01:53.250Z",
		    "Python's asctime" },
		{ "2024-03-14 10:30:11.999 UTC", "2024-03-14T10:30:11.999Z",
		    "PostgreSQL's \" UTC\"" },
		{ "2014-03-10 19:57:38.562264131 -0400 EDT",
		    "2014-03-10T23:57:38.562264131Z",
		    "Go's time.Time.String() (logrus)" },
		{ "06/Dec/2026:22:14:43 +0000", "2026-12-06T22:14:43Z",
		    "nginx's $time_local" },
		{ "[25/Apr/2026:05:01:53 +0200]", "2026-04-25T03:01:53Z",
		    "Apache's %t" },
		{ "2026-04-25T03:01:53.1234567891234Z",
		    "2026-04-25T03:01:53.123456789Z",
		    "digits past nanoseconds dropped, as time() does" },
		{ "2016-12-31T23:59:60Z", "2017-01-01T00:00:00Z",
		    "a leap second is the next second, as time() has it" },
		{ " 2026-04-25T03:01:53.5Z\t", "2026-04-25T03:01:53.5Z",
		    "blanks around dropped" },
		{ "2026-04-25T03:01:53,250Z", "2026-04-25T03:01:53.250Z",
		    "a comma before the decimals made a point" },
		{ "2026-04-25T03:01:53+00:00", "2026-04-25T03:01:53Z",
		    "+00:00 written Z" },
		{ "1777086113.250", "2026-04-25T03:01:53.250Z",
		    "numeric string: its decimals" },
		{ "1777086113123", "2026-04-25T03:01:53.123Z",
		    "numeric string of ms" },
	};
	size_t i;
	char want[64];

	for (i = 0; i < NELEM(texts); i++) {
		snprintf(want, sizeof(want), "str %s", texts[i].want);
		is_str(show(call("rfc3339", S(texts[i].in))), want,
		    "rfc3339: %s", texts[i].what);
	}
	is_str(show(call("rfc3339", value_int(1532081790745LL))),
	    "str 2018-07-20T10:16:30.745Z", "rfc3339: pino's epoch ms");
	is_str(show(call("rfc3339", value_int(1516134303))),
	    "str 2018-01-16T20:25:03Z", "rfc3339: zerolog's epoch seconds");
	is_str(show(call("rfc3339", value_int(1777086113123456LL))),
	    "str 2026-04-25T03:01:53.123456Z", "rfc3339: epoch us");
	is_str(show(call("rfc3339", value_int(1777086113123456789LL))),
	    "str 2026-04-25T03:01:53.123456789Z", "rfc3339: epoch ns");
	is_str(show(call("rfc3339", value_int(-1777086113123LL))),
	    "str 1913-09-08T20:58:06.877Z", "rfc3339: negative epoch ms");
	is_str(show(call("rfc3339", value_int(-1500))),
	    "str 1969-12-31T23:35:00Z", "rfc3339: negative epoch seconds");
	is_str(show(call("rfc3339", value_real(1739977744.980593))),
	    "str 2025-02-19T15:09:04.980593Z", "rfc3339: zap's real seconds");
	is_str(show(call("rfc3339", value_real(1761019822.3152757))),
	    "str 2025-10-21T04:10:22.3152757Z",
	    "rfc3339: caddy's 7 decimals");
	is_str(show(call("rfc3339", value_real(1648546681782.9036))),
	    "str 2022-03-29T09:38:01.7829036Z", "rfc3339: klog's real ms");
	is_str(show(call("rfc3339", value_real(1777086113.43))),
	    "str 2026-04-25T03:01:53.43Z",
	    "rfc3339 of what time() gives for 1777086113430 ms");
	is_str(show(call("rfc3339", value_int(-99999999999LL))), "null",
	    "rfc3339: before the year 0000 is null");
	is_str(show(call("rfc3339", S("yesterday"))), "null",
	    "rfc3339: words");
	is_str(show(call("rfc3339", S(""))), "null", "rfc3339: empty");
	is_str(show(call("rfc3339", value_null())), "null", "rfc3339(null)");
	is_str(show(call("rfc3339", value_bool(1))), "null", "rfc3339(true)");
	is_str(show(call("rfc3339", value_real(NAN))), "null",
	    "rfc3339(NaN)");
}

static void
test_route(void)
{
	static const struct {
		const char *in, *want, *what;
	} cases[] = {
		{ "/v1/apple/verify", "/v1/apple/verify", "words unchanged" },
		{ "/users/123/orders/456?x=1", "/users/:id/orders/:id",
		    "(a) digits, query string dropped" },
		{ "/users/42#top", "/users/:id", "fragment dropped" },
		{ "/a?b/123", "/a", "'/' after '?' is query" },
		{ "/t/550e8400-e29b-41d4-a716-446655440000", "/t/:id",
		    "(b) UUID" },
		{ "/t/550E8400-E29B-41D4-A716-446655440000/x", "/t/:id/x",
		    "(b) upper-case UUID" },
		{ "/v1/keys/deadbeef", "/v1/keys/:id",
		    "(c) 8 hex letters (the brief's example)" },
		{ "/v1/keys/5f3a9c2e", "/v1/keys/:id", "(c) 8 hex" },
		{ "/v1/keys/5F3A9C2E01", "/v1/keys/:id", "(c) upper hex" },
		{ "/v1/keys/5f3a9c2", "/v1/keys/5f3a9c2",
		    "(c) near miss: 7 hex" },
		{ "/v1/keys/5f3a9c2g", "/v1/keys/5f3a9c2g",
		    "(c) near miss: a non-hex letter, short" },
		{ "/tenants/tenant_8f3a9c2e1b7d4f60/usage",
		    "/tenants/:id/usage", "(d) prefixed id" },
		{ "/o/01ARZ3NDEKTSV4RRFFQ69G5FAV", "/o/:id", "(d) ULID" },
		{ "/o/abcdefghijklmno1", "/o/:id", "(d) exactly 16" },
		{ "/o/abcdefghijklmn1", "/o/abcdefghijklmn1",
		    "(d) near miss: 15 characters" },
		{ "/o/notification_settings", "/o/notification_settings",
		    "(d) near miss: no digit" },
		{ "/o/1234567890123456-", "/o/1234567890123456-",
		    "(d) near miss: no letter" },
		{ "/o/abc.def1234567890123", "/o/abc.def1234567890123",
		    "(d) near miss: a dot" },
		{ "/v1/verify", "/v1/verify", "v1 is short" },
		{ "/api/v2", "/api/v2", "v2 is short" },
		{ "/files/report.pdf", "/files/report.pdf", "file name" },
		{ "/", "/", "root stays" },
		{ "/users/", "/users/", "trailing slash kept" },
		{ "//x//7", "//x//:id", "empty segments kept" },
		{ "users/7", "users/:id", "relative path" },
		{ "", "", "empty path" },
		{ "?a=1", "", "only a query string" },
		{ "https://api.example.com/send", "/send",
		    "absolute URL: scheme and host dropped" },
		{ "http://10.0.0.7:8080/v1/users/42?a=1", "/v1/users/:id",
		    "absolute URL with a port and a query" },
		{ "https://api.example.com", "/", "absolute URL, no path" },
		{ "https://api.example.com?x=1", "/",
		    "absolute URL, a query and no path" },
		{ "svc+h2.v1://host/x/7", "/x/:id",
		    "scheme of letters, digits, + - ." },
		{ "mailto:a@b", "mailto:a@b", "near miss: no ://" },
		{ "1http://h/x", "1http://h/x",
		    "near miss: a scheme starts with a letter" },
		{ "/r?next=https://h/p", "/r", "a URL in the query string" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *want = xasprintf("str %s", cases[i].want);

		is_str(show(call("route", S(cases[i].in))), want,
		    "route: %s (%s)", cases[i].what, cases[i].in);
		free(want);
	}
	is_str(show(call("route", value_int(42))), "null", "route(42)");
	is_str(show(call("route", value_null())), "null", "route(null)");
}

static void
test_replace(void)
{
	pcre2_match_context *mctx;
	char *big, *want;
	struct value r;

	is_str(show(call("replace", S("a-b-c"), S("-"), S("+"))),
	    "str a+b+c", "replace: every match");
	is_str(show(call("replace", S("user=42 id=7"), S("(\\w+)=(\\d+)"),
	    S("$2:$1"))), "str 42:user 7:id", "replace: $1 and $2");
	is_str(show(call("replace", S("ab"), S("(a)"), S("${1}1"))),
	    "str a1b", "replace: ${1} braces");
	is_str(show(call("replace", S("k=v"), S("(?<key>\\w)="),
	    S("[$key]"))), "str [k]v", "replace: a named group");
	is_str(show(call("replace", S("5"), S("\\d"), S("$$$0"))),
	    "str $5", "replace: $$ is a dollar, $0 the match");
	is_str(show(call("replace", S("b"), S("(a)|b"), S("[$1]"))),
	    "str []", "replace: an unset group inserts nothing");
	is_str(show(call("replace", S("h\xc3\xa9llo"), S("."), S("x"))),
	    "str xxxxx", "replace: '.' is one character in UTF-8");
	is_str(show(call("replace", S("abc"), S("z"), S("y"))), "str abc",
	    "replace: no match gives the string");
	is_str(show(call("replace", S("abc"), S("b"), S(""))), "str ac",
	    "replace: empty replacement deletes");
	is_str(show(call("replace", value_int(5), S("5"), S("6"))), "null",
	    "replace: number subject is null");
	is_str(show(call("replace", S("5"), S("5"), value_int(6))), "null",
	    "replace: number replacement is null");
	is_str(show(call("replace", S("5"), S("5"), value_null())), "null",
	    "replace: null replacement is null");

	big = xmalloc(1001);
	memset(big, 'a', 1000);
	big[1000] = '\0';
	want = xmalloc(4005);
	memcpy(want, "str ", 4);
	memset(want + 4, 'b', 4000);
	want[4004] = '\0';
	is_str(show(call("replace", S(big), S("a"), S("bbbb"))), want,
	    "replace: output 4x the input grows the buffer");
	free(big);
	free(want);

	/* A runtime replacement that PCRE2 rejects gives null. */
	{
		const struct func *f = func_lookup("replace", 7);
		struct value pa[3] = { value_null(), S("(a)"), value_null() };
		struct value ca[3] = { S("a"), S("(a)"), S("$9") };
		struct diag err = { 0 };
		size_t bad;
		void *prep = f->prepare(pa, 3, &bad, &err);

		is_str(show(f->fn(&ctx, prep, ca, 3)), "null",
		    "replace: a bad non-constant replacement is null");
		/* One ovector pair is too few for 1 group: PCRE2 makes its
		 * own match data instead. */
		ctx.match_data = pcre2_match_data_create(1, NULL);
		ca[2] = S("<$1>");
		is_str(show(f->fn(&ctx, prep, ca, 3)), "str <a>",
		    "replace: a too small ctx match data is not used");
		pcre2_match_data_free(ctx.match_data);
		ctx.match_data = pcre2_match_data_create(10, NULL);
		is_str(show(f->fn(&ctx, prep, ca, 3)), "str <a>",
		    "replace: with the ctx's match data");
		pcre2_match_data_free(ctx.match_data);
		ctx.match_data = NULL;
		f->release(prep);
	}

	/* A match limit hit: counted, the string unchanged. */
	mctx = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(mctx, 10);
	ctx.match_ctx = mctx;
	r = call("replace", S("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaab"), S("(a+)+$"),
	    S("x"));
	is_str(show(r), "str aaaaaaaaaaaaaaaaaaaaaaaaaaaaaab",
	    "replace: a match limit leaves the string");
	is_int(ctx.regex_limit_hits, 1, "replace: the limit hit is counted");
	ctx.match_ctx = NULL;
	pcre2_match_context_free(mctx);

	is_str(perr("replace", value_null(), S("a(b"), value_null()),
	    "1: invalid regex: missing closing parenthesis at offset 3",
	    "replace: regex error message and offset");
	is_str(perr("replace", value_null(), S("a)"), value_null()),
	    "1: invalid regex: unmatched closing parenthesis at offset 1",
	    "replace: unmatched ')' at offset 1");
	is_str(perr("replace", value_null(), value_int(1), value_null()),
	    "1: invalid regex: the pattern must be a string, not number",
	    "replace: a non-string regex");
	is_str(perr("replace", value_null(), S("(a)"), S("$2")),
	    "2: invalid replacement: no group 2 in the regex (it has 1)",
	    "replace: a constant replacement naming a missing group");
	is_str(perr("replace", value_null(), S("(a)"), S("${x}")),
	    "2: invalid replacement: no group named 'x' in the regex",
	    "replace: a missing named group");
	is_str(perr("replace", value_null(), S("a"), S("cost: 5$")),
	    "2: invalid replacement: '$' must be followed by a group number "
	    "or name (write '$$' for a '$')",
	    "replace: a lone dollar");
	is_str(perr("replace", value_null(), S("(a)"), S("${1")),
	    "2: invalid replacement: missing '}'",
	    "replace: an unclosed brace");
	is_str(perr("replace", value_null(), S("(a)"), S("$1$$${1}$0")),
	    "ok", "replace: valid references prepare");
	is_str(perr("replace", value_null(), S("(a)"), value_null()),
	    "ok", "replace: a non-constant replacement is not checked");
}

/* One prepared replace, used by two threads with their own ctx, as -j
 * does: each must see only its own results. */
struct thread_job {
	const struct func	*f;
	void			*prep;
	const char		*subject, *want;
	int			 bad;
};

static void *
thread_run(void *arg)
{
	struct thread_job *job = arg;
	struct func_ctx tctx = { 0 };
	struct value args[3], r;
	int i;

	tctx.arena = arena_new();
	tctx.match_data = pcre2_match_data_create(8, NULL);
	args[0] = S(job->subject);
	args[1] = S("(\\d+)");
	args[2] = S("<$1>");
	for (i = 0; i < 2000; i++) {
		r = job->f->fn(&tctx, job->prep, args, 3);
		if (r.kind != VALUE_STRING || r.u.s.len != strlen(job->want) ||
		    memcmp(r.u.s.ptr, job->want, r.u.s.len) != 0)
			job->bad++;
		arena_reset(tctx.arena);
	}
	pcre2_match_data_free(tctx.match_data);
	arena_free(tctx.arena);
	return NULL;
}

static void
test_threads(void)
{
	const struct func *f = func_lookup("replace", 7);
	struct value pa[3] = { value_null(), S("(\\d+)"), S("<$1>") };
	struct thread_job a = { f, NULL, "id 12 and 345", "id <12> and <345>",
	    0 };
	struct thread_job b = { f, NULL, "x9y", "x<9>y", 0 };
	struct diag err = { 0 };
	pthread_t ta, tb;
	size_t bad;

	a.prep = b.prep = f->prepare(pa, 3, &bad, &err);
	pthread_create(&ta, NULL, thread_run, &a);
	pthread_create(&tb, NULL, thread_run, &b);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	is_int(a.bad + b.bad, 0,
	    "replace: one prepared regex, two threads, right results");
	f->release(a.prep);
}

/* folds_to_lower promises prepare.c that fn(x) is x with its ASCII
 * capitals made small: lower() alone makes it, and keeps it. */
static void
test_folds_to_lower(void)
{
	static const char *const names[] = {
		"exists", "coalesce", "lower", "upper", "len", "contains",
		"startswith", "endswith", "replace", "num", "ms", "time",
		"bucket", "route", "round", "str", "luhn"
	};
	static const char *const in[] = {
		"", "info", "ERROR", "MiXeD-Case_09", "\303\204bC", "@[`{"
	};
	static const char *const want[] = {
		"", "info", "error", "mixed-case_09", "\303\204bc", "@[`{"
	};
	const struct func *f;
	size_t i, n = 0;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		f = func_lookup(names[i], strlen(names[i]));
		if (f != NULL && f->folds_to_lower)
			n++;
	}
	f = func_lookup("lower", 5);
	ok(n == 1 && f != NULL && f->folds_to_lower,
	    "folds_to_lower: set on lower() alone");
	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		struct value arg = S(in[i]);
		struct value r = f->fn(&ctx, NULL, &arg, 1);

		ok(r.kind == VALUE_STRING && r.u.s.len == strlen(want[i]) &&
		    memcmp(r.u.s.ptr, want[i], r.u.s.len) == 0,
		    "folds_to_lower: lower(\"%s\") is its ASCII folding",
		    in[i]);
	}
}

/* Expected values from python3: def luhn(s): d = [int(c) for c in s if
 * c.isdigit()]; return sum(x if i % 2 == 0 else (2 * x if x < 5 else
 * 2 * x - 9) for i, x in enumerate(reversed(d))) % 10 == 0 */
static void
test_luhn(void)
{
	static const struct {
		const char *in, *want, *what;
	} cases[] = {
		{ "4111111111111111", "bool true", "a Visa test number" },
		{ "4929-6495-8333-3657", "bool true", "dashes (the pino sample)" },
		{ "5555 5555 5555 4444", "bool true", "spaces" },
		{ "378282246310005", "bool true", "15 digits (Amex test)" },
		{ "4222222222222", "bool true", "13 digits" },
		{ "4111111111111111110", "bool true", "19 digits" },
		{ "4111111111111112", "bool false", "check digit wrong" },
		{ "1234567890123456", "bool false", "an order id" },
		{ "411111111117", "bool false", "Luhn-valid but 12 digits" },
		{ "41111111111111111115", "bool false",
		    "Luhn-valid but 20 digits" },
		{ "4111--1111-1111-1111", "bool false", "two separators" },
		{ "4111 1111 1111 1111 ", "bool false", "trailing space" },
		{ "-4111111111111111", "bool false", "leading dash" },
		{ "4111 1111 1111 111x", "bool false", "a letter" },
		{ "", "bool false", "empty" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		is_str(show(call("luhn", S(cases[i].in))), cases[i].want,
		    "luhn: %s", cases[i].what);
	is_str(show(call("luhn", value_int(4111111111111111))), "bool true",
	    "luhn: an integer is read as its digits");
	is_str(show(call("luhn", value_int(-4111111111111111))), "bool false",
	    "luhn: a negative integer is no card");
	is_str(show(call("luhn", value_null())), "null", "luhn: null is null");
	is_str(show(call("luhn", value_bool(1))), "null", "luhn: bool is null");
}

int
main(void)
{
	ctx.arena = arena_new();
	test_lookup();
	test_basics();
	test_numbers();
	test_durations();
	test_times();
	test_bucket();
	test_rfc3339();
	test_route();
	test_luhn();
	test_replace();
	test_threads();
	test_folds_to_lower();
	arena_free(ctx.arena);
	return done_testing();
}
