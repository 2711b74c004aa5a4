# denials per tenant with share, first and last time; then the total and
# the number of distinct tenants.
# input: tenant TAB time, in input order
BEGIN { FS = "\t" }
{
	if (!($1 in n)) { first[$1] = $2; k++ }
	n[$1]++; last[$1] = $2; tot++
}
END {
	for (t in n)
		printf "%s\t%d\t%.17g\t%s\t%s\n", t, n[t], 100.0 * n[t] / tot,
		    first[t], last[t]
	printf "TOTAL\t%d\t%d\n", tot, k
}
