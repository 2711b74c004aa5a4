# SPDX-License-Identifier: MIT
# Expected stdout (default) or status (--status) of
# nesting-cri-assert-skipped, independently of logq: a CRI file (argv[1])
# read as the kubelet reads it (ReadLogs: a P record's content is
# continued by its stream's next records up to an F; a run the file ends
# in is kept with what it has), a logical line at its first record's
# number. The rows are the lines whose text from the first '{' is a JSON
# object; $skipped at a row is the count of lines up to it that are
# neither such a line nor a later record of a run (joined: not skipped).
import json, re, sys

REC = re.compile(r'(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?'
                 r'(?:Z|[+-]\d\d:\d\d)) (stdout|stderr) ([PF])(?::[^ ]*)? (.*)')
heads, runs = {}, {}
for n, line in enumerate(open(sys.argv[1]).read().splitlines(), 1):
    m = REC.fullmatch(line)
    if not m:
        heads[n] = line
        continue
    t, s, tag, content = m.groups()
    if s in runs:
        heads[runs[s]] += content
        if tag == 'F':
            del runs[s]
        continue
    heads[n] = content
    if tag == 'P':
        runs[s] = n
rows, skipped, status = ['_lineno,msg'], 0, 0
for n in sorted(heads):
    text = heads[n]
    try:
        o = json.loads(text[text.index('{'):])
    except ValueError:
        skipped += 1
        continue
    rows.append('%d,%s' % (n, o['msg']))
    if not skipped <= 2:
        status = 1
print(status if sys.argv[2:] == ['--status'] else '\n'.join(rows))
