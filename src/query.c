/* SPDX-License-Identifier: MIT */
/* query.c - YAML query mappings (a yamltree) -> struct query; reports,
 * use: and set: are report.c's */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "diag.h"
#include "query.h"
#include "query_priv.h"
#include "querypath.h"
#include "suggest.h"
#include "timeparse.h"
#include "util.h"
#include "value.h"
#include "yamltree.h"

static const char *const query_keys[] = {
	"name", "description", "where", "select", "group_by", "aggregate",
	"having", "sort", "limit", "assert", "params", "fields", "chart", NULL
};
enum {
	QK_NAME, QK_DESCRIPTION, QK_WHERE, QK_SELECT, QK_GROUP_BY,
	QK_AGGREGATE, QK_HAVING, QK_SORT, QK_LIMIT, QK_ASSERT, QK_PARAMS,
	QK_FIELDS, QK_CHART, QK_COUNT
};

/* The input statistics of SPEC 3.7 are $names too; a param may not
 * hide them. */
static const char *const stat_names[] = {
	"lines", "json", "skipped", "repaired", "matched", "stalled",
	NULL
};

/* Names and suggestions. */

/* Appends " (did you mean 'X'?)" when a name of NAMES is close. */
void
query_add_suggestion(struct buf *b, const char *word, const char *const *names,
    size_t n)
{
	const char *s = suggest_among(word, strlen(word), names, n);

	if (s != NULL)
		buf_printf(b, " (did you mean '%s'?)", s);
}

static int
named_cmp(const void *va, const void *vb)
{
	const struct named *a = va, *b = vb;
	size_t n = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->name, b->name, n);

	if (c != 0)
		return c;
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/*
 * Finds the earliest name of V that repeats one before it: 1 with the
 * indices of both, else 0. Sorts V. Sorting keeps a hostile file of many
 * keys from costing n squared.
 */
int
query_find_repeat(struct named *v, size_t n, size_t *first, size_t *second)
{
	size_t i, run = 0;
	int found = 0;

	if (n < 2)
		return 0;
	qsort(v, n, sizeof(*v), named_cmp);
	for (i = 1; i < n; i++) {
		if (v[i].len != v[run].len ||
		    memcmp(v[i].name, v[run].name, v[i].len) != 0) {
			run = i;
			continue;
		}
		/* Sorted by index within a run: the run's second. */
		if (i == run + 1 && (!found || v[i].idx < *second)) {
			*first = v[run].idx;
			*second = v[i].idx;
			found = 1;
		}
	}
	return found;
}

/* Mappings. */

/* Keys must be scalars, not empty and unique. WHAT names the mapping
 * in messages ("query", "'select'"). */
int
query_check_map(struct loader *ld, const struct yamltree_src *s,
    const struct yamltree_node *map, const char *what)
{
	struct named *v;
	size_t i, first, second;
	const struct yamltree_node *k;

	for (i = 0; i < map->n; i += 2) {
		k = map->items[i];
		if (k->kind != YAMLTREE_SCALAR)
			return fail_node(ld, s, k,
			    "keys of %s must be names, not %s", what,
			    yamltree_kind_name(k));
		if (k->len == 0)
			return fail_node(ld, s, k, "empty key in %s", what);
	}
	v = xcalloc(map->n / 2 + 1, sizeof(*v));
	for (i = 0; i < map->n; i += 2)
		v[i / 2] = (struct named){ map->items[i]->text,
		    map->items[i]->len, i };
	if (query_find_repeat(v, map->n / 2, &first, &second)) {
		free(v);
		k = map->items[second];
		return fail_node(ld, s, k,
		    "duplicate key '%s' in %s (first at line %u)", k->text,
		    what, yamltree_pos(s, map->items[first]->start).line);
	}
	free(v);
	return 0;
}

/* Params, fields and set: are copied from reports into queries and
 * looked up by name: their size is bounded. */
int
query_check_entries(struct loader *ld, const struct yamltree_src *s,
    const struct yamltree_node *map, const char *what)
{
	if (map->n / 2 > QUERY_MAX_ENTRIES)
		return fail_node(ld, s, map->items[2 * QUERY_MAX_ENTRIES],
		    "%s has more than %d entries", what, QUERY_MAX_ENTRIES);
	return 0;
}

/* Checks MAP against KEYS (NULL-terminated) and fills KV[i] for KEYS[i]
 * (zeroed when absent). */
int
query_map_keys(struct loader *ld, const struct yamltree_src *s,
    const struct yamltree_node *map, const char *what, const char *const *keys,
    struct keyval *kv)
{
	struct buf msg = BUF_INIT;
	size_t i, k, nkeys;
	const struct yamltree_node *key;

