#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""An independent model of logq's built-in aggregation queries, for the
agg-* golden cases: it never runs logq and shares no code with it.

    python3 data/agg/oracle.py [-f FMT] [--set NAME=VALUE]... QUERY[,QUERY] FILE...

(run from tests/cli). QUERY is one of error-summary, tenant-volume,
latency, rate-limited, status, slo, no-secrets, ops-report, timeline,
each written out below by hand from its YAML in queries/; FMT is csv
(default), tsv, ndjson, json, table or markdown. It prints what logq
must print on stdout, and writes the expected stderr to the file named
by $ORACLE_STDERR and the exit status to $ORACLE_STATUS when those are
set.

The field conventions of data/make-data.py are mapped by hand (SPEC 3.5):
each canonical field is the first of its alternatives present and not
null. Percentiles are nearest-rank with exact rational arithmetic: the
value at 1-based rank ceil(q/100 * n) of the values sorted ascending.
Group keys order as jq orders values (null < false < true < numbers <
strings), rows by the sort columns, ties by the group key. Table and
markdown layout (column widths, 3 decimals, chart bars in eighths of a
block, 20 wide) follow SPEC 5 as the golden files pin it."""
import calendar, json, math, os, re, sys
from datetime import datetime, timedelta, timezone
from decimal import Decimal, ROUND_FLOOR, ROUND_HALF_UP
from fractions import Fraction

ALIASES = {
    "time": ["ts", "time", "timestamp", "@timestamp", "t", "_time"],
    "level": ["level", "lvl", "severity", "levelname"],
    "msg": ["msg", "message", "@message", "event"],
    "latency_ms": ["latencyMs", "latency_ms", "duration_ms", "durationMs",
                   "elapsed_ms", "response_time_ms", "responseTime"],
    "status": ["status", "status_code", "statusCode", "http.status_code",
               "res.statusCode"],
    "path": ["path", "route", "url", "http.path", "req.url"],
    "tenant": ["tenantId", "tenant_id", "tenant"],
    "error": ["error", "err", "error_code", "code"],
}
PINO = {10: "trace", 20: "debug", 30: "info", 40: "warn", 50: "error",
        60: "fatal"}
ERROR_LEVELS = ["error", "err", "fatal", "critical", "crit", "panic",
                "alert", "emerg", "emergency"]


def walk(o, path):
    for part in path.split("."):
        if not isinstance(o, dict) or part not in o:
            return None
        o = o[part]
    return o


def canon(o, name):
    for alt in ALIASES[name]:
        v = walk(o, alt)
        if v is not None:
            if name == "level" and alt == "level" and type(v) is int:
                v = PINO.get(v, v)
            return v
    return None


def find_object(line):
    """The JSON object of a line: the whole line, or after a prefix."""
    for i, c in enumerate(line):
        if c != "{":
            continue
        try:
            o = json.loads(line[i:])
        except ValueError:
            continue
        return o if isinstance(o, dict) else None
    return None


class Input:
    def __init__(self, files):
        self.recs, self.lines, self.skipped = [], 0, 0
        self.first_skip = None
        # Every line with something on it, JSON or not: what a query
        # that reads only _line (no-secrets) sees.
        self.texts = []
        for name in files:
            with open(name, encoding="utf-8") as f:
                for no, line in enumerate(f, 1):
                    line = line.rstrip("\n")
                    self.lines += 1
                    if line.strip(" \t\r"):
                        self.texts.append(line)
                    o = find_object(line)
                    if o is None:
                        self.skipped += 1
                        if self.first_skip is None:
                            self.first_skip = "%s:%d" % (name, no)
                        continue
                    r = {k: canon(o, k) for k in ALIASES}
                    r["_line"] = line
                    self.recs.append(r)

    def summary(self):
        if self.skipped == 0:
            return []
        return ["logq: %d lines read, %d skipped (%d not JSON, first at %s)"
                % (self.lines, self.skipped, self.skipped, self.first_skip)]


def pct(values, q):
    v = sorted(x for x in values if type(x) in (int, float))
    if not v:
        return None
    rank = math.ceil(Fraction(str(q)) / 100 * len(v))
    return v[max(rank, 1) - 1]


def route(p):
    if p is None:
        return None
    p = p.split("?")[0]
    return "/".join(":id" if re.fullmatch(r"[0-9]+", s) else s
                    for s in p.split("/"))


def order_key(v):
    if v is None:
        return (0,)
    if v is False:
        return (1,)
    if v is True:
        return (2,)
    if type(v) in (int, float):
        return (3, v)
    return (4, v.encode())


class Result:
    """One query's output: columns, rows (lists), key columns, asserts."""
    def __init__(self, name, columns, nkeys, rows, asserts=()):
        self.name, self.columns, self.nkeys = name, columns, nkeys
        self.rows, self.asserts = rows, list(asserts)
        self.outcomes = []	# (text, passed, key dict, values dict)
        for text, fn, cols, *params in self.asserts:
            for row in rows:
                d = dict(zip(columns, row))
                key = {c: d[c] for c in columns[:nkeys]}
                vals = {c: d[c] for c in cols}
                # then the parameters it reads, with their values (3.7)
                vals.update(("$" + k, v) for k, v in
                            (params[0] if params else []))
                self.outcomes.append((text, bool(fn(d)), key, vals))


