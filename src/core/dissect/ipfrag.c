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
	struct tw_arena *tmp;
	struct tw_buf db = pdu_buffer(c, done, v6 ? "Reassembled IPv6" : "Reassembled IPv4", &tmp);
	const struct pdu_fields parts = { &fs[F_FRAGMENTS], &fs[F_FRAGMENT], &fs[F_COUNT_], &fs[F_REASSEMBLED_LEN],
		                          v6 ? "IPv6 Fragments" : "IPv4 Fragments" };
	pdu_parts_node(c, ipnode, done, &db, &parts);
	c->pi.fragment = false;
	col_clear_info(c);
	dissect_ipproto(c, proto, &db, parent);
	arena_free(tmp);
	return true;
}
