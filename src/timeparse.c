/* SPDX-License-Identifier: MIT */
/* timeparse.c - timestamps, durations and civil dates, without libc's TZ */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "timeparse.h"
#include "value.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static void
trim_blanks(const char **s, size_t *len)
{
	while (*len > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
		(*len)--;
}

/* ---- durations ---- */

/* Go's time.ParseDuration units, plus "d" for bucket steps and days. */
static const struct {
	const char	*name;
	double		 ns;
} duration_units[] = {
	{ "ns", 1 }, { "us", 1e3 }, { "\xc2\xb5s", 1e3 }, { "\xce\xbcs", 1e3 },
	{ "ms", 1e6 }, { "s", 1e9 }, { "m", 6e10 }, { "h", 3.6e12 },
	{ "d", 8.64e13 }
};

/*
 * A Go duration: [-+]?(number unit)+ or "0", number being digits with an
 * optional fraction. Summing nanoseconds and dividing once keeps "250us"
 * exactly 0.25 ms, which multiplying by 1e-3 would not.
 */
int
timeparse_duration_text(const char *s, size_t len, double *ms)
{
	const char *end, *num;
	double total_ns = 0, sign = 1;
	size_t i, ndigits, unit_len, best = 0;
	char tmp[64];

	trim_blanks(&s, &len);
	end = s + len;
	if (s < end && (*s == '-' || *s == '+')) {
		if (*s == '-')
			sign = -1;
		s++;
	}
	if (end - s == 1 && *s == '0') {
		*ms = 0;
		return 1;
	}
	if (s == end)
		return 0;
	while (s < end) {
		num = s;
		ndigits = 0;
		for (; s < end && *s >= '0' && *s <= '9'; s++)
			ndigits++;
		if (s < end && *s == '.')
			for (s++; s < end && *s >= '0' && *s <= '9'; s++)
				ndigits++;
		if (ndigits == 0 || (size_t)(s - num) >= sizeof(tmp))
			return 0;
		memcpy(tmp, num, s - num);
		tmp[s - num] = '\0';
		/* The longest unit that fits: "ms" rather than "m". */
		unit_len = 0;
		for (i = 0; i < NELEM(duration_units); i++) {
			size_t ul = strlen(duration_units[i].name);

			if (ul > unit_len && (size_t)(end - s) >= ul &&
			    memcmp(s, duration_units[i].name, ul) == 0) {
				best = i;
				unit_len = ul;
			}
		}
		if (unit_len == 0)
			return 0;
		total_ns += strtod(tmp, NULL) * duration_units[best].ns;
		s += unit_len;
	}
	if (!isfinite(total_ns))
		return 0;
	*ms = sign * total_ns / 1e6;
	return 1;
}

int
timeparse_duration_ms(const struct value *v, double *ms)
{
	double d;

	switch (v->kind) {
	case VALUE_INT:
	case VALUE_REAL:
		return value_as_number(v, ms);
	case VALUE_STRING:
		if (value_parse_number(v, &d)) {
			*ms = d;
			return 1;
		}
		return timeparse_duration_text(v->u.s.ptr, v->u.s.len, ms);
	default:
		return 0;
	}
}

/* ---- times ---- */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil): no timegm(), so no dependence on TZ. Static, so that
 * parse_rfc3339 has it in line: --since parses every line's time. */
static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void
civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

int64_t
timeparse_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	return days_from_civil(y, m, d);
}

void
timeparse_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	civil_from_days(z, y, m, d);
}

