# errors listing by regex (fragile: compact JSON, fixed key names)
mawk -f "$LIB/mawk_errors.awk"
