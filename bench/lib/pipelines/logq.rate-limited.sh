"$LOGQ" $LOGQ_OPTS -q -f json rate-limited "$F"
