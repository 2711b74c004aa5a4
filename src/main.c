/* SPDX-License-Identifier: MIT */
/* main.c - options -> run -> exit status; the one place that prints
 * errors and picks the exit status (SPEC 1.1, 1.2) */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <jansson.h>
#include <pcre2.h>
#include <yaml.h>

#include "aggfn.h"
#include "cli.h"
#include "cpus.h"
#include "decompress.h"
#include "fields.h"
#include "format.h"
#include "func.h"
#include "hash.h"
#include "output.h"
#include "plan.h"
#include "profile.h"
#include "query.h"
#include "querypath.h"
#include "alias.h"
#include "record.h"
#include "reader.h"
#include "run.h"
#include "state.h"
#include "util.h"
#include "value.h"
#include "view.h"

static void
print_error(const struct diag *d)
{
	diag_print(d, stderr);
}

static void
warn_cb(void *ctx, const struct diag *d)
{
	(void)ctx;
	diag_print(d, stderr);
}

/* What -j defaults to, and why. */
static void
print_jobs(void)
{
	struct cpus c;
	long n = cpus_usable("", &c);

	printf("jobs: %ld by default (online CPUs %ld, affinity %ld, "
	    "cgroup quota ", n, c.online, c.affinity);
	if (c.quota > 0)
		printf("%ld)\n", c.quota);
	else
		printf("none)\n");
}

static void
print_version(void)
{
	char pcre2[64] = "?";

	pcre2_config(PCRE2_CONFIG_VERSION, pcre2);
	printf("logq %s\n", PACKAGE_VERSION);
	printf("jansson %s\n", jansson_version_str());
	printf("PCRE2 %s\n", pcre2);
	printf("libyaml %s\n", yaml_get_version_string());
	printf("decompressors: %s\n", decompress_describe());
	print_jobs();
}

struct list_ctx {
	int	 names_only;
	char	**names, **descs;
	size_t	 n, alloc;
};

static void
list_cb(const char *name, const char *description, const char *path,
    void *ctx)
{
	struct list_ctx *l = ctx;

	(void)path;
	if (l->n + 1 > l->alloc) {
		l->alloc = l->alloc ? l->alloc * 2 : 16;
		l->names = xrealloc(l->names, l->alloc * sizeof(*l->names));
		l->descs = xrealloc(l->descs, l->alloc * sizeof(*l->descs));
	}
	l->names[l->n] = xstrdup(name);
	l->descs[l->n++] = xstrdup(description ? description :
	    "(does not load: run it to see why)");
}

/* One line per function, scalar then aggregate: name, arity ("1",
 * "1-2", "1+" for any number from 1), kind; the manual is checked
 * against it (tests/docs.sh). */
static int
do_list_functions(void)
{
	const struct func *fn;
	const struct aggfn *agg;
	char arity[32];
	size_t i;

	for (i = 0; (fn = func_at(i)) != NULL; i++) {
		if (fn->max_args == fn->min_args)
			snprintf(arity, sizeof(arity), "%u", fn->min_args);
		else if (fn->max_args == UINT_MAX)
			snprintf(arity, sizeof(arity), "%u+", fn->min_args);
		else
			snprintf(arity, sizeof(arity), "%u-%u", fn->min_args,
			    fn->max_args);
		printf("%-12s %-5s scalar\n", fn->name, arity);
	}
	for (i = 0; (agg = aggfn_at(i)) != NULL; i++) {
		if (agg->min_args == agg->max_args)
			snprintf(arity, sizeof(arity), "%u", agg->min_args);
		else
			snprintf(arity, sizeof(arity), "%u-%u", agg->min_args,
			    agg->max_args);
		printf("%-12s %-5s aggregate\n", agg->name, arity);
	}
	return LOGQ_EXIT_OK;
}

/* Nothing to list is an error that says where logq looked (SPEC 1.1:
 * no query can be named, exit 2). */
static int
list_none(const struct query_path *search)
{
	struct buf dirs = BUF_INIT;
	struct diag err = { 0 };
	size_t i;

	for (i = 0; i < search->n; i++)
		buf_printf(&dirs, "%s%s", i == 0 ? "" : i + 1 == search->n ?
		    " and " : ", ", search->dirs[i]);
	diag_set(&err, LOGQ_EXIT_USAGE, "no queries found: looked for "
	    "*.yaml and *.yml in %s (set LOGQ_PATH to a directory of "
	    "queries, or name a query file)", buf_str(&dirs));
	print_error(&err);
	diag_release(&err);
	buf_release(&dirs);
	return LOGQ_EXIT_USAGE;
}

