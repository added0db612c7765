/*
 * ipv4.c - Internet Protocol version 4 (RFC 791).
 *
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |Version|  IHL  |    DSCP   |ECN|          Total Length         |
 *  |         Identification        |Flags|      Fragment Offset    |
 *  |  Time to Live |    Protocol   |         Header Checksum       |
 *  |                       Source Address                          |
 *  |                    Destination Address                        |
 *  |                    Options (IHL > 5)                          |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * The header checksum is verified (RFC 1071). The payload view is narrowed
 * to Total Length so Ethernet padding is not taken for payload. Fragments
 * are flagged and their payload is shown as data (no IP reassembly).
 */
#include "core/dissect/dissect.h"

#include "core/field.h"

#include <string.h>

enum {
	F_IP,
	F_VERSION,
	F_HDR_LEN,
	F_DSFIELD,
	F_DSCP,
	F_ECN,
	F_LEN,
	F_ID,
	F_FLAGS,
	F_RB,
	F_DF,
	F_MF,
	F_FRAG_OFFSET,
	F_TTL,
	F_PROTO,
	F_CHECKSUM,
	F_CHECKSUM_CALC,
	F_CHECKSUM_STATUS,
	F_SRC,
	F_DST,
	F_ADDR,
	F_OPTIONS,
	F_OPT_TYPE,
	F_OPT_LEN,
	F_COUNT
};

static const struct tw_valstr dscp_vals[] = {
	{ 0, "Default" }, { 8, "CS1" },  { 10, "AF11" }, { 12, "AF12" }, { 14, "AF13" },
	{ 16, "CS2" },    { 18, "AF21" }, { 20, "AF22" }, { 22, "AF23" }, { 24, "CS3" },
	{ 26, "AF31" },   { 28, "AF32" }, { 30, "AF33" }, { 32, "CS4" },  { 34, "AF41" },
	{ 36, "AF42" },   { 38, "AF43" }, { 40, "CS5" },  { 44, "Voice-Admit" },
	{ 46, "Expedited Forwarding" }, { 48, "CS6" }, { 56, "CS7" }, { 0, NULL },
};
static const struct tw_valstr ecn_vals[] = {
	{ 0, "Not ECN-Capable Transport" },
	{ 1, "ECN-Capable Transport codepoint '01'" },
	{ 2, "ECN-Capable Transport codepoint '10'" },
	{ 3, "Congestion Experienced" },
	{ 0, NULL },
};
const struct tw_valstr cksum_status_vals[] = {
	{ 0, "Bad" }, { 1, "Good" }, { 2, "Unverified" }, { 3, "Not present" }, { 0, NULL },
};
static const struct tw_valstr ipopt_vals[] = {
	{ 0, "End of Options List (EOL)" }, { 1, "No-Operation (NOP)" },
	{ 7, "Record Route" },               { 68, "Time Stamp" },
	{ 130, "Security" },                 { 131, "Loose Source Route" },
	{ 133, "Extended Security" },        { 134, "Commercial IP Security Option" },
	{ 136, "Stream ID" },                { 137, "Strict Source Route" },
	{ 148, "Router Alert" },             { 0, NULL },
};

