/* SPDX-License-Identifier: MIT */
/* expr.c - expression text -> tree: lexer, parser and load-time checks */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "aggfn.h"
#include "expr.h"
#include "func.h"
#include "suggest.h"
#include "util.h"

enum tok_kind {
	TOK_END, TOK_ERROR, TOK_IDENT, TOK_NUMBER, TOK_STRING, TOK_PARAM,
	TOK_DOT, TOK_LPAREN, TOK_RPAREN, TOK_LBRACKET, TOK_RBRACKET,
	TOK_COMMA,
	/* keywords */
	TOK_OR, TOK_AND, TOK_NOT, TOK_IN, TOK_TRUE, TOK_FALSE, TOK_NULL,
	/* operators */
	TOK_EQ, TOK_NE, TOK_LT, TOK_LE, TOK_GT, TOK_GE, TOK_MATCH,
	TOK_NOT_MATCH, TOK_PLUS, TOK_MINUS, TOK_STAR, TOK_SLASH, TOK_PERCENT
};

struct token {
	enum tok_kind	 kind;
	size_t		 start, end;	/* text[start, end) */
};

static const struct {
	const char	*word;
	enum tok_kind	 kind;
} keywords[] = {
	{ "or", TOK_OR }, { "and", TOK_AND }, { "not", TOK_NOT },
	{ "in", TOK_IN }, { "true", TOK_TRUE }, { "false", TOK_FALSE },
	{ "null", TOK_NULL },
};

