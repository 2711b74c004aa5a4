# errors listing by regex: ts level msg error path tenant (TSV).
# Fragile on purpose, as runbook one-liners are: it assumes compact JSON,
# these key spellings and no escaped quotes inside values.
/"level":"(error|fatal)"/ {
	ts = lv = m = er = pa = te = ""
	if (match($0, /"ts":"[^"]*"/)) ts = substr($0, RSTART + 6, RLENGTH - 7)
	if (match($0, /"level":"[^"]*"/)) lv = substr($0, RSTART + 9, RLENGTH - 10)
	if (match($0, /"msg":"[^"]*"/)) m = substr($0, RSTART + 7, RLENGTH - 8)
	if (match($0, /"error":"[^"]*"/)) er = substr($0, RSTART + 9, RLENGTH - 10)
	if (match($0, /"path":"[^"]*"/)) pa = substr($0, RSTART + 8, RLENGTH - 9)
	if (match($0, /"tenantId":"[^"]*"/)) te = substr($0, RSTART + 12, RLENGTH - 13)
	print ts "\t" lv "\t" m "\t" er "\t" pa "\t" te
}
