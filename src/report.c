/* SPDX-License-Identifier: MIT */
/* report.c - reports, their use: items and set:, and the files they
 * name: a query file's queries in order, each loaded by query.c */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query.h"
#include "query_priv.h"
#include "querypath.h"
#include "util.h"
#include "value.h"
#include "yamltree.h"

static const char *const report_keys[] = {
	"name", "description", "fields", "params", "queries", NULL
};
enum { RK_NAME, RK_DESCRIPTION, RK_FIELDS, RK_PARAMS, RK_QUERIES, RK_COUNT };

static const char *const use_keys[] = { "use", "set", "name", NULL };
enum { UK_USE, UK_SET, UK_NAME, UK_COUNT };

/* Moves the items of FROM to the end of TO; FROM is released. */
void
query_list_move(struct query_list *to, struct query_list *from)
{
	size_t i;

	for (i = 0; i < from->n; i++)
		query_list_add(to, from->items[i]);
	from->n = 0;
	if (to->report_name == NULL) {
		to->report_name = from->report_name;
		to->report_description = from->report_description;
		from->report_name = from->report_description = NULL;
	}
	query_list_release(from);
}

/* Bytes a copy of V takes, for QUERY_MAX_COPIED. */
static size_t
param_value_size(const struct value *v)
{
	size_t n = sizeof(*v), i;

	if (v->kind == VALUE_STRING)
		n += v->u.s.len;
	else if (v->kind == VALUE_LIST)
		for (i = 0; i < v->u.list.n; i++)
			n += param_value_size(&v->u.list.items[i]);
	return n;
}

/* P takes FROM's value; when AS_DEFAULT (a report's params), as its
 * default too, which gives P its type. */
static void
param_set(struct loader *ld, struct query *q, struct query_param *p,
    const struct query_param *from, int as_default)
{
	ld->copied += param_value_size(&from->value);
	value_heap_release(&p->value);
	p->value = value_heap_copy(&from->value);
	if (as_default) {
		value_heap_release(&p->dflt);
		p->dflt = value_heap_copy(&from->value);
	}
	p->pos = from->pos;
	p->pos.file = query_intern_file(q, from->pos.file);
}

static void
param_add(struct loader *ld, struct query *q, const struct query_param *from)
{
	struct query_param *p;

	q->params = xrealloc(q->params, (q->nparams + 1) * sizeof(*p));
	p = &q->params[q->nparams++];
	p->name = xstrdup(from->name);
	p->value = value_null();
	p->dflt = value_null();
	p->set_by = NULL;
	param_set(ld, q, p, from, 1);
}

/* A report's fields go to each of its queries that has no entry of the
 * same name. */
static void
fields_inherit(struct loader *ld, struct query *q, const struct query_field *f,
    size_t n)
{
	struct query_field *to;
	size_t i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < q->nfields; j++)
			if (strcmp(q->fields[j].name, f[i].name) == 0)
				break;
		if (j < q->nfields)
			continue;
		q->fields = xrealloc(q->fields,
		    (q->nfields + 1) * sizeof(*q->fields));
		to = &q->fields[q->nfields++];
		to->name = xstrdup(f[i].name);
		to->spec = xstrdup(f[i].spec);
		ld->copied += sizeof(*to) + strlen(f[i].spec);
		to->pos = f[i].pos;
		to->pos.file = query_intern_file(q, f[i].pos.file);
	}
}

/* `set:` of a use item: each entry must be a param of one of the
 * included queries at least. */
