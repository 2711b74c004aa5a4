#!/bin/sh
# SPDX-License-Identifier: MIT
# completions.sh - the bash, zsh and fish completions, run in each shell
# (TAP). They must offer the built-in query names for the QUERY and,
# after --set, the parameter names of the query on the line, all asked
# of the binary ($LOGQ --list --names, --list --params QUERY). `slo` is
# the query checked: its params are max_5xx_pct, max_p99_ms and
# max_denials (queries/slo.yaml); `timeline`'s one param, step, is a
# string (queries/timeline.yaml). A shell that is not installed is a
# SKIP; CI installs all three.

. "$(dirname "$0")/tap.sh"
tap_start
srcdir=$(cd "$LOGQ_TESTS/.." && pwd)
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
# The completions call `logq` by the name typed: the binary under test.
mkdir "$tmp/bin" && ln -s "$LOGQ" "$tmp/bin/logq" || exit 1
PATH=$tmp/bin:$PATH
HOME=$tmp
export PATH HOME

# expect NAME FILE WORD...: FILE holds each WORD as a line of its own.
expect() {
	name=$1 file=$2
	shift 2
	miss=""
	for w in "$@"; do
		grep -qxF -- "$w" "$file" || miss="$miss $w"
	done
	if [ -z "$miss" ]; then
		ok "$name"
	else
		not_ok "$name" "missing:$miss; got:" "$(cat "$file")"
	fi
}

# refuse NAME FILE: FILE is empty (nothing offered).
refuse() {
	if [ ! -s "$2" ]; then
		ok "$1"
	else
		not_ok "$1" "$(cat "$2")"
	fi
}

# The binary's own answer, which the completions must pass on.
"$LOGQ" --list --params slo >"$tmp/params" 2>&1
expect "logq --list --params slo lists its three parameters" \
    "$tmp/params" "$(printf 'max_5xx_pct\tnumber\t0.1')" \
    "$(printf 'max_p99_ms\tduration\t500ms')" \
    "$(printf 'max_denials\tnumber\t0')"

# bash: call _logq as readline would, with COMP_WORDS and COMP_CWORD.
if command -v bash >/dev/null 2>&1; then
	cat >"$tmp/comp.bash" <<'END'
