#!/bin/sh
# SPDX-License-Identifier: MIT
# merge.sh - `logq merge` of --state runs against one pass (SPEC 7), TAP.
#
# The bundled logs (examples/, tests/cli/data/, skipped and repaired
# lines included) are cut at random lines into pieces p01.log, p02.log,
# ... (the names sort in input order). For every built-in query, an
# inline query with every aggregate, and latency under --approx and -j 2,
# the pieces go to 1..5 shards at random, one `logq Q --state` each; the
# states are merged in a shuffled order, and as a tree (two shuffled
# halves merged with `merge --state`, then those merged again, in a
# shuffled order). stdout, stderr and the exit status of every merge, in
# every format, must be byte-identical to one pass over all the pieces.
# Listings must be refused by both (status 2). The seeds are fixed, so a
# failure is reproducible: the TAP line names the query, the format and
# the seed. Run by `make check` with $LOGQ and $LOGQ_TESTS.
set -u

. "$(dirname "$0")/tap.sh"
tap_start
require python3 "python3 is not installed"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
HOME=$tmp/home
export HOME LOGQ LOGQ_TESTS

cd "$tmp" || exit 1
exec python3 - <<'END'
import glob, os, random, subprocess, sys

logq = os.environ["LOGQ"]
tests = os.environ["LOGQ_TESTS"]
top = os.path.dirname(tests)
SEEDS = [1, 7, 42, 1009]
FORMATS = ["table", "json", "ndjson", "csv", "tsv", "markdown",
           "prometheus", "junit", "raw"]
# Every aggregate of SPEC 3.3.
EVERY = ("{where: 'path != null', group_by: {route: route(path)}, "
         "aggregate: {n: count(), errs: 'count_if(status >= 500)', "
         "total: sum(latency_ms), mean: avg(latency_ms), "
         "lo: min(latency_ms), hi: max(latency_ms), "
         "p50: p50(latency_ms), p999: p999(latency_ms), "
         "p37: 'percentile(latency_ms, 37.5)', "
         "tenants: distinct(tenant), first_t: first(time), "
         "last_t: last(time), fastest: 'min_by(tenant, latency_ms)', "
         "slowest: 'max_by(tenant, latency_ms)', "
         "first_status: first(status), last_msg: last(msg)}, "
         "having: 'n > 1', sort: [-n, route], "
         "assert: ['hi < 2500']}")

n = 0
failed = 0


def tap(good, name, detail=""):
    global n, failed
    n += 1
    if good:
        print("ok %d - %s" % (n, name))
    else:
        failed += 1
        print("not ok %d - %s" % (n, name))
        for line in detail.splitlines()[:20]:
            print("# " + line)
    sys.stdout.flush()


