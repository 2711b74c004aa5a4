#!/bin/sh
# SPDX-License-Identifier: MIT
# engines.sh - the README's scale-out recipes, run on real engines (TAP).
#
# SPEC 7: logq runs as the map step of GNU parallel, Dask, a Slurm job
# array or one process per pod, with `logq merge` as the reduce step,
# and the merged answer is byte for byte the one pass's. The recipes are
# taken out of README.md itself, not copied here: a fenced block after
# `<!-- engines: file NAME -->` is saved as NAME; one after
# `<!-- engines: run; one pass: COMMAND -->` is run with sh, and its
# output and exit status must equal COMMAND's. They run in a scratch
# folder holding logs/app-1.log.gz ... app-8.log.gz and big.log
# (generated below), with `logq` ($LOGQ) and `python3` (Debian's, the
# one python3-distributed is installed for) on the PATH, a stand-in
# `kubectl` whose pods print the logs, and for the Dask blocks a real
# local cluster: a scheduler and two worker processes on 127.0.0.1,
# started with Dask's own commands; a Slurm array is run as the eight
# tasks `--array=1-8` would start, with the variables Slurm sets.
#
# A recipe whose engine is not installed is a SKIP on a developer's
# machine, and a failure when LOGQ_REQUIRE_TOOLS is set (.ci/run sets it;
# ./bootstrap --test installs GNU parallel and python3-distributed).
# Run by `make check` with $LOGQ (the binary) and $LOGQ_TESTS (tests/).
set -u

