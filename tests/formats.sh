#!/bin/sh
# SPDX-License-Identifier: MIT
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

. "$(dirname "$0")/tap.sh"
tap_start
data=$LOGQ_TESTS/cli/data
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
HOME=$tmp/home
export HOME

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

# ---- Prometheus: promtool, and one collector directory for two runs ---

"$LOGQ" -f prometheus status "$data/attesto.log" >"$tmp/status.prom" 2>/dev/null
"$LOGQ" -f prometheus ops-report "$data/attesto.log" >"$tmp/ops.prom" 2>/dev/null
"$LOGQ" -f prometheus latency "$data/fly.log" >"$tmp/latency.prom" 2>/dev/null
"$LOGQ" -f prometheus -e '{group_by: s, aggregate: {n: count()}}' \
    "$data/agg/typed-keys.log" >"$tmp/typed.prom" 2>/dev/null
# promtool exits 1 on a parse error and 3 on lint problems only: names
# such as logq_latency_p99_ms come from the queries' columns, and its
# advice on them ("abbreviated units") is shown, not failed (SPEC 5: no
# errors).
promtool_check() {
	out=$(promtool check metrics <"$1" 2>&1)
	rc=$?
	[ -n "$out" ] && printf '%s\n' "$out" | sed 's/^/# promtool: /' >&2
	[ "$rc" -eq 0 ] || { [ "$rc" -eq 3 ] &&
	    ! printf '%s\n' "$out" | grep -q 'error while'; }
}
for f in status ops latency typed; do
	if has promtool; then
		check "prometheus: promtool check metrics accepts $f.prom" \
		    promtool_check "$tmp/$f.prom"
	else
		skip "promtool not installed (prometheus)"
	fi
done
# node_exporter's textfile collector reads every *.prom file of its
# directory as one exposition: no series may appear in two of them, nor
# twice in one (200 and "200" as group keys).
no_duplicate_series() {
	python3 - "$@" <<'PY'
import sys
seen = {}
for path in sys.argv[1:]:
    for line in open(path, "rb"):
        if line.startswith(b"#") or not line.strip():
            continue
        series = line.rsplit(b" ", 1)[0]
        if series in seen:
            sys.exit("duplicate series %r in %s and %s"
                     % (series, seen[series], path))
        seen[series] = path
PY
}
if has python3; then
	check "prometheus: the textfiles of two runs share no series" \
	    no_duplicate_series "$tmp/status.prom" "$tmp/latency.prom"
	check "prometheus: group keys 200 and \"200\" are two series" \
	    no_duplicate_series "$tmp/typed.prom"
else
	skip "python3 not installed"
	skip "python3 not installed"
fi

# ---- CSV/TSV with several queries: Miller's csvlite, python's csv ------

"$LOGQ" -f csv errors,latency,status "$data/attesto.log" >"$tmp/multi.csv" \
    2>/dev/null
"$LOGQ" -f tsv errors,latency,status "$data/attesto.log" >"$tmp/multi.tsv" \
    2>/dev/null
# The rows of each query, as logq counts them on its own.
want=""
for q in errors latency status; do
	want="$want $q=$("$LOGQ" -f csv "$q" "$data/attesto.log" 2>/dev/null |
	    tail -n +2 | wc -l | tr -d ' ')"