def group(recs, keyfn):
    groups = {}
    for r in recs:
        groups.setdefault(keyfn(r), []).append(r)
    return groups


def sort_rows(rows, nkeys, sortspec, columns):
    rows.sort(key=lambda row: [order_key(v) for v in row[:nkeys]])
    for col in reversed(sortspec):
        desc = col.startswith("-")
        i = columns.index(col.lstrip("-"))
        rows.sort(key=lambda row: order_key(row[i]), reverse=desc)
    return rows


def lt(a, b):
    return a is not None and b is not None and a < b


def le(a, b):
    return a is not None and b is not None and a <= b


def is_error(r):
    lv = r["level"]
    return isinstance(lv, str) and lv.lower() in ERROR_LEVELS


def q_error_summary(inp, params):
    recs = [r for r in inp.recs if is_error(r)]
    rows = [[k[0], k[1], len(g), rfc3339(g[0]["time"]),
             rfc3339(g[-1]["time"])]
            for k, g in group(recs, lambda r: (r["msg"], r["error"])).items()]
    cols = ["msg", "error", "count", "first_seen", "last_seen"]
    return [Result("error-summary", cols, 2,
                   sort_rows(rows, 2, ["-count"], cols))]


def q_tenant_volume(inp, params):
    recs = [r for r in inp.recs if r["tenant"] is not None
            and r["path"] is not None]
    rows = [[k, len(g), 100.0 * len(g) / len(recs),
             sum(1 for r in g if r["status"] is not None
                 and r["status"] >= 500)]
            for k, g in group(recs, lambda r: r["tenant"]).items()]
    cols = ["tenant", "requests", "share_pct", "errors_5xx"]
    return [Result("tenant-volume", cols, 1,
                   sort_rows(rows, 1, ["-requests"], cols))]


def q_latency(inp, params):
    recs = [r for r in inp.recs if r["latency_ms"] is not None
            and r["path"] is not None]
    rows = []
    for k, g in group(recs, lambda r: route(r["path"])).items():
        lat = [r["latency_ms"] for r in g]
        rows.append([k, len(g), pct(lat, 50), pct(lat, 95), pct(lat, 99),
                     max(lat)])
    cols = ["route", "requests", "p50_ms", "p95_ms", "p99_ms", "max_ms"]
    return [Result("latency", cols, 1, sort_rows(rows, 1, ["-p99_ms"], cols))]


def denied(r):
    return r["error"] == "RATE_LIMITED" or r["status"] == 429


def q_rate_limited(inp, params):
    recs = [r for r in inp.recs if denied(r)]
    rows = [[k, len(g), 100.0 * len(g) / len(recs), rfc3339(g[0]["time"]),
             rfc3339(g[-1]["time"])]
            for k, g in group(recs, lambda r: r["tenant"]).items()]
    cols = ["tenant", "denials", "share_pct", "first_seen", "last_seen"]
    # distinct(tenant): the number of distinct values; a missing tenant is
    # no value (exists() is false for it), so it is not counted.
    tenants = len({r["tenant"] for r in recs if r["tenant"] is not None})
    return [Result("rate-limited", cols, 1,
                   sort_rows(rows, 1, ["-denials"], cols)),
            Result("rate-limited-total", ["denials", "tenants"], 0,
                   [[len(recs), tenants]])]


def is5xx(r):
    s = r["status"]
    # A whole decimal number in a string compares as the number (SPEC 3.2).
    if isinstance(s, str) and re.fullmatch(r"-?[0-9]+", s):
        s = int(s)
    return type(s) in (int, float) and 500 <= s < 600


