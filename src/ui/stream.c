/*
 * stream.c - "follow stream" (S): one connection's payload both ways, full
 * screen, from the load pass's reassembly (core/reasm.h): each PDU once,
 * whole, where it completed, with the segments it came from; retransmitted
 * bytes are not repeated; a hole that never filled is a marked GAP. TLS
 * records are listed one per line (content type, handshake messages, alert
 * level and description); other payload is shown as text (escaped, split at
 * newlines) or as a hex dump. Connections without reassembly (UDP, payload
 * nobody frames) show each frame's payload in frame order.
 */
#include "core/buf.h"
#include "core/conv.h"
#include "core/dissect/tls.h"
#include "core/field.h"
#include "core/reasm.h"
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
		sv->dir = xreallocarray(sv->dir, sv->cap, sizeof *sv->dir);
	}
	sv->line[sv->n] = xstrndup(s, n);
	sv->dir[sv->n] = sv->cur;
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
	free(sv->dir);
	memset(sv, 0, sizeof *sv);
	sv->cur = -1;
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

/* ---- reassembled view ---------------------------------------------------- */

#define STREAM_MAX_LINES 50000

struct fs {
	struct ui *u;
	struct ui_stream *sv;
	struct tw_capture *cap;
	const struct tw_reasm *r;
	uint8_t app;
	uint64_t bytes[2];
	uint32_t units[2], gaps;
	bool tls_enc[2];         /* ChangeCipherSpec seen: handshake records are encrypted */
	uint32_t hs_left[2];     /* bytes of a handshake message continuing in the next record */
	struct tw_sb sb;
};

static bool
full(const struct fs *s)
{
	return s->sv->n >= STREAM_MAX_LINES;
}

static void
hexdump(struct fs *s, int role, const uint8_t *p, size_t n, size_t max)
{
	size_t shown = n < max ? n : max;
	for (size_t o = 0; o < shown && !full(s); o += 16) {
		sb_reset(&s->sb);
		sb_addf(&s->sb, "    %04zx ", o);
		for (size_t k = 0; k < 16; k++) {
			if (o + k < shown)
				sb_addf(&s->sb, " %02x", p[o + k]);
			else
				sb_adds(&s->sb, "   ");
		}
		sb_adds(&s->sb, "  ");
		for (size_t k = 0; k < 16 && o + k < shown; k++)
			sb_addc(&s->sb, p[o + k] >= 0x20 && p[o + k] < 0x7f ? (char)p[o + k] : '.');
		add(s->sv, role, s->sb.s, s->sb.len);
	}
	if (shown < n) {
		sb_reset(&s->sb);
		sb_addf(&s->sb, "    ... (%zu more bytes)", n - shown);
		add(s->sv, role, s->sb.s, s->sb.len);
	}
}

static bool
is_text(const uint8_t *p, size_t n)
{
	size_t bin = 0;
	for (size_t k = 0; k < n; k++)
		bin += (p[k] < 0x20 && p[k] != '\n' && p[k] != '\r' && p[k] != '\t') || p[k] == 0x7f;
	return bin * 10 <= n;
}

