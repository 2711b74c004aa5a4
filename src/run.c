/* SPDX-License-Identifier: MIT */
/* run.c - one pass over the inputs: lines -> records -> queries -> rows */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agg.h"
#include "check.h"
#include "eval.h"
#include "reader.h"
#include "timeparse.h"
#include "run.h"
#include "suggest.h"
#include "util.h"

/*
 * The input is cut into chunks of whole lines. A worker parses a chunk's
 * lines, filters them, aggregates into its own tables and keeps the
 * chunk's listing rows; the main thread reads the input and emits the
 * chunks in input order (rows, skipped-line reports, first places), so
 * the output never depends on which thread did what. At the end
 * results_emit() combines the workers' tables and writes what they
 * hold; a follow-mode tick will do so between chunks. The main thread is
 * worker 0: with -j 1 it processes each chunk itself, with -j N it
 * starts N - 1 more and processes a chunk itself whenever they have one
 * waiting (a chunk processed on the core that read it is in its cache,
 * and N threads on N cores do not take turns with a reader). One code
 * path for all.
 *
 * The limits are the query's, not a thread's (issue 16): each query's
 * tables count their groups and percentile values in one agg_budget.
 * When the threads' tables together hold more groups than it allows,
 * the main thread, between chunks, merges them into the query's kept
 * table and renews them (merge_fed_tables), so that --max-groups is
 * decided on the distinct groups of the input and memory does not grow
 * with -j; at the end every table hears whether the query's values
 * passed --max-values (agg_sync), so -j cannot change an answer.
 */
#define CHUNK_BYTES	(256 * 1024)
/* A chunk is dispatched at either; its text stays within CHUNK_BYTES
 * (unless one line alone is longer). */
#define CHUNK_LINES	4096

/*
 * What one thread writes for every line (its worker, its chunk's
 * counts) starts this far from what another thread writes: on a cache
 * line two threads write, each write takes the line from the other
 * core: -j 2 spent 7-15% more CPU than with the lines apart. 128, not
 * 64: x86 processors fetch cache lines in adjacent pairs.
 */
#define THREAD_APART	128

/*
 * A compressed file read on the workers (issue 18 item 7). The reading
 * thread gives the file's chunks empty, in order, each with a read to
 * do; the thread that takes a read (when no other thread reads the
 * file) inflates the file's next span into the oldest chunk not read
 * yet, and the chunk then waits to be parsed like any other. A thread
 * free for work reads if it can and parses if not, so that the file's
 * inflating, which one thread at a time can do, goes on while the
 * others parse. The chunks' order is the spans' order.
 */
struct chunk;
struct file_task {
	struct reader		*rd;		/* open, or NULL */
	/* under the run's lock: */
	struct chunk		*unread;	/* given, not read, in order */
	struct chunk		**unread_tail;
	int			 reading;	/* a thread reads rd */
	/* No span after the last read; read by the reading thread without
	 * the lock. */
	atomic_int		 ended;
};

/* A listing row found in a chunk, written when the chunk is emitted. */
struct chunk_row {
	size_t		 query;
	struct line	 line;		/* text in the chunk or its arena */
	struct value	*cells;		/* in the chunk's arena */
	int64_t		 at[EXPR_STAT_MATCHED];	/* chunk counts at the row */
};

struct chunk_skip {
	unsigned long	 lineno;
	enum record_status why;
};

struct chunk {
	_Alignas(THREAD_APART)
	const char		*file;		/* borrowed for the run */
	size_t			 file_index;	/* in run_options.files */
	/* Whole lines with their line ends, as the reader gave them; the
	 * worker cuts them (reader_cut_line). */
	struct buf		 text;
	size_t			 nlines;
	/* Lines the reader dropped as too long (empty in text), ascending */
	unsigned long		*too_long;
	size_t			 ntoo_long, too_long_alloc;
	/* Later records of CRI runs (empty in text), ascending */
	unsigned long		*joined;
	size_t			 njoined, joined_alloc;
	unsigned long		 first_lineno;
	/* what the worker found */
	struct arena		*arena;
	struct chunk_row	*rows;
	size_t			 nrows, rows_alloc;
	struct chunk_skip	*skips;		/* with --verbose */
	size_t			 nskips, skips_alloc;
	int64_t			 json, repaired, out_of_range, no_time;
	unsigned long		 first_no_time;
	int64_t			 by_reason[RECORD_NSTATUS];
	unsigned long		 first[RECORD_NSTATUS];	/* 0: none */
	/* Per query (plan->n): regex matches stopped at PCRE2's limit,
	 * and the first line where one was (0: none). */
	unsigned long		*limit_hits, *first_limit;
	size_t			 nqueries;
	unsigned long		 first_repaired;
	/* Read on a worker (file_task): the file, the next chunk not read
	 * yet, and what the read said besides lines, written in order: a
	 * note at the file's start (--shard), an error where reading
	 * stopped. */
	struct file_task	*task;
	struct chunk		*next_unread;
	struct diag		 note, err;
	int			 done;		/* under pool.lock */
};

struct run;

/* Work for a thread: chunk C to parse, or, C NULL, the next span of FT
 * to read (chunk_read). */
struct work {
	struct chunk		*c;
	struct file_task	*ft;
};

/* --window: one past interval's tables and matched counts (per query),
 * and its input counts. */
struct window_slot {
	struct agg_table	**tables;
	uint64_t		 *matched;
	struct results_counts	  counts;
};

/* A failed assertion reported at a print (results.h, note_ids), and
 * the print that reported it, for "once per window" (SPEC 6). */
struct reported_failure {
	char			*id;
	uint64_t		 tick;
	int			 failing;	/* at the current print */
};

/* What one thread needs to evaluate lines: its own record, evaluation
 * context and aggregate tables, allocated by that thread (worker_init),
 * so that with a malloc that has an arena per thread (glibc's) none of
 * it shares a cache line with another thread's. */
struct worker {
	_Alignas(THREAD_APART)
	struct run		*r;
	struct record		*rec;
	struct eval_ctx		 ctx;
	struct agg_table	**tables;	/* per query, or NULL */
	uint64_t		*matched;	/* lines past `where` */
	char			*passed;	/* per query, this line */
	/* Per query, this line: the thread's regex limit hits before
	 * its `where` ([2 * qi]) and after it ([2 * qi + 1]). */
	unsigned long		*hits_at;
	struct value		*cells;
	char			*seen;		/* per plan.watch: appeared */
	size_t			*unseen;	/* plan.watch indexes not yet */
	size_t			 nunseen;
	/* Per plan.watch: the top-level key nearest its name in the
	 * first RUN_NEAR_LINES lines, for "did you mean" (owned). */
	char			**near;
	size_t			*near_distance;
	size_t			 near_lines;
	pthread_t		 thread;
};

/* Lines per thread whose keys are compared with the names of fields not
 * seen yet: a typo's intended field is in nearly every line, and the
 * comparison is not paid on every line of a long run. */
#define RUN_NEAR_LINES	4096

struct run {
	const struct plan	*plan;
	const struct run_options *o;
	struct formatter	*fmt;
	struct results_stats	*st;
	struct check_list	 checks;	/* the listing rows' */
	const struct fields_alias *time_alias;	/* for --since/--until */
	size_t			 widest;	/* most columns of a query */

	struct worker		*workers;
	size_t			 nworkers;	/* 1: no threads */
	int			 threaded;

	/* main thread: emitting */
	struct eval_ctx		 ctx;		/* listing assertions */
	uint64_t		*emitted;	/* rows written per query */
	uint64_t		*listed;	/* listing rows seen per query */
	int			 write_failed;	/* the output is gone */
	int			 write_errno;

	/* main thread: reading */
	struct file_task	*tasks;		/* per file: read on the workers */
	const char		*on_workers;	/* per file: whether */
	struct chunk		*cur;		/* being filled */
	size_t			 file_index;	/* of the file read */
	struct chunk		**spare;	/* emitted, for reuse */
	size_t			 nspare, spare_alloc;
	struct chunk		**inflight;	/* dispatched, in order */
	size_t			 ninflight, inflight_head, max_inflight;

	/* shared with the workers */
	pthread_mutex_t		 lock;
	pthread_cond_t		 work_cv, done_cv;
	struct work		*queue;		/* to do, oldest first */
	size_t			 qlen;
	int			 stopping;
	size_t			 ready;		/* workers with their tables */
	size_t			 limit_query;	/* 1 + query over its cap */
	struct agg_options	 agg_opts;
	/* Per query with tables: the limits all threads share, and the
	 * table the workers' tables are merged into when their groups
	 * together pass the budget's room (merge_fed_tables). */
	struct agg_budget	**budgets;
	struct agg_table	**kept;
	uint64_t		*kept_matched;	/* zeros */
	char			*kept_seen;	/* zeros */
	char			**watch_names;	/* per plan.watch */

