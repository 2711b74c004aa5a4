SELECT tenantId,
       count(*) AS requests,
       100.0::DOUBLE * count(*) / (sum(count(*)) OVER ())::DOUBLE AS share_pct,
       count(*) FILTER (WHERE status >= 500) AS errors_5xx
FROM read_ndjson('@FILE@', columns = {tenantId: 'VARCHAR', path: 'VARCHAR', status: 'BIGINT'})
WHERE tenantId IS NOT NULL AND path IS NOT NULL
GROUP BY tenantId
ORDER BY requests DESC, tenantId;
