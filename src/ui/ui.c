/*
 * ui.c - curses set-up and teardown, the single event loop, actions,
 * status bar, key hint bar, help overlay, prompts and the config file.
 *
 * The terminal is restored on every exit path: atexit, and SIGINT,
 * SIGTERM, SIGSEGV, SIGABRT handlers that call endwin() and re-raise.
 * The loop blocks in wget_wch (no timeout) once loading is done, so an
 * idle tracewb uses no CPU; while a capture is still being indexed the
 * loop polls keys without waiting and indexes a chunk between keys.
 */
#include "ui/ui.h"

#include "ui/actions.h"
#include "ui/draw.h"
#include "ui/filterbar.h"
#include "ui/keymap.h"
#include "ui/layout.h"
#include "ui/theme.h"
#include "ui/ui_int.h"

#include <curses.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static volatile sig_atomic_t curses_on;

static void
restore_terminal(void)
{
	if (curses_on) {
		curses_on = 0;
		endwin();
	}
}

static void
on_fatal_signal(int sig)
{
	restore_terminal();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* ---- config file ------------------------------------------------------ */

static bool
config_line(struct ui *u, const char *line, char *err, size_t errlen, const char **theme)
{
	char w0[32], w1[64], w2[64];
	int nw = sscanf(line, "%31s %63s %63s", w0, w1, w2);
	if (nw <= 0 || w0[0] == '#')
		return true;
	/* The words as error messages may quote them: escaped (a config file is input too). */
	char s0[130], s1[260], s2[260];
	tw_escape(s0, sizeof s0, w0, strlen(w0));
	tw_escape(s1, sizeof s1, w1, nw >= 2 ? strlen(w1) : 0);
	tw_escape(s2, sizeof s2, w2, nw >= 3 ? strlen(w2) : 0);
	if (!strcmp(w0, "bind") || !strcmp(w0, "unbind"))
		return keymap_line(line, err, errlen);
	if (!strcmp(w0, "color") || !strcmp(w0, "mono"))
		return theme_line(line, err, errlen);
	if (strcmp(w0, "set") != 0) {
		snprintf(err, errlen, "unknown command '%.30s' (set, bind, unbind, color, mono)", s0);
		return false;
	}
	if (nw < 3) {
		snprintf(err, errlen, "usage: set NAME VALUE");
		return false;
	}
	if (!strcmp(w1, "theme")) {
		if (!*theme) {
			static char name[64];
			snprintf(name, sizeof name, "%s", w2);
			*theme = name;
		}
		return true;
	}
	if (!strcmp(w1, "time-format")) {
		static const char *const names[] = { "utc", "local", "relative", "delta" };
		for (int i = 0; i < 4; i++)
			if (!strcasecmp(w2, names[i])) {
				u->tf = i;
				return true;
			}
		snprintf(err, errlen, "time-format is utc, local, relative or delta, not '%.30s'", s2);
		return false;
	}
	if (!strcmp(w1, "split")) {
		char *end;
		long v = strtol(w2, &end, 10);
		if (*end || v < 20 || v > 80) {
			snprintf(err, errlen, "split is a percentage from 20 to 80, not '%.30s'", s2);
			return false;
		}
		u->prefs.split = (int)v;
		return true;
	}
	if (!strcmp(w1, "layout")) {
		if (!strcmp(w2, "auto"))
			u->prefs.wide = LAYOUT_AUTO;
		else if (!strcmp(w2, "wide"))
			u->prefs.wide = LAYOUT_WIDE;
		else if (!strcmp(w2, "stacked"))
			u->prefs.wide = LAYOUT_STACKED;
		else {
			snprintf(err, errlen, "layout is auto, wide or stacked, not '%.30s'", s2);
			return false;
		}
		return true;
	}
	if (!strcmp(w1, "columns")) {
		/* the rest of the line: "no, time:14, info" may hold spaces */
		const char *v = strstr(line, "columns") + 7;
		char spec[256];
		size_t k = 0;
		for (; *v && k + 1 < sizeof spec; v++)
			if (*v != ' ' && *v != '\t')
				spec[k++] = *v;
		spec[k] = 0;
		return columns_parse(spec, &u->cols, err, errlen);
	}
	if (!strcmp(w1, "correlation-window")) {
		tw_time win;
		if (!parse_offset(w2, &win) || win <= 0 || w2[0] == '-' || w2[0] == '+') {
			snprintf(err, errlen, "correlation-window is a positive duration such as 2s or 500ms, not '%.30s'", s2);
			return false;
		}
		if (!u->opts->window) /* --window wins */
			u->window = win;
		return true;
	}
	snprintf(err, errlen, "unknown setting '%.30s' (theme, time-format, split, layout, columns, correlation-window)",
	         s1);
	return false;
}

/*
 * Line n of the config file `where` (a line of at most 511 bytes, its end of
 * line included or not): applied when it belongs to this pass (colour lines
 * in the second, once the theme is loaded); false with "WHERE:N: message".
 */
static bool
config_one(struct ui *u, char *line, unsigned n, const char *where, bool colors_pass, const char **theme,
           char *err, size_t errlen)
{
	line[strcspn(line, "\r\n")] = 0;
	char w0[16] = "", e[200];
	sscanf(line, "%15s", w0);
	bool is_color = !strcmp(w0, "color") || !strcmp(w0, "mono");
	if (is_color != colors_pass)
		return true;
	if (config_line(u, line, e, sizeof e, theme))
		return true;
	/* the file name is escaped here; config_line escaped the words it quotes */
	char *safe = tw_escape_dup(where, strlen(where));
	snprintf(err, errlen, "%s:%u: %s", safe, n, e);
	free(safe);
	return false;
}

/* $XDG_CONFIG_HOME/tracewb/config (or ~/.config/...): bindings and settings; theme lines after the theme. */
static bool
config_load(struct ui *u, const char **theme, bool colors_pass, char *err, size_t errlen)
{
	char path[4096];
	const char *x = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	if (x && *x)
		snprintf(path, sizeof path, "%s/tracewb/config", x);
	else if (home)
		snprintf(path, sizeof path, "%s/.config/tracewb/config", home);
	else
		return true;
	FILE *f = fopen(path, "r");
	if (!f)
		return true;
	char line[512];
	unsigned n = 0;
	bool ok = true;
	while (ok && fgets(line, sizeof line, f))
		ok = config_one(u, line, ++n, path, colors_pass, theme, err, errlen);
	fclose(f);
	return ok;
}

/* ---- row movement ----------------------------------------------------- */

static void
set_msg(struct ui *u, const char *fmt, ...) TW_PRINTF(2, 3);

static void
set_msg(struct ui *u, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(u->msg, sizeof u->msg, fmt, ap);
	va_end(ap);
}

static void
go_disp(struct ui *u, size_t i)
{
	size_t n = ui_nrows(u);
	if (!n)
		return;
	u->cur = i < n ? i : n - 1;
}

static void
jump_sev(struct ui *u, int dir, uint8_t min)
{
	size_t n = ui_nrows(u);
	for (size_t i = u->cur + (size_t)dir; i < n; i += (size_t)dir) {
		uint8_t s = ui_row_sev(u, ui_row(u, i));
		if (s != SEV_UNKNOWN && s >= min) {
			u->cur = i;
			u->select_sev = min;
			return;
		}
	}
	set_msg(u, "no %s %s", dir > 0 ? "next" : "previous", min == TW_SEV_ERROR ? "error" : "warning");
}

static bool
row_matches(struct ui *u, size_t row, const char *needle)
{
	const struct rowsum *rs = ui_rowsum(u, row);
	for (int c = 0; c < 5; c++)
		if (strcasestr(rs->col[c], needle))
			return true;
	char nb[16];
	snprintf(nb, sizeof nb, "%u", u->tl->rows[row].idx + 1);
	return strcmp(nb, needle) == 0;
}

static void
search(struct ui *u, bool back)
{
	if (!u->search[0]) {
		set_msg(u, "no search yet: / to search");
		return;
	}
	size_t n = ui_nrows(u);
	for (size_t k = 1; k <= n; k++) {
		size_t i = back ? (u->cur + n - k) % n : (u->cur + k) % n;
		if (row_matches(u, ui_row(u, i), u->search)) {
			if (back ? i > u->cur : i < u->cur)
				set_msg(u, "search wrapped");
			u->cur = i;
			return;
		}
	}
	char *safe = tw_escape_dup(u->search, strlen(u->search));
	set_msg(u, "not found: %s", safe);
	free(safe);
}

/* Rebuild the display rows from the display filter (filterbar.c) and the stream restriction. */
void
ui_refilter(struct ui *u, const struct tw_row *keep)
{
	free(u->disp);
	u->disp = NULL;
	u->ndisp = 0;
	const struct tw_timeline *tl = u->tl;
	uint32_t conv = CONV_NONE;
	uint16_t csrc = 0;
	if (u->stream_only && keep && keep->kind == ROW_FRAME) {
		conv = capture_frame(tl->src[keep->src].cap, keep->idx)->conv;
		csrc = keep->src;
	}
	size_t keep_at = SIZE_MAX; /* keep's timeline row */
	if (fb_active(u) || conv != CONV_NONE) {
		u->disp = xcalloc(tl->n ? tl->n : 1, sizeof *u->disp);
		for (size_t i = 0; i < tl->n; i++) {
			const struct tw_row *r = &tl->rows[i];
			if (keep && r->src == keep->src && r->idx == keep->idx)
				keep_at = i;
			if (conv != CONV_NONE &&
			    (r->src != csrc || r->kind != ROW_FRAME || capture_frame(tl->src[r->src].cap, r->idx)->conv != conv))
				continue;
			if (fb_active(u) && !fb_row_ok(u, i))
				continue;
			u->disp[u->ndisp++] = i;
		}
	}
	u->cur = 0;
	if (keep) {
		bool found = false;
		for (size_t i = 0; i < ui_nrows(u); i++) {
			const struct tw_row *r = &tl->rows[ui_row(u, i)];
			if (r->src == keep->src && r->idx == keep->idx) {
				u->cur = i;
				found = true;
				break;
			}
		}
		/* hidden by the filter: the next row shown after it (else the last) */
		if (!found && keep_at != SIZE_MAX && u->disp) {
			size_t i = 0;
			while (i < u->ndisp && u->disp[i] < keep_at)
				i++;
			u->cur = i < u->ndisp ? i : u->ndisp ? u->ndisp - 1 : 0;
		}
	}
	u->top = u->cur > 3 ? u->cur - 3 : 0;
	u->tree_row = SIZE_MAX - 1; /* force a rebuild */
}

static void
refilter(struct ui *u, const struct tw_row *keep)
{
	ui_refilter(u, keep);
}

static void
toggle_mark(struct ui *u)
{
	if (!ui_nrows(u))
		return;
	const struct tw_row *r = &u->tl->rows[ui_row(u, u->cur)];
	for (size_t i = 0; i < u->nmarks; i++)
		if (u->marks[i].src == r->src && u->marks[i].idx == r->idx) {
			u->marks[i] = u->marks[--u->nmarks];
			set_msg(u, "mark removed");
			return;
		}
	u->marks = xreallocarray(u->marks, u->nmarks + 1, sizeof *u->marks);
	u->marks[u->nmarks++] = (struct rowid){ r->src, r->idx };
	set_msg(u, "marked (%zu mark%s; ' next, \" previous)", u->nmarks, u->nmarks == 1 ? "" : "s");
}

/* ' and ": the next / previous marked row, wrapping around. */
static void
next_mark(struct ui *u, bool back)
{
	size_t n = ui_nrows(u);
	for (size_t k = 1; k <= n && u->nmarks; k++) {
		size_t i = back ? (u->cur + n - k) % n : (u->cur + k) % n;
		if (ui_is_marked(u, ui_row(u, i))) {
			u->cur = i;
			return;
		}
	}
	set_msg(u, u->nmarks ? "no mark among the rows shown" : "no marks: m marks a row");
}

/* Move the cursor to timeline row `row` (leaving a filter that hides it). */
static bool
go_row(struct ui *u, size_t row)
{
	for (int pass = 0; pass < 2; pass++) {
		size_t n = ui_nrows(u);
		for (size_t i = 0; i < n; i++)
			if (ui_row(u, i) == row) {
				u->cur = i;
				return true;
			}
		if (!u->disp)
			return false;
		fb_clear(u, false);
		u->stream_only = false;
		refilter(u, &u->tl->rows[row]);
		set_msg(u, "filter cleared to show the correlated row");
	}
	return false;
}

/* c: event <-> its handshake's deciding frame; again: back where c was pressed. */
static void
jump_correlated(struct ui *u)
{
	size_t n = ui_nrows(u);
	if (!n)
		return;
	if (!u->have_links) {
		set_msg(u, u->loading ? "correlation starts when loading is done" : "no correlation");
		return;
	}
	size_t row = ui_row(u, u->cur);
	const struct tw_row *r = &u->tl->rows[row];
	if (u->jumped && r->src == u->jump_to.src && r->idx == u->jump_to.idx) {
		size_t back = links_row_of(&u->links, u->jump_from.src, u->jump_from.idx);
		u->jumped = false;
		if (back != UINT32_MAX && go_row(u, back)) {
			set_msg(u, "back");
			return;
		}
	}
	const struct tw_link *l = NULL;
	for (size_t i = 0; (l = links_of_row(&u->links, u->tl, (uint32_t)row, i)); i++)
		if (l->kind == LINK_HANDSHAKE)
			break;
	if (!l) {
		set_msg(u, r->kind == ROW_EVENT ? "this event is linked to no handshake" : "no event is linked to this row");
		return;
	}
	size_t target = l->a == row ? l->b : l->a;
	u->jump_from = (struct rowid){ r->src, r->idx };
	u->jump_to = (struct rowid){ u->tl->rows[target].src, u->tl->rows[target].idx };
	u->jumped = go_row(u, target);
	if (u->jumped)
		set_msg(u, "confidence %u%s; c again: back", l->confidence, l->candidates > 1 ? ", several candidates" : "");
}

/* ---- prompt ----------------------------------------------------------- */

static const char *const prompt_label[PR_COUNT_] = { "", "/", "?", "go to frame: ", "filter: " };

/* Right of an empty search prompt: what it is for, and (for ?) where help went; the cursor stays. */
static void
draw_prompt_hint(const struct ui *u, const struct ui_rect *r)
{
	const char *ph = u->prompt == PR_SEARCH        ? "search forward: text, Enter; n/N repeat; Esc cancels"
	                 : u->prompt == PR_SEARCH_BACK ? "search backward (like less): text, Enter; Esc cancels. Help: H or F1"
	                                               : NULL;
	if (!ph || u->plen)
		return;
	int cy, cx;
	getyx(stdscr, cy, cx);
	int x = draw_width(prompt_label[u->prompt]) + 2;
	if (x + 4 < r->w)
		draw_text(r->y, r->x + x, r->w - x, ph, theme_attr(ROLE_TREE_GEN), 0, false);
	move(cy, cx);
}

static void
prompt_start(struct ui *u, int kind)
{
	u->prompt = kind;
	u->plen = 0;
	u->pbuf[0] = 0;
	u->hpos = u->nhist[kind];
	if (kind == PR_FILTER && u->filter[0] && strlen(u->filter) < sizeof u->pbuf) {
		snprintf(u->pbuf, sizeof u->pbuf, "%s", u->filter);
		u->plen = strlen(u->pbuf);
	}
}

static void
hist_add(struct ui *u, int kind, const char *s)
{
	if (!*s)
		return;
	if (u->nhist[kind] == 32) {
		free(u->hist[kind][0]);
		memmove(&u->hist[kind][0], &u->hist[kind][1], 31 * sizeof(char *));
		u->nhist[kind]--;
	}
	u->hist[kind][u->nhist[kind]++] = xstrdup(s);
}

static void
prompt_done(struct ui *u)
{
	int kind = u->prompt;
	if (kind == PR_FILTER) {
		/* the display filter (filterbar.c keeps its history): an invalid one keeps the prompt */
		if (fb_submit(u))
			u->prompt = PR_NONE;
		return;
	}
	u->prompt = PR_NONE;
	hist_add(u, kind, u->pbuf);
	size_t n = ui_nrows(u);
	switch (kind) {
	case PR_SEARCH:
	case PR_SEARCH_BACK:
		if (u->pbuf[0])
			snprintf(u->search, sizeof u->search, "%s", u->pbuf);
		u->search_back = kind == PR_SEARCH_BACK;
		search(u, u->search_back);
		break;
	case PR_GOTO: {
		char *end;
		unsigned long num = strtoul(u->pbuf, &end, 10);
		if (!u->pbuf[0] || *end) {
			set_msg(u, "a frame number, please");
			break;
		}
		/* the first frame row with that number (any capture source) */
		for (size_t i = 0; i < n; i++) {
			const struct tw_row *r = &u->tl->rows[ui_row(u, i)];
			if (r->kind == ROW_FRAME && r->idx + 1 == num) {
				u->cur = i;
				return;
			}
		}
		set_msg(u, "no frame %lu%s", num, u->disp ? " among the rows shown" : "");
		break;
	}
	default:
		break;
	}
}

static void
prompt_key(struct ui *u, int key)
{
	if (key == 27) {
		u->prompt = PR_NONE;
		return;
	}
	if (key == '\n' || key == '\r' || key == KEY_FN_BASE + KEY_ENTER) {
		prompt_done(u);
		return;
	}
	if (key == 21) { /* Ctrl-U: erase the line */
		u->plen = 0;
		u->pbuf[0] = 0;
		return;
	}
	if (key == KEY_FN_BASE + KEY_BACKSPACE || key == 127 || key == 8) {
		while (u->plen && ((unsigned char)u->pbuf[u->plen - 1] & 0xc0) == 0x80)
			u->plen--;
		if (u->plen)
			u->plen--;
		u->pbuf[u->plen] = 0;
		if (!u->plen && key != KEY_FN_BASE + KEY_BACKSPACE && 0)
			u->prompt = PR_NONE;
		return;
	}
	if (key == KEY_FN_BASE + KEY_UP || key == KEY_FN_BASE + KEY_DOWN) {
		int k = u->prompt;
		if (key == KEY_FN_BASE + KEY_UP && u->hpos > 0)
			u->hpos--;
		else if (key == KEY_FN_BASE + KEY_DOWN && u->hpos < u->nhist[k])
			u->hpos++;
		snprintf(u->pbuf, sizeof u->pbuf, "%s", u->hpos < u->nhist[k] ? u->hist[k][u->hpos] : "");
		u->plen = strlen(u->pbuf);
		return;
	}
	if (key >= KEY_FN_BASE || key < 0x20)
		return;
	char mb[8];
	int l = 0;
	unsigned c = (unsigned)key;
	if (c < 0x80)
		mb[l++] = (char)c;
	else if (c < 0x800) {
		mb[l++] = (char)(0xc0 | (c >> 6));
		mb[l++] = (char)(0x80 | (c & 0x3f));
	} else if (c < 0x10000) {
		mb[l++] = (char)(0xe0 | (c >> 12));
		mb[l++] = (char)(0x80 | ((c >> 6) & 0x3f));
		mb[l++] = (char)(0x80 | (c & 0x3f));
	} else {
		mb[l++] = (char)(0xf0 | (c >> 18));
		mb[l++] = (char)(0x80 | ((c >> 12) & 0x3f));
		mb[l++] = (char)(0x80 | ((c >> 6) & 0x3f));
		mb[l++] = (char)(0x80 | (c & 0x3f));
	}
	if (u->plen + (size_t)l < sizeof u->pbuf - 1) {
		memcpy(u->pbuf + u->plen, mb, (size_t)l);
		u->plen += (size_t)l;
		u->pbuf[u->plen] = 0;
	}
}

/* ---- bars and help ---------------------------------------------------- */

static void
keys_for(int action, char *buf, size_t n)
{
	struct tw_sb sb;
	sb_fixed(&sb, buf, n);
	for (size_t i = 0; keymap_nth(i); i++) {
		const struct ui_binding *b = keymap_nth(i);
		if (b->action != action)
			continue;
		char k[32];
		keymap_key_name(b->key, k, sizeof k);
		if (sb.len)
			sb_adds(&sb, " ");
		if (b->keymap != KM_GENERIC) {
			sb_adds(&sb, keymap_name(b->keymap));
			sb_adds(&sb, ":");
		}
		sb_adds(&sb, k);
	}
}

static void
draw_hints(struct ui *u, const struct ui_rect *r)
{
	static const struct {
		int act;
		const char *label;
	} hints[] = { { ACT_HELP, "help" },       { ACT_NEXT_ERROR, "next error" }, { ACT_NEXT_PANE, "pane" },
		      { ACT_CORRELATED, "correlated" }, { ACT_SEARCH, "search" },  { ACT_GOTO, "go to" },
		      { ACT_TIME_FORMAT, "time" },   { ACT_ZOOM, "zoom" },       { ACT_QUIT, "quit" } };
	(void)u;
	int x = r->x, end = r->x + r->w;
	for (size_t i = 0; i < ARRAY_SIZE(hints) && x < end - 4; i++) {
		int key = keymap_key_for(hints[i].act);
		if (key < 0)
			continue;
		char k[32], lab[48];
		keymap_key_name(key, k, sizeof k);
		snprintf(lab, sizeof lab, " %s ", hints[i].label);
		int need = draw_width(k) + draw_width(lab);
		if (x + need > end)
			break;
		x += draw_text(r->y, x, end - x, k, theme_attr(ROLE_HINT_KEY), 0, false);
		x += draw_text(r->y, x, end - x, lab, theme_attr(ROLE_HINTS), 0, false);
	}
	if (x < end)
		draw_fill(r->y, x, end - x, theme_attr(ROLE_HINTS));
}

static void
draw_status(struct ui *u, const struct ui_rect *r)
{
	if (u->prompt) {
		char line[400];
		char *safe = tw_escape_dup(u->pbuf, u->plen);
		snprintf(line, sizeof line, "%s%s", prompt_label[u->prompt], safe);
		free(safe);
		int w = draw_text(r->y, r->x, r->w, line, theme_attr(ROLE_PROMPT), 0, false);
		draw_fill(r->y, r->x + w, r->w - w, theme_attr(ROLE_NORMAL));
		move(r->y, r->x + (w < r->w ? w : r->w - 1));
		curs_set(1);
		return;
	}
	curs_set(0);
	struct tw_sb sb;
	sb_heap(&sb);
	for (size_t s = 0; s < u->tl->nsrc; s++) {
		const char *name = timeline_source_name(u->tl, s);
		if (s)
			sb_adds(&sb, ", ");
		if (u->tl->nsrc > 1) {
			sb_addc(&sb, u->tl->src[s].letter);
			sb_addc(&sb, ':');
		}
		sb_add_escaped(&sb, name, strlen(name)); /* file names are input too */
	}
	/* the rest first: when space runs out the file names are clipped, never the row or progress */
	struct tw_sb tb;
	sb_heap(&tb);
	size_t n = ui_nrows(u);
	sb_addf(&tb, " | row %zu/%zu", n ? u->cur + 1 : 0, n);
	if (u->disp)
		sb_addf(&tb, " of %zu", u->tl->n);
	if (u->filter[0]) {
		sb_adds(&tb, " | filter: ");
		sb_add_escaped(&tb, u->filter, strlen(u->filter));
	}
	fb_status(u, &sb);
	if (u->stream_only)
		sb_adds(&tb, " | stream");
	sb_addf(&tb, " | time: %s", ui_tf_name(u));
	if (u->tf == UTF_REF && u->ref_row < u->tl->n)
		sb_addf(&tb, " #%u", u->tl->rows[u->ref_row].idx + 1);
	if (u->nmarks)
		sb_addf(&tb, " | %zu mark%s", u->nmarks, u->nmarks == 1 ? "" : "s");
	if (u->nwarn) {
		char k[32] = "!";
		int key = keymap_key_for(ACT_WARNINGS);
		if (key >= 0)
			keymap_key_name(key, k, sizeof k);
		sb_addf(&tb, " | %s %zu warning%s", k, u->nwarn, u->nwarn == 1 ? "" : "s");
	}
	if (u->loading) {
		/* bytes indexed: the file offset of each capture's last indexed frame */
		uint64_t done = 0, total = 0;
		for (size_t s = 0; s < u->tl->nsrc; s++) {
			struct tw_capture *cap = u->tl->src[s].cap;
			if (!cap)
				continue;
			total += capture_file_size(cap);
			uint32_t c = capture_count(cap);
			done += capture_done(cap) ? capture_file_size(cap) : c ? capture_frame(cap, c - 1)->off : 0;
		}
		sb_addf(&tb, " | loading %u%%", total ? (unsigned)(done * 100 / total) : 0);
	}
	int tw = draw_width(tb.s);
	int fw = TW_MIN(draw_width(sb.s), r->w - tw);
	if (fw < 12)
		fw = TW_MIN(12, r->w);
	int w = draw_text(r->y, r->x, fw, sb.s, theme_attr(ROLE_STATUS), 0, true);
	if (draw_width(sb.s) > fw && fw > 1)
		draw_text(r->y, r->x + fw - 1, 1, draw_glyph(GL_MORE), theme_attr(ROLE_STATUS), 0, false);
	if (r->w > fw)
		w = draw_text(r->y, r->x + fw, r->w - fw, tb.s, theme_attr(ROLE_STATUS), 0, true);
	(void)w;
	if (u->msg[0]) {
		/*
		 * The message is news: it takes the file names' place on the left,
		 * so the row and time stay readable; a long one may use three
		 * quarters of the line.
		 */
		int mw = draw_width(u->msg) + 1;
		int room = TW_MAX(r->w - tw, r->w * 3 / 4);
		if (mw > room)
			mw = room;
		char m[300];
		snprintf(m, sizeof m, "%s ", u->msg);
		if (mw < fw) /* blank the rest of the file names */
			draw_text(r->y, r->x + mw, fw - mw, "", theme_attr(ROLE_STATUS), 0, true);
		draw_text(r->y, r->x, mw, m, theme_attr(ROLE_MESSAGE), 0, true);
	}
	sb_free(&tb);
	sb_free(&sb);
}

static void
draw_help(struct ui *u, int rows, int cols)
{
	struct tw_sb sb;
	sb_heap(&sb);
	/* lines: group headers and one line per action */
	size_t nl = 0;
	char lines[ACT_COUNT_ * 2][200];
	int roles[ACT_COUNT_ * 2];
	const char *group = "";
	size_t sel_line = 0;
	if (u->help_sel < 1 || u->help_sel >= ACT_COUNT_)
		u->help_sel = 1;
	for (int a = 1; a < ACT_COUNT_; a++) {
		if (strcmp(group, ui_actions[a].group) != 0) {
			group = ui_actions[a].group;
			snprintf(lines[nl], sizeof lines[nl], "%s", group);
			roles[nl++] = ROLE_TITLE;
		}
		char keys[96];
		keys_for(a, keys, sizeof keys);
		snprintf(lines[nl], sizeof lines[nl], "  %-22s %-16s %s", keys[0] ? keys : "(unbound)", ui_actions[a].name,
		         ui_actions[a].help);
		if (a == u->help_sel)
			sel_line = nl;
		roles[nl++] = a == u->help_sel ? ROLE_CURSOR : ROLE_NORMAL;
	}
	draw_text(0, 0, cols, " tracewb keys, from the live keymap: j/k move, Enter runs the action, Esc closes",
	          theme_attr(ROLE_TITLE_ACTIVE), 0, true);
	size_t body = rows > 1 ? (size_t)rows - 1 : 0;
	if (sel_line < u->help_top + 1)
		u->help_top = sel_line > 0 ? sel_line - 1 : 0;
	if (body && sel_line >= u->help_top + body)
		u->help_top = sel_line - body + 1;
	if (u->help_top + body > nl)
		u->help_top = nl > body ? nl - body : 0;
	for (size_t i = 0; i < body; i++) {
		size_t k = u->help_top + i;
		if (k < nl)
			draw_text((int)i + 1, 0, cols, lines[k], theme_attr(roles[k]), 0, true);
		else
			draw_fill((int)i + 1, 0, cols, theme_attr(ROLE_NORMAL));
	}
	sb_free(&sb);
}

static void
draw_all(struct ui *u)
{
	int rows, cols;
	getmaxyx(stdscr, rows, cols);
	u->prefs.focus = u->focus;
	layout_compute(rows, cols, &u->prefs, &u->lay);
	draw_clear();
	if (u->lay.too_small) {
		char m[96];
		snprintf(m, sizeof m, "terminal too small (%dx%d): need %dx%d", cols, rows, LAYOUT_MIN_COLS, LAYOUT_MIN_ROWS);
		int y = rows / 2;
		draw_text(y > 0 ? y - 1 : 0, 0, cols, "terminal too small", theme_attr(ROLE_MESSAGE), 0, false);
		if (rows > 1)
			draw_text(y, 0, cols, m + 19, theme_attr(ROLE_NORMAL), 0, false);
		if (rows > 2)
			draw_text(y + 1, 0, cols, "q quits", theme_attr(ROLE_NORMAL), 0, false);
		refresh();
		return;
	}
	if (u->help) {
		draw_help(u, rows, cols);
		refresh();
		return;
	}
	if (u->stream.on) {
		stream_draw(u, rows, cols);
		refresh();
		return;
	}
	/* the focused pane may have been dropped by the layout: focus the list */
	if (!u->lay.pane[u->focus].h)
		u->focus = PANE_LIST;
	tree_sync(u);
	/* a new row: an event shows its Event tab; a frame leaves it (Tab still visits every tab) */
	size_t trow = ui_nrows(u) ? ui_row(u, u->cur) : SIZE_MAX;
	if (trow != u->tab_row) {
		u->tab_row = trow;
		bool ev = trow != SIZE_MAX && u->tl->rows[trow].kind == ROW_EVENT;
		if (ev && u->tab != TAB_EVENT) {
			u->tab = TAB_EVENT;
			u->side_top = 0;
		} else if (!ev && u->tab == TAB_EVENT) {
			u->tab = TAB_HEX;
			u->side_top = 0;
		}
	}
	list_draw(u, &u->lay.pane[PANE_LIST], u->focus == PANE_LIST);
	tree_draw(u, &u->lay.pane[PANE_TREE], u->focus == PANE_TREE);
	side_draw(u, &u->lay.pane[PANE_SIDE], u->focus == PANE_SIDE);
	if (u->lay.sep_len)
		draw_vline(u->lay.sep_y, u->lay.sep_x, u->lay.sep_len, theme_attr(ROLE_SEPARATOR));
	if (u->prompt == PR_FILTER) {
		fb_draw_prompt(u, &u->lay.hints, &u->lay.status);
		refresh();
		return;
	}
	if (u->lay.hints.h)
		draw_hints(u, &u->lay.hints);
	draw_status(u, &u->lay.status);
	draw_prompt_hint(u, &u->lay.status);
	refresh();
}

/* ---- actions ---------------------------------------------------------- */

static int
page_of(const struct ui *u, int pane)
{
	int h = u->lay.pane[pane].h - 2;
	return h > 1 ? h : 1;
}

static void
do_action(struct ui *u, int act)
{
	size_t n = ui_nrows(u);
	int page = page_of(u, u->focus);
	bool moves = act == ACT_MOVE_DOWN || act == ACT_MOVE_UP || act == ACT_PAGE_DOWN || act == ACT_PAGE_UP ||
	             act == ACT_FIRST || act == ACT_LAST;
	if (u->focus == PANE_TREE && (moves || act == ACT_EXPAND || act == ACT_COLLAPSE || act == ACT_TOGGLE ||
	                              act == ACT_EXPAND_SUBTREE || act == ACT_EXPAND_ALL || act == ACT_COLLAPSE_ALL)) {
		tree_action(u, act, page);
		return;
	}
	if (u->focus == PANE_SIDE && (moves || act == ACT_NEXT_SOURCE)) {
		side_action(u, act, page);
		return;
	}
	switch (act) {
	case ACT_QUIT:
		u->quit = true;
		break;
	case ACT_HELP:
		u->help = true;
		u->help_top = 0;
		break;
	case ACT_REDRAW:
		clearok(curscr, TRUE);
		break;
	case ACT_MOVE_DOWN:
		if (u->cur + 1 < n)
			u->cur++;
		break;
	case ACT_MOVE_UP:
		if (u->cur)
			u->cur--;
		break;
	case ACT_PAGE_DOWN:
		go_disp(u, u->cur + (size_t)page);
		break;
	case ACT_PAGE_UP:
		u->cur = u->cur > (size_t)page ? u->cur - (size_t)page : 0;
		break;
	case ACT_FIRST:
		u->cur = 0;
		break;
	case ACT_LAST:
		go_disp(u, n ? n - 1 : 0);
		break;
	case ACT_GOTO:
		prompt_start(u, PR_GOTO);
		break;
	case ACT_SCROLL_LEFT:
		u->hscroll = u->hscroll > 8 ? u->hscroll - 8 : 0;
		break;
	case ACT_SCROLL_RIGHT:
		u->hscroll += 8;
		break;
	case ACT_NEXT_PANE:
	case ACT_PREV_PANE:
		/* the side pane's tabs are stops of the cycle: Tab reaches the certificates */
		if (u->focus == PANE_SIDE && !u->prefs.zoom && act == ACT_NEXT_PANE && u->tab + 1 < TAB_COUNT_) {
			u->tab++;
			u->side_top = 0;
			break;
		}
		if (u->focus == PANE_SIDE && !u->prefs.zoom && act == ACT_PREV_PANE && u->tab > 0) {
			u->tab--;
			u->side_top = 0;
			break;
		}
		for (int k = 0; k < PANE_COUNT_; k++) {
			u->focus = (u->focus + (act == ACT_NEXT_PANE ? 1 : PANE_COUNT_ - 1)) % PANE_COUNT_;
			u->prefs.focus = u->focus;
			struct layout l;
			int rows, cols;
			getmaxyx(stdscr, rows, cols);
			layout_compute(rows, cols, &u->prefs, &l);
			if (l.pane[u->focus].h || u->prefs.zoom)
				break;
		}
		if (u->prefs.zoom)
			u->prefs.zoom = u->focus + 1;
		if (u->focus == PANE_SIDE) {
			/* the tab that explains the row: its event, its faulty certificate chain, else the bytes */
			bool ev = n && u->tl->rows[ui_row(u, u->cur)].kind == ROW_EVENT;
			tree_sync(u);
			u->tab = act == ACT_PREV_PANE ? TAB_COUNT_ - 1
			         : ev                 ? TAB_EVENT
			         : side_row_cert_findings(u) ? TAB_CERTS
			                                     : TAB_HEX;
			u->side_top = 0;
		}
		break;
	case ACT_NEXT_TAB:
		u->tab = (u->tab + 1) % TAB_COUNT_;
		u->side_top = 0;
		break;
	case ACT_NEXT_SOURCE:
		side_action(u, act, page);
		break;
	case ACT_ZOOM:
		u->prefs.zoom = u->prefs.zoom ? ZOOM_NONE : u->focus + 1;
		break;
	case ACT_SPLIT_GROW:
	case ACT_SPLIT_SHRINK: {
		int d = act == ACT_SPLIT_GROW ? 5 : -5;
		if (u->focus == PANE_LIST)
			u->prefs.split = TW_MAX(20, TW_MIN(80, (u->prefs.split ? u->prefs.split : 50) + d));
		else if (u->focus == PANE_TREE)
			u->prefs.vsplit = TW_MAX(20, TW_MIN(80, (u->prefs.vsplit ? u->prefs.vsplit : 50) + d));
		else
			u->prefs.vsplit = TW_MAX(20, TW_MIN(80, (u->prefs.vsplit ? u->prefs.vsplit : 50) - d));
		break;
	}
	case ACT_LAYOUT: {
		int rows, cols;
		getmaxyx(stdscr, rows, cols);
		u->prefs.wide = layout_toggle(rows, cols, &u->prefs);
		if (u->prefs.wide == LAYOUT_STACKED)
			set_msg(u, "stacked layout");
		else if (cols >= LAYOUT_WIDE_COLS)
			set_msg(u, "side-by-side layout");
		else
			set_msg(u, "side-by-side once the terminal is %d columns wide", LAYOUT_WIDE_COLS);
		break;
	}
	case ACT_EXPAND:
	case ACT_COLLAPSE:
	case ACT_TOGGLE:
	case ACT_EXPAND_SUBTREE:
	case ACT_EXPAND_ALL:
	case ACT_COLLAPSE_ALL:
		tree_action(u, act, page);
		break;
	case ACT_NEXT_ERROR:
		jump_sev(u, 1, TW_SEV_ERROR);
		break;
	case ACT_PREV_ERROR:
		jump_sev(u, -1, TW_SEV_ERROR);
		break;
	case ACT_NEXT_WARN:
		jump_sev(u, 1, TW_SEV_WARN);
		break;
	case ACT_PREV_WARN:
		jump_sev(u, -1, TW_SEV_WARN);
		break;
	case ACT_CORRELATED:
		jump_correlated(u);
		break;
	case ACT_STREAM_ONLY: {
		if (!n)
			break;
		struct tw_row k = u->tl->rows[ui_row(u, u->cur)];
		if (!u->stream_only && (k.kind != ROW_FRAME || capture_frame(u->tl->src[k.src].cap, k.idx)->conv == CONV_NONE)) {
			set_msg(u, k.kind == ROW_EVENT ? "an event: select a frame (c: its handshake)"
			                               : "the row belongs to no connection");
			break;
		}
		u->stream_only = !u->stream_only;
		refilter(u, &k);
		break;
	}
	case ACT_FOLLOW_STREAM:
		if (!n)
			break;
		if (stream_build(u, ui_row(u, u->cur), &u->stream))
			u->stream.on = true;
		else
			set_msg(u, u->tl->rows[ui_row(u, u->cur)].kind == ROW_EVENT
			               ? "an event: select a frame (c: its handshake)"
			               : "the row belongs to no connection");
		break;
	case ACT_SEARCH:
		prompt_start(u, PR_SEARCH);
		break;
	case ACT_SEARCH_BACK:
		prompt_start(u, PR_SEARCH_BACK);
		break;
	case ACT_SEARCH_NEXT:
		search(u, u->search_back);
		break;
	case ACT_SEARCH_PREV:
		search(u, !u->search_back);
		break;
	case ACT_FILTER:
		prompt_start(u, PR_FILTER);
		break;
	case ACT_TIME_FORMAT:
		u->tf = (u->tf + 1) % UTF_COUNT_;
		set_msg(u, "time: %s", ui_tf_name(u));
		break;
	case ACT_SET_REF:
		if (n) {
			u->ref_row = ui_row(u, u->cur);
			u->tf = UTF_REF;
			set_msg(u, "time reference: row %u", u->tl->rows[u->ref_row].idx + 1);
		}
		break;
	case ACT_MARK:
		toggle_mark(u);
		break;
	case ACT_NEXT_MARK:
	case ACT_PREV_MARK:
		next_mark(u, act == ACT_PREV_MARK);
		break;
	case ACT_WARNINGS:
		warnings_show(u);
		break;
	default:
		break;
	}
}

/* ---- loading ---------------------------------------------------------- */

static bool
still_loading(const struct tw_timeline *tl)
{
	for (size_t s = 0; s < tl->nsrc; s++)
		if (tl->src[s].cap && !capture_done(tl->src[s].cap))
			return true;
	return false;
}

static void
compute_links(struct ui *u)
{
	if (u->have_links)
		links_free(&u->links);
	struct analyze_opts ao;
	analyze_opts_init(&ao);
	if (u->window > 0)
		ao.window = u->window;
	memset(&u->links, 0, sizeof u->links);
	correlate(&u->links, u->tl, &ao);
	u->have_links = true;
}

static void
load_chunk(struct ui *u)
{
	struct tw_timeline *tl = u->tl;
	size_t n = ui_nrows(u);
	struct tw_row keep = n ? tl->rows[ui_row(u, u->cur)] : (struct tw_row){ 0 };
	for (size_t s = 0; s < tl->nsrc; s++)
		if (tl->src[s].cap && !capture_done(tl->src[s].cap)) {
			capture_load_some(tl->src[s].cap, 20000);
			break;
		}
	timeline_build(tl);
	free(u->sev);
	u->sev = xmalloc(tl->n ? tl->n : 1);
	memset(u->sev, SEV_UNKNOWN, tl->n ? tl->n : 1);
	ui_cache_clear(u);
	u->loading = still_loading(tl);
	if (!u->loading)
		compute_links(u);
	warnings_collect(u);
	size_t top_off = u->cur - u->top;
	refilter(u, n ? &keep : NULL);
	u->top = u->cur > top_off ? u->cur - top_off : 0;
	if (!u->loading)
		fb_loaded(u); /* a filter entered while loading */
}

/* ---- main loop -------------------------------------------------------- */

static int
read_key(int *key)
{
	wint_t wc;
	int r = get_wch(&wc);
	if (r == ERR)
		return ERR;
	*key = r == KEY_CODE_YES ? KEY_FN_BASE + (int)wc : (int)wc;
	return OK;
}

int
ui_run(struct tw_timeline *tl, const struct ui_opts *o, char *err, size_t errlen)
{
	static struct ui u; /* large: keep it off the stack */
	memset(&u, 0, sizeof u);
	u.tl = tl;
	u.opts = o;
	u.tree_row = SIZE_MAX;
	u.tab_row = SIZE_MAX;
	u.ref_row = 0;
	u.tf = UTF_REL;
	u.prefs.split = 50;
	u.prefs.vsplit = 50;
	u.window = o->window;
	if (o->tfmt_set)
		u.tf = o->tfmt == TF_UTC || o->tfmt == TF_UTC_DATE ? UTF_UTC
		       : o->tfmt == TF_ABS || o->tfmt == TF_ABS_DATE ? UTF_LOCAL
		       : o->tfmt == TF_DELTA || o->tfmt == TF_DELTA_DISP ? UTF_DELTA
		                                                        : UTF_REL;
	setlocale(LC_ALL, "");
	bool utf8 = strcasecmp(nl_langinfo(CODESET), "UTF-8") == 0;
	keymap_init();
	const char *theme = o->theme;
	if (!config_load(&u, &theme, false, err, errlen))
		return 2;
	if (!theme_load(theme, o->argv0, err, errlen))
		return 2;
	if (!config_load(&u, &theme, true, err, errlen))
		return 2;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		snprintf(err, errlen, "the interactive UI needs a terminal (use -P to print)");
		return 2;
	}
	bool no_color = theme_no_color(getenv("NO_COLOR"));

	tree_init(&u.tree, true);
	tree_init(&u.stree, true); /* full: certificate findings count for a row's severity */
	ui_cache_clear(&u);
	u.sev = xmalloc(tl->n ? tl->n : 1);
	memset(u.sev, SEV_UNKNOWN, tl->n ? tl->n : 1);
	u.loading = still_loading(tl);
	if (!u.loading)
		compute_links(&u);
	fb_init(&u);

	atexit(restore_terminal);
	signal(SIGINT, on_fatal_signal);
	signal(SIGTERM, on_fatal_signal);
	signal(SIGSEGV, on_fatal_signal);
	signal(SIGABRT, on_fatal_signal);
	signal(SIGHUP, on_fatal_signal);
	if (!initscr()) {
		snprintf(err, errlen, "cannot initialise the terminal");
		return 2;
	}
	curses_on = 1;
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	draw_init(utf8);
	theme_start(no_color);
	warnings_collect(&u); /* those printed before the screen started are wiped by it */

	draw_all(&u);
	while (!u.quit) {
		/* blocks when idle; polls keys between chunks of loading or filtering */
		timeout(u.loading || fb_busy(&u) ? 0 : -1);
		int key;
		if (read_key(&key) == ERR) {
			if (u.loading) {
				load_chunk(&u);
				draw_all(&u);
			} else if (fb_busy(&u)) {
				fb_step(&u);
				draw_all(&u);
			}
			continue;
		}
		if (key == KEY_FN_BASE + KEY_RESIZE) {
			draw_all(&u);
			continue;
		}
		u.msg[0] = 0;
		if (u.lay.too_small) {
			if (key == 'q')
				u.quit = true;
			continue;
		}
		if (u.help) {
			if (key == 'j' || key == KEY_FN_BASE + KEY_DOWN)
				u.help_sel = TW_MIN(ACT_COUNT_ - 1, u.help_sel + 1);
			else if (key == 'k' || key == KEY_FN_BASE + KEY_UP)
				u.help_sel = TW_MAX(1, u.help_sel - 1);
			else if (key == ' ' || key == KEY_FN_BASE + KEY_NPAGE)
				u.help_sel = TW_MIN(ACT_COUNT_ - 1, u.help_sel + 10);
			else if (key == KEY_FN_BASE + KEY_PPAGE)
				u.help_sel = TW_MAX(1, u.help_sel - 10);
			else if (key == '\n' || key == '\r' || key == KEY_FN_BASE + KEY_ENTER) {
				u.help = false;
				if (u.help_sel != ACT_HELP)
					do_action(&u, u.help_sel);
			} else
				u.help = false;
			draw_all(&u);
			continue;
		}
		if (u.stream.on) {
			int act = keymap_lookup(KM_GENERIC, key);
			size_t pg = (size_t)(getmaxy(stdscr) > 2 ? getmaxy(stdscr) - 1 : 1);
			if (act == ACT_MOVE_DOWN)
				u.stream.top++;
			else if (act == ACT_MOVE_UP)
				u.stream.top = u.stream.top ? u.stream.top - 1 : 0;
			else if (act == ACT_PAGE_DOWN)
				u.stream.top += pg;
			else if (act == ACT_PAGE_UP)
				u.stream.top = u.stream.top > pg ? u.stream.top - pg : 0;
			else if (act == ACT_FIRST)
				u.stream.top = 0;
			else if (act == ACT_LAST)
				u.stream.top = SIZE_MAX / 2;
			else if (act == ACT_FOLLOW_STREAM || act == ACT_WARNINGS || act == ACT_QUIT || key == 27)
				u.stream.on = false;
			else if (act == ACT_NEXT_PANE || act == ACT_PREV_PANE)
				stream_cycle_direction(&u.stream);
			draw_all(&u);
			continue;
		}
		if (u.prompt) {
			prompt_key(&u, key);
		} else if (key == 27 && fb_escape(&u)) {
			/* Esc: stop a filter run, or clear the filter back to the row selected before it */
		} else {
			int km = u.focus == PANE_LIST ? KM_LIST : u.focus == PANE_TREE ? KM_TREE : KM_SIDE;
			do_action(&u, keymap_lookup(km, key));
		}
		if (u.prompt == PR_FILTER)
			fb_edited(&u);
		draw_all(&u);
	}
	restore_terminal();
	tree_free(&u.tree);
	tree_free(&u.stree);
	for (size_t i = 0; i < ROWCACHE; i++)
		if (u.cache[i].text.s)
			sb_free(&u.cache[i].text);
	for (int k = 0; k < PR_COUNT_; k++)
		for (int i = 0; i < u.nhist[k]; i++)
			free(u.hist[k][i]);
	free(u.flat);
	free(u.open_keys);
	free(u.closed_keys);
	free(u.marks);
	free(u.disp);
	free(u.sev);
	fb_free(&u);
	stream_free(&u.stream);
	warnings_free(&u);
	if (u.have_links)
		links_free(&u.links);
	keymap_free();
	return 0;
}

