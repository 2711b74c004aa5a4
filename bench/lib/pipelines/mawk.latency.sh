# p50/p95/p99/max per path by regex, then the same sort and awk
mawk -f "$LIB/mawk_latency.awk" |
	sort -t $'\t' -k1,1 -k2,2n |
	mawk -f "$LIB/agg_latency.awk"
