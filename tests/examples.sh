#!/bin/sh
# SPDX-License-Identifier: MIT
# examples.sh - the recipes in examples/ run as written (TAP).
#
# Each example's logq commands are taken out of the file itself, not
# copied here: the `run: |`, `script: - |` and `args: - |` blocks that
# call logq (GitHub Actions, GitLab CI, the Kubernetes CronJob), the job
# line of the cron.d file (with its NAME=value lines), and the `sh
# original` / `sh logq` code blocks of RUNBOOK.md. They run in a scratch
# folder with `logq` on the PATH ($LOGQ) and stand-ins for `fly`,
# `docker` and `kubectl` that print the bundled samples; what they write
# is handed to its real reader: cmark-gfm (the step summary), xmllint
# with tests/junit-10.xsd (JUnit), promtool (the textfile), python3's
# json (the CronJob's report), and their exit statuses are checked. The
# runbook's originals (jq, awk) run on the same sample and their answers
# are compared with logq's. A reader that is not installed is a SKIP.
# Run by `make check` with $LOGQ (the binary) and $LOGQ_TESTS (tests/).
set -u

. "$(dirname "$0")/tap.sh"
tap_start
case $LOGQ in
/*) ;;
*) LOGQ=$(pwd)/$LOGQ ;;
esac
ex=$(cd "$LOGQ_TESTS/../examples" && pwd)
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
unset GITHUB_STEP_SUMMARY
HOME=$tmp/home
export HOME

# is NAME GOT WANT: one test point, two strings equal.
is() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1" "got: $2" "want: $3"
	fi
}

# ---- the PATH the examples run with ----------------------------------
# logq is the binary under test; fly, docker and kubectl print the
# samples as the real commands would (fly and kubectl with their line
# prefixes). FLY_JSON_ONLY=1 makes fly print the JSON objects alone,
# what the runbook's jq originals need to answer at all.
bin=$tmp/bin
mkdir -p "$bin" "$HOME"
ln -s "$LOGQ" "$bin/logq"
cat >"$bin/fly" <<EOF
#!/bin/sh
[ "\$1" = logs ] || { echo "fly stand-in: only 'fly logs'" >&2; exit 2; }
if [ -n "\${FLY_JSON_ONLY:-}" ]; then
	grep -o '{.*' "$ex/fly-attesto.log"
else
	cat "$ex/fly-attesto.log"
fi
EOF
cat >"$bin/docker" <<EOF
#!/bin/sh
[ "\$1" = logs ] || { echo "docker stand-in: only 'docker logs'" >&2; exit 2; }
cat "$ex/folionaut-api.log"
EOF
cat >"$bin/kubectl" <<EOF
#!/bin/sh
[ "\$1" = logs ] || { echo "kubectl stand-in: only 'kubectl logs'" >&2; exit 2; }
grep '{' "$ex/fly-attesto.log" | sed 's|^[^{]*|[pod/attesto-7d9f8c6b5-x2k4q/attesto] |'
EOF
chmod +x "$bin/fly" "$bin/docker" "$bin/kubectl"
PATH=$bin:$PATH
export PATH

# ---- extract.py: the commands, out of the example files --------------
cat >"$tmp/extract.py" <<'EOF'
"""extract.py MODE FILE OUTDIR: writes OUTDIR/1, OUTDIR/2, ... and
prints how many. yaml: every literal block scalar (`key: |`, `- |`)
that runs logq, dedented. cron: OUTDIR/env (the NAME=value lines) and
each job line's command. runbook: OUTDIR/N.original.K and N.logq.K,
the `sh original` and `sh logq` code blocks of the section `## N.`."""
import os, re, sys

mode, path, out = sys.argv[1:4]
os.makedirs(out, exist_ok=True)
lines = open(path, encoding="utf-8").read().split("\n")
found = []

if mode == "yaml":
    i = 0
    while i < len(lines):
        m = re.match(r"^(\s*)(-\s+|-?\s*[\w.-]+:\s+)\|[-+]?\s*$", lines[i])
        if not m:
            i += 1
            continue
        # The content is indented past the node it belongs to: the key
        # (`key: |`, `- key: |`) or the sequence's dash (`- |`).
        d = re.match(r"-\s+", m.group(2))
        base = len(m.group(1)) + (d.end() if d and d.end() < len(m.group(2)) else 0)
        block, j, ind = [], i + 1, None
        while j < len(lines):
            l = lines[j]
            if l.strip():
                k = len(l) - len(l.lstrip(" "))
                if k <= base or (ind is not None and k < ind):
                    break
                if ind is None:
                    ind = k
            block.append(l[ind:] if ind is not None else "")
            j += 1
        text = "\n".join(block).rstrip("\n") + "\n"
        if re.search(r"(^|[;&|(]\s*)logq\s", text, re.M):
            found.append(text)
        i = j
elif mode == "cron":
    env = []
    for l in lines:
        s = l.strip()
        if not s or s.startswith("#"):
            continue
        if re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", s):
            env.append(s)
            continue
        f = s.split(None, 6)
        if len(f) < 7:
            sys.exit("%s: not a cron.d job line (5 times, user, command): %s" % (path, s))
        found.append(f[6] + "\n")
    with open(os.path.join(out, "env"), "w") as e:
        e.write("\n".join(env) + "\n")
elif mode == "runbook":
    sec, kind, block, count = None, None, [], {}
    for l in lines:
        m = re.match(r"^## (\d+)\.", l)
        if m and kind is None:
            sec = m.group(1)
            continue
        if kind is None:
            m = re.match(r"^```sh (original|logq)\s*$", l)
            if m:
                if sec is None:
                    sys.exit("%s: a %s block before any '## N.' section" % (path, m.group(1)))
                kind, block = m.group(1), []
            continue
        if l.startswith("```"):
            key = (sec, kind)
            count[key] = count.get(key, 0) + 1
            name = "%s.%s.%d" % (sec, kind, count[key])
            with open(os.path.join(out, name), "w") as f:
                f.write("\n".join(block) + "\n")
            found.append(name)
            kind = None
            continue
        block.append(l)
    if kind is not None:
        sys.exit("%s: unclosed code block" % path)
    print(len(found))
    sys.exit(0)
for k, text in enumerate(found, 1):
    with open(os.path.join(out, str(k)), "w") as f:
        f.write(text)
print(len(found))
EOF

# extract MODE FILE DIR: the number of commands found (0 on error, with
# the error in DIR.err).
extract() {
	python3 "$tmp/extract.py" "$@" 2>"$3.err" || echo 0
}

# junit NAME FILE: one test point, FILE valid against the JUnit schema.
junit() {
	if ! has xmllint; then
		skip "$1 (xmllint not installed: libxml2-utils)"
	elif [ ! -s "$2" ]; then
		not_ok "$1" "no file $2"
	else
		check "$1" xmllint --noout --schema "$LOGQ_TESTS/junit-10.xsd" "$2"
	fi
}

# attr FILE NAME: the first NAME="..." attribute in FILE.
attr() {
	sed -n "s/.*<testsuites[^>]* $2=\"\\([0-9]*\\)\".*/\\1/p" "$1" | head -1
}