def q_status(inp, params):
    recs = [r for r in inp.recs if r["status"] is not None
            and r["path"] is not None]
    rows = []
    for k, g in group(recs, lambda r: route(r["path"])).items():
        c = [sum(1 for r in g if lo <= r["status"] < lo + 100)
             for lo in (200, 300, 400, 500)]
        rows.append([k, len(g)] + c + [100.0 * c[3] / len(g)])
    cols = ["route", "requests", "2xx", "3xx", "4xx", "5xx", "pct_5xx"]
    return [Result("status", cols, 1, sort_rows(rows, 1, ["-requests"], cols))]


def q_slo(inp, params):
    p = {"max_5xx_pct": 0.1, "max_p99_ms": 500, "max_denials": 0}
    p.update(params)
    st = [r for r in inp.recs if r["status"] is not None]
    n5 = sum(1 for r in st if is5xx(r))
    pct5 = 100.0 * n5 / len(st) if st else None
    r1 = Result("slo-5xx", ["requests", "errors_5xx", "pct_5xx"], 0,
                [[len(st), n5, pct5]],
                [("pct_5xx < $max_5xx_pct",
                  lambda d: lt(d["pct_5xx"], p["max_5xx_pct"]), ["pct_5xx"],
                  [("max_5xx_pct", p["max_5xx_pct"])])])
    recs = [r for r in inp.recs if r["latency_ms"] is not None
            and r["path"] is not None]
    rows = [[k, len(g), pct([r["latency_ms"] for r in g], 99)]
            for k, g in group(recs, lambda r: route(r["path"])).items()]
    cols = ["route", "requests", "p99_ms"]
    r2 = Result("slo-latency", cols, 1, sort_rows(rows, 1, ["-p99_ms"], cols),
                [("p99_ms < $max_p99_ms",
                  lambda d: lt(d["p99_ms"], p["max_p99_ms"]), ["p99_ms"],
                  [("max_p99_ms", p["max_p99_ms"])])])
    den = sum(1 for r in inp.recs if denied(r))
    r3 = Result("slo-rate-limited", ["denials"], 0, [[den]],
                [("denials <= $max_denials",
                  lambda d: le(d["denials"], p["max_denials"]),
                  ["denials"], [("max_denials", p["max_denials"])])])
    return [r1, r2, r3]


# Redaction markers a value may be instead of a secret: "***", "xxx",
# "...", "[REDACTED]", "<token>", the words.
REDACTED = (r'(?!(?:\*+|x+|\.\.\.|\[[^"\\\]]*\]|<[^"\\>]*>|redacted|filtered'
            r'|masked|hidden|removed%s)\\*")')
CARD_RUN = r"([0-9](?:[ -]?[0-9]){12,18})"

SECRETS = [
    ("private_keys", r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----(?:\\+[nr]|\s)+"
     r"(?:Proc-Type:[^\\]*(?:\\+[nr])+DEK-Info:[^\\]*(?:\\+[nr])+)?"
     r"[A-Za-z0-9+/]{16,}"),
    ("service_account_keys",
     r'private_key_id\\*"\s*:\s*\\*"[0-9a-f]{16,}'),
    ("bearer_tokens", r"(?i)\bbearer\s+(?!x+\b)[A-Za-z0-9._~+/-]{20,}=*"),
    ("api_keys", r"\b(?:sk|rk)_(?:live|prod)_[0-9A-Za-z]{16,}"),
    ("aws_key_ids", r"\b(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16}\b"
     r"(?<!EXAMPLE)"),
    ("webhook_secrets", r'\bwhsec_[A-Za-z0-9+/=]{16,}'
     r'|(?i:webhook_?secret\\*"\s*:\s*\\*"' + REDACTED % ""
     + r'[^"\\]{8,})'),
    ("github_tokens", r"\bgh[pousr]_[0-9A-Za-z]{36}\b"
     r"|\bgithub_pat_[0-9A-Za-z_]{82}\b"),
    ("slack_tokens", r"\bxox[bpeos]-[0-9]{8,14}-[0-9A-Za-z-]{8,}"
     r"|\bxox[ar]-(?:[0-9]-)?[0-9A-Za-z]{8,48}\b"
     r"|\bxoxe(?:\.xox[bp])?-[0-9]-[0-9A-Za-z]{100,}"
     r"|\bxapp-[0-9]-[0-9A-Z]+-[0-9]+-[0-9a-z]+"
     r"|\bhooks\.slack\.com/(?:services|workflows|triggers)/(?!T0+/B0+/X+\b)"
     r"[A-Za-z0-9+/]{43,56}"),
    ("openai_keys", r"\bsk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,}"
     r"|\bsk-[A-Za-z0-9]{48}\b"),
    ("google_api_keys", r"\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])"),
    ("jwts", r"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}"
     r"\.[A-Za-z0-9_-]{10,}"),
    ("passwords", r'(?i)(?:password|passwd|passphrase|pwd)'
     r'\\*"\s*:\s*\\*"' + REDACTED % "|changeme" + r'[^"\\]{3,}'
     r'|\b(?:password|passwd|pwd)=(?!\*|x+\b)[^&\s"\\]{3,}'
     r'|://[^\s/:@"\\]+:(?!\*+@|x+@)[^\s/:@"\\]{3,}@'),
    ("basic_auth", r"(?i)\bauth(?:orization)?\\*[\"']?\s*[:=]\s*\\*[\"']?\s*"
     r"basic\s+[A-Za-z0-9+/]{8,}={0,2}"),
    ("card_numbers", None),
]


