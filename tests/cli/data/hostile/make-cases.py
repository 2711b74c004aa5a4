#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""make-cases.py - writes the hostile-* golden CLI cases (issue 5).

For each case: cmd, stdout, stderr, status and ORIGIN under
tests/cli/cases/hostile-*. Expected values are written from the SPEC or
computed here independently of logq: python's strict UTF-8 decoder and
json module stand in for SPEC section 2 (model() below), python's csv
and json modules write the expected rows. Never paste logq's output in.
Run from anywhere: python3 tests/cli/data/hostile/make-cases.py
(after make-hostile.py, whose files some cases read).
"""
import csv as csvmod
import io
import json
import os
import random

top = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))		# tests/cli
H = "data/hostile"

def case(name, cmd, stdout="", stderr="", status=0, origin=""):
    d = os.path.join(top, "cases", name)
    os.makedirs(d, exist_ok=True)
    for f in ("cmd", "stdout", "stderr", "status", "ORIGIN"):
        p = os.path.join(d, f)
        if os.path.exists(p):
            os.unlink(p)
    def w(f, data):
        if isinstance(data, str):
            data = data.encode()
        with open(os.path.join(d, f), "wb") as fp:
            fp.write(data)
    w("cmd", cmd.strip("\n") + "\n")
    if stdout:
        w("stdout", stdout)
    if stderr:
        w("stderr", stderr)
    if status:
        w("status", "%d\n" % status)
    w("ORIGIN", origin.strip("\n") + "\n")

# Shared shell prologue: a temp dir removed on exit, and the sizes that
# shrink under check-valgrind (same expected output at either size).
TMP = 't=$(mktemp -d) || exit 99\ntrap \'rm -rf "$t"\' EXIT\n'

def csv(rows):
    return "".join(",".join(str(c) for c in r) + "\n" for r in rows)

# 1. A 100 MB line. --------------------------------------------------------
case("hostile-long-line-100mb", r'''
# 100 MB lines (LOGQ_UNDER_VALGRIND: 3 MB; the output is the same).
n=100000000
[ -n "${LOGQ_UNDER_VALGRIND:-}" ] && n=3000000
python3 -c "
import sys
n = int(sys.argv[1])
o = sys.stdout
o.write('{\"msg\":\"' + 'x' * n + '\"}\n')
o.write('{\"msg\":\"short\"}\n')
o.write('y' * n)
" $n | "$LOGQ" -f csv -e '{aggregate: {lines: count(), long: count_if(len(msg) > 2000000)}}'
''', stdout=csv([("lines", "long"), (2, 1)]),
    stderr="logq: 3 lines read, 1 skipped (1 not JSON, first at -:3)\n",
    origin="""
