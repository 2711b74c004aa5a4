/* SPDX-License-Identifier: MIT */
/* yamltree.c - YAML text (libyaml events) -> a node tree with positions */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "diag.h"
#include "util.h"
#include "value.h"
#include "yamltree.h"

static void
src_add_line(struct yamltree_src *s, size_t start, size_t end)
{
	size_t alloc = s->alines;

	XGROW(s->starts, s->nlines + 1, s->alines);
	if (s->alines != alloc)
		s->ends = xrealloc(s->ends, s->alines * sizeof(*s->ends));
	s->starts[s->nlines] = start;
	s->ends[s->nlines] = end;
	s->nlines++;
}

/* Whether the N bytes at P are all ASCII without a CR: lines of such
 * text break at LF only. */
static int
lf_only(const unsigned char *p, size_t n)
{
	uint64_t w, high = 0;
	size_t i = 0;

	if (memchr(p, '\r', n) != NULL)
		return 0;
	for (; i + 8 <= n; i += 8) {
		memcpy(&w, p + i, 8);
		high |= w;
	}
	for (; i < n; i++)
		high |= p[i];
	return (high & UINT64_C(0x8080808080808080)) == 0;
}

/* Takes BUF. Lines break where libyaml breaks them: CR, LF, CRLF, and
 * NEL, LS and PS, so that its line numbers index our table. A line of
 * ASCII without CR (most) is found by its LF alone. */
void
yamltree_src_init(struct yamltree_src *s, const char *file, char *buf,
    size_t len)
{
	const unsigned char *t, *nl;
	size_t i = 0, start = 0, brk, end;

	memset(s, 0, sizeof(*s));
	s->file = xstrdup(file);
	s->buf = buf;
	s->text = buf;
	s->len = len;
	/* libyaml does not count the mark in its columns; neither do we. */
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
		s->text += 3;
		s->len -= 3;
	}
	t = (const unsigned char *)s->text;
	while (i < s->len) {
		nl = memchr(t + i, '\n', s->len - i);
		end = nl != NULL ? (size_t)(nl - t) : s->len;
		if (lf_only(t + i, end - i)) {
			if (nl == NULL)
				break;
			src_add_line(s, start, end);
			i = end + 1;
			start = i;
			continue;
		}
		/* Up to and with the LF, byte by byte. */
		end = nl != NULL ? end + 1 : s->len;
		while (i < end) {
			brk = 0;
			if (t[i] == '\n')
				brk = 1;
			else if (t[i] == '\r')
				brk = (i + 1 < s->len && t[i + 1] == '\n') ? 2 : 1;
			else if (t[i] == 0xc2 && i + 1 < s->len &&
			    t[i + 1] == 0x85)
				brk = 2;
			else if (t[i] == 0xe2 && i + 2 < s->len &&
			    t[i + 1] == 0x80 &&
			    (t[i + 2] == 0xa8 || t[i + 2] == 0xa9))
				brk = 3;
			if (brk == 0) {
				i++;
				continue;
			}
			src_add_line(s, start, i);
			i += brk;
			start = i;
		}
	}
	src_add_line(s, start, s->len);
}

void
yamltree_src_release(struct yamltree_src *s)
{
	free(s->file);
	free(s->buf);
	free(s->starts);
	free(s->ends);
	memset(s, 0, sizeof(*s));
}

/* Byte offset of MARK in the text: libyaml counts characters. */
size_t
yamltree_offset(const struct yamltree_src *s, yaml_mark_t mark)
{
	size_t line, i, col;

	/* libyaml puts the end of the text at the start of a line after
	 * the last one: that is the end of the last line for us. */
	if (mark.line >= s->nlines)
		return s->ends[s->nlines - 1];
	line = mark.line;
	i = s->starts[line];
	for (col = 0; col < mark.column && i < s->ends[line]; col++) {
		i++;
		while (i < s->ends[line] &&
		    ((unsigned char)s->text[i] & 0xc0) == 0x80)
			i++;
	}
	return i;
}

/* The one place libyaml's marks become our positions. */
struct diag_pos
yamltree_pos(const struct yamltree_src *s, yaml_mark_t mark)
{
	size_t line = mark.line < s->nlines ? mark.line : s->nlines - 1;

	/* libyaml counts lines and characters from zero; everything we
	 * print counts lines and bytes from one. */
	return (struct diag_pos){ s->file, (unsigned)line + 1,
	    (unsigned)(yamltree_offset(s, mark) - s->starts[line]) + 1 };
}