static int
is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned
days_in_month(int64_t y, unsigned m)
{
	static const unsigned char days[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* N decimal digits at *S as a number, advancing *S; -1 if not digits. */
static int
take_digits(const char **s, const char *end, int n)
{
	int v = 0;

	if (end - *s < n)
		return -1;
	while (n-- > 0) {
		if (**s < '0' || **s > '9')
			return -1;
		v = v * 10 + (*(*s)++ - '0');
	}
	return v;
}

/* One of the bytes of SET at *S, advancing *S past it. A loop, not
 * strchr(): in line, each call's SET is a constant the compiler
 * unrolls (rfc3339() parses a time a row). */
static inline int
take_char(const char **s, const char *end, const char *set)
{
	if (*s >= end)
		return 0;
	for (; *set != '\0'; set++)
		if (**s == *set) {
			(*s)++;
			return 1;
		}
	return 0;
}

/* A numeric offset at *S: +hh:mm, +hhmm, -hh:mm, -hhmm; into *OFF_S. */
static int
take_offset(const char **s, const char *end, long *off_s)
{
	int sign, off_h, off_m;

	if (*s == end || (**s != '+' && **s != '-'))
		return 0;
	sign = *(*s)++ == '-' ? -1 : 1;
	if ((off_h = take_digits(s, end, 2)) < 0)
		return 0;
	take_char(s, end, ":");
	if ((off_m = take_digits(s, end, 2)) < 0 || off_h > 23 || off_m > 59)
		return 0;
	*off_s = sign * (off_h * 3600L + off_m * 60L);
	return 1;
}

/* The zone name Go's time.Time.String() prints after the offset, the
 * whole rest of S: letters ("EDT", "UTC") or, for a zone without one,
 * the offset again ("+09", "+0530"). Its meaning is the offset's. */
static int
is_zone_name(const char *s, const char *end)
{
	size_t i, n = (size_t)(end - s);

	if (n >= 3 && n <= 5 && (s[0] == '+' || s[0] == '-')) {
		for (i = 1; i < n; i++)
			if (s[i] < '0' || s[i] > '9')
				return 0;
		return n != 4;
	}
	if (n < 1 || n > 6)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= 'a' && s[i] <= 'z')))
			return 0;
	return 1;
}

/*
 * RFC 3339: 2026-04-25T03:01:53.123+02:00. Also 't' or ' ' for 'T', a
 * ',' before the fraction (Python's asctime), +hhmm, a trailing " UTC"
 * (PostgreSQL's jsonlog), Go's time.Time.String() ("2014-03-10
 * 19:57:38.562264131 -0400 EDT": the offset after a blank, then the
 * zone's name, which the offset makes redundant); no offset at all is
 * taken as UTC. *NDIGITS: the fraction's digits, at most 9.
 */
static int
parse_rfc3339(const char *s, size_t len, struct timeparse_time *out,
    unsigned *ndigits)
{
	const char *end = s + len;
	int year, mon, day, hour, min, sec;
	int64_t secs, frac_ns = 0, scale = 100000000;
	long off_s = 0;
	unsigned n = 0;

	if ((year = take_digits(&s, end, 4)) < 0 || !take_char(&s, end, "-") ||
	    (mon = take_digits(&s, end, 2)) < 0 || !take_char(&s, end, "-") ||
	    (day = take_digits(&s, end, 2)) < 0 ||
	    !take_char(&s, end, "Tt ") ||
	    (hour = take_digits(&s, end, 2)) < 0 || !take_char(&s, end, ":") ||
	    (min = take_digits(&s, end, 2)) < 0 || !take_char(&s, end, ":") ||
	    (sec = take_digits(&s, end, 2)) < 0)
		return 0;
	if (mon < 1 || mon > 12 || day < 1 ||
	    (unsigned)day > days_in_month(year, (unsigned)mon) ||
	    hour > 23 || min > 59 || sec > 60)	/* 60: a leap second */
		return 0;
	if (take_char(&s, end, ".,")) {
		if (s == end || *s < '0' || *s > '9')
			return 0;
		/* Nanoseconds; digits beyond them are dropped. */
		for (; s < end && *s >= '0' && *s <= '9'; s++) {
			frac_ns += (*s - '0') * scale;
			scale /= 10;
			n += n < 9;
		}
	}
	if (s < end && (*s == '+' || *s == '-')) {
		if (!take_offset(&s, end, &off_s))
			return 0;
	} else if (end - s >= 2 && s[0] == ' ' &&
	    (s[1] == '+' || s[1] == '-')) {
		s++;
		if (!take_offset(&s, end, &off_s))
			return 0;
		if (s < end && (*s != ' ' || !is_zone_name(s + 1, end)))
			return 0;
		s = end;
	} else if (end - s == 4 && memcmp(s, " UTC", 4) == 0)
		s += 4;
	else
		take_char(&s, end, "Zz");
	if (s != end)
		return 0;
	secs = days_from_civil(year, (unsigned)mon, (unsigned)day) * 86400 +
	    hour * 3600 + min * 60 + sec - off_s;
	out->sec = secs;
	out->nsec = (int32_t)frac_ns;
	*ndigits = n;
	return 1;
}

