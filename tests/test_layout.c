/* test_layout.c - the pure layout function (src/ui/layout.c), without curses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ui/layout.h"

static bool
inside(const struct ui_rect *r, int rows, int cols)
{
	return r->h == 0 || (r->y >= 0 && r->x >= 0 && r->y + r->h <= rows && r->x + r->w <= cols);
}

static bool
overlap(const struct ui_rect *a, const struct ui_rect *b)
{
	if (!a->h || !b->h)
		return false;
	return a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h && b->y < a->y + a->h;
}

static void
check_sane(int rows, int cols, const struct layout_prefs *p)
{
	struct layout l;
	layout_compute(rows, cols, p, &l);
	if (l.too_small)
		return;
	const struct ui_rect *all[] = { &l.pane[0], &l.pane[1], &l.pane[2], &l.status, &l.hints };
	for (size_t i = 0; i < 5; i++) {
		assert_true(inside(all[i], rows, cols));
		for (size_t j = i + 1; j < 5; j++)
			assert_false(overlap(all[i], all[j]));
	}
	assert_int_equal(l.status.y, rows - 1);
	if (p->zoom == ZOOM_NONE || p->zoom == ZOOM_LIST)
		assert_true(l.pane[PANE_LIST].h >= 3);
	else
		assert_true(l.pane[p->zoom - 1].h >= 3);
}

static void
test_80x24(void **state)
{
	(void)state;
	struct layout_prefs p = { 50, 50, LAYOUT_AUTO, ZOOM_NONE, PANE_LIST };
	struct layout l;
	layout_compute(24, 80, &p, &l);
	assert_false(l.too_small);
	assert_int_equal(l.pane[PANE_LIST].y, 0);
	assert_int_equal(l.pane[PANE_LIST].w, 80);
	assert_int_equal(l.pane[PANE_LIST].h, 11);
	assert_int_equal(l.hints.h, 1);
	assert_int_equal(l.hints.y, 22);
	assert_int_equal(l.pane[PANE_TREE].x, 0);
	assert_int_equal(l.pane[PANE_TREE].w + 1 + l.pane[PANE_SIDE].w, 80);
	assert_int_equal(l.pane[PANE_TREE].y, 11);
	assert_int_equal(l.pane[PANE_TREE].h, 11);
	check_sane(24, 80, &p);
}

static void
test_too_small(void **state)
{
	(void)state;
	struct layout_prefs p = { 50, 50, LAYOUT_AUTO, ZOOM_NONE, PANE_LIST };
	struct layout l;
	layout_compute(8, 30, &p, &l);
	assert_true(l.too_small);
	layout_compute(LAYOUT_MIN_ROWS - 1, 200, &p, &l);
	assert_true(l.too_small);
	layout_compute(200, LAYOUT_MIN_COLS - 1, &p, &l);
	assert_true(l.too_small);
	layout_compute(LAYOUT_MIN_ROWS, LAYOUT_MIN_COLS, &p, &l);
	assert_false(l.too_small);
}

static void
test_ladder(void **state)
{
	(void)state;
	struct layout_prefs p = { 50, 50, LAYOUT_AUTO, ZOOM_NONE, PANE_SIDE };
	struct layout l;
	layout_compute(12, 60, &p, &l);
	assert_int_equal(l.hints.h, 0);            /* hint bar dropped */
	assert_int_equal(l.pane[PANE_TREE].h, 0);  /* narrow: only the focused bottom pane */
	assert_int_equal(l.pane[PANE_SIDE].w, 60);
	p.focus = PANE_LIST;
	layout_compute(12, 60, &p, &l);
	assert_int_equal(l.pane[PANE_SIDE].h, 0);
	assert_int_equal(l.pane[PANE_TREE].w, 60);
}

