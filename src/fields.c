/* SPDX-License-Identifier: MIT */
/* fields.c - field aliases: canonical names and their alternatives */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fields.h"
#include "timeparse.h"
#include "util.h"

struct fields {
	struct fields_alias	*aliases;
	size_t			 n, alloc;
};

/*
 * SPEC 3.5's table, in `--field` syntax. Beyond the SPEC's lists: `_time`
 * (the time a fly or kubectl prefix carries) ends `time`; ECS's flat
 * "log.level" key and Rust tracing's `fields.message` end `level` and
 * `msg`; nginx-style `response.status`, `request.uri` and
 * `request.method` end `status`, `path` and `method`.
 */
static const struct {
	const char *name, *spec;
} builtin[] = {
	{ "time",	"ts,time,timestamp,@timestamp,t,_time" },
	{ "level",	"level:pino,lvl,severity,levelname,log.level" },
	{ "msg",	"msg,message,@message,event,fields.message" },
	{ "latency_ms",	"latencyMs,latency_ms,duration_ms,durationMs,"
			"elapsed_ms,response_time_ms,responseTime,"
			"duration:s?,latency:s?,elapsed:s?,took:s?" },
	{ "status",	"status,status_code,statusCode,http.status_code,"
			"res.statusCode,response.status" },
	{ "path",	"path,route,url,http.path,req.url,request.uri" },
	{ "method",	"method,http.method,req.method,request.method" },
	{ "tenant",	"tenantId,tenant_id,tenant" },
	{ "error",	"error,err,error_code,code" },
};

static const struct {
	const char		*word;
	enum fields_conv	 conv;
} convs[] = {
	{ "ms", FIELDS_MS }, { "s", FIELDS_S }, { "us", FIELDS_US },
	{ "ns", FIELDS_NS }, { "pino", FIELDS_PINO },
	{ "request_path", FIELDS_REQUEST_PATH },
	{ "request_method", FIELDS_REQUEST_METHOD },
};

static void
alias_release(struct fields_alias *a)
{
	size_t i;

	for (i = 0; i < a->nalts; i++)
		field_path_release(&a->alts[i].path);
	free(a->alts);
	free(a->name);
}

static void
alt_plain(struct fields_alt *alt)
{
	const struct field_path *p = &alt->path;

	alt->plain = p->n == 1 && p->seg[0][0] != '_';
	alt->key = alt->plain ? p->seg[0] : NULL;
	alt->key_len = alt->plain ? p->seg_len[0] : 0;
	alt->key_hash = alt->plain ? p->seg_hash[0] : 0;
}

struct fields *
fields_new_builtin(void)
{
	struct fields *f = xcalloc(1, sizeof(*f));
	struct diag err = { 0 };
	size_t i;

	for (i = 0; i < sizeof(builtin) / sizeof(builtin[0]); i++) {
		if (fields_set(f, builtin[i].name, builtin[i].spec, &err) < 0)
			abort();	/* the table above is ours */
		f->aliases[i].builtin = 1;
	}
	return f;
}

struct fields *
fields_new_empty(void)
{
	return xcalloc(1, sizeof(struct fields));
}

const struct fields_alias *
fields_slot(const struct fields *f, size_t slot)
{
	return slot < f->n ? &f->aliases[slot] : NULL;
}

void
fields_set_vocab(struct fields *f, const char *name,
    const struct fields_vocab *vocab)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->aliases[i].name, name) == 0)
			f->aliases[i].vocab = vocab;
}

const char *
fields_builtin_spec(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(builtin) / sizeof(builtin[0]); i++)
		if (strcmp(builtin[i].name, name) == 0)
			return builtin[i].spec;
	return NULL;
}