static int
set_apply(struct loader *ld, const struct yamltree_src *s,
    const struct yamltree_node *set, struct query_list *sub,
    const char *use_name)
{
	struct query_param p = { 0 };
	struct query_param *qp;
	struct buf msg = BUF_INIT;
	const char **names;
	size_t i, j, k, m, nnames, hits;
	const struct yamltree_node *key;

	if (set->kind != YAMLTREE_MAP)
		return fail_node(ld, s, set,
		    "'set' must be a mapping of param: value");
	if (query_check_map(ld, s, set, "'set'") == -1 ||
	    query_check_entries(ld, s, set, "'set'") == -1)
		return -1;
	for (i = 0; i < set->n; i += 2) {
		key = set->items[i];
		p.name = key->text;
		p.pos = yamltree_pos(s, set->items[i + 1]->start);
		if (query_param_value(ld, s, set->items[i + 1], key->text,
		    &p.value) == -1)
			return -1;
		hits = 0;
		for (j = 0; j < sub->n; j++) {
			qp = query_find_param(sub->items[j], key->text,
			    key->len);
			if (qp != NULL) {
				/* Typed against each query's default, as
				 * --set is (SPEC 3.6). */
				struct query_param typed = p;
				char *why = NULL;

				typed.value = value_heap_copy(&p.value);
				if (query_param_coerce(qp, &typed.value,
				    &why) < 0) {
					value_heap_release(&typed.value);
					value_heap_release(&p.value);
					fail_node(ld, s, set->items[i + 1],
					    "%s", why);
					free(why);
					return -1;
				}
				param_set(ld, sub->items[j], qp, &typed, 0);
				value_heap_release(&typed.value);
				hits++;
			}
		}
		value_heap_release(&p.value);
		if (hits > 0)
			continue;

		nnames = 0;
		for (j = 0; j < sub->n; j++)
			nnames += sub->items[j]->nparams;
		names = xcalloc(nnames + 1, sizeof(*names));
		for (j = k = 0; j < sub->n; j++)
			for (m = 0; m < sub->items[j]->nparams; m++)
				names[k++] = sub->items[j]->params[m].name;
		if (sub->report_name != NULL)
			buf_printf(&msg, "no query of report '%s' has a param "
			    "'%s'", use_name, key->text);
		else
			buf_printf(&msg, "query '%s' has no param '%s'",
			    use_name, key->text);
		query_add_suggestion(&msg, key->text, names, nnames);
		free(names);
		fail_node(ld, s, key, "%s", buf_str(&msg));
		buf_release(&msg);
		return -1;
	}
	return 0;
}

/* A `use:` item of a report: loads NAME (resolved like a command-line
 * QUERY, paths relative to the report's directory) into SUB. */
static int	load_use(struct loader *, const struct yamltree_src *,
		    const struct yamltree_node *, struct query_list *);

int
query_report_from_map(struct loader *ld, const struct yamltree_src *s,
    const struct yamltree_node *map, const char *default_name,
    struct query_list *out)
{
	struct keyval kv[RK_COUNT], ukv[UK_COUNT];
	struct query_list all = { 0 }, sub;
	struct query_param *params = NULL, *qp;
	struct query_field *fields = NULL;
	struct named *names;
	const struct yamltree_node *queries, *item, **origins = NULL, *use;
	struct query *q;
	char *name = NULL, *description = NULL, *qname;
	size_t nparams = 0, nfields = 0, norigins = 0, i, j, k, first, second;
	int rc = -1, is_inline;

	if (query_map_keys(ld, s, map, "report", report_keys, kv) == -1)
		return -1;
	if (kv[RK_NAME].val == NULL)
		name = xstrdup(default_name);
	else if (query_string_from(ld, s, kv[RK_NAME].val,
	    "'name' must be a non-empty string", &name) == -1)
		goto out;
	if (kv[RK_DESCRIPTION].val != NULL) {
		if (kv[RK_DESCRIPTION].val->kind != YAMLTREE_SCALAR) {
			fail_node(ld, s, kv[RK_DESCRIPTION].val,
			    "'description' must be a string");
			goto out;
		}
		if (kv[RK_DESCRIPTION].val->len > 0)
			description = xstrdup(kv[RK_DESCRIPTION].val->text);
	}
	if (kv[RK_PARAMS].val != NULL && query_params_from(ld, s, s->file,
	    kv[RK_PARAMS].val, &params, &nparams) == -1)
		goto out;
	if (kv[RK_FIELDS].val != NULL && query_fields_from(ld, s, s->file,
	    kv[RK_FIELDS].val, &fields, &nfields) == -1)
		goto out;
	queries = kv[RK_QUERIES].val;
	if (queries->kind != YAMLTREE_SEQ) {
		fail_node(ld, s, queries, "'queries' must be a list of query "
		    "mappings or {use: NAME} items");
		goto out;
	}
	if (queries->n == 0) {
		fail_node(ld, s, queries, "report '%s' has no queries", name);
		goto out;
	}

