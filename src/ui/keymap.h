/*
 * keymap.h - key bindings per keymap ("generic", "list", "tree", "side",
 * "help"): the defaults are config text parsed by the same parser as
 * user files ("bind KEYMAP KEY ACTION", "unbind KEYMAP KEY").
 */
#ifndef TW_UI_KEYMAP_H
#define TW_UI_KEYMAP_H

#include "ui/actions.h"

#include <stdbool.h>
#include <stddef.h>

enum ui_keymap { KM_GENERIC = 0, KM_LIST, KM_TREE, KM_SIDE, KM_COUNT_ };

/* Keys: a Unicode code point, or curses KEY_* codes offset by KEY_FN_BASE. */
#define KEY_FN_BASE 0x200000

struct ui_binding {
	int keymap, key, action;
};

void keymap_init(void);  /* clear, then load the defaults */
void keymap_free(void);
/* One config line "bind KEYMAP KEY ACTION" / "unbind KEYMAP KEY"; false + err if bad. */
bool keymap_line(const char *line, char *err, size_t errlen);
/* The action for key in keymap km (falls back to generic). */
int keymap_lookup(int km, int key);
/* Binding i (stable order); NULL past the end. */
const struct ui_binding *keymap_nth(size_t i);
/* "j", "Enter", "S-Tab", "C-l", "PgDn", "F1" */
void keymap_key_name(int key, char *buf, size_t n);
bool keymap_parse_key(const char *s, int *key);
const char *keymap_name(int km);
/* First key bound to action (any keymap, generic first), or -1. */
int keymap_key_for(int action);
/* Config lines in memory (len bytes; a NUL ends them): bind/unbind each; false + err ("line N: ...") at the first bad one. */
bool keymap_load_buf(const char *buf, size_t len, char *err, size_t errlen);
extern const char keymap_defaults[];

#endif
