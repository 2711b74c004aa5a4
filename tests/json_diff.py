#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# json_diff.py - logq's JSON reading against Python's json module (TAP).
#
# Issue 16: lines that SPEC 2 says to keep were skipped as "not JSON",
# and numbers read wrong, because two parsers (jscan and jansson) judged
# each line. This generates a corpus of random JSON objects and mutations
# of them (fixed seed: the same corpus on every run), runs logq over it
# with a query that prints every value of every line it used, and asks
# Python's json module, an independent parser, the same questions:
#   - which lines hold an object (SPEC 2's prefix rule: the first '{'
#     from which the rest of the line parses as one object, of the first
#     64 candidates, the line ending in '}');
#   - the value of each selected key and of a few nested paths (a.level),
#     nested objects and arrays included, with the type (integer or real)
#     of every nested number;
#   - the summary's skipped and repaired counts.
# Where Python and SPEC 2 read a line differently, SPEC 2's reading is
# applied to Python's answer, and only there:
#   - invalid UTF-8 bytes become U+FFFD each (decoded with
#     surrogateescape, then each escaped byte replaced), as do lone
#     surrogate escapes (Python keeps them as lone code points); a line
#     used with either counts as repaired;
#   - an integer beyond 64 bits is the nearest double (Python keeps it
#     exact), a number beyond a double's range is +-DBL_MAX (Python:
#     +-inf), as man/logq.1 says;
#   - nesting stays below Python's recursion limit and jansson's 2048
#     (tests/unit/jscan_test.c checks that limit).
# Usage: json_diff.py LOGQ [N] [SEED]; `make check` runs it through
# json_diff.sh. Writes the corpus and logq's output to a temporary
# directory; on a failure, the first differences are printed.
import json
import os
import random
import subprocess
import sys
import tempfile

sys.set_int_max_str_digits(0) if hasattr(sys, "set_int_max_str_digits") \
    else None

DBL_MAX = sys.float_info.max
INT64_MIN, INT64_MAX = -2 ** 63, 2 ** 63 - 1
KEYS = ["a", "b", "c", "d", "e"]
# Read through nested objects (jscan scans them on demand); a path
# missing as nested objects is tried as one flat key (logq(1)).
PATHS = ["a.level", "b.msg", "c.x", "d.level.x"]
MAX_CANDIDATES = 64             # EXTRACT_MAX_CANDIDATES

rng = None


# ---------------------------------------------------------------- corpus

def gen_int():
    r = rng.random()
    if r < 0.4:
        return str(rng.randint(-1000, 100000))
    if r < 0.6:
        return str(rng.choice([INT64_MIN, INT64_MAX, INT64_MIN + 1,
                               INT64_MAX - 1, 2 ** 63, -2 ** 63 - 1,
                               2 ** 64, 10 ** 18, -10 ** 18, 10 ** 19,
                               999999999999999999, 1000000000000000000,
                               9007199254740993, -9007199254740993]))
    if r < 0.8:
        return str(rng.randint(-10 ** 19, 10 ** 19))
    if r < 0.95:
        return str(rng.randint(-10 ** 40, 10 ** 40))
    n = rng.randint(60, 900)
    return rng.choice(["", "-"]) + str(rng.randrange(10 ** n, 10 ** (n + 1)))


def gen_real():
    r = rng.random()
    sign = rng.choice(["", "", "-"])
    if r < 0.3:
        return repr(rng.uniform(-1e6, 1e6))
    if r < 0.45:
        return sign + "%d.%de%s%d" % (rng.randint(0, 9),
                                      rng.randint(0, 99999),
                                      rng.choice(["", "+", "-"]),
                                      rng.randint(0, 330))
    if r < 0.6:       # at and past a double's range
        return sign + "%de%s%d" % (rng.randint(1, 9),
                                   rng.choice(["", "+", "-"]),
                                   rng.choice([308, 309, 323, 324, 400,
                                               999, 100000]))
    if r < 0.7:
        return rng.choice(["-0", "-0.0", "0.0", "0e5", "0E-5", "-0e0",
                           "1.7976931348623157e308",
                           "1.7976931348623159e308",
                           "4.9406564584124654e-324",
                           "2.4703282292062328e-324",
                           "2.4703282292062327e-324", "1e-400",
                           "9007199254740993.0", "0.1", "1E2", "1e+2"])
    # long mantissas: correct rounding needs every digit
    n = rng.randint(20, 1200)
    digits = str(rng.randrange(10 ** n)).zfill(n)
    if rng.random() < 0.3:      # a halfway case, then a digit far away
        digits = "9007199254740993" + "0" * rng.randint(0, 800) + \
            rng.choice(["", "1"])
    point = rng.randint(1, len(digits))
    s = sign + (digits[:point].lstrip("0") or "0") + "." + \
        (digits[point:] or "0")
    if rng.random() < 0.5:
        s += "e%d" % rng.randint(-350, 350)
    return s


