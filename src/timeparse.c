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

static int
take_char(const char **s, const char *end, const char *set)
{
	if (*s < end && **s != '\0' && strchr(set, **s) != NULL) {
		(*s)++;
		return 1;
	}
	return 0;
}

/*
 * RFC 3339: 2026-04-25T03:01:53.123+02:00. Also 't' or ' ' for 'T', a
 * ',' before the fraction (Python's asctime), +hhmm, a trailing " UTC"
 * (PostgreSQL's jsonlog); no offset at all is taken as UTC.
 */
static int
parse_rfc3339(const char *s, size_t len, struct timeparse_time *out)
{
	const char *end = s + len;
	int year, mon, day, hour, min, sec, off_h, off_m;
	int64_t secs, frac_ns = 0, scale = 100000000;
	long off_s = 0;

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
		}
	}
	if (s < end && (*s == '+' || *s == '-')) {
		int sign = *s++ == '-' ? -1 : 1;

		if ((off_h = take_digits(&s, end, 2)) < 0)
			return 0;
		take_char(&s, end, ":");
		if ((off_m = take_digits(&s, end, 2)) < 0 || off_h > 23 ||
		    off_m > 59)
			return 0;
		off_s = sign * (off_h * 3600L + off_m * 60L);
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
	return 1;
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
	double mag = fabs(d), s, f;
	struct timeparse_time t;

	if (mag >= TIMEPARSE_EPOCH_NS_FROM)
		d /= 1e9;
	else if (mag >= TIMEPARSE_EPOCH_US_FROM)
		d /= 1e6;
	else if (mag >= TIMEPARSE_EPOCH_MS_FROM)
		d /= 1e3;
	s = floor(d);
	f = d - s;
	t.sec = (int64_t)s;
	t.nsec = (int32_t)llround(f * 1e9);
	if (t.nsec >= 1000000000) {
		t.sec++;
		t.nsec -= 1000000000;
	}
	return t;
}

int
timeparse_time_exact(const struct value *v, struct timeparse_time *out)
{
	const char *s;
	size_t len;
	int64_t n;
	double d;

	switch (v->kind) {
	case VALUE_INT:
		*out = timeparse_epoch_int(v->u.i);
		return 1;
	case VALUE_REAL:
		if (!isfinite(v->u.r) || fabs(v->u.r) > 9e18)
			return 0;
		*out = timeparse_epoch_real(v->u.r);
		return 1;
	case VALUE_STRING:
		s = v->u.s.ptr;
		len = v->u.s.len;
		trim_blanks(&s, &len);
		if (parse_rfc3339(s, len, out))
			return 1;
		/* Out of line in value.c, which keeps this function's
		 * frame, and so the RFC 3339 path, small. */
		if (value_parse_int64(v, &n)) {
			*out = timeparse_epoch_int(n);
			return 1;
		}
		if (value_parse_number(v, &d) && fabs(d) <= 9e18) {
			*out = timeparse_epoch_real(d);
			return 1;
		}
		return 0;
	default:
		return 0;
	}
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

/* Floor division: bucket starts must not round towards zero before
 * 1970. */
static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if (a % b != 0 && (a < 0) != (b < 0))
		q--;
	return q;
}

int
timeparse_bucket_text(double epoch_s, int64_t step_us, char *text,
    size_t size)
{
	int64_t t_us, start_us, secs, days, sod, year;
	unsigned mon, day;
	int n;

	/* Microseconds, rounded, so that "…:00.3" (0.29999… as a double)
	 * lands in the bucket its text names. */
	if (!(fabs(epoch_s) < 3e11))	/* year 11000: keeps the us in int64 */
		return -1;
	t_us = llround(epoch_s * 1e6);
	start_us = floor_div(t_us, step_us) * step_us;
	secs = floor_div(start_us, 1000000);
	days = floor_div(secs, 86400);
	sod = secs - days * 86400;
	civil_from_days(days, &year, &mon, &day);
	if (year < 0 || year > 9999)
		return -1;
	n = snprintf(text, size, "%04d-%02u-%02uT%02d:%02d:%02d",
	    (int)year, mon, day, (int)(sod / 3600), (int)(sod / 60 % 60),
	    (int)(sod % 60));
	/* The same number of decimals for every bucket of a step. */
	if (step_us % 1000000 != 0) {
		int64_t us = start_us - secs * 1000000;

		if (step_us % 1000 == 0)
			n += snprintf(text + n, size - n, ".%03d",
			    (int)(us / 1000));
		else
			n += snprintf(text + n, size - n, ".%06d", (int)us);
	}
	n += snprintf(text + n, size - n, "Z");
	return n;
}
