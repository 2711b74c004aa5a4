# SPDX-License-Identifier: MIT
# Expected stdout (default) or stderr (--stderr) of nesting-cri-too-long,
# independently of logq, from the input on standard input: CRI records
# joined per stream as the kubelet's ReadLogs does (a P record's content
# is continued by its stream's next records up to an F; a run the input
# ends in is kept with what it has), the line "<time> <stream> F
# <joined>" at its first record's number; one longer than CAP bytes is
# too long (skipped, named by -v); each later record of a run is joined.
import json, re, sys

CAP = 1000
NAME = '-'
REC = re.compile(r'(\S+) (stdout|stderr) ([PF]) (.*)')
heads, runs, joined = {}, {}, []
lines = sys.stdin.read().split('\n')
if lines[-1] == '':
    lines.pop()
for n, line in enumerate(lines, 1):
    t, s, tag, content = REC.fullmatch(line).groups()
    if s in runs:
        heads[runs[s]][1] += content
        joined.append(n)
        if tag == 'F':
            del runs[s]
        continue
    heads[n] = ['%s %s F ' % (t, s), content]
    if tag == 'P':
        runs[s] = n
rows, too_long = ['_lineno,msg,n'], []
for n in sorted(heads):
    head, content = heads[n]
    if len((head + content).encode()) > CAP:
        too_long.append(n)
        continue
    o = json.loads(content)
    rows.append('%d,%s,%d' % (n, o['msg'], o['n']))
if sys.argv[1:] == ['--stderr']:
    for n in too_long:
        print('logq: %s:%d: skipped: too long' % (NAME, n))
    used = len(rows) - 1
    print('logq: %d lines read, %d skipped (%d too long, first at %s:%d), '
          '%d joined (CRI records read into the line of their run\'s '
          'first, first at %s:%d)' % (used + len(too_long) + len(joined),
                                      len(too_long), len(too_long), NAME,
                                      too_long[0], len(joined), NAME,
                                      joined[0]))
else:
    print('\n'.join(rows))
