/*
 * layout.h - where the panes go: a pure function of the terminal size and
 * the user's layout preferences (style anchors R12). No curses here, so
 * tests/test_layout.c links this file alone.
 */
#ifndef TW_UI_LAYOUT_H
#define TW_UI_LAYOUT_H

#include <stdbool.h>

/* Below this the UI shows only "terminal too small". */
#define LAYOUT_MIN_COLS 40
#define LAYOUT_MIN_ROWS 10

struct ui_rect {
	int y, x, h, w; /* h == 0 or w == 0: not shown */
};

enum ui_pane_id { PANE_LIST = 0, PANE_TREE, PANE_SIDE, PANE_COUNT_ };

/* Side-by-side (list left, tree over tabs right) from this width up. */
#define LAYOUT_WIDE_COLS 160

/* prefs.wide: automatic (side-by-side from LAYOUT_WIDE_COLS), or forced by `L` / "set layout". */
enum layout_mode { LAYOUT_AUTO = 0, LAYOUT_WIDE, LAYOUT_STACKED };

enum ui_zoom { ZOOM_NONE = 0, ZOOM_LIST, ZOOM_TREE, ZOOM_SIDE };

struct layout_prefs {
	int split;       /* percent of the pane area given to the list (20..80) */
	int vsplit;      /* percent of the bottom width given to the tree (20..80) */
	int wide;        /* enum layout_mode; LAYOUT_WIDE still needs LAYOUT_WIDE_COLS */
	int zoom;        /* enum ui_zoom */
	int focus;       /* enum ui_pane_id: kept visible when space runs out */
};

struct layout {
	bool too_small;
	bool side_by_side;         /* the wide layout was used */
	struct ui_rect pane[PANE_COUNT_];
	struct ui_rect status;     /* one line */
	struct ui_rect hints;      /* one line, h == 0 when dropped */
	int sep_x, sep_y, sep_len; /* vertical separator between tree and side (sep_len 0: none) */
	bool sep_vertical;
};

/* Whether rows x cols with p gets the side-by-side layout (zoom aside). */
bool layout_is_wide(int rows, int cols, const struct layout_prefs *p);
/* What `L` sets next: the opposite of what the terminal shows now. */
int layout_toggle(int rows, int cols, const struct layout_prefs *p);
/* Fill out for a rows x cols terminal. Never fails; see too_small. */
void layout_compute(int rows, int cols, const struct layout_prefs *p, struct layout *out);

#endif
