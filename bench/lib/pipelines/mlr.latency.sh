# p50/p95/p99/max per path, exact nearest rank: Miller extracts, sort, awk
mlr --ijson --onidx --ofs tab filter 'is_present($latencyMs) && is_present($path)' \
	then cut -o -f path,latencyMs |
	sort -t $'\t' -k1,1 -k2,2n |
	mawk -f "$LIB/agg_latency.awk"
