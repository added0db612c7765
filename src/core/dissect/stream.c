/*
 * stream.c - TCP payload: what a connection carries, feeding the
 * reassembler in the load pass, and showing PDUs on display.
 *
 * On display a frame's payload is walked in order. Stored pieces (see
 * reasm.h) say which byte ranges belong to PDUs that span segments or must
 * be skipped; PDUs that complete in this frame are shown from a reassembled
 * buffer (a data source of their own, with "reassembled from frames ...");
 * the rest of the payload is whole PDUs, framed again in place.
 */
#include "core/dissect/dissect.h"

#include "core/capture.h"
#include "core/conv.h"
#include "core/field.h"
#include "core/reasm.h"

#include <string.h>

enum {
	F_SEGMENTS,
	F_SEGMENT,
	F_SEGMENT_COUNT,
	F_REASSEMBLED_LENGTH,
	F_REASSEMBLED_IN,
	F_SEGMENT_DATA,
	F_COUNT
};

static const struct tw_field fields[F_COUNT] = {
	[F_SEGMENTS] = { "tcp.segments", "Reassembled TCP Segments", FT_NONE, BASE_NONE, 0, NULL },
	[F_SEGMENT] = { "tcp.segment", "TCP Segment", FT_FRAMENUM, BASE_DEC, 0, NULL },
	[F_SEGMENT_COUNT] = { "tcp.segment.count", "Segment count", FT_U32, BASE_DEC, 0, NULL },
	[F_REASSEMBLED_LENGTH] = { "tcp.reassembled.length", "Reassembled TCP length", FT_U32, BASE_DEC, 0, NULL },
	[F_REASSEMBLED_IN] = { "tcp.reassembled_in", "Reassembled PDU in frame", FT_FRAMENUM, BASE_DEC, 0, NULL },
	[F_SEGMENT_DATA] = { "tcp.segment_data", "TCP segment data", FT_BYTES, BASE_NONE, 0, NULL },
};
const struct tw_field_table stream_field_table = { fields, F_COUNT };

static bool
port_is(uint16_t a, uint16_t b, const uint16_t *ports, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a == ports[i] || b == ports[i])
			return true;
	return false;
}

static bool
looks_tls(const uint8_t *p, size_t n)
{
	if (n >= 5 && p[0] >= 20 && p[0] <= 23 && p[1] == 3 && p[2] <= 4)
		return true;
	/* SSL 2.0-compatible ClientHello (RFC 6101 appendix E.2). */
	return n >= 5 && (p[0] & 0x80) && p[2] == 1 && p[3] == 3 && p[4] <= 4;
}

uint8_t
tcp_app_guess(uint16_t sport, uint16_t dport, const uint8_t *p, size_t n)
{
	static const uint16_t tls_ports[] = { 443, 465, 563, 636, 853, 989, 990, 992, 993, 994, 995,
		                              3269, 4433, 5061, 5986, 8443, 9131 };
	static const uint16_t http_ports[] = { 80, 3128, 8000, 8008, 8080, 8088, 8888 };
	/* Content first: TLS and HTTP are recognized on any port. */
	if (looks_tls(p, n))
		return APP_TLS;
	if (n >= 4 && (memcmp(p, "GET ", 4) == 0 || memcmp(p, "POST", 4) == 0 ||
	               memcmp(p, "HEAD", 4) == 0 || memcmp(p, "PUT ", 4) == 0 ||
	               memcmp(p, "HTTP", 4) == 0 || memcmp(p, "OPTI", 4) == 0 ||
	               memcmp(p, "DELE", 4) == 0 || memcmp(p, "CONN", 4) == 0 ||
	               memcmp(p, "PATC", 4) == 0 || memcmp(p, "TRAC", 4) == 0))
		return APP_HTTP;
	if (sport == 53 || dport == 53)
		return APP_DNS;
	if (port_is(sport, dport, tls_ports, ARRAY_SIZE(tls_ports)))
		return APP_TLS;
	if (port_is(sport, dport, http_ports, ARRAY_SIZE(http_ports)))
		return APP_HTTP;
	return APP_NONE;
}

