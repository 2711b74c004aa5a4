# SPDX-License-Identifier: MIT
# Expected output of the levels case, from the formats' documentation:
# CLEF (serilog-formatting-compact): @l absent is Information; its names
# Verbose..Fatal; bunyan/pino numbers 10..60 by tens, a number between
# two names is the lower; slog's "ERROR+4" is above ERROR, an error.
import json, re, sys
clef = {'verbose': 'trace', 'debug': 'debug', 'information': 'info',
        'warning': 'warn', 'error': 'error', 'fatal': 'fatal'}
names = ['trace', 'debug', 'info', 'warn', 'error', 'fatal']
rows = []
for line in open(sys.argv[1]):
    o = json.loads(line)
    if '@t' in o:
        lv = clef[o.get('@l', 'Information').lower()]
        rows.append((o['@t'], lv, o.get('@m', o.get('@mt')), o.get('@x', '')))
        continue
    lv = o['level']
    if isinstance(lv, int):
        lv = names[lv // 10 - 1]
    elif re.fullmatch(r'[A-Za-z]+[+-][0-9]+', lv):
        lv = re.split(r'[+-]', lv)[0].lower()
    rows.append((o['ts'], lv, o['msg'], ''))
print('level,msg,error')
for t, lv, m, e in rows:
    print(f'{lv},{m},{e}')
print('time,level,msg,error,path,tenant')
for t, lv, m, e in rows:
    if lv.lower() in ('error', 'fatal'):
        print(f'{t},{lv},{m},{e},,')
