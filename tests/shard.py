#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""shard.py - `logq --shard I/N` against a byte-range oracle (TAP).

SPEC 1: the I-th of N shards reads the lines that START in the I-th of N
equal byte ranges of a file, [size*(I-1)//N, size*I//N). This script
cuts generated files with awkward endings (none, CRLF, blank lines,
lines that are not JSON or not objects, a line longer than the reader's
buffer and than a shard, no final newline, an empty file) the same way
in Python, then checks, for several N (N past the number of bytes too),
that each shard's run of logq gives exactly its lines:
  - the rows of a listing of _lineno and _line (the file's own line
    numbers, not the shard's),
  - the number of lines read (stats.lines of -f json: blank and non-JSON
    lines count too), and
  - the bytes of -f raw, whose concatenation over the shards is the
    whole file's object lines: no line read twice or lost.
Then, issue 18 item 4: for every built-in query, the N shards' --state
lines, merged in reverse order by `logq merge`, give the one pass's
output, summary line (with the first skipped line's place) and exit
status, on the bundled sample logs with awkward endings: first() and
last() compare positions, which holds only if each shard numbers its
lines as the file does.
Usage: shard.py LOGQ TESTS-DIR"""
import json
import os
import random
import subprocess
import sys
import tempfile

LOGQ = sys.argv[1]
QUERY = '{where: "n != null", select: [_lineno, _line]}'


def oracle_lines(data):
    """(start offset, 1-based number, text without its line end) of each
    line, as SPEC 2 reads them: "\\n" or "\\r\\n" ends a line, and a last
    line without a newline is still a line."""
    out, pos, n = [], 0, 0
    while pos < len(data):
        nl = data.find(b"\n", pos)
        if nl < 0:
            text, nxt = data[pos:], len(data)
        else:
            text, nxt = data[pos:nl], nl + 1
            if text.endswith(b"\r"):
                text = text[:-1]
        n += 1
        out.append((pos, n, text))
        pos = nxt
    return out


def shard_of(lines, size, i, n):
    lo, hi = size * (i - 1) // n, size * i // n
    return [line for line in lines if lo <= line[0] < hi]


def has_n(text):
    """Whether the line is a JSON object with the member n (QUERY's
    where: the lines that are not are read and counted, not listed)."""
    try:
        doc = json.loads(text)
    except ValueError:
        return False
    return isinstance(doc, dict) and "n" in doc


def make_files(tmp):
    """name -> bytes: the awkward inputs, from a fixed seed."""
    rng = random.Random(1807)
    files = {"empty": b"", "newlines-only": b"\n\n\r\n\n\n",
             "one-line-no-newline": b'{"n":1,"b":"x"}'}

    def mixed(nlines, final_newline):
        out = bytearray()
        for n in range(1, nlines + 1):
            kind = rng.random()
            if kind < 0.07:
                line = b""
            elif kind < 0.12:
                line = b"plain text, line %d" % n
            elif kind < 0.15:
                line = rng.choice([b"[1,2,3]", b"42", b'"str"', b"null"])
            else:
                line = json.dumps({"n": n, "pad": "p" * rng.randrange(
                    0, rng.choice([20, 200, 2000]))}).encode()
            out += line
            if n < nlines or final_newline:
                out += b"\r\n" if rng.random() < 0.3 else b"\n"
        return bytes(out)

    files["mixed-no-final-newline"] = mixed(300, False)
    files["mixed-final-newline"] = mixed(300, True)
    # Longer than the reader's 256 KiB buffer and than most shards.
    files["long-line"] = (b'{"n":1}\r\n' + json.dumps(
        {"n": 2, "pad": "q" * 700000}).encode() + b"\n" +
        b'{"n":3}\r\n\n{"n":5}')
    paths = {}
    for name, data in files.items():
        paths[name] = os.path.join(tmp, name + ".log")
        with open(paths[name], "wb") as f:
            f.write(data)
    return files, paths


def run(args, stdin=b""):
    p = subprocess.run([LOGQ] + args, input=stdin, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, check=False)
    return p.returncode, p.stdout, p.stderr


def sample_log(tmp):
    """The bundled sample logs one after another, every third line
    ending in CRLF, a blank line now and then, no final newline."""
    data = os.path.join(sys.argv[2], "cli", "data")
    out = bytearray()
    for name in ["attesto.log", "fly.log", "kubectl.log", "slog.log",
                 "zerolog.log", "pino.log", "broken-mixed.log",
                 "attesto.log", "docker.log", "stern.log"]:
        with open(os.path.join(data, name), "rb") as f:
            for k, line in enumerate(f.read().splitlines()):
                out += line + (b"\r\n" if k % 3 == 0 else b"\n")
                if k % 17 == 0:
                    out += b"\n"
    path = os.path.join(tmp, "sample.log")
    with open(path, "wb") as f:
        f.write(bytes(out).rstrip(b"\n").rstrip(b"\r"))
    return path


def check_states(path, query, n):
    """'' when QUERY's N shard states merge to the one pass."""
    want = run([query, "-f", "json", path])
    states = []
    for i in range(1, n + 1):
        rc, out, err = run([query, "--state", "--shard", "%d/%d" % (i, n),
                            path])
        if rc != 0:
            return "--state --shard %d/%d: exit %d: %s" % (i, n, rc,
                                                          err[:200])
        states.append(out)
    got = run(["merge", query, "-f", "json", "-"],
              b"".join(reversed(states)))
    for what, a, b in zip(("exit status", "stdout", "stderr"), got, want):
        if a != b:
            return "%s: merged %.300r, one pass %.300r" % (what, a, b)
    return ""


def check(path, data, n, jobs):
    """'' when every shard of N is the oracle's, else what differs."""
    lines = oracle_lines(data)
    raw = b""
    for i in range(1, n + 1):
        want = shard_of(lines, len(data), i, n)
        args = ["-j", str(jobs), "--shard", "%d/%d" % (i, n)]
        rc, out, err = run(args + ["-q", "-f", "json", "-e", QUERY, path])
        if rc != 0:
            return "shard %d/%d: exit %d: %s" % (i, n, rc, err[:200])
        doc = json.loads(out)
        rows = [(r["_lineno"], r["_line"])
                for r in doc["queries"][0]["rows"]]
        want_rows = [(ln, text.decode()) for _, ln, text in want
                     if has_n(text)]
        if rows != want_rows:
            k = next((k for k, (a, b) in enumerate(zip(rows, want_rows))
                      if a != b), min(len(rows), len(want_rows)))
            return "shard %d/%d: %d rows, want %d; row %d is %.100r, " \
                "want %.100r" % (i, n, len(rows), len(want_rows), k + 1,
                                 rows[k] if k < len(rows) else None,
                                 want_rows[k] if k < len(want_rows)
                                 else None)
        if doc["stats"]["lines"] != len(want):
            return "shard %d/%d: %d lines read, want %d" % (
                i, n, doc["stats"]["lines"], len(want))
        rc, out, err = run(args + ["-q", "-f", "raw", "-e", QUERY, path])
        if rc != 0:
            return "shard %d/%d -f raw: exit %d" % (i, n, rc)
        raw += out
    want_raw = b"".join(text + b"\n" for _, _, text in lines
                        if has_n(text))
    if raw != want_raw:
        return "-f raw over the %d shards: %d bytes, want %d" % (
            n, len(raw), len(want_raw))
    return ""


class Tap:
    """TAP points, numbered as they come, and the plan at the end."""

    def __init__(self):
        self.points = 0
        self.failed = 0

    def point(self, desc, why):
        """One point: passed when WHY is empty, else failed, WHY shown."""
        self.points += 1
        if why:
            self.failed += 1
            print("not ok %d - %s" % (self.points, desc))
            print("# " + why.replace("\n", "\n# "))
        else:
            print("ok %d - %s" % (self.points, desc))


def main():
    tap = Tap()
    with tempfile.TemporaryDirectory() as tmp:
        files, paths = make_files(tmp)
        for name in sorted(files):
            data = files[name]
            counts = [1, 2, 3, 4, 7, 16]
            if len(data) < 40:
                counts.append(len(data) + 3)    # more shards than bytes
            if name == "long-line":
                counts = [2, 3, 8, 40]
            for n in counts:
                jobs = 2 if n % 2 else 1
                tap.point("%s in %d shards (-j %d)" % (name, n, jobs),
                          check(paths[name], data, n, jobs))
        path = sample_log(tmp)
        queries = run(["--list", "--names"])[1].decode().split()
        for query in queries:
            for n in (2, 3, 7):
                tap.point("%s: %d shards' states merge to the one pass" % (
                    query, n), check_states(path, query, n))
        if not queries:
            tap.point("logq --list --names lists the built-in queries",
                      "it listed none")
    print("1..%d" % tap.points)
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
