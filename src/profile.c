/* SPDX-License-Identifier: MIT */
/* profile.c - format profiles: YAML files -> recognition conditions and
 * alias tables; the candidates of a line shape */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "jscan.h"
#include "profile.h"
#include "query.h"
#include "querypath.h"
#include "suggest.h"
#include "util.h"
#include "yamltree.h"

static const char *const profile_keys[] = {
	"name", "description", "source", "match", "fields", "levels",
	"level_default", NULL
};
static const char *const match_keys[] = {
	"keys", "values", "priority", NULL
};

static int __attribute__((format(printf, 4, 5)))
fail(struct diag *err, const struct yamltree_src *s,
    const struct yamltree_node *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	yamltree_vfail_marks(err, s, n->start, n->end, fmt, ap);
	va_end(ap);
	return -1;
}

/* Keys of MAP are names out of KEYS, once each; *OUT[i] the value of
 * KEYS[i] or NULL. */
static int
map_keys(struct diag *err, const struct yamltree_src *s,
    const struct yamltree_node *map, const char *what,
    const char *const *keys, const struct yamltree_node **out)
{
	struct buf allowed = BUF_INIT;
	const struct yamltree_node *k;
	const char *near;
	size_t i, j, nkeys;

	for (nkeys = 0; keys[nkeys] != NULL; nkeys++)
		out[nkeys] = NULL;
	if (map->kind != YAMLTREE_MAP)
		return fail(err, s, map, "%s must be a mapping, not %s", what,
		    yamltree_kind_name(map));
	for (i = 0; i < map->n; i += 2) {
		k = map->items[i];
		for (j = 0; k->kind == YAMLTREE_SCALAR && j < nkeys &&
		    strcmp(keys[j], k->text) != 0; j++)
			;
		if (k->kind != YAMLTREE_SCALAR || j == nkeys) {
			for (j = 0; j < nkeys; j++)
				buf_printf(&allowed, "%s%s", j ? ", " : "",
				    keys[j]);
			near = k->kind == YAMLTREE_SCALAR ? suggest_among(
			    k->text, k->len, keys, nkeys) : NULL;
			fail(err, s, k, "unknown key '%s' in %s%s%s%s "
			    "(allowed: %s)", k->kind == YAMLTREE_SCALAR ?
			    k->text : "?", what, near ? " (did you mean '" :
			    "", near ? near : "", near ? "'?)" : "",
			    buf_str(&allowed));
			buf_release(&allowed);
			return -1;
		}
		if (out[j] != NULL)
			return fail(err, s, k, "'%s' is given twice in %s",
			    keys[j], what);
		out[j] = map->items[i + 1];
	}
	return 0;
}

static int
scalar_text(struct diag *err, const struct yamltree_src *s,
    const struct yamltree_node *n, const char *what, char **out)
{
	if (n->kind != YAMLTREE_SCALAR || n->len == 0)
		return fail(err, s, n, "%s must be a non-empty string", what);
	free(*out);
	*out = xstrndup(n->text, n->len);
	return 0;
}

/* "a.b" or "\"@l\"" as a field path, with fields.c's syntax. */
static int
path_from(struct diag *err, const struct yamltree_src *s,
    const struct yamltree_node *n, struct field_path *out)
{
	struct fields *tmp = fields_new_empty();
	const struct fields_alias *a;
	struct diag e = { 0 };

	if (n->kind != YAMLTREE_SCALAR || n->len == 0 ||
	    fields_set(tmp, "match", n->text, &e) < 0 ||
	    (a = fields_find(tmp, "match", 5))->nalts != 1 ||
	    a->alts[0].conv != FIELDS_AS_IS) {
		diag_release(&e);
		fields_free(tmp);
		return fail(err, s, n, "a match key must be one field path "
		    "(http.response.status_code, \"@l\")");
	}
	field_path_copy(out, &a->alts[0].path);
	fields_free(tmp);
	return 0;
}

