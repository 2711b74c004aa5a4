/* SPDX-License-Identifier: MIT */
/* yamltree_test.c - YAML text -> nodes, and libyaml's marks -> our
 * positions
 *
 * Every line and column below was counted by hand from the text beside
 * it: lines from 1, columns in bytes from 1. */
#include "config.h"

#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

/* Whether A and B are the same tree: kinds, texts, styles, items, and
 * where each scalar starts (line and column: the texts are ASCII). */
static int
same_tree(const struct yamltree_node *a, const struct yamltree_node *b)
{
	size_t i;

	if (a->kind != b->kind || a->n != b->n)
		return 0;
	if (a->kind == YAMLTREE_SCALAR && (a->len != b->len ||
	    memcmp(a->text, b->text, a->len) != 0 || a->style != b->style ||
	    a->is_str != b->is_str || a->start.line != b->start.line ||
	    a->start.column != b->start.column))
		return 0;
	for (i = 0; i < a->n; i++)
		if (!same_tree(a->items[i], b->items[i]))
			return 0;
	return 1;
}

/* TEXT read by yamltree_load_simple(): 1 when it reads it (then as
 * libyaml does, which must), 0 when it leaves it to libyaml, -1 when
 * the two differ. */
static int
simple_vs_libyaml(const char *name, const char *text, size_t len)
{
	struct yamltree_src s;
	struct yamltree_node *fast, *slow;
	struct diag e = { 0 };
	int rc;

	yamltree_src_init(&s, name, xstrndup(text, len), len);
	fast = yamltree_load_simple(&s);
	slow = yamltree_load(&s, &e);
	rc = fast == NULL ? 0 : slow != NULL && same_tree(fast, slow) ? 1 :
	    -1;
	yamltree_free(fast);
	yamltree_free(slow);
	diag_release(&e);
	yamltree_src_release(&s);
	return rc;
}

/* TEXT on one line of TAP: C escapes for its controls and bytes past
 * ASCII. */
static const char *
shown(const char *text)
{
	static char out[256];
	size_t i, n = 0;

	for (i = 0; text[i] != '\0' && n + 5 < sizeof(out); i++) {
		unsigned char c = (unsigned char)text[i];

		if (c == '\n')
			n += (size_t)snprintf(out + n, sizeof(out) - n, "\\n");
		else if (c < ' ' || c > '~')
			n += (size_t)snprintf(out + n, sizeof(out) - n,
			    "\\x%02x", c);
		else
			out[n++] = (char)c;
	}
	out[n] = '\0';
	return out;
}

static void
test_simple_snippets(void)
{
	/* Read without libyaml, to the same tree. */
	static const char *const same[] = {
		"a: b\n", "a: b", "a: b # c\n", "a: x#y\n", "a : b\n",
		"a: b  \n", "a: latency:s,duration:s\n", "\"10\": trace\n",
		"'x y': z\n", "a: 'it is'  # c\n", "a: \"@timestamp\"\n",
		"a: [x, \"y\", 'z']\n", "a: [ x , y ]\n", "a: []\n",
		"a: {k: v, \"q\": 'w'}\n", "a: {}\n", "a: ~\nb: null\nc: 10\n",
		"a:\n  b: c\n  d:\n    e: f\ng: h\n",
		"# c\n\na: 1\n      # deeper comment\nb: 2\n",
		"a: (x) ; y [z], {w}\n", "a: 'x\"y'\nb: \"x'y\"\n",
		"a:   # the block below\n  b: c\n",
		"a: https://example.com/x.html#frag (\"Core\")\n",
	};
	/* Left to libyaml: another construct, or not YAML at all. */
	static const char *const left[] = {
		"a: b: c\n", "a: b:\n", "a:\n  - x\n", "a:\n- x\n",
		"a: 'it''s'\n", "a: \"x\\ty\"\n", "a: x\n  y\n", "a:\n",
		"a:\nb: c\n", "---\na: 1\n", "a: 1\n...\n", "a: [x,\n  y]\n",
		"a: -1\n", "a: &x 1\n", "a: *x\n", "a: !!str 1\n",
		"a:\tb\n", "  a: 1\n", "a: |\n  x\n", "a: >\n  x\n",
		"a: [x, ]\n", "a: [x, [y]]\n", "a: {k: [v]}\n", "a: [k:v]\n",
		"a: \"x\"y\n", "a: \"x\"#c\n", "a: 1\n b: 2\n", "a:\n    b: 1\n  c: 2\n",
		"a: b\r\n", "a: caf\xc3\xa9\n", "? a\n: b\n", "%YAML 1.2\n---\na: 1\n",
		"a: 1\na\n", "", "# only a comment\n", "[a, b]\n", "a\n",
		"a: @x\n", "a: `x`\n", "a: \"unterminated\n",
		/* controls and DEL inside a word of 8 */
		"abcdefgh: x\x7fyz1234\n", "abcdefgh: xy\x01z1234\n",
		"key_long_enough: va\x1blue and more\n",
		"# a comment with a \x7f in it\nabc: d\n",
	};
	size_t i;

	for (i = 0; i < sizeof(same) / sizeof(same[0]); i++)
		ok(simple_vs_libyaml("t.yaml", same[i], strlen(same[i])) == 1,
		    "read without libyaml as libyaml reads it: %s",
		    shown(same[i]));
	for (i = 0; i < sizeof(left) / sizeof(left[0]); i++)
		ok(simple_vs_libyaml("t.yaml", left[i], strlen(left[i])) == 0,
		    "left to libyaml: %s", shown(left[i]));
}

static size_t files_read, files_left, profiles_left;
static int files_differ;

static int
one_file(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	size_t n = strlen(path);
	char *text;
	size_t len;
	int rc;

	(void)st;
	(void)ftw;
	if (type != FTW_F || n < 5 || strcmp(path + n - 5, ".yaml") != 0 ||
	    query_read_file(path, &text, &len) != 0)
		return 0;
	rc = simple_vs_libyaml(path, text, len);
	free(text);
	if (rc < 0) {
		printf("# %s: read otherwise than libyaml reads it\n", path);
		files_differ++;
	} else if (rc == 0) {
		files_left++;
		if (strstr(path, "/profiles/") != NULL && strstr(path,
		    "/tests/") == NULL) {
			printf("# %s: a shipped profile left to libyaml\n",
			    path);
			profiles_left++;
		}
	} else
		files_read++;
	return 0;
}

/* Every YAML file of the source tree: the shipped profiles and queries,
 * the examples, the tests' own (good and bad). */
static void
test_simple_files(void)
{
	const char *tests = getenv("LOGQ_TESTS");
	char *top;

	if (tests == NULL) {
		ok(1, "# SKIP LOGQ_TESTS not set");
		return;
	}
	top = xasprintf("%s/..", tests);
	ok(nftw(top, one_file, 16, FTW_PHYS) == 0, "walked %s", top);
	ok(files_differ == 0, "the %zu YAML files read without libyaml "
	    "read as libyaml reads them (%zu left to it)", files_read,
	    files_left);
	ok(profiles_left == 0 && files_read >= 22, "every shipped profile "
	    "is read without libyaml");
	free(top);
}

int
main(void)
{
	test_scalar_value();
	test_tree();
	test_errors();
	test_src_lines();
	test_simple_snippets();
	test_simple_files();
	yamltree_src_release(&src);
	diag_release(&err);
	return done_testing();
}
