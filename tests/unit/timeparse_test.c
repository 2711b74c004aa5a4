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
 *       for the bucket starts (the newer rows: floor division of the
 *       time's whole microseconds, datetime(1970, 1, 1, tzinfo=utc) +
 *       timedelta(microseconds=start).strftime(...));
 *   the real-world forms, each with its own parser:
 *       datetime.strptime(d + " " + t + " " + off, "%Y-%m-%d %H:%M:%S %z")
 *       for Go's time.Time.String() (the zone name dropped),
 *       datetime.strptime(s.strip("[]"), "%d/%b/%Y:%H:%M:%S %z") for
 *       nginx's $time_local, datetime.fromisoformat() for the RFC 3339
 *       variants of the samples, then calendar.timegm(dt.utctimetuple());
 *   Decimal(x) for the exact value of a double (Decimal(1648546681782.9036)
 *       is 1648546681782.903564453125: 782903564 ns after the second).
 * The nanoseconds of a fraction are its digits, the first nine of them,
 * and its decimals (ndigits, what rfc3339() prints) their count.
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

/* The same by timeparse_time_digits, which also tells the decimals. */
static void
is_time_digits(struct value v, int64_t sec, int32_t nsec, unsigned ndigits,
    const char *what)
{
	struct timeparse_time t = { -1, -1 };
	unsigned got_digits = 99;
	int got = timeparse_time_digits(&v, &t, &got_digits);

	ok(got == 1 && t.sec == sec && t.nsec == nsec &&
	    got_digits == ndigits, "%s: %u decimals", what, ndigits);
	if (got != 1 || t.sec != sec || t.nsec != nsec ||
	    got_digits != ndigits)
		printf("#   got: %d, %lld s %ld ns %u\n"
		    "#   want: %lld s %ld ns %u\n", got, (long long)t.sec,
		    (long)t.nsec, got_digits, (long long)sec, (long)nsec,
		    ndigits);
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
	unsigned	 ndigits;	/* of the fraction, at most 9 */
} valid_texts[] = {
	{ "2026-04-25T03:01:53Z", 1777086113LL, 0, 0 },
	{ "2026-04-25T03:01:53z", 1777086113LL, 0, 0 },
	{ "2026-04-25t03:01:53Z", 1777086113LL, 0, 0 },
	{ "2026-04-25t03:01:53z", 1777086113LL, 0, 0 },
	{ "2026-04-25 03:01:53Z", 1777086113LL, 0, 0 },
	{ "2026-04-25T03:01:53", 1777086113LL, 0, 0 },
	{ "2026-04-25 03:01:53", 1777086113LL, 0, 0 },
	{ "2026-04-25T03:01:53.1Z", 1777086113LL, 100000000, 1 },
	{ "2026-04-25T03:01:53.12Z", 1777086113LL, 120000000, 2 },
	{ "2026-04-25T03:01:53.123Z", 1777086113LL, 123000000, 3 },
	{ "2026-04-25T03:01:53.1234Z", 1777086113LL, 123400000, 4 },
	{ "2026-04-25T03:01:53.12345Z", 1777086113LL, 123450000, 5 },
	{ "2026-04-25T03:01:53.123456Z", 1777086113LL, 123456000, 6 },
	{ "2026-04-25T03:01:53.1234567Z", 1777086113LL, 123456700, 7 },
	{ "2026-04-25T03:01:53.12345678Z", 1777086113LL, 123456780, 8 },
	{ "2026-04-25T03:01:53.123456789Z", 1777086113LL, 123456789, 9 },
	{ "2026-04-25T03:01:53.1234567891234Z", 1777086113LL, 123456789, 9 },
	{ "2026-04-25T03:01:53.000Z", 1777086113LL, 0, 3 },
	{ "2026-04-25T03:01:53.999999999Z", 1777086113LL, 999999999, 9 },
	{ "2026-04-25T05:01:53+02:00", 1777086113LL, 0, 0 },
	{ "2026-04-25T05:01:53+0200", 1777086113LL, 0, 0 },
	{ "2026-04-24T22:01:53-05:00", 1777086113LL, 0, 0 },
	{ "2026-04-24T22:01:53-0500", 1777086113LL, 0, 0 },
	{ "2026-04-25T08:31:53.5+05:30", 1777086113LL, 500000000, 1 },
	{ "2026-04-25T08:46:53+05:45", 1777086113LL, 0, 0 },
	{ "2026-04-24T23:31:53-03:30", 1777086113LL, 0, 0 },
	{ "2026-04-25T03:01:53+00:00", 1777086113LL, 0, 0 },
	{ "2026-04-25T03:01:53-00:00", 1777086113LL, 0, 0 },
	{ "2026-04-26T02:01:53+23:00", 1777086113LL, 0, 0 },
	{ "2026-04-25T03:01:53.250+02:00", 1777078913LL, 250000000, 3 },
	{ "2026-04-25 03:01:53,250", 1777086113LL, 250000000, 3 },
	{ "2026-04-25 03:01:53.5 UTC", 1777086113LL, 500000000, 1 },
	{ "2026-04-25 03:01:53 UTC", 1777086113LL, 0, 0 },
	{ "  2026-04-25T03:01:53Z", 1777086113LL, 0, 0 },
	{ "\t2026-04-25T03:01:53Z \t", 1777086113LL, 0, 0 },
	{ "1970-01-01T00:00:00Z", 0LL, 0, 0 },
	{ "1969-12-31T23:59:59.5Z", -1LL, 500000000, 1 },
	{ "1900-01-01T00:00:00Z", -2208988800LL, 0, 0 },
	{ "0001-01-01T00:00:00Z", -62135596800LL, 0, 0 },
	{ "9999-12-31T23:59:59.999999999Z", 253402300799LL, 999999999, 9 },
	{ "2000-01-01T00:00:00Z", 946684800LL, 0, 0 },
	{ "2000-02-29T12:00:00Z", 951825600LL, 0, 0 },
	{ "2024-02-29T00:00:00Z", 1709164800LL, 0, 0 },
	{ "2100-03-01T00:00:00Z", 4107542400LL, 0, 0 },
	{ "2024-02-29T23:59:59Z", 1709251199LL, 0, 0 },
	{ "2016-12-31T23:59:60Z", 1483228800LL, 0, 0 },
	{ "2026-01-01T00:30:00+01:00", 1767223800LL, 0, 0 },
	{ "2025-12-31T23:30:00-01:00", 1767227400LL, 0, 0 },
	/* Real-world forms beyond RFC 3339 (logrus's Go time.Time.String(),
	 * nginx's $time_local), then the RFC 3339 variants of real logs
	 * (slog, zap, PostgreSQL's jsonlog, Python's asctime, GCP, Docker,
	 * lnav's tests); the python for each in the file header. */
	{ "2014-03-10 19:57:38.562264131 -0400 EDT", 1394495858LL, 562264131,
	    9 },
	{ "2026-04-25 03:01:53 +0000 UTC", 1777086113LL, 0, 0 },
	{ "2026-04-25 12:01:53.5 +0900 +09", 1777086113LL, 500000000, 1 },
	{ "2026-04-25 08:31:53.123 +0530 +0530", 1777086113LL, 123000000, 3 },
	{ "2026-04-24 23:01:53.000001 -0400", 1777086113LL, 1000, 6 },
	{ "2024-02-29 23:59:59.999999999 -1100 SST", 1709290799LL, 999999999,
	    9 },
	{ "08/Jul/2023:15:26:40 +0000", 1688830000LL, 0, 0 },
	{ "06/Dec/2026:22:14:43 +0000", 1796595283LL, 0, 0 },
	{ "[25/Apr/2026:05:01:53 +0200]", 1777086113LL, 0, 0 },
	{ "29/Feb/2024:00:30:00 +0100", 1709163000LL, 0, 0 },
	{ "01/Jan/2000:00:00:00 -0130", 946690200LL, 0, 0 },
	{ "2024-04-06T18:58:23.435979+09:00", 1712397503LL, 435979000, 6 },
	{ "2024-04-06T18:59:02.2+09:00", 1712397542LL, 200000000, 1 },
	{ "2024-11-12T14:13:36.880+0900", 1731388416LL, 880000000, 3 },
	{ "2024-03-14 10:30:11.999 UTC", 1710412211LL, 999000000, 3 },
	{ "2024-05-01 10:00:27,545", 1714557627LL, 545000000, 3 },
	{ "2023-11-20T03:40:46.831461102+00:00", 1700451646LL, 831461102, 9 },
	{ "2025-12-29T01:10:00.52Z", 1766970600LL, 520000000, 2 },
	{ "2019-01-01T11:11:11.111111111Z", 1546341071LL, 111111111, 9 },
	{ "2013-09-06 22:01:00Z", 1378504860LL, 0, 0 },
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
	"Apr 25 03:01:53",			/* syslog: no year, no zone */
	"Dec  6 22:14:43",
	"2026-W17-6T03:01:53Z",			/* ISO week date */
	"2026-115T03:01:53Z",			/* ISO ordinal date */
	"2026-04-25T03:01:53+25:00",		/* offsets beyond 23:59 */
	"2026-04-25T03:01:53-99:00",
	"2026-04-25T03:01:53+05:75",
	/* Go's time.Time.String(), broken */
	"2026-04-25 03:01:53 -0400 EDT junk",
	"2026-04-25 03:01:53 -0400 E1T",
	"2026-04-25 03:01:53 -0400 TOOLONG",
	"2026-04-25 03:01:53 -0400 +053",
	"2026-04-25 03:01:53 -0400  EDT",
	"2026-04-25 03:01:53 -04",
	"2026-04-25 03:01:53 EDT",		/* a name without offset */
	"2026-04-25 03:01:53-0400 EDT",		/* the name needs the blank */
	"2026-04-25 03:01:53  -0400",
	"2026-02-30 03:01:53 +0000 UTC",
	/* nginx's $time_local, broken */
	"06/Dec/2026:22:14:43",			/* no offset */
	"06/dec/2026:22:14:43 +0000",		/* months as nginx writes */
	"06/DEC/2026:22:14:43 +0000",
	"06/Dez/2026:22:14:43 +0000",
	"6/Dec/2026:22:14:43 +0000",
	"06/Dec/26:22:14:43 +0000",
	"06/Dec/2026 22:14:43 +0000",
	"06/Dec/2026:22:14:43 +0000 junk",
	"06/Dec/2026:22:14:43.5 +0000",
	"06/Dec/2026:22:14:43 +25:00",
	"06/Dec/2026:22:14:43Z",
	"[06/Dec/2026:22:14:43 +0000",
	"06/Dec/2026:22:14:43 +0000]",
	"[]",
	"31/Nov/2026:00:00:00 +0000",
	"29/Feb/2026:00:00:00 +0000",
	"29/Feb/2100:00:00:00 +0000",
	"00/Dec/2026:00:00:00 +0000",
	"06/Dec/2026:24:00:00 +0000",
	"06/Dec/2026:22:60:00 +0000",
	"1777086113s",
	"12abc",
	"nan",
	"inf",
	"-inf",
	"1e999",				/* not finite */
	"1e19",					/* beyond 9e18 */
	"99999999999999999999",			/* beyond int64_t and 9e18 */
	"-1e19",
	"0x10",
};