static int
do_list(const struct query_path *search, int names_only)
{
	struct list_ctx l = { 0 };
	size_t i, width = 0;

	query_list_builtin(search, list_cb, &l);
	if (l.n == 0)
		return list_none(search);
	for (i = 0; i < l.n; i++)
		if (strlen(l.names[i]) > width)
			width = strlen(l.names[i]);
	for (i = 0; i < l.n; i++) {
		if (names_only)
			printf("%s\n", l.names[i]);
		else
			printf("%-*s  %s\n", (int)width, l.names[i],
			    l.descs[i]);
		free(l.names[i]);
		free(l.descs[i]);
	}
	free(l.names);
	free(l.descs);
	return LOGQ_EXIT_OK;
}

/* --list --params QUERY: what --set may name for QUERY, one line each,
 * "NAME<tab>TYPE<tab>DEFAULT", the default as --set takes it (a
 * duration with its unit, anything else as JSON); a report's
 * queries share a name's --set (plan.c), so a name is printed once,
 * with the first default met. Shell completions read it. */
static int
do_list_params(const struct cli_options *opt, const struct query_path *search)
{
	struct query_list ql = { 0 };
	struct diag err = { 0 };
	struct buf v = BUF_INIT;
	const struct query_param *p;
	size_t i, j, k, m;
	int rc = LOGQ_EXIT_OK, seen;

	for (i = 0; i < opt->nqueries; i++)
		if (query_load(opt->queries[i], search, &ql, &err) < 0) {
			print_error(&err);
			rc = err.status;
			goto done;
		}
	for (i = 0; i < ql.n; i++)
		for (j = 0; j < ql.items[i]->nparams; j++) {
			p = &ql.items[i]->params[j];
			seen = 0;
			for (k = 0; k <= i && !seen; k++) {
				const struct query *q = ql.items[k];

				for (m = 0; m < (k < i ? q->nparams : j) &&
				    !seen; m++)
					seen = strcmp(q->params[m].name,
					    p->name) == 0;
			}
			if (seen)
				continue;
			buf_reset(&v);
			query_param_write_default(&v, p);
			printf("%s\t%s\t%s\n", p->name, query_param_type_name(
			    query_param_type(p)), buf_str(&v));
		}
done:
	buf_release(&v);
	diag_release(&err);
	query_list_release(&ql);
	return rc;
}

/* The format profiles of the search path, and --profile's. */
static int
load_profiles(const struct cli_options *opt, const struct fields *builtin,
    struct profile_set *set, struct diag *err)
{
	struct query_path search;
	int rc;

	querypath_init_for(&search, "profiles");
	rc = profile_set_load(set, &search, builtin, err);
	querypath_release(&search);
	if (rc == 0 && opt->profile != NULL)
		rc = profile_set_force(set, opt->profile, err);
	return rc;
}

/* --fields FILE...: the line shapes of FILES (the same keys in the
 * same order), the first line of each, and the profile that reads it. */
#define EXPLAIN_MAX_SHAPES	64

struct explain_shape {
	char		*keys;
	char		*file;
	unsigned long	 lineno, lines;
	const struct profile *prof;
};

static void
shape_keys(const struct record *rec, struct buf *out)
{
	const struct jscan *top = record_scanned(rec);
	const json_t *obj;
	const char *key;
	json_t *val;
	size_t i;

	buf_reset(out);
	if (top != NULL)
		for (i = 0; i < top->n; i++)
			buf_printf(out, "%s%.*s", i ? ", " : "",
			    (int)top->m[i].key_len, top->m[i].key);
	else if ((obj = record_json(rec)) != NULL)
		json_object_foreach((json_t *)obj, key, val)
			buf_printf(out, "%s%s", out->len ? ", " : "", key);
}

static int
explain_input(const struct cli_options *opt, struct profile_set *set,
    struct diag *err)
{
	struct explain_shape sh[EXPLAIN_MAX_SHAPES];
	struct alias_cache cache;
	struct record *rec = record_new();
	struct buf keys = BUF_INIT;
	const struct profile *prof;
	struct reader *rd;
	struct line line;
	size_t f, i, n = 0, more = 0;
	int rc = 0, got;