/* One line per TLS record of the unit (a record, or a run of them). */
static void
tls_records(struct fs *s, int dir, int role, const uint8_t *p, size_t n)
{
	struct tw_buf b = buf_init(p, n, n, 0);
	while (buf_left(&b) && !full(s)) {
		if (buf_left(&b) < 5) {
			sb_reset(&s->sb);
			sb_addf(&s->sb, "    %zu byte%s: not a whole TLS record header", buf_left(&b), buf_left(&b) == 1 ? "" : "s");
			add(s->sv, ROLE_TREE_WARN, s->sb.s, s->sb.len);
			return;
		}
		uint8_t type = buf_u8(&b);
		uint16_t ver = buf_be16(&b), len = buf_be16(&b);
		size_t have = TW_MIN((size_t)len, buf_left(&b));
		struct tw_buf body = buf_sub(&b, have);
		const char *tname = val_to_str(type, tls_content_vals);
		sb_reset(&s->sb);
		sb_addf(&s->sb, "    %s Record: ", tls_version_short(ver));
		if (type == 21 && !s->tls_enc[dir] && have == 2) {
			uint8_t level = buf_u8(&body), desc = buf_u8(&body);
			const char *dn = val_to_str(desc, tls_alert_vals);
			sb_addf(&s->sb, "Alert (Level: %s, Description: ", level == 2 ? "Fatal" : level == 1 ? "Warning" : "?");
			if (dn)
				sb_adds(&s->sb, dn);
			else
				sb_addf(&s->sb, "%u", desc);
			sb_addc(&s->sb, ')');
		} else if (type == 21) {
			sb_adds(&s->sb, "Encrypted Alert");
		} else if (type == 22 && s->tls_enc[dir]) {
			sb_adds(&s->sb, "Encrypted Handshake Message");
		} else if (type == 22) {
			/* the handshake messages that start in this record */
			sb_adds(&s->sb, "Handshake: ");
			size_t skip = TW_MIN((size_t)s->hs_left[dir], buf_left(&body));
			buf_skip(&body, skip);
			s->hs_left[dir] -= (uint32_t)skip;
			bool any = false;
			if (skip)
				sb_adds(&s->sb, "(continued message)"), any = true;
			while (buf_left(&body) >= 4) {
				uint8_t ht = buf_u8(&body);
				uint32_t hl = buf_be24(&body);
				const char *hn = val_to_str(ht, tls_handshake_vals);
				sb_adds(&s->sb, any ? ", " : "");
				if (hn)
					sb_adds(&s->sb, hn);
				else
					sb_addf(&s->sb, "type %u", ht);
				any = true;
				size_t k = TW_MIN((size_t)hl, buf_left(&body));
				buf_skip(&body, k);
				s->hs_left[dir] = hl - (uint32_t)k;
			}
			if (!any)
				sb_adds(&s->sb, "(fragment)");
		} else {
			if (type == 20)
				s->tls_enc[dir] = true;
			if (tname)
				sb_adds(&s->sb, tname);
			else
				sb_addf(&s->sb, "content type %u", type);
		}
		sb_addf(&s->sb, ", %u byte%s", len, len == 1 ? "" : "s");
		if (have < len)
			sb_addf(&s->sb, " (%zu captured)", have);
		add(s->sv, role, s->sb.s, s->sb.len);
	}
}

static void
gap(struct fs *s, int dir, uint64_t bytes, const char *why)
{
	s->gaps++;
	sb_reset(&s->sb);
	s->hs_left[dir] = 0; /* a message cut by the gap: start afresh */
	s->sv->cur = (signed char)dir;
	sb_addf(&s->sb, "  ~~~~ GAP: %llu %s bytes %s ~~~~", (unsigned long long)bytes,
	        dir == 0 ? "client -> server" : "server -> client", why);
	add(s->sv, ROLE_TREE_ERROR, s->sb.s, s->sb.len);
}

/* A unit of the stream: one reassembled PDU (or the bytes of one frame). */
static void
unit(struct fs *s, int dir, const uint8_t *p, size_t n, const char *frames, uint8_t flags)
{
	if (full(s))
		return;
	s->sv->cur = (signed char)dir;
	int role = dir == 0 ? ROLE_NORMAL : ROLE_TREE_NOTE;
	/* PDU_GAP_BEFORE is not marked here: the sequence holes (stream_build) say where and how much */
	s->bytes[dir] += n;
	s->units[dir]++;
	sb_reset(&s->sb);
	sb_addf(&s->sb, "%s  %s, %zu byte%s", dir == 0 ? "client -> server" : "server -> client", frames, n,
	        n == 1 ? "" : "s");
	if (flags & PDU_LIMIT)
		sb_adds(&s->sb, ", cut at the reassembly limit");
	else if (flags & PDU_INCOMPLETE)
		sb_adds(&s->sb, ", INCOMPLETE (bytes missing)");
	add(s->sv, flags & PDU_INCOMPLETE ? ROLE_TREE_WARN : ROLE_HEADER, s->sb.s, s->sb.len);
	if (s->app == APP_TLS)
		tls_records(s, dir, role, p, n);
	else if (is_text(p, n))
		payload_lines(s->sv, role, p, n, 200);
	else
		hexdump(s, role, p, n, 512);
}