/*
 * The Common Log Format's time, which nginx's $time_local and Apache's
 * %t print: 06/Dec/2026:22:14:43 +0000, also between the brackets of
 * Apache's access log.
 */
static int
parse_clf(const char *s, size_t len, struct timeparse_time *out)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	const char *end = s + len;
	int year, mon, day, hour, min, sec;
	long off_s;

	if (len > 2 && s[0] == '[' && s[len - 1] == ']') {
		s++;
		end--;
	}
	if ((day = take_digits(&s, end, 2)) < 0 || !take_char(&s, end, "/") ||
	    end - s < 4)
		return 0;
	for (mon = 0; mon < 12; mon++)
		if (memcmp(s, months + 3 * mon, 3) == 0)
			break;
	if (mon++ == 12)
		return 0;
	s += 3;
	if (!take_char(&s, end, "/") || (year = take_digits(&s, end, 4)) < 0 ||
	    !take_char(&s, end, ":") ||
	    (hour = take_digits(&s, end, 2)) < 0 || !take_char(&s, end, ":") ||
	    (min = take_digits(&s, end, 2)) < 0 || !take_char(&s, end, ":") ||
	    (sec = take_digits(&s, end, 2)) < 0 || !take_char(&s, end, " ") ||
	    !take_offset(&s, end, &off_s) || s != end)
		return 0;
	if (day < 1 || (unsigned)day > days_in_month(year, (unsigned)mon) ||
	    hour > 23 || min > 59 || sec > 60)
		return 0;
	out->sec = days_from_civil(year, (unsigned)mon, (unsigned)day) *
	    86400 + hour * 3600 + min * 60 + sec - off_s;
	out->nsec = 0;
	return 1;
}

/* Floor division: times and bucket starts before 1970 must not round
 * towards zero. */
static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if (a % b != 0 && (a < 0) != (b < 0))
		q--;
	return q;
}

struct timeparse_time
timeparse_epoch_int(int64_t n)
{
	struct timeparse_time t;
	int64_t div;
	uint64_t mag = n < 0 ? -(uint64_t)n : (uint64_t)n;

	if (mag < (uint64_t)TIMEPARSE_EPOCH_MS_FROM) {
		t.sec = n;
		t.nsec = 0;
		return t;
	}
	div = mag < (uint64_t)TIMEPARSE_EPOCH_US_FROM ? 1000 :
	    mag < (uint64_t)TIMEPARSE_EPOCH_NS_FROM ? 1000000 : 1000000000;
	/* Floor division, so that nsec is in [0, 1e9). */
	t.sec = n / div;
	t.nsec = (int32_t)((n % div) * (1000000000 / div));
	if (t.nsec < 0) {
		t.sec--;
		t.nsec += 1000000000;
	}
	return t;
}

struct timeparse_time
timeparse_epoch_real(double d)
{
	double mag = fabs(d), whole = floor(d);
	int64_t div, units;
	struct timeparse_time t;

	div = mag >= TIMEPARSE_EPOCH_NS_FROM ? 1000000000 :
	    mag >= TIMEPARSE_EPOCH_US_FROM ? 1000000 :
	    mag >= TIMEPARSE_EPOCH_MS_FROM ? 1000 : 1;
	/* Whole units and their fraction apart (d - floor(d) is exact), so
	 * that no division rounds: 1648546681782.9036 ms keeps its .9036
	 * ms, which 1648546681.7829036 s, 2.4e-7 s apart as a double,
	 * would not. */
	units = (int64_t)whole;
	t.sec = floor_div(units, div);
	t.nsec = (int32_t)((units - t.sec * div) * (1000000000 / div) +
	    llround((d - whole) * (double)(1000000000 / div)));
	if (t.nsec >= 1000000000) {
		t.sec++;
		t.nsec -= 1000000000;
	}
	return t;
}

