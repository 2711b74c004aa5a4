/* SPDX-License-Identifier: MIT */
/* func.c - the scalar functions of SPEC 3.2 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "func.h"
#include "suggest.h"
#include "timeparse.h"
#include "util.h"
#include "value.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* Doubles in [-2^63, 2^63) convert to int64_t without overflow. */
#define INT64_LIMIT	9223372036854775808.0

static int
is_null(const struct value *v)
{
	return v->kind == VALUE_NULL ||
	    (v->kind == VALUE_JSON && json_is_null(v->u.json));
}

static int
is_string(const struct value *v)
{
	return v->kind == VALUE_STRING;
}

/* An int when D is whole and fits, else a real: "int when whole". */
static struct value
number_value(double d)
{
	if (d == floor(d) && d >= -INT64_LIMIT && d < INT64_LIMIT)
		return value_int((int64_t)d);
	return value_real(d);
}

static void
trim_blanks(const char **s, size_t *len)
{
	while (*len > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
		(*len)--;
}

/* [-+]?[0-9]+ fitting int64_t, the whole of S. */
static int
parse_int64(const char *s, size_t len, int64_t *out)
{
	char tmp[32], *end;
	size_t i = 0;
	long long n;

	if (len > 0 && (s[0] == '-' || s[0] == '+'))
		i = 1;
	if (i == len || len >= sizeof(tmp))
		return 0;
	for (; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	errno = 0;
	n = strtoll(tmp, &end, 10);
	if (errno == ERANGE || *end != '\0')
		return 0;
	*out = n;
	return 1;
}

/* ---- the functions ---- */

static struct value
fn_exists(struct func_ctx *ctx, void *prep, const struct value *args,
    size_t nargs)
{
	(void)ctx; (void)prep; (void)nargs;
	return value_bool(!is_null(&args[0]));
}

static struct value
fn_coalesce(struct func_ctx *ctx, void *prep, const struct value *args,
    size_t nargs)
{
	size_t i;

	(void)ctx; (void)prep;
	for (i = 0; i < nargs; i++)
		if (!is_null(&args[i]))
			return args[i];
	return value_null();
}

/* ASCII only: other bytes (all of UTF-8's multi-byte forms) unchanged. */
static struct value
map_case(struct func_ctx *ctx, const struct value *v, int to_upper)
{
	const char *s;
	char *out;
	size_t i, len;
	char from_lo = to_upper ? 'a' : 'A', from_hi = to_upper ? 'z' : 'Z';

	if (!is_string(v))
		return value_null();
	s = v->u.s.ptr;
	len = v->u.s.len;
	for (i = 0; i < len; i++)
		if (s[i] >= from_lo && s[i] <= from_hi)
			break;
	if (i == len)
		return *v;	/* nothing to change: no copy */
	out = arena_strndup(ctx->arena, s, len);
	for (; i < len; i++)
		if (out[i] >= from_lo && out[i] <= from_hi)
			out[i] ^= 0x20;
	return value_str(out, len);
}

static struct value
fn_lower(struct func_ctx *ctx, void *prep, const struct value *args,
    size_t nargs)
{
	(void)prep; (void)nargs;
	return map_case(ctx, &args[0], 0);
}

static struct value
fn_upper(struct func_ctx *ctx, void *prep, const struct value *args,
    size_t nargs)
{
	(void)prep; (void)nargs;
	return map_case(ctx, &args[0], 1);
}

static struct value
fn_len(struct func_ctx *ctx, void *prep, const struct value *args,
    size_t nargs)
{
	const struct value *v = &args[0];
	size_t i, n = 0;

	(void)ctx; (void)prep; (void)nargs;
	switch (v->kind) {
	case VALUE_STRING:
		/* Code points: every byte that is not a continuation byte. */
		for (i = 0; i < v->u.s.len; i++)
			if (((unsigned char)v->u.s.ptr[i] & 0xc0) != 0x80)
				n++;
		return value_int((int64_t)n);
	case VALUE_JSON:
		if (json_is_array(v->u.json))
			return value_int((int64_t)json_array_size(v->u.json));
		if (json_is_object(v->u.json))
			return value_int((int64_t)json_object_size(v->u.json));
		return value_null();
	case VALUE_LIST:
		return value_int((int64_t)v->u.list.n);
	default:
		return value_null();
	}
}

static struct value
fn_contains(struct func_ctx *ctx, void *prep, const struct value *args,
    size_t nargs)
{
	const struct value *s = &args[0], *sub = &args[1];

	(void)ctx; (void)prep; (void)nargs;
	if (!is_string(s) || !is_string(sub))
		return value_null();
	if (sub->u.s.len == 0)
		return value_bool(1);
	return value_bool(memmem(s->u.s.ptr, s->u.s.len, sub->u.s.ptr,
	    sub->u.s.len) != NULL);
}

static struct value
fn_startswith(struct func_ctx *ctx, void *prep, const struct value *args,
    size_t nargs)
{
	const struct value *s = &args[0], *p = &args[1];

	(void)ctx; (void)prep; (void)nargs;
	if (!is_string(s) || !is_string(p))
		return value_null();
	return value_bool(p->u.s.len <= s->u.s.len &&
	    memcmp(s->u.s.ptr, p->u.s.ptr, p->u.s.len) == 0);
}

static struct value
fn_endswith(struct func_ctx *ctx, void *prep, const struct value *args,
    size_t nargs)
{
	const struct value *s = &args[0], *p = &args[1];

	(void)ctx; (void)prep; (void)nargs;
	if (!is_string(s) || !is_string(p))
		return value_null();
	return value_bool(p->u.s.len <= s->u.s.len &&
	    memcmp(s->u.s.ptr + s->u.s.len - p->u.s.len, p->u.s.ptr,
	    p->u.s.len) == 0);
}

/* ---- replace ---- */

struct replace_prep {
	pcre2_code	*code;
	uint32_t	 ncaptures;
};

/* Unset groups ("(a)|b" matching "b") insert nothing rather than fail. */
#define REPLACE_OPTIONS	(PCRE2_SUBSTITUTE_GLOBAL | \
	PCRE2_SUBSTITUTE_UNSET_EMPTY | PCRE2_SUBSTITUTE_OVERFLOW_LENGTH)

static int
is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_';
}