# A log on which every slo and no-secrets assertion holds: the sample's
# JSON lines without 5xx, 429 and slow requests (jq, or the test SKIPs).
passing=$tmp/passing.log
if has jq; then
	grep -o '{.*' "$ex/fly-attesto.log" |
	    jq -c 'select((.status // 200) < 429 and (.latencyMs // 0) < 400 and .error == null)' \
	    >"$passing"
fi

# ---- GitHub Actions ---------------------------------------------------
gh=$tmp/gh
found=$(extract yaml "$ex/github-actions.yml" "$gh.blocks")
is "github-actions.yml: one run block calls logq" "$found" 1
report=$(sed -n 's/^ *report_paths: *//p' "$ex/github-actions.yml")
# gh_run LOGFILE: the run block in a fresh job folder, as Actions runs
# it (bash -e), with LOGFILE as logs/app.log; prints the status.
gh_run() {
	rm -rf "$gh"
	mkdir -p "$gh/logs"
	[ -n "$1" ] && cp "$1" "$gh/logs/app.log"
	echo "earlier step" >"$gh/summary.md"
	(cd "$gh" && GITHUB_STEP_SUMMARY=$gh/summary.md \
	    bash -e "$gh.blocks/1" >"$gh.out" 2>"$gh.err")
	echo $?
}
status=$(gh_run "$ex/fly-attesto.log")
is "github-actions.yml: the SLO breaches of the sample fail the step (status 1)" "$status" 1
if has cmark-gfm; then
	html=$(cmark-gfm --extension table "$gh/summary.md")
	is "github-actions.yml: the summary keeps the earlier steps' lines" \
	    "$(head -1 "$gh/summary.md")" "earlier step"
	is "github-actions.yml: the summary renders a table per query (cmark-gfm)" \
	    "$(printf '%s\n' "$html" | grep -c '<table>')" 4
	for q in slo-5xx slo-latency slo-rate-limited no-secrets; do
		case $html in
		*"<h3>$q</h3>"*) ok "github-actions.yml: summary heading $q" ;;
		*) not_ok "github-actions.yml: summary heading $q" "$html" ;;
		esac
	done
