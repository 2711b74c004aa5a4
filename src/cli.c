/* SPDX-License-Identifier: MIT */
/* cli.c - argv -> struct cli_options (SPEC section 1) */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "suggest.h"
#include "timeparse.h"
#include "util.h"

enum {
	OPT_APPROX = 256, OPT_COLOR, OPT_EXPLAIN, OPT_FIELD, OPT_FIELDS, OPT_HELP,
	OPT_LIST, OPT_LIST_FUNCTIONS, OPT_MAX_GROUPS, OPT_MAX_LINE_BYTES,
	OPT_MAX_VALUES, OPT_NAMES, OPT_PARAMS, OPT_PROFILE, OPT_LIST_PROFILES,
	OPT_SET, OPT_SHARD, OPT_SINCE, OPT_STRICT, OPT_UNTIL,
	OPT_VERSION,
	OPT_INTERVAL, OPT_RESET, OPT_STALL,	/* follow mode (SPEC 6) */
	OPT_WINDOW,
	OPT_STATE			/* partial states (SPEC 7) */
};

/* Sorted by long name; every option has a long form (STYLE 6). */
static const struct option long_options[] = {
	{ "approx",	no_argument,		NULL, OPT_APPROX },
	{ "color",	required_argument,	NULL, OPT_COLOR },
	{ "explain",	no_argument,		NULL, OPT_EXPLAIN },
	{ "field",	required_argument,	NULL, OPT_FIELD },
	{ "fields",	no_argument,		NULL, OPT_FIELDS },
	{ "format",	required_argument,	NULL, 'f' },
	{ "help",	no_argument,		NULL, 'h' },
	{ "inline",	required_argument,	NULL, 'e' },
	{ "interval",	required_argument,	NULL, OPT_INTERVAL },
	{ "jobs",	required_argument,	NULL, 'j' },
	{ "list",	no_argument,		NULL, OPT_LIST },
	{ "list-functions", no_argument,	NULL, OPT_LIST_FUNCTIONS },
	{ "list-profiles", no_argument,		NULL, OPT_LIST_PROFILES },
	{ "max-groups",	required_argument,	NULL, OPT_MAX_GROUPS },
	{ "max-line-bytes", required_argument,	NULL, OPT_MAX_LINE_BYTES },
	{ "max-values",	required_argument,	NULL, OPT_MAX_VALUES },
	{ "names",	no_argument,		NULL, OPT_NAMES },
	{ "output",	required_argument,	NULL, 'o' },
	{ "params",	no_argument,		NULL, OPT_PARAMS },
	{ "profile",	required_argument,	NULL, OPT_PROFILE },
	{ "quiet",	no_argument,		NULL, 'q' },
	{ "reset",	no_argument,		NULL, OPT_RESET },
	{ "set",	required_argument,	NULL, OPT_SET },
	{ "shard",	required_argument,	NULL, OPT_SHARD },
	{ "since",	required_argument,	NULL, OPT_SINCE },
	{ "stall",	required_argument,	NULL, OPT_STALL },
	{ "state",	no_argument,		NULL, OPT_STATE },
	{ "strict",	no_argument,		NULL, OPT_STRICT },
	{ "until",	required_argument,	NULL, OPT_UNTIL },
	{ "verbose",	no_argument,		NULL, 'v' },
	{ "version",	no_argument,		NULL, OPT_VERSION },
	{ "window",	required_argument,	NULL, OPT_WINDOW },
	{ NULL, 0, NULL, 0 }
};

