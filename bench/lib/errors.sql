SELECT ts, level, msg, error, path, tenantId
FROM read_ndjson('@FILE@', columns = {ts: 'VARCHAR', level: 'VARCHAR', msg: 'VARCHAR', error: 'VARCHAR', path: 'VARCHAR', tenantId: 'VARCHAR'})
WHERE level = 'error' OR level = 'fatal';