struct fields *
fields_copy(const struct fields *src)
{
	struct fields *f = xcalloc(1, sizeof(*f));
	size_t i, j;

	f->alloc = f->n = src->n;
	f->aliases = xcalloc(f->n ? f->n : 1, sizeof(*f->aliases));
	for (i = 0; i < src->n; i++) {
		const struct fields_alias *s = &src->aliases[i];
		struct fields_alias *d = &f->aliases[i];

		d->name = xstrdup(s->name);
		d->slot = s->slot;
		d->nalts = s->nalts;
		d->builtin = s->builtin;
		d->vocab = s->vocab;
		d->alts = xcalloc(s->nalts ? s->nalts : 1, sizeof(*d->alts));
		for (j = 0; j < s->nalts; j++) {
			field_path_copy(&d->alts[j].path, &s->alts[j].path);
			d->alts[j].conv = s->alts[j].conv;
			d->alts[j].guess = s->alts[j].guess;
			alt_plain(&d->alts[j]);
		}
	}
	return f;
}

/* A segment is a "quoted string" or a run of bytes other than . , : " and
 * blanks. Returns the position after it, or NULL. */
static const char *
parse_segment(const char *p, struct field_path *path)
{
	struct buf seg = BUF_INIT;
	const char *start = p;

	if (*p == '"') {
		for (p++; *p && *p != '"'; p++) {
			if (*p == '\\' && p[1])
				p++;
			buf_addc(&seg, *p);
		}
		if (*p != '"' || seg.len == 0) {
			buf_release(&seg);
			return NULL;
		}
		p++;
	} else {
		while (*p && !strchr(".,:?\" \t", *p))
			p++;
		if (p == start)
			return NULL;
		buf_add(&seg, start, (size_t)(p - start));
	}
	field_path_push(path, seg.ptr, seg.len);
	buf_release(&seg);
	return p;
}

int
fields_set(struct fields *f, const char *name, const char *spec,
    struct diag *err)
{
	struct fields_alias alias = { 0 };
	size_t alloc = 0, i;
	const char *p = spec;

	if (*name == '\0') {
		diag_set(err, LOGQ_EXIT_USAGE, "empty alias name in '%s'", spec);
		return -1;
	}
	while (*p == ' ')
		p++;
	if (*p == '\0') {
		diag_set(err, LOGQ_EXIT_USAGE,
		    "alias '%s' needs at least one field", name);
		return -1;
	}
	while (*p) {
		struct fields_alt alt = { .conv = FIELDS_AS_IS };

		field_path_init(&alt.path);
		while (*p == ' ')
			p++;
		for (;;) {
			const char *q = parse_segment(p, &alt.path);

			if (q == NULL)
				goto bad;
			p = q;
			if (*p != '.')
				break;
			p++;
		}
		if (*p == ':') {
			size_t len = strcspn(++p, ", ?");

			for (i = 0; i < sizeof(convs) / sizeof(convs[0]); i++)
				if (strlen(convs[i].word) == len &&
				    strncmp(convs[i].word, p, len) == 0)
					break;
			if (i == sizeof(convs) / sizeof(convs[0])) {
				diag_set(err, LOGQ_EXIT_USAGE,
				    "unknown conversion ':%.*s' in alias '%s': "
				    "use :ms, :s, :us, :ns, :pino, :request_path "
				    "or :request_method", (int)len,
				    p, name);
				field_path_release(&alt.path);
				goto fail;
			}
			alt.conv = convs[i].conv;
			p += len;
			if (*p == '?' && alt.conv >= FIELDS_MS &&
			    alt.conv <= FIELDS_NS) {
				alt.guess = 1;
				p++;
			}
		}
		while (*p == ' ')
			p++;
		alt_plain(&alt);
		XGROW(alias.alts, alias.nalts + 1, alloc);
		alias.alts[alias.nalts++] = alt;
		if (*p == ',')
			p++;
		else if (*p != '\0') {
			p++;	/* report the byte after the alternative */
			goto bad_noalt;
		}
		continue;
bad:
		field_path_release(&alt.path);
bad_noalt:
		diag_set(err, LOGQ_EXIT_USAGE,
		    "cannot read alias '%s=%s' near column %d: expected a "
		    "field name, ',' or ':unit'", name, spec,
		    (int)(p - spec) + 1);
		goto fail;
	}
	alias.name = xstrdup(name);
	for (i = 0; i < f->n; i++)
		if (strcmp(f->aliases[i].name, name) == 0) {
			alias_release(&f->aliases[i]);
			alias.slot = (unsigned)i;
			f->aliases[i] = alias;
			return 0;
		}
	XGROW(f->aliases, f->n + 1, f->alloc);
	alias.slot = (unsigned)f->n;
	f->aliases[f->n++] = alias;
	return 0;
fail:
	alias_release(&alias);
	return -1;
}

