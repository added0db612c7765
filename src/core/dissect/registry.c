/*
 * registry.c - dispatch tables, the Frame layer, summary-column helpers.
 *
 * Plain static tables, tcpdump style: link type, ethertype and IP protocol
 * map to dissector functions. Adding a protocol is one file and one row.
 */
#include "core/dissect/dissect.h"

#include "core/field.h"

#include <stdio.h>
#include <string.h>

/* ---- addresses -------------------------------------------------------- */

static size_t
addr_len(uint8_t type)
{
	switch (type) {
	case AT_ETHER: return 6;
	case AT_IPV4: return 4;
	case AT_IPV6: return 16;
	default: return 0;
	}
}

void
addr_set(struct tw_addr *a, uint8_t type, const uint8_t *p)
{
	memset(a, 0, sizeof *a);
	a->type = type;
	memcpy(a->a, p, addr_len(type));
}

bool
addr_eq(const struct tw_addr *a, const struct tw_addr *b)
{
	return a->type == b->type && memcmp(a->a, b->a, addr_len(a->type)) == 0;
}

int
addr_cmp(const struct tw_addr *a, const struct tw_addr *b)
{
	if (a->type != b->type)
		return a->type < b->type ? -1 : 1;
	return memcmp(a->a, b->a, addr_len(a->type));
}

void
addr_format(struct tw_sb *sb, const struct tw_addr *a)
{
	switch (a->type) {
	case AT_ETHER: fmt_ether(sb, a->a); break;
	case AT_IPV4:
		fmt_ipv4(sb, ((uint32_t)a->a[0] << 24) | ((uint32_t)a->a[1] << 16) |
		                 ((uint32_t)a->a[2] << 8) | a->a[3]);
		break;
	case AT_IPV6: fmt_ipv6(sb, a->a); break;
	default: break;
	}
}

/* ---- checksum (RFC 1071) ---------------------------------------------- */

uint32_t
cksum_add(uint32_t sum, const uint8_t *p, size_t n)
{
	uint64_t s = sum;
	size_t i = 0;
	for (; i + 1 < n; i += 2)
		s += (uint32_t)((p[i] << 8) | p[i + 1]);
	if (i < n)
		s += (uint32_t)(p[i] << 8);
	while (s >> 32)
		s = (s & 0xffffffffu) + (s >> 32);
	return (uint32_t)s;
}

uint32_t
cksum_pseudo(const struct tw_pinfo *pi, uint8_t proto, uint32_t len)
{
	uint32_t sum = 0;
	size_t alen = pi->ip_src.type == AT_IPV6 ? 16 : 4;
	sum = cksum_add(sum, pi->ip_src.a, alen);
	sum = cksum_add(sum, pi->ip_dst.a, alen);
	if (alen == 16) {
		uint8_t tail[8] = { (uint8_t)(len >> 24), (uint8_t)(len >> 16), (uint8_t)(len >> 8),
			            (uint8_t)len, 0, 0, 0, proto };
		sum = cksum_add(sum, tail, 8);
	} else {
		uint8_t tail[4] = { 0, proto, (uint8_t)(len >> 8), (uint8_t)len };
		sum = cksum_add(sum, tail, 4);
	}
	return sum;
}

uint16_t
cksum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* ---- summary columns -------------------------------------------------- */

void
pinfo_reset(struct tw_pinfo *pi, bool mute)
{
	memset(pi, 0, offsetof(struct tw_pinfo, info));
	sb_fixed(&pi->info, pi->info_buf, mute ? 1 : sizeof pi->info_buf);
	sb_fixed(&pi->protos, pi->protos_buf, mute ? 1 : sizeof pi->protos_buf);
	pi->proto = "";
}

void
col_set_proto(struct tw_dctx *c, const char *proto, uint8_t id)
{
	c->pi.proto = proto;
	c->pi.top = id;
}

void
col_set_proto_fmt(struct tw_dctx *c, uint8_t id, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->pi.proto_buf, sizeof c->pi.proto_buf, fmt, ap);
	va_end(ap);
	c->pi.proto = c->pi.proto_buf;
	c->pi.top = id;
}