	for (nkeys = 0; keys[nkeys] != NULL; nkeys++)
		kv[nkeys] = (struct keyval){ NULL, NULL };
	if (query_check_map(ld, s, map, what) == -1)
		return -1;
	for (i = 0; i < map->n; i += 2) {
		key = map->items[i];
		for (k = 0; k < nkeys; k++)
			if (strcmp(key->text, keys[k]) == 0)
				break;
		if (k < nkeys) {
			kv[k] = (struct keyval){ key, map->items[i + 1] };
			continue;
		}
		buf_printf(&msg, "unknown key '%s' in %s", key->text, what);
		query_add_suggestion(&msg, key->text, keys, nkeys);
		buf_adds(&msg, "; allowed: ");
		for (k = 0; k < nkeys; k++)
			buf_printf(&msg, "%s%s", k ? ", " : "", keys[k]);
		fail_node(ld, s, key, "%s", buf_str(&msg));
		buf_release(&msg);
		return -1;
	}
	return 0;
}

/* The value of KEY in MAP (keys scalar), or NULL. */
const struct yamltree_node *
query_map_get(const struct yamltree_node *map, const char *key)
{
	size_t i;

	for (i = 0; i < map->n; i += 2)
		if (map->items[i]->kind == YAMLTREE_SCALAR &&
		    strcmp(map->items[i]->text, key) == 0)
			return map->items[i + 1];
	return NULL;
}

/* Values. */

/* Quoted and block scalars are strings; plain ones are typed. */
static struct value
scalar_value(const struct yamltree_node *n)
{
	if (n->is_str)
		return value_str(xstrndup(n->text, n->len), n->len);
	return yamltree_scalar_value(n->text, n->len);
}

/* A param value: a scalar, or a list of scalars (VALUE_LIST). */
int
query_param_value(struct loader *ld, const struct yamltree_src *s,
    const struct yamltree_node *n, const char *name, struct value *out)
{
	struct value *items;
	size_t i;

	if (n->kind == YAMLTREE_SCALAR) {
		*out = scalar_value(n);
		return 0;
	}
	if (n->kind == YAMLTREE_MAP)
		return fail_node(ld, s, n,
		    "param '%s' must be a scalar or a list of scalars", name);
	for (i = 0; i < n->n; i++)
		if (n->items[i]->kind != YAMLTREE_SCALAR)
			return fail_node(ld, s, n->items[i],
			    "param '%s' must be a scalar or a list of scalars",
			    name);
	items = n->n ? xcalloc(n->n, sizeof(*items)) : NULL;
	for (i = 0; i < n->n; i++)
		items[i] = scalar_value(n->items[i]);
	*out = (struct value){ .kind = VALUE_LIST,
	    .u.list = { items, n->n } };
	return 0;
}

static int
is_param_name(const char *t)
{
	size_t i;

	if (*t >= '0' && *t <= '9')
		return 0;
	for (i = 0; t[i] != '\0'; i++)
		if (!(t[i] == '_' || (t[i] >= 'a' && t[i] <= 'z') ||
		    (t[i] >= 'A' && t[i] <= 'Z') || (t[i] >= '0' && t[i] <= '9')))
			return 0;
	return i > 0;
}

static int
is_stat_name(const char *t)
{
	size_t i;

	for (i = 0; stat_names[i] != NULL; i++)
		if (strcmp(t, stat_names[i]) == 0)
			return 1;
	return 0;
}

/* Queries. */

static struct query *
query_new(const char *file)
{
	struct query *q = xcalloc(1, sizeof(*q));

	q->file = xstrdup(file);
	q->limit = -1;
	return q;
}

/* Positions inside Q borrow Q's own copy of the file name. */
static struct diag_pos
query_pos(const struct query *q, const struct yamltree_src *s, yaml_mark_t mark)
{
	struct diag_pos pos = yamltree_pos(s, mark);

	pos.file = q->file;
	return pos;
}

/* A copy of FILE that Q owns, for positions from another file (a
 * report's params, fields and set:). */
const char *
query_intern_file(struct query *q, const char *file)
{
	size_t i;

	if (file == NULL || strcmp(file, q->file) == 0)
		return q->file;
	for (i = 0; i < q->nother_files; i++)
		if (strcmp(file, q->other_files[i]) == 0)
			return q->other_files[i];
	q->other_files = xrealloc(q->other_files,
	    (q->nother_files + 1) * sizeof(*q->other_files));
	q->other_files[q->nother_files] = xstrdup(file);
	return q->other_files[q->nother_files++];
}

/*
 * The column of the text's first byte in its line, when the text is the
 * line's bytes as they are: plain scalars on one line, and quoted ones
 * on one line without escapes. 0 otherwise.
 */
static unsigned
text_src_col(const struct yamltree_src *s, const struct yamltree_node *n,
    unsigned col)
{
	size_t a = yamltree_offset(s, n->start), b = yamltree_offset(s, n->end);

	if (n->start.line != n->end.line)
		return 0;
	switch (n->style) {
	case YAML_PLAIN_SCALAR_STYLE:
		break;
	case YAML_SINGLE_QUOTED_SCALAR_STYLE:
	case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
		if (b < a + 2)
			return 0;
		a++;
		b--;
		col++;
		break;
	default:
		return 0;
	}
	/* An escape always makes the text shorter than its source. */
	if (b - a != n->len || memcmp(s->text + a, n->text, n->len) != 0)
		return 0;
	return col;
}

