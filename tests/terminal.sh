#!/bin/sh
# SPDX-License-Identifier: MIT
# terminal.sh - follow mode's terminal view in a real terminal (TAP).
#
# SPEC 6: with --interval and a table on a terminal, each print is
# redrawn in place under a status line, fitted to the terminal, and the
# terminal is left clean on exit. tmux is the terminal: a detached
# session of 100x30 runs a shell, the shell runs logq on a pipe whose
# writer pauses, and capture-pane reads the screen (and its scrollback,
# where scrolled copies of earlier prints would be). Every wait is for a
# state of the screen, bounded by 20 s. Without tmux the test is a SKIP
# (./bootstrap --test installs it), a failure when LOGQ_REQUIRE_TOOLS is
# set (CI). Run by `make check` with $LOGQ and $LOGQ_TESTS.
set -u

. "$(dirname "$0")/tap.sh"
tap_start
require tmux "tmux is not installed"
data=$LOGQ_TESTS/cli/data
tmp=$(mktemp -d) || exit 1
unset LINES TMUX
HOME=$tmp/home
export HOME

# A server of our own (its socket in $tmp), ended on the way out.
sock=$tmp/tmux.sock
tm() {
	tmux -S "$sock" -f /dev/null "$@"
}
trap 'tm kill-server 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM

screen() {
	tm capture-pane -p -t view
}