else
	skip "cmark-gfm not installed"
fi
junit "github-actions.yml: $report (report_paths) is valid JUnit" "$gh/$report"
if [ -s "$gh/$report" ]; then
	is "github-actions.yml: a JUnit failure per failed assertion of the summary" \
	    "$(attr "$gh/$report" failures)" "$(grep -c '^- `' "$gh/summary.md")"
fi
if [ -s "$passing" ]; then
	status=$(gh_run "$passing")
	is "github-actions.yml: a log within the SLOs passes the step (status 0)" "$status" 0
	is "github-actions.yml: ... with no JUnit failure" "$(attr "$gh/$report" failures)" 0
else
	skip "jq not installed (the passing log)"
fi
status=$(gh_run "")
case $status in
0 | 1) not_ok "github-actions.yml: no logs fail the step with status 2 or 3" "status $status" "$(cat "$gh.err")" ;;
*) ok "github-actions.yml: no logs fail the step with status 2 or 3 ($status)" ;;
esac

# ---- GitLab CI --------------------------------------------------------
gl=$tmp/gl
found=$(extract yaml "$ex/gitlab-ci.yml" "$gl.blocks")
is "gitlab-ci.yml: one script item calls logq" "$found" 1
report=$(sed -n 's/^ *junit: *//p' "$ex/gitlab-ci.yml")
# gl_run LOGFILE: as gh_run, the way GitLab's runner runs a script.
gl_run() {
	rm -rf "$gl"
	mkdir -p "$gl/logs"
	[ -n "$1" ] && cp "$1" "$gl/logs/app.log"
	(cd "$gl" && bash -e -o pipefail "$gl.blocks/1" >"$gl.out" 2>"$gl.err")
	echo $?
}
status=$(gl_run "$ex/fly-attesto.log")
is "gitlab-ci.yml: the SLO breaches of the sample fail the job (status 1)" "$status" 1
junit "gitlab-ci.yml: $report (reports: junit) is valid JUnit" "$gl/$report"
if [ -s "$gl/$report" ]; then
	is "gitlab-ci.yml: a JUnit failure per assertion failed on stderr" \
	    "$(attr "$gl/$report" failures)" \
	    "$("$LOGQ" slo,no-secrets "$ex/fly-attesto.log" 2>&1 >/dev/null | grep -c 'assertion failed')"
fi
case $(cat "$gl.out") in
*slo-5xx*) ok "gitlab-ci.yml: the tables in the job log" ;;
*) not_ok "gitlab-ci.yml: the tables in the job log" "$(cat "$gl.out")" ;;
esac
if [ -s "$passing" ]; then
	status=$(gl_run "$passing")
	is "gitlab-ci.yml: a log within the SLOs passes the job (status 0)" "$status" 0
	is "gitlab-ci.yml: ... with no JUnit failure" "$(attr "$gl/$report" failures)" 0
else
	skip "jq not installed (the passing log)"
fi

