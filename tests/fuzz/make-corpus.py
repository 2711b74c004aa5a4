#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""make-corpus.py - (re)make the seed corpora of tests/fuzz/corpus/.

Seeds come from the project's own test inputs: chunks of the sample logs
of tests/cli/data (record), the built-in queries (query), and every
expression those queries hold (expr, one file per expression and place:
the first byte picks where fuzz_expr compiles it, 0 where/select/group_by,
1 aggregate, 2 having/assert). Small files only; the fuzzer grows the rest.
Run from anywhere: python3 tests/fuzz/make-corpus.py
"""
import hashlib
import os
import re
import sys

here = os.path.dirname(os.path.abspath(__file__))
top = os.path.dirname(os.path.dirname(here))


def put(kind, data):
    d = os.path.join(here, "corpus", kind)
    os.makedirs(d, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def clear(kind):
    d = os.path.join(here, "corpus", kind)
    if os.path.isdir(d):
        for n in os.listdir(d):
            os.unlink(os.path.join(d, n))


for kind in ("record", "query", "expr"):
    clear(kind)

# record: 4-line chunks of each sample log, first few chunks only.
data_dir = os.path.join(top, "tests", "cli", "data")
for name in sorted(os.listdir(data_dir)):
    if not name.endswith(".log"):
        continue
    with open(os.path.join(data_dir, name), "rb") as f:
        lines = f.read().split(b"\n")
    for i in range(0, min(len(lines), 24), 4):
        put("record", b"\n".join(lines[i:i + 4]) + b"\n")
# and the shapes the hostile cases are about, small
for seed in (b'{"a":1}', b'{"a":"\xff\xc0\xaf\xed\xa0\x80\xe2\x82"}',
             b'{"a":"x\\u0000y"}\n{"b":1}\x00', b'{"a":1,"a":2,"":3}',
             b'{"_line":"x","_prefix":"y"}', b'[[[[[[[[[[1]]]]]]]]]]',
             b'{"n":123456789012345678901234567890}', b'{{{{{{"a":1}',
             b'api-1  | 2026-04-25T03:01:53Z {"a":1}\r\n',
             b'[pod/p/c] 2026-04-25T03:01:53+02:00 {"a":1}',
             b'pod container {"a":1}', b'"just a string"', b'42\n-1\ntrue'):
    put("record", seed + b"\n")

# query: the built-in queries as they are, plus inline shapes.
qdir = os.path.join(top, "queries")
exprs = set()
for name in sorted(os.listdir(qdir)):
    if not name.endswith((".yaml", ".yml")):
        continue
    with open(os.path.join(qdir, name), "rb") as f:
        text = f.read()
    put("query", text)
    # expressions: values after where/having and list items of assert,
    # and mapping values under aggregate/group_by/select, roughly.
    section = None
    for line in text.decode("utf-8").split("\n"):
        m = re.match(r"^(\w+):\s*(.*)$", line)
        if m:
            section, rest = m.group(1), m.group(2)
            if section in ("where", "having") and rest:
                exprs.add((0 if section == "where" else 2, rest.strip("'\"")))
            continue
        m = re.match(r"^\s+-\s+(.*)$", line)
        if m and section == "assert":
            exprs.add((2, m.group(1).strip("'\"")))
            continue
        m = re.match(r"^\s+\w+:\s+(.*)$", line)
        if m and section in ("aggregate", "group_by", "select"):
            exprs.add((1 if section == "aggregate" else 0, m.group(1)))
for q in (b"{where: 'status >= 500', group_by: route(path), "
          b"aggregate: {n: count()}}",
          b"name: r\nqueries:\n  - use: a.yaml\n    set: {t: 1}\n"
          b"  - use: self.yaml\n",
          b"a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n",
          b"select: [msg, time]\nwhere: \"level in ['error', 'fatal']\"\n"
          b"sort: -time\nlimit: 3\n"):
    put("query", q)

for mode, text in sorted(exprs):
    put("expr", bytes([mode]) + text.encode("utf-8"))
for mode, text in ((0, 'msg =~ "(?i)^timeout" and not exists(err)'),
                   (0, 'ms("1.5s") + num("3") * -2 % 7 / 0'),
                   (0, 'bucket(time(ts), "1m") == "x" or [1, "a", null] '
                       'not in $levels'),
                   (0, '."@timestamp" > 0 and checks."db" != false'),
                   (0, 'replace(path, "[0-9]+", ":n") !~ \'\\\\d\''),
                   (1, 'count_if(status >= 500) / count()'),
                   (1, 'round(percentile(latency_ms, 99.9), 2)'),
                   (1, 'max_by(path, latency_ms) + min_by(a, b)'),
                   (2, '$skipped <= $lines * 0.01 and p99_ms < 500'),
                   (2, 'share > 0.5 or route == "/"')):
    put("expr", bytes([mode]) + text.encode("utf-8"))
print("corpus:", {k: len(os.listdir(os.path.join(here, "corpus", k)))
                  for k in ("record", "query", "expr")})