void
cli_usage(FILE *fp)
{
	fprintf(fp,
"usage: logq [OPTIONS] QUERY[,QUERY...] [FILE...]\n"
"       logq [OPTIONS] -e YAML [FILE...]\n"
"       logq merge [OPTIONS] QUERY[,QUERY...] [STATE...]\n"
"       logq --list [--names] | --fields [FILE...] | --version | --help\n"
"       logq --list --params QUERY[,QUERY...]\n"
"       logq --list-functions\n"
"       logq --list-profiles [--names]\n"
"\n"
"Runs queries written in YAML over structured JSON logs in one pass.\n"
"'logq merge' combines the states of runs with --state (STATE '-' or none:\n"
"standard input, one state a line) and prints the results of their input.\n"
"QUERY is a built-in query name (see --list) or a YAML file; FILE '-' or\n"
"none is standard input. Lines may carry fly, kubectl, docker compose or\n"
"stern prefixes before the JSON object.\n"
"\n"
"options:\n"
"  -e, --inline YAML      a query given inline, e.g. '{where: \"status >= 500\"}'\n"
"  -f, --format FMT       output: %s\n"
"  -o, --output FILE      write results to FILE (whole, then renamed into place)\n"
"  -j, --jobs N           threads (default: the CPUs this process may use)\n"
"      --max-groups N     stop with an error past N groups in a query\n"
"                         (default 1000000; 0: no limit)\n"
"      --max-line-bytes N skip lines longer than N bytes as \"too long\",\n"
"                         without holding them (default 0: no limit)\n"
"      --approx           percentiles from bounded sketches (within 1%%)\n"
"      --max-values N     past N values, exact percentiles turn approximate\n"
"                         with a warning (default 50000000; 0: no limit)\n"
"      --set NAME=VALUE   set a query parameter (repeatable); see\n"
"                         --list --params QUERY for their types\n"
"      --field CANON=F1,F2,...\n"
"                         set a field alias (repeatable); see --fields\n"
"      --profile NAME     read every line with format profile NAME instead\n"
"                         of recognising each line's format\n"
"      --since T          keep lines whose time is at or after T\n"
"      --until T          keep lines whose time is before T\n"
"                         (T: RFC 3339, or a duration ago: 90s, 15m, 2h, 7d)\n"
"      --interval DUR     follow mode: print the aggregations every DUR\n"
"                         (100ms, 1s, 1m) and at the end of input: on a\n"
"                         terminal redrawn in place under a status line,\n"
"                         else each print after a '# logq ...' header line\n"
"      --reset            with --interval: each print covers only the lines\n"
"                         since the previous one (tumbling windows)\n"
"      --shard I/N        read the lines that start in the I-th of N equal\n"
"                         byte ranges of each FILE, so that N processes\n"
"                         split a file, no line read twice or lost\n"
"      --state            print the partial state of the queries as one\n"
"                         JSON line, for 'logq merge' (with merge: the\n"
"                         merged state)\n"
"      --window DUR       with --interval: each print covers the last DUR,\n"
"                         a multiple of the interval (sliding windows)\n"
"      --stall DUR        warn once when no line came for DUR; $stalled\n"
"                         gives the seconds since the last line\n"
"      --strict           lines that are not JSON objects fail the run (exit 3)\n"
"  -q, --quiet            no warnings or summary on stderr\n"
"  -v, --verbose          report every skipped line on stderr\n"
"      --color WHEN       auto (default), always or never\n"
"      --explain          print how the queries were understood, and exit\n"
"      --list             list the built-in queries (--names: names only)\n"
"      --params           with --list QUERY: its --set parameters, one a\n"
"                         line: NAME<tab>TYPE<tab>DEFAULT, a duration's\n"
"                         default as --set takes it (500ms), others JSON\n"
"      --list-functions   list the expression functions: name, arity, and\n"
"                         scalar or aggregate\n"
"      --fields [FILE...] print the field aliases in force, and each\n"
"                         format profile: how it is recognised, its aliases;\n"
"                         with FILEs, each line shape and its profile\n"
"      --list-profiles    list the format profiles (--names: names only)\n"
"      --version          print the version and library versions\n"
"  -h, --help             print this help\n"
"\n"
"exit status: 0 ok, 1 an assertion failed, 2 usage or query error,\n"
"3 input error. See logq(1) and logq-query(5).\n", format_names());
}

/* " (did you mean '--format'?)" for a mistyped long option ARG
 * ("--formt" or "--formt=json"), or "". */
static const char *
option_suggestion(const char *arg, char *buf, size_t size)
{
	struct suggest sg;
	const struct option *o;
	size_t len;

	if (strncmp(arg, "--", 2) != 0)
		return "";
	arg += 2;
	len = strcspn(arg, "=");
	suggest_init(&sg, arg, len);
	for (o = long_options; o->name != NULL; o++)
		suggest_consider(&sg, o->name);
	if (suggest_best(&sg) == NULL)
		return "";
	snprintf(buf, size, " (did you mean '--%s'?)", suggest_best(&sg));
	return buf;
}

