/*
 * link.c - the other link layers: Linux cooked capture v1/v2, BSD null and
 * OpenBSD loop, raw IP.
 *
 * SLL (LINKTYPE_LINUX_SLL, 16 bytes; https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html)
 *   packet type(2) ARPHRD type(2) address length(2) address(8) protocol(2)
 * SLL2 (LINKTYPE_LINUX_SLL2, 20 bytes)
 *   protocol(2) reserved(2) interface index(4) ARPHRD type(2)
 *   packet type(1) address length(1) address(8)
 * NULL: a 4-byte address family in the *capturing host's* byte order.
 * LOOP: the same in network byte order.
 * RAW: no header; the IP version nibble says IPv4 or IPv6.
 */
#include "core/dissect/dissect.h"

#include "core/field.h"

enum {
	F_SLL,
	F_PKTTYPE,
	F_HATYPE,
	F_HALEN,
	F_SRC_ETH,
	F_SRC_UNKNOWN,
	F_UNUSED,
	F_LTYPE,
	F_ETYPE,
	F_RESERVED,
	F_IFINDEX,
	F_NULL,
	F_FAMILY,
	F_RAW,
	F_COUNT
};

static const struct tw_valstr pkttype_vals[] = {
	{ 0, "Unicast to us" },    { 1, "Broadcast" },         { 2, "Multicast" },
	{ 3, "Unicast to another host" }, { 4, "Sent by us" }, { 0, NULL },
};

static const struct tw_valstr hatype_vals[] = {
	{ 1, "Ethernet" },   { 24, "IEEE 1394" },     { 512, "PPP" },
	{ 768, "IPIP tunnel" }, { 772, "Loopback" }, { 776, "IPv6-in-IPv4" },
	{ 778, "GRE tunnel" }, { 801, "IEEE 802.11" }, { 803, "IEEE 802.11 + radiotap header" },
	{ 65534, "None" }, { 0, NULL },
};

static const struct tw_valstr ltype_vals[] = {
	{ 0x0001, "Raw 802.3" }, { 0x0004, "802.2 LLC" }, { 0x000c, "CAN" }, { 0, NULL },
};

static const struct tw_valstr family_vals[] = {
	{ 2, "IP" }, { 10, "IPv6 (Linux)" }, { 24, "IPv6 (OpenBSD/NetBSD)" },
	{ 28, "IPv6 (FreeBSD)" }, { 30, "IPv6 (Darwin)" }, { 0, NULL },
};

static const struct tw_field fields[F_COUNT] = {
	[F_SLL] = { "sll", "Linux cooked capture", FT_PROTOCOL, BASE_NONE, 0, NULL },
	[F_PKTTYPE] = { "sll.pkttype", "Packet type", FT_U16, BASE_DEC, 0, pkttype_vals },
	[F_HATYPE] = { "sll.hatype", "Link-layer address type", FT_U16, BASE_DEC, 0, hatype_vals },
	[F_HALEN] = { "sll.halen", "Link-layer address length", FT_U16, BASE_DEC, 0, NULL },
	[F_SRC_ETH] = { "sll.src.eth", "Source", FT_ETHER, BASE_NONE, 0, NULL },
	[F_SRC_UNKNOWN] = { "sll.src.other", "Source", FT_BYTES, BASE_NONE, 0, NULL },
	[F_UNUSED] = { "sll.unused", "Unused", FT_BYTES, BASE_NONE, 0, NULL },
	[F_LTYPE] = { "sll.ltype", "Protocol", FT_U16, BASE_HEX, 0, ltype_vals },
	[F_ETYPE] = { "sll.etype", "Protocol", FT_U16, BASE_HEX, 0, ethertype_vals },
	[F_RESERVED] = { "sll.reserved", "Reserved", FT_U16, BASE_HEX, 0, NULL },
	[F_IFINDEX] = { "sll.ifindex", "Interface index", FT_U32, BASE_DEC, 0, NULL },
	[F_NULL] = { "null", "Null/Loopback", FT_PROTOCOL, BASE_NONE, 0, NULL },
	[F_FAMILY] = { "null.family", "Family", FT_U32, BASE_DEC, 0, family_vals },
	[F_RAW] = { "raw", "Raw packet data", FT_PROTOCOL, BASE_NONE, 0, NULL },
};
const struct tw_field_table link_field_table = { fields, F_COUNT };

