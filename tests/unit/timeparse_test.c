/* SPDX-License-Identifier: MIT */
/* timeparse_test.c - timestamps, durations and civil dates
 *
 * Every expected epoch value below was computed while writing the test
 * with python3, not with timeparse.c:
 *   calendar.timegm(datetime(y, mo, d, h, mi, s,
 *       tzinfo=timezone(timedelta(minutes=OFF))).utctimetuple())
 *       for the RFC 3339 forms (2026-04-25T03:01:53Z -> 1777086113);
 *   (date(y, m, d) - date(1970, 1, 1)).days for the civil days, and
 *       (date(y + 1, 1, 1) - date(y, 1, 1)).days for the year lengths;
 *   divmod(n, 1000 / 10**6 / 10**9) for the epoch ms/us/ns numbers
 *       (divmod(-1777086113123, 1000) -> (-1777086114, 877));
 *   datetime.fromtimestamp(floor(t / step) * step, timezone.utc)
 *       for the bucket starts.
 * The nanoseconds of a fraction are its digits, the first nine of them.
 * The rejected forms are the ones the parser rejects today; a form is
 * listed as accepted only if it is today, to pin the behaviour.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "timeparse.h"
#include "value.h"
#include "tap.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static struct value
S(const char *s)
{
	return value_str(s, strlen(s));
}

/* Whether V parses to exactly SEC and NSEC, saying what it got if not. */
static void
is_time(struct value v, int64_t sec, int32_t nsec, const char *what)
{
	struct timeparse_time t = { -1, -1 };
	int got = timeparse_time_exact(&v, &t);

	ok(got == 1 && t.sec == sec && t.nsec == nsec, "%s", what);
	if (got != 1 || t.sec != sec || t.nsec != nsec)
		printf("#   got: %d, %lld s %ld ns\n#   want: %lld s %ld ns\n",
		    got, (long long)t.sec, (long)t.nsec, (long long)sec,
		    (long)nsec);
}

static void
is_not_time(struct value v, const char *what)
{
	struct timeparse_time t = { 0, 0 };

	ok(timeparse_time_exact(&v, &t) == 0, "%s", what);
}

