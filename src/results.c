/* SPDX-License-Identifier: MIT */
/* results.c - tables -> rows, assertions, summary; final or a tick */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "results.h"
#include "state.h"
#include "suggest.h"
#include "util.h"

/* One emit's work, passed down instead of a dozen arguments. */
struct emit {
	const struct plan		*plan;
	const struct results_source	*src;
	size_t				 nsrc;
	const struct results_stats	*st;
	const struct results_options	*o;
	struct formatter		*fmt;
	struct check_list		*checks;
	struct results_outcome		*out;
	struct agg_table		**merged;	/* per query, or NULL */
	struct eval_ctx			 ctx;		/* having, assertions */
};

void
results_stats_release(struct results_stats *st)
{
	size_t i;

	for (i = 0; i < RECORD_NSTATUS; i++)
		free(st->first[i].file);
	free(st->first_repaired.file);
	free(st->first_no_time.file);
	for (i = 0; st->first_limit != NULL && i < st->nqueries; i++)
		free(st->first_limit[i].file);
	free(st->first_limit);
	free(st->limit_hits);
	memset(st, 0, sizeof(*st));
}

void
results_outcome_release(struct results_outcome *out)
{
	size_t i;

	for (i = 0; i < out->nnotes; i++) {
		diag_release(&out->notes[i]);
		if (out->note_ids != NULL)
			free(out->note_ids[i]);
	}
	free(out->notes);
	free(out->note_ids);
	memset(out, 0, sizeof(*out));
}

struct format_query *
results_format_queries(const struct plan *plan)
{
	struct format_query *fq = xcalloc(plan->n + 1, sizeof(*fq));
	size_t i;

	for (i = 0; i < plan->n; i++) {
		const struct plan_query *pq = &plan->queries[i];

		fq[i].name = pq->name;
		fq[i].columns = pq->columns;
		fq[i].ncolumns = pq->ncolumns;
		fq[i].nkeys = pq->nkeys;
		fq[i].is_raw = pq->is_raw;
		fq[i].is_agg = pq->is_agg;
		fq[i].chart = pq->chart;
	}
	return fq;
}

static void
warn(struct emit *e, struct diag *d)
{
	if (e->o->warn)
		e->o->warn(e->o->warn_ctx, d);
	diag_release(d);
}

/* Appends an end-of-run line; takes MSG. */
static void
add_note(struct results_outcome *out, char *msg)
{
	struct diag *d;

	XGROW(out->notes, out->nnotes + 1, out->notes_alloc);
	d = &out->notes[out->nnotes++];
	memset(d, 0, sizeof(*d));
	d->status = LOGQ_EXIT_OK;
	d->msg = msg;
}

/* A tick's failed assertion O, with MESSAGE (copied), and its name
 * across prints: "query assertion key" (results.h, note_ids). */
static void
add_tick_failure(struct results_outcome *out, const struct check_outcome *o,
    const char *message)
{
	char *key = o->key != NULL ? json_dumps(o->key, JSON_COMPACT |
	    JSON_SORT_KEYS) : NULL;

	out->note_ids = xrealloc(out->note_ids, (out->nnotes + 1) *
	    sizeof(*out->note_ids));
	out->note_ids[out->nnotes] = xasprintf("%zu %zu %s", o->query,
	    o->assert, key != NULL ? key : "");
	free(key);
	add_note(out, xstrdup(message));
}

/* The key lines had that is nearest watched field K's NAME, the nearest
 * of the sources' by suggest.h's rule, or NULL. */
static const char *
near_key(const struct emit *e, size_t k, const char *name, size_t len)
{
	struct suggest sg;
	size_t s;

	suggest_init(&sg, name, len);
	for (s = 0; s < e->nsrc; s++)
		if (e->src[s].near != NULL && e->src[s].near[k] != NULL)
			suggest_consider(&sg, e->src[s].near[k]);
	return suggest_best(&sg);
}

/*
 * A query whose `where` reads only fields that no line had matched
 * nothing because of a name, not because of the data: say so, since a
 * CI check such as "errors == 0" would otherwise pass on a typo.
 */
