#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes the agg-* golden cases (tests/cli/cases/agg-*): run it from
tests/cli as `python3 data/agg/make-cases.py`. Every expected output is
computed here without logq: by data/agg/oracle.py (a hand-written model
of the built-in queries) or by the jq command that each case's ORIGIN
names, whose JSON result is rendered in the output format (integral
numbers without ".0", other reals in their shortest round-trip form).
Run data/agg/make-data.py first (from data/agg) for the small inputs."""
import json, os, shutil, subprocess, sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oracle  # noqa: E402

CASES = "cases"
made = []


def case(name, cmd, stdout, origin, stderr="", status=0, stdin=None):
    assert name.startswith("agg-"), name
    d = os.path.join(CASES, name)
    if os.path.isdir(d):
        shutil.rmtree(d)
    os.makedirs(d)

    def put(f, s):
        with open(os.path.join(d, f), "w") as fh:
            fh.write(s)
    put("cmd", cmd + "\n")
    put("stdout", stdout)
    if stderr:
        put("stderr", stderr)
    if status:
        put("status", "%d\n" % status)
    if stdin is not None:
        put("stdin", stdin)
    put("ORIGIN", origin.strip() + "\n")
    made.append(name)


def jq(prog, *files, slurp=True):
    args = ["jq", "-c"] + (["-s"] if slurp else []) + [prog] + list(files)
    return json.loads(subprocess.check_output(args))


def jq_cmd(prog, *files):
    q = "'" + prog.replace("'", "'\\''") + "'"
    return "jq -cs %s %s" % (q, " ".join(files))


def csv_of(header, rows):
    res = oracle.Result("query", header, 0, rows)
    return oracle.render_sv([res], ",", oracle.csv_cell)


def jq_case(name, eargs, header, prog, files, note="", fmt="csv",
            stderr="", status=0):
    """A -e case whose rows are what the jq PROG prints (a list of rows)."""
    rows = jq(prog, *files)
    out = csv_of(header, rows)
    cmd = '"$LOGQ" -f %s -e %s %s' % (fmt, eargs, " ".join(files))
    origin = ("Expected rows: %s\n(rendered as CSV: header %s, one line "
              "a row).\n%s" % (jq_cmd(prog, *files), ",".join(header), note))
    case(name, cmd, out, origin, stderr, status)


# ---- built-in queries on every convention and prefix form -------------

CONVS = ["attesto", "slog", "zerolog", "pino", "fly", "kubectl",
         "kubectl-ts", "docker", "stern"]
BUILTINS = ["error-summary", "tenant-volume", "latency", "rate-limited",
            "status", "slo", "no-secrets", "ops-report", "timeline"]
TIME_COLS = {"first_seen", "last_seen"}

JQ_CHECK = {
    "error-summary": "jq -r 'select((.level|ascii_downcase)==\"error\" or "
    ".level==\"fatal\") | [.msg,.error] | @tsv' data/attesto.log | sort | "
    "uniq -c | sort -rn",
    "tenant-volume": "jq -r 'select(.tenantId and .path) | .tenantId' "
    "data/attesto.log | sort | uniq -c | sort -rn",
    "latency": "jq -r 'select(.latencyMs and .path) | [(.path|gsub(\"/[0-9]+"
    "\";\"/:id\")), .latencyMs] | @tsv' data/attesto.log | sort -k1,1 "
    "-k2,2n | awk -F'\\t' '{v[$1]=v[$1]\" \"$2; n[$1]++} END {for (r in n) "
    "{split(substr(v[r],2),a,\" \"); print r, n[r], a[int((n[r]*99+99)/100)]}}'"
    "  # p99 rank ceil(0.99*n)",
    "rate-limited": "jq -r 'select(.error==\"RATE_LIMITED\" or .status==429)"
    " | .tenantId // \"-\"' data/attesto.log | sort | uniq -c | sort -rn",
    "status": "jq -r 'select(.status and .path) | [(.path|gsub(\"/[0-9]+\";"
    "\"/:id\")), (.status/100|floor)] | @tsv' data/attesto.log | sort | "
    "uniq -c",
    "slo": "jq -s '[.[]|select(.status)] | {n: length, e: "
    "(map(select(.status>=500))|length)}' data/attesto.log",
    "no-secrets": "grep -cP '(?i)PRIVATE KEY|private_key_id|bearer\\s|_live_"
    "|_prod_|AKIA|ASIA|ABIA|ACCA|A3T|whsec_|webhook_?secret|gh[pousr]_"
    "|github_pat_|xox[a-z]-|xapp-|hooks\\.slack|\\bsk-|AIza|eyJ|passw|pwd"
    "|passphrase|://[^/]*@|basic\\s|card|\\bpan\\b|\\bcc|cvv|cvc' "
    "data/attesto.log  # 0",
    "ops-report": "the jq commands of the error-summary, tenant-volume, "
    "latency, rate-limited and status cases",
    "timeline": "jq -sr 'group_by(.ts[0:16])[] | [.[0].ts[0:16] + \":00Z\", "
    "length, (map(select(.level == \"error\" or .level == \"fatal\")) | "
    "length), (map(select(.status >= 500)) | length), (map(.latencyMs // "
    "empty) | sort | if length == 0 then \"-\" else .[(length * 99 / 100 | "
    "ceil) - 1] end)] | @tsv' data/attesto.log  # per minute: the first 16 "
    "characters of ts",
}

DISTINCT_NOTE = (
    "\nrate-limited-total.tenants is distinct(tenant) over the denials: "
    "the 3 tenants\nthat have one; the denied /health requests have no "
    "tenant, and a missing\nfield is no value (logq-query(5): exists() "
    "is false for it), so it is not\ncounted (as SQL COUNT(DISTINCT), "
    "Miller count-distinct and Splunk dc() do).\n")


def oracle_origin(q, files, fmt, extra=""):
    names = q.split(",")
    o = ("python3 data/agg/oracle.py -f %s %s %s\n(run from tests/cli; "
         "ORACLE_STDERR=F and ORACLE_STATUS=F write the expected\nstderr "
         "and status). oracle.py models %s by hand\nover data/make-data.py's "
         "conventions, without logq.\nCross-check (the same events in "
         "data/attesto.log):\n" % (fmt, q, " ".join(files),
                                    ", ".join("queries/%s.yaml" % n
                                              for n in names)))
    o += "".join("  %s\n" % JQ_CHECK[n] for n in names)
    if "rate-limited" in names or "ops-report" in names:
        o += DISTINCT_NOTE
    return o + extra


def oracle_case(name, q, files, fmt, extra_args="", params=None,
                extra="", pipe=False):
    out, err, status = oracle.run(q, files, fmt, params)
    if pipe:
        cmd = 'cat %s | "$LOGQ" -f %s%s %s' % (" ".join(files), fmt,
                                                extra_args, q)
        err = err.replace(files[0] + ":", "-:")
    else:
        cmd = '"$LOGQ" -f %s%s %s %s' % (fmt, extra_args, q, " ".join(files))
    case(name, cmd, out, oracle_origin(q, files, fmt, extra), err, status)
    return out


same = {}
for q in BUILTINS:
    for c in CONVS:
        f = "data/%s.log" % c
        out, err, status = oracle.run(q, [f], "csv")
        # The same 60 events in every convention: the answers are the same
        # but for the time columns, which print each convention's own time.
        inp = oracle.Input([f])
        res = []
        for fn in q.split(","):
            for r in oracle.QUERIES[fn](inp, {}):
                # no-secrets' lines counts every line, and fly's log has
                # two runner lines that are not JSON.
                keep = [i for i, col in enumerate(r.columns)
                        if col not in TIME_COLS and not
                        (r.name == "no-secrets" and col == "lines")]
                res.append((r.name, [[row[i] for i in keep]
                                     for row in r.rows]))
        same.setdefault(q, res)
        assert same[q] == res, (q, c)
        note = ("\nThe rows equal those of every other convention (the "
                "time columns aside,\nwhich are each log's own time field); "
                "make-cases.py asserts it.\n")
        if q == "no-secrets" and c == "fly":
            note += ("Except the lines column: no-secrets reads only _line, "
                     "so it sees the two\nfly runner lines that hold no JSON "
                     "object too: 62 here, 60 elsewhere\n(python3: 2 lines "
                     "of data/fly.log where json.loads fails from the "
                     "first\n'{' on).\n")
        oracle_case("agg-matrix-%s-%s" % (q, c), q, [f], "csv", extra=note)

# One table case per built-in query (charts drawn, SPEC 5).
for q in BUILTINS:
    oracle_case("agg-table-%s" % q, q, ["data/attesto.log"], "table",
                extra="\nTable layout: SPEC 5; chart bars scale the chart "
                "column's maximum to 20\ncells, rounded to the nearest "
                "eighth of a block.\n")

# ---- timeline: --set step, time forms, lines without a time ----------

STEP_NOTE = ("\n--set step=10s: a parameter whose default is a string "
             "(\"1m\") takes the text as\nYAML types it, a string "
             "(SPEC 3.6). Buckets of 10 s aligned to the epoch in\nUTC; the "
             "rows equal those of every other convention (make-cases.py "
             "asserts it).\n")
step_same = None
for c in CONVS:
    f = "data/%s.log" % c
    out = oracle_case("agg-timeline-step-10s-%s" % c, "timeline", [f], "csv",
                      extra_args=" --set step=10s", params={"step": "10s"},
                      extra=STEP_NOTE)
    step_same = step_same or out
    assert out == step_same, c
oracle_case("agg-timeline-step-5m", "timeline", ["data/attesto.log"], "csv",
            extra_args=" --set step=5m", params={"step": "5m"},
            extra="\n--set step=5m: the 60 events, 03:01:00 to 03:02:59, "
            "fall in the one bucket\n03:00:00-03:05:00 (5-minute buckets "
            "aligned to the epoch).\n")
TIMES = ["data/agg/timeline-times.log"]
TIMES_NOTE = ("\ndata/agg/timeline-times.log: one line per time form "
              "(RFC 3339 with Z, an offset,\n7 decimals; zerolog's epoch s "
              "and \"t\" key, pino's epoch ms, Go's time.Time.String(),\n"
              "nginx's $time_local, an epoch-second string) across the new "
              "year 2026/2027\n(data/agg/make-data.py gives each line's "
              "instant), and two lines with no usable\ntime: no time field, "
              "and ts \"yesterday\". oracle.py reads the times with\n"
              "python's datetime, strptime and Decimal. The two lines "
              "without a time form one\nrow whose time is null, first "
              "(null sorts first): the lines column adds up\nto the 12 "
              "JSON lines. The year's last 100 ns (23:59:59.9999999) stay "
              "in 2026.\n")
oracle_case("agg-timeline-times", "timeline", TIMES, "csv",
            extra=TIMES_NOTE)
oracle_case("agg-timeline-times-table", "timeline", TIMES, "table",
            extra=TIMES_NOTE + "The null time prints as \"-\"; errors "
            "charted (SPEC 3.4), bars scale the\nmaximum to 20 cells.\n")
oracle_case("agg-timeline-times-json", "timeline", TIMES, "json",
            extra=TIMES_NOTE + "In JSON the time of that row is null.\n")
oracle_case("agg-timeline-times-1d", "timeline", TIMES, "csv",
            extra_args=" --set step=1d", params={"step": "1d"},
            extra=TIMES_NOTE + "--set step=1d: days in UTC, the offset "
            "line of 09:00+09:00 on 1 January\nis 00:00Z, in 2027.\n")
oracle_case("agg-timeline-times-250ms", "timeline", TIMES, "csv",
            extra_args=" --set step=250ms", params={"step": "250ms"},
            extra=TIMES_NOTE + "--set step=250ms: a step that is not whole "
            "seconds prints three decimals.\n")

# ---- formats of aggregations -----------------------------------------

oracle_case("agg-json-slo-assertions", "slo", ["data/attesto.log"], "json",
            extra="\nEvery number prints the same way in a document: an "
            "assertion's values as\nthe rows print them (1500, not 1500.0; "
            "17.54385964912281, the shortest\nround-trip form, as in the "
            "row).\n")
oracle_case("agg-json-stats-fly", "status", ["data/fly.log"], "json",
            extra="\nstats: 62 lines (wc -l data/fly.log), 60 JSON objects "
            "(grep -c '{' data/fly.log),\n2 skipped (the runner and proxy "
            "lines); percentiles exact.\n")
oracle_case("agg-ndjson-status", "status", ["data/attesto.log"], "ndjson",
            extra="\nOne object a row, \"query\" first, then the columns "
            "in order.\n")
oracle_case("agg-tsv-three-queries", "error-summary,tenant-volume,status",
            ["data/attesto.log"], "tsv", extra="\nSeveral queries: "
            "each header and row starts with the query's name.\n")
oracle_case("agg-csv-latency-status", "latency,status", ["data/attesto.log"],
            "csv", extra="\nTwo queries named on the command line: each "
            "header and row starts with the\nquery's name.\n")
oracle_case("agg-markdown-slo", "slo", ["data/attesto.log"], "markdown",
            extra="\nMarkdown: a ### heading and a GitHub table per query, "
            "then the failed\nassertions.\n")
oracle_case("agg-markdown-status", "status", ["data/attesto.log"],
            "markdown")

# One pass: stdin from a pipe can be read once only.
oracle_case("agg-report-one-pass-pipe", "ops-report", ["data/attesto.log"],
            "csv", pipe=True, extra="\nThe input comes through a pipe, "
            "which can be read once: the five queries\nof the report "
            "all see the 60 events, so they shared one pass.\n")
oracle_case("agg-queries-one-pass-pipe", "error-summary,tenant-volume",
            ["data/attesto.log"], "csv", pipe=True,
            extra="\nQUERY1,QUERY2 over a pipe: one read feeds both.\n")

# slo with --set making it pass.
sets = {"max_5xx_pct": 20, "max_p99_ms": 2000, "max_denials": 10}
oracle_case("agg-slo-set-pass", "slo", ["data/attesto.log"], "csv",
            extra_args="".join(" --set %s=%s" % kv for kv in sets.items()),
            params=sets, extra="\n17.544 < 20, 1500 < 2000 on every route, "
            "7 <= 10: every assertion holds,\nexit 0.\n")
oracle_case("agg-slo-set-partial", "slo", ["data/attesto.log"], "csv",
            extra_args=" --set max_p99_ms=2000", params={"max_p99_ms": 2000},
            extra="\nOnly the latency threshold raised: slo-5xx and "
            "slo-rate-limited still fail.\n")

# ---- no-secrets: a positive line and a near miss per family -----------

FAMILY = {
    "pem": ("private_keys", "RSA PRIVATE KEY header; PUBLIC KEY header"),
    "service-account": ("service_account_keys", "private_key_id of 40 hex "
                        "inside escaped JSON; one of 8 hex"),
    "bearer": ("bearer_tokens", "Bearer <JWT>; 'missing Bearer token'"),
    "api-key": ("api_keys", "sk_live_...; sk_test_..."),
    "aws": ("aws_key_ids", "AKIA + 16 base32; AWS's documentation key "
            "AKIAIOSFODNN7EXAMPLE"),
    "whsec": ("webhook_secrets", "whsec_ + 32; 'whsec_...'"),
    "webhook-field": ("webhook_secrets", '"webhook_secret":"s3cr3t-value-123";'
                      ' "webhook_secret":"***"'),
}
for fam, (col, what) in FAMILY.items():
    f = "data/agg/secrets-%s.log" % fam
    oracle_case("agg-no-secrets-%s" % fam, "no-secrets", [f], "csv",
                extra="\nLine 1 must match, line 2 is a near miss (%s):\n"
                "%s is 1, the other counts 0; one assertion fails, exit 1.\n"
                "grep -cP per pattern of queries/no-secrets.yaml on %s gives "
                "the same.\n" % (what, col, f))
oracle_case("agg-no-secrets-clean", "no-secrets",
            ["data/agg/secrets-clean.log"], "csv",
            extra="\nEvery near miss of the secrets-*.log files and nothing "
            "else: all counts 0,\nexit 0.\n")

# ---- aggregate functions via -e (data/agg/fn.log) ---------------------

FN = "data/agg/fn.log"
NUM = "(.x | numbers)"
jq_case("agg-fn-count", "'{group_by: g, aggregate: {n: count()}}'",
        ["g", "n"], "group_by(.g) | map([.[0].g, length])", [FN])
jq_case("agg-fn-count-if",
        "'{group_by: g, aggregate: {pos: count_if(x > 0)}}'", ["g", "pos"],
        "group_by(.g) | map([.[0].g, (map(.x | if type == \"string\" and "
        "test(\"^-?[0-9]+$\") then tonumber else . end | select(type == "
        "\"number\" and . > 0)) | length)])", [FN],
        note='"12" > 0 compares numerically (SPEC 3.2): the string counts.')
jq_case("agg-fn-sum", "'{group_by: g, aggregate: {s: sum(x)}}'",
        ["g", "s"], "group_by(.g) | map([.[0].g, (map(%s) | add)])" % NUM,
        [FN], note="Only JSON numbers are summed: \"12\", null and a "
        "missing x are ignored (SPEC 3.3).")
jq_case("agg-fn-avg", "'{group_by: g, aggregate: {a: avg(x)}}'",
        ["g", "a"], "group_by(.g) | map([.[0].g, (map(%s) | add / length)])"
        % NUM, [FN])
jq_case("agg-fn-min", "'{group_by: g, aggregate: {m: min(x)}}'",
        ["g", "m"], "group_by(.g) | map([.[0].g, (map(%s) | min)])" % NUM,
        [FN])
jq_case("agg-fn-max", "'{group_by: g, aggregate: {m: max(x)}}'",
        ["g", "m"], "group_by(.g) | map([.[0].g, (map(%s) | max)])" % NUM,
        [FN])
jq_case("agg-fn-distinct", "'{group_by: g, aggregate: {d: distinct(name)}}'",
        ["g", "d"], "group_by(.g) | map([.[0].g, (map(.name) | unique | "
        "length)])", [FN])
jq_case("agg-fn-distinct-null", "'{aggregate: {n: count(), d: distinct(t)}}'",
        ["n", "d"], "[[length, (map(.t | values) | unique | length)]]",
        ["data/agg/distinct.log"],
        note="Distinct values: \"x\", \"y\", 1, \"1\" (a number and a string "
        "differ). A null t\nand a missing t are no value (exists() is false) "
        "and are not counted, as\nin SQL COUNT(DISTINCT).")
jq_case("agg-fn-first-last",
        "'{group_by: g, aggregate: {f: first(name), l: last(name)}}'",
        ["g", "f", "l"], "group_by(.g) | map([.[0].g, .[0].name, "
        ".[-1].name])", [FN])
jq_case("agg-fn-min-by-max-by",
        "'{group_by: g, aggregate: {lo: \"min_by(name, y)\", "
        "hi: \"max_by(name, y)\"}}'", ["g", "lo", "hi"],
        "group_by(.g) | map([.[0].g, (min_by(.y) | .name), "
        "(max_by(.y) | .name)])", [FN], note="No ties in y within a group.")
jq_case("agg-fn-min-by-ties",
        "'{aggregate: {lo: \"min_by(name, y)\", hi: \"max_by(name, y)\"}}'",
        ["lo", "hi"], "map(select(.y)) | [(min_by(.y) | .name), ((map(.y) | max) as $m | "
        "map(select(.y == $m)) | .[0].name)] | [.]",
        ["data/agg/by.log"],
        note="Ties: the earliest line of the least / greatest y, for both "
        "min_by and\nmax_by (first-low, high). jq's own max_by would take "
        "the last (second-high);\nlogq keeps the earliest so that -j N "
        "and merge agree. A line without y\nis ignored.")
jq_case("agg-fn-percentiles",
        "'{aggregate: {p50: p50(x), p90: p90(x), p95: p95(x), p99: p99(x), "
        "p999: p999(x), p7: \"percentile(x, 7)\", p100: \"percentile(x, "
        "100)\", p01: \"percentile(x, 0.1)\"}}'",
        ["p50", "p90", "p95", "p99", "p999", "p7", "p100", "p01"],
        "[map(.x) | sort | . as $v | [50, 90, 95, 99, 99.9, 7, 100, 0.1] | "
        "map($v[((. * 1000 * ($v|length) / 100000) | ceil) - 1])]",
        ["data/agg/pct-n100.log"],
        note="Nearest rank on 1..100 shuffled: rank ceil(q/100*100) = q, "
        "so p999 is 100\n(rank ceil(99.9)) and percentile(x, 0.1) is 1. "
        "percentile(x, 7) must be 7:\n7/100*100 in doubles is "
        "7.000000000000001, whose ceil would give rank 8.\n(jq computes "
        "the rank as q*1000*n/100000, exact in doubles here.)")

PCT_E = ("'{aggregate: {n: count(), p50: p50(x), p90: p90(x), p99: p99(x), "
         "pmax: \"percentile(x, 100)\"}}'")
for nm, what in [("n0", "no numeric value (x absent, null or a string): "
                  "percentiles are null"),
                 ("n1", "one value: every percentile is it"),
                 ("n2", "two values: p50 is rank ceil(1) = 1, the smaller; "
                  "p90 rank 2"),
                 ("ties", "repeated values: sorted 1 1 3 3 5 5 5, p50 rank "
                  "4 = 3"),
                 ("neg", "negatives and reals: sorted -10 -3.5 -1 0 2 7.25"),
                 ("mixed", "strings, booleans, null, objects and lists are "
                  "ignored: values 4 2 8")]:
    f = "data/agg/pct-%s.log" % nm
    rows = jq("length as $n | [map(.x | numbers) | sort | . as $v | [50, 90, "
              "99, 100] | map(if ($v|length) == 0 then null else "
              "$v[((. * ($v|length) / 100) | ceil) - 1] end)] | [$n] + "
              ".[0] | [.]", f)
    prog = ("length as $n | [map(.x | numbers) | sort | . as $v | [50, 90, "
            "99, 100] | map(if ($v|length) == 0 then null else "
            "$v[((. * ($v|length) / 100) | ceil) - 1] end)] | [$n] + "
            ".[0] | [.]")
    case("agg-pct-%s" % nm, '"$LOGQ" -f csv -e %s %s' % (PCT_E, f),
         csv_of(["n", "p50", "p90", "p99", "pmax"], rows),
         "Expected row: %s\n(count of lines, then the nearest-rank p50, p90, "
         "p99, p100 of the numbers).\n%s.\n" % (jq_cmd(prog, f), what))

case("agg-pct-empty-input",
     '"$LOGQ" -f csv -e %s </dev/null' % PCT_E,
     csv_of(["n", "p50", "p90", "p99", "pmax"],
            [[0, None, None, None, None]]),
     "SPEC 3.3: a query with aggregate and no group_by yields exactly one "
     "row, even\non empty input: count() 0, percentiles of nothing null "
     "(empty cells in CSV).\n")
case("agg-empty-input-one-row",
     "\"$LOGQ\" -f json -e '{aggregate: {n: count(), a: avg(latency_ms)}}' "
     "</dev/null",
     '{"queries":[\n{"name":"query","columns":["n","a"],"rows":[\n'
     '{"n":0,"a":null}\n],"assertions":[]}\n],"stats":{"lines":0,"json":0,'
     '"skipped":0,"joined":0,"repaired":0},"percentiles":"exact"}\n',
     "SPEC 3.3: no group_by, empty input: one row, count() 0, avg null. "
     "stats all 0.\n")
case("agg-empty-match-one-row",
     "\"$LOGQ\" -f csv -e '{where: \"status == 999\", aggregate: {n: "
     "count(), a: avg(latency_ms)}}' data/attesto.log",
     "n,a\n0,\n",
     "jq -s 'map(select(.status == 999)) | [length, (map(.latencyMs) | "
     "if length == 0 then null else add/length end)]' data/attesto.log\n"
     "gives [0,null]: no line matches, still one row (SPEC 3.3).\n")
case("agg-slo-empty-input-fails",
     '"$LOGQ" -f csv slo </dev/null',
     "query,requests,errors_5xx,pct_5xx\nslo-5xx,0,0,\n\n"
     "query,route,requests,p99_ms\n\nquery,denials\nslo-rate-limited,0\n",
     "slo on no input: slo-5xx and slo-rate-limited have no group_by, so "
     "one row\neach (SPEC 3.3). pct_5xx = 100.0*0/0 is null (division by "
     "zero gives null,\nlogq-query(5)), and null < 0.1 is false (SPEC 3.2), "
     "so the check fails, as\nqueries/slo.yaml says: \"a check that saw "
     "nothing has not passed\".\nslo-latency groups by route: no line, "
     "no group, so its assertion met no\nrow and that is said on stderr "
     "before the failures (SPEC 3.7, \"A query\nwhose assertions were "
     "checked against no row at all says so\").\n",
     stderr="logq: warning in query 'slo-latency': no row to check its "
     "assertion against, so it held on nothing (an empty input, or a where "
     "or having that no line passed?)\n"
     "logq: assertion failed in slo-5xx: pct_5xx < $max_5xx_pct "
     "(pct_5xx=null, $max_5xx_pct=0.1)\n", status=1)

# Sum of integers stays an integer (beyond 2^53, where doubles fail).
case("agg-sum-int-exact",
     "\"$LOGQ\" -f csv -e '{aggregate: {s: sum(n)}}' data/agg/bigint.log",
     "s\n%d\n" % sum(json.loads(l)["n"] for l in open(
         "data/agg/bigint.log")),
     "python3 -c 'import json; print(sum(json.loads(l)[\"n\"] for l in "
     "open(\"data/agg/bigint.log\")))'\n-> 9007199254740995 (python "
     "integers are exact). A double sum would give\n9007199254740994 "
     "(python3 -c 'print(int(float(9007199254740993) + 2))'); jq\nitself "
     "reads numbers as doubles, so it cannot be the oracle here.\n")
case("agg-sum-int-json",
     "\"$LOGQ\" -f ndjson -e '{group_by: g, aggregate: {s: sum(x), "
     "m: \"sum(x) * 1.5\"}}' data/agg/fn.log",
     '{"query":"query","g":"a","s":11,"m":16.5}\n'
     '{"query":"query","g":"b","s":7.5,"m":11.25}\n',
     "jq -cs 'group_by(.g) | map({g: .[0].g, s: (map(.x|numbers)|add)})' "
     "data/agg/fn.log\n-> a: 5+7-1 = 11 (ints: printed 11), b: -2.5+10 = "
     "7.5; times 1.5: 16.5, 11.25.\n")

# ---- arithmetic, $matched, group_by forms, having, sort, limit ------

A = ["data/attesto.log"]
ROUTE = "(.path | gsub(\"/[0-9]+\"; \"/:id\"))"
jq_case("agg-arith-5xx-rate",
        "'{where: \"status != null\", group_by: {route: route(path)}, "
        "aggregate: {n: count(), rate: \"count_if(status >= 500) / "
        "count()\"}}'", ["route", "n", "rate"],
        "map(select(.status)) | group_by(%s) | map([(.[0] | %s), length, "
        "((map(select(.status >= 500)) | length) / length)])"
        % (ROUTE, ROUTE), A)
jq_case("agg-matched",
        "'{where: \"status >= 400\", group_by: {status: status}, aggregate: "
        "{n: count(), of_all: $matched, pct: \"100.0 * count() / "
        "$matched\"}}'", ["status", "n", "of_all", "pct"],
        "map(select(.status >= 400)) | length as $m | group_by(.status) | "
        "map([.[0].status, length, $m, (100 * length / $m)])", A,
        note="$matched: the lines the where kept (all groups).")
jq_case("agg-group-by-expr",
        "'{group_by: \"route(path)\", aggregate: {n: count()}}'",
        ["route(path)", "n"],
        "group_by(.path | if . then gsub(\"/[0-9]+\"; \"/:id\") else . end)"
        " | map([(.[0].path | if . then gsub(\"/[0-9]+\"; \"/:id\") else . "
        "end), length])", A,
        note="One expression: its column is named by the expression as "
        "written.\nThe 3 lines without path form the null group, first "
        "(null sorts first).")
jq_case("agg-group-by-list",
        "'{group_by: [method, status], aggregate: {n: count()}}'",
        ["method", "status", "n"],
        "group_by([.method, .status]) | map([.[0].method, .[0].status, "
        "length])", A,
        note="A list: one column per expression, the key ordered by "
        "method, then status\n(numbers numerically).")
jq_case("agg-group-by-mapping",
        "'{group_by: {verb: method, code: status}, aggregate: {n: "
        "count()}}'", ["verb", "code", "n"],
        "group_by([.method, .status]) | map([.[0].method, .[0].status, "
        "length])", A)
jq_case("agg-having",
        "'{group_by: tenant, aggregate: {n: count(), e: count_if(status >= "
        "500)}, having: \"e >= 2 and n < 17\"}'", ["tenant", "n", "e"],
        "group_by(.tenantId) | map([.[0].tenantId, length, "
        "(map(select(.status >= 500)) | length)]) | map(select(.[2] >= 2 "
        "and .[1] < 17))", A)
jq_case("agg-sort-asc-ties",
        "'{where: \"status != null\", group_by: {code: status, verb: "
        "method}, aggregate: {n: count()}, sort: n}'",
        ["code", "verb", "n"],
        "map(select(.status)) | group_by([.status, .method]) | map([.[0]."
        "status, .[0].method, length]) | sort_by(.[2], .[0], .[1])", A,
        note="sort: n ascending; equal n ordered by the group key (code, "
        "then verb),\nSPEC 4.1.")
jq_case("agg-sort-desc-ties",
        "'{where: \"status != null\", group_by: {code: status, verb: "
        "method}, aggregate: {n: count()}, sort: \"-n\"}'",
        ["code", "verb", "n"],
        "map(select(.status)) | group_by([.status, .method]) | map([.[0]."
        "status, .[0].method, length]) | sort_by(-.[2], .[0], .[1])", A,
        note="Descending n; ties still by the group key ascending.")
jq_case("agg-sort-two-columns",
        "'{where: \"status != null\", group_by: {verb: method, code: "
        "status}, aggregate: {n: count(), e: count_if(status >= 500)}, sort: "
        "[verb, \"-n\"]}'", ["verb", "code", "n", "e"],
        "map(select(.status)) | group_by([.method, .status]) | map([.[0]."
        "method, .[0].status, length, (map(select(.status >= 500)) | "
        "length)]) | sort_by(.[0], -.[2], .[1])", A)
jq_case("agg-limit",
        "'{group_by: tenant, where: \"tenant != null\", aggregate: {n: "
        "count()}, sort: \"-n\", limit: 2}'", ["tenant", "n"],
        "map(select(.tenantId)) | group_by(.tenantId) | map([.[0].tenantId,"
        " length]) | sort_by(-.[1], .[0]) | .[:2]", A)
jq_case("agg-count-empty-object", "'{aggregate: {n: count()}}'", ["n"],
        "[[length]]", ["data/agg/empty-object.log"],
        note="All 5 lines are JSON objects: {}, {\"a\":1}, { }, {} after "
        "a blank, {} with\na CRLF ending. An empty object is an object: "
        "count() is 5, nothing is\nskipped (jq reads the 5 too).")

# ---- assertions -------------------------------------------------------

case("agg-assert-pass",
     "\"$LOGQ\" -f csv -e '{group_by: tenant, where: \"tenant != null\", "
     "aggregate: {n: count()}, assert: [\"n >= 13\", \"n < 18\"]}' "
     "data/attesto.log",
     csv_of(["tenant", "n"], jq("map(select(.tenantId)) | group_by("
                                ".tenantId) | map([.[0].tenantId, length])",
                                *A)),
     "jq -cs 'map(select(.tenantId)) | group_by(.tenantId) | map([.[0]."
     "tenantId, length])' data/attesto.log\n-> 15, 17, 13: every "
     "assertion holds on every row, exit 0, nothing on stderr.\n")
rows = jq("map(select(.tenantId)) | group_by(.tenantId) | "
          "map([.[0].tenantId, length, (map(select(.status >= 500)) | "
          "length)])", *A)
case("agg-assert-fail-group-key",
     "\"$LOGQ\" -f csv -e '{name: per-tenant, group_by: {tenant: tenant}, "
     "where: \"tenant != null\", aggregate: {n: count(), e5: count_if(status "
     ">= 500)}, assert: [\"e5 < 3\", \"n > 0\"]}' data/attesto.log",
     csv_of(["tenant", "n", "e5"], rows),
     "jq -cs 'map(select(.tenantId)) | group_by(.tenantId) | map([.[0]."
     "tenantId, length, (map(select(.status >= 500)) | length)])' "
     "data/attesto.log\n-> only tenant_initech has 3 5xx: one failure line "
     "(value, then group key),\nafter the results; exit 1 (SPEC 3.7).\n",
     stderr="".join("logq: assertion failed in per-tenant: e5 < 3 (e5=%d, "
                    "tenant=%s)\n" % (r[2], r[0]) for r in rows
                    if not r[2] < 3), status=1)
case("agg-assert-skipped-lines",
     "\"$LOGQ\" -f csv -e '{aggregate: {n: count()}, assert: [\"$skipped <= "
     "$lines * 0.01\"]}' data/fly.log",
     "n\n60\n",
     "wc -l data/fly.log -> 62 lines; grep -vc '{' data/fly.log -> 2 "
     "skipped (fly's runner\nand proxy lines). 2 <= 0.62 is false: exit 1. "
     "The failure names the values\ninvolved (SPEC 3.7), here the input "
     "statistics $skipped and $lines, in the\norder they appear.\n",
     stderr="logq: 62 lines read, 2 skipped (2 not JSON, first at "
     "data/fly.log:1)\nlogq: assertion failed in query: $skipped <= $lines "
     "* 0.01 ($skipped=2, $lines=62)\n", status=1)
case("agg-assert-skipped-pass",
     "\"$LOGQ\" -f csv -e '{aggregate: {n: count()}, assert: [\"$skipped <= "
     "$lines * 0.05\", \"$json == n\"]}' data/fly.log",
     "n\n60\n",
     "62 lines, 2 skipped: 2 <= 3.1 holds; $json 60 == count() 60. Exit 0; "
     "stderr only\nthe skipped-lines summary.\n",
     stderr="logq: 62 lines read, 2 skipped (2 not JSON, first at "
     "data/fly.log:1)\n")

# ---- table chart, prometheus, junit, refusals -------------------------

res = oracle.Result("by-tenant", ["tenant", "n", "p50"], 1, [
    [r[0], r[1], r[2]] for r in jq(
        "map(select(.tenantId)) | group_by(.tenantId) | map([.[0].tenantId, "
        "length, (map(.latencyMs) | sort | .[((length * 50 / 100) | ceil) "
        "- 1])]) | sort_by(-.[1], .[0])", *A)])
case("agg-table-chart",
     "\"$LOGQ\" -e '{name: by-tenant, where: \"tenant != null\", group_by: "
     "tenant, aggregate: {n: count(), p50: p50(latency_ms)}, sort: \"-n\", "
     "chart: n}' data/attesto.log",
     oracle.render_table([res], {"by-tenant": "n"}),
     "jq -cs 'map(select(.tenantId)) | group_by(.tenantId) | map([.[0]."
     "tenantId, length, (map(.latencyMs) | sort | .[((length * 50 / 100) | "
     "ceil) - 1])]) | sort_by(-.[1], .[0])' data/attesto.log\n-> 17, 15, "
     "13. Bars: n/17*20 cells in eighths: 20, 17 5/8, 15 2/8.\n")

inp = oracle.Input(A)
r = oracle.q_status(inp, {})[0]
prom = []
for i, col in enumerate(r.columns[1:], 1):
    metric = "logq_status_" + col
    prom.append("# HELP %s logq query status, column %s" % (metric, col))
    prom.append("# TYPE %s gauge" % metric)
    for row in r.rows:
        prom.append('%s{route="%s"} %s' % (metric, row[0],
                                            oracle.jnum(row[i])))
prom_tail = ["# HELP logq_lines_total Lines logq read.",
             "# TYPE logq_lines_total counter",
             'logq_lines_total{queries="%s"} %d',
             "# HELP logq_skipped_lines_total Lines logq skipped (no JSON "
             "object).", "# TYPE logq_skipped_lines_total counter",
             'logq_skipped_lines_total{queries="%s"} %d']


def tail(lines, skipped, queries):
    """SPEC 5: the counters are labelled with the run's queries, so that
    the textfiles of several runs share a collector directory."""
    return [l % (queries, lines) if l.startswith("logq_lines_total") else
            l % (queries, skipped)
            if l.startswith("logq_skipped_lines_total{") else l
            for l in prom_tail]


PROM_ORIGIN = ("\nThe expected text passes python3 data/agg/promcheck.py (the "
               "text exposition\ngrammar: HELP/TYPE lines, metric and label "
               "names, escaped label values,\nfloat samples, one TYPE per "
               "family before its samples, no duplicate series)\nand "
               "promtool check metrics (apt-get install prometheus), when "
               "installed.\n")
case("agg-prometheus-status", '"$LOGQ" -f prometheus status data/attesto.log',
     "".join(l + "\n" for l in prom + tail(60, 0, "status")),
     "Numbers: python3 data/agg/oracle.py -f csv status data/attesto.log\n"
     "Each numeric column is logq_status_<column> with route as label; "
     "query names\nand columns map - to _ (slo-5xx -> logq_slo_5xx_...)."
     + PROM_ORIGIN)
labels = jq("group_by(.k) | map([.[0].k, length])", "data/agg/labels.log")


def esc(s):
    return s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


case("agg-prometheus-labels",
     "\"$LOGQ\" -f prometheus -e '{group_by: k, aggregate: {n: count()}}' "
     "data/agg/labels.log",
     "".join(l + "\n" for l in
             ["# HELP logq_query_n logq query query, column n",
              "# TYPE logq_query_n gauge"]
             + ['logq_query_n{k="%s"} %d' % (esc(k), n) for k, n in labels]
             + tail(4, 0, "query")),
     "jq -cs 'group_by(.k) | map([.[0].k, length])' data/agg/labels.log\n"
     "-> [\"a\\\\b\",1], [\"say \\\"hi\\\"\",2], [\"two\\nlines\",1]. Label "
     "values escape \\ as \\\\,\n\" as \\\" and a newline as \\n (text "
     "exposition format)." + PROM_ORIGIN)
denials = jq("map(select(.error == \"RATE_LIMITED\" or .status == 429)) "
             "| group_by(.tenantId) | map([.[0].tenantId, length])", *A)
case("agg-prometheus-null-label",
     "\"$LOGQ\" -f prometheus -e '{name: denied, where: \"status == 429\", "
     "group_by: tenant, aggregate: {n: count()}}' data/attesto.log",
     "".join(l + "\n" for l in
             ["# HELP logq_denied_n logq query denied, column n",
              "# TYPE logq_denied_n gauge"]
             + ['logq_denied_n{tenant="%s"} %d' % (k or "", n)
                for k, n in denials] + tail(60, 0, "denied")),
     "jq -cs 'map(select(.error == \"RATE_LIMITED\" or .status == 429)) | "
     "group_by(.tenantId) |\nmap([.[0].tenantId, length])' data/attesto.log "
     "-> null 1, acme 2, globex 3, initech 1\n(every 429 is a RATE_LIMITED "
     "line here). A null group key is the empty\nlabel value, which "
     "Prometheus reads as the label being absent. Rows in\ngroup key order "
     "(no sort), null first." + PROM_ORIGIN)
TYPED = "data/agg/typed-keys.log"
with open(TYPED, "w") as fh:
    fh.write('{"s":200}\n{"s":"200"}\n{"s":"200"}\n{"s":null}\n{"s":""}\n'
             '{"s":"a\\u0000b"}\n{"s":"a"}\n{"s":true}\n{"s":"true"}\n'
             '{"s":"1e3"}\n{"s":"/x"}\n')
typed = {}
for l in open(TYPED):
    v = json.loads(l)["s"]
    typed[(type(v).__name__, v)] = typed.get((type(v).__name__, v), 0) + 1


def looks_typed(v):
    """A string that prints like a number, boolean, null or JSON."""
    if v in ("", "true", "false", "null") or v[0] in "{[":
        return True
    try:
        float(v)
        return True
    except ValueError:
        return False


def typed_label(v):
    lab = 's="%s"' % esc(oracle.text(v))
    if isinstance(v, str) and looks_typed(v):
        lab += ',s_type="string"'
    return lab


case("agg-prometheus-typed-keys",
     "\"$LOGQ\" -f prometheus -e '{group_by: s, aggregate: {n: count()}}' "
     + TYPED,
     "".join(l + "\n" for l in
             ["# HELP logq_query_n logq query query, column n",
              "# TYPE logq_query_n gauge"]
             + ["logq_query_n{%s} %d" % (typed_label(v), c) for (_, v), c in
                sorted(typed.items(), key=lambda kv: oracle.order_key(
                    kv[0][1]))] + tail(11, 0, "query")),
     "Group keys of different JSON types that print alike (200 and \"200\","
     "\ntrue and \"true\", null and \"\") are different groups; a string "
     "that reads like\na number, boolean, null or JSON gets the label "
     "s_type=\"string\" as well, so\nno two series share their labels. A NUL "
     "in a value stays in the label value\n(the text format escapes only \\, "
     "\" and newline), not cut short. Counts:\njq -c '.s' " + TYPED +
     " | sort | uniq -c; rows in group key\norder: null, booleans, numbers, "
     "strings bytewise." + PROM_ORIGIN)
case("agg-prometheus-skipped",
     "\"$LOGQ\" -f prometheus -e '{aggregate: {n: count()}}' data/fly.log",
     "".join(l + "\n" for l in
             ["# HELP logq_query_n logq query query, column n",
              "# TYPE logq_query_n gauge", "logq_query_n 60"]
             + tail(62, 2, "query")),
     "wc -l data/fly.log -> 62; grep -c '{' -> 60 objects; 2 skipped "
     "lines counted\nin logq_skipped_lines_total." + PROM_ORIGIN,
     stderr="logq: 62 lines read, 2 skipped (2 not JSON, first at "
     "data/fly.log:1)\n")
case("agg-prometheus-refuses-listing",
     '"$LOGQ" -f prometheus errors data/attesto.log', "",
     "prometheus exports aggregations; errors is a listing: usage error, "
     "exit 2,\nnothing on stdout.\n",
     stderr="logq: format 'prometheus' exports aggregations, and 'errors' "
     "is a listing; use ndjson or raw for it\n", status=2)
case("agg-raw-refuses-aggregation",
     '"$LOGQ" -f raw status data/attesto.log', "",
     "raw prints listing lines; status aggregates: usage error, exit 2.\n",
     stderr="logq: format 'raw' prints the lines of listing queries, and "
     "'status' aggregates; use table, json, csv, ...\n", status=2)


def xesc(s):
    return (s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


jval = oracle.jval


def junit(results):
    """SPEC 5: a case is named by the assertion and the row's group key,
    never the values; they go in the failure's message and text."""
    suites, total, fails = [], 0, 0
    for res in results:
        cases = []
        if not res.outcomes:
            cases.append('<testcase classname="logq.%s" name="%s"/>'
                         % (xesc(res.name), xesc(res.name)))
        for t, passed, key, vals in res.outcomes:
            name = t
            if key:
                name += " [%s]" % ", ".join(
                    "%s=%s" % (k, v if isinstance(v, str) else jval(v))
                    for k, v in key.items())
            if passed:
                cases.append('<testcase classname="logq.%s" name="%s"/>'
                             % (xesc(res.name), xesc(name)))
            else:
                d = oracle.detail(vals, key)
                cases.append('<testcase classname="logq.%s" name="%s">\n'
                             '<failure type="assertion" message="assertion '
                             'failed in %s: %s (%s)">%s</failure>'
                             '\n</testcase>' % (xesc(res.name), xesc(name),
                                                xesc(res.name), xesc(t),
                                                xesc(d), xesc(d)))
        nf = sum(1 for o in res.outcomes if not o[1])
        suites.append('<testsuite name="%s" tests="%d" failures="%d" '
                      'errors="0">\n%s\n</testsuite>'
                      % (xesc(res.name), len(cases), nf, "\n".join(cases)))
        total, fails = total + len(cases), fails + nf
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="logq" '
            'tests="%d" failures="%d" errors="0">\n%s\n</testsuites>\n'
            % (total, fails, "\n".join(suites)))


