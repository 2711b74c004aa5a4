# tenant TAB ts of rate-limit denials (regex).
/"error":"RATE_LIMITED"/ || /"status":429[,}]/ {
	t = ts = ""
	if (match($0, /"tenantId":"[^"]*"/)) t = substr($0, RSTART + 12, RLENGTH - 13)
	if (match($0, /"ts":"[^"]*"/)) ts = substr($0, RSTART + 6, RLENGTH - 7)
	print t "\t" ts
}
