#!/bin/sh
# SPDX-License-Identifier: MIT
# cri.sh - CRI partial records joined, against a Python oracle (TAP).
#
# Runs tests/cri.py (which says what is compared and why): the join of
# partial records does not depend on how the input is cut into spans,
# threads or shards. Run by `make check` with $LOGQ (the binary) and
# $LOGQ_TESTS (this directory); without python3 the test is a SKIP, not
# a pass, and a failure where LOGQ_REQUIRE_TOOLS is set (tap.sh's
# require).
set -u

. "$(dirname "$0")/tap.sh"
tap_start
require python3 "python3 is not installed"
exec python3 "$LOGQ_TESTS/cri.py" "$LOGQ"