/* RFC 3339 and its everyday variants, accepted today. */
static const struct {
	const char	*text;
	int64_t		 sec;
	int32_t		 nsec;
} valid_texts[] = {
	{ "2026-04-25T03:01:53Z", 1777086113LL, 0 },
	{ "2026-04-25T03:01:53z", 1777086113LL, 0 },
	{ "2026-04-25t03:01:53Z", 1777086113LL, 0 },
	{ "2026-04-25t03:01:53z", 1777086113LL, 0 },
	{ "2026-04-25 03:01:53Z", 1777086113LL, 0 },
	{ "2026-04-25T03:01:53", 1777086113LL, 0 },
	{ "2026-04-25 03:01:53", 1777086113LL, 0 },
	{ "2026-04-25T03:01:53.1Z", 1777086113LL, 100000000 },
	{ "2026-04-25T03:01:53.12Z", 1777086113LL, 120000000 },
	{ "2026-04-25T03:01:53.123Z", 1777086113LL, 123000000 },
	{ "2026-04-25T03:01:53.1234Z", 1777086113LL, 123400000 },
	{ "2026-04-25T03:01:53.12345Z", 1777086113LL, 123450000 },
	{ "2026-04-25T03:01:53.123456Z", 1777086113LL, 123456000 },
	{ "2026-04-25T03:01:53.1234567Z", 1777086113LL, 123456700 },
	{ "2026-04-25T03:01:53.12345678Z", 1777086113LL, 123456780 },
	{ "2026-04-25T03:01:53.123456789Z", 1777086113LL, 123456789 },
	{ "2026-04-25T03:01:53.1234567891234Z", 1777086113LL, 123456789 },
	{ "2026-04-25T03:01:53.000Z", 1777086113LL, 0 },
	{ "2026-04-25T03:01:53.999999999Z", 1777086113LL, 999999999 },
	{ "2026-04-25T05:01:53+02:00", 1777086113LL, 0 },
	{ "2026-04-25T05:01:53+0200", 1777086113LL, 0 },
	{ "2026-04-24T22:01:53-05:00", 1777086113LL, 0 },
	{ "2026-04-24T22:01:53-0500", 1777086113LL, 0 },
	{ "2026-04-25T08:31:53.5+05:30", 1777086113LL, 500000000 },
	{ "2026-04-25T08:46:53+05:45", 1777086113LL, 0 },
	{ "2026-04-24T23:31:53-03:30", 1777086113LL, 0 },
	{ "2026-04-25T03:01:53+00:00", 1777086113LL, 0 },
	{ "2026-04-25T03:01:53-00:00", 1777086113LL, 0 },
	{ "2026-04-26T02:01:53+23:00", 1777086113LL, 0 },
	{ "2026-04-25T03:01:53.250+02:00", 1777078913LL, 250000000 },
	{ "2026-04-25 03:01:53,250", 1777086113LL, 250000000 },
	{ "2026-04-25 03:01:53.5 UTC", 1777086113LL, 500000000 },
	{ "2026-04-25 03:01:53 UTC", 1777086113LL, 0 },
	{ "  2026-04-25T03:01:53Z", 1777086113LL, 0 },
	{ "\t2026-04-25T03:01:53Z \t", 1777086113LL, 0 },
	{ "1970-01-01T00:00:00Z", 0LL, 0 },
	{ "1969-12-31T23:59:59.5Z", -1LL, 500000000 },
	{ "1900-01-01T00:00:00Z", -2208988800LL, 0 },
	{ "0001-01-01T00:00:00Z", -62135596800LL, 0 },
	{ "9999-12-31T23:59:59.999999999Z", 253402300799LL, 999999999 },
	{ "2000-01-01T00:00:00Z", 946684800LL, 0 },
	{ "2000-02-29T12:00:00Z", 951825600LL, 0 },
	{ "2024-02-29T00:00:00Z", 1709164800LL, 0 },
	{ "2100-03-01T00:00:00Z", 4107542400LL, 0 },
	{ "2024-02-29T23:59:59Z", 1709251199LL, 0 },
	{ "2016-12-31T23:59:60Z", 1483228800LL, 0 },
	{ "2026-01-01T00:30:00+01:00", 1767223800LL, 0 },
	{ "2025-12-31T23:30:00-01:00", 1767227400LL, 0 },
};

/* Timestamp texts rejected today. */
static const char *const invalid_texts[] = {
	"",
	"   ",
	"yesterday",
	"now",
	"2026-04-25",				/* a date alone */
	"2026-04-25T03:01",			/* no seconds */
	"2026-04-25T03:01Z",
	"2026-04-25T3:01:53Z",			/* one-digit hour */
	"2026-4-25T03:01:53Z",			/* one-digit month */
	"26-04-25T03:01:53Z",			/* two-digit year */
	"+2026-04-25T03:01:53Z",
	"20260425T030153Z",			/* ISO 8601 basic format */
	"2026/04/25 03:01:53",
	"2026-04-25_03:01:53",
	"2026-04-25  03:01:53",			/* two spaces */
	"2026-04-25T03:01:53 Z",
	"2026-04-25T03:01:53ZZ",
	"2026-04-25T03:01:53Zjunk",
	"2026-04-25T03:01:53Z junk",
	"2026-04-25T03:01:53.",			/* a dot without digits */
	"2026-04-25T03:01:53.Z",
	"2026-04-25T03:01:53,",
	"2026-04-25T03:01:53.12a",
	"2026-04-25T03:01:53+02",		/* offset hours alone */
	"2026-04-25T03:01:53+2:00",
	"2026-04-25T03:01:53+02:0",
	"2026-04-25T03:01:53+02:60",
	"2026-04-25T03:01:53+24:00",
	"2026-04-25T03:01:53+02:00Z",
	"2026-04-25T03:01:53+02:00 UTC",
	"2026-04-25T03:01:53UTC",
	"2026-04-25 03:01:53 utc",
	"2026-04-25 03:01:53 GMT",
	"2026-04-25T03:01:53Z\n",		/* only blanks and tabs trim */
	"2026-04-25T24:00:00Z",
	"2026-04-25T03:60:00Z",
	"2026-04-25T03:01:61Z",
	"2026-00-10T00:00:00Z",
	"2026-13-01T00:00:00Z",
	"2026-04-00T00:00:00Z",
	"2026-04-31T00:00:00Z",
	"2026-06-31T00:00:00Z",
	"2026-02-30T00:00:00Z",
	"2026-02-29T00:00:00Z",			/* 2026 is a common year */
	"2023-02-29T00:00:00Z",
	"1900-02-29T00:00:00Z",			/* divisible by 100 */
	"2100-02-29T00:00:00Z",
	"Sat, 25 Apr 2026 03:01:53 +0000",	/* RFC 2822 */
	"25/Apr/2026:03:01:53 +0000",		/* Apache's common log */
	"Apr 25 03:01:53",			/* syslog */
	"1777086113s",
	"12abc",
	"nan",
	"inf",
	"-inf",
	"1e999",				/* not finite */
	"1e19",					/* beyond 9e18 */
	"0x10",
};

