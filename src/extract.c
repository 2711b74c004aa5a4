/* SPDX-License-Identifier: MIT */
/* extract.c - find the JSON object in a line and read its prefix */
#include "config.h"

#include <string.h>

#include "extract.h"

const char *const extract_field_names[EXTRACT_NFIELDS] = {
	"_time", "_app", "_instance", "_region", "_source_level", "_pod",
	"_container", "_service", "_stream"
};

/* Enough tokens to tell the forms apart: the longest (fly) has four. */
#define EXTRACT_MAX_TOKENS	5

struct extract_tokens {
	struct extract_span	 tok[EXTRACT_MAX_TOKENS];
	size_t			 n;	/* all tokens, even past the array */
};

static int
extract_is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static int
extract_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static struct extract_span
extract_span(const char *ptr, size_t len)
{
	struct extract_span sp = { ptr, len };

	return sp;
}

/* Trims blanks from both ends of [*ptr, *ptr + *len). */
static void
extract_trim(const char **ptr, size_t *len)
{
	while (*len > 0 && extract_is_blank(**ptr)) {
		(*ptr)++;
		(*len)--;
	}
	while (*len > 0 && extract_is_blank((*ptr)[*len - 1]))
		(*len)--;
}

static void
extract_tokenize(const char *s, size_t len, struct extract_tokens *t)
{
	size_t i = 0, begin;

	t->n = 0;
	while (i < len) {
		while (i < len && extract_is_blank(s[i]))
			i++;
		if (i == len)
			break;
		begin = i;
		while (i < len && !extract_is_blank(s[i]))
			i++;
		if (t->n < EXTRACT_MAX_TOKENS)
			t->tok[t->n] = extract_span(s + begin, i - begin);
		t->n++;
	}
}

/*
 * YYYY-MM-DDTHH:MM:SS, an optional fraction, then Z or +hh:mm/-hh:mm.
 * The shape only: the calendar is time()'s business, not the prefix's.
 */
static int
extract_is_rfc3339(struct extract_span sp)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:dd";
	const char *s = sp.ptr;
	size_t i, begin, len = sp.len;

	if (len < sizeof shape)		/* the shape plus at least "Z" */
		return 0;
	for (i = 0; i < sizeof shape - 1; i++) {
		if (shape[i] == 'd') {
			if (!extract_is_digit(s[i]))
				return 0;
		} else if (shape[i] == 'T') {
			if (s[i] != 'T' && s[i] != 't')
				return 0;
		} else if (s[i] != shape[i])
			return 0;
	}
	if (s[i] == '.') {
		begin = ++i;
		while (i < len && extract_is_digit(s[i]))
			i++;
		if (i == begin || i == len)
			return 0;
	}
	if (s[i] == 'Z' || s[i] == 'z')
		return i + 1 == len;
	if (s[i] != '+' && s[i] != '-')
		return 0;
	return len - i == 6 && extract_is_digit(s[i + 1]) &&
	    extract_is_digit(s[i + 2]) && s[i + 3] == ':' &&
	    extract_is_digit(s[i + 4]) && extract_is_digit(s[i + 5]);
}

/* fly: app[148e4d55f36278] gives the app and the instance. */
static int
extract_fly_app(struct extract_span sp, struct extract_prefix *out)
{
	const char *open = memchr(sp.ptr, '[', sp.len);
	size_t app_len, id_len;

	if (open == NULL || sp.ptr[sp.len - 1] != ']')
		return 0;
	app_len = (size_t)(open - sp.ptr);
	id_len = sp.len - app_len - 2;
	if (app_len == 0 || id_len == 0 ||
	    memchr(open + 1, ']', id_len) != NULL)
		return 0;
	out->field[EXTRACT_APP] = extract_span(sp.ptr, app_len);
	out->field[EXTRACT_INSTANCE] = extract_span(open + 1, id_len);
	return 1;
}