void
fields_set_none(struct fields *f, const char *name)
{
	struct fields_alias alias = { 0 };
	size_t i;

	alias.name = xstrdup(name);
	alias.alts = xcalloc(1, sizeof(*alias.alts));
	for (i = 0; i < f->n; i++)
		if (strcmp(f->aliases[i].name, name) == 0) {
			alias_release(&f->aliases[i]);
			alias.slot = (unsigned)i;
			f->aliases[i] = alias;
			return;
		}
	XGROW(f->aliases, f->n + 1, f->alloc);
	alias.slot = (unsigned)f->n;
	f->aliases[f->n++] = alias;
}

static int
path_equal(const struct field_path *a, const struct field_path *b)
{
	size_t i;

	if (a->n != b->n)
		return 0;
	for (i = 0; i < a->n; i++)
		if (a->seg_len[i] != b->seg_len[i] ||
		    memcmp(a->seg[i], b->seg[i], a->seg_len[i]) != 0)
			return 0;
	return 1;
}

static int
alias_spells(const struct fields_alias *a, const struct field_path *path)
{
	size_t i;

	for (i = 0; i < a->nalts; i++)
		if (path_equal(&a->alts[i].path, path))
			return 1;
	return 0;
}

int
fields_claims(const struct fields *f, const struct field_path *path)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (alias_spells(&f->aliases[i], path))
			return 1;
	return 0;
}

size_t
fields_append_unclaimed(struct fields *f, const char *name,
    const struct fields_alias *from, const struct fields *claimed)
{
	struct fields_alias *a = NULL;
	size_t i, j, left = 0, alloc;
	int taken;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->aliases[i].name, name) == 0)
			a = &f->aliases[i];
	if (a == NULL) {
		fields_set_none(f, name);
		a = &f->aliases[f->n - 1];
	}
	/* Room for all of FROM's at once: a profile's table appends the
	 * built-in spellings of every alias. */
	alloc = a->nalts;
	XGROW(a->alts, a->nalts + from->nalts, alloc);
	for (i = 0; i < from->nalts; i++) {
		const struct fields_alt *src = &from->alts[i];

		taken = alias_spells(a, &src->path);
		for (j = 0; !taken && claimed != NULL && j < claimed->n; j++)
			taken = strcmp(claimed->aliases[j].name, name) != 0 &&
			    alias_spells(&claimed->aliases[j], &src->path);
		if (taken) {
			left++;
			continue;
		}
		XGROW(a->alts, a->nalts + 1, alloc);
		a->alts[a->nalts] = *src;
		field_path_copy(&a->alts[a->nalts].path, &src->path);
		alt_plain(&a->alts[a->nalts]);
		a->nalts++;
	}
	return left;
}

int
fields_set_arg(struct fields *f, const char *arg, struct diag *err)
{
	const char *eq = strchr(arg, '=');
	char *name;
	int rc;

	if (eq == NULL || eq == arg) {
		diag_set(err, LOGQ_EXIT_USAGE,
		    "--field takes CANON=F1,F2,... (got '%s')", arg);
		return -1;
	}
	name = xstrndup(arg, (size_t)(eq - arg));
	rc = fields_set(f, name, eq + 1, err);
	free(name);
	return rc;
}

const struct fields_alias *
fields_find(const struct fields *f, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (strlen(f->aliases[i].name) == len &&
		    memcmp(f->aliases[i].name, name, len) == 0)
			return &f->aliases[i];
	return NULL;
}

