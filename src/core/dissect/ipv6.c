/*
 * ipv6.c - Internet Protocol version 6 (RFC 8200) and its extension headers.
 *
 *  +-------+---------------+---------------------------------------+
 *  |Version| Traffic Class |              Flow Label               |
 *  |        Payload Length         |  Next Header  |   Hop Limit   |
 *  |                 Source Address (128 bits)                     |
 *  |              Destination Address (128 bits)                   |
 *  +---------------------------------------------------------------+
 *
 * Extension headers (hop-by-hop 0, routing 43, fragment 44, destination
 * options 60) are walked with a hard cap on their number; each is bounded
 * by its own length field inside the payload length.
 */
#include "core/dissect/dissect.h"

#include "core/field.h"

#include <string.h>

#define MAX_EXT_HEADERS 16

enum {
	F_IPV6,
	F_VERSION,
	F_TCLASS,
	F_FLOW,
	F_PLEN,
	F_NXT,
	F_HLIM,
	F_SRC,
	F_DST,
	F_ADDR,
	F_HOPOPTS,
	F_HOPOPTS_NXT,
	F_HOPOPTS_LEN,
	F_ROUTING,
	F_ROUTING_NXT,
	F_ROUTING_LEN,
	F_ROUTING_TYPE,
	F_ROUTING_SEGLEFT,
	F_FRAGHDR,
	F_FRAG_NXT,
	F_FRAG_OFFSET,
	F_FRAG_MORE,
	F_FRAG_IDENT,
	F_DSTOPTS,
	F_DSTOPTS_NXT,
	F_DSTOPTS_LEN,
	F_COUNT
};

static const struct tw_field fields[F_COUNT] = {
	[F_IPV6] = { "ipv6", "Internet Protocol Version 6", FT_PROTOCOL, BASE_NONE, 0, NULL },
	[F_VERSION] = { "ipv6.version", "Version", FT_U8, BASE_DEC, 0xf0, NULL },
	[F_TCLASS] = { "ipv6.tclass", "Traffic Class", FT_U32, BASE_HEX, 0x0ff00000, NULL },
	[F_FLOW] = { "ipv6.flow", "Flow Label", FT_U32, BASE_HEX, 0x000fffff, NULL },
	[F_PLEN] = { "ipv6.plen", "Payload Length", FT_U16, BASE_DEC, 0, NULL },
	[F_NXT] = { "ipv6.nxt", "Next Header", FT_U8, BASE_DEC, 0, ipproto_vals },
	[F_HLIM] = { "ipv6.hlim", "Hop Limit", FT_U8, BASE_DEC, 0, NULL },
	[F_SRC] = { "ipv6.src", "Source Address", FT_IPV6, BASE_NONE, 0, NULL },
	[F_DST] = { "ipv6.dst", "Destination Address", FT_IPV6, BASE_NONE, 0, NULL },
	[F_ADDR] = { "ipv6.addr", "Source or Destination Address", FT_IPV6, BASE_NONE, 0, NULL },
	[F_HOPOPTS] = { "ipv6.hopopts", "IPv6 Hop-by-Hop Option", FT_PROTOCOL, BASE_NONE, 0, NULL },
	[F_HOPOPTS_NXT] = { "ipv6.hopopts.nxt", "Next Header", FT_U8, BASE_DEC, 0, ipproto_vals },
	[F_HOPOPTS_LEN] = { "ipv6.hopopts.len", "Length", FT_U8, BASE_DEC, 0, NULL },
	[F_ROUTING] = { "ipv6.routing", "Routing Header for IPv6", FT_PROTOCOL, BASE_NONE, 0, NULL },
	[F_ROUTING_NXT] = { "ipv6.routing.nxt", "Next Header", FT_U8, BASE_DEC, 0, ipproto_vals },
	[F_ROUTING_LEN] = { "ipv6.routing.len", "Length", FT_U8, BASE_DEC, 0, NULL },
	[F_ROUTING_TYPE] = { "ipv6.routing.type", "Type", FT_U8, BASE_DEC, 0, NULL },
	[F_ROUTING_SEGLEFT] = { "ipv6.routing.segleft", "Segments Left", FT_U8, BASE_DEC, 0, NULL },
	[F_FRAGHDR] = { "ipv6.fraghdr", "Fragment Header for IPv6", FT_PROTOCOL, BASE_NONE, 0, NULL },
	[F_FRAG_NXT] = { "ipv6.fraghdr.nxt", "Next header", FT_U8, BASE_DEC, 0, ipproto_vals },
	[F_FRAG_OFFSET] = { "ipv6.fraghdr.offset", "Offset", FT_U16, BASE_DEC, 0xfff8, NULL },
	[F_FRAG_MORE] = { "ipv6.fraghdr.more", "More Fragments", FT_BOOL, 16, 0x0001, NULL },
	[F_FRAG_IDENT] = { "ipv6.fraghdr.ident", "Identification", FT_U32, BASE_HEX, 0, NULL },
	[F_DSTOPTS] = { "ipv6.dstopts", "Destination Options for IPv6", FT_PROTOCOL, BASE_NONE, 0, NULL },
	[F_DSTOPTS_NXT] = { "ipv6.dstopts.nxt", "Next Header", FT_U8, BASE_DEC, 0, ipproto_vals },
	[F_DSTOPTS_LEN] = { "ipv6.dstopts.len", "Length", FT_U8, BASE_DEC, 0, NULL },
};
const struct tw_field_table ipv6_field_table = { fields, F_COUNT };

