/*
 * icmp.c - ICMP for IPv4 (RFC 792) and ICMPv6 (RFC 4443, RFC 4861 ND,
 * RFC 2710/3810 MLD).
 *
 *  +---------------+---------------+-------------------------------+
 *  |     Type      |     Code      |           Checksum            |
 *  |                 rest of header (type specific)                |
 *  |                 data ...                                      |
 *  +---------------------------------------------------------------+
 *
 * Error messages quote the offending datagram: it is dissected as a nested
 * IP packet with pi->in_error set, so it neither changes the frame's
 * addresses nor touches conversation state.
 */
#include "core/dissect/dissect.h"

#include "core/field.h"

#include <string.h>

enum {
	F_ICMP,
	F_TYPE,
	F_CODE,
	F_CHECKSUM,
	F_CHECKSUM_STATUS,
	F_IDENT,
	F_SEQ,
	F_IDENT_LE,
	F_SEQ_LE,
	F_MTU,
	F_GATEWAY,
	F_ICMPV6,
	F_V6_TYPE,
	F_V6_CODE,
	F_V6_CHECKSUM,
	F_V6_CHECKSUM_STATUS,
	F_V6_ECHO_ID,
	F_V6_ECHO_SEQ,
	F_V6_ND_TARGET,
	F_V6_MTU,
	F_COUNT
};

static const struct tw_valstr icmp_type_vals[] = {
	{ 0, "Echo (ping) reply" },
	{ 3, "Destination unreachable" },
	{ 4, "Source quench (flow control)" },
	{ 5, "Redirect" },
	{ 8, "Echo (ping) request" },
	{ 9, "Router advertisement" },
	{ 10, "Router solicitation" },
	{ 11, "Time-to-live exceeded" },
	{ 12, "Parameter problem" },
	{ 13, "Timestamp request" },
	{ 14, "Timestamp reply" },
	{ 15, "Information request" },
	{ 16, "Information reply" },
	{ 17, "Address mask request" },
	{ 18, "Address mask reply" },
	{ 0, NULL },
};

static const struct tw_valstr unreach_vals[] = {
	{ 0, "Network unreachable" },
	{ 1, "Host unreachable" },
	{ 2, "Protocol unreachable" },
	{ 3, "Port unreachable" },
	{ 4, "Fragmentation needed" },
	{ 5, "Source route failed" },
	{ 6, "Destination network unknown" },
	{ 7, "Destination host unknown" },
	{ 8, "Source host isolated" },
	{ 9, "Network administratively prohibited" },
	{ 10, "Host administratively prohibited" },
	{ 11, "Network unreachable for TOS" },
	{ 12, "Host unreachable for TOS" },
	{ 13, "Communication administratively filtered" },
	{ 14, "Host precedence violation" },
	{ 15, "Precedence cutoff in effect" },
	{ 0, NULL },
};
static const struct tw_valstr redirect_vals[] = {
	{ 0, "Redirect for network" },
	{ 1, "Redirect for host" },
	{ 2, "Redirect for TOS and network" },
	{ 3, "Redirect for TOS and host" },
	{ 0, NULL },
};
static const struct tw_valstr ttl_vals[] = {
	{ 0, "Time to live exceeded in transit" },
	{ 1, "Fragment reassembly time exceeded" },
	{ 0, NULL },
};
static const struct tw_valstr param_vals[] = {
	{ 0, "Pointer indicates the error" },
	{ 1, "Required option missing" },
	{ 2, "Bad length" },
	{ 0, NULL },
};

static const struct tw_valstr icmpv6_type_vals[] = {
	{ 1, "Destination Unreachable" },
	{ 2, "Packet Too Big" },
	{ 3, "Time Exceeded" },
	{ 4, "Parameter Problem" },
	{ 128, "Echo (ping) request" },
	{ 129, "Echo (ping) reply" },
	{ 130, "Multicast Listener Query" },
	{ 131, "Multicast Listener Report" },
	{ 132, "Multicast Listener Done" },
	{ 133, "Router Solicitation" },
	{ 134, "Router Advertisement" },
	{ 135, "Neighbor Solicitation" },
	{ 136, "Neighbor Advertisement" },
	{ 137, "Redirect" },
	{ 143, "Multicast Listener Report Message v2" },
	{ 0, NULL },
};
static const struct tw_valstr v6_unreach_vals[] = {
	{ 0, "no route to destination" },
	{ 1, "communication with destination administratively prohibited" },
	{ 2, "beyond scope of source address" },
	{ 3, "address unreachable" },
	{ 4, "port unreachable" },
	{ 5, "source address failed ingress/egress policy" },
	{ 6, "reject route to destination" },
	{ 0, NULL },
};
static const struct tw_valstr v6_time_vals[] = {
	{ 0, "hop limit exceeded in transit" },
	{ 1, "fragment reassembly time exceeded" },
	{ 0, NULL },
};