def luhn(s):
    """luhn() of logq-query(5): 13-19 digits, single spaces or dashes
    between them, the Luhn sum a multiple of 10."""
    if not re.fullmatch(r"[0-9](?:[ -]?[0-9])*", s):
        return False
    d = [int(c) for c in s if c.isdigit()]
    if not 13 <= len(d) <= 19:
        return False
    return sum(x if i % 2 == 0 else (2 * x if x < 5 else 2 * x - 9)
               for i, x in enumerate(reversed(d))) % 10 == 0


def has_card(line):
    """The first digit run after card/pan/cc, or on a cvv/cvc line the
    first quoted one, passes luhn (what the replace() captures give)."""
    m = re.search(r'(?i)(?:card|\bpan\b|\bcc)[a-z_ .-]{0,20}\\*"?\s*[:=]?\s*'
                  r'\\*"?' + CARD_RUN + r"\b", line, re.A)
    if m and luhn(m.group(1)):
        return True
    if not re.search(r"(?i)cvv|cvc", line):
        return False
    m = re.search(r'\\*"' + CARD_RUN + r'\\*"', line, re.A)
    return bool(m) and luhn(m.group(1))


def secret_found(col, rx, line):
    if col == "card_numbers":
        return has_card(line)
    return re.search(rx, line, re.A) is not None


def q_no_secrets(inp, params):
    # It reads _line alone, so it sees the lines that are not JSON too.
    row = [len(inp.texts)] + [
        sum(1 for t in inp.texts if secret_found(c, rx, t))
        for c, rx in SECRETS]
    cols = ["lines"] + [c for c, _ in SECRETS]
    asserts = [("%s == 0" % c, (lambda c: lambda d: d[c] == 0)(c), [c])
               for c, _ in SECRETS]
    return [Result("no-secrets", cols, 0, [row], asserts)]


# ---- time: logq-query(5)'s time() and bucket(), read again ----------

UTC = timezone.utc
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
RFC3339 = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)[Tt ](\d\d):(\d\d):(\d\d)(?:[.,](\d+))?"
    r"(?P<zone>[Zz]?|[+-]\d\d:?\d\d| UTC"
    r"| [+-]\d\d:?\d\d(?: [A-Za-z]{1,6}| [+-]\d\d| [+-]\d{4})?)")