static int
match_from(struct profile *p, struct diag *err, const struct yamltree_src *s,
    const struct yamltree_node *n)
{
	const struct yamltree_node *kv[4], *keys, *vals, *k, *v;
	size_t i, alloc = 0;
	struct profile_cond *c;
	char *end;

	if (map_keys(err, s, n, "'match'", match_keys, kv) < 0)
		return -1;
	keys = kv[0];
	vals = kv[1];
	if (keys != NULL && keys->kind != YAMLTREE_SEQ)
		return fail(err, s, keys, "'keys' must be a list of field "
		    "paths");
	if (vals != NULL && vals->kind != YAMLTREE_MAP)
		return fail(err, s, vals, "'values' must be a mapping of "
		    "field path: text");
	for (i = 0; keys != NULL && i < keys->n; i++) {
		XGROW(p->conds, p->nconds + 1, alloc);
		c = &p->conds[p->nconds];
		memset(c, 0, sizeof(*c));
		field_path_init(&c->path);
		p->nconds++;
		if (path_from(err, s, keys->items[i], &c->path) < 0)
			return -1;
		if (c->path.n > 1)
			p->per_line = 1;
	}
	for (i = 0; vals != NULL && i < vals->n; i += 2) {
		k = vals->items[i];
		v = vals->items[i + 1];
		XGROW(p->conds, p->nconds + 1, alloc);
		c = &p->conds[p->nconds];
		memset(c, 0, sizeof(*c));
		field_path_init(&c->path);
		p->nconds++;
		if (path_from(err, s, k, &c->path) < 0)
			return -1;
		if (v->kind != YAMLTREE_SCALAR || v->len == 0)
			return fail(err, s, v, "a match value must be a "
			    "non-empty text (a trailing * matches any rest)");
		c->value_len = v->len;
		c->prefix = v->text[v->len - 1] == '*';
		if (c->prefix)
			c->value_len--;
		c->value = xstrndup(v->text, c->value_len);
		p->per_line = 1;
	}
	if (p->nconds == 0)
		return fail(err, s, n, "'match' needs 'keys' or 'values': a "
		    "profile that matches every line would hide the others");
	/* The first condition's key is at the top level as its first
	 * segment, or (a.b) as one flat key. */
	for (i = 0; i < p->nconds; i++)
		if (p->conds[i].path.n == 1)
			p->need_bits |= (uint64_t)1 <<
			    (p->conds[i].path.seg_hash[0] & 63);
	p->anchor_bits = (uint64_t)1 << (p->conds[0].path.seg_hash[0] & 63);
	if (p->conds[0].path.n > 1)
		p->anchor_bits |= (uint64_t)1 <<
		    (p->conds[0].path.flat_hash & 63);
	if (kv[2] != NULL) {
		errno = 0;
		p->priority = kv[2]->kind == YAMLTREE_SCALAR ?
		    strtol(kv[2]->text, &end, 10) : 0;
		if (kv[2]->kind != YAMLTREE_SCALAR || kv[2]->len == 0 ||
		    *end != '\0' || errno != 0)
			return fail(err, s, kv[2], "'priority' must be an "
			    "integer");
	}
	return 0;
}

static int
fields_from(struct profile *p, struct diag *err, const struct yamltree_src *s,
    const struct yamltree_node *n, const struct fields *builtin)
{
	struct buf spec = BUF_INIT;
	const struct yamltree_node *k, *v;
	const char *names[PROFILE_SLOTS];
	size_t i, j, nnames = 0;

	if (n->kind != YAMLTREE_MAP)
		return fail(err, s, n, "'fields' must be a mapping of alias: "
		    "field list");
	for (i = 0; i < PROFILE_SLOTS; i++) {
		const struct fields_alias *a = fields_slot(builtin, i);

		if (a != NULL)
			names[nnames++] = a->name;
	}
	for (i = 0; i < n->n; i += 2) {
		k = n->items[i];
		v = n->items[i + 1];
		if (k->kind != YAMLTREE_SCALAR ||
		    fields_find(builtin, k->text, k->len) == NULL) {
			const char *near = k->kind != YAMLTREE_SCALAR ? NULL :
			    suggest_among(k->text, k->len, names, nnames);

			buf_release(&spec);
			return fail(err, s, k, "a profile sets the built-in "
			    "aliases only (see logq --fields)%s%s%s",
			    near ? "; did you mean '" : "", near ? near : "",
			    near ? "'?" : "");
		}
		if (fields_find(p->own, k->text, k->len) != NULL) {
			buf_release(&spec);
			return fail(err, s, k, "alias '%s' is given twice",
			    k->text);
		}
		buf_reset(&spec);
		/* [] or null: never present on these lines. */
		if ((v->kind == YAMLTREE_SEQ && v->n == 0) ||
		    (v->kind == YAMLTREE_SCALAR && !v->is_str &&
		    yamltree_scalar_is_null(v->text, v->len))) {
			fields_set_none(p->own, k->text);
			continue;
		}
		if (v->kind == YAMLTREE_SCALAR)
			buf_add(&spec, v->text, v->len);
		for (j = 0; v->kind == YAMLTREE_SEQ && j < v->n; j++) {
			if (v->items[j]->kind != YAMLTREE_SCALAR)
				break;
			buf_printf(&spec, "%s%s", j ? "," : "",
			    v->items[j]->text);
		}
		if (spec.len == 0 || (v->kind == YAMLTREE_SEQ && j < v->n)) {
			buf_release(&spec);
			return fail(err, s, v, "alias '%s' must be a list of "
			    "field names, a string \"a,b:ms\", or null (never "
			    "present on these lines)", k->text);
		}

		if (fields_set(p->own, k->text, buf_str(&spec), err) < 0) {
			buf_release(&spec);
			diag_place(err, yamltree_pos(s, v->start));
			return -1;
		}
	}
	buf_release(&spec);
	return 0;
}