static void
test_texts(void)
{
	size_t i;

	for (i = 0; i < NELEM(valid_texts); i++)
		is_time(S(valid_texts[i].text), valid_texts[i].sec,
		    valid_texts[i].nsec, valid_texts[i].text);
	for (i = 0; i < NELEM(invalid_texts); i++)
		is_not_time(S(invalid_texts[i]), invalid_texts[i]);
}

/* Numbers and numeric strings: s, ms, us or ns by magnitude. */
static void
test_epochs(void)
{
	struct timeparse_time t;

	is_time(value_int(1777086113), 1777086113, 0, "epoch seconds");
	is_time(value_int(1777086113123LL), 1777086113, 123000000,
	    "epoch milliseconds");
	is_time(value_int(1777086113123456LL), 1777086113, 123456000,
	    "epoch microseconds");
	is_time(value_int(1777086113123456789LL), 1777086113, 123456789,
	    "epoch nanoseconds, exactly");
	is_time(value_int(0), 0, 0, "epoch 0");
	is_time(value_int(-1500), -1500, 0, "negative seconds");
	is_time(value_int(-1777086113123LL), -1777086114, 877000000,
	    "negative milliseconds: nsec stays in [0, 1e9)");
	is_time(value_int(99999999999LL), 99999999999LL, 0,
	    "just under 1e11 is seconds");
	is_time(value_int(100000000000LL), 100000000, 0, "1e11 is ms");
	is_time(value_int(-100000000000LL), -100000000, 0, "-1e11 is ms");
	is_time(value_int(99999999999999LL), 99999999999LL, 999000000,
	    "just under 1e14 is ms");
	is_time(value_int(100000000000000LL), 100000000, 0, "1e14 is us");
	is_time(value_int(99999999999999999LL), 99999999999LL, 999999000,
	    "just under 1e17 is us");
	is_time(value_int(100000000000000000LL), 100000000, 0, "1e17 is ns");
	is_time(value_int(INT64_MAX), 9223372036LL, 854775807,
	    "INT64_MAX as ns");
	is_time(value_int(INT64_MIN), -9223372037LL, 145224192,
	    "INT64_MIN as ns");

	is_time(value_real(1777086113.25), 1777086113, 250000000,
	    "real seconds");
	is_time(value_real(-0.5), -1, 500000000, "real before the epoch");
	is_time(value_real(1e11), 100000000, 0, "real 1e11 is ms");
	is_time(value_real(1.5e14), 150000000, 0, "real 1.5e14 is us");
	is_time(value_real(2.5e17), 250000000, 0, "real 2.5e17 is ns");
	is_time(value_real(9e18), 9000000000LL, 0, "real 9e18 is the limit");
	is_not_time(value_real(9.000001e18), "real beyond 9e18");
	is_not_time(value_real(INFINITY), "real infinity");
	is_not_time(value_real(NAN), "real NaN");

	is_time(S("1777086113"), 1777086113, 0, "numeric string: s");
	is_time(S("+1777086113"), 1777086113, 0, "numeric string with +");
	is_time(S(" 1777086113123 "), 1777086113, 123000000,
	    "numeric string: ms, blanks trimmed");
	is_time(S("1777086113123456789"), 1777086113, 123456789,
	    "numeric string: ns, exactly");
	is_time(S("-1"), -1, 0, "numeric string: negative");
	is_time(S("-9223372036854775808"), -9223372037LL, 145224192,
	    "numeric string: INT64_MIN as ns, exactly");
	is_not_time(S("9223372036854775808"),
	    "numeric string: INT64_MAX + 1 is a double beyond 9e18");
	is_time(S("1777086113.25"), 1777086113, 250000000,
	    "numeric string with a fraction");
	is_time(S("1.77708611325e9"), 1777086113, 250000000,
	    "numeric string with an exponent");

	is_not_time(value_bool(1), "true is not a time");
	is_not_time(value_null(), "null is not a time");

	t = timeparse_epoch_int(1777086113123LL);
	ok(t.sec == 1777086113 && t.nsec == 123000000,
	    "timeparse_epoch_int: ms");
	/* .125 s is exact in a double; .123 would be off by a few ns. */
	t = timeparse_epoch_real(-1777086113125.0);
	ok(t.sec == -1777086114 && t.nsec == 875000000,
	    "timeparse_epoch_real: negative ms");
}

