/* SPDX-License-Identifier: MIT */
/* func.h - the scalar functions of SPEC 3.2 */
#ifndef LOGQ_FUNC_H
#define LOGQ_FUNC_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "value.h"

struct arena;

/*
 * What a scalar function may use besides its arguments: one per thread
 * (eval.h's struct eval_ctx holds it), never shared, since the PCRE2
 * match data in it is written by every match.
 */
struct func_ctx {
	struct arena	*arena;		/* strings made; reset per line */
	/* Room for a few capture pairs (eval.h's EVAL_OVECTOR_PAIRS):
	 * replace() substitutes with it when the pattern has fewer
	 * capture groups. NULL: PCRE2 makes match data per call. */
	void		*match_data;	/* pcre2_match_data_8 * */
	void		*match_ctx;	/* pcre2_match_context_8 *, or NULL */
	/* Matches stopped by PCRE2's match or depth limit: counted, taken
	 * as "no match", and reported at the end of the run. */
	unsigned long	 regex_limit_hits;
};

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
	struct value	 (*fn)(struct func_ctx *ctx, void *prepared,
			    const struct value *args, size_t nargs);
	/* The result depends on nothing but the bytes of the one string
	 * argument, and the same arguments come back line after line
	 * (route(path), lower(level)): evaluation keeps recent results by
	 * argument (eval.c). */
	int		 by_argument;
	/* fn(x) on a string x is x with its ASCII capitals made small
	 * (lower): prepare.c has `lower(x) in [...]` test x's bytes,
	 * folded, without calling fn. */
	int		 folds_to_lower;
	/* fn runs a regex, which may stop at PCRE2's match limit (counted
	 * in func_ctx.regex_limit_hits): plan.c tells which queries may
	 * have such stops, run.c keeps their count by query. */
	int		 runs_regex;
};

/* The function NAME (LEN bytes), or NULL. */
const struct func *func_lookup(const char *name, size_t len);
/* Function I in SPEC 3.2's order, or NULL past the last one
 * (--list-functions); max_args UINT_MAX: any number. */
const struct func *func_at(size_t i);
/* The known name closest to NAME (for "did you mean"), or NULL. */
const char	*func_suggest(const char *name, size_t len);

#endif
