# rate-limit denials by regex, counted by the same awk
mawk -f "$LIB/mawk_ratelimited.awk" | mawk -f "$LIB/agg_ratelimited.awk"
