/* SPDX-License-Identifier: MIT */
/* state.c - versioned partial states for --state and logq merge (SPEC 7) */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile.h"
#include "state.h"
#include "suggest.h"
#include "util.h"

/*
 * The document, one line (redis's HYLL header is the model: a version
 * first, then what only that version reads):
 *
 *   {"logq_state": 1, "fingerprint": "<16 hex>", "queries": [names],
 *    "stats": {...}, "watch": [{"seen": B, "near": S|null}, ...],
 *    "results": [{"name": N, "matched": M, "limit_hits": H,
 *                 "first_limit": [FILE, LINE]|null,
 *                 "table": agg_write()}, ...]}
 *
 * Every part merges by addition, union or the least position, each of
 * which is associative and commutative: any tree of merges of any
 * split gives the one-pass state (aggfn.h states the same of each
 * aggregate).
 */

/* ---- fingerprint ------------------------------------------------------ */

static int
is_word(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '$' || c == '.' ||
	    (unsigned char)c >= 0x80;
}

/* TEXT with the blanks outside quotes left out, but one between two
 * words (`a or b`, `not x`): the YAML's folding, indentation and
 * spacing (`route( path )`, `status>=500`) do not count. */
static void
add_norm(struct buf *b, const char *text)
{
	const char *p;
	char quote = 0, prev = 0;
	int blank = 0;

	for (p = text; *p != '\0'; p++) {
		if (quote == 0 && (*p == ' ' || *p == '\t' || *p == '\n' ||
		    *p == '\r')) {
			blank = 1;
			continue;
		}
		if (blank && is_word(prev) && is_word(*p))
			buf_addc(b, ' ');
		blank = 0;
		buf_addc(b, *p);
		prev = *p;
		if (quote != 0 && *p == '\\' && p[1] != '\0')
			buf_addc(b, *++p);
		else if (quote != 0 && *p == quote)
			quote = 0;
		else if (quote == 0 && (*p == '"' || *p == '\''))
			quote = *p;
		if (quote != 0 || *p == '"' || *p == '\'')
			prev = 0;
	}
	/* A field separator that no text holds. */
	buf_addc(b, '\0');
}

static void
add_str(struct buf *b, const char *s)
{
	buf_adds(b, s != NULL ? s : "");
	buf_addc(b, '\0');
}

static void
add_columns(struct buf *b, const char *what, const struct query_column *c,
    size_t n)
{
	size_t i;

	buf_printf(b, "%s %zu", what, n);
	buf_addc(b, '\0');
	for (i = 0; i < n; i++) {
		add_str(b, c[i].name);
		add_norm(b, c[i].expr.text);
	}
}

/* FNV-1a, 64 bits: stable across runs and machines, unlike hash.h's
 * keyed hashes. */
static uint64_t
fnv1a(const char *p, size_t len)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)p[i];
		h *= UINT64_C(0x100000001b3);
	}
	return h;
}