static const struct tw_field fields[F_COUNT] = {
	[F_IP] = { "ip", "Internet Protocol Version 4", FT_PROTOCOL, BASE_NONE, 0, NULL },
	[F_VERSION] = { "ip.version", "Version", FT_U8, BASE_DEC, 0xf0, NULL },
	[F_HDR_LEN] = { "ip.hdr_len", "Header Length", FT_U8, BASE_DEC, 0, NULL },
	[F_DSFIELD] = { "ip.dsfield", "Differentiated Services Field", FT_U8, BASE_HEX, 0, NULL },
	[F_DSCP] = { "ip.dsfield.dscp", "Differentiated Services Codepoint", FT_U8, BASE_DEC, 0xfc, dscp_vals },
	[F_ECN] = { "ip.dsfield.ecn", "Explicit Congestion Notification", FT_U8, BASE_DEC, 0x03, ecn_vals },
	[F_LEN] = { "ip.len", "Total Length", FT_U16, BASE_DEC, 0, NULL },
	[F_ID] = { "ip.id", "Identification", FT_U16, BASE_HEX_DEC, 0, NULL },
	[F_FLAGS] = { "ip.flags", "Flags", FT_U8, BASE_HEX, 0xe0, NULL },
	[F_RB] = { "ip.flags.rb", "Reserved bit", FT_BOOL, 8, 0x80, NULL },
	[F_DF] = { "ip.flags.df", "Don't fragment", FT_BOOL, 8, 0x40, NULL },
	[F_MF] = { "ip.flags.mf", "More fragments", FT_BOOL, 8, 0x20, NULL },
	[F_FRAG_OFFSET] = { "ip.frag_offset", "Fragment Offset", FT_U16, BASE_DEC, 0x1fff, NULL },
	[F_TTL] = { "ip.ttl", "Time to Live", FT_U8, BASE_DEC, 0, NULL },
	[F_PROTO] = { "ip.proto", "Protocol", FT_U8, BASE_DEC, 0, ipproto_vals },
	[F_CHECKSUM] = { "ip.checksum", "Header Checksum", FT_U16, BASE_HEX, 0, NULL },
	[F_CHECKSUM_CALC] = { "ip.checksum_calculated", "Calculated Checksum", FT_U16, BASE_HEX, 0, NULL },
	[F_CHECKSUM_STATUS] = { "ip.checksum.status", "Header checksum status", FT_U8, BASE_NONE, 0, cksum_status_vals },
	[F_SRC] = { "ip.src", "Source Address", FT_IPV4, BASE_NONE, 0, NULL },
	[F_DST] = { "ip.dst", "Destination Address", FT_IPV4, BASE_NONE, 0, NULL },
	[F_ADDR] = { "ip.addr", "Source or Destination Address", FT_IPV4, BASE_NONE, 0, NULL },
	[F_OPTIONS] = { "ip.options", "Options", FT_BYTES, BASE_NONE, 0, NULL },
	[F_OPT_TYPE] = { "ip.opt.type", "Type", FT_U8, BASE_DEC, 0, ipopt_vals },
	[F_OPT_LEN] = { "ip.opt.len", "Length", FT_U8, BASE_DEC, 0, NULL },
};
const struct tw_field_table ipv4_field_table = { fields, F_COUNT };

static void
ip_options(struct tw_dctx *c, struct tw_node *ip, struct tw_buf *ob)
{
	struct tw_tree *t = c->tree;
	struct tw_node *opts = tree_add_here(t, ip, &fields[F_OPTIONS], ob, buf_left(ob));
	node_set_bytes(opts, ob->p + ob->off, buf_left(ob));
	node_label(t, opts, "Options: (%zu bytes)", buf_left(ob));
	while (buf_left(ob)) {
		size_t at = ob->off;
		uint8_t type = buf_u8(ob);
		char unk[32];
		const char *name = val_to_str_unk(type, ipopt_vals, unk, sizeof unk);
		if (type == 0 || type == 1) {
			struct tw_node *o = tree_add(t, opts, NULL, ob, at, 1);
			node_label(t, o, "IP Option - %s", name);
			if (o && !o->label)
				o->label = "IP Option";
			tree_add_bits(t, o, &fields[F_OPT_TYPE], ob, at, 1, type);
			if (type == 0)
				break; /* the rest is padding */
			continue;
		}
		uint8_t len = buf_u8(ob);
		if (!buf_ok(ob) || (len >= 2 && len - 2u > buf_left(ob) && len - 2u <= buf_reported_left(ob))) {
			/* The option was on the wire but not captured. */
			struct tw_node *o = tree_add(t, opts, NULL, ob, at, buf_left(ob) + (ob->off - at));
			node_label(t, o, "IP Option - %s", name);
			if (buf_ok(ob))
				buf_need(ob, len - 2u);
			node_note_buf(t, o ? o : opts, ob, "IP option");
			return;
		}
		if (len < 2 || len - 2u > buf_left(ob)) {
			struct tw_node *o = tree_add(t, opts, NULL, ob, at, buf_left(ob) + (ob->off - at));
			node_label(t, o, "IP Option - %s", name);
			tree_expert(t, o ? o : opts, TW_SEV_ERROR, "[Malformed IP option: length %u %s]", len,
			            len < 2 ? "< 2" : "runs past the header");
			return;
		}
		struct tw_node *o = tree_add(t, opts, NULL, ob, at, len);
		node_label(t, o, "IP Option - %s (%u bytes)", name, len);
		tree_add_bits(t, o, &fields[F_OPT_TYPE], ob, at, 1, type);
		tree_add_bits(t, o, &fields[F_OPT_LEN], ob, at + 1, 1, len);
		buf_skip(ob, len - 2u);
	}
}