static void
report_unseen(struct emit *e)
{
	const struct plan *plan = e->plan;
	size_t qi, i, s;

	if (e->st->json == 0)
		return;
	for (qi = 0; qi < plan->n; qi++) {
		const struct plan_query *pq = &plan->queries[qi];
		struct buf names = BUF_INIT, hints = BUF_INIT;
		struct diag d = { 0 };
		int any = 0;

		if (pq->nwatch == 0)
			continue;
		for (i = 0; i < pq->nwatch && !any; i++)
			for (s = 0; s < e->nsrc; s++)
				any |= e->src[s].seen[pq->watch[i]];
		if (any)
			continue;
		for (i = 0; i < pq->nwatch; i++) {
			struct buf name = BUF_INIT;
			const char *near;

			if (i)
				buf_adds(&names, ", ");
			plan_watch_name(plan, pq->watch[i], &name);
			buf_adds(&names, buf_str(&name));
			/* "did you mean 'level'?", or with more than one
			 * field "'level' for levle, 'status' for stauts". */
			near = near_key(e, pq->watch[i], buf_str(&name),
			    name.len);
			if (near != NULL && pq->nwatch == 1)
				buf_printf(&hints, "'%s'", near);
			else if (near != NULL)
				buf_printf(&hints, "%s'%s' for %s", hints.len ?
				    ", " : "", near, buf_str(&name));
			buf_release(&name);
		}
		e->out->unseen_queries++;
		diag_set(&d, LOGQ_EXIT_INPUT, "%s in query '%s': no line has "
		    "%s %s that its where reads; %s%s%s ('logq --fields' "
		    "lists the aliases)", e->o->strict ? "error" : "warning",
		    pq->name, pq->nwatch > 1 ? "any of the fields" :
		    "the field", buf_str(&names), hints.len ?
		    "did you mean " : "is a name misspelt", buf_str(&hints),
		    "?");
		warn(e, &d);
		buf_release(&names);
		buf_release(&hints);
	}
}

/* The documented fallback of --max-values, said where it happened. */
static void
warn_approx(struct emit *e, const struct plan_query *pq)
{
	struct diag d = { 0 };

	diag_set(&d, LOGQ_EXIT_OK, "warning in query '%s': more than %zu "
	    "values for exact percentiles (--max-values); its percentiles "
	    "are approximate, within 1%%", pq->name, e->o->max_values);
	if (e->o->quiet)
		diag_release(&d);
	else
		warn(e, &d);
}

static void
limit_error(struct emit *e, size_t qi, struct diag *err)
{
	diag_set(err, LOGQ_EXIT_INPUT, "query '%s' has more than %zu "
	    "groups, the --max-groups limit; group by fewer distinct "
	    "values (an id?) or raise the limit", e->plan->queries[qi].name,
	    e->o->agg.max_groups);
}

/*
 * Final: the sources' tables merged into the first's (the one merge
 * that `logq merge` shares). A tick: all of them copied into a scratch
 * table per query, the sources left to be fed. -1 with *err when a
 * merge passes --max-groups.
 */
static int
merge_tables(struct emit *e, int final, struct diag *err)
{
	size_t qi, s;

	for (qi = 0; qi < e->plan->n; qi++) {
		struct agg_table *t = e->src[0].tables[qi];

		if (t == NULL)
			continue;
		if (final)
			s = 1;
		else {
			t = agg_table_new(&e->plan->queries[qi], &e->o->agg);
			s = 0;
		}
		e->merged[qi] = t;
		for (; s < e->nsrc; s++)
			if (agg_merge(t, e->src[s].tables[qi]) < 0) {
				limit_error(e, qi, err);
				return -1;
			}
	}
	return 0;
}

/* One thread's share of the percentile selections (agg_prepare). */
struct prepare_job {
	struct emit	*e;
	size_t		 part, nparts;
	pthread_t	 thread;
};

static void *
prepare_part(void *arg)
{
	struct prepare_job *job = arg;
	size_t qi;

	for (qi = 0; qi < job->e->plan->n; qi++)
		if (job->e->merged[qi] != NULL)
			agg_prepare(job->e->merged[qi], job->part,
			    job->nparts);
	return NULL;
}

