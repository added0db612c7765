/*
 * fuzz_ui.c - the workbench's text parsers on the input bytes, built once
 * per target with -DFUZZ_TARGET_<NAME> (see `make fuzz`):
 *
 *   theme    a theme file (theme_load_buf, over the built-in theme)
 *   keymap   key binding lines (keymap_load_buf, over the defaults)
 *   config   the config file (ui_config_buf: settings, bind/unbind and
 *            color/mono lines, both passes as ui_run makes them)
 *
 * Theme files and configs are passed around (dotfile repositories, theme
 * collections): the error message, which tracewb prints before the
 * terminal is set up, must carry no control character of the input.
 */
#include "ui/keymap.h"
#include "ui/theme.h"
#include "ui/ui.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_message(const char *err)
{
	for (const unsigned char *s = (const unsigned char *)err; *s; s++)
		if (*s < 0x20 || *s == 0x7f || (s[0] == 0xc2 && s[1] >= 0x80 && s[1] <= 0x9f)) {
			fprintf(stderr, "raw control byte 0x%02x at %zu in the message: ", *s,
			        (size_t)(s - (const unsigned char *)err));
			for (const unsigned char *q = (const unsigned char *)err; *q; q++)
				fprintf(stderr, *q >= 0x20 && *q < 0x7f ? "%c" : "\\x%02x", *q);
			fputc('\n', stderr);
			abort(); /* a raw control byte would reach the terminal */
		}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256] = "";
	const char *text = (const char *)data;
#if defined(FUZZ_TARGET_theme)
	if (!theme_load(NULL, NULL, err, sizeof err))
		abort();
	if (!theme_load_buf(text, size, "fuzz.theme", err, sizeof err))
		check_message(err);
	volatile unsigned long sink = 0;
	for (int r = -1; r <= ROLE_COUNT_; r++)
		sink += theme_attr(r);
	(void)sink;
#elif defined(FUZZ_TARGET_keymap)
	keymap_init();
	if (!keymap_load_buf(text, size, err, sizeof err))
		check_message(err);
	/* Every binding's key name (the help overlay shows them) and lookup. */
	const struct ui_binding *b;
	for (size_t i = 0; (b = keymap_nth(i)); i++) {
		char name[32];
		keymap_key_name(b->key, name, sizeof name);
		check_message(name);
		/* keymap_lookup reads C-h/DEL as Backspace and C-j/C-m as Enter. */
		bool alias = b->key == 8 || b->key == 127 || b->key == '\n' || b->key == '\r';
		if (!alias && keymap_lookup(b->keymap, b->key) == ACT_NONE)
			abort();
	}
	(void)keymap_key_for(1);
	keymap_free();
#elif defined(FUZZ_TARGET_config)
	keymap_init();
	if (!theme_load(NULL, NULL, err, sizeof err))
		abort();
	if (!ui_config_buf(text, size, false, err, sizeof err))
		check_message(err);
	if (!ui_config_buf(text, size, true, err, sizeof err))
		check_message(err);
	keymap_free();
#else
#error "define FUZZ_TARGET_<name>"
#endif
	return 0;
}