void
state_fingerprint(const struct plan *plan, const char *const *field_args,
    size_t nfield_args, struct profile_set *profiles, char *out)
{
	struct buf b = BUF_INIT;
	size_t i, j;

	buf_printf(&b, "logq state %d", STATE_VERSION);
	buf_addc(&b, '\0');
	for (i = 0; i < plan->n; i++) {
		const struct query *q = plan->queries[i].src;

		add_str(&b, "query");
		add_str(&b, plan->queries[i].name);
		if (q->where != NULL)
			add_norm(&b, q->where->text);
		else
			add_str(&b, "(every line)");
		add_columns(&b, "select", q->select, q->nselect);
		add_columns(&b, "group_by", q->group_by, q->ngroup_by);
		add_columns(&b, "aggregate", q->aggregate, q->naggregate);
		if (q->having != NULL)
			add_norm(&b, q->having->text);
		else
			add_str(&b, "(no having)");
		for (j = 0; j < q->nsort; j++)
			buf_printf(&b, "sort %s%s", q->sort[j].descending ?
			    "-" : "", q->sort[j].column), buf_addc(&b, '\0');
		buf_printf(&b, "limit %lld", q->limit);
		buf_addc(&b, '\0');
		for (j = 0; j < q->nasserts; j++)
			add_norm(&b, q->asserts[j].text);
		for (j = 0; j < q->nparams; j++) {
			buf_printf(&b, "param %s=", q->params[j].name);
			value_write_json(&b, &q->params[j].value);
			buf_addc(&b, '\0');
		}
		for (j = 0; j < q->nfields; j++) {
			add_str(&b, q->fields[j].name);
			add_str(&b, q->fields[j].spec);
		}
		add_str(&b, q->chart);
	}
	for (i = 0; i < nfield_args; i++) {
		add_str(&b, "--field");
		add_str(&b, field_args[i]);
	}
	/* The profiles decide what the aliases read on each line: a state
	 * made with another --profile, or with a profile that differs (a
	 * user's own in ~/.config/logq/profiles), is another answer. */
	if (profiles != NULL) {
		/* Their tables as built on use: the same whatever lines
		 * this run has read so far. */
		profile_set_build_all(profiles);
		if (profiles->forced != NULL) {
			add_str(&b, "--profile");
			add_str(&b, profiles->forced->name);
		}
		for (i = 0; i < profiles->n; i++) {
			const struct profile *p = profiles->v[i];
			char *text = NULL;
			size_t len = 0;
			FILE *fp;

			add_str(&b, "profile");
			add_str(&b, p->name);
			buf_printf(&b, "priority %ld", p->priority);
			buf_addc(&b, '\0');
			for (j = 0; j < p->nconds; j++) {
				size_t k;

				for (k = 0; k < p->conds[j].path.n; k++)
					add_str(&b, p->conds[j].path.seg[k]);
				add_str(&b, p->conds[j].value != NULL ?
				    p->conds[j].value : "(present)");
				add_str(&b, p->conds[j].prefix ? "prefix" :
				    "whole");
			}
			/* The aliases as --fields prints them. */
			if ((fp = open_memstream(&text, &len)) == NULL) {
				fprintf(stderr, "logq: out of memory\n");
				exit(LOGQ_EXIT_USAGE);
			}
			fields_print(p->fields, fp);
			fclose(fp);
			add_str(&b, text != NULL ? text : "");
			free(text);
			for (j = 0; j < p->levels.n; j++) {
				add_str(&b, p->levels.words[j].raw);
				add_str(&b, p->levels.words[j].canon);
			}
			add_str(&b, p->levels.dflt != NULL ?
			    p->levels.dflt : "(no default level)");
		}
	}
	snprintf(out, STATE_FINGERPRINT_LEN + 1, "%016llx",
	    (unsigned long long)fnv1a(b.ptr, b.len));
	buf_release(&b);
}

static void
find_stat(struct expr *node, void *ctx)
{
	if (node->op == EXPR_STAT)
		*(int *)ctx = 1;
}

int
state_check_plan(const struct plan *plan, struct diag *err)
{
	size_t i, k;

	for (i = 0; i < plan->n; i++) {
		const struct plan_query *pq = &plan->queries[i];
		int reads_stats = 0;

		if (pq->is_agg)
			continue;
		/* A listing row's $lines is the count at that row, which
		 * no state knows of the lines before it in other parts. */
		for (k = 0; pq->select != NULL && k < pq->ncolumns; k++)
			expr_walk(pq->select[k], find_stat, &reads_stats);
		for (k = 0; k < pq->nasserts; k++)
			expr_walk(pq->asserts[k].expr, find_stat,
			    &reads_stats);
		if (pq->where != NULL)
			expr_walk(pq->where, find_stat, &reads_stats);
		if (reads_stats) {
			diag_set(err, LOGQ_EXIT_USAGE, "'%s' is a listing "
			    "that reads $lines, $json, $skipped, $repaired "
			    "or $matched at each row, which no part's state "
			    "knows of the lines before it in other parts; "
			    "run it on the whole input", pq->name);
			return -1;
		}
	}
	return 0;
}

/* ---- writing ---------------------------------------------------------- */

static json_t *
place_to_json(const struct results_place *p)
{
	if (p->file == NULL)
		return json_null();
	return json_pack("[sI]", p->file, (json_int_t)p->lineno);
}

