# errors listing: the runbook's select, printing the columns of logq's errors
jq -r 'select(.level=="error" or .level=="fatal") | [.ts, .level, .msg, .error, .path, .tenantId] | @tsv'
