# requests per tenant, share of all requests, 5xx count.
# input: tenant TAB is_5xx(0|1), one line per request (any order)
BEGIN { FS = "\t" }
{ n[$1]++; e[$1] += $2; tot++ }
END {
	for (t in n)
		printf "%s\t%d\t%.17g\t%d\n", t, n[t], 100.0 * n[t] / tot, e[t]
}