static const char *const stat_names[EXPR_NSTATS] = {
	"lines", "json", "skipped", "repaired", "matched", "stalled"
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Nesting the parser follows by recursion: not, unary minus, and every
 * expression inside parentheses, a list or a call's arguments. Deeper
 * is a load-time error, not a stack overflow (issue 5: a 1 MB
 * expression of nested parentheses). */
#define EXPR_MAX_DEPTH	256

struct parser {
	const char		*text;
	size_t			 len;
	const struct expr_env	*env;
	struct diag		*err;
	int			 failed;	/* err is set; unwind */
	unsigned		 depth;		/* see EXPR_MAX_DEPTH */

	struct token		 tok;		/* the lookahead */
	struct token		 prev;		/* last one consumed */
	size_t			 pos;		/* lexing resumes here */
	struct value		 tok_num;	/* TOK_NUMBER's value */
	struct buf		 tok_str;	/* TOK_STRING, decoded */
	/* Decoded bytes of tok_str before its first escape that changes
	 * bytes: up to there, byte i sits at column start + 1 + i. */
	size_t			 tok_str_exact;

	/* The last string literal made from a token (for regex carets):
	 * no other node can start at the same offset and be a string. */
	size_t			 last_str_offset;
	size_t			 last_str_exact;

	const struct aggfn	*in_agg;	/* arguments being parsed */
	size_t			 local_slot;	/* no env->next_slot */
};

static struct expr *parse_or(struct parser *);

static int
is_ident_start(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int
is_ident_char(int c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9');
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Sets the error (the first one wins: later ones are consequences) with
 * a caret under bytes [AT, AT + SPAN). A multi-line text (a YAML block
 * scalar) shows only the line holding AT, so the caret lines up.
 */
static void __attribute__((format(printf, 4, 5)))
fail(struct parser *p, size_t at, size_t span, const char *fmt, ...)
{
	va_list ap;
	char *msg;
	size_t ls, le;

	if (p->failed)
		return;
	p->failed = 1;
	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	diag_set(p->err, LOGQ_EXIT_USAGE, "%s", msg);
	free(msg);
	if (at > p->len)
		at = p->len;
	for (ls = at; ls > 0 && p->text[ls - 1] != '\n'; ls--)
		;
	for (le = at; le < p->len && p->text[le] != '\n'; le++)
		;
	if (span == 0)
		span = 1;
	if (le > at && at + span > le)
		span = le - at;
	diag_source(p->err, p->text + ls, le - ls, (unsigned)(at - ls + 1),
	    (unsigned)span);
}

/* The token as messages quote it: 'text' (cut when long), or "end of
 * expression". */
static const char *
tok_desc(const struct parser *p, const struct token *t, char *buf,
    size_t size)
{
	size_t n = t->end - t->start;
	const char *dots = "";

	if (t->kind == TOK_END)
		return "end of expression";
	if (n > 24) {
		n = 20;
		/* Do not cut a UTF-8 sequence. */
		while (n > 0 &&
		    ((unsigned char)p->text[t->start + n] & 0xc0) == 0x80)
			n--;
		dots = "...";
	}
	snprintf(buf, size, "'%.*s%s'", (int)n, p->text + t->start, dots);
	return buf;
}

static void
add_utf8(struct buf *out, unsigned long cp)
{
	char b[4];

	if (cp < 0x80) {
		buf_addc(out, (char)cp);
		return;
	}
	if (cp < 0x800) {
		b[0] = (char)(0xc0 | cp >> 6);
		b[1] = (char)(0x80 | (cp & 0x3f));
		buf_add(out, b, 2);
	} else if (cp < 0x10000) {
		b[0] = (char)(0xe0 | cp >> 12);
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f));
		buf_add(out, b, 3);
	} else {
		b[0] = (char)(0xf0 | cp >> 18);
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (char)(0x80 | (cp & 0x3f));
		buf_add(out, b, 4);
	}
}

/* Four hex digits at text[at]: the value, or -1. */
static long
hex4(const struct parser *p, size_t at)
{
	long v = 0;
	size_t i;

	if (at + 4 > p->len)
		return -1;
	for (i = at; i < at + 4; i++) {
		int c = p->text[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

/*
 * Decodes the string literal whose quote is at text[start] into OUT
 * (reset first). Escapes other than \\ \" \' \/ \n \t \r \uXXXX keep
 * their backslash, so '\d+' reaches PCRE2 as written. Returns the offset
 * after the closing quote, or 0 with the error set.
 */
static size_t
scan_string(struct parser *p, size_t start, struct buf *out, size_t *exact)
{
	char quote = p->text[start];
	size_t i = start + 1;
	long cp, lo;

	buf_reset(out);
	*exact = SIZE_MAX;
	while (i < p->len) {
		char c = p->text[i];

		if (c == quote)
			return i + 1;
		if (c != '\\' || i + 1 >= p->len) {
			buf_addc(out, c);
			i++;
			continue;
		}
		c = p->text[i + 1];
		if (c != '\0' && strchr("\\\"'/ntru", c) != NULL &&
		    *exact == SIZE_MAX)
			*exact = out->len;
		switch (c) {
		case '\\': case '"': case '\'': case '/':
			buf_addc(out, c);
			break;
		case 'n':
			buf_addc(out, '\n');
			break;
		case 't':
			buf_addc(out, '\t');
			break;
		case 'r':
			buf_addc(out, '\r');
			break;
		case 'u':
			if ((cp = hex4(p, i + 2)) < 0) {
				fail(p, i, 2, "invalid escape '\\u': expected "
				    "four hex digits");
				return 0;
			}
			if (cp >= 0xdc00 && cp <= 0xdfff) {
				fail(p, i, 6, "unpaired surrogate '%.6s'",
				    p->text + i);
				return 0;
			}
			if (cp >= 0xd800 && cp <= 0xdbff) {
				/* JSON's way to write past U+FFFF: a pair. */
				if (i + 12 > p->len || p->text[i + 6] != '\\' ||
				    p->text[i + 7] != 'u' ||
				    (lo = hex4(p, i + 8)) < 0xdc00 ||
				    lo > 0xdfff) {
					fail(p, i, 6, "unpaired surrogate "
					    "'%.6s'", p->text + i);
					return 0;
				}
				cp = 0x10000 + ((cp - 0xd800) << 10) +
				    (lo - 0xdc00);
				i += 6;
			}
			add_utf8(out, (unsigned long)cp);
			i += 4;
			break;
		default:
			buf_addc(out, '\\');
			buf_addc(out, c);
			break;
		}
		i += 2;
	}
	fail(p, start, 1, "unterminated string");
	return 0;
}

static size_t
scan_number(struct parser *p, size_t start)
{
	size_t i = start, end;
	int is_real = 0;
	char *tmp;
	double d;
	long long ll;

	while (i < p->len && is_digit(p->text[i]))
		i++;
	if (i + 1 < p->len && p->text[i] == '.' && is_digit(p->text[i + 1])) {
		is_real = 1;
		for (i++; i < p->len && is_digit(p->text[i]); i++)
			;
	}
	if (i < p->len && (p->text[i] == 'e' || p->text[i] == 'E')) {
		size_t j = i + 1;

		if (j < p->len && (p->text[j] == '+' || p->text[j] == '-'))
			j++;
		if (j < p->len && is_digit(p->text[j])) {
			is_real = 1;
			for (i = j; i < p->len && is_digit(p->text[i]); i++)
				;
		}
	}
	if (i < p->len && (is_ident_char(p->text[i]) || p->text[i] == '.')) {
		for (end = i; end < p->len && (is_ident_char(p->text[end]) ||
		    p->text[end] == '.'); end++)
			;
		fail(p, start, end - start, "invalid number '%.*s'",
		    (int)(end - start), p->text + start);
		return 0;
	}
	tmp = xstrndup(p->text + start, i - start);
	errno = 0;
	if (!is_real) {
		ll = strtoll(tmp, NULL, 10);
		if (errno == 0) {
			p->tok_num = value_int(ll);
			free(tmp);
			return i;
		}
		/* Beyond 64 bits: keep it as a real, as the input does. */
		errno = 0;
	}
	d = strtod(tmp, NULL);
	free(tmp);
	if (!isfinite(d)) {
		fail(p, start, i - start, "number '%.*s' is out of range",
		    (int)(i - start), p->text + start);
		return 0;
	}
	p->tok_num = value_real(d);
	return i;
}

/* Reads the next token into p->tok. */
static void
lex(struct parser *p)
{
	const char *s = p->text;
	size_t i = p->pos, ws = p->pos;
	struct token *t = &p->tok;
	char c, c2;
	size_t k;

	while (i < p->len && is_space(s[i]))
		i++;
	t->start = i;
	t->end = i + 1;
	if (i >= p->len) {
		/* End of text: carets point just past the last token. */
		t->kind = TOK_END;
		t->start = t->end = ws;
		p->pos = p->len;
		return;
	}
	c = s[i];
	c2 = i + 1 < p->len ? s[i + 1] : '\0';
	if (is_ident_start(c)) {
		t->kind = TOK_IDENT;
		for (t->end = i; t->end < p->len && is_ident_char(s[t->end]);
		    t->end++)
			;
		for (k = 0; k < NELEM(keywords); k++)
			if (strlen(keywords[k].word) == t->end - i &&
			    memcmp(keywords[k].word, s + i, t->end - i) == 0)
				t->kind = keywords[k].kind;
	} else if (is_digit(c) || (c == '.' && is_digit(c2))) {
		t->kind = TOK_NUMBER;
		if ((t->end = scan_number(p, i)) == 0)
			goto error;
	} else if (c == '"' || c == '\'') {
		t->kind = TOK_STRING;
		if ((t->end = scan_string(p, i, &p->tok_str,
		    &p->tok_str_exact)) == 0)
			goto error;
	} else if (c == '$') {
		t->kind = TOK_PARAM;
		if (!is_ident_start(c2)) {
			fail(p, i, 1, "expected a parameter name after '$'");
			goto error;
		}
		for (t->end = i + 1; t->end < p->len &&
		    is_ident_char(s[t->end]); t->end++)
			;
	} else {
		switch (c) {
		case '.': t->kind = TOK_DOT; break;
		case '(': t->kind = TOK_LPAREN; break;
		case ')': t->kind = TOK_RPAREN; break;
		case '[': t->kind = TOK_LBRACKET; break;
		case ']': t->kind = TOK_RBRACKET; break;
		case ',': t->kind = TOK_COMMA; break;
		case '+': t->kind = TOK_PLUS; break;
		case '-': t->kind = TOK_MINUS; break;
		case '*': t->kind = TOK_STAR; break;
		case '/': t->kind = TOK_SLASH; break;
		case '%': t->kind = TOK_PERCENT; break;
		case '<':
			t->kind = c2 == '=' ? TOK_LE : TOK_LT;
			break;
		case '>':
			t->kind = c2 == '=' ? TOK_GE : TOK_GT;
			break;
		case '=':
			if (c2 != '=' && c2 != '~') {
				fail(p, i, 1, "unexpected '='; use '==' to "
				    "compare");
				goto error;
			}
			t->kind = c2 == '=' ? TOK_EQ : TOK_MATCH;
			break;
		case '!':
			if (c2 != '=' && c2 != '~') {
				fail(p, i, 1, "unexpected '!'; use 'not'");
				goto error;
			}
			t->kind = c2 == '=' ? TOK_NE : TOK_NOT_MATCH;
			break;
		case '&':
			fail(p, i, c2 == '&' ? 2 : 1,
			    "unexpected '%s'; use 'and'",
			    c2 == '&' ? "&&" : "&");
			goto error;
		case '|':
			fail(p, i, c2 == '|' ? 2 : 1,
			    "unexpected '%s'; use 'or'",
			    c2 == '|' ? "||" : "|");
			goto error;
		default:
			/* Quote the whole UTF-8 character. */
			for (k = i + 1; k < p->len &&
			    ((unsigned char)s[k] & 0xc0) == 0x80; k++)
				;
			fail(p, i, k - i, "unexpected character '%.*s'",
			    (int)(k - i), s + i);
			goto error;
		}
		if (t->kind == TOK_LE || t->kind == TOK_GE ||
		    t->kind == TOK_EQ || t->kind == TOK_MATCH ||
		    t->kind == TOK_NE || t->kind == TOK_NOT_MATCH)
			t->end = i + 2;
	}
	p->pos = t->end;
	return;
error:
	t->kind = TOK_ERROR;
	t->end = p->len;
	p->pos = p->len;
}

static void
advance(struct parser *p)
{
	p->prev = p->tok;
	lex(p);
}

static struct expr *
node_new(enum expr_op op, size_t offset, size_t span)
{
	struct expr *e = xcalloc(1, sizeof(*e));

	e->op = op;
	e->offset = (unsigned)offset;
	e->span = (unsigned)(span ? span : 1);
	return e;
}

/* Enters a nesting level at token T: 1, or 0 with the error set. */
static int
too_deep(struct parser *p, const struct token *t)
{
	if (++p->depth <= EXPR_MAX_DEPTH)
		return 0;
	p->depth--;
	fail(p, t->start, t->end > t->start ? t->end - t->start : 1,
	    "expression nested deeper than %d levels", EXPR_MAX_DEPTH);
	return 1;
}

static struct expr *
literal_new(struct value v, size_t offset, size_t span)
{
	struct expr *e = node_new(EXPR_LITERAL, offset, span);

	e->u.literal = v;
	return e;
}

void
expr_free(struct expr *e)
{
	size_t i;

	if (e == NULL)
		return;
	expr_free(e->a);
	expr_free(e->b);
	free(e->flat);
	free(e->set);
	switch (e->op) {
	case EXPR_LITERAL:
		value_heap_release(&e->u.literal);
		break;
	case EXPR_FIELD:
		field_path_release(&e->u.field);
		break;
	case EXPR_MATCH:
	case EXPR_NOT_MATCH:
		pcre2_code_free(e->u.regex.code);
		free(e->u.regex.pattern);
		break;
	case EXPR_CALL:
		for (i = 0; i < e->u.call.nargs; i++)
			expr_free(e->u.call.args[i]);
		free(e->u.call.args);
		if (e->u.call.prepared != NULL && e->u.call.fn->release)
			e->u.call.fn->release(e->u.call.prepared);
		break;
	case EXPR_LIST:
		for (i = 0; i < e->u.list.n; i++)
			expr_free(e->u.list.items[i]);
		free(e->u.list.items);
		break;
	case EXPR_AGG:
		expr_free(e->u.agg.arg);
		expr_free(e->u.agg.arg2);
		break;
	default:
		break;
	}
	free(e);
}

static void
fail_unknown_function(struct parser *p, const struct token *name)
{
	const char *s = p->text + name->start, *best;
	size_t len = name->end - name->start, i;
	struct suggest sg;

	suggest_init(&sg, s, len);
	/* Aggregates first, so that ties go to them: this is aggregate:
	 * text. func_suggest's pick is the nearest of the functions. */
	if (p->env->allow_aggregates)
		for (i = 0; aggfn_at(i) != NULL; i++)
			suggest_consider(&sg, aggfn_at(i)->name);
	if ((best = func_suggest(s, len)) != NULL)
		suggest_consider(&sg, best);
	if ((best = suggest_best(&sg)) != NULL)
		fail(p, name->start, len, "unknown function '%.*s' (did you "
		    "mean '%s'?)", (int)len, s, best);
	else
		fail(p, name->start, len, "unknown function '%.*s'",
		    (int)len, s);
}

static void
fail_arity(struct parser *p, const struct token *name, const char *what,
    unsigned min, unsigned max, size_t got)
{
	int len = (int)(name->end - name->start);
	const char *s = p->text + name->start;

	if (min == max && min == 0)
		fail(p, name->start, (size_t)len, "%s '%.*s' takes no "
		    "arguments, got %zu", what, len, s, got);
	else if (min == max)
		fail(p, name->start, (size_t)len, "%s '%.*s' takes %u "
		    "argument%s, got %zu", what, len, s, min,
		    min == 1 ? "" : "s", got);
	else if (max >= 64)
		fail(p, name->start, (size_t)len, "%s '%.*s' takes at "
		    "least %u argument%s, got %zu", what, len, s, min,
		    min == 1 ? "" : "s", got);
	else
		fail(p, name->start, (size_t)len, "%s '%.*s' takes %u to "
		    "%u arguments, got %zu", what, len, s, min, max, got);
}

struct call_args {
	struct expr	**v;
	size_t		 *start, *end;	/* source extent of each */
	size_t		  n, alloc;
};

static void
call_args_release(struct call_args *a)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		expr_free(a->v[i]);
	free(a->v);
	free(a->start);
	free(a->end);
}

/* Parses "( args )" after a function name; the lookahead is '('. */
static int
parse_args(struct parser *p, const struct token *name, struct call_args *a)
{
	char desc[64];

	advance(p);
	if (p->tok.kind == TOK_RPAREN) {
		advance(p);
		return 0;
	}
	for (;;) {
		struct expr *e;
		size_t start = p->tok.start;

		if (p->tok.kind == TOK_END) {
			fail(p, p->tok.start, 1, "expected ')' after "
			    "arguments of '%.*s', found end of expression",
			    (int)(name->end - name->start),
			    p->text + name->start);
			return -1;
		}
		if ((e = parse_or(p)) == NULL)
			return -1;
		if (a->n == a->alloc) {
			a->alloc = a->alloc ? a->alloc * 2 : 4;
			a->v = xrealloc(a->v, a->alloc * sizeof(*a->v));
			a->start = xrealloc(a->start,
			    a->alloc * sizeof(*a->start));
			a->end = xrealloc(a->end, a->alloc * sizeof(*a->end));
		}
		a->v[a->n] = e;
		a->start[a->n] = start;
		a->end[a->n] = p->prev.end;
		a->n++;
		if (p->tok.kind == TOK_COMMA) {
			advance(p);
			continue;
		}
		if (p->tok.kind == TOK_RPAREN) {
			advance(p);
			return 0;
		}
		fail(p, p->tok.start, p->tok.end - p->tok.start,
		    "expected ')' after arguments of '%.*s', found %s",
		    (int)(name->end - name->start), p->text + name->start,
		    tok_desc(p, &p->tok, desc, sizeof(desc)));
		return -1;
	}
}

static struct expr *
make_agg(struct parser *p, const struct token *name,
    const struct aggfn *def, struct call_args *a)
{
	struct expr *e;
	const struct value *q;

	if (a->n < def->min_args || a->n > def->max_args) {
		fail_arity(p, name, "aggregate", def->min_args, def->max_args,
		    a->n);
		return NULL;
	}
	e = node_new(EXPR_AGG, name->start, name->end - name->start);
	e->u.agg.fn = def;
	e->u.agg.q = def->q;
	if (def->has_q_argument) {
		if (a->v[1]->op != EXPR_LITERAL) {
			fail(p, a->start[1], a->end[1] - a->start[1],
			    "argument 2 of 'percentile' must be a constant");
			free(e);
			return NULL;
		}
		q = &a->v[1]->u.literal;
		e->u.agg.q = q->kind == VALUE_INT ? (double)q->u.i :
		    q->kind == VALUE_REAL ? q->u.r : NAN;
		if (!(e->u.agg.q > 0 && e->u.agg.q <= 100)) {
			fail(p, a->start[1], a->end[1] - a->start[1],
			    "argument 2 of 'percentile' must be a number "
			    "above 0 and at most 100");
			free(e);
			return NULL;
		}
		/* Ranks are computed exactly from q in thousandths (p99.9
		 * of 1000 values is rank 999, not a double's 1000); a finer
		 * q would be rounded silently, so it is refused. */
		if (fabs(e->u.agg.q * 1000 - round(e->u.agg.q * 1000)) >
		    1e-6) {
			fail(p, a->start[1], a->end[1] - a->start[1],
			    "argument 2 of 'percentile' has more than 3 "
			    "decimals (percentiles go by thousandths)");
			free(e);
			return NULL;
		}
		expr_free(a->v[1]);
		a->n = 1;
	}
	if (a->n > 0)
		e->u.agg.arg = a->v[0];
	if (a->n > 1)
		e->u.agg.arg2 = a->v[1];
	a->n = 0;
	/* Slots follow the text, so expr_foreach_agg's walk is in slot
	 * order: aggregates do not nest. */
	e->u.agg.slot = p->env->next_slot ? (*p->env->next_slot)++ :
	    p->local_slot++;
	return e;
}

static struct expr *
make_call(struct parser *p, const struct token *name, const struct func *fn,
    struct call_args *a)
{
	struct expr *e;
	struct value *vals;
	struct diag perr = { 0 };
	size_t i, bad = SIZE_MAX;
	void *prepared = NULL;

	if (a->n < fn->min_args || a->n > fn->max_args) {
		fail_arity(p, name, "function", fn->min_args, fn->max_args,
		    a->n);
		return NULL;
	}
	for (i = 0; i < a->n && i < 32; i++) {
		if ((fn->const_args & (1u << i)) &&
		    a->v[i]->op != EXPR_LITERAL) {
			fail(p, a->start[i], a->end[i] - a->start[i],
			    "argument %zu of '%s' must be a constant", i + 1,
			    fn->name);
			return NULL;
		}
	}
	if (fn->prepare != NULL) {
		vals = xcalloc(a->n ? a->n : 1, sizeof(*vals));
		for (i = 0; i < a->n; i++)
			if (a->v[i]->op == EXPR_LITERAL)
				vals[i] = a->v[i]->u.literal;
		prepared = fn->prepare(vals, a->n, &bad, &perr);
		free(vals);
		if (diag_is_set(&perr)) {
			if (prepared != NULL && fn->release != NULL)
				fn->release(prepared);
			if (bad < a->n)
				fail(p, a->start[bad], a->end[bad] -
				    a->start[bad], "%s", perr.msg);
			else
				fail(p, name->start, name->end - name->start,
				    "%s", perr.msg);
			diag_release(&perr);
			return NULL;
		}
	}
	e = node_new(EXPR_CALL, name->start, name->end - name->start);
	e->u.call.fn = fn;
	e->u.call.args = a->v;
	e->u.call.nargs = a->n;
	e->u.call.prepared = prepared;
	a->v = NULL;
	a->n = 0;
	return e;
}

/* NAME ( args ): a scalar function or an aggregate. */
static struct expr *
parse_call(struct parser *p)
{
	struct token name = p->tok;
	const char *s = p->text + name.start;
	size_t len = name.end - name.start;
	const struct aggfn *def = aggfn_find(s, len), *outer = p->in_agg;
	const struct func *fn = NULL;
	struct call_args a = { 0 };
	struct expr *e = NULL;

	if (def != NULL && p->env->allow_aggregates) {
		if (outer != NULL) {
			fail(p, name.start, len, "cannot use aggregate '%s' "
			    "inside '%s'", def->name, outer->name);
			return NULL;
		}
	} else if ((fn = func_lookup(s, len)) == NULL) {
		if (def != NULL)
			fail(p, name.start, len, "aggregate '%s' is only "
			    "allowed in aggregate:", def->name);
		else
			fail_unknown_function(p, &name);
		return NULL;
	} else
		def = NULL;

	advance(p);	/* the name; the lookahead is now '(' */
	if (def != NULL)
		p->in_agg = def;
	if (parse_args(p, &name, &a) == 0)
		e = def ? make_agg(p, &name, def, &a) :
		    make_call(p, &name, fn, &a);
	p->in_agg = outer;
	call_args_release(&a);
	return e;
}

/* Finishes a path parsed by hand: resume lexing at END. */
static void
path_done(struct parser *p, size_t start, size_t end)
{
	p->prev.kind = TOK_IDENT;
	p->prev.start = start;
	p->prev.end = end;
	p->pos = end;
	lex(p);
}

static struct expr *
make_column(struct parser *p, const struct field_path *path, size_t start,
    size_t end)
{
	const struct expr_env *env = p->env;
	struct buf names = BUF_INIT;
	struct expr *e;
	size_t i;

	for (i = 0; path->n == 1 && i < env->ncolumns; i++) {
		if (strlen(env->columns[i]) == path->seg_len[0] &&
		    memcmp(env->columns[i], path->seg[0],
		    path->seg_len[0]) == 0) {
			e = node_new(EXPR_COLUMN, start, end - start);
			e->u.column = i;
			return e;
		}
	}
	for (i = 0; i < env->ncolumns; i++)
		buf_printf(&names, "%s%s", i ? ", " : "", env->columns[i]);
	if (path->n == 1)
		fail(p, start, end - start, "unknown column '%s' (columns: "
		    "%s)", path->seg[0], buf_str(&names));
	else
		fail(p, start, end - start, "unknown column '%.*s' (columns: "
		    "%s)", (int)(end - start), p->text + start,
		    buf_str(&names));
	buf_release(&names);
	return NULL;
}

/*
 * A field path from text[start]: [.]seg(.seg)*, each seg an identifier
 * or a quoted string, with no spaces inside. Scanned by hand because
 * after a dot any identifier is a name, keywords included (`.in`).
 */
static struct expr *
parse_path(struct parser *p, size_t start)
{
	struct field_path path;
	struct buf seg = BUF_INIT;
	size_t i = start, end, exact;
	int quoted = 0;
	const struct fields_alias *alias;
	struct expr *e = NULL;
	char c;

	field_path_init(&path);
	if (p->text[i] == '.')
		i++;
	for (;;) {
		c = i < p->len ? p->text[i] : '\0';
		if (is_ident_start(c)) {
			for (end = i; end < p->len &&
			    is_ident_char(p->text[end]); end++)
				;
			field_path_push(&path, p->text + i, end - i);
		} else if (c == '"' || c == '\'') {
			if ((end = scan_string(p, i, &seg, &exact)) == 0)
				goto out;
			if (seg.len > 0 &&
			    memchr(seg.ptr, '\0', seg.len) != NULL) {
				fail(p, i, end - i, "field names cannot "
				    "contain NUL");
				goto out;
			}
			field_path_push(&path, seg.len ? seg.ptr : "", seg.len);
			quoted = 1;
		} else {
			struct token t = { TOK_ERROR, i, i + 1 };
			char desc[64];

			if (i >= p->len)
				t.kind = TOK_END;
			fail(p, i, 1, "expected a field name after '.', "
			    "found %s", is_space(c) ? "a space" :
			    tok_desc(p, &t, desc, sizeof(desc)));
			goto out;
		}
		i = end;
		if (i >= p->len || p->text[i] != '.')
			break;
		i++;
	}
	if (p->env->columns != NULL && p->in_agg == NULL) {
		if ((e = make_column(p, &path, start, i)) != NULL)
			path_done(p, start, i);
		goto out;
	}
	if (p->env->allow_aggregates && p->in_agg == NULL) {
		fail(p, start, i - start, "'%.*s' must be inside an aggregate "
		    "such as count() or first()", (int)(i - start),
		    p->text + start);
		goto out;
	}
	/* A quoted name is always the plain field: the way around an
	 * alias (`."level"` reads the key "level" only). */
	alias = NULL;
	if (path.n == 1 && !quoted && p->env->fields != NULL)
		alias = fields_find(p->env->fields, path.seg[0],
		    path.seg_len[0]);
	if (alias != NULL) {
		e = node_new(EXPR_ALIAS, start, i - start);
		e->u.alias = alias;
	} else {
		e = node_new(EXPR_FIELD, start, i - start);
		e->u.field = path;
		field_path_init(&path);
	}
	path_done(p, start, i);
out:
	field_path_release(&path);
	buf_release(&seg);
	return e;
}

static struct expr *
parse_param(struct parser *p)
{
	struct token t = p->tok;
	const char *name = p->text + t.start + 1;
	size_t len = t.end - t.start - 1, i;
	const struct expr_env *env = p->env;
	struct value v;
	struct expr *e;

	if (env->allow_stats) {
		for (i = 0; i < EXPR_NSTATS; i++) {
			if (strlen(stat_names[i]) == len &&
			    memcmp(stat_names[i], name, len) == 0) {
				e = node_new(EXPR_STAT, t.start, len + 1);
				e->u.stat = (enum expr_stat)i;
				advance(p);
				return e;
			}
		}
	}
	if (env->param == NULL || !env->param(env->param_ctx, name, len, &v)) {
		fail(p, t.start, len + 1, "unknown parameter '$%.*s'",
		    (int)len, name);
		return NULL;
	}
	advance(p);
	return literal_new(value_heap_copy(&v), t.start, len + 1);
}

static struct expr *
parse_list(struct parser *p)
{
	struct token open = p->tok;
	struct expr **items = NULL, *e;
	struct value *vals;
	size_t n = 0, alloc = 0, i;
	int constant = 1;
	char desc[64];

	advance(p);
	while (n > 0 || p->tok.kind != TOK_RBRACKET) {
		if ((e = parse_or(p)) == NULL)
			goto error;
		XGROW(items, n + 1, alloc);
		items[n++] = e;
		constant = constant && e->op == EXPR_LITERAL;
		if (p->tok.kind == TOK_COMMA) {
			advance(p);
			continue;
		}
		if (p->tok.kind == TOK_RBRACKET)
			break;
		if (p->tok.kind == TOK_END)
			fail(p, p->tok.start, 1, "expected ']' to close the "
			    "list, found end of expression");
		else
			fail(p, p->tok.start, p->tok.end - p->tok.start,
			    "expected ',' or ']' in the list, found %s",
			    tok_desc(p, &p->tok, desc, sizeof(desc)));
		goto error;
	}
	advance(p);
	if (!constant) {
		e = node_new(EXPR_LIST, open.start, p->prev.end - open.start);
		e->u.list.items = items;
		e->u.list.n = n;
		return e;
	}
	/* All constants: one VALUE_LIST, the items' values moved into it. */
	vals = xcalloc(n ? n : 1, sizeof(*vals));
	for (i = 0; i < n; i++) {
		vals[i] = items[i]->u.literal;
		items[i]->u.literal.kind = VALUE_NULL;
		expr_free(items[i]);
	}
	free(items);
	e = node_new(EXPR_LITERAL, open.start, p->prev.end - open.start);
	e->u.literal.kind = VALUE_LIST;
	e->u.literal.u.list.items = vals;
	e->u.literal.u.list.n = n;
	return e;
error:
	for (i = 0; i < n; i++)
		expr_free(items[i]);
	free(items);
	return NULL;
}

static int
is_operator(enum tok_kind k)
{
	if (k == TOK_TRUE || k == TOK_FALSE || k == TOK_NULL)
		return 0;
	return k >= TOK_OR || k == TOK_LPAREN || k == TOK_LBRACKET ||
	    k == TOK_COMMA;
}

static struct expr *
parse_primary(struct parser *p)
{
	struct token t = p->tok;
	struct expr *e;
	size_t i;
	char desc[64], prev[64];

	switch (t.kind) {
	case TOK_NUMBER:
		e = literal_new(p->tok_num, t.start, t.end - t.start);
		advance(p);
		return e;
	case TOK_STRING:
		e = literal_new(value_heap_copy(&(struct value){ .kind =
		    VALUE_STRING, .u.s = { p->tok_str.ptr, p->tok_str.len } }),
		    t.start, t.end - t.start);
		p->last_str_offset = t.start;
		p->last_str_exact = p->tok_str_exact;
		advance(p);
		return e;
	case TOK_TRUE:
	case TOK_FALSE:
		advance(p);
		return literal_new(value_bool(t.kind == TOK_TRUE), t.start,
		    t.end - t.start);
	case TOK_NULL:
		advance(p);
		return literal_new(value_null(), t.start, t.end - t.start);
	case TOK_PARAM:
		return parse_param(p);
	case TOK_LPAREN:
		advance(p);
		if ((e = parse_or(p)) == NULL)
			return NULL;
		if (p->tok.kind != TOK_RPAREN) {
			fail(p, p->tok.start, p->tok.end - p->tok.start,
			    "expected ')' to close '(', found %s",
			    tok_desc(p, &p->tok, desc, sizeof(desc)));
			expr_free(e);
			return NULL;
		}
		advance(p);
		return e;
	case TOK_LBRACKET:
		return parse_list(p);
	case TOK_IDENT:
		for (i = t.end; i < p->len && is_space(p->text[i]); i++)
			;
		if (i < p->len && p->text[i] == '(')
			return parse_call(p);
		return parse_path(p, t.start);
	case TOK_DOT:
		return parse_path(p, t.start);
	case TOK_ERROR:
		return NULL;	/* the lexer said why */
	default:
		break;
	}
	if (p->prev.kind == TOK_END && t.kind == TOK_END)
		fail(p, 0, 1, "empty expression");
	else if (p->prev.kind != TOK_END && is_operator(p->prev.kind)) {
		tok_desc(p, &p->prev, prev, sizeof(prev));
		if (t.kind == TOK_END)
			fail(p, t.start, 1, "expected an expression after %s",
			    prev);
		else
			fail(p, t.start, t.end - t.start, "expected an "
			    "expression after %s, found %s", prev,
			    tok_desc(p, &t, desc, sizeof(desc)));
	} else
		fail(p, t.start, t.end - t.start, "unexpected %s",
		    tok_desc(p, &t, desc, sizeof(desc)));
	return NULL;
}

static struct expr *
parse_unary(struct parser *p)
{
	struct token t = p->tok;
	struct expr *e, *neg;
	struct value *v;

	if (t.kind != TOK_MINUS)
		return parse_primary(p);
	if (too_deep(p, &t))
		return NULL;
	advance(p);
	e = parse_unary(p);
	p->depth--;
	if (e == NULL)
		return NULL;
	/* Fold -<number>, so `round(x, -1)` and [-1, 1] stay constants. */
	v = &e->u.literal;
	if (e->op == EXPR_LITERAL && v->kind == VALUE_REAL) {
		v->u.r = -v->u.r;
		goto folded;
	}
	if (e->op == EXPR_LITERAL && v->kind == VALUE_INT) {
		if (v->u.i == INT64_MIN)
			*v = value_real(-(double)INT64_MIN);
		else
			v->u.i = -v->u.i;
		goto folded;
	}
	neg = node_new(EXPR_NEG, t.start, 1);
	neg->a = e;
	return neg;
folded:
	e->span += e->offset - (unsigned)t.start;
	e->offset = (unsigned)t.start;
	return e;
}

static struct expr *
binary(enum expr_op op, const struct token *t, struct expr *a, struct expr *b)
{
	struct expr *e = node_new(op, t->start, t->end - t->start);

	e->a = a;
	e->b = b;
	return e;
}

static struct expr *
parse_mul(struct parser *p)
{
	struct expr *left, *right;
	struct token t;
	enum expr_op op;

	if ((left = parse_unary(p)) == NULL)
		return NULL;
	for (;;) {
		t = p->tok;
		if (t.kind == TOK_STAR)
			op = EXPR_MUL;
		else if (t.kind == TOK_SLASH)
			op = EXPR_DIV;
		else if (t.kind == TOK_PERCENT)
			op = EXPR_MOD;
		else
			return left;
		advance(p);
		if ((right = parse_unary(p)) == NULL) {
			expr_free(left);
			return NULL;
		}
		left = binary(op, &t, left, right);
	}
}

static struct expr *
parse_add(struct parser *p)
{
	struct expr *left, *right;
	struct token t;
	enum expr_op op;

	if ((left = parse_mul(p)) == NULL)
		return NULL;
	for (;;) {
		t = p->tok;
		if (t.kind == TOK_PLUS)
			op = EXPR_ADD;
		else if (t.kind == TOK_MINUS)
			op = EXPR_SUB;
		else
			return left;
		advance(p);
		if ((right = parse_mul(p)) == NULL) {
			expr_free(left);
			return NULL;
		}
		left = binary(op, &t, left, right);
	}
}

static int
comparison_op(enum tok_kind k, enum expr_op *op)
{
	switch (k) {
	case TOK_EQ:		*op = EXPR_EQ; return 1;
	case TOK_NE:		*op = EXPR_NE; return 1;
	case TOK_LT:		*op = EXPR_LT; return 1;
	case TOK_LE:		*op = EXPR_LE; return 1;
	case TOK_GT:		*op = EXPR_GT; return 1;
	case TOK_GE:		*op = EXPR_GE; return 1;
	case TOK_MATCH:		*op = EXPR_MATCH; return 1;
	case TOK_NOT_MATCH:	*op = EXPR_NOT_MATCH; return 1;
	case TOK_IN:		*op = EXPR_IN; return 1;
	case TOK_NOT:		*op = EXPR_NOT_IN; return 1;
	default:		return 0;
	}
}

/*
 * Compiles the pattern on the right of =~ into E. With PCRE2_UTF a dot
 * is a character, not a byte; PCRE2_MATCH_INVALID_UTF keeps matching
 * safe (and skips the per-match UTF check) whatever bytes a value holds.
 */
static int
compile_regex(struct parser *p, struct expr *e, struct expr *rhs,
    size_t rstart, size_t rend)
{
	const struct value *v = &rhs->u.literal;
	PCRE2_UCHAR msg[256];
	PCRE2_SIZE off;
	pcre2_code *code;
	int rc;

	if (rhs->op != EXPR_LITERAL || v->kind != VALUE_STRING) {
		fail(p, rstart, rend - rstart, "'%s' needs a string literal "
		    "or a string parameter on its right",
		    e->op == EXPR_MATCH ? "=~" : "!~");
		return -1;
	}
	code = pcre2_compile((PCRE2_SPTR)v->u.s.ptr, v->u.s.len,
	    PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &rc, &off, NULL);
	if (code == NULL) {
		pcre2_get_error_message(rc, msg, sizeof(msg));
		if (rhs->offset == p->last_str_offset &&
		    off <= p->last_str_exact)
			fail(p, rhs->offset + 1 + off, 1, "invalid regex: %s "
			    "at offset %zu", (char *)msg, (size_t)off);
		else
			fail(p, rhs->offset, rhs->span, "invalid regex: %s "
			    "at offset %zu", (char *)msg, (size_t)off);
		return -1;
	}
	/* Without JIT (some platforms) PCRE2 interprets: slower, same. */
	(void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
	e->u.regex.code = code;
	e->u.regex.pattern = xstrndup(v->u.s.ptr, v->u.s.len);
	return 0;
}

static struct expr *
parse_comparison(struct parser *p)
{
	struct expr *left, *right, *e;
	struct token t;
	enum expr_op op;
	size_t rstart;
	char desc[64];

	if ((left = parse_add(p)) == NULL)
		return NULL;
	t = p->tok;
	if (!comparison_op(t.kind, &op))
		return left;
	advance(p);
	if (op == EXPR_NOT_IN) {
		if (p->tok.kind != TOK_IN) {
			fail(p, p->tok.start, p->tok.end - p->tok.start,
			    "expected 'in' after 'not', found %s",
			    tok_desc(p, &p->tok, desc, sizeof(desc)));
			expr_free(left);
			return NULL;
		}
		t.end = p->tok.end;
		advance(p);
	}
	rstart = p->tok.start;
	if ((right = parse_add(p)) == NULL) {
		expr_free(left);
		return NULL;
	}
	e = binary(op, &t, left, right);
	if (comparison_op(p->tok.kind, &op)) {
		fail(p, p->tok.start, p->tok.end - p->tok.start,
		    "comparisons do not chain; use 'and'");
		expr_free(e);
		return NULL;
	}
	if (e->op == EXPR_MATCH || e->op == EXPR_NOT_MATCH) {
		if (compile_regex(p, e, right, rstart, p->prev.end) < 0) {
			expr_free(e);
			return NULL;
		}
		e->b = NULL;
		expr_free(right);
	}
	return e;
}

static struct expr *
parse_not(struct parser *p)
{
	struct token t = p->tok;
	struct expr *e, *operand;

	if (t.kind != TOK_NOT)
		return parse_comparison(p);
	if (too_deep(p, &t))
		return NULL;
	advance(p);
	operand = parse_not(p);
	p->depth--;
	if (operand == NULL)
		return NULL;
	e = node_new(EXPR_NOT, t.start, t.end - t.start);
	e->a = operand;
	return e;
}

/*
 * A chain a or b or c ... (likewise and) as a balanced tree: the value
 * and the left-to-right order of short-circuit evaluation are those of
 * the left-leaning tree, but its depth is log2 of the chain's length, so
 * a where of 100,000 alternatives does not recurse 100,000 deep in
 * evaluation and in every pass over the tree.
 */
struct chain {
	struct expr	**operand;
	struct token	 *op;		/* op[i] joins operand[i] and [i+1] */
	size_t		  n, alloc, op_alloc;
};

static struct expr *
chain_build(struct chain *c, enum expr_op op, size_t lo, size_t hi)
{
	size_t mid;

	if (hi - lo == 1)
		return c->operand[lo];
	mid = lo + (hi - lo) / 2;
	return binary(op, &c->op[mid - 1], chain_build(c, op, lo, mid),
	    chain_build(c, op, mid, hi));
}

static struct expr *
parse_chain(struct parser *p, enum tok_kind tok, enum expr_op op,
    struct expr *(*operand)(struct parser *))
{
	struct chain c = { 0 };
	struct expr *e;
	size_t i;

	if ((e = operand(p)) == NULL)
		return NULL;
	XGROW(c.operand, 1, c.alloc);
	c.operand[c.n++] = e;
	while (p->tok.kind == tok) {
		XGROW(c.op, c.n, c.op_alloc);
		c.op[c.n - 1] = p->tok;
		advance(p);
		if ((e = operand(p)) == NULL) {
			for (i = 0; i < c.n; i++)
				expr_free(c.operand[i]);
			free(c.operand);
			free(c.op);
			return NULL;
		}
		XGROW(c.operand, c.n + 1, c.alloc);
		c.operand[c.n++] = e;
	}
	e = chain_build(&c, op, 0, c.n);
	free(c.operand);
	free(c.op);
	return e;
}

static struct expr *
parse_and(struct parser *p)
{
	return parse_chain(p, TOK_AND, EXPR_AND, parse_not);
}

static struct expr *
parse_or(struct parser *p)
{
	struct token t = p->tok;
	struct expr *e;

	/* Every nested expression (parentheses, list items, arguments)
	 * starts here; the caret goes under the bracket that opened it. */
	if (p->depth > 0 && (p->prev.kind == TOK_LPAREN ||
	    p->prev.kind == TOK_LBRACKET))
		t = p->prev;
	if (too_deep(p, &t))
		return NULL;
	e = parse_chain(p, TOK_OR, EXPR_OR, parse_and);
	p->depth--;
	return e;
}

struct expr *
expr_parse(const char *text, size_t len, const struct expr_env *env,
    struct diag *err)
{
	static const struct expr_env no_env;
	struct parser p;
	struct expr *e;
	char desc[64];

	memset(&p, 0, sizeof(p));
	p.text = text ? text : "";
	p.len = len;
	p.env = env ? env : &no_env;
	p.err = err;
	p.prev.kind = TOK_END;	/* nothing consumed yet */
	p.last_str_offset = SIZE_MAX;
	lex(&p);
	e = parse_or(&p);
	if (e != NULL && !p.failed && p.tok.kind != TOK_END) {
		if (p.tok.kind == TOK_RPAREN || p.tok.kind == TOK_RBRACKET ||
		    p.tok.kind == TOK_COMMA)
			fail(&p, p.tok.start, 1, "unexpected %s",
			    tok_desc(&p, &p.tok, desc, sizeof(desc)));
		else
			fail(&p, p.tok.start, p.tok.end - p.tok.start,
			    "expected an operator, found %s",
			    tok_desc(&p, &p.tok, desc, sizeof(desc)));
	}
	buf_release(&p.tok_str);
	if (p.failed) {
		expr_free(e);
		return NULL;
	}
	return e;
}

/* Operands (a, b) belong to operators and arguments, items and an
 * aggregate's arguments to calls, lists and aggregates, never both: the
 * order below is the text's. */
void
expr_walk(struct expr *e, void (*fn)(struct expr *, void *), void *ctx)
{
	size_t i;

	if (e == NULL)
		return;
	expr_walk(e->a, fn, ctx);
	expr_walk(e->b, fn, ctx);
	switch (e->op) {
	case EXPR_CALL:
		for (i = 0; i < e->u.call.nargs; i++)
			expr_walk(e->u.call.args[i], fn, ctx);
		break;
	case EXPR_LIST:
		for (i = 0; i < e->u.list.n; i++)
			expr_walk(e->u.list.items[i], fn, ctx);
		break;
	case EXPR_AGG:
		expr_walk(e->u.agg.arg, fn, ctx);
		expr_walk(e->u.agg.arg2, fn, ctx);
		break;
	default:
		break;
	}
	fn(e, ctx);
}

/* expr_walk() with the nodes of one kind passed on. */
struct walk_filter {
	void		(*agg)(struct expr *, void *);
	void		(*field)(const struct expr *, void *);
	void		*ctx;
};

static void
walk_filter(struct expr *e, void *arg)
{
	const struct walk_filter *w = arg;

	if (w->agg != NULL && e->op == EXPR_AGG)
		w->agg(e, w->ctx);
	if (w->field != NULL && (e->op == EXPR_FIELD || e->op == EXPR_ALIAS))
		w->field(e, w->ctx);
}

/* Aggregates do not nest (the parser refuses it) and the walk is in
 * text order, so they come in slot order. */
void
expr_foreach_agg(struct expr *e, void (*fn)(struct expr *, void *),
    void *ctx)
{
	struct walk_filter w = { fn, NULL, ctx };

	expr_walk(e, walk_filter, &w);
}

void
expr_foreach_field(const struct expr *e,
    void (*fn)(const struct expr *, void *), void *ctx)
{
	struct walk_filter w = { NULL, fn, ctx };

	/* The walk changes nothing; walk_filter hands FN a const node. */
	expr_walk((struct expr *)e, walk_filter, &w);
}

int
expr_equal(const struct expr *a, const struct expr *b)
{
	size_t i;

	if (a == NULL || b == NULL)
		return a == b;
	if (a->op != b->op || !expr_equal(a->a, b->a) || !expr_equal(a->b, b->b))
		return 0;
	switch (a->op) {
	case EXPR_LITERAL:
		if (a->u.literal.kind != b->u.literal.kind)
			return 0;
		if (a->u.literal.kind == VALUE_STRING)
			return a->u.literal.u.s.len == b->u.literal.u.s.len &&
			    memcmp(a->u.literal.u.s.ptr, b->u.literal.u.s.ptr,
			    a->u.literal.u.s.len) == 0;
		return value_equal(&a->u.literal, &b->u.literal);
	case EXPR_FIELD:
		if (a->u.field.n != b->u.field.n)
			return 0;
		for (i = 0; i < a->u.field.n; i++)
			if (a->u.field.seg_len[i] != b->u.field.seg_len[i] ||
			    memcmp(a->u.field.seg[i], b->u.field.seg[i],
			    a->u.field.seg_len[i]) != 0)
				return 0;
		return 1;
	case EXPR_ALIAS:
		return a->u.alias == b->u.alias;
	case EXPR_MATCH:
	case EXPR_NOT_MATCH:
		return strcmp(a->u.regex.pattern, b->u.regex.pattern) == 0;
	case EXPR_CALL:
		if (a->u.call.fn != b->u.call.fn ||
		    a->u.call.nargs != b->u.call.nargs)
			return 0;
		for (i = 0; i < a->u.call.nargs; i++)
			if (!expr_equal(a->u.call.args[i], b->u.call.args[i]))
				return 0;
		return 1;
	case EXPR_LIST:
		if (a->u.list.n != b->u.list.n)
			return 0;
		for (i = 0; i < a->u.list.n; i++)
			if (!expr_equal(a->u.list.items[i], b->u.list.items[i]))
				return 0;
		return 1;
	case EXPR_COLUMN:
	case EXPR_STAT:
	case EXPR_AGG:
		return 0;
	default:
		return 1;	/* an operator: its operands decided */
	}
}
