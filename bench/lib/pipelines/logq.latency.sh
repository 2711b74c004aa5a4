"$LOGQ" $LOGQ_OPTS -q -f json latency "$F"