ESCAPES = ['\\"', "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t"]


def gen_string_body():
    parts = []
    for _ in range(rng.randint(0, 8)):
        r = rng.random()
        if r < 0.35:
            parts.append("".join(rng.choice("abcxyz 019_-.:/{}[],")
                                 for _ in range(rng.randint(1, 12))))
        elif r < 0.45:
            parts.append(rng.choice(ESCAPES))
        elif r < 0.6:
            cp = rng.choice([rng.randint(0, 0x7f), rng.randint(0x80, 0x7ff),
                             rng.randint(0x800, 0xd7ff),
                             rng.randint(0xe000, 0xffff), 0, 0x1f, 0x7f,
                             0xfffd, 0xfeff])
            parts.append(("\\u%04x" if rng.random() < 0.5 else
                          "\\u%04X") % cp)
        elif r < 0.68:     # a surrogate pair
            cp = rng.randint(0x10000, 0x10ffff) - 0x10000
            parts.append("\\u%04x\\u%04x" % (0xd800 + (cp >> 10),
                                             0xdc00 + (cp & 0x3ff)))
        elif r < 0.74:     # a lone surrogate: U+FFFD and repaired
            parts.append("\\u%04x" % rng.choice(
                [rng.randint(0xd800, 0xdbff), rng.randint(0xdc00, 0xdfff)]))
        elif r < 0.76:     # a pair the wrong way round
            parts.append("\\udc00\\ud800")
        elif r < 0.88:     # raw UTF-8
            parts.append(rng.choice(["é", "€", "😀", "日本", "\u2028",
                                     "\u00a0"]))
        elif r < 0.92:     # a NUL escape
            parts.append("\\u0000")
        else:              # invalid UTF-8 bytes: kept as surrogateescape
            parts.append(bytes(rng.choice([[0xff], [0xc0, 0x80], [0xe2, 0x82],
                                           [0xed, 0xa0, 0x80], [0x80],
                                           [0xf4, 0x90, 0x80, 0x80]]))
                         .decode("utf-8", "surrogateescape"))
    return "".join(parts)


def ws():
    if rng.random() < 0.85:
        return ""
    return "".join(rng.choice(" \t\r") for _ in range(rng.randint(1, 3)))


def gen_key(top):
    r = rng.random()
    if top and r < 0.75:
        k = rng.choice(KEYS)
        if rng.random() < 0.1:          # the same key, escaped
            i = rng.randrange(len(k))
            k = k[:i] + "\\u%04x" % ord(k[i]) + k[i + 1:]
        return k
    if r < 0.85:
        return rng.choice(["x", "level", "msg", "lev\\u0065l", "m\\u0073g",
                           "", "k\\u0000",
                           "\\u0000", "n\\u00e9", "\\ud800",
                           "\\ud83d\\ude00", "a\\tb", "\\\"q\\\""])
    return gen_string_body()


def gen_value(depth):
    r = rng.random()
    if depth > 0 and r < 0.2:
        return gen_container(depth - 1)
    if r < 0.35:
        return gen_int()
    if r < 0.55:
        return gen_real()
    if r < 0.9:
        return '"' + gen_string_body() + '"'
    return rng.choice(["true", "false", "null"])


def gen_container(depth):
    if rng.random() < 0.5:
        items = [gen_value(depth) for _ in range(rng.randint(0, 5))]
        return "[" + ws() + ("," + ws()).join(i + ws() for i in items) + "]"
    members = ['"%s"%s:%s%s%s' % (gen_key(False), ws(), ws(),
                                  gen_value(depth), ws())
               for _ in range(rng.randint(0, 5))]
    return "{" + ws() + ("," + ws()).join(members) + "}"


def gen_deep():
    n = rng.randint(20, 300)
    opens = [rng.choice(["[", '{"k":']) for _ in range(n)]
    closes = ["]" if o == "[" else "}" for o in reversed(opens)]
    return "".join(opens) + gen_value(0) + "".join(closes)


PREFIXES = ["2026-04-25T03:01:53Z app[148e4d55f36278] iad [info] ",
            "[pod/api-7d9f8c6b5-x2k4q/api] ", "api-1  | ", "junk { ",
            "{ not json ", "\u00e9\udcff "]


