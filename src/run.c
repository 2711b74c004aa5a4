/* run.c - one pass over the inputs: lines -> records -> queries -> rows */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "check.h"
#include "eval.h"
#include "func.h"
#include "run.h"
#include "util.h"

struct run {
	const struct plan	*plan;
	const struct run_options *o;
	struct formatter	*fmt;
	struct run_stats	*st;
	struct record		*rec;
	struct eval_ctx		 ctx;
	struct value		*cells;		/* widest select's cells */
	struct agg_table	**tables;	/* per query, or NULL: streamed */
	uint64_t		*emitted;	/* rows written per query */
	uint64_t		*matched;	/* lines past `where`, per query */
	uint64_t		 seq;		/* JSON lines fed so far */
	const struct fields_alias *time_alias;	/* for --since/--until */
	struct check_list	*checks;
	int			 write_failed;	/* the output is gone */
	int			 write_errno;
};

static void
note_place(struct run_place *p, const char *file, unsigned long lineno)
{
	if (p->file != NULL)
		return;
	p->file = xstrdup(file);
	p->lineno = lineno;
}

/* The line's time by the `time` alias, for --since and --until. */
static int
line_time(struct run *r, double *t)
{
	const struct fields_alias *a = r->time_alias;
	size_t i;

	for (i = 0; a != NULL && i < a->nalts; i++) {
		struct value v;

		if (!record_get(r->rec, &a->alts[i].path, &v) ||
		    v.kind == VALUE_NULL)
			continue;
		v = fields_convert(a->alts[i].conv, v, r->ctx.arena);
		return func_parse_time(&v, t);
	}
	return 0;
}

/* The input's health so far, for having and assert (SPEC 3.7). */
static void
set_stats(struct run *r)
{
	r->ctx.stats[EXPR_STAT_LINES] = r->st->lines;
	r->ctx.stats[EXPR_STAT_JSON] = r->st->json;
	r->ctx.stats[EXPR_STAT_SKIPPED] = r->st->skipped;
	r->ctx.stats[EXPR_STAT_REPAIRED] = r->st->repaired;
}

/* A row out: assertions checked, then written. */
static int
emit(struct run *r, size_t qi, const struct value *cells,
    const struct line *line)
{
	const struct plan_query *pq = &r->plan->queries[qi];

	if (pq->nasserts > 0) {
		set_stats(r);
		r->ctx.stats[EXPR_STAT_MATCHED] = (int64_t)r->matched[qi];
		check_row(r->checks, r->plan, qi, cells, &r->ctx);
	}
	r->emitted[qi]++;
	return format_row(r->fmt, qi, cells, line);
}

static int
feed(struct run *r, const struct line *line)
{
	const struct plan *plan = r->plan;
	size_t qi, i;

	r->seq++;
	for (qi = 0; qi < plan->n; qi++) {
		const struct plan_query *pq = &plan->queries[qi];

		if (pq->where && !eval_truthy(pq->where, &r->ctx))
			continue;
		r->matched[qi]++;
		if (pq->is_agg) {
			agg_feed(r->tables[qi], &r->ctx, r->seq);
			continue;
		}
		/* A listing with a limit and no sort stops at the limit. */
		if (pq->limit >= 0 && pq->nsort == 0 &&
		    r->emitted[qi] >= (uint64_t)pq->limit)
			continue;
		if (pq->is_raw) {
			r->cells[0] = value_str(line->text, line->len);
		} else {
			for (i = 0; i < pq->ncolumns; i++)
				r->cells[i] = eval(pq->select[i], &r->ctx);
		}
		if (r->tables[qi] != NULL)
			agg_keep_row(r->tables[qi], r->cells, r->seq);
		else if (emit(r, qi, r->cells, line) < 0)
			return -1;
	}
	return 0;
}

/* After the input: aggregation results and sorted listings. */
static int
finish_queries(struct run *r)
{
	const struct plan *plan = r->plan;
	size_t qi, i;
	int rc = 0;

	set_stats(r);
	for (qi = 0; qi < plan->n && rc == 0; qi++) {
		const struct plan_query *pq = &plan->queries[qi];
		struct agg_result res;

		r->ctx.stats[EXPR_STAT_MATCHED] = (int64_t)r->matched[qi];
		if (r->tables[qi] != NULL) {
			agg_result(r->tables[qi], &r->ctx, &res);
			for (i = 0; i < res.nrows && rc == 0; i++)
				rc = emit(r, qi, &res.cells[i * res.ncolumns],
				    NULL);
			agg_result_release(&res);
		}
		if (!pq->is_agg)
			check_listing_done(r->checks, plan, qi);
	}
	return rc;
}