	/* follow mode (SPEC 6): CLOCK_MONOTONIC milliseconds */
	double			 next_print;	/* when the next is due */
	double			 last_print;	/* the previous, or the start */
	double			 last_line;	/* when lines last came */
	int64_t			 lines_at_print; /* read by the previous */
	/* Follow mode: the block of streamed rows being written
	 * (o->stream_begin), or NULL, and its query. */
	struct formatter	*block;
	size_t			 block_query;
	int			 print_failed;	/* print_err holds why */
	struct diag		 print_err;
	uint64_t		 ticks;		/* prints before the final */
	int			 stall_warned;	/* since the last line */
	/* --window: the past intervals, oldest at ring_head; the current
	 * one is in the kept and workers' tables (window_advance). nring
	 * is window_ms / interval_ms - 1. */
	struct window_slot	*ring;
	size_t			 nring, ring_head, ring_used;
	/* Prints a failure stays reported for: the window's intervals. */
	uint64_t		 window_ticks;
	/* --reset, --window: the run's input counts when the current
	 * interval began (window_counts). */
	struct results_counts	 interval_start;
	struct reported_failure	*reported;
	size_t			 nreported, reported_alloc;
};

static double
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Line I's position (aggfn.h): its file's ordinal, then its line
 * number in the file, so that states of other runs compare with it. */
static uint64_t
line_seq(const struct chunk *c, size_t i)
{
	return (uint64_t)c->file_index << AGGFN_LINE_BITS |
	    (uint64_t)(c->first_lineno + i);
}

static void
note_place(struct results_place *p, const char *file, unsigned long lineno)
{
	if (p->file != NULL || lineno == 0)
		return;
	p->file = xstrdup(file);
	p->lineno = lineno;
}

/* The line's time by the `time` alias (a profile's where one
 * recognises the line), for --since and --until. */
static int
line_time(struct worker *w, struct timeparse_time *t)
{
	const struct fields_alias *a = w->r->time_alias;
	struct value v;

	if (a == NULL)
		return 0;
	alias_get(a, &w->ctx.aliases, w->rec, w->ctx.func.arena, &v);
	return v.kind != VALUE_NULL && timeparse_time_exact(&v, t);
}

/* Worker side ---------------------------------------------------------- */

/* A query passed --max-groups: the run stops (its answer would be wrong)
 * and says which query. The first one reported wins. */
static void
limit_hit(struct run *r, size_t qi)
{
	pthread_mutex_lock(&r->lock);
	if (r->limit_query == 0)
		r->limit_query = qi + 1;
	pthread_mutex_unlock(&r->lock);
}

static int
limit_reached(struct run *r)
{
	int hit;

	pthread_mutex_lock(&r->lock);
	hit = r->limit_query != 0;
	pthread_mutex_unlock(&r->lock);
	return hit;
}

static void
keep_row(struct worker *w, struct chunk *c, size_t qi, size_t i,
    const struct value *cells, size_t ncolumns, int is_raw)
{
	const struct line *src = record_line(w->rec);
	struct chunk_row *row;
	const char *text = src->text;
	size_t k;

	XGROW(c->rows, c->nrows + 1, c->rows_alloc);
	row = &c->rows[c->nrows++];
	row->query = qi;
	/* A repaired line lives in the record until the next line. */
	if (text < c->text.ptr || text >= c->text.ptr + c->text.len)
		text = arena_strndup(c->arena, text, src->len);
	row->line.text = text;
	row->line.len = src->len;
	row->line.lineno = src->lineno;
	row->cells = arena_alloc(c->arena, ncolumns * sizeof(*row->cells));
	if (is_raw)
		row->cells[0] = value_str(text, src->len);
	else
		for (k = 0; k < ncolumns; k++)
			row->cells[k] = value_dup(c->arena, &cells[k]);
	row->at[EXPR_STAT_LINES] = (int64_t)i + 1;
	row->at[EXPR_STAT_JSON] = c->json;
	row->at[EXPR_STAT_SKIPPED] = (int64_t)i + 1 - c->json -
	    c->by_reason[RECORD_JOINED];
	row->at[EXPR_STAT_REPAIRED] = c->repaired;
}

/* Line I of chunk C, past query PQ's (QI's) where, into its table or
 * rows. */
static inline __attribute__((always_inline)) void
feed_query(struct worker *w, struct chunk *c, size_t i, size_t qi,
    const struct plan_query *pq)
{
	size_t k;

	w->matched[qi]++;
	if (pq->is_agg) {
		if (agg_feed(w->tables[qi], &w->ctx, line_seq(c, i)) < 0)
			limit_hit(w->r, qi);
		return;
	}
	if (pq->is_raw) {
		const struct line *l = record_line(w->rec);

		w->cells[0] = value_str(l->text, l->len);
	} else
		for (k = 0; k < pq->ncolumns; k++)
			w->cells[k] = eval(pq->select[k], &w->ctx);
	if (w->tables[qi] != NULL)	/* sorted: kept to the end */
		/* Under --state, with its line for a merge's -f raw. */
		agg_keep_row(w->tables[qi], w->cells, w->r->o->state != NULL &&
		    !pq->is_raw ? record_line(w->rec) : NULL,
		    line_seq(c, i));
	else
		keep_row(w, c, qi, i, w->cells, pq->ncolumns, pq->is_raw);
}

/* Whether query PQ (QI) takes its where's answer from the query whose
 * where it shares: that query ran on this line too. */
static inline int
where_shared(const struct plan *plan, const struct plan_query *pq, size_t qi,
    int line_only)
{
	return pq->where_of < qi && (!line_only ||
	    plan->queries[pq->where_of].reads_line_only);
}

/*
 * Some regex of the line stopped at PCRE2's limit (rare): each query's
 * share, by the marks feed_queries() left, from its where (a shared
 * where's for each query that shares it) to the next query's, the last
 * one's to END.
 */
static __attribute__((noinline)) void
note_limit_hits(struct worker *w, struct chunk *c, size_t i, int line_only,
    unsigned long end)
{
	const struct plan *plan = w->r->plan;
	const unsigned long *at = w->hits_at;
	unsigned long n, next = end;
	size_t qi = plan->n;

	while (qi-- > 0) {
		const struct plan_query *pq = &plan->queries[qi];
		size_t wo = pq->where_of;

		if (line_only && !pq->reads_line_only)
			continue;
		n = next - at[2 * qi];
		if (where_shared(plan, pq, qi, line_only))
			n += at[2 * wo + 1] - at[2 * wo];
		next = at[2 * qi];
		if (n > 0) {
			c->limit_hits[qi] += n;
			if (c->first_limit[qi] == 0)
				c->first_limit[qi] = c->first_lineno + i;
		}
	}
}

/*
 * Line I of chunk C through the queries' where, into their tables or
 * rows; LINE_ONLY: a line with no JSON object, for the queries that
 * read nothing but the line's own fields (plan.h). A regex of a query
 * that stops at PCRE2's limit on the line is counted for that query:
 * its answer is unsure, and results.c says so with the first such
 * line's place. With COUNT_STOPS (a run with a regex, plan.h), the
 * thread's count of them is marked before and after each where, and
 * read apart on a line where it moved. Always in line, with LINE_ONLY
 * and COUNT_STOPS constants: the usual loop tests neither.
 */
static inline __attribute__((always_inline)) void
feed_queries(struct worker *w, struct chunk *c, size_t i, int line_only,
    int count_stops)
{
	const struct plan *plan = w->r->plan;
	const unsigned long *hits = &w->ctx.func.regex_limit_hits;
	unsigned long start = count_stops ? *hits : 0;
	size_t qi;

	for (qi = 0; qi < plan->n; qi++) {
		const struct plan_query *pq = &plan->queries[qi];

		if (line_only && !pq->reads_line_only)
			continue;
		if (count_stops)
			w->hits_at[2 * qi] = *hits;
		if (where_shared(plan, pq, qi, line_only))
			w->passed[qi] = w->passed[pq->where_of];
		else
			w->passed[qi] = pq->where == NULL ||
			    eval_truthy(pq->where, &w->ctx);
		if (count_stops)
			w->hits_at[2 * qi + 1] = *hits;
		if (w->passed[qi])
			feed_query(w, c, i, qi, pq);
	}
	if (count_stops && *hits != start)
		note_limit_hits(w, c, i, line_only, *hits);
}

/* The JSON lines' feed_queries(), the stops counted in a run that has a
 * regex. */
static void
feed_json_line(struct worker *w, struct chunk *c, size_t i)
{
	if (w->r->plan->has_regex)
		feed_queries(w, c, i, 0, 1);
	else
		feed_queries(w, c, i, 0, 0);
}

/* Whether any alternative of a watched field is in the record: the
 * line's profile's, where it has one for the alias. */
static int
field_present(struct worker *w, const struct record *rec,
    const struct expr *e)
{
	const struct fields_alias *a;
	const struct profile *p;
	struct value v;
	size_t i;

	if (e->op == EXPR_FIELD)
		return record_get(rec, &e->u.field, &v);
	a = e->u.alias;
	if (a->builtin && a->slot < PROFILE_SLOTS &&
	    (p = alias_line_profile(&w->ctx.aliases, rec)) != NULL &&
	    p->alias[a->slot] != NULL)
		a = p->alias[a->slot];
	for (i = 0; i < a->nalts; i++)
		if (record_get(rec, &a->alts[i].path, &v))
			return 1;
	return 0;
}

