/* SPDX-License-Identifier: MIT */
/* yamltree_test.c - YAML text -> nodes, and libyaml's marks -> our
 * positions
 *
 * Every line and column below was counted by hand from the text beside
 * it: lines from 1, columns in bytes from 1. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "query.h"
#include "util.h"
#include "yamltree.h"
#include "tap.h"

static struct yamltree_src src;
static struct diag err;

static struct yamltree_node *
load(const char *text)
{
	yamltree_src_release(&src);
	diag_release(&err);
	yamltree_src_init(&src, "t.yaml", xstrdup(text), strlen(text));
	return yamltree_load(&src, &err);
}

static void
check_pos(const struct yamltree_node *n, unsigned line, unsigned col,
    const char *what)
{
	struct diag_pos pos = yamltree_pos(&src, n->start);

	ok(pos.line == line && pos.col == col && strcmp(pos.file, "t.yaml")
	    == 0, "%s: %u:%u (got %u:%u)", what, line, col, pos.line, pos.col);
}

static void
check_error(const char *text, unsigned line, unsigned col, const char *msg)
{
	struct yamltree_node *n = load(text);

	ok(n == NULL && err.msg != NULL && strstr(err.msg, msg) != NULL &&
	    err.line == line && err.col == col &&
	    err.status == LOGQ_EXIT_USAGE, "'%s' at %u:%u (got '%s' at %u:%u)",
	    msg, line, col, err.msg ? err.msg : "", err.line, err.col);
	yamltree_free(n);
}

static void
test_tree(void)
{
	struct yamltree_node *n;

	n = load("where: a\nselect: [x, 'y']\n");
	ok(n != NULL && n->kind == YAMLTREE_MAP && n->n == 4,
	    "a mapping of two keys holds key, value, key, value");
	if (n != NULL && n->n == 4) {
		is_str(n->items[0]->text, "where", "a key's text");
		ok(n->items[3]->kind == YAMLTREE_SEQ && n->items[3]->n == 2,
		    "a flow list");
		ok(!n->items[3]->items[0]->is_str &&
		    n->items[3]->items[1]->is_str,
		    "plain scalars are not strings yet, quoted ones are");
		check_pos(n->items[1], 1, 8, "a value");
		check_pos(n->items[3]->items[1], 2, 13, "a quoted item");
		is_str(yamltree_kind_name(n->items[3]), "a list",
		    "kinds have names for messages");
	}
	yamltree_free(n);
	n = load("\xef\xbb\xbfk: v\n");
	if (n != NULL && n->n == 2)
		check_pos(n->items[1], 1, 4, "a byte order mark is no column");
	else
		ok(0, "a file with a byte order mark loads");
	yamltree_free(n);
	n = load("k: \"\xc3\xa9t\xc3\xa9\"\nv: x\r\nw: y\n");
	if (n != NULL && n->n == 6) {
		check_pos(n->items[3], 2, 4, "after a two-byte character");
		check_pos(n->items[5], 3, 4, "after a CRLF");
		is_int(yamltree_offset(&src, n->items[1]->end), 10,
		    "offsets count bytes, marks characters");
	} else
		ok(0, "UTF-8 and CRLF load");
	yamltree_free(n);
}

static void
test_errors(void)
{
	struct buf deep = BUF_INIT;
	int i;

	check_error("", 1, 1, "empty query file");
	check_error("a: &x 1\n", 1, 4, "anchors (&x) are not supported");
	check_error("a: !foo 1\n", 1, 4, "tags (!foo) are not supported");
	check_error("a: 1\n---\nb: 2\n", 2, 1, "holds one YAML document");
	check_error("a: [1\n", 2, 1, "did not find expected");
	for (i = 0; i < YAMLTREE_MAX_DEPTH + 1; i++)
		buf_addc(&deep, '[');
	check_error(buf_str(&deep), 1, YAMLTREE_MAX_DEPTH + 1,
	    "nested deeper than 64 levels");
	buf_release(&deep);
	ok(err.source != NULL && strlen(err.source) ==
	    YAMLTREE_MAX_DEPTH + 1, "the offending line is attached");
}

/* The YAML 1.2.2 core schema (section 10.3.2) by hand. */
static void
test_scalar_value(void)
{
	static const struct {
		const char	*text;
		enum value_kind	 kind;
		double		 number;
	} cases[] = {
		{ "", VALUE_NULL, 0 }, { "~", VALUE_NULL, 0 },
		{ "Null", VALUE_NULL, 0 }, { "NULL", VALUE_NULL, 0 },
		{ "nULL", VALUE_STRING, 0 }, { "TRUE", VALUE_BOOL, 1 },
		{ "False", VALUE_BOOL, 0 }, { "yes", VALUE_STRING, 0 },
		{ "0x10", VALUE_INT, 16 }, { "0o17", VALUE_INT, 15 },
		{ "017", VALUE_INT, 17 }, { "-12", VALUE_INT, -12 },
		{ "+12", VALUE_INT, 12 }, { "1_000", VALUE_STRING, 0 },
		{ "1.5e3", VALUE_REAL, 1500 }, { ".5", VALUE_REAL, 0.5 },
		{ "1.", VALUE_REAL, 1 }, { "1e", VALUE_STRING, 0 },
		{ "99999999999999999999", VALUE_REAL, 1e20 },
		{ "-0x10", VALUE_STRING, 0 }, { "1.5s", VALUE_STRING, 0 },
	};
	struct value v;
	size_t i;
	int same;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		v = yamltree_scalar_value(cases[i].text, strlen(cases[i].text));
		same = v.kind == cases[i].kind;
		if (same && v.kind == VALUE_INT)
			same = (double)v.u.i == cases[i].number;
		else if (same && v.kind == VALUE_REAL)
			same = v.u.r == cases[i].number;
		else if (same && v.kind == VALUE_BOOL)
			same = v.u.b == (int)cases[i].number;
		else if (same && v.kind == VALUE_STRING)
			same = v.u.s.len == strlen(cases[i].text) &&
			    memcmp(v.u.s.ptr, cases[i].text, v.u.s.len) == 0;
		ok(same, "'%s' is a %s", cases[i].text,
		    value_kind_name(cases[i].kind));
		value_heap_release(&v);
	}
	v = yamltree_scalar_value(".inf", 4);
	ok(v.kind == VALUE_REAL && v.u.r > 1e308, ".inf");
	v = yamltree_scalar_value("-.Inf", 5);
	ok(v.kind == VALUE_REAL && v.u.r < -1e308, "-.Inf");
	v = yamltree_scalar_value(".NaN", 4);
	ok(v.kind == VALUE_REAL && v.u.r != v.u.r, ".NaN");
	v = yamltree_scalar_value("1\0", 2);
	ok(v.kind == VALUE_STRING && v.u.s.len == 2, "text with a NUL is a "
	    "string");
	value_heap_release(&v);
}