JUNIT_ORIGIN = ("\nWell-formed: python3 -c 'import sys, xml.etree.ElementTree "
                "as E; t = E.parse(sys.argv[1]).getroot(); assert t.tag == "
                "\"testsuites\"; print(t.get(\"tests\"), t.get(\"failures\"), "
                "len(t.findall(\".//testcase\")), len(t.findall(\".//failure"
                "\")))' stdout\n(run in the case folder) prints the counts "
                "above; make-cases.py parses it too.\nValid JUnit: xmllint "
                "--noout --schema ../../../junit-10.xsd stdout\n(the Jenkins "
                "xunit plugin's schema; tests/formats.sh runs it).\n")
inp = oracle.Input(A)
slo = oracle.q_slo(inp, {})
out, err, _ = oracle.run("slo", A, "csv")
case("agg-junit-slo", '"$LOGQ" -f junit slo data/attesto.log', junit(slo),
     "Numbers: python3 data/agg/oracle.py -f csv slo data/attesto.log.\n"
     "One test case per assertion and row: 1 + 4 + 1 = 6, all failing." +
     JUNIT_ORIGIN, stderr=err, status=1)
inp = oracle.Input(["data/agg/secrets-clean.log"])
case("agg-junit-pass", '"$LOGQ" -f junit no-secrets,tenant-volume '
     'data/agg/secrets-clean.log',
     junit(oracle.q_no_secrets(inp, {}) + oracle.q_tenant_volume(inp, {})),
     "no-secrets on the near misses: fourteen passing cases (one per "
     "assertion, one row);\ntenant-volume has no assertion: one passing case "
     "named after the query.\n15 tests, 0 failures, exit 0.\n\n"
     "stderr: tenant-volume reads tenant and path in its where, and no line "
     "of\nsecrets-clean.log has a tenantId/tenant_id/tenant or path/route/"
     "url/... key\n(jq -c keys data/agg/secrets-clean.log | sort -u), so "
     "logq warns that the\nquery saw none of its fields." + JUNIT_ORIGIN,
     stderr="logq: warning in query 'tenant-volume': no line has any of the "
     "fields tenant, path that its where reads; is a name misspelt? ('logq "
     "--fields' lists the aliases)\n")

