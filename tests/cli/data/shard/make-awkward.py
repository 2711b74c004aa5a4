#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes awkward.log, the --shard cases' input: 40 lines whose ends and
lengths are what byte-range shards get wrong: CRLF and LF ends, blank
lines, lines that are not JSON, one line of 3000 bytes (longer than a
shard of 3 or more), and a last line without a newline.
Deterministic: run it again and the file is byte-identical."""
import json, random

rng = random.Random(18)
out = bytearray()
for n in range(1, 41):
    if n % 9 == 0:
        line = b""                               # blank
    elif n % 11 == 0:
        line = b"not json at line %d" % n
    elif n == 17:
        line = json.dumps({"n": n, "pad": "x" * 3000}).encode()
    else:
        pad = "y" * rng.randrange(0, 120)
        line = json.dumps({"n": n, "level": rng.choice(["info", "error"]),
                           "pad": pad}).encode()
    out += line
    if n < 40:
        out += b"\r\n" if n % 3 == 0 else b"\n"
open("awkward.log", "wb").write(bytes(out))