/* How many decimals of a second an epoch number of magnitude MAG
 * carries in its unit: 0 for s, 3 for ms, 6 for us, 9 for ns. */
static unsigned
epoch_unit_digits(double mag)
{
	return mag >= TIMEPARSE_EPOCH_NS_FROM ? 9 :
	    mag >= TIMEPARSE_EPOCH_US_FROM ? 6 :
	    mag >= TIMEPARSE_EPOCH_MS_FROM ? 3 : 0;
}

/* The decimals after the point of D's shortest text that reads back as
 * D (1777086113.25 has 2), the way JSON writers print it. */
static unsigned
real_fraction_digits(double d)
{
	char text[40], *e;
	int prec, exp10;

	if (d == 0)
		return 0;
	for (prec = 0; prec < 17; prec++) {
		snprintf(text, sizeof(text), "%.*e", prec, d);
		if (strtod(text, NULL) == d)
			break;
	}
	e = strchr(text, 'e');
	exp10 = e != NULL ? atoi(e + 1) : 0;
	return prec > exp10 ? (unsigned)(prec - exp10) : 0;
}

/* The decimals of a plain decimal text ("1777086113.250": 3), or -1 when
 * it has an exponent or is no such text. */
static int
text_fraction_digits(const char *s, size_t len)
{
	const char *dot = memchr(s, '.', len);
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] == 'e' || s[i] == 'E')
			return -1;
	if (dot == NULL)
		return 0;
	return (int)(len - (size_t)(dot - s) - 1);
}

static unsigned
cap_digits(unsigned n)
{
	return n > 9 ? 9 : n;
}

int
timeparse_time_digits(const struct value *v, struct timeparse_time *out,
    unsigned *ndigits)
{
	const char *s;
	size_t len;
	int64_t n;
	double d;
	int text_digits;

	switch (v->kind) {
	case VALUE_INT:
		*out = timeparse_epoch_int(v->u.i);
		*ndigits = epoch_unit_digits(fabs((double)v->u.i));
		return 1;
	case VALUE_REAL:
		if (!isfinite(v->u.r) || fabs(v->u.r) > 9e18)
			return 0;
		*out = timeparse_epoch_real(v->u.r);
		*ndigits = cap_digits(epoch_unit_digits(fabs(v->u.r)) +
		    real_fraction_digits(v->u.r));
		return 1;
	case VALUE_STRING:
		s = v->u.s.ptr;
		len = v->u.s.len;
		trim_blanks(&s, &len);
		if (parse_rfc3339(s, len, out, ndigits))
			return 1;
		if (parse_clf(s, len, out)) {
			*ndigits = 0;
			return 1;
		}
		/* Out of line in value.c, which keeps this function's
		 * frame, and so the RFC 3339 path, small. */
		if (value_parse_int64(v, &n)) {
			*out = timeparse_epoch_int(n);
			*ndigits = epoch_unit_digits(fabs((double)n));
			return 1;
		}
		if (value_parse_number(v, &d) && fabs(d) <= 9e18) {
			*out = timeparse_epoch_real(d);
			text_digits = text_fraction_digits(s, len);
			*ndigits = cap_digits(epoch_unit_digits(fabs(d)) +
			    (text_digits >= 0 ? (unsigned)text_digits :
			    real_fraction_digits(d)));
			return 1;
		}
		return 0;
	default:
		return 0;
	}
}

int
timeparse_time_exact(const struct value *v, struct timeparse_time *out)
{
	unsigned ndigits;

	return timeparse_time_digits(v, out, &ndigits);
}