/*
 * PCRE2 reads the replacement only when the regex matches, so a typo in
 * a constant one ("$2" with one group) would turn into a null on some
 * lines; check it at load time instead. Returns an error message
 * (allocated) or NULL.
 */
static char *
check_replacement(const pcre2_code *code, uint32_t ncaptures, const char *r,
    size_t len)
{
	size_t i = 0, start;
	int braced;

	while (i < len) {
		if (r[i++] != '$')
			continue;
		if (i < len && r[i] == '$') {
			i++;
			continue;
		}
		braced = i < len && r[i] == '{';
		if (braced)
			i++;
		if (i < len && r[i] == '*') {		/* $*MARK */
			start = ++i;
			while (i < len && is_name_char(r[i]))
				i++;
			if (i - start != 4 || memcmp(r + start, "MARK", 4) != 0)
				return xasprintf("invalid replacement: "
				    "'$*' must be followed by MARK");
		} else if (i < len && r[i] >= '0' && r[i] <= '9') {
			unsigned long group = 0;

			for (; i < len && r[i] >= '0' && r[i] <= '9'; i++)
				if (group <= UINT32_MAX)
					group = group * 10 + (r[i] - '0');
			if (group > ncaptures)
				return xasprintf("invalid replacement: no "
				    "group %lu in the regex (it has %u)",
				    group, ncaptures);
		} else if (i < len && is_name_char(r[i])) {
			char *name;
			int n;

			start = i;
			while (i < len && is_name_char(r[i]))
				i++;
			name = xstrndup(r + start, i - start);
			n = pcre2_substring_number_from_name(code,
			    (PCRE2_SPTR)name);
			if (n < 0) {
				char *msg = xasprintf("invalid replacement: "
				    "no group named '%s' in the regex", name);

				free(name);
				return msg;
			}
			free(name);
		} else
			return xasprintf("invalid replacement: '$' must be "
			    "followed by a group number or name "
			    "(write '$$' for a '$')");
		if (braced && (i >= len || r[i++] != '}'))
			return xasprintf("invalid replacement: missing '}'");
	}
	return NULL;
}