static void
text_fill(struct query *q, const struct yamltree_src *s,
    const struct yamltree_node *n, struct query_text *out)
{
	size_t line;

	out->text = xstrndup(n->text, n->len);
	out->len = n->len;
	out->pos = query_pos(q, s, n->start);
	line = out->pos.line - 1;
	out->src_line = xstrndup(s->text + s->starts[line],
	    s->ends[line] - s->starts[line]);
	out->src_col = text_src_col(s, n, out->pos.col);
}

static void
text_release(struct query_text *t)
{
	free(t->text);
	free(t->src_line);
}

/* An expression: a scalar with text; WRONG is the message otherwise. */
static int
text_from(struct loader *ld, const struct yamltree_src *s, struct query *q,
    const struct yamltree_node *n, const char *wrong, struct query_text *out)
{
	if (n->kind != YAMLTREE_SCALAR || n->len == 0)
		return fail_node(ld, s, n, "%s", wrong);
	text_fill(q, s, n, out);
	return 0;
}

static struct query_text *
text_new(struct loader *ld, const struct yamltree_src *s, struct query *q,
    const struct yamltree_node *n, const char *wrong)
{
	struct query_text *t = xcalloc(1, sizeof(*t));

	if (text_from(ld, s, q, n, wrong, t) == -1) {
		free(t);
		return NULL;
	}
	return t;
}

int
query_string_from(struct loader *ld, const struct yamltree_src *s,
    const struct yamltree_node *n, const char *wrong, char **out)
{
	if (n->kind != YAMLTREE_SCALAR || n->len == 0)
		return fail_node(ld, s, n, "%s", wrong);
	free(*out);
	*out = xstrndup(n->text, n->len);
	return 0;
}

/*
 * select, group_by, aggregate: a mapping column: expression, or (when
 * allowed) a list of expressions or (ALLOW_ONE) one expression, each
 * named by its text. KEY is the query key, WRONG the message for a
 * wrong type.
 */
static int
columns_from(struct loader *ld, const struct yamltree_src *s, struct query *q,
    const struct yamltree_node *n, const char *key, int allow_list,
    int allow_one, const char *wrong, struct query_column **out,
    size_t *nout)
{
	struct query_column *c;
	struct named *names;
	char *what;
	size_t i, count, first, second;
	const struct yamltree_node *item;
	int rc;

	if (n->kind == YAMLTREE_MAP) {
		what = xasprintf("'%s'", key);
		rc = query_check_map(ld, s, n, what);
		free(what);
		if (rc == -1)
			return -1;
		count = n->n / 2;
	} else if (n->kind == YAMLTREE_SEQ && allow_list)
		count = n->n;
	else if (n->kind == YAMLTREE_SCALAR && allow_one)
		count = 1;
	else
		return fail_node(ld, s, n, "%s", wrong);
	if (count == 0 || (n->kind == YAMLTREE_SCALAR && n->len == 0))
		return fail_node(ld, s, n, "'%s' is empty", key);

	*out = c = xcalloc(count, sizeof(*c));
	*nout = 0;
	for (i = 0; i < count; i++) {
		if (n->kind == YAMLTREE_MAP) {
			item = n->items[2 * i + 1];
			c[i].name = xstrdup(n->items[2 * i]->text);
		} else {
			item = n->kind == YAMLTREE_SEQ ? n->items[i] : n;
			if (item->kind == YAMLTREE_SCALAR && item->len > 0)
				c[i].name = xstrdup(item->text);
		}
		if (text_from(ld, s, q, item, wrong, &c[i].expr) == -1) {
			free(c[i].name);
			return -1;
		}
		(*nout)++;
	}
	if (n->kind != YAMLTREE_SEQ)
		return 0;
	/* The mapping form has unique keys; the list form may repeat. */
	names = xcalloc(count, sizeof(*names));
	for (i = 0; i < count; i++)
		names[i] = (struct named){ c[i].name, strlen(c[i].name), i };
	if (query_find_repeat(names, count, &first, &second)) {
		free(names);
		return fail_node(ld, s, n->items[second],
		    "duplicate column '%s' in '%s' (first at line %u)",
		    c[second].name, key, c[first].expr.pos.line);
	}
	free(names);
	return 0;
}

static int
sort_from(struct loader *ld, const struct yamltree_src *s, struct query *q,
    const struct yamltree_node *n)
{
	static const char wrong[] =
	    "'sort' must be a column name or a list of column names";
	const struct yamltree_node *item;
	size_t i, count = n->kind == YAMLTREE_SEQ ? n->n : 1;
	const char *t;

	if (n->kind == YAMLTREE_MAP)
		return fail_node(ld, s, n, "%s", wrong);
	if (count == 0)
		return fail_node(ld, s, n, "'sort' is empty");
	q->sort = xcalloc(count, sizeof(*q->sort));
	for (i = 0; i < count; i++) {
		item = n->kind == YAMLTREE_SEQ ? n->items[i] : n;
		if (item->kind != YAMLTREE_SCALAR || item->len == 0)
			return fail_node(ld, s, item, "%s", wrong);
		t = item->text;
		if (*t == '-' && t[1] == '\0')
			return fail_node(ld, s, item,
			    "'sort' item '-' names no column");
		q->sort[i].descending = *t == '-';
		q->sort[i].column = xstrdup(t + (*t == '-'));
		q->sort[i].pos = query_pos(q, s, item->start);
		q->nsort++;
	}
	return 0;
}