	alias_cache_init(&cache);
	alias_cache_set_profiles(&cache, set);
	for (f = 0; f < opt->nfiles && rc == 0; f++) {
		if ((rd = reader_open(opt->files[f], err)) == NULL) {
			rc = -1;
			break;
		}
		while ((got = reader_next(rd, &line, err)) == 1) {
			if (record_parse(rec, &line, opt->files[f], NULL) !=
			    RECORD_OK)
				continue;
			shape_keys(rec, &keys);
			prof = alias_line_profile(&cache, rec);
			for (i = 0; i < n && (sh[i].prof != prof ||
			    strcmp(sh[i].keys, buf_str(&keys)) != 0); i++)
				;
			if (i < n) {
				sh[i].lines++;
				continue;
			}
			if (n == EXPLAIN_MAX_SHAPES) {
				more++;
				continue;
			}
			sh[n].keys = xstrdup(buf_str(&keys));
			sh[n].file = xstrdup(opt->files[f]);
			sh[n].lineno = line.lineno;
			sh[n].lines = 1;
			sh[n].prof = prof;
			n++;
		}
		if (got < 0)
			rc = -1;
		reader_free(rd);
	}
	if (rc == 0) {
		printf("\nline shapes (the same keys in the same order) by "
		    "the profile that reads them:\n");
		/* Keys up to about a line's width. */
		for (i = 0; i < n; i++)
			printf("  %s:%lu (%lu line%s): %s%s\n    keys: %.*s%s"
			    "\n", sh[i].file, sh[i].lineno, sh[i].lines,
			    sh[i].lines == 1 ? "" : "s", sh[i].prof ?
			    "profile " : "the built-in aliases",
			    sh[i].prof ? sh[i].prof->name : "", 72,
			    sh[i].keys, strlen(sh[i].keys) > 72 ? "..." : "");
		if (more > 0)
			printf("  ... and %zu lines of other shapes\n", more);
	}
	for (i = 0; i < n; i++) {
		free(sh[i].keys);
		free(sh[i].file);
	}
	buf_release(&keys);
	alias_cache_release(&cache);
	record_free(rec);
	return rc;
}

static int
do_fields(const struct cli_options *opt)
{
	struct fields *f = fields_new_builtin();
	struct profile_set set;
	struct diag err = { 0 };
	size_t i;
	int rc = LOGQ_EXIT_OK;

	for (i = 0; i < opt->nfield_args; i++)
		if (fields_set_arg(f, opt->field_args[i], &err) < 0) {
			print_error(&err);
			rc = err.status;
			diag_release(&err);
			fields_free(f);
			return rc;
		}
	if (load_profiles(opt, f, &set, &err) < 0) {
		print_error(&err);
		rc = err.status;
	} else if (opt->nfiles > 0) {
		fields_print(f, stdout);
		if (explain_input(opt, &set, &err) < 0) {
			print_error(&err);
			rc = err.status;
		}
	} else {
		fields_print(f, stdout);
		profile_set_print(&set, stdout);
	}
	profile_set_release(&set);
	diag_release(&err);
	fields_free(f);
	return rc;
}

static int
profile_name_cmp(const void *a, const void *b)
{
	return strcmp((*(const struct profile *const *)a)->name,
	    (*(const struct profile *const *)b)->name);
}

static int
do_list_profiles(const struct cli_options *opt)
{
	struct fields *f = fields_new_builtin();
	struct profile_set set;
	struct diag err = { 0 };
	size_t i, width = 0;
	int rc = LOGQ_EXIT_OK;

	if (load_profiles(opt, f, &set, &err) < 0) {
		print_error(&err);
		rc = err.status;
	} else {
		for (i = 0; i < set.n; i++)
			if (strlen(set.v[i]->name) > width)
				width = strlen(set.v[i]->name);
		/* By name, not in the order they are tried. */
		if (set.n > 1)
			qsort(set.v, set.n, sizeof(*set.v), profile_name_cmp);
		for (i = 0; i < set.n; i++) {
			const struct profile *p = set.v[i];

			if (opt->list_names)
				printf("%s\n", p->name);
			else
				printf("%-*s  %s\n", (int)width, p->name,
				    p->description ? p->description : "");
		}
	}
	profile_set_release(&set);
	diag_release(&err);
	fields_free(f);
	return rc;
}

static unsigned
terminal_width(void)
{
	struct winsize ws;
	const char *cols = getenv("COLUMNS");

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	if (cols != NULL && atoi(cols) > 0)
		return (unsigned)atoi(cols);
	return 80;
}

/* Formats that cannot show a kind of query say so before any input is
 * read, instead of printing nothing. */
static int
check_format(const struct plan *plan, enum format_kind kind,
    struct diag *err)
{
	size_t i;

	for (i = 0; i < plan->n; i++) {
		const struct plan_query *pq = &plan->queries[i];

		if (kind == FORMAT_RAW && pq->is_agg) {
			diag_set(err, LOGQ_EXIT_USAGE, "format 'raw' prints "
			    "the lines of listing queries, and '%s' "
			    "aggregates; use table, json, csv, ...",
			    pq->name);
			return -1;
		}
		if (kind == FORMAT_PROMETHEUS && !pq->is_agg) {
			diag_set(err, LOGQ_EXIT_USAGE, "format 'prometheus' "
			    "exports aggregations, and '%s' is a listing; "
			    "use ndjson or raw for it", pq->name);
			return -1;
		}
	}
	return 0;
}