/* The merged tables' percentiles, selected by o->nthreads threads. */
static void
prepare_tables(struct emit *e)
{
	struct prepare_job *jobs;
	size_t n = e->o->nthreads > 1 ? e->o->nthreads : 1, w;

	jobs = xcalloc(n, sizeof(*jobs));
	for (w = 0; w < e->plan->n; w++)
		if (e->merged[w] != NULL)
			agg_prepare_split(e->merged[w], n);
	for (w = 0; w < n; w++) {
		jobs[w].e = e;
		jobs[w].part = w;
		jobs[w].nparts = n;
	}
	/* Thread 0 is this one; a thread that cannot start leaves its
	 * part to it. */
	for (w = 1; w < n; w++)
		if (pthread_create(&jobs[w].thread, NULL, prepare_part,
		    &jobs[w]) != 0)
			jobs[w].e = NULL;
	prepare_part(&jobs[0]);
	for (w = 1; w < n; w++) {
		if (jobs[w].e != NULL)
			pthread_join(jobs[w].thread, NULL);
		else {
			jobs[w].e = e;
			prepare_part(&jobs[w]);
		}
	}
	free(jobs);
}

/* Whether query QI's table holds a listing that a run streams: only
 * in `logq merge`, whose states keep every listing's rows. */
static int
is_streamed(const struct emit *e, size_t qi)
{
	const struct plan_query *pq = &e->plan->queries[qi];

	return !pq->is_agg && pq->nsort == 0 && e->merged[qi] != NULL;
}

/* A listing row of the merge, its sort key: the rank of its file's
 * name, then its line (positions as a merge orders them), then the
 * query (one line's rows go out in query order, as in a run). */
struct streamed {
	uint64_t	 file_rank, lineno;
	size_t		 query, row;
	const struct value *cells;
	const struct line *line;	/* text NULL: not kept */
};

static int
streamed_cmp(const void *pa, const void *pb)
{
	const struct streamed *a = pa, *b = pb;

	if (a->file_rank != b->file_rank)
		return (a->file_rank > b->file_rank) -
		    (a->file_rank < b->file_rank);
	if (a->lineno != b->lineno)
		return (a->lineno > b->lineno) - (a->lineno < b->lineno);
	if (a->query != b->query)
		return (a->query > b->query) - (a->query < b->query);
	return (a->row > b->row) - (a->row < b->row);
}

static const struct aggfn_files *rank_files;	/* see file_ranks() */

static int
name_cmp(const void *pa, const void *pb)
{
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;

	return strcmp(rank_files->names[a], rank_files->names[b]);
}

/* The rank of each file ordinal of F by name (F->n + 1 entries). qsort
 * has no context argument in C11: as agg.c's sort, the files travel in
 * a file-scope pointer set just around the call. */
static uint64_t *
file_ranks(const struct aggfn_files *f)
{
	size_t n = f != NULL ? f->n : 0, i, *order;
	uint64_t *rank = xcalloc(n + 1, sizeof(*rank));

	order = xcalloc(n + 1, sizeof(*order));
	for (i = 0; i < n; i++)
		order[i] = i;
	if (n > 0 && f->by_name) {
		rank_files = f;
		qsort(order, n, sizeof(*order), name_cmp);
		rank_files = NULL;
	}
	for (i = 0; i < n; i++)
		rank[order[i]] = i;
	free(order);
	return rank;
}

/*
 * `logq merge`'s listings: the rows of every listing that a run
 * streams, in the order a run over all the parts writes them (by
 * position, across queries), each query's first `limit`, assertions
 * checked, before the aggregations (a run writes those at the end).
 * 0, or -1 (errno set) when FMT cannot be written.
 */