static int
limit_from(struct loader *ld, const struct yamltree_src *s, struct query *q,
    const struct yamltree_node *n)
{
	long long v;

	if (n->kind != YAMLTREE_SCALAR || n->is_str || n->len == 0 ||
	    strspn(n->text, "0123456789") != n->len)
		return fail_node(ld, s, n,
		    "'limit' must be a non-negative integer");
	errno = 0;
	v = strtoll(n->text, NULL, 10);
	if (errno == ERANGE)
		return fail_node(ld, s, n, "'limit' is too large");
	q->limit = v;
	return 0;
}

static int
asserts_from(struct loader *ld, const struct yamltree_src *s, struct query *q,
    const struct yamltree_node *n)
{
	static const char wrong[] = "'assert' must be a list of expressions";
	size_t i, count = n->kind == YAMLTREE_SEQ ? n->n : 1;

	if (n->kind == YAMLTREE_MAP)
		return fail_node(ld, s, n, "%s", wrong);
	if (count == 0)
		return fail_node(ld, s, n, "'assert' is empty");
	q->asserts = xcalloc(count, sizeof(*q->asserts));
	for (i = 0; i < count; i++) {
		if (text_from(ld, s, q,
		    n->kind == YAMLTREE_SEQ ? n->items[i] : n,
		    wrong, &q->asserts[i]) == -1)
			return -1;
		q->nasserts++;
	}
	return 0;
}

/* params: mapping name -> value. Positions name POSFILE. */
int
query_params_from(struct loader *ld, const struct yamltree_src *s,
    const char *posfile, const struct yamltree_node *n,
    struct query_param **out, size_t *nout)
{
	struct query_param *p;
	const struct yamltree_node *k;
	size_t i;

	if (n->kind != YAMLTREE_MAP)
		return fail_node(ld, s, n,
		    "'params' must be a mapping of name: default value");
	if (query_check_map(ld, s, n, "'params'") == -1 ||
	    query_check_entries(ld, s, n, "'params'") == -1)
		return -1;
	*out = n->n ? xcalloc(n->n / 2, sizeof(**out)) : NULL;
	*nout = 0;
	for (i = 0; i < n->n; i += 2) {
		k = n->items[i];
		if (!is_param_name(k->text))
			return fail_node(ld, s, k, "param name '%s' is not "
			    "valid: use letters, digits and '_'", k->text);
		if (is_stat_name(k->text))
			return fail_node(ld, s, k, "'$%s' is built in; "
			    "choose another param name", k->text);
		p = &(*out)[*nout];
		if (query_param_value(ld, s, n->items[i + 1], k->text,
		    &p->value) == -1)
			return -1;
		p->dflt = value_heap_copy(&p->value);
		p->name = xstrdup(k->text);
		p->pos = yamltree_pos(s, n->items[i + 1]->start);
		p->pos.file = posfile;
		(*nout)++;
	}
	return 0;
}

/* fields: mapping name -> "a,b" or [a, b]. Positions name POSFILE. */
int
query_fields_from(struct loader *ld, const struct yamltree_src *s,
    const char *posfile, const struct yamltree_node *n,
    struct query_field **out, size_t *nout)
{
	struct query_field *f;
	struct buf spec = BUF_INIT;
	const struct yamltree_node *k, *v;
	size_t i, j = 0;

	if (n->kind != YAMLTREE_MAP)
		return fail_node(ld, s, n,
		    "'fields' must be a mapping of name: field list");
	if (query_check_map(ld, s, n, "'fields'") == -1 ||
	    query_check_entries(ld, s, n, "'fields'") == -1)
		return -1;
	*out = n->n ? xcalloc(n->n / 2, sizeof(**out)) : NULL;
	*nout = 0;
	for (i = 0; i < n->n; i += 2) {
		k = n->items[i];
		v = n->items[i + 1];
		buf_reset(&spec);
		if (v->kind == YAMLTREE_SCALAR && v->len > 0)
			buf_add(&spec, v->text, v->len);
		else if (v->kind == YAMLTREE_SEQ) {
			for (j = 0; j < v->n; j++) {
				if (v->items[j]->kind != YAMLTREE_SCALAR ||
				    v->items[j]->len == 0)
					break;
				if (j > 0)
					buf_addc(&spec, ',');
				buf_add(&spec, v->items[j]->text,
				    v->items[j]->len);
			}
		}
		if (spec.len == 0 || (v->kind == YAMLTREE_SEQ && j < v->n)) {
			buf_release(&spec);
			return fail_node(ld, s, v, "field '%s' must be a list "
			    "of field names or a string \"a,b\"", k->text);
		}
		f = &(*out)[(*nout)++];
		f->name = xstrdup(k->text);
		f->spec = xstrndup(spec.ptr, spec.len);
		f->pos = yamltree_pos(s, v->start);
		f->pos.file = posfile;
	}
	buf_release(&spec);
	return 0;
}

