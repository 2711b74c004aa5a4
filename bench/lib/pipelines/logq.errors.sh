"$LOGQ" $LOGQ_OPTS -q -f csv errors "$F"