void
app_pdu_first_pass(struct tw_dctx *c, const struct tw_pdu_view *v)
{
	if (c->frame) /* the display filter's index (capture.h) */
		c->frame->flags |= v->app == APP_TLS ? FRAME_IDX_APP_TLS : v->app == APP_HTTP ? FRAME_IDX_APP_HTTP
		                 : v->app == APP_DNS ? FRAME_IDX_APP_DNS : 0;
	switch (v->app) {
	case APP_TLS:
		tls_first_pass(c, v);
		break;
	case APP_HTTP:
		http_first_pass(c, v);
		break;
	case APP_DNS: {
		/* DNS over TCP: query/response matching happens in the load pass. */
		struct tw_buf b = buf_init(v->p, v->len, v->len, 0);
		dis_dns_tcp(c, &b, NULL);
		break;
	}
	default:
		break;
	}
}

void
app_dissect_pdu(struct tw_dctx *c, uint8_t app, struct tw_buf *b, struct tw_node *parent, uint32_t conv,
                int dir)
{
	switch (app) {
	case APP_TLS:
		dis_tls(c, b, parent, conv, dir);
		break;
	case APP_DNS:
		dis_dns_tcp(c, b, parent);
		break;
	case APP_HTTP:
		dis_http(c, b, parent, conv, dir);
		break;
	default:
		dissect_data(c, b, parent);
		break;
	}
}

/* Whole PDUs in [at, end) of the frame payload view, framed in place. */
static void
in_frame_pdus(struct tw_dctx *c, struct tw_buf *pl, size_t at, size_t end, struct tw_node *parent,
              uint8_t app, uint32_t conv, int dir)
{
	while (at < end) {
		const uint8_t *p = pl->p + at;
		size_t n = end - at;
		int64_t len = reasm_pdu_len(app, p, n);
		struct tw_buf v = *pl;
		v.off = at;
		struct tw_buf one;
		if (len <= 0 || (uint64_t)len > n || (at + (size_t)len == end && end == pl->len)) {
			/* The rest as one unit: keeps its reported length, so a snaplen cut shows. */
			one = buf_rest(&v);
			len = (int64_t)n;
		} else {
			one = buf_sub(&v, (size_t)len);
		}
		app_dissect_pdu(c, app, &one, parent, conv, dir);
		at += (size_t)len;
	}
}

struct tw_buf
pdu_buffer(struct tw_dctx *c, uint32_t pdu, const char *name, struct tw_arena **scratch)
{
	struct tw_tree *t = c->tree;
	const struct tw_reasm *r = c->convs->reasm;
	const struct tw_pdu *p = reasm_pdu(r, pdu);
	size_t len = p ? p->len : 0;
	/* No tree: the capture's scratch arena (reset per frame), or a new one for the caller. */
	*scratch = !t && !c->scratch ? arena_new() : NULL;
	uint8_t *bytes = arena_alloc(t ? t->arena : c->scratch ? c->scratch : *scratch, len ? len : 1);
	if (p)
		reasm_copy(r, c->cap, pdu, bytes);
	uint16_t src = 0;
	if (t) {
		char label[96];
		snprintf(label, sizeof label, "%s (%zu bytes)", name, len);
		src = tree_add_datasrc(t, label, bytes, len);
	}
	return buf_init(bytes, len, len, src);
}