static json_t *
stats_to_json(const struct results_stats *st)
{
	json_t *o = json_object(), *by = json_object();
	int i;

	json_object_set_new(o, "lines", json_integer(st->lines));
	json_object_set_new(o, "json", json_integer(st->json));
	json_object_set_new(o, "skipped", json_integer(st->skipped));
	for (i = 0; i < RECORD_NSTATUS; i++)
		if (st->by_reason[i] > 0)
			json_object_set_new(by, record_status_names[i],
			    json_pack("{sIso}", "n",
			    (json_int_t)st->by_reason[i], "first",
			    place_to_json(&st->first[i])));
	json_object_set_new(o, "by_reason", by);
	json_object_set_new(o, "repaired", json_integer(st->repaired));
	json_object_set_new(o, "first_repaired",
	    place_to_json(&st->first_repaired));
	json_object_set_new(o, "out_of_range",
	    json_integer(st->out_of_range));
	json_object_set_new(o, "no_time", json_integer(st->no_time));
	json_object_set_new(o, "first_no_time",
	    place_to_json(&st->first_no_time));
	json_object_set_new(o, "input_errors",
	    json_integer(st->input_errors));
	json_object_set_new(o, "regex_limit_hits",
	    json_integer((json_int_t)st->regex_limit_hits));
	return o;
}

int
state_write(const struct state_options *so, const struct plan *plan,
    struct agg_table *const *merged, const struct results_source *src,
    size_t nsrc, const struct results_stats *st, struct diag *err)
{
	json_t *doc = json_object(), *names = json_array();
	json_t *watch = json_array(), *results = json_array();
	struct suggest sg;
	struct buf name = BUF_INIT;
	size_t qi, k, s;
	int rc;

	for (qi = 0; qi < plan->n; qi++)
		json_array_append_new(names,
		    json_string(plan->queries[qi].name));
	for (k = 0; k < plan->nwatch; k++) {
		int seen = 0;

		buf_reset(&name);
		plan_watch_name(plan, k, &name);
		suggest_init(&sg, buf_str(&name), name.len);
		for (s = 0; s < nsrc; s++) {
			seen |= src[s].seen[k];
			if (src[s].near != NULL && src[s].near[k] != NULL)
				suggest_consider(&sg, src[s].near[k]);
		}
		json_array_append_new(watch, json_pack("{sbso}", "seen", seen,
		    "near", suggest_best(&sg) != NULL ?
		    json_string(suggest_best(&sg)) : json_null()));
	}
	for (qi = 0; qi < plan->n; qi++) {
		uint64_t matched = 0;
		json_t *r;

		for (s = 0; s < nsrc; s++)
			matched += src[s].matched[qi];
		r = json_pack("{sssI}", "name", plan->queries[qi].name,
		    "matched", (json_int_t)matched);
		json_object_set_new(r, "limit_hits", json_integer(
		    st->limit_hits != NULL && qi < st->nqueries ?
		    (json_int_t)st->limit_hits[qi] : 0));
		json_object_set_new(r, "first_limit",
		    st->first_limit != NULL && qi < st->nqueries ?
		    place_to_json(&st->first_limit[qi]) : json_null());
		json_object_set_new(r, "table", merged[qi] != NULL ?
		    agg_write(merged[qi]) : json_null());
		json_array_append_new(results, r);
	}
	json_object_set_new(doc, "logq_state", json_integer(STATE_VERSION));
	json_object_set_new(doc, "fingerprint", json_string(so->fingerprint));
	json_object_set_new(doc, "queries", names);
	json_object_set_new(doc, "stats", stats_to_json(st));
	json_object_set_new(doc, "watch", watch);
	json_object_set_new(doc, "results", results);
	/* One line: states are concatenated, one a line (SPEC 7). Reals
	 * with 17 digits, so that they read back to the same double. */
	errno = 0;
	rc = json_dumpf(doc, so->fp, JSON_COMPACT | JSON_PRESERVE_ORDER |
	    JSON_REAL_PRECISION(17));
	if (rc == 0 && (fputc('\n', so->fp) == EOF || fflush(so->fp) != 0))
		rc = -1;
	if (rc < 0) {
		if (errno == 0)
			errno = EIO;
		diag_set(err, LOGQ_EXIT_INPUT, "error writing output: %s",
		    strerror(errno));
	}
	json_decref(doc);
	buf_release(&name);
	return rc;
}

/* ---- reading and merging ---------------------------------------------- */

/* One state being read: where it is, for errors. */
struct reading {
	const char	*path;
	unsigned long	 lineno;
};

static int
bad(struct diag *err, const struct reading *at, enum logq_exit status,
    const char *msg)
{
	struct diag_pos pos = { at->path, (unsigned)at->lineno, 0 };

	diag_set_at(err, status, pos, "%s", msg);
	return -1;
}

/* Keeps the earlier of *P and [FILE, LINE] (J), as positions order
 * in a merge: by file name, then line. */