/*
 * Whether the QUERY operand PATH is a log given where the query was
 * forgotten (`logq app.log`): an existing file that is compressed
 * (gzip, zstd) or whose first non-blank line holds a JSON object, at its
 * start or after a prefix (SPEC 2). Asked only once PATH failed to load
 * as a query, so a query written as a YAML flow mapping is not one; a
 * name ending in .yaml or .yml is a query's, whatever it holds.
 */
static int
looks_like_log(const char *path)
{
	unsigned char head[65536];
	struct stat st;
	const unsigned char *p, *end, *nl, *brace;
	json_t *obj;
	size_t n, len;
	FILE *fp;
	int is_log = 0;

	len = strlen(path);
	/* A query file by its name is never taken for a log. */
	if ((len > 5 && strcmp(path + len - 5, ".yaml") == 0) ||
	    (len > 4 && strcmp(path + len - 4, ".yml") == 0))
		return 0;
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (fp = fopen(path, "rb")) == NULL)
		return 0;
	n = fread(head, 1, sizeof(head), fp);
	fclose(fp);
	if ((n >= 2 && head[0] == 0x1f && head[1] == 0x8b) ||
	    (n >= 4 && head[0] == 0x28 && head[1] == 0xb5 && head[2] == 0x2f &&
	    head[3] == 0xfd))
		return 1;
	p = head;
	end = head + n;
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' ||
	    *p == '\n'))
		p++;
	nl = memchr(p, '\n', (size_t)(end - p));
	if (nl == NULL) {
		/* A first line longer than what was read: its start says
		 * (a log's object starts with a quoted key). */
		if (n == sizeof(head))
			return p + 1 < end && p[0] == '{' && p[1] == '"';
		nl = end;
	}
	for (brace = memchr(p, '{', (size_t)(nl - p)); brace != NULL &&
	    !is_log; brace = memchr(brace + 1, '{', (size_t)(nl - brace - 1))) {
		obj = json_loadb((const char *)brace, (size_t)(nl - brace),
		    0, NULL);
		is_log = obj != NULL && json_is_object(obj);
		json_decref(obj);
	}
	return is_log;
}

/*
 * Whether --interval has something to print (SPEC 6): 1 when some
 * queries are aggregations or sorted listings (the others, listings,
 * keep streaming their rows between the prints), 0 when they all
 * stream their rows as they come (--interval changes nothing for
 * them); -1 with *err for a format that holds one document (junit,
 * prometheus).
 */
static int
check_follow(const struct plan *plan, enum format_kind kind,
    struct diag *err)
{
	size_t i;
	int printed = 0;

	for (i = 0; i < plan->n; i++)
		printed |= plan->queries[i].is_agg ||
		    plan->queries[i].nsort > 0;
	if (!printed)
		return 0;
	if (kind == FORMAT_JUNIT || kind == FORMAT_PROMETHEUS) {
		diag_set(err, LOGQ_EXIT_USAGE, "--interval prints the results "
		    "again and again, and format '%s' holds one document; "
		    "use table, json, ndjson, csv, tsv or markdown",
		    format_name(kind));
		return -1;
	}
	return 1;
}

/* What follow mode's prints need to start (print_begin). */
struct follow_ctx {
	enum format_kind		 kind;
	FILE				*fp;
	const struct format_query	*fq;
	size_t				 n;
	const struct format_options	*fo;
	/* The terminal view (a table on a terminal), or NULL; its frame's
	 * status line, from print_begin to print_end. */
	struct view			*view;
	char				 status[160];
	char				 when[40];	/* print_time */
	/* Per query: 1 for those the prints show (aggregations, sorted
	 * listings), 0 for the listings whose rows stream between them
	 * in blocks (stream_begin); WRITTEN once a print or block began. */
	char				*printed;
	int				 streams;
	int				 written;
};

