# SPDX-License-Identifier: MIT
# fish completion for logq(1)
#
# Query names come from the binary itself (`logq --list --names`). They
# are offered while no QUERY has been given: no operand yet and no -e.
# Options may come anywhere (GNU order) until "--". After --set, the
# parameter names of the query on the line (`logq --list --params QUERY`).
# A first operand "merge" (`logq merge QUERY STATE...`) is not the QUERY.

function __logq_needs_query
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l skip 0
    set -l seen_merge 0
    for t in $tokens
        if test $skip = 1
            set skip 0
            continue
        end
        switch $t
            case -e --inline '-e?*' '--inline=*'
                return 1
            case -f --format -j --jobs -o --output --set --field --since --until --color --max-groups --max-line-bytes --max-values --interval --shard --window --stall
                set skip 1
            case '-?*'
            case merge
                test $seen_merge = 1; and return 1
                set seen_merge 1
            case '*'
                return 1
        end
    end
    return 0
end

# Whether "merge" was given as the first operand.
function __logq_merge_given
    contains -- merge (commandline -opc)
end

# The QUERY on the line (its first operand), unless -e gave the query.
function __logq_query
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l skip 0
    set -l seen_merge 0
    set -l dashdash 0
    for t in $tokens
        if test $skip = 1
            set skip 0
            continue
        end
        if test $dashdash = 1
            echo $t
            return 0
        end
        switch $t
            case -e --inline '-e?*' '--inline=*'
                return 1
            case --
                set dashdash 1
            case -f --format -j --jobs -o --output --set --field --since --until --color --max-groups --max-line-bytes --max-values --interval --shard
                set skip 1
            case '-?*'
            case merge
                test $seen_merge = 1; and begin
                    echo $t
                    return 0
                end
                set seen_merge 1
            case '*'
                echo $t
                return 0
        end
    end
    return 1
end

# NAME= for each parameter --set takes for that query.
function __logq_params
    set -l query (__logq_query); or return
    logq --list --params $query 2>/dev/null | while read -l name type default
        printf '%s=\t%s, default %s\n' $name $type $default
    end
end

complete -c logq -n __logq_needs_query -a '(logq --list --names 2>/dev/null)' -d 'built-in query'
complete -c logq -n '__logq_needs_query; and not __logq_merge_given' -a merge -d 'Merge the states of --state runs'

complete -c logq -s e -l inline -x -d 'Run a query given inline (YAML)'
complete -c logq -s f -l format -x -a 'table json ndjson csv tsv markdown prometheus junit raw' -d 'Output format'
complete -c logq -s j -l jobs -x -d 'Threads'
complete -c logq -l max-groups -x -d 'Stop past this many groups in a query'
complete -c logq -l max-line-bytes -x -d 'Skip lines longer than this many bytes'
complete -c logq -l max-values -x -d 'Exact percentile values kept before approximating'
complete -c logq -l approx -d 'Percentiles from bounded sketches (within 1%)'
complete -c logq -s o -l output -r -F -d 'Write results to a file'
complete -c logq -l set -x -a '(__logq_params)' -d 'Set a query parameter (NAME=VALUE)'
complete -c logq -l field -x -d 'Set a field alias (CANON=F1,F2,...)'
complete -c logq -l since -x -d 'Keep lines at or after a time'
complete -c logq -l until -x -d 'Keep lines before a time'
complete -c logq -l interval -x -d 'Follow mode: print the aggregations every DUR (100ms, 1s, 1m)'
complete -c logq -l reset -d 'With --interval: each print covers the lines since the last'
complete -c logq -l shard -x -d 'Read the I-th of N line-aligned byte ranges of each file (I/N)'
complete -c logq -l state -d 'Print the partial state of the queries, for logq merge'
complete -c logq -l window -x -d 'With --interval: each print covers the last DUR (sliding)'
complete -c logq -l stall -x -d 'Warn once when no line came for DUR'
complete -c logq -l strict -d 'Exit 3 if any line was skipped'
complete -c logq -s q -l quiet -d 'No warnings or summary on stderr'
complete -c logq -s v -l verbose -d 'Report every skipped line on stderr'
complete -c logq -l color -x -a 'auto always never' -d 'When to use color'
complete -c logq -l explain -d 'Print how the queries were understood, and exit'
complete -c logq -l list -d 'List the built-in queries'
complete -c logq -l names -d 'With --list or --list-profiles: names only'
complete -c logq -l params -d 'With --list QUERY: the parameters --set takes'
complete -c logq -l list-functions -d 'List the functions of expressions'
complete -c logq -l list-profiles -d 'List the format profiles'
complete -c logq -l profile -x -a '(logq --list-profiles --names 2>/dev/null)' -d 'Read every line with this format profile'
complete -c logq -l fields -d 'Print the field aliases in force'
complete -c logq -l version -d 'Print the version and library versions'
complete -c logq -s h -l help -d 'Print help'