static int
merge_place(struct results_place *p, const json_t *j)
{
	const char *file;
	json_int_t line;
	int c;

	if (json_is_null(j))
		return 0;
	if (!json_is_array(j) || json_array_size(j) != 2 ||
	    (file = json_string_value(json_array_get(j, 0))) == NULL ||
	    !json_is_integer(json_array_get(j, 1)) ||
	    (line = json_integer_value(json_array_get(j, 1))) < 1)
		return -1;
	c = p->file == NULL ? 1 : strcmp(p->file, file);
	if (c > 0 || (c == 0 && (unsigned long)line < p->lineno)) {
		free(p->file);
		p->file = xstrdup(file);
		p->lineno = (unsigned long)line;
	}
	return 0;
}

/* Adds the count NAME of O to *TO; -1 when it is not a count. */
static int
add_count(int64_t *to, const json_t *o, const char *name)
{
	const json_t *j = json_object_get(o, name);

	if (!json_is_integer(j) || json_integer_value(j) < 0)
		return -1;
	*to += json_integer_value(j);
	return 0;
}

static int
merge_stats(struct results_stats *st, const json_t *o)
{
	const json_t *by, *r;
	int64_t hits = 0, errors = 0;
	const char *key;
	int i;

	if (!json_is_object(o) || add_count(&st->lines, o, "lines") < 0 ||
	    add_count(&st->json, o, "json") < 0 ||
	    add_count(&st->skipped, o, "skipped") < 0 ||
	    add_count(&st->repaired, o, "repaired") < 0 ||
	    add_count(&st->out_of_range, o, "out_of_range") < 0 ||
	    add_count(&st->no_time, o, "no_time") < 0 ||
	    add_count(&errors, o, "input_errors") < 0 ||
	    add_count(&hits, o, "regex_limit_hits") < 0 ||
	    merge_place(&st->first_repaired,
	    json_object_get(o, "first_repaired")) < 0 ||
	    merge_place(&st->first_no_time,
	    json_object_get(o, "first_no_time")) < 0)
		return -1;
	st->input_errors += (int)errors;
	st->regex_limit_hits += (unsigned long)hits;
	if (!json_is_object(by = json_object_get(o, "by_reason")))
		return -1;
	json_object_foreach((json_t *)by, key, r) {
		for (i = 1; i < RECORD_NSTATUS &&
		    strcmp(record_status_names[i], key) != 0; i++)
			;
		if (i == RECORD_NSTATUS ||
		    add_count(&st->by_reason[i], r, "n") < 0 ||
		    merge_place(&st->first[i], json_object_get(r,
		    "first")) < 0)
			return -1;
	}
	return 0;
}

static int
merge_watch(struct state_merge *m, const struct plan *plan, const json_t *w)
{
	struct buf name = BUF_INIT;
	struct suggest sg;
	const json_t *item, *near;
	size_t k;

	if (!json_is_array(w) || json_array_size(w) != plan->nwatch)
		return -1;
	json_array_foreach(w, k, item) {
		near = json_object_get(item, "near");
		if (!json_is_boolean(json_object_get(item, "seen")) ||
		    (!json_is_null(near) && !json_is_string(near))) {
			buf_release(&name);
			return -1;
		}
		m->seen[k] |= json_is_true(json_object_get(item, "seen"));
		if (!json_is_string(near))
			continue;
		/* The nearest of all, by results.c's own rule. */
		buf_reset(&name);
		plan_watch_name(plan, k, &name);
		suggest_init(&sg, buf_str(&name), name.len);
		if (m->near[k] != NULL)
			suggest_consider(&sg, m->near[k]);
		suggest_consider(&sg, json_string_value(near));
		if (suggest_best(&sg) != NULL && (m->near[k] == NULL ||
		    strcmp(suggest_best(&sg), m->near[k]) != 0)) {
			char *best = xstrdup(suggest_best(&sg));

			free(m->near[k]);
			m->near[k] = best;
		}
	}
	buf_release(&name);
	return 0;
}

/* The query names of a state, "a, b", for the refusal. */
static char *
names_of(const json_t *names)
{
	struct buf b = BUF_INIT;
	const json_t *n;
	size_t i;

	json_array_foreach(names, i, n)
		buf_printf(&b, "%s'%s'", i ? ", " : "", json_is_string(n) ?
		    json_string_value(n) : "?");
	return buf_take(&b);
}

static char *
plan_names(const struct plan *plan)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < plan->n; i++)
		buf_printf(&b, "%s'%s'", i ? ", " : "",
		    plan->queries[i].name);
	return buf_take(&b);
}

