# DuckDB (2 threads) through @duckdb/node-api: lib/rate-limited.sql over the file $F
sql=$(mktemp) && trap 'rm -f "$sql"' EXIT &&
	sed "s|@FILE@|$F|g" "$LIB/rate-limited.sql" > "$sql" &&
	node "$LIB/duckdb.mjs" "$sql"
