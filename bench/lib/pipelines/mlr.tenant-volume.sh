# requests per tenant (share, 5xx): Miller selects and extracts, awk counts
mlr --ijson --onidx --ofs tab filter 'is_present($tenantId) && is_present($path)' \
	then put '$e = $status >= 500 ? 1 : 0' then cut -o -f tenantId,e |
	mawk -f "$LIB/agg_tenant.awk"