/* Builds a query from MAP; DEFAULT_NAME unless it has a `name:`. */
struct query *
query_from_map(struct loader *ld, const struct yamltree_src *s,
    const struct yamltree_node *map, const char *default_name)
{
	struct keyval kv[QK_COUNT];
	struct query *q;
	struct named *names;
	size_t i, n, first, second;

	if (query_map_keys(ld, s, map, "query", query_keys, kv) == -1)
		return NULL;
	q = query_new(s->file);
	q->pos = query_pos(q, s, map->start);
	if (kv[QK_NAME].val == NULL)
		q->name = xstrdup(default_name);
	else if (query_string_from(ld, s, kv[QK_NAME].val,
	    "'name' must be a non-empty string", &q->name) == -1)
		goto fail;
	if (kv[QK_DESCRIPTION].val != NULL) {
		if (kv[QK_DESCRIPTION].val->kind != YAMLTREE_SCALAR) {
			fail_node(ld, s, kv[QK_DESCRIPTION].val,
			    "'description' must be a string");
			goto fail;
		}
		if (kv[QK_DESCRIPTION].val->len > 0)
			q->description = xstrdup(kv[QK_DESCRIPTION].val->text);
	}
	if (kv[QK_WHERE].val != NULL && (q->where = text_new(ld, s, q,
	    kv[QK_WHERE].val, "'where' must be an expression")) == NULL)
		goto fail;
	if (kv[QK_SELECT].val != NULL) {
		q->has_select = 1;
		if (columns_from(ld, s, q, kv[QK_SELECT].val, "select", 1, 0,
		    "'select' must be a list of expressions or a mapping of "
		    "column: expression", &q->select, &q->nselect) == -1)
			goto fail;
	}
	if (kv[QK_GROUP_BY].val != NULL && columns_from(ld, s, q,
	    kv[QK_GROUP_BY].val, "group_by", 1, 1, "'group_by' must be an "
	    "expression, a list of expressions or a mapping of column: "
	    "expression", &q->group_by, &q->ngroup_by) == -1)
		goto fail;
	if (kv[QK_AGGREGATE].val != NULL) {
		q->has_aggregate = 1;
		if (columns_from(ld, s, q, kv[QK_AGGREGATE].val, "aggregate",
		    0, 0, "'aggregate' must be a mapping of column: aggregate "
		    "expression", &q->aggregate, &q->naggregate) == -1)
			goto fail;
	}
	if (kv[QK_HAVING].val != NULL && (q->having = text_new(ld, s, q,
	    kv[QK_HAVING].val, "'having' must be an expression")) == NULL)
		goto fail;
	if (kv[QK_SORT].val != NULL &&
	    sort_from(ld, s, q, kv[QK_SORT].val) == -1)
		goto fail;
	if (kv[QK_LIMIT].val != NULL &&
	    limit_from(ld, s, q, kv[QK_LIMIT].val) == -1)
		goto fail;
	if (kv[QK_ASSERT].val != NULL &&
	    asserts_from(ld, s, q, kv[QK_ASSERT].val) == -1)
		goto fail;
	if (kv[QK_PARAMS].val != NULL && query_params_from(ld, s, q->file,
	    kv[QK_PARAMS].val, &q->params, &q->nparams) == -1)
		goto fail;
	if (kv[QK_FIELDS].val != NULL && query_fields_from(ld, s, q->file,
	    kv[QK_FIELDS].val, &q->fields, &q->nfields) == -1)
		goto fail;
	if (kv[QK_CHART].val != NULL &&
	    query_string_from(ld, s, kv[QK_CHART].val,
	    "'chart' must be a column name", &q->chart) == -1)
		goto fail;

	if (q->has_select && q->has_aggregate) {
		fail_node(ld, s, kv[QK_AGGREGATE].key, "'select' and "
		    "'aggregate' cannot be used together: 'select' lists "
		    "lines, 'aggregate' sums them up in groups");
		goto fail;
	}
	if (!q->has_aggregate && kv[QK_GROUP_BY].key != NULL) {
		fail_node(ld, s, kv[QK_GROUP_BY].key,
		    "'group_by' needs 'aggregate'");
		goto fail;
	}
	if (!q->has_aggregate && kv[QK_HAVING].key != NULL) {
		fail_node(ld, s, kv[QK_HAVING].key,
		    "'having' needs 'aggregate'");
		goto fail;
	}
	if (q->where == NULL && !q->has_select && !q->has_aggregate) {
		fail_mark(ld, s, map->start, "query '%s' is empty: it needs "
		    "'where', 'select' or 'aggregate'", q->name);
		goto fail;
	}
	/* Group columns and aggregates share one row. */
	n = q->ngroup_by + q->naggregate;
	names = xcalloc(n + 1, sizeof(*names));
	for (i = 0; i < n; i++) {
		const char *c = i < q->ngroup_by ? q->group_by[i].name :
		    q->aggregate[i - q->ngroup_by].name;

		names[i] = (struct named){ c, strlen(c), i };
	}
	if (query_find_repeat(names, n, &first, &second)) {
		const struct query_column *c1, *c2;

		c1 = first < q->ngroup_by ? &q->group_by[first] :
		    &q->aggregate[first - q->ngroup_by];
		c2 = second < q->ngroup_by ? &q->group_by[second] :
		    &q->aggregate[second - q->ngroup_by];
		free(names);
		fail_pos(ld, s, c2->expr.pos, 1, "column '%s' is both in "
		    "'group_by' and 'aggregate' (first at line %u)", c2->name,
		    c1->expr.pos.line);
		goto fail;
	}
	free(names);
	return q;

fail:
	query_free(q);
	return NULL;
}

