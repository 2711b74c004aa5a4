# path TAB latencyMs for lines with both (regex).
match($0, /"latencyMs":-?[0-9.]+/) {
	l = substr($0, RSTART + 12, RLENGTH - 12)
	if (match($0, /"path":"[^"]*"/))
		print substr($0, RSTART + 8, RLENGTH - 9) "\t" l
}
