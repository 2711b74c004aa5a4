# SPDX-License-Identifier: MIT
# The latency built-in over Traefik's JSON access log by Traefik's
# documented conventions, independently of logq: Duration is in
# nanoseconds, RequestPath the path. Nearest-rank percentiles.
import json, math, re, sys
groups = {}
for line in open(sys.argv[1]):
    o = json.loads(line)
    path = o['RequestPath'].split('?')[0]
    route = '/'.join(':id' if re.fullmatch(r'[0-9]+', s) else s
                     for s in path.split('/'))
    groups.setdefault(route, []).append(o['Duration'] / 1e6)
def rank(v, q):
    v = sorted(v)
    return v[max(1, math.ceil(q * len(v))) - 1]
def num(x):
    return str(int(x)) if x == int(x) else repr(x)
rows = [(r, len(v), rank(v, .5), rank(v, .95), rank(v, .99), max(v))
        for r, v in groups.items()]
print('route,requests,p50_ms,p95_ms,p99_ms,max_ms')
for r in sorted(rows, key=lambda r: (-r[4], r[0])):
    print(','.join([r[0], str(r[1])] + [num(x) for x in r[2:]]))
