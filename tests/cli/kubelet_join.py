# SPDX-License-Identifier: MIT
# kubelet_join.py - the CRI golden cases' oracle of the kubelet's join,
# independent of logq. CRI records ("<RFC 3339 time> <stdout|stderr>
# <tag> <content>", the tag read up to its first ':', P or F) are joined
# as ReadLogs does (pkg/kubelet/kuberuntime/logs/logs.go): a P record's
# content is continued by its stream's next records up to an F; a run
# the file ends in is kept with what it has. Any other line is itself.
import re

REC = re.compile(r'(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?'
                 r'(?:Z|[+-]\d\d:\d\d)) (stdout|stderr) ([PF])(?::[^ ]*)? (.*)')


def join(path):
    """The logical lines of the file at PATH, and the later records of
    its runs: ({number: [time, stream, text]}, [number, ...]), a logical
    line at its first record's number (time and stream '' for a line
    that is no CRI record), numbers from 1."""
    heads, runs, joined = {}, {}, []
    for n, line in enumerate(open(path).read().splitlines(), 1):
        m = REC.fullmatch(line)
        if not m:
            heads[n] = ['', '', line]
            continue
        t, s, tag, content = m.groups()
        if s in runs:
            joined.append(n)
            heads[runs[s]][2] += content
            if tag == 'F':
                del runs[s]
            continue
        heads[n] = [t, s, content]
        if tag == 'P':
            runs[s] = n
    return heads, joined