static int
write_streamed(struct emit *e)
{
	const struct plan *plan = e->plan;
	uint64_t mask = (UINT64_C(1) << AGGFN_LINE_BITS) - 1, *rank;
	uint64_t *emitted = xcalloc(plan->n + 1, sizeof(*emitted));
	struct streamed *all = NULL;
	size_t n = 0, alloc = 0, qi, r, i;
	int rc = 0;

	rank = file_ranks(e->o->agg.files);
	for (qi = 0; qi < plan->n; qi++) {
		const struct value *cells;
		const uint64_t *seq;
		const struct line *lines;
		size_t nrows;

		if (!is_streamed(e, qi))
			continue;
		nrows = agg_rows(e->merged[qi], &cells, &seq, &lines);
		for (r = 0; r < nrows; r++) {
			uint64_t f = seq[r] >> AGGFN_LINE_BITS;

			XGROW(all, n + 1, alloc);
			all[n].file_rank = e->o->agg.files != NULL &&
			    f < e->o->agg.files->n ? rank[f] : f;
			all[n].lineno = seq[r] & mask;
			all[n].query = qi;
			all[n].row = r;
			all[n].line = &lines[r];
			all[n++].cells = &cells[r * plan->queries[qi].ncolumns];
		}
	}
	if (n > 0)
		qsort(all, n, sizeof(*all), streamed_cmp);
	for (i = 0; i < n && rc == 0; i++) {
		const struct plan_query *pq = &plan->queries[all[i].query];
		struct line line = *all[i].line;

		/* A listing with a limit and no sort stops at it. */
		if (pq->limit >= 0 &&
		    emitted[all[i].query] >= (uint64_t)pq->limit)
			continue;
		emitted[all[i].query]++;
		if (pq->nasserts > 0)
			check_row(e->checks, plan, all[i].query, all[i].cells,
			    &e->ctx);
		/* A raw row's one cell is its line. */
		line.lineno = (unsigned long)all[i].lineno;
		if (pq->is_raw && all[i].cells[0].kind == VALUE_STRING) {
			line.text = all[i].cells[0].u.s.ptr;
			line.len = all[i].cells[0].u.s.len;
		}
		rc = format_row(e->fmt, all[i].query, all[i].cells, &line);
	}
	free(all);
	free(rank);
	free(emitted);
	return rc;
}

/* Aggregation rows and sorted listings, in query order, assertions
 * checked; 0, or -1 (errno set) when FMT cannot be written. */
static int
write_rows(struct emit *e, int final)
{
	const struct plan *plan = e->plan;
	size_t qi, i, s;
	int rc = 0;

	for (qi = 0; qi < plan->n && rc == 0; qi++) {
		const struct plan_query *pq = &plan->queries[qi];
		struct agg_table *t = e->merged[qi];
		uint64_t matched = 0;
		struct agg_result res;

		for (s = 0; s < e->nsrc; s++)
			matched += e->src[s].matched[qi];
		if (t != NULL && final && is_streamed(e, qi))
			;	/* written by write_streamed() */
		else if (t != NULL) {
			if (agg_is_approx(t)) {
				e->out->approx = 1;
				format_set_approx(e->fmt, qi);
				if (final && !e->o->approx)
					warn_approx(e, pq);
			}
			e->ctx.stats[EXPR_STAT_MATCHED] = (int64_t)matched;
			agg_result(t, &e->ctx, &res);
			for (i = 0; i < res.nrows && rc == 0; i++) {
				const struct value *row =
				    &res.cells[i * res.ncolumns];

				if (pq->nasserts > 0)
					check_row(e->checks, plan, qi, row,
					    &e->ctx);
				rc = format_row(e->fmt, qi, row, NULL);
			}
			agg_result_release(&res);
			format_query_done(e->fmt, qi);
		}
		if (final && !pq->is_agg)
			check_listing_done(e->checks, plan, qi);
	}
	return rc;
}

/* The end-of-run line of SPEC 1.2, when anything was skipped, repaired
 * or had no time for --since/--until: how many lines, why, and where
 * the first of each was; and the CRI records joined into earlier lines,
 * neither used nor skipped, so that the counts add up to the lines
 * read (joining alone is no news: no line for it). */
static void
note_summary(struct emit *e)
{
	const struct results_stats *st = e->st;
	struct buf b = BUF_INIT;
	const char *sep = "";
	int i;

	if (st->skipped == 0 && st->repaired == 0 && st->no_time == 0)
		return;
	buf_printf(&b, "%lld line%s read", (long long)st->lines,
	    st->lines == 1 ? "" : "s");
	if (st->skipped > 0) {
		buf_printf(&b, ", %lld skipped (", (long long)st->skipped);
		for (i = 0; i < RECORD_NSTATUS; i++) {
			if (st->by_reason[i] == 0 || i == RECORD_JOINED)
				continue;
			buf_printf(&b, "%s%lld %s, first at %s:%lu", sep,
			    (long long)st->by_reason[i],
			    record_status_names[i], st->first[i].file,
			    st->first[i].lineno);
			sep = "; ";
		}
		buf_addc(&b, ')');
	}
	if (st->by_reason[RECORD_JOINED] > 0)
		buf_printf(&b, ", %lld joined (CRI records read into the line "
		    "of their run's first, first at %s:%lu)",
		    (long long)st->by_reason[RECORD_JOINED],
		    st->first[RECORD_JOINED].file,
		    st->first[RECORD_JOINED].lineno);
	if (st->repaired > 0)
		buf_printf(&b, ", %lld repaired (invalid UTF-8 or lone "
		    "surrogates, first at %s:%lu)", (long long)st->repaired,
		    st->first_repaired.file, st->first_repaired.lineno);
	/* SPEC 1: --since/--until dropped them, not the parser. */
	if (st->no_time > 0)
		buf_printf(&b, ", %lld no time (no usable time for "
		    "--since/--until, first at %s:%lu)", (long long)st->no_time,
		    st->first_no_time.file, st->first_no_time.lineno);
	add_note(e->out, buf_take(&b));
}

