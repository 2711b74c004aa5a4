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
# Usage: run.sh [NAME...]   (default: every case)
set -u

here=$(cd "$(dirname "$0")" && pwd)
: "${LOGQ:?set LOGQ to the logq binary}"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

# The cases must not see the user's queries, terminal or locale.
unset LOGQ_PATH XDG_CONFIG_HOME NO_COLOR COLUMNS
HOME=$tmp/home
LC_ALL=C.UTF-8
TZ=UTC
export HOME LC_ALL TZ LOGQ

cd "$here" || exit 1
if [ $# -gt 0 ]; then
	cases=$*
else
	cases=$(cd cases && ls)
fi

n=0
failed=0
built_in=$("$LOGQ" --version | sed -n 's/^decompressors: //p')
for c in $cases; do
	n=$((n + 1))
	dir=cases/$c
	if [ ! -f "$dir/cmd" ]; then
		echo "not ok $n - $c: no cmd file"
		failed=$((failed + 1))
		continue
	fi
	missing=""
	if [ -f "$dir/requires" ]; then
		for need in $(cat "$dir/requires"); do
			case " $built_in" in
			*" $need "*) ;;
			*) missing="$missing $need" ;;
			esac
		done
	fi
	if [ -n "$missing" ]; then
		echo "ok $n - $c # SKIP not built in:$missing"
		continue
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
		echo "ok $n - $c"
	else
		failed=$((failed + 1))
		echo "not ok $n - $c: differs in$bad"
		for what in $bad; do
			diff -u "$tmp/want_$what" "$tmp/$what" | head -40 | sed 's/^/# /'
		done
	fi
done
echo "1..$n"
[ "$failed" -eq 0 ]
