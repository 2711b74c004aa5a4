/* func.h - the scalar functions of SPEC 3.2 */
#ifndef LOGQ_FUNC_H
#define LOGQ_FUNC_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "value.h"

struct eval_ctx;

struct func {
	const char	*name;
	unsigned	 min_args, max_args;
	/* Bit i set: argument i must be a constant (a literal or $param),
	 * given to prepare() at load time (replace's regex, bucket's step). */
	unsigned	 const_args;
	/* Checks and compiles the constant arguments (ARGS[i] is VALUE_NULL
	 * for non-constant ones). Returns data for fn (NULL is fine), or
	 * sets *err and *bad_arg (the argument to put the caret under) and
	 * returns NULL with *err set. May be NULL. */
	void		*(*prepare)(const struct value *args, size_t nargs,
			    size_t *bad_arg, struct diag *err);
	void		 (*release)(void *prepared);
	/* Computes the result; strings made go in ctx->arena. */
	struct value	 (*fn)(struct eval_ctx *ctx, void *prepared,
			    const struct value *args, size_t nargs);
	/* The result depends on nothing but the bytes of the one string
	 * argument, and the same arguments come back line after line
	 * (route(path), lower(level)): evaluation keeps recent results by
	 * argument (eval.c). */
	int		 by_argument;
};

/* The function NAME (LEN bytes), or NULL. */
const struct func *func_lookup(const char *name, size_t len);
/* Function I in SPEC 3.2's order, or NULL past the last one
 * (--list-functions); max_args UINT_MAX: any number. */
const struct func *func_at(size_t i);
/* The known name closest to NAME (for "did you mean"), or NULL. */
const char	*func_suggest(const char *name, size_t len);

/* Helpers shared with the alias conversions (fields.c): */
/* Milliseconds from a number (taken as ms) or a Go duration string
 * ("143ms", "1.5s", "2m3s", "250µs", "1h"), or a numeric string. */
int		 func_parse_duration_ms(const struct value *v, double *ms);
/* Epoch seconds from RFC 3339 (any fraction, Z or offset, 'T' or ' ')
 * or epoch s/ms/us/ns told apart by magnitude. */
int		 func_parse_time(const struct value *v, double *epoch_s);

/* The same time exactly, to the nanosecond (a double cannot tell
 * 02:59:59.999999999 from 03:00:00 today): --since and --until. */
struct func_time {
	int64_t		 sec;
	int32_t		 nsec;		/* 0 <= nsec < 1e9 */
};

int		 func_parse_time_exact(const struct value *v,
		    struct func_time *out);
/* -1, 0 or 1 as A is before, at or after B. */
int		 func_time_cmp(struct func_time a, struct func_time b);

#endif