/* Keeps KEY as the nearest key yet to unseen field K when it is. */
static void
near_consider(struct worker *w, size_t k, const char *key, size_t len)
{
	const char *name = w->r->watch_names[k];
	size_t d = suggest_distance(name, strlen(name), key, len);

	if (d == SIZE_MAX || d >= w->near_distance[k])
		return;
	free(w->near[k]);
	w->near[k] = xstrndup(key, len);
	w->near_distance[k] = d;
}

/* The line's top-level keys against the names of the unseen fields. */
static void
watch_near(struct worker *w)
{
	struct jscan *top = record_scanned(w->rec);
	const json_t *obj;
	const char *key;
	json_t *val;
	size_t i, j;

	for (i = 0; i < w->nunseen; i++) {
		size_t k = w->unseen[i];

		if (top != NULL)
			for (j = 0; j < top->n; j++)
				near_consider(w, k, top->m[j].key,
				    top->m[j].key_len);
		else if ((obj = record_json(w->rec)) != NULL)
			json_object_foreach((json_t *)obj, key, val)
				near_consider(w, k, key, strlen(key));
	}
}

/* Marks the watched fields this line has; a field leaves the list once
 * seen, so this costs nothing once every real field has appeared. */
static void
watch_line(struct worker *w)
{
	const struct plan *plan = w->r->plan;
	size_t i = 0;

	while (i < w->nunseen) {
		size_t k = w->unseen[i];

		if (field_present(w, w->rec, plan->watch[k])) {
			w->seen[k] = 1;
			w->unseen[i] = w->unseen[--w->nunseen];
		} else
			i++;
	}
	if (w->nunseen > 0 && w->near_lines < RUN_NEAR_LINES) {
		w->near_lines++;
		watch_near(w);
	}
}

static void
process_chunk(struct worker *w, struct chunk *c)
{
	const struct run_options *o = w->r->o;
	size_t i, next_long = 0, next_joined = 0, pos = 0;

	for (i = 0; i < c->nlines; i++) {
		struct line line;
		enum record_status status;
		int repaired = 0;

		if (!reader_cut_line(c->text.ptr, c->text.len, &pos,
		    &line.text, &line.len))
			break;		/* cannot happen: the reader counted */
		line.lineno = c->first_lineno + i;

		/* Too long: dropped by the reader, or whole in the chunk
		 * (a line that came in one read). */
		if (next_long < c->ntoo_long &&
		    c->too_long[next_long] == line.lineno) {
			next_long++;
			status = RECORD_TOO_LONG;
		} else if (next_joined < c->njoined &&
		    c->joined[next_joined] == line.lineno) {
			/* Read as part of an earlier line: counted, never
			 * skipped. */
			next_joined++;
			c->by_reason[RECORD_JOINED]++;
			if (c->first[RECORD_JOINED] == 0)
				c->first[RECORD_JOINED] = line.lineno;
			continue;
		} else if (o->max_line_bytes > 0 &&
		    line.len > o->max_line_bytes)
			status = RECORD_TOO_LONG;
		else
			status = record_parse(w->rec, &line, c->file,
			    &repaired);
		if (status != RECORD_OK) {
			c->by_reason[status]++;
			if (c->first[status] == 0)
				c->first[status] = line.lineno;
			if (o->verbose) {
				XGROW(c->skips, c->nskips + 1,
				    c->skips_alloc);
				c->skips[c->nskips].lineno = line.lineno;
				c->skips[c->nskips++].why = status;
			}
			/* no-secrets reads _line: it looks at every line
			 * with something on it, JSON or not (plan.h). A line
			 * with no time has none for --since either. */
			if (status != RECORD_BLANK &&
			    w->r->plan->has_line_only && !o->has_since &&
			    !o->has_until) {
				eval_ctx_new_line(&w->ctx, w->rec);
				feed_queries(w, c, i, 1,
				    w->r->plan->has_regex);
			}
			continue;
		}
		c->json++;
		if (w->nunseen > 0)
			watch_line(w);
		if (repaired) {
			c->repaired++;
			if (c->first_repaired == 0)
				c->first_repaired = line.lineno;
		}
		eval_ctx_new_line(&w->ctx, w->rec);
		if (o->has_since || o->has_until) {
			struct timeparse_time t;

			/* SPEC 1: dropped and counted as "no time"; under
			 * --strict they fail the run. */
			if (!line_time(w, &t)) {
				c->no_time++;
				if (c->first_no_time == 0)
					c->first_no_time = line.lineno;
				continue;
			}
			if ((o->has_since && timeparse_cmp(t, o->since) < 0) ||
			    (o->has_until && timeparse_cmp(t, o->until) >= 0)) {
				c->out_of_range++;
				continue;
			}
		}
		feed_json_line(w, c, i);
	}
}

/*
 * The index in the queue of the oldest work a thread can do now: a
 * chunk to parse, or a read of a file no other thread reads; -1 if
 * none. Under the run's lock.
 */
static ssize_t
work_pick(const struct run *r)
{
	size_t k;

	for (k = 0; k < r->qlen; k++)
		if (r->queue[k].c != NULL || !r->queue[k].ft->reading)
			return (ssize_t)k;
	return -1;
}

/* Takes the queue's K-th work; a read's file is then being read, into
 * its oldest chunk not read yet (wk.c). Under the run's lock. */
static struct work
work_take(struct run *r, size_t k)
{
	struct work wk = r->queue[k];
	struct file_task *ft = wk.ft;

	memmove(r->queue + k, r->queue + k + 1,
	    (r->qlen - k - 1) * sizeof(*r->queue));
	r->qlen--;
	if (wk.c == NULL) {
		/* Never empty: a chunk given is on the list until a read,
		 * and each is given with one read to do. */
		wk.c = ft->unread;
		if ((ft->unread = wk.c->next_unread) == NULL)
			ft->unread_tail = &ft->unread;
		wk.c->next_unread = NULL;
		ft->reading = 1;
	}
	return wk;
}

/*
 * Reads FT's next span into C (work_take's), outside the lock: the
 * reader is this thread's until ft->reading is cleared. The text is
 * handed over as the reader's buffer (reader_take_span), with the
 * lines the reader dropped or joined. The first read opens the file;
 * the one that finds its end or an error closes it, and the chunks read
 * after it get no lines.
 */
static void
chunk_read(struct run *r, struct file_task *ft, struct chunk *c)
{
	struct span sp;
	int ended = ft->ended;

	if (!ended && ft->rd == NULL) {
		if ((ft->rd = reader_open(c->file, &c->err)) == NULL ||
		    reader_set_shard(ft->rd, r->o->shard_index,
		    r->o->shard_count, &c->note, &c->err) < 0)
			ended = 1;
		else
			reader_set_max_line_bytes(ft->rd,
			    r->o->max_line_bytes);
	}
	if (!ended) {
		if (reader_take_span(ft->rd, &c->text, 2 * CHUNK_BYTES, &sp,
		    &c->err) <= 0)
			ended = 1;
		else {
			c->first_lineno = sp.lineno;
			c->nlines = sp.nlines;
			if (sp.ntoo_long > 0) {
				XGROW(c->too_long, sp.ntoo_long,
				    c->too_long_alloc);
				memcpy(c->too_long, sp.too_long,
				    sp.ntoo_long * sizeof(*sp.too_long));
				c->ntoo_long = sp.ntoo_long;
			}
			if (sp.njoined > 0) {
				XGROW(c->joined, sp.njoined, c->joined_alloc);
				memcpy(c->joined, sp.joined,
				    sp.njoined * sizeof(*sp.joined));
				c->njoined = sp.njoined;
			}
		}
	}
	if (ended) {
		reader_free(ft->rd);
		ft->rd = NULL;
		ft->ended = 1;
	}
}

/*
 * Does WK, taken from the queue: parses its chunk, and marks it done.
 * A read, when REQUEUE, queues the chunk it read to be parsed, by this
 * thread or another, and another read of the file can start at once;
 * else the chunk is parsed here too.
 */
static void
work_do(struct worker *w, struct work wk, int requeue)
{
	struct run *r = w->r;

	if (wk.ft != NULL) {
		chunk_read(r, wk.ft, wk.c);
		pthread_mutex_lock(&r->lock);
		wk.ft->reading = 0;
		if (requeue) {
			r->queue[r->qlen++] = (struct work){ wk.c, NULL };
			pthread_cond_broadcast(&r->work_cv);
			pthread_cond_broadcast(&r->done_cv);
			pthread_mutex_unlock(&r->lock);
			return;
		}
		/* The file is free to read again. */
		pthread_cond_broadcast(&r->work_cv);
		pthread_mutex_unlock(&r->lock);
	}
	process_chunk(w, wk.c);
	pthread_mutex_lock(&r->lock);
	wk.c->done = 1;
	pthread_cond_broadcast(&r->done_cv);
	pthread_mutex_unlock(&r->lock);
}

static void	worker_init(struct worker *, struct run *);

