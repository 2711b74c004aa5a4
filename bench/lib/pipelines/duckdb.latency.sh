# DuckDB (2 threads) through @duckdb/node-api: lib/latency.sql over the file $F
sql=$(mktemp) && trap 'rm -f "$sql"' EXIT &&
	sed "s|@FILE@|$F|g" "$LIB/latency.sql" > "$sql" &&
	node "$LIB/duckdb.mjs" "$sql"
