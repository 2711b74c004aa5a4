SELECT path,
       count(*) AS requests,
       quantile_disc(latencyMs, 0.50) AS p50_ms,
       quantile_disc(latencyMs, 0.95) AS p95_ms,
       quantile_disc(latencyMs, 0.99) AS p99_ms,
       max(latencyMs) AS max_ms
FROM read_ndjson('@FILE@', columns = {path: 'VARCHAR', latencyMs: 'DOUBLE'})
WHERE latencyMs IS NOT NULL AND path IS NOT NULL
GROUP BY path
ORDER BY p99_ms DESC, path;
