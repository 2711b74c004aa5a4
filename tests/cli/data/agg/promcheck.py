#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks a file against Prometheus' text exposition format 0.0.4
(https://prometheus.io/docs/instrumenting/exposition_formats/), as the
node_exporter textfile collector reads it:

  - lines are `# HELP name text`, `# TYPE name type`, other comments,
    blank, or samples `name{label="value",...} value [timestamp]`;
  - metric names match [a-zA-Z_:][a-zA-Z0-9_:]*, label names
    [a-zA-Z_][a-zA-Z0-9_]* and do not start with __;
  - label values are double-quoted with only \\\\, \\" and \\n escapes;
  - a value is a Go float (or NaN, +Inf, -Inf);
  - at most one HELP and one TYPE per family, TYPE before its samples,
    a family's samples together, no sample (name + labels) twice;
  - the file ends with a newline.

Usage: promcheck.py FILE...; exit 1 with a message per problem."""
import re, sys

NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
LABEL = r"[a-zA-Z_][a-zA-Z0-9_]*"
VALUE = r'"(?:[^"\\\n]|\\[\\"n])*"'
FLOAT = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+" \
        r"(?:[eE][+-]?[0-9]+)?|NaN|Inf)"
SAMPLE = re.compile(r"^(%s)(\{(?:%s=%s(?:,%s=%s)*,?)?\})? (%s)(?: -?[0-9]+)?$"
                    % (NAME, LABEL, VALUE, LABEL, VALUE, FLOAT))
TYPES = {"counter", "gauge", "histogram", "summary", "untyped"}


def check(path):
    bad = []
    text = open(path, encoding="utf-8").read()
    if text and not text.endswith("\n"):
        bad.append("no newline at the end")
    helps, types, seen, done, current = set(), {}, set(), set(), None
    for no, line in enumerate(text.split("\n")[:-1], 1):
        where = "%s:%d: " % (path, no)
        if line.startswith("#"):
            m = re.match(r"^# (HELP|TYPE) (%s)(?: (.*))?$" % NAME, line)
            if not m:
                continue
            kind, name, rest = m.groups()
            if kind == "HELP":
                if name in helps:
                    bad.append(where + "second HELP for " + name)
                helps.add(name)
                if rest and re.search(r"\\[^\\n]", rest):
                    bad.append(where + "bad escape in HELP")
            else:
                if name in types:
                    bad.append(where + "second TYPE for " + name)
                if rest not in TYPES:
                    bad.append(where + "unknown type %r" % rest)
                if name in done or name == current:
                    bad.append(where + "TYPE after samples of " + name)
                types[name] = rest
            continue
        if not line.strip():
            continue
        m = SAMPLE.match(line)
        if not m:
            bad.append(where + "not a sample: " + line)
            continue
        name, labels = m.group(1), m.group(2) or ""
        for ln in re.findall(r"(%s)=" % LABEL, re.sub(VALUE, '""', labels)):
            if ln.startswith("__"):
                bad.append(where + "reserved label name " + ln)
        if name != current:
            if name in done:
                bad.append(where + "samples of %s not together" % name)
            if current:
                done.add(current)
            current = name
        if (name, labels) in seen:
            bad.append(where + "duplicate sample " + name + labels)
        seen.add((name, labels))
    return bad


def main():
    bad = []
    for p in sys.argv[1:]:
        bad += check(p)
    for b in bad:
        print("promcheck: " + b, file=sys.stderr)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
