/*
 * pane_list.c - the timeline list: frames and events interleaved, virtual
 * rows (summaries are computed only for rows drawn or searched, kept in a
 * small direct-mapped cache), severity colouring, marks, horizontal scroll.
 */
#include "ui/draw.h"
#include "ui/theme.h"
#include "ui/ui.h"
#include "ui/ui_int.h"

#include <stdio.h>
#include <string.h>

size_t
ui_nrows(const struct ui *u)
{
	return u->disp ? u->ndisp : u->tl->n;
}

size_t
ui_row(const struct ui *u, size_t i)
{
	return u->disp ? u->disp[i] : i;
}

void
ui_cache_clear(struct ui *u)
{
	for (size_t i = 0; i < ROWCACHE; i++)
		u->cache[i].row = SIZE_MAX;
}

static uint8_t
level_sev(unsigned level)
{
	return level == EV_LEVEL_CRITICAL || level == EV_LEVEL_ERROR ? TW_SEV_ERROR
	       : level == EV_LEVEL_WARNING                          ? TW_SEV_WARN
	                                                            : TW_SEV_NONE;
}

const struct rowsum *
ui_rowsum(struct ui *u, size_t row)
{
	struct rowsum *rs = &u->cache[row % ROWCACHE];
	if (rs->row == row)
		return rs;
	if (!rs->text.s)
		sb_heap(&rs->text);
	sb_reset(&rs->text);
	rs->row = row;
	const struct tw_row *r = &u->tl->rows[row];
	const struct tw_source_ref *s = &u->tl->src[r->src];
	size_t off[5];
	rs->kind = s->kind;
	if (s->kind == ROW_EVENT) {
		const struct tw_event *e = events_get(s->ev, r->idx);
		size_t l;
		const char *p;
		off[0] = rs->text.len;
		if ((p = events_str(s->ev, e->computer, &l)))
			sb_add_escaped(&rs->text, p, l);
		sb_addc(&rs->text, 0);
		off[1] = rs->text.len;
		if ((p = events_str(s->ev, e->channel, &l)))
			sb_add_escaped(&rs->text, p, l);
		sb_addc(&rs->text, 0);
		off[2] = rs->text.len;
		sb_adds(&rs->text, "EVENT");
		sb_addc(&rs->text, 0);
		off[3] = rs->text.len;
		sb_addc(&rs->text, 0);
		off[4] = rs->text.len;
		event_info(&rs->text, s->ev, e);
		sb_addc(&rs->text, 0);
		rs->level = e->level;
		rs->sev = level_sev(e->level);
	} else {
		capture_dissect(s->cap, r->idx, &u->sdc, &u->stree);
		const struct tw_pinfo *pi = &u->sdc.pi;
		off[0] = rs->text.len;
		addr_format(&rs->text, pi->net_src.type ? &pi->net_src : &pi->dl_src);
		sb_addc(&rs->text, 0);
		off[1] = rs->text.len;
		addr_format(&rs->text, pi->net_dst.type ? &pi->net_dst : &pi->dl_dst);
		sb_addc(&rs->text, 0);
		off[2] = rs->text.len;
		sb_adds(&rs->text, pi->proto ? pi->proto : "");
		sb_addc(&rs->text, 0);
		off[3] = rs->text.len;
		sb_addu(&rs->text, capture_frame(s->cap, r->idx)->len);
		sb_addc(&rs->text, 0);
		off[4] = rs->text.len;
		sb_addn(&rs->text, pi->info.s, pi->info.len);
		sb_addc(&rs->text, 0);
		rs->sev = u->stree.max_sev;
		rs->level = 0;
	}
	for (int i = 0; i < 5; i++)
		rs->col[i] = rs->text.s + off[i];
	u->sev[row] = rs->sev;
	return rs;
}

uint8_t
ui_row_sev(struct ui *u, size_t row)
{
	if (u->sev[row] == SEV_UNKNOWN) {
		const struct tw_row *r = &u->tl->rows[row];
		const struct tw_source_ref *s = &u->tl->src[r->src];
		if (s->kind == ROW_EVENT) {
			u->sev[row] = level_sev(events_get(s->ev, r->idx)->level);
		} else {
			capture_dissect(s->cap, r->idx, &u->sdc, &u->stree);
			u->sev[row] = u->stree.max_sev;
		}
	}
	return u->sev[row];
}

