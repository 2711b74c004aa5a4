#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""make-hostile.py - writes the small inputs of the hostile-* CLI cases.

Big inputs (100 MB lines, 10 million levels of nesting, 1 MB expressions,
binary garbage) are made inside each case's cmd instead of committed.
Run from anywhere: python3 tests/cli/data/hostile/make-hostile.py
"""
import os

here = os.path.dirname(os.path.abspath(__file__))


def put(name, data):
    with open(os.path.join(here, name), "wb") as f:
        f.write(data)


# Invalid UTF-8 of every class (Unicode table 3-7), one per line, inside a
# string value; then in a key, in the prefix, after the object; and one
# line of valid multibyte text that must not count as repaired.
utf8 = [
    (b"overlong-2", b"\xc0\xaf"),
    (b"overlong-2-c1", b"\xc1\xbf"),
    (b"overlong-3", b"\xe0\x80\xaf"),
    (b"overlong-4", b"\xf0\x80\x80\xaf"),
    (b"surrogate-high", b"\xed\xa0\x80"),
    (b"surrogate-low", b"\xed\xbf\xbf"),
    (b"beyond-10ffff", b"\xf4\x90\x80\x80"),
    (b"f5-lead", b"\xf5\x80\x80\x80"),
    (b"cut-2", b"\xc3"),
    (b"cut-3", b"\xe2\x82"),
    (b"cut-4", b"\xf0\x9f\x98"),
    (b"lone-continuation", b"\x80"),
    (b"byte-fe", b"\xfe"),
    (b"byte-ff", b"\xff"),
    (b"mixed", b"ok\xff\xc3\xa9\xe2\x82\xac\xed\xa0\x80!"),
]
lines = [b'{"c":"' + c + b'","m":"' + m + b'"}' for c, m in utf8]
lines.append(b'{"c":"in-key","m\xff":"x","m":"key"}')
lines.append(b'\xfe\xff {"c":"in-prefix","m":"prefix"}')
lines.append(b'{"c":"after-object","m":"x"} \xff')
lines.append(b'{"c":"valid","m":"caf\xc3\xa9 \xe2\x98\x83 \xf0\x9f\x98\x80"}')
put("utf8.log", b"\n".join(lines) + b"\n")

# NUL bytes: raw inside a string and a key (not JSON: control characters
# must be escaped), escaped inside a string (kept), before the object (a
# prefix), after it (trailing garbage), and a line of NULs alone.
put("nul.log", b"\n".join([
    b'{"c":"raw-in-string","a":"x\x00y"}',
    b'{"c":"raw-in-key","a\x00":1}',
    b'{"c":"escaped","a":"p\\u0000q"}',
    b'\x00\x00 {"c":"prefix","a":"n"}',
    b'{"c":"trailing","a":"t"}\x00',
    b'\x00\x00\x00\x00',
    b'{"c":"last","a":"z"}',
]) + b"\n")

# Duplicate keys (the last wins, as in jq), empty keys, and keys that
# look like logq's special fields, with and without a kubectl prefix.
put("keys.log", b"\n".join([
    b'{"a":1,"a":2,"":5,"b":{"":6,"c":7,"c":8}}',
    b'{"_line":"fake","_file":"fake.log","_lineno":99,"_prefix":"p",'
    b'"_time":"t","_pod":"q"}',
    b'2026-04-25T03:01:53Z [pod/api-1/web] {"_line":"fake",'
    b'"_file":"fake.log","_lineno":99,"_prefix":"p","_time":"t",'
    b'"_pod":"q"}',
]) + b"\n")

# YAML: tab indentation (an error), tabs as separators (fine), the
# "billion laughs" anchors and aliases, an alias alone, and block
# mappings nested 100 deep.
put("tabs.yaml", b"aggregate:\n\tn: count()\n")
put("tabs-ok.yaml", b"aggregate: {n:\tcount()}\t# tabs between tokens\n"
    b"where:\t\"a == 1\"\n")
laughs = [b"name: lol", b"params:",
          b"  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
prev = b"a"
for name in b"bcdefghi":
    n = bytes([name])
    laughs.append(b"  " + n + b": &" + n + b" [" +
                  b", ".join([b"*" + prev] * 9) + b"]")
    prev = n
laughs.append(b"aggregate: {n: count()}")
put("laughs.yaml", b"\n".join(laughs) + b"\n")
put("alias.yaml", b"where: *nowhere\naggregate: {n: count()}\n")
put("deep.yaml", b"".join(b"  " * i + b"k%d:\n" % i for i in range(100)))