static void
test_seconds_and_order(void)
{
	struct timeparse_time a = { 10, 5 }, b = { 10, 6 }, c = { 11, 0 };
	struct value v;
	double t = 0;

	v = S("1970-01-02T00:00:00+00:00");
	ok(timeparse_time(&v, &t) == 1 && t == 86400,
	    "timeparse_time: one day after the epoch");
	v = S("1969-12-31T23:59:59.5Z");
	ok(timeparse_time(&v, &t) == 1 && t == -0.5,
	    "timeparse_time: half a second before the epoch");
	v = S("never");
	t = 7;
	ok(timeparse_time(&v, &t) == 0 && t == 7,
	    "timeparse_time: fails and leaves *epoch_s");

	is_int(timeparse_cmp(a, b), -1, "cmp: nanoseconds order");
	is_int(timeparse_cmp(b, a), 1, "cmp: nanoseconds order, reversed");
	is_int(timeparse_cmp(b, c), -1, "cmp: seconds first");
	is_int(timeparse_cmp(c, b), 1, "cmp: seconds first, reversed");
	is_int(timeparse_cmp(a, a), 0, "cmp: equal");
}

/* Go durations in ms; a bare number is not one for _text. */
static const struct {
	const char	*text;
	double		 ms;
} valid_durations[] = {
	{ "1.5s", 1500 },
	{ "250ms", 250 },
	{ "1m", 60000 },
	{ "1h", 3600000 },
	{ "1d", 86400000 },
	{ "2h45m", 9900000 },
	{ "1h30m15s", 5415000 },
	{ "1.5h", 5400000 },
	{ "1m0.5s", 60500 },
	{ "500us", 0.5 },
	{ "250\xc2\xb5s", 0.25 },		/* micro sign U+00B5 */
	{ "250\xce\xbcs", 0.25 },		/* Greek mu U+03BC */
	{ "1000000ns", 1 },
	{ "10ns", 1e-05 },
	{ "0", 0 },
	{ "-0", 0 },
	{ "0s", 0 },
	{ "-1m30s", -90000 },
	{ "+2s", 2000 },
	{ ".5s", 500 },
	{ "1.s", 1000 },			/* as Go takes it */
	{ "007s", 7000 },
	{ "1h1h", 7200000 },			/* as Go takes it */
	{ " \t90s ", 90000 },
};

static const char *const invalid_durations[] = {
	"", " ", "s", "ms", "1", "1.5", "-", "+", "--1s", ".s", "1 s",
	"1h 2m", "1S", "1sec", "1x", "1mm", "1s2", "1e3s", "1.2.3s", "1,5s",
	"0x10s", "1\xc2\xb5", "one second",
};

