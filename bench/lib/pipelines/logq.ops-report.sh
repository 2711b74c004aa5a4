"$LOGQ" $LOGQ_OPTS -q -f json ops-report "$F"
