/*
 * pane_tree.c - the detail tree of the selected row: expand/collapse one
 * node, a subtree or all; expansion is remembered by field path, so the
 * same layers stay open from frame to frame; nodes under which there is a
 * warning or error start open so findings are visible at once.
 */
#include "core/field.h"
#include "ui/actions.h"
#include "ui/draw.h"
#include "ui/theme.h"
#include "ui/ui.h"
#include "ui/ui_int.h"

#include <string.h>

static uint64_t
hash_str(uint64_t h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

/* A node's identity across frames: its field (or label up to ':' / '(') under its parent's key. */
static uint64_t
node_key(uint64_t parent, const struct tw_node *n, unsigned nth_same)
{
	uint64_t h = parent ^ 14695981039346656037ull;
	if (n->f) {
		h = hash_str(h, n->f->abbrev, strlen(n->f->abbrev));
	} else if (n->label) {
		size_t l = strcspn(n->label, ":(0123456789");
		h = hash_str(h, n->label, l);
	}
	h = (h ^ nth_same) * 1099511628211ull;
	return h ? h : 1;
}

static bool
in_set(const uint64_t *set, size_t n, uint64_t k)
{
	for (size_t i = 0; i < n; i++)
		if (set[i] == k)
			return true;
	return false;
}

static void
set_put(uint64_t **set, size_t *n, uint64_t k)
{
	if (in_set(*set, *n, k))
		return;
	*set = xreallocarray(*set, *n + 1, sizeof **set);
	(*set)[(*n)++] = k;
}

static void
set_del(uint64_t *set, size_t *n, uint64_t k)
{
	for (size_t i = 0; i < *n; i++)
		if (set[i] == k) {
			set[i] = set[--*n];
			return;
		}
}

static uint8_t
subtree_sev(const struct tw_node *n)
{
	uint8_t s = 0;
	for (const struct tw_node *c = n->child; c; c = c->next) {
		if (c->sev > s)
			s = c->sev;
		uint8_t k = subtree_sev(c);
		if (k > s)
			s = k;
	}
	return s;
}

static bool
visible(const struct tw_node *n)
{
	return !(n->flags & TW_NF_HIDDEN);
}

static void
push(struct ui *u, struct tw_node *n, int depth, uint64_t key, bool open, bool kids)
{
	if (u->nflat == u->capflat) {
		u->capflat = u->capflat ? u->capflat * 2 : 256;
		u->flat = xreallocarray(u->flat, u->capflat, sizeof *u->flat);
	}
	u->flat[u->nflat++] = (struct flatnode){ n, depth, key, open, kids };
}

static void
flatten(struct ui *u, struct tw_node *first, int depth, uint64_t pkey)
{
	unsigned nth = 0;
	for (struct tw_node *n = first; n; n = n->next, nth++) {
		if (!visible(n))
			continue;
		uint64_t k = node_key(pkey, n, 0);
		bool kids = false;
		for (struct tw_node *c = n->child; c && !kids; c = c->next)
			kids = visible(c);
		/* open by default: what holds a warning or error, and a lone top node (an event) */
		bool lone = depth == 0 && n == first && !n->next;
		bool open = kids && (in_set(u->open_keys, u->nopen, k) ||
		                     (!in_set(u->closed_keys, u->nclosed, k) && (lone || subtree_sev(n) >= TW_SEV_WARN)));
		push(u, n, depth, k, open, kids);
		if (open)
			flatten(u, n->child, depth + 1, k);
	}
}

void
tree_flatten(struct ui *u)
{
	u->nflat = 0;
	if (u->tree.root)
		flatten(u, u->tree.root->child, 0, 0);
	if (u->tcur >= u->nflat)
		u->tcur = u->nflat ? u->nflat - 1 : 0;
}

void
tree_sync(struct ui *u)
{
	size_t n = ui_nrows(u);
	size_t row = n ? ui_row(u, u->cur) : SIZE_MAX;
	if (row == u->tree_row)
		return;
	if (u->tree_row != SIZE_MAX && u->tcur < u->nflat)
		u->want_key = u->flat[u->tcur].key;
	u->tree_row = row;
	tree_reset(&u->tree);
	u->nflat = 0;
	u->tcur = u->ttop = 0;
	u->side_top = 0;
	if (row == SIZE_MAX)
		return;
	const struct tw_row *r = &u->tl->rows[row];
	const struct tw_source_ref *s = &u->tl->src[r->src];
	if (s->kind == ROW_EVENT)
		event_tree(s->ev, r->idx, &u->tree);
	else
		capture_dissect(s->cap, r->idx, &u->dc, &u->tree);
	tree_flatten(u);
	for (size_t i = 0; i < u->nflat; i++)
		if (u->flat[i].key == u->want_key) {
			u->tcur = i;
			break;
		}
	if (u->select_sev) {
		/* the first expert finding that severe, else the first node carrying it */
		size_t pick = SIZE_MAX;
		for (size_t i = 0; i < u->nflat && pick == SIZE_MAX; i++)
			if ((u->flat[i].n->flags & TW_NF_EXPERT) && u->flat[i].n->sev >= u->select_sev)
				pick = i;
		for (size_t i = 0; i < u->nflat && pick == SIZE_MAX; i++)
			if (u->flat[i].n->sev >= u->select_sev)
				pick = i;
		if (pick != SIZE_MAX) {
			u->tcur = pick;
			u->ttop = pick > 2 ? pick - 2 : 0;
		}
		u->select_sev = 0;
	}
	struct tw_node *sel = tree_selected(u);
	if (sel && sel->len && sel->src < u->tree.nsrc)
		u->hex_src = sel->src;
	else if (u->hex_src >= (int)u->tree.nsrc)
		u->hex_src = 0;
}

struct tw_node *
tree_selected(struct ui *u)
{
	return u->tcur < u->nflat ? u->flat[u->tcur].n : NULL;
}

void
ui_node_text(struct tw_sb *sb, const struct tw_node *n)
{
	if (n->flags & TW_NF_EXPERT) {
		sb_addf(sb, "[%s] ", n->sev == TW_SEV_ERROR ? "Error" : n->sev == TW_SEV_WARN ? "Warning" : "Note");
		size_t l = n->label ? strlen(n->label) : 0;
		if (l >= 2 && n->label[0] == '[' && n->label[l - 1] == ']')
			sb_addn(sb, n->label + 1, l - 2);
		else if (n->label)
			sb_adds(sb, n->label);
		return;
	}
	bool gen = (n->flags & TW_NF_GENERATED) && !(n->label && n->label[0] == '[');
	if (gen)
		sb_addc(sb, '[');
	field_format_label(sb, n);
	if (gen)
		sb_addc(sb, ']');
}

static int
node_role(const struct tw_node *n)
{
	if (n->sev == TW_SEV_ERROR)
		return ROLE_TREE_ERROR;
	if (n->sev == TW_SEV_WARN)
		return ROLE_TREE_WARN;
	if (n->sev == TW_SEV_NOTE)
		return ROLE_TREE_NOTE;
	if (n->flags & TW_NF_GENERATED)
		return ROLE_TREE_GEN;
	return ROLE_NORMAL;
}

void
tree_draw(struct ui *u, const struct ui_rect *r, bool focused)
{
	if (!r->h)
		return;
	tree_sync(u);
	char title[96];
	if (u->tree_row != SIZE_MAX) {
		const struct tw_row *tr = &u->tl->rows[u->tree_row];
		snprintf(title, sizeof title, " Detail: %s %u", tr->kind == ROW_EVENT ? "event" : "frame", tr->idx + 1);
	} else {
		snprintf(title, sizeof title, " Detail");
	}
	draw_text(r->y, r->x, r->w, title, theme_attr(focused ? ROLE_TITLE_ACTIVE : ROLE_TITLE), 0, true);
	int body = r->h - 1;
	if (body <= 0)
		return;
	/* no empty space below the last node while there is tree above */
	if (u->ttop + (size_t)body > u->nflat)
		u->ttop = u->nflat > (size_t)body ? u->nflat - (size_t)body : 0;
	if (u->tcur < u->ttop)
		u->ttop = u->tcur;
	if (u->tcur >= u->ttop + (size_t)body)
		u->ttop = u->tcur - (size_t)body + 1;
	struct tw_sb sb;
	sb_heap(&sb);
	for (int i = 0; i < body; i++) {
		int y = r->y + 1 + i;
		size_t k = u->ttop + (size_t)i;
		if (k >= u->nflat) {
			draw_fill(y, r->x, r->w, theme_attr(ROLE_NORMAL));
			continue;
		}
		const struct flatnode *f = &u->flat[k];
		sb_reset(&sb);
		for (int d = 0; d < f->depth; d++)
			sb_adds(&sb, " ");
		sb_adds(&sb, f->has_kids ? draw_glyph(f->open ? GL_OPEN : GL_CLOSED) : draw_glyph(GL_LEAF));
		sb_addc(&sb, ' ');
		ui_node_text(&sb, f->n);
		unsigned long attr = k == u->tcur ? theme_attr(focused ? ROLE_CURSOR : ROLE_CURSOR_DIM)
		                                  : theme_attr(node_role(f->n));
		draw_text(y, r->x, r->w, sb.s, attr, 0, true);
	}
	sb_free(&sb);
}

static void
open_all(struct ui *u, struct tw_node *first, uint64_t pkey, bool open)
{
	unsigned nth = 0;
	for (struct tw_node *n = first; n; n = n->next, nth++) {
		if (!visible(n))
			continue;
		uint64_t k = node_key(pkey, n, 0);
		if (n->child) {
			if (open) {
				set_put(&u->open_keys, &u->nopen, k);
				set_del(u->closed_keys, &u->nclosed, k);
			} else {
				set_del(u->open_keys, &u->nopen, k);
				set_put(&u->closed_keys, &u->nclosed, k);
			}
			open_all(u, n->child, k, open);
		}
	}
}

static void
set_open(struct ui *u, const struct flatnode *f, bool open)
{
	if (open) {
		set_put(&u->open_keys, &u->nopen, f->key);
		set_del(u->closed_keys, &u->nclosed, f->key);
	} else {
		set_del(u->open_keys, &u->nopen, f->key);
		set_put(&u->closed_keys, &u->nclosed, f->key);
	}
}

void
tree_action(struct ui *u, int act, int page)
{
	tree_sync(u);
	if (!u->nflat)
		return;
	struct flatnode f = u->flat[u->tcur];
	switch (act) {
	case ACT_MOVE_DOWN:
		if (u->tcur + 1 < u->nflat)
			u->tcur++;
		break;
	case ACT_MOVE_UP:
		if (u->tcur)
			u->tcur--;
		break;
	case ACT_PAGE_DOWN:
		u->tcur = TW_MIN(u->nflat - 1, u->tcur + (size_t)page);
		break;
	case ACT_PAGE_UP:
		u->tcur = u->tcur > (size_t)page ? u->tcur - (size_t)page : 0;
		break;
	case ACT_FIRST:
		u->tcur = 0;
		break;
	case ACT_LAST:
		u->tcur = u->nflat - 1;
		break;
	case ACT_EXPAND:
		if (f.has_kids && !f.open)
			set_open(u, &f, true);
		else if (f.has_kids && u->tcur + 1 < u->nflat)
			u->tcur++;
		break;
	case ACT_COLLAPSE:
		if (f.has_kids && f.open) {
			set_open(u, &f, false);
		} else {
			while (u->tcur > 0 && u->flat[u->tcur].depth >= f.depth)
				u->tcur--;
		}
		break;
	case ACT_TOGGLE:
		if (f.has_kids)
			set_open(u, &f, !f.open);
		break;
	case ACT_EXPAND_SUBTREE:
		if (f.has_kids) {
			set_open(u, &f, true);
			open_all(u, f.n->child, f.key, true);
		}
		break;
	case ACT_EXPAND_ALL:
		open_all(u, u->tree.root->child, 0, true);
		break;
	case ACT_COLLAPSE_ALL:
		open_all(u, u->tree.root->child, 0, false);
		u->tcur = 0;
		break;
	default:
		return;
	}
	tree_flatten(u);
	struct tw_node *sel = tree_selected(u);
	if (sel && sel->len && sel->src < u->tree.nsrc) {
		if (u->hex_src != sel->src)
			u->side_top = 0;
		u->hex_src = sel->src;
	}
	if (u->tcur < u->nflat)
		u->want_key = u->flat[u->tcur].key;
}
