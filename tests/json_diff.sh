#!/bin/sh
# SPDX-License-Identifier: MIT
# json_diff.sh - logq's JSON reading against Python's json module (TAP).
#
# Runs tests/json_diff.py (which says what is compared and why) on its
# fixed-seed corpus of random and mutated lines. Run by `make check`
# with $LOGQ (the binary) and $LOGQ_TESTS (this directory); without
# python3 the test is reported as a SKIP, not a pass.
set -u

: "${LOGQ_TESTS:=$(cd "$(dirname "$0")" && pwd)}"
if [ -z "${LOGQ:-}" ]; then
	echo "Bail out! LOGQ is not set (the logq binary to check)"
	exit 1
fi
if ! command -v python3 >/dev/null 2>&1; then
	echo "1..0 # SKIP python3 is not installed"
	exit 0
fi
exec python3 "$LOGQ_TESTS/json_diff.py" "$LOGQ" "${JSON_DIFF_LINES:-20000}"