/* Bytes of one frame that hold whole PDUs: cut them like the display does. */
static void
in_frame(struct fs *s, int dir, const uint8_t *p, size_t n, uint32_t frame)
{
	char fr[32];
	snprintf(fr, sizeof fr, "frame %u", frame + 1);
	size_t at = 0;
	while (at < n && !full(s)) {
		int64_t l = s->app == APP_TLS ? reasm_pdu_len(s->app, p + at, n - at) : -1;
		size_t len = l > 0 && (uint64_t)l <= n - at ? (size_t)l : n - at;
		unit(s, dir, p + at, len, fr, 0);
		at += len;
	}
}

static void
stored_pdu(struct fs *s, uint32_t id)
{
	const struct tw_pdu *p = reasm_pdu(s->r, id);
	if (!p || !p->npieces)
		return;
	uint8_t *bytes = xmalloc(p->len ? p->len : 1);
	if (!reasm_copy(s->r, s->cap, id, bytes)) {
		free(bytes);
		return;
	}
	char fr[96];
	struct tw_sb f;
	sb_fixed(&f, fr, sizeof fr);
	uint32_t last = reasm_piece(s->r, p->first_piece + p->npieces - 1)->frame;
	sb_addf(&f, "frame %u", (p->flags & PDU_INCOMPLETE) && p->npieces ? last + 1 : p->done_frame + 1);
	if (p->npieces > 1) {
		sb_addf(&f, " (%u segments:", p->npieces);
		for (uint32_t k = 0; k < p->npieces && k < 6; k++)
			sb_addf(&f, " #%u", reasm_piece(s->r, p->first_piece + k)->frame + 1);
		sb_adds(&f, p->npieces > 6 ? " ...)" : ")");
	}
	unit(s, p->dir, bytes, p->len, fr, p->flags);
	free(bytes);
}

