/*
 * warnings.c - load warnings in the workbench. Warnings printed before the
 * screen starts are wiped by curses, and a capture indexed from the event
 * loop finds its problems (a cut file, a bad block) long after the first
 * screen: both are gathered here as they arrive, announced on the status
 * bar, and listed full screen by `!` (the follow-stream viewer).
 */
#include "ui/draw.h"
#include "ui/keymap.h"
#include "ui/theme.h"
#include "ui/ui_int.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

static void
warn_add(struct ui *u, size_t s, const char *text)
{
	const char *name = timeline_source_name(u->tl, s);
	struct tw_sb sb;
	sb_heap(&sb);
	if (u->tl->nsrc > 1) {
		sb_addc(&sb, u->tl->src[s].letter);
		sb_addc(&sb, ':');
	}
	sb_add_escaped(&sb, name, strlen(name));
	sb_adds(&sb, ": ");
	/* the text may quote the file: escaped where built; escape controls again to be sure */
	for (const char *p = text; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			sb_addf(&sb, "\\x%02x", (unsigned char)*p);
		else
			sb_addc(&sb, *p);
	u->warn = xreallocarray(u->warn, u->nwarn + 1, sizeof *u->warn);
	u->warn[u->nwarn++] = xstrndup(sb.s, sb.len);
	sb_free(&sb);
}

void
warnings_collect(struct ui *u)
{
	const struct tw_timeline *tl = u->tl;
	if (u->nwarn_seen < tl->nsrc) {
		u->warn_seen = xreallocarray(u->warn_seen, tl->nsrc, sizeof *u->warn_seen);
		memset(u->warn_seen + u->nwarn_seen, 0, (tl->nsrc - u->nwarn_seen) * sizeof *u->warn_seen);
		u->nwarn_seen = tl->nsrc;
	}
	size_t before = u->nwarn;
	for (size_t s = 0; s < tl->nsrc; s++) {
		const char *w;
		while ((w = tl->src[s].cap ? capture_warning(tl->src[s].cap, u->warn_seen[s])
		                           : tl->src[s].ev ? events_warning(tl->src[s].ev, u->warn_seen[s]) : NULL)) {
			warn_add(u, s, w);
			u->warn_seen[s]++;
		}
	}
	if (u->nwarn > before) {
		char k[32] = "!";
		int key = keymap_key_for(ACT_WARNINGS);
		if (key >= 0)
			keymap_key_name(key, k, sizeof k);
		snprintf(u->msg, sizeof u->msg, "%zu new load warning%s (%s lists them)", u->nwarn - before,
		         u->nwarn - before == 1 ? "" : "s", k);
	}
}

void
warnings_show(struct ui *u)
{
	struct ui_stream *sv = &u->stream;
	stream_free(sv);
	char line[96];
	snprintf(line, sizeof line, "Load warnings: %zu%s", u->nwarn, u->loading ? " so far (still loading)" : "");
	stream_add(sv, ROLE_TITLE, line);
	/* wrapped at word boundaries to the screen width (the viewer does not wrap) */
	int w = COLS > 20 ? COLS - 4 : 16;
	for (size_t i = 0; i < u->nwarn; i++) {
		const char *p = u->warn[i];
		bool first = true;
		while (*p) {
			size_t len = strlen(p), take = len;
			if ((int)len > w) {
				take = (size_t)w;
				while (take > (size_t)w / 2 && p[take] != ' ')
					take--;
				if (p[take] != ' ')
					take = (size_t)w;
			}
			char wl[512];
			snprintf(wl, sizeof wl, "%s%.*s", first ? "" : "    ", (int)take, p);
			stream_add(sv, ROLE_TREE_WARN, wl);
			p += take;
			while (*p == ' ')
				p++;
			first = false;
		}
	}
	if (!u->nwarn)
		stream_add(sv, ROLE_NORMAL, "    (none: every file loaded cleanly)");
	stream_add(sv, ROLE_TREE_GEN, "(end of list; Esc or q closes)");
	sv->on = true;
}

void
warnings_free(struct ui *u)
{
	for (size_t i = 0; i < u->nwarn; i++)
		free(u->warn[i]);
	free(u->warn);
	free(u->warn_seen);
	u->warn = NULL;
	u->warn_seen = NULL;
	u->nwarn = u->nwarn_seen = 0;
}