int
timeparse_cmp(struct timeparse_time a, struct timeparse_time b)
{
	if (a.sec != b.sec)
		return a.sec < b.sec ? -1 : 1;
	return (a.nsec > b.nsec) - (a.nsec < b.nsec);
}

int
timeparse_time(const struct value *v, double *epoch_s)
{
	struct timeparse_time t;

	if (!timeparse_time_exact(v, &t))
		return 0;
	*epoch_s = (double)t.sec + (double)t.nsec / 1e9;
	return 1;
}

/* ---- buckets ---- */


/* V (< 10^WIDTH) as WIDTH decimal digits, zeros first, at P. */
static char *
put_digits(char *p, uint64_t v, unsigned width)
{
	unsigned i = width;

	while (i-- > 0) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return p + width;
}

/*
 * SEC and NSEC (0 <= NSEC < 1e9) as RFC 3339 UTC text with NDIGITS (at
 * most 9) decimals, NSEC rounded half up to them; -1 outside the years
 * 0000 to 9999 (RFC 3339's four digits). The digits are put in place,
 * not printed: errors' rfc3339(time) writes one a row.
 */
static int
format_utc(int64_t sec, int64_t nsec, unsigned ndigits, char *text,
    size_t size)
{
	static const int64_t unit_ns[] = {
		1000000000, 100000000, 10000000, 1000000, 100000, 10000,
		1000, 100, 10, 1
	};
	int64_t unit, frac, days, sod, year;
	unsigned mon, day;
	char *p = text;

	if (ndigits > 9)
		ndigits = 9;
	if (size < TIMEPARSE_TEXT_SIZE)
		return -1;
	unit = unit_ns[ndigits];
	frac = (nsec + unit / 2) / unit;
	if (frac * unit >= 1000000000) {	/* .9999999996 to 1 digit */
		sec++;
		frac = 0;
	}
	/* The year 10000 is 2.5e11 s away: nothing below overflows. */
	if (sec < -62167219200LL || sec > 253402300799LL)
		return -1;
	days = floor_div(sec, 86400);
	sod = sec - days * 86400;
	civil_from_days(days, &year, &mon, &day);
	p = put_digits(p, (uint64_t)year, 4);
	*p++ = '-';
	p = put_digits(p, mon, 2);
	*p++ = '-';
	p = put_digits(p, day, 2);
	*p++ = 'T';
	p = put_digits(p, (uint64_t)(sod / 3600), 2);
	*p++ = ':';
	p = put_digits(p, (uint64_t)(sod / 60 % 60), 2);
	*p++ = ':';
	p = put_digits(p, (uint64_t)(sod % 60), 2);
	if (ndigits > 0) {
		*p++ = '.';
		p = put_digits(p, (uint64_t)frac, ndigits);
	}
	*p++ = 'Z';
	*p = '\0';
	return (int)(p - text);
}

int
timeparse_rfc3339_text(struct timeparse_time t, unsigned ndigits, char *text,
    size_t size)
{
	return format_utc(t.sec, t.nsec, ndigits, text, size);
}

int
timeparse_bucket_text(struct timeparse_time t, int64_t step_us, char *text,
    size_t size)
{
	int64_t t_us, start_us, secs;

	/* Past the years 0000-9999 there is no text; the bound also keeps
	 * the microseconds in int64_t. */
	if (t.sec < -62167219200LL - 86400 || t.sec > 253402300799LL + 86400)
		return -1;
	/* Exact: a nanosecond before a minute is in the minute before,
	 * which a double (1e-7 s apart in 2026) could not tell. */
	t_us = t.sec * 1000000 + t.nsec / 1000;
	start_us = floor_div(t_us, step_us) * step_us;
	secs = floor_div(start_us, 1000000);
	/* The same number of decimals for every bucket of a step. */
	return format_utc(secs, (start_us - secs * 1000000) * 1000,
	    step_us % 1000000 == 0 ? 0 : step_us % 1000 == 0 ? 3 : 6, text,
	    size);
}
