/*
 * pane_side.c - the tabbed pane: hex (one sub-tab per data source, the
 * selected node's bytes highlighted), certificate chain, event detail.
 */
#include "core/field.h"
#include "ui/actions.h"
#include "ui/draw.h"
#include "ui/theme.h"
#include "ui/ui.h"
#include "ui/ui_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const tab_names[TAB_COUNT_] = { "Hex", "Certificates", "Event" };

/* Lines of the side pane for the current tab, built on demand. */
struct lines {
	struct tw_sb *l;
	int *role;
	size_t n, cap;
};

static void
add_line(struct lines *ls, int role, const char *fmt, ...) TW_PRINTF(3, 4);

static void
add_line(struct lines *ls, int role, const char *fmt, ...)
{
	if (ls->n == ls->cap) {
		ls->cap = ls->cap ? ls->cap * 2 : 64;
		ls->l = xreallocarray(ls->l, ls->cap, sizeof *ls->l);
		ls->role = xreallocarray(ls->role, ls->cap, sizeof *ls->role);
	}
	sb_heap(&ls->l[ls->n]);
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(&ls->l[ls->n], fmt, ap);
	va_end(ap);
	ls->role[ls->n++] = role;
}

static void
lines_free(struct lines *ls)
{
	for (size_t i = 0; i < ls->n; i++)
		sb_free(&ls->l[i]);
	free(ls->l);
	free(ls->role);
}

static uint8_t
node_max_sev(const struct tw_node *n)
{
	uint8_t m = n->sev;
	for (const struct tw_node *c = n->child; c; c = c->next) {
		uint8_t k = node_max_sev(c);
		if (k > m)
			m = k;
	}
	return m;
}

static int
sev_role(uint8_t sev)
{
	return sev == TW_SEV_ERROR ? ROLE_TREE_ERROR : sev == TW_SEV_WARN ? ROLE_TREE_WARN : sev == TW_SEV_NOTE ? ROLE_TREE_NOTE : ROLE_NORMAL;
}

/* A subtree as indented lines (everything open). */
static void
subtree_lines(struct lines *ls, const struct tw_node *first, int depth, int maxdepth)
{
	struct tw_sb sb;
	sb_heap(&sb);
	for (const struct tw_node *n = first; n; n = n->next) {
		if (n->flags & TW_NF_HIDDEN)
			continue;
		sb_reset(&sb);
		ui_node_text(&sb, n);
		add_line(ls, sev_role(n->sev), "%*s%s", depth * 2, "", sb.s);
		if (n->child && depth < maxdepth)
			subtree_lines(ls, n->child, depth + 1, maxdepth);
	}
	sb_free(&sb);
}

static void
event_lines(struct ui *u, struct lines *ls)
{
	if (u->tree_row == SIZE_MAX || u->tl->rows[u->tree_row].kind != ROW_EVENT) {
		add_line(ls, ROLE_NORMAL, "The selected row is a frame. Select an event row (EVENT in the Proto column) to see all its fields and the code explanations here.");
		return;
	}
	subtree_lines(ls, u->tree.root->child, 0, 16);
	add_line(ls, ROLE_NORMAL, "%s", "");
	if (!u->have_links) {
		add_line(ls, ROLE_TREE_GEN, "Correlated handshake: computed when loading is done.");
		return;
	}
	const struct tw_link *l = links_of_event(&u->links, (uint32_t)u->tree_row);
	if (!l) {
		add_line(ls, ROLE_TREE_GEN, "Correlated handshake: none (no handshake scored as a candidate).");
		return;
	}
	const struct tw_row *b = &u->tl->rows[l->b];
	add_line(ls, ROLE_TITLE, "Correlated handshake: frame %c:%u, confidence %u%s (c jumps there)",
	         u->tl->src[b->src].letter, b->idx + 1, l->confidence,
	         l->candidates > 1 ? ", one of several candidates" : "");
	add_line(ls, ROLE_NORMAL, "  %s", l->reason);
}

/* ---- certificates ----------------------------------------------------- */

static struct tw_node *
find_certs(struct tw_tree *t)
{
	return t->root ? node_find_abbrev(t->root, "tls.handshake.certificates") : NULL;
}

/* The selected frame carries a Certificate message with a warning or error in it. */
bool
side_row_cert_findings(struct ui *u)
{
	struct tw_node *certs = u->tree_row != SIZE_MAX && u->tree_row < u->tl->n &&
	                                u->tl->rows[u->tree_row].kind == ROW_FRAME
	                        ? find_certs(&u->tree)
	                        : NULL;
	return certs && node_max_sev(certs) >= TW_SEV_WARN;
}

