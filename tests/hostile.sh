#!/bin/sh
# SPDX-License-Identifier: MIT
# hostile.sh - logs written to make logq slow (issue 16), TAP output.
#
# A log is input from whoever can write to it: its values must not pick
# logq's running time. Each attack below is a log that made the code
# before issue 16 quadratic, run under a limit of CPU time
# (HOSTILE_CPU, default 8 s; CPU, not wall time, so that a loaded
# machine does not fail the test) that the quadratic code exceeds by far
# and the fixed code meets by far. CPU seconds at -j 1, old code -> new:
#
#   p50/p95/p99 of 400,000 decreasing latencies     > 18 (stopped) -> 0.06
#   ... organ pipe (up, then down)                    25.4  -> 0.04
#   ... down-up (down to 0, then up)                > 23 (stopped) -> 0.06
#   ... all equal (a guard: never slow)                0.06 -> 0.07
#   group by 120,000 crafted tenant ids, twice each   16.5  -> 0.9
#   group by 150,000 crafted paths, twice each        29.3  -> 1.3
#   16 lines of 64,000 crafted member names         > 24 (stopped) -> 0.05
#
# Crafted keys come from tests/hostile/collide ($LOGQ_COLLIDE), which
# makes them collide under the old, unseeded hashes; the run's random
# seed (src/hash.h) scatters them. Each attack is two test points: it
# ends in time, and its answer is the one computed here with sort and
# awk. Last, the output must not depend on the seed: the same run under
# LOGQ_HASH_SEED=1, =2 and a random seed prints the same bytes.
# Run by `make check` with $LOGQ (the binary) and $LOGQ_COLLIDE. Under
# a sanitizer, raise the limit: HOSTILE_CPU=40.
set -u

. "$(dirname "$0")/tap.sh"
TAP_LOCALE=C
tap_start
collide=${LOGQ_COLLIDE:-$(dirname "$LOGQ")/tests/hostile/collide}
if [ ! -x "$collide" ]; then
	echo "Bail out! no $collide (make tests/hostile/collide)"
	exit 1
fi
cpu=${HOSTILE_CPU:-8}
wall=$((cpu * 10))	# a backstop: a run that waits uses no CPU
backstop=
command -v timeout >/dev/null 2>&1 && backstop="timeout $wall"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
unset LOGQ_HASH_SEED
HOME=$tmp/home
export HOME

now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# timed NAME OUT ARGS...: logq ARGS > OUT within the limit, one point.
# Past the CPU limit the kernel stops logq with SIGXCPU (status 152),
# or SIGKILL at the hard limit (137); timeout stops it with 124.
timed() {
	name=$1
	out=$2
	shift 2
	start=$(now_ms)
	# shellcheck disable=SC2086
	(ulimit -t "$cpu" && exec $backstop "$LOGQ" "$@") \
	    >"$out" 2>"$tmp/stderr"
	status=$?
	ms=$(($(now_ms) - start))
	secs=$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))
	case $status in
	0)	ok "$name: $secs s wall (limit $cpu s of CPU)" ;;
	152|137)
		not_ok "$name: over $cpu s of CPU (quadratic?)" ;;
	124)	not_ok "$name: still running after $wall s" ;;
	*)	not_ok "$name: exit status $status" "$(head -20 "$tmp/stderr")" ;;
	esac
}

# same NAME WANT GOT: one point, GOT's bytes are WANT's.
same() {
	if cmp -s "$2" "$3"; then
		ok "$1"
	else
		diff "$2" "$3" | head -10 >"$tmp/diff"
		not_ok "$1" "$(head -20 "$tmp/diff")"
	fi
}

# Percentiles as SPEC 4.3 defines them, from the values sorted by sort:
# nearest rank ceil(q/100 * n), in integers.
want_latency() {
	awk -F'"latency_ms":' '{ split($2, a, /[,}]/); print a[1] }' "$1" |
	    sort -n | awk '{ v[NR] = $1 }
		function at(q) { return v[int((q * NR + 99) / 100)] }
		END {
			print "route,requests,p50_ms,p95_ms,p99_ms,max_ms"
			printf "/a,%d,%s,%s,%s,%s\n", NR, at(50), at(95),
			    at(99), v[NR]
		}'
}

# Latencies in a shape that defeats a quickselect's pivots.
lat=400000
shape() {
	awk -v n=$lat -v shape="$1" 'BEGIN {
		for (i = 0; i < n; i++) {
			if (shape == "decreasing") v = n - i
			else if (shape == "organ-pipe") v = i < n / 2 ? i : n - i
			else if (shape == "down-up")
				v = i < n / 2 ? n / 2 - i : i - n / 2
			else v = 250
			printf "{\"path\":\"/a\",\"latency_ms\":%d}\n", v
		}
	}' >"$tmp/$1.log"
}