/* Query QI's table, counting in the query's budget. */
static struct agg_table *
new_table(struct run *r, size_t qi)
{
	struct agg_options o = r->agg_opts;

	o.budget = r->budgets[qi];
	return agg_table_new(&r->plan->queries[qi], &o);
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct run *r = w->r;
	struct work wk;

	worker_init(w, r);
	/* merge_fed_tables() may renew these tables: only once made. */
	pthread_mutex_lock(&r->lock);
	r->ready++;
	pthread_cond_broadcast(&r->done_cv);
	pthread_mutex_unlock(&r->lock);

	for (;;) {
		ssize_t k;

		pthread_mutex_lock(&r->lock);
		while ((k = work_pick(r)) < 0 && !r->stopping)
			pthread_cond_wait(&r->work_cv, &r->lock);
		if (k < 0) {
			pthread_mutex_unlock(&r->lock);
			return NULL;
		}
		wk = work_take(r, (size_t)k);
		pthread_mutex_unlock(&r->lock);
		/* A read's chunk goes back to the queue, so that this
		 * thread reads on while another parses. */
		work_do(w, wk, 1);
	}
}

static void
worker_init(struct worker *w, struct run *r)
{
	const struct plan *plan = r->plan;
	size_t i;

	w->r = r;
	w->rec = record_new();
	eval_ctx_init(&w->ctx);
	alias_cache_set_profiles(&w->ctx.aliases, r->o->profiles);
	w->cells = xcalloc(r->widest, sizeof(*w->cells));
	w->matched = xcalloc(plan->n + 1, sizeof(*w->matched));
	w->passed = xcalloc(plan->n + 1, 1);
	w->hits_at = xcalloc(2 * plan->n + 1, sizeof(*w->hits_at));
	w->tables = xcalloc(plan->n + 1, sizeof(*w->tables));
	w->seen = xcalloc(plan->nwatch + 1, 1);
	w->unseen = xcalloc(plan->nwatch + 1, sizeof(*w->unseen));
	w->near = xcalloc(plan->nwatch + 1, sizeof(*w->near));
	w->near_distance = xcalloc(plan->nwatch + 1,
	    sizeof(*w->near_distance));
	for (i = 0; i < plan->nwatch; i++) {
		w->unseen[w->nunseen++] = i;
		w->near_distance[i] = SIZE_MAX;
	}
	for (i = 0; i < plan->n; i++)
		if (r->budgets[i] != NULL)
			w->tables[i] = new_table(r, i);
}

static void
worker_release(struct worker *w, size_t nqueries, size_t nwatch)
{
	size_t i;

	for (i = 0; i < nqueries; i++)
		agg_table_free(w->tables[i]);
	free(w->tables);
	for (i = 0; i < nwatch; i++)
		free(w->near[i]);
	free(w->near);
	free(w->near_distance);
	free(w->seen);
	free(w->unseen);
	free(w->matched);
	free(w->passed);
	free(w->hits_at);
	free(w->cells);
	eval_ctx_release(&w->ctx);
	record_free(w->rec);
}

/* Main thread: chunks ---------------------------------------------------- */

static struct chunk *
chunk_get(struct run *r, const char *file)
{
	struct chunk *c;

	if (r->nspare > 0)
		c = r->spare[--r->nspare];
	else {
		c = xmalloc_aligned(THREAD_APART, sizeof(*c));
		memset(c, 0, sizeof(*c));
		c->arena = arena_new();
		c->nqueries = r->plan->n;
		c->limit_hits = xcalloc(c->nqueries + 1,
		    sizeof(*c->limit_hits));
		c->first_limit = xcalloc(c->nqueries + 1,
		    sizeof(*c->first_limit));
	}
	c->file = file;
	c->file_index = r->file_index;
	return c;
}

static void
chunk_clear(struct chunk *c)
{
	buf_reset(&c->text);
	/* One huge line must not pin its memory for the rest of the run. */
	if (c->text.cap > 4 * CHUNK_BYTES)
		buf_release(&c->text);
	c->nlines = c->nrows = c->nskips = c->ntoo_long = c->njoined = 0;
	c->json = c->repaired = c->out_of_range = c->no_time = 0;
	c->first_no_time = 0;
	memset(c->by_reason, 0, sizeof(c->by_reason));
	memset(c->first, 0, sizeof(c->first));
	c->first_repaired = 0;
	memset(c->limit_hits, 0, c->nqueries * sizeof(*c->limit_hits));
	memset(c->first_limit, 0, c->nqueries * sizeof(*c->first_limit));
	c->task = NULL;
	c->next_unread = NULL;
	diag_release(&c->note);
	diag_release(&c->err);
	c->done = 0;
	arena_reset(c->arena);
}

static void
chunk_free(struct chunk *c)
{
	buf_release(&c->text);
	free(c->too_long);
	free(c->joined);
	free(c->rows);
	free(c->skips);
	free(c->limit_hits);
	free(c->first_limit);
	diag_release(&c->note);
	diag_release(&c->err);
	arena_free(c->arena);
	free(c);
}

/* JSON values kept in rows hold jansson references: drop them. */
static void
chunk_release_rows(struct run *r, struct chunk *c)
{
	size_t i, k;

	for (i = 0; i < c->nrows; i++) {
		const struct plan_query *pq = &r->plan->queries[c->rows[i].query];

		if (pq->is_raw)
			continue;
		for (k = 0; k < pq->ncolumns; k++)
			value_release(&c->rows[i].cells[k]);
	}
}

/* The input's health for having and assert: the counts of the chunks
 * emitted so far, plus AT (counts within the current chunk) or NULL. */
static void
set_stats(struct run *r, const int64_t *at)
{
	struct results_stats *st = r->st;

	r->ctx.stats[EXPR_STAT_LINES] = st->lines + (at ? at[0] : 0);
	r->ctx.stats[EXPR_STAT_JSON] = st->json + (at ? at[1] : 0);
	r->ctx.stats[EXPR_STAT_SKIPPED] = st->skipped + (at ? at[2] : 0);
	r->ctx.stats[EXPR_STAT_REPAIRED] = st->repaired + (at ? at[3] : 0);
}

/* Ends the block of streamed rows, if one is open: 0, or -1 with
 * errno set on a write error. */
static int
block_end(struct run *r)
{
	struct format_stats fs = { 0 };
	int rc;

	if (r->block == NULL)
		return 0;
	fs.lines = r->st->lines;
	fs.json = r->st->json;
	fs.skipped = r->st->skipped;
	fs.joined = r->st->by_reason[RECORD_JOINED];
	fs.repaired = r->st->repaired;
	fs.percentiles = "exact";
	rc = format_finish(r->block, &fs, NULL, 0);
	format_free(r->block);
	r->block = NULL;
	return rc;
}

/* The formatter for a streamed row of query QI: the run's, or in
 * follow mode the block of QI's rows, begun when the previous row was
 * another query's or a print came between. NULL when the rows are not
 * written (follow mode without stream_begin), or with errno set (a
 * write error) or r->print_failed (the block could not begin). */
static struct formatter *
row_formatter(struct run *r, size_t qi)
{
	if (r->o->stream_begin == NULL)
		return r->fmt;
	if (r->block != NULL && r->block_query != qi && block_end(r) < 0)
		return NULL;
	if (r->block == NULL) {
		diag_release(&r->print_err);
		errno = 0;
		r->block = r->o->stream_begin(r->o->print_ctx, qi,
		    &r->print_err);
		if (r->block == NULL) {
			if (errno == 0)
				r->print_failed = 1;
			return NULL;
		}
		r->block_query = qi;
	}
	return r->block;
}

/* Writes a row: assertions checked, then the formatter. */
static int
emit_row(struct run *r, size_t qi, const struct value *cells,
    const struct line *line, const int64_t *at, uint64_t matched)
{
	const struct plan_query *pq = &r->plan->queries[qi];
	struct formatter *fmt;

	if (pq->nasserts > 0) {
		set_stats(r, at);
		r->ctx.stats[EXPR_STAT_MATCHED] = (int64_t)matched;
		check_row(&r->checks, r->plan, qi, cells, &r->ctx);
	}
	r->emitted[qi]++;
	errno = 0;
	if ((fmt = row_formatter(r, qi)) == NULL)
		return r->print_failed || errno != 0 ? -1 : 0;
	return format_row(fmt, qi, cells, line);
}


/* Input that cannot be split is shard 1's: the others say they read
 * none of it (NOTE, released here). */
static int
shard_note_shown(const struct run *r)
{
	return r->o->shard_index > 1 && !r->o->quiet && r->o->warn != NULL;
}

static void
say_shard_note(struct run *r, struct diag *note)
{
	if (shard_note_shown(r))
		r->o->warn(r->o->warn_ctx, note);
	diag_release(note);
}

