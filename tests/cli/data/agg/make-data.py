#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes the small inputs of the agg-* golden cases (run it from this
directory; deterministic, so a second run gives byte-identical files).

  fn.log           two groups, numbers (ints, reals, negatives), a numeric
                   string, null and missing values, names for first/last/
                   distinct, y for min_by/max_by (no ties)
  by.log           min_by/max_by ties: the earliest line wins
  pct-n0.log       percentile of no values: x absent or null on every line
  pct-n1.log       one value
  pct-n2.log       two values
  pct-n100.log     1..100 shuffled
  pct-ties.log     repeated values
  pct-neg.log      negatives and reals
  pct-mixed.log    numbers among strings, booleans, null, objects, lists
  bigint.log       integers whose sum needs all 64 bits (not a double)
  labels.log       group keys holding \\, " and a newline (prometheus)
  distinct.log     distinct() with null and missing values
  empty-object.log empty objects, {} and { } (JSON objects all the same)
  secrets-*.log    for no-secrets: per pattern family one line that must
                   match and a near miss that must not
  secrets-clean.log  every near miss, and nothing else
  timeline-times.log  the time forms of the field conventions (RFC 3339
                   with Z, an offset, 7 decimals; zerolog's epoch s, pino's
                   epoch ms, Go's time.Time.String(), nginx's $time_local,
                   an epoch-second string) across the new year 2026/2027,
                   each level and status convention, and two lines with no
                   usable time (none, and "yesterday")"""
import json, random


def dump(o):
    return json.dumps(o, separators=(",", ":"))


def write(name, objs):
    with open(name, "w") as f:
        for o in objs:
            f.write((o if isinstance(o, str) else dump(o)) + "\n")


write("fn.log", [
    {"g": "a", "x": 5, "y": 3, "name": "alice"},
    {"g": "b", "x": -2.5, "y": 7, "name": "bob"},
    {"g": "a", "x": "12", "y": 1, "name": "carol"},
    {"g": "a", "x": None, "y": 9, "name": "alice"},
    {"g": "b", "x": 10, "y": 6, "name": "dave"},
    {"g": "a", "x": 7, "y": 5, "name": "erin"},
    {"g": "b", "y": 2, "name": "frank"},
    {"g": "a", "x": -1, "y": 4, "name": "gina"},
])
write("by.log", [
    {"name": "first-low", "y": 1},
    {"name": "high", "y": 9},
    {"name": "second-low", "y": 1},
    {"name": "second-high", "y": 9},
    {"name": "no-y"},
])
write("pct-n0.log", [{"y": 1}, {"x": None}, {"x": "slow"}])
write("pct-n1.log", [{"x": 42}])
write("pct-n2.log", [{"x": 20}, {"x": 10}])
v = list(range(1, 101))
random.Random(3).shuffle(v)
write("pct-n100.log", [{"x": x} for x in v])
write("pct-ties.log", [{"x": x} for x in [5, 1, 5, 1, 5, 3, 3]])
write("pct-neg.log", [{"x": x} for x in [-3.5, -10, 0, 2, -1, 7.25]])
write("pct-mixed.log", [{"x": x} for x in
                        [4, "abc", True, None, 2, {"a": 1}, [1], 8, False]])
write("bigint.log", [{"n": 9007199254740993}, {"n": 2}])
write("labels.log", [{"k": "a\\b"}, {"k": 'say "hi"'}, {"k": "two\nlines"},
                     {"k": "say \"hi\""}])
write("distinct.log", [{"t": "x"}, {"t": None}, {"t": "y"}, {"u": 1},
                       {"t": "x"}, {"t": 1}, {"t": "1"}])
write("empty-object.log", ["{}", '{"a":1}', "{ }", " {}", "{}\r"])

# no-secrets: a positive line and a near miss per family (SPEC 3.4). The
# values are made up; the near misses are what a careful log still holds.
fam = {
    "pem": [
        {"msg": "loaded key", "key": "-----BEGIN RSA PRIVATE KEY-----\n"
         "MIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----"},
        {"msg": "loaded cert", "key": "-----BEGIN PUBLIC KEY-----\n"
         "MIIBIjANBgkqhkiG\n-----END PUBLIC KEY-----"},
    ],
    "service-account": [
        {"msg": "gcp credentials", "creds": dump(
            {"type": "service_account", "project_id": "attesto",
             "private_key_id": "3f2a9c0d1e4b5a6978c0d1e2f3a4b5c6d7e8f901"})},
        {"msg": "gcp credentials", "creds": dump(
            {"type": "service_account", "project_id": "attesto",
             "private_key_id": "3f2a9c0d"})},
    ],
    "bearer": [
        {"msg": "upstream call", "authorization":
         "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"},
        {"msg": "rejected: missing Bearer token", "status": 401},
    ],
    "api-key": [
        {"msg": "stripe client", "key": "sk_live_4eC39HqLyjWDarjtT1zdp7dc"},
        {"msg": "stripe client", "key": "sk_test_4eC39HqLyjWDarjtT1zdp7dc"},
    ],
    "aws": [
        {"msg": "s3 client", "access_key": "AKIA2E3MVXQZ7KLPHT4N"},
        {"msg": "s3 client", "access_key": "AKIAIOSFODNN7EXAMPLE"},
    ],
    "whsec": [
        {"msg": "webhook verify", "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLSYb"},
        {"msg": "webhook verify", "hint": "secrets look like whsec_..."},
    ],
    "webhook-field": [
        {"msg": "config", "webhook_secret": "s3cr3t-value-123"},
        {"msg": "config", "webhook_secret": "***"},
    ],
}
for name, (pos, neg) in fam.items():
    write("secrets-%s.log" % name, [pos, neg])
write("secrets-clean.log", [neg for pos, neg in fam.values()])

# The timeline query: which bucket each time form lands in. The comments
# give each line's instant in UTC.
write("timeline-times.log", [
    # 2026-12-31T23:58:59.999Z
    {"ts": "2026-12-31T23:58:59.999Z", "level": "info", "msg": "http_request",
     "path": "/a", "status": 200, "latencyMs": 12},
    # 2026-12-31T23:59:00Z, zerolog's epoch seconds
    {"level": "error", "time": 1798761540, "path": "/a", "status_code": 502,
     "duration_ms": 900, "message": "upstream"},
    # 2026-12-31T23:59:59.999Z, pino's epoch ms and numeric level
    {"level": 50, "time": 1798761599999, "req": {"url": "/b"},
     "res": {"statusCode": 503}, "responseTime": 1500, "msg": "upstream"},
    # 2026-12-31T23:59:30Z, nginx's $time_local in a time field
    {"time": "31/Dec/2026:23:59:30 +0000", "level": "info", "path": "/c",
     "status": 404, "latency_ms": 3},
    # 2026-12-31T23:59:59.9999999Z, the year's last 100 ns
    {"ts": "2026-12-31T23:59:59.9999999Z", "level": "info", "msg": "tick"},
    # 2027-01-01T00:00:00.5Z, slog with an offset
    {"time": "2027-01-01T09:00:00.5+09:00", "level": "ERROR", "msg": "boom",
     "path": "/a", "status": 200, "duration_ms": 45},
    # 2027-01-01T00:00:30.25Z, logrus's Go time.Time.String()
    {"level": "warning", "msg": "slow", "time":
     "2026-12-31 19:00:30.25 -0500 EST"},
    # 2027-01-01T00:00:00Z, zerolog's short "t" key
    {"t": 1798761600, "level": "info", "message": "new year"},
    # 2027-01-01T00:00:59.000001Z
    {"timestamp": "2027-01-01T00:00:59.000001Z", "level": "crit",
     "status": 599, "msg": "edge"},
    # 2027-01-01T00:01:00Z, epoch seconds as a string
    {"ts": "1798761660", "level": "fatal", "msg": "exit"},
    # no time at all, and a time that is no time
    {"level": "error", "msg": "no time"},
    {"ts": "yesterday", "level": "info", "status": 500, "msg": "words"},
])