/* "[3 Reassembled TCP Segments (3028 bytes): #6(1448), #8(1448), #10(132)]" */
struct tw_node *
pdu_parts_node(struct tw_dctx *c, struct tw_node *parent, uint32_t pdu, const struct tw_buf *b,
               const struct pdu_fields *pf)
{
	struct tw_tree *t = c->tree;
	const struct tw_reasm *r = c->convs->reasm;
	const struct tw_pdu *p = reasm_pdu(r, pdu);
	struct tw_node *list = p ? tree_add(t, parent, pf->list, b, 0, p->len) : NULL;
	if (!list)
		return NULL;
	struct tw_sb sb;
	sb_heap(&sb);
	sb_addf(&sb, "[%u Reassembled %s (%u bytes):", p->npieces, pf->what, p->len);
	for (uint32_t i = 0; i < p->npieces && i < 64; i++) {
		const struct tw_piece *pc = reasm_piece(r, p->first_piece + i);
		sb_addf(&sb, "%s #%u(%u)", i ? "," : "", pc->frame + 1, pc->len);
	}
	if (p->npieces > 64)
		sb_adds(&sb, " \xe2\x80\xa6");
	sb_addc(&sb, ']');
	list->label = arena_strndup(t->arena, sb.s, sb.len);
	sb_free(&sb);
	uint32_t pos = 0;
	for (uint32_t i = 0; i < p->npieces; i++) {
		const struct tw_piece *pc = reasm_piece(r, p->first_piece + i);
		struct tw_node *n = tree_add(t, list, pf->item, b, pos, pc->len);
		node_set_u(n, pc->frame + 1);
		node_label(t, n, "[Frame: %u, payload: %u-%u (%u bytes)]", pc->frame + 1, pos, pos + pc->len - 1, pc->len);
		pos += pc->len;
	}
	if (pf->count)
		node_set_u(tree_add_gen(t, list, pf->count), p->npieces);
	if (pf->length)
		node_set_u(tree_add_gen(t, list, pf->length), p->len);
	if (p->flags & PDU_INCOMPLETE)
		tree_expert(t, list, TW_SEV_WARN, "PDU never completed (%s)",
		            p->flags & PDU_LIMIT ? "reassembly limit reached" : "the capture ends or bytes are missing");
	return list;
}

static const struct pdu_fields tcp_parts = {
	&fields[F_SEGMENTS], &fields[F_SEGMENT], &fields[F_SEGMENT_COUNT], &fields[F_REASSEMBLED_LENGTH], "TCP Segments",
};

