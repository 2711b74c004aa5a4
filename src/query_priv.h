/* SPDX-License-Identifier: MIT */
/* query_priv.h - what query.c (queries) and report.c (reports, use:,
 * set:) share while loading YAML; not for other modules */
#ifndef LOGQ_QUERY_PRIV_H
#define LOGQ_QUERY_PRIV_H

#include <stdarg.h>
#include <stddef.h>

#include "diag.h"
#include "query.h"
#include "util.h"
#include "yamltree.h"

/* Reports including reports (cycles are caught before this). */
#define QUERY_MAX_INCLUDE	32
/* A query file is a page of YAML; the cap keeps `use: /dev/zero` from
 * eating the memory. */
#define QUERY_MAX_FILE_BYTES	(16u << 20)
/* Reports copy their params and fields into each of their queries: these
 * bound what a small hostile report can make of that. */
#define QUERY_MAX_ENTRIES	256	/* params, fields, set; queries */
#define QUERY_MAX_COPIED	(64u << 20)	/* bytes of copies per load */

struct include {
	char		*real;		/* realpath(3) of the file */
	char		*label;		/* its base name, for messages */
};

struct loader {
	const struct query_path	*search;
	struct diag		*err;
	struct include		 stack[QUERY_MAX_INCLUDE];
	size_t			 depth;
	size_t			 copied;	/* see QUERY_MAX_COPIED */
};

/* A name and where it came from, for finding repeats in O(n log n). */
struct named {
	const char	*name;
	size_t		 len;
	size_t		 idx;
};

struct keyval {
	const struct yamltree_node	*key, *val;
};

/* Errors: yamltree's, into the loader's diag. Static inline, so each
 * file that includes this has them without a copy to keep in step. */

static inline int __attribute__((format(printf, 5, 6)))
fail_pos(struct loader *ld, const struct yamltree_src *s, struct diag_pos pos,
    unsigned span, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	yamltree_vfail_pos(ld->err, s, pos, span, fmt, ap);
	va_end(ap);
	return -1;
}

static inline int __attribute__((format(printf, 4, 5)))
fail_node(struct loader *ld, const struct yamltree_src *s,
    const struct yamltree_node *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	yamltree_vfail_marks(ld->err, s, n->start, n->end, fmt, ap);
	va_end(ap);
	return -1;
}

static inline int __attribute__((format(printf, 4, 5)))
fail_mark(struct loader *ld, const struct yamltree_src *s, yaml_mark_t mark,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	yamltree_vfail_marks(ld->err, s, mark, mark, fmt, ap);
	va_end(ap);
	return -1;
}

/* Mappings, params and fields of a query file (query.c). */
int	query_map_keys(struct loader *ld, const struct yamltree_src *s,
	    const struct yamltree_node *map, const char *what,
	    const char *const *keys, struct keyval *kv);
const struct yamltree_node *query_map_get(const struct yamltree_node *map,
	    const char *key);
int	query_string_from(struct loader *ld, const struct yamltree_src *s,
	    const struct yamltree_node *n, const char *wrong, char **out);
int	query_params_from(struct loader *ld, const struct yamltree_src *s,
	    const char *posfile, const struct yamltree_node *n,
	    struct query_param **out, size_t *nout);
int	query_fields_from(struct loader *ld, const struct yamltree_src *s,
	    const char *posfile, const struct yamltree_node *n,
	    struct query_field **out, size_t *nout);
int	query_check_map(struct loader *ld, const struct yamltree_src *s,
	    const struct yamltree_node *map, const char *what);
int	query_check_entries(struct loader *ld, const struct yamltree_src *s,
	    const struct yamltree_node *map, const char *what);
int	query_param_value(struct loader *ld, const struct yamltree_src *s,
	    const struct yamltree_node *n, const char *name, struct value *out);
/* Names: repeats and "did you mean". */
int	query_find_repeat(struct named *v, size_t n, size_t *first,
	    size_t *second);
void	query_add_suggestion(struct buf *b, const char *word,
	    const char *const *names, size_t n);
/* Queries and lists (query.c). */
struct query *query_from_map(struct loader *ld, const struct yamltree_src *s,
	    const struct yamltree_node *map, const char *default_name);
const char *query_intern_file(struct query *q, const char *file);
void	query_list_add(struct query_list *l, struct query *q);
void	query_params_free(struct query_param *p, size_t n);
void	query_fields_free(struct query_field *f, size_t n);
int	query_load_src(struct loader *ld, const struct yamltree_src *s,
	    const char *default_name, struct query_list *out);
/* Reports, use: and set:, and the files they name (report.c). */
void	query_list_move(struct query_list *to, struct query_list *from);
int	query_report_from_map(struct loader *ld, const struct yamltree_src *s,
	    const struct yamltree_node *map, const char *default_name,
	    struct query_list *out);
int	query_load_file(struct loader *ld, const char *path,
	    struct query_list *out, const struct yamltree_src *from,
	    const struct yamltree_node *at);
int	query_fail_unknown(struct loader *ld, const char *name,
	    const struct yamltree_src *from, const struct yamltree_node *at);

#endif
