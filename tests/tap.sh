# SPDX-License-Identifier: MIT
# tap.sh - the TAP helpers of the shell tests, sourced by each
# (`. "$(dirname "$0")/tap.sh"`): numbered points, failures with their
# details as comments, and the plan at the end.

n=0
failed=0

ok() {
	n=$((n + 1))
	echo "ok $n - $1"
}

# not_ok NAME [DETAIL...]: each DETAIL (text, its first 40 lines) as
# comments under the point.
not_ok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $1"
	shift
	for line in "$@"; do
		printf '%s\n' "$line" | head -40 | sed 's/^/# /'
	done
}

# skip WHY: a point not run because a tool it needs is not installed.
# Where every tool must be there (LOGQ_REQUIRE_TOOLS set, as .ci/run
# sets it after ./bootstrap --ci), a failure instead: a green CI must
# not hide a missing install step.
skip() {
	if [ -n "${LOGQ_REQUIRE_TOOLS:-}" ]; then
		not_ok "$1" "LOGQ_REQUIRE_TOOLS is set: ./bootstrap --test" \
		    "installs what this point needs"
		return
	fi
	n=$((n + 1))
	echo "ok $n # SKIP $1"
}

has() {
	command -v "$1" >/dev/null 2>&1
}

# tap_start: what every shell test starts with. $LOGQ, the binary under
# test, must be set, else the run bails out; $LOGQ_TESTS is this
# directory unless set; and logq sees none of the caller's settings that
# change its answers (query path, config, colour, width), the C.UTF-8
# locale (TAP_LOCALE, set before, chooses another) and UTC.
tap_start() {
	if [ -z "${LOGQ:-}" ]; then
		echo "Bail out! LOGQ is not set (the logq binary to check)"
		exit 1
	fi
	: "${LOGQ_TESTS:=$(cd "$(dirname "$0")" && pwd)}"
	unset LOGQ_PATH XDG_CONFIG_HOME NO_COLOR COLUMNS
	LC_ALL=${TAP_LOCALE:-C.UTF-8}
	TZ=UTC
	export LC_ALL TZ
}

# require TOOL WHY: a run that needs TOOL throughout is, without it, a
# SKIP as a whole (1..0), or a failure where LOGQ_REQUIRE_TOOLS is set,
# as for skip.
require() {
	has "$1" && return 0
	if [ -n "${LOGQ_REQUIRE_TOOLS:-}" ]; then
		echo "Bail out! $2 (LOGQ_REQUIRE_TOOLS is set: ./bootstrap" \
		    "--test installs it)"
		exit 1
	fi
	echo "1..0 # SKIP $2 (./bootstrap --test)"
	exit 0
}

# check NAME COMMAND...: one point, the command's success (its output
# shown when it fails).
check() {
	name=$1
	shift
	if out=$("$@" 2>&1); then
		ok "$name"
	else
		not_ok "$name" "$out"
	fi
}

# The plan, and the status: 0 when no point failed.
tap_end() {
	echo "1..$n"
	[ "$failed" -eq 0 ]
}