/* Whether the state DOC is one of PLAN's queries: -1 with *err (exit
 * 2) when it is another version's, or another query's. */
static int
check_header(const struct plan *plan, const char *fingerprint,
    const json_t *doc, const struct reading *at, struct diag *err)
{
	const json_t *v = json_object_get(doc, "logq_state");
	const json_t *names = json_object_get(doc, "queries");
	const char *fp = json_string_value(json_object_get(doc,
	    "fingerprint"));
	char *theirs, *ours, *msg;
	size_t i;
	int same_names;

	if (!json_is_integer(v) || fp == NULL || !json_is_array(names))
		return bad(err, at, LOGQ_EXIT_INPUT, "not a logq state: "
		    "a state is the line that 'logq QUERY --state' prints");
	if (json_integer_value(v) != STATE_VERSION) {
		msg = xasprintf("a state of format version %lld, and this "
		    "logq reads version %d: make the states and merge them "
		    "with one logq version", (long long)json_integer_value(v),
		    STATE_VERSION);
		bad(err, at, LOGQ_EXIT_USAGE, msg);
		free(msg);
		return -1;
	}
	if (strcmp(fp, fingerprint) == 0)
		return 0;
	same_names = json_array_size(names) == plan->n;
	for (i = 0; same_names && i < plan->n; i++)
		same_names = json_is_string(json_array_get(names, i)) &&
		    strcmp(json_string_value(json_array_get(names, i)),
		    plan->queries[i].name) == 0;
	theirs = names_of(names);
	ours = plan_names(plan);
	if (same_names)
		msg = xasprintf("a state of %s with other definitions or "
		    "parameters (fingerprint %s, not %s): merge with the "
		    "query file, --set, --field, --profile and profiles "
		    "that made the states", ours,
		    fp, fingerprint);
	else
		msg = xasprintf("a state of %s, not of %s: merge states with "
		    "the query that made them", theirs, ours);
	bad(err, at, LOGQ_EXIT_USAGE, msg);
	free(msg);
	free(theirs);
	free(ours);
	return -1;
}

/* Merges the state DOC into M. */
static int
merge_doc(struct state_merge *m, const struct plan *plan,
    const char *fingerprint, const struct agg_options *ao,
    const json_t *doc, const struct reading *at, struct diag *err)
{
	const json_t *results = json_object_get(doc, "results"), *r;
	struct diag e = { 0 };
	size_t qi;
	char *msg;

	if (check_header(plan, fingerprint, doc, at, err) < 0)
		return -1;
	if (merge_stats(&m->st, json_object_get(doc, "stats")) < 0)
		return bad(err, at, LOGQ_EXIT_INPUT, "invalid state: "
		    "'stats' are not the counts and places of a state");
	if (merge_watch(m, plan, json_object_get(doc, "watch")) < 0)
		return bad(err, at, LOGQ_EXIT_INPUT, "invalid state: 'watch' "
		    "is not one {\"seen\", \"near\"} a watched field");
	if (!json_is_array(results) || json_array_size(results) != plan->n)
		return bad(err, at, LOGQ_EXIT_INPUT, "invalid state: "
		    "'results' is not one item a query");
	json_array_foreach(results, qi, r) {
		const json_t *hits = json_object_get(r, "limit_hits");
		struct agg_table *t;
		int64_t matched = 0;

		if (add_count(&matched, r, "matched") < 0 ||
		    !json_is_integer(hits) || json_integer_value(hits) < 0 ||
		    merge_place(&m->st.first_limit[qi],
		    json_object_get(r, "first_limit")) < 0)
			return bad(err, at, LOGQ_EXIT_INPUT, "invalid state: "
			    "a query's 'matched', 'limit_hits' or "
			    "'first_limit' is not a count or place");
		m->matched[qi] += (uint64_t)matched;
		m->st.limit_hits[qi] += (unsigned long)json_integer_value(hits);
		/* Read into a table of its own, then the one merge of
		 * agg.c: the same as the -j threads'. */
		t = agg_table_new(&plan->queries[qi], ao);
		if (agg_read(t, json_object_get(r, "table"), &e) < 0 ||
		    agg_merge(m->tables[qi], t) < 0) {
			msg = e.msg != NULL ? xstrdup(e.msg) : xasprintf(
			    "query '%s' has more than %zu groups, the "
			    "--max-groups limit; raise it",
			    plan->queries[qi].name, ao->max_groups);
			bad(err, at, LOGQ_EXIT_INPUT, msg);
			free(msg);
			diag_release(&e);
			agg_table_free(t);
			return -1;
		}
		agg_table_free(t);
	}
	m->nstates++;
	return 0;
}