/* The link-layer address: an Ethernet source when it looks like one. */
static void
sll_addr(struct tw_dctx *c, struct tw_node *sll, struct tw_buf *b, uint16_t hatype, uint16_t halen)
{
	size_t at = b->off;
	const uint8_t *a = buf_ptr(b, 8);
	if (!a)
		return;
	if ((hatype == 1 || hatype == 772) && halen == 6) {
		struct tw_node *n = tree_add(c->tree, sll, &fields[F_SRC_ETH], b, at, 6);
		node_set_bytes(n, a, 6);
		addr_set(&c->pi.dl_src, AT_ETHER, a);
		n = tree_add(c->tree, sll, &fields[F_UNUSED], b, at + 6, 2);
		node_set_bytes(n, a + 6, 2);
	} else if (halen) {
		size_t k = halen < 8 ? halen : 8;
		struct tw_node *n = tree_add(c->tree, sll, &fields[F_SRC_UNKNOWN], b, at, k);
		node_set_bytes(n, a, k);
	}
}

/* The protocol field: an ethertype, or a Linux "link type" below 0x0600. */
static void
sll_payload(struct tw_dctx *c, struct tw_node *sll, struct tw_buf *b, size_t at, uint16_t proto,
            struct tw_node *parent)
{
	if (proto >= 0x0600) {
		tree_add_bits(c->tree, sll, &fields[F_ETYPE], b, at, 2, proto);
		dissect_ethertype(c, proto, b, parent);
	} else {
		tree_add_bits(c->tree, sll, &fields[F_LTYPE], b, at, 2, proto);
		col_clear_info(c);
		col_add_info(c, "Linux cooked capture, protocol 0x%04x", proto);
		dissect_data(c, b, parent);
	}
}

void
dis_sll(struct tw_dctx *c, struct tw_buf *b, struct tw_node *parent)
{
	struct tw_tree *t = c->tree;
	col_add_proto_layer(c, "sll");
	col_set_proto(c, "SLL", PROTO_SLL);
	struct tw_node *sll = proto_add(c, parent, &fields[F_SLL], b, 16);
	node_label(t, sll, "Linux cooked capture v1");
	tree_read_be16(t, sll, &fields[F_PKTTYPE], b);
	uint16_t hatype = tree_read_be16(t, sll, &fields[F_HATYPE], b);
	uint16_t halen = tree_read_be16(t, sll, &fields[F_HALEN], b);
	sll_addr(c, sll, b, hatype, halen);
	size_t at = b->off;
	uint16_t proto = buf_be16(b);
	if (!buf_ok(b)) {
		node_note_buf(t, sll, b, "Linux cooked header");
		return;
	}
	sll_payload(c, sll, b, at, proto, parent);
}

void
dis_sll2(struct tw_dctx *c, struct tw_buf *b, struct tw_node *parent)
{
	struct tw_tree *t = c->tree;
	col_add_proto_layer(c, "sll");
	col_set_proto(c, "SLL", PROTO_SLL);
	struct tw_node *sll = proto_add(c, parent, &fields[F_SLL], b, 20);
	node_label(t, sll, "Linux cooked capture v2");
	size_t at = b->off;
	uint16_t proto = buf_be16(b);
	tree_read_be16(t, sll, &fields[F_RESERVED], b);
	tree_read_be32(t, sll, &fields[F_IFINDEX], b);
	uint16_t hatype = tree_read_be16(t, sll, &fields[F_HATYPE], b);
	size_t pat = b->off;
	uint8_t pkttype = buf_u8(b);
	tree_add_bits(t, sll, &fields[F_PKTTYPE], b, pat, 1, pkttype);
	size_t lat = b->off;
	uint8_t halen = buf_u8(b);
	tree_add_bits(t, sll, &fields[F_HALEN], b, lat, 1, halen);
	sll_addr(c, sll, b, hatype, halen);
	if (!buf_ok(b)) {
		node_note_buf(t, sll, b, "Linux cooked header");
		return;
	}
	sll_payload(c, sll, b, at, proto, parent);
}