/* The print's time as RFC 3339 UTC, to the second. */
static void
print_time(const struct run_print *p, char *when, size_t size)
{
	time_t t = (time_t)p->time;
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(when, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(when, size, "%lld", (long long)t);
}

/*
 * A print on the terminal view: a frame (view.h) whose status line
 * holds the header's facts, worded for a person; the table is cut to
 * the terminal's width as it is now.
 */
static struct formatter *
view_print_begin(struct follow_ctx *fc, const struct run_print *p,
    struct diag *err)
{
	struct format_options fo = *fc->fo;
	struct formatter *fmt;
	char when[40];
	FILE *frame;

	print_time(p, when, sizeof(when));
	snprintf(fc->status, sizeof(fc->status), "logq %s  lines %lld  "
	    "%.1f lines/s  skipped %lld  last line %llds ago%s", when,
	    (long long)p->lines, p->rate, (long long)p->skipped,
	    (long long)p->idle, p->final ? "  (final)" : "");
	if ((frame = view_frame_begin(fc->view, &fo.term_width)) == NULL) {
		diag_set(err, LOGQ_EXIT_INPUT, "cannot hold the terminal "
		    "view's frame: %s", strerror(errno));
		errno = 0;
		return NULL;
	}
	if ((fmt = format_new(fc->kind, frame, fc->fq, fc->n, &fo,
	    err)) == NULL)
		errno = 0;
	return fmt;
}

static int
print_end(void *ctx, const struct run_print *p, struct diag *err)
{
	struct follow_ctx *fc = ctx;

	if (fc->view == NULL)
		return 0;
	return view_frame_end(fc->view, fc->status, p->final, err);
}

/*
 * A print of follow mode begins with a header line (SPEC 6): one JSON
 * object on a line for json and ndjson, so that the output stays a
 * stream of JSON values; a '#' comment line for the others (csv
 * readers skip such lines as comments; split the output on them). In
 * csv and tsv an empty line sets it apart from the output before it
 * (a listing's block, the previous print), as it sets every block
 * apart from the one before (SPEC 5: Miller's csvlite reads a new
 * header there, the comment line skipped).
 */
static struct formatter *
print_begin(void *ctx, const struct run_print *p, struct diag *err)
{
	struct follow_ctx *fc = ctx;
	struct formatter *fmt;
	struct format_options fo = *fc->fo;
	const char *when = fc->when;

	fo.shown = fc->printed;
	if (fc->view != NULL)
		return view_print_begin(fc, p, err);
	if (fc->written && (fc->kind == FORMAT_CSV ||
	    fc->kind == FORMAT_TSV))
		fputc('\n', fc->fp);
	fc->written = 1;
	print_time(p, fc->when, sizeof(fc->when));
	/* ndjson: each row carries the print's time too, so that rows
	 * piped on alone still say which print they belong to. */
	if (fc->kind == FORMAT_NDJSON)
		fo.print_time = fc->when;
	if (fc->kind == FORMAT_JSON || fc->kind == FORMAT_NDJSON)
		fprintf(fc->fp, "{\"logq\": {\"time\": \"%s\", \"lines\": "
		    "%lld, \"rate\": %.1f, \"skipped\": %lld, \"idle\": "
		    "%lld, \"final\": %s}}\n", when, (long long)p->lines,
		    p->rate, (long long)p->skipped, (long long)p->idle,
		    p->final ? "true" : "false");
	else
		fprintf(fc->fp, "# logq %s lines=%lld rate=%.1f/s "
		    "skipped=%lld idle=%llds%s\n", when, (long long)p->lines,
		    p->rate, (long long)p->skipped, (long long)p->idle,
		    p->final ? " final" : "");
	if (fflush(fc->fp) != 0 || ferror(fc->fp)) {
		diag_set(err, LOGQ_EXIT_INPUT, "error writing output: %s",
		    strerror(errno));
		return NULL;
	}
	if ((fmt = format_new(fc->kind, fc->fp, fc->fq, fc->n, &fo,
	    err)) == NULL)
		errno = 0;	/* *err says why: not a closed pipe */
	return fmt;
}

/*
 * A block of listing QI's rows streamed between follow mode's prints
 * (SPEC 6): its title and column header as the query's section starts
 * in the format, set apart from the output before it, and no header
 * line (the rows are not a print's).
 */
static struct formatter *
stream_begin(void *ctx, size_t qi, struct diag *err)
{
	struct follow_ctx *fc = ctx;
	struct format_options fo = *fc->fo;
	struct formatter *fmt;
	char *shown = xcalloc(fc->n, 1);

	shown[qi] = 1;
	fo.shown = shown;
	fo.follows = fc->written;
	fc->written = 1;
	fmt = format_new(fc->kind, fc->fp, fc->fq, fc->n, &fo, err);
	free(shown);
	return fmt;
}

static int
load_queries(const struct cli_options *opt, const struct query_path *search,
    struct query_list *ql, struct diag *err)
{
	size_t i;

	if (opt->inline_yaml != NULL)
		return query_load_inline(opt->inline_yaml, search, ql, err);
	for (i = 0; i < opt->nqueries; i++)
		if (query_load(opt->queries[i], search, ql, err) < 0) {
			if (opt->nqueries == 1 &&
			    looks_like_log(opt->queries[0])) {
				struct buf cmd = BUF_INIT;
				size_t j;

				buf_printf(&cmd, "logq QUERY %s",
				    opt->queries[0]);
				for (j = 0; j < opt->nfiles; j++)
					buf_printf(&cmd, " %s", opt->files[j]);
				diag_release(err);
				diag_set(err, LOGQ_EXIT_USAGE, "'%s' looks "
				    "like a log, not a query: name the query "
				    "first, '%s' ('logq --list' shows the "
				    "queries)", opt->queries[0],
				    buf_str(&cmd));
				buf_release(&cmd);
			}
			return -1;
		}
	return 0;
}

/* SPEC 1.1's status of a run that wrote its results. */
static int
run_status(const struct cli_options *opt, const struct results_stats *st,
    const struct results_outcome *res)
{
	/* --strict fails on lines that held something other than a JSON
	 * object; a blank line held nothing. */
	/* A match stopped at PCRE2's limit counted as no match: under
	 * --strict a check that could not look does not pass. */
	/* Lines with no time that --since/--until dropped were not
	 * looked at either (SPEC 1). */
	/* An assertion whose regex stopped at PCRE2's limit on some line
	 * does not know its answer: never a pass, with or without
	 * --strict. */
	if (st->input_errors > 0 || res->limit_failed_queries > 0 ||
	    (opt->strict &&
	    (st->skipped > st->by_reason[RECORD_BLANK] || st->no_time > 0 ||
	    res->unseen_queries > 0 || res->regex_limit_hits > 0)))
		return LOGQ_EXIT_INPUT;
	/* SPEC 3.7: under --strict, assertions that met no row fail. */
	if (res->asserts_failed > 0 || (opt->strict &&
	    res->unchecked_queries > 0))
		return LOGQ_EXIT_ASSERT;
	return LOGQ_EXIT_OK;
}

/*
 * `logq merge`: the states M read (state_merge_read) as one source for
 * results_emit(), the end of a run's road (FMT NULL with --state: the
 * merged state to SO). As run_inputs(): 0, or -1 with *err (errno set
 * on a write error); ST gets M's counts.
 */
static int
merge_inputs(const struct cli_options *opt, const struct plan *plan,
    struct state_merge *m, const struct agg_options *ao,
    const struct state_options *so, struct formatter *fmt,
    struct results_stats *st, struct results_outcome *res, struct diag *err)
{
	struct results_options ro = { 0 };
	struct results_source src = { 0 };
	struct check_list checks = { 0 };
	size_t qi;
	int rc;

	ro.agg = *ao;
	ro.quiet = opt->quiet;
	ro.strict = opt->strict;
	ro.approx = opt->approx;
	/* States made with --approx: asked for, as in their runs, not the
	 * --max-values fallback to warn about. */
	for (qi = 0; qi < plan->n; qi++)
		if (m->tables[qi] != NULL && agg_is_approx(m->tables[qi]))
			ro.approx = 1;
	ro.max_values = opt->max_values;
	ro.nthreads = opt->jobs > 0 ? opt->jobs :
	    (size_t)cpus_usable("", NULL);
	ro.warn = warn_cb;
	ro.state = so;
	src.tables = m->tables;
	src.matched = m->matched;
	src.seen = m->seen;
	src.near = (const char *const *)m->near;
	rc = results_emit(plan, &src, 1, &m->st, &checks, &ro, fmt, 1, res,
	    err);
	/* The caller reports the counts, as a run's. */
	*st = m->st;
	memset(&m->st, 0, sizeof(m->st));
	check_list_release(&checks);
	return rc;
}

static int
do_run(const struct cli_options *opt, const struct query_path *search)
{
	struct query_list ql = { 0 };
	struct plan plan = { 0 };
	struct plan_options po = { 0 };
	struct fields *builtin = fields_new_builtin(), *run_fields = NULL;
	struct format_query *fq = NULL;
	struct format_options fo = { 0 };
	struct formatter *fmt = NULL;
	struct run_options ro = { 0 };
	struct results_stats st = { 0 };
	struct results_outcome res = { 0 };
	struct output out = { 0 };
	struct diag err = { 0 };
	struct follow_ctx follow = { 0 };
	struct aggfn_files files = { 0 };
	struct state_options so = { 0 };
	struct state_merge merge = { 0 };
	struct agg_options merge_ao = { 0 };
	char fingerprint[STATE_FINGERPRINT_LEN + 1];
	struct profile_set profiles;
	enum format_kind kind = opt->format;
	int status = LOGQ_EXIT_OK, all_raw = 1, follow_mode = 0, rc;
	size_t i;

	memset(&profiles, 0, sizeof(profiles));
	pthread_mutex_init(&profiles.lock, NULL);
	if (load_queries(opt, search, &ql, &err) < 0)
		goto fail;
	po.builtin = builtin;
	po.field_args = opt->field_args;
	po.nfield_args = opt->nfield_args;
	po.sets = opt->sets;
	po.nsets = opt->nsets;
	if (plan_build(&plan, ql.items, ql.n, &po, &err) < 0)
		goto fail;
	profile_set_release(&profiles);
	if (load_profiles(opt, builtin, &profiles, &err) < 0)
		goto fail;
	if (opt->explain) {
		plan_explain(&plan, stdout);
		profile_set_explain(&profiles, stdout);
		goto done;
	}
	/* SPEC 7: the positions of first() and last() name their files;
	 * a merge orders them by name. */
	if (opt->action == CLI_MERGE)
		files.by_name = 1;
	else if (opt->nfiles == 0)
		(void)aggfn_files_append(&files, "-");
	/* Ordinal I is FILE I, as run.c numbers them. */
	for (i = 0; opt->action != CLI_MERGE && i < opt->nfiles; i++)
		if (aggfn_files_append(&files, opt->files[i]) < 0) {
			diag_set(&err, LOGQ_EXIT_USAGE, "too many files");
			goto fail;
		}
	if (opt->state || opt->action == CLI_MERGE) {
		if (state_check_plan(&plan, &err) < 0)
			goto fail;
		state_fingerprint(&plan, opt->field_args, opt->nfield_args,
		    &profiles, fingerprint);
	}
	/* --since/--until read `time` with the command line's aliases. */
	run_fields = fields_copy(builtin);
	for (i = 0; i < opt->nfield_args; i++)
		if (fields_set_arg(run_fields, opt->field_args[i], &err) < 0)
			goto fail;

	fq = results_format_queries(&plan);
	for (i = 0; i < plan.n; i++)
		all_raw &= plan.queries[i].is_raw;
	/* A listing of whole lines reads best as the lines themselves. */
	if (!opt->format_set && all_raw)
		kind = FORMAT_RAW;
	if (check_format(&plan, kind, &err) < 0)
		goto fail;
	if (opt->interval_ms > 0 &&
	    (follow_mode = check_follow(&plan, kind, &err)) < 0)
		goto fail;
	/* The states are read before any output: a refused one leaves
	 * no half-written document, and -o's file untouched. */
	merge_ao.max_groups = opt->max_groups;
	merge_ao.max_values = opt->max_values;
	merge_ao.approx = opt->approx;
	merge_ao.files = &files;
	if (opt->action == CLI_MERGE && state_merge_read(&merge, &plan,
	    fingerprint, &merge_ao, opt->files, opt->nfiles, &err) < 0)
		goto fail;
	if (output_open(&out, opt->output, &err) < 0)
		goto fail;
	fo.is_tty = out.fp == stdout && isatty(STDOUT_FILENO);
	fo.term_width = fo.is_tty ? terminal_width() : 0;
	fo.color = opt->color == CLI_COLOR_ALWAYS ||
	    (opt->color == CLI_COLOR_AUTO && fo.is_tty &&
	    (getenv("NO_COLOR") == NULL || *getenv("NO_COLOR") == '\0'));
	so.fp = out.fp;
	so.fingerprint = fingerprint;
	so.files = &files;
	/* Follow mode makes a formatter for each print (print_begin);
	 * --state writes no rows. */
	if (!follow_mode && !opt->state &&
	    (fmt = format_new(kind, out.fp, fq, plan.n, &fo, &err)) == NULL) {
		output_close(&out, 0, &err);
		goto fail;
	}

	ro.jobs = opt->jobs;
	if (ro.jobs == 0)
		ro.jobs = (size_t)cpus_usable("", NULL);
	ro.verbose = opt->verbose && !opt->quiet;
	ro.quiet = opt->quiet;
	ro.max_groups = opt->max_groups;
	ro.max_values = opt->max_values;
	ro.max_line_bytes = opt->max_line_bytes;
	ro.approx = opt->approx;
	ro.strict = opt->strict;
	ro.has_since = opt->has_since;
	ro.since = opt->since;
	ro.has_until = opt->has_until;
	ro.until = opt->until;
	ro.shard_index = opt->shard_index;
	ro.shard_count = opt->shard_count;
	ro.fields = run_fields;
	ro.warn = warn_cb;
	profiles.quiet = opt->quiet;
	profiles.warn = warn_cb;
	ro.profiles = &profiles;
	ro.stall_ms = opt->stall_ms;
	if (follow_mode) {
		follow.kind = kind;
		follow.fp = out.fp;
		follow.fq = fq;
		follow.n = plan.n;
		follow.fo = &fo;
		ro.interval_ms = opt->interval_ms;
		ro.reset = opt->reset;
		ro.window_ms = opt->window_ms;
		ro.print_begin = print_begin;
		ro.print_end = print_end;
		ro.print_ctx = &follow;
		follow.printed = xcalloc(plan.n + 1, 1);
		for (i = 0; i < plan.n; i++) {
			follow.printed[i] = plan.queries[i].is_agg ||
			    plan.queries[i].nsort > 0;
			follow.streams |= !follow.printed[i];
		}
		if (follow.streams)
			ro.stream_begin = stream_begin;
		/* SPEC 6: a table on a terminal is redrawn in place; with
		 * rows streaming between the prints it scrolls, as the
		 * prints elsewhere do. */
		if (kind == FORMAT_TABLE && fo.is_tty && !follow.streams)
			follow.view = view_new(out.fp);
	}
	ro.files = &files;
	ro.state = opt->state ? &so : NULL;
	rc = opt->action == CLI_MERGE ? merge_inputs(opt, &plan, &merge,
	    &merge_ao, ro.state, fmt, &st, &res, &err) : run_inputs(&plan,
	    opt->files, opt->nfiles, &ro, fmt, &st, &res, &err);
	/* The cursor back, whatever stopped the run. */
	view_free(follow.view);
	follow.view = NULL;
	if (rc < 0) {
		/* A closed pipe (logq ... | head) is the reader's choice,
		 * not an error (SPEC 1.1). */
		if (errno == EPIPE) {
			output_close(&out, 0, &err);
			status = LOGQ_EXIT_OK;
			goto done;
		}
		output_close(&out, 0, &err);
		goto fail;
	}
	/* A run that ends in error (exit 2 or 3) leaves the last good
	 * report in place (SPEC 1, -o). */
	status = run_status(opt, &st, &res);
	if (output_close(&out, status == LOGQ_EXIT_OK ||
	    status == LOGQ_EXIT_ASSERT, &err) < 0)
		goto fail;
	/* The summary, the match limit, each failed assertion (SPEC 3.7:
	 * on stderr, after all results). */
	if (reader_stop && !opt->quiet)
		fprintf(stderr, "%s: %s ended the input: the results cover the "
		    "%lld lines read\n", logq_progname,
		    reader_stop == SIGINT ? "SIGINT" : "SIGTERM",
		    (long long)st.lines);
	for (i = 0; i < res.nnotes; i++)
		print_error(&res.notes[i]);
	goto done;
fail:
	print_error(&err);
	status = err.status;
done:
	results_outcome_release(&res);
	format_free(fmt);
	free(follow.printed);
	free(fq);
	results_stats_release(&st);
	state_merge_release(&merge, &plan);	/* it reads the plan */
	plan_release(&plan);
	query_list_release(&ql);
	fields_free(builtin);
	fields_free(run_fields);
	aggfn_files_release(&files);
	profile_set_release(&profiles);
	diag_release(&err);
	return status;
}

/* SIGINT and SIGTERM end the input: the run prints the results of the
 * lines read so far and exits with its usual status; a second SIGINT
 * exits at once with 130 (SPEC 1.1). */
static void
on_stop_signal(int sig)
{
	if (sig == SIGINT && reader_stop == SIGINT) {
		output_abandon();
		view_restore_from_signal();
		_exit(128 + SIGINT);
	}
	reader_stop = sig;
}

static void
catch_stop_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM };
	struct sigaction sa, old;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;	/* no SA_RESTART: the blocked read returns */
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		/* A signal ignored by the caller (a background job of a
		 * script, nohup) stays ignored. */
		if (sigaction(sigs[i], NULL, &old) == 0 &&
		    old.sa_handler == SIG_IGN)
			continue;
		sigaction(sigs[i], &sa, NULL);
	}
}

