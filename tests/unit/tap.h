/* SPDX-License-Identifier: MIT */
/* tap.h - a minimal TAP producer for the unit tests (automake's
 * tap-driver.sh reads it). Header-only: each test is one .c file. */
#ifndef LOGQ_TAP_H
#define LOGQ_TAP_H

#include <stdio.h>
#include <stdarg.h>
#include <string.h>

static int tap_n, tap_failed;

/* ok(COND, "what") - one test point. */
#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

static void __attribute__((format(printf, 4, 5)))
tap_ok(int pass, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	tap_n++;
	printf("%s %d - ", pass ? "ok" : "not ok", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!pass) {
		tap_failed++;
		printf("#   failed at %s:%d\n", file, line);
	}
}

/* is_str(GOT, WANT, "what") - string equality, showing both on failure. */
#define is_str(got, want, ...) do {					\
	const char *got_ = (got), *want_ = (want);			\
	int same_ = (got_ == NULL && want_ == NULL) ||			\
	    (got_ != NULL && want_ != NULL && strcmp(got_, want_) == 0); \
	ok(same_, __VA_ARGS__);						\
	if (!same_)							\
		printf("#   got:  '%s'\n#   want: '%s'\n",		\
		    got_ ? got_ : "(null)", want_ ? want_ : "(null)");	\
} while (0)

/* is_int(GOT, WANT, "what") */
#define is_int(got, want, ...) do {					\
	long long got_ = (long long)(got), want_ = (long long)(want);	\
	ok(got_ == want_, __VA_ARGS__);					\
	if (got_ != want_)						\
		printf("#   got:  %lld\n#   want: %lld\n", got_, want_);	\
} while (0)

/* Ends the test: the plan line, and the exit status. */
static int
done_testing(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