static void
test_texts(void)
{
	size_t i;

	for (i = 0; i < NELEM(valid_texts); i++) {
		is_time(S(valid_texts[i].text), valid_texts[i].sec,
		    valid_texts[i].nsec, valid_texts[i].text);
		is_time_digits(S(valid_texts[i].text), valid_texts[i].sec,
		    valid_texts[i].nsec, valid_texts[i].ndigits,
		    valid_texts[i].text);
	}
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
	/* The double's own value, Decimal(1648546681782.9036) =
	 * 1648546681782.903564453125 ms: no division rounds it (klog). */
	t = timeparse_epoch_real(1648546681782.9036);
	ok(t.sec == 1648546681 && t.nsec == 782903564,
	    "timeparse_epoch_real: ms with a fraction, exactly");
}

/* The decimals an epoch number is written with: its unit's, plus those
 * after its point (what rfc3339() prints). */
static void
test_epoch_digits(void)
{
	is_time_digits(value_int(1516134303), 1516134303, 0, 0,
	    "zerolog epoch seconds");
	is_time_digits(value_int(1532081790745LL), 1532081790, 745000000, 3,
	    "pino epoch ms");
	is_time_digits(value_int(1777086113000LL), 1777086113, 0, 3,
	    "epoch ms on a whole second keeps its unit");
	is_time_digits(value_int(1777086113123456LL), 1777086113, 123456000,
	    6, "epoch us");
	is_time_digits(value_int(1777086113123456789LL), 1777086113,
	    123456789, 9, "epoch ns");
	is_time_digits(value_int(-1500), -1500, 0, 0, "negative seconds");
	is_time_digits(value_real(1777086113.25), 1777086113, 250000000, 2,
	    "real seconds: the decimals of its shortest text");
	/* Decimal(1739977744.980593) = 1739977744.98059296607971191...:
	 * 980592966 ns, printed with zap's six decimals. */
	is_time_digits(value_real(1739977744.980593), 1739977744, 980592966,
	    6, "zap's real seconds");
	is_time_digits(value_real(1648546681782.9036), 1648546681, 782903564,
	    7, "klog's real ms: 3 + 4 decimals");
	is_time_digits(value_real(1e11), 100000000, 0, 3, "real 1e11 is ms");
	is_time_digits(value_real(1.5e17), 150000000, 0, 9,
	    "real 1.5e17 is ns");
	/* repr(1777086113.0123456789) is 1777086113.0123458, its Decimal
	 * 1777086113.012345790863...: 12345791 ns, 7 decimals. */
	is_time_digits(value_real(1777086113.0123456789), 1777086113, 12345791,
	    7, "real seconds: a double holds 7 decimals in 2026");
	is_time_digits(S("1777086113"), 1777086113, 0, 0, "numeric string: s");
	is_time_digits(S("1777086113.250"), 1777086113, 250000000, 3,
	    "numeric string: its written decimals, trailing zeros too");
	is_time_digits(S("1777086113123"), 1777086113, 123000000, 3,
	    "numeric string: ms");
	is_time_digits(S("1777086113123.5"), 1777086113, 123500000, 4,
	    "numeric string: ms with a decimal");
	is_time_digits(S("1.77708611325e9"), 1777086113, 250000000, 2,
	    "numeric string with an exponent: its shortest text");
}