/* The line table: LF, CR, CRLF, NEL, LS and PS each end a line; lines
 * of ASCII between LFs and lines with the others alike. */
static void
test_src_lines(void)
{
	static const char text[] = "ab\ncd\r\nef\rgh\xc2\x85ij\xe2\x80\xa8"
	    "kl\xe2\x80\xa9mn\nop\n\nq\xc3\xa9\nrs";
	static const size_t starts[] = { 0, 3, 7, 10, 14, 19, 24, 27, 30,
	    31, 35 };
	static const size_t ends[] = { 2, 5, 9, 12, 16, 21, 26, 29, 30, 34,
	    37 };
	struct yamltree_src s;
	size_t i, n = sizeof(starts) / sizeof(starts[0]);
	int same;

	yamltree_src_init(&s, "t.yaml", xstrdup(text), sizeof(text) - 1);
	is_int((long long)s.nlines, (long long)n, "11 lines");
	same = s.nlines == n;
	for (i = 0; same && i < n; i++)
		same = s.starts[i] == starts[i] && s.ends[i] == ends[i];
	ok(same, "each line where it starts and ends");
	yamltree_src_release(&s);
}

int
main(void)
{
	test_scalar_value();
	test_tree();
	test_errors();
	test_src_lines();
	yamltree_src_release(&src);
	diag_release(&err);
	return done_testing();
}