static void
print_path(FILE *fp, const struct field_path *p)
{
	size_t i, j;

	for (i = 0; i < p->n; i++) {
		const char *s = p->seg[i];
		size_t len = p->seg_len[i];
		int bare = strcspn(s, ".,:?\" \t") == len;

		if (i)
			fputc('.', fp);
		if (bare) {
			fwrite(s, 1, len, fp);
			continue;
		}
		fputc('"', fp);
		for (j = 0; j < len; j++) {
			if (s[j] == '"' || s[j] == '\\')
				fputc('\\', fp);
			fputc(s[j], fp);
		}
		fputc('"', fp);
	}
}

void
fields_print(const struct fields *f, FILE *fp)
{
	fields_print_indented(f, "", fp);
}

void
fields_print_indented(const struct fields *f, const char *indent, FILE *fp)
{
	size_t i, j, k;

	for (i = 0; i < f->n; i++) {
		const struct fields_alias *a = &f->aliases[i];

		fprintf(fp, "%s%s=", indent, a->name);
		if (a->nalts == 0)
			fputs("[]", fp);
		for (j = 0; j < a->nalts; j++) {
			if (j)
				fputc(',', fp);
			print_path(fp, &a->alts[j].path);
			for (k = 0; k < sizeof(convs) / sizeof(convs[0]); k++)
				if (convs[k].conv == a->alts[j].conv)
					fprintf(fp, ":%s%s", convs[k].word,
					    a->alts[j].guess ? "?" : "");
		}
		fputc('\n', fp);
	}
}

void
fields_free(struct fields *f)
{
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < f->n; i++)
		alias_release(&f->aliases[i]);
	free(f->aliases);
	free(f);
}

/*
 * D times 10^EXP10, rounded once: the decimal that prints as D (its
 * shortest form that reads back the same, "0.7204"), with its exponent
 * moved, read back by strtod. A log writes a duration as decimal text,
 * and 0.7204 s is 720.4 ms; D * 1000 in doubles is 720.4000000000001,
 * and times 1e-6 (no double) 100000 ns is 0.09999999999999999 ms.
 */
static double
scale10(double d, int exp10)
{
	static const double pow10[] = { 1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6 };
	char text[48], *e;
	size_t n;
	int prec, exp = exp10;

	/* A whole number (ns, us, most ms) is its own decimal: one
	 * product or quotient of exact doubles, rounded once. */
	if (d > -9007199254740992.0 && d < 9007199254740992.0 &&
	    d == (double)(long long)d && exp10 >= -6 && exp10 <= 6)
		return exp10 >= 0 ? d * pow10[exp10] : d / pow10[-exp10];
	for (prec = 15; prec <= 17; prec++) {
		snprintf(text, sizeof(text), "%.*g", prec, d);
		if (strtod(text, NULL) == d)
			break;
	}
	if ((e = strchr(text, 'e')) != NULL) {
		exp += atoi(e + 1);
		*e = '\0';
	}
	n = strlen(text);
	text[n++] = 'e';
	if (exp < 0) {
		text[n++] = '-';
		exp = -exp;
	}
	if (exp >= 100)
		text[n++] = (char)('0' + exp / 100);
	if (exp >= 10)
		text[n++] = (char)('0' + exp / 10 % 10);
	text[n++] = (char)('0' + exp % 10);
	text[n] = '\0';
	return strtod(text, NULL);
}

/* V in a unit of 10^EXP10 milliseconds, as milliseconds. */
static struct value
scale_ms(struct value v, int exp10)
{
	double d;

	if (v.kind == VALUE_INT && exp10 == 0)
		return v;
	/* A number, or a numeric string, is in the alternative's unit;
	 * other strings are Go durations ("1.5s") whatever the unit. */
	if (value_parse_number(&v, &d))
		return value_real(exp10 == 0 ? d : scale10(d, exp10));
	if (v.kind == VALUE_STRING && timeparse_duration_ms(&v, &d))
		return value_real(d);
	return value_null();
}

/*
 * The method (WANT_METHOD) or the target of the HTTP request line V:
 * "METHOD SP target", then nothing or " HTTP/" and the version. The
 * method is upper-case letters (RFC 9110 methods as sent); anything
 * else is no request line, and absent.
 */