static void
test_durations(void)
{
	struct value v;
	double ms;
	size_t i;

	for (i = 0; i < NELEM(valid_durations); i++) {
		const char *s = valid_durations[i].text;

		ms = -12345;
		ok(timeparse_duration_text(s, strlen(s), &ms) == 1 &&
		    ms == valid_durations[i].ms, "duration '%s' is %g ms", s,
		    valid_durations[i].ms);
		v = S(s);
		ms = -12345;
		ok(timeparse_duration_ms(&v, &ms) == 1 &&
		    ms == valid_durations[i].ms,
		    "timeparse_duration_ms('%s')", s);
	}
	for (i = 0; i < NELEM(invalid_durations); i++) {
		const char *s = invalid_durations[i];

		ok(timeparse_duration_text(s, strlen(s), &ms) == 0,
		    "not a duration: '%s'", s);
	}

	/* Numbers, and numeric strings, are milliseconds already. */
	v = S("2m");
	ok(timeparse_duration_ms(&v, &ms) == 1 && ms == 120000,
	    "timeparse_duration_ms(\"2m\") is 120000");
	v = S("143");
	ok(timeparse_duration_ms(&v, &ms) == 1 && ms == 143,
	    "timeparse_duration_ms(\"143\") is 143");
	v = S("12.5");
	ok(timeparse_duration_ms(&v, &ms) == 1 && ms == 12.5,
	    "timeparse_duration_ms(\"12.5\") is 12.5");
	v = S("1e3");
	ok(timeparse_duration_ms(&v, &ms) == 1 && ms == 1000,
	    "timeparse_duration_ms(\"1e3\") is 1000");
	v = value_int(87);
	ok(timeparse_duration_ms(&v, &ms) == 1 && ms == 87,
	    "timeparse_duration_ms(87) is 87");
	v = value_real(0.75);
	ok(timeparse_duration_ms(&v, &ms) == 1 && ms == 0.75,
	    "timeparse_duration_ms(0.75) is 0.75");
	v = value_bool(0);
	ms = 3;
	ok(timeparse_duration_ms(&v, &ms) == 0 && ms == 3,
	    "timeparse_duration_ms(false) fails, *ms untouched");
	v = value_null();
	ok(timeparse_duration_ms(&v, &ms) == 0,
	    "timeparse_duration_ms(null) fails");
	v = S("1x");
	ok(timeparse_duration_ms(&v, &ms) == 0,
	    "timeparse_duration_ms(\"1x\") fails");
}

/* Month ends, year ends and leap days, and the way back. */
static const struct {
	int		 y;
	unsigned	 m, d;
	int64_t		 days;
} civil_days[] = {
	{ 1970, 1, 1, 0LL },
	{ 1969, 12, 31, -1LL },
	{ 1999, 12, 31, 10956LL },
	{ 2000, 1, 1, 10957LL },
	{ 2000, 2, 28, 11015LL },
	{ 2000, 2, 29, 11016LL },
	{ 2000, 3, 1, 11017LL },
	{ 2024, 2, 28, 19781LL },
	{ 2024, 2, 29, 19782LL },
	{ 2024, 3, 1, 19783LL },
	{ 2023, 2, 28, 19416LL },
	{ 2023, 3, 1, 19417LL },
	{ 1900, 2, 28, -25509LL },
	{ 1900, 3, 1, -25508LL },
	{ 2100, 2, 28, 47540LL },
	{ 2100, 3, 1, 47541LL },
	{ 1600, 2, 29, -135081LL },
	{ 2400, 2, 29, 157113LL },
	{ 2026, 1, 31, 20484LL },
	{ 2026, 2, 1, 20485LL },
	{ 2026, 4, 30, 20573LL },
	{ 2026, 5, 1, 20574LL },
	{ 2026, 6, 30, 20634LL },
	{ 2026, 7, 1, 20635LL },
	{ 2026, 8, 31, 20696LL },
	{ 2026, 9, 1, 20697LL },
	{ 2026, 12, 31, 20818LL },
	{ 2027, 1, 1, 20819LL },
	{ 1899, 12, 31, -25568LL },
	{ 1900, 1, 1, -25567LL },
	{ 1, 1, 1, -719162LL },
	{ 9999, 12, 31, 2932896LL },
};

