"$LOGQ" $LOGQ_OPTS -q -f json tenant-volume "$F"
