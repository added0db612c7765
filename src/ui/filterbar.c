/* filterbar.c - the workbench's display filter: prompt, history, chunked runs (see filterbar.h). */
#include "ui/filterbar.h"

#include "merge/certs.h"
#include "merge/diagnose.h"
#include "merge/filter.h"
#include "merge/filterrun.h"
#include "ui/draw.h"
#include "ui/theme.h"
#include "ui/ui_int.h"

#include <curses.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define HIST_MAX 32

struct filterbar {
	/* the prompt's text, compiled */
	char text[256];
	bool compiled;           /* text is what edit/err describe */
	struct tw_filter *edit;  /* NULL: invalid (err) or empty */
	struct filter_error err;
	/* the applied filter */
	struct tw_filter *f;
	uint8_t *mask;           /* per timeline row */
	size_t nmask;
	/* a run in progress (or waiting for the load to finish) */
	struct tw_filter *pending;
	struct filter_run *run;
	struct filter_ctx *cx;
	struct tw_analysis *an;
	uint8_t *pmask;
	size_t next, matched;
	struct tw_row keep;      /* the row to select when it is done */
	bool have_keep;
	/* where Esc / an empty filter returns */
	struct rowid pre, landed;
	bool have_pre;
	char path[4096];         /* history file, "" if none */
};

static struct filterbar *
fb(struct ui *u)
{
	if (!u->fb)
		u->fb = xcalloc(1, sizeof *u->fb);
	return u->fb;
}

/* ---- history ------------------------------------------------------------ */

static bool
mkdirs(const char *dir)
{
	char p[4096];
	snprintf(p, sizeof p, "%s", dir);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = 0;
		if (mkdir(p, 0700) != 0 && errno != EEXIST)
			return false;
		*s = '/';
	}
	return mkdir(p, 0700) == 0 || errno == EEXIST;
}

static void
hist_push(struct ui *u, const char *s)
{
	int k = PR_FILTER;
	if (u->nhist[k] && strcmp(u->hist[k][u->nhist[k] - 1], s) == 0)
		return;
	if (u->nhist[k] == HIST_MAX) {
		free(u->hist[k][0]);
		memmove(&u->hist[k][0], &u->hist[k][1], (HIST_MAX - 1) * sizeof(char *));
		u->nhist[k]--;
	}
	u->hist[k][u->nhist[k]++] = xstrdup(s);
}

void
fb_init(struct ui *u)
{
	struct filterbar *b = fb(u);
	const char *x = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	if (x && *x == '/')
		snprintf(b->path, sizeof b->path, "%s/tracewb/filter-history", x);
	else if (home && *home == '/')
		snprintf(b->path, sizeof b->path, "%s/.local/state/tracewb/filter-history", home);
	else
		return;
	FILE *f = fopen(b->path, "r");
	if (!f)
		return;
	char line[300];
	size_t n = 0;
	while (fgets(line, sizeof line, f)) {
		size_t l = strcspn(line, "\r\n");
		if (line[l] == 0 && l == sizeof line - 1)
			continue; /* too long: not ours */
		line[l] = 0;
		if (line[0] && l < sizeof b->text) {
			hist_push(u, line);
			n++;
		}
	}
	fclose(f);
	if (n > 4 * HIST_MAX) {
		/* keep the file short: the last HIST_MAX */
		f = fopen(b->path, "w");
		if (f) {
			for (int i = 0; i < u->nhist[PR_FILTER]; i++)
				fprintf(f, "%s\n", u->hist[PR_FILTER][i]);
			fclose(f);
		}
	}
}

static void
hist_save(struct ui *u, const char *s)
{
	struct filterbar *b = fb(u);
	int k = PR_FILTER;
	bool same = u->nhist[k] && strcmp(u->hist[k][u->nhist[k] - 1], s) == 0;
	hist_push(u, s);
	if (same || !b->path[0])
		return;
	char dir[4096];
	snprintf(dir, sizeof dir, "%s", b->path);
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = 0;
	if (!mkdirs(dir))
		return;
	FILE *f = fopen(b->path, "a");
	if (f) {
		fprintf(f, "%s\n", s);
		fclose(f);
	}
}

/* ---- the prompt --------------------------------------------------------- */

void
fb_edited(struct ui *u)
{
	struct filterbar *b = fb(u);
	if (b->compiled && strcmp(b->text, u->pbuf) == 0)
		return;
	snprintf(b->text, sizeof b->text, "%s", u->pbuf);
	filter_free(b->edit);
	b->edit = NULL;
	memset(&b->err, 0, sizeof b->err);
	b->compiled = true;
	const char *p = b->text;
	while (*p == ' ')
		p++;
	if (*p)
		b->edit = filter_compile(b->text, &b->err);
}

/* Display columns of the first n bytes of s, as the prompt shows them (escaped). */
static int
cols_of(const char *s, size_t n)
{
	char *e = tw_escape_dup(s, n);
	int w = draw_width(e);
	free(e);
	return w;
}

