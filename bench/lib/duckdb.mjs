// bench/lib/duckdb.mjs SQLFILE - run one SQL query with DuckDB (2 threads)
// through @duckdb/node-api and print the rows as TSV (NULL as empty).
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const sql = readFileSync(process.argv[2], 'utf8');
const threads = process.env.DUCKDB_THREADS || '2';
const instance = await DuckDBInstance.create(':memory:', { threads });
const conn = await instance.connect();
const reader = await conn.runAndReadAll(sql);
const out = [];
for (const row of reader.getRows())
	out.push(row.map((v) => (v === null ? '' : String(v))).join('\t'));
process.stdout.write(out.length ? out.join('\n') + '\n' : '');
