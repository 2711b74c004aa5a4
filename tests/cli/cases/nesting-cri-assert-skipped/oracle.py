# SPDX-License-Identifier: MIT
# Expected stdout (default) or status (--status) of
# nesting-cri-assert-skipped, independently of logq: a CRI file (argv[1])
# read as the kubelet reads it (ReadLogs: a P record's content is
# continued by its stream's next records up to an F; a run the file ends
# in is kept with what it has), a logical line at its first record's
# number. The rows are the lines whose text from the first '{' is a JSON
# object; $skipped at a row is the count of lines up to it that are
# neither such a line nor a later record of a run (joined: not skipped).
import json
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))
from kubelet_join import join
heads = {n: h[2] for n, h in join(sys.argv[1])[0].items()}
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