def epoch_number(d):
    """A Decimal epoch number in s, ms, us or ns by magnitude, as
    (seconds, nanoseconds); None beyond 9e18."""
    if abs(d) > Decimal("9e18"):
        return None
    for limit, unit in (("1e17", 10**9), ("1e14", 10**6), ("1e11", 10**3)):
        if abs(d) >= Decimal(limit):
            d = d / unit
            break
    sec = int(d.to_integral_value(rounding=ROUND_FLOOR))
    ns = int(((d - sec) * 10**9).to_integral_value(rounding=ROUND_HALF_UP))
    return (sec + ns // 10**9, ns % 10**9)


def instant(v):
    """The instant a time field names, (seconds, nanoseconds), or None."""
    if v is None or isinstance(v, bool):
        return None
    if isinstance(v, int):
        return epoch_number(Decimal(v))
    if isinstance(v, float):
        return epoch_number(Decimal(v)) if math.isfinite(v) else None
    if not isinstance(v, str):
        return None
    s = v.strip(" \t")
    m = RFC3339.fullmatch(s)
    if m:
        y, mo, d, h, mi, se = (int(x) for x in m.groups()[:6])
        frac = m.group(7) or ""
        zone = m.group("zone").strip()
        off = 0
        z = re.match(r"([+-])(\d\d):?(\d\d)", zone)
        if z:
            if int(z.group(2)) > 23 or int(z.group(3)) > 59:
                return None
            off = (1 if z.group(1) == "+" else -1) * (
                int(z.group(2)) * 3600 + int(z.group(3)) * 60)
        try:	# datetime refuses 30 February, hour 24, ...
            dt = datetime(y, mo, d, h, mi, min(se, 59), tzinfo=UTC)
        except ValueError:
            return None
        if se > 60:
            return None
        sec = calendar.timegm(dt.utctimetuple()) + (se - min(se, 59)) - off
        return (sec, int((frac + "0" * 9)[:9]))
    try:
        dt = datetime.strptime(s.strip("[]") if s[:1] == "[" else s,
                               "%d/%b/%Y:%H:%M:%S %z")
        return (calendar.timegm(dt.utctimetuple()), 0)
    except ValueError:
        pass
    if re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", s):
        return epoch_number(Decimal(s))
    return None


def rfc3339(v):
    """rfc3339(v) as logq-query(5) defines it: RFC 3339 text in UTC with
    as many decimals as v is written with, up to nine: its fraction's for
    a time text; for an epoch number, its unit's (0 s, 3 ms, 6 us, 9 ns)
    plus those after its decimal point. None when v is no time."""
    t = instant(v)
    if t is None:
        return None
    if isinstance(v, str) and RFC3339.fullmatch(v.strip(" \t")):
        digits = min(9, len(RFC3339.fullmatch(v.strip(" \t")).group(7) or ""))
    elif isinstance(v, str) and not re.fullmatch(
            r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", v.strip(" \t")):
        digits = 0
    else:
        text = str(v).strip(" \t")
        d = abs(Decimal(text))
        unit = next((u for lim, u in (("1e17", 9), ("1e14", 6), ("1e11", 3))
                     if d >= Decimal(lim)), 0)
        digits = min(9, unit + (len(text.split(".")[1]) if "." in text else 0))
    dt = EPOCH + timedelta(seconds=t[0])
    text = dt.strftime("%Y-%m-%dT%H:%M:%S")
    if digits:
        text += "." + ("%09d" % t[1])[:digits]
    return text + "Z"


def duration_us(text):
    """A bucket step such as 1m, 10s, 1h30m, in microseconds."""
    units = {"us": 1, "ms": 10**3, "s": 10**6, "m": 6 * 10**7,
             "h": 36 * 10**8, "d": 864 * 10**8}
    parts = re.findall(r"(\d+)(us|ms|s|m|h|d)", text)
    assert "".join(n + u for n, u in parts) == text, text
    return sum(int(n) * units[u] for n, u in parts)


def bucket(v, step_us):
    """bucket(v, step): the bucket's start as RFC 3339 UTC text, None when
    v is no time."""
    t = instant(v)
    if t is None:
        return None
    start = (t[0] * 10**6 + t[1] // 1000) // step_us * step_us
    dt = EPOCH + timedelta(microseconds=start)
    text = dt.strftime("%Y-%m-%dT%H:%M:%S")
    if step_us % 10**6:
        text += (".%03d" % (dt.microsecond // 1000) if step_us % 1000 == 0
                 else ".%06d" % dt.microsecond)
    return text + "Z"


def q_timeline(inp, params):
    step_us = duration_us(params.get("step", "1m"))
    rows = []
    for k, g in group(inp.recs, lambda r: bucket(r["time"], step_us)).items():
        rows.append([k, len(g), sum(1 for r in g if is_error(r)),
                     sum(1 for r in g if is5xx(r)),
                     pct([r["latency_ms"] for r in g], 99)])
    cols = ["time", "lines", "errors", "5xx", "p99_ms"]
    return [Result("timeline", cols, 1, sort_rows(rows, 1, ["time"], cols))]


def q_ops_report(inp, params):
    return (q_error_summary(inp, params) + q_tenant_volume(inp, params)
            + q_latency(inp, params) + q_rate_limited(inp, params)
            + q_status(inp, params))


QUERIES = {"error-summary": q_error_summary, "tenant-volume": q_tenant_volume,
           "latency": q_latency, "rate-limited": q_rate_limited,
           "status": q_status, "slo": q_slo, "no-secrets": q_no_secrets,
           "ops-report": q_ops_report, "timeline": q_timeline}


# ---- rendering --------------------------------------------------------

def jnum(v):
    """A number as JSON text: integers as integers, reals in the shortest
    form that reads back the same (an integral real without '.0')."""
    if type(v) is float and v.is_integer() and abs(v) < 1e15:
        return "%d" % v
    return repr(v)


def jval(v):
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if type(v) in (int, float):
        return jnum(v)
    if isinstance(v, dict):
        return "{" + ",".join(json.dumps(k) + ":" + jval(x)
                              for k, x in v.items()) + "}"
    return json.dumps(v, ensure_ascii=False)


def text(v):
    if v is None:
        return ""
    if type(v) in (int, float):
        return jnum(v)
    if v is True or v is False:
        return "true" if v else "false"
    return v


def csv_cell(s):
    if any(c in s for c in ',"\r\n'):
        return '"' + s.replace('"', '""') + '"'
    return s


def tsv_cell(s):
    return (s.replace("\\", "\\\\").replace("\t", "\\t")
            .replace("\n", "\\n").replace("\r", "\\r"))


def render_sv(results, sep, cell):
    out, many = [], len(results) > 1
    for res in results:
        if out:
            out.append("")	# SPEC 5: a block per query, as csvlite
        head = (["query"] if many else []) + res.columns
        out.append(sep.join(cell(h) for h in head))
        for row in res.rows:
            cells = ([res.name] if many else []) + [text(v) for v in row]
            out.append(sep.join(cell(c) for c in cells))
    return "".join(l + "\n" for l in out)


def render_ndjson(results):
    out = []
    for res in results:
        for row in res.rows:
            d = {"query": res.name}
            d.update(zip(res.columns, row))
            out.append(jval(d))
    return "".join(l + "\n" for l in out)


def render_json(results, inp, approx=False):
    s = '{"queries":[\n'
    for i, res in enumerate(results):
        s += "," if i else ""
        s += '{"name":%s,"columns":[%s],"rows":[\n' % (
            json.dumps(res.name), ",".join(json.dumps(c) for c in res.columns))
        s += "".join(("," if j else "") + jval(dict(zip(res.columns, row)))
                     + "\n" for j, row in enumerate(res.rows))
        s += '],"assertions":['
        outs = []
        for text_, passed, key, vals in res.outcomes:
            o = '{"assert":%s,"passed":%s' % (json.dumps(text_),
                                               jval(passed))
            if res.nkeys:
                o += ',"key":' + jval(key)
            outs.append(o + ',"values":' + jval(vals) + "}")
        s += ("\n" + ",\n".join(outs)) if outs else ""
        s += "]}\n"
    s += '],"stats":{"lines":%d,"json":%d,"skipped":%d,"joined":0,"repaired":0},' % (
        inp.lines, len(inp.recs), inp.skipped)
    s += '"percentiles":"%s"}\n' % ("approx" if approx else "exact")
    return s


def tnum(v):
    if type(v) is int:
        return str(v)
    s = "%.3f" % v
    s = s.rstrip("0").rstrip(".")
    return "0" if s == "-0" else s


def tcell(v):
    if v is None:
        return "-"
    if type(v) in (int, float):
        return tnum(v)
    return text(v)


BLOCKS = ["", "\u258f", "\u258e", "\u258d", "\u258c", "\u258b", "\u258a",
          "\u2589"]


def bar(v, top):
    if v is None or top is None or top <= 0 or v <= 0:
        return " " * 20
    eighths = int(Fraction(v) / Fraction(top) * 160 + Fraction(1, 2))
    s = "\u2588" * (eighths // 8) + BLOCKS[eighths % 8]
    return s + " " * (20 - len(s))


def numeric_columns(res):
    return [any(type(row[i]) in (int, float) for row in res.rows)
            for i in range(len(res.columns))]


def render_table(results, charts=None):
    charts = charts or {}
    out = []
    for res in results:
        num = numeric_columns(res)
        cells = [[tcell(v) for v in row] for row in res.rows]
        widths = [max([len(h)] + [len(r[i]) for r in cells])
                  for i, h in enumerate(res.columns)]
        chart = charts.get(res.name)
        ci = res.columns.index(chart) if chart in res.columns else -1
        top = max((row[ci] for row in res.rows if row[ci] is not None),
                  default=None) if ci >= 0 else None

        def line(vals, rawrow):
            parts = []
            for i, s in enumerate(vals):
                s = s.rjust(widths[i]) if num[i] else s.ljust(widths[i])
                if i == ci:
                    s += " " + (bar(rawrow[i], top) if rawrow else " " * 20)
                parts.append(s)
            return "  ".join(parts).rstrip(" ")

        if out:
            out.append("")
        out.append(res.name)
        out.append(line(res.columns, None))
        for raw, row in zip(res.rows, cells):
            out.append(line(row, raw))
    return "".join(l + "\n" for l in out)


def render_markdown(results):
    out = []
    for res in results:
        num = numeric_columns(res)
        cells = [[tcell(v).replace("|", "\\|") for v in row]
                 for row in res.rows]
        widths = [max([len(h), 3] + [len(r[i]) for r in cells])
                  for i, h in enumerate(res.columns)]

        def line(vals):
            return "| " + " | ".join(
                s.rjust(widths[i]) if num[i] else s.ljust(widths[i])
                for i, s in enumerate(vals)) + " |"
        if out:
            out.append("")
        out.append("### " + res.name)
        out.append("")
        out.append(line(res.columns))
        out.append("| " + " | ".join(
            "-" * (widths[i] - 1) + ":" if num[i] else "-" * widths[i]
            for i in range(len(widths))) + " |")
        for row in cells:
            out.append(line(row))
        failed = [o for o in res.outcomes if not o[1]]
        if failed:
            out.append("")
            out.append("**Failed assertions**")
            out.append("")
            for text_, _, key, vals in failed:
                out.append("- `%s` (%s)" % (text_, detail(vals, key)))
    return "".join(l + "\n" for l in out)


def detail(vals, key):
    d = dict(vals)
    for k, v in key.items():
        d.setdefault(k, v)
    # null spelled out in messages (a lone "-" reads as a typo)
    return ", ".join("%s=%s" % (k, "null" if v is None else tcell(v))
                     for k, v in d.items())


def failures(results):
    return ["logq: assertion failed in %s: %s (%s)" % (res.name, t,
            detail(vals, key))
            for res in results for t, passed, key, vals in res.outcomes
            if not passed]


CHARTS = {"error-summary": "count", "tenant-volume": "requests",
          "latency": "p99_ms", "rate-limited": "denials",
          "timeline": "errors"}


def run(queries, files, fmt="csv", params=None):
    """Returns (stdout, stderr, status) as logq must give them."""
    inp = Input(files)
    results = []
    for q in queries.split(","):
        results += QUERIES[q](inp, params or {})
    if fmt == "csv":
        out = render_sv(results, ",", csv_cell)
    elif fmt == "tsv":
        out = render_sv(results, "\t", tsv_cell)
    elif fmt == "ndjson":
        out = render_ndjson(results)
    elif fmt == "json":
        out = render_json(results, inp)
    elif fmt == "table":
        out = render_table(results, CHARTS)
    elif fmt == "markdown":
        out = render_markdown(results)
    else:
        raise SystemExit("oracle: no format " + fmt)
    fails = failures(results)
    err = "".join(l + "\n" for l in inp.summary() + fails)
    return out, err, 1 if fails else 0


def scalar(s):
    try:
        return int(s)
    except ValueError:
        try:
            return float(s)
        except ValueError:
            return s


def main(argv):
    fmt, params, rest = "csv", {}, []
    i = 0
    while i < len(argv):
        if argv[i] == "-f":
            fmt, i = argv[i + 1], i + 2
        elif argv[i] == "--set":
            k, v = argv[i + 1].split("=", 1)
            params[k], i = scalar(v), i + 2
        else:
            rest, i = rest + [argv[i]], i + 1
    out, err, status = run(rest[0], rest[1:], fmt, params)
    sys.stdout.write(out)
    if os.environ.get("ORACLE_STDERR"):
        with open(os.environ["ORACLE_STDERR"], "w") as f:
            f.write(err)
    if os.environ.get("ORACLE_STATUS"):
        with open(os.environ["ORACLE_STATUS"], "w") as f:
            f.write("%d\n" % status)


if __name__ == "__main__":
    main(sys.argv[1:])