/*
 * Regex matches stopped at PCRE2's match limit counted as no match. In
 * a query with assertions that is a check that could not read a line
 * (a crafted 2 MB line can hide a key from no-secrets that way): an
 * error with the first such line's place, and exit 3 (main.c). In other
 * queries, and in having or assert, a warning with the count.
 */
static void
note_regex_limits(struct emit *e)
{
	const struct results_stats *st = e->st;
	const struct results_options *o = e->o;
	unsigned long rest = e->out->regex_limit_hits, n;
	size_t qi;

	for (qi = 0; st->limit_hits != NULL && qi < st->nqueries &&
	    qi < e->plan->n; qi++) {
		const struct plan_query *pq = &e->plan->queries[qi];
		const struct results_place *at = &st->first_limit[qi];

		if ((n = st->limit_hits[qi]) == 0)
			continue;
		rest -= n < rest ? n : rest;
		if (pq->nasserts > 0) {
			e->out->limit_failed_queries++;
			add_note(e->out, xasprintf("error in query '%s': %lu "
			    "regex match%s stopped at PCRE2's match limit, "
			    "first at %s:%lu; its assertions cannot hold on a "
			    "line they could not read", pq->name, n,
			    n == 1 ? "" : "es", at->file ? at->file : "-",
			    at->lineno));
		} else if (!o->quiet || o->strict)
			add_note(e->out, xasprintf("warning in query '%s': %lu "
			    "regex match%s stopped at PCRE2's match limit "
			    "(counted as no match), first at %s:%lu", pq->name,
			    n, n == 1 ? "" : "es", at->file ? at->file : "-",
			    at->lineno));
	}
	if (rest > 0 && (!o->quiet || o->strict))
		add_note(e->out, xasprintf("%lu regex matches stopped at "
		    "PCRE2's match limit (counted as no match)", rest));
}

/*
 * SPEC 3.7: assertions checked against no row held on nothing (an
 * empty log, a typo in a `where`, a `having` that dropped every group):
 * a CI check must not pass on that without a word. --strict makes it a
 * failure (main.c's run_status).
 */
static void
note_unchecked(struct emit *e)
{
	size_t qi;

	for (qi = 0; qi < e->plan->n; qi++) {
		const struct plan_query *pq = &e->plan->queries[qi];

		if (pq->nasserts == 0 ||
		    check_rows_checked(e->checks, qi) > 0)
			continue;
		e->out->unchecked_queries++;
		if (e->o->quiet && !e->o->strict)
			continue;
		add_note(e->out, xasprintf("%s in query '%s': no row to "
		    "check %s against, so %s on nothing (an empty input, or "
		    "a where or having that no line passed?)",
		    e->o->strict ? "error" : "warning", pq->name,
		    pq->nasserts > 1 ? "its assertions" : "its assertion",
		    pq->nasserts > 1 ? "they held" : "it held"));
	}
}

/* The assertions' outcomes for the formatter, in the order recorded,
 * then the end-of-run notes; 0, or -1 (errno set) on a write error. */