/* An input that could not be read on (ERR, released here). */
static void
say_input_error(struct run *r, struct diag *err)
{
	r->st->input_errors++;
	if (r->o->warn)
		r->o->warn(r->o->warn_ctx, err);
	diag_release(err);
}
/* A processed chunk, in input order: its reports, rows and counts. */
static void
emit_chunk(struct run *r, struct chunk *c)
{
	struct results_stats *st = r->st;
	size_t i, qi;
	int k;

	if (c->note.msg != NULL)
		say_shard_note(r, &c->note);
	for (i = 0; i < c->nskips && r->o->warn; i++) {
		struct diag d = { 0 };
		struct diag_pos pos = { c->file, (unsigned)c->skips[i].lineno,
			0 };

		diag_set_at(&d, LOGQ_EXIT_OK, pos, "skipped: %s",
		    record_status_names[c->skips[i].why]);
		r->o->warn(r->o->warn_ctx, &d);
		diag_release(&d);
	}
	for (i = 0; i < c->nrows && !r->write_failed && !r->print_failed;
	    i++) {
		struct chunk_row *row = &c->rows[i];
		const struct plan_query *pq = &r->plan->queries[row->query];

		r->listed[row->query]++;
		/* A listing with a limit and no sort stops at the limit. */
		if (pq->limit >= 0 &&
		    r->emitted[row->query] >= (uint64_t)pq->limit)
			continue;
		if (emit_row(r, row->query, row->cells, &row->line, row->at,
		    r->listed[row->query]) < 0 && !r->print_failed) {
			r->write_failed = 1;
			r->write_errno = errno;
		}
	}
	st->lines += (int64_t)c->nlines;
	st->json += c->json;
	st->repaired += c->repaired;
	st->out_of_range += c->out_of_range;
	st->no_time += c->no_time;
	note_place(&st->first_no_time, c->file, c->first_no_time);
	for (k = 0; k < RECORD_NSTATUS; k++) {
		st->by_reason[k] += c->by_reason[k];
		if (k != RECORD_JOINED)
			st->skipped += c->by_reason[k];
		note_place(&st->first[k], c->file, c->first[k]);
	}
	note_place(&st->first_repaired, c->file, c->first_repaired);
	for (qi = 0; qi < c->nqueries && st->limit_hits != NULL; qi++) {
		st->limit_hits[qi] += c->limit_hits[qi];
		note_place(&st->first_limit[qi], c->file, c->first_limit[qi]);
	}
	if (c->err.msg != NULL)
		say_input_error(r, &c->err);
	chunk_release_rows(r, c);
	chunk_clear(c);
	XGROW(r->spare, r->nspare + 1, r->spare_alloc);
	r->spare[r->nspare++] = c;
}

/* Emits finished chunks from the head of the in-flight list, in order;
 * waits for the head while more than KEEP are in flight. */
static void
drain(struct run *r, size_t keep)
{
	while (r->ninflight > 0) {
		struct chunk *c = r->inflight[r->inflight_head];
		int done;

		pthread_mutex_lock(&r->lock);
		if (r->ninflight > keep)
			while (!c->done) {
				/* The reading thread is one of the -j threads:
				 * it does work while it waits. */
				ssize_t k = work_pick(r);

				if (k >= 0) {
					struct work wk = work_take(r, (size_t)k);

					pthread_mutex_unlock(&r->lock);
					work_do(&r->workers[0], wk, 0);
					pthread_mutex_lock(&r->lock);
				} else
					pthread_cond_wait(&r->done_cv, &r->lock);
			}
		done = c->done;
		pthread_mutex_unlock(&r->lock);
		if (!done)
			return;
		r->inflight_head = (r->inflight_head + 1) % r->max_inflight;
		r->ninflight--;
		emit_chunk(r, c);
	}
}

static void
dispatch(struct run *r)
{
	struct chunk *c = r->cur;
	struct file_task *ft;
	int local = 0;

	r->cur = NULL;
	if (c == NULL)
		return;
	if (c->nlines == 0 && c->task == NULL) {
		XGROW(r->spare, r->nspare + 1, r->spare_alloc);
		r->spare[r->nspare++] = c;
		return;
	}
	if (!r->threaded) {
		process_chunk(&r->workers[0], c);
		emit_chunk(r, c);
		return;
	}
	/* Bounded: at most max_inflight chunks exist at once. */
	drain(r, r->max_inflight - 1);
	pthread_mutex_lock(&r->lock);
	if ((ft = c->task) != NULL) {
		/* A chunk still to be read: a read to do (work_take),
		 * into the file's oldest chunk not read yet. The reading
		 * thread does its share of the work in drain(). */
		*ft->unread_tail = c;
		ft->unread_tail = &c->next_unread;
		r->queue[r->qlen++] = (struct work){ NULL, ft };
		pthread_cond_signal(&r->work_cv);
	} else if (!(local = r->qlen > 0)) {
		r->queue[r->qlen++] = (struct work){ c, NULL };
		pthread_cond_signal(&r->work_cv);
	}
	pthread_mutex_unlock(&r->lock);
	r->inflight[(r->inflight_head + r->ninflight) % r->max_inflight] = c;
	r->ninflight++;
	/* The reading thread is one of the -j threads: while the others
	 * have work waiting, it parses this chunk itself, on the core whose
	 * cache the read has just filled. */
	if (local)
		work_do(&r->workers[0], (struct work){ c, NULL }, 0);
	drain(r, r->ninflight);		/* emit what is already done */
}

/* Everything read so far, processed and written. */
static void
flush_all(struct run *r)
{
	dispatch(r);
	if (r->threaded)
		drain(r, 0);
}

static void
idle_hook(void *ctx)
{
	struct run *r = ctx;

	/* A live stream paused: show what it has sent so far. */
	flush_all(r);
	if (r->fmt != NULL)
		format_idle(r->fmt);
	if (r->block != NULL)
		format_idle(r->block);
}

/*
 * Lines of the input go into chunks a span at a time, and the cutting
 * into lines is left to the worker. A span the reader handed over in
 * its own buffer (*HELD, reader_take_span) becomes an empty chunk's
 * text as it is, the chunk's old buffer going back for the next one;
 * others are copied.
 */
static void
add_span(struct run *r, const char *file, const struct span *sp,
    struct buf *held)
{
	struct chunk *c = r->cur;

	if ((r->o->interval_ms > 0 || r->o->stall_ms > 0) && sp->nlines > 0) {
		r->last_line = mono_ms();	/* idle=, $stalled, --stall */
		r->stall_warned = 0;
	}
	if (c == NULL)
		c = r->cur = chunk_get(r, file);
	if (c->nlines == 0)
		c->first_lineno = sp->lineno;
	if (sp->ntoo_long > 0) {
		XGROW(c->too_long, c->ntoo_long + sp->ntoo_long,
		    c->too_long_alloc);
		memcpy(c->too_long + c->ntoo_long, sp->too_long,
		    sp->ntoo_long * sizeof(*sp->too_long));
		c->ntoo_long += sp->ntoo_long;
	}
	if (sp->njoined > 0) {
		XGROW(c->joined, c->njoined + sp->njoined, c->joined_alloc);
		memcpy(c->joined + c->njoined, sp->joined,
		    sp->njoined * sizeof(*sp->joined));
		c->njoined += sp->njoined;
	}
	if (sp->text == held->ptr && c->text.len == 0) {
		struct buf old = c->text;

		c->text = *held;
		*held = old;
		held->len = 0;
		c->nlines = sp->nlines;
		/* A read's worth of lines: the chunk is as it came. */
		dispatch(r);
		return;
	}
	buf_add(&c->text, sp->text, sp->len);
	held->len = 0;
	c->nlines += sp->nlines;
	if (c->nlines >= CHUNK_LINES || c->text.len >= CHUNK_BYTES)
		dispatch(r);
}

static void
report(struct run *r, struct diag *err)
{
	/* Earlier lines' reports come first, as with one thread. */
	flush_all(r);
	say_input_error(r, err);
}

/*
 * The workers' tables of a query whose groups together passed its
 * budget's room, merged into the query's kept table and emptied, so
 * that memory follows the query's groups, not -j times them. Every
 * chunk is processed first: no worker feeds while this runs. A kept
 * table past --max-groups is the run's error, the same at every -j:
 * it holds the distinct groups of all lines so far.
 */
static void
merge_fed_tables(struct run *r)
{
	size_t qi, w;
	int flushed = 0;

	for (qi = 0; qi < r->plan->n; qi++) {
		if (r->budgets[qi] == NULL ||
		    !agg_budget_wants_merge(r->budgets[qi]))
			continue;
		if (!flushed) {
			flush_all(r);
			flushed = 1;
		}
		for (w = 0; w < r->nworkers; w++) {
			struct agg_table **t = &r->workers[w].tables[qi];

			if (agg_merge(r->kept[qi], *t) < 0) {
				limit_hit(r, qi);
				return;
			}
			agg_table_free(*t);
			*t = new_table(r, qi);
		}
		agg_budget_merged(r->budgets[qi], agg_groups(r->kept[qi]));
	}
}

static int
budgets_want_merge(const struct run *r)
{
	size_t qi;

	for (qi = 0; qi < r->plan->n; qi++)
		if (r->budgets[qi] != NULL &&
		    agg_budget_wants_merge(r->budgets[qi]))
			return 1;
	return 0;
}

static int	follow_timer(void *);

/* NOTE said after the lines before it. */
static void
shard_note(struct run *r, struct diag *note)
{
	if (shard_note_shown(r))
		flush_all(r);
	say_shard_note(r, note);
}