static struct value
request_line(struct value v, int want_method)
{
	const char *s = v.u.s.ptr;
	size_t len = v.u.s.len, m = 0, t;

	if (v.kind != VALUE_STRING)
		return value_null();
	while (m < len && s[m] >= 'A' && s[m] <= 'Z')
		m++;
	if (m == 0 || m + 1 >= len || s[m] != ' ')
		return value_null();
	for (t = m + 1; t < len && s[t] != ' '; t++)
		if ((unsigned char)s[t] < 0x21)
			return value_null();
	if (t == m + 1 || (t < len && (len - t < 6 ||
	    memcmp(s + t, " HTTP/", 6) != 0 ||
	    memchr(s + t + 6, ' ', len - t - 6) != NULL)))
		return value_null();
	if (want_method)
		return value_str(s, m);
	return value_str(s + m + 1, t - m - 1);
}

struct value
fields_convert(enum fields_conv conv, struct value v, struct arena *arena)
{
	static const char *const pino[] = {
		"trace", "debug", "info", "warn", "error", "fatal"
	};

	(void)arena;
	switch (conv) {
	case FIELDS_AS_IS:
		return v;
	case FIELDS_MS:
		return scale_ms(v, 0);
	case FIELDS_S:
		return scale_ms(v, 3);
	case FIELDS_US:
		return scale_ms(v, -3);
	case FIELDS_NS:
		return scale_ms(v, -6);
	case FIELDS_REQUEST_PATH:
		return request_line(v, 0);
	case FIELDS_REQUEST_METHOD:
		return request_line(v, 1);
	case FIELDS_PINO:
		/* 10 trace ... 60 fatal; between two, the lower (bunyan's
		 * 55 is an error). */
		if (v.kind == VALUE_INT && v.u.i >= 10 && v.u.i < 70) {
			const char *s = pino[v.u.i / 10 - 1];

			return value_str(s, strlen(s));
		}
		/* slog's levels between its names: "ERROR+4", "INFO-2". */
		if (v.kind == VALUE_STRING && v.u.s.len > 2 &&
		    v.u.s.ptr[v.u.s.len - 1] >= '0' &&
		    v.u.s.ptr[v.u.s.len - 1] <= '9') {
			size_t n = strcspn(v.u.s.ptr, "+-");
			const char *s;

			if (n < v.u.s.len - 1 && strspn(v.u.s.ptr + n + 1,
			    "0123456789") == v.u.s.len - n - 1 &&
			    (s = fields_level_name(v.u.s.ptr, n)) != NULL)
				return value_str(s, strlen(s));
		}
		return v;
	}
	return v;
}

static char
ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

const char *
fields_level_name(const char *name, size_t len)
{
	static const char *const names[] = {
		"trace", "debug", "info", "warn", "error", "fatal"
	};
	size_t i, j;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strlen(names[i]) != len)
			continue;
		for (j = 0; j < len && ascii_lower(name[j]) == names[i][j]; j++)
			;
		if (j == len)
			return names[i];
	}
	return NULL;
}

int
fields_vocab_map(const struct fields_vocab *vocab, struct value *v)
{
	struct buf text = BUF_INIT;
	const char *s;
	size_t i, j, len;

	if (v->kind == VALUE_STRING) {
		s = v->u.s.ptr;
		len = v->u.s.len;
	} else if (v->kind == VALUE_INT || v->kind == VALUE_REAL) {
		value_write_text(&text, v, VALUE_TEXT_PLAIN);
		s = buf_str(&text);
		len = text.len;
	} else
		return 0;
	for (i = 0; i < vocab->n; i++) {
		const struct fields_word *w = &vocab->words[i];

		if (w->len != len)
			continue;
		for (j = 0; j < len && ascii_lower(s[j]) ==
		    ascii_lower(w->raw[j]); j++)
			;
		if (j == len) {
			buf_release(&text);
			*v = value_str(w->canon, strlen(w->canon));
			return 1;
		}
	}
	buf_release(&text);
	return 0;
}
