/*
 * stream.c - "follow stream" (S): one connection's payload both ways, full
 * screen. TLS records are listed one per line; other payload is shown as
 * text, escaped, split at newlines. Segments are taken in frame order;
 * retransmissions are skipped.
 */
#include "core/field.h"
#include "ui/draw.h"
#include "ui/theme.h"
#include "ui/ui.h"
#include "ui/ui_int.h"

#include <stdlib.h>
#include <string.h>

static void
add(struct ui_stream *sv, int role, const char *s, size_t n)
{
	if (sv->n == sv->cap) {
		sv->cap = sv->cap ? sv->cap * 2 : 256;
		sv->line = xreallocarray(sv->line, sv->cap, sizeof *sv->line);
		sv->role = xreallocarray(sv->role, sv->cap, sizeof *sv->role);
	}
	sv->line[sv->n] = xstrndup(s, n);
	sv->role[sv->n++] = role;
}

void
stream_add(struct ui_stream *sv, int role, const char *s)
{
	add(sv, role, s, strlen(s));
}

void
stream_free(struct ui_stream *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->line[i]);
	free(sv->line);
	free(sv->role);
	memset(sv, 0, sizeof *sv);
}

/* Payload as text lines (escaped), at most max lines. */
static void
payload_lines(struct ui_stream *sv, int role, const uint8_t *p, size_t n, size_t max)
{
	struct tw_sb sb;
	sb_heap(&sb);
	size_t start = 0, shown = 0;
	for (size_t i = 0; i <= n && shown < max; i++) {
		if (i == n || p[i] == '\n') {
			size_t end = i;
			if (end > start && p[end - 1] == '\r')
				end--;
			if (i < n || end > start) {
				sb_reset(&sb);
				sb_adds(&sb, "    ");
				sb_add_escaped(&sb, p + start, end - start);
				add(sv, role, sb.s, sb.len);
				shown++;
			}
			start = i + 1;
		}
	}
	if (shown == max && start < n) {
		sb_reset(&sb);
		sb_addf(&sb, "    ... (%zu more bytes)", n - start);
		add(sv, role, sb.s, sb.len);
	}
	sb_free(&sb);
}

bool
stream_build(struct ui *u, size_t row, struct ui_stream *sv)
{
	stream_free(sv);
	const struct tw_row *r = &u->tl->rows[row];
	if (r->kind != ROW_FRAME)
		return false;
	struct tw_capture *cap = u->tl->src[r->src].cap;
	uint32_t conv = capture_frame(cap, r->idx)->conv;
	if (conv == CONV_NONE)
		return false;
	struct tw_tree t;
	struct tw_dctx dc;
	memset(&dc, 0, sizeof dc);
	tree_init(&t, true);
	struct tw_addr first_src = { 0 };
	uint16_t first_port = 0;
	bool have_first = false;
	struct tw_sb sb;
	sb_heap(&sb);
	uint32_t n = capture_count(cap), frames = 0;
	for (uint32_t i = 0; i < n; i++) {
		const struct tw_frame *f = capture_frame(cap, i);
		if (f->conv != conv)
			continue;
		frames++;
		capture_dissect(cap, i, &dc, &t);
		if (!have_first) {
			first_src = dc.pi.net_src;
			first_port = dc.pi.srcport;
			have_first = true;
			sb_reset(&sb);
			sb_addf(&sb, "Follow stream %c: ", u->tl->src[r->src].letter);
			addr_format(&sb, &dc.pi.net_src);
			sb_addf(&sb, ":%u <-> ", dc.pi.srcport);
			addr_format(&sb, &dc.pi.net_dst);
			sb_addf(&sb, ":%u  (first side = client)", dc.pi.dstport);
			add(sv, ROLE_TITLE, sb.s, sb.len);
		}
		if (f->flags & FRAME_TCP_RETRANS)
			continue;
		bool c2s = addr_eq(&dc.pi.net_src, &first_src) && dc.pi.srcport == first_port;
		int role = c2s ? ROLE_NORMAL : ROLE_TREE_NOTE;
		/* TLS records, else the payload */
		bool any = false;
		for (struct tw_node *nd = t.root; nd; nd = node_next_preorder(nd, t.root)) {
			if (!nd->f || strcmp(nd->f->abbrev, "tls.record") != 0)
				continue;
			if (!any) {
				sb_reset(&sb);
				sb_addf(&sb, "%s frame %u", c2s ? "client -> server" : "server -> client", i + 1);
				add(sv, ROLE_HEADER, sb.s, sb.len);
			}
			any = true;
			sb_reset(&sb);
			sb_adds(&sb, "    ");
			field_format_label(&sb, nd);
			add(sv, role, sb.s, sb.len);
		}
		if (any)
			continue;
		struct tw_node *pl = node_find_abbrev(t.root, "tcp.payload");
		if (!pl)
			pl = node_find_abbrev(t.root, "data.data");
		if (!pl || !pl->len || pl->src >= t.nsrc || (size_t)pl->off + pl->len > t.src[pl->src].len)
			continue;
		sb_reset(&sb);
		sb_addf(&sb, "%s frame %u, %u bytes", c2s ? "client -> server" : "server -> client", i + 1, pl->len);
		add(sv, ROLE_HEADER, sb.s, sb.len);
		const uint8_t *pp = t.src[pl->src].p + pl->off;
		size_t bin = 0;
		for (uint32_t k = 0; k < pl->len; k++)
			bin += (pp[k] < 0x20 && pp[k] != '\n' && pp[k] != '\r' && pp[k] != '\t') || pp[k] >= 0x7f;
		if (bin * 10 > pl->len) {
			/* binary: a piece of a PDU reassembled later (TLS), or data not meant as text */
			add(sv, role, "    (binary: see the hex pane; TLS records are listed where they complete)", 74);
			continue;
		}
		payload_lines(sv, role, pp, pl->len, 40);
	}
	if (frames)
		add(sv, ROLE_TREE_GEN, "(end of stream; S or Esc closes)", 32);
	sb_free(&sb);
	tree_free(&t);
	return frames > 0;
}

void
stream_draw(struct ui *u, int rows, int cols)
{
	struct ui_stream *sv = &u->stream;
	size_t body = rows > 0 ? (size_t)rows : 0;
	if (sv->top + body > sv->n)
		sv->top = sv->n > body ? sv->n - body : 0;
	for (size_t i = 0; i < body; i++) {
		size_t k = sv->top + i;
		if (k < sv->n)
			draw_text((int)i, 0, cols, sv->line[k], theme_attr(k == 0 ? ROLE_TITLE_ACTIVE : sv->role[k]), 0, true);
		else
			draw_fill((int)i, 0, cols, theme_attr(ROLE_NORMAL));
	}
}