done
want=${want# }
if has mlr; then
	for fmt in csv tsv; do
		got=$(mlr --i${fmt}lite --ojson cut -f query "$tmp/multi.$fmt" \
		    2>&1 | grep -o '"query": "[a-z]*"' | sort | uniq -c |
		    awk '{ gsub(/"/, "", $3); print $3 "=" $1 }' | paste -sd ' ')
		# sort gives errors, latency, status: the order of $want
		if [ "$got" = "$want" ]; then
			ok "$fmt: mlr --i${fmt}lite reads every query's block ($got)"
		else
			not_ok "$fmt: mlr --i${fmt}lite reads every query's block" \
			    "want $want" "got  $got" "$(mlr --i${fmt}lite --ojson \
			    cat "$tmp/multi.$fmt" 2>&1 | head -5)"
		fi
	done
else
	skip "mlr not installed (miller)"
	skip "mlr not installed (miller)"
fi
# python's csv module: blocks split at empty lines, each a header whose
# first column is "query" and rows of as many cells, named after it.
csv_blocks() {
	python3 - "$1" "$2" <<'PY'
import csv, sys
path, want = sys.argv[1], dict(w.split("=") for w in sys.argv[2].split())
rows = list(csv.reader(open(path, newline="")))
blocks, cur = [], []
for r in rows + [[]]:
    if not r:
        if cur:
            blocks.append(cur)
        cur = []
    else:
        cur.append(r)
got = {}
for b in blocks:
    head, body = b[0], b[1:]
    assert head[0] == "query", head
    for r in body:
        assert len(r) == len(head), (head, r)
        got[r[0]] = got.get(r[0], 0) + 1
    assert len({r[0] for r in body}) <= 1, "a block holds one query"
got = {k: str(v) for k, v in got.items()}
if got != want:
    sys.exit("want %s, got %s" % (want, got))
PY
}
if has python3; then
	check "csv: python's csv module reads one block per query" \
	    csv_blocks "$tmp/multi.csv" "$want"
else
	skip "python3 not installed"
fi

# ---- Markdown: cmark-gfm renders it; 20000 error lines stay < 1 MiB ---

if has python3; then
	python3 - "$tmp/big.log" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    for i in range(20000):
        f.write(json.dumps({"ts": "2026-04-25T03:01:%02d.000Z" % (i % 60),
            "level": "error", "msg": "boom | *b* <script>x</script> "
            "[l](http://e) `c` _u_ ~~s~~ &amp; #h ![i](j) %d" % i,
            "path": "/v1/x/%d" % i}) + "\n")
PY
	"$LOGQ" -f markdown errors "$tmp/big.log" >"$tmp/big.md" 2>/dev/null
	size=$(wc -c <"$tmp/big.md")
	if [ "$size" -lt 1048576 ] &&
	    grep -q '^\*[0-9]* rows left out' "$tmp/big.md"; then
		ok "markdown: 20000 error lines in $size bytes, < 1 MiB, with a note"
	else
		not_ok "markdown: 20000 error lines in < 1 MiB, with a note" \
		    "$size bytes" "$(tail -2 "$tmp/big.md")"
	fi
else
	skip "python3 not installed"
fi
if has cmark-gfm && has python3; then
	# --unsafe: raw HTML would pass; only escaping keeps it out.
	cmark-gfm --unsafe -e table "$tmp/big.md" >"$tmp/big.html"
	rows=$(grep -c '^<tr>' "$tmp/big.html")
	left=$(sed -n 's/^\*\([0-9]*\) rows left out.*/\1/p' "$tmp/big.md")
	if [ $((rows - 1 + ${left:-0})) -eq 20000 ]; then
		ok "markdown: cmark-gfm renders $((rows - 1)) rows, + $left left out = 20000"
	else
		not_ok "markdown: cmark-gfm's rows and the note add up to 20000" \
		    "rows $rows (with the header), left out ${left:-none}"
	fi
	# Every row renders as the one table row it is, with the text of the
	# log in its cells and no element but the table's own.
	if ! grep -o '<[a-z][a-z0-9]*' "$tmp/big.html" | sort -u |
	    grep -v -x -e '<table' -e '<thead' -e '<tbody' -e '<tr' -e '<th' \
	    -e '<td' -e '<h3' -e '<p' -e '<em' >"$tmp/tags" &&
	    [ "$(grep -c '<td>boom | \*b\* &lt;script&gt;x&lt;/script&gt; \[l\](http://e) `c` _u_ ~~s~~ &amp;amp; #h !\[i\](j) [0-9]*</td>' "$tmp/big.html")" -eq $((rows - 1)) ]; then
		ok "markdown: log text renders as text: no link, code, emphasis or HTML"
	else
		not_ok "markdown: log text renders as text" "$(cat "$tmp/tags")" \
		    "$(sed -n 12,20p "$tmp/big.html")"
	fi
else
	skip "cmark-gfm not installed"
	skip "cmark-gfm not installed"
fi

# ---- table: one long value does not widen every row --------------------

if has python3; then
	python3 -c 'import json
print(json.dumps({"level": "error", "msg": "x" * 500000}))
for i in range(999):
    print(json.dumps({"level": "error", "msg": "m"}))' >"$tmp/long.log"
	in=$(wc -c <"$tmp/long.log")
	out=$("$LOGQ" -f table errors "$tmp/long.log" 2>/dev/null | wc -c)
	# 1000 rows of at most 80-wide columns, plus the long cell itself
	if [ "$out" -lt $((in + 1000 * 200)) ]; then
		ok "table: a 500000-byte cell gives $out bytes, not 1000 times it"
	else
		not_ok "table: a 500000-byte cell gives $out bytes"
	fi
else
	skip "python3 not installed"
fi

# ---- The hostile-content catalog: every format, one log of nasty values

# cli/data/hostile/values.log holds (JSON-escaped) C0 controls, ESC
# sequences, C1 (U+009B CSI, U+0085), DEL, NUL, U+FFFE/U+FFFF, newlines
# before "::add-mask::" and "::error::", | ` * _ [ ] < > & ~ #,
# <script>, spreadsheet formulas (= + - @), quotes, commas, tabs,
# backslashes, and the group keys 200 and "200". Every format must stay
# valid for its reader and put no raw control byte before a terminal.
hostile=$data/hostile/values.log
agg='{name: hostile, group_by: msg, aggregate: {n: count()}, assert: ["n > 1"]}'
list='{name: lines, select: {msg: msg, n: n}}'
hostile_check() {
	python3 - "$@" <<'PY'
import csv, io, json, re, sys
fmt, path, src = sys.argv[1], sys.argv[2], sys.argv[3]
data = open(path, "rb").read()
want = [json.loads(l)["msg"] for l in open(src, encoding="utf-8")]
# csv keeps tab, CR and LF in quoted cells (RFC 4180); tsv's separator
# is a tab
allowed = {"csv": b"\n\r\t", "tsv": b"\n\t"}.get(fmt, b"\n")
bad = re.search(rb"[\x00-\x1f\x7f]|\xc2[\x80-\x9f]",
                data.translate(None, allowed))
if fmt != "raw" and bad:
    sys.exit("raw control byte %r at %d" % (bad.group(), bad.start()))
text = data.decode("utf-8")
if fmt == "json":
    doc = json.loads(text)
    got = [r["msg"] for q in doc["queries"] for r in q["rows"]]
    assert sorted(map(json.dumps, got)) == sorted(map(json.dumps, want)), got
elif fmt == "ndjson":
    got = [json.loads(l)["msg"] for l in text.splitlines()]
    assert got == want, got
elif fmt == "csv":
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == ["msg", "n"] and len(rows) == 1 + len(want), rows
    assert all(len(r) == 2 for r in rows), rows
    assert ["=cmd|' /C calc'!A0", "8"] in rows, "formula cell as it is"
elif fmt == "stderr":
    for l in text.splitlines():
        assert l.startswith("logq: "), "a value starts a line: %r" % l
elif fmt == "raw":
    assert data == open(src, "rb").read(), "raw is the input, as read"
elif fmt == "table":
    assert len(text.splitlines()) == 2 + len(want), text
PY
}
hostile_run() {	# FMT QUERY: stdout to $tmp/h.FMT, stderr to $tmp/h.FMT.err
	"$LOGQ" -f "$1" -e "$2" "$hostile" >"$tmp/h.$1" 2>"$tmp/h.$1.err"
}
if has python3; then
	for f in table json ndjson csv tsv markdown; do
		hostile_run $f "$list"
		check "hostile: $f listing is valid and holds no raw control byte" \
		    hostile_check $f "$tmp/h.$f" "$hostile"
	done
	hostile_run raw '{name: rawq, where: "n > 0"}'
	check "hostile: raw prints the input lines as they were read" \
	    hostile_check raw "$tmp/h.raw" "$hostile"
	hostile_run junit "$agg"
	check "hostile: junit holds no raw control byte" \
	    hostile_check junit "$tmp/h.junit" "$hostile"
	check "hostile: assertion messages on stderr all start with logq:" \
	    hostile_check stderr "$tmp/h.junit.err" "$hostile"
	hostile_run markdown "$agg"
	cp "$tmp/h.markdown" "$tmp/h.agg.md"
	check "hostile: markdown with failed assertions holds no raw control" \
	    hostile_check markdown "$tmp/h.agg.md" "$hostile"
else
	for i in 1 2 3 4 5 6 7 8 9 10; do
		skip "python3 not installed"
	done
fi
nh=$(wc -l <"$hostile")
if has xmllint; then
	check "hostile: junit validates against junit-10.xsd" \
	    xmllint --noout --schema "$LOGQ_TESTS/junit-10.xsd" "$tmp/h.junit"
	cases=$(xmllint --xpath 'count(//testcase)' "$tmp/h.junit" 2>/dev/null)
	names=$(grep -o '<testcase [^>]*name="[^"]*"' "$tmp/h.junit" |
	    sort -u | wc -l)
	if [ "$cases" = "$nh" ] && [ "$names" -eq "$nh" ]; then
		ok "hostile: junit has $nh cases with $nh distinct names"
	else
		not_ok "hostile: junit has $nh distinct cases" \
		    "cases $cases, distinct names $names"
	fi
else
	skip "xmllint not installed (libxml2-utils)"
	skip "xmllint not installed (libxml2-utils)"
fi
if has cmark-gfm; then
	# A bare URL (http://e) would still be linked by GitHub's autolink
	# extension, to the address it shows: not checked here.
	cmark-gfm --unsafe -e table -e strikethrough "$tmp/h.agg.md" \
	    >"$tmp/h.agg.md.html"
	hostile_run markdown "$list"
	cmark-gfm --unsafe -e table -e strikethrough "$tmp/h.markdown" \
	    >"$tmp/h.md.html"
	rows=$(grep -c '^<tr>' "$tmp/h.md.html")
	items=$(grep -c '^<li>' "$tmp/h.agg.md.html")
	tags=$(cat "$tmp/h.md.html" "$tmp/h.agg.md.html" |
	    grep -o '<[a-z][a-z0-9]*' | sort -u | grep -v -x -e '<table' \
	    -e '<thead' -e '<tbody' -e '<tr' -e '<th' -e '<td' -e '<h3' \
	    -e '<p' -e '<ul' -e '<li' -e '<code' -e '<strong' | tr '\n' ' ')
	if [ "$rows" -eq $((nh + 1)) ] && [ "$items" -eq "$nh" ] &&
	    [ -z "$tags" ]; then
		ok "hostile: cmark-gfm renders $nh rows, $nh failures, no other markup"
	else
		not_ok "hostile: cmark-gfm renders $nh rows, $nh failures" \
		    "rows $rows (with the header), list items $items" \
		    "unexpected elements: $tags"
	fi
else
	skip "cmark-gfm not installed"
fi
if has mlr; then
	got=$(mlr --itsv --ojson cat "$tmp/h.tsv" 2>&1 | grep -c '"msg"')
	if [ "$got" -eq "$nh" ]; then
		ok "hostile: mlr --itsv reads the $nh tsv rows"
	else
		not_ok "hostile: mlr --itsv reads the $nh tsv rows" "$got"
	fi
else
	skip "mlr not installed (miller)"
fi
"$LOGQ" -f prometheus -e "$agg" "$hostile" >"$tmp/h.prom" 2>/dev/null
if has promtool; then
	check "hostile: promtool check metrics accepts the labels" \
	    promtool_check "$tmp/h.prom"
else
	skip "promtool not installed (prometheus)"
fi
if has python3; then
	check "hostile: prometheus labels make $nh distinct series" \
	    no_duplicate_series "$tmp/h.prom"
else
	skip "python3 not installed"
fi

tap_end