static void
cert_lines(struct ui *u, struct lines *ls)
{
	if (u->tree_row == SIZE_MAX || u->tl->rows[u->tree_row].kind != ROW_FRAME) {
		add_line(ls, ROLE_NORMAL, "The selected row is an event: no certificates.");
		return;
	}
	const struct tw_row *r = &u->tl->rows[u->tree_row];
	struct tw_capture *cap = u->tl->src[r->src].cap;
	struct tw_tree *t = &u->tree;
	uint32_t at = r->idx;
	struct tw_node *certs = find_certs(t);
	struct tw_tree other;
	struct tw_dctx odc;
	bool used_other = false;
	if (!certs) {
		/* The connection's Certificate message: search the same connection nearby. */
		uint32_t conv = capture_frame(cap, r->idx)->conv;
		if (conv != CONV_NONE) {
			tree_init(&other, true);
			memset(&odc, 0, sizeof odc);
			used_other = true;
			uint32_t n = capture_count(cap);
			uint32_t lo = r->idx > 5000 ? r->idx - 5000 : 0, hi = TW_MIN(n, r->idx + 5000);
			for (uint32_t i = lo; i < hi && !certs; i++) {
				if (i == r->idx || capture_frame(cap, i)->conv != conv)
					continue;
				capture_dissect(cap, i, &odc, &other);
				if ((certs = find_certs(&other)))
					at = i;
			}
		}
	}
	if (!certs) {
		add_line(ls, ROLE_NORMAL, "No Certificate message in this frame's connection.");
		if (used_other)
			tree_free(&other);
		return;
	}
	add_line(ls, ROLE_TITLE, "Chain from frame %u, leaf first", at + 1);
	bool checked = node_find_abbrev(certs, "cert.facts") != NULL;
	if (!checked)
		add_line(ls, ROLE_TREE_GEN, "(no checks yet: they come with the certificate module)");
	struct tw_sb sb;
	sb_heap(&sb);
	/* the chain's verdict and chain-wide findings */
	for (const struct tw_node *d = certs->child; d; d = d->next) {
		if (!d->f || (strncmp(d->f->abbrev, "cert.", 5) != 0))
			continue;
		sb_reset(&sb);
		ui_node_text(&sb, d);
		add_line(ls, sev_role(node_max_sev(d)), "%s", sb.s);
		for (const struct tw_node *e = d->child; e; e = e->next)
			if (e->flags & TW_NF_EXPERT) {
				sb_reset(&sb);
				ui_node_text(&sb, e);
				add_line(ls, sev_role(e->sev), "  %s", sb.s);
			}
	}
	/* pass 0: one line per certificate with its badge; pass 1: the details */
	for (int pass = 0; pass < 2; pass++) {
	unsigned k = 0;
	if (pass == 1)
		add_line(ls, ROLE_NORMAL, "%s", "");
	for (const struct tw_node *c = certs->child; c; c = c->next) {
		if (!c->f || strcmp(c->f->abbrev, "tls.handshake.certificate") != 0)
			continue;
		k++;
		sb_reset(&sb);
		ui_node_text(&sb, c);
		const char *subj = strstr(sb.s, "): ");
		uint8_t sev = node_max_sev(c);
		const char *badge = !checked ? "" : sev == TW_SEV_ERROR ? "[ERROR] " : sev == TW_SEV_WARN ? "[WARN] "
		                                  : sev == TW_SEV_NOTE ? "[note] " : "[ok] ";
		int role = sev == TW_SEV_ERROR ? ROLE_BADGE_ERROR : sev == TW_SEV_WARN ? ROLE_BADGE_WARN
		           : checked ? ROLE_BADGE_OK : ROLE_TITLE;
		add_line(ls, role, "%u%s %s%s", k, k == 1 ? " leaf:" : ":", badge, subj ? subj + 3 : sb.s);
		if (pass == 0)
			continue;
		/* findings first, then issuer and facts */
		for (const struct tw_node *d = c->child; d; d = d->next)
			if (d->flags & TW_NF_EXPERT) {
				sb_reset(&sb);
				ui_node_text(&sb, d);
				add_line(ls, sev_role(d->sev), "  %s", sb.s);
			}
		const struct tw_node *iss = node_find_abbrev(c, "x509af.issuer");
		if (iss) {
			sb_reset(&sb);
			ui_node_text(&sb, iss);
			add_line(ls, ROLE_NORMAL, "  %s", sb.s);
		}
		const struct tw_node *facts = node_find_abbrev(c, "cert.facts");
		if (facts) {
			for (const struct tw_node *d = facts->child; d; d = d->next) {
				if (d->flags & TW_NF_HIDDEN)
					continue;
				sb_reset(&sb);
				ui_node_text(&sb, d);
				if (strncmp(sb.s, "[SHA-", 5) == 0)
					continue; /* fingerprints: in the tree */
				add_line(ls, sev_role(d->sev), "  %s", sb.s);
			}
		}
	}
	}
	sb_free(&sb);
	if (!checked) {
		add_line(ls, ROLE_NORMAL, "%s", "");
		add_line(ls, ROLE_TREE_GEN, "Validity, signature algorithm, key and chain checks, with a badge per finding, come with the certificate module.");
	}
	if (used_other)
		tree_free(&other);
}

