/*
 * draw.h - the only way the UI puts text on the screen: width-aware
 * (wcwidth), clipped to a width with a truncation mark, padded, never
 * passing a control character. Callers give already-sanitized strings.
 */
#ifndef TW_UI_DRAW_H
#define TW_UI_DRAW_H

#include <stdbool.h>
#include <stddef.h>

enum ui_glyph { GL_VLINE, GL_HLINE, GL_OPEN, GL_CLOSED, GL_LEAF, GL_MORE, GL_ARROW, GL_MARK, GL_COUNT_ };

void draw_init(bool utf8);
bool draw_utf8(void);
const char *draw_glyph(int g);
/*
 * Text at (y, x) within w columns: skip the first `skip` columns, clip with
 * a truncation mark when it does not fit, pad with spaces when pad is set.
 * Returns the columns written.
 */
int draw_text(int y, int x, int w, const char *s, unsigned long attr, int skip, bool pad);
/* Same, attr from a theme role. */
int draw_role(int y, int x, int w, const char *s, int role);
void draw_fill(int y, int x, int w, unsigned long attr);
void draw_vline(int y, int x, int len, unsigned long attr);
/* Display width of s (sanitized UTF-8). */
int draw_width(const char *s);
void draw_clear(void);
/* Bytes of s that fit in w columns (whole characters). */
size_t draw_fit(const char *s, int w);

#endif