/* After a span of the input: the budgets' merge, and whether the input
 * can end now (a query's limit met). */
static int
span_added(struct run *r)
{
	/* Cheap enough per chunk, not per line. */
	if (r->cur == NULL && budgets_want_merge(r))
		merge_fed_tables(r);
	return r->cur == NULL && limit_reached(r);
}

/* File FI, read on the workers: a chunk for each of its spans, given
 * until one finds its end (a few more find nothing). */
static void
read_on_workers(struct run *r, size_t fi, const char *file)
{
	struct file_task *ft = &r->tasks[fi];

	while (!r->write_failed && !reader_stop) {
		if (atomic_load(&ft->ended))
			break;
		r->cur = chunk_get(r, file);
		r->cur->task = ft;
		dispatch(r);
		if (span_added(r))
			break;
	}
}

static void
read_input(struct run *r, const char *file)
{
	struct diag err = { 0 }, note = { 0 };
	struct reader *rd = reader_open(file, &err);
	struct span span;
	struct buf held = BUF_INIT;
	int rc = 0;

	if (rd == NULL) {
		report(r, &err);
		return;
	}
	if ((rc = reader_set_shard(rd, r->o->shard_index, r->o->shard_count,
	    &note, &err)) < 0) {
		report(r, &err);
		reader_free(rd);
		return;
	}
	if (rc == 0)
		shard_note(r, &note);
	rc = 0;
	reader_set_idle_hook(rd, idle_hook, r);
	if (r->o->interval_ms > 0 || r->o->stall_ms > 0)
		reader_set_timer(rd, follow_timer, r);
	reader_set_max_line_bytes(rd, r->o->max_line_bytes);
	for (;;) {
		/* For a new chunk, the reader's buffer of lines as it is;
		 * for one partly filled, lines copied up to its size. */
		if (r->cur == NULL || r->cur->text.len == 0)
			rc = reader_take_span(rd, &held, 2 * CHUNK_BYTES,
			    &span, &err);
		else
			rc = reader_next_span(rd, CHUNK_BYTES -
			    r->cur->text.len, &span, &err);
		if (r->write_failed || rc <= 0)
			break;
		add_span(r, reader_name(rd), &span, &held);
		if (span_added(r))
			break;
	}
	/* The chunk's file name is the reader's: done before it goes. */
	flush_all(r);
	if (!r->write_failed && rc < 0)
		report(r, &err);
	buf_release(&held);
	reader_free(rd);
}

/*
 * Many files on many cores (issue 18 item 7): with -j N, the compressed
 * regular files among FILES are read on the workers (struct file_task),
 * so that a .gz is inflated a span at a time by one thread while another
 * parses the span before, and the text is parsed on the core that
 * inflated it. Plain files are read by the reading thread itself: a
 * read is a copy from the page cache. Not for standard input, pipes or
 * follow mode, which the reading thread waits on itself (idle hook,
 * timer). Sets r->on_workers (owned) and r->tasks when there are any.
 */
static void
start_tasks(struct run *r, char *const *files, size_t nfiles)
{
	char *on = xcalloc(nfiles + 1, 1);
	size_t i, n = 0;

	r->on_workers = on;
	if (!r->threaded || r->o->interval_ms > 0)
		return;
	for (i = 0; i < nfiles; i++)
		if (reader_is_compressed(files[i])) {
			on[i] = 1;
			n++;
		}
	if (n == 0)
		return;
	r->tasks = xcalloc(nfiles, sizeof(*r->tasks));
	for (i = 0; i < nfiles; i++)
		if (on[i])
			r->tasks[i].unread_tail = &r->tasks[i].unread;
}

static void
free_tasks(struct run *r, size_t nfiles)
{
	size_t i;

	for (i = 0; r->tasks != NULL && i < nfiles; i++)
		if (r->on_workers[i])
			reader_free(r->tasks[i].rd);
	free(r->tasks);
	free((char *)r->on_workers);
	r->tasks = NULL;
	r->on_workers = NULL;
}

/*
 * Final: a kept table that holds nothing (no merge_fed_tables() came,
 * as in most runs) changes places with the first worker's table, the
 * next source in order: the final merge goes into that table instead of
 * copying it whole (with -j 1, all of the run's groups), and merges the
 * same tables in the same order.
 */
static void
keep_first_fed(struct run *r)
{
	const struct value *cells;
	const uint64_t *seq;
	const struct line *lines;
	struct agg_table *t;
	size_t qi;

	for (qi = 0; qi < r->plan->n && r->nworkers > 0; qi++) {
		t = r->kept[qi];
		if (t == NULL || agg_groups(t) > 0 ||
		    agg_rows(t, &cells, &seq, &lines) > 0)
			continue;
		r->kept[qi] = r->workers[0].tables[qi];
		r->workers[0].tables[qi] = t;
	}
}

/* The run's input counts so far. */
static struct results_counts
run_counts(const struct run *r)
{
	struct results_counts c;

	c.lines = r->st->lines;
	c.json = r->st->json;
	c.skipped = r->st->skipped;
	c.repaired = r->st->repaired;
	c.joined = r->st->by_reason[RECORD_JOINED];
	return c;
}

/* The input counts of the current interval. */
static struct results_counts
interval_counts(const struct run *r)
{
	struct results_counts c = run_counts(r);

	c.lines -= r->interval_start.lines;
	c.json -= r->interval_start.json;
	c.skipped -= r->interval_start.skipped;
	c.repaired -= r->interval_start.repaired;
	c.joined -= r->interval_start.joined;
	return c;
}

/*
 * SPEC 6, 3.7: the input counts of a print's window (--reset: the
 * current interval; --window: it and the past intervals of the ring),
 * so that $lines and $skipped describe the lines the aggregates saw,
 * as $matched does.
 */
static struct results_counts
window_counts(const struct run *r)
{
	struct results_counts c = interval_counts(r);
	const struct window_slot *slot;
	size_t w;

	for (w = 0; w < r->ring_used; w++) {
		slot = &r->ring[(r->ring_head + w) % r->nring];
		c.lines += slot->counts.lines;
		c.json += slot->counts.json;
		c.skipped += slot->counts.skipped;
		c.repaired += slot->counts.repaired;
		c.joined += slot->counts.joined;
	}
	return c;
}

/*
 * The workers' tables, matched counts and watched fields handed to
 * results_emit(): FINAL after the input, with the run's formatter (NULL
 * when the output is gone); a follow-mode tick will pass a formatter of
 * its own, right after flush_all(), when no worker is feeding. -1 with
 * *err (errno set) as results_emit() says.
 */
static int
emit_results(struct run *r, int final, struct formatter *fmt,
    struct results_outcome *out, struct diag *err)
{
	struct results_source *src;
	struct results_options ro = { 0 };
	struct results_counts window;
	size_t w;
	int rc;

	/* The kept tables are one more source, which matched and saw
	 * nothing itself (its lines are the workers'); the first, since
	 * the final merge goes into the first source's tables, and the
	 * kept ones may already hold most groups. */
	if (final)
		keep_first_fed(r);
	src = xcalloc(r->nworkers + 1 + r->ring_used, sizeof(*src));
	src[0].tables = r->kept;
	src[0].matched = r->kept_matched;
	src[0].seen = r->kept_seen;
	for (w = 0; w < r->nworkers; w++) {
		src[w + 1].tables = r->workers[w].tables;
		src[w + 1].matched = r->workers[w].matched;
		src[w + 1].seen = r->workers[w].seen;
		src[w + 1].near = (const char *const *)r->workers[w].near;
	}
	/* --window: the past intervals are sources too, which saw no
	 * field of their own (the workers' seen is the run's). */
	for (w = 0; w < r->ring_used; w++) {
		const struct window_slot *slot =
		    &r->ring[(r->ring_head + w) % r->nring];

		src[r->nworkers + 1 + w].tables = slot->tables;
		src[r->nworkers + 1 + w].matched = slot->matched;
		src[r->nworkers + 1 + w].seen = r->kept_seen;
	}
	ro.quiet = r->o->quiet;
	ro.strict = r->o->strict;
	ro.approx = r->o->approx;
	ro.max_values = r->o->max_values;
	ro.agg = r->agg_opts;
	/* A tick's scratch tables hold the whole run's values. */
	ro.agg.max_values = r->o->max_values;
	ro.nthreads = r->nworkers;
	ro.warn = r->o->warn;
	ro.warn_ctx = r->o->warn_ctx;
	ro.state = r->o->state;
	if (r->o->interval_ms > 0 && (r->o->reset || r->o->window_ms > 0)) {
		window = window_counts(r);
		ro.window = &window;
	}
	rc = results_emit(r->plan, src, r->nworkers + 1 + r->ring_used, r->st,
	    &r->checks, &ro, fmt, final, out, err);
	free(src);
	return rc;
}

/*
 * --reset: the next window starts from zero. Every table of the query
 * and its budget are made anew (a window's groups and values count
 * alone toward --max-groups and --max-values), right after a print,
 * when no worker feeds; so do its input counts (window_counts).
 */