static void *
replace_prepare(const struct value *args, size_t nargs, size_t *bad_arg,
    struct diag *err)
{
	struct replace_prep *rp;
	pcre2_code *code;
	PCRE2_SIZE erroffset;
	PCRE2_UCHAR msg[256];
	uint32_t ncaptures = 0;
	int errcode;
	char *bad;

	(void)nargs;
	if (!is_string(&args[1])) {
		*bad_arg = 1;
		diag_set(err, LOGQ_EXIT_USAGE,
		    "invalid regex: the pattern must be a string, not %s",
		    value_kind_name(args[1].kind));
		return NULL;
	}
	/* UTF mode so that '.' never splits a character: the result must
	 * stay valid UTF-8. The same options as =~ (expr.c). */
	code = pcre2_compile((PCRE2_SPTR)args[1].u.s.ptr, args[1].u.s.len,
	    PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &errcode, &erroffset, NULL);
	if (code == NULL) {
		pcre2_get_error_message(errcode, msg, sizeof(msg));
		*bad_arg = 1;
		diag_set(err, LOGQ_EXIT_USAGE,
		    "invalid regex: %s at offset %zu", (const char *)msg,
		    (size_t)erroffset);
		return NULL;
	}
	(void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE); /* optional */
	pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &ncaptures);
	if (is_string(&args[2]) && (bad = check_replacement(code, ncaptures,
	    args[2].u.s.ptr, args[2].u.s.len)) != NULL) {
		*bad_arg = 2;
		diag_set(err, LOGQ_EXIT_USAGE, "%s", bad);
		free(bad);
		pcre2_code_free(code);
		return NULL;
	}
	rp = xmalloc(sizeof(*rp));
	rp->code = code;
	rp->ncaptures = ncaptures;
	return rp;
}

static void
replace_release(void *prep)
{
	struct replace_prep *rp = prep;

	if (rp == NULL)
		return;
	pcre2_code_free(rp->code);
	free(rp);
}

static struct value
fn_replace(struct func_ctx *ctx, void *prep, const struct value *args,
    size_t nargs)
{
	struct replace_prep *rp = prep;
	const struct value *s = &args[0], *repl = &args[2];
	pcre2_match_data *md = ctx->match_data;
	PCRE2_SIZE outlen, cap;
	PCRE2_UCHAR *out;
	int rc;

	(void)nargs;
	if (!is_string(s) || !is_string(repl) || rp == NULL)
		return value_null();
	/* The thread's match data serves if its ovector holds every group;
	 * else PCRE2 makes one for this call. */
	if (md != NULL && pcre2_get_ovector_count(md) <= rp->ncaptures)
		md = NULL;
	cap = s->u.s.len + repl->u.s.len + 64;
	for (;;) {
		out = arena_alloc(ctx->arena, cap);
		outlen = cap;
		rc = pcre2_substitute(rp->code, (PCRE2_SPTR)s->u.s.ptr,
		    s->u.s.len, 0, REPLACE_OPTIONS, md, ctx->match_ctx,
		    (PCRE2_SPTR)repl->u.s.ptr, repl->u.s.len, out, &outlen);
		if (rc != PCRE2_ERROR_NOMEMORY || outlen <= cap)
			break;
		cap = outlen + 1;	/* told by OVERFLOW_LENGTH */
	}
	switch (rc) {
	case PCRE2_ERROR_MATCHLIMIT:
	case PCRE2_ERROR_DEPTHLIMIT:
	case PCRE2_ERROR_HEAPLIMIT:
	case PCRE2_ERROR_JIT_STACKLIMIT:
		/* As =~ does (eval.c): counted, taken as no match. */
		ctx->regex_limit_hits++;
		return *s;
	default:
		if (rc < 0)
			return value_null();	/* a bad non-constant repl */
		if (rc == 0)
			return *s;
		return value_str((const char *)out, outlen);
	}
}

/* ---- luhn ---- */

/*
 * Whether S is a payment card number: 13 to 19 digits, single spaces or
 * dashes allowed between them, whose Luhn check digit is right. An
 * integer is read as its decimal digits. A regex finds the candidate
 * (no-secrets), this does the arithmetic a regex cannot.
 */