SPEC 2: lines of any length. Line 1 is a JSON object whose msg is 100 MB
(> 2,000,000 characters), line 2 a short object, line 3 100 MB of 'y'
with no newline (a last line without newline is still a line; it holds
no JSON object: skipped and counted as "not JSON"). So 3 lines read, 2
objects, 1 of them long. Under check-valgrind the lines are 3 MB, still
over the 2,000,000 threshold: same output.
""")

case("hostile-long-line-raw", r'''
# Piped, not written to files: 100 MB files cost seconds of disk writes.
n=100000000
[ -n "${LOGQ_UNDER_VALGRIND:-}" ] && n=3000000
# In: a 100 MB error line ending in \r\n, an info line, an error line
# with no newline. The checker expects the two error lines, each + \n.
python3 -c "
import sys
n = int(sys.argv[1])
big = b'{\"level\":\"error\",\"msg\":\"' + b'z' * n + b'\"}'
sys.stdout.buffer.write(big + b'\r\n{\"level\":\"info\"}\n{\"level\":\"error\"}')
" $n | { "$LOGQ" -e '{where: "level == \"error\""}'; echo "status $?" >&2; } |
python3 -c "
import sys
n = int(sys.argv[1])
big = b'{\"level\":\"error\",\"msg\":\"' + b'z' * n + b'\"}'
got = sys.stdin.buffer.read()
print('identical' if got == big + b'\n{\"level\":\"error\"}\n' else 'differ')
" $n
''', stdout="identical\n", stderr="status 0\n", origin="""
SPEC 2 and 3.1: a listing query without select prints the matching raw
lines (format raw), whole, one per line: the 100 MB line (ending in
\\r\\n, which is not part of the line) and the last line (no newline in
the input) come out as they went in, each ending in \\n; the info line
does not match. The expected bytes are made by python from the same
size. logq's status goes to stderr.
""")

# 3. 10 million levels of nesting. ----------------------------------------
case("hostile-nesting-10m", r'''
# 10 million levels (LOGQ_UNDER_VALGRIND: 100 000; same output).
n=10000000
[ -n "${LOGQ_UNDER_VALGRIND:-}" ] && n=100000
python3 -c "
import sys
n = int(sys.argv[1])
o = sys.stdout
o.write('{\"a\":' + '[' * n + ']' * n + '}\n')
o.write('[' * n + ']' * n + '\n')
o.write('{\"a\":' * n + '1' + '}' * n + '\n')
o.write('{' * n + '\n')
o.write('{\"ok\":1}\n')
" $n | "$LOGQ" -f csv -e '{aggregate: {n: count(), ok: count_if(ok == 1)}}'
''', stdout=csv([("n", "ok"), (1, 1)]),
    stderr="logq: 5 lines read, 4 skipped (1 not JSON, first at -:4; "
           "3 too deep, first at -:1)\n",
    origin="""
