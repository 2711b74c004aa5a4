/* SPDX-License-Identifier: MIT */
/* yamltree.h - YAML text (libyaml events) -> a node tree with positions */
#ifndef LOGQ_YAMLTREE_H
#define LOGQ_YAMLTREE_H

#include <stdarg.h>
#include <stddef.h>

#include <yaml.h>

#include "diag.h"
#include "value.h"

/* Deeper YAML is refused, so nothing that walks a tree recurses without
 * bound; a real query file nests five levels at most. */
#define YAMLTREE_MAX_DEPTH	64

enum yamltree_kind { YAMLTREE_SCALAR, YAMLTREE_SEQ, YAMLTREE_MAP };

/* A YAML node as libyaml's events gave it, with its marks. */
struct yamltree_node {
	enum yamltree_kind	 kind;
	yaml_mark_t		 start, end;
	char			*text;		/* scalars, NUL-terminated */
	size_t			 len;
	yaml_scalar_style_t	 style;
	int			 is_str;	/* quoted, block or !!str */
	struct yamltree_node	**items;	/* maps: key, value, ... */
	size_t			 n, alloc;
};

/* A file's text and its line table, for positions and carets. */
struct yamltree_src {
	char		*file;		/* as named in messages */
	char		*buf;		/* the whole file */
	const char	*text;		/* buf after a byte order mark */
	size_t		 len;
	size_t		*starts, *ends;	/* line i is text[starts[i], ends[i]) */
	size_t		 nlines, alines;
};

/* Takes BUF (malloc'ed, LEN bytes) and copies FILE. Lines break where
 * libyaml breaks them (CR, LF, CRLF, NEL, LS, PS), so that its line
 * numbers index the table. */
void	yamltree_src_init(struct yamltree_src *s, const char *file, char *buf,
	    size_t len);
void	yamltree_src_release(struct yamltree_src *s);

/* Byte offset in S's text of MARK (libyaml counts characters). */
size_t	yamltree_offset(const struct yamltree_src *s, yaml_mark_t mark);
/* The one place libyaml's marks become our positions: 1-based line and
 * byte column, naming S's file (borrowed). */
struct diag_pos yamltree_pos(const struct yamltree_src *s, yaml_mark_t mark);

/*
 * Reads S into a tree through libyaml's event API, which leaves the
 * nesting to us: no recursion in libyaml's composer, and
 * YAMLTREE_MAX_DEPTH checked before anything deep is built. Anchors,
 * aliases, tags other than the core schema's, NUL bytes, a second
 * document and an empty text are refused. The tree is owned (free with
 * yamltree_free); NULL with *ERR (exit 2, FILE:LINE:COL, the line and a
 * caret) on error.
 */
struct yamltree_node *yamltree_load(const struct yamltree_src *s,
	    struct diag *err);
void	yamltree_free(struct yamltree_node *n);

/* "a scalar", "a list" or "a mapping", for messages. */
const char *yamltree_kind_name(const struct yamltree_node *n);

/*
 * The value of a plain scalar's TEXT (LEN bytes, then a NUL), typed as
 * YAML 1.2's
 * core schema types it: null ("", ~, null, Null, NULL), booleans
 * (true/false in three cases, not YAML 1.1's yes/no), integers
 * (decimal, 0x, 0o; beyond 64 bits a real), reals, [-+].inf and .nan;
 * anything else a string. The one typer of parameter text: params: and
 * set: scalars and --set values alike (SPEC 3.6). Strings are malloc'ed
 * (value_heap_release frees them).
 */
struct value yamltree_scalar_value(const char *text, size_t len);
/* Whether yamltree_scalar_value() of TEXT is null, without typing it. */
int	yamltree_scalar_is_null(const char *text, size_t len);

/*
 * Fill *ERR (exit 2) with FMT at POS, attaching POS's line of S (which
 * may be NULL) for a caret SPAN bytes wide; they return -1. The marks
 * form underlines from START to END when both are on one line.
 */
int	yamltree_vfail_pos(struct diag *err, const struct yamltree_src *s,
	    struct diag_pos pos, unsigned span, const char *fmt, va_list ap)
	    __attribute__((format(printf, 5, 0)));
int	yamltree_vfail_marks(struct diag *err, const struct yamltree_src *s,
	    yaml_mark_t start, yaml_mark_t end, const char *fmt, va_list ap)
	    __attribute__((format(printf, 5, 0)));

#endif