static struct value
fn_luhn(struct func_ctx *ctx, void *prep, const struct value *args,
    size_t nargs)
{
	const struct value *v = &args[0];
	char digits_buf[32];
	const char *s;
	size_t i, len, ndigits = 0;
	unsigned sum = 0, d;
	int is_sep_ok = 0;

	(void)ctx; (void)prep; (void)nargs;
	if (v->kind == VALUE_INT) {
		if (v->u.i < 0)
			return value_bool(0);
		len = (size_t)snprintf(digits_buf, sizeof(digits_buf), "%lld",
		    (long long)v->u.i);
		s = digits_buf;
	} else if (is_string(v)) {
		s = v->u.s.ptr;
		len = v->u.s.len;
	} else
		return value_null();
	/* Right to left, so the check digit is the first one read. */
	for (i = len; i-- > 0;) {
		if (s[i] == ' ' || s[i] == '-') {
			/* Only between two digits, one at a time. */
			if (!is_sep_ok || i == 0)
				return value_bool(0);
			is_sep_ok = 0;
			continue;
		}
		if (s[i] < '0' || s[i] > '9' || ++ndigits > 19)
			return value_bool(0);
		d = (unsigned)(s[i] - '0');
		if (ndigits % 2 == 0 && (d *= 2) > 9)
			d -= 9;
		sum += d;
		is_sep_ok = 1;
	}
	return value_bool(ndigits >= 13 && sum % 10 == 0);
}

/* ---- numbers ---- */

static struct value
fn_num(struct func_ctx *ctx, void *prep, const struct value *args,
    size_t nargs)
{
	const struct value *v = &args[0];
	const char *s;
	size_t len;
	int64_t n;
	double d;

	(void)ctx; (void)prep; (void)nargs;
	switch (v->kind) {
	case VALUE_INT:
	case VALUE_REAL:
		return *v;
	case VALUE_STRING:
		s = v->u.s.ptr;
		len = v->u.s.len;
		trim_blanks(&s, &len);
		if (parse_int64(s, len, &n))
			return value_int(n);
		if (value_parse_number(v, &d))
			return value_real(d);
		return value_null();
	default:
		return value_null();
	}
}

static struct value
fn_ms(struct func_ctx *ctx, void *prep, const struct value *args,
    size_t nargs)
{
	double ms;

	(void)ctx; (void)prep; (void)nargs;
	if (args[0].kind == VALUE_INT)
		return args[0];
	if (!timeparse_duration_ms(&args[0], &ms))
		return value_null();
	return number_value(ms);
}

static struct value
fn_time(struct func_ctx *ctx, void *prep, const struct value *args,
    size_t nargs)
{
	double t;

	(void)ctx; (void)prep; (void)nargs;
	if (!timeparse_time(&args[0], &t))
		return value_null();
	return number_value(t);
}

/*
 * Half away from zero on the decimal the number prints as, so that
 * round(1.005, 2) is 1.01 as a reader expects, though the double 1.005
 * is a hair below it.
 */
static double
round_decimal(double x, int places)
{
	char digits[40], out[64], *e;
	int prec, exp10, keep, ndigits, i, j;
	double ax = fabs(x);

	if (ax == 0 || !isfinite(x))
		return x;
	/* The shortest %e text that reads back as ax. */
	for (prec = 0; prec <= 16; prec++) {
		snprintf(digits, sizeof(digits), "%.*e", prec, ax);
		if (strtod(digits, NULL) == ax)
			break;
	}
	e = strchr(digits, 'e');
	exp10 = atoi(e + 1);
	/* "d.ddd" -> "dddd": the digits, first at 10^exp10. */
	for (i = j = 0; digits + i < e; i++)
		if (digits[i] != '.')
			digits[j++] = digits[i];
	ndigits = j;
	keep = exp10 + 1 + places;	/* digits at places >= 10^-places */
	if (keep >= ndigits)
		return x;
	if (keep < 0 || (keep == 0 && digits[0] < '5'))
		return 0.0;	/* not -0: it would print as "-0" */
	if (keep == 0) {
		snprintf(out, sizeof(out), "1e%d", -places);
		return copysign(strtod(out, NULL), x);
	}
	if (digits[keep] >= '5') {
		for (i = keep - 1; i >= 0 && digits[i] == '9'; i--)
			digits[i] = '0';
		if (i < 0) {	/* 9.99 -> 10.0: one more digit in front */
			memmove(digits + 1, digits, keep);
			digits[0] = '1';
			keep++;
			exp10++;
		} else
			digits[i]++;
	}
	snprintf(out, sizeof(out), "0.%.*se%d", keep, digits, exp10 + 1);
	return copysign(strtod(out, NULL), x);
}