static void
reset_tables(struct run *r)
{
	struct agg_options o = r->agg_opts;
	size_t qi, w;

	r->interval_start = run_counts(r);
	/* Emptied in place (agg_table_reset), not freed and made anew:
	 * every interval would otherwise free and allocate the same
	 * memory, and malloc's heap would wander by megabytes. */
	for (qi = 0; qi < r->plan->n; qi++) {
		if (r->budgets[qi] == NULL)
			continue;
		agg_budget_free(r->budgets[qi]);
		r->budgets[qi] = agg_budget_new(r->o->max_groups,
		    r->o->max_values);
		o.budget = r->budgets[qi];
		agg_table_reset(r->kept[qi], &o);
		for (w = 0; w < r->nworkers; w++) {
			agg_table_reset(r->workers[w].tables[qi], &o);
			r->workers[w].matched[qi] = 0;	/* $matched too */
		}
	}
}

static void
window_slot_clear(struct window_slot *slot, size_t nqueries)
{
	size_t qi;

	for (qi = 0; qi < nqueries; qi++) {
		agg_table_free(slot->tables[qi]);
		slot->tables[qi] = NULL;
		slot->matched[qi] = 0;
	}
}

/*
 * --window, after a print: the current interval's tables (the kept
 * one and the workers') merged into one table per query, without a
 * budget, that joins the ring as its newest slot; the oldest slot's
 * tables, when the ring is full, are emptied and hold it, so memory is
 * window_ms / interval_ms tables a query, the same ones all along.
 * Then the current interval starts from zero (reset_tables).
 */
static void
window_advance(struct run *r)
{
	struct window_slot *slot;
	size_t qi, w;

	if (r->nring > 0) {
		if (r->ring_used == r->nring) {
			r->ring_head = (r->ring_head + 1) % r->nring;
			r->ring_used--;
		}
		slot = &r->ring[(r->ring_head + r->ring_used) % r->nring];
		r->ring_used++;
		slot->counts = interval_counts(r);
		for (qi = 0; qi < r->plan->n; qi++) {
			if (r->budgets[qi] == NULL)
				continue;
			slot->matched[qi] = 0;
			if (slot->tables[qi] != NULL)
				agg_table_reset(slot->tables[qi],
				    &r->agg_opts);
			else
				slot->tables[qi] = agg_table_new(
				    &r->plan->queries[qi], &r->agg_opts);
			/* Cannot pass --max-groups: the interval's distinct
			 * groups were within it while they were fed. */
			if (agg_merge(slot->tables[qi], r->kept[qi]) < 0)
				limit_hit(r, qi);
			for (w = 0; w < r->nworkers; w++) {
				if (agg_merge(slot->tables[qi],
				    r->workers[w].tables[qi]) < 0)
					limit_hit(r, qi);
				slot->matched[qi] += r->workers[w].matched[qi];
			}
		}
	}
	reset_tables(r);
}

/*
 * SPEC 6: a failure is reported once per window. A tick's failed
 * assertion (OUT's note I) is shown when it was not failing at the
 * previous print, or when a whole window of prints passed since it was
 * shown (--window: its intervals; --reset: every print is a window of
 * its own; otherwise the window is the whole run: once, until it holds
 * again).
 */
static int
failure_is_new(struct run *r, const char *id)
{
	struct reported_failure *f;
	size_t i;

	for (i = 0; i < r->nreported; i++) {
		f = &r->reported[i];
		if (strcmp(f->id, id) != 0)
			continue;
		f->failing = 1;
		if (r->ticks - f->tick < r->window_ticks)
			return 0;
		f->tick = r->ticks;
		return 1;
	}
	XGROW(r->reported, r->nreported + 1, r->reported_alloc);
	f = &r->reported[r->nreported++];
	f->id = xstrdup(id);
	f->tick = r->ticks;
	f->failing = 1;
	return 1;
}

/* After a print's failures were seen: those that held are forgotten,
 * so that failing again is news. */
static void
forget_held_failures(struct run *r)
{
	size_t i = 0;

	while (i < r->nreported) {
		if (r->reported[i].failing) {
			r->reported[i++].failing = 0;
			continue;
		}
		free(r->reported[i].id);
		r->reported[i] = r->reported[--r->nreported];
	}
}

/*
 * A print of follow mode (SPEC 6): every line read so far processed,
 * the header line through print_begin(), then the results on the
 * formatter it gave, as results_emit(..., FINAL) writes them.
 */
static int
follow_print(struct run *r, int final, struct results_outcome *out,
    struct diag *err)
{
	struct run_print p;
	struct formatter *fmt;
	struct timespec ts;
	double now, elapsed;
	int rc;

	flush_all(r);
	/* The streamed rows' block ends where the print begins. */
	if (r->write_failed || r->print_failed) {
		errno = r->write_failed ? r->write_errno : 0;
		return -1;
	}
	if (block_end(r) < 0)
		return -1;
	now = mono_ms();
	clock_gettime(CLOCK_REALTIME, &ts);
	p.time = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
	p.lines = r->st->lines;
	p.skipped = r->st->skipped;
	elapsed = (now - r->last_print) / 1e3;
	p.rate = elapsed > 0 ?
	    (double)(p.lines - r->lines_at_print) / elapsed : 0;
	p.idle = now > r->last_line ? (now - r->last_line) / 1e3 : 0;
	p.final = final;
	r->last_print = now;
	r->lines_at_print = p.lines;
	r->st->stalled_s = (int64_t)p.idle;
	if ((fmt = r->o->print_begin(r->o->print_ctx, &p, err)) == NULL)
		return -1;
	rc = emit_results(r, final, fmt, out, err);
	format_free(fmt);
	if (rc == 0 && r->o->print_end != NULL)
		rc = r->o->print_end(r->o->print_ctx, &p, err);
	return rc;
}

/* --stall: the stream said nothing for o->stall_ms; once until the
 * next line comes. */
static void
stall_warn(struct run *r)
{
	struct diag d = { 0 };

	r->stall_warned = 1;
	if (r->o->warn == NULL || r->o->quiet)
		return;
	diag_set(&d, LOGQ_EXIT_OK, "warning: no line came in the last %gs "
	    "(--stall); has the stream stopped?", r->o->stall_ms / 1e3);
	r->o->warn(r->o->warn_ctx, &d);
	diag_release(&d);
}

/*
 * The reader's timer (reader_set_timer): a print when one is due, the
 * --stall warning when it is, then the milliseconds until the next of
 * them; -1 ends the input when a print failed (the output is gone, or
 * a window passed --max-groups).
 */
static int
follow_timer(void *ctx)
{
	struct run *r = ctx;
	struct results_outcome out = { 0 };
	double now = mono_ms(), wait = 1e9;
	size_t i;

	if (r->write_failed || r->print_failed)
		return -1;
	if (r->o->stall_ms > 0 && !r->stall_warned &&
	    now - r->last_line >= r->o->stall_ms)
		stall_warn(r);
	if (r->o->interval_ms > 0 && now >= r->next_print) {
		if (follow_print(r, 0, &out, &r->print_err) < 0) {
			if (errno != 0) {
				r->write_failed = 1;
				r->write_errno = errno;
				diag_release(&r->print_err);
			} else
				r->print_failed = 1;
			results_outcome_release(&out);
			return -1;
		}
		r->ticks++;
		for (i = 0; i < out.nnotes && r->o->warn; i++)
			if (out.note_ids == NULL ||
			    failure_is_new(r, out.note_ids[i]))
				r->o->warn(r->o->warn_ctx, &out.notes[i]);
		forget_held_failures(r);
		results_outcome_release(&out);
		if (r->o->window_ms > 0)
			window_advance(r);
		else if (r->o->reset)
			reset_tables(r);
		/* A print late by more than an interval (a slow
		 * machine, a stopped process) is not made up for. */
		r->next_print += r->o->interval_ms;
		now = mono_ms();
		if (r->next_print <= now)
			r->next_print = now + r->o->interval_ms;
	}
	if (r->o->interval_ms > 0)
		wait = r->next_print - now;
	if (r->o->stall_ms > 0 && !r->stall_warned &&
	    r->last_line + r->o->stall_ms - now < wait)
		wait = r->last_line + r->o->stall_ms - now;
	if (wait < 0)
		wait = 0;
	return wait > 1e9 ? 1000000000 : (int)wait + 1;
}

int
run_inputs(const struct plan *plan, char *const *files, size_t nfiles,
    const struct run_options *o, struct formatter *fmt,
    struct results_stats *st, struct results_outcome *out, struct diag *err)
{
	struct run r = { 0 };
	size_t i, k, started;
	int thread_failed = 0, results_failed = 0;
	sigset_t stop_sigs, old_sigs;

	r.plan = plan;
	r.o = o;
	r.fmt = fmt;
	r.st = st;
	r.widest = 1;
	for (i = 0; i < plan->n; i++)
		if (plan->queries[i].ncolumns > r.widest)
			r.widest = plan->queries[i].ncolumns;
	if (o->fields)
		r.time_alias = fields_find(o->fields, "time", 4);
	eval_ctx_init(&r.ctx);
	alias_cache_set_profiles(&r.ctx.aliases, o->profiles);
	/* Freed by results_stats_release(), as the places are. */
	st->nqueries = plan->n;
	st->limit_hits = xcalloc(plan->n + 1, sizeof(*st->limit_hits));
	st->first_limit = xcalloc(plan->n + 1, sizeof(*st->first_limit));
	r.emitted = xcalloc(plan->n + 1, sizeof(*r.emitted));
	r.listed = xcalloc(plan->n + 1, sizeof(*r.listed));