void
col_clear_info(struct tw_dctx *c)
{
	sb_reset(&c->pi.info);
}

void
col_add_info(struct tw_dctx *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(&c->pi.info, fmt, ap);
	va_end(ap);
}

void
col_add_info_escaped(struct tw_dctx *c, const void *p, size_t n)
{
	sb_add_escaped(&c->pi.info, p, n);
}

void
col_add_proto_layer(struct tw_dctx *c, const char *name)
{
	if (c->pi.protos.len)
		sb_addc(&c->pi.protos, ':');
	sb_adds(&c->pi.protos, name);
}

struct tw_node *
proto_add(struct tw_dctx *c, struct tw_node *parent, const struct tw_field *f,
          const struct tw_buf *b, size_t len)
{
	return tree_add_here(c->tree, parent, f, b, len);
}

/* ---- Frame ------------------------------------------------------------ */

enum {
	F_FRAME,
	F_ENCAP,
	F_IFACE,
	F_TIME,
	F_TIME_EPOCH,
	F_TIME_DELTA,
	F_TIME_REL,
	F_NUMBER,
	F_LEN,
	F_CAPLEN,
	F_PROTOCOLS,
	F_COUNT
};

static const struct tw_valstr encap_vals[] = {
	{ LINKTYPE_NULL, "NULL/Loopback" },
	{ LINKTYPE_ETHERNET, "Ethernet" },
	{ LINKTYPE_RAW, "Raw IP" },
	{ LINKTYPE_LOOP, "OpenBSD loopback" },
	{ LINKTYPE_LINUX_SLL, "Linux cooked-mode capture v1" },
	{ LINKTYPE_IPV4, "Raw IPv4" },
	{ LINKTYPE_IPV6, "Raw IPv6" },
	{ LINKTYPE_LINUX_SLL2, "Linux cooked-mode capture v2" },
	{ 0, NULL },
};

static const struct tw_field frame_fields[F_COUNT] = {
	[F_FRAME] = { "frame", "Frame", FT_PROTOCOL, BASE_NONE, 0, NULL },
	[F_ENCAP] = { "frame.encap_type", "Encapsulation type", FT_U16, BASE_DEC, 0, encap_vals },
	[F_IFACE] = { "frame.interface_id", "Interface id", FT_U32, BASE_DEC, 0, NULL },
	[F_TIME] = { "frame.time", "Arrival Time", FT_ABSTIME, BASE_NONE, 0, NULL },
	[F_TIME_EPOCH] = { "frame.time_epoch", "Epoch Time", FT_ABSTIME, BASE_DEC, 0, NULL },
	[F_TIME_DELTA] = { "frame.time_delta", "Time delta from previous captured frame", FT_RELTIME, BASE_NONE, 0, NULL },
	[F_TIME_REL] = { "frame.time_relative", "Time since reference or first frame", FT_RELTIME, BASE_NONE, 0, NULL },
	[F_NUMBER] = { "frame.number", "Frame Number", FT_U32, BASE_DEC, 0, NULL },
	[F_LEN] = { "frame.len", "Frame Length", FT_U32, BASE_DEC, 0, NULL },
	[F_CAPLEN] = { "frame.cap_len", "Capture Length", FT_U32, BASE_DEC, 0, NULL },
	[F_PROTOCOLS] = { "frame.protocols", "Protocols in frame", FT_STRING, BASE_NONE, 0, NULL },
};
const struct tw_field_table frame_field_table = { frame_fields, F_COUNT };

struct link_entry {
	int linktype;
	tw_dissect_fn fn;
	const char *name;
};

static const struct link_entry link_table[] = {
	{ LINKTYPE_ETHERNET, dis_eth, "Ethernet" },
	{ LINKTYPE_LINUX_SLL, dis_sll, "Linux cooked capture v1" },
	{ LINKTYPE_LINUX_SLL2, dis_sll2, "Linux cooked capture v2" },
	{ LINKTYPE_RAW, dis_raw, "Raw IP" },
	{ LINKTYPE_IPV4, dis_raw, "Raw IPv4" },
	{ LINKTYPE_IPV6, dis_raw, "Raw IPv6" },
	{ LINKTYPE_NULL, dis_null, "BSD loopback" },
	{ LINKTYPE_LOOP, dis_null, "OpenBSD loopback" },
};

