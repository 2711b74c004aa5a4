# SPDX-License-Identifier: MIT
# The status built-in over Caddy's log by Caddy's documented conventions,
# independently of logq: a request is a line of the http.log.access*
# logger (its http.log.error line is the same request's error); path is
# request.uri, status is status.
import json, re, sys
groups = {}
for line in open(sys.argv[1]):
    o = json.loads(line[line.index('{'):])
    if not str(o.get('logger', '')).startswith('http.log.access'):
        continue
    path = o['request']['uri'].split('?')[0]
    route = '/'.join(':id' if re.fullmatch(r'[0-9]+', s) else s
                     for s in path.split('/'))
    g = groups.setdefault(route, [0, 0, 0, 0, 0])
    g[0] += 1
    st = o['status']
    for i, lo in enumerate((200, 300, 400, 500)):
        if lo <= st < lo + 100:
            g[i + 1] += 1
def num(x):
    return str(int(x)) if x == int(x) else repr(x)
print('route,requests,2xx,3xx,4xx,5xx,pct_5xx')
for r, g in sorted(groups.items(), key=lambda kv: (-kv[1][0], kv[0])):
    print(','.join([r] + [str(v) for v in g] + [num(100.0 * g[4] / g[0])]))
