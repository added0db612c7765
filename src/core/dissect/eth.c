/*
 * eth.c - Ethernet II / IEEE 802.3 and IEEE 802.1Q / 802.1ad VLAN tags.
 *
 *   0                   6                  12       14
 *   +-------------------+-------------------+--------+---------
 *   | destination MAC   | source MAC        | type   | payload ...
 *   +-------------------+-------------------+--------+---------
 *   type >= 0x0600: an ethertype (Ethernet II); <= 1500: an 802.3 length.
 *
 * 802.1Q tag (IEEE 802.1Q-2018 9.6): TPID 0x8100 (0x88a8 for 802.1ad S-tag)
 * then TCI = PCP(3) DEI(1) VID(12), then the inner ethertype.
 * Bytes after the upper layer's declared length are padding (all zero) or
 * a trailer.
 */
#include "core/dissect/dissect.h"

#include "core/field.h"

enum {
	F_ETH,
	F_DST,
	F_SRC,
	F_ADDR,
	F_LG,
	F_IG,
	F_TYPE,
	F_LEN,
	F_PADDING,
	F_TRAILER,
	F_VLAN,
	F_VLAN_PRI,
	F_VLAN_DEI,
	F_VLAN_ID,
	F_VLAN_ETYPE,
	F_VLAN_LEN,
	F_AD,
	F_AD_PRI,
	F_AD_DEI,
	F_AD_ID,
	F_COUNT
};

static const struct tw_valstr lg_vals[] = {
	{ 0, "Globally unique address (factory default)" },
	{ 1, "Locally administered address (this is NOT the factory default)" },
	{ 0, NULL },
};
static const struct tw_valstr ig_vals[] = {
	{ 0, "Individual address (unicast)" },
	{ 1, "Group address (multicast/broadcast)" },
	{ 0, NULL },
};
static const struct tw_valstr pri_vals[] = {
	{ 0, "Best Effort (default)" }, { 1, "Background" },
	{ 2, "Excellent Effort" },      { 3, "Critical Applications" },
	{ 4, "Video, < 100ms latency and jitter" },
	{ 5, "Voice, < 10ms latency and jitter" },
	{ 6, "Internetwork Control" },  { 7, "Network Control" },
	{ 0, NULL },
};

static const struct tw_field fields[F_COUNT] = {
	[F_ETH] = { "eth", "Ethernet II", FT_PROTOCOL, BASE_NONE, 0, NULL },
	[F_DST] = { "eth.dst", "Destination", FT_ETHER, BASE_NONE, 0, NULL },
	[F_SRC] = { "eth.src", "Source", FT_ETHER, BASE_NONE, 0, NULL },
	[F_ADDR] = { "eth.addr", "Address", FT_ETHER, BASE_NONE, 0, NULL },
	[F_LG] = { "eth.lg", "LG bit", FT_BOOL, 24, 0x020000, lg_vals },
	[F_IG] = { "eth.ig", "IG bit", FT_BOOL, 24, 0x010000, ig_vals },
	[F_TYPE] = { "eth.type", "Type", FT_U16, BASE_HEX, 0, ethertype_vals },
	[F_LEN] = { "eth.len", "Length", FT_U16, BASE_DEC, 0, NULL },
	[F_PADDING] = { "eth.padding", "Padding", FT_BYTES, BASE_NONE, 0, NULL },
	[F_TRAILER] = { "eth.trailer", "Trailer", FT_BYTES, BASE_NONE, 0, NULL },
	[F_VLAN] = { "vlan", "802.1Q Virtual LAN", FT_PROTOCOL, BASE_NONE, 0, NULL },
	[F_VLAN_PRI] = { "vlan.priority", "Priority", FT_U16, BASE_DEC, 0xe000, pri_vals },
	[F_VLAN_DEI] = { "vlan.dei", "DEI", FT_BOOL, 16, 0x1000, NULL },
	[F_VLAN_ID] = { "vlan.id", "ID", FT_U16, BASE_DEC, 0x0fff, NULL },
	[F_VLAN_ETYPE] = { "vlan.etype", "Type", FT_U16, BASE_HEX, 0, ethertype_vals },
	[F_VLAN_LEN] = { "vlan.len", "Length", FT_U16, BASE_DEC, 0, NULL },
	[F_AD] = { "ieee8021ad", "IEEE 802.1ad", FT_PROTOCOL, BASE_NONE, 0, NULL },
	[F_AD_PRI] = { "ieee8021ad.priority", "Priority", FT_U16, BASE_DEC, 0xe000, pri_vals },
	[F_AD_DEI] = { "ieee8021ad.dei", "DEI", FT_U16, BASE_DEC, 0x1000, NULL },
	[F_AD_ID] = { "ieee8021ad.id", "ID", FT_U16, BASE_DEC, 0x0fff, NULL },
};
const struct tw_field_table eth_field_table = { fields, F_COUNT };

static void
add_mac(struct tw_dctx *c, struct tw_node *parent, int fid, struct tw_buf *b, const uint8_t *mac)
{
	struct tw_tree *t = c->tree;
	size_t at = b->off - 6;
	struct tw_node *n = tree_add(t, parent, &fields[fid], b, at, 6);
	if (!n)
		return;
	node_set_bytes(n, mac, 6);
	struct tw_node *a = tree_add(t, n, &fields[F_ADDR], b, at, 6);
	node_set_bytes(a, mac, 6);
	uint32_t first3 = ((uint32_t)mac[0] << 16) | ((uint32_t)mac[1] << 8) | mac[2];
	tree_add_bits(t, n, &fields[F_LG], b, at, 3, first3);
	tree_add_bits(t, n, &fields[F_IG], b, at, 3, first3);
}