static void
dispatch_ip_version(struct tw_dctx *c, struct tw_buf *b, struct tw_node *parent, struct tw_node *raw)
{
	if (!buf_has(b, 1)) {
		buf_need(b, 1);
		node_note_buf(c->tree, raw, b, "IP version");
		col_clear_info(c);
		col_add_info(c, "[IP header %s]", b->err == BUF_TRUNC ? "truncated" : "missing");
		return;
	}
	uint8_t v = buf_peek_u8(b, 0) >> 4;
	if (v == 4)
		dis_ipv4(c, b, parent);
	else if (v == 6)
		dis_ipv6(c, b, parent);
	else {
		col_clear_info(c);
		col_add_info(c, "Not an IP packet (version %u)", v);
		dissect_data(c, b, parent);
	}
}

void
dis_null(struct tw_dctx *c, struct tw_buf *b, struct tw_node *parent)
{
	struct tw_tree *t = c->tree;
	col_add_proto_layer(c, "null");
	col_set_proto(c, "NULL", PROTO_NULL);
	struct tw_node *nl = proto_add(c, parent, &fields[F_NULL], b, 4);
	size_t at = b->off;
	const uint8_t *h = buf_ptr(b, 4);
	if (!h) {
		node_note_buf(t, nl, b, "loopback header");
		return;
	}
	uint32_t fam;
	if (c->pi.linktype == LINKTYPE_LOOP) {
		fam = ((uint32_t)h[0] << 24) | ((uint32_t)h[1] << 16) | ((uint32_t)h[2] << 8) | h[3];
	} else {
		/* Host byte order of the capturing machine: families are small. */
		uint32_t le = h[0] | ((uint32_t)h[1] << 8) | ((uint32_t)h[2] << 16) | ((uint32_t)h[3] << 24);
		uint32_t be = ((uint32_t)h[0] << 24) | ((uint32_t)h[1] << 16) | ((uint32_t)h[2] << 8) | h[3];
		fam = (le & 0xffff0000u) ? be : le;
	}
	tree_add_bits(t, nl, &fields[F_FAMILY], b, at, 4, fam);
	switch (fam) {
	case 2:
		dis_ipv4(c, b, parent);
		break;
	case 10:
	case 24:
	case 28:
	case 30:
		dis_ipv6(c, b, parent);
		break;
	default:
		col_clear_info(c);
		col_add_info(c, "Null/Loopback, family %u", fam);
		dissect_data(c, b, parent);
		break;
	}
}

void
dis_raw(struct tw_dctx *c, struct tw_buf *b, struct tw_node *parent)
{
	/* Wireshark names the layer only for LINKTYPE_RAW, not for IPV4/IPV6. */
	if (c->pi.linktype == LINKTYPE_RAW)
		col_add_proto_layer(c, "raw");
	col_set_proto(c, "Raw", PROTO_FRAME);
	struct tw_node *r = proto_add(c, parent, &fields[F_RAW], b, buf_left(b));
	node_label(c->tree, r, "Raw packet data");
	if (r)
		r->len = 0; /* a header of no bytes, as in Wireshark */
	if (c->pi.linktype == LINKTYPE_IPV4)
		dis_ipv4(c, b, parent);
	else if (c->pi.linktype == LINKTYPE_IPV6)
		dis_ipv6(c, b, parent);
	else
		dispatch_ip_version(c, b, parent, r);
}
