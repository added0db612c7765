/*
 * test_keymap.c - key bindings (src/ui/keymap.c): the defaults parse, every
 * action the help promises is bound, bind/unbind, key names round-trip and
 * bad lines are refused with a reason. Links keymap.c alone (it uses
 * curses' KEY_* constants, no curses functions).
 */
#include "testutil.h"

#include "ui/keymap.h"

#include <curses.h>

static void
test_defaults(void **state)
{
	(void)state;
	keymap_init();
	assert_int_equal(keymap_lookup(KM_LIST, 'q'), ACT_QUIT);
	assert_int_equal(keymap_lookup(KM_TREE, 'e'), ACT_NEXT_ERROR); /* generic fallback */
	assert_int_equal(keymap_lookup(KM_TREE, '\r'), ACT_TOGGLE);      /* Enter in the tree */
	assert_int_equal(keymap_lookup(KM_LIST, '\n'), ACT_NEXT_PANE);
	assert_int_equal(keymap_lookup(KM_GENERIC, KEY_FN_BASE + KEY_F(1)), ACT_HELP);
	assert_int_equal(keymap_lookup(KM_GENERIC, '\t'), ACT_NEXT_PANE);
	assert_int_equal(keymap_lookup(KM_GENERIC, KEY_FN_BASE + KEY_BTAB), ACT_PREV_PANE);
	assert_int_equal(keymap_lookup(KM_GENERIC, 'Z'), ACT_NONE);
	/* less and vim: / forward, ? backward, n/N; help on F1 and H (less's h/H; our h is "left") */
	assert_int_equal(keymap_lookup(KM_LIST, '/'), ACT_SEARCH);
	assert_int_equal(keymap_lookup(KM_LIST, '?'), ACT_SEARCH_BACK);
	assert_int_equal(keymap_lookup(KM_TREE, '?'), ACT_SEARCH_BACK);
	assert_int_equal(keymap_lookup(KM_LIST, 'n'), ACT_SEARCH_NEXT);
	assert_int_equal(keymap_lookup(KM_LIST, 'N'), ACT_SEARCH_PREV);
	assert_int_equal(keymap_lookup(KM_SIDE, 'H'), ACT_HELP);
	assert_int_equal(keymap_lookup(KM_LIST, 'h'), ACT_SCROLL_LEFT);
	assert_int_equal(keymap_lookup(KM_TREE, 'h'), ACT_COLLAPSE);
	assert_int_equal(keymap_key_for(ACT_HELP), 'H'); /* the key the hint bar shows */
	/* marks: m, ' next, " previous */
	assert_int_equal(keymap_lookup(KM_LIST, 'm'), ACT_MARK);
	assert_int_equal(keymap_lookup(KM_LIST, '\''), ACT_NEXT_MARK);
	assert_int_equal(keymap_lookup(KM_LIST, '"'), ACT_PREV_MARK);
	assert_int_equal(keymap_lookup(KM_LIST, '!'), ACT_WARNINGS);
	/* every action has a key, so the help lists a way to each */
	for (int a = 1; a < ACT_COUNT_; a++)
		assert_true(keymap_key_for(a) >= 0);
	keymap_free();
}

static void
test_bind_unbind(void **state)
{
	(void)state;
	char err[128];
	keymap_init();
	assert_true(keymap_line("bind generic Q quit", err, sizeof err));
	assert_true(keymap_line("unbind generic q", err, sizeof err));
	assert_int_equal(keymap_lookup(KM_LIST, 'Q'), ACT_QUIT);
	assert_int_equal(keymap_lookup(KM_LIST, 'q'), ACT_NONE);
	/* rebinding a key replaces its action */
	assert_true(keymap_line("bind tree x collapse-all", err, sizeof err));
	assert_int_equal(keymap_lookup(KM_TREE, 'x'), ACT_COLLAPSE_ALL);
	assert_true(keymap_line("bind list C-n move-down", err, sizeof err));
	assert_int_equal(keymap_lookup(KM_LIST, 14), ACT_MOVE_DOWN);
	assert_true(keymap_line("# a comment", err, sizeof err));
	assert_true(keymap_line("   ", err, sizeof err));
	keymap_free();
}

static void
test_errors(void **state)
{
	(void)state;
	char err[128];
	keymap_init();
	assert_false(keymap_line("bind nowhere j move-down", err, sizeof err));
	assert_non_null(strstr(err, "unknown keymap"));
	assert_false(keymap_line("bind list j fly", err, sizeof err));
	assert_non_null(strstr(err, "unknown action"));
	assert_false(keymap_line("bind list NoSuchKey quit", err, sizeof err));
	assert_non_null(strstr(err, "unknown key"));
	assert_false(keymap_line("bind list j", err, sizeof err));
	assert_non_null(strstr(err, "usage"));
	assert_false(keymap_line("frobnicate", err, sizeof err));
	assert_non_null(strstr(err, "unknown command"));
	/* Words of the line are escaped in the message (it reaches the terminal):
	 * tests/data/regress/keymap-ctl-in-error.txt, found by fuzzing. */
	assert_false(keymap_line("\x1b]52;c;aGk=\x07 x", err, sizeof err));
	assert_non_null(strstr(err, "unknown command"));
	assert_null(strchr(err, 0x1b));
	assert_null(strchr(err, 0x07));
	assert_false(keymap_line("bind \x1b[2J j quit", err, sizeof err));
	assert_null(strchr(err, 0x1b));
	assert_false(keymap_line("bind list j \x9b" "31m", err, sizeof err));
	assert_null(strchr(err, (char)0x9b));
	keymap_free();
}

static void
test_key_names(void **state)
{
	(void)state;
	const char *names[] = { "j", "G", "?", "'", "Enter", "Tab", "S-Tab", "Esc", "Space", "Up", "Down", "Left",
		                "Right", "PgUp", "PgDn", "Home", "End", "F1", "F12", "C-l", "C-r", "\xc3\xa9" };
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		int k;
		char buf[32];
		assert_true(keymap_parse_key(names[i], &k));
		keymap_key_name(k, buf, sizeof buf);
		int k2;
		assert_true(keymap_parse_key(buf, &k2));
		assert_int_equal(k, k2);
		if (names[i][0] != '\xc3')
			assert_string_equal(buf, names[i]);
	}
	int k;
	assert_false(keymap_parse_key("", &k));
	assert_false(keymap_parse_key("jj", &k));
	assert_false(keymap_parse_key("C-", &k));
	assert_false(keymap_parse_key("F13", &k));
	/* Characters that would not show as themselves in the help: C1 CSI, RLO. */
	/* Control keys past Z keep their character: C-_ is 0x1f, named "C-_"
	 * (was "C-" and a raw DEL: tests/data/regress/keymap-ctrl-underscore-name.txt). */
	const char *punct[] = { "C-[", "C-\\", "C-]", "C-^", "C-_" };
	for (size_t i = 0; i < ARRAY_SIZE(punct); i++) {
		char buf[32];
		assert_true(keymap_parse_key(punct[i], &k));
		assert_int_equal(k, 0x1b + (int)i);
		keymap_key_name(k, buf, sizeof buf);
		if (k != 0x1b) /* 0x1b is Esc by name */
			assert_string_equal(buf, punct[i]);
	}
	assert_false(keymap_parse_key("\xc2\x9b", &k));
	assert_false(keymap_parse_key("\xe2\x80\xae", &k));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_bind_unbind),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_key_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
