#!/bin/sh
# SPDX-License-Identifier: MIT
# shard.sh - --shard I/N against a byte-range oracle in Python (TAP).
#
# Runs tests/shard.py (which says what is compared and why): for several
# N and files with awkward endings, each shard reads exactly the lines
# that start in its byte range, with the file's line numbers, and the
# shards together read every line once. Run by `make check` with $LOGQ
# (the binary) and $LOGQ_TESTS (this directory); without python3 the
# test is reported as a SKIP, not a pass.
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
exec python3 "$LOGQ_TESTS/shard.py" "$LOGQ" "$LOGQ_TESTS"
