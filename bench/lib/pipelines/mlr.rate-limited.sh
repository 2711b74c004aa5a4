# rate-limit denials per tenant (share, first, last) and total
mlr --ijson --onidx --ofs tab filter '$error == "RATE_LIMITED" || $status == 429' \
	then cut -o -f tenantId,ts |
	mawk -f "$LIB/agg_ratelimited.awk"