void
query_list_add(struct query_list *l, struct query *q)
{
	XGROW(l->items, l->n + 1, l->alloc);
	l->items[l->n++] = q;
}

void
query_params_free(struct query_param *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(p[i].name);
		value_heap_release(&p[i].value);
		value_heap_release(&p[i].dflt);
	}
	free(p);
}

void
query_fields_free(struct query_field *f, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(f[i].name);
		free(f[i].spec);
	}
	free(f);
}

/* Loads the query or report of S into OUT (named DEFAULT_NAME unless it
 * says otherwise). */
int
query_load_src(struct loader *ld, const struct yamltree_src *s,
    const char *default_name, struct query_list *out)
{
	struct yamltree_node *root;
	struct query *q;
	int rc = -1;

	if ((root = yamltree_load(s, ld->err)) == NULL)
		return -1;
	if (root->kind != YAMLTREE_MAP)
		fail_node(ld, s, root, "expected a mapping of query keys "
		    "(where, select, aggregate, ...) or a report's "
		    "'queries:', found %s", yamltree_kind_name(root));
	else if (query_map_get(root, "queries") != NULL)
		rc = query_report_from_map(ld, s, root, default_name, out);
	else if ((q = query_from_map(ld, s, root, default_name)) != NULL) {
		query_list_add(out, q);
		rc = 0;
	}
	yamltree_free(root);
	return rc;
}

/* Public interface. */

int
query_load(const char *query, const struct query_path *search,
    struct query_list *out, struct diag *err)
{
	struct loader ld = { .search = search, .err = err };
	struct query_list l = { 0 };
	char *path;
	int rc;

	if ((path = querypath_resolve(search, query)) == NULL)
		return query_fail_unknown(&ld, query, NULL, NULL);
	rc = query_load_file(&ld, path, &l, NULL, NULL);
	free(path);
	if (rc == -1) {
		query_list_release(&l);
		return -1;
	}
	query_list_move(out, &l);
	return 0;
}

int
query_load_inline(const char *yaml, const struct query_path *search,
    struct query_list *out, struct diag *err)
{
	struct loader ld = { .search = search, .err = err };
	struct query_list l = { 0 };
	struct yamltree_src s;
	int rc;

	yamltree_src_init(&s, "-e", xstrdup(yaml), strlen(yaml));
	rc = query_load_src(&ld, &s, "query", &l);
	yamltree_src_release(&s);
	if (rc == -1) {
		query_list_release(&l);
		return -1;
	}
	query_list_move(out, &l);
	return 0;
}

/* The unit a parameter's name ends in (threshold_ms, timeout_s,
 * window_min): milliseconds per unit, the unit as a duration writes it
 * and as words say it. */
struct param_unit {
	const char	*suffix;
	double		 ms;
	const char	*symbol;	/* timeparse_duration_text's */
	const char	*words;
};

static const struct param_unit param_units[] = {
	{ "_ns", 1e-6, "ns", "nanoseconds" },
	{ "_us", 1e-3, "us", "microseconds" },
	{ "_ms", 1, "ms", "milliseconds" },
	{ "_s", 1e3, "s", "seconds" },
	{ "_sec", 1e3, "s", "seconds" },
	{ "_seconds", 1e3, "s", "seconds" },
	{ "_m", 6e4, "m", "minutes" },
	{ "_min", 6e4, "m", "minutes" },
	{ "_minutes", 6e4, "m", "minutes" },
	{ "_h", 3.6e6, "h", "hours" },
	{ "_hours", 3.6e6, "h", "hours" },
	{ "_d", 8.64e7, "d", "days" },
	{ "_days", 8.64e7, "d", "days" },
};

/* NAME's unit, or NULL when it names none. */
static const struct param_unit *
param_unit(const char *name)
{
	size_t i, len = strlen(name), n;

	for (i = 0; i < sizeof(param_units) / sizeof(param_units[0]); i++) {
		n = strlen(param_units[i].suffix);
		if (len > n && strcmp(name + len - n,
		    param_units[i].suffix) == 0)
			return &param_units[i];
	}
	return NULL;
}