status=$(gl_run "")
case $status in
0 | 1) not_ok "gitlab-ci.yml: no logs fail the job with status 2 or 3" "status $status" "$(cat "$gl.err")" ;;
*) ok "gitlab-ci.yml: no logs fail the job with status 2 or 3 ($status)" ;;
esac

# ---- cron + node_exporter's textfile collector ------------------------
cr=$tmp/cron
found=$(extract cron "$ex/cron/logq-textfile" "$cr.jobs")
is "cron/logq-textfile: one job line" "$found" 1
mkdir -p "$cr/textfile"
# The job reads the last hour: the sample, its times moved to end a
# minute ago.
python3 - "$ex/fly-attesto.log" "$cr/app.log" <<'EOF'
import datetime, re, sys
text = open(sys.argv[1]).read()
pat = re.compile(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?Z")
def parse(m):
    return datetime.datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S")
last = max(parse(m) for m in pat.finditer(text))
shift = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) \
    - datetime.timedelta(minutes=1) - last
def move(m):
    return (parse(m) + shift).strftime("%Y-%m-%dT%H:%M:%S") + (m.group(2) or "") + "Z"
open(sys.argv[2], "w").write(pat.sub(move, text))
EOF
echo "stale" >"$cr/textfile/logq.prom"
chmod 0640 "$cr/textfile/logq.prom"
# The file's NAME=value lines, then the two paths pointed here.
(
	set -a
	# shellcheck disable=SC1090 # the cron file's own NAME=value lines
	. "$cr.jobs/env"
	set +a
	export TEXTFILE_DIR="$cr/textfile" APP_LOG="$cr/app.log" PATH="$bin:$PATH"
	cd "$cr" && sh -c "$(cat "$cr.jobs/1")" >"$cr.out" 2>"$cr.err"
	echo $? >"$cr.status"
)
is "cron/logq-textfile: the job ends with status 0 (cron mails nothing)" "$(cat "$cr.status")" 0
is "cron/logq-textfile: the job prints nothing" "$(cat "$cr.out" "$cr.err")" ""
prom=$cr/textfile/logq.prom
if has promtool; then
	# promtool exits 3 on lint advice only (logq_latency_p99_ms: "abbreviated
	# units", names from the queries' columns): shown, not failed, as in
	# tests/formats.sh; 1 is a parse error.
	out=$(promtool check metrics <"$prom" 2>&1)
	rc=$?
	if [ "$rc" -eq 0 ] || { [ "$rc" -eq 3 ] &&
	    ! printf '%s\n' "$out" | grep -q 'error while'; }; then
		ok "cron/logq-textfile: logq.prom passes promtool check metrics"
		[ -n "$out" ] && printf '%s\n' "$out" | sed 's/^/# promtool: /'
	else
		not_ok "cron/logq-textfile: logq.prom passes promtool check metrics" "$out"
	fi
else
	skip "promtool not installed (prometheus)"
fi
is "cron/logq-textfile: logq.prom keeps its mode (0640)" \
    "$(stat -c %a "$prom")" 640
# Requests per tenant in the file, against jq's count of the lines with a
# tenant and a path (tenant-volume's where).
if has jq; then
	want=$(grep -o '{.*' "$cr/app.log" |
	    jq -r 'select(.tenantId != null and .path != null) | .tenantId' |
	    sort | uniq -c | awk '{ print $2, $1 }')
	got=$(sed -n 's/^logq_tenant_volume_requests{tenant="\([^"]*\)"} \([0-9]*\)$/\1 \2/p' "$prom" | sort)
	if [ -n "$want" ] && [ "$got" = "$want" ]; then
		ok "cron/logq-textfile: requests per tenant of the last hour as jq counts them"
	else
		not_ok "cron/logq-textfile: requests per tenant of the last hour as jq counts them" \
		    "got: $got" "want: $want"
	fi
else
	skip "jq not installed"
fi