static struct value
fn_round(struct func_ctx *ctx, void *prep, const struct value *args,
    size_t nargs)
{
	const struct value *x = &args[0];
	int64_t places = 0;
	double r;

	(void)ctx; (void)prep;
	if (nargs > 1) {
		const struct value *n = &args[1];

		if (n->kind == VALUE_INT)
			places = n->u.i;
		else if (n->kind == VALUE_REAL && n->u.r == floor(n->u.r) &&
		    fabs(n->u.r) < 100)
			places = (int64_t)n->u.r;
		else
			return value_null();
		if (places < 0 || places > 15)
			return value_null();
	}
	if (x->kind == VALUE_INT)
		return *x;
	if (x->kind != VALUE_REAL)
		return value_null();
	r = round_decimal(x->u.r, (int)places);
	if (places == 0)
		return number_value(r);
	return value_real(r);
}

/* ---- text ---- */

static struct value
fn_str(struct func_ctx *ctx, void *prep, const struct value *args,
    size_t nargs)
{
	const struct value *v = &args[0];
	struct buf b = BUF_INIT;
	struct value out;

	(void)prep; (void)nargs;
	if (v->kind == VALUE_STRING)
		return *v;
	if (is_null(v))
		return value_str("null", 4);
	value_write_text(&b, v, VALUE_TEXT_PLAIN);
	out = value_str(arena_strndup(ctx->arena, buf_str(&b), b.len), b.len);
	buf_release(&b);
	return out;
}

static int
is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F');
}

static int
is_uuid(const char *s, size_t len)
{
	size_t i;

	if (len != 36)
		return 0;
	for (i = 0; i < len; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return 0;
		} else if (!is_hex(s[i]))
			return 0;
	}
	return 1;
}

/* Whether a path segment looks like an id rather than a name. */
static int
is_id_segment(const char *s, size_t len)
{
	size_t i, ndigits = 0, nletters = 0, nhex = 0;

	if (len == 0)
		return 0;
	/* Most segments are short words ("v1", "item"): below 8 bytes only
	 * all digits can be an id (hex needs 8, base62 16, a UUID 36). */
	if (len < 8) {
		for (i = 0; i < len; i++)
			if (s[i] < '0' || s[i] > '9')
				return 0;
		return 1;
	}
	if (is_uuid(s, len))
		return 1;
	for (i = 0; i < len; i++) {
		char c = s[i];

		if (c >= '0' && c <= '9')
			ndigits++;
		else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			nletters++;
		else if (c != '_' && c != '-')
			return 0;
		if (is_hex(c))
			nhex++;
	}
	if (ndigits == len)
		return 1;		/* 123 */
	if (len >= 8 && nhex == len)
		return 1;		/* deadbeef, 5f3a9c2e */
	/* base62, ULIDs, "tenant_8f3a...": long, letters and digits mixed,
	 * so that "user-preferences" stays a name. */
	return len >= 16 && ndigits > 0 && nletters > 0;
}

/*
 * Where the path of an absolute URL starts: after "scheme://host[:port]"
 * (RFC 3986: a letter, then letters, digits, '+', '-' or '.', then "://"),
 * at its first '/', '?' or '#' (or the end); 0 when S is no such URL.
 */
static size_t
url_path_start(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || !((s[0] >= 'a' && s[0] <= 'z') ||
	    (s[0] >= 'A' && s[0] <= 'Z')))
		return 0;
	for (i = 1; i < len; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '+' || c == '-' ||
		    c == '.'))
			break;
	}
	if (len - i < 3 || memcmp(s + i, "://", 3) != 0)
		return 0;
	for (i += 3; i < len; i++)
		if (s[i] == '/' || s[i] == '?' || s[i] == '#')
			break;
	return i;
}