/* " (did you mean 'json'?)" for a mistyped format NAME, or "". */
static const char *
format_suggestion(const char *name, char *buf, size_t size)
{
	struct suggest sg;
	int k;

	suggest_init(&sg, name, strlen(name));
	for (k = FORMAT_TABLE; k <= FORMAT_RAW; k++)
		suggest_consider(&sg, format_name((enum format_kind)k));
	if (suggest_best(&sg) == NULL)
		return "";
	snprintf(buf, size, " (did you mean '%s'?)", suggest_best(&sg));
	return buf;
}

/* Seconds in "90s", "15m", "2h", "7d" (also "1h30m"); -1 if not one. */
static double
parse_ago(const char *s)
{
	double total = 0;
	const char *p = s;

	if (*p == '\0')
		return -1;
	while (*p) {
		char *end;
		double n = strtod(p, &end);

		if (end == p || n < 0)
			return -1;
		switch (*end) {
		case 's': total += n; break;
		case 'm': total += n * 60; break;
		case 'h': total += n * 3600; break;
		case 'd': total += n * 86400; break;
		default: return -1;
		}
		p = end + 1;
	}
	return total;
}

static int
parse_time_arg(const char *opt, const char *arg, double now,
    struct timeparse_time *out, struct diag *err)
{
	struct value v = value_str(arg, strlen(arg));
	double ago = parse_ago(arg), t, whole;

	if (ago >= 0) {
		t = now - ago;
		whole = floor(t);
		out->sec = (int64_t)whole;
		out->nsec = (int32_t)((t - whole) * 1e9);
		return 0;
	}
	/* Only RFC 3339 here (four digits of year, then '-'): a bare
	 * number, even "-5" or "1e-5", would be ambiguous. */
	if (strspn(arg, "0123456789") == 4 && arg[4] == '-' &&
	    timeparse_time_exact(&v, out))
		return 0;
	diag_set(err, LOGQ_EXIT_USAGE, "%s takes an RFC 3339 time "
	    "(2026-04-25T03:00:00Z) or a duration ago (90s, 15m, 2h, 7d), "
	    "not '%s'", opt, arg);
	return -1;
}

/* A count for a limit, checked to the last character; 0 is no limit. */
static int
parse_count(const char *opt, const char *arg, size_t *out, struct diag *err)
{
	char *end;
	unsigned long long n;

	errno = 0;
	n = strtoull(arg, &end, 10);
	if (*arg < '0' || *arg > '9' || *end != '\0' || errno != 0 ||
	    n > (unsigned long long)SIZE_MAX / 16) {
		diag_set(err, LOGQ_EXIT_USAGE, "%s takes a count (0: no "
		    "limit), not '%s'", opt, arg);
		return -1;
	}
	*out = (size_t)n;
	return 0;
}

/* A shard number of --shard's I/N: digits up to END, checked to the
 * last one; 0 if it is not one. */
static unsigned long
parse_shard_number(const char *p, const char *end)
{
	unsigned long n = 0;

	if (p == end)
		return 0;
	for (; p < end; p++) {
		if (*p < '0' || *p > '9' || n > CLI_MAX_SHARDS)
			return 0;
		n = n * 10 + (unsigned long)(*p - '0');
	}
	return n;
}

/* --shard I/N: 1 <= I <= N <= CLI_MAX_SHARDS. */
static int
parse_shard(const char *arg, struct cli_options *opt, struct diag *err)
{
	const char *slash = strchr(arg, '/');
	unsigned long index, count;

	if (slash == NULL ||
	    (index = parse_shard_number(arg, slash)) == 0 ||
	    (count = parse_shard_number(slash + 1,
	    slash + strlen(slash))) == 0 || count > CLI_MAX_SHARDS) {
		diag_set(err, LOGQ_EXIT_USAGE, "--shard takes I/N, the I-th "
		    "of N shards (1 <= I <= N <= %d), e.g. 3/8, not '%s'",
		    CLI_MAX_SHARDS, arg);
		return -1;
	}
	if (index > count) {
		diag_set(err, LOGQ_EXIT_USAGE, "--shard %s: there is no shard "
		    "%lu of %lu; shards are numbered from 1 to %lu", arg,
		    index, count, count);
		return -1;
	}
	opt->shard_index = index;
	opt->shard_count = count;
	return 0;
}

