#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""cri.py - CRI partial records joined, against an oracle (TAP).

The CRI log format (/var/log/containers/*.log) writes a line longer than
the runtime's buffer (containerd: max_container_log_line_size, 16 KiB)
as records "<time> <stream> P <part>" ended by "<time> <stream> F
<part>", per stream, stdout and stderr interleaved. The oracle below
joins them as the kubelet's ReadLogs does for `kubectl logs`
(kubernetes pkg/kubelet/kuberuntime/logs/logs.go: a P record's content
goes to its stream's writer without a newline), one logical line at its
first record's line number, with that record's time; a run that the
file ends in the middle of is kept with what it has. Generated files
(seeded: JSON lines of 50 bytes to 40 KB, split at 50 bytes to 16 KiB,
records of the two streams shuffled, an unended run at the end) are
read by logq whole with -j 1 and -j 2, from a pipe (other spans), and
in --shard I/N for N = 2..5, whose rows together must be the one pass's
and whose lines read must add up to the file's; and with
--max-line-bytes, which applies to the joined line. The json format's
stats must count each line once: used, skipped (not an object, or too
long), or joined (a later record of a run), as the oracle counts them,
whole and summed over the shards.
Usage: cri.py LOGQ"""
import json
import os
import random
import re
import subprocess
import sys
import tempfile

LOGQ = sys.argv[1]
QUERY = '{select: [_lineno, _time, _stream, msg, n]}'
REC = re.compile(r'(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?'
                 r'(?:Z|[+-]\d\d:\d\d)) (stdout|stderr) ([PF])(?::[^ ]*)? '
                 r'(.*)', re.S)


def generate(seed, count):
    rnd = random.Random(seed)
    pending = {'stdout': [], 'stderr': []}
    out = []
    sec = [0]

    def stamp():
        sec[0] += 1
        s = sec[0]
        return '2026-01-02T%02d:%02d:%02d.%dZ' % (
            s // 3600 % 24, s // 60 % 60, s % 60, s % 997 + 1)

    def emit(stream):
        part, tag = pending[stream].pop(0)
        out.append('%s %s %s %s' % (stamp(), stream, tag, part))

    for i in range(count):
        stream = rnd.choice(['stdout', 'stderr'])
        pad = 'x' * rnd.choice([0, 10, 100, 5000, 40000])
        text = json.dumps({'msg': 'm%d' % i, 'n': i, 'pad': pad})
        size = rnd.choice([16384, 4096, 1000, 50])
        parts = [text[k:k + size] for k in range(0, len(text), size)]
        pending[stream] += [(p, 'P') for p in parts[:-1]]
        pending[stream].append((parts[-1], 'F'))
        while any(pending.values()) and rnd.random() < 0.7:
            emit(rnd.choice([k for k in pending if pending[k]]))
    for stream in pending:
        while pending[stream]:
            emit(stream)
    # A run never ended: the file stops in the middle of a line.
    out.append('%s stderr P %s' % (stamp(), json.dumps({'msg': 'cut',
                                                         'n': count})))
    return '\n'.join(out) + '\n'


def oracle(text, cap=0):
    """CSV rows of the logical lines that are JSON objects, by line; the
    number of lines; and the counts json, skipped and joined."""
    rows, runs, joined = {}, {}, 0
    lines = text.split('\n')
    if lines[-1] == '':
        lines.pop()
    for num, line in enumerate(lines, 1):
        m = REC.fullmatch(line)
        if not m:
            rows[num] = ['', '', line, line]
            continue
        t, s, tag, content = m.groups()
        if s in runs:
            joined += 1
            rows[runs[s]][2] += content
            rows[runs[s]][3] += content
            if tag == 'F':
                del runs[s]
            continue
        rows[num] = [t, s, content, '%s %s F %s' % (t, s, content)]
        if tag == 'P':
            runs[s] = num
    csv = ['_lineno,_time,_stream,msg,n']
    used = 0
    for num in sorted(rows):
        t, s, content, line = rows[num]
        if cap and len(line.encode()) > cap:
            continue
        try:
            o = json.loads(content)
        except ValueError:
            continue
        if isinstance(o, dict):
            used += 1
            csv.append('%d,%s,%s,%s,%s' % (num, t, s, o['msg'], o['n']))
    counts = {'json': used, 'skipped': len(rows) - used, 'joined': joined}
    return '\n'.join(csv) + '\n', len(lines), counts


def logq(args, path, stdin=False):
    cmd = [LOGQ, '-f', 'csv', '-e', QUERY] + args
    if stdin:
        with open(path, 'rb') as f:
            p = subprocess.run(cmd + ['-'], stdin=f, capture_output=True)
    else:
        p = subprocess.run(cmd + [path], capture_output=True)
    return p.returncode, p.stdout.decode()


def stats(args, path):
    p = subprocess.run([LOGQ, '-f', 'json', '-e', QUERY] + args + [path],
                       capture_output=True)
    return json.loads(p.stdout)['stats']


def counts(st):
    return {k: st.get(k) for k in ('json', 'skipped', 'joined')}


def main():
    results = []

    def check(ok, what):
        results.append(('ok' if ok else 'not ok') + ' %d - %s' %
                        (len(results) + 1, what))

    with tempfile.TemporaryDirectory() as tmp:
        for seed, count in ((1, 400), (2, 2500)):
            path = os.path.join(tmp, 'c%d.log' % seed)
            text = generate(seed, count)
            with open(path, 'w') as f:
                f.write(text)
            want, nlines, want_counts = oracle(text)
            name = 'seed %d (%d records)' % (seed, nlines)
            for args, stdin, how in (([ '-j', '1'], False, '-j 1'),
                                     (['-j', '2'], False, '-j 2'),
                                     (['-j', '2'], True, 'a pipe')):
                rc, got = logq(args, path, stdin)
                check(rc == 0 and got == want, '%s: read with %s gives the '
                      'oracle\'s joined lines' % (name, how))
            st = stats(['-j', '2'], path)
            check(st['lines'] == nlines and counts(st) == want_counts,
                  '%s: stats %d lines, %s; the oracle %d lines, %s' %
                  (name, st['lines'], counts(st), nlines, want_counts))
            for n in range(2, 6):
                rows, total = [], 0
                summed = {'json': 0, 'skipped': 0, 'joined': 0}
                for i in range(1, n + 1):
                    arg = ['--shard', '%d/%d' % (i, n)]
                    rc, got = logq(arg, path)
                    rows += got.splitlines()[1:]
                    st = stats(arg, path)
                    total += st['lines']
                    for k in summed:
                        summed[k] += st.get(k, 0)
                rows.sort(key=lambda r: int(r.split(',')[0]))
                check('\n'.join(['_lineno,_time,_stream,msg,n'] + rows)
                      + '\n' == want, '%s: --shard I/%d together give the '
                      'one pass\'s lines' % (name, n))
                check(total == nlines, '%s: --shard I/%d read %d lines in '
                      'all, the file has %d' % (name, n, total, nlines))
                check(summed == want_counts, '%s: --shard I/%d counted %s in '
                      'all, the oracle %s' % (name, n, summed, want_counts))
            cap = 6000
            want_cap, _, want_counts = oracle(text, cap)
            rc, got = logq(['--max-line-bytes', str(cap)], path)
            check(got == want_cap, '%s: --max-line-bytes %d '
                  'applies to the joined line' % (name, cap))
            for args, how in ((['-j', '1'], '-j 1'), (['-j', '2'], '-j 2')):
                st = stats(args + ['--max-line-bytes', str(cap)], path)
                check(st['lines'] == nlines and counts(st) == want_counts,
                      '%s: --max-line-bytes %d with %s: stats %s, the '
                      'oracle\'s %s (too long lines skipped)' %
                      (name, cap, how, counts(st), want_counts))
    print('1..%d' % len(results))
    print('\n'.join(results))
    return 0


sys.exit(main())