def run(args, stdin=b""):
    p = subprocess.run([logq] + args, input=stdin, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    return p.returncode, p.stdout, p.stderr


# The corpus: every bundled log, each ending in a newline.
corpus = []
for path in sorted(glob.glob(os.path.join(top, "examples", "*.log")) +
                   glob.glob(os.path.join(tests, "cli", "data", "*.log"))):
    with open(path, "rb") as f:
        data = f.read()
    if data and not data.endswith(b"\n"):
        data += b"\n"
    corpus.extend(data.splitlines(keepends=True))

names = run(["--list", "--names"])[1].decode().split()
queries = [([q], q) for q in names]
queries.append((["-e", EVERY], "every aggregate (-e)"))
# Listings: rows in input order across states and queries, a limit,
# whole lines (raw), a sorted listing; and one that reads $skipped at
# each row (in an assertion), which has no state.
queries.append((["errors,slow-requests"], "errors,slow-requests"))
queries.append((["latency,errors"], "latency,errors"))
queries.append((["-e", "{where: 'status >= 400', select: [time, path, "
                 "status], limit: 7}"], "a listing with a limit (-e)"))
queries.append((["-e", "{where: 'level == \"warn\"'}"],
                "a listing of whole lines (-e)"))
queries.append((["-e", "{where: 'latency_ms > 200', select: [path, "
                 "latency_ms, time], sort: [-latency_ms], limit: 20}"],
                "a sorted listing (-e)"))
queries.append((["-e", "{where: 'status >= 500', select: [path, status], "
                 "assert: ['status < 502']}"],
                "a listing with a failing assertion (-e)"))
queries.append((["-e", "{where: 'status >= 500', select: [path], "
                 "assert: ['$skipped < 100']}"],
                "a listing asserting $skipped (-e)"))
# Sums and means of reals: exact sums, whatever the grouping.
queries.append((["-e", "{group_by: tenant, aggregate: {s: 'sum(latency_ms "
                 "/ 7)', a: 'avg(latency_ms * 1.1)', t: 'sum(0.1)'}}"],
                "sums of reals (-e)"))
queries.append((["latency", "--approx"], "latency --approx"))
# States made with --approx, merged without it: approximate as asked.
queries.append((["latency", "--approx"], "latency --approx, merged without",
                ["latency"]))
queries.append((["ops-report", "-j", "2"], "ops-report -j 2"))
queries.append((["slo", "--set", "max_p99_ms=3000"],
                "slo --set max_p99_ms=3000"))


def pieces_for(seed):
    """Cuts the corpus at random lines into 1..12 files, in name order."""
    rnd = random.Random(seed)
    k = rnd.randint(1, 12)
    cuts = sorted(rnd.sample(range(1, len(corpus)), k - 1))
    bounds = [0] + cuts + [len(corpus)]
    d = "seed%d" % seed
    os.makedirs(d, exist_ok=True)
    files = []
    for i in range(k):
        name = os.path.join(d, "p%02d.log" % (i + 1))
        with open(name, "wb") as f:
            f.writelines(corpus[bounds[i]:bounds[i + 1]])
        files.append(name)
    return files


def listing(q):
    """A query refused by --state and merge."""
    return q[0] == "-e" and "$skipped" in q[1]


for seed in SEEDS:
    files = pieces_for(seed)
    rnd = random.Random(seed * 31 + 1)
    for item in queries:
        qargs, qname = item[0], item[1]
        # The merge's own arguments, when not the runs'.
        margs = item[2] if len(item) > 2 else qargs
        label = "%s, seed %d, %d pieces" % (qname, seed, len(files))
        if listing(qargs):
            rc1, _, err1 = run(qargs + ["--state"] + files)
            rc2, _, err2 = run(["merge"] + qargs, b"{}\n")
            good = rc1 == 2 and rc2 == 2 and all(
                b"is a listing that reads $lines" in e for e in (err1, err2))
            tap(good, "%s: a listing that reads $skipped at each row has "
                "no state (--state and merge exit 2)" % label,
                "exit %d and %d\n%s%s" % (rc1, rc2, err1.decode(),
                                          err2.decode()))
            continue
        nshards = rnd.randint(1, min(5, len(files)))
        shard_of = [rnd.randrange(nshards) for _ in files]
        # Every shard gets a piece.
        for s in range(nshards):
            shard_of[s % len(files)] = s
        states = []
        for s in range(nshards):
            mine = [f for f, o in zip(files, shard_of) if o == s]
            rc, out, err = run(qargs + ["--state"] + mine)
            if rc not in (0, 1) or out.count(b"\n") != 1:
                tap(False, "%s: shard %d's state" % (label, s),
                    err.decode(errors="replace"))
            states.append(out)
        flat = states[:]
        rnd.shuffle(flat)
        # A tree: two halves merged to states, then merged (shuffled).
        cut = rnd.randint(0, len(flat))
        halves = []
        for part in (flat[:cut], flat[cut:]):
            if part:
                halves.append(run(["merge"] + margs + ["--state", "-"],
                                  b"".join(part))[1])
        rnd.shuffle(halves)
        with open("states-a", "wb") as f:
            f.write(halves[0])
        with open("states-b", "wb") as f:
            f.write(b"".join(halves[1:]))
        for fmt in FORMATS:
            want = run(qargs + ["-f", fmt] + files)
            got = run(["merge"] + margs + ["-f", fmt], b"".join(flat))
            tree = run(["merge"] + margs + ["-f", fmt, "states-a",
                                            "states-b"])
            for how, res in (("merged", got), ("merged as a tree", tree)):
                same = res == want
                detail = ""
                if not same:
                    detail = ("exit %d, want %d\n--- one pass\n%s\n%s\n"
                              "--- merge\n%s\n%s" % (
                                  res[0], want[0],
                                  want[1][:600].decode(errors="replace"),
                                  want[2].decode(errors="replace"),
                                  res[1][:600].decode(errors="replace"),
                                  res[2].decode(errors="replace")))
                tap(same, "%s: %d states %s, -f %s: as one pass "
                    "(stdout, stderr, exit %d)" % (label, nshards, how,
                                                   fmt, want[0]), detail)

print("1..%d" % n)
sys.exit(1 if failed else 0)
END