/* --window or --stall's duration: Go durations, as --interval's, at
 * least 10ms (a print takes time too), at most 11 days. */
static int
parse_follow_duration(const char *opt, const char *arg, double *ms,
    struct diag *err)
{
	if (!timeparse_duration_text(arg, strlen(arg), ms) || !(*ms >= 10) ||
	    *ms > 1e9) {
		diag_set(err, LOGQ_EXIT_USAGE, "%s takes a duration from 10ms "
		    "to 11d (100ms, 1s, 1m30s), not '%s'", opt, arg);
		return -1;
	}
	return 0;
}

/*
 * --window is a ring of per-interval states (SPEC 6): it needs
 * --interval, a whole number of intervals (at most CLI_MAX_WINDOW_SLOTS,
 * which bounds its memory), and is not --reset, whose window is one
 * interval.
 */
static int
check_window(const struct cli_options *opt, struct diag *err)
{
	double slots;

	if (opt->window_ms == 0)
		return 0;
	if (opt->interval_ms == 0) {
		diag_set(err, LOGQ_EXIT_USAGE, "--window goes with --interval "
		    "(e.g. --interval 10s --window 5m)");
		return -1;
	}
	if (opt->reset) {
		diag_set(err, LOGQ_EXIT_USAGE, "--window and --reset are two "
		    "kinds of window; give one (--reset is --window of one "
		    "interval)");
		return -1;
	}
	slots = opt->window_ms / opt->interval_ms;
	if (slots < 1 || fabs(slots - round(slots)) > 1e-9 * slots) {
		diag_set(err, LOGQ_EXIT_USAGE, "--window must be a whole "
		    "number of intervals: %gms is not a multiple of "
		    "--interval's %gms", opt->window_ms, opt->interval_ms);
		return -1;
	}
	if (round(slots) > CLI_MAX_WINDOW_SLOTS) {
		diag_set(err, LOGQ_EXIT_USAGE, "--window covers %.0f intervals, "
		    "more than %d; use a longer --interval", round(slots),
		    CLI_MAX_WINDOW_SLOTS);
		return -1;
	}
	return 0;
}

/* Splits "errors,latency" into the query list; empty items are errors. */
static int
add_queries(struct cli_options *opt, char *arg, struct diag *err)
{
	size_t alloc = 0;
	char *p = arg, *comma;

	for (;;) {
		comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		if (*p == '\0') {
			diag_set(err, LOGQ_EXIT_USAGE,
			    "empty query name in the QUERY list");
			return -1;
		}
		XGROW(opt->queries, opt->nqueries + 1, alloc);
		opt->queries[opt->nqueries++] = p;
		if (comma == NULL)
			return 0;
		p = comma + 1;
	}
}

int
cli_parse(int argc, char **argv, double now, struct cli_options *opt,
    struct diag *err)
{
	size_t sets_alloc = 0, fields_alloc = 0;
	char hint[SUGGEST_MAX_LEN + 32];
	int c, i;