static void
test_zoom_and_wide(void **state)
{
	(void)state;
	struct layout_prefs p = { 50, 50, LAYOUT_AUTO, ZOOM_TREE, PANE_TREE };
	struct layout l;
	layout_compute(24, 80, &p, &l);
	assert_int_equal(l.pane[PANE_TREE].h, 22);
	assert_int_equal(l.pane[PANE_TREE].w, 80);
	assert_int_equal(l.pane[PANE_LIST].h, 0);
	p.zoom = ZOOM_NONE;
	p.wide = LAYOUT_WIDE;
	layout_compute(50, 200, &p, &l);
	assert_true(l.side_by_side);
	assert_int_equal(l.pane[PANE_LIST].h, 48);
	layout_compute(50, 120, &p, &l);
	assert_false(l.side_by_side);
}

/* Wide terminals get side-by-side by themselves; L (layout_toggle) flips what is shown. */
static void
test_auto_wide(void **state)
{
	(void)state;
	struct layout_prefs p = { 50, 50, LAYOUT_AUTO, ZOOM_NONE, PANE_LIST };
	struct layout l;
	layout_compute(24, 80, &p, &l);
	assert_false(l.side_by_side);
	layout_compute(40, LAYOUT_WIDE_COLS - 1, &p, &l);
	assert_false(l.side_by_side);
	layout_compute(40, LAYOUT_WIDE_COLS, &p, &l);
	assert_true(l.side_by_side);
	/* list left, full height; tree over the tabs on the right; a separator between */
	assert_int_equal(l.pane[PANE_LIST].x, 0);
	assert_int_equal(l.pane[PANE_LIST].h, 38);
	assert_int_equal(l.pane[PANE_TREE].x, l.pane[PANE_LIST].w + 1);
	assert_int_equal(l.pane[PANE_SIDE].x, l.pane[PANE_TREE].x);
	assert_int_equal(l.pane[PANE_SIDE].y, l.pane[PANE_TREE].h);
	assert_int_equal(l.pane[PANE_TREE].h + l.pane[PANE_SIDE].h, 38);
	assert_int_equal(l.pane[PANE_LIST].w + 1 + l.pane[PANE_TREE].w, LAYOUT_WIDE_COLS);
	assert_true(l.sep_vertical);
	assert_int_equal(l.sep_x, l.pane[PANE_LIST].w);
	check_sane(40, LAYOUT_WIDE_COLS, &p);
	/* L on a wide terminal: stacked, and it stays stacked however wide */
	assert_int_equal(layout_toggle(40, 200, &p), LAYOUT_STACKED);
	p.wide = LAYOUT_STACKED;
	layout_compute(40, 250, &p, &l);
	assert_false(l.side_by_side);
	assert_int_equal(l.pane[PANE_LIST].w, 250);
	/* L again: side-by-side */
	assert_int_equal(layout_toggle(40, 250, &p), LAYOUT_WIDE);
	/* on a narrow terminal L asks for side-by-side, which waits for the width */
	p.wide = LAYOUT_AUTO;
	assert_int_equal(layout_toggle(24, 80, &p), LAYOUT_WIDE);
	p.wide = LAYOUT_WIDE;
	assert_false(layout_is_wide(24, 80, &p));
	assert_true(layout_is_wide(24, 200, &p));
	/* a zoomed pane still takes everything */
	p.zoom = ZOOM_LIST;
	layout_compute(40, 200, &p, &l);
	assert_int_equal(l.pane[PANE_LIST].w, 200);
	assert_int_equal(l.pane[PANE_TREE].h, 0);
}

static void
test_all_sizes(void **state)
{
	(void)state;
	for (int wide = LAYOUT_AUTO; wide <= LAYOUT_STACKED; wide++)
		for (int zoom = 0; zoom < 4; zoom++)
			for (int split = 0; split <= 100; split += 25)
				for (int rows = 1; rows < 70; rows += 3)
					for (int cols = 1; cols < 260; cols += 7) {
						struct layout_prefs p = { split, 100 - split, wide, zoom, zoom ? zoom - 1 : PANE_TREE };
						check_sane(rows, cols, &p);
					}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_80x24),
		cmocka_unit_test(test_too_small),
		cmocka_unit_test(test_ladder),
		cmocka_unit_test(test_zoom_and_wide),
		cmocka_unit_test(test_auto_wide),
		cmocka_unit_test(test_all_sizes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
