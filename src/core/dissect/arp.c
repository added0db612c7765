/*
 * arp.c - Address Resolution Protocol (RFC 826), RARP (RFC 903).
 *
 *  hardware type(2) protocol type(2) hlen(1) plen(1) opcode(2)
 *  sender hw(hlen) sender proto(plen) target hw(hlen) target proto(plen)
 */
#include "core/dissect/dissect.h"

#include "core/field.h"

#include <string.h>

enum {
	F_ARP,
	F_HW_TYPE,
	F_PROTO_TYPE,
	F_HW_SIZE,
	F_PROTO_SIZE,
	F_OPCODE,
	F_SRC_HW_MAC,
	F_SRC_HW,
	F_SRC_IPV4,
	F_SRC_PROTO,
	F_DST_HW_MAC,
	F_DST_HW,
	F_DST_IPV4,
	F_DST_PROTO,
	F_COUNT
};

static const struct tw_valstr hw_vals[] = {
	{ 1, "Ethernet" }, { 6, "IEEE 802" }, { 15, "Frame Relay" }, { 16, "ATM" },
	{ 18, "Fibre Channel" }, { 20, "Serial Line" }, { 32, "InfiniBand" }, { 0, NULL },
};
static const struct tw_valstr op_vals[] = {
	{ 1, "request" }, { 2, "reply" }, { 3, "reverse request" }, { 4, "reverse reply" },
	{ 8, "inverse request" }, { 9, "inverse reply" }, { 0, NULL },
};

static const struct tw_field fields[F_COUNT] = {
	[F_ARP] = { "arp", "Address Resolution Protocol", FT_PROTOCOL, BASE_NONE, 0, NULL },
	[F_HW_TYPE] = { "arp.hw.type", "Hardware type", FT_U16, BASE_DEC, 0, hw_vals },
	[F_PROTO_TYPE] = { "arp.proto.type", "Protocol type", FT_U16, BASE_HEX, 0, ethertype_vals },
	[F_HW_SIZE] = { "arp.hw.size", "Hardware size", FT_U8, BASE_DEC, 0, NULL },
	[F_PROTO_SIZE] = { "arp.proto.size", "Protocol size", FT_U8, BASE_DEC, 0, NULL },
	[F_OPCODE] = { "arp.opcode", "Opcode", FT_U16, BASE_DEC, 0, op_vals },
	[F_SRC_HW_MAC] = { "arp.src.hw_mac", "Sender MAC address", FT_ETHER, BASE_NONE, 0, NULL },
	[F_SRC_HW] = { "arp.src.hw", "Sender hardware address", FT_BYTES, BASE_NONE, 0, NULL },
	[F_SRC_IPV4] = { "arp.src.proto_ipv4", "Sender IP address", FT_IPV4, BASE_NONE, 0, NULL },
	[F_SRC_PROTO] = { "arp.src.proto", "Sender protocol address", FT_BYTES, BASE_NONE, 0, NULL },
	[F_DST_HW_MAC] = { "arp.dst.hw_mac", "Target MAC address", FT_ETHER, BASE_NONE, 0, NULL },
	[F_DST_HW] = { "arp.dst.hw", "Target hardware address", FT_BYTES, BASE_NONE, 0, NULL },
	[F_DST_IPV4] = { "arp.dst.proto_ipv4", "Target IP address", FT_IPV4, BASE_NONE, 0, NULL },
	[F_DST_PROTO] = { "arp.dst.proto", "Target protocol address", FT_BYTES, BASE_NONE, 0, NULL },
};
const struct tw_field_table arp_field_table = { fields, F_COUNT };

static void
add_hw(struct tw_dctx *c, struct tw_node *arp, struct tw_buf *b, const uint8_t *p, uint8_t len,
       int fmac, int fraw)
{
	struct tw_node *n = tree_add(c->tree, arp, &fields[len == 6 ? fmac : fraw], b, b->off - len, len);
	node_set_bytes(n, p, len);
}

static void
add_proto(struct tw_dctx *c, struct tw_node *arp, struct tw_buf *b, const uint8_t *p, uint8_t len,
          uint16_t ptype, int fip, int fraw)
{
	struct tw_node *n;
	if (ptype == 0x0800 && len == 4) {
		n = tree_add(c->tree, arp, &fields[fip], b, b->off - 4, 4);
		node_set_u(n, ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3]);
	} else {
		n = tree_add(c->tree, arp, &fields[fraw], b, b->off - len, len);
		node_set_bytes(n, p, len);
	}
}

