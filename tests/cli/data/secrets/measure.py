#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Recall and false positives of logq's no-secrets on the labelled corpus
(labels.tsv, written by make-corpus.py), beside gitleaks' rules as the
independent reference. Run from this folder:

    python3 measure.py [--logq BIN] [--query FILE] [--before FILE] [-v]

--logq is the binary (default: $LOGQ, else ../../../../logq); --query the
no-secrets query to measure (default: the built-in no-secrets); --before
adds a column for another query file, e.g. the query before a change:
    git show 184e397:queries/no-secrets.yaml > /tmp/no-secrets-before.yaml
-v lists every line that a tool gets wrong.

logq is run once per line (a file of that line alone): a line counts as
found when no-secrets fails on it (exit 1), i.e. any of its assertions;
its columns name the kinds. no-secrets reads only _line, so logq scans
the lines that are not JSON too (logq-query(5)); the plain-text shape is
still reported apart, as it was once missed.

The reference applies the rules of gitleaks-rules.toml (an unchanged
extract of gitleaks' config/gitleaks.toml) to each line with python's re,
the way gitleaks' detect.go does: the rule's keywords must occur in the
lower-cased line; every match's secret is its first non-empty group (or
the whole match); a secret whose Shannon entropy is at most the rule's
`entropy` is dropped, and so is one that the global or the rule's
allowlists allow (regexes on the secret, the match or the line as
regexTarget says; stopwords contained in the lower-cased secret; an
allowlist with condition AND and paths never applies, as the corpus has
no such path). Not modelled: gitleaks' decoding of base64/hex/percent
segments before matching, path allowlists, required (multi-part) rules.