def gen_line():
    members = []
    for _ in range(rng.randint(0, 9)):
        v = gen_deep() if rng.random() < 0.03 else gen_value(3)
        members.append('"%s"%s:%s%s%s' % (gen_key(True), ws(), ws(), v, ws()))
    line = ws() + "{" + ws() + ("," + ws()).join(members) + "}" + ws()
    if rng.random() < 0.1:
        line = rng.choice(PREFIXES) + line
    return line.encode("utf-8", "surrogateescape")


MUTATE = b'{}[]":,\\ \t\r0123456789-+.eEtrufalsnuUdDaAfF\x00\x01\x1f\x7f' \
    b'\x80\xc3\xed\xff'


def mutate(line):
    b = bytearray(line)
    for _ in range(rng.randint(1, 3)):
        r = rng.random()
        at = rng.randrange(len(b) + 1)
        if r < 0.3 and len(b) > 1:
            del b[min(at, len(b) - 1)]
        elif r < 0.6:
            b.insert(at, rng.choice(MUTATE))
        elif r < 0.8 and len(b) > 0:
            b[min(at, len(b) - 1)] = rng.choice(MUTATE)
        elif r < 0.9:
            del b[at:]
            b += b"}"
        else:
            end = min(len(b), at + rng.randint(1, 20))
            b[at:at] = b[at:end]
    return bytes(b)


def corpus(n):
    lines = [b'{"a":1}']        # no compression magic at the start
    big = b'{' + b','.join(b'"k%d":%d' % (i, i) for i in range(65010)) + \
        b',"a":12345678901234567,"b":"\\ud800","c":1e400}'
    lines.append(big)           # too many members for jscan to index
    while len(lines) < n:
        line = gen_line()
        if rng.random() < 0.5:
            line = mutate(line)
        lines.append(line.replace(b"\n", b" "))
    return lines


# ------------------------------------------------------ Python's reading

def bad_constant(name):
    raise ValueError("not JSON: " + name)


def has_lone_shallow(v):
    if isinstance(v, str):
        return any(0xd800 <= ord(c) <= 0xdfff for c in v)
    if isinstance(v, (list, tuple)):
        return any(has_lone_shallow(x) for x in v)
    return False


def fix_str(s):
    return "".join("\ufffd" if 0xd800 <= ord(c) <= 0xdfff else c for c in s)


def norm(v):
    """Python's value as SPEC 2 and man/logq.1 say logq reads it."""
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, int):
        if INT64_MIN <= v <= INT64_MAX:
            return v
        try:
            return float(v)
        except OverflowError:
            return DBL_MAX if v > 0 else -DBL_MAX
    if isinstance(v, float):
        if v != v:
            raise ValueError("NaN")
        if v in (float("inf"), float("-inf")):
            return DBL_MAX if v > 0 else -DBL_MAX
        return v
    if isinstance(v, str):
        return fix_str(v)
    if isinstance(v, list):
        return [norm(x) for x in v]
    out = {}
    for k, x in v.items():          # keys made equal: the last one wins
        out[fix_str(k)] = norm(x)
    return out


def python_reads(raw):
    """(object or None, repaired) for one line, as SPEC 2 reads it; a
    skipped line is not counted as repaired (run.c counts used lines)."""
    text = raw.decode("utf-8", "surrogateescape")
    bad_utf8 = any(0xdc80 <= ord(c) <= 0xdcff for c in text)
    text = "".join("\ufffd" if 0xdc80 <= ord(c) <= 0xdcff else c
                   for c in text)
    end = text.rstrip(" \t\r")
    if not end.endswith("}"):
        return None, False
    tries = 0
    pos = end.find("{")
    while pos != -1 and pos < len(end) - 1 and tries < MAX_CANDIDATES:
        tries += 1
        lone = []

        def pairs(items):
            # every member, also those a repeated key replaces; nested
            # objects were looked at by their own call
            if has_lone_shallow(items):
                lone.append(1)
            return dict(items)
        try:
            obj = json.loads(end[pos:], parse_constant=bad_constant,
                             object_pairs_hook=pairs)
        except (ValueError, RecursionError):
            obj = None
        if isinstance(obj, dict):
            return obj, bad_utf8 or bool(lone)
        pos = end.find("{", pos + 1)
    return None, False


# ------------------------------------------------------------ comparison

def get_path(obj, path):
    v = obj
    for seg in path.split("."):
        if not isinstance(v, dict) or seg not in v:
            return obj.get(path)       # the flat key, or missing
        v = v[seg]
    return v


def leaves(v):
    if isinstance(v, dict):
        return sum(leaves(x) for x in v.values()) + 1
    if isinstance(v, list):
        return sum(leaves(x) for x in v) + 1
    return 1


