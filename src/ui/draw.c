/*
 * draw.c - the one file that writes text and attributes to curses.
 */
#include "ui/draw.h"

#include "ui/theme.h"

#include <curses.h>
#include <string.h>
#include <wchar.h>

static bool utf8;

static const char *const glyph_utf8[GL_COUNT_] = { "\xe2\x94\x82", "\xe2\x94\x80", "\xe2\x96\xbe", "\xe2\x96\xb8",
	                                           " ", "\xe2\x80\xa6", "\xe2\x86\x92", "\xe2\x97\x8f" };
static const char *const glyph_ascii[GL_COUNT_] = { "|", "-", "-", "+", " ", ">", ">", "*" };

void
draw_init(bool u)
{
	utf8 = u;
}

bool
draw_utf8(void)
{
	return utf8;
}

const char *
draw_glyph(int g)
{
	return g >= 0 && g < GL_COUNT_ ? (utf8 ? glyph_utf8[g] : glyph_ascii[g]) : "?";
}

/* Next character of s: its bytes (n) and columns (w); controls and bad bytes become "?". */
static const char *
next_char(const char *s, size_t *n, int *w, mbstate_t *st)
{
	wchar_t wc;
	size_t r = utf8 ? mbrtowc(&wc, s, strlen(s) > 8 ? 8 : strlen(s), st) : (size_t)-1;
	if (!utf8 && (unsigned char)*s < 0x80 && (unsigned char)*s >= 0x20 && *s != 0x7f) {
		*n = 1;
		*w = 1;
		return s;
	}
	if (r == (size_t)-1 || r == (size_t)-2 || r == 0) {
		memset(st, 0, sizeof *st);
		*n = r == 0 ? 1 : 1;
		*w = 1;
		/* skip the rest of a multibyte sequence in ASCII mode */
		if (!utf8 && ((unsigned char)*s & 0xc0) == 0xc0) {
			size_t k = 1;
			while (s[k] && ((unsigned char)s[k] & 0xc0) == 0x80)
				k++;
			*n = k;
		}
		return "?";
	}
	int cw = wcwidth(wc);
	if (cw < 0) {
		*n = r;
		*w = 1;
		return "?";
	}
	*n = r;
	*w = cw;
	return s;
}

int
draw_width(const char *s)
{
	mbstate_t st;
	memset(&st, 0, sizeof st);
	int w = 0;
	while (*s) {
		size_t n;
		int cw;
		next_char(s, &n, &cw, &st);
		w += cw;
		s += n;
	}
	return w;
}

size_t
draw_fit(const char *s, int w)
{
	mbstate_t st;
	memset(&st, 0, sizeof st);
	const char *p = s;
	int col = 0;
	while (*p) {
		size_t n;
		int cw;
		next_char(p, &n, &cw, &st);
		if (col + cw > w)
			break;
		col += cw;
		p += n;
	}
	return (size_t)(p - s);
}

int
draw_text(int y, int x, int w, const char *s, unsigned long attr, int skip, bool pad)
{
	if (w <= 0)
		return 0;
	attrset((attr_t)attr);
	move(y, x);
	mbstate_t st;
	memset(&st, 0, sizeof st);
	const char *mark = draw_glyph(GL_MORE);
	int col = 0, skipped = 0;
	int total = draw_width(s) - skip;
	bool clip = total > w;
	int limit = clip ? w - 1 : w;
	while (*s) {
		size_t n;
		int cw;
		const char *out = next_char(s, &n, &cw, &st);
		if (skipped < skip) {
			skipped += cw;
			s += n;
			if (skipped > skip) { /* a wide char cut by the skip: a space for its half */
				addnstr(" ", 1);
				col++;
			}
			continue;
		}
		if (col + cw > limit)
			break;
		if (cw > 0)
			addnstr(out, out == s ? (int)n : 1);
		col += cw;
		s += n;
	}
	if (clip) {
		while (col < w - 1) {
			addnstr(" ", 1);
			col++;
		}
		addnstr(mark, (int)strlen(mark));
		col++;
	}
	if (pad)
		while (col < w) {
			addnstr(" ", 1);
			col++;
		}
	attrset(A_NORMAL);
	return col;
}

int
draw_role(int y, int x, int w, const char *s, int role)
{
	return draw_text(y, x, w, s, theme_attr(role), 0, true);
}

void
draw_fill(int y, int x, int w, unsigned long attr)
{
	if (w > 0)
		draw_text(y, x, w, "", attr, 0, true);
}

void
draw_vline(int y, int x, int len, unsigned long attr)
{
	for (int i = 0; i < len; i++)
		draw_text(y + i, x, 1, draw_glyph(GL_VLINE), attr, 0, false);
}

void
draw_clear(void)
{
	attrset(A_NORMAL);
	erase();
}
