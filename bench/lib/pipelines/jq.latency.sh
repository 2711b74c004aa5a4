# p50/p95/p99/max per path, exact nearest rank: extract, sort, rank in awk
jq -r 'select(.latencyMs != null and .path != null) | [.path, .latencyMs] | @tsv' |
	sort -t $'\t' -k1,1 -k2,2n |
	mawk -f "$LIB/agg_latency.awk"