void
tcp_payload(struct tw_dctx *c, struct tw_buf *pl, struct tw_node *parent, struct tw_node *tcp, uint32_t conv,
            int dir, uint32_t seq, bool fin, bool rst)
{
	struct tw_convs *cs = c->convs;
	struct tw_conv *cv = cs && conv < cs->n ? &cs->v[conv] : NULL;
	struct tw_reasm *r = cs ? cs->reasm : NULL;
	size_t n = buf_left(pl);
	if (!cv || !r) {
		dissect_data(c, pl, parent);
		return;
	}
	if (c->first_pass) {
		if (cv->app == APP_UNKNOWN && n)
			cv->app = tcp_app_guess(cv->port[0], cv->port[1], pl->p + pl->off, n);
		if (cv->app != APP_UNKNOWN && cv->app != APP_NONE) {
			/* Bytes missing from the capture (snaplen) are a gap in the stream. */
			uint32_t start = cv->have_base[dir] ? cv->base_seq[dir] + 1 : seq;
			reasm_segment(r, c, conv, dir, cv->app, start, seq, pl->p + pl->off, (uint32_t)buf_pos_abs(pl),
			              (uint32_t)n, (uint32_t)buf_reported_left(pl), fin, rst);
		}
		return;
	}
	uint8_t app = cv->app;
	if (app == APP_UNKNOWN || app == APP_NONE || pl->src != 0) {
		dissect_data(c, pl, parent);
		return;
	}
	struct tw_tree *t = c->tree;
	uint32_t frame = c->pi.num - 1;

	/* 1. PDUs that complete in this frame, from reassembled buffers. */
	uint32_t done[64];
	size_t ndone = reasm_frame_done(r, frame, 0, done, ARRAY_SIZE(done));
	for (size_t i = 0; i < ndone; i++) {
		const struct tw_pdu *p = reasm_pdu(r, done[i]);
		if (p->conv != conv || p->dir != dir)
			continue;
		const struct tw_piece *only = p->npieces == 1 ? reasm_piece(r, p->first_piece) : NULL;
		if (only && only->frame == frame && only->foff >= pl->abs && only->foff - pl->abs + only->len <= pl->len) {
			/* Stored for its length only: show it from the frame's own bytes. */
			struct tw_buf v = *pl;
			v.off = only->foff - pl->abs;
			struct tw_buf one = buf_sub(&v, only->len);
			c->cur_pdu = done[i];
			app_dissect_pdu(c, p->app, &one, parent, conv, dir);
			c->cur_pdu = PIECE_SKIP;
			continue;
		}
		struct tw_arena *tmp;
		struct tw_buf rb = pdu_buffer(c, done[i], "Reassembled TCP", &tmp);
		pdu_parts_node(c, parent, done[i], &rb, &tcp_parts);
		c->cur_pdu = done[i];
		app_dissect_pdu(c, p->app, &rb, parent, conv, dir);
		c->cur_pdu = PIECE_SKIP;
		arena_free(tmp);
	}

	/* 2. Walk the payload: stored pieces, and whole PDUs between them. */
	const uint32_t *idx;
	size_t np = reasm_frame_pieces(r, frame, 0, &idx);
	size_t at = pl->off;
	size_t end = pl->off + n;
	bool segment_note = false;
	for (size_t i = 0; i < np; i++) {
		const struct tw_piece *pc = reasm_piece(r, idx[i]);
		size_t ps = pc->foff - pl->abs; /* piece offset within the view */
		if (pc->foff < pl->abs || ps < at || ps >= end)
			continue;
		if (ps > at)
			in_frame_pdus(c, pl, at, ps, parent, app, conv, dir);
		size_t pe = ps + pc->len > end ? end : ps + pc->len;
		if (pc->pdu == PIECE_SKIP) {
			struct tw_node *x = tree_add(t, tcp, &fields[F_SEGMENT_DATA], pl, ps, pe - ps);
			node_set_bytes(x, pl->p + ps, pe - ps);
			node_label(t, x, "[%zu byte%s already seen or before a resynchronization point: not reassembled]",
			           pe - ps, pe - ps == 1 ? "" : "s");
		} else {
			const struct tw_pdu *p = reasm_pdu(r, pc->pdu);
			if (p->done_frame != frame) {
				struct tw_node *x = tree_add(t, tcp, &fields[F_SEGMENT_DATA], pl, ps, pe - ps);
				node_set_bytes(x, pl->p + ps, pe - ps);
				node_label(t, x, "TCP segment data (%zu byte%s)", pe - ps, pe - ps == 1 ? "" : "s");
				if (p->flags & PDU_INCOMPLETE) {
					tree_expert(t, tcp, TW_SEV_NOTE,
					            "[Segment of a PDU that never completed; what was captured is shown in frame %u]",
					            p->done_frame + 1);
				} else {
					struct tw_node *ri = tree_add_gen(t, tcp, &fields[F_REASSEMBLED_IN]);
					node_set_u(ri, p->done_frame + 1);
					node_label(t, ri, "[Reassembled PDU in frame: %u]", p->done_frame + 1);
				}
				segment_note = true;
			}
		}
		at = pe;
	}
	if (at < end)
		in_frame_pdus(c, pl, at, end, parent, app, conv, dir);
	if (segment_note && ndone == 0 && np && !c->pi.in_error) {
		/* Only segments of PDUs completing elsewhere: say so like Wireshark. */
		bool only = true;
		for (size_t i = 0; i < np; i++)
			if (reasm_piece(r, idx[i])->pdu == PIECE_SKIP)
				only = false;
		if (only && c->pi.top == PROTO_TCP) {
			col_clear_info(c);
			col_add_info(c, "[TCP segment of a reassembled PDU]");
		}
	}
}
