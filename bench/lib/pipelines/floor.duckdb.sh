# DuckDB's fixed cost here: node, the library and a query that reads nothing
sql=$(mktemp) && trap 'rm -f "$sql"' EXIT &&
	echo 'SELECT 42;' > "$sql" &&
	node "$LIB/duckdb.mjs" "$sql"