static const struct tw_field fields[F_COUNT] = {
	[F_ICMP] = { "icmp", "Internet Control Message Protocol", FT_PROTOCOL, BASE_NONE, 0, NULL },
	[F_TYPE] = { "icmp.type", "Type", FT_U8, BASE_DEC, 0, icmp_type_vals },
	[F_CODE] = { "icmp.code", "Code", FT_U8, BASE_DEC, 0, NULL },
	[F_CHECKSUM] = { "icmp.checksum", "Checksum", FT_U16, BASE_HEX, 0, NULL },
	[F_CHECKSUM_STATUS] = { "icmp.checksum.status", "Checksum Status", FT_U8, BASE_NONE, 0, cksum_status_vals },
	[F_IDENT] = { "icmp.ident", "Identifier (BE)", FT_U16, BASE_DEC_HEX, 0, NULL },
	[F_SEQ] = { "icmp.seq", "Sequence Number (BE)", FT_U16, BASE_DEC_HEX, 0, NULL },
	[F_IDENT_LE] = { "icmp.ident_le", "Identifier (LE)", FT_U16, BASE_DEC_HEX, 0, NULL },
	[F_SEQ_LE] = { "icmp.seq_le", "Sequence Number (LE)", FT_U16, BASE_DEC_HEX, 0, NULL },
	[F_MTU] = { "icmp.mtu", "MTU of next hop", FT_U16, BASE_DEC, 0, NULL },
	[F_GATEWAY] = { "icmp.redir_gw", "Gateway address", FT_IPV4, BASE_NONE, 0, NULL },
	[F_ICMPV6] = { "icmpv6", "Internet Control Message Protocol v6", FT_PROTOCOL, BASE_NONE, 0, NULL },
	[F_V6_TYPE] = { "icmpv6.type", "Type", FT_U8, BASE_DEC, 0, icmpv6_type_vals },
	[F_V6_CODE] = { "icmpv6.code", "Code", FT_U8, BASE_DEC, 0, NULL },
	[F_V6_CHECKSUM] = { "icmpv6.checksum", "Checksum", FT_U16, BASE_HEX, 0, NULL },
	[F_V6_CHECKSUM_STATUS] = { "icmpv6.checksum.status", "Checksum Status", FT_U8, BASE_NONE, 0, cksum_status_vals },
	[F_V6_ECHO_ID] = { "icmpv6.echo.identifier", "Identifier", FT_U16, BASE_HEX, 0, NULL },
	[F_V6_ECHO_SEQ] = { "icmpv6.echo.sequence_number", "Sequence", FT_U16, BASE_DEC, 0, NULL },
	[F_V6_ND_TARGET] = { "icmpv6.nd.ns.target_address", "Target Address", FT_IPV6, BASE_NONE, 0, NULL },
	[F_V6_MTU] = { "icmpv6.mtu", "MTU", FT_U32, BASE_DEC, 0, NULL },
};
const struct tw_field_table icmp_field_table = { fields, F_COUNT };

static const struct tw_valstr *
icmp_code_table(uint8_t type)
{
	switch (type) {
	case 3: return unreach_vals;
	case 5: return redirect_vals;
	case 11: return ttl_vals;
	case 12: return param_vals;
	default: return NULL;
	}
}

/* The quoted datagram of an error message, as a nested IP packet. */
static void
quoted_datagram(struct tw_dctx *c, struct tw_buf *b, struct tw_node *icmp, bool v6)
{
	if (!buf_left(b)) {
		if (buf_reported_left(b)) {
			/* The quoted datagram was sent but not captured. */
			buf_need(b, 1);
			node_note_buf(c->tree, icmp, b, "quoted datagram");
		}
		return;
	}
	if (c->pi.in_error || c->pi.depth >= TW_MAX_DEPTH) {
		dissect_data(c, b, icmp);
		return;
	}
	/* Keep the summary of the outer message: save and restore it. */
	const char *proto = c->pi.proto;
	uint8_t top = c->pi.top;
	char saved_info[TW_INFO_MAX];
	size_t ilen = c->pi.info.len;
	memcpy(saved_info, c->pi.info.s, ilen + 1);
	uint16_t sp = c->pi.srcport, dp = c->pi.dstport;
	uint8_t ipproto = c->pi.ipproto;

	c->pi.in_error = true;
	c->pi.depth++;
	struct tw_buf inner = buf_rest(b);
	if (v6)
		dis_ipv6(c, &inner, icmp);
	else
		dis_ipv4(c, &inner, icmp);
	c->pi.in_error = false;

	c->pi.proto = proto;
	c->pi.top = top;
	sb_reset(&c->pi.info);
	sb_addn(&c->pi.info, saved_info, ilen);
	c->pi.srcport = sp;
	c->pi.dstport = dp;
	c->pi.ipproto = ipproto;
}

