-- first/last time as min/max: the corpus's ts never goes backwards, and
-- DuckDB's first()/last() do not follow input order under threads.
WITH r AS (
  SELECT tenantId, ts
  FROM read_ndjson('@FILE@', columns = {ts: 'VARCHAR', tenantId: 'VARCHAR', error: 'VARCHAR', status: 'BIGINT'})
  WHERE error = 'RATE_LIMITED' OR status = 429
)
(SELECT tenantId, count(*) AS denials,
        100.0::DOUBLE * count(*) / (sum(count(*)) OVER ())::DOUBLE AS share_pct,
        min(ts) AS first_seen, max(ts) AS last_seen
 FROM r GROUP BY tenantId ORDER BY denials DESC, tenantId)
UNION ALL
SELECT 'TOTAL', count(*), count(DISTINCT tenantId)::DOUBLE, NULL, NULL FROM r;