/* ---- hex -------------------------------------------------------------- */

static void
hex_draw(struct ui *u, const struct ui_rect *r, int y0, int h)
{
	struct tw_tree *t = &u->tree;
	if (u->tree_row == SIZE_MAX || u->tl->rows[u->tree_row].kind != ROW_FRAME || !t->nsrc) {
		draw_text(y0, r->x, r->w, " (no bytes: the selected row is an event)", theme_attr(ROLE_NORMAL), 0, true);
		for (int i = 1; i < h; i++)
			draw_fill(y0 + i, r->x, r->w, theme_attr(ROLE_NORMAL));
		return;
	}
	if (u->hex_src >= (int)t->nsrc)
		u->hex_src = 0;
	/* sub-tabs: data sources */
	struct tw_sb sb;
	sb_heap(&sb);
	int x = r->x;
	for (size_t i = 0; i < t->nsrc && x < r->x + r->w; i++) {
		sb_reset(&sb);
		sb_addf(&sb, " %s ", t->src[i].name ? t->src[i].name : "?");
		int w = draw_text(y0, x, r->x + r->w - x, sb.s, theme_attr((int)i == u->hex_src ? ROLE_TAB_ACTIVE : ROLE_TAB), 0, false);
		x += w;
	}
	if (x < r->x + r->w)
		draw_fill(y0, x, r->x + r->w - x, theme_attr(ROLE_NORMAL));
	const struct tw_datasrc *ds = &t->src[u->hex_src];
	struct tw_node *sel = tree_selected(u);
	size_t hl_off = 0, hl_len = 0;
	if (sel && sel->len && sel->src == u->hex_src) {
		hl_off = sel->off;
		hl_len = sel->len;
	}
	int offw = ds->len > 0xffff ? 6 : 4;
	int bpr = 16;
	while (bpr > 4 && offw + 1 + 3 * bpr + 1 + bpr > r->w)
		bpr /= 2;
	size_t lines = (ds->len + (size_t)bpr - 1) / (size_t)bpr;
	int body = h - 1;
	/* keep the highlight in view */
	if (hl_len && body > 0) {
		size_t first = hl_off / (size_t)bpr, last = (hl_off + hl_len - 1) / (size_t)bpr;
		if (first < u->side_top || first >= u->side_top + (size_t)body)
			u->side_top = first > 1 ? first - 1 : 0;
		(void)last;
	}
	if (u->side_top >= lines)
		u->side_top = lines ? lines - 1 : 0;
	unsigned long nattr = theme_attr(ROLE_NORMAL), hattr = theme_attr(ROLE_HEX_HIGHLIGHT),
	              oattr = theme_attr(ROLE_HEX_OFFSET);
	for (int i = 0; i < body; i++) {
		int y = y0 + 1 + i;
		size_t ln = u->side_top + (size_t)i;
		if (ln >= lines) {
			draw_fill(y, r->x, r->w, nattr);
			continue;
		}
		size_t base = ln * (size_t)bpr;
		char buf[16];
		snprintf(buf, sizeof buf, "%0*zx ", offw, base);
		int cx = r->x + draw_text(y, r->x, r->w, buf, oattr, 0, false);
		int end = r->x + r->w;
		for (int b = 0; b < bpr && cx < end; b++) {
			size_t o = base + (size_t)b;
			bool in = hl_len && o >= hl_off && o < hl_off + hl_len;
			bool next_in = hl_len && o + 1 >= hl_off && o + 1 < hl_off + hl_len && b + 1 < bpr;
			if (o < ds->len) {
				snprintf(buf, sizeof buf, "%02x", ds->p[o]);
				cx += draw_text(y, cx, end - cx, buf, in ? hattr : nattr, 0, false);
			} else {
				cx += draw_text(y, cx, end - cx, "  ", nattr, 0, false);
			}
			if (cx < end)
				cx += draw_text(y, cx, end - cx, " ", in && next_in ? hattr : nattr, 0, false);
		}
		if (cx < end)
			cx += draw_text(y, cx, end - cx, " ", nattr, 0, false);
		for (int b = 0; b < bpr && cx < end; b++) {
			size_t o = base + (size_t)b;
			if (o >= ds->len)
				break;
			bool in = hl_len && o >= hl_off && o < hl_off + hl_len;
			char c[2] = { ds->p[o] >= 0x20 && ds->p[o] < 0x7f ? (char)ds->p[o] : '.', 0 };
			cx += draw_text(y, cx, end - cx, c, in ? hattr : nattr, 0, false);
		}
		if (cx < end)
			draw_fill(y, cx, end - cx, nattr);
	}
	sb_free(&sb);
}

