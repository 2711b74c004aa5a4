/* SPDX-License-Identifier: MIT */
/* value.c - comparison, truthiness, copies and text of values */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "value.h"

struct value
value_from_json(const json_t *j)
{
	if (j == NULL)
		return value_null();
	switch (json_typeof(j)) {
	case JSON_STRING:
		return value_str(json_string_value(j), json_string_length(j));
	case JSON_INTEGER:
		return value_int(json_integer_value(j));
	case JSON_REAL:
		return value_real(json_real_value(j));
	case JSON_TRUE:
		return value_bool(1);
	case JSON_FALSE:
		return value_bool(0);
	case JSON_NULL:
		return value_null();
	case JSON_OBJECT:
	case JSON_ARRAY: {
		struct value v = { .kind = VALUE_JSON, .u.json = j };
		return v;
	}
	}
	return value_null();
}

int
value_truthy(const struct value *v)
{
	if (v->kind == VALUE_NULL)
		return 0;
	if (v->kind == VALUE_BOOL)
		return v->u.b;
	return 1;
}

/* A whole decimal number: optional '-', digits, nothing else. SPEC 3.2
 * compares "500" with 500 numerically, but not "5e2" or "1.5". */
static int
whole_decimal(const char *s, size_t len, double *out)
{
	size_t i = 0;
	char tmp[64];

	if (len > 0 && s[0] == '-')
		i = 1;
	if (i == len || len >= sizeof(tmp))
		return 0;
	for (; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	*out = strtod(tmp, NULL);
	return 1;
}

int
value_as_number(const struct value *v, double *out)
{
	switch (v->kind) {
	case VALUE_INT:
		*out = (double)v->u.i;
		return 1;
	case VALUE_REAL:
		*out = v->u.r;
		return 1;
	case VALUE_STRING:
		return whole_decimal(v->u.s.ptr, v->u.s.len, out);
	default:
		return 0;
	}
}

int
value_parse_number(const struct value *v, double *out)
{
	char tmp[128], *end;
	const char *s;
	size_t len;

	if (v->kind != VALUE_STRING)
		return value_as_number(v, out);
	s = v->u.s.ptr;
	len = v->u.s.len;
	while (len > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len == 0 || len >= sizeof(tmp))
		return 0;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	/* strtod also takes "inf", "nan" and hex ("0x1e", "0x1p3"); a
	 * log's "nan" or "0x1e" is not a number: decimal digits, sign,
	 * point and exponent only. */
	if (strspn(tmp, "0123456789+-.eE") != len)
		return 0;
	errno = 0;
	*out = strtod(tmp, &end);
	return *end == '\0' && isfinite(*out);
}

int
value_parse_int64(const struct value *v, int64_t *out)
{
	char tmp[32], *end;
	const char *s;
	size_t len, i = 0;
	long long n;

	if (v->kind != VALUE_STRING)
		return 0;
	s = v->u.s.ptr;
	len = v->u.s.len;
	while (len > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
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

static int
is_number(const struct value *v)
{
	return v->kind == VALUE_INT || v->kind == VALUE_REAL;
}

static enum value_order
order_double(double a, double b)
{
	if (a < b)
		return VALUE_LT;
	if (a > b)
		return VALUE_GT;
	if (a == b)
		return VALUE_EQ;
	return VALUE_UNORDERED;	/* NaN */
}

static enum value_order
order_bytes(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t n = alen < blen ? alen : blen;
	int c = n ? memcmp(a, b, n) : 0;

	if (c == 0)
		c = (alen > blen) - (alen < blen);
	return c < 0 ? VALUE_LT : c > 0 ? VALUE_GT : VALUE_EQ;
}

/* Lists and JSON compare equal element by element. */
static int list_equal(const struct value *a, const struct value *b);

enum value_order
value_compare(const struct value *a, const struct value *b)
{
	double x, y;

	if (a->kind == VALUE_NULL || b->kind == VALUE_NULL)
		return a->kind == b->kind ? VALUE_EQ : VALUE_UNORDERED;
	if (a->kind == VALUE_INT && b->kind == VALUE_INT)
		return a->u.i < b->u.i ? VALUE_LT :
		    a->u.i > b->u.i ? VALUE_GT : VALUE_EQ;
	if (is_number(a) || is_number(b)) {
		if (value_as_number(a, &x) && value_as_number(b, &y))
			return order_double(x, y);
		return VALUE_UNORDERED;
	}
	if (a->kind == VALUE_STRING && b->kind == VALUE_STRING)
		return order_bytes(a->u.s.ptr, a->u.s.len,
		    b->u.s.ptr, b->u.s.len);
	if (a->kind == VALUE_BOOL && b->kind == VALUE_BOOL)
		return a->u.b == b->u.b ? VALUE_EQ : VALUE_UNORDERED;
	if ((a->kind == VALUE_JSON || a->kind == VALUE_LIST) &&
	    (b->kind == VALUE_JSON || b->kind == VALUE_LIST))
		return list_equal(a, b) ? VALUE_EQ : VALUE_UNORDERED;
	return VALUE_UNORDERED;
}

int
value_equal(const struct value *a, const struct value *b)
{
	return value_compare(a, b) == VALUE_EQ;
}

/* Element I of a list-like value (VALUE_LIST or a JSON array). */
static size_t
list_len(const struct value *v)
{
	if (v->kind == VALUE_LIST)
		return v->u.list.n;
	return json_is_array(v->u.json) ? json_array_size(v->u.json) : 0;
}

static struct value
list_item(const struct value *v, size_t i)
{
	if (v->kind == VALUE_LIST)
		return v->u.list.items[i];
	return value_from_json(json_array_get(v->u.json, i));
}

static int
list_equal(const struct value *a, const struct value *b)
{
	size_t i, n;

	if (a->kind == VALUE_JSON && b->kind == VALUE_JSON)
		return json_equal((json_t *)a->u.json, (json_t *)b->u.json);
	/* A list literal never equals a JSON object. */
	if ((a->kind == VALUE_JSON && !json_is_array(a->u.json)) ||
	    (b->kind == VALUE_JSON && !json_is_array(b->u.json)))
		return 0;
	n = list_len(a);
	if (n != list_len(b))
		return 0;
	for (i = 0; i < n; i++) {
		struct value x = list_item(a, i), y = list_item(b, i);

		if (!value_equal(&x, &y))
			return 0;
	}
	return 1;
}

static int
sort_rank(const struct value *v)
{
	switch (v->kind) {
	case VALUE_NULL:	return 0;
	case VALUE_BOOL:	return 1;
	case VALUE_INT:
	case VALUE_REAL:	return 2;
	case VALUE_STRING:	return 3;
	default:		return 4;
	}
}

int
value_sort_cmp(const struct value *a, const struct value *b)
{
	int ra = sort_rank(a), rb = sort_rank(b);
	struct buf x = BUF_INIT, y = BUF_INIT;
	int c;

	if (ra != rb)
		return ra < rb ? -1 : 1;
	switch (ra) {
	case 0:
		return 0;
	case 1:
		return a->u.b - b->u.b;
	case 2:
		if (a->kind == VALUE_INT && b->kind == VALUE_INT)
			return (a->u.i > b->u.i) - (a->u.i < b->u.i);
		else {
			double p = a->kind == VALUE_INT ? (double)a->u.i : a->u.r;
			double q = b->kind == VALUE_INT ? (double)b->u.i : b->u.r;

			/* NaN sorts first, so the order stays total. */
			if (isnan(p) || isnan(q))
				return isnan(q) - isnan(p);
			return (p > q) - (p < q);
		}
	case 3:
		return order_bytes(a->u.s.ptr, a->u.s.len,
		    b->u.s.ptr, b->u.s.len);
	default:
		/* Rare (grouping by an object): order by JSON text. */
		value_write_json(&x, a);
		value_write_json(&y, b);
		c = order_bytes(buf_str(&x), x.len, buf_str(&y), y.len);
		buf_release(&x);
		buf_release(&y);
		return c;
	}
}

struct value
value_dup(struct arena *arena, const struct value *v)
{
	struct value out = *v;
	struct value *items;
	size_t i;

	switch (v->kind) {
	case VALUE_STRING:
		out.u.s.ptr = arena_strndup(arena, v->u.s.ptr, v->u.s.len);
		break;
	case VALUE_LIST:
		items = arena_alloc(arena, v->u.list.n * sizeof(*items));
		for (i = 0; i < v->u.list.n; i++)
			items[i] = value_dup(arena, &v->u.list.items[i]);
		out.u.list.items = items;
		break;
	case VALUE_JSON:
		json_incref((json_t *)v->u.json);
		break;
	default:
		break;
	}
	return out;
}

void
value_release(struct value *v)
{
	size_t i;

	if (v->kind == VALUE_JSON)
		json_decref((json_t *)v->u.json);
	else if (v->kind == VALUE_LIST)
		for (i = 0; i < v->u.list.n; i++)
			value_release((struct value *)&v->u.list.items[i]);
	v->kind = VALUE_NULL;
}

struct value
value_heap_copy(const struct value *v)
{
	struct value out = *v;
	struct value *items;
	char *s;
	size_t i;

	switch (v->kind) {
	case VALUE_STRING:
		s = xmalloc(v->u.s.len + 1);
		if (v->u.s.len > 0)
			memcpy(s, v->u.s.ptr, v->u.s.len);
		s[v->u.s.len] = '\0';
		out.u.s.ptr = s;
		break;
	case VALUE_LIST:
		/* Never NULL, even empty: callers may index or memcpy. */
		items = xcalloc(v->u.list.n ? v->u.list.n : 1, sizeof(*items));
		for (i = 0; i < v->u.list.n; i++)
			items[i] = value_heap_copy(&v->u.list.items[i]);
		out.u.list.items = items;
		break;
	case VALUE_JSON:
		json_incref((json_t *)v->u.json);
		break;
	default:
		break;
	}
	return out;
}

void
value_heap_release(struct value *v)
{
	size_t i;

	switch (v->kind) {
	case VALUE_STRING:
		free((char *)v->u.s.ptr);
		break;
	case VALUE_LIST:
		for (i = 0; i < v->u.list.n; i++)
			value_heap_release((struct value *)&v->u.list.items[i]);
		free((struct value *)v->u.list.items);
		break;
	case VALUE_JSON:
		json_decref((json_t *)v->u.json);
		break;
	default:
		break;
	}
	*v = value_null();
}

json_t *
value_to_json(const struct value *v)
{
	json_t *a;
	size_t i;

	switch (v->kind) {
	case VALUE_NULL:
		return json_null();
	case VALUE_BOOL:
		return json_boolean(v->u.b);
	case VALUE_INT:
		return json_integer(v->u.i);
	case VALUE_REAL:
		return isfinite(v->u.r) ? json_real(v->u.r) : json_null();
	case VALUE_STRING:
		return json_stringn_nocheck(v->u.s.ptr, v->u.s.len);
	case VALUE_JSON:
		return json_deep_copy(v->u.json);
	case VALUE_LIST:
		a = json_array();
		for (i = 0; i < v->u.list.n; i++)
			json_array_append_new(a,
			    value_to_json(&v->u.list.items[i]));
		return a;
	}
	return json_null();
}

void
value_write_double(struct buf *out, double d)
{
	char tmp[40];
	int prec;

	if (!isfinite(d)) {
		buf_adds(out, "null");
		return;
	}
	if (d == 0) {
		buf_adds(out, signbit(d) ? "-0" : "0");
		return;
	}
	/* Whole numbers that fit print as integers: 5, not 5.0 or 5e+00. */
	if (d == floor(d) && fabs(d) < 1e17) {
		buf_printf(out, "%.0f", d);
		return;
	}
	/* The shortest text that reads back as the same double. */
	for (prec = 15; prec <= 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*g", prec, d);
		if (strtod(tmp, NULL) == d)
			break;
	}
	buf_adds(out, tmp);
}

/* Up to 3 decimals, no trailing zeros (SPEC 4.2). */
static void
write_table_double(struct buf *out, double d)
{
	char tmp[64], *p;

	if (!isfinite(d)) {
		buf_adds(out, isnan(d) ? "nan" : d > 0 ? "inf" : "-inf");
		return;
	}
	if (fabs(d) >= 1e15) {
		value_write_double(out, d);
		return;
	}
	snprintf(tmp, sizeof(tmp), "%.3f", d);
	p = tmp + strlen(tmp) - 1;
	while (*p == '0')
		*p-- = '\0';
	if (*p == '.')
		*p = '\0';
	if (strcmp(tmp, "-0") == 0)
		strcpy(tmp, "0");
	buf_adds(out, tmp);
}

static void
write_json_string(struct buf *out, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, run = 0;

	buf_reserve(out, len + 2);
	buf_addc(out, '"');
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *esc = NULL;
		char u[7];

		if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f)
			continue;
		buf_add(out, s + run, i - run);
		run = i + 1;
		switch (c) {
		case '"':	esc = "\\\""; break;
		case '\\':	esc = "\\\\"; break;
		case '\n':	esc = "\\n"; break;
		case '\r':	esc = "\\r"; break;
		case '\t':	esc = "\\t"; break;
		case '\b':	esc = "\\b"; break;
		case '\f':	esc = "\\f"; break;
		default:
			u[0] = '\\'; u[1] = 'u'; u[2] = '0'; u[3] = '0';
			u[4] = hex[c >> 4]; u[5] = hex[c & 15]; u[6] = '\0';
			esc = u;
			break;
		}
		buf_adds(out, esc);
	}
	buf_add(out, s + run, len - run);
	buf_addc(out, '"');
}

static int
dump_cb(const char *chunk, size_t size, void *data)
{
	buf_add(data, chunk, size);
	return 0;
}

void
value_write_json(struct buf *out, const struct value *v)
{
	size_t i;

	switch (v->kind) {
	case VALUE_NULL:
		buf_adds(out, "null");
		break;
	case VALUE_BOOL:
		buf_adds(out, v->u.b ? "true" : "false");
		break;
	case VALUE_INT:
		buf_printf(out, "%lld", (long long)v->u.i);
		break;
	case VALUE_REAL:
		value_write_double(out, v->u.r);
		break;
	case VALUE_STRING:
		write_json_string(out, v->u.s.ptr, v->u.s.len);
		break;
	case VALUE_JSON:
		json_dump_callback(v->u.json, dump_cb, out,
		    JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(17));
		break;
	case VALUE_LIST:
		buf_addc(out, '[');
		for (i = 0; i < v->u.list.n; i++) {
			if (i)
				buf_addc(out, ',');
			value_write_json(out, &v->u.list.items[i]);
		}
		buf_addc(out, ']');
		break;
	}
}

void
value_write_text(struct buf *out, const struct value *v,
    enum value_text_mode mode)
{
	switch (v->kind) {
	case VALUE_NULL:
		if (mode == VALUE_TEXT_TABLE)
			buf_addc(out, '-');
		break;
	case VALUE_STRING:
		buf_add(out, v->u.s.ptr, v->u.s.len);
		break;
	case VALUE_REAL:
		if (mode == VALUE_TEXT_TABLE || !isfinite(v->u.r))
			write_table_double(out, v->u.r);	/* inf, not null */
		else
			value_write_double(out, v->u.r);
		break;
	default:
		value_write_json(out, v);
		break;
	}
}

const char *
value_kind_name(enum value_kind kind)
{
	switch (kind) {
	case VALUE_NULL:	return "null";
	case VALUE_BOOL:	return "boolean";
	case VALUE_INT:
	case VALUE_REAL:	return "number";
	case VALUE_STRING:	return "string";
	case VALUE_JSON:	return "object or array";
	case VALUE_LIST:	return "list";
	}
	return "value";
}
