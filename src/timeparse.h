/* SPDX-License-Identifier: MIT */
/* timeparse.h - timestamps, durations and civil dates, without libc's TZ */
#ifndef LOGQ_TIMEPARSE_H
#define LOGQ_TIMEPARSE_H

#include <stddef.h>
#include <stdint.h>

#include "value.h"

/* An instant exactly, to the nanosecond (a double cannot tell
 * 02:59:59.999999999 from 03:00:00 today): --since and --until. */
struct timeparse_time {
	int64_t		 sec;		/* since 1970-01-01T00:00:00Z */
	int32_t		 nsec;		/* 0 <= nsec < 1e9 */
};

/*
 * Milliseconds from a number (taken as ms), a numeric string (ms too) or
 * a Go duration string ("143ms", "1.5s", "2m3s", "250µs", "1h", "1d").
 * 1 with *ms set, or 0 and *ms untouched.
 */
int	timeparse_duration_ms(const struct value *v, double *ms);
/* The Go duration string alone, LEN bytes at S (blanks around it are
 * fine): bucket's step, where a bare number is not a duration. */
int	timeparse_duration_text(const char *s, size_t len, double *ms);

/*
 * The instant V names: RFC 3339 (any fraction, Z or offset, 'T' or ' ';
 * also Go's time.Time.String(), "2006-01-02 15:04:05.999 -0700 MST"),
 * the Common Log Format's "06/Dec/2026:22:14:43 +0000" (nginx's
 * $time_local), or an epoch number (or numeric string) in s, ms, us or ns
 * told apart by magnitude (timeparse_epoch_int). 1 with *out set, or 0.
 */
int	timeparse_time_exact(const struct value *v, struct timeparse_time *out);
/*
 * The same, and in *NDIGITS (0 to 9) the decimals of a second V is
 * written with: those of the text's fraction; for an epoch number, those
 * of its unit (s 0, ms 3, us 6, ns 9) plus those after its decimal point.
 * rfc3339() prints the time that precisely, no less, no more.
 */
int	timeparse_time_digits(const struct value *v,
	    struct timeparse_time *out, unsigned *ndigits);
/* The same as epoch seconds, for time(). */
int	timeparse_time(const struct value *v, double *epoch_s);
/* -1, 0 or 1 as A is before, at or after B. */
int	timeparse_cmp(struct timeparse_time a, struct timeparse_time b);

/* Epoch numbers whose magnitude is at least this many seconds are taken
 * as ms, us, ns (SPEC 3.2 "told apart by magnitude"): 1e11 s is the year
 * 5138, 1e11 ms is 1973. */
#define TIMEPARSE_EPOCH_MS_FROM	1e11
#define TIMEPARSE_EPOCH_US_FROM	1e14
#define TIMEPARSE_EPOCH_NS_FROM	1e17

/* The instant of epoch number N in s, ms, us or ns, exactly. */
struct timeparse_time timeparse_epoch_int(int64_t n);
/* The same for a double, to the nearest nanosecond; D is finite and
 * |D| <= 9e18 (the callers check). */
struct timeparse_time timeparse_epoch_real(double d);

/* Days since 1970-01-01 of a proleptic Gregorian date (negative before
 * it); M in 1..12, D in 1..31, not checked against the month. */
int64_t	timeparse_days_from_civil(int64_t y, unsigned m, unsigned d);
/* The inverse: the date of day Z since 1970-01-01. */
void	timeparse_civil_from_days(int64_t z, int64_t *y, unsigned *m,
	    unsigned *d);

/* Room for the longest text of timeparse_rfc3339_text and
 * timeparse_bucket_text, "YYYY-MM-DDThh:mm:ss.nnnnnnnnnZ", and its '\0'. */
#define TIMEPARSE_TEXT_SIZE	32

/*
 * T as RFC 3339 text in UTC into TEXT (SIZE bytes, at least
 * TIMEPARSE_TEXT_SIZE): seconds, then NDIGITS decimals (at most 9; the
 * nanoseconds rounded half up to them) if any, then 'Z'. Returns the
 * length, or -1 when T is outside the years 0000 to 9999.
 */
int	timeparse_rfc3339_text(struct timeparse_time t, unsigned ndigits,
	    char *text, size_t size);

/*
 * The start of the STEP_US-microsecond bucket (STEP_US > 0, aligned to
 * the epoch, so 7d buckets start on Thursdays) that holds T, as
 * timeparse_rfc3339_text writes it with no decimals, or 3 or 6 when the
 * step is not whole seconds or ms. Returns the length, or -1 when the
 * start falls outside the years 0000 to 9999.
 */
int	timeparse_bucket_text(struct timeparse_time t, int64_t step_us,
	    char *text, size_t size);

#endif