/* Hop-by-hop, destination options, routing: next(1) len(1) in 8-octet units, excluding the first 8. */
static bool
ext_generic(struct tw_dctx *c, struct tw_buf *pl, struct tw_node *parent, uint8_t *nxt,
            int fproto, int fnxt, int flen, const char *layer)
{
	struct tw_tree *t = c->tree;
	size_t at = pl->off;
	uint8_t next = buf_peek_u8(pl, 0);
	uint8_t len8 = buf_peek_u8(pl, 1);
	size_t len = ((size_t)len8 + 1) * 8;
	col_add_proto_layer(c, layer);
	struct tw_node *e = tree_add(t, parent, &fields[fproto], pl, at, len);
	struct tw_buf eb = buf_sub(pl, len);
	tree_read_u8(t, e, &fields[fnxt], &eb);
	tree_read_u8(t, e, &fields[flen], &eb);
	if (e)
		node_label(t, e->last, "Length: %u (%zu bytes)", len8, len);
	if (fproto == F_ROUTING) {
		tree_read_u8(t, e, &fields[F_ROUTING_TYPE], &eb);
		tree_read_u8(t, e, &fields[F_ROUTING_SEGLEFT], &eb);
	}
	if (!buf_ok(pl) || !buf_has(&eb, 0)) {
		node_note_buf(t, e, buf_ok(pl) ? &eb : pl, layer);
		return false;
	}
	*nxt = next;
	return true;
}

static bool
ext_fragment(struct tw_dctx *c, struct tw_buf *pl, struct tw_node *parent, uint8_t *nxt, bool *done)
{
	struct tw_tree *t = c->tree;
	col_add_proto_layer(c, "ipv6.fraghdr");
	size_t at = pl->off;
	struct tw_node *e = tree_add(t, parent, &fields[F_FRAGHDR], pl, at, 8);
	uint8_t next = tree_read_u8(t, e, &fields[F_FRAG_NXT], pl);
	buf_skip(pl, 1);
	size_t oat = pl->off;
	uint16_t offm = buf_be16(pl);
	tree_add_bits(t, e, &fields[F_FRAG_OFFSET], pl, oat, 2, offm);
	tree_add_bits(t, e, &fields[F_FRAG_MORE], pl, oat, 2, offm);
	uint32_t ident = tree_read_be32(t, e, &fields[F_FRAG_IDENT], pl);
	if (!buf_ok(pl)) {
		node_note_buf(t, e, pl, "IPv6 fragment header");
		return false;
	}
	unsigned off = offm & 0xfff8;
	bool more = offm & 1;
	if (off || more) {
		/* RFC 8200 4.5: source, destination and identification name the datagram. */
		uint8_t key[37];
		memcpy(key, c->pi.ip_src.a, 16);
		memcpy(key + 16, c->pi.ip_dst.a, 16);
		key[32] = (uint8_t)(ident >> 24);
		key[33] = (uint8_t)(ident >> 16);
		key[34] = (uint8_t)(ident >> 8);
		key[35] = (uint8_t)ident;
		key[36] = next;
		if (ip_defrag(c, pl, parent, e, key, sizeof key, off, more, next, true)) {
			*done = true;
			return true;
		}
		c->pi.fragment = true;
		tree_expert(t, e, TW_SEV_NOTE, "Fragmented IPv6 datagram (offset %u%s); payload not reassembled",
		            off, more ? ", more fragments follow" : "");
		col_clear_info(c);
		char unk[32];
		col_add_info(c, "IPv6 fragment (off=%u more=%s ident=0x%08x nxt=%u %s)", off,
		             more ? "y" : "n", ident, next, val_to_str_unk(next, ipproto_vals, unk, sizeof unk));
	}
	*nxt = next;
	return true;
}