static int
level_from(struct diag *err, const struct yamltree_src *s,
    const struct yamltree_node *n, const char **out)
{
	if (n->kind != YAMLTREE_SCALAR ||
	    (*out = fields_level_name(n->text, n->len)) == NULL)
		return fail(err, s, n, "a level must be one of trace, debug, "
		    "info, warn, error, fatal");
	return 0;
}

static int
levels_from(struct profile *p, struct diag *err, const struct yamltree_src *s,
    const struct yamltree_node *n)
{
	size_t i;

	if (n->kind != YAMLTREE_MAP)
		return fail(err, s, n, "'levels' must be a mapping of the "
		    "format's level: trace, debug, info, warn, error or "
		    "fatal");
	p->levels.words = xcalloc(n->n / 2 + 1, sizeof(*p->levels.words));
	for (i = 0; i < n->n; i += 2) {
		struct fields_word *w = &p->levels.words[p->levels.n];

		if (n->items[i]->kind != YAMLTREE_SCALAR ||
		    n->items[i]->len == 0)
			return fail(err, s, n->items[i], "a level to map must "
			    "be a text or a number");
		if (level_from(err, s, n->items[i + 1], &w->canon) < 0)
			return -1;
		w->raw = xstrndup(n->items[i]->text, n->items[i]->len);
		w->len = n->items[i]->len;
		p->levels.n++;
	}
	return 0;
}

/*
 * P's alias table from its own spellings (p->own): for each
 * built-in alias, the format's spellings first, then the built-in ones
 * but those the format gives another meaning (structlog's `code` is its
 * status, so no error), or nothing at all for a `null`. A built-in alias
 * the profile does not name keeps the built-in table unless the format
 * claims one of its spellings. Levels map the level alias.
 */
static void
profile_tables(struct profile *p, const struct fields *builtin)
{
	struct fields *own = p->own, *t = fields_new_empty();
	const struct fields_alias *b, *o;
	size_t i, n;

	for (i = 0; (b = fields_slot(builtin, i)) != NULL; i++) {
		o = fields_find(own, b->name, strlen(b->name));
		if (o != NULL && o->nalts == 0) {
			fields_set_none(t, b->name);
			continue;
		}
		if (o != NULL) {
			fields_append_unclaimed(t, b->name, o, NULL);
			fields_append_unclaimed(t, b->name, b, own);
			continue;
		}
		for (n = 0; n < b->nalts; n++)
			if (fields_claims(own, &b->alts[n].path))
				break;
		if (n < b->nalts || (strcmp(b->name, "level") == 0 &&
		    (p->levels.n > 0 || p->levels.dflt != NULL)))
			fields_append_unclaimed(t, b->name, b, own);
	}
	if (p->levels.n > 0 || p->levels.dflt != NULL)
		fields_set_vocab(t, "level", &p->levels);
	fields_free(own);
	p->own = NULL;
	p->fields = t;
	for (i = 0; i < PROFILE_SLOTS; i++) {
		const struct fields_alias *a = fields_slot(builtin, i);

		p->alias[i] = a == NULL ? NULL :
		    fields_find(t, a->name, strlen(a->name));
	}
}

static void
profile_free(struct profile *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->nconds; i++) {
		field_path_release(&p->conds[i].path);
		free(p->conds[i].value);
	}
	free(p->conds);
	for (i = 0; i < p->levels.n; i++)
		free(p->levels.words[i].raw);
	free(p->levels.words);
	fields_free(p->own);
	fields_free(p->fields);
	free(p->name);
	free(p->description);
	free(p->source);
	free(p->file);
	free(p);
}

