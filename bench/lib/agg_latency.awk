# per path: requests, p50, p95, p99 (nearest rank: the value at rank
# ceil(q/100 * n) of the sorted values, computed in integers), max.
# input: path TAB latency, sorted by path then latency ascending
# (LC_ALL=C sort -t TAB -k1,1 -k2,2n)
BEGIN { FS = "\t" }
NR > 1 && $1 != p { flush() }
{ p = $1; v[++n] = $2 }
END { if (NR > 0) flush() }
function rank(q,  r) { r = int((q * n + 99) / 100); return r < 1 ? 1 : r }
function flush() {
	printf "%s\t%d\t%s\t%s\t%s\t%s\n", p, n, v[rank(50)], v[rank(95)],
	    v[rank(99)], v[n]
	n = 0
}