Go RE2 and python re differ in syntax; the translation (go_to_python):
  - RE2 takes a flag group such as (?i) anywhere and applies it to the end
    of the enclosing group; python 3.11 takes global flags only at the
    start. A (?i) that is not at the start (curl-auth-header's) is moved
    to the start, which makes the whole rule case-insensitive: a little
    broader than gitleaks, never narrower.
  - RE2's \\z (end of text) is python's \\Z.
  - Both read \\x60, (?-i:...), (?P<name>...), [\\s\\S] the same way; RE2
    is linear-time and python backtracks, which changes speed, not results.
PCRE2 (logq) reads its patterns much as python does; where it differs
(a (?i) in the middle of a pattern applies to the rest of its
alternative in PCRE2 but is an error in python) data/agg/oracle.py,
which models the query for the golden cases, writes the scoped (?i:...)
form instead."""
import math, os, re, subprocess, sys, tempfile, tomllib

HERE = os.path.dirname(os.path.abspath(__file__))
KINDS = ["private_keys", "service_account_keys", "bearer_tokens", "api_keys",
         "aws_key_ids", "webhook_secrets", "github_tokens", "slack_tokens",
         "openai_keys", "google_api_keys", "jwts", "passwords", "basic_auth",
         "card_numbers"]


def go_to_python(rx):
    rx = rx.replace(r"\z", r"\Z")
    if "(?i)" in rx[4:]:
        rx = "(?i)" + rx.replace("(?i)", "")
    return rx


def entropy(s):
    n = len(s)
    return -sum(c / n * math.log2(c / n)
                for c in (s.count(ch) for ch in set(s))) if n else 0.0


class Allowlist:
    def __init__(self, d):
        self.target = d.get("regexTarget", "secret")
        self.regexes = [re.compile(go_to_python(r))
                        for r in d.get("regexes", [])]
        self.stopwords = [w.lower() for w in d.get("stopwords", [])]
        self.is_and = d.get("condition", "OR") == "AND"
        self.has_paths = bool(d.get("paths"))

    def allows(self, secret, match, line):
        if self.is_and and self.has_paths:
            return False        # no corpus file is on an allowed path
        target = {"match": match, "line": line}.get(self.target, secret)
        by_regex = bool(target) and any(r.search(target)
                                        for r in self.regexes)
        low = secret.lower()
        by_stopword = bool(secret) and any(w in low for w in self.stopwords)
        if self.is_and:
            checks = ([by_regex] if self.regexes else []) + \
                ([by_stopword] if self.stopwords else [])
            return bool(checks) and all(checks)
        return by_regex or by_stopword


class Gitleaks:
    def __init__(self, path):
        with open(path, "rb") as f:
            cfg = tomllib.load(f)
        self.global_allow = Allowlist(cfg["allowlist"])
        self.rules = []
        for r in cfg["rules"]:
            self.rules.append((r["id"], re.compile(go_to_python(r["regex"])),
                               r.get("entropy", 0.0),
                               [k.lower() for k in r.get("keywords", [])],
                               [Allowlist(a) for a in r.get("allowlists",
                                                            [])]))

    def find(self, line):
        """The ids of the rules that report a finding on LINE."""
        found, low = [], line.lower()
        for rid, rx, min_entropy, keywords, allows in self.rules:
            if keywords and not any(k in low for k in keywords):
                continue
            for m in rx.finditer(line):
                match = m.group(0).strip("\n")
                groups = [g for g in m.groups() if g]
                secret = groups[0] if groups else match
                if min_entropy and entropy(secret) <= min_entropy:
                    continue
                if self.global_allow.allows(secret, match, line):
                    continue
                if any(a.allows(secret, match, line) for a in allows):
                    continue
                found.append(rid)
                break
        return found


def logq_find(logq, query, line, tmp):
    """The no-secrets columns above 0 on LINE alone ([] if it passes)."""
    path = os.path.join(tmp, "line.log")
    with open(path, "w") as f:
        f.write(line + "\n")
    p = subprocess.run([logq, "-q", "-f", "csv", query, path],
                       capture_output=True, text=True)
    if p.returncode not in (0, 1):
        sys.exit("measure: logq failed: " + p.stderr.strip())
    head, row = p.stdout.splitlines()[:2]
    return [c for c, v in zip(head.split(","), row.split(","))
            if c != "lines" and v != "0"]


def main(argv):
    logq = os.environ.get("LOGQ", os.path.join(HERE, "../../../../logq"))
    query, before, verbose = "no-secrets", None, False
    i = 0
    while i < len(argv):
        if argv[i] == "--logq":
            logq, i = argv[i + 1], i + 2
        elif argv[i] == "--query":
            query, i = argv[i + 1], i + 2
        elif argv[i] == "--before":
            before, i = argv[i + 1], i + 2
        elif argv[i] == "-v":
            verbose, i = True, i + 1
        else:
            sys.exit(__doc__)
    gl = Gitleaks(os.path.join(HERE, "gitleaks-rules.toml"))
    tools = ([("logq before", before)] if before else []) + \
        [("logq", query), ("gitleaks", None)]
    rows = []
    with open(os.path.join(HERE, "labels.tsv")) as f:
        next(f)
        labels = [l.rstrip("\n").split("\t") for l in f]
    lines = {}
    for name in ("positives.log", "negatives.log"):
        with open(os.path.join(HERE, name)) as f:
            lines[name] = f.read().splitlines()
    with tempfile.TemporaryDirectory() as tmp:
        for file, no, label, shape, note in labels:
            line = lines[file][int(no) - 1]
            got = {}
            for tool, q in tools:
                got[tool] = gl.find(line) if q is None else \
                    logq_find(logq, q, line, tmp)
            rows.append((file, int(no), label, shape, note, got))
    names = [t for t, _ in tools]

    def pct(k, n):
        return "%d/%d (%d%%)" % (k, n, round(100 * k / n)) if n else "-"

    print("Recall on positives.log (a line is found when the tool reports "
          "anything on it)\n")
    print("| kind | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    for kind in KINDS + ["all (JSON shapes)", "all (plain text)", "all"]:
        if kind.startswith("all"):
            sel = [r for r in rows if r[2] != "none" and (
                kind == "all" or (r[3] == "text") == ("text" in kind))]
        else:
            sel = [r for r in rows if r[2] == kind]
        print("| %s | " % kind + " | ".join(
            pct(sum(1 for r in sel if r[5][t]), len(sel)) for t in names)
            + " |")
    print("\nFalse positives on negatives.log (a line is wrong when the tool "
          "reports anything on it)\n")
    print("| near miss | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    cats = []
    for r in rows:
        if r[2] == "none" and r[4] not in cats:
            cats.append(r[4])
    for cat in cats + ["all"]:
        sel = [r for r in rows if r[2] == "none" and cat in ("all", r[4])]
        print("| %s | " % cat + " | ".join(
            pct(sum(1 for r in sel if r[5][t]), len(sel)) for t in names)
            + " |")
    if verbose:
        print()
        for file, no, label, shape, note, got in rows:
            for t in names:
                if bool(got[t]) != (label != "none"):
                    print("%s %s:%d %s/%s (%s): %s" % (
                        t, file, no, label, shape, note,
                        ",".join(got[t]) or "missed"))


if __name__ == "__main__":
    main(sys.argv[1:])