/* The profile NAME of PATH from ROOT, its tree; NULL with *err. */
static struct profile *
profile_from(const char *path, const char *name,
    const struct fields *builtin, const struct yamltree_src *s,
    const struct yamltree_node *root, struct diag *err)
{
	const struct yamltree_node *kv[8];
	struct profile *p;

	p = xcalloc(1, sizeof(*p));
	p->file = xstrdup(path);
	p->own = fields_new_empty();
	if (map_keys(err, s, root, "a profile", profile_keys, kv) < 0)
		goto fail;
	if (kv[0] == NULL) {
		fail(err, s, root, "a profile needs 'name: %s'", name);
		goto fail;
	}
	if (scalar_text(err, s, kv[0], "'name'", &p->name) < 0)
		goto fail;
	if (strcmp(p->name, name) != 0) {
		fail(err, s, kv[0], "the profile in %s.yaml must be named "
		    "'%s' (--profile finds it by its file name)", name, name);
		goto fail;
	}
	if ((kv[1] != NULL && scalar_text(err, s, kv[1], "'description'",
	    &p->description) < 0) || (kv[2] != NULL && scalar_text(err, s,
	    kv[2], "'source'", &p->source) < 0))
		goto fail;
	if (kv[3] == NULL) {
		fail(err, s, root, "a profile needs 'match:' (keys, values)");
		goto fail;
	}
	if (match_from(p, err, s, kv[3]) < 0 || (kv[4] != NULL &&
	    fields_from(p, err, s, kv[4], builtin) < 0) ||
	    (kv[5] != NULL && levels_from(p, err, s, kv[5]) < 0) ||
	    (kv[6] != NULL && level_from(err, s, kv[6], &p->levels.dflt) < 0))
		goto fail;
	return p;
fail:
	profile_free(p);
	return NULL;
}

static struct profile *
profile_load(const char *path, const char *name, const struct fields *builtin,
    struct diag *err)
{
	struct yamltree_node *root;
	struct yamltree_src s;
	struct profile *p = NULL;
	char *buf;
	size_t len;
	int e;

	if ((e = query_read_file(path, &buf, &len)) != 0) {
		diag_set(err, LOGQ_EXIT_USAGE, "cannot read profile '%s': %s",
		    path, strerror(e));
		return NULL;
	}
	yamltree_src_init(&s, path, buf, len);
	if ((root = yamltree_load(&s, err)) != NULL) {
		p = profile_from(path, name, builtin, &s, root, err);
		yamltree_free(root);
	}
	yamltree_src_release(&s);
	return p;
}

static size_t
ncond_weight(const struct profile *p)
{
	return p->nconds;
}

static int
profile_cmp(const void *va, const void *vb)
{
	const struct profile *a = *(struct profile *const *)va;
	const struct profile *b = *(struct profile *const *)vb;

	if (a->priority != b->priority)
		return a->priority > b->priority ? -1 : 1;
	if (ncond_weight(a) != ncond_weight(b))
		return ncond_weight(a) > ncond_weight(b) ? -1 : 1;
	return strcmp(a->name, b->name);
}

int
profile_set_load(struct profile_set *set, const struct query_path *search,
    const struct fields *builtin, struct diag *err)
{
	struct querypath_entry *v;
	struct profile *p;
	size_t n, i;

	memset(set, 0, sizeof(*set));
	pthread_mutex_init(&set->lock, NULL);
	set->builtin = builtin;
	v = querypath_scan(search, &n);
	set->v = xcalloc(n + 1, sizeof(*set->v));
	for (i = 0; i < n; i++) {
		if ((p = profile_load(v[i].path, v[i].name, builtin,
		    err)) == NULL) {
			querypath_entries_free(v, n);
			return -1;
		}
		set->v[set->n++] = p;
	}
	querypath_entries_free(v, n);
	if (set->n > 1)
		qsort(set->v, set->n, sizeof(*set->v), profile_cmp);
	return 0;
}

int
profile_set_force(struct profile_set *set, const char *name,
    struct diag *err)
{
	struct suggest sg;
	size_t i;

