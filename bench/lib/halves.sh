#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# halves.sh: logq -j 1 ops-report on the corpus's two halves ($H1, $H2)
# at once, as two independent processes: what this machine's two cores
# give a job that shares nothing, the reference for goal 4 (-j 2).
"$LOGQ" -j 1 -q -f json ops-report "$H1" > "$OUTP.1" &
"$LOGQ" -j 1 -q -f json ops-report "$H2" > "$OUTP.2"
s=$?
wait $! || exit
exit $s
