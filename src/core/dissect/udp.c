/*
 * udp.c - User Datagram Protocol (RFC 768).
 *
 *  +-------------------------------+-------------------------------+
 *  |          Source Port          |       Destination Port        |
 *  |            Length             |           Checksum            |
 *  +-------------------------------+-------------------------------+
 *
 * The payload view is narrowed to the Length field. A checksum of zero
 * means "not computed" over IPv4 and is illegal over IPv6.
 */
#include "core/dissect/dissect.h"

#include "core/capture.h"
#include "core/conv.h"
#include "core/field.h"

enum {
	F_UDP,
	F_SRCPORT,
	F_DSTPORT,
	F_PORT,
	F_LENGTH,
	F_CHECKSUM,
	F_CHECKSUM_CALC,
	F_CHECKSUM_STATUS,
	F_STREAM,
	F_PAYLOAD,
	F_COUNT
};

static const struct tw_field fields[F_COUNT] = {
	[F_UDP] = { "udp", "User Datagram Protocol", FT_PROTOCOL, BASE_NONE, 0, NULL },
	[F_SRCPORT] = { "udp.srcport", "Source Port", FT_U16, BASE_DEC, 0, NULL },
	[F_DSTPORT] = { "udp.dstport", "Destination Port", FT_U16, BASE_DEC, 0, NULL },
	[F_PORT] = { "udp.port", "Source or Destination Port", FT_U16, BASE_DEC, 0, NULL },
	[F_LENGTH] = { "udp.length", "Length", FT_U16, BASE_DEC, 0, NULL },
	[F_CHECKSUM] = { "udp.checksum", "Checksum", FT_U16, BASE_HEX, 0, NULL },
	[F_CHECKSUM_CALC] = { "udp.checksum_calculated", "Calculated Checksum", FT_U16, BASE_HEX, 0, NULL },
	[F_CHECKSUM_STATUS] = { "udp.checksum.status", "Checksum Status", FT_U8, BASE_NONE, 0, cksum_status_vals },
	[F_STREAM] = { "udp.stream", "Stream index", FT_U32, BASE_DEC, 0, NULL },
	[F_PAYLOAD] = { "udp.payload", "Payload", FT_BYTES, BASE_NONE, 0, NULL },
};
const struct tw_field_table udp_field_table = { fields, F_COUNT };

/* Payload dissectors by UDP port; either port may match, the lower first. */
static const struct {
	uint16_t port;
	tw_dissect_fn fn;
} udp_ports[] = {
	{ 53, dis_dns },
	{ 5353, dis_mdns },
	{ 5355, dis_llmnr },
};

static tw_dissect_fn
udp_port_fn(uint16_t port)
{
	for (size_t i = 0; i < ARRAY_SIZE(udp_ports); i++)
		if (udp_ports[i].port == port)
			return udp_ports[i].fn;
	return NULL;
}

/*
 * The payload: by port, then by heuristic, else data. Heuristics are tried
 * only when both ports are 1024 or above: below that the port names the
 * protocol (Wireshark has a dissector for most of them; NetBIOS Name
 * Service on 137 would pass for DNS). Inside an ICMP error only a known
 * protocol is dissected (the quoted bytes are few).
 */
static void
udp_payload(struct tw_dctx *c, struct tw_buf *pl, struct tw_node *parent, uint16_t sport, uint16_t dport)
{
	uint16_t lo = sport < dport ? sport : dport, hi = sport < dport ? dport : sport;
	tw_dissect_fn fn = udp_port_fn(lo);
	if (!fn)
		fn = udp_port_fn(hi);
	if (fn) {
		fn(c, pl, parent);
		return;
	}
	if ((lo >= 1024 && dis_dns_heur(c, pl, parent)) || c->pi.in_error)
		return;
	dissect_data(c, pl, parent);
}

