# requests per tenant (share, 5xx): select and extract, then count in awk
jq -r 'select(.tenantId != null and .path != null) | [.tenantId, (if .status >= 500 then 1 else 0 end)] | @tsv' |
	mawk -f "$LIB/agg_tenant.awk"
