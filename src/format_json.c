/* SPDX-License-Identifier: MIT */
/* format_json.c - one JSON document for all queries (SPEC 5) */
#include "config.h"

#include <string.h>

#include "format_priv.h"

/*
 * The document is written a line per row, so it streams and diffs well:
 *   {"queries":[
 *   {"name":"errors","columns":["time","msg"],"rows":[
 *   {"time":"...","msg":"..."},
 *   ...
 *   ],"assertions":[]}
 *   ],"stats":{"lines":10,"json":9,"skipped":1,"joined":0,"repaired":0},
 *   "percentiles":"exact"}   (on one line)
 */
static void
json_str(struct buf *b, const char *s)
{
	struct value v = value_str(s, strlen(s));

	value_write_json(b, &v);
}

static void
json_begin(struct formatter *f)
{
	fputs("{\"queries\":[\n", f->out);
}

static void
json_begin_section(struct formatter *f, struct format_section *s)
{
	struct buf *b = &f->scratch;
	size_t i;

	buf_reset(b);
	if (s->later)
		buf_addc(b, ',');
	buf_adds(b, "{\"name\":");
	json_str(b, s->q->name);
	buf_adds(b, ",\"columns\":[");
	for (i = 0; i < s->q->ncolumns; i++) {
		if (i)
			buf_addc(b, ',');
		json_str(b, s->q->columns[i]);
	}
	buf_adds(b, "],\"rows\":[\n");
	fwrite(b->ptr, 1, b->len, s->fp);
}

static void
json_row(struct formatter *f, struct format_section *s,
    const struct value *cells, const struct line *line)
{
	struct buf *b = &f->scratch;
	size_t i;

	(void)line;
	buf_reset(b);
	if (s->nrows > 0)
		buf_addc(b, ',');
	buf_addc(b, '{');
	for (i = 0; i < s->q->ncolumns; i++) {
		if (i)
			buf_addc(b, ',');
		json_str(b, s->q->columns[i]);
		buf_addc(b, ':');
		value_write_json(b, &cells[i]);
	}
	buf_adds(b, "}\n");
	format_json_write(s->fp, b);
}

/* An object of scalars (an assertion's key or values) written with
 * value_write_json, so numbers read as they do in the rows. */
static void
json_object_write(struct buf *b, const json_t *obj)
{
	const char *key;
	json_t *val;
	int first = 1;

	buf_addc(b, '{');
	json_object_foreach((json_t *)obj, key, val) {
		struct value v = value_from_json(val);

		if (!first)
			buf_addc(b, ',');
		first = 0;
		json_str(b, key);
		buf_addc(b, ':');
		value_write_json(b, &v);
	}
	buf_addc(b, '}');
}

static void
json_end_section(struct formatter *f, struct format_section *s)
{
	struct buf *b = &f->scratch;
	size_t i;

	buf_reset(b);
	buf_adds(b, "],\"assertions\":[");
	for (i = 0; i < s->nasserts; i++) {
		const struct format_assertion *a = &s->asserts[i];

		buf_adds(b, i ? ",\n{\"assert\":" : "\n{\"assert\":");
		json_str(b, a->expr);
		buf_printf(b, ",\"passed\":%s", a->passed ? "true" : "false");
		if (a->key) {
			buf_adds(b, ",\"key\":");
			json_object_write(b, a->key);
		}
		if (a->values) {
			buf_adds(b, ",\"values\":");
			json_object_write(b, a->values);
		}
		buf_addc(b, '}');
	}
	buf_adds(b, "]}\n");
	format_json_write(s->fp, b);
}

static void
json_finish(struct formatter *f, const struct format_stats *st)
{
	fprintf(f->out, "],\"stats\":{\"lines\":%lld,\"json\":%lld,"
	    "\"skipped\":%lld,\"joined\":%lld,\"repaired\":%lld},"
	    "\"percentiles\":\"%s\"}\n",
	    (long long)st->lines, (long long)st->json,
	    (long long)st->skipped, (long long)st->joined,
	    (long long)st->repaired,
	    st->percentiles ? st->percentiles : "exact");
}

const struct format_impl format_json_impl = {
	.sectioned = 1,
	.begin = json_begin,
	.begin_section = json_begin_section,
	.row = json_row,
	.end_section = json_end_section,
	.finish = json_finish,
};