	suggest_init(&sg, name, strlen(name));
	for (i = 0; i < set->n; i++) {
		if (strcmp(set->v[i]->name, name) == 0) {
			set->forced = profile_use(set, set->v[i]);
			return 0;
		}
		suggest_consider(&sg, set->v[i]->name);
	}
	diag_set(err, LOGQ_EXIT_USAGE, "unknown profile '%s'%s%s%s; 'logq "
	    "--list-profiles' lists them", name, suggest_best(&sg) ?
	    " (did you mean '" : "", suggest_best(&sg) ? suggest_best(&sg) :
	    "", suggest_best(&sg) ? "'?)" : "");
	return -1;
}

/*
 * Built once: the first thread to use P builds its table under the
 * set's lock while any other waits there; BUILT, stored last with
 * release order and read with acquire order, says the table is
 * complete to every thread that sees it set.
 */
const struct profile *
profile_use(struct profile_set *set, struct profile *p)
{
	if (atomic_load_explicit(&p->built, memory_order_acquire))
		return p;
	pthread_mutex_lock(&set->lock);
	if (!atomic_load_explicit(&p->built, memory_order_relaxed)) {
		profile_tables(p, set->builtin);
		atomic_store_explicit(&p->built, 1, memory_order_release);
	}
	pthread_mutex_unlock(&set->lock);
	return p;
}

void
profile_set_build_all(struct profile_set *set)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		(void)profile_use(set, set->v[i]);
}

void
profile_set_release(struct profile_set *set)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		profile_free(set->v[i]);
	free(set->v);
	for (i = 0; i < set->nwarned; i++)
		free(set->warned[i]);
	free(set->warned);
	pthread_mutex_destroy(&set->lock);
	memset(set, 0, sizeof(*set));
}

/* Whether TOP has a member KEY (LEN bytes, jscan hash HASH). */
static int
top_has(const struct jscan *top, const char *key, size_t len, uint32_t hash)
{
	size_t i;

	for (i = 0; i < top->n; i++)
		if (top->m[i].hash == hash && top->m[i].key_len == len &&
		    memcmp(top->m[i].key, key, len) == 0)
			return 1;
	return 0;
}

/* Whether condition C holds on REC's line; with SHAPE, only what the
 * line's top-level keys decide (a nested key's first segment, or the
 * flat key "a.b"). */
static int
cond_holds(const struct profile_cond *c, const struct record *rec, int shape)
{
	const struct jscan *top = record_scanned(rec);
	struct field_path first;
	struct buf text = BUF_INIT;
	struct value v;
	int ok;

	if (shape && top != NULL && c->path.seg[0][0] != '_') {
		const struct field_path *p = &c->path;
		size_t i;

		if (top_has(top, p->seg[0], p->seg_len[0], p->seg_hash[0]))
			return 1;
		if (p->n == 1)
			return 0;
		for (i = 0; i < p->n; i++) {
			if (i)
				buf_addc(&text, '.');
			buf_add(&text, p->seg[i], p->seg_len[i]);
		}
		ok = top_has(top, text.ptr, text.len, p->flat_hash);
		buf_release(&text);
		return ok;
	}
	if (shape && (c->value != NULL || c->path.n > 1)) {
		if (c->path.n == 1)
			return record_get(rec, &c->path, &v);
		/* a.b is there as member a's b, or as the key "a.b". */
		if (record_get(rec, &c->path, &v))
			return 1;
		field_path_init(&first);
		field_path_push(&first, c->path.seg[0], c->path.seg_len[0]);
		ok = record_get(rec, &first, &v);
		field_path_release(&first);
		return ok;
	}
	if (!record_get(rec, &c->path, &v))
		return 0;
	if (c->value == NULL)
		return 1;
	if (v.kind == VALUE_INT || v.kind == VALUE_REAL ||
	    v.kind == VALUE_BOOL) {
		value_write_text(&text, &v, VALUE_TEXT_PLAIN);
		v = value_str(buf_str(&text), text.len);
	}
	ok = v.kind == VALUE_STRING && (c->prefix ?
	    v.u.s.len >= c->value_len : v.u.s.len == c->value_len) &&
	    memcmp(v.u.s.ptr, c->value, c->value_len) == 0;
	buf_release(&text);
	return ok;
}

int
profile_holds(const struct profile *p, const struct record *rec, int all)
{
	size_t i;

	for (i = 0; i < p->nconds; i++)
		if ((all || p->conds[i].value != NULL ||
		    p->conds[i].path.n > 1) &&
		    !cond_holds(&p->conds[i], rec, 0))
			return 0;
	return 1;
}

