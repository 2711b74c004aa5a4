# SPDX-License-Identifier: MIT
# Expected stdout of follow-reset-cri-joined, independently of logq, run
# from tests/cli: input.log's CRI records joined as the kubelet's
# ReadLogs joins them (a P record's content is continued by its
# stream's next records up to an F), each line counted once: used (its
# joined text from the first '{' a JSON object), skipped, or joined (a
# later record of a run); per print, the window's counts (--reset: the
# lines since the previous print), the header the run's so far.
import json
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))
from kubelet_join import join
L = open('cases/follow-reset-cri-joined/input.log').read().splitlines()
heads, joined = join('cases/follow-reset-cri-joined/input.log')
heads = {n: h[2] for n, h in heads.items()}
kind = {n: 'joined' for n in joined}
for n, text in heads.items():
    try:
        v = json.loads(text[text.index('{'):]) if '{' in text else None
    except ValueError:
        v = None
    kind[n] = 'json' if isinstance(v, dict) else 'skipped'
out = []
for a, b, final in ((1, 6, 'false'), (7, 12, 'false'), (13, 16, 'true')):
    w = [kind[n] for n in range(a, b + 1)]
    run = [kind[n] for n in range(1, b + 1)]
    c = {k: w.count(k) for k in ('json', 'skipped', 'joined')}
    out.append('{"logq": {"time": "TIME", "lines": %d, "rate": "RATE", '
               '"skipped": %d, "idle": "IDLE", "final": %s}}'
               % (b, run.count('skipped'), final))
    out.append('{"queries":[\n{"name":"query","columns":["n","lines","json",'
               '"skipped"],"rows":[\n{"n":%d,"lines":%d,"json":%d,'
               '"skipped":%d}\n],"assertions":[]}' % (c['json'], len(w),
                                                     c['json'], c['skipped']))
    out.append('],"stats":{"lines":%d,"json":%d,"skipped":%d,"joined":%d,'
               '"repaired":0},"percentiles":"exact"}' % (len(w), c['json'],
                                                        c['skipped'],
                                                        c['joined']))
skipped = [n for n in sorted(kind) if kind[n] == 'skipped']
print('\n'.join(out))
print('--- stderr')
print('logq: %d lines read, %d skipped (%d not JSON, first at -:%d), %d '
      'joined (CRI records read into the line of their run\'s first, first '
      'at -:%d)' % (len(L), len(skipped), len(skipped), skipped[0],
                    list(kind.values()).count('joined'),
                    min(n for n in kind if kind[n] == 'joined')))
print('--- status 0')