/* One frame of a reassembled connection: in-frame PDUs and the stored PDUs completing here, in byte order. */
static void
fs_frame(struct fs *s, uint32_t i, int dir, uint32_t conv, const uint8_t *base, size_t po, size_t pe)
{
	const uint32_t *idx;
	size_t np = base ? reasm_frame_pieces(s->r, i, 0, &idx) : 0;
	size_t at = po;
	for (size_t k = 0; k < np; k++) {
		const struct tw_piece *pc = reasm_piece(s->r, idx[k]);
		if (pc->foff < at || pc->foff >= pe)
			continue;
		if (pc->foff > at)
			in_frame(s, dir, base + at, pc->foff - at, i);
		if (pc->pdu != PIECE_SKIP) {
			const struct tw_pdu *p = reasm_pdu(s->r, pc->pdu);
			/* a PDU shows where its last bytes are (an incomplete one too: not where it was given up) */
			if (p && (p->done_frame == i || (p->flags & PDU_INCOMPLETE)) &&
			    idx[k] == p->first_piece + p->npieces - 1)
				stored_pdu(s, pc->pdu);
		}
		at = TW_MIN(pe, (size_t)pc->foff + pc->len);
	}
	if (base && at < pe)
		in_frame(s, dir, base + at, pe - at, i);
	/* PDUs completing here whose last bytes are elsewhere (a FIN or RST closes them) */
	uint32_t done[64];
	size_t nd = reasm_frame_done(s->r, i, 0, done, ARRAY_SIZE(done));
	for (size_t k = 0; k < nd; k++) {
		const struct tw_pdu *p = reasm_pdu(s->r, done[k]);
		if (!p || p->conv != conv || !p->npieces || (p->flags & PDU_INCOMPLETE))
			continue;
		if (reasm_piece(s->r, p->first_piece + p->npieces - 1)->frame != i)
			stored_pdu(s, done[k]);
	}
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
	struct tw_convs *cs = capture_convs(cap);
	const struct tw_conv *cv = cs && conv < cs->n ? &cs->v[conv] : NULL;
	if (!cv)
		return false;
	bool reasm = cv->proto == 6 && cs->reasm && cv->app != APP_UNKNOWN && cv->app != APP_NONE;
	struct fs s = { .u = u, .sv = sv, .cap = cap, .r = cs->reasm, .app = cv->app };
	sb_heap(&s.sb);
	sb_addf(&s.sb, "%s stream %u%s: client ", cv->proto == 6 ? "TCP" : "UDP", cv->stream,
	        reasm ? ", reassembled" : "");
	addr_format(&s.sb, &cv->addr[0]);
	sb_addf(&s.sb, ":%u <-> server ", cv->port[0]);
	addr_format(&s.sb, &cv->addr[1]);
	sb_addf(&s.sb, ":%u", cv->port[1]);
	add(sv, ROLE_TITLE, s.sb.s, s.sb.len);
	add(sv, ROLE_TREE_GEN, "", 0); /* the totals, filled in below */
	/* pass 1: where each segment's payload is, and its place in the sequence space */
	struct seg {
		uint32_t frame, seq, wire, poff, plen;
		uint64_t hole; /* bytes never captured before this segment */
		int8_t dir;
	} *seg = NULL;
	size_t nseg = 0, capseg = 0;
	struct tw_tree t;
	struct tw_dctx dc;
	memset(&dc, 0, sizeof dc);
	tree_init(&t, true);
	uint32_t n = capture_count(cap), frames = 0;
	for (uint32_t i = 0; i < n; i++) {
		const struct tw_frame *f = capture_frame(cap, i);
		if (f->conv != conv)
			continue;
		frames++;
		capture_dissect(cap, i, &dc, &t);
		struct tw_node *pl = node_find_abbrev(t.root, cv->proto == 6 ? "tcp.payload" : "udp.payload");
		struct tw_node *sq = cv->proto == 6 ? node_find_abbrev(t.root, "tcp.seq_raw") : NULL;
		struct tw_node *tl = cv->proto == 6 ? node_find_abbrev(t.root, "tcp.len") : NULL;
		if (!pl || !pl->len || pl->src != 0 || (size_t)pl->off + pl->len > f->caplen)
			continue;
		if (nseg == capseg) {
			capseg = capseg ? capseg * 2 : 64;
			seg = xreallocarray(seg, capseg, sizeof *seg);
		}
		seg[nseg++] = (struct seg){ i, sq ? (uint32_t)sq->v.u : 0, tl ? (uint32_t)tl->v.u : pl->len, pl->off, pl->len,
			                    0, (int8_t)conv_dir(cv, &dc.pi.net_src, dc.pi.srcport) };
	}
	tree_free(&t);
	/* holes that never filled: per direction, segments in sequence order (relative to the first seen) */
	if (cv->proto == 6) {
		for (int d = 0; d < 2; d++) {
			size_t *ord = xcalloc(nseg ? nseg : 1, sizeof *ord), k = 0;
			for (size_t a = 0; a < nseg; a++)
				if (seg[a].dir == d)
					ord[k++] = a;
			uint32_t base = k ? seg[ord[0]].seq : 0;
			/* insertion sort by relative sequence (signed: wraps and early resends work) */
			for (size_t a = 1; a < k; a++)
				for (size_t b = a; b > 0 && (int32_t)(seg[ord[b]].seq - base) < (int32_t)(seg[ord[b - 1]].seq - base); b--) {
					size_t x = ord[b];
					ord[b] = ord[b - 1];
					ord[b - 1] = x;
				}
			int64_t end = k ? (int32_t)(seg[ord[0]].seq - base) : 0;
			for (size_t a = 0; a < k; a++) {
				struct seg *g = &seg[ord[a]];
				int64_t st = (int32_t)(g->seq - base);
				if (st > end)
					g->hole = (uint64_t)(st - end);
				if (st + (int64_t)g->wire > end)
					end = st + (int64_t)g->wire;
			}
			free(ord);
		}
	}
	/* pass 2: the payload, in frame order */
	for (size_t a = 0; a < nseg && !full(&s); a++) {
		const struct seg *g = &seg[a];
		const struct tw_frame *f = capture_frame(cap, g->frame);
		const uint8_t *bytes = capture_bytes(cap, f);
		if (!bytes)
			continue;
		if (g->hole)
			gap(&s, g->dir, g->hole, "missing here (never captured)");
		if (reasm) {
			fs_frame(&s, g->frame, g->dir, conv, bytes, g->poff, (size_t)g->poff + g->plen);
		} else if (!(f->flags & FRAME_TCP_RETRANS)) {
			/* not reassembled (UDP, or a payload nobody frames): each frame's payload as it came */
			char fr[32];
			snprintf(fr, sizeof fr, "frame %u", g->frame + 1);
			unit(&s, g->dir, bytes + g->poff, g->plen, fr, 0);
		}
		if (g->plen < g->wire)
			gap(&s, g->dir, g->wire - g->plen, "cut by the capture's snapshot length");
	}
	free(seg);
	sv->cur = -1;
	sv->directional = true;
	sb_reset(&s.sb);
	const char *what = reasm ? (s.app == APP_TLS ? "record" : "PDU") : "payload";
	sb_addf(&s.sb, "%u frame%s. client: %u %s%s, %llu bytes. server: %u %s%s, %llu bytes", frames,
	        frames == 1 ? "" : "s", s.units[0], what, s.units[0] == 1 ? "" : "s", (unsigned long long)s.bytes[0],
	        s.units[1], what, s.units[1] == 1 ? "" : "s", (unsigned long long)s.bytes[1]);
	if (s.gaps)
		sb_addf(&s.sb, ". %u GAP%s", s.gaps, s.gaps == 1 ? "" : "S");
	free(sv->line[1]);
	sv->line[1] = xstrndup(s.sb.s, s.sb.len);
	if (s.gaps)
		sv->role[1] = ROLE_TREE_ERROR;
	if (full(&s))
		add(sv, ROLE_TREE_WARN, "(stopped here: the view holds at most 50000 lines)", 51);
	add(sv, ROLE_TREE_GEN, "(end of stream; S or Esc closes)", 32);
	sb_free(&s.sb);
	return frames > 0;
}

