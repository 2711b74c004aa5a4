#!/bin/sh
# SPDX-License-Identifier: MIT
# docs.sh - keep the manual and the completions true to the binary (TAP).
#
# The binary is the source of truth (STYLE 6): every option `logq --help`
# prints must be documented in man/logq.1 and completed by the bash, zsh
# and fish scripts; every format name likewise; every alias `logq --fields`
# prints must be in the manual's table; and the pages must pass mandoc's
# linter. Run by `make check` with $LOGQ (the binary) and $LOGQ_TESTS.

. "$(dirname "$0")/tap.sh"
tap_start
srcdir=$LOGQ_TESTS/..
man1=$srcdir/man/logq.1
man5=$srcdir/man/logq-query.5
bash_c=$srcdir/completions/logq
zsh_c=$srcdir/completions/_logq
fish_c=$srcdir/completions/logq.fish


# matches MESSAGE FILE ERE: one test point, "FILE matches ERE".
matches() {
	if grep -Eq -- "$3" "$2"; then
		ok "$1"
	else
		not_ok "$1" "no line of $2 matches: $3"
	fi
}

# A completion script without its comments, without the lines that ask
# for query names and without zsh's exclusion lists ('(-f --format)'),
# which would all hide a missing option.
option_text() {
	grep -v -e '^[[:space:]]*#' -e '--list --names' "$1" |
	    sed "s/'([^']*)'//g"
}

help=$("$LOGQ" --help 2>&1)
status=$?

# Long options: the first one on each option line ("  -f, --format FMT")
# and every one in the usage lines ("logq --list [--names] | ...").
longs=$(
	{
		printf '%s\n' "$help" | sed -nE \
		    's/^[[:space:]]+(-[[:alnum:]], )?--([[:alnum:]][[:alnum:]-]*).*/\2/p'
		printf '%s\n' "$help" | grep -E '^(usage:)?[[:space:]]*logq ' |
		    grep -oE -- '--[[:alnum:]][[:alnum:]-]*' | sed 's/^--//'
	} | sort -u
)
nlongs=$(printf '%s\n' "$longs" | grep -c .)
if [ "$status" -eq 0 ] && [ "$nlongs" -gt 0 ]; then
	ok "logq --help exits 0 and lists $nlongs long options"
else
	not_ok "logq --help exits 0 and lists long options" \
	    "status $status, $nlongs long options found"
fi

# The short form of long option $1, if --help gives one ("-f, --format").
short_of() {
	printf '%s\n' "$help" |
	    sed -nE "s/^[[:space:]]+-([[:alnum:]]), --$1([^[:alnum:]-].*)?\$/\\1/p"
}

# Ends a pattern: the option name must not run on (--field vs --fields).
end='([^[:alnum:]-]|$)'