# ---- reports ----------------------------------------------------------

REPORT = "data/agg/nightly.yaml"
with open(REPORT, "w") as fh:
    fh.write("""\
# A report for the agg-report-* cases: an inline query, a built-in report
# included with parameters set, and a built-in query renamed.
name: nightly
description: levels, the SLO with relaxed thresholds, tenants
queries:
  - name: by-level
    group_by:
      level: lower(level)
    aggregate:
      n: count()
  - use: slo
    set: {max_p99_ms: 2000, max_5xx_pct: 20, max_denials: 10}
  - use: tenant-volume
    name: tenants
""")
levels = jq("group_by(.level) | map([.[0].level, length])", *A)
inp = oracle.Input(A)
slo = oracle.q_slo(inp, sets)
tv = oracle.q_tenant_volume(inp, {})[0]
tv.name = "tenants"
res = [oracle.Result("by-level", ["level", "n"], 1, levels)] + slo + [tv]
case("agg-report-file", '"$LOGQ" -f csv %s data/attesto.log' % REPORT,
     oracle.render_sv(res, ",", oracle.csv_cell),
     "by-level: jq -cs 'group_by(.level) | map([.[0].level, length])' "
     "data/attesto.log\nslo with max_p99_ms=2000 max_5xx_pct=20 "
     "max_denials=10: python3 data/agg/oracle.py\n-f csv --set max_p99_ms=2000"
     " --set max_5xx_pct=20 --set max_denials=10 slo data/attesto.log\n"
     "tenants: python3 data/agg/oracle.py -f csv tenant-volume "
     "data/attesto.log, renamed.\nThe set: makes slo pass: exit 0.\n")
