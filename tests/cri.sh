#!/bin/sh
# SPDX-License-Identifier: MIT
# cri.sh - CRI partial records joined, against a Python oracle (TAP).
#
# Runs tests/cri.py (which says what is compared and why): the join of
# partial records does not depend on how the input is cut into spans,
# threads or shards. Run by `make check` with $LOGQ (the binary) and
# $LOGQ_TESTS (this directory); without python3 the test is reported as
# a SKIP, not a pass.
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
unset LOGQ_PATH XDG_CONFIG_HOME NO_COLOR COLUMNS
LC_ALL=C.UTF-8
export LC_ALL
exec python3 "$LOGQ_TESTS/cri.py" "$LOGQ"