static void
verify_cksum(struct tw_dctx *c, struct tw_node *cs, struct tw_node *proto, int fstatus,
             const struct tw_buf *whole, uint32_t pseudo, uint16_t sum)
{
	struct tw_tree *t = c->tree;
	if (!cs || whole->len < whole->reported || c->pi.in_error || c->pi.fragment)
		return; /* not all bytes present: cannot verify */
	uint16_t calc = cksum_fold(cksum_add(pseudo, whole->p, whole->len));
	if (calc == 0) {
		node_label(t, cs, "Checksum: 0x%04x [correct]", sum);
		node_set_u(tree_add_gen(t, proto, &fields[fstatus]), 1);
	} else {
		node_label(t, cs, "Checksum: 0x%04x [incorrect]", sum);
		node_set_u(tree_add_gen(t, proto, &fields[fstatus]), 0);
		tree_expert(t, cs, TW_SEV_ERROR, "Bad checksum");
	}
}

void
dis_icmp(struct tw_dctx *c, struct tw_buf *b, struct tw_node *parent)
{
	struct tw_tree *t = c->tree;
	if (!c->pi.in_error) {
		col_set_proto(c, "ICMP", PROTO_ICMP);
		col_clear_info(c);
	}
	col_add_proto_layer(c, "icmp");
	struct tw_buf whole = *b;
	whole.p += whole.off;
	whole.len -= whole.off;
	whole.reported -= whole.off;
	whole.off = 0;
	struct tw_node *icmp = proto_add(c, parent, &fields[F_ICMP], b, buf_left(b));
	uint8_t type = tree_read_u8(t, icmp, &fields[F_TYPE], b);
	size_t cat = b->off;
	uint8_t code = buf_u8(b);
	struct tw_node *cn = tree_add(t, icmp, &fields[F_CODE], b, cat, 1);
	node_set_u(cn, code);
	const struct tw_valstr *ct = icmp_code_table(type);
	char unk[32], unk2[32];
	const char *tname = val_to_str_unk(type, icmp_type_vals, unk, sizeof unk);
	const char *cname = ct ? val_to_str_unk(code, ct, unk2, sizeof unk2) : NULL;
	if (cname)
		node_label(t, cn, "Code: %u (%s)", code, cname);
	uint16_t sum = tree_read_be16(t, icmp, &fields[F_CHECKSUM], b);
	struct tw_node *cs = icmp ? icmp->last : NULL;
	if (!buf_ok(b)) {
		node_note_buf(t, icmp, b, "ICMP header");
		if (!c->pi.in_error)
			col_add_info(c, "[Malformed ICMP]");
		return;
	}
	node_label(t, icmp, "Internet Control Message Protocol");
	verify_cksum(c, cs, icmp, F_CHECKSUM_STATUS, &whole, 0, sum);
	if (!c->pi.in_error) {
		col_add_info(c, "%s", tname);
		if (cname)
			col_add_info(c, " (%s)", cname);
	}

	switch (type) {
	case 0:
	case 8:
	case 13:
	case 14:
	case 15:
	case 16:
	case 17:
	case 18: {
		size_t at = b->off;
		uint16_t id = buf_be16(b);
		uint16_t seq = buf_be16(b);
		if (!buf_ok(b)) {
			node_note_buf(t, icmp, b, "ICMP identifier and sequence number");
			break;
		}
		tree_add_bits(t, icmp, &fields[F_IDENT], b, at, 2, id);
		tree_add_bits(t, icmp, &fields[F_IDENT_LE], b, at, 2, (uint16_t)((id >> 8) | (id << 8)));
		tree_add_bits(t, icmp, &fields[F_SEQ], b, at + 2, 2, seq);
		tree_add_bits(t, icmp, &fields[F_SEQ_LE], b, at + 2, 2, (uint16_t)((seq >> 8) | (seq << 8)));
		if (!c->pi.in_error) {
			col_add_info(c, "  id=0x%04x, seq=%u/%u", id, seq,
			             (unsigned)(uint16_t)((seq >> 8) | (seq << 8)));
			if (c->pi.ip_src.type == AT_IPV4)
				col_add_info(c, ", ttl=%u", c->pi.ip_ttl);
		}
		if (buf_left(b))
			dissect_data(c, b, icmp);
		break;
	}
	case 3:
	case 4:
	case 5:
	case 11:
	case 12: {
		if (type == 5) {
			size_t at = b->off;
			uint32_t gw = buf_be32(b);
			tree_add_bits(t, icmp, &fields[F_GATEWAY], b, at, 4, gw);
		} else if (type == 3 && code == 4) {
			buf_skip(b, 2);
			size_t at = b->off;
			uint16_t mtu = buf_be16(b);
			tree_add_bits(t, icmp, &fields[F_MTU], b, at, 2, mtu);
		} else {
			buf_skip(b, 4);
		}
		if (buf_ok(b))
			quoted_datagram(c, b, icmp, false);
		else
			node_note_buf(t, icmp, b, "ICMP header");
		break;
	}
	default:
		if (buf_left(b))
			dissect_data(c, b, icmp);
		break;
	}
}