/* A string that timeparse_duration_text() reads, with its unit: a bare
 * "0" is a number to the user as it is to YAML. */
static int
is_duration_text(const struct value *v)
{
	double ms;

	return v->kind == VALUE_STRING && v->u.s.len > 0 &&
	    !(v->u.s.ptr[v->u.s.len - 1] >= '0' &&
	    v->u.s.ptr[v->u.s.len - 1] <= '9') &&
	    timeparse_duration_text(v->u.s.ptr, v->u.s.len, &ms);
}

enum query_param_type
query_param_type(const struct query_param *p)
{
	switch (p->dflt.kind) {
	case VALUE_BOOL:
		return QUERY_PARAM_BOOL;
	case VALUE_INT:
	case VALUE_REAL:
		return param_unit(p->name) != NULL ? QUERY_PARAM_DURATION :
		    QUERY_PARAM_NUMBER;
	case VALUE_STRING:
		return is_duration_text(&p->dflt) ? QUERY_PARAM_DURATION :
		    QUERY_PARAM_STRING;
	case VALUE_LIST:
	case VALUE_JSON:
		return QUERY_PARAM_LIST;
	default:
		return QUERY_PARAM_NULL;
	}
}

const char *
query_param_type_name(enum query_param_type t)
{
	static const char *const names[] = {
		[QUERY_PARAM_NULL] = "null",
		[QUERY_PARAM_BOOL] = "bool",
		[QUERY_PARAM_NUMBER] = "number",
		[QUERY_PARAM_DURATION] = "duration",
		[QUERY_PARAM_STRING] = "string",
		[QUERY_PARAM_LIST] = "list",
	};

	return names[t];
}

void
query_param_write_value(struct buf *b, const struct query_param *p,
    const struct value *v)
{
	const struct param_unit *u = param_unit(p->name);

	if (query_param_type(p) != QUERY_PARAM_DURATION ||
	    (v->kind != VALUE_STRING && (u == NULL || (v->kind != VALUE_INT &&
	    v->kind != VALUE_REAL))))
		value_write_json(b, v);
	else if (v->kind == VALUE_STRING)
		buf_printf(b, "%.*s", (int)v->u.s.len, v->u.s.ptr);
	else {
		value_write_text(b, v, VALUE_TEXT_PLAIN);
		buf_printf(b, "%s", u->symbol);
	}
}

void
query_param_write_default(struct buf *b, const struct query_param *p)
{
	query_param_write_value(b, p, &p->dflt);
}

/* "'5x'": V as the user gave it, for messages. */
static void
write_given(struct buf *b, const struct value *v)
{
	buf_printf(b, "'");
	value_write_text(b, v, VALUE_TEXT_PLAIN);
	buf_printf(b, "'");
}

/* A number parameter (P) given V: a number, or a duration when P's name
 * says its unit; 1 when V is a string made the number, 0 when it is
 * another type left as it is, -1 with *why. */
static int
coerce_number(const struct query_param *p, struct value *v, char **why)
{
	const struct param_unit *unit = param_unit(p->name);
	struct buf def = BUF_INIT, given = BUF_INIT;
	double ms, n;

	if (v->kind != VALUE_STRING)
		return 0;
	query_param_write_default(&def, p);
	write_given(&given, v);
	if (timeparse_duration_text(v->u.s.ptr, v->u.s.len, &ms)) {
		if (unit == NULL) {
			*why = xasprintf("parameter '%s' takes a plain number "
			    "(default %s), not the duration %s: its name "
			    "has no unit suffix such as _ms or _s", p->name,
			    buf_str(&def), buf_str(&given));
			goto fail;
		}
		n = ms / unit->ms;
		value_heap_release(v);
		/* 1.5s for threshold_ms is 1500, an integer as 1500 is. */
		if (n == floor(n) && fabs(n) < 9e15)
			*v = value_int((int64_t)n);
		else
			*v = value_real(n);
		buf_release(&def);
		buf_release(&given);
		return 1;
	}
	if (unit == NULL)
		*why = xasprintf("invalid value %s for parameter '%s': it "
		    "takes a number (default %s)", buf_str(&given), p->name,
		    buf_str(&def));
	else
		*why = xasprintf("invalid value %s for parameter '%s': it "
		    "takes a duration such as 1.5s, or a number of %s "
		    "(default %s)", buf_str(&given), p->name, unit->words,
		    buf_str(&def));
fail:
	buf_release(&def);
	buf_release(&given);
	return -1;
}