static void
fmt_paddr(struct tw_sb *sb, const uint8_t *p, uint8_t len, uint16_t ptype)
{
	if (ptype == 0x0800 && len == 4)
		fmt_ipv4(sb, ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3]);
	else
		sb_add_hex(sb, p, len, ':');
}

static void
fmt_haddr(struct tw_sb *sb, const uint8_t *p, uint8_t len)
{
	if (len == 6)
		fmt_ether(sb, p);
	else
		sb_add_hex(sb, p, len, ':');
}

void
dis_arp(struct tw_dctx *c, struct tw_buf *b, struct tw_node *parent)
{
	struct tw_tree *t = c->tree;
	col_add_proto_layer(c, "arp");
	col_set_proto(c, "ARP", PROTO_ARP);
	col_clear_info(c);
	struct tw_node *arp = proto_add(c, parent, &fields[F_ARP], b, buf_left(b));
	tree_read_be16(t, arp, &fields[F_HW_TYPE], b);
	uint16_t ptype = tree_read_be16(t, arp, &fields[F_PROTO_TYPE], b);
	uint8_t hlen = tree_read_u8(t, arp, &fields[F_HW_SIZE], b);
	uint8_t plen = tree_read_u8(t, arp, &fields[F_PROTO_SIZE], b);
	uint16_t op = tree_read_be16(t, arp, &fields[F_OPCODE], b);
	const uint8_t *sha = buf_ptr(b, hlen);
	if (sha)
		add_hw(c, arp, b, sha, hlen, F_SRC_HW_MAC, F_SRC_HW);
	const uint8_t *spa = buf_ptr(b, plen);
	if (spa)
		add_proto(c, arp, b, spa, plen, ptype, F_SRC_IPV4, F_SRC_PROTO);
	const uint8_t *tha = buf_ptr(b, hlen);
	if (tha)
		add_hw(c, arp, b, tha, hlen, F_DST_HW_MAC, F_DST_HW);
	const uint8_t *tpa = buf_ptr(b, plen);
	if (tpa)
		add_proto(c, arp, b, tpa, plen, ptype, F_DST_IPV4, F_DST_PROTO);
	if (!buf_ok(b)) {
		node_note_buf(t, arp, b, "ARP packet");
		col_add_info(c, "[Malformed ARP packet]");
		return;
	}
	if (op == 3 || op == 4)
		col_set_proto(c, "RARP", PROTO_ARP);
	struct tw_sb *sb = &c->pi.info;
	char unk[32];
	switch (op) {
	case 1:
		if (spa && tpa && plen && memcmp(spa, tpa, plen) == 0) {
			sb_adds(sb, "ARP Announcement for ");
			fmt_paddr(sb, spa, plen, ptype);
		} else {
			sb_adds(sb, "Who has ");
			fmt_paddr(sb, tpa, plen, ptype);
			sb_adds(sb, "? Tell ");
			fmt_paddr(sb, spa, plen, ptype);
		}
		break;
	case 2:
		fmt_paddr(sb, spa, plen, ptype);
		sb_adds(sb, " is at ");
		fmt_haddr(sb, sha, hlen);
		break;
	case 3:
		sb_adds(sb, "Who is ");
		fmt_haddr(sb, tha, hlen);
		sb_adds(sb, "? Tell ");
		fmt_haddr(sb, sha, hlen);
		break;
	case 4:
		fmt_haddr(sb, tha, hlen);
		sb_adds(sb, " is at ");
		fmt_paddr(sb, tpa, plen, ptype);
		break;
	case 8:
		sb_adds(sb, "Who is ");
		fmt_haddr(sb, tha, hlen);
		sb_adds(sb, "? Tell ");
		fmt_haddr(sb, sha, hlen);
		break;
	case 9:
		fmt_haddr(sb, sha, hlen);
		sb_adds(sb, " is at ");
		fmt_paddr(sb, spa, plen, ptype);
		break;
	default:
		sb_addf(sb, "ARP opcode %s", val_to_str_unk(op, op_vals, unk, sizeof unk));
		break;
	}
	if (arp && t->labels)
		node_label(t, arp, "Address Resolution Protocol (%s)", val_to_str_unk(op, op_vals, unk, sizeof unk));
}