int
main(int argc, char **argv)
{
	struct cli_options opt;
	struct query_path search;
	struct diag err = { 0 };
	int status;

	/* A closed pipe shows up as EPIPE on write, handled in do_run. */
	signal(SIGPIPE, SIG_IGN);
	catch_stop_signals();
	/* Before any table is made: the tables a log fills hash with a
	 * seed it cannot know (hash.h). */
	if (hash_seed_init(getenv("LOGQ_HASH_SEED"), &err) < 0) {
		print_error(&err);
		diag_release(&err);
		return LOGQ_EXIT_USAGE;
	}
	if (cli_parse(argc, argv, (double)time(NULL), &opt, &err) < 0) {
		print_error(&err);
		diag_release(&err);
		return LOGQ_EXIT_USAGE;
	}
	querypath_init(&search);
	switch (opt.action) {
	case CLI_HELP:
		cli_usage(stdout);
		status = LOGQ_EXIT_OK;
		break;
	case CLI_VERSION:
		print_version();
		status = LOGQ_EXIT_OK;
		break;
	case CLI_LIST:
		status = opt.list_params ? do_list_params(&opt, &search) :
		    do_list(&search, opt.list_names);
		break;
	case CLI_LIST_FUNCTIONS:
		status = do_list_functions();
		break;
	case CLI_FIELDS:
		status = do_fields(&opt);
		break;
	case CLI_LIST_PROFILES:
		status = do_list_profiles(&opt);
		break;
	default:
		status = do_run(&opt, &search);
		break;
	}
	querypath_release(&search);
	cli_release(&opt);
	if (fflush(stdout) != 0 && errno != EPIPE) {
		fprintf(stderr, "%s: error writing output: %s\n",
		    logq_progname, strerror(errno));
		status = LOGQ_EXIT_INPUT;
	}
	return status;
}
