# requests per tenant (share, 5xx) by regex, counted by the same awk
mawk -f "$LIB/mawk_tenant.awk" | mawk -f "$LIB/agg_tenant.awk"
