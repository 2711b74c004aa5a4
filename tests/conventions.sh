#!/bin/sh
# SPDX-License-Identifier: MIT
# conventions.sh - the third-party log formats of issue 17 (TAP).
#
# tests/conventions/FORMAT.jsonl are samples of real formats (sources in
# tests/conventions/SOURCES.md); tests/conventions/oracle.py computes,
# without logq, what each built-in query must answer on each of them from
# the format's documented conventions. The golden cases
# tests/cli/cases/conv-FORMAT-QUERY/ (run by tests/cli/run.sh) hold those
# answers. This script checks the goldens against the oracle, so that a
# golden cannot drift from its stated origin:
#   - every golden's stdout is what the oracle prints for its pair,
#     and its cmd runs that query on that sample;
#   - every applicable FORMAT x QUERY pair has a golden;
#   - every built-in query runs on every sample without crashing
#     (exit status 0 or 1, never a usage error or a signal);
#   - every format's lines interleaved in one file, run with -j 2, give
#     the oracle's answers on that file;
#   - every profile names itself and says where its units come from.
# Cases kept in tests/conventions/pending/ (the answers logq does not
# give yet) are checked against the oracle too. Run by `make check` with
# $LOGQ (the binary) and $LOGQ_TESTS (this directory).
set -u

. "$(dirname "$0")/tap.sh"
tap_start
conv=$LOGQ_TESTS/conventions
oracle=$conv/oracle.py
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
HOME=$tmp/home
export HOME

require python3 "python3 is not installed"

# Goldens against the oracle: its answers for every applicable pair
# written at once (one python3 start, not one per golden).
: >"$tmp/have"
python3 "$oracle" --write-cases "$tmp/oracle" 2>"$tmp/err" ||
	not_ok "oracle.py --write-cases" "$(cat "$tmp/err")"
for dir in "$LOGQ_TESTS"/cli/cases/conv-* "$conv"/pending/conv-*; do
	[ -d "$dir" ] || continue
	name=${dir##*/}
	# ORIGIN's first line: tests/conventions/oracle.py FORMAT QUERY
	# shellcheck disable=SC2046
	set -- $(head -n 1 "$dir/ORIGIN")
	if [ $# -ne 3 ] || [ "$1" != tests/conventions/oracle.py ]; then
		not_ok "$name: ORIGIN names the oracle" "first line: $*"
		continue
	fi
	fmt=$2
	query=$3
	echo "$fmt $query" >>"$tmp/have"
	want="\"\$LOGQ\" -f csv $query ../conventions/$fmt.jsonl"
	if [ "$(cat "$dir/cmd")" != "$want" ]; then
		not_ok "$name: cmd runs $query on $fmt.jsonl" \
		    "cmd: $(cat "$dir/cmd")"
		continue
	fi
	if [ -f "$tmp/oracle/conv-$fmt-$query/stdout" ]; then
		cp "$tmp/oracle/conv-$fmt-$query/stdout" "$tmp/want"
	elif ! python3 "$oracle" "$fmt" "$query" >"$tmp/want" \
	    2>"$tmp/err"; then
		not_ok "$name: the oracle runs" "$(cat "$tmp/err")"
		continue
	fi
	if cmp -s "$tmp/want" "$dir/stdout"; then
		ok "$name: golden = oracle.py $fmt $query"
	else
		# shellcheck disable=SC2046
		not_ok "$name: golden = oracle.py $fmt $query" \
		    $(diff -u "$tmp/want" "$dir/stdout" | head -20 |
		    tr ' ' '_')
	fi
done

# Every applicable pair has a golden.
if python3 "$oracle" --list >"$tmp/pairs.u" 2>"$tmp/err"; then
	sort "$tmp/pairs.u" >"$tmp/pairs"
	sort "$tmp/have" >"$tmp/have.s"
	missing=$(comm -23 "$tmp/pairs" "$tmp/have.s" | tr '\n' ';')
	extra=$(comm -13 "$tmp/pairs" "$tmp/have.s" | tr '\n' ';')
	if [ -z "$missing" ] && [ -z "$extra" ]; then
		ok "every applicable format x query pair has a golden"
	else
		not_ok "every applicable format x query pair has a golden" \
		    "without a golden: $missing" "not applicable: $extra"
	fi
else
	not_ok "oracle.py --list" "$(cat "$tmp/err")"
fi

# Every built-in on every sample: an answer, never a crash.
queries=$("$LOGQ" --list --names)
for sample in "$conv"/*.jsonl; do
	fmt=$(basename "$sample" .jsonl)
	bad=""
	for q in $queries; do
		"$LOGQ" -f csv "$q" "$sample" >/dev/null 2>"$tmp/err"
		st=$?
		[ "$st" -le 1 ] || bad="$bad $q(exit $st)"
	done
	if [ -z "$bad" ]; then
		ok "$fmt: every built-in query runs"
	else
		not_ok "$fmt: every built-in query runs" "failed:$bad"
	fi
done

# Every format at once, by two workers: the samples' lines in turn, 8
# times over (about 4 chunks, each with lines of every format), so that
# both workers meet each format first at about the same time and a
# profile's table (built on its first use) is built by one while the
# other recognises the same format. The oracle reads each line by its
# own format's conventions.
if python3 "$oracle" --interleave "$tmp/all" 8 2>"$tmp/err"; then
	for want in "$tmp"/all/*.csv; do
		q=$(basename "$want" .csv)
		"$LOGQ" -j 2 -f csv "$q" "$tmp/all/all.jsonl" >"$tmp/got" \
		    2>"$tmp/err"
		st=$?
		if [ "$st" -le 1 ] && cmp -s "$want" "$tmp/got"; then
			ok "every format at once, -j 2: $q = oracle.py"
		else
			# shellcheck disable=SC2046
			not_ok "every format at once, -j 2: $q = oracle.py" \
			    "exit $st" $(diff -u "$want" "$tmp/got" | head -20 |
			    tr ' ' '_')
		fi
	done
else
	not_ok "oracle.py --interleave" "$(cat "$tmp/err")"
fi

# Every shipped profile: SPDX line, name = file name, a source.
for p in "$LOGQ_TESTS"/../profiles/*.yaml; do
	[ -f "$p" ] || continue
	base=$(basename "$p" .yaml)
	if head -n 1 "$p" | grep -q 'SPDX-License-Identifier: MIT' &&
	    grep -qx "name: $base" "$p" && grep -q '^source: ..*' "$p" &&
	    grep -q '^match:' "$p"; then
		ok "profiles/$base.yaml: SPDX, name, source, match"
	else
		not_ok "profiles/$base.yaml: SPDX, name, source, match"
	fi
done

tap_end