void
stream_cycle_direction(struct ui_stream *sv)
{
	if (!sv->directional)
		return;
	sv->show = (sv->show + 1) % 3;
	sv->top = 0;
}

static bool
shown(const struct ui_stream *sv, size_t k)
{
	return !sv->show || sv->dir[k] < 0 || sv->dir[k] == sv->show - 1;
}

void
stream_draw(struct ui *u, int rows, int cols)
{
	struct ui_stream *sv = &u->stream;
	/* the last line says how to get around */
	size_t body = rows > 1 ? (size_t)rows - 1 : 0;
	size_t nshown = 0;
	for (size_t k = 0; k < sv->n; k++)
		nshown += shown(sv, k);
	if (sv->top + body > nshown)
		sv->top = nshown > body ? nshown - body : 0;
	size_t k = 0, vis = 0;
	for (size_t i = 0; i < body; i++) {
		while (k < sv->n && (!shown(sv, k) || vis < sv->top)) {
			vis += shown(sv, k);
			k++;
		}
		if (k < sv->n) {
			draw_text((int)i, 0, cols, sv->line[k], theme_attr(k == 0 ? ROLE_TITLE_ACTIVE : sv->role[k]), 0, true);
			vis++;
			k++;
		} else {
			draw_fill((int)i, 0, cols, theme_attr(ROLE_NORMAL));
		}
	}
	if (rows > 1) {
		static const char *const names[] = { "both ways", "client -> server only", "server -> client only" };
		char hint[160];
		if (sv->directional)
			snprintf(hint, sizeof hint, " Esc/S close  Tab: %s  move: j/k PgDn/PgUp g/G  %zu/%zu",
			         names[sv->show], nshown ? TW_MIN(sv->top + body, nshown) : 0, nshown);
		else
			snprintf(hint, sizeof hint, " Esc/q close  move: j/k PgDn/PgUp g/G  %zu/%zu",
			         nshown ? TW_MIN(sv->top + body, nshown) : 0, nshown);
		draw_text(rows - 1, 0, cols, hint, theme_attr(ROLE_STATUS), 0, true);
	}
}