static const struct {
	int		 y;
	int64_t		 ndays;
} year_lengths[] = {
	{ 1900, 365 }, { 1999, 365 }, { 2000, 366 }, { 2023, 365 },
	{ 2024, 366 }, { 2100, 365 }, { 2400, 366 },
};

static void
test_civil(void)
{
	int64_t y, z, first, last;
	unsigned m, d;
	size_t i;
	int is_round_trip = 1;

	for (i = 0; i < NELEM(civil_days); i++) {
		is_int(timeparse_days_from_civil(civil_days[i].y,
		    civil_days[i].m, civil_days[i].d), civil_days[i].days,
		    "days_from_civil %04d-%02u-%02u", civil_days[i].y,
		    civil_days[i].m, civil_days[i].d);
		timeparse_civil_from_days(civil_days[i].days, &y, &m, &d);
		ok(y == civil_days[i].y && m == civil_days[i].m &&
		    d == civil_days[i].d, "civil_from_days %lld",
		    (long long)civil_days[i].days);
	}
	for (i = 0; i < NELEM(year_lengths); i++)
		is_int(timeparse_days_from_civil(year_lengths[i].y + 1, 1, 1) -
		    timeparse_days_from_civil(year_lengths[i].y, 1, 1),
		    year_lengths[i].ndays, "%d has %lld days",
		    year_lengths[i].y, (long long)year_lengths[i].ndays);

	/* Every day from 1600 to 2400 comes back to itself. */
	first = timeparse_days_from_civil(1600, 1, 1);
	last = timeparse_days_from_civil(2400, 12, 31);
	for (z = first; z <= last && is_round_trip; z++) {
		timeparse_civil_from_days(z, &y, &m, &d);
		is_round_trip = timeparse_days_from_civil(y, m, d) == z;
	}
	ok(is_round_trip, "civil_from_days then days_from_civil, 1600-2400");
}

static void
is_bucket(double t, int64_t step_us, const char *want, const char *what)
{
	char text[TIMEPARSE_BUCKET_TEXT_SIZE];
	int n = timeparse_bucket_text(t, step_us, text, sizeof(text));

	is_str(n < 0 ? "(none)" : text, want, "%s", what);
	if (n >= 0)
		is_int(n, strlen(text), "%s: the length", what);
}

static void
test_buckets(void)
{
	is_bucket(1777086113, 60000000, "2026-04-25T03:01:00Z", "bucket 1m");
	is_bucket(1777086113, 86400000000LL, "2026-04-25T00:00:00Z",
	    "bucket 1d");
	is_bucket(1777086113, 420000000, "2026-04-25T02:59:00Z",
	    "bucket 7m, aligned to the epoch");
	is_bucket(1777086113.123456, 250000, "2026-04-25T03:01:53.000Z",
	    "bucket 250ms: three decimals");
	is_bucket(1777086113.123456, 100, "2026-04-25T03:01:53.123400Z",
	    "bucket 100us: six decimals");
	is_bucket(0.3, 100000, "1970-01-01T00:00:00.300Z",
	    "bucket: 0.3 s lands in the bucket its text names");
	is_bucket(-1, 60000000, "1969-12-31T23:59:00Z",
	    "bucket before the epoch rounds down");
	is_bucket(-86401, 86400000000LL, "1969-12-30T00:00:00Z",
	    "bucket 1d before the epoch");
	is_bucket(951868799, 3600000000LL, "2000-02-29T23:00:00Z",
	    "bucket on a leap day");
	is_bucket(253402300799.0, 1000000, "9999-12-31T23:59:59Z",
	    "bucket: the last second of 9999");
	is_bucket(253402300800.0, 1000000, "(none)",
	    "bucket: the year 10000 has none");
	is_bucket(-62135596801.0, 1000000, "0000-12-31T23:59:59Z",
	    "bucket: the year 0 has");
	is_bucket(3e11, 1000000, "(none)", "bucket: 3e11 s has none");
	is_bucket(NAN, 1000000, "(none)", "bucket: NaN has none");
}

int
main(void)
{
	test_texts();
	test_epochs();
	test_seconds_and_order();
	test_durations();
	test_civil();
	test_buckets();
	return done_testing();
}
