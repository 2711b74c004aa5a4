# DuckDB (2 threads) through @duckdb/node-api: lib/tenant-volume.sql over the file $F
sql=$(mktemp) && trap 'rm -f "$sql"' EXIT &&
	sed "s|@FILE@|$F|g" "$LIB/tenant-volume.sql" > "$sql" &&
	node "$LIB/duckdb.mjs" "$sql"
