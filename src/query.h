/* SPDX-License-Identifier: MIT */
/* query.h - YAML query files and reports (libyaml) -> struct query */
#ifndef LOGQ_QUERY_H
#define LOGQ_QUERY_H

#include <stddef.h>

#include "diag.h"
#include "querypath.h"
#include "value.h"

/*
 * An expression as written in a query file, with what is needed to put
 * a caret under it in the file's own line. query.c only reads YAML: the
 * text is compiled later (plan.c), with the aliases and parameters of
 * the whole run.
 */
struct query_text {
	char		*text;		/* owned, NUL-terminated */
	size_t		 len;
	struct diag_pos	 pos;		/* first byte of the scalar */
	/* The file line where the text starts, and the 1-based column of
	 * the text's first byte in it; src_col is 0 when bytes of the text
	 * do not map one to one onto the line (escapes, folded or block
	 * scalars): then errors show the text itself. */
	char		*src_line;	/* owned, or NULL */
	unsigned	 src_col;
};

struct query_column {			/* select, group_by, aggregate */
	char		*name;		/* output column name, owned */
	struct query_text expr;
};

struct query_sort {
	char		*column;	/* without the '-' */
	int		 descending;
	struct diag_pos	 pos;
};

struct query_param {
	char		*name;
	struct value	 value;		/* strings and lists owned (malloc) */
	/* The default it was declared with (or a report's params gave):
	 * its type is the param's, whatever --set or set: gave since. */
	struct value	 dflt;
	struct diag_pos	 pos;
	/* The --set argument ("step=5m", argv's) that gave the value, for
	 * errors about it; NULL when the query or a report gave it. */
	const char	*set_by;
};

struct query_field {			/* fields: overrides */
	char		*name;
	char		*spec;		/* "a,b:s" as --field takes it */
	struct diag_pos	 pos;
};

struct query {
	char			*name;		/* default: file base name */
	char			*description;	/* or NULL */
	char			*file;		/* as named; "-e" for inline */
	struct diag_pos		 pos;		/* the query mapping */

	struct query_text	*where;		/* NULL when absent */
	int			 has_select;
	struct query_column	*select;
	size_t			 nselect;
	struct query_column	*group_by;
	size_t			 ngroup_by;
	int			 has_aggregate;
	struct query_column	*aggregate;
	size_t			 naggregate;
	struct query_text	*having;	/* NULL when absent */
	struct query_sort	*sort;
	size_t			 nsort;
	long long		 limit;		/* -1: none */
	struct query_text	*asserts;
	size_t			 nasserts;
	struct query_param	*params;	/* defaults, then `set:` */
	size_t			 nparams;
	struct query_field	*fields;
	size_t			 nfields;
	char			*chart;		/* or NULL */
	/* Files named by positions of params and fields that came from a
	 * report (its params, fields and set:), owned: positions borrow
	 * them, as the others borrow file. */
	char			**other_files;
	size_t			 nother_files;
};

/* A loaded QUERY argument: one query, or a report's queries in order. */
struct query_list {
	struct query	**items;
	size_t		  n;
	size_t		  alloc;
	char		 *report_name;		/* set for a report */
	char		 *report_description;
};

/*
 * Loads QUERY as the command line gives it: a path (it contains '/' or
 * ends in .yaml/.yml) or a built-in name looked up in SEARCH
 * (DIR/NAME.yaml, then DIR/NAME.yml). Appends to *out (nothing on
 * error). -1 with *err (exit 2, FILE:LINE:COL where it applies) on:
 * unknown query name (suggesting a close one), unreadable file, bad
 * YAML, unknown key (naming the keys allowed), a value of the wrong
 * type, or a `use:` cycle. Reports' `use:` items are resolved through
 * SEARCH too (a relative path from the report's directory), with their
 * `set:` applied to the included queries' params. Names: `name:`, else
 * the file's base name; a report's unnamed queries are REPORT-1, ...
 */
int	query_load(const char *query, const struct query_path *search,
	    struct query_list *out, struct diag *err);

/* Loads inline YAML (-e), named "-e" in messages; its query (or
 * report) is named "query" unless it has a `name:`. */
int	query_load_inline(const char *yaml, const struct query_path *search,
	    struct query_list *out, struct diag *err);

/*
 * Sets P's value from TEXT as --set gives it, typed as YAML types the
 * same text in params: (yamltree_scalar_value; for a list parameter, a
 * flow list such as [500, 502] too), then held to P's type by
 * query_param_coerce(). -1 with *why (owned, a message
 * without the place) and P unchanged when the text does not fit.
 */
int	query_param_set_text(struct query_param *p, const char *text,
	    char **why);

/*
 * SPEC 3.6: what a parameter takes, from its default (P's value) and
 * its name: a number default takes a number or, when the name ends in
 * a unit (_ms, _s, _min, _h, ...), a duration in that unit
 * (threshold_ms: "1.5s" -> 1500); both are QUERY_PARAM_DURATION then,
 * as is a text default that is a duration (timeline's step: 1m), which
 * takes only durations. A list takes a list.
 */
enum query_param_type {
	QUERY_PARAM_NULL, QUERY_PARAM_BOOL, QUERY_PARAM_NUMBER,
	QUERY_PARAM_DURATION, QUERY_PARAM_STRING, QUERY_PARAM_LIST
};

/* P's type: its declared default's (p->dflt), whatever it holds now. */
enum query_param_type query_param_type(const struct query_param *p);
/* "number", "duration", ... as --list --params prints them. */
const char *query_param_type_name(enum query_param_type t);
/* V, a value of P, as a user types it after --set NAME=: a duration with
 * its unit (1m, 500ms), anything else as JSON. */
void	query_param_write_value(struct buf *b, const struct query_param *p,
	    const struct value *v);
/* P's declared default, so. */
void	query_param_write_default(struct buf *b, const struct query_param *p);

/*
 * Holds V, as YAML typed it, to P's type (query_param_type): a string
 * that is neither a number nor a duration is refused for a number or
 * duration, so a typo never makes a threshold a string that matches
 * nothing; a duration given to a number in a unit becomes that number
 * (V's string freed with value_heap_release); a duration written as
 * text takes only durations; a list only a list; a bool refuses a
 * string (yes, on). Other types pass as they are. -1 with *why (owned, a message without the place) when V
 * does not fit.
 */
int	query_param_coerce(const struct query_param *p, struct value *v,
	    char **why);

/* The param NAME of Q, or NULL. */
struct query_param *query_find_param(struct query *q, const char *name,
	    size_t len);

/*
 * Lists the built-in queries found in SEARCH (first of a name wins),
 * calling FN with each name, description (may be NULL) and file path,
 * sorted by name.
 */
/* Reads PATH whole into *OUT (malloc'ed, *LEN bytes), up to
 * a query file's size cap: 0, or an errno value (EFBIG, EISDIR). */
int	query_read_file(const char *path, char **out, size_t *len);

void	query_list_builtin(const struct query_path *search,
	    void (*fn)(const char *name, const char *description,
	    const char *path, void *ctx), void *ctx);

void	query_free(struct query *q);
void	query_list_release(struct query_list *l);

#endif