/* Position of byte OFFSET (libyaml's reader errors give offsets). */
static struct diag_pos
pos_from_offset(const struct yamltree_src *s, size_t offset)
{
	size_t lo = 0, hi = s->nlines - 1, mid;

	if (offset > s->len)
		offset = s->len;
	while (lo < hi) {
		mid = lo + (hi - lo + 1) / 2;
		if (s->starts[mid] <= offset)
			lo = mid;
		else
			hi = mid - 1;
	}
	return (struct diag_pos){ s->file, (unsigned)lo + 1,
	    (unsigned)(offset - s->starts[lo]) + 1 };
}

/* Plain scalars' types. */

static int
is_int_text(const char *t)
{
	if (*t == '-' || *t == '+')
		t++;
	return *t != '\0' && strspn(t, "0123456789") == strlen(t);
}

/* YAML 1.2 core schema floats: [-+]?(.d+|d+(.d*)?)([eE][-+]?d+)? */
static int
is_real_text(const char *t)
{
	size_t ni, nf = 0;

	if (*t == '-' || *t == '+')
		t++;
	ni = strspn(t, "0123456789");
	t += ni;
	if (*t == '.') {
		t++;
		nf = strspn(t, "0123456789");
		t += nf;
	}
	if (ni == 0 && nf == 0)
		return 0;
	if (*t == 'e' || *t == 'E') {
		t++;
		if (*t == '-' || *t == '+')
			t++;
		if (strspn(t, "0123456789") == 0)
			return 0;
		t += strspn(t, "0123456789");
	}
	return *t == '\0';
}

static int
is_one_of(const char *t, const char *a, const char *b, const char *c)
{
	return strcmp(t, a) == 0 || strcmp(t, b) == 0 || strcmp(t, c) == 0;
}

int
yamltree_scalar_is_null(const char *text, size_t len)
{
	return memchr(text, '\0', len) == NULL && (len == 0 ||
	    is_one_of(text, "~", "null", "Null") || strcmp(text, "NULL") == 0);
}

struct value
yamltree_scalar_value(const char *text, size_t len)
{
	const char *t = text, *u;
	long long i;

	/* Text with a NUL in it is no number, nor null. */
	if (memchr(t, '\0', len) != NULL)
		return value_str(xstrndup(t, len), len);
	if (yamltree_scalar_is_null(t, len))
		return value_null();
	if (is_one_of(t, "true", "True", "TRUE"))
		return value_bool(1);
	if (is_one_of(t, "false", "False", "FALSE"))
		return value_bool(0);
	if (is_int_text(t)) {
		errno = 0;
		i = strtoll(t, NULL, 10);
		if (errno != ERANGE)
			return value_int(i);
		return value_real(strtod(t, NULL));
	}
	if ((t[0] == '0' && (t[1] == 'x' || t[1] == 'o')) &&
	    t[2] != '\0' && strspn(t + 2, t[1] == 'x' ?
	    "0123456789abcdefABCDEF" : "01234567") == strlen(t + 2)) {
		errno = 0;
		i = strtoll(t + 2, NULL, t[1] == 'x' ? 16 : 8);
		if (errno != ERANGE)
			return value_int(i);
	}
	if (is_real_text(t))
		return value_real(strtod(t, NULL));
	u = (*t == '-' || *t == '+') ? t + 1 : t;
	if (is_one_of(u, ".inf", ".Inf", ".INF"))
		return value_real(*t == '-' ? -INFINITY : INFINITY);
	if (is_one_of(t, ".nan", ".NaN", ".NAN"))
		return value_real(NAN);
	return value_str(xstrndup(t, len), len);
}

/* Errors. */

int
yamltree_vfail_pos(struct diag *err, const struct yamltree_src *s,
    struct diag_pos pos, unsigned span, const char *fmt, va_list ap)
{
	char *msg = xvasprintf(fmt, ap);
	size_t line;

	diag_set_at(err, LOGQ_EXIT_USAGE, pos, "%s", msg);
	free(msg);
	if (s != NULL && pos.line > 0 && pos.line <= s->nlines) {
		line = pos.line - 1;
		diag_source(err, s->text + s->starts[line],
		    s->ends[line] - s->starts[line], pos.col, span);
	}
	return -1;
}

static int __attribute__((format(printf, 5, 6)))
fail_pos(struct diag *err, const struct yamltree_src *s,
    struct diag_pos pos, unsigned span, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	yamltree_vfail_pos(err, s, pos, span, fmt, ap);
	va_end(ap);
	return -1;
}