/* What the payload left behind is padding (zeros) or a trailer. */
static void
add_trailer(struct tw_dctx *c, struct tw_buf *b, struct tw_node *parent)
{
	size_t n = buf_left(b);
	if (n == 0)
		return;
	const uint8_t *p = b->p + b->off;
	bool zero = true;
	for (size_t i = 0; i < n; i++)
		if (p[i]) {
			zero = false;
			break;
		}
	struct tw_node *x = tree_add_here(c->tree, parent, &fields[zero ? F_PADDING : F_TRAILER], b, n);
	node_set_bytes(x, p, n);
	buf_skip(b, n);
}

void
dis_eth(struct tw_dctx *c, struct tw_buf *b, struct tw_node *parent)
{
	struct tw_tree *t = c->tree;
	col_add_proto_layer(c, "eth");
	col_set_proto(c, "Ethernet", PROTO_ETH);
	struct tw_node *eth = proto_add(c, parent, &fields[F_ETH], b, 14);
	if (!buf_has(b, 14)) {
		/* Wireshark adds no field of an incomplete Ethernet header. */
		buf_need(b, 14);
		node_note_buf(t, eth, b, "Ethernet header");
		col_add_info(c, "[Ethernet header %s]", b->err == BUF_TRUNC ? "truncated" : "malformed");
		return;
	}
	const uint8_t *dst = buf_ptr(b, 6);
	if (dst)
		add_mac(c, eth, F_DST, b, dst);
	const uint8_t *src = buf_ptr(b, 6);
	if (src)
		add_mac(c, eth, F_SRC, b, src);
	if (!dst || !src) {
		node_note_buf(t, eth, b, "Ethernet header");
		col_add_info(c, "[Malformed Ethernet header]");
		return;
	}
	addr_set(&c->pi.dl_dst, AT_ETHER, dst);
	addr_set(&c->pi.dl_src, AT_ETHER, src);
	if (eth && t->labels) {
		struct tw_sb sb;
		sb_heap(&sb);
		sb_adds(&sb, "Ethernet II, Src: ");
		fmt_ether(&sb, src);
		sb_adds(&sb, ", Dst: ");
		fmt_ether(&sb, dst);
		node_label(t, eth, "%s", sb.s);
		sb_free(&sb);
	}
	uint16_t type = buf_peek_be16(b, 0);
	if (!buf_has(b, 2)) {
		buf_need(b, 2);
		node_note_buf(t, eth, b, "Ethernet type");
		return;
	}
	if (type <= 1500) {
		/* IEEE 802.3 with a length field; LLC is not dissected yet. */
		tree_read_be16(t, eth, &fields[F_LEN], b);
		node_label(t, eth, "IEEE 802.3 Ethernet");
		col_set_proto(c, "LLC", PROTO_ETH);
		col_clear_info(c);
		col_add_info(c, "IEEE 802.3, length %u", type);
		struct tw_buf pl = buf_sub(b, TW_MIN(type, buf_reported_left(b)));
		dissect_data(c, &pl, parent);
		add_trailer(c, b, eth);
		return;
	}
	tree_read_be16(t, eth, &fields[F_TYPE], b);
	dissect_ethertype(c, type, b, parent);
	add_trailer(c, b, eth);
}

/* An 802.1Q C-tag (TPID 0x8100) or an 802.1ad S-tag (TPID 0x88a8). */
static void
vlan_tag(struct tw_dctx *c, struct tw_buf *b, struct tw_node *parent, bool svlan)
{
	struct tw_tree *t = c->tree;
	col_add_proto_layer(c, svlan ? "ieee8021ad" : "vlan");
	struct tw_node *v = proto_add(c, parent, &fields[svlan ? F_AD : F_VLAN], b, 4);
	size_t at = b->off;
	uint16_t tci = buf_be16(b);
	uint16_t type = buf_be16(b);
	if (!buf_ok(b)) {
		node_note_buf(t, v, b, "VLAN tag");
		col_add_info(c, "[Malformed VLAN tag]");
		return;
	}
	tree_add_bits(t, v, &fields[svlan ? F_AD_PRI : F_VLAN_PRI], b, at, 2, tci);
	tree_add_bits(t, v, &fields[svlan ? F_AD_DEI : F_VLAN_DEI], b, at, 2, tci);
	tree_add_bits(t, v, &fields[svlan ? F_AD_ID : F_VLAN_ID], b, at, 2, tci);
	node_label(t, v, "%s, PRI: %u, DEI: %u, ID: %u", svlan ? "IEEE 802.1ad" : "802.1Q Virtual LAN",
	           tci >> 13, (tci >> 12) & 1, tci & 0x0fff);
	if (type <= 1500) {
		tree_add_bits(t, v, &fields[F_VLAN_LEN], b, at + 2, 2, type);
		col_clear_info(c);
		col_add_info(c, "VLAN %u, 802.3 length %u", tci & 0x0fff, type);
		struct tw_buf pl = buf_sub(b, TW_MIN(type, buf_reported_left(b)));
		dissect_data(c, &pl, parent);
		return;
	}
	tree_add_bits(t, v, &fields[F_VLAN_ETYPE], b, at + 2, 2, type);
	dissect_ethertype(c, type, b, parent);
}

void
dis_vlan(struct tw_dctx *c, struct tw_buf *b, struct tw_node *parent)
{
	vlan_tag(c, b, parent, false);
}

void
dis_8021ad(struct tw_dctx *c, struct tw_buf *b, struct tw_node *parent)
{
	vlan_tag(c, b, parent, true);
}
