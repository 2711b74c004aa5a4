# SPDX-License-Identifier: MIT
# Expected stdout of nesting-cri-stats, independently of logq: the input
# health of a CRI file (argv[1]) read as the kubelet reads it (ReadLogs:
# a P record's content is continued by its stream's next records up to
# an F; a run the file ends in is kept with what it has). Each line is
# counted once: its run's first record or a line of its own is used
# when its text from the first '{' is a JSON object, else skipped; a
# later record of a run is joined.
import json
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))
from kubelet_join import join
heads, joined_at = join(sys.argv[1])
heads = {n: h[2] for n, h in heads.items()}
joined = len(joined_at)
lines = open(sys.argv[1]).read().splitlines()
used = 0
for text in heads.values():
    try:
        used += isinstance(json.loads(text[text.index('{'):]), dict)
    except ValueError:
        pass
skipped = len(heads) - used
print('{"queries":[\n{"name":"query","columns":["used","lines","json",'
      '"skipped"],"rows":[\n{"used":%d,"lines":%d,"json":%d,"skipped":%d}\n'
      '],"assertions":[]}\n],"stats":{"lines":%d,"json":%d,"skipped":%d,'
      '"joined":%d,"repaired":0},"percentiles":"exact"}'
      % (used, len(lines), used, skipped, len(lines), used, skipped, joined))