/* timeparse_rfc3339_text: the decimals asked for, nanoseconds rounded
 * half up, years 0000 to 9999 (python: datetime.fromtimestamp(sec,
 * timezone.utc).strftime("%Y-%m-%dT%H:%M:%S") and the digits). */
static void
is_rfc3339(int64_t sec, int32_t nsec, unsigned ndigits, const char *want,
    const char *what)
{
	char text[TIMEPARSE_TEXT_SIZE];
	struct timeparse_time t = { sec, nsec };
	int n = timeparse_rfc3339_text(t, ndigits, text, sizeof(text));

	is_str(n < 0 ? "(none)" : text, want, "%s", what);
	if (n >= 0)
		is_int(n, strlen(text), "%s: the length", what);
}

static void
test_rfc3339_text(void)
{
	is_rfc3339(1777086113, 0, 0, "2026-04-25T03:01:53Z", "no decimals");
	is_rfc3339(1777086113, 0, 3, "2026-04-25T03:01:53.000Z",
	    "three zero decimals");
	is_rfc3339(1532081790, 745000000, 3, "2018-07-20T10:16:30.745Z",
	    "pino's 1532081790745");
	is_rfc3339(1777086113, 123456789, 9,
	    "2026-04-25T03:01:53.123456789Z", "nine decimals");
	is_rfc3339(1777086113, 123456789, 12,
	    "2026-04-25T03:01:53.123456789Z", "at most nine decimals");
	is_rfc3339(1777086113, 100000000, 1, "2026-04-25T03:01:53.1Z",
	    "one decimal");
	is_rfc3339(1739977744, 980592966, 6, "2025-02-19T15:09:04.980593Z",
	    "a double's nanoseconds round to its decimals");
	is_rfc3339(1777086113, 999999999, 3, "2026-04-25T03:01:54.000Z",
	    "rounding carries into the second");
	is_rfc3339(1798761599, 999999999, 0, "2027-01-01T00:00:00Z",
	    "and into the next year");
	is_rfc3339(1777086113, 123456789, 0, "2026-04-25T03:01:53Z",
	    "0 decimals rounds down below half a second");
	is_rfc3339(-1, 500000000, 1, "1969-12-31T23:59:59.5Z",
	    "before the epoch");
	is_rfc3339(-2208988800LL, 0, 0, "1900-01-01T00:00:00Z", "1900");
	is_rfc3339(951825600, 0, 0, "2000-02-29T12:00:00Z", "a leap day");
	is_rfc3339(4107542400LL, 0, 0, "2100-03-01T00:00:00Z",
	    "2100 has no leap day");
	is_rfc3339(-62167219200LL, 0, 0, "0000-01-01T00:00:00Z",
	    "the first second of the year 0000");
	is_rfc3339(-62167219201LL, 0, 0, "(none)", "no year -1");
	is_rfc3339(253402300799LL, 999999999, 9,
	    "9999-12-31T23:59:59.999999999Z", "the last nanosecond of 9999");
	is_rfc3339(253402300800LL, 0, 0, "(none)", "no year 10000");
	is_rfc3339(99999999999LL, 0, 0, "5138-11-16T09:46:39Z",
	    "the largest epoch seconds, in 5138");
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
is_bucket(int64_t sec, int32_t nsec, int64_t step_us, const char *want,
    const char *what)
{
	char text[TIMEPARSE_TEXT_SIZE];
	struct timeparse_time t = { sec, nsec };
	int n = timeparse_bucket_text(t, step_us, text, sizeof(text));

	is_str(n < 0 ? "(none)" : text, want, "%s", what);
	if (n >= 0)
		is_int(n, strlen(text), "%s: the length", what);
}

/* Boundaries across seconds, days, months, years and leap days, before
 * the epoch, steps 100us to 7d (aligned to the epoch: a Thursday). */
static const struct {
	int64_t		 sec;
	int32_t		 nsec;
	int64_t		 step_us;
	const char	*want;
} bucket_rows[] = {
	/* 2026-04-25T03:01:59.999999999Z, 1m */
	{ 1777086119LL, 999999999, 60000000LL, "2026-04-25T03:01:00Z" },
	/* 2026-04-25T03:02:00Z, 1m */
	{ 1777086120LL, 0, 60000000LL, "2026-04-25T03:02:00Z" },
	/* 2026-04-25T03:01:53.999999999Z, 1s */
	{ 1777086113LL, 999999999, 1000000LL, "2026-04-25T03:01:53Z" },
	/* 2026-04-25T03:04:59.999Z, 5m */
	{ 1777086299LL, 999000000, 300000000LL, "2026-04-25T03:00:00Z" },
	/* 2026-04-25T03:05:00Z, 5m */
	{ 1777086300LL, 0, 300000000LL, "2026-04-25T03:05:00Z" },
	/* 2026-04-25T03:01:29.999Z, 30s */
	{ 1777086089LL, 999000000, 30000000LL, "2026-04-25T03:01:00Z" },
	/* 2026-04-25T23:59:59.999Z, 1d */
	{ 1777161599LL, 999000000, 86400000000LL, "2026-04-25T00:00:00Z" },
	/* 2026-04-26T00:00:00Z, 1d */
	{ 1777161600LL, 0, 86400000000LL, "2026-04-26T00:00:00Z" },
	/* 2026-01-31T23:59:59Z, 1h */
	{ 1769903999LL, 0, 3600000000LL, "2026-01-31T23:00:00Z" },
	/* 2026-02-01T00:00:00Z, 1h */
	{ 1769904000LL, 0, 3600000000LL, "2026-02-01T00:00:00Z" },
	/* 2026-04-30T23:59:59.5Z, 1d */
	{ 1777593599LL, 500000000, 86400000000LL, "2026-04-30T00:00:00Z" },
	/* 2026-12-31T23:59:59Z, 5m */
	{ 1798761599LL, 0, 300000000LL, "2026-12-31T23:55:00Z" },
	/* 2026-12-31T23:59:59.999999Z, 1d */
	{ 1798761599LL, 999999000, 86400000000LL, "2026-12-31T00:00:00Z" },
	/* 2027-01-01T00:00:00Z, 1d */
	{ 1798761600LL, 0, 86400000000LL, "2027-01-01T00:00:00Z" },
	/* 2024-02-28T23:59:59Z, 1d */
	{ 1709164799LL, 0, 86400000000LL, "2024-02-28T00:00:00Z" },
	/* 2024-02-29T12:34:56Z, 1d */
	{ 1709210096LL, 0, 86400000000LL, "2024-02-29T00:00:00Z" },
	/* 2024-02-29T23:59:59Z, 1h */
	{ 1709251199LL, 0, 3600000000LL, "2024-02-29T23:00:00Z" },
	/* 2024-03-01T00:00:00Z, 1d */
	{ 1709251200LL, 0, 86400000000LL, "2024-03-01T00:00:00Z" },
	/* 2100-02-28T23:59:59Z, 1d */
	{ 4107542399LL, 0, 86400000000LL, "2100-02-28T00:00:00Z" },
	/* 2100-03-01T00:00:01Z, 1d */
	{ 4107542401LL, 0, 86400000000LL, "2100-03-01T00:00:00Z" },
	/* 2000-02-29T00:00:00Z, 1d */
	{ 951782400LL, 0, 86400000000LL, "2000-02-29T00:00:00Z" },
	/* 2026-12-06T22:14:43Z, 7d */
	{ 1796595283LL, 0, 604800000000LL, "2026-12-03T00:00:00Z" },
	/* 2026-12-03T00:00:00Z, 7d */
	{ 1796256000LL, 0, 604800000000LL, "2026-12-03T00:00:00Z" },
	/* 2026-12-02T23:59:59Z, 7d */
	{ 1796255999LL, 0, 604800000000LL, "2026-11-26T00:00:00Z" },
	/* 1970-01-01T00:00:00Z, 7d */
	{ 0LL, 0, 604800000000LL, "1970-01-01T00:00:00Z" },
	/* 1969-12-31T23:59:59Z, 7d */
	{ -1LL, 0, 604800000000LL, "1969-12-25T00:00:00Z" },
	/* 1969-12-31T23:59:59.5Z, 1s */
	{ -1LL, 500000000, 1000000LL, "1969-12-31T23:59:59Z" },
	/* 1969-12-31T23:59:59.999999999Z, 1m */
	{ -1LL, 999999999, 60000000LL, "1969-12-31T23:59:00Z" },
	/* 1960-02-29T12:00:00Z, 1d */
	{ -310478400LL, 0, 86400000000LL, "1960-02-29T00:00:00Z" },
	/* 1900-03-01T00:00:00Z, 1d */
	{ -2203891200LL, 0, 86400000000LL, "1900-03-01T00:00:00Z" },
	/* 2026-04-25T03:01:53.123456789Z, 250ms */
	{ 1777086113LL, 123456789, 250000LL, "2026-04-25T03:01:53.000Z" },
	/* 2026-04-25T03:01:53.123456789Z, 100us */
	{ 1777086113LL, 123456789, 100LL, "2026-04-25T03:01:53.123400Z" },
};

static void
test_buckets(void)
{
	size_t i;

	for (i = 0; i < NELEM(bucket_rows); i++)
		is_bucket(bucket_rows[i].sec, bucket_rows[i].nsec,
		    bucket_rows[i].step_us, bucket_rows[i].want,
		    bucket_rows[i].want);
	is_bucket(1777086113, 0, 60000000, "2026-04-25T03:01:00Z",
	    "bucket 1m");
	is_bucket(1777086113, 0, 86400000000LL, "2026-04-25T00:00:00Z",
	    "bucket 1d");
	is_bucket(1777086113, 0, 420000000, "2026-04-25T02:59:00Z",
	    "bucket 7m, aligned to the epoch");
	is_bucket(1777086113, 123456000, 250000, "2026-04-25T03:01:53.000Z",
	    "bucket 250ms: three decimals");
	is_bucket(1777086113, 123456000, 100, "2026-04-25T03:01:53.123400Z",
	    "bucket 100us: six decimals");
	is_bucket(0, 300000000, 100000, "1970-01-01T00:00:00.300Z",
	    "bucket: 0.3 s lands in the bucket its text names");
	is_bucket(-1, 0, 60000000, "1969-12-31T23:59:00Z",
	    "bucket before the epoch rounds down");
	is_bucket(-86401, 0, 86400000000LL, "1969-12-30T00:00:00Z",
	    "bucket 1d before the epoch");
	is_bucket(951868799, 0, 3600000000LL, "2000-02-29T23:00:00Z",
	    "bucket on a leap day");
	is_bucket(253402300799LL, 0, 1000000, "9999-12-31T23:59:59Z",
	    "bucket: the last second of 9999");
	is_bucket(253402300800LL, 0, 1000000, "(none)",
	    "bucket: the year 10000 has none");
	is_bucket(-62135596801LL, 0, 1000000, "0000-12-31T23:59:59Z",
	    "bucket: the year 0 has");
	is_bucket(-62167219201LL, 0, 1000000, "(none)",
	    "bucket: the year -1 has none");
	is_bucket(300000000000LL, 0, 1000000, "(none)",
	    "bucket: 3e11 s has none");
	is_bucket(253402300799LL, 0, 3153600000000000LL,
	    "9964-09-09T00:00:00Z", "bucket 36500d in 9999");
	/* Through time(): the real nanoseconds, not a double's. */
	{
		struct value v = S("2026-04-25T03:01:59.9999999Z");
		struct timeparse_time t;
		char text[TIMEPARSE_TEXT_SIZE];

		ok(timeparse_time_exact(&v, &t) == 1 &&
		    timeparse_bucket_text(t, 60000000, text,
		    sizeof(text)) > 0 && strcmp(text,
		    "2026-04-25T03:01:00Z") == 0,
		    "bucket 1m of 03:01:59.9999999 is 03:01");
	}
}

int
main(void)
{
	test_texts();
	test_epochs();
	test_epoch_digits();
	test_rfc3339_text();
	test_seconds_and_order();
	test_durations();
	test_civil();
	test_buckets();
	return done_testing();
}