void
dis_ipv4(struct tw_dctx *c, struct tw_buf *b, struct tw_node *parent)
{
	struct tw_tree *t = c->tree;
	struct tw_pinfo *pi = &c->pi;
	col_add_proto_layer(c, "ip");
	col_set_proto(c, "IPv4", PROTO_IPV4);
	size_t start = b->off;
	const uint8_t *hdr = b->p + b->off;
	uint8_t vhl = buf_peek_u8(b, 0);
	size_t hlen = (size_t)(vhl & 0x0f) * 4;
	struct tw_node *ip = proto_add(c, parent, &fields[F_IP], b, hlen >= 20 ? hlen : 20);

	if (!buf_has(b, 1)) {
		buf_need(b, 1);
		goto short_header;
	}
	tree_add_bits(t, ip, &fields[F_VERSION], b, start, 1, vhl);
	struct tw_node *n = tree_add(t, ip, &fields[F_HDR_LEN], b, start, 1);
	node_set_u(n, hlen);
	node_label(t, n, ".... %u%u%u%u = Header Length: %zu bytes (%u)", (vhl >> 3) & 1, (vhl >> 2) & 1,
	           (vhl >> 1) & 1, vhl & 1, hlen, vhl & 0x0f);
	if ((vhl >> 4) != 4)
		tree_expert(t, ip, TW_SEV_ERROR, "Bogus IP version (%u, must be 4)", vhl >> 4);
	buf_skip(b, 1);
	if (hlen < 20) {
		tree_expert(t, ip, TW_SEV_ERROR, "Bogus IPv4 header length (%zu, must be at least 20)", hlen);
		buf_set_malformed(b);
		col_clear_info(c);
		col_add_info(c, "Bogus IPv4 header length (%zu, must be at least 20)", hlen);
		return;
	}
	/* Fields one by one, so a header cut by the snapshot length shows what was captured. */
	size_t dsat = b->off;
	uint8_t ds = buf_u8(b);
	if (!buf_ok(b))
		goto short_header;
	n = tree_add(t, ip, &fields[F_DSFIELD], b, dsat, 1);
	node_set_u(n, ds);
	if (n && t->labels) {
		static const char *const ecn_short[4] = { "Not-ECT", "ECT(1)", "ECT(0)", "CE" };
		char u1[32];
		const char *dscp = (ds >> 2) == 0 ? "CS0" : val_to_str_unk(ds >> 2, dscp_vals, u1, sizeof u1);
		node_label(t, n, "Differentiated Services Field: 0x%02x (DSCP: %s, ECN: %s)", ds, dscp,
		           ecn_short[ds & 3]);
	}
	tree_add_bits(t, n, &fields[F_DSCP], b, dsat, 1, ds);
	tree_add_bits(t, n, &fields[F_ECN], b, dsat, 1, ds);
	uint16_t tot = tree_read_be16(t, ip, &fields[F_LEN], b);
	if (!buf_ok(b))
		goto short_header;
	uint16_t ident = tree_read_be16(t, ip, &fields[F_ID], b);
	if (!buf_ok(b))
		goto short_header;
	size_t fat = b->off;
	uint16_t frag = buf_be16(b);
	if (!buf_ok(b))
		goto short_header;
	n = tree_add(t, ip, &fields[F_FLAGS], b, fat, 1);
	node_set_u(n, (uint64_t)(frag >> 8) & 0xe0);
	if (n && t->labels) {
		unsigned fl = frag >> 13;
		node_label(t, n, "%u%u%u. .... = Flags: 0x%x%s%s", (fl >> 2) & 1, (fl >> 1) & 1, fl & 1, fl,
		           fl & 2 ? ", Don't fragment" : "", fl & 1 ? ", More fragments" : "");
	}
	tree_add_bits(t, n, &fields[F_RB], b, fat, 1, frag >> 8);
	tree_add_bits(t, n, &fields[F_DF], b, fat, 1, frag >> 8);
	tree_add_bits(t, n, &fields[F_MF], b, fat, 1, frag >> 8);
	tree_add_bits(t, ip, &fields[F_FRAG_OFFSET], b, fat, 2, frag);
	uint8_t ttl = tree_read_u8(t, ip, &fields[F_TTL], b);
	if (!buf_ok(b))
		goto short_header;
	uint8_t proto = tree_read_u8(t, ip, &fields[F_PROTO], b);
	if (!buf_ok(b))
		goto short_header;
	size_t cat = b->off;
	uint16_t sum = buf_be16(b);
	if (!buf_ok(b))
		goto short_header;
	const uint8_t *src = buf_ptr(b, 4);
	if (!src)
		goto short_header;
	const uint8_t *dst = buf_ptr(b, 4);
	if (!dst)
		goto short_header;

	/* Checksum over the header as captured. */
	struct tw_node *cs = tree_add(t, ip, &fields[F_CHECKSUM], b, cat, 2);
	node_set_u(cs, sum);
	bool have_hdr = hlen <= b->len - start && c->tree; /* verified only where it is shown */
	if (have_hdr) {
		uint16_t calc = cksum_fold(cksum_add(0, hdr, hlen));
		/* calc is 0 when the stored sum is right. */
		uint16_t expect = cksum_fold(cksum_add(0, hdr, 10) + cksum_add(0, hdr + 12, hlen - 12));
		if (calc == 0) {
			node_label(t, cs, "Header Checksum: 0x%04x [correct]", sum);
			node_set_u(tree_add_gen(t, ip, &fields[F_CHECKSUM_STATUS]), 1);
		} else {
			node_label(t, cs, "Header Checksum: 0x%04x [incorrect, should be 0x%04x (may be caused by \"IP checksum offload\"?)]",
			           sum, expect);
			node_set_u(tree_add_gen(t, ip, &fields[F_CHECKSUM_CALC]), expect);
			node_set_u(tree_add_gen(t, ip, &fields[F_CHECKSUM_STATUS]), 0);
			tree_expert(t, cs, sum == 0 ? TW_SEV_WARN : TW_SEV_ERROR, "Bad IPv4 header checksum%s",
			            sum == 0 ? " (0: maybe checksum offload on the capturing host)" : "");
		}
	}
	struct tw_node *sn = tree_add(t, ip, &fields[F_SRC], b, b->off - 8, 4);
	uint32_t s32 = ((uint32_t)src[0] << 24) | ((uint32_t)src[1] << 16) | ((uint32_t)src[2] << 8) | src[3];
	uint32_t d32 = ((uint32_t)dst[0] << 24) | ((uint32_t)dst[1] << 16) | ((uint32_t)dst[2] << 8) | dst[3];
	node_set_u(sn, s32);
	struct tw_node *dn = tree_add(t, ip, &fields[F_DST], b, b->off - 4, 4);
	node_set_u(dn, d32);
	n = tree_add(t, ip, &fields[F_ADDR], b, b->off - 8, 4);
	node_set_u(n, s32);
	node_set_flags(n, TW_NF_HIDDEN);
	n = tree_add(t, ip, &fields[F_ADDR], b, b->off - 4, 4);
	node_set_u(n, d32);
	node_set_flags(n, TW_NF_HIDDEN);

	addr_set(&pi->ip_src, AT_IPV4, src);
	addr_set(&pi->ip_dst, AT_IPV4, dst);
	if (!c->pi.in_error || c->pi.net_src.type == AT_NONE) {
		addr_set(&pi->net_src, AT_IPV4, src);
		addr_set(&pi->net_dst, AT_IPV4, dst);
	}
	if (ip && t->labels) {
		struct tw_sb sb;
		sb_heap(&sb);
		sb_adds(&sb, "Internet Protocol Version 4, Src: ");
		fmt_ipv4(&sb, s32);
		sb_adds(&sb, ", Dst: ");
		fmt_ipv4(&sb, d32);
		node_label(t, ip, "%s", sb.s);
		sb_free(&sb);
	}
	pi->ip_ttl = ttl;

	/* Options, bounded by the header length. */
	if (hlen > 20) {
		struct tw_buf ob = buf_sub(b, hlen - 20);
		ip_options(c, ip, &ob);
		if (!buf_ok(b)) {
			node_note_buf(t, ip, b, "IPv4 options");
			return;
		}
	}

	/* Payload: narrowed to Total Length. */
	size_t hdr_used = b->off - start;
	if (tot == 0) {
		/*
		 * TCP segmentation offload: the stack leaves Total Length 0 and the
		 * NIC fills it in. Use what the frame holds, as Wireshark does.
		 */
		tot = (uint16_t)TW_MIN(hdr_used + buf_reported_left(b), 65535);
		struct tw_node *ln = node_find(ip, &fields[F_LEN]);
		node_set_u(ln, tot);
		node_label(t, ln, "Total Length: %u (reported as 0, presumed to be because of \"TCP segmentation offload\" (TSO))", tot);
		tree_expert(t, ip, TW_SEV_WARN,
		            "IPv4 Total Length is 0: normal only on the sending host, captured before TCP segmentation offload filled it in");
	} else if (tot < hdr_used) {
		tree_expert(t, ip, TW_SEV_ERROR, "Total Length %u is less than the header length %zu", tot, hdr_used);
		tot = (uint16_t)TW_MIN(hdr_used + buf_reported_left(b), 65535);
	}
	if ((size_t)tot - hdr_used > buf_reported_left(b)) {
		if (pi->in_error)
			tree_add_text(t, ip, NULL, 0, 0, "[ICMP quotes only the start of this datagram (%zu of %u bytes)]",
			              hdr_used + buf_reported_left(b), tot);
		else
			tree_expert(t, ip, TW_SEV_ERROR, "Total Length %u exceeds the frame (%zu bytes available)",
			            tot, hdr_used + buf_reported_left(b));
	}
	struct tw_buf pl = buf_sub(b, (size_t)tot - hdr_used);
	if (b->err == BUF_MALFORMED)
		b->err = BUF_OK; /* reported above; keep the parent usable for trailers */
	if (pi->in_error && pl.err == BUF_MALFORMED)
		pl.err = BUF_OK; /* the quote ends early on purpose: what is there is all there is */

	unsigned off = (unsigned)(frag & 0x1fff) * 8;
	bool mf = frag & 0x2000;
	if (off || mf) {
		/* RFC 791: a datagram is identified by source, destination, protocol and id. */
		uint8_t key[11];
		memcpy(key, src, 4);
		memcpy(key + 4, dst, 4);
		key[8] = (uint8_t)(ident >> 8);
		key[9] = (uint8_t)ident;
		key[10] = proto;
		if (ip_defrag(c, &pl, parent, ip, key, sizeof key, off, mf, proto, false))
			return;
		pi->fragment = true;
		tree_expert(t, ip, TW_SEV_NOTE, "Fragmented IPv4 datagram (offset %u%s); payload not reassembled",
		            off, mf ? ", more fragments follow" : "");
		col_clear_info(c);
		char unk[32];
		col_add_info(c, "Fragmented IP protocol (proto=%s %u, off=%u, ID=%04x)",
		             val_to_str_unk(proto, ipproto_vals, unk, sizeof unk), proto, off, ident);
	}
	dissect_ipproto(c, proto, &pl, parent);
	return;

short_header:
	node_note_buf(t, ip, b, "IPv4 header");
	col_clear_info(c);
	col_add_info(c, "[IPv4 header %s]", b->err == BUF_TRUNC ? "truncated" : "malformed");
}