void
fb_draw_prompt(struct ui *u, const struct ui_rect *hints, const struct ui_rect *status)
{
	struct filterbar *b = fb(u);
	fb_edited(u);
	static const char label[] = "filter: ";
	bool empty = !b->edit && !b->err.msg[0];
	bool bad = !b->edit && !empty;
	/* The expression on the hint line and the caret under it on the status line; one line without hints. */
	const struct ui_rect *pr = hints->h ? hints : status;
	int lw = (int)strlen(label);
	char *safe = tw_escape_dup(b->text, strlen(b->text));
	int ew = draw_width(safe);
	int room = pr->w - lw - 1;
	int skip = ew > room ? ew - room : 0;
	draw_text(pr->y, pr->x, pr->w, label, theme_attr(ROLE_PROMPT), 0, false);
	int role = empty ? ROLE_NORMAL : bad ? ROLE_BADGE_ERROR : ROLE_BADGE_OK;
	int w = draw_text(pr->y, pr->x + lw, pr->w - lw, safe, theme_attr(role), skip, false);
	draw_fill(pr->y, pr->x + lw + w, pr->w - lw - w, theme_attr(ROLE_NORMAL));
	int cx = pr->x + lw + w;
	free(safe);
	if (pr != status) {
		struct tw_sb sb;
		sb_heap(&sb);
		int col = 0;
		if (bad) {
			size_t len = strlen(b->text);
			size_t pos = b->err.pos < len ? b->err.pos : len;
			col = lw + cols_of(b->text, pos) - skip;
			if (col < lw)
				col = lw;
			int tw = pos < len && b->err.len > 1 && pos + b->err.len <= len ? cols_of(b->text + pos, b->err.len) : 1;
			char *msg = tw_escape_dup(b->err.msg, strlen(b->err.msg));
			int mw = draw_width(msg);
			char at[32];
			snprintf(at, sizeof at, "col %zu: ", pos + 1);
			int aw = (int)strlen(at);
			/* the caret stays under the token; the message goes where it fits best */
			if (col + tw + 1 + aw + mw > status->w) {
				tw = 1;
				at[0] = 0;
				aw = 0;
			}
			if (col + tw + 1 + mw > status->w && mw + 2 <= col) {
				sb_adds(&sb, msg);
				for (int i = mw; i < col; i++)
					sb_addc(&sb, ' ');
				sb_addc(&sb, '^');
			} else {
				for (int i = 0; i < col; i++)
					sb_addc(&sb, ' ');
				sb_addc(&sb, '^');
				for (int i = 1; i < tw; i++)
					sb_addc(&sb, '~');
				sb_addc(&sb, ' ');
				sb_adds(&sb, at);
				sb_adds(&sb, msg);
			}
			free(msg);
		} else if (b->edit) {
			sb_adds(&sb, "valid: Enter filters, Esc cancels, Up/Down history, Ctrl-U erases");
		} else {
			sb_adds(&sb, "Enter on an empty filter shows every row; e.g. tls.handshake.type == 11");
		}
		draw_text(status->y, status->x, status->w, sb.s, theme_attr(bad ? ROLE_MESSAGE : ROLE_HINTS), 0, true);
		sb_free(&sb);
	} else if (bad) {
		/* no hint line: the message after the expression */
		char m[260];
		snprintf(m, sizeof m, "  col %zu: %s", b->err.pos + 1, b->err.msg);
		char *sm = tw_escape_dup(m, strlen(m));
		int used = lw + w;
		if (used < pr->w)
			draw_text(pr->y, pr->x + used, pr->w - used, sm, theme_attr(ROLE_MESSAGE), 0, true);
		free(sm);
	}
	move(pr->y, cx < pr->x + pr->w ? cx : pr->x + pr->w - 1);
	curs_set(1);
}

/* ---- runs ----------------------------------------------------------------- */

static void
run_drop(struct filterbar *b)
{
	filter_run_free(b->run);
	b->run = NULL;
	filter_ctx_free(b->cx);
	b->cx = NULL;
	analysis_free(b->an);
	b->an = NULL;
	free(b->pmask);
	b->pmask = NULL;
	filter_free(b->pending);
	b->pending = NULL;
}

static struct rowid
cur_id(struct ui *u)
{
	if (!ui_nrows(u))
		return (struct rowid){ UINT16_MAX, UINT32_MAX };
	const struct tw_row *r = &u->tl->rows[ui_row(u, u->cur)];
	return (struct rowid){ r->src, r->idx };
}

static void
run_start(struct ui *u)
{
	struct filterbar *b = fb(u);
	const struct tw_timeline *tl = u->tl;
	unsigned needs = filter_needs(b->pending);
	const struct tw_links *ls = u->have_links ? &u->links : NULL;
	if (needs & FILTER_NEEDS_FINDINGS) {
		/* finding: the diagnosis --check makes (its own links) */
		struct analyze_opts ao;
		analyze_opts_init(&ao);
		b->an = analyze(tl, &ao);
		certs_diagnose(b->an);
		ls = &b->an->links;
	}
	b->cx = needs ? filter_ctx_new(tl, ls, b->an) : NULL;
	b->run = filter_run_new(b->pending, b->cx, tl);
	b->pmask = xcalloc(tl->n ? tl->n : 1, 1);
	b->next = 0;
	b->matched = 0;
	fb_step(u);
}