for s in decreasing organ-pipe down-up all-equal; do
	shape "$s"
	timed "p50/p95/p99 of $lat $s latencies" "$tmp/got" \
	    latency -j 1 -f csv "$tmp/$s.log"
	want_latency "$tmp/$s.log" >"$tmp/want"
	same "p50/p95/p99 of $s latencies: the sorted values' ranks" \
	    "$tmp/want" "$tmp/got"
done

# Tenant ids in one run of a group-by's slots, each seen twice: every
# line walks the cluster. Expected: each id, 2 requests, no 5xx.
tenants=120000
"$collide" tenants $tenants >"$tmp/tenants"
awk '{ printf "{\"tenant\":\"%s\",\"path\":\"/x\",\"status\":200}\n", $0 }' \
    "$tmp/tenants" "$tmp/tenants" >"$tmp/tenants.log"
timed "group by $tenants crafted tenant ids" "$tmp/got" \
    tenant-volume -j 1 -f csv "$tmp/tenants.log"
awk -F, 'NR > 1 { print $1 "," $2 "," $4 }' "$tmp/got" | sort >"$tmp/got2"
sort -u "$tmp/tenants" | awk '{ print $0 ",2,0" }' >"$tmp/want"
same "crafted tenant ids: each its own group of 2" "$tmp/want" "$tmp/got2"

# Paths that route() keeps as they are, in one run of the latency
# query's group table, twice each with one latency per path.
paths=150000
"$collide" paths $paths >"$tmp/paths"
awk '{ printf "{\"path\":\"%s\",\"latency_ms\":%d}\n", $0, FNR % 997 }' \
    "$tmp/paths" "$tmp/paths" >"$tmp/paths.log"
timed "group by $paths crafted paths" "$tmp/got" \
    latency -j 1 -f csv "$tmp/paths.log"
sed 1d "$tmp/got" | sort >"$tmp/got2"
awk '{ l = NR % 997; printf "%s,2,%d,%d,%d,%d\n", $0, l, l, l, l }' \
    "$tmp/paths" | sort >"$tmp/want"
same "crafted paths: each its own route, 2 requests" "$tmp/want" "$tmp/got2"

# Member names in one run of jscan's index, on 16 lines: the index is
# built for each line that a field is looked up in.
members=64000
"$collide" members $members >"$tmp/members"
awk 'BEGIN { printf "{" } { printf "\"%s\":%d,", $0, NR }
    END { printf "\"path\":\"/a\",\"latency_ms\":" }' "$tmp/members" \
    >"$tmp/object"
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16; do
	cat "$tmp/object"
	echo "$i}"
done >"$tmp/members.log"
timed "16 lines of $members crafted member names" "$tmp/got" \
    latency -j 1 -f csv "$tmp/members.log"
want_latency "$tmp/members.log" >"$tmp/want"
same "crafted member names: the line's own fields found" "$tmp/want" \
    "$tmp/got"

# The order of groups is their arrival, then the query's sort (ties
# kept in that order): never the hash table's. 3,000 tenants in ties of
# equal counts, a distinct count and two keys, on two threads.
awk 'BEGIN {
	for (i = 0; i < 9000; i++)
		printf "{\"tenant\":\"t%d\",\"path\":\"/p%d\",\"status\":%d}\n",
		    (i * 7919) % 3000, i % 7, 200 + (i % 5) * 100
}' >"$tmp/order.log"
query='{group_by: [tenant, status], aggregate: {n: count(), paths: distinct(path)}, sort: [-n]}'
for seed in 1 2 random; do
	if [ "$seed" = random ]; then
		"$LOGQ" -j 2 -f csv -e "$query" "$tmp/order.log" \
		    >"$tmp/order.$seed" 2>&1
	else
		LOGQ_HASH_SEED=$seed "$LOGQ" -j 2 -f csv -e "$query" \
		    "$tmp/order.log" >"$tmp/order.$seed" 2>&1
	fi
done
if [ "$(wc -l <"$tmp/order.1")" -gt 3000 ]; then
	ok "3,000 tenants in ties: $(wc -l <"$tmp/order.1") lines of output"
else
	not_ok "3,000 tenants in ties: too little output" \
	    "$(head -20 "$tmp/order.1")"
fi
same "LOGQ_HASH_SEED=1 and =2 print the same bytes" "$tmp/order.1" \
    "$tmp/order.2"
same "and so does a random seed" "$tmp/order.1" "$tmp/order.random"

tap_end
