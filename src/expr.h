/* SPDX-License-Identifier: MIT */
/* expr.h - expression text -> tree (SPEC 3.2, 3.3); regexes compiled once */
#ifndef LOGQ_EXPR_H
#define LOGQ_EXPR_H

#include <stddef.h>

#include "diag.h"
#include "fields.h"
#include "value.h"

struct aggfn;
struct func;
struct expr_flat;
struct expr_set;

enum expr_op {
	/* leaves */
	EXPR_LITERAL,		/* u.literal (lists: VALUE_LIST, owned) */
	EXPR_FIELD,		/* u.field: a plain path */
	EXPR_ALIAS,		/* u.alias: first present alternative */
	EXPR_COLUMN,		/* u.column: an output column (having, assert) */
	EXPR_STAT,		/* u.stat: $lines, $json, $skipped, $repaired */
	/* operators */
	EXPR_OR, EXPR_AND, EXPR_NOT,
	EXPR_EQ, EXPR_NE, EXPR_LT, EXPR_LE, EXPR_GT, EXPR_GE,
	EXPR_MATCH, EXPR_NOT_MATCH,	/* u.regex, lhs in a */
	EXPR_IN, EXPR_NOT_IN,
	EXPR_ADD, EXPR_SUB, EXPR_MUL, EXPR_DIV, EXPR_MOD, EXPR_NEG,
	EXPR_LIST,		/* a list literal with non-constant items */
	EXPR_CALL,		/* u.call: a scalar function */
	EXPR_AGG		/* u.agg: an aggregate call (aggregate: only) */
};

/* Run-time input statistics usable in having and assert (SPEC 3.7),
 * and in aggregate columns; $matched counts the lines that passed the
 * query's `where` (for shares of a total: count() / $matched);
 * $stalled, the whole seconds since the last line came, when the
 * results are printed (SPEC 6; 0 for a listing row, which just came). */
enum expr_stat {
	EXPR_STAT_LINES, EXPR_STAT_JSON, EXPR_STAT_SKIPPED,
	EXPR_STAT_REPAIRED, EXPR_STAT_MATCHED, EXPR_STAT_STALLED, EXPR_NSTATS
};

struct expr {
	enum expr_op	 op;
	unsigned	 offset;	/* byte offset in the expression text */
	unsigned	 span;		/* bytes the node's token covers */
	/* 1 + the line-memo slot shared by identical subexpressions of a
	 * run's queries (plan.c), or 0: eval computes it once a line. */
	unsigned	 memo;
	/* An and (or an or) of tests of an alias against a literal, as a
	 * flat list evaluation runs in a loop (prepare.h), or NULL. */
	struct expr_flat *flat;
	/* `in` (or `not in`) a list of literals: the list as prepare_expr
	 * split it for look-ups, its strings apart from the other literals
	 * behind a mask of their lengths and end bytes, or NULL. */
	struct expr_set	*set;
	struct expr	*a, *b;		/* operands */
	union {
		struct value		 literal;
		struct field_path	 field;
		const struct fields_alias *alias; /* borrowed from env fields */
		size_t			 column;
		enum expr_stat		 stat;
		struct {
			void		*code;	 /* pcre2_code_8 * */
			char		*pattern;
		} regex;
		struct {
			const struct func *fn;
			struct expr	**args;
			size_t		  nargs;
			void		 *prepared; /* func's compile-time data */
			/* 1 + this call's cache of results by argument
			 * (fn->by_argument; numbered by plan.c), or 0 */
			unsigned	  cache;
		} call;
		struct {
			struct expr	**items;
			size_t		  n;
		} list;
		struct {
			const struct aggfn *fn;	/* its row (aggfn.h) */
			struct expr	*arg, *arg2; /* arg2: min_by/max_by y */
			double		 q;	/* percentile, 0 < q <= 100 */
			size_t		 slot;	/* index in the query's aggs */
		} agg;
	} u;
};

/* What names mean where an expression is compiled. */
struct expr_env {
	const struct fields	*fields;	/* aliases in force; borrowed */
	/* $name: fills *out (borrowed) and returns 1, or returns 0. */
	int			(*param)(void *ctx, const char *name,
				    size_t len, struct value *out);
	void			*param_ctx;
	/* having/assert: identifiers name output columns, not fields */
	const char *const	*columns;
	size_t			 ncolumns;
	int			 allow_aggregates;	/* aggregate: values */
	int			 allow_stats;		/* $lines etc. */
	/* aggregate calls get slots from *next_slot up (shared per query) */
	size_t			*next_slot;
};

/*
 * Compiles TEXT (LEN bytes). On error returns NULL and fills *err (exit
 * 2) with the message, a caret at the offending bytes (err->source is
 * TEXT, err->caret_col the 1-based column in it) and no file place: the
 * caller, who knows where TEXT came from, adds it with diag_place and
 * may replace the source line with the file's own (see query.c).
 * Regexes are compiled (with JIT where available) and function arity
 * and names checked here, not at run time.
 */
struct expr	*expr_parse(const char *text, size_t len,
		    const struct expr_env *env, struct diag *err);
void		 expr_free(struct expr *e);

/*
 * Whether A and B compute the same value from a line: the same tree
 * with the same fields, aliases, literals, patterns and functions. Nodes
 * that depend on more than the line (columns, statistics, aggregates)
 * are never equal. For sharing work: plan.c's per-line memo, agg.c's
 * percentile arrays.
 */
int		 expr_equal(const struct expr *a, const struct expr *b);

/* Visits every node of E, operands and arguments before the node that
 * uses them (plan.c numbers calls, prepare.c rewrites chains). */
void		 expr_walk(struct expr *e, void (*fn)(struct expr *node,
		    void *ctx), void *ctx);

/* Visits every EXPR_AGG node of E in slot order (for the aggregator). */
void		 expr_foreach_agg(struct expr *e,
		    void (*fn)(struct expr *agg, void *ctx), void *ctx);

/*
 * Field names the expression reads (plain paths and alias names), for
 * --explain and the "field never seen" warning; calls FN once a node.
 */
void		 expr_foreach_field(const struct expr *e,
		    void (*fn)(const struct expr *node, void *ctx), void *ctx);

#endif