static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
run_done(struct ui *u)
{
	struct filterbar *b = fb(u);
	filter_free(b->f);
	free(b->mask);
	b->f = b->pending;
	b->pending = NULL;
	b->mask = b->pmask;
	b->pmask = NULL;
	b->nmask = u->tl->n;
	size_t matched = b->matched;
	run_drop(b);
	snprintf(u->filter, sizeof u->filter, "%s", filter_text(b->f));
	ui_refilter(u, b->have_keep ? &b->keep : NULL);
	b->landed = cur_id(u);
	if (!matched)
		snprintf(u->msg, sizeof u->msg, "no row matches the filter");
	else
		snprintf(u->msg, sizeof u->msg, "%zu of %zu rows match", matched, u->tl->n);
}

void
fb_step(struct ui *u)
{
	struct filterbar *b = fb(u);
	if (!b->run)
		return;
	size_t n = u->tl->n;
	double t0 = now();
	while (b->next < n) {
		size_t to = b->next + 512 < n ? b->next + 512 : n;
		b->matched += filter_run_rows(b->run, b->next, to, b->pmask);
		b->next = to;
		if (now() - t0 > 0.025)
			break;
	}
	if (b->next >= n)
		run_done(u);
}

bool
fb_busy(const struct ui *u)
{
	return u->fb && u->fb->run;
}

void
fb_loaded(struct ui *u)
{
	struct filterbar *b = fb(u);
	if (b->pending && !b->run)
		run_start(u);
}

void
fb_status(const struct ui *u, struct tw_sb *sb)
{
	const struct filterbar *b = u->fb;
	if (!b || !b->pending)
		return;
	char *safe = tw_escape_dup(filter_text(b->pending), strlen(filter_text(b->pending)));
	if (b->run)
		sb_addf(sb, " | filtering %u%% (Esc stops): %s",
		        u->tl->n ? (unsigned)(b->next * 100 / u->tl->n) : 100, safe);
	else
		sb_addf(sb, " | filter after loading: %s", safe);
	free(safe);
}

bool
fb_submit(struct ui *u)
{
	struct filterbar *b = fb(u);
	fb_edited(u);
	if (!b->edit && b->err.msg[0]) {
		snprintf(u->msg, sizeof u->msg, "invalid filter: see the caret");
		return false;
	}
	if (!b->edit) {
		fb_clear(u, true);
		return true;
	}
	hist_save(u, b->text);
	run_drop(b);
	/* the compiled prompt becomes the pending filter */
	b->pending = b->edit;
	b->edit = NULL;
	b->compiled = false;
	if (!b->f || !b->have_pre) {
		b->pre = cur_id(u);
		b->have_pre = b->pre.src != UINT16_MAX;
	}
	b->have_keep = ui_nrows(u) > 0;
	if (b->have_keep)
		b->keep = u->tl->rows[ui_row(u, u->cur)];
	if (u->loading) {
		snprintf(u->msg, sizeof u->msg, "the filter runs when loading is done");
		return true;
	}
	run_start(u);
	return true;
}

void
fb_clear(struct ui *u, bool restore)
{
	struct filterbar *b = fb(u);
	run_drop(b);
	bool had = b->f != NULL;
	filter_free(b->f);
	b->f = NULL;
	free(b->mask);
	b->mask = NULL;
	b->nmask = 0;
	u->filter[0] = 0;
	if (!had) {
		b->have_pre = false;
		return;
	}
	struct rowid c = cur_id(u);
	struct rowid to = c;
	if (restore && b->have_pre && c.src == b->landed.src && c.idx == b->landed.idx)
		to = b->pre;
	b->have_pre = false;
	struct tw_row k = { to.src, 0, to.idx };
	bool any = to.src != UINT16_MAX;
	if (any && to.src < u->tl->nsrc)
		k.kind = u->tl->src[to.src].kind;
	ui_refilter(u, any ? &k : NULL);
	snprintf(u->msg, sizeof u->msg, "filter cleared");
}

bool
fb_escape(struct ui *u)
{
	struct filterbar *b = u->fb;
	if (!b)
		return false;
	if (b->pending) {
		run_drop(b);
		snprintf(u->msg, sizeof u->msg, "filter stopped");
		return true;
	}
	if (b->f) {
		fb_clear(u, true);
		return true;
	}
	return false;
}

bool
fb_active(const struct ui *u)
{
	return u->fb && u->fb->f && u->fb->mask;
}

bool
fb_row_ok(const struct ui *u, size_t row)
{
	const struct filterbar *b = u->fb;
	return b && b->mask && row < b->nmask && b->mask[row];
}

void
fb_free(struct ui *u)
{
	struct filterbar *b = u->fb;
	if (!b)
		return;
	run_drop(b);
	filter_free(b->edit);
	filter_free(b->f);
	free(b->mask);
	free(b);
	u->fb = NULL;
}