static void
skip_line(struct run *r, enum record_status why, const char *file,
    const struct line *line)
{
	struct run_stats *st = r->st;

	st->skipped++;
	st->by_reason[why]++;
	note_place(&st->first[why], file, line->lineno);
	if (r->o->verbose && r->o->warn) {
		struct diag d = { 0 };
		struct diag_pos pos = { file, (unsigned)line->lineno, 0 };

		diag_set_at(&d, LOGQ_EXIT_OK, pos, "skipped: %s",
		    record_status_names[why]);
		r->o->warn(r->o->warn_ctx, &d);
		diag_release(&d);
	}
}

static void
idle_hook(void *ctx)
{
	format_idle(ctx);
}

static void
read_input(struct run *r, const char *file)
{
	struct diag err = { 0 };
	struct reader *rd = reader_open(file, &err);
	struct line line;
	int rc, repaired;

	if (rd == NULL) {
		r->st->input_errors++;
		if (r->o->warn)
			r->o->warn(r->o->warn_ctx, &err);
		diag_release(&err);
		return;
	}
	reader_set_idle_hook(rd, idle_hook, r->fmt);
	while ((rc = reader_next(rd, &line, &err)) > 0) {
		enum record_status status;

		r->st->lines++;
		repaired = 0;
		status = record_parse(r->rec, &line, reader_name(rd),
		    &repaired);
		if (status != RECORD_OK) {
			skip_line(r, status, reader_name(rd), &line);
			continue;
		}
		r->st->json++;
		if (repaired) {
			r->st->repaired++;
			note_place(&r->st->first_repaired, reader_name(rd),
			    line.lineno);
		}
		arena_reset(r->ctx.arena);
		r->ctx.rec = r->rec;
		if (r->o->has_since || r->o->has_until) {
			double t;

			if (!line_time(r, &t) ||
			    (r->o->has_since && t < r->o->since) ||
			    (r->o->has_until && t >= r->o->until)) {
				r->st->out_of_range++;
				continue;
			}
		}
		if (feed(r, record_line(r->rec)) < 0) {
			r->write_failed = 1;
			r->write_errno = errno;
			break;
		}
	}
	if (rc < 0) {
		r->st->input_errors++;
		if (r->o->warn)
			r->o->warn(r->o->warn_ctx, &err);
		diag_release(&err);
	}
	reader_free(rd);
}

int
run_inputs(const struct plan *plan, char *const *files, size_t nfiles,
    const struct run_options *o, struct formatter *fmt,
    struct run_stats *st, struct check_list *checks, struct diag *err)
{
	struct run r = { 0 };
	size_t i, widest = 1;

	r.plan = plan;
	r.o = o;
	r.fmt = fmt;
	r.st = st;
	r.rec = record_new();
	eval_ctx_init(&r.ctx);
	for (i = 0; i < plan->n; i++)
		if (plan->queries[i].ncolumns > widest)
			widest = plan->queries[i].ncolumns;
	r.cells = xcalloc(widest, sizeof(*r.cells));
	r.checks = checks;
	r.emitted = xcalloc(plan->n + 1, sizeof(*r.emitted));
	r.matched = xcalloc(plan->n + 1, sizeof(*r.matched));
	r.tables = xcalloc(plan->n + 1, sizeof(*r.tables));
	for (i = 0; i < plan->n; i++)
		if (plan->queries[i].is_agg || plan->queries[i].nsort > 0)
			r.tables[i] = agg_table_new(&plan->queries[i]);
	if (o->fields)
		r.time_alias = fields_find(o->fields, "time", 4);
	if (nfiles == 0)
		read_input(&r, "-");
	for (i = 0; i < nfiles && !r.write_failed; i++)
		read_input(&r, files[i]);
	if (!r.write_failed && finish_queries(&r) < 0) {
		r.write_failed = 1;
		r.write_errno = errno;
	}
	st->regex_limit_hits = r.ctx.regex_limit_hits;
	for (i = 0; i < plan->n; i++)
		agg_table_free(r.tables[i]);
	free(r.tables);
	free(r.emitted);
	free(r.matched);
	free(r.cells);
	eval_ctx_release(&r.ctx);
	record_free(r.rec);
	if (r.write_failed) {
		diag_set(err, LOGQ_EXIT_INPUT, "error writing output: %s",
		    strerror(r.write_errno));
		errno = r.write_errno;
		return -1;
	}
	return 0;
}

void
run_stats_release(struct run_stats *st)
{
	size_t i;

	for (i = 0; i < RECORD_NSTATUS; i++)
		free(st->first[i].file);
	free(st->first_repaired.file);
	memset(st, 0, sizeof(*st));
}