void
dis_udp(struct tw_dctx *c, struct tw_buf *b, struct tw_node *parent)
{
	struct tw_tree *t = c->tree;
	struct tw_pinfo *pi = &c->pi;
	col_add_proto_layer(c, "udp");
	if (!pi->in_error) {
		col_set_proto(c, "UDP", PROTO_UDP);
		col_clear_info(c);
	}
	size_t start = b->off;
	const uint8_t *dgram = b->p + b->off;
	size_t cap = buf_left(b);
	size_t rep = buf_reported_left(b);
	struct tw_node *udp = proto_add(c, parent, &fields[F_UDP], b, 8);
	uint16_t sport = tree_read_be16(t, udp, &fields[F_SRCPORT], b);
	uint16_t dport = tree_read_be16(t, udp, &fields[F_DSTPORT], b);
	struct tw_node *n = tree_add(t, udp, &fields[F_PORT], b, start, 2);
	node_set_u(n, sport);
	node_set_flags(n, TW_NF_HIDDEN);
	n = tree_add(t, udp, &fields[F_PORT], b, start + 2, 2);
	node_set_u(n, dport);
	node_set_flags(n, TW_NF_HIDDEN);
	if (!buf_ok(b)) {
		node_note_buf(t, udp, b, "UDP header");
		if (!pi->in_error)
			col_add_info(c, "[UDP header %s]", b->err == BUF_TRUNC ? "truncated" : "malformed");
		return;
	}
	if (!pi->in_error) {
		pi->srcport = sport;
		pi->dstport = dport;
	}
	node_label(t, udp, "User Datagram Protocol, Src Port: %u, Dst Port: %u", sport, dport);
	if (pi->in_error && !buf_has(b, 4))
		return;
	uint16_t ulen = tree_read_be16(t, udp, &fields[F_LENGTH], b);
	size_t cs_at = b->off;
	uint16_t sum = buf_be16(b);
	if (!buf_ok(b)) {
		node_note_buf(t, udp, b, "UDP header");
		return;
	}
	struct tw_node *cs = tree_add(t, udp, &fields[F_CHECKSUM], b, cs_at, 2);
	node_set_u(cs, sum);

	bool bad_len = ulen < 8 || ulen > rep;
	if (bad_len && !pi->in_error)
		tree_expert(t, udp, TW_SEV_ERROR, "Bad length value %u %s", ulen,
		            ulen < 8 ? "< 8" : "> IP payload length");
	size_t plen = bad_len ? (rep > 8 ? rep - 8 : 0) : (size_t)ulen - 8;

	/* Checksum over pseudo-header + datagram. */
	if (cs && !pi->in_error && !pi->fragment) {
		if (sum == 0 && pi->ip_src.type == AT_IPV4) {
			node_label(t, cs, "Checksum: 0x0000 [zero-value ignored]");
			node_set_u(tree_add_gen(t, udp, &fields[F_CHECKSUM_STATUS]), 3);
		} else if (!bad_len && cap >= ulen) {
			uint32_t ps = cksum_pseudo(pi, 17, ulen);
			if (cksum_fold(cksum_add(ps, dgram, ulen)) == 0) {
				node_label(t, cs, "Checksum: 0x%04x [correct]", sum);
				node_set_u(tree_add_gen(t, udp, &fields[F_CHECKSUM_STATUS]), 1);
			} else {
				uint32_t s = cksum_add(ps, dgram, 6);
				s = cksum_add(s, dgram + 8, ulen - 8u);
				uint16_t expect = cksum_fold(s);
				if (expect == 0)
					expect = 0xffff;
				uint16_t partial = (uint16_t)~cksum_fold(ps);
				bool offload = sum == partial;
				node_label(t, cs, "Checksum: 0x%04x incorrect, should be 0x%04x%s", sum, expect,
				           offload ? " (maybe caused by \"UDP checksum offload\"?)" : "");
				node_set_u(tree_add_gen(t, udp, &fields[F_CHECKSUM_CALC]), expect);
				node_set_u(tree_add_gen(t, udp, &fields[F_CHECKSUM_STATUS]), 0);
				tree_expert(t, cs, offload ? TW_SEV_NOTE : TW_SEV_ERROR, "Bad checksum%s",
				            offload ? ", maybe checksum offload on the sending host" : "");
			}
		} else {
			node_set_u(tree_add_gen(t, udp, &fields[F_CHECKSUM_STATUS]), 2);
		}
	}

	/* Conversation (udp.stream); quoted headers in ICMP errors get one too. */
	if (!pi->fragment && c->convs) {
		uint32_t ci = CONV_NONE;
		if (c->first_pass) {
			ci = conv_find_load(c->convs, 17, &pi->ip_src, sport, &pi->ip_dst, dport);
			if (ci == CONV_NONE && c->first_pass) {
				ci = conv_add(c->convs, 17, &pi->ip_src, sport, &pi->ip_dst, dport);
				c->convs->v[ci].first_frame = pi->num;
				c->convs->v[ci].first_ts = pi->ts;
			}
			if (ci != CONV_NONE && c->first_pass && pi->in_error && c->frame &&
			    c->frame->conv == CONV_NONE)
				c->frame->conv = ci; /* an ICMP error frame keeps the quoted conversation */
			if (ci != CONV_NONE && c->first_pass && !pi->in_error) {
				struct tw_conv *cv = &c->convs->v[ci];
				int dir = conv_dir(cv, &pi->ip_src, sport);
				cv->frames[dir]++;
				cv->bytes[dir] += pi->len;
				cv->last_frame = pi->num;
				cv->last_ts = pi->ts;
				if (c->frame)
					c->frame->conv = ci;
			}
		} else if (c->frame) {
			ci = c->frame->conv;
		}
		if (ci != CONV_NONE && ci < c->convs->n)
			node_set_u(tree_add_gen(t, udp, &fields[F_STREAM]), c->convs->v[ci].stream);
	}

	if (!pi->in_error) {
		sb_addu(&pi->info, sport);
		sb_adds(&pi->info, " \xe2\x86\x92 ");
		sb_addu(&pi->info, dport);
		sb_adds(&pi->info, " Len=");
		sb_addu(&pi->info, plen);
	}
	if (pi->in_error) {
		/* The quoted payload: only what was quoted, no payload node. */
		if (plen && buf_left(b)) {
			struct tw_buf pl = buf_sub(b, plen);
			if (b->err == BUF_MALFORMED)
				b->err = BUF_OK;
			udp_payload(c, &pl, parent, sport, dport);
		}
		/* A quote may end early; bytes the frame carried but the capture cut are a truncation. */
		if (buf_left(b) < buf_reported_left(b)) {
			buf_need(b, buf_reported_left(b));
			node_note_buf(t, udp, b, "quoted UDP payload");
		}
		return;
	}
	struct tw_buf pl = buf_sub(b, plen);
	if (b->err == BUF_MALFORMED)
		b->err = BUF_OK;
	if (buf_left(&pl)) {
		struct tw_node *pn = tree_add_here(t, udp, &fields[F_PAYLOAD], &pl, buf_left(&pl));
		node_set_bytes(pn, pl.p, buf_left(&pl));
		node_label(t, pn, "UDP payload (%zu byte%s)", plen, plen == 1 ? "" : "s");
		udp_payload(c, &pl, parent, sport, dport);
	}
}