	r.nworkers = o->jobs > 1 ? o->jobs : 1;
	r.threaded = r.nworkers > 1;
	r.agg_opts.max_groups = o->max_groups;
	r.agg_opts.approx = o->approx;
	r.agg_opts.max_values = o->max_values;
	r.agg_opts.files = o->files;
	/* The caps are the query's, whatever -j (issue 16): every
	 * thread's table of a query counts in one budget. */
	r.budgets = xcalloc(plan->n + 1, sizeof(*r.budgets));
	r.kept = xcalloc(plan->n + 1, sizeof(*r.kept));
	r.kept_matched = xcalloc(plan->n + 1, sizeof(*r.kept_matched));
	r.kept_seen = xcalloc(plan->nwatch + 1, 1);
	r.watch_names = xcalloc(plan->nwatch + 1, sizeof(*r.watch_names));
	for (i = 0; i < plan->nwatch; i++) {
		struct buf name = BUF_INIT;

		plan_watch_name(plan, i, &name);
		buf_str(&name);
		r.watch_names[i] = buf_take(&name);
	}
	/* Tables: aggregations, sorted listings, and under --state every
	 * listing, whose rows its state keeps with their positions. */
	for (i = 0; i < plan->n; i++)
		if (plan->queries[i].is_agg || plan->queries[i].nsort > 0 ||
		    o->state != NULL) {
			r.budgets[i] = agg_budget_new(o->max_groups,
			    o->max_values);
			r.kept[i] = new_table(&r, i);
		}
	r.workers = xmalloc_aligned(THREAD_APART,
	    r.nworkers * sizeof(*r.workers));
	memset(r.workers, 0, r.nworkers * sizeof(*r.workers));
	worker_init(&r.workers[0], &r);	/* the others in their thread */
	start_tasks(&r, files, nfiles);
	/*
	 * The chunks in flight, each a read's text (256 KB): enough for
	 * every thread to have one and the next waiting. Chunks read on
	 * the workers wait their turn to read: a deeper window keeps every
	 * thread busy meanwhile (and the few chunks given past a file's
	 * end cost nothing); plain input needs no more.
	 */
	r.max_inflight = r.nworkers + 2;
	if (r.tasks != NULL)
		r.max_inflight = 2 * r.nworkers + 4;
	r.inflight = xcalloc(r.max_inflight, sizeof(*r.inflight));
	r.queue = xcalloc(r.max_inflight, sizeof(*r.queue));
	pthread_mutex_init(&r.lock, NULL);
	pthread_cond_init(&r.work_cv, NULL);
	pthread_cond_init(&r.done_cv, NULL);
	/* Worker 0 is the reading thread's own. The others block SIGINT
	 * and SIGTERM, so that the signal interrupts the reading thread's
	 * read(2) and ends the input there (SPEC 1.1). */
	sigemptyset(&stop_sigs);
	sigaddset(&stop_sigs, SIGINT);
	sigaddset(&stop_sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop_sigs, &old_sigs);
	for (started = 1; r.threaded && started < r.nworkers; started++) {
		r.workers[started].r = &r;
		if (pthread_create(&r.workers[started].thread, NULL,
		    worker_main, &r.workers[started]) != 0)
			break;
	}
	pthread_sigmask(SIG_SETMASK, &old_sigs, NULL);

	/* Every worker's tables exist before any is merged or renewed. */
	pthread_mutex_lock(&r.lock);
	while (r.ready + 1 < started)
		pthread_cond_wait(&r.done_cv, &r.lock);
	pthread_mutex_unlock(&r.lock);
	if (started < r.nworkers) {
		/* Status 2, as when memory runs out: the system said no. */
		diag_set(err, LOGQ_EXIT_USAGE, "cannot start a thread");
		thread_failed = 1;
	}
	/* --window: the ring of its past intervals; a failed assertion
	 * is reported again once its window has passed. */
	r.window_ticks = UINT64_MAX;
	if (o->reset)
		r.window_ticks = 1;
	if (o->interval_ms > 0 && o->window_ms > 0) {
		r.window_ticks = (uint64_t)llround(o->window_ms /
		    o->interval_ms);
		r.nring = (size_t)r.window_ticks - 1;
		r.ring = xcalloc(r.nring + 1, sizeof(*r.ring));
		for (i = 0; i < r.nring; i++) {
			r.ring[i].tables = xcalloc(plan->n + 1,
			    sizeof(*r.ring[i].tables));
			r.ring[i].matched = xcalloc(plan->n + 1,
			    sizeof(*r.ring[i].matched));
		}
	}
	r.last_print = r.last_line = mono_ms();
	r.next_print = r.last_print + o->interval_ms;
	if (!thread_failed && nfiles == 0)
		read_input(&r, "-");
	for (i = 0; !thread_failed && i < nfiles && !r.write_failed &&
	    !r.print_failed && !limit_reached(&r) && !reader_stop; i++) {
		r.file_index = i;
		if (r.on_workers[i])
			read_on_workers(&r, i, files[i]);
		else
			read_input(&r, files[i]);
	}
	if (!thread_failed)
		flush_all(&r);

	pthread_mutex_lock(&r.lock);
	r.stopping = 1;
	pthread_cond_broadcast(&r.work_cv);
	pthread_mutex_unlock(&r.lock);
	for (i = 1; i < started; i++)
		pthread_join(r.workers[i].thread, NULL);
	free_tasks(&r, nfiles);
	if (thread_failed)
		r.nworkers = started;	/* the ones that exist */

	/* Every table reports its last values, then hears whether the
	 * query's percentiles are exact (agg_sync). */
	for (k = 0; k < 2; k++)
		for (i = 0; i < plan->n; i++) {
			size_t w;

			if (r.kept[i] == NULL)
				continue;
			agg_sync(r.kept[i]);
			for (w = 0; w < r.nworkers; w++)
				agg_sync(r.workers[w].tables[i]);
		}
	st->regex_limit_hits = r.ctx.func.regex_limit_hits;
	for (i = 0; i < r.nworkers; i++)
		st->regex_limit_hits += r.workers[i].ctx.func.regex_limit_hits;
	/* The output gone (a closed pipe): only the warnings. Follow
	 * mode's last print is the final emit, under its header line. */
	if (r.limit_query == 0 && !thread_failed && !r.print_failed &&
	    ((o->interval_ms > 0 && !r.write_failed) ?
	    follow_print(&r, 1, out, err) : emit_results(&r, 1,
	    r.write_failed ? NULL : fmt, out, err)) < 0) {
		results_failed = 1;
		r.write_errno = errno;
	}
	format_free(r.block);	/* ended by the last print, or failed */
	for (i = 0; i < r.nworkers; i++)
		worker_release(&r.workers[i], plan->n, plan->nwatch);
	for (i = 0; i < plan->n; i++) {
		agg_table_free(r.kept[i]);
		agg_budget_free(r.budgets[i]);
	}
	for (i = 0; i < r.nring; i++) {
		window_slot_clear(&r.ring[i], plan->n);
		free(r.ring[i].tables);
		free(r.ring[i].matched);
	}
	free(r.ring);
	for (i = 0; i < r.nreported; i++)
		free(r.reported[i].id);
	free(r.reported);
	free(r.kept);
	free(r.budgets);
	free(r.kept_matched);
	free(r.kept_seen);
	for (i = 0; i < plan->nwatch; i++)
		free(r.watch_names[i]);
	free(r.watch_names);
	for (i = 0; i < r.nspare; i++)
		chunk_free(r.spare[i]);
	if (r.cur)
		chunk_free(r.cur);
	free(r.spare);
	free(r.workers);
	free(r.inflight);
	free(r.queue);
	free(r.emitted);
	free(r.listed);
	eval_ctx_release(&r.ctx);
	pthread_mutex_destroy(&r.lock);
	pthread_cond_destroy(&r.work_cv);
	pthread_cond_destroy(&r.done_cv);
	check_list_release(&r.checks);
	if (thread_failed) {
		errno = 0;
		return -1;
	}
	if (r.print_failed) {
		diag_release(err);
		*err = r.print_err;
		errno = 0;
		return -1;
	}
	if (results_failed && !r.write_failed) {
		errno = r.write_errno;
		return -1;
	}
	if (r.write_failed) {
		diag_set(err, LOGQ_EXIT_INPUT, "error writing output: %s",
		    strerror(r.write_errno));
		errno = r.write_errno;
		return -1;
	}
	if (r.limit_query != 0) {
		diag_set(err, LOGQ_EXIT_INPUT, "query '%s' has more than %zu "
		    "groups, the --max-groups limit; group by fewer distinct "
		    "values (an id?) or raise the limit",
		    plan->queries[r.limit_query - 1].name, o->max_groups);
		errno = 0;
		return -1;
	}
	return 0;
}
