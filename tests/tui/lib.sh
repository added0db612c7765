# lib.sh - tmux helpers for the screen tests (sourced).
#
# A private tmux server (-L tracewb-test-$$, no config) runs the real binary
# in a detached session of a fixed size; tests send keys and assert on
# `capture-pane -p` (text) or `-e` (with attributes). We wait until the
# screen is stable instead of sleeping a fixed time. Only our own server
# is killed.
# One private server per session started (a fresh socket each time, so a
# server still shutting down is never reused).
NSTART=0
SOCK="tracewb-test-$$-0"
TM() { tmux -L "$SOCK" -f /dev/null "$@"; }

tui_start() { # cols rows command...
	cols=$1 rows=$2; shift 2
	tui_stop
	NSTART=$((NSTART + 1))
	SOCK="tracewb-test-$$-$NSTART"
	TM new-session -d -x "$cols" -y "$rows" -s t \
		"env TERM=xterm-256color LC_ALL=${TUI_LC_ALL:-C.UTF-8} TZ=UTC ${TUI_ENV:-} $* 2>>${TUI_ERR:-/dev/null}; sleep 30" || exit 1
	TM set-option -t t status off >/dev/null
	TM resize-window -t t -x "$cols" -y "$rows" 2>/dev/null
	# wait for a first non-blank screen (at most ~10 s), then for stability
	i=0
	while [ $i -lt 100 ] && ! TM capture-pane -p -t t 2>/dev/null | grep -q '[^[:space:]]'; do
		sleep 0.1
		i=$((i + 1))
	done
	tui_stable
}

# Wait until three captures 100 ms apart are equal (at most ~6 s).
tui_stable() {
	prev="" i=0 same=0
	while [ $i -lt 60 ]; do
		cur=$(TM capture-pane -p -e -t t 2>/dev/null)
		if [ -n "$cur" ] && [ "$cur" = "$prev" ]; then
			same=$((same + 1))
			[ $same -ge 2 ] && return 0
		else
			same=0
		fi
		prev=$cur
		sleep 0.1
		i=$((i + 1))
	done
	return 0
}

tui_keys() { TM send-keys -t t "$@"; tui_stable; }
tui_screen() { TM capture-pane -p -t t; }
tui_screen_attr() { TM capture-pane -p -e -t t; }
tui_resize() { TM resize-window -t t -x "$1" -y "$2"; tui_stable; }
tui_stop() {
	TM kill-server 2>/dev/null
	rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$SOCK"
}

fails=0
expect() { # description, grep pattern (on the text screen)
	if tui_screen | grep -q -- "$2"; then
		echo "ok   $1"
	else
		echo "FAIL $1: no '$2' on the screen:"
		tui_screen | sed 's/^/     |/'
		fails=$((fails + 1))
	fi
}
expect_not() {
	if tui_screen | grep -q -- "$2"; then
		echo "FAIL $1: '$2' is on the screen:"
		tui_screen | sed 's/^/     |/'
		fails=$((fails + 1))
	else
		echo "ok   $1"
	fi
}