	for (i = 0; i < queries->n; i++) {
		item = queries->items[i];
		memset(&sub, 0, sizeof(sub));
		memset(ukv, 0, sizeof(ukv));
		is_inline = 0;
		use = NULL;
		if (item->kind == YAMLTREE_SCALAR)
			use = item;
		else if (item->kind == YAMLTREE_MAP &&
		    query_map_get(item, "use")) {
			if (query_map_keys(ld, s, item, "'use' item", use_keys,
			    ukv) == -1)
				goto out;
			use = ukv[UK_USE].val;
		} else if (item->kind == YAMLTREE_MAP) {
			qname = xasprintf("%s-%zu", name, i + 1);
			q = query_from_map(ld, s, item, qname);
			free(qname);
			if (q == NULL)
				goto out;
			query_list_add(&sub, q);
			is_inline = 1;
		} else {
			fail_node(ld, s, item, "'queries' must be a list of "
			    "query mappings or {use: NAME} items");
			goto out;
		}
		if (use != NULL && load_use(ld, s, use, &sub) == -1)
			goto fail_item;

		/* The report's params: defaults for the queries that
		 * declare them, declarations too for its own queries. */
		for (j = 0; j < sub.n; j++) {
			q = sub.items[j];
			for (k = 0; k < nparams; k++) {
				qp = query_find_param(q, params[k].name,
				    strlen(params[k].name));
				if (qp != NULL)
					param_set(ld, q, qp, &params[k], 1);
				else if (is_inline)
					param_add(ld, q, &params[k]);
			}
		}
		if (ukv[UK_SET].val != NULL && set_apply(ld, s, ukv[UK_SET].val,
		    &sub, use->text) == -1)
			goto fail_item;
		if (ukv[UK_NAME].val != NULL) {
			if (sub.report_name != NULL) {
				fail_node(ld, s, ukv[UK_NAME].key, "'name' "
				    "cannot rename report '%s': it names its "
				    "queries itself", use->text);
				goto fail_item;
			}
			if (query_string_from(ld, s, ukv[UK_NAME].val,
			    "'name' must be a non-empty string",
			    &sub.items[0]->name) == -1)
				goto fail_item;
		}
		for (j = 0; j < sub.n; j++) {
			fields_inherit(ld, sub.items[j], fields, nfields);
			origins = xrealloc(origins,
			    (norigins + 1) * sizeof(*origins));
			origins[norigins++] = item;
		}
		free(sub.report_name);
		free(sub.report_description);
		sub.report_name = sub.report_description = NULL;
		query_list_move(&all, &sub);
		if (all.n > QUERY_MAX_ENTRIES) {
			fail_node(ld, s, item, "report '%s' has more than %d "
			    "queries", name, QUERY_MAX_ENTRIES);
			goto out;
		}
		if (ld->copied > QUERY_MAX_COPIED) {
			fail_node(ld, s, item, "report '%s' grows over %u MiB "
			    "with its params and fields copied into its "
			    "queries", name, QUERY_MAX_COPIED >> 20);
			goto out;
		}
		continue;

	fail_item:
		query_list_release(&sub);
		goto out;
	}

	/* Output, --state and merge tell queries apart by name. */
	names = xcalloc(all.n, sizeof(*names));
	for (i = 0; i < all.n; i++)
		names[i] = (struct named){ all.items[i]->name,
		    strlen(all.items[i]->name), i };
	if (query_find_repeat(names, all.n, &first, &second)) {
		free(names);
		fail_node(ld, s, origins[second], "query name '%s' appears "
		    "twice in report '%s' (first at line %u); give one a "
		    "'name:'", all.items[second]->name, name,
		    yamltree_pos(s, origins[first]->start).line);
		goto out;
	}
	free(names);
	for (i = 0; i < all.n; i++)
		query_list_add(out, all.items[i]);
	all.n = 0;
	free(out->report_name);
	free(out->report_description);
	out->report_name = name;
	out->report_description = description;
	name = description = NULL;
	rc = 0;

out:
	query_list_release(&all);
	query_params_free(params, nparams);
	query_fields_free(fields, nfields);
	free(origins);
	free(name);
	free(description);
	return rc;
}

int
query_read_file(const char *path, char **out, size_t *len)
{
	struct buf b = BUF_INIT;
	struct stat st;
	char chunk[8192];
	size_t n;
	FILE *fp;
	int e = 0;

	if ((fp = fopen(path, "rb")) == NULL)
		return errno;
	if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(fp);
		return EISDIR;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
		if (b.len + n > QUERY_MAX_FILE_BYTES) {
			e = EFBIG;
			break;
		}
		buf_add(&b, chunk, n);
	}
	if (e == 0 && ferror(fp))
		e = errno ? errno : EIO;
	fclose(fp);
	if (e != 0) {
		buf_release(&b);
		return e;
	}
	*len = b.len;
	*out = b.ptr ? buf_take(&b) : xstrdup("");
	return 0;
}

