/*
 * theme.h - UI roles mapped to colours and attributes (style anchors R10).
 * Theme files: "color ROLE FG BG [ATTR...]" lines; colours are default,
 * black, red, green, yellow, blue, magenta, cyan, white, or 0..255.
 * Colour pairs are allocated when a role is first drawn; 256-colour values
 * fall back to the nearest of 8 on 8-colour terminals; NO_COLOR or a
 * monochrome terminal keeps only the attributes (each role has a
 * monochrome default so nothing depends on colour alone).
 */
#ifndef TW_UI_THEME_H
#define TW_UI_THEME_H

#include <stdbool.h>
#include <stddef.h>

/* role, name, monochrome attributes */
#define THEME_INFO(_) \
	_(NORMAL, "normal", "") \
	_(TITLE, "title", "bold") \
	_(TITLE_ACTIVE, "title-active", "reverse bold") \
	_(HEADER, "header", "underline") \
	_(CURSOR, "cursor", "reverse") \
	_(CURSOR_DIM, "cursor-inactive", "underline") \
	_(ROW_ERROR, "row-error", "bold") \
	_(ROW_WARN, "row-warning", "") \
	_(ROW_NOTE, "row-note", "") \
	_(EVENT, "event", "") \
	_(EVENT_ERROR, "event-error", "bold") \
	_(EVENT_WARN, "event-warning", "") \
	_(MARK, "mark", "bold") \
	_(TREE_ERROR, "tree-error", "bold") \
	_(TREE_WARN, "tree-warning", "bold") \
	_(TREE_NOTE, "tree-note", "") \
	_(TREE_GEN, "tree-generated", "dim") \
	_(HEX_OFFSET, "hex-offset", "dim") \
	_(HEX_HIGHLIGHT, "hex-highlight", "reverse") \
	_(TAB, "tab", "") \
	_(TAB_ACTIVE, "tab-active", "reverse") \
	_(BADGE_ERROR, "badge-error", "reverse bold") \
	_(BADGE_WARN, "badge-warning", "bold") \
	_(BADGE_OK, "badge-ok", "") \
	_(STATUS, "status", "reverse") \
	_(HINTS, "hints", "") \
	_(HINT_KEY, "hint-key", "bold") \
	_(PROMPT, "prompt", "bold") \
	_(MESSAGE, "message", "bold") \
	_(SEPARATOR, "separator", "dim")

enum ui_role {
#define ROLE_ENUM(id, name, mono) ROLE_##id,
	THEME_INFO(ROLE_ENUM)
#undef ROLE_ENUM
	ROLE_COUNT_
};

/* Load the built-in default theme, then (if name) a theme file; false + err. */
bool theme_load(const char *name, const char *argv0, char *err, size_t errlen);
/* One theme line; false + err if bad. */
bool theme_line(const char *line, char *err, size_t errlen);
/* After initscr: decide colour/mono (NO_COLOR, has_colors, COLORS). */
void theme_start(bool no_color);
/* curses attributes for a role (allocates its pair on first use). */
unsigned long theme_attr(int role);
/* "256 colours", "8 colours", "monochrome" */
const char *theme_mode(void);

/* Pure decisions (tests/test_theme.c). NO_COLOR counts when set and not empty. */
bool theme_no_color(const char *env);
/* 0 monochrome, 8 or 256: NO_COLOR, a mono-only theme, a terminal without
 * colour (or fewer than 8) give monochrome; 256 needs 256 colours. */
int theme_decide_mode(bool no_color, bool mono_theme, bool has_color, int colors);
/* Nearest basic colour (0..7) for a 256-colour index; -1 (default) stays. */
short theme_to8(short c);
/* The loaded theme: marked "#mono-only", and a role's style (fg/bg -1: default). */
bool theme_mono_only(void);
void theme_style(int role, short *fg, short *bg, unsigned long *attr, unsigned long *mono_attr);
bool theme_name_known(const char *name);
/* Theme text in memory (len bytes), over the current styles; false + err at the first bad line. */
bool theme_load_buf(const char *buf, size_t len, const char *what, char *err, size_t errlen);

#endif
