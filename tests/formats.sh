#!/bin/sh
# formats.sh - logq's output formats read by their real consumers (TAP).
#
# SPEC 5 promises output that other programs accept, so the programs
# judge it: promtool (Prometheus text), xmllint with the Jenkins xunit
# plugin's JUnit schema (tests/junit-10.xsd), cmark-gfm (GitHub
# Markdown), Miller and python3's csv module (multi-query CSV). A test
# whose consumer is not installed is reported as a SKIP, not a pass;
# ./bootstrap installs them all. Run by `make check` with $LOGQ (the
# binary) and $LOGQ_TESTS (this directory).
set -u

: "${LOGQ_TESTS:=$(cd "$(dirname "$0")" && pwd)}"
if [ -z "${LOGQ:-}" ]; then
	echo "Bail out! LOGQ is not set (the logq binary to check)"
	exit 1
fi
data=$LOGQ_TESTS/cli/data
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
unset LOGQ_PATH XDG_CONFIG_HOME NO_COLOR COLUMNS
HOME=$tmp/home
LC_ALL=C.UTF-8
TZ=UTC
export HOME LC_ALL TZ

n=0
failed=0

ok() {
	n=$((n + 1))
	echo "ok $n - $1"
}

not_ok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $1"
	shift
	for line in "$@"; do
		printf '%s\n' "$line" | head -20 | sed 's/^/# /'
	done
}

skip() {
	n=$((n + 1))
	echo "ok $n # SKIP $1"
}

has() {
	command -v "$1" >/dev/null 2>&1
}

# check NAME COMMAND...: one test point, the command's success.
check() {
	name=$1
	shift
	if out=$("$@" 2>&1); then
		ok "$name"
	else
		not_ok "$name" "$out"
	fi
}

# ---- JUnit: the schema Jenkins' xunit plugin validates against --------

"$LOGQ" -f junit slo "$data/attesto.log" >"$tmp/slo.xml" 2>/dev/null
"$LOGQ" -f junit no-secrets,tenant-volume "$data/agg/secrets-clean.log" \
    >"$tmp/pass.xml" 2>/dev/null
if has xmllint; then
	check "junit: slo (failures) validates against junit-10.xsd" \
	    xmllint --noout --schema "$LOGQ_TESTS/junit-10.xsd" "$tmp/slo.xml"
	check "junit: passing cases validate against junit-10.xsd" \
	    xmllint --noout --schema "$LOGQ_TESTS/junit-10.xsd" "$tmp/pass.xml"
else
	skip "xmllint not installed (libxml2-utils)"
	skip "xmllint not installed (libxml2-utils)"
fi
# Two runs over logs whose values differ: every case name of the second
# is one of the first (SPEC 5: names never hold measured values).
head -30 "$data/attesto.log" >"$tmp/half.log"
"$LOGQ" -f junit slo "$tmp/half.log" >"$tmp/half.xml" 2>/dev/null
case_names() {
	grep -o '<testcase [^>]*name="[^"]*"' "$1" | sort -u
}
case_names "$tmp/slo.xml" >"$tmp/names1"
case_names "$tmp/half.xml" >"$tmp/names2"
if [ -s "$tmp/names2" ] && [ -z "$(comm -13 "$tmp/names1" "$tmp/names2")" ] &&
    grep -q 'route=/health\]' "$tmp/names1" &&
    ! grep -q '1500' "$tmp/names1"; then
	ok "junit: case names are the assertion and group key, not values"
else
	not_ok "junit: case names are the assertion and group key, not values" \
	    "$(cat "$tmp/names1" "$tmp/names2")"
fi

echo "1..$n"
[ "$failed" -eq 0 ]