static struct value
fn_route(struct func_ctx *ctx, void *prep, const struct value *args,
    size_t nargs)
{
	const struct value *v = &args[0];
	const char *s;
	char *out;
	size_t len, end, skip, seg, slash, n = 0;

	(void)prep; (void)nargs;
	if (!is_string(v))
		return value_null();
	s = v->u.s.ptr;
	len = v->u.s.len;
	/* An absolute URL (req.url of a proxy, "https://api.example.com/
	 * send") is the same route as its path: scheme and host go. */
	skip = url_path_start(s, len);
	s += skip;
	len -= skip;
	for (end = 0; end < len; end++)
		if (s[end] == '?' || s[end] == '#')
			break;
	len = end;
	if (len == 0 && skip > 0)
		return value_str("/", 1);
	/* Most paths have no id: find that out without copying. */
	for (seg = 0; seg <= len; seg = slash + 1) {
		for (slash = seg; slash < len && s[slash] != '/'; slash++)
			;
		if (is_id_segment(s + seg, slash - seg))
			break;
	}
	if (seg > len)
		return value_str(s, len);
	/* Per line, so no malloc: the result goes in the arena, at most
	 * three times the path ("/1" becomes "/:id"). */
	out = arena_alloc(ctx->arena, 3 * len + 1);
	for (seg = 0; seg <= len; seg = slash + 1) {
		for (slash = seg; slash < len && s[slash] != '/'; slash++)
			;
		if (is_id_segment(s + seg, slash - seg)) {
			memcpy(out + n, ":id", 3);
			n += 3;
		} else {
			memcpy(out + n, s + seg, slash - seg);
			n += slash - seg;
		}
		if (slash < len)
			out[n++] = '/';
	}
	return value_str(out, n);
}

/* ---- bucket ---- */

struct bucket_prep {
	int64_t		 step_us;
};

static void *
bucket_prepare(const struct value *args, size_t nargs, size_t *bad_arg,
    struct diag *err)
{
	struct bucket_prep *bp;
	double ms;
	struct buf b = BUF_INIT;

	(void)nargs;
	/* Whole microseconds from 1us up to 100 years. */
	if (is_string(&args[1]) &&
	    timeparse_duration_text(args[1].u.s.ptr, args[1].u.s.len, &ms) &&
	    ms * 1e3 >= 1 && ms < 3.2e12 && ms * 1e3 == floor(ms * 1e3)) {
		bp = xmalloc(sizeof(*bp));
		bp->step_us = (int64_t)(ms * 1e3);
		return bp;
	}
	value_write_text(&b, &args[1], VALUE_TEXT_PLAIN);
	*bad_arg = 1;
	diag_set(err, LOGQ_EXIT_USAGE, "invalid bucket step '%s': use a "
	    "duration such as 30s, 5m, 1h, 1d",
	    is_null(&args[1]) ? "null" : buf_str(&b));
	buf_release(&b);
	return NULL;
}

static void
bucket_release(void *prep)
{
	free(prep);
}

static struct value
fn_bucket(struct func_ctx *ctx, void *prep, const struct value *args,
    size_t nargs)
{
	struct bucket_prep *bp = prep;
	struct timeparse_time t;
	char text[TIMEPARSE_TEXT_SIZE];
	int n;

	(void)nargs;
	if (bp == NULL || !timeparse_time_exact(&args[0], &t))
		return value_null();
	if ((n = timeparse_bucket_text(t, bp->step_us, text,
	    sizeof(text))) < 0)
		return value_null();
	return value_str(arena_strndup(ctx->arena, text, (size_t)n),
	    (size_t)n);
}

/* ---- rfc3339 ---- */

/*
 * time(t) as RFC 3339 text in UTC, as precise as t is written: pino's
 * 1532081790745 (ms) is "2018-07-20T10:16:30.745Z", slog's
 * "...18:58:23.435979+09:00" keeps its six decimals. Nothing is made up
 * and nothing lost, and a log's times, all written alike, stay one width
 * and sort as text in time order.
 */
/* Whether V, read as a time of NDIGITS decimals, is already written as
 * rfc3339() writes it ("2026-04-25T03:00:00.007Z", as most logs do):
 * the layout to the byte (no blanks, 'T', '.', 'Z', no offset) and no
 * leap second, the digits being the ones the time was read from. */