void
side_draw(struct ui *u, const struct ui_rect *r, bool focused)
{
	if (!r->h)
		return;
	tree_sync(u);
	int x = r->x;
	char buf[64];
	for (int i = 0; i < TAB_COUNT_; i++) {
		snprintf(buf, sizeof buf, " %s ", tab_names[i]);
		int role = i == u->tab ? (focused ? ROLE_TITLE_ACTIVE : ROLE_TAB_ACTIVE) : ROLE_TAB;
		x += draw_text(r->y, x, r->x + r->w - x, buf, theme_attr(role), 0, false);
	}
	if (x < r->x + r->w)
		draw_fill(r->y, x, r->x + r->w - x, theme_attr(ROLE_NORMAL));
	if (r->h < 2)
		return;
	if (u->tab == TAB_HEX) {
		hex_draw(u, r, r->y + 1, r->h - 1);
		return;
	}
	struct lines raw = { 0 }, ls = { 0 };
	if (u->tab == TAB_CERTS)
		cert_lines(u, &raw);
	else
		event_lines(u, &raw);
	/* wrap long lines; continuations indented under their text */
	for (size_t i = 0; i < raw.n; i++) {
		const char *p = raw.l[i].s;
		int indent = (int)strspn(p, " ");
		bool first = true;
		do {
			int avail = r->w - (first ? 0 : indent + 2);
			if (avail < 8)
				avail = r->w;
			size_t fit = draw_fit(p, avail);
			if (fit == 0 && *p)
				fit = 1;
			/* break at a space when the line goes on */
			if (p[fit]) {
				size_t k = fit;
				while (k > 0 && p[k - 1] != ' ' && p[k - 1] != ',')
					k--;
				if (k > (size_t)indent + 4)
					fit = k;
			}
			add_line(&ls, raw.role[i], "%*s%.*s", first ? 0 : (avail == r->w ? 0 : indent + 2), "", (int)fit, p);
			p += fit;
			first = false;
		} while (*p);
	}
	lines_free(&raw);
	int body = r->h - 1;
	if (u->side_top + (size_t)body > ls.n)
		u->side_top = ls.n > (size_t)body ? ls.n - (size_t)body : 0;
	for (int i = 0; i < body; i++) {
		size_t k = u->side_top + (size_t)i;
		if (k < ls.n)
			draw_text(r->y + 1 + i, r->x, r->w, ls.l[k].s, theme_attr(ls.role[k]), 0, true);
		else
			draw_fill(r->y + 1 + i, r->x, r->w, theme_attr(ROLE_NORMAL));
	}
	lines_free(&ls);
}

void
side_action(struct ui *u, int act, int page)
{
	switch (act) {
	case ACT_MOVE_DOWN:
		u->side_top++;
		break;
	case ACT_MOVE_UP:
		if (u->side_top)
			u->side_top--;
		break;
	case ACT_PAGE_DOWN:
		u->side_top += (size_t)page;
		break;
	case ACT_PAGE_UP:
		u->side_top = u->side_top > (size_t)page ? u->side_top - (size_t)page : 0;
		break;
	case ACT_FIRST:
		u->side_top = 0;
		break;
	case ACT_LAST:
		u->side_top = SIZE_MAX / 2;
		break;
	case ACT_NEXT_SOURCE:
		if (u->tab == TAB_HEX && u->tree.nsrc) {
			u->hex_src = (u->hex_src + 1) % (int)u->tree.nsrc;
			u->side_top = 0;
		}
		break;
	default:
		break;
	}
}