size_t
profile_candidates(struct profile_set *set, const struct record *rec,
    const struct profile **out, size_t max)
{
	const struct jscan *top = record_scanned(rec);
	uint64_t keys = ~(uint64_t)0;
	size_t i, j, n = 0;

	/* A scanned line's keys as bits: most profiles are ruled out by
	 * their first condition's key without a look-up. */
	if (top != NULL)
		keys = top->keys;
	for (i = 0; i < set->n && n < max; i++) {
		struct profile *p = set->v[i];

		if ((p->anchor_bits & keys) == 0 ||
		    (p->need_bits & ~keys) != 0)
			continue;
		for (j = 0; j < p->nconds && cond_holds(&p->conds[j], rec, 1);
		    j++)
			;
		if (j < p->nconds)
			continue;
		out[n++] = profile_use(set, p);
		if (!p->per_line)
			break;
	}
	return n;
}

void
profile_warn_guess(struct profile_set *set, const struct fields_alias *alias,
    const struct fields_alt *alt)
{
	struct buf path = BUF_INIT;
	struct diag d = { 0 };
	size_t i;

	if (set->quiet || set->warn == NULL)
		return;
	field_path_write(&path, &alt->path);
	pthread_mutex_lock(&set->lock);
	for (i = 0; i < set->nwarned; i++)
		if (strcmp(set->warned[i], buf_str(&path)) == 0)
			break;
	if (i < set->nwarned) {
		pthread_mutex_unlock(&set->lock);
		buf_release(&path);
		return;
	}
	XGROW(set->warned, set->nwarned + 1, set->warned_alloc);
	set->warned[set->nwarned++] = xstrdup(buf_str(&path));
	diag_set(&d, LOGQ_EXIT_OK, "warning: %s: the field '%s' is read "
	    "as %s, a unit its name does not say and no profile fixes; if "
	    "it is not, say so: --field %s=%s:ms (or :s, :us, :ns), or a "
	    "profile (logq --fields)", alias->name, buf_str(&path),
	    alt->conv == FIELDS_S ? "seconds" : alt->conv == FIELDS_MS ?
	    "milliseconds" : alt->conv == FIELDS_US ? "microseconds" :
	    "nanoseconds", alias->name, buf_str(&path));
	set->warn(set->warn_ctx, &d);
	pthread_mutex_unlock(&set->lock);
	diag_release(&d);
	buf_release(&path);
}

static void
print_conds(const struct profile *p, FILE *fp)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < p->nconds; i++) {
		buf_reset(&b);
		field_path_write(&b, &p->conds[i].path);
		fprintf(fp, "%s%s", i ? ", " : "", buf_str(&b));
		if (p->conds[i].value != NULL)
			fprintf(fp, " = \"%s%s\"", p->conds[i].value,
			    p->conds[i].prefix ? "*" : "");
	}
	buf_release(&b);
}

void
profile_set_print(struct profile_set *set, FILE *fp)
{
	size_t i, j;

	profile_set_build_all(set);
	for (i = 0; i < set->n; i++) {
		const struct profile *p = set->v[i];

		fprintf(fp, "\nprofile %s (%s)%s\n", p->name, p->file,
		    p == set->forced ? ": forced by --profile" : "");
		if (p->description != NULL)
			fprintf(fp, "  %s\n", p->description);
		fprintf(fp, "  match: ");
		print_conds(p, fp);
		if (p->priority != 0)
			fprintf(fp, " (priority %ld)", p->priority);
		fputc('\n', fp);
		fields_print_indented(p->fields, "  ", fp);
		for (j = 0; j < p->levels.n; j++)
			fprintf(fp, "%s\"%s\": %s", j ? ", " : "  levels: ",
			    p->levels.words[j].raw, p->levels.words[j].canon);
		if (p->levels.n > 0)
			fputc('\n', fp);
		if (p->levels.dflt != NULL)
			fprintf(fp, "  level_default: %s\n", p->levels.dflt);
	}
}

void
profile_set_explain(const struct profile_set *set, FILE *fp)
{
	if (set->forced != NULL)
		fprintf(fp, "\nprofile %s (%s), forced by --profile: the "
		    "aliases it names are read its way on every line\n",
		    set->forced->name, set->forced->file);
	else if (set->n > 0)
		fprintf(fp, "\nprofiles: on a line a format profile "
		    "recognises, the aliases it names are read its way first "
		    "('logq --fields FILE...' shows which profile each line "
		    "shape matches)\n");
}