def same(want, got, nested):
    """Equal, and of the same kind. At the top level logq prints a real
    without a fraction as an integer (2.0 as 2, SPEC 4.2): there an
    integer token is taken for a real of that value, never the other way
    round (an integer read as a double prints as one)."""
    if isinstance(want, bool) or want is None:
        return type(got) is type(want) and got == want
    if isinstance(want, int):
        return type(got) is int and got == want
    if isinstance(want, float):
        if type(got) is float:
            return got == want
        return not nested and type(got) is int and float(got) == want \
            and abs(want) < 2.0 ** 63
    if isinstance(want, str):
        return type(got) is str and got == want
    if isinstance(want, list):
        return type(got) is list and len(got) == len(want) and \
            all(same(w, g, True) for w, g in zip(want, got))
    return type(got) is dict and set(got) == set(want) and \
        all(same(want[k], got[k], True) for k in want)


def main():
    global rng
    logq = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 16
    rng = random.Random(seed)
    lines = corpus(n)
    tmp = tempfile.mkdtemp(prefix="json_diff.")
    path = os.path.join(tmp, "corpus.log")
    with open(path, "wb") as f:
        f.write(b"\n".join(lines) + b"\n")
    query = "{select: [_lineno, %s]}" % ", ".join(KEYS + PATHS)
    env = dict(os.environ, LC_ALL="C.UTF-8", TZ="UTC")
    env.pop("LOGQ_PATH", None)
    p = subprocess.run([logq, "-f", "ndjson", "-e", query, path],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       env=env)
    print("1..5")
    print("# corpus: %d lines (seed %d) in %s" % (len(lines), seed, path))
    if p.returncode != 0:
        print("not ok 1 - logq ran (status %d): %s" %
              (p.returncode, p.stderr.decode("utf-8", "replace")[:500]))
        return 1
    print("ok 1 - logq ran")
    rows = {}
    for row in p.stdout.decode("utf-8").split("\n"):
        if not row:
            continue
        r = json.loads(row, parse_constant=bad_constant)
        rows[r["_lineno"]] = r

    skipped_only_logq, kept_only_logq, differ = [], [], []
    values = 0
    py_skipped = py_repaired = 0
    for i, raw in enumerate(lines, 1):
        obj, repaired = python_reads(raw)
        py_repaired += repaired
        if obj is None:
            py_skipped += 1
            if i in rows:
                kept_only_logq.append(i)
            continue
        if i not in rows:
            skipped_only_logq.append(i)
            continue
        want = norm(obj)
        for k in KEYS + PATHS:
            w = get_path(want, k)
            values += leaves(w)
            if not same(w, rows[i][k], False):
                differ.append((i, k, w, rows[i][k]))

    def show(nums):
        for i in nums[:5]:
            print("#   line %d: %r" % (i, lines[i - 1][:300]))

    ok = not skipped_only_logq
    print("%s 2 - no line skipped that Python's json reads as an object "
          "(%d skipped by logq alone)" % ("ok" if ok else "not ok",
                                          len(skipped_only_logq)))
    show(skipped_only_logq)
    ok = not kept_only_logq
    print("%s 3 - no line kept that Python's json rejects (%d kept by "
          "logq alone)" % ("ok" if ok else "not ok", len(kept_only_logq)))
    show(kept_only_logq)
    ok = not differ and values > 100000
    print("%s 4 - every value equal, integers exact (%d values of %d "
          "lines compared, %d lines differ)" %
          ("ok" if ok else "not ok", values, len(rows),
           len(set(d[0] for d in differ))))
    for i, k, w, g in differ[:5]:
        print("#   line %d, %s: python %.200r, logq %.200r" % (i, k, w, g))
        print("#     %r" % lines[i - 1][:300])

    err = p.stderr.decode("utf-8", "replace")
    want = "logq: %d lines read, %d skipped (" % (len(lines), py_skipped)
    want_rep = ", %d repaired (invalid UTF-8 or lone surrogates, first " \
        "at " % py_repaired
    ok = err.startswith(want) and want_rep in err
    print("%s 5 - the summary counts %d skipped, %d repaired" %
          ("ok" if ok else "not ok", py_skipped, py_repaired))
    if not ok:
        print("#   got: %s" % err.strip()[:400])
    print("# python skipped %d lines of %d, repaired %d" %
          (py_skipped, len(lines), py_repaired))
    failed = skipped_only_logq or kept_only_logq or differ or not ok
    if failed:
        return 1
    os.remove(path)
    os.rmdir(tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