static const struct link_entry *
link_lookup(int linktype)
{
	for (size_t i = 0; i < ARRAY_SIZE(link_table); i++)
		if (link_table[i].linktype == linktype)
			return &link_table[i];
	return NULL;
}

bool
linktype_supported(int linktype)
{
	return link_lookup(linktype) != NULL;
}

const char *
linktype_name(int linktype)
{
	const struct link_entry *e = link_lookup(linktype);
	return e ? e->name : NULL;
}

void
dissect_frame(struct tw_dctx *c, const uint8_t *p, uint32_t caplen, uint32_t len)
{
	struct tw_pinfo *pi = &c->pi;
	struct tw_tree *t = c->tree;
	struct tw_node *root = tree_root(t);
	struct tw_buf b = buf_init(p, caplen, len, 0);
	if (t)
		tree_add_datasrc(t, "Frame", p, caplen);

	struct tw_node *fr = tree_add(t, root, &frame_fields[F_FRAME], &b, 0, caplen);
	if (fr) {
		node_label(t, fr, "Frame %u: %u bytes on wire (%llu bits), %u bytes captured (%llu bits)",
		           pi->num, len, (unsigned long long)len * 8, caplen,
		           (unsigned long long)caplen * 8);
		if (pi->has_iface)
			node_set_u(tree_add_gen(t, fr, &frame_fields[F_IFACE]), pi->iface);
		struct tw_node *n = tree_add_gen(t, fr, &frame_fields[F_ENCAP]);
		node_set_u(n, pi->linktype);
		n->flags &= (uint8_t)~TW_NF_GENERATED;
		n = tree_add_gen(t, fr, &frame_fields[F_TIME]);
		node_set_i(n, pi->ts);
		n->flags &= (uint8_t)~TW_NF_GENERATED;
		n = tree_add_gen(t, fr, &frame_fields[F_TIME_EPOCH]);
		node_set_i(n, pi->ts);
		n->flags &= (uint8_t)~TW_NF_GENERATED;
		node_set_i(tree_add_gen(t, fr, &frame_fields[F_TIME_DELTA]), pi->ts - pi->prev_ts);
		node_set_i(tree_add_gen(t, fr, &frame_fields[F_TIME_REL]), pi->ts - pi->first_ts);
		n = tree_add_gen(t, fr, &frame_fields[F_NUMBER]);
		node_set_u(n, pi->num);
		n->flags &= (uint8_t)~TW_NF_GENERATED;
		n = tree_add_gen(t, fr, &frame_fields[F_LEN]);
		node_set_u(n, len);
		node_label(t, n, "Frame Length: %u bytes (%llu bits)", len, (unsigned long long)len * 8);
		n->flags &= (uint8_t)~TW_NF_GENERATED;
		n = tree_add_gen(t, fr, &frame_fields[F_CAPLEN]);
		node_set_u(n, caplen);
		node_label(t, n, "Capture Length: %u bytes (%llu bits)", caplen,
		           (unsigned long long)caplen * 8);
		n->flags &= (uint8_t)~TW_NF_GENERATED;
	}
	col_set_proto(c, "Frame", PROTO_FRAME);

	const struct link_entry *le = link_lookup(pi->linktype);
	if (le) {
		le->fn(c, &b, root);
	} else {
		col_set_proto(c, "Unknown", PROTO_FRAME);
		col_add_info(c, "unsupported link type %u", pi->linktype);
		tree_expert(t, fr, TW_SEV_NOTE, "Link type %u is not supported by tracewb; bytes shown undissected",
		            pi->linktype);
		struct tw_buf rest = buf_rest(&b);
		dissect_data(c, &rest, root);
	}

	if (fr) {
		struct tw_node *n = tree_add_gen(t, fr, &frame_fields[F_PROTOCOLS]);
		node_set_bytes_copy(t, n, pi->protos.s, pi->protos.len);
	}
}

