#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# bench/lib/check.py - compare the answers of bench/run's tools.
#
# Every tool's answer is read into one canonical shape per question and
# compared exactly: strings byte for byte, numbers as IEEE doubles (so
# 143 == 143.0, but 19.256543178657225 != 19.256543178657228). Rows of
# aggregations are compared as sets keyed by the group (the awk pipelines
# print in hash order); listing rows in order. A null and an empty string
# are the same cell (jq's @tsv and logq's CSV both print null as nothing).
#
#   check.py answer Q REFFMT REF FMT FILE   exit 0 identical, 1 not
#   check.py order Q LOGQ_JSON              logq's rows follow its sort:
#   check.py ops LOGQ_OPS_JSON DIR          ops-report against DIR/<q>.jq
#   check.py variant REF_JSON JSON          ops-report of two variants
#   check.py approx JQ_LATENCY LOGQ_JSON    --approx percentiles vs exact
#
# Q is errors, tenant-volume, latency or rate-limited; FMT is tsv (jq,
# gojq, Miller, mawk and DuckDB pipelines), logq-csv or logq-json.

import csv
import json
import sys

QUESTIONS = ("errors", "tenant-volume", "latency", "rate-limited")


def num(s):
    if isinstance(s, (int, float)):
        return s
    try:
        return int(s)
    except ValueError:
        return float(s)


def cell(v):
    return "" if v is None else v


def tsv_rows(path):
    with open(path, encoding="utf-8", newline="\n") as f:
        for line in f:
            yield line.rstrip("\n").split("\t")


def logq_queries(path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    return {q["name"]: q["rows"] for q in doc["queries"]}


def from_logq(q, qs):
    """Question q's answer from logq's JSON output (queries by name)."""
    if q == "tenant-volume":
        return {cell(r["tenant"]): (r["requests"], r["share_pct"],
                                    r["errors_5xx"])
                for r in qs["tenant-volume"]}
    if q == "latency":
        return {cell(r["route"]): (r["requests"], r["p50_ms"], r["p95_ms"],
                                   r["p99_ms"], r["max_ms"])
                for r in qs["latency"]}
    if q == "rate-limited":
        per = {cell(r["tenant"]): (r["denials"], r["share_pct"],
                                   cell(r["first_seen"]),
                                   cell(r["last_seen"]))
               for r in qs["rate-limited"]}
        t = qs["rate-limited-total"][0]
        return {"per-tenant": per, "total": (t["denials"], t["tenants"])}
    raise SystemExit("check.py: no JSON reader for %s" % q)


def load(q, fmt, path):
    if fmt == "logq-json":
        return from_logq(q, logq_queries(path))
    if q == "errors" and fmt == "tsv":
        return [tuple(r) for r in tsv_rows(path)]
    if q == "errors" and fmt == "logq-csv":
        with open(path, encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        return [tuple(r) for r in rows[1:]]
    if q == "tenant-volume" and fmt == "tsv":
        return {r[0]: (num(r[1]), num(r[2]), num(r[3]))
                for r in tsv_rows(path)}
    if q == "latency" and fmt == "tsv":
        return {r[0]: tuple(num(x) for x in r[1:6]) for r in tsv_rows(path)}
    if q == "rate-limited" and fmt == "tsv":
        per, total = {}, None
        for r in tsv_rows(path):
            if r[0] == "TOTAL":
                total = (num(r[1]), num(r[2]))
            else:
                per[r[0]] = (num(r[1]), num(r[2]), r[3], r[4])
        return {"per-tenant": per, "total": total}
    raise SystemExit("check.py: cannot read %s as %s" % (q, fmt))


def diff(a, b, label="", out=None):
    """Differences between a (reference) and b, as readable lines."""
    out = [] if out is None else out
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b), key=str):
            if k not in b:
                out.append("%s%s: only in reference %r" % (label, k, a[k]))
            elif k not in a:
                out.append("%s%s: only in answer %r" % (label, k, b[k]))
            else:
                diff(a[k], b[k], "%s%s: " % (label, k), out)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            out.append("%s%d rows in reference, %d in answer"
                       % (label, len(a), len(b)))
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                out.append("%srow %d: reference %r, answer %r"
                           % (label, i + 1, x, y))
    elif a != b:
        out.append("%sreference %r, answer %r" % (label, a, b))
    return out


def size(x):
    if isinstance(x, dict) and "per-tenant" in x:
        return len(x["per-tenant"])
    return len(x)


