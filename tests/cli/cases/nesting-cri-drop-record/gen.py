# SPDX-License-Identifier: MIT
# Input of nesting-cri-drop-record: CRI records, two of them longer than
# a read (200 000 bytes), so that the reader drops them as they come.
T = '2026-01-02T00:00:0%dZ '
print('\n'.join([
    T % 1 + 'stdout F {"msg":"first","n":1}',
    T % 2 + 'stdout P {"msg":"big head","n":2,"pad":"' + 'x' * 1500,
    T % 3 + 'stdout P ' + 'y' * 200000,
    T % 4 + 'stdout F "}',
    T % 5 + 'stdout F {"msg":"after","n":3}',
    T % 6 + 'stderr P {"msg":"big record","n":4,"pad":"' + 'z' * 200000,
    T % 7 + 'stderr F "}',
    T % 8 + 'stdout F {"msg":"end","n":5}']))