/* ---- data ------------------------------------------------------------- */

enum { FD_DATA, FD_DATA_DATA, FD_DATA_LEN, FD_COUNT };
static const struct tw_field data_fields[FD_COUNT] = {
	[FD_DATA] = { "data", "Data", FT_PROTOCOL, BASE_NONE, 0, NULL },
	[FD_DATA_DATA] = { "data.data", "Data", FT_BYTES, BASE_NONE, 0, NULL },
	[FD_DATA_LEN] = { "data.len", "Length", FT_U32, BASE_DEC, 0, NULL },
};
const struct tw_field_table data_field_table = { data_fields, FD_COUNT };

void
dissect_data(struct tw_dctx *c, struct tw_buf *b, struct tw_node *parent)
{
	size_t n = buf_left(b);
	if (n == 0)
		return;
	col_add_proto_layer(c, "data");
	struct tw_node *d = proto_add(c, parent, &data_fields[FD_DATA], b, n);
	node_label(c->tree, d, "Data (%zu byte%s)", n, n == 1 ? "" : "s");
	struct tw_node *x = tree_add_here(c->tree, d, &data_fields[FD_DATA_DATA], b, n);
	node_set_bytes(x, b->p + b->off, n);
	node_set_u(tree_add_gen(c->tree, d, &data_fields[FD_DATA_LEN]), n);
	buf_skip(b, n);
}

/* ---- ethertype / IP protocol dispatch --------------------------------- */

const struct tw_valstr ethertype_vals[] = {
	{ 0x0800, "IPv4" },
	{ 0x0806, "ARP" },
	{ 0x8035, "RARP" },
	{ 0x8100, "802.1Q Virtual LAN" },
	{ 0x86dd, "IPv6" },
	{ 0x8808, "MAC Control" },
	{ 0x8809, "Slow Protocols" },
	{ 0x8847, "MPLS label switched packet" },
	{ 0x8848, "MPLS multicast label switched packet" },
	{ 0x8863, "PPPoE Discovery" },
	{ 0x8864, "PPPoE Session" },
	{ 0x888e, "802.1X Authentication" },
	{ 0x88a8, "802.1ad Provider Bridge (Q-in-Q)" },
	{ 0x88cc, "802.1 Link Layer Discovery Protocol (LLDP)" },
	{ 0x88e5, "802.1AE (MACsec)" },
	{ 0x88f7, "PTPv2 over Ethernet (IEEE1588)" },
	{ 0x9000, "Configuration Test Protocol (loopback)" },
	{ 0x9100, "VLAN tag (QinQ)" },
	{ 0, NULL },
};

void
dissect_ethertype(struct tw_dctx *c, uint16_t type, struct tw_buf *b, struct tw_node *parent)
{
	if (++c->pi.depth > TW_MAX_DEPTH) {
		tree_expert(c->tree, parent, TW_SEV_WARN, "Encapsulation nested too deeply; not dissected");
		dissect_data(c, b, parent);
		return;
	}
	col_add_proto_layer(c, "ethertype");
	switch (type) {
	case 0x0800: dis_ipv4(c, b, parent); break;
	case 0x86dd: dis_ipv6(c, b, parent); break;
	case 0x0806: dis_arp(c, b, parent); break;
	case 0x8100:
	case 0x9100: dis_vlan(c, b, parent); break;
	case 0x88a8: dis_8021ad(c, b, parent); break;
	default: {
		const char *name = val_to_str(type, ethertype_vals);
		if (name)
			col_set_proto(c, name, c->pi.top);
		else
			col_set_proto_fmt(c, c->pi.top, "0x%04x", type);
		col_clear_info(c);
		col_add_info(c, "Ethernet type 0x%04x%s%s%s", type, name ? " (" : "", name ? name : "",
		             name ? ")" : "");
		dissect_data(c, b, parent);
		break;
	}
	}
}