case("agg-report-file-pipe",
     'cat data/attesto.log | "$LOGQ" -f csv %s -' % REPORT,
     oracle.render_sv(res, ",", oracle.csv_cell),
     "As agg-report-file, with the input through a pipe that can be read "
     "once:\nall five queries see the 60 events in one pass.\n")

# ---- checks on the generated expectations ------------------------------

import xml.etree.ElementTree as ET  # noqa: E402
for nm in ("agg-junit-slo", "agg-junit-pass"):
    t = ET.parse(os.path.join(CASES, nm, "stdout")).getroot()
    assert t.tag == "testsuites"
    assert int(t.get("tests")) == len(t.findall(".//testcase")), nm
    assert int(t.get("failures")) == len(t.findall(".//failure")), nm
for nm in ("agg-prometheus-status", "agg-prometheus-labels",
           "agg-prometheus-skipped", "agg-prometheus-null-label"):
    out = os.path.join(CASES, nm, "stdout")
    subprocess.check_call(["python3", "data/agg/promcheck.py", out])
    if shutil.which("promtool"):
        ver = subprocess.run(["promtool", "--version"], capture_output=True,
                             text=True).stdout.split("\n")[0]
        with open(out) as fh:
            r = subprocess.run(["promtool", "check", "metrics"], stdin=fh,
                               capture_output=True, text=True)
        with open(os.path.join(CASES, nm, "ORIGIN"), "a") as fh:
            fh.write("RESULT when generated: python3 data/agg/promcheck.py "
                     "stdout: exit 0;\npromtool check metrics < stdout "
                     "(%s): exit %d %s\n" % (ver, r.returncode,
                                              (r.stdout + r.stderr).strip()))
print("%d agg-* cases written" % len(made))
