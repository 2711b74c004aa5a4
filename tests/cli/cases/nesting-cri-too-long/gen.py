# SPDX-License-Identifier: MIT
# Input of nesting-cri-too-long: CRI records (<time> <stream> <P|F>
# <content>) whose runs join, as the kubelet joins them, into lines
# shorter and longer than the case's --max-line-bytes 1000.
import json

lines, sec = [], [0]


def rec(stream, tag, content):
    sec[0] += 1
    lines.append('2026-01-02T00:00:%02d.5Z %s %s %s' % (sec[0] % 60, stream,
                                                        tag, content))


def run(stream, text, size, end=True):
    parts = [text[k:k + size] for k in range(0, len(text), size)]
    for p in parts[:-1]:
        rec(stream, 'P', p)
    rec(stream, 'F' if end else 'P', parts[-1])


def obj(msg, n, pad=0):
    return json.dumps({'msg': msg, 'n': n, 'pad': 'x' * pad})


rec('stdout', 'F', obj('first', 1))
# A run of 60-byte parts joined into 3000 bytes, a stderr line in it.
text = obj('long', 2, 2950)
parts = [text[k:k + 60] for k in range(0, len(text), 60)]
for i, p in enumerate(parts):
    rec('stdout', 'F' if i == len(parts) - 1 else 'P', p)
    if i == 20:
        rec('stderr', 'F', obj('inside', 3))
rec('stdout', 'F', obj('after the long one', 4))
run('stdout', obj('short joined', 5, 500), 100)
# One partial record longer than the cap alone, its run ended by an F.
run('stderr', obj('one big record', 6, 1500), 1200)
rec('stderr', 'F', obj('after the big one', 7))
# A run of 100 000 bytes never ended, a stdout line after its start.
text = obj('never ended', 8, 100000)
parts = [text[k:k + 500] for k in range(0, len(text), 500)]
for i, p in enumerate(parts):
    rec('stderr', 'P', p)
    if i == 5:
        rec('stdout', 'F', obj('beside the endless one', 9))
print('\n'.join(lines))
