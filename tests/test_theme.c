/*
 * test_theme.c - theme files (src/ui/theme.c): every file in themes/
 * parses, bad lines are reported as file:line, and the colour-mode
 * decisions (NO_COLOR per no-color.org, monochrome themes and terminals,
 * 8 and 256 colours, the xterm 256-colour palette folded to 8) hold.
 * No terminal is opened.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <curses.h>

#include "ui/theme.h"

static void
test_every_theme_file(void **state)
{
	(void)state;
	DIR *d = opendir("themes");
	assert_non_null(d);
	struct dirent *e;
	int n = 0;
	bool seen_default = false, seen_light = false, seen_mono = false, seen_256 = false;
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (l < 7 || strcmp(e->d_name + l - 6, ".theme") != 0)
			continue;
		char path[512], err[256] = "";
		snprintf(path, sizeof path, "themes/%s", e->d_name);
		if (!theme_load(path, NULL, err, sizeof err))
			fail_msg("%s: %s", path, err);
		n++;
		seen_default |= !strcmp(e->d_name, "default.theme");
		seen_light |= !strcmp(e->d_name, "light.theme");
		seen_mono |= !strcmp(e->d_name, "mono.theme");
		seen_256 |= !strcmp(e->d_name, "256.theme");
		/* only the monochrome theme asks for no colour */
		assert_int_equal(theme_mono_only(), !strcmp(e->d_name, "mono.theme"));
	}
	closedir(d);
	assert_true(n >= 4);
	assert_true(seen_default && seen_light && seen_mono && seen_256); /* the four */
}

/* themes/default.theme is the built-in theme, role for role. */
static void
test_default_file_is_builtin(void **state)
{
	(void)state;
	char err[256];
	short fg[ROLE_COUNT_], bg[ROLE_COUNT_];
	unsigned long at[ROLE_COUNT_], mo[ROLE_COUNT_];
	assert_true(theme_load(NULL, NULL, err, sizeof err));
	for (int r = 0; r < ROLE_COUNT_; r++)
		theme_style(r, &fg[r], &bg[r], &at[r], &mo[r]);
	assert_true(theme_load("themes/default.theme", NULL, err, sizeof err));
	for (int r = 0; r < ROLE_COUNT_; r++) {
		short f, b;
		unsigned long a, m;
		theme_style(r, &f, &b, &a, &m);
		assert_int_equal(f, fg[r]);
		assert_int_equal(b, bg[r]);
		assert_int_equal(a, at[r]);
		assert_int_equal(m, mo[r]);
	}
	/* spot checks against the file's text: "color row-error red default bold" */
	short f, b;
	unsigned long a, m;
	theme_style(ROLE_ROW_ERROR, &f, &b, &a, &m);
	assert_int_equal(f, COLOR_RED);
	assert_int_equal(b, -1);
	assert_int_equal(a, A_BOLD);
	/* the cursor stays visible without colour */
	theme_style(ROLE_CURSOR, &f, &b, &a, &m);
	assert_true(m & A_REVERSE);
}