# ---- Kubernetes CronJob -----------------------------------------------
k8=$tmp/k8s
found=$(extract yaml "$ex/kubernetes-cronjob.yaml" "$k8.blocks")
is "kubernetes-cronjob.yaml: one container script calls logq" "$found" 1
mkdir -p "$k8/reports" "$k8/tmp"
(cd "$k8" && REPORT_DIR=$k8/reports TMPDIR=$k8/tmp \
    sh -c "$(cat "$k8.blocks/1")" >"$k8.out" 2>"$k8.err"
echo $? >"$k8.status")
is "kubernetes-cronjob.yaml: the SLO breaches fail the Job (status 1)" "$(cat "$k8.status")" 1
is "kubernetes-cronjob.yaml: one report in REPORT_DIR" "$(find "$k8/reports" -type f | wc -l | tr -d ' ')" 1
is "kubernetes-cronjob.yaml: the scratch log removed" "$(ls "$k8/tmp")" ""
report=$(find "$k8/reports" -name '*.json' | head -1)
check "kubernetes-cronjob.yaml: the report is JSON with the four queries, printed to the pod log" \
    python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
names = [q["name"] for q in r["queries"]]
assert names == ["slo-5xx", "slo-latency", "slo-rate-limited", "no-secrets"], names
assert open(sys.argv[2]).read() == open(sys.argv[1]).read(), "pod log differs"
# 360 requests, as the samples lines with a status (kubectl prefixes read through)
assert r["queries"][0]["rows"][0]["requests"] == int(sys.argv[3]), r["queries"][0]["rows"]
' "${report:-/nonexistent}" "$k8.out" "$(grep -c '"status":' "$ex/fly-attesto.log")"

# ---- the three YAML files, read by a YAML parser -----------------------
# PyYAML (python3-yaml) parses each file and finds the extracted script
# where GitHub, GitLab and Kubernetes take it from.
if python3 -c 'import yaml' 2>/dev/null; then
	check "the YAML examples parse, and the extracted scripts are where each system runs them" \
	    python3 - "$ex" "$gh.blocks/1" "$gl.blocks/1" "$k8.blocks/1" <<'EOF'
import re, sys, yaml
ex, gh, gl, k8 = sys.argv[1:5]
def runs_logq(text):
    return re.search(r"(^|[;&|(]\s*)logq\s", text, re.M) is not None
w = yaml.safe_load(open(ex + "/github-actions.yml"))
runs = [s["run"] for j in w["jobs"].values() for s in j["steps"] if runs_logq(s.get("run", ""))]
assert runs == [open(gh).read()], ("github", runs)
rep = [s["with"]["report_paths"] for j in w["jobs"].values() for s in j["steps"]
       if "junit" in s.get("uses", "")]
assert rep == ["logq-junit.xml"], rep
g = yaml.safe_load(open(ex + "/gitlab-ci.yml"))["logq"]
assert [x for x in g["script"] if runs_logq(x)] == [open(gl).read()], g["script"]
assert g["artifacts"]["reports"]["junit"] == "logq-junit.xml"
assert g["artifacts"]["when"] == "always"
docs = list(yaml.safe_load_all(open(ex + "/kubernetes-cronjob.yaml")))
cj = [d for d in docs if d["kind"] == "CronJob"][0]
c = cj["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]
assert c["command"] == ["/bin/sh", "-c"] and c["args"] == [open(k8).read()], c
assert {e["name"] for e in c["env"]} >= {"REPORT_DIR"}
EOF
else
	skip "python3-yaml not installed"
fi

# ---- RUNBOOK.md -------------------------------------------------------
rb=$tmp/runbook
found=$(extract runbook "$ex/RUNBOOK.md" "$rb")
is "RUNBOOK.md: 5 originals and 6 logq commands" \
    "$(find "$rb" -name '*.original.*' | wc -l | tr -d ' ') $(find "$rb" -name '*.logq.*' | wc -l | tr -d ' ')" "5 6"
if ! has jq; then
	skip "jq not installed: the runbook's originals cannot run"
else
	for f in "$rb"/*.original.*; do
		[ -f "$f" ] || continue
		name=${f##*/}
		sec=${name%%.*}
		# As written, on fly's real output: jq stops at the prefixes.
		if grep -q 'fly logs' "$f"; then
			out=$(sh -c "$(cat "$f")" 2>&1)
			case $out in
			"parse error"*) ok "RUNBOOK.md $sec: the original on fly's output stops at a parse error" ;;
			*) not_ok "RUNBOOK.md $sec: the original on fly's output stops at a parse error" "$out" ;;
			esac
		fi
		FLY_JSON_ONLY=1 sh -c "$(cat "$f")" >"$rb/$sec.want" 2>"$rb/$sec.want.err"
		is "RUNBOOK.md $sec: the original runs on the JSON objects" "$?" 0
		k=1
		for g in "$rb/$sec".logq.*; do
			sh -c "$(cat "$g")" >"$rb/$sec.got.$k" 2>"$rb/$sec.got.$k.err"
			k=$((k + 1))
		done
		check "RUNBOOK.md $sec: logq's answer is the original's" \
		    python3 - "$sec" "$rb/$sec.want" "$rb/$sec".got.? <<'EOF'
