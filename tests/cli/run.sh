#!/bin/sh
# SPDX-License-Identifier: MIT
# run.sh - golden CLI cases (STYLE 9), TAP output for automake.
#
# Each folder cases/NAME holds `cmd` (a shell line run from tests/cli with
# $LOGQ the binary under test), optionally `stdin`, and the exact expected
# `stdout`, `stderr` (absent: empty) and `status` (absent: 0), plus ORIGIN:
# how the expected numbers were computed independently (jq, awk, python).
# An optional `requires` names decompressors (gzip, zstd) the case needs:
# a build without one (./configure --without-zlib) skips the case.
# The cases run $LOGQ_TEST_JOBS at a time (default: twice the CPUs this
# process may use, since the follow-mode cases spend seconds waiting on
# their pipes' pauses, not computing; under make check-valgrind, the
# CPUs); the TAP lines come out in the cases' order all the same.
# Usage: run.sh [NAME...]   (default: every case)
set -u

here=$(cd "$(dirname "$0")" && pwd)
: "${LOGQ:?set LOGQ to the logq binary}"

# The cases must not see the user's queries, terminal or locale.
unset LOGQ_PATH XDG_CONFIG_HOME NO_COLOR COLUMNS
LC_ALL=C.UTF-8
TZ=UTC
export LC_ALL TZ LOGQ

# run.sh --one NAME OUT: one case, its verdict in OUT (internal).
if [ "${1-}" = "--one" ]; then
	c=$2
	out=$3
	tmp=$(mktemp -d) || exit 1
	trap 'rm -rf "$tmp"' EXIT INT TERM
	HOME=$tmp/home
	export HOME
	cd "$here" || exit 1
	dir=cases/$c
	if [ ! -f "$dir/cmd" ]; then
		echo "not ok - $c: no cmd file" >"$out"
		exit 0
	fi
	missing=""
	if [ -f "$dir/requires" ]; then
		for need in $(cat "$dir/requires"); do
			case " $BUILT_IN" in
			*" $need "*) ;;
			*) missing="$missing $need" ;;
			esac
		done
	fi
	if [ -n "$missing" ]; then
		echo "ok - $c # SKIP not built in:$missing" >"$out"
		exit 0
	fi
	input=/dev/null
	[ -f "$dir/stdin" ] && input=$dir/stdin
	CASE=$dir sh -c "$(cat "$dir/cmd")" <"$input" >"$tmp/stdout" 2>"$tmp/stderr"
	echo $? >"$tmp/status"
	[ -f "$dir/stdout" ] && cp "$dir/stdout" "$tmp/want_stdout" || : >"$tmp/want_stdout"
	[ -f "$dir/stderr" ] && cp "$dir/stderr" "$tmp/want_stderr" || : >"$tmp/want_stderr"
	[ -f "$dir/status" ] && cp "$dir/status" "$tmp/want_status" || echo 0 >"$tmp/want_status"
	bad=""
	for what in stdout stderr status; do
		if ! cmp -s "$tmp/want_$what" "$tmp/$what"; then
			bad="$bad $what"
		fi
	done
	if [ -z "$bad" ]; then
		echo "ok - $c" >"$out"
	else
		{
			echo "not ok - $c: differs in$bad"
			for what in $bad; do
				diff -u "$tmp/want_$what" "$tmp/$what" | head -40 |
				    sed 's/^/# /'
			done
		} >"$out"
	fi
	exit 0
fi

cd "$here" || exit 1
if [ $# -gt 0 ]; then
	cases=$*
else
	cases=$(cd cases && ls)
fi
results=$(mktemp -d) || exit 1
trap 'rm -rf "$results"' EXIT INT TERM
BUILT_IN=$("$LOGQ" --version | sed -n 's/^decompressors: //p')
export BUILT_IN
cpus=$("$LOGQ" --version | sed -n 's/^jobs: \([0-9]*\).*/\1/p')
[ -n "$cpus" ] && [ "$cpus" -ge 1 ] 2>/dev/null || cpus=1
# Under valgrind each case computes for seconds: one a CPU.
[ -n "${LOGQ_UNDER_VALGRIND:-}" ] || cpus=$((2 * cpus))
jobs=${LOGQ_TEST_JOBS:-$cpus}

printf '%s\n' $cases |
    xargs -P "$jobs" -I{} sh "$here/run.sh" --one {} "$results/{}"

n=0
failed=0
for c in $cases; do
	n=$((n + 1))
	if [ ! -s "$results/$c" ]; then
		echo "not ok $n - $c: the case did not finish"
		failed=$((failed + 1))
		continue
	fi
	# Number the verdict (its first line) in the cases' order.
	sed "1s/^\(not ok\|ok\) - /\1 $n - /" "$results/$c"
	head -n 1 "$results/$c" | grep -q '^not ok' && failed=$((failed + 1))
done
echo "1..$n"
[ "$failed" -eq 0 ]