int
query_param_coerce(const struct query_param *p, struct value *v, char **why)
{
	struct buf def = BUF_INIT, given = BUF_INIT;

	switch (query_param_type(p)) {
	case QUERY_PARAM_NUMBER:
		return coerce_number(p, v, why) < 0 ? -1 : 0;
	case QUERY_PARAM_DURATION:
		if (p->dflt.kind != VALUE_STRING)
			return coerce_number(p, v, why) < 0 ? -1 : 0;
		/* A duration written as text (timeline's step: 1m) stays
		 * text, for bucket() and the like; only a duration. */
		if (is_duration_text(v))
			return 0;
		query_param_write_default(&def, p);
		write_given(&given, v);
		*why = xasprintf("invalid value %s for parameter '%s': it "
		    "takes a duration, a number with its unit, such as 30s, "
		    "5m or 1h (default %s)", buf_str(&given), p->name,
		    buf_str(&def));
		break;
	case QUERY_PARAM_BOOL:
		if (v->kind != VALUE_STRING)
			return 0;
		query_param_write_default(&def, p);
		write_given(&given, v);
		*why = xasprintf("invalid value %s for parameter '%s': it "
		    "takes true or false (default %s)", buf_str(&given),
		    p->name, buf_str(&def));
		break;
	case QUERY_PARAM_LIST:
		if (v->kind == VALUE_LIST || v->kind == VALUE_JSON)
			return 0;
		query_param_write_default(&def, p);
		write_given(&given, v);
		*why = xasprintf("invalid value %s for parameter '%s': it "
		    "takes a list in brackets, such as its default %s",
		    buf_str(&given), p->name, buf_str(&def));
		break;
	default:
		return 0;
	}
	buf_release(&def);
	buf_release(&given);
	return -1;
}

/* TEXT as YAML types it in params:: a flow list ("[500, 502]") for a
 * list parameter, else a scalar. */
static struct value
param_text_value(const struct query_param *p, const char *text)
{
	struct yamltree_src s;
	struct yamltree_node *root;
	struct diag err = { 0 };
	struct value v = { 0 };
	int ok = 0;

	if (query_param_type(p) != QUERY_PARAM_LIST ||
	    text[strspn(text, " \t")] != '[')
		return yamltree_scalar_value(text, strlen(text));
	yamltree_src_init(&s, "--set", xstrdup(text), strlen(text));
	if ((root = yamltree_load(&s, &err)) != NULL && root->kind ==
	    YAMLTREE_SEQ) {
		struct loader ld = { .err = &err };

		ok = query_param_value(&ld, &s, root, p->name, &v) == 0;
	}
	yamltree_free(root);
	yamltree_src_release(&s);
	diag_release(&err);
	/* Not a list of scalars: the text, which the list refuses. */
	return ok ? v : yamltree_scalar_value(text, strlen(text));
}

int
query_param_set_text(struct query_param *p, const char *text, char **why)
{
	struct value v = param_text_value(p, text);

	if (query_param_coerce(p, &v, why) < 0) {
		value_heap_release(&v);
		return -1;
	}
	value_heap_release(&p->value);
	p->value = v;
	return 0;
}

struct query_param *
query_find_param(struct query *q, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < q->nparams; i++)
		if (strlen(q->params[i].name) == len &&
		    memcmp(q->params[i].name, name, len) == 0)
			return &q->params[i];
	return NULL;
}

void
query_list_builtin(const struct query_path *search,
    void (*fn)(const char *name, const char *description, const char *path,
    void *ctx), void *ctx)
{
	struct querypath_entry *v;
	struct query_list l;
	struct loader ld;
	struct diag err;
	const char *description;
	size_t n, i;

	v = querypath_scan(search, &n);
	for (i = 0; i < n; i++) {
		memset(&l, 0, sizeof(l));
		memset(&err, 0, sizeof(err));
		ld = (struct loader){ .search = search, .err = &err };
		description = NULL;
		/* A file that does not load is listed, without a
		 * description: --list should show what is broken. */
		if (query_load_file(&ld, v[i].path, &l, NULL, NULL) == 0)
			description = l.report_name != NULL ?
			    l.report_description : l.n == 1 ?
			    l.items[0]->description : NULL;
		fn(v[i].name, description, v[i].path, ctx);
		query_list_release(&l);
		diag_release(&err);
	}
	querypath_entries_free(v, n);
}

static void
columns_free(struct query_column *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(c[i].name);
		text_release(&c[i].expr);
	}
	free(c);
}

void
query_free(struct query *q)
{
	size_t i;

	if (q == NULL)
		return;
	free(q->name);
	free(q->description);
	if (q->where != NULL)
		text_release(q->where);
	free(q->where);
	columns_free(q->select, q->nselect);
	columns_free(q->group_by, q->ngroup_by);
	columns_free(q->aggregate, q->naggregate);
	if (q->having != NULL)
		text_release(q->having);
	free(q->having);
	for (i = 0; i < q->nsort; i++)
		free(q->sort[i].column);
	free(q->sort);
	for (i = 0; i < q->nasserts; i++)
		text_release(&q->asserts[i]);
	free(q->asserts);
	query_params_free(q->params, q->nparams);
	query_fields_free(q->fields, q->nfields);
	free(q->chart);
	for (i = 0; i < q->nother_files; i++)
		free(q->other_files[i]);
	free(q->other_files);
	free(q->file);
	free(q);
}

void
query_list_release(struct query_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		query_free(l->items[i]);
	free(l->items);
	free(l->report_name);
	free(l->report_description);
	memset(l, 0, sizeof(*l));
}