import csv, io, json, re, sys

sec, want, gots = sys.argv[1], open(sys.argv[2]).read(), sys.argv[3:]

def tsv(path):
    return list(csv.DictReader(io.StringIO(open(path).read()), delimiter="\t"))

def same(a, b, what):
    if a != b:
        sys.exit("%s differ:\n original: %r\n logq:     %r" % (what, a, b))
    if not a:
        sys.exit("%s: both empty" % what)

if sec == "1":
    a = [json.loads(l) for l in want.splitlines()]
    b = [json.loads(l) for l in open(gots[0])]
    same([(o["ts"], o["level"], o["msg"]) for o in a],
         [(o["time"], o["level"], o["msg"]) for o in b], "error lines")
elif sec == "2":
    a = {}
    for l in want.splitlines():
        c, t = l.split()
        a[json.loads(t)] = int(c)
    rows = tsv(gots[0])
    same(a, {r["tenant"]: int(r["requests"]) for r in rows}, "requests per tenant")
    counts = [int(r["requests"]) for r in rows]
    same(counts, sorted(counts, reverse=True), "order, most first")
elif sec == "3":
    a = {}
    for l in want.splitlines():
        p, k, v = l.split()
        a[p] = (int(k), int(v))
    same(a, {r["path"]: (int(r["requests"]), int(r["p99_ms"])) for r in tsv(gots[0])},
         "requests and p99 per path")
    # latency: the same for paths without ids; the id paths one route.
    b = {r["route"]: (int(r["requests"]), int(r["p99_ms"])) for r in tsv(gots[1])}
    ids = {p: v for p, v in a.items() if re.search(r"/\d+(/|$)", p)}
    plain = {p: v for p, v in a.items() if p not in ids}
    same(plain, {r: v for r, v in b.items() if ":id" not in r}, "routes without ids")
    assert ids and all(k == 1 for k, v in ids.values()), "id paths of one request each"
    vals = sorted(v for k, v in ids.values())
    rank = (99 * len(vals) + 99) // 100
    same({"/v1/tenants/:id/keys": (len(vals), vals[rank - 1])},
         {r: v for r, v in b.items() if ":id" in r}, "the folded route")
elif sec == "4":
    a = {}
    for l in want.splitlines():
        t = json.loads(l)["tenantId"]
        a[t] = a.get(t, 0) + 1
    text = open(gots[0]).read().split("\n\n")
    per = list(csv.DictReader(io.StringIO(text[0]), delimiter="\t"))
    tot = list(csv.DictReader(io.StringIO(text[1]), delimiter="\t"))
    same(a, {r["tenant"]: int(r["denials"]) for r in per}, "denials per tenant")
    same(sum(a.values()), int(tot[0]["denials"]), "denials in all")
elif sec == "5":
    dec, vals, s = json.JSONDecoder(), [], want.strip()
    while s:
        v, i = dec.raw_decode(s)
        vals.append("" if v is None else v)
        s = s[i:].lstrip()
    a = [tuple(vals[i:i + 3]) for i in range(0, len(vals), 3)]
    same(a, [(r["level"], r["context"], r["msg"]) for r in tsv(gots[0])],
         "level, context, message per line")
else:
    sys.exit("no comparison for section %s" % sec)
EOF
	done
fi

tap_end