static int
rfc3339_as_written(const struct value *v, unsigned ndigits)
{
	const char *s = v->u.s.ptr;
	size_t len = v->u.s.len;

	return v->kind == VALUE_STRING &&
	    len == (ndigits > 0 ? 21 + (size_t)ndigits : 20) &&
	    s[4] == '-' && s[7] == '-' && s[10] == 'T' && s[13] == ':' &&
	    s[16] == ':' && s[17] != '6' && (ndigits == 0 || s[19] == '.') &&
	    s[len - 1] == 'Z';
}

static struct value
fn_rfc3339(struct func_ctx *ctx, void *prep, const struct value *args,
    size_t nargs)
{
	struct timeparse_time t;
	unsigned ndigits;
	char text[TIMEPARSE_TEXT_SIZE];
	int n;

	(void)prep; (void)nargs;
	if (!timeparse_time_digits(&args[0], &t, &ndigits))
		return value_null();
	if (rfc3339_as_written(&args[0], ndigits))
		return args[0];		/* nothing to change: no copy */
	if ((n = timeparse_rfc3339_text(t, ndigits, text, sizeof(text))) < 0)
		return value_null();
	return value_str(arena_strndup(ctx->arena, text, (size_t)n),
	    (size_t)n);
}

/* ---- the table ---- */

#define ARGS_ANY	UINT_MAX

/* In SPEC 3.2's order, which func_suggest's ties follow. */
static const struct func func_table[] = {
	{ "exists", 1, 1, 0, NULL, NULL, fn_exists, 0, 0, 0 },
	{ "coalesce", 1, ARGS_ANY, 0, NULL, NULL, fn_coalesce, 0, 0, 0 },
	{ "lower", 1, 1, 0, NULL, NULL, fn_lower, 1, 1, 0 },
	{ "upper", 1, 1, 0, NULL, NULL, fn_upper, 1, 0, 0 },
	{ "len", 1, 1, 0, NULL, NULL, fn_len, 0, 0, 0 },
	{ "contains", 2, 2, 0, NULL, NULL, fn_contains, 0, 0, 0 },
	{ "startswith", 2, 2, 0, NULL, NULL, fn_startswith, 0, 0, 0 },
	{ "endswith", 2, 2, 0, NULL, NULL, fn_endswith, 0, 0, 0 },
	{ "replace", 3, 3, 1u << 1, replace_prepare, replace_release,
	    fn_replace, 0, 0, 1 },
	{ "num", 1, 1, 0, NULL, NULL, fn_num, 0, 0, 0 },
	{ "ms", 1, 1, 0, NULL, NULL, fn_ms, 0, 0, 0 },
	{ "time", 1, 1, 0, NULL, NULL, fn_time, 0, 0, 0 },
	{ "bucket", 2, 2, 1u << 1, bucket_prepare, bucket_release,
	    fn_bucket, 0, 0, 0 },
	{ "rfc3339", 1, 1, 0, NULL, NULL, fn_rfc3339, 0, 0, 0 },
	{ "route", 1, 1, 0, NULL, NULL, fn_route, 1, 0, 0 },
	{ "round", 1, 2, 0, NULL, NULL, fn_round, 0, 0, 0 },
	{ "str", 1, 1, 0, NULL, NULL, fn_str, 0, 0, 0 },
	{ "luhn", 1, 1, 0, NULL, NULL, fn_luhn, 0, 0, 0 },
};

#define FUNC_COUNT	NELEM(func_table)

const struct func *
func_lookup(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < FUNC_COUNT; i++)
		if (strlen(func_table[i].name) == len &&
		    memcmp(func_table[i].name, name, len) == 0)
			return &func_table[i];
	return NULL;
}

const struct func *
func_at(size_t i)
{
	return i < FUNC_COUNT ? &func_table[i] : NULL;
}

const char *
func_suggest(const char *name, size_t len)
{
	struct suggest s;
	size_t i;

	suggest_init(&s, name, len);
	for (i = 0; i < FUNC_COUNT; i++)
		suggest_consider(&s, func_table[i].name);
	return suggest_best(&s);
}