def report(diffs, n):
    if not diffs:
        print("identical (%d rows)" % n)
        return 0
    print("MISMATCH: %d difference(s)" % len(diffs))
    for d in diffs[:8]:
        print("    " + d)
    return 1


def cmd_answer(q, reffmt, ref, fmt, path):
    a = load(q, reffmt, ref)
    b = load(q, fmt, path)
    return report(diff(a, b), size(a))


SORTS = {
    "tenant-volume": ("tenant-volume", "requests", "tenant"),
    "latency": ("latency", "p99_ms", "route"),
    "rate-limited": ("rate-limited", "denials", "tenant"),
}


def cmd_order(q, path):
    name, col, key = SORTS[q]
    rows = logq_queries(path)[name]
    seq = [(-r[col], cell(r[key]).encode()) for r in rows]
    for i in range(1, len(seq)):
        if seq[i] < seq[i - 1]:
            print("NOT SORTED: row %d (%r) after row %d (%r)"
                  % (i + 1, rows[i], i, rows[i - 1]))
            return 1
    print("sorted by -%s, ties by %s" % (col, key))
    return 0


def error_summary_from_listing(rows):
    """error-summary (count, first and last time per msg and error) from
    the errors listing (ts, level, msg, error, path, tenant)."""
    out = {}
    for ts, _lv, msg, err, _p, _t in rows:
        k = (msg, err)
        if k in out:
            n, first, _ = out[k]
            out[k] = (n + 1, first, ts)
        else:
            out[k] = (1, ts, ts)
    return out


def cmd_ops(path, d):
    qs = logq_queries(path)
    status = 0
    for q in ("tenant-volume", "latency", "rate-limited"):
        ref = load(q, "tsv", "%s/%s.jq" % (d, q))
        print("  ops-report %-14s vs jq: " % q, end="")
        status |= report(diff(ref, from_logq(q, qs)), size(ref))
    ref = error_summary_from_listing(load("errors", "tsv", "%s/errors.jq" % d))
    got = {(cell(r["msg"]), cell(r["error"])):
           (r["count"], cell(r["first_seen"]), cell(r["last_seen"]))
           for r in qs["error-summary"]}
    print("  ops-report %-14s vs jq errors listing, counted: " %
          "error-summary", end="")
    status |= report(diff(ref, got), len(ref))
    return status


def strip_times(qs):
    """ops-report results without the columns whose spelling depends on
    the logger (times) or on its level names (none are grouped by)."""
    out = {}
    for name, rows in qs.items():
        out[name] = sorted(
            json.dumps({k: v for k, v in r.items()
                        if k not in ("first_seen", "last_seen")},
                       sort_keys=True)
            for r in rows)
    return out


def cmd_variant(ref, path):
    a = strip_times(logq_queries(ref))
    b = strip_times(logq_queries(path))
    return report(diff(a, b), sum(len(v) for v in a.values()))


def cmd_approx(ref, path):
    """--approx percentiles against jq's exact ones: the largest relative
    error (SPEC 4.3 promises at most 1%)."""
    a = load("latency", "tsv", ref)
    b = from_logq("latency", logq_queries(path))
    worst, where = 0.0, None
    for route, exact in a.items():
        got = b.get(route)
        if got is None or got[0] != exact[0]:
            print("MISMATCH: %s: requests %r, reference %r" %
                  (route, got and got[0], exact[0]))
            return 1
        for name, x, y in zip(("p50", "p95", "p99", "max"), exact[1:],
                              got[1:]):
            err = abs(y - x) / abs(x) if x else abs(y - x)
            if err > worst:
                worst, where = err, "%s %s: exact %r, approx %r" % (
                    route, name, x, y)
    print("largest relative error %.3f%%%s (%s)" % (
        100 * worst, "" if worst <= 0.01 else " > 1%",
        where or "none"))
    return 0 if worst <= 0.01 else 1


def main(argv):
    if len(argv) >= 2 and argv[1] == "answer" and len(argv) == 7:
        return cmd_answer(*argv[2:])
    if len(argv) == 4 and argv[1] == "order":
        return cmd_order(argv[2], argv[3])
    if len(argv) == 4 and argv[1] == "ops":
        return cmd_ops(argv[2], argv[3])
    if len(argv) == 4 and argv[1] == "approx":
        return cmd_approx(argv[2], argv[3])
    if len(argv) == 4 and argv[1] == "variant":
        return cmd_variant(argv[2], argv[3])
    sys.stderr.write("usage: check.py answer Q REFFMT REF FMT FILE | "
                     "order Q JSON | ops JSON DIR | variant REF JSON\n")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