/* `2026-04-25T03:01:53Z app[148e4d55f36278] iad [info]` */
static int
extract_fly(const struct extract_tokens *t, struct extract_prefix *out)
{
	struct extract_span level;

	if (t->n != 4 || !extract_is_rfc3339(t->tok[0]))
		return 0;
	level = t->tok[3];
	if (level.len < 3 || level.ptr[0] != '[' ||
	    level.ptr[level.len - 1] != ']' ||
	    memchr(level.ptr + 1, '[', level.len - 2) != NULL)
		return 0;
	if (!extract_fly_app(t->tok[1], out))
		return 0;
	out->field[EXTRACT_TIME] = t->tok[0];
	out->field[EXTRACT_REGION] = t->tok[2];
	out->field[EXTRACT_SOURCE_LEVEL] = extract_span(level.ptr + 1,
	    level.len - 2);
	return 1;
}

/* kubectl --prefix: [pod/api-7d9f8c6b5-x2k4q/api] */
static int
extract_kubectl_pod(struct extract_span sp, struct extract_prefix *out)
{
	static const char head[] = "[pod/";
	const char *name, *slash;
	size_t inner_len, name_len;

	if (sp.len < sizeof head + 3 || memcmp(sp.ptr, head,
	    sizeof head - 1) != 0 || sp.ptr[sp.len - 1] != ']')
		return 0;
	name = sp.ptr + sizeof head - 1;
	inner_len = sp.len - (sizeof head - 1) - 1;
	slash = memchr(name, '/', inner_len);
	if (slash == NULL)
		return 0;
	name_len = (size_t)(slash - name);
	if (name_len == 0 || name_len + 1 == inner_len ||
	    memchr(slash + 1, '/', inner_len - name_len - 1) != NULL)
		return 0;
	out->field[EXTRACT_POD] = extract_span(name, name_len);
	out->field[EXTRACT_CONTAINER] = extract_span(slash + 1,
	    inner_len - name_len - 1);
	return 1;
}

/* [pod/...], with --timestamps either before or after it. */
static int
extract_kubectl(const struct extract_tokens *t, struct extract_prefix *out)
{
	if (t->n == 1)
		return extract_kubectl_pod(t->tok[0], out);
	if (t->n != 2)
		return 0;
	if (extract_is_rfc3339(t->tok[0]) &&
	    extract_kubectl_pod(t->tok[1], out)) {
		out->field[EXTRACT_TIME] = t->tok[0];
		return 1;
	}
	if (extract_is_rfc3339(t->tok[1]) &&
	    extract_kubectl_pod(t->tok[0], out)) {
		out->field[EXTRACT_TIME] = t->tok[1];
		return 1;
	}
	return 0;
}

/*
 * docker compose: `api-1  | `; with --timestamps an RFC 3339 time
 * follows the bar. The service name is one token.
 */
static int
extract_docker(const char *s, size_t len, struct extract_prefix *out)
{
	const char *bar = memchr(s, '|', len), *name, *rest;
	size_t name_len, rest_len;
	struct extract_tokens t;

	if (bar == NULL)
		return 0;
	name = s;
	name_len = (size_t)(bar - s);
	extract_trim(&name, &name_len);
	extract_tokenize(name, name_len, &t);
	if (t.n != 1)
		return 0;
	rest = bar + 1;
	rest_len = (size_t)(s + len - rest);
	extract_trim(&rest, &rest_len);
	if (rest_len > 0 && !extract_is_rfc3339(extract_span(rest, rest_len)))
		return 0;
	out->field[EXTRACT_SERVICE] = extract_span(name, name_len);
	if (rest_len > 0)
		out->field[EXTRACT_TIME] = extract_span(rest, rest_len);
	return 1;
}

/*
 * stern's `pod container`: Kubernetes names are DNS labels, so asking
 * for [A-Za-z0-9._-] keeps logfmt (`level=info`) and bracketed text out.
 */
