# errors listing with Miller 6 (JSON Lines in, tab-separated values out)
mlr --ijson --onidx --ofs tab filter '$level == "error" || $level == "fatal"' \
	then unsparsify -f error,path,tenantId \
	then cut -o -f ts,level,msg,error,path,tenantId