for opt in $longs; do
	s=$(short_of "$opt")

	matches "man/logq.1 documents --$opt (.It ... Fl -$opt)" "$man1" \
	    "^\\.It .*Fl -$opt$end"
	if [ -n "$s" ]; then
		matches "man/logq.1 documents -$s with --$opt" "$man1" \
		    "^\\.It Fl $s$end.*Fl -$opt$end"
	fi

	for c in "$bash_c" "$zsh_c"; do
		name=completions/${c##*/}
		if ! option_text "$c" | grep -Eq -- "(^|[^[:alnum:]-])--$opt$end"
		then
			not_ok "$name completes --$opt" "--$opt not found in $c"
		elif [ -n "$s" ] && ! option_text "$c" |
		    grep -Eq -- "(^|[^[:alnum:]-])-$s$end"; then
			not_ok "$name completes -$s" "-$s not found in $c"
		else
			ok "$name completes --$opt${s:+ and -$s}"
		fi
	done

	if [ -n "$s" ]; then
		fpat="^complete -c logq .*-s $s -l $opt$end"
	else
		fpat="^complete -c logq .*-l $opt$end"
	fi
	matches "completions/logq.fish completes --$opt${s:+ and -$s}" \
	    "$fish_c" "$fpat"
done

# Formats: "  -f, --format FMT       output: table, json, ..."
formats=$(printf '%s\n' "$help" |
    sed -nE 's/.*--format [^[:space:]]+[[:space:]]+output: *//p' |
    tr -s ', ' '\n\n' | grep .)
if [ -n "$formats" ]; then
	ok "logq --help names the formats: $(echo $formats)"
else
	not_ok "logq --help names the formats" \
	    "no 'output: ...' list on the --format line"
fi
for f in $formats; do
	matches "man/logq.1 describes format $f (.It Cm $f)" "$man1" \
	    "^\\.It Cm $f\$"
	for c in "$bash_c" "$zsh_c" "$fish_c"; do
		if option_text "$c" | grep -Eq -- "(^|[^[:alnum:]-])$f$end"
		then
			ok "completions/${c##*/} offers format $f"
		else
			not_ok "completions/${c##*/} offers format $f" \
			    "$f not found in $c"
		fi
	done
done

# Functions: every one `logq --list-functions` prints ("name arity kind")
# has an item of logq-query.5 (".It Fn count_if expr", or one of several
# on a line: ".It Fn min x , Fn max x").
functions=$("$LOGQ" --list-functions 2>&1)
status=$?
nfunctions=$(printf '%s\n' "$functions" |
    grep -cE '^[a-z_0-9]+ +[0-9+-]+ +(scalar|aggregate)$')
if [ "$status" -eq 0 ] && [ "$nfunctions" -gt 0 ] &&
    [ "$nfunctions" -eq "$(printf '%s\n' "$functions" | grep -c .)" ]; then
	ok "logq --list-functions prints $nfunctions functions"
else
	not_ok "logq --list-functions prints name, arity and kind" \
	    "status $status: $(printf '%s\n' "$functions" | head -3)"
fi
for f in $(printf '%s\n' "$functions" | awk '{ print $1 }'); do
	matches "man/logq-query.5 documents function $f (.It ... Fn $f)" \
	    "$man5" "^\\.It (.* )?Fn $f([^[:alnum:]_-]|\$)"
done

# Query names come from the binary (STYLE 6), not from a list in the script.
for c in "$bash_c" "$zsh_c" "$fish_c"; do
	matches "completions/${c##*/} asks logq --list --names" "$c" \
	    "--list --names"
done

# Every built-in query `logq --list --names` prints has its item in
# logq.1's BUILT-IN QUERIES (".It Cm timeline") and its row in the
# README's table ("| `timeline` | ...").
names=$("$LOGQ" --list --names 2>&1)
status=$?
if [ "$status" -eq 0 ] && [ -n "$names" ]; then
	ok "logq --list --names prints the built-in queries"
else
	not_ok "logq --list --names prints the built-in queries" \
	    "status $status: $names"
fi
for q in $names; do
	matches "man/logq.1 describes built-in query $q (.It Cm $q)" "$man1" \
	    "^\\.It Cm $q\$"
	matches "README.md lists built-in query $q" "$srcdir/README.md" \
	    "^\\| \`$q\` \\|"
done

# The alias table of logq.1 is `logq --fields` as a tag list:
#   .It Va time
#   ts, time, timestamp, @timestamp, t, _time
fields=$("$LOGQ" --fields 2>&1)
status=$?
# The built-in table: the lines before the profiles' blank line.
fields=$(printf '%s\n' "$fields" | sed '/^$/,$d')
if [ "$status" -ne 0 ] || [ -z "$fields" ]; then
	not_ok "logq --fields prints the alias table" "status $status: $fields"
else
	ok "logq --fields prints the alias table"
	while IFS= read -r line; do
		name=${line%%=*}
		want=${line#*=}
		got=$(awk -v name="$name" '
			$0 == ".It Va " name { on = 1; next }
			on && /^\./ { exit }
			on { text = text (text == "" ? "" : " ") $0 }
			END { gsub(/, /, ",", text); print text }' "$man1")
		if [ "$got" = "$want" ]; then
			ok "man/logq.1 lists alias $name as --fields does"
		else
			not_ok "man/logq.1 lists alias $name as --fields does" \
			    "--fields: $name=$want" "logq.1:   $name=$got"
		fi
	done <<EOF
$fields
EOF
fi

# Shell syntax of the completion scripts, where the shell is installed.
for sh in bash zsh fish; do
	case $sh in
	bash)	c=$bash_c ;;
	zsh)	c=$zsh_c ;;
	fish)	c=$fish_c ;;
	esac
	if ! command -v $sh >/dev/null 2>&1; then
		skip "$sh not installed"
	elif out=$($sh -n "$c" 2>&1); then
		ok "completions/${c##*/} is valid $sh"
	else
		not_ok "completions/${c##*/} is valid $sh" "$out"
	fi
done

for page in "$man1" "$man5"; do
	if ! command -v mandoc >/dev/null 2>&1; then
		skip "mandoc not installed"
	elif out=$(mandoc -T lint -W warning "$page" 2>&1) && [ -z "$out" ]
	then
		ok "mandoc -T lint -W warning ${page#"$srcdir"/} is clean"
	else
		not_ok "mandoc -T lint -W warning ${page#"$srcdir"/} is clean" \
		    "$(printf '%s\n' "$out" | head -20)"
	fi
done

# Every built-in query is installed (make install's dist_query_DATA).
for q in "$srcdir"/queries/*.yaml; do
	name=queries/${q##*/}
	if grep -q "^	$name" "$srcdir/Makefile.am"; then
		ok "$name is installed (Makefile.am dist_query_DATA)"
	else
		not_ok "$name is installed (Makefile.am dist_query_DATA)" \
		    "add it to dist_query_DATA in Makefile.am"
	fi
done

# Every format profile is installed (dist_profile_DATA), as queries are.
for q in "$srcdir"/profiles/*.yaml; do
	[ -f "$q" ] || continue
	name=profiles/${q##*/}
	if grep -q "^	$name" "$srcdir/Makefile.am"; then
		ok "$name is installed (Makefile.am dist_profile_DATA)"
	else
		not_ok "$name is installed (Makefile.am dist_profile_DATA)" \
		    "add it to dist_profile_DATA in Makefile.am"
	fi
done

# Every source file says its licence (LICENSE, MIT) in an SPDX line.
missing=""
for f in "$srcdir"/src/*.[ch] "$srcdir"/tests/unit/*.[ch] \
    "$srcdir"/tests/fuzz/*.[ch] "$srcdir"/queries/*.yaml "$srcdir"/profiles/*.yaml "$man1" "$man5" \
    "$bash_c" "$zsh_c" "$fish_c" "$srcdir"/Makefile.am \
    "$srcdir"/configure.ac "$srcdir"/bootstrap; do
	[ -f "$f" ] || continue
	head -n 3 "$f" | grep -q 'SPDX-License-Identifier: MIT' ||
	    missing="$missing ${f#"$srcdir"/}"
done
if [ -z "$missing" ]; then
	ok "every source file has an SPDX-License-Identifier line"
else
	not_ok "every source file has an SPDX-License-Identifier line" \
	    "missing in:$missing"
fi

tap_end