/* Fails at START, underlining up to END when both are on one line. */
int
yamltree_vfail_marks(struct diag *err, const struct yamltree_src *s,
    yaml_mark_t start, yaml_mark_t end, const char *fmt, va_list ap)
{
	size_t a = yamltree_offset(s, start), b = yamltree_offset(s, end);
	unsigned span = 1;

	if (start.line == end.line && b > a)
		span = (unsigned)(b - a);
	return yamltree_vfail_pos(err, s, yamltree_pos(s, start), span, fmt,
	    ap);
}

static int __attribute__((format(printf, 4, 5)))
fail_mark(struct diag *err, const struct yamltree_src *s, yaml_mark_t mark,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	yamltree_vfail_marks(err, s, mark, mark, fmt, ap);
	va_end(ap);
	return -1;
}

/* libyaml's problem and context, at its mark: "PROBLEM CONTEXT". */
static int
fail_yaml(struct diag *err, const struct yamltree_src *s,
    const yaml_parser_t *p)
{
	struct buf msg = BUF_INIT;
	struct diag_pos pos;

	if (p->error == YAML_MEMORY_ERROR) {
		fprintf(stderr, "%s: out of memory\n", logq_progname);
		exit(LOGQ_EXIT_USAGE);
	}
	/* The two mistakes everyone makes get words of their own. */
	if (p->error == YAML_SCANNER_ERROR &&
	    p->problem_mark.index < s->len &&
	    s->text[p->problem_mark.index] == '\t') {
		pos = yamltree_pos(s, p->problem_mark);
		fail_pos(err, s, pos, 1, "YAML does not allow tabs for "
		    "indentation; use spaces");
		return -1;
	}
	buf_adds(&msg, p->problem ? p->problem : "invalid YAML");
	if (p->error == YAML_READER_ERROR) {
		if (p->problem_value != -1)
			buf_printf(&msg, " (0x%02X)",
			    (unsigned)p->problem_value);
		pos = pos_from_offset(s, p->problem_offset);
	} else {
		if (p->context != NULL) {
			buf_printf(&msg, " %s", p->context);
			if (p->context_mark.line != p->problem_mark.line)
				buf_printf(&msg, " started at line %lu",
				    (unsigned long)p->context_mark.line + 1);
		}
		pos = yamltree_pos(s, p->problem_mark);
		/* {group_by: {minute: bucket(time, "1m")}}: the comma of
		 * a call ends the flow mapping's value. */
		if (p->context != NULL && (strstr(p->context, "flow mapping")
		    != NULL || strstr(p->context, "flow sequence") != NULL))
			buf_adds(&msg, "; inside { } or [ ] a comma ends a "
			    "value: quote an expression that holds one, e.g. "
			    "{minute: 'bucket(time, \"1m\")'}");
	}
	fail_pos(err, s, pos, 1, "%s", buf_str(&msg));
	buf_release(&msg);
	return -1;
}

/* YAML tree. */

static struct yamltree_node *
node_new(enum yamltree_kind kind, yaml_mark_t start, yaml_mark_t end)
{
	struct yamltree_node *n = xcalloc(1, sizeof(*n));

	n->kind = kind;
	n->start = start;
	n->end = end;
	return n;
}

/* A scalar of TEXT (LEN bytes): its text is allocated with the node,
 * one block a scalar. */
static struct yamltree_node *
scalar_new(yaml_mark_t start, yaml_mark_t end, const char *text, size_t len,
    yaml_scalar_style_t style)
{
	struct yamltree_node *n = xcalloc(1, sizeof(*n) + len + 1);

	n->kind = YAMLTREE_SCALAR;
	n->start = start;
	n->end = end;
	n->text = (char *)(n + 1);
	memcpy(n->text, text, len);
	n->len = len;
	n->style = style;
	return n;
}

/* Recursion is bounded by YAMLTREE_MAX_DEPTH. */
void
yamltree_free(struct yamltree_node *n)
{
	size_t i;

	if (n == NULL)
		return;
	for (i = 0; i < n->n; i++)
		yamltree_free(n->items[i]);
	free(n->items);
	free(n);	/* and a scalar's text */
}

static void
node_add(struct yamltree_node *parent, struct yamltree_node *n)
{
	XGROW(parent->items, parent->n + 1, parent->alloc);
	parent->items[parent->n++] = n;
}

const char *
yamltree_kind_name(const struct yamltree_node *n)
{
	switch (n->kind) {
	case YAMLTREE_SEQ:
		return "a list";
	case YAMLTREE_MAP:
		return "a mapping";
	default:
		return "a scalar";
	}
}

/* Anchors and aliases would let a small file expand into a huge tree
 * (and nobody needs them in a query), so both are refused; of tags only
 * the core schema's are understood. */