static char *
write_tmp(const char *text)
{
	static char path[64];
	snprintf(path, sizeof path, "/tmp/tw-theme-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static void
expect_error(const char *text, const char *want)
{
	char *path = write_tmp(text), err[512] = "";
	assert_false(theme_load(path, NULL, err, sizeof err));
	char where[128];
	snprintf(where, sizeof where, "%s:3: ", path); /* the bad line is always line 3 */
	if (strncmp(err, where, strlen(where)) != 0 || !strstr(err, want))
		fail_msg("got '%s', want '%s%s'", err, where, want);
	unlink(path);
}

static void
test_bad_lines(void **state)
{
	(void)state;
	const char *head = "# a theme\ncolor normal default default\n";
	char text[256];
	snprintf(text, sizeof text, "%scolor nosuchrole red default\n", head);
	expect_error(text, "unknown role 'nosuchrole'");
	snprintf(text, sizeof text, "%scolor title purple default\n", head);
	expect_error(text, "unknown colour");
	snprintf(text, sizeof text, "%scolor title red 256\n", head);
	expect_error(text, "unknown colour");
	snprintf(text, sizeof text, "%scolor title red default sparkly\n", head);
	expect_error(text, "unknown attribute 'sparkly'");
	snprintf(text, sizeof text, "%scolor title red\n", head);
	expect_error(text, "usage: color ROLE FG BG");
	snprintf(text, sizeof text, "%spaint title red default\n", head);
	expect_error(text, "unknown command 'paint'");
	snprintf(text, sizeof text, "%smono\n", head);
	expect_error(text, "usage: mono ROLE");
	/* a control sequence in the file is shown escaped, never sent to the terminal */
	snprintf(text, sizeof text, "%scolor \033[31mtitle red default\n", head);
	expect_error(text, "unknown role '\\x1b[31mtitle'");
	/* a good file with comments, blank lines, 0-255 and brightNAME */
	char *path = write_tmp("# ok\n\ncolor title 208 brightblue bold underline\nmono title dim\n");
	char err[256];
	assert_true(theme_load(path, NULL, err, sizeof err));
	short f, b;
	unsigned long a, m;
	theme_style(ROLE_TITLE, &f, &b, &a, &m);
	assert_int_equal(f, 208);
	assert_int_equal(b, 8 + COLOR_BLUE);
	assert_int_equal(a, A_BOLD | A_UNDERLINE);
	assert_int_equal(m, A_DIM);
	unlink(path);
	/* a missing theme names itself */
	assert_false(theme_load("no-such-theme-here", NULL, err, sizeof err));
	assert_non_null(strstr(err, "theme 'no-such-theme-here' not found"));
}

static void
test_modes(void **state)
{
	(void)state;
	/* no-color.org: NO_COLOR present and not empty disables colour, whatever its value */
	assert_false(theme_no_color(NULL));
	assert_false(theme_no_color(""));
	assert_true(theme_no_color("1"));
	assert_true(theme_no_color("0"));
	/* terminal capabilities */
	assert_int_equal(theme_decide_mode(false, false, true, 256), 256);
	assert_int_equal(theme_decide_mode(false, false, true, 16777216), 256);
	assert_int_equal(theme_decide_mode(false, false, true, 88), 8);
	assert_int_equal(theme_decide_mode(false, false, true, 16), 8);
	assert_int_equal(theme_decide_mode(false, false, true, 8), 8);
	assert_int_equal(theme_decide_mode(false, false, true, 2), 0);  /* vt100-like */
	assert_int_equal(theme_decide_mode(false, false, false, 0), 0); /* no colour at all */
	/* NO_COLOR and a mono-only theme win over any terminal */
	assert_int_equal(theme_decide_mode(true, false, true, 256), 0);
	assert_int_equal(theme_decide_mode(false, true, true, 256), 0);
	char err[256];
	assert_true(theme_load("themes/mono.theme", NULL, err, sizeof err));
	assert_int_equal(theme_decide_mode(false, theme_mono_only(), true, 256), 0);
	assert_true(theme_load("themes/256.theme", NULL, err, sizeof err));
	assert_int_equal(theme_decide_mode(false, theme_mono_only(), true, 256), 256);
	/* "--theme mono" without the file still gives monochrome */
	assert_true(theme_load("mono", "/nonexistent/bin/tracewb", err, sizeof err));
	assert_true(theme_mono_only());
}

/* The xterm 256-colour palette (6x6x6 cube from 16, greys from 232) folded to 8. */
static void
test_to8(void **state)
{
	(void)state;
	assert_int_equal(theme_to8(-1), -1); /* terminal default stays */
	for (short c = 0; c < 8; c++)
		assert_int_equal(theme_to8(c), c);
	assert_int_equal(theme_to8(9), COLOR_RED);     /* bright red */
	assert_int_equal(theme_to8(15), COLOR_WHITE);  /* bright white */
	assert_int_equal(theme_to8(16), COLOR_BLACK);  /* #000000 */
	assert_int_equal(theme_to8(196), COLOR_RED);   /* #ff0000 */
	assert_int_equal(theme_to8(46), COLOR_GREEN);  /* #00ff00 */
	assert_int_equal(theme_to8(21), COLOR_BLUE);   /* #0000ff */
	assert_int_equal(theme_to8(226), COLOR_YELLOW);/* #ffff00 */
	assert_int_equal(theme_to8(201), COLOR_MAGENTA);/* #ff00ff */
	assert_int_equal(theme_to8(51), COLOR_CYAN);   /* #00ffff */
	assert_int_equal(theme_to8(231), COLOR_WHITE); /* #ffffff */
	assert_int_equal(theme_to8(232), COLOR_BLACK); /* #080808 */
	assert_int_equal(theme_to8(255), COLOR_WHITE); /* #eeeeee */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_theme_file),
		cmocka_unit_test(test_default_file_is_builtin),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_modes),
		cmocka_unit_test(test_to8),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
