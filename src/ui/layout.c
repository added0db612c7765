/*
 * layout.c - pane rectangles from (rows, cols, prefs): pure, no curses.
 *
 * The collapse ladder, from roomy to cramped:
 *   1. 160 columns or more (unless the user asked for stacked) or the user
 *      asked for wide: list left, tree over tabs right (still needs 160);
 *   2. list on top, tree bottom-left, tabs bottom-right, hint bar, status;
 *   3. fewer than 16 rows: the hint bar goes (status stays);
 *   4. narrower than 70 columns: the bottom shows only one of tree/tabs
 *      (the focused one, or the tree when the list has focus);
 *   5. below LAYOUT_MIN_COLS x LAYOUT_MIN_ROWS: "terminal too small".
 * A zoomed pane takes the whole pane area.
 */
#include "ui/layout.h"

#include <string.h>

static int
clampi(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static struct ui_rect
rect(int y, int x, int h, int w)
{
	struct ui_rect r = { y, x, h > 0 ? h : 0, w > 0 ? w : 0 };
	if (!r.h || !r.w)
		r.h = r.w = 0;
	return r;
}

bool
layout_is_wide(int rows, int cols, const struct layout_prefs *p)
{
	return rows >= LAYOUT_MIN_ROWS && cols >= LAYOUT_WIDE_COLS && p->wide != LAYOUT_STACKED;
}

int
layout_toggle(int rows, int cols, const struct layout_prefs *p)
{
	return layout_is_wide(rows, cols, p) ? LAYOUT_STACKED : LAYOUT_WIDE;
}

void
layout_compute(int rows, int cols, const struct layout_prefs *p, struct layout *out)
{
	memset(out, 0, sizeof *out);
	if (rows < LAYOUT_MIN_ROWS || cols < LAYOUT_MIN_COLS) {
		out->too_small = true;
		return;
	}
	int bottom_bars = 1;
	out->status = rect(rows - 1, 0, 1, cols);
	if (rows >= 16) {
		out->hints = rect(rows - 2, 0, 1, cols);
		bottom_bars = 2;
	}
	int area = rows - bottom_bars; /* rows 0 .. area-1 hold the panes */
	int split = clampi(p->split ? p->split : 50, 20, 80);
	int vsplit = clampi(p->vsplit ? p->vsplit : 50, 20, 80);

	if (p->zoom != ZOOM_NONE) {
		int id = p->zoom == ZOOM_LIST ? PANE_LIST : p->zoom == ZOOM_TREE ? PANE_TREE : PANE_SIDE;
		out->pane[id] = rect(0, 0, area, cols);
		return;
	}
	if (layout_is_wide(rows, cols, p)) {
		out->side_by_side = true;
		int lw = cols * split / 100;
		lw = clampi(lw, 40, cols - 41);
		out->pane[PANE_LIST] = rect(0, 0, area, lw);
		int rx = lw + 1, rw = cols - lw - 1;
		int th = clampi(area * vsplit / 100, 3, area - 3);
		out->pane[PANE_TREE] = rect(0, rx, th, rw);
		out->pane[PANE_SIDE] = rect(th, rx, area - th, rw);
		out->sep_vertical = true;
		out->sep_x = lw;
		out->sep_y = 0;
		out->sep_len = area;
		return;
	}
	int lh = clampi(area * split / 100, 3, area - 3);
	out->pane[PANE_LIST] = rect(0, 0, lh, cols);
	int by = lh, bh = area - lh;
	if (cols >= 70) {
		int tw = clampi(cols * vsplit / 100, 20, cols - 21);
		out->pane[PANE_TREE] = rect(by, 0, bh, tw);
		out->pane[PANE_SIDE] = rect(by, tw + 1, bh, cols - tw - 1);
		out->sep_vertical = true;
		out->sep_x = tw;
		out->sep_y = by;
		out->sep_len = bh;
	} else if (p->focus == PANE_SIDE) {
		out->pane[PANE_SIDE] = rect(by, 0, bh, cols);
	} else {
		out->pane[PANE_TREE] = rect(by, 0, bh, cols);
	}
}
