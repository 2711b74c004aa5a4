# rate-limit denials per tenant (share, first, last) and total
gojq -r 'select(.error=="RATE_LIMITED" or .status==429) | [.tenantId, .ts] | @tsv' |
	mawk -f "$LIB/agg_ratelimited.awk"
