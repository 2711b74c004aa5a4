#!/bin/sh
# SPDX-License-Identifier: MIT
# run.sh - runs each libFuzzer harness for a bounded time (CI, by hand).
#
# Usage: tests/fuzz/run.sh [SECONDS] [NAME...]   (default 60 s; every harness)
# Run from the build directory after `./configure --enable-fuzzing CC=clang
# && make fuzz`. Each harness starts from a copy of its seed corpus with its
# dictionary; the grown corpus and any crashing input are left in
# $FUZZ_OUT (default tests/fuzz/out) under the harness's name. Exits 1 when
# any harness found a crash, a leak, a timeout or ran out of memory: copy
# the input it names into tests/fuzz/regress/NAME/ so `make check` keeps
# replaying it, and make a hostile-* CLI case of it where it applies.
set -u

here=$(cd "$(dirname "$0")" && pwd)
secs=${1:-60}
[ $# -gt 0 ] && shift
names=${*:-record expr query}
bin=${FUZZ_BIN:-$PWD/tests/fuzz}
out=${FUZZ_OUT:-$PWD/tests/fuzz/out}

# Inputs past these are returned at once by the harnesses; larger
# lengths only slow the search down.
max_len() {
	case $1 in
	record)	echo 4096 ;;
	expr)	echo 1024 ;;
	query)	echo 4096 ;;
	esac
}

failed=""
for name in $names; do
	fuzzer=$bin/fuzz_$name
	if [ ! -x "$fuzzer" ]; then
		echo "run.sh: no $fuzzer: run make fuzz first" >&2
		exit 2
	fi
	dir=$out/$name
	mkdir -p "$dir/corpus" "$dir/artifacts" || exit 2
	cp "$here/corpus/$name"/* "$dir/corpus/" 2>/dev/null
	[ -d "$here/regress/$name" ] &&
	    cp "$here/regress/$name"/* "$dir/corpus/" 2>/dev/null
	echo "== fuzz_$name for ${secs}s"
	# -timeout: one input taking 10 s is a hang; -rss_limit_mb: a memory
	# blow-up is a finding too. The last lines say how far it got.
	"$fuzzer" -max_total_time="$secs" -max_len="$(max_len "$name")" \
	    -dict="$here/$name.dict" -timeout=10 -rss_limit_mb=2048 \
	    -print_final_stats=1 -artifact_prefix="$dir/artifacts/" \
	    "$dir/corpus" >"$dir/log" 2>&1
	rc=$?
	grep -E '^#[0-9]+ +DONE|^stat::number_of_executed_units|^stat::peak_rss' \
	    "$dir/log" | sed 's/^/  /'
	if [ $rc -ne 0 ]; then
		failed="$failed $name"
		echo "run.sh: fuzz_$name failed (status $rc); its report:"
		grep -A40 -E '^==[0-9]+==ERROR|runtime error|^SUMMARY|Test unit written' \
		    "$dir/log" | head -80
		ls "$dir/artifacts" | sed "s|^|  artifact: $dir/artifacts/|"
	fi
done
if [ -n "$failed" ]; then
	echo "run.sh: findings in:$failed"
	exit 1
fi
echo "run.sh: no findings"
