# tenant TAB is_5xx for lines with a tenantId and a path (regex).
match($0, /"tenantId":"[^"]*"/) && index($0, "\"path\":") {
	t = substr($0, RSTART + 12, RLENGTH - 13)
	s = 0
	if (match($0, /"status":[0-9]+/))
		s = substr($0, RSTART + 9, RLENGTH - 9) + 0
	print t "\t" (s >= 500)
}