. "$1"
shift
COMP_WORDS=("$@")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
_logq
[ ${#COMPREPLY[@]} -eq 0 ] || printf '%s\n' "${COMPREPLY[@]}"
END
	b() { bash "$tmp/comp.bash" "$srcdir/completions/logq" "$@" \
	    2>/dev/null; }
	b logq sl >"$tmp/out"
	expect "bash: logq sl<TAB> offers the queries" "$tmp/out" slo \
	    slow-requests
	b logq slo --set '' >"$tmp/out"
	expect "bash: logq slo --set <TAB> offers slo's parameters" \
	    "$tmp/out" max_5xx_pct= max_p99_ms= max_denials=
	b logq -q slo app.log --set max_p >"$tmp/out"
	expect "bash: --set max_p<TAB> after options and files" \
	    "$tmp/out" max_p99_ms=
	b logq ti >"$tmp/out"
	expect "bash: logq ti<TAB> offers timeline" "$tmp/out" timeline
	b logq timeline --set '' >"$tmp/out"
	expect "bash: logq timeline --set <TAB> offers its string parameter" \
	    "$tmp/out" step=
	b logq --set '' >"$tmp/out"
	refuse "bash: --set before any QUERY offers nothing" "$tmp/out"
	b logq -e '{}' --set '' >"$tmp/out"
	refuse "bash: --set with -e offers nothing" "$tmp/out"
	b logq me >"$tmp/out"
	expect "bash: logq me<TAB> offers merge" "$tmp/out" merge
	b logq merge sl >"$tmp/out"
	expect "bash: logq merge sl<TAB> offers the queries" "$tmp/out" \
	    slo slow-requests
	b logq merge slo --set '' >"$tmp/out"
	expect "bash: logq merge slo --set <TAB> offers slo's parameters" \
	    "$tmp/out" max_5xx_pct= max_p99_ms= max_denials=
else
	skip "bash is not installed"
fi

# zsh: completion functions need the completion system, which only runs
# in an interactive line editor; the harness stands in for it with
# stubs: _arguments runs the action of the spec that matches $SPEC (the
# real specs of _logq, so a spec that lost its action fails), compadd
# prints what it was given, one word a line, with its -S suffix.
if command -v zsh >/dev/null 2>&1; then
	cat >"$tmp/comp.zsh" <<'END'
_arguments() {
	local spec
	for spec in "$@"; do
		if [[ $spec == ${~SPEC} ]]; then
			eval "${spec##*:}"
			return
		fi
	done
	print -r -- "no spec matches $SPEC"
}
_alternative() {
	local spec
	for spec in "$@"; do
		eval "${spec#*:*:}"
	done
}
_call_program() { shift; eval "$@"; }
_files() { :; }
_message() { :; }
compset() {
	[[ $1 == -P && $PREFIX == *=* ]] || return 1
	PREFIX=${PREFIX#*=}
}
compadd() {
	local suffix= w
	local -a out
	while (( $# )); do
		case $1 in
		-S) suffix=$2; shift 2;;
		-a) shift; for w in "$@"; do out+=(${(P)w}); done; break;;
		-*) shift;;
		*) out+=("$1"); shift;;
		esac
	done
	for w in $out; do print -r -- "$w$suffix"; done
}
file=$1 SPEC=$2 PREFIX=$3
shift 3
words=("$@")
line=(${words[2,-1]:#-*})
source $file
END
	z() { zsh -f "$tmp/comp.zsh" "$srcdir/completions/_logq" "$@" \
	    2>/dev/null; }
	z '1:*' '' logq '' >"$tmp/out"
	expect "zsh: the QUERY operand offers the queries" "$tmp/out" slo \
	    slow-requests ops-report
	z '\*--set=*' '' logq slo --set '' >"$tmp/out"
	expect "zsh: logq slo --set <TAB> offers slo's parameters" \
	    "$tmp/out" max_5xx_pct= max_p99_ms= max_denials=
	z '\*--set=*' '' logq timeline --set '' >"$tmp/out"
	expect "zsh: logq timeline --set <TAB> offers step=" "$tmp/out" step=
	z '\*--set=*' 'max_p99_ms=' logq slo --set max_p99_ms= >"$tmp/out"
	refuse "zsh: after NAME= no names are offered" "$tmp/out"
	z '\*--set=*' '' logq -e '{}' --set '' >"$tmp/out"
	refuse "zsh: --set with -e offers nothing" "$tmp/out"
	z '1:*' '' logq '' >"$tmp/out"
	expect "zsh: the QUERY operand offers merge" "$tmp/out" merge
	z '\*:*' '' logq merge '' >"$tmp/out"
	expect "zsh: logq merge <TAB> offers the queries" "$tmp/out" slo \
	    ops-report
	z '\*--set=*' '' logq merge slo --set '' >"$tmp/out"
	expect "zsh: logq merge slo --set <TAB> offers slo's parameters" \
	    "$tmp/out" max_5xx_pct= max_p99_ms= max_denials=
else
	skip "zsh is not installed"
fi

# fish: its own completion engine, `complete -C`, on the real script.
if command -v fish >/dev/null 2>&1; then
	f() { fish --no-config -c "source '$srcdir/completions/logq.fish';
	    complete -C '$1'" 2>/dev/null | cut -f1; }
	f 'logq sl' >"$tmp/out"
	expect "fish: logq sl<TAB> offers the queries" "$tmp/out" slo \
	    slow-requests
	f 'logq slo --set ' >"$tmp/out"
	expect "fish: logq slo --set <TAB> offers slo's parameters" \
	    "$tmp/out" max_5xx_pct= max_p99_ms= max_denials=
	f 'logq timeline --set ' >"$tmp/out"
	expect "fish: logq timeline --set <TAB> offers step=" "$tmp/out" \
	    step=
	f 'logq --set ' >"$tmp/out"
	refuse "fish: --set before any QUERY offers nothing" "$tmp/out"
	f 'logq me' >"$tmp/out"
	expect "fish: logq me<TAB> offers merge" "$tmp/out" merge
	f 'logq merge sl' >"$tmp/out"
	expect "fish: logq merge sl<TAB> offers the queries" "$tmp/out" \
	    slo slow-requests
	f 'logq merge slo --set ' >"$tmp/out"
	expect "fish: logq merge slo --set <TAB> offers slo's parameters" \
	    "$tmp/out" max_5xx_pct= max_p99_ms= max_denials=
else
	skip "fish is not installed"
fi

tap_end