. "$(dirname "$0")/tap.sh"
TAP_LOCALE=C
tap_start
case $LOGQ in
/*) ;;
*) LOGQ=$(pwd)/$LOGQ ;;
esac
readme=$LOGQ_TESTS/../README.md
tmp=$(mktemp -d) || exit 1
sched_pid=""
workers_pid=""
# stop_group PID: the process group PID leads (setsid below) is sent
# SIGTERM, and SIGKILL if it is still there 10 s later.
stop_group() {
	[ -n "$1" ] || return 0
	kill -TERM "-$1" 2>/dev/null || return 0
	i=0
	while kill -0 "-$1" 2>/dev/null && [ "$i" -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -KILL "-$1" 2>/dev/null
}
cleanup() {
	# The workers (with their nannies' processes), then the scheduler:
	# only what this test started.
	stop_group "$workers_pid"
	stop_group "$sched_pid"
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
unset DASK_SCHEDULER_ADDRESS
HOME=$tmp/home
export HOME

# missing NAME WHAT: the engine WHAT is not installed (tap.sh's skip:
# a failure under LOGQ_REQUIRE_TOOLS).
missing() {
	skip "$1 ($2 is not installed: ./bootstrap --test)"
}

now() {
	date +%s.%N
}

# Debian's python3 first: python3-distributed is installed for it, and
# a python3 earlier on the PATH (pyenv, a venv) may not have Dask.
py=""
for p in /usr/bin/python3 python3; do
	if "$p" -c 'import dask.bag, distributed' >/dev/null 2>&1; then
		py=$p
		break
	fi
done
gen_py=$py
[ -n "$gen_py" ] || gen_py=$(command -v python3 || command -v /usr/bin/python3)
if [ -z "$gen_py" ]; then
	echo "1..0 # SKIP python3 is not installed (the test data generator)"
	exit 0
fi
has_parallel=0
if command -v parallel >/dev/null 2>&1 &&
    parallel --version 2>/dev/null | grep -q 'GNU parallel'; then
	has_parallel=1
fi

work=$tmp/work
mkdir -p "$work/bin" "$work/logs" "$tmp/blocks" "$HOME"
cd "$work" || exit 1
ln -s "$LOGQ" bin/logq
[ -n "$py" ] && ln -s "$(command -v "$py")" bin/python3
# kubectl, as far as the pod recipe asks: pod api-N logs logs/app-N.
cat >bin/kubectl <<'EOF'
#!/bin/sh
case "$1" in
get)	for f in logs/app-*.log.gz; do
		n=${f#logs/app-}
		echo "pod/api-${n%.log.gz}"
	done ;;
logs)	n=${2#pod/api-}
	gzip -dc "logs/app-$n.log.gz" ;;
*)	echo "kubectl stand-in: $*" >&2
	exit 2 ;;
esac
EOF
chmod +x bin/kubectl
PATH=$work/bin:$PATH
export PATH

# The input: attesto-style request logs (the built-in queries' fields),
# 3000 lines a file in time order across the files, with errors, 429s,
# slow requests and a few lines that are not JSON.
"$gen_py" - <<'EOF' || { echo "Bail out! cannot generate the test logs"; exit 1; }
import gzip, json, random
paths = ["/v1/apple/verify", "/v1/google/verify", "/v1/tenants/%d/keys",
         "/health", "/v1/webhooks/%d"]
def lines(seed, count, t0):
    rng = random.Random(seed)
    for i in range(count):
        t = t0 + i * 0.7 + rng.random() * 0.5
        if rng.random() < 0.01:
            yield "runner: health check ok"
            continue
        path = rng.choice(paths)
        if "%d" in path:
            path = path % rng.randrange(1, 500)
        status = rng.choice([200] * 40 + [201, 400, 404, 429, 500, 503])
        ev = {"ts": "2026-12-%02dT%02d:%02d:%06.3fZ" % (
                  1 + int(t // 86400), int(t % 86400 // 3600),
                  int(t % 3600 // 60), t % 60),
              "level": "error" if status >= 500 else
                       "warn" if status == 429 else "info",
              "msg": "http_request", "method": rng.choice(["GET", "POST"]),
              "path": path, "status": status,
              "latencyMs": int(rng.lognormvariate(4, 1)),
              "tenantId": "tenant_%d" % rng.randrange(20)}
        if status == 429:
            ev["error"] = "RATE_LIMITED"
        elif status >= 500:
            ev["msg"] = rng.choice(["db timeout", "upstream reset"])
            ev["error"] = rng.choice(["DB_TIMEOUT", "UPSTREAM"])
        yield json.dumps(ev, separators=(",", ":"))
for k in range(1, 9):
    with gzip.GzipFile("logs/app-%d.log.gz" % k, "wb", mtime=0) as f:
        f.write("".join(l + "\n" for l in
                        lines(k, 3000, (k - 1) * 3000.0)).encode())
with open("big.log", "w") as f:
    f.writelines(l + "\n" for l in lines(9, 20000, 0.0))
EOF

# Dask: a scheduler and two worker processes on 127.0.0.1, started as an
# operator starts them; DASK_SCHEDULER_ADDRESS then names the scheduler
# to dask-logq.py's Client(). 0 when it is up.
dask_up=""
start_dask() {
	[ -n "$dask_up" ] && return "$dask_up"
	dask_up=1
	# Each in a session and process group of its own, so that
	# cleanup() stops a worker's child processes with it.
	setsid "$py" -m distributed.cli.dask_scheduler --host 127.0.0.1 \
	    --port 0 --no-dashboard --scheduler-file "$tmp/scheduler.json" \
	    >"$tmp/scheduler.log" 2>&1 </dev/null &
	sched_pid=$!
	setsid "$py" -m distributed.cli.dask_worker --nworkers 2 \
	    --nthreads 1 --no-dashboard --host 127.0.0.1 \
	    --local-directory "$tmp/dask" \
	    --scheduler-file "$tmp/scheduler.json" \
	    >"$tmp/workers.log" 2>&1 </dev/null &
	workers_pid=$!
	if ! "$py" - "$tmp/scheduler.json" >"$tmp/address" 2>"$tmp/wait.log" <<'EOF'
import os, sys, time
from distributed import Client
deadline = time.time() + 30
while not os.path.exists(sys.argv[1]) and time.time() < deadline:
    time.sleep(0.1)
with Client(scheduler_file=sys.argv[1], timeout=30) as c:
    c.wait_for_workers(2, timeout=30)
    print(c.scheduler.address)
EOF
	then
		not_ok "a Dask scheduler and two workers start on 127.0.0.1" \
		    "$(cat "$tmp/wait.log" "$tmp/scheduler.log" \
		    "$tmp/workers.log" 2>/dev/null | tail -20)"
		return 1
	fi
	DASK_SCHEDULER_ADDRESS=$(cat "$tmp/address")
	export DASK_SCHEDULER_ADDRESS
	dask_up=0
	return 0
}

# The README's marked blocks, in order: 1.mark, 1.body, 2.mark, ...
awk -v dir="$tmp/blocks" '
	/^<!-- engines: .* -->$/ { mark = $0; next }
	/^```/ {
		if (inside) { inside = 0; mark = ""; next }
		if (mark != "") {
			inside = 1; k++
			print mark > (dir "/" k ".mark")
			printf "" > (dir "/" k ".body")
		}
		next
	}
	inside { print > (dir "/" k ".body") }
' "$readme"

k=1
ran=0
while [ -f "$tmp/blocks/$k.mark" ]; do
	mark=$(cat "$tmp/blocks/$k.mark")
	body=$tmp/blocks/$k.body
	k=$((k + 1))
	case $mark in
	"<!-- engines: file "*)
		name=${mark#<!-- engines: file }
		name=${name% -->}
		cp "$body" "$work/$name"
		chmod +x "$work/$name"
		continue ;;
	"<!-- engines: run; one pass: "*)
		one=${mark#<!-- engines: run; one pass: }
		one=${one% -->} ;;
	*)
		not_ok "README marker '$mark' is one this test knows"
		continue ;;
	esac
	ran=$((ran + 1))
	recipe=$(sed -n '1p' "$body")
	name="README recipe '$recipe' equals '$one'"
	case $(cat "$body") in
	*dask-logq.py*)
		if [ -z "$py" ]; then
			missing "$name" "python3-distributed (Dask)"
			continue
		fi
		start_dask || continue ;;
	esac
	case $(cat "$body") in
	*parallel*)
		if [ "$has_parallel" = 0 ]; then
			missing "$name" "GNU parallel"
			continue
		fi ;;
	esac
	case $(cat "$body") in
	*states/*.state*)
		# The Slurm array: each task as sbatch starts it.
		count=$(sed -n 's/^#SBATCH --array=1-\([0-9]*\)$/\1/p' \
		    slurm-logq.sh)
		rm -rf states
		i=1
		while [ "$i" -le "${count:-0}" ]; do
			SLURM_ARRAY_TASK_ID=$i SLURM_ARRAY_TASK_COUNT=$count \
			    sh slurm-logq.sh
			i=$((i + 1))
		done ;;
	esac
	t0=$(now)
	timeout 120 sh "$body" >"$tmp/got" 2>"$tmp/got.err"
	got_status=$?
	t1=$(now)
	sh -c "$one" >"$tmp/want" 2>/dev/null
	want_status=$?
	t2=$(now)
	if [ ! -s "$tmp/want" ]; then
		not_ok "$name" "the one pass printed nothing"
	elif cmp -s "$tmp/want" "$tmp/got" &&
	    [ "$got_status" = "$want_status" ]; then
		ok "$name"
		awk -v a="$t0" -v b="$t1" -v c="$t2" -v s="$got_status" \
		    'BEGIN { printf "# %.2f s; the one pass %.2f s; exit " \
		    "status %s\n", b - a, c - b, s }'
	else
		not_ok "$name" "exit status $got_status, one pass $want_status" \
		    "$(diff "$tmp/want" "$tmp/got" | head -20)" \
		    "$(tail -10 "$tmp/got.err")"
	fi
done
if [ "$ran" -eq 0 ]; then
	not_ok "README.md has recipes marked for this test"
fi
tap_end