void
dis_ipv6(struct tw_dctx *c, struct tw_buf *b, struct tw_node *parent)
{
	struct tw_tree *t = c->tree;
	struct tw_pinfo *pi = &c->pi;
	col_add_proto_layer(c, "ipv6");
	col_set_proto(c, "IPv6", PROTO_IPV6);
	size_t start = b->off;
	struct tw_node *ip = proto_add(c, parent, &fields[F_IPV6], b, 40);
	/* Fields one by one, so a header cut by the snapshot length shows what was captured. */
	uint32_t vcf = buf_be32(b);
	if (!buf_ok(b))
		goto short_header;
	tree_add_bits(t, ip, &fields[F_VERSION], b, start, 1, vcf >> 24);
	if ((vcf >> 28) != 6)
		tree_expert(t, ip, TW_SEV_ERROR, "Bogus IP version (%u, must be 6)", vcf >> 28);
	tree_add_bits(t, ip, &fields[F_TCLASS], b, start, 4, vcf);
	tree_add_bits(t, ip, &fields[F_FLOW], b, start, 4, vcf);
	uint16_t plen = tree_read_be16(t, ip, &fields[F_PLEN], b);
	if (!buf_ok(b))
		goto short_header;
	uint8_t nxt = tree_read_u8(t, ip, &fields[F_NXT], b);
	if (!buf_ok(b))
		goto short_header;
	tree_read_u8(t, ip, &fields[F_HLIM], b);
	if (!buf_ok(b))
		goto short_header;
	size_t sat = b->off;
	const uint8_t *src = buf_ptr(b, 16);
	if (!src)
		goto short_header;
	struct tw_node *n = tree_add(t, ip, &fields[F_SRC], b, sat, 16);
	node_set_bytes(n, src, 16);
	n = tree_add(t, ip, &fields[F_ADDR], b, sat, 16);
	node_set_bytes(n, src, 16);
	node_set_flags(n, TW_NF_HIDDEN);
	const uint8_t *dst = buf_ptr(b, 16);
	if (!dst)
		goto short_header;
	n = tree_add(t, ip, &fields[F_DST], b, sat + 16, 16);
	node_set_bytes(n, dst, 16);
	n = tree_add(t, ip, &fields[F_ADDR], b, sat + 16, 16);
	node_set_bytes(n, dst, 16);
	node_set_flags(n, TW_NF_HIDDEN);
	addr_set(&pi->ip_src, AT_IPV6, src);
	addr_set(&pi->ip_dst, AT_IPV6, dst);
	if (!pi->in_error || pi->net_src.type == AT_NONE) {
		addr_set(&pi->net_src, AT_IPV6, src);
		addr_set(&pi->net_dst, AT_IPV6, dst);
	}
	if (ip && t->labels) {
		struct tw_sb sb;
		sb_heap(&sb);
		sb_adds(&sb, "Internet Protocol Version 6, Src: ");
		fmt_ipv6(&sb, src);
		sb_adds(&sb, ", Dst: ");
		fmt_ipv6(&sb, dst);
		node_label(t, ip, "%s", sb.s);
		sb_free(&sb);
	}

	size_t plen_eff = plen;
	if (plen == 0 && nxt != 0) {
		/* Jumbograms need a hop-by-hop option; TSO captures use 0 too. */
		tree_expert(t, ip, TW_SEV_WARN, "Payload Length 0 (maybe TCP segmentation offload)");
		plen_eff = buf_reported_left(b);
	} else if (plen > buf_reported_left(b)) {
		tree_expert(t, ip, TW_SEV_ERROR, "Payload Length %u exceeds the frame (%zu bytes available)",
		            plen, buf_reported_left(b));
	}
	struct tw_buf pl = buf_sub(b, plen_eff);
	if (b->err == BUF_MALFORMED)
		b->err = BUF_OK;

	for (int i = 0;; i++) {
		if (i == MAX_EXT_HEADERS) {
			tree_expert(t, ip, TW_SEV_ERROR, "More than %d IPv6 extension headers; stopped",
			            MAX_EXT_HEADERS);
			dissect_data(c, &pl, parent);
			return;
		}
		bool ok = true;
		switch (nxt) {
		case 0:
			ok = ext_generic(c, &pl, parent, &nxt, F_HOPOPTS, F_HOPOPTS_NXT, F_HOPOPTS_LEN, "ipv6.hopopts");
			break;
		case 43:
			ok = ext_generic(c, &pl, parent, &nxt, F_ROUTING, F_ROUTING_NXT, F_ROUTING_LEN, "ipv6.routing");
			break;
		case 60:
			ok = ext_generic(c, &pl, parent, &nxt, F_DSTOPTS, F_DSTOPTS_NXT, F_DSTOPTS_LEN, "ipv6.dstopts");
			break;
		case 44: {
			bool done = false;
			ok = ext_fragment(c, &pl, parent, &nxt, &done);
			if (done)
				return;
			break;
		}
		default:
			dissect_ipproto(c, nxt, &pl, parent);
			return;
		}
		if (!ok)
			return;
	}

short_header:
	node_note_buf(t, ip, b, "IPv6 header");
	col_clear_info(c);
	col_add_info(c, "[IPv6 header %s]", b->err == BUF_TRUNC ? "truncated" : "malformed");
}
