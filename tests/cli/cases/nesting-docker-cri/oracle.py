# SPDX-License-Identifier: MIT
# Expected rows of the nesting case, from the formats' documentation
# (Docker json-file: {"log": the line as written, "stream", "time"};
# the CRI log format: "<RFC 3339 time> <stdout|stderr> <P|F> <line>"),
# independently of logq. One level of unwrapping; an inner text that is
# not one JSON object leaves the wrapper as the line's object.
import json, re, sys
RFC = r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)'
def obj(text):
    try:
        o = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return o if isinstance(o, dict) else None
print('_lineno,_time,_stream,level,status,path')
for n, line in enumerate(open(sys.argv[1]), 1):
    line = line.rstrip('\n')
    t = s = ''
    m = re.fullmatch(r'(' + RFC + r') (stdout|stderr) F (\{.*\})', line)
    if m:
        t, s, o = m.group(1), m.group(4), obj(m.group(5))
    else:
        o = obj(line[line.index('{'):])
        keys = list(o)
        if 'log' in keys[:2] and isinstance(o['log'], str) and (
                isinstance(o.get('time'), str) or
                isinstance(o.get('stream'), str)):
            inner = obj(o['log'].strip())
            if inner is not None:
                t, s, o = o.get('time', ''), o.get('stream', ''), inner
    row = [str(n), t, s] + ['' if o.get(k) is None else str(o[k])
                            for k in ('level', 'status', 'path')]
    print(','.join(row))