const struct tw_valstr ipproto_vals[] = {
	{ 0, "IPv6 Hop-by-Hop Option" },
	{ 1, "ICMP" },
	{ 2, "IGMP" },
	{ 4, "IPIP" },
	{ 6, "TCP" },
	{ 8, "EGP" },
	{ 9, "IGRP" },
	{ 17, "UDP" },
	{ 33, "DCCP" },
	{ 41, "IPv6" },
	{ 43, "Routing Header for IPv6" },
	{ 44, "Fragment Header for IPv6" },
	{ 46, "RSVP" },
	{ 47, "Generic Routing Encapsulation" },
	{ 50, "Encap Security Payload" },
	{ 51, "Authentication Header" },
	{ 58, "ICMPv6" },
	{ 59, "IPv6 No Next Header" },
	{ 60, "Destination Options for IPv6" },
	{ 88, "EIGRP" },
	{ 89, "OSPF IGP" },
	{ 103, "PIM" },
	{ 112, "Virtual Router Redundancy Protocol" },
	{ 115, "Layer 2 Tunneling Protocol" },
	{ 132, "SCTP" },
	{ 135, "Mobility (IPv6)" },
	{ 136, "UDPLite" },
	{ 0, NULL },
};

/* Short names for the Protocol column of protocols we do not dissect. */
static const struct tw_valstr ipproto_short[] = {
	{ 2, "IGMP" },   { 8, "EGP" },    { 33, "DCCP" }, { 46, "RSVP" }, { 47, "GRE" },
	{ 50, "ESP" },   { 51, "AH" },    { 88, "EIGRP" }, { 89, "OSPF" }, { 103, "PIMv2" },
	{ 112, "VRRP" }, { 115, "L2TP" }, { 132, "SCTP" }, { 136, "UDPlite" }, { 0, NULL },
};

void
dissect_ipproto(struct tw_dctx *c, uint8_t proto, struct tw_buf *b, struct tw_node *parent)
{
	c->pi.ipproto = proto;
	if (c->pi.fragment) {
		/* A non-first fragment or an unreassembled first fragment. */
		dissect_data(c, b, parent);
		return;
	}
	switch (proto) {
	case 1: dis_icmp(c, b, parent); break;
	case 6: dis_tcp(c, b, parent); break;
	case 17: dis_udp(c, b, parent); break;
	case 58: dis_icmpv6(c, b, parent); break;
	case 4:
		if (++c->pi.depth > TW_MAX_DEPTH)
			goto deep;
		dis_ipv4(c, b, parent);
		break;
	case 41:
		if (++c->pi.depth > TW_MAX_DEPTH)
			goto deep;
		dis_ipv6(c, b, parent);
		break;
	case 59:
		break;
	default: {
		const char *name = val_to_str(proto, ipproto_short);
		if (name)
			col_set_proto(c, name, c->pi.top);
		col_clear_info(c);
		const char *full = val_to_str(proto, ipproto_vals);
		col_add_info(c, "IP protocol %u%s%s%s, %zu bytes", proto, full ? " (" : "",
		             full ? full : "", full ? ")" : "", buf_reported_left(b));
		dissect_data(c, b, parent);
		break;
	}
	}
	return;
deep:
	tree_expert(c->tree, parent, TW_SEV_WARN, "Encapsulation nested too deeply; not dissected");
	dissect_data(c, b, parent);
}

/* ---- the field tables of every dissector ------------------------------ */

extern const struct tw_field_table eth_field_table, link_field_table, arp_field_table,
    ipv4_field_table, ipv6_field_table, icmp_field_table, tcp_field_table, udp_field_table,
    stream_field_table, tls_field_table, ipfrag_v4_field_table, ipfrag_v6_field_table, dns_field_table;
extern const struct tw_field_table http_field_table, pkix_field_table, x509_field_table;

const struct tw_field_table *const tw_field_tables[] = {
	&frame_field_table, &eth_field_table, &link_field_table, &arp_field_table,
	&ipv4_field_table,  &ipv6_field_table, &icmp_field_table, &tcp_field_table,
	&udp_field_table,   &data_field_table, &stream_field_table, &tls_field_table, &ipfrag_v4_field_table,
	&ipfrag_v6_field_table,
	&dns_field_table,
	&http_field_table, &pkix_field_table, &x509_field_table,
	NULL,
};
