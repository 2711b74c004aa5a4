# SPDX-License-Identifier: MIT
# Input of nesting-cri-drop-record: CRI records, some of them longer
# than a read (200 000 bytes), at a run's start or inside a run whose
# first record is short, so that the reader cuts them as they come.
T = '2026-01-02T00:00:%02dZ '
print('\n'.join([
    T % 1 + 'stdout F {"msg":"first","n":1}',
    T % 2 + 'stdout P {"msg":"big head","n":2,"pad":"' + 'x' * 1500,
    T % 3 + 'stdout P ' + 'y' * 200000,
    T % 4 + 'stdout F "}',
    T % 5 + 'stdout F {"msg":"after","n":3}',
    T % 6 + 'stderr P {"msg":"big record","n":4,"pad":"' + 'z' * 200000,
    T % 7 + 'stderr F "}',
    T % 8 + 'stdout F {"msg":"end","n":5}',
    T % 9 + 'stdout P {"msg":"small head","n":6,"pad":"',
    T % 10 + 'stdout P ' + 'y' * 200000,
    T % 11 + 'stdout F "}',
    T % 12 + 'stdout F {"msg":"after the small head","n":7}',
    T % 13 + 'stderr P {"msg":"small head","n":8,"pad":"',
    T % 14 + 'stdout F {"msg":"between","n":9}',
    T % 15 + 'stderr F ' + 'z' * 200000 + '"}',
    T % 16 + 'stdout F {"msg":"last","n":10}']))