/*
 * Loads PATH into OUT. FROM and AT (the report and its `use:` node, or
 * NULL) place errors about the file itself; a `use:` that comes back to
 * a file being loaded is a cycle.
 */
int
query_load_file(struct loader *ld, const char *path, struct query_list *out,
    const struct yamltree_src *from, const struct yamltree_node *at)
{
	struct buf via = BUF_INIT;
	struct yamltree_src s;
	char *buf, *real, *label;
	size_t len, i, k;
	int e, rc;

	label = querypath_name_of(path);
	if ((real = realpath(path, NULL)) != NULL) {
		for (k = 0; k < ld->depth; k++)
			if (ld->stack[k].real != NULL &&
			    strcmp(ld->stack[k].real, real) == 0)
				break;
		if (k < ld->depth) {
			for (i = k + 1; i < ld->depth; i++)
				buf_printf(&via, "%s'%s'", i > k + 1 ?
				    ", " : " via ", ld->stack[i].label);
			fail_node(ld, from, at, "query '%s' includes itself%s",
			    ld->stack[k].label, via.ptr ? via.ptr : "");
			buf_release(&via);
			goto fail;
		}
	}
	if (ld->depth == QUERY_MAX_INCLUDE) {
		fail_node(ld, from, at, "reports nested deeper than %d levels",
		    QUERY_MAX_INCLUDE);
		goto fail;
	}
	if ((e = query_read_file(path, &buf, &len)) != 0) {
		if (from != NULL)
			fail_node(ld, from, at, "cannot read query file "
			    "'%s': %s", path, strerror(e));
		else
			diag_set(ld->err, LOGQ_EXIT_USAGE,
			    "cannot read query file '%s': %s", path,
			    strerror(e));
		goto fail;
	}
	yamltree_src_init(&s, path, buf, len);
	ld->stack[ld->depth++] = (struct include){ real, label };
	rc = query_load_src(ld, &s, label, out);
	ld->depth--;
	yamltree_src_release(&s);
	free(real);
	free(label);
	return rc;

fail:
	free(real);
	free(label);
	return -1;
}

/* "unknown query 'erors' (did you mean 'errors'?); ..." */
int
query_fail_unknown(struct loader *ld, const char *name,
    const struct yamltree_src *from, const struct yamltree_node *at)
{
	struct querypath_entry *v;
	struct buf msg = BUF_INIT;
	const char **names;
	size_t n, i;

	v = querypath_scan(ld->search, &n);
	names = xcalloc(n + 1, sizeof(*names));
	for (i = 0; i < n; i++)
		names[i] = v[i].name;
	buf_printf(&msg, "unknown query '%s'", name);
	query_add_suggestion(&msg, name, names, n);
	buf_adds(&msg, "; 'logq --list' shows the built-in queries");
	if (from != NULL)
		fail_node(ld, from, at, "%s", buf_str(&msg));
	else
		diag_set(ld->err, LOGQ_EXIT_USAGE, "%s", buf_str(&msg));
	buf_release(&msg);
	free(names);
	querypath_entries_free(v, n);
	return -1;
}

static int
load_use(struct loader *ld, const struct yamltree_src *s,
    const struct yamltree_node *use, struct query_list *sub)
{
	const char *slash;
	char *path, *joined;
	int rc;

	if (use->kind != YAMLTREE_SCALAR || use->len == 0)
		return fail_node(ld, s, use, "'use' must name a query");
	if ((path = querypath_resolve(ld->search, use->text)) == NULL)
		return query_fail_unknown(ld, use->text, s, use);
	/* Like #include "...": a relative path starts from the report's
	 * directory, so a report works from any working directory. */
	slash = strrchr(s->file, '/');
	if (use->text[0] != '/' && strcmp(path, use->text) == 0 &&
	    slash != NULL) {
		joined = xasprintf("%.*s/%s", (int)(slash - s->file), s->file,
		    strncmp(path, "./", 2) == 0 ? path + 2 : path);
		free(path);
		path = joined;
	}
	rc = query_load_file(ld, path, sub, s, use);
	free(path);
	return rc;
}