# wait_for REGEX: until a line of the screen matches (grep -E), 20 s.
wait_for() {
	i=0
	while [ $i -lt 200 ]; do
		screen | grep -Eq "$1" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# The stream: 30 lines, a pause, 30 more, then a pipe that stays open.
cat >"$tmp/feed.sh" <<EOF
head -n 30 '$data/attesto.log'
sleep 2
tail -n +31 '$data/attesto.log'
sleep 120
EOF
tm new-session -d -s view -x 100 -y 30 "env PS1='prompt\$ ' sh"
tm send-keys -t view "sh '$tmp/feed.sh' | '$LOGQ' status --interval 1s; \
echo \"rc=\$?\"" Enter

status_re='^logq [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z  lines 60  [0-9]+\.[0-9] lines/s  skipped 0  last line [0-9]+s ago$'

# 1. Redraw in place: frames of 30 lines came first, then those of 60;
#    one title on the screen and in the scrollback, no scrolled copies.
if wait_for 'lines 60' && sleep 1.5 && wait_for 'lines 60'; then
	titles=$(tm capture-pane -p -S - -t view | grep -c '^status$')
	if [ "$titles" -eq 1 ]; then
		ok "each print is redrawn in place (one title in the scrollback)"
	else
		not_ok "each print is redrawn in place" \
		    "$titles titles in the scrollback:" \
		    "$(tm capture-pane -p -S - -t view)"
	fi
else
	not_ok "each print is redrawn in place" "no frame with 60 lines:" \
	    "$(screen)"
fi

# 2. The status line heads the screen: time, lines, rate, skipped, idle.
first=$(screen | head -n 1)
if printf '%s\n' "$first" | grep -Eq "$status_re"; then
	ok "the status line: UTC time, lines, lines/s, skipped, last line"
else
	not_ok "the status line" "first line: $first"
fi

# 3. Under it, the table of every line read (its numbers are checked by
#    the golden case follow-interval-table-status).
"$LOGQ" status "$data/attesto.log" >"$tmp/want" 2>&1
screen | sed -n '2,7p' >"$tmp/got"
if cmp -s "$tmp/want" "$tmp/got"; then
	ok "the table under the status line"
else
	not_ok "the table under the status line" "$(diff "$tmp/want" "$tmp/got")"
fi

# 4. The cursor is hidden while frames are drawn.
if [ "$(tm display -p -t view '#{cursor_flag}')" = 0 ]; then
	ok "the cursor is hidden while frames are drawn"
else
	not_ok "the cursor is hidden while frames are drawn"
fi

# 5. Resized to 6 rows: a frame of 7 lines is fitted (3 table lines and
#    a line saying how many more), the status line still first.
tm resize-window -t view -x 100 -y 6
if wait_for '^… 3 more lines'; then
	got=$(screen)
	if printf '%s\n' "$got" | head -n 1 | grep -Eq "$status_re" &&
	    printf '%s\n' "$got" | sed -n 5p | grep -q '^… 3 more lines'
	then
		ok "a shorter terminal gets a fitted frame"
	else
		not_ok "a shorter terminal gets a fitted frame" "$got"
	fi
else
	not_ok "a shorter terminal gets a fitted frame" "$(screen)"
fi

# 6. Narrowed to 40 columns: no line wraps. A line longer than the width
#    would go on in the next row; the frame's rows are the status line
#    cut to 39 columns (the last one stays free), the title, the header
#    (cells cut with … to fit).
tm resize-window -t view -x 40 -y 30
wait_for '^/v1/ten…' >/dev/null
got=$(screen)
row1=$(printf '%s\n' "$got" | sed -n 1p)
if printf '%s\n' "$row1" | grep -q '^logq ' && [ ${#row1} -eq 39 ] &&
    [ "$(printf '%s\n' "$got" | sed -n 2p)" = status ] &&
    printf '%s\n' "$got" | sed -n 3p | grep -q '^route  '; then
	ok "a narrower terminal gets lines cut to its width"
else
	not_ok "a narrower terminal gets lines cut to its width" "$got"
fi

# 7. Ctrl-C: the final print stays on the screen, the cursor is shown,
#    the shell prompt is back and logq's status is 0.
tm resize-window -t view -x 100 -y 30
wait_for '^/v1/google/verify  ' >/dev/null
tm send-keys -t view C-c
if wait_for '^rc=0$' && wait_for '^prompt\$'; then
	got=$(screen)
	if printf '%s\n' "$got" | grep -q '^status$' &&
	    printf '%s\n' "$got" | grep -q '(final)$' &&
	    printf '%s\n' "$got" | grep -q \
	    '^logq: SIGINT ended the input: the results cover the 60 lines read$' &&
	    [ "$(tm display -p -t view '#{cursor_flag}')" = 1 ]; then
		ok "Ctrl-C: final print on the screen, cursor shown, prompt back"
	else
		not_ok "Ctrl-C: final print on the screen, cursor shown" \
		    "cursor_flag $(tm display -p -t view '#{cursor_flag}')" \
		    "$got"
	fi
else
	not_ok "Ctrl-C: the prompt comes back with status 0" "$(screen)"
fi

# 8. A listing next to an aggregation (logq(1), FOLLOW MODE): no view;
#    the listing's rows and the prints scroll, each print under its '#
#    logq' header line, the listing's title again after a print (the
#    final print's header after the ^C the terminal echoes, the first
#    title after the prompt when the keys came before it).
tm new-session -d -s mix -x 100 -y 30 "env PS1='prompt\$ ' sh"
tm send-keys -t mix "sh '$tmp/feed.sh' | '$LOGQ' errors,status \
--interval 1s; echo \"rc=\$?\"" Enter
i=0
while [ $i -lt 200 ] && ! tm capture-pane -p -S - -t mix |
    grep -q '^# logq .* lines=60 '; do
	sleep 0.1
	i=$((i + 1))
done
tm send-keys -t mix C-c
i=0
while [ $i -lt 200 ] && ! tm capture-pane -p -S - -t mix | grep -q '^rc=0$'
do
	sleep 0.1
	i=$((i + 1))
done
got=$(tm capture-pane -p -S - -t mix)
if [ "$(printf '%s\n' "$got" | grep -Ec '(^|prompt\$ )errors$')" -ge 2 ] &&
    printf '%s\n' "$got" | grep -q '^# logq .* lines=30 ' &&
    printf '%s\n' "$got" | grep -q '# logq .* lines=60 .*final$' &&
    printf '%s\n' "$got" | grep -q '^rc=0$' &&
    [ "$(tm display -p -t mix '#{cursor_flag}')" = 1 ]; then
	ok "a listing with an aggregation scrolls on a terminal"
else
	not_ok "a listing with an aggregation scrolls on a terminal" "$got"
fi

tap_end