SPEC 2 and 1.2: nesting deeper than the parser allows must not crash or
hang; such lines are skipped and counted as "too deep". Lines 1-3 nest
10^7 levels (arrays inside an object, a bare array, objects): too deep.
Line 4 is 10^7 '{' with no closing brace: no line-ending '}', so no
object can start anywhere: "not JSON". Line 5 is the one object used.
""")

# 4. Numbers beyond 64 bits. -----------------------------------------------
case("hostile-bignum", r'''
# A 10-million-digit integer (LOGQ_UNDER_VALGRIND: 100 000 digits). A
# billion digits is 1 GB of input: see tests/cli/data/hostile/README.
n=10000000
[ -n "${LOGQ_UNDER_VALGRIND:-}" ] && n=100000
python3 -c "
import sys
n = int(sys.argv[1])
o = sys.stdout
o.write('{\"n\":' + '7' * n + ',\"k\":1}\n')
o.write('{\"n\":-' + '7' * n + ',\"k\":2}\n')
o.write('{\"n\":0.' + '7' * n + ',\"k\":3}\n')
o.write('{\"n\":1e400,\"k\":4}\n')
o.write('{\"n\":-1e400,\"k\":5}\n')
o.write('{\"n\":1e-400,\"k\":6}\n')
o.write('{\"n\":123456789012345678901234567890,\"k\":7}\n')
o.write('{\"n\":18446744073709551616,\"k\":8}\n')
" $n | "$LOGQ" -f csv -e '{aggregate: {n: count(), k: sum(k)}}'
''', stdout=csv([("n", "k"), (8, 36)]), origin="""
SPEC 2: "a number beyond 64-bit range must not cost the line". Every line
is a JSON object whose n is out of 64-bit range (or, for 0.777..., has
10^7 digits of fraction; 1e-400 underflows): all 8 lines are used, none
is skipped, so no summary line; k sums 1+...+8 = 36. (The lines' n
values are not pinned here: see hostile-bignum-values.)
""")

case("hostile-bignum-nested", r'''
printf '%s\n' '{"a":{"b":1e400,"c":"kept"},"d":["x",-1e400],"e":1}' |
    "$LOGQ" -f csv -e '{aggregate: {c: first(a.c), e: sum(e), a: count_if(a != null), d: count_if(d != null)}}'
''', stdout=csv([("c", "e", "a", "d"), ("kept", 1, 1, 1)]), origin="""
SPEC 2: "a number beyond 64-bit range must not cost the line" - nor the
rest of the line's data. Here numbers beyond a double's range sit inside
an object (a) and an array (d): the object's other member a.c and the
top-level e read as python's json.loads of the line gives them ("kept",
1), and a and d are present values, not null (however the huge numbers
inside them print, which this case does not pin).
""")

def bigvals():
    ins = ["123456789012345678901234567890", "18446744073709551616",
           "-9223372036854775809", "9223372036854775807"]
    rows = [("n",)]
    for t in ins:
        v = int(t)
        # in int64: printed as is; beyond: read as a double, printed as
        # the shortest text that reads back (python's repr does that)
        rows.append((t if -2**63 <= v < 2**63 else repr(float(v)),))
    return csv(rows)

case("hostile-bignum-values", r'''
printf '%s\n' '{"n":123456789012345678901234567890}' '{"n":18446744073709551616}' \
    '{"n":-9223372036854775809}' '{"n":9223372036854775807}' |
    "$LOGQ" -f csv -e '{select: {n: n}}'
''', stdout=bigvals(), origin="""
SPEC 2: integers beyond 64 bits are kept (read as doubles); SPEC 4.2:
JSON-ish formats print full precision. Expected: python, repr(float(n))
for the values out of int64 range (the shortest text that reads back as
the same double), the int64 maximum as it is.
""")

# --- an independent model of SPEC 2 for small inputs ---------------------
def repair(b):
    """Each byte not part of a well-formed UTF-8 sequence -> U+FFFD."""
    out, i, bad = bytearray(), 0, 0
    while i < len(b):
        for n in (1, 2, 3, 4):
            try:
                b[i:i + n].decode("utf-8", "strict")
            except UnicodeDecodeError:
                continue
            out += b[i:i + n]
            i += n
            break
        else:
            out += "\ufffd".encode()
            i += 1
            bad += 1
    return bytes(out), bad

def split_lines(data):
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    return [l[:-1] if l.endswith(b"\r") else l for l in lines]

def model(data, name):
    """Rows (dicts) and the SPEC 1.2 summary line for DATA read as NAME."""
    rows, lines = [], split_lines(data)
    # in the order of the summary (src/record.h enum record_status)
    reasons = {"not JSON": [], "not an object": [], "too deep": [],
               "blank": []}
    repaired = []
    for no, raw in enumerate(lines, 1):
        text, bad = repair(raw)
        s = text.decode("utf-8")
        obj = None
        for i, ch in enumerate(s):
            if ch != "{":
                continue
            try:
                v = json.loads(s[i:])
            except ValueError:
                continue
            if isinstance(v, dict):
                obj = (v, s[:i].strip(" \t\r") or None)
                break
        if obj is not None:
            rows.append(obj)
            if bad:
                repaired.append(no)
            continue
        if s.strip(" \t\r") == "":
            reasons["blank"].append(no)
            continue
        try:
            json.loads(s)
            reasons["not an object"].append(no)
        except ValueError:
            reasons["not JSON"].append(no)
    skipped = sum(len(v) for v in reasons.values())
    if not skipped and not repaired:
        return rows, ""
    msg = "logq: %d line%s read" % (len(lines), "" if len(lines) == 1 else "s")
    if skipped:
        parts = ["%d %s, first at %s:%d" % (len(v), k, name, v[0])
                 for k, v in reasons.items() if v]
        msg += ", %d skipped (%s)" % (skipped, "; ".join(parts))
    if repaired:
        msg += ", %d repaired (invalid UTF-8 or lone surrogates, first at %s:%d)" % (
            len(repaired), name, repaired[0])
    return rows, msg + "\n"

def csv_text(header, rows):
    f = io.StringIO()
    w = csvmod.writer(f, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        w.writerow(["" if v is None else v for v in r])
    return f.getvalue()

def hdata(name):
    return open(os.path.join(top, H, name), "rb").read()

MODEL_ORIGIN = """
Expected output from an independent model of SPEC 2 in python
(model() in data/hostile/make-cases.py): each byte that is not part of a
well-formed UTF-8 sequence (python's strict decoder decides) becomes
U+FFFD; the object is the first '{' from which the rest of the line
json.loads as a dict (such a line, if it needed repair, counts as
repaired: SPEC 2 "the line is used and counted as repaired"); other lines are "not an object" if the whole line
loads as JSON, a line of nothing but blanks (space, tab, CR) is
"blank", else "not JSON"; the summary line follows SPEC 1.2 in the
wording of src/main.c print_summary.
"""

# 5. Invalid UTF-8 of every class. ---------------------------------------
rows, summ = model(hdata("utf8.log"), H + "/utf8.log")
case("hostile-utf8-classes", r'''
"$LOGQ" -f csv -e '{select: {c: c, m: m}}' data/hostile/utf8.log
''', stdout=csv_text(["c", "m"], [(o["c"], o.get("m")) for o, p in rows]),
    stderr=summ, origin="""
SPEC 2: invalid UTF-8 inside a line is repaired, each bad byte becoming
U+FFFD, and the line is used and counted as repaired. data/hostile/
utf8.log (make-hostile.py) has one line per class of Unicode table 3-7:
overlong 2/3/4-byte forms (C0, C1, E0 80.., F0 80..), surrogates (ED A0..
ED BF), past U+10FFFF (F4 90, F5), sequences cut short, a lone
continuation byte, FE, FF; then a bad byte in a key, in the prefix, after
the object (that line holds no object once repaired: skipped), and valid
multibyte text (not repaired).
""" + MODEL_ORIGIN)

# 6. NUL bytes. -----------------------------------------------------------
rows, summ = model(hdata("nul.log"), H + "/nul.log")
nd = "".join(json.dumps({"query": "query", "c": o["c"], "a": o["a"],
                         "p": p}, ensure_ascii=False,
                        separators=(",", ":")) + "\n" for o, p in rows)
case("hostile-nul-bytes", r'''
"$LOGQ" -f ndjson -e '{select: {c: c, a: a, p: _prefix}}' data/hostile/nul.log
''', stdout=nd, stderr=summ, origin="""
SPEC 2: a NUL byte must not crash the run. A raw NUL inside a JSON
string or key is not JSON (control characters must be escaped: RFC 8259
section 7), so those lines are skipped; an escaped \\u0000 is kept in
the value (printed back as \\u0000); NULs before the object are its
prefix; a NUL after the object leaves no line-ending object; a line of
NULs alone is not JSON.
""" + MODEL_ORIGIN + """
ndjson rows: python json.dumps(ensure_ascii=False), compact.
""")

case("hostile-nul-50mb-no-newline", r'''
# 50 MB of NUL bytes and no newline at all (LOGQ_UNDER_VALGRIND: 2 MB).
n=50000000
[ -n "${LOGQ_UNDER_VALGRIND:-}" ] && n=2000000
head -c $n /dev/zero | "$LOGQ" -f csv -e '{aggregate: {n: count()}}' -
''', stdout=csv([("n",), (0,)]),
    stderr="logq: 1 line read, 1 skipped (1 not JSON, first at -:1)\n",
    origin="""
SPEC 2: a final line without a newline is still a line; NUL bytes must
not crash or hang. One line of NULs: no object, skipped as not JSON.
SPEC 3.3: an aggregate without group_by gives one row even when no line
matched (count() is 0).
""")

# 7. No newline at all; empty files; blank lines. -------------------------
case("hostile-no-newline", TMP + r'''
printf '{"a":1}' >"$t/one"
printf '{"a":2}\n{"a":3}' >"$t/two"
: >"$t/empty"
printf '{"a":4}\r\n{"a":5}\r' >"$t/crlf"
cd "$t" && "$LOGQ" -f csv -e '{select: {a: a, f: _file, n: _lineno}}' one two empty crlf
''', stdout=csv([("a", "f", "n"), (1, "one", 1), (2, "two", 1),
                 (3, "two", 2), (4, "crlf", 1), (5, "crlf", 2)]),
    origin="""
SPEC 2: a final line without a newline is still a line (files one, two,
crlf); \\r\\n endings are accepted, and a lone \\r before the end of input
is trailing white space after the object (JSON allows it). An empty file
has no lines. _file is the name as given, _lineno counts per file. No
line is skipped: no summary.
""")

# 8. Binary garbage. -------------------------------------------------------
GARBAGE = r'''python3 -c "
import random, sys
n = 1 << 20
sys.stdout.buffer.write(random.Random(20260425).getrandbits(8 * n).to_bytes(n, 'little'))
" >"$t/garbage"
'''
n = 1 << 20
garbage = random.Random(20260425).getrandbits(8 * n).to_bytes(n, "little")
rows, summ = model(garbage, "TMP/garbage")
assert not rows
case("hostile-binary-garbage", TMP + r'''
# 1 MiB of seeded pseudo-random bytes: the same garbage on every machine,
# so the counts can be exact (/dev/urandom's would differ per run).
''' + GARBAGE + r'''
cd "$t" || exit 99
"$LOGQ" -f csv -e '{aggregate: {n: count()}}' garbage >out 2>err
s=$?
cat out
sed "s|garbage|TMP/garbage|g" err
echo "status $s"
"$LOGQ" -q -f csv -e '{aggregate: {n: count()}, assert: ["$skipped <= $lines * 0.01"]}' garbage
echo "assert status $?"
"$LOGQ" --strict -q -f csv -e '{aggregate: {n: count()}}' garbage
echo "strict status $?"
''', stdout=csv([("n",), (0,)]) + summ + "status 0\n" +
    csv([("n",), (0,)]) + "assert status 1\n" + csv([("n",), (0,)]) +
    "strict status 3\n",
    stderr="logq: assertion failed in query: $skipped <= $lines * 0.01 "
           "($skipped=%d, $lines=%d)\n" % (
               len(split_lines(garbage)), len(split_lines(garbage))),
    origin="""
SPEC 2 and 1.2: binary garbage never stops the run; every line is skipped
and counted by reason. SPEC 3.7: `$skipped <= $lines * 0.01` makes a CI
job fail (exit 1) on a log that is mostly unparsable, the failure naming
the values; SPEC 1.1: --strict turns skipped lines into exit 3. -q keeps
the summary off stderr in the last two runs (the assertion failure is
still printed). The garbage is python's random.Random(20260425) bytes,
1 MiB.
""" + MODEL_ORIGIN + """
(No line of this garbage holds an object; one line is a bare JSON value.
The sed maps the file name to TMP/garbage in the summary, printed on
stdout after the first run's results.)
""")

# 9. Duplicate and empty keys. --------------------------------------------
first = json.loads(hdata("keys.log").split(b"\n")[0])   # python: last wins
case("hostile-dup-empty-keys", r'''
head -n 1 data/hostile/keys.log |
    "$LOGQ" -f csv -e '{select: {a: a, e: ."", be: b."", bc: b.c}}'
''', stdout=csv([("a", "e", "be", "bc"),
                 (first["a"], first[""], first["b"][""], first["b"]["c"])]),
    origin="""
SPEC 2 is silent on duplicate keys: as jq (`jq -c '[.a, .[""], .b[""],
.b.c]'` gives [2,5,6,8]) and python's json, the last one wins. An empty
key is reached with ."" (SPEC 3.2: keys with other characters are
quoted after a dot). Expected: python json.loads of the line.
""")

# 10. Keys that look like the special fields. -----------------------------
kl = hdata("keys.log").split(b"\n")
case("hostile-special-keys", r'''
"$LOGQ" -f ndjson -e '{select: [_line, _file, _lineno, _prefix, _time, _pod]}' data/hostile/keys.log
''', stdout="".join(json.dumps(dict([("query", "query"), ("_line", l),
        ("_file", H + "/keys.log"), ("_lineno", n)] + extra),
        separators=(",", ":"), ensure_ascii=False) + "\n"
    for n, l, extra in (
        (1, kl[0].decode(), [("_prefix", None), ("_time", None), ("_pod", None)]),
        (2, kl[1].decode(), [("_prefix", "p"), ("_time", "t"), ("_pod", "q")]),
        (3, kl[2].decode(), [("_prefix", "2026-04-25T03:01:53Z [pod/api-1/web]"),
                             ("_time", "2026-04-25T03:01:53Z"), ("_pod", "api-1")]))),
    origin="""
SPEC 2: _line (the raw line), _file (the input name) and _lineno are on
every line: an input key of the same name does not replace them (lines
2 and 3 carry "_line":"fake", "_file":"fake.log", "_lineno":99).
_prefix and the prefix fields (_time, _pod) come from the line's prefix
when it has one (line 3, kubectl --timestamps --prefix form); without a
prefix the input's own key of that name is used (line 2), as
src/record.h documents; line 1 has neither: null. ndjson written with
python json.dumps.
""")

# 11. YAML: deep nesting, billion laughs, aliases, tabs. -------------------
deep = hdata("deep.yaml").split(b"\n")
case("hostile-yaml-deep", TMP + r'''
"$LOGQ" data/hostile/deep.yaml </dev/null
echo "status $?"
# 100 000 flow sequences in -e text, from a file (too long for argv).
python3 -c "print('{where: ' + '[' * 100000 + ']' * 100000 + '}')" >"$t/q.yaml"
cd "$t" && "$LOGQ" q.yaml </dev/null 2>&1 | cut -c1-60
''', stdout="status 2\n" +
    "logq: q.yaml:1:72: YAML nested deeper than 64 levels\n" +
    ("    " + "{where: " + "[" * 100)[:60] + "\n" +
    ("    " + " " * 71 + "^")[:60] + "\n",
    stderr="logq: data/hostile/deep.yaml:65:129: YAML nested deeper than 64 levels\n"
           "    " + deep[64].decode() + "\n" + "    " + " " * 128 + "^\n",
    origin="""
SPEC 1.2/1.1: a query that cannot be loaded is exit 2 with FILE:LINE:COL.
logq refuses YAML nested deeper than 64 levels (src/query.c
QUERY_MAX_DEPTH; a real query nests five at most) rather than recurse
without bound. deep.yaml nests block mappings 100 deep ("  " * i + kI:),
so the 65th level is the mapping holding key k64 at line 65, column 129
(1 + 2*64). In the flow case the 65th '[' is at column 72 (`{where: `
is 8 bytes, the mapping is level 1, so '[' number 64 opens level 65 at
column 8 + 64). Lines are cut to 60 columns: the source line is 200 KB.
""")

case("hostile-yaml-laughs", r'''
for f in laughs alias; do
	"$LOGQ" data/hostile/$f.yaml </dev/null
	echo "$f status $?"
done
''', stdout="laughs status 2\nalias status 2\n",
    stderr="logq: data/hostile/laughs.yaml:3:6: anchors (&a) are not "
           "supported in query files\n"
           "      a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
           "         ^\n"
           "logq: data/hostile/alias.yaml:1:8: aliases (*nowhere) are not "
           "supported in query files\n"
           "    where: *nowhere\n"
           "           ^\n",
    origin="""
The "billion laughs" YAML bomb: nine levels of anchors, each alias list
nine times the last (9^9 lols if expanded). SPEC 1.1: a query that
cannot be loaded is exit 2. logq refuses anchors and aliases in query
files outright (src/query.c: they would let a small file expand into a
huge tree), naming the first anchor's place; an alias with no anchor is
refused the same way. Columns: libyaml's, 1-based.
""")

case("hostile-yaml-tabs", r'''
"$LOGQ" data/hostile/tabs.yaml </dev/null
echo "status $?"
printf '{"a":1}\n{"a":2}\n' | "$LOGQ" -f csv data/hostile/tabs-ok.yaml
echo "status $?"
''', stdout="status 2\n" + csv([("n",), (1,)]) + "status 0\n",
    stderr="logq: data/hostile/tabs.yaml:2:1: YAML does not allow tabs "
           "for indentation; use spaces\n"
           "    \tn: count()\n"
           "    ^\n",
    origin="""
YAML forbids tabs for indentation (YAML 1.1 section 5.5): tabs.yaml
indents a mapping with a tab, an error at line 2, column 1, exit 2
(SPEC 1.1), saying so in words (issue 15: libyaml's "found character
that cannot start any token" did not). Tabs between tokens and before a
comment are allowed (tabs-ok.yaml): the query runs, 1 of 2 lines has
a == 1.
""")

# 12. A 1 MB expression. ---------------------------------------------------
case("hostile-expr-1mb-or", TMP + r'''
# 104 857 alternatives joined by `or`: a 1 MB `where`, in a file (argv
# takes at most 128 KB per argument).
python3 -c "
import sys
sys.stdout.write('where: \"' + 'a == 1 or ' * 104857 + 'a == 2\"\naggregate: {n: count()}\n')
" >"$t/q.yaml"
printf '{"a":1}\n{"a":2}\n{"a":3}\n' | "$LOGQ" -f csv "$t/q.yaml"
''', stdout=csv([("n",), (2,)]), origin="""
SPEC 3.2: `or` chains are plain expressions, whatever their length; a
generated allow-list (`tenant == "a" or tenant == "b" ...`) is how such
a 1 MB expression arises. Lines a=1 and a=2 match (the last alternative
is a == 2), a=3 does not: count 2.
""")

DEEP_MSG = "expression nested deeper than 256 levels"
for name, gen, col, what in (
        ("parens", "'(' * 524288 + 'a' + ')' * 524288", 9 + 255,
         "524 288 nested parentheses"),
        ("minus", "'-' * 1048576 + 'a'", 9 + 255, "a million unary minus"),
        ("not", "'not ' * 262144 + 'a'", 9 + 4 * 255, "262 144 `not`s")):
    case("hostile-expr-deep-" + name, TMP + r'''
# %s: a 1 MB expression nested a million deep
python3 -c "
import sys
sys.stdout.write('where: \"' + %s + '\"\naggregate: {n: count()}\n')
" >"$t/q.yaml"
cd "$t" && printf '{"a":1}\n' | "$LOGQ" -f csv q.yaml 2>err
echo "status $?"
head -n 1 err
''' % (what, gen), stdout="status 2\nlogq: q.yaml:1:%d: %s\n" % (col, DEEP_MSG),
        origin="""
SPEC 1.1/1.2: an expression that cannot be compiled is exit 2 with
FILE:LINE:COL, never a crash. %s nest the expression a million deep;
the parser must refuse it rather than recurse until the stack runs out.
Message and limit as proposed with these cases: "%s",
the place being the token that opens level 257. The text starts at
column 9, after `where: "`; the expression itself is level 1, so the
256th nested token (0-based index 255) opens level 257. Only the first
line of stderr is compared: the source line under it is 1 MB.
""" % (what, DEEP_MSG))

# 13. Catastrophic backtracking. ------------------------------------------
case("hostile-regex-backtrack", TMP + r'''
python3 -c "
import sys
for i in range(100):
    print('{\"m\":\"' + 'a' * 40 + 'b\"}')
print('{\"m\":\"aaaa\"}')
" >"$t/in"
"$LOGQ" -f csv -e '{where: "m =~ \"^(a+)+$\"", aggregate: {n: count()}}' "$t/in"
echo "status $?"
''', stdout=csv([("n",), (1,)]) + "status 0\n",
    stderr="logq: 100 regex matches stopped at PCRE2's match limit "
           "(counted as no match)\n",
    origin="""
The issue: a catastrophic-backtracking regex meets PCRE2's match limit,
and hitting it is reported, not hung on. ^(a+)+$ against 40 a's and a b
takes about 2^40 steps without a limit; logq sets PCRE2's match and
depth limits, counts each match stopped by them as no match, and says
how many at the end (src/main.c). The 100 hostile lines are not counted;
the one line of four a's matches: n = 1.
""")

# 14. Files that cannot be read, directories, FIFOs. ----------------------
case("hostile-files-unreadable", TMP + r'''
cd "$t" || exit 99
printf '{"a":1}\n' >good1
printf '{"a":2}\n{"a":3}\n' >good2
mkdir dir
"$LOGQ" -f csv -e '{aggregate: {n: count(), s: sum(a)}}' good1 missing dir good2
echo "status $?"
''', stdout=csv([("n", "s"), (3, 6)]) + "status 3\n",
    stderr="logq: cannot open 'missing': No such file or directory\n"
           "logq: 'dir' is a directory\n",
    origin="""
SPEC 1.1: exit 3 for an unreadable input; run.h: unreadable inputs are
reported and counted, the others still read. A missing file and a
directory given as a file are each reported (strerror for ENOENT), the
two good files are read: 3 lines, a summing to 1+2+3 = 6. Files made
unreadable by mode 000 are not tested: the tests may run as root, who
reads them anyway.
""")

case("hostile-read-error", r'''
"$LOGQ" -f csv -e '{aggregate: {n: count()}}' /proc/self/mem
echo "status $?"
''', stdout=csv([("n",), (0,)]) + "status 3\n",
    stderr="logq: error reading '/proc/self/mem': Input/output error\n",
    origin="""
SPEC 1.1: exit 3 for input that cannot be read. /proc/self/mem opens but
read(2) at offset 0 fails with EIO (nothing is mapped there): a read
error after a successful open. The results (one row, count 0, SPEC 3.3)
are still printed, and the run fails with 3.
""")

case("hostile-stdin-closed", r'''
# Under check-valgrind this one runs logq itself: valgrind keeps file
# descriptors of its own, so a closed fd 0 is not closed for its guest.
q=$LOGQ
[ -n "${LOGQ_UNDER_VALGRIND:-}" ] && q=$LOGQ_REAL
"$q" -f csv -e '{aggregate: {n: count()}}' <&-
echo "status $?"
''', stdout=csv([("n",), (0,)]) + "status 3\n",
    stderr="logq: cannot open '-': Bad file descriptor\n",
    origin="""
SPEC 1.1: exit 3 for input that cannot be read. With standard input
closed, fstat(0) fails with EBADF; the results (one row, count 0, SPEC
3.3) are still printed, and the run fails with 3.
""")

case("hostile-fifo", TMP + r'''
cd "$t" || exit 99
mkfifo in.fifo q.yaml || exit 99
# The writers give up after 20 s, should logq never open the FIFOs.
timeout 20 sh -c 'printf "{\"a\":1}\n{\"a\":2}\n{\"a\":3}" >in.fifo' &
timeout 20 sh -c 'printf "aggregate: {n: count(), s: sum(a)}\n" >q.yaml' &
"$LOGQ" -f csv q.yaml in.fifo
echo "status $?"
wait
''', stdout=csv([("n", "s"), (3, 6)]) + "status 0\n", origin="""
SPEC 2: input is read as a stream; a FIFO is read to its end like a
pipe (the writer closes after 3 lines, the last without a newline), and
a query file may be a FIFO too. 3 lines, a sums to 6.
""")

case("hostile-query-file-special", TMP + r'''
cd "$t" || exit 99
mkdir dir.yaml
for q in dir.yaml /dev/zero missing.yaml; do
	"$LOGQ" "$q" </dev/null
	echo "$q status $?"
done
''', stdout="dir.yaml status 2\n/dev/zero status 2\nmissing.yaml status 2\n",
    stderr="logq: cannot read query file 'dir.yaml': Is a directory\n"
           "logq: cannot read query file '/dev/zero': File too large\n"
           "logq: cannot read query file 'missing.yaml': No such file or "
           "directory\n",
    origin="""
SPEC 1.1: a query that cannot be loaded is exit 2. A directory, an
endless file (/dev/zero: logq stops at its 16 MB cap on query files,
src/query.c, with EFBIG's strerror) and a missing file are each refused
with the reason, never hung on.
""")