static const char *const tf_names[UTF_COUNT_] = { "UTC", "local", "relative", "delta", "ref" };

const char *
ui_tf_name(const struct ui *u)
{
	return tf_names[u->tf];
}

static int
row_digits(const struct tw_source_ref *s)
{
	return s->kind == ROW_EVENT ? events_ts_digits(s->ev) : capture_ts_digits(s->cap);
}

void
ui_time_text(struct ui *u, size_t row, struct tw_sb *sb)
{
	const struct tw_timeline *tl = u->tl;
	const struct tw_row *r = &tl->rows[row];
	tw_time t = timeline_row_time(tl, r);
	tw_time first = tl->n ? timeline_row_time(tl, &tl->rows[0]) : 0;
	tw_time prev = row ? timeline_row_time(tl, &tl->rows[row - 1]) : t;
	int digits = row_digits(&tl->src[r->src]);
	switch (u->tf) {
	case UTF_UTC:
		timefmt_format(sb, TF_UTC, t, first, prev, prev, digits);
		break;
	case UTF_LOCAL:
		timefmt_format(sb, TF_ABS, t, first, prev, prev, digits);
		break;
	case UTF_REL:
		timefmt_format(sb, TF_REL, t, first, prev, prev, digits);
		break;
	case UTF_DELTA:
		timefmt_format(sb, TF_DELTA, t, first, prev, prev, digits);
		break;
	default: {
		tw_time ref = u->ref_row < tl->n ? timeline_row_time(tl, &tl->rows[u->ref_row]) : first;
		timefmt_format(sb, TF_REL, t, ref, prev, prev, digits);
		break;
	}
	}
}

bool
ui_is_marked(const struct ui *u, size_t row)
{
	const struct tw_row *r = &u->tl->rows[row];
	for (size_t i = 0; i < u->nmarks; i++)
		if (u->marks[i].src == r->src && u->marks[i].idx == r->idx)
			return true;
	return false;
}

static int
row_role(const struct rowsum *rs)
{
	if (rs->kind == ROW_EVENT)
		return rs->sev == TW_SEV_ERROR ? ROLE_EVENT_ERROR : rs->sev == TW_SEV_WARN ? ROLE_EVENT_WARN : ROLE_EVENT;
	return rs->sev == TW_SEV_ERROR ? ROLE_ROW_ERROR : rs->sev == TW_SEV_WARN ? ROLE_ROW_WARN
	       : rs->sev == TW_SEV_NOTE                                       ? ROLE_ROW_NOTE
	                                                                      : ROLE_NORMAL;
}

/* pad s on the left (right=false) or right to w columns into sb */
static void
cell(struct tw_sb *sb, const char *s, int w, bool right)
{
	int sw = draw_width(s);
	if (right)
		for (int i = sw; i < w; i++)
			sb_addc(sb, ' ');
	if (sw > w) { /* clip (addresses are ASCII) */
		sb_addn(sb, s, (size_t)(w > 1 ? w - 1 : 0));
		sb_adds(sb, draw_glyph(GL_MORE));
	} else {
		sb_adds(sb, s);
	}
	if (!right)
		for (int i = sw; i < w; i++)
			sb_addc(sb, ' ');
	sb_addc(sb, ' ');
}

/* Text of column id for a row (time into tbuf). */
static const char *
col_text(struct ui *u, size_t row, const struct rowsum *rs, int id, char *nb, size_t nbn, struct tw_sb *t)
{
	switch (id) {
	case COL_NO:
		snprintf(nb, nbn, "%u", u->tl->rows[row].idx + 1);
		return nb;
	case COL_TIME:
		ui_time_text(u, row, t);
		return t->s;
	case COL_SRC:
		return rs->col[0];
	case COL_DST:
		return rs->col[1];
	case COL_PROTO:
		return rs->col[2];
	case COL_LEN:
		return rs->col[3];
	default:
		return rs->col[4];
	}
}