void
dis_icmpv6(struct tw_dctx *c, struct tw_buf *b, struct tw_node *parent)
{
	struct tw_tree *t = c->tree;
	if (!c->pi.in_error) {
		col_set_proto(c, "ICMPv6", PROTO_ICMPV6);
		col_clear_info(c);
	}
	col_add_proto_layer(c, "icmpv6");
	struct tw_buf whole = *b;
	whole.p += whole.off;
	whole.len -= whole.off;
	whole.reported -= whole.off;
	whole.off = 0;
	struct tw_node *icmp = proto_add(c, parent, &fields[F_ICMPV6], b, buf_left(b));
	uint8_t type = tree_read_u8(t, icmp, &fields[F_V6_TYPE], b);
	size_t cat = b->off;
	uint8_t code = buf_u8(b);
	struct tw_node *cn = tree_add(t, icmp, &fields[F_V6_CODE], b, cat, 1);
	node_set_u(cn, code);
	const struct tw_valstr *ct = type == 1 ? v6_unreach_vals : type == 3 ? v6_time_vals : NULL;
	char unk[32], unk2[32];
	const char *tname = val_to_str_unk(type, icmpv6_type_vals, unk, sizeof unk);
	const char *cname = ct ? val_to_str_unk(code, ct, unk2, sizeof unk2) : NULL;
	if (cname)
		node_label(t, cn, "Code: %u (%s)", code, cname);
	uint16_t sum = tree_read_be16(t, icmp, &fields[F_V6_CHECKSUM], b);
	struct tw_node *cs = icmp ? icmp->last : NULL;
	if (!buf_ok(b)) {
		node_note_buf(t, icmp, b, "ICMPv6 header");
		if (!c->pi.in_error)
			col_add_info(c, "[Malformed ICMPv6]");
		return;
	}
	if (c->pi.ip_src.type == AT_IPV6)
		verify_cksum(c, cs, icmp, F_V6_CHECKSUM_STATUS, &whole,
		             cksum_pseudo(&c->pi, 58, (uint32_t)whole.len), sum);
	if (!c->pi.in_error) {
		col_add_info(c, "%s", tname);
		if (cname)
			col_add_info(c, " (%s)", cname);
	}
	switch (type) {
	case 128:
	case 129: {
		size_t at = b->off;
		uint16_t id = buf_be16(b);
		uint16_t seq = buf_be16(b);
		if (!buf_ok(b)) {
			node_note_buf(t, icmp, b, "ICMPv6 identifier and sequence number");
			break;
		}
		tree_add_bits(t, icmp, &fields[F_V6_ECHO_ID], b, at, 2, id);
		tree_add_bits(t, icmp, &fields[F_V6_ECHO_SEQ], b, at + 2, 2, seq);
		if (!c->pi.in_error)
			col_add_info(c, " id=0x%04x, seq=%u", id, seq);
		if (buf_left(b))
			dissect_data(c, b, icmp);
		break;
	}
	case 135:
	case 136: {
		buf_skip(b, 4);
		size_t at = b->off;
		const uint8_t *tgt = buf_ptr(b, 16);
		if (!tgt) {
			node_note_buf(t, icmp, b, "ICMPv6 target address");
			break;
		}
		struct tw_node *n = tree_add(t, icmp, &fields[F_V6_ND_TARGET], b, at, 16);
		node_set_bytes(n, tgt, 16);
		if (!c->pi.in_error) {
			col_add_info(c, " ");
			struct tw_sb *sb = &c->pi.info;
			if (type == 135)
				sb_adds(sb, "for ");
			fmt_ipv6(sb, tgt);
		}
		break;
	}
	case 1:
	case 2:
	case 3:
	case 4: {
		size_t at = b->off;
		uint32_t v = buf_be32(b);
		if (type == 2)
			tree_add_bits(t, icmp, &fields[F_V6_MTU], b, at, 4, v);
		if (buf_ok(b))
			quoted_datagram(c, b, icmp, true);
		else
			node_note_buf(t, icmp, b, "ICMPv6 header");
		break;
	}
	default:
		break;
	}
}
