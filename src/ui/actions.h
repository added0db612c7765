/*
 * actions.h - every user action, once (style anchors R9): id, the name
 * used in keymap files ("bind list j move-down"), its help group and help
 * text. The help overlay and the key hint bar are generated from this
 * table and the live keymap.
 */
#ifndef TW_UI_ACTIONS_H
#define TW_UI_ACTIONS_H

#define ACTION_INFO(_) \
	_(QUIT, "quit", "General", "quit tracewb") \
	_(HELP, "help", "General", "show this help (Enter runs the action, Esc closes)") \
	_(REDRAW, "redraw", "General", "redraw the screen") \
	_(WARNINGS, "warnings", "General", "list the load warnings (capture and event files)") \
	_(MOVE_DOWN, "move-down", "Move", "next row / node / line") \
	_(MOVE_UP, "move-up", "Move", "previous row / node / line") \
	_(PAGE_DOWN, "page-down", "Move", "one page down") \
	_(PAGE_UP, "page-up", "Move", "one page up") \
	_(FIRST, "first", "Move", "first row") \
	_(LAST, "last", "Move", "last row") \
	_(GOTO, "goto", "Move", "go to frame number (prompt)") \
	_(SCROLL_LEFT, "scroll-left", "Move", "scroll the list left (long Info)") \
	_(SCROLL_RIGHT, "scroll-right", "Move", "scroll the list right (long Info)") \
	_(NEXT_PANE, "next-pane", "Panes", "focus the next pane") \
	_(PREV_PANE, "prev-pane", "Panes", "focus the previous pane") \
	_(NEXT_TAB, "next-tab", "Panes", "next tab: hex, certificates, event") \
	_(NEXT_SOURCE, "next-source", "Panes", "hex: next data source (frame, reassembled)") \
	_(ZOOM, "zoom", "Panes", "zoom the focused pane / back") \
	_(SPLIT_GROW, "split-grow", "Panes", "move the split: bigger focused pane") \
	_(SPLIT_SHRINK, "split-shrink", "Panes", "move the split: smaller focused pane") \
	_(LAYOUT, "toggle-layout", "Panes", "side-by-side / stacked (side-by-side by itself from 160 columns)") \
	_(EXPAND, "expand", "Tree", "expand the node (again: enter it)") \
	_(COLLAPSE, "collapse", "Tree", "collapse the node (again: go to parent)") \
	_(TOGGLE, "toggle", "Tree", "expand / collapse the node") \
	_(EXPAND_SUBTREE, "expand-subtree", "Tree", "expand the node and all below") \
	_(EXPAND_ALL, "expand-all", "Tree", "expand every node") \
	_(COLLAPSE_ALL, "collapse-all", "Tree", "collapse every node") \
	_(NEXT_ERROR, "next-error", "Errors", "next row with an error") \
	_(PREV_ERROR, "prev-error", "Errors", "previous row with an error") \
	_(NEXT_WARN, "next-warning", "Errors", "next row with a warning or error") \
	_(PREV_WARN, "prev-warning", "Errors", "previous row with a warning or error") \
	_(CORRELATED, "correlated", "Errors", "jump to the correlated row and back") \
	_(STREAM_ONLY, "stream-only", "Streams", "only the selected row's connection (again: all)") \
	_(FOLLOW_STREAM, "follow-stream", "Streams", "follow the stream: reassembled payload both ways, TLS records, gaps") \
	_(SEARCH, "search", "Search", "search text forward (prompt, like less and vim)") \
	_(SEARCH_BACK, "search-back", "Search", "search text backward (prompt, like less and vim)") \
	_(SEARCH_NEXT, "search-next", "Search", "next match") \
	_(SEARCH_PREV, "search-prev", "Search", "previous match") \
	_(FILTER, "filter", "Search", "display filter, as -Y (prompt; empty or Esc: all rows)") \
	_(TIME_FORMAT, "time-format", "Time", "cycle the time format") \
	_(SET_REF, "set-reference", "Time", "make the row the time reference") \
	_(MARK, "mark", "Marks", "mark / unmark the row (shown in the list)") \
	_(NEXT_MARK, "next-mark", "Marks", "jump to the next mark") \
	_(PREV_MARK, "prev-mark", "Marks", "jump to the previous mark")

enum ui_action {
	ACT_NONE = 0,
#define ACT_ENUM(id, name, group, help) ACT_##id,
	ACTION_INFO(ACT_ENUM)
#undef ACT_ENUM
	ACT_COUNT_
};

struct ui_action_info {
	const char *name, *group, *help;
};

extern const struct ui_action_info ui_actions[ACT_COUNT_];

#endif