static int
is_blank(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' &&
		    s[i] != '\n')
			return 0;
	return 1;
}

/* Reads and merges the states of one file, a line each. */
static int
read_file(struct state_merge *m, const struct plan *plan,
    const char *fingerprint, const struct agg_options *ao, const char *path,
    struct diag *err)
{
	struct reading at = { path, 0 };
	FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	char *line = NULL, *msg;
	size_t cap = 0;
	ssize_t len;
	json_error_t je;
	json_t *doc;
	int rc = 0;

	if (fp == NULL) {
		diag_set(err, LOGQ_EXIT_INPUT, "cannot open state file '%s': "
		    "%s", path, strerror(errno));
		return -1;
	}
	while (rc == 0 && (len = getline(&line, &cap, fp)) >= 0) {
		at.lineno++;
		if (is_blank(line, (size_t)len))
			continue;
		/* A line cut short (a mapper killed mid-write) ends before
		 * its document does: say so rather than the parser's
		 * "unexpected end". */
		if ((doc = json_loadb(line, (size_t)len, 0, &je)) == NULL) {
			if (json_error_code(&je) ==
			    json_error_premature_end_of_input)
				msg = xstrdup("truncated state: the line ends "
				    "before its JSON document does");
			else
				msg = xasprintf("not a logq state: invalid "
				    "JSON at byte %d: %s", je.position,
				    je.text);
			rc = bad(err, &at, LOGQ_EXIT_INPUT, msg);
			free(msg);
			break;
		}
		if (!json_is_object(doc))
			rc = bad(err, &at, LOGQ_EXIT_INPUT, "not a logq state: "
			    "a state is the line that 'logq QUERY --state' "
			    "prints");
		else
			rc = merge_doc(m, plan, fingerprint, ao, doc, &at, err);
		json_decref(doc);
	}
	if (rc == 0 && ferror(fp)) {
		diag_set(err, LOGQ_EXIT_INPUT, "error reading state file "
		    "'%s': %s", path, strerror(errno));
		rc = -1;
	}
	free(line);
	if (fp != stdin)
		fclose(fp);
	return rc;
}

int
state_merge_read(struct state_merge *m, const struct plan *plan,
    const char *fingerprint, const struct agg_options *ao,
    char *const *paths, size_t npaths, struct diag *err)
{
	size_t i;

	memset(m, 0, sizeof(*m));
	m->tables = xcalloc(plan->n + 1, sizeof(*m->tables));
	m->matched = xcalloc(plan->n + 1, sizeof(*m->matched));
	m->seen = xcalloc(plan->nwatch + 1, 1);
	m->near = xcalloc(plan->nwatch + 1, sizeof(*m->near));
	m->st.nqueries = plan->n;
	m->st.limit_hits = xcalloc(plan->n + 1, sizeof(*m->st.limit_hits));
	m->st.first_limit = xcalloc(plan->n + 1,
	    sizeof(*m->st.first_limit));
	for (i = 0; i < plan->n; i++)
		m->tables[i] = agg_table_new(&plan->queries[i], ao);
	if (npaths == 0) {
		if (read_file(m, plan, fingerprint, ao, "-", err) < 0)
			return -1;
	}
	for (i = 0; i < npaths; i++)
		if (read_file(m, plan, fingerprint, ao, paths[i], err) < 0)
			return -1;
	if (m->nstates == 0) {
		diag_set(err, LOGQ_EXIT_INPUT, "no state to merge in %s: "
		    "each state is the line that 'logq QUERY --state' prints "
		    "(did every run fail?)", npaths == 0 ||
		    (npaths == 1 && strcmp(paths[0], "-") == 0) ?
		    "standard input" : "the files given");
		return -1;
	}
	return 0;
}

void
state_merge_release(struct state_merge *m, const struct plan *plan)
{
	size_t i;

	for (i = 0; m->tables != NULL && i < plan->n; i++)
		agg_table_free(m->tables[i]);
	for (i = 0; m->near != NULL && i < plan->nwatch; i++)
		free(m->near[i]);
	free(m->tables);
	free(m->matched);
	free(m->seen);
	free(m->near);
	results_stats_release(&m->st);
	memset(m, 0, sizeof(*m));
}
