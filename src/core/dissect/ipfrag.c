/*
 * ipfrag.c - IPv4 (RFC 791) and IPv6 (RFC 8200 4.5) fragment reassembly.
 *
 * Fragments are pieces of a level-2 PDU in the reassembly store (reasm.h):
 * the load pass files each fragment under its datagram (addresses,
 * identification, protocol) and the fragment that completes the datagram
 * shows it, reassembled into a data source of its own, dissected from the
 * transport layer up. The other fragments say where it was reassembled.
 */
#include "core/dissect/dissect.h"

#include "core/capture.h"
#include "core/conv.h"
#include "core/field.h"
#include "core/reasm.h"

#include <stdlib.h>
#include <string.h>

enum { F_FRAGMENTS, F_FRAGMENT, F_COUNT_, F_REASSEMBLED_IN, F_REASSEMBLED_LEN, F_NFIELDS };

static const struct tw_field v4_fields[F_NFIELDS] = {
	[F_FRAGMENTS] = { "ip.fragments", "IPv4 Fragments", FT_NONE, BASE_NONE, 0, NULL },
	[F_FRAGMENT] = { "ip.fragment", "IPv4 Fragment", FT_FRAMENUM, BASE_DEC, 0, NULL },
	[F_COUNT_] = { "ip.fragment.count", "Fragment count", FT_U32, BASE_DEC, 0, NULL },
	[F_REASSEMBLED_IN] = { "ip.reassembled_in", "Reassembled IPv4 in frame", FT_FRAMENUM, BASE_DEC, 0, NULL },
	[F_REASSEMBLED_LEN] = { "ip.reassembled.length", "Reassembled IPv4 length", FT_U32, BASE_DEC, 0, NULL },
};
static const struct tw_field v6_fields[F_NFIELDS] = {
	[F_FRAGMENTS] = { "ipv6.fragments", "IPv6 Fragments", FT_NONE, BASE_NONE, 0, NULL },
	[F_FRAGMENT] = { "ipv6.fragment", "IPv6 Fragment", FT_FRAMENUM, BASE_DEC, 0, NULL },
	[F_COUNT_] = { "ipv6.fragment.count", "Fragment count", FT_U32, BASE_DEC, 0, NULL },
	[F_REASSEMBLED_IN] = { "ipv6.reassembled_in", "Reassembled IPv6 in frame", FT_FRAMENUM, BASE_DEC, 0, NULL },
	[F_REASSEMBLED_LEN] = { "ipv6.reassembled.length", "Reassembled IPv6 length", FT_U32, BASE_DEC, 0, NULL },
};
const struct tw_field_table ipfrag_v4_field_table = { v4_fields, F_NFIELDS };
const struct tw_field_table ipfrag_v6_field_table = { v6_fields, F_NFIELDS };

static uint32_t
key_hash(const uint8_t *k, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ k[i]) * 16777619u;
	return h;
}

bool
ip_defrag(struct tw_dctx *c, struct tw_buf *pl, struct tw_node *parent, struct tw_node *ipnode,
          const uint8_t *key, size_t keylen, uint32_t off, bool more, uint8_t proto, bool v6)
{
	struct tw_reasm *r = c->convs ? c->convs->reasm : NULL;
	if (!r || c->pi.in_error || buf_left(pl) < buf_reported_left(pl))
		return false; /* not reassemblable: bytes missing from the capture */
	const struct tw_field *fs = v6 ? v6_fields : v4_fields;
	struct tw_tree *t = c->tree;
	uint32_t h = key_hash(key, keylen);
	uint32_t frame = c->pi.num - 1;
	uint32_t foff = (uint32_t)buf_pos_abs(pl);
	uint32_t len = (uint32_t)buf_left(pl);
	uint32_t done = PIECE_SKIP;
	if (c->first_pass) {
		done = reasm_ip_fragment(r, frame, key, keylen, h, off, more, foff, len);
	} else {
		uint32_t ids[16];
		size_t n = reasm_frame_done(r, frame, REASM_LEVEL_IP, ids, ARRAY_SIZE(ids));
		for (size_t i = 0; i < n; i++)
			if (reasm_pdu(r, ids[i])->conv == h)
				done = ids[i];
	}
	if (done == PIECE_SKIP) {
		if (!c->first_pass) {
			/* Not the last: where does this fragment's datagram come together? */
			const uint32_t *idx;
			size_t np = reasm_frame_pieces(r, frame, REASM_LEVEL_IP, &idx);
			for (size_t i = 0; i < np; i++) {
				const struct tw_piece *pc = reasm_piece(r, idx[i]);
				const struct tw_pdu *p = reasm_pdu(r, pc->pdu);
				if (p && p->conv == h) {
					struct tw_node *x = tree_add_gen(t, ipnode, &fs[F_REASSEMBLED_IN]);
					node_set_u(x, p->done_frame + 1);
					node_label(t, x, "[Reassembled %s in frame: %u]", v6 ? "IPv6" : "IPv4", p->done_frame + 1);
					break;
				}
			}
		}
		return false; /* shown as a fragment (data) by the caller */
	}
	const struct tw_pdu *p = reasm_pdu(r, done);
	struct tw_arena *tmp = NULL;
	uint8_t *bytes;
	if (t) {
		bytes = arena_alloc(t->arena, p->len ? p->len : 1);
	} else {
		tmp = arena_new();
		bytes = arena_alloc(tmp, p->len ? p->len : 1);
	}
	reasm_copy(r, c->cap, done, bytes);
	uint16_t src = 0;
	if (t) {
		char name[64];
		snprintf(name, sizeof name, "Reassembled %s (%u bytes)", v6 ? "IPv6" : "IPv4", p->len);
		src = tree_add_datasrc(t, name, bytes, p->len);
	}
	struct tw_buf db = buf_init(bytes, p->len, p->len, src);
	struct tw_node *fr = tree_add(t, ipnode, &fs[F_FRAGMENTS], &db, 0, p->len);
	if (fr) {
		struct tw_sb sb;
		sb_heap(&sb);
		sb_addf(&sb, "[%u %s Fragments (%u bytes):", p->npieces, v6 ? "IPv6" : "IPv4", p->len);
		for (uint32_t i = 0; i < p->npieces && i < 64; i++)
			sb_addf(&sb, "%s #%u(%u)", i ? "," : "", reasm_piece(r, p->first_piece + i)->frame + 1,
			        reasm_piece(r, p->first_piece + i)->len);
		sb_addc(&sb, ']');
		fr->label = arena_strndup(t->arena, sb.s, sb.len);
		sb_free(&sb);
		uint32_t pos = 0;
		for (uint32_t i = 0; i < p->npieces; i++) {
			const struct tw_piece *pc = reasm_piece(r, p->first_piece + i);
			struct tw_node *x = tree_add(t, fr, &fs[F_FRAGMENT], &db, pos, pc->len);
			node_set_u(x, pc->frame + 1);
			node_label(t, x, "[Frame: %u, payload: %u-%u (%u bytes)]", pc->frame + 1, pos,
			           pos + pc->len - 1, pc->len);
			pos += pc->len;
		}
		node_set_u(tree_add_gen(t, fr, &fs[F_COUNT_]), p->npieces);
		node_set_u(tree_add_gen(t, fr, &fs[F_REASSEMBLED_LEN]), p->len);
	}
	c->pi.fragment = false;
	col_clear_info(c);
	dissect_ipproto(c, proto, &db, parent);
	arena_free(tmp);
	return true;
}
