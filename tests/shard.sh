#!/bin/sh
# SPDX-License-Identifier: MIT
# shard.sh - --shard I/N against a byte-range oracle in Python (TAP).
#
# Runs tests/shard.py (which says what is compared and why): for several
# N and files with awkward endings, each shard reads exactly the lines
# that start in its byte range, with the file's line numbers, and the
# shards together read every line once. Run by `make check` with $LOGQ
# (the binary) and $LOGQ_TESTS (this directory); without python3 the
# test is a SKIP, not a pass, and a failure where LOGQ_REQUIRE_TOOLS is
# set (tap.sh's require).
set -u

. "$(dirname "$0")/tap.sh"
tap_start
require python3 "python3 is not installed"
exec python3 "$LOGQ_TESTS/shard.py" "$LOGQ" "$LOGQ_TESTS"
