# SPDX-License-Identifier: MIT
# Expected rows of nesting-cri-partial, independently of logq: CRI
# records ("<RFC 3339 time> <stdout|stderr> <tag> <content>", the tag
# read up to its first ':', P or F) joined as the kubelet's ReadLogs
# does (pkg/kubelet/kuberuntime/logs/logs.go: a P record's content is
# continued by its stream's next records up to an F), the logical line
# at its first record's line with its time; a run the file ends in is
# kept with what it has. Any other line is itself; its object starts at
# its first '{'. With --summary: the end-of-run line instead, counting
# each line of the file once: used (an object), skipped (not JSON), or
# joined (a later record of a run).
import json
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))
from kubelet_join import join
rows, joined = join(sys.argv[1])
out, not_json = ['_lineno,_time,_stream,msg,n'], []
for n in sorted(rows):
    t, s, text = rows[n]
    try:
        o = json.loads(text[text.index('{'):])
    except ValueError:
        not_json.append(n)
        continue
    out.append('%d,%s,%s,%s,%s' % (n, t, s, o['msg'], o['n']))
if sys.argv[2:] == ['--summary']:
    name = 'cases/nesting-cri-partial/input.log'
    total = len(out) - 1 + len(not_json) + len(joined)
    print('logq: %d lines read, %d skipped (%d not JSON, first at %s:%d), '
          '%d joined (CRI records read into the line of their run\'s '
          'first, first at %s:%d)' % (total, len(not_json), len(not_json),
                                      name, not_json[0], len(joined), name,
                                      joined[0]))
else:
    print('\n'.join(out))
