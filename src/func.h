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

#endif