static int
check_props(struct diag *err, const struct yamltree_src *s,
    const yaml_event_t *ev, const yaml_char_t *anchor, const yaml_char_t *tag,
    int *is_str)
{
	const char *t = (const char *)tag;

	if (anchor != NULL)
		return fail_mark(err, s, ev->start_mark,
		    "anchors (&%s) are not supported in query files",
		    (const char *)anchor);
	if (t == NULL)
		return 0;
	if (strcmp(t, YAML_STR_TAG) == 0 || strcmp(t, "!") == 0) {
		*is_str = 1;
		return 0;
	}
	if (strcmp(t, YAML_INT_TAG) == 0 || strcmp(t, YAML_FLOAT_TAG) == 0 ||
	    strcmp(t, YAML_BOOL_TAG) == 0 || strcmp(t, YAML_NULL_TAG) == 0 ||
	    strcmp(t, YAML_SEQ_TAG) == 0 || strcmp(t, YAML_MAP_TAG) == 0)
		return 0;
	return fail_mark(err, s, ev->start_mark,
	    "tags (%s) are not supported in query files", t);
}

/*
 * Reads S into a tree through libyaml's event API, which leaves the
 * nesting to us: no recursion in libyaml's composer, and a depth limit
 * checked before anything deep is built (yamltree.h).
 */
struct yamltree_node *
yamltree_load(const struct yamltree_src *s, struct diag *err)
{
	yaml_parser_t p;
	yaml_event_t ev;
	struct yamltree_node *open[YAMLTREE_MAX_DEPTH], *root = NULL, *n;
	size_t depth = 0;
	int docs = 0, done = 0, failed = 0, is_str;

	if (!yaml_parser_initialize(&p)) {
		diag_set(err, LOGQ_EXIT_USAGE, "cannot initialise libyaml");
		return NULL;
	}
	/* UTF-8 only: our columns count bytes of the file as it is. */
	yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);
	yaml_parser_set_input_string(&p, (const unsigned char *)s->text,
	    s->len);
	while (!done && !failed) {
		if (!yaml_parser_parse(&p, &ev)) {
			failed = fail_yaml(err, s, &p);
			break;
		}
		n = NULL;
		is_str = 0;
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (docs++ > 0)
				failed = fail_mark(err, s, ev.start_mark,
				    "a query file holds one YAML document; "
				    "this is a second one");
			break;
		case YAML_ALIAS_EVENT:
			failed = fail_mark(err, s, ev.start_mark,
			    "aliases (*%s) are not supported in query files",
			    (const char *)ev.data.alias.anchor);
			break;
		case YAML_SCALAR_EVENT:
			if (check_props(err, s, &ev, ev.data.scalar.anchor,
			    ev.data.scalar.tag, &is_str) == -1) {
				failed = -1;
				break;
			}
			if (memchr(ev.data.scalar.value, '\0',
			    ev.data.scalar.length) != NULL) {
				failed = fail_mark(err, s, ev.start_mark,
				    "NUL bytes are not allowed in query files");
				break;
			}
			n = scalar_new(ev.start_mark, ev.end_mark,
			    (const char *)ev.data.scalar.value,
			    ev.data.scalar.length, ev.data.scalar.style);
			n->is_str = is_str ||
			    n->style != YAML_PLAIN_SCALAR_STYLE;
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (ev.type == YAML_SEQUENCE_START_EVENT ?
			    check_props(err, s, &ev,
			    ev.data.sequence_start.anchor,
			    ev.data.sequence_start.tag, &is_str) == -1 :
			    check_props(err, s, &ev,
			    ev.data.mapping_start.anchor,
			    ev.data.mapping_start.tag, &is_str) == -1) {
				failed = -1;
				break;
			}
			if (depth == YAMLTREE_MAX_DEPTH) {
				failed = fail_mark(err, s, ev.start_mark,
				    "YAML nested deeper than %d levels",
				    YAMLTREE_MAX_DEPTH);
				break;
			}
			n = node_new(ev.type == YAML_SEQUENCE_START_EVENT ?
			    YAMLTREE_SEQ : YAMLTREE_MAP, ev.start_mark,
			    ev.end_mark);
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			open[--depth]->end = ev.end_mark;
			break;
		default:
			break;
		}
		if (n != NULL) {
			if (depth > 0)
				node_add(open[depth - 1], n);
			else
				root = n;
			if (n->kind != YAMLTREE_SCALAR)
				open[depth++] = n;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	if (failed) {
		yamltree_free(root);
		return NULL;
	}
	if (root == NULL)
		fail_pos(err, s, (struct diag_pos){ s->file, 1, 1 }, 1,
		    "empty query file: a query is a mapping with 'where', "
		    "'select' or 'aggregate'");
	return root;
}
