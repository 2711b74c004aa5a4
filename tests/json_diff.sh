#!/bin/sh
# SPDX-License-Identifier: MIT
# json_diff.sh - logq's JSON reading against Python's json module (TAP).
#
# Runs tests/json_diff.py (which says what is compared and why) on its
# fixed-seed corpus of random and mutated lines. Run by `make check`
# with $LOGQ (the binary) and $LOGQ_TESTS (this directory); without
# python3 the test is a SKIP, not a pass, and a failure where
# LOGQ_REQUIRE_TOOLS is set (tap.sh's require).
set -u

. "$(dirname "$0")/tap.sh"
tap_start
require python3 "python3 is not installed"
exec python3 "$LOGQ_TESTS/json_diff.py" "$LOGQ" "${JSON_DIFF_LINES:-20000}"