	memset(opt, 0, sizeof(*opt));
	opt->format = FORMAT_TABLE;
	opt->max_groups = CLI_DEFAULT_MAX_GROUPS;
	opt->max_values = CLI_DEFAULT_MAX_VALUES;
	opterr = 0;
	optind = 1;
	/* GNU order: options may follow the query and files
	 * (`logq errors app.log -f json`); "--" ends them, and "-" is an
	 * operand (standard input). */
	while ((c = getopt_long(argc, argv, ":e:f:hj:o:qv", long_options,
	    NULL)) != -1) {
		switch (c) {
		case 'e':
			opt->inline_yaml = optarg;
			break;
		case 'f':
			if ((i = format_from_name(optarg)) < 0) {
				diag_set(err, LOGQ_EXIT_USAGE, "unknown format "
				    "'%s'%s; use one of: %s", optarg,
				    format_suggestion(optarg, hint,
				    sizeof(hint)), format_names());
				return -1;
			}
			opt->format = (enum format_kind)i;
			opt->format_set = 1;
			break;
		case 'h':
			opt->action = CLI_HELP;
			break;
		case 'j': {
			char *end;
			unsigned long n;

			errno = 0;
			n = strtoul(optarg, &end, 10);
			if (*optarg < '0' || *optarg > '9' || *end != '\0' ||
			    errno != 0 || n < 1 || n > 256) {
				diag_set(err, LOGQ_EXIT_USAGE, "--jobs takes a "
				    "number of threads from 1 to 256, not '%s'",
				    optarg);
				return -1;
			}
			opt->jobs = n;
			break;
		}
		case 'o':
			opt->output = optarg;
			break;
		case 'q':
			opt->quiet = 1;
			break;
		case 'v':
			opt->verbose = 1;
			break;
		case OPT_COLOR:
			if (strcmp(optarg, "auto") == 0)
				opt->color = CLI_COLOR_AUTO;
			else if (strcmp(optarg, "always") == 0)
				opt->color = CLI_COLOR_ALWAYS;
			else if (strcmp(optarg, "never") == 0)
				opt->color = CLI_COLOR_NEVER;
			else {
				diag_set(err, LOGQ_EXIT_USAGE, "--color takes "
				    "auto, always or never, not '%s'", optarg);
				return -1;
			}
			break;
		case OPT_EXPLAIN:
			opt->explain = 1;
			break;
		case OPT_FIELD:
			XGROW(opt->field_args, opt->nfield_args + 1,
			    fields_alloc);
			opt->field_args[opt->nfield_args++] = optarg;
			break;
		case OPT_FIELDS:
			opt->action = CLI_FIELDS;
			break;
		case OPT_LIST_PROFILES:
			opt->action = CLI_LIST_PROFILES;
			break;
		case OPT_PROFILE:
			opt->profile = optarg;
			break;
		case OPT_INTERVAL: {
			double ms;

			/* Go durations, as bucket() steps are written; a
			 * print takes time too: at least 10ms apart. */
			if (!timeparse_duration_text(optarg, strlen(optarg),
			    &ms) || !(ms >= 10) || ms > 1e9) {
				diag_set(err, LOGQ_EXIT_USAGE, "--interval "
				    "takes a duration from 10ms to 11d "
				    "(100ms, 1s, 1m30s), not '%s'", optarg);
				return -1;
			}
			opt->interval_ms = ms;
			break;
		}
		case OPT_STALL:
		case OPT_WINDOW:
			if (parse_follow_duration(c == OPT_STALL ? "--stall" :
			    "--window", optarg, c == OPT_STALL ?
			    &opt->stall_ms : &opt->window_ms, err) < 0)
				return -1;
			break;
		case OPT_LIST:
			opt->action = CLI_LIST;
			break;
		case OPT_LIST_FUNCTIONS:
			opt->action = CLI_LIST_FUNCTIONS;
			break;
		case OPT_MAX_GROUPS:
			if (parse_count("--max-groups", optarg,
			    &opt->max_groups, err) < 0)
				return -1;
			opt->max_groups_set = 1;
			break;
		case OPT_MAX_LINE_BYTES:
			if (parse_count("--max-line-bytes", optarg,
			    &opt->max_line_bytes, err) < 0)
				return -1;
			break;
		case OPT_MAX_VALUES:
			if (parse_count("--max-values", optarg,
			    &opt->max_values, err) < 0)
				return -1;
			break;
		case OPT_APPROX:
			opt->approx = 1;
			break;
		case OPT_NAMES:
			opt->list_names = 1;
			break;
		case OPT_PARAMS:
			opt->list_params = 1;
			break;
		case OPT_RESET:
			opt->reset = 1;
			break;
		case OPT_SET:
			if (strchr(optarg, '=') == NULL ||
			    optarg[0] == '=') {
				diag_set(err, LOGQ_EXIT_USAGE, "--set takes "
				    "NAME=VALUE, not '%s'", optarg);
				return -1;
			}
			XGROW(opt->sets, opt->nsets + 1, sets_alloc);
			opt->sets[opt->nsets++] = optarg;
			break;
		case OPT_SHARD:
			if (parse_shard(optarg, opt, err) < 0)
				return -1;
			break;
		case OPT_SINCE:
			if (parse_time_arg("--since", optarg, now,
			    &opt->since, err) < 0)
				return -1;
			opt->has_since = 1;
			break;
		case OPT_UNTIL:
			if (parse_time_arg("--until", optarg, now,
			    &opt->until, err) < 0)
				return -1;
			opt->has_until = 1;
			break;
		case OPT_STATE:
			opt->state = 1;
			break;
		case OPT_STRICT:
			opt->strict = 1;
			break;
		case OPT_VERSION:
			opt->action = CLI_VERSION;
			break;
		case ':':
			diag_set(err, LOGQ_EXIT_USAGE, "option '%s' needs a "
			    "value", argv[optind - 1]);
			return -1;
		default:
			if (optopt)
				diag_set(err, LOGQ_EXIT_USAGE, "unknown option "
				    "'-%c'; see 'logq --help'", optopt);
			else
				diag_set(err, LOGQ_EXIT_USAGE, "unknown option "
				    "'%s'%s; see 'logq --help'",
				    argv[optind - 1], option_suggestion(
				    argv[optind - 1], hint, sizeof(hint)));
			return -1;
		}
	}
	if (opt->list_names && opt->action != CLI_LIST &&
	    opt->action != CLI_LIST_PROFILES) {
		diag_set(err, LOGQ_EXIT_USAGE, "--names goes with --list or "
		    "--list-profiles");
		return -1;
	}
	if (opt->list_params) {
		if (opt->action != CLI_LIST || opt->list_names) {
			diag_set(err, LOGQ_EXIT_USAGE, "--params goes with "
			    "--list and a QUERY: 'logq --list --params slo'");
			return -1;
		}
		if (optind + 1 != argc) {
			diag_set(err, LOGQ_EXIT_USAGE, "--list --params takes "
			    "one QUERY[,QUERY...] operand, e.g. 'logq --list "
			    "--params slo'");
			return -1;
		}
		return add_queries(opt, argv[optind], err);
	}
	if (opt->reset && opt->interval_ms == 0) {
		diag_set(err, LOGQ_EXIT_USAGE, "--reset goes with --interval "
		    "(e.g. --interval 1m --reset)");
		return -1;
	}
	if (check_window(opt, err) < 0)
		return -1;
	/* --fields FILE...: the line shapes of the files and their
	 * profiles. */
	if (opt->action == CLI_FIELDS) {
		opt->files = argv + optind;
		opt->nfiles = (size_t)(argc - optind);
		return 0;
	}
	if (opt->action != CLI_RUN)
		return 0;
	/* `logq merge QUERY STATE...`: a query called merge is named by
	 * its path (./merge.yaml). */
	if (optind < argc && strcmp(argv[optind], "merge") == 0) {
		opt->action = CLI_MERGE;
		optind++;
		if (opt->interval_ms > 0 || opt->has_since ||
		    opt->has_until || opt->shard_count > 0) {
			diag_set(err, LOGQ_EXIT_USAGE, "merge reads states, "
			    "not lines: give --%s to the runs that make "
			    "them", opt->interval_ms > 0 ? "interval" :
			    opt->has_since ? "since" : opt->has_until ?
			    "until" : "shard");
			return -1;
		}
	}
	if (opt->state && opt->interval_ms > 0) {
		diag_set(err, LOGQ_EXIT_USAGE, "--state prints one state at "
		    "the end of input, and --interval prints again and "
		    "again; use one of them");
		return -1;
	}
	if (opt->state && opt->format_set) {
		diag_set(err, LOGQ_EXIT_USAGE, "--state prints a JSON state, "
		    "not results: give -f to 'logq merge'");
		return -1;
	}
	if (opt->inline_yaml == NULL) {
		if (optind >= argc) {
			diag_set(err, LOGQ_EXIT_USAGE, "no query given; try "
			    "%s or 'logq --list'", opt->action == CLI_MERGE ?
			    "'logq merge latency states.ndjson'" :
			    "'logq errors app.log'");
			return -1;
		}
		if (add_queries(opt, argv[optind++], err) < 0)
			return -1;
	}
	opt->files = argv + optind;
	opt->nfiles = (size_t)(argc - optind);
	return 0;
}

void
cli_release(struct cli_options *opt)
{
	free(opt->queries);
	free(opt->sets);
	free(opt->field_args);
	memset(opt, 0, sizeof(*opt));
}