static int
extract_is_stern_name(struct extract_span sp)
{
	size_t i;
	char c;

	for (i = 0; i < sp.len; i++) {
		c = sp.ptr[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    extract_is_digit(c) || c == '.' || c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

void
extract_prefix(const char *line, size_t obj_start, struct extract_prefix *out)
{
	const char *s = line;
	size_t len = obj_start;
	struct extract_tokens t;
	struct extract_cri cri;

	memset(out, 0, sizeof *out);
	out->kind = EXTRACT_PREFIX_NONE;
	extract_trim(&s, &len);
	if (len == 0)
		return;
	out->text = extract_span(s, len);
	extract_tokenize(s, len, &t);

	if (extract_docker(s, len, out))
		out->kind = EXTRACT_PREFIX_DOCKER;
	else if (extract_fly(&t, out))
		out->kind = EXTRACT_PREFIX_FLY;
	else if (extract_kubectl(&t, out))
		out->kind = EXTRACT_PREFIX_KUBECTL;
	else if (t.n == 3 && extract_cri(s, len + 1, &cri) &&
	    !cri.is_partial && cri.content == len + 1) {
		/* A whole line; a partial one (P) is joined with the rest
		 * of its run by the reader (reader.c) before it gets here. */
		out->kind = EXTRACT_PREFIX_CRI;
		out->field[EXTRACT_TIME] = t.tok[0];
		out->field[EXTRACT_STREAM] = t.tok[1];
	}
	else if (t.n == 1 && extract_is_rfc3339(t.tok[0])) {
		out->kind = EXTRACT_PREFIX_TIMESTAMP;
		out->field[EXTRACT_TIME] = t.tok[0];
	} else if (t.n == 2 && extract_is_stern_name(t.tok[0]) &&
	    extract_is_stern_name(t.tok[1])) {
		out->kind = EXTRACT_PREFIX_STERN;
		out->field[EXTRACT_POD] = t.tok[0];
		out->field[EXTRACT_CONTAINER] = t.tok[1];
	} else
		out->kind = EXTRACT_PREFIX_OTHER;
}

size_t
extract_next_candidate(const char *line, size_t len, size_t from)
{
	const char *brace;
	size_t last = len;

	while (last > 0 && extract_is_blank(line[last - 1]))
		last--;
	if (last == 0 || line[last - 1] != '}')
		return (size_t)-1;
	last--;			/* the closing '}' cannot start an object */
	if (from >= last)
		return (size_t)-1;
	if (line[from] == '{')	/* most lines: no prefix */
		return from;
	brace = memchr(line + from, '{', last - from);
	return brace == NULL ? (size_t)-1 : (size_t)(brace - line);
}

int
extract_cri(const char *line, size_t len, struct extract_cri *out)
{
	const char *sp, *tag;
	size_t tag_len;

	/* The first byte of every RFC 3339 time: most lines stop here. */
	if (len == 0 || !extract_is_digit(line[0]) ||
	    (sp = memchr(line, ' ', len)) == NULL ||
	    !extract_is_rfc3339(extract_span(line, (size_t)(sp - line))))
		return 0;
	sp++;
	if ((size_t)(line + len - sp) < 7 || sp[6] != ' ' ||
	    (memcmp(sp, "stdout", 6) != 0 && memcmp(sp, "stderr", 6) != 0))
		return 0;
	out->is_stderr = sp[3] == 'e';
	out->head_len = (size_t)(sp + 7 - line);
	tag = sp + 7;
	sp = memchr(tag, ' ', (size_t)(line + len - tag));
	if (sp == NULL)
		return 0;
	tag_len = (size_t)(sp - tag);
	if (tag_len == 0 || (tag_len > 1 && tag[1] != ':') ||
	    (tag[0] != 'P' && tag[0] != 'F'))
		return 0;
	out->is_partial = tag[0] == 'P';
	out->content = (size_t)(sp + 1 - line);
	return 1;
}
