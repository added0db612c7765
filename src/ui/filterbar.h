/*
 * filterbar.h - the workbench's display filter (the -Y language, filter.h).
 *
 * The prompt compiles the expression on every keystroke: it is drawn in
 * the "ok" colour when valid and in the "error" colour when not, with the
 * message and a caret under the offending token on the line below. Enter
 * on a valid expression filters the timeline: frames and events together,
 * evaluated in chunks from the event loop (filterrun.h) with the progress
 * on the status line, so the UI stays responsive on big captures; nothing
 * runs when idle. Enter on an empty prompt or Esc in the list clears the
 * filter and returns to the row selected before it was applied (unless
 * another row was chosen in the filtered view). Applied filters form the
 * prompt's Up/Down history, kept in $XDG_STATE_HOME/tracewb/filter-history
 * (~/.local/state/... without XDG_STATE_HOME).
 */
#ifndef TW_UI_FILTERBAR_H
#define TW_UI_FILTERBAR_H

#include "core/str.h"
#include "ui/layout.h"

#include <stdbool.h>
#include <stddef.h>

struct ui;

/* Load the history into the filter prompt's; free everything. */
void fb_init(struct ui *u);
void fb_free(struct ui *u);
/* The prompt text may have changed: compile it again if so. */
void fb_edited(struct ui *u);
/* Draw the filter prompt (the hint line when there is one, and the status line). */
void fb_draw_prompt(struct ui *u, const struct ui_rect *hints, const struct ui_rect *status);
/* Enter in the filter prompt: false keeps the prompt open (invalid expression). */
bool fb_submit(struct ui *u);
/* Remove the filter; restore: back to the row selected before it was applied. */
void fb_clear(struct ui *u, bool restore);
/* Esc outside prompts: cancel a run or clear the filter; false if there was neither. */
bool fb_escape(struct ui *u);
/* Is a filter applied, and does timeline row `row` pass it? */
bool fb_active(const struct ui *u);
bool fb_row_ok(const struct ui *u, size_t row);
/* A run in progress: evaluate the next chunk (about 25 ms of work). */
bool fb_busy(const struct ui *u);
void fb_step(struct ui *u);
/* Loading finished: start the run that waited for it. */
void fb_loaded(struct ui *u);
/* Status line text: " | filtering 37%" while it runs. */
void fb_status(const struct ui *u, struct tw_sb *sb);

#endif