void
list_draw(struct ui *u, const struct ui_rect *r, bool focused)
{
	if (!r->h)
		return;
	int body = r->h - 1; /* header line */
	size_t n = ui_nrows(u);
	if (u->cur < u->top)
		u->top = u->cur;
	if (body > 0 && u->cur >= u->top + (size_t)body)
		u->top = u->cur - (size_t)body + 1;
	struct ui_columns cs;
	columns_effective(&u->cols, r->w, &cs);
	/* column widths: configured, else over the visible rows */
	bool multi = u->tl->nsrc > 1;
	int addrcap = r->w >= 120 ? 39 : r->w >= 100 ? 22 : 15;
	int w[COL_MAX];
	char tbuf[64], nb[16];
	struct tw_sb t;
	for (int c = 0; c < cs.n; c++) {
		int id = cs.id[c];
		w[c] = cs.width[c];
		if (w[c] || id == COL_INFO)
			continue;
		w[c] = draw_width(columns_title(id));
		if (id == COL_SRC || id == COL_DST)
			w[c] = id == COL_SRC ? 6 : 11;
		for (int i = 0; i < body && u->top + (size_t)i < n; i++) {
			size_t row = ui_row(u, u->top + (size_t)i);
			const struct rowsum *rs = ui_rowsum(u, row);
			sb_fixed(&t, tbuf, sizeof tbuf);
			int cw = draw_width(col_text(u, row, rs, id, nb, sizeof nb, &t)); /* once: TW_MAX evaluates twice */
			w[c] = TW_MAX(w[c], cw);
		}
		if (id == COL_SRC || id == COL_DST)
			w[c] = TW_MIN(w[c], addrcap);
		else if (id == COL_PROTO)
			w[c] = TW_MIN(w[c], 8);
	}
	struct tw_sb line;
	sb_heap(&line);
	sb_adds(&line, " ");
	if (multi)
		sb_adds(&line, "S ");
	int info_x = -1, info_c = -1;
	for (int c = 0; c < cs.n; c++) {
		if (cs.id[c] == COL_INFO) {
			info_x = draw_width(line.s);
			info_c = c;
			sb_adds(&line, "Info");
			break;
		}
		cell(&line, columns_title(cs.id[c]), w[c], cs.id[c] == COL_NO || cs.id[c] == COL_LEN);
	}
	if (info_x < 0)
		info_x = draw_width(line.s);
	draw_text(r->y, r->x, r->w, line.s, theme_attr(focused ? ROLE_TITLE_ACTIVE : ROLE_HEADER), 0, true);
	for (int i = 0; i < body; i++) {
		int y = r->y + 1 + i;
		size_t di = u->top + (size_t)i;
		if (di >= n) {
			draw_fill(y, r->x, r->w, theme_attr(ROLE_NORMAL));
			continue;
		}
		size_t row = ui_row(u, di);
		const struct rowsum *rs = ui_rowsum(u, row);
		const struct tw_row *tr = &u->tl->rows[row];
		sb_reset(&line);
		bool marked = ui_is_marked(u, row);
		sb_adds(&line, marked ? draw_glyph(GL_MARK) : rs->sev == TW_SEV_ERROR ? "!" : rs->sev == TW_SEV_WARN ? "~" : " ");
		if (multi) {
			sb_addc(&line, u->tl->src[tr->src].letter);
			sb_addc(&line, ' ');
		}
		for (int c = 0; c < cs.n && c != info_c; c++) {
			sb_fixed(&t, tbuf, sizeof tbuf);
			cell(&line, col_text(u, row, rs, cs.id[c], nb, sizeof nb, &t), w[c],
			     cs.id[c] == COL_NO || cs.id[c] == COL_LEN);
		}
		unsigned long attr;
		if (di == u->cur)
			attr = theme_attr(focused ? ROLE_CURSOR : ROLE_CURSOR_DIM);
		else
			attr = theme_attr(row_role(rs));
		if (marked && di != u->cur)
			attr = theme_attr(ROLE_MARK);
		int used = draw_text(y, r->x, TW_MIN(info_x, r->w), line.s, attr, 0, true);
		if (used < r->w)
			draw_text(y, r->x + used, r->w - used, info_c >= 0 ? rs->col[4] : "", attr,
			          info_c >= 0 ? u->hscroll : 0, true);
	}
	sb_free(&line);
}