/*
 * The config file's text held in memory (len bytes; a NUL ends it),
 * through config_line as config_load reads it (lines of at most 511
 * bytes, as fgets cuts them; colour lines only in the colours pass), into
 * a scratch workbench state. For the fuzz harness (tests/fuzz/fuzz_ui.c).
 */
bool
ui_config_buf(const char *buf, size_t len, bool colors_pass, char *err, size_t errlen)
{
	const char *end = memchr(buf, 0, len);
	if (end)
		len = (size_t)(end - buf);
	static const struct ui_opts no_opts; /* no command-line options: nothing overrides the file */
	struct ui *u = xcalloc(1, sizeof *u);
	u->opts = &no_opts;
	const char *theme = NULL;
	char line[512];
	unsigned n = 0;
	bool ok = true;
	while (ok && len) {
		/* what fgets gives config_load: at most 511 bytes, up to and with the newline */
		const char *nl = memchr(buf, '\n', len);
		size_t l = nl ? (size_t)(nl - buf) + 1 : len;
		if (l > sizeof line - 1)
			l = sizeof line - 1;
		memcpy(line, buf, l);
		line[l] = 0;
		buf += l;
		len -= l;
		ok = config_one(u, line, ++n, "config", colors_pass, &theme, err, errlen);
	}
	free(u);
	return ok;
}
