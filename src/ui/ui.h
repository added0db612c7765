/*
 * ui.h - the interactive terminal workbench (curses). Only main.c calls it.
 */
#ifndef TW_UI_H
#define TW_UI_H

#include "merge/print.h"
#include "merge/timeline.h"

#include <stddef.h>

struct ui_opts {
	const char *theme;      /* --theme NAME or NULL */
	const char *argv0;      /* to find themes/ next to the binary */
	enum tw_timefmt tfmt;   /* -t */
	bool tfmt_set;
	tw_time window;         /* --window, 0: not given (config or the default) */
};

/*
 * Run the workbench on tl until the user quits. Captures still loading
 * (capture_done false) are indexed from the event loop. Returns 0, or 2
 * with a message in err (bad theme, config or keymap; no terminal).
 */
int ui_run(struct tw_timeline *tl, const struct ui_opts *o, char *err, size_t errlen);

/* Config-file text in memory, parsed as the config file is (tests/fuzz/fuzz_ui.c); false + err. */
bool ui_config_buf(const char *buf, size_t len, bool colors_pass, char *err, size_t errlen);

#endif