static int
finish_output(struct emit *e, int final)
{
	const struct check_list *c = e->checks;
	const struct results_options *o = e->o;
	struct format_assertion *fa;
	struct format_stats fs;
	size_t i, shown_failed = 0;
	int rc;

	fs.lines = e->ctx.stats[EXPR_STAT_LINES];
	fs.json = e->ctx.stats[EXPR_STAT_JSON];
	fs.skipped = e->ctx.stats[EXPR_STAT_SKIPPED];
	fs.joined = o->window ? o->window->joined :
	    e->st->by_reason[RECORD_JOINED];
	fs.repaired = e->ctx.stats[EXPR_STAT_REPAIRED];
	fs.percentiles = e->out->approx ? "approx" : "exact";
	fa = xcalloc(c->n + 1, sizeof(*fa));
	for (i = 0; i < c->n; i++) {
		const struct check_outcome *oc = &c->items[i];
		const struct plan_query *pq = &e->plan->queries[oc->query];

		fa[i].query = oc->query;
		fa[i].expr = pq->asserts[oc->assert].text;
		fa[i].passed = oc->passed;
		fa[i].key = oc->key;
		fa[i].values = oc->values;
		fa[i].detail = oc->detail;
		fa[i].message = check_message(e->plan, oc);
		shown_failed += !oc->passed;
	}
	rc = format_finish(e->fmt, &fs, fa, c->n);
	e->out->asserts_failed = c->failed;
	if (rc == 0 && final) {
		if (!o->quiet)
			note_summary(e);
		note_regex_limits(e);
		note_unchecked(e);
		/* SPEC 3.7: each failure on stderr, after all results. */
		for (i = 0; i < c->n; i++)
			if (!fa[i].passed)
				add_note(e->out, xstrdup(fa[i].message));
		if (c->failed > c->n)
			add_note(e->out, xasprintf("(%zu more assertion "
			    "failures in listing rows not shown)",
			    c->failed - shown_failed));
	}
	/* A follow-mode print: its window's failures, reported on stderr
	 * as they happen (SPEC 6), each with what names it across prints. */
	for (i = 0; rc == 0 && !final && i < c->n; i++)
		if (!fa[i].passed)
			add_tick_failure(e->out, &c->items[i], fa[i].message);
	for (i = 0; i < c->n; i++)
		free((char *)fa[i].message);
	free(fa);
	return rc;
}

int
results_emit(const struct plan *plan, const struct results_source *src,
    size_t nsrc, const struct results_stats *st, struct check_list *checks,
    const struct results_options *o, struct formatter *fmt, int final,
    struct results_outcome *out, struct diag *err)
{
	struct emit e = { 0 };
	struct check_list tick_checks = { 0 };
	size_t qi;
	int rc = 0, saved_errno = 0;

	e.plan = plan;
	e.src = src;
	e.nsrc = nsrc;
	e.st = st;
	e.o = o;
	e.fmt = fmt;
	e.checks = final ? checks : &tick_checks;
	e.out = out;
	e.merged = xcalloc(plan->n + 1, sizeof(*e.merged));
	eval_ctx_init(&e.ctx);
	e.ctx.stats[EXPR_STAT_LINES] = o->window ? o->window->lines :
	    st->lines;
	e.ctx.stats[EXPR_STAT_JSON] = o->window ? o->window->json : st->json;
	e.ctx.stats[EXPR_STAT_SKIPPED] = o->window ? o->window->skipped :
	    st->skipped;
	e.ctx.stats[EXPR_STAT_REPAIRED] = o->window ? o->window->repaired :
	    st->repaired;
	e.ctx.stats[EXPR_STAT_STALLED] = st->stalled_s;

	if (final && o->state == NULL && (!o->quiet || o->strict))
		report_unseen(&e);
	if (fmt == NULL && o->state == NULL)
		;	/* the output failed during the run: warnings only */
	else if (merge_tables(&e, final, err) < 0)
		rc = -1;	/* errno stays 0: not a write error */
	else if (o->state != NULL) {
		/* The same merge, written as it is, not as rows. */
		rc = state_write(o->state, plan, e.merged, src, nsrc, st, err);
		saved_errno = rc < 0 ? errno : 0;
	} else {
		prepare_tables(&e);
		rc = final ? write_streamed(&e) : 0;
		if (rc == 0)
			rc = write_rows(&e, final);
		/* Before the notes: the match-limit line counts `having`
		 * too. */
		out->regex_limit_hits = st->regex_limit_hits +
		    e.ctx.func.regex_limit_hits;
		if (rc == 0)
			rc = finish_output(&e, final);
		if (rc < 0) {
			saved_errno = errno;
			diag_set(err, LOGQ_EXIT_INPUT, "error writing output: "
			    "%s", strerror(saved_errno));
		}
	}
	for (qi = 0; !final && qi < plan->n; qi++)
		agg_table_free(e.merged[qi]);
	free(e.merged);
	check_list_release(&tick_checks);
	eval_ctx_release(&e.ctx);
	errno = saved_errno;
	return rc;
}
