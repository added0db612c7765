/*
 * test_dissect.c - the L2-L4 dissectors on hand-built frames through
 * dissect_frame(), set up the way capture_dissect() does.
 *
 * Part 1 checks decoded values, summary columns and checksum verdicts; the
 * expected values come from the bytes and the RFCs (checksums computed by
 * testutil.h's independent RFC 1071 code, itself checked against published
 * examples below).
 * Part 2 is hostile input: every snaplen cut of every frame and every lying
 * length field. Each cut is dissected from a heap copy of exactly the
 * captured bytes, so the sanitizer build catches any read past them.
 */
#include "testutil.h"

#include "core/capture.h"
#include "core/conv.h"
#include "core/dissect/dissect.h"
#include "core/field.h"

/* ---- frames ------------------------------------------------------------ */

static const uint8_t MAC_A[6] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 };
static const uint8_t MAC_B[6] = { 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb };
static const uint8_t IP_A[4] = { 10, 0, 0, 1 };
static const uint8_t IP_B[4] = { 10, 0, 0, 2 };
static const uint8_t IP6_A[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
static const uint8_t IP6_B[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };

#define NONE SIZE_MAX

struct frame {
	const char *name;
	uint16_t lt;      /* LINKTYPE_* */
	uint8_t p[4096];
	size_t len;
	size_t hdr_end;   /* end of the last header: a cut before it must be flagged */
	size_t ip4;       /* offset of the outer IPv4 header (for checksum fix-ups), or NONE */
	size_t l4;        /* offset of the transport header, or NONE */
};

static size_t
eth_hdr(uint8_t *p, uint16_t type)
{
	memcpy(p, MAC_B, 6);
	memcpy(p + 6, MAC_A, 6);
	tu_be16(p + 12, type);
	return 14;
}

/* IPv4 header, DF set, TTL 64; total length and checksum by ip4_fix. */
static size_t
ip4_hdr(uint8_t *p, uint8_t proto, const uint8_t *src, const uint8_t *dst, const uint8_t *opt, size_t optlen)
{
	p[0] = (uint8_t)(0x40 | ((20 + optlen) / 4));
	p[1] = 0;
	tu_be16(p + 2, 0);
	tu_be16(p + 4, 0x1c46);
	tu_be16(p + 6, 0x4000);
	p[8] = 64;
	p[9] = proto;
	tu_be16(p + 10, 0);
	memcpy(p + 12, src, 4);
	memcpy(p + 16, dst, 4);
	if (optlen)
		memcpy(p + 20, opt, optlen);
	return 20 + optlen;
}

static size_t
ip6_hdr(uint8_t *p, uint8_t nxt, uint16_t plen, const uint8_t *src, const uint8_t *dst)
{
	tu_be32(p, 0x60000000);
	tu_be16(p + 4, plen);
	p[6] = nxt;
	p[7] = 64;
	memcpy(p + 8, src, 16);
	memcpy(p + 24, dst, 16);
	return 40;
}

static size_t
udp_hdr(uint8_t *p, uint16_t sp, uint16_t dp, const void *pl, size_t n)
{
	tu_be16(p, sp);
	tu_be16(p + 2, dp);
	tu_be16(p + 4, (uint16_t)(8 + n));
	tu_be16(p + 6, 0);
	if (n)
		memcpy(p + 8, pl, n);
	return 8 + n;
}

static size_t
tcp_hdr(uint8_t *p, uint16_t sp, uint16_t dp, uint32_t seq, uint32_t ack, uint16_t flags, uint16_t win,
        const uint8_t *opt, size_t optlen, const void *pl, size_t n)
{
	tu_be16(p, sp);
	tu_be16(p + 2, dp);
	tu_be32(p + 4, seq);
	tu_be32(p + 8, ack);
	tu_be16(p + 12, (uint16_t)((((20 + optlen) / 4) << 12) | flags));
	tu_be16(p + 14, win);
	tu_be16(p + 16, 0);
	tu_be16(p + 18, 0);
	if (optlen)
		memcpy(p + 20, opt, optlen);
	if (n)
		memcpy(p + 20 + optlen, pl, n);
	return 20 + optlen + n;
}

/* Transport checksum of an IPv4 packet, over the n bytes the IP header gives it. */
static void
l4_fix4(const uint8_t *ip, uint8_t *l4, size_t n)
{
	uint8_t proto = ip[9];
	if (proto == 6 && n >= 20) {
		tu_be16(l4 + 16, 0);
		tu_be16(l4 + 16, tu_cksum(tu_pseudo4(ip + 12, ip + 16, 6, (uint16_t)n), l4, n));
	} else if (proto == 17 && n >= 8) {
		size_t ulen = tu_get16(l4 + 4);
		if (ulen < 8 || ulen > n)
			return;
		tu_be16(l4 + 6, 0);
		uint16_t s = tu_cksum(tu_pseudo4(ip + 12, ip + 16, 17, (uint16_t)ulen), l4, ulen);
		tu_be16(l4 + 6, s ? s : 0xffff); /* RFC 768: 0 is sent as all ones */
	} else if (proto == 1 && n >= 4) {
		tu_be16(l4 + 2, 0);
		tu_be16(l4 + 2, tu_cksum(0, l4, n));
	}
}

/* Checksums of the IPv4 packet at ip as its own header describes it (within end). */
static void
ip4_fix(uint8_t *ip, const uint8_t *end)
{
	size_t avail = (size_t)(end - ip);
	if (avail < 20)
		return;
	size_t ihl = (size_t)(ip[0] & 15) * 4, tot = tu_get16(ip + 2);
	if (ihl >= 20 && ihl <= tot && tot <= avail)
		l4_fix4(ip, ip + ihl, tot - ihl);
	if (ihl >= 20 && ihl <= avail) {
		tu_be16(ip + 10, 0);
		tu_be16(ip + 10, tu_cksum(0, ip, ihl));
	}
}

static void
ip4_finish(uint8_t *ip, size_t tot)
{
	tu_be16(ip + 2, (uint16_t)tot);
	ip4_fix(ip, ip + tot);
}

static void
frame_fix(struct frame *f)
{
	if (f->ip4 != NONE)
		ip4_fix(f->p + f->ip4, f->p + f->len);
}

/* Ethernet minimum frame (without FCS): pad with zeros to 60 bytes. */
static void
eth_pad(struct frame *f)
{
	while (f->len < 60)
		f->p[f->len++] = 0;
}

enum {
	FR_TCP_SYN,
	FR_TCP_DATA,
	FR_UDP,
	FR_ARP_REQ,
	FR_ARP_REPLY,
	FR_VLAN,
	FR_IPV6_EXT,
	FR_ICMP_ECHO,
	FR_ICMP_UNREACH,
	FR_ICMP_UNREACH_792,
	FR_SLL,
	FR_SLL2,
	FR_NULL_LE,
	FR_NULL_BE,
	FR_NULL_V6,
	FR_LOOP,
	FR_RAW4,
	FR_RAW6,
	FR_IPV4_LT,
	FR_IP_OPTS,
	FR_COUNT
};

static struct frame frames[FR_COUNT];

static const uint8_t syn_opts[20] = { 2, 4, 0x05, 0xb4,                         /* MSS 1460 */
	                              4, 2,                                     /* SACK permitted */
	                              8, 10, 0, 0, 0, 1, 0, 0, 0, 0,            /* TS val 1 ecr 0 */
	                              1,                                        /* NOP */
	                              3, 3, 7 };                                /* WS 7 */

/* IPv4 + UDP 40001 -> 40002 (no application protocol) with "abcd"; returns bytes written. */
static size_t
ip4_udp(uint8_t *p)
{
	size_t n = ip4_hdr(p, 17, IP_A, IP_B, NULL, 0);
	n += udp_hdr(p + n, 40001, 40002, "abcd", 4);
	ip4_finish(p, n);
	return n;
}

/* IPv6 + UDP 40001 -> 40002 with "abcd". */
static size_t
ip6_udp(uint8_t *p)
{
	size_t n = ip6_hdr(p, 17, 12, IP6_A, IP6_B);
	uint8_t *u = p + n;
	n += udp_hdr(u, 40001, 40002, "abcd", 4);
	tu_be16(u + 6, tu_cksum(tu_pseudo6(IP6_A, IP6_B, 17, 12), u, 12));
	return n;
}

static void
build_frames(void)
{
	struct frame *f;
	size_t n;

	/* 74-byte SYN: Ethernet, IPv4, TCP with 20 bytes of options. */
	f = &frames[FR_TCP_SYN];
	f->name = "eth/ipv4/tcp SYN";
	f->lt = LINKTYPE_ETHERNET;
	n = eth_hdr(f->p, 0x0800);
	f->ip4 = n;
	n += ip4_hdr(f->p + n, 6, IP_A, IP_B, NULL, 0);
	f->l4 = n;
	n += tcp_hdr(f->p + n, 1234, 443, 0x12345678, 0, 0x002, 64240, syn_opts, sizeof syn_opts, NULL, 0);
	ip4_finish(f->p + f->ip4, n - f->ip4);
	f->len = f->hdr_end = n;

	/* ACK+PSH with 5 bytes of payload, padded to 60. */
	f = &frames[FR_TCP_DATA];
	f->name = "eth/ipv4/tcp data";
	f->lt = LINKTYPE_ETHERNET;
	n = eth_hdr(f->p, 0x0800);
	f->ip4 = n;
	n += ip4_hdr(f->p + n, 6, IP_A, IP_B, NULL, 0);
	f->l4 = n;
	f->hdr_end = n + 20;
	n += tcp_hdr(f->p + n, 1234, 40005, 1000, 2000, 0x018, 502, NULL, 0, "hello", 5);
	ip4_finish(f->p + f->ip4, n - f->ip4);
	f->len = n;
	eth_pad(f);

	f = &frames[FR_UDP];
	f->name = "eth/ipv4/udp";
	f->lt = LINKTYPE_ETHERNET;
	n = eth_hdr(f->p, 0x0800);
	f->ip4 = n;
	f->l4 = n + 20;
	f->hdr_end = n + 28;
	f->len = n + ip4_udp(f->p + n);
	eth_pad(f);

	/* ARP request and reply (RFC 826), padded. */
	for (int r = 0; r < 2; r++) {
		f = &frames[r ? FR_ARP_REPLY : FR_ARP_REQ];
		f->name = r ? "eth/arp reply" : "eth/arp request";
		f->lt = LINKTYPE_ETHERNET;
		f->ip4 = NONE;
		n = eth_hdr(f->p, 0x0806);
		f->l4 = n;
		uint8_t *a = f->p + n;
		tu_be16(a, 1);
		tu_be16(a + 2, 0x0800);
		a[4] = 6;
		a[5] = 4;
		tu_be16(a + 6, r ? 2 : 1);
		memcpy(a + 8, r ? MAC_B : MAC_A, 6);
		memcpy(a + 14, r ? IP_B : IP_A, 4);
		memcpy(a + 18, r ? MAC_A : (const uint8_t[6]){ 0 }, 6);
		memcpy(a + 24, r ? IP_A : IP_B, 4);
		f->len = f->hdr_end = n + 28;
		eth_pad(f);
	}

	/* 802.1Q tag PCP 3, VID 100 around IPv4/UDP. */
	f = &frames[FR_VLAN];
	f->name = "eth/vlan/ipv4/udp";
	f->lt = LINKTYPE_ETHERNET;
	n = eth_hdr(f->p, 0x8100);
	tu_be16(f->p + n, 0x6064);
	tu_be16(f->p + n + 2, 0x0800);
	n += 4;
	f->ip4 = n;
	f->l4 = n + 20;
	f->hdr_end = n + 28;
	f->len = n + ip4_udp(f->p + n);
	eth_pad(f);

	/* IPv6, hop-by-hop (PadN), atomic fragment header, UDP. */
	f = &frames[FR_IPV6_EXT];
	f->name = "eth/ipv6/hbh/frag/udp";
	f->lt = LINKTYPE_ETHERNET;
	f->ip4 = NONE;
	n = eth_hdr(f->p, 0x86dd);
	n += ip6_hdr(f->p + n, 0, 8 + 8 + 12, IP6_A, IP6_B);
	memcpy(f->p + n, (const uint8_t[8]){ 44, 0, 1, 4, 0, 0, 0, 0 }, 8);
	n += 8;
	memcpy(f->p + n, (const uint8_t[8]){ 17, 0, 0, 0, 0xde, 0xad, 0xbe, 0xef }, 8);
	n += 8;
	f->l4 = n;
	n += udp_hdr(f->p + n, 40001, 40002, "abcd", 4);
	tu_be16(f->p + f->l4 + 6, tu_cksum(tu_pseudo6(IP6_A, IP6_B, 17, 12), f->p + f->l4, 12));
	f->len = n;
	f->hdr_end = f->l4 + 8;

	/* ICMP echo request id 0x1234 seq 1 with 8 data bytes. */
	f = &frames[FR_ICMP_ECHO];
	f->name = "eth/ipv4/icmp echo";
	f->lt = LINKTYPE_ETHERNET;
	n = eth_hdr(f->p, 0x0800);
	f->ip4 = n;
	n += ip4_hdr(f->p + n, 1, IP_A, IP_B, NULL, 0);
	f->l4 = n;
	memcpy(f->p + n, (const uint8_t[16]){ 8, 0, 0, 0, 0x12, 0x34, 0, 1, 'p', 'i', 'n', 'g', 'p', 'o', 'n', 'g' }, 16);
	n += 16;
	ip4_finish(f->p + f->ip4, n - f->ip4);
	f->len = n;
	f->hdr_end = f->l4 + 8;
	eth_pad(f);

	/*
	 * ICMP port unreachable from B to A, quoting A's IPv4/UDP datagram:
	 * whole (32 bytes), and RFC 792 style (IP header + 64 bits, of a
	 * datagram whose Total Length is 128).
	 */
	for (int rfc = 0; rfc < 2; rfc++) {
		f = &frames[rfc ? FR_ICMP_UNREACH_792 : FR_ICMP_UNREACH];
		f->name = rfc ? "eth/ipv4/icmp unreachable, RFC 792 quote" : "eth/ipv4/icmp unreachable";
		f->lt = LINKTYPE_ETHERNET;
		n = eth_hdr(f->p, 0x0800);
		f->ip4 = n;
		n += ip4_hdr(f->p + n, 1, IP_B, IP_A, NULL, 0);
		f->l4 = n;
		uint8_t *icmp = f->p + n;
		memcpy(icmp, (const uint8_t[8]){ 3, 3, 0, 0, 0, 0, 0, 0 }, 8);
		uint8_t *q = icmp + 8;
		size_t qn = ip4_hdr(q, 17, IP_A, IP_B, NULL, 0);
		qn += udp_hdr(q + qn, 40003, 40004, "abcd", 4);
		if (rfc) {
			tu_be16(q + 20 + 4, 108); /* UDP length of the original datagram */
			qn = 28;                  /* quoted: header + 8 bytes */
			tu_be16(q + 2, 128);
			ip4_fix(q, q + qn);
		} else {
			ip4_finish(q, qn);
		}
		n += 8 + qn;
		ip4_finish(f->p + f->ip4, n - f->ip4);
		f->len = f->hdr_end = n;
	}

	/* Linux cooked v1: unicast to us, ARPHRD_ETHER, 6-byte address. */
	f = &frames[FR_SLL];
	f->name = "sll/ipv4/udp";
	f->lt = LINKTYPE_LINUX_SLL;
	tu_be16(f->p, 0);
	tu_be16(f->p + 2, 1);
	tu_be16(f->p + 4, 6);
	memcpy(f->p + 6, MAC_A, 6);
	tu_be16(f->p + 12, 0);
	tu_be16(f->p + 14, 0x0800);
	f->ip4 = 16;
	f->l4 = 36;
	f->hdr_end = 44;
	f->len = 16 + ip4_udp(f->p + 16);

	/* Linux cooked v2: protocol, reserved, ifindex 2, ARPHRD_ETHER, outgoing, 6-byte address. */
	f = &frames[FR_SLL2];
	f->name = "sll2/ipv4/udp";
	f->lt = LINKTYPE_LINUX_SLL2;
	tu_be16(f->p, 0x0800);
	tu_be16(f->p + 2, 0);
	tu_be32(f->p + 4, 2);
	tu_be16(f->p + 8, 1);
	f->p[10] = 4;
	f->p[11] = 6;
	memcpy(f->p + 12, MAC_A, 6);
	f->p[18] = f->p[19] = 0;
	f->ip4 = 20;
	f->l4 = 40;
	f->hdr_end = 48;
	f->len = 20 + ip4_udp(f->p + 20);

	/* BSD null: AF_INET (2) in either host byte order; Darwin AF_INET6 (30); OpenBSD loop. */
	static const struct {
		int idx;
		const char *name;
		uint16_t lt;
		uint8_t fam[4];
		bool v6;
	} nulls[] = {
		{ FR_NULL_LE, "null LE/ipv4/udp", LINKTYPE_NULL, { 2, 0, 0, 0 }, false },
		{ FR_NULL_BE, "null BE/ipv4/udp", LINKTYPE_NULL, { 0, 0, 0, 2 }, false },
		{ FR_NULL_V6, "null LE/ipv6/udp", LINKTYPE_NULL, { 30, 0, 0, 0 }, true },
		{ FR_LOOP, "loop/ipv4/udp", LINKTYPE_LOOP, { 0, 0, 0, 2 }, false },
	};
	for (size_t i = 0; i < ARRAY_SIZE(nulls); i++) {
		f = &frames[nulls[i].idx];
		f->name = nulls[i].name;
		f->lt = nulls[i].lt;
		memcpy(f->p, nulls[i].fam, 4);
		f->ip4 = nulls[i].v6 ? NONE : 4;
		f->l4 = nulls[i].v6 ? 44 : 24;
		f->hdr_end = f->l4 + 8;
		f->len = 4 + (nulls[i].v6 ? ip6_udp(f->p + 4) : ip4_udp(f->p + 4));
	}

	f = &frames[FR_RAW4];
	f->name = "raw/ipv4/udp";
	f->lt = LINKTYPE_RAW;
	f->ip4 = 0;
	f->l4 = 20;
	f->hdr_end = 28;
	f->len = ip4_udp(f->p);

	f = &frames[FR_RAW6];
	f->name = "raw/ipv6/udp";
	f->lt = LINKTYPE_RAW;
	f->ip4 = NONE;
	f->l4 = 40;
	f->hdr_end = 48;
	f->len = ip6_udp(f->p);

	f = &frames[FR_IPV4_LT];
	f->name = "ipv4 linktype/udp";
	f->lt = LINKTYPE_IPV4;
	f->ip4 = 0;
	f->l4 = 20;
	f->hdr_end = 28;
	f->len = ip4_udp(f->p);

	/* IPv4 with a Router Alert option (RFC 2113: 94 04 00 00), TCP ACK. */
	f = &frames[FR_IP_OPTS];
	f->name = "eth/ipv4+options/tcp";
	f->lt = LINKTYPE_ETHERNET;
	n = eth_hdr(f->p, 0x0800);
	f->ip4 = n;
	n += ip4_hdr(f->p + n, 6, IP_A, IP_B, (const uint8_t[4]){ 0x94, 4, 0, 0 }, 4);
	f->l4 = n;
	n += tcp_hdr(f->p + n, 1234, 443, 1000, 2000, 0x010, 502, NULL, 0, NULL, 0);
	ip4_finish(f->p + f->ip4, n - f->ip4);
	f->len = f->hdr_end = n;
	eth_pad(f);
}

/* ---- running the dissector ---------------------------------------------- */

static struct tw_tree T;  /* labels on */
static struct tw_tree TL; /* labels off */
static struct tw_dctx C;

#define TS0 INT64_C(1700000000123456789)

static void
ctx_start(struct tw_tree *t, uint16_t lt, uint32_t caplen, uint32_t len, bool first_pass)
{
	memset(&C, 0, sizeof C);
	C.tree = t;
	C.first_pass = first_pass;
	if (t)
		tree_reset(t);
	pinfo_reset(&C.pi, first_pass);
	C.pi.num = 1;
	C.pi.ts = TS0;
	C.pi.first_ts = TS0;
	C.pi.prev_ts = TS0;
	C.pi.linktype = lt;
	C.pi.caplen = caplen;
	C.pi.len = len;
}

/* Dissect p[0..caplen) of a len-byte frame, as capture_dissect does (no conversations). */
static void
dis(struct tw_tree *t, uint16_t lt, const uint8_t *p, uint32_t caplen, uint32_t len)
{
	ctx_start(t, lt, caplen, len, false);
	dissect_frame(&C, p, caplen, len);
}

static void
dis_frame(struct tw_tree *t, const struct frame *f)
{
	dis(t, f->lt, f->p, (uint32_t)f->len, (uint32_t)f->len);
}

/* Load pass then display pass with a conversation table, as a capture does. */
static struct tw_convs CS;
static struct tw_frame FR;

static void
dis_two_pass(struct tw_tree *t, const struct frame *f)
{
	uint32_t len = (uint32_t)f->len;
	/* A fresh table: a second load pass over the same one would see a retransmission. */
	convs_free(&CS);
	convs_init(&CS);
	FR = (struct tw_frame){ .conv = CONV_NONE };
	ctx_start(NULL, f->lt, len, len, true);
	C.convs = &CS;
	C.frame = &FR;
	dissect_frame(&C, f->p, len, len);
	ctx_start(t, f->lt, len, len, false);
	C.convs = &CS;
	C.frame = &FR;
	dissect_frame(&C, f->p, len, len);
}

/* ---- tree inspection ---------------------------------------------------- */

static struct tw_node *
nth_node(const struct tw_tree *t, const char *abbrev, int k)
{
	for (struct tw_node *n = node_next_preorder(t->root, t->root); n; n = node_next_preorder(n, t->root))
		if (n->f && strcmp(n->f->abbrev, abbrev) == 0 && k-- == 0)
			return n;
	return NULL;
}

static int
count_nodes(const struct tw_tree *t, const char *abbrev)
{
	int k = 0;
	while (nth_node(t, abbrev, k))
		k++;
	return k;
}

static char fbuf[1024];

/* -T fields text of the k-th node named abbrev; fails the test if absent. */
static const char *
fx_nth(const struct tw_tree *t, const char *abbrev, int k)
{
	struct tw_node *n = nth_node(t, abbrev, k);
	if (!n)
		fail_msg("no node %s (#%d)", abbrev, k);
	struct tw_sb sb;
	sb_fixed(&sb, fbuf, sizeof fbuf);
	field_format_fields(&sb, n);
	return fbuf;
}

static const char *
fx(const struct tw_tree *t, const char *abbrev)
{
	return fx_nth(t, abbrev, 0);
}

static struct tw_node *
must_node(const struct tw_tree *t, const char *abbrev)
{
	struct tw_node *n = nth_node(t, abbrev, 0);
	if (!n)
		fail_msg("no node %s", abbrev);
	return n;
}

/* Highest severity of expert nodes in the subtree of n (n included). */
static int
expert_sev_under(const struct tw_node *top)
{
	int s = 0;
	for (const struct tw_node *n = top; n; n = node_next_preorder(n, top))
		if ((n->flags & TW_NF_EXPERT) && n->sev > s)
			s = n->sev;
	return s;
}

static struct tw_node *
find_expert(const struct tw_tree *t, const char *needle)
{
	for (struct tw_node *n = node_next_preorder(t->root, t->root); n; n = node_next_preorder(n, t->root))
		if ((n->flags & TW_NF_EXPERT) && n->label && strstr(n->label, needle))
			return n;
	return NULL;
}

static void
assert_contains(const char *hay, const char *needle)
{
	if (!hay || !strstr(hay, needle))
		fail_msg("\"%s\" does not contain \"%s\"", hay ? hay : "(null)", needle);
}

static void
assert_addr4(const struct tw_addr *a, const uint8_t ip[4])
{
	assert_int_equal(a->type, AT_IPV4);
	assert_memory_equal(a->a, ip, 4);
}

/* Every node's byte range in the frame lies within the captured bytes. */
static void
check_ranges(const struct tw_tree *t, size_t caplen, const char *what)
{
	for (struct tw_node *n = node_next_preorder(t->root, t->root); n; n = node_next_preorder(n, t->root)) {
		if (n->src != 0)
			continue;
		if ((size_t)n->off + n->len > caplen)
			fail_msg("%s: node %s [%u+%u] past caplen %zu", what, n->f ? n->f->abbrev : n->label ? n->label : "?",
			         n->off, n->len, caplen);
	}
}

/* Something in the tree says bytes are missing or wrong. */
static bool
tree_has_trouble(const struct tw_tree *t)
{
	if (t->max_sev >= TW_SEV_WARN)
		return true;
	for (struct tw_node *n = node_next_preorder(t->root, t->root); n; n = node_next_preorder(n, t->root))
		if (n->flags & (TW_NF_TRUNC | TW_NF_MALFORMED))
			return true;
	return false;
}

/* The summary columns are well-formed and safe for a terminal. */
static void
check_columns(const char *what)
{
	assert_non_null(C.pi.proto);
	assert_int_equal(strlen(C.pi.info.s), C.pi.info.len);
	for (size_t i = 0; i < C.pi.info.len; i++)
		if ((uint8_t)C.pi.info.s[i] < 0x20 || C.pi.info.s[i] == 0x7f)
			fail_msg("%s: control byte in Info \"%s\"", what, C.pi.info.s);
}

/* ---- the test helper itself -------------------------------------------- */

/* RFC 1071 sec. 3 example and the classic IPv4 header example (checksum 0xb861). */
static void
test_checksum_helper(void **state)
{
	(void)state;
	const uint8_t rfc[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
	assert_int_equal(tu_fold(tu_sum(0, rfc, sizeof rfc)), 0xddf2);
	uint8_t ip[20] = { 0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
		           0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7 };
	assert_int_equal(tu_cksum(0, ip, 20), 0xb861);
	tu_be16(ip + 10, 0xb861);
	assert_int_equal(tu_cksum(0, ip, 20), 0);
	/* Odd length: the last byte is padded with zero. */
	const uint8_t odd[] = { 0x12, 0x34, 0x56 };
	assert_int_equal(tu_fold(tu_sum(0, odd, 3)), 0x1234 + 0x5600);
}

/* ---- part 1: decoding ---------------------------------------------------- */

/* The SYN's Info line, computed from its bytes; relative Seq 0 needs the load pass. */
static void
test_tcp_syn(void **state)
{
	(void)state;
	const struct frame *f = &frames[FR_TCP_SYN];
	static const char info[] =
	    "1234 \xe2\x86\x92 443 [SYN] Seq=0 Win=64240 Len=0 MSS=1460 SACK_PERM TSval=1 TSecr=0 WS=128";
	convs_init(&CS);
	dis_two_pass(&T, f);
	assert_string_equal(C.pi.info.s, info);
	assert_string_equal(C.pi.proto, "TCP");
	assert_int_equal(C.pi.top, PROTO_TCP);
	assert_string_equal(C.pi.protos.s, "eth:ethertype:ip:tcp");
	assert_addr4(&C.pi.net_src, IP_A);
	assert_addr4(&C.pi.net_dst, IP_B);
	assert_int_equal(C.pi.dl_src.type, AT_ETHER);
	assert_memory_equal(C.pi.dl_src.a, MAC_A, 6);
	assert_int_equal(C.pi.srcport, 1234);
	assert_int_equal(C.pi.dstport, 443);
	assert_int_not_equal(FR.conv, CONV_NONE);

	assert_string_equal(fx(&T, "frame.len"), "74");
	assert_string_equal(fx(&T, "eth.src"), "00:11:22:33:44:55");
	assert_string_equal(fx(&T, "eth.dst"), "66:77:88:99:aa:bb");
	assert_string_equal(fx(&T, "eth.type"), "0x0800");
	assert_string_equal(fx(&T, "ip.version"), "4");
	assert_string_equal(fx(&T, "ip.hdr_len"), "20");
	assert_string_equal(fx(&T, "ip.len"), "60");
	assert_string_equal(fx(&T, "ip.id"), "0x1c46");
	assert_string_equal(fx(&T, "ip.flags"), "0x02");
	assert_string_equal(fx(&T, "ip.flags.df"), "1");
	assert_string_equal(fx(&T, "ip.flags.mf"), "0");
	assert_string_equal(fx(&T, "ip.frag_offset"), "0");
	assert_string_equal(fx(&T, "ip.ttl"), "64");
	assert_string_equal(fx(&T, "ip.proto"), "6");
	assert_string_equal(fx(&T, "ip.src"), "10.0.0.1");
	assert_string_equal(fx(&T, "ip.dst"), "10.0.0.2");
	assert_string_equal(fx(&T, "ip.checksum.status"), "1");
	assert_string_equal(fx(&T, "tcp.srcport"), "1234");
	assert_string_equal(fx(&T, "tcp.dstport"), "443");
	assert_string_equal(fx(&T, "tcp.seq"), "0");
	assert_string_equal(fx(&T, "tcp.seq_raw"), "305419896");
	assert_string_equal(fx(&T, "tcp.nxtseq"), "1");
	assert_string_equal(fx(&T, "tcp.hdr_len"), "40");
	assert_string_equal(fx(&T, "tcp.flags"), "0x0002");
	assert_string_equal(fx(&T, "tcp.flags.syn"), "1");
	assert_string_equal(fx(&T, "tcp.flags.ack"), "0");
	assert_string_equal(fx(&T, "tcp.window_size_value"), "64240");
	assert_string_equal(fx(&T, "tcp.len"), "0");
	assert_string_equal(fx(&T, "tcp.options.mss_val"), "1460");
	assert_string_equal(fx(&T, "tcp.options.wscale.shift"), "7");
	assert_string_equal(fx(&T, "tcp.options.wscale.multiplier"), "128");
	assert_string_equal(fx(&T, "tcp.options.timestamp.tsval"), "1");
	assert_string_equal(fx(&T, "tcp.options.timestamp.tsecr"), "0");
	assert_string_equal(fx(&T, "tcp.checksum.status"), "1");
	assert_string_equal(fx(&T, "tcp.stream"), "0");
	assert_non_null(nth_node(&T, "tcp.options.sack_perm", 0));
	/* A clean frame has no expert finding at all. */
	assert_int_equal(T.max_sev, TW_SEV_NONE);
	/* Byte ranges of the layers. */
	struct tw_node *n = must_node(&T, "eth");
	assert_int_equal(n->off, 0);
	assert_int_equal(n->len, 14);
	n = must_node(&T, "ip");
	assert_int_equal(n->off, 14);
	assert_int_equal(n->len, 20);
	n = must_node(&T, "tcp");
	assert_int_equal(n->off, 34);
	assert_int_equal(n->len, 40);
	n = must_node(&T, "tcp.options");
	assert_int_equal(n->off, 54);
	assert_int_equal(n->len, 20);
	n = must_node(&T, "tcp.options.mss_val");
	assert_int_equal(n->off, 56);
	assert_int_equal(n->len, 2);
	n = must_node(&T, "ip.src");
	assert_int_equal(n->off, 26);
	assert_int_equal(n->len, 4);
	check_ranges(&T, f->len, f->name);

	/* Same summary without a tree and with an unlabelled tree. */
	dis_two_pass(NULL, f);
	assert_string_equal(C.pi.info.s, info);
	dis_two_pass(&TL, f);
	assert_string_equal(C.pi.info.s, info);
	assert_string_equal(fx(&TL, "tcp.options.mss_val"), "1460");
	convs_free(&CS);

	/* Without conversations the raw sequence number is shown. */
	dis_frame(&T, f);
	assert_contains(C.pi.info.s, "[SYN] Seq=305419896 ");
}

/* IPv4 header checksum: correct, wrong (error), zero (warning: offload). */
static void
test_ipv4_checksum(void **state)
{
	(void)state;
	struct frame f = frames[FR_TCP_SYN];
	uint8_t *ip = f.p + f.ip4;
	uint16_t good = tu_get16(ip + 10);
	char want[64];

	dis_frame(&T, &f);
	struct tw_node *cs = must_node(&T, "ip.checksum");
	snprintf(want, sizeof want, "0x%04x", good);
	assert_string_equal(fx(&T, "ip.checksum"), want);
	assert_contains(cs->label, "[correct]");
	assert_string_equal(fx(&T, "ip.checksum.status"), "1");
	assert_int_equal(expert_sev_under(must_node(&T, "ip")), TW_SEV_NONE);

	tu_be16(ip + 10, good ^ 0x0101);
	dis_frame(&T, &f);
	cs = must_node(&T, "ip.checksum");
	snprintf(want, sizeof want, "should be 0x%04x", good);
	assert_contains(cs->label, "incorrect");
	assert_contains(cs->label, want);
	snprintf(want, sizeof want, "0x%04x", good);
	assert_string_equal(fx(&T, "ip.checksum_calculated"), want);
	assert_string_equal(fx(&T, "ip.checksum.status"), "0");
	assert_int_equal(expert_sev_under(cs), TW_SEV_ERROR);
	assert_int_equal(T.max_sev, TW_SEV_ERROR);
	/* The TCP checksum does not cover the IP checksum field: still good. */
	assert_string_equal(fx(&T, "tcp.checksum.status"), "1");

	tu_be16(ip + 10, 0);
	dis_frame(&T, &f);
	assert_int_equal(expert_sev_under(must_node(&T, "ip.checksum")), TW_SEV_WARN);
	assert_int_equal(T.max_sev, TW_SEV_WARN);
}

/* TCP checksum: good; bad (error); the offload case (note, not error). */
static void
test_tcp_checksum(void **state)
{
	(void)state;
	struct frame f = frames[FR_TCP_DATA];
	uint8_t *ip = f.p + f.ip4, *tcp = f.p + f.l4;
	uint16_t seglen = (uint16_t)(tu_get16(ip + 2) - 20);
	uint16_t good = tu_get16(tcp + 16);
	/* Independent check of the fixture: pseudo-header + segment sums to 0xffff. */
	assert_int_equal(tu_cksum(tu_pseudo4(IP_A, IP_B, 6, seglen), tcp, seglen), 0);
	char want[64];

	dis_frame(&T, &f);
	assert_contains(must_node(&T, "tcp.checksum")->label, "[correct]");
	assert_string_equal(fx(&T, "tcp.checksum.status"), "1");
	assert_int_equal(T.max_sev, TW_SEV_NONE);
	assert_string_equal(fx(&T, "tcp.len"), "5");
	assert_string_equal(fx(&T, "tcp.payload"), "68656c6c6f");
	assert_contains(C.pi.info.s, "1234 \xe2\x86\x92 40005 [PSH, ACK] Seq=1000 Ack=2000 Win=502 Len=5");
	/* The 1 byte after the IP datagram is Ethernet padding. */
	struct tw_node *pad = must_node(&T, "eth.padding");
	assert_int_equal(pad->off, 59);
	assert_int_equal(pad->len, 1);

	uint16_t bad = good ^ 0x5a5a;
	uint16_t partial = tu_fold(tu_pseudo4(IP_A, IP_B, 6, seglen));
	assert_int_not_equal(bad, partial);
	tu_be16(tcp + 16, bad);
	dis_frame(&T, &f);
	struct tw_node *cs = must_node(&T, "tcp.checksum");
	snprintf(want, sizeof want, "should be 0x%04x", good);
	assert_contains(cs->label, want);
	snprintf(want, sizeof want, "0x%04x", good);
	assert_string_equal(fx(&T, "tcp.checksum_calculated"), want);
	assert_string_equal(fx(&T, "tcp.checksum.status"), "0");
	assert_int_equal(expert_sev_under(cs), TW_SEV_ERROR);

	/* Offload: the field holds the folded pseudo-header sum for the NIC to finish. */
	tu_be16(tcp + 16, partial);
	dis_frame(&T, &f);
	cs = must_node(&T, "tcp.checksum");
	assert_string_equal(fx(&T, "tcp.checksum.status"), "0");
	assert_int_equal(expert_sev_under(cs), TW_SEV_NOTE);
	assert_int_equal(T.max_sev, TW_SEV_NOTE);
	assert_contains(cs->label, "offload");

	/* A cut segment cannot be verified: neither good nor bad. */
	tu_be16(tcp + 16, good);
	dis(&T, f.lt, f.p, (uint32_t)f.l4 + 22, (uint32_t)f.len);
	assert_string_equal(fx(&T, "tcp.checksum.status"), "2");
}

static void
test_udp(void **state)
{
	(void)state;
	struct frame f = frames[FR_UDP];
	uint8_t *udp = f.p + f.l4;
	dis_frame(&T, &f);
	assert_string_equal(C.pi.proto, "UDP");
	assert_int_equal(C.pi.top, PROTO_UDP);
	assert_string_equal(C.pi.info.s, "40001 \xe2\x86\x92 40002 Len=4");
	assert_string_equal(fx(&T, "udp.srcport"), "40001");
	assert_string_equal(fx(&T, "udp.length"), "12");
	assert_string_equal(fx(&T, "udp.checksum.status"), "1");
	assert_string_equal(fx(&T, "data.data"), "61626364");
	assert_int_equal(T.max_sev, TW_SEV_NONE);
	struct tw_node *pad = must_node(&T, "eth.padding");
	assert_int_equal(pad->off, 46);
	assert_int_equal(pad->len, 14);

	/* RFC 768: zero means "no checksum" over IPv4, which is not an error. */
	tu_be16(udp + 6, 0);
	dis_frame(&T, &f);
	assert_contains(must_node(&T, "udp.checksum")->label, "zero-value ignored");
	assert_string_equal(fx(&T, "udp.checksum.status"), "3");
	assert_int_equal(T.max_sev, TW_SEV_NONE);

	tu_be16(udp + 6, 0x1234);
	dis_frame(&T, &f);
	assert_string_equal(fx(&T, "udp.checksum.status"), "0");
	assert_int_equal(T.max_sev, TW_SEV_ERROR);
}

static void
test_arp(void **state)
{
	(void)state;
	dis_frame(&T, &frames[FR_ARP_REQ]);
	assert_string_equal(C.pi.proto, "ARP");
	assert_int_equal(C.pi.top, PROTO_ARP);
	assert_string_equal(C.pi.info.s, "Who has 10.0.0.2? Tell 10.0.0.1");
	assert_string_equal(fx(&T, "arp.opcode"), "1");
	assert_string_equal(fx(&T, "arp.hw.type"), "1");
	assert_string_equal(fx(&T, "arp.proto.type"), "0x0800");
	assert_string_equal(fx(&T, "arp.src.hw_mac"), "00:11:22:33:44:55");
	assert_string_equal(fx(&T, "arp.src.proto_ipv4"), "10.0.0.1");
	assert_string_equal(fx(&T, "arp.dst.hw_mac"), "00:00:00:00:00:00");
	assert_string_equal(fx(&T, "arp.dst.proto_ipv4"), "10.0.0.2");
	assert_string_equal(must_node(&T, "arp")->label, "Address Resolution Protocol (request)");
	assert_int_equal(must_node(&T, "eth.padding")->len, 18);
	assert_string_equal(C.pi.protos.s, "eth:ethertype:arp");
	assert_int_equal(T.max_sev, TW_SEV_NONE);

	dis_frame(&T, &frames[FR_ARP_REPLY]);
	assert_string_equal(C.pi.info.s, "10.0.0.2 is at 66:77:88:99:aa:bb");
	assert_string_equal(fx(&T, "arp.opcode"), "2");

	/* Sender and target protocol addresses equal: an announcement. */
	struct frame g = frames[FR_ARP_REQ];
	memcpy(g.p + 14 + 24, IP_A, 4);
	dis_frame(&T, &g);
	assert_string_equal(C.pi.info.s, "ARP Announcement for 10.0.0.1");
}

static void
test_vlan(void **state)
{
	(void)state;
	dis_frame(&T, &frames[FR_VLAN]);
	assert_string_equal(fx(&T, "vlan.id"), "100");
	assert_string_equal(fx(&T, "vlan.priority"), "3");
	assert_string_equal(fx(&T, "vlan.dei"), "0");
	assert_string_equal(fx(&T, "vlan.etype"), "0x0800");
	assert_string_equal(fx(&T, "eth.type"), "0x8100");
	assert_string_equal(C.pi.info.s, "40001 \xe2\x86\x92 40002 Len=4");
	assert_contains(C.pi.protos.s, "eth:ethertype:vlan:ethertype:ip:udp");
	struct tw_node *v = must_node(&T, "vlan");
	assert_int_equal(v->off, 14);
	assert_int_equal(v->len, 4);
	assert_int_equal(T.max_sev, TW_SEV_NONE);
}

static void
test_ipv6_extension_headers(void **state)
{
	(void)state;
	struct frame f = frames[FR_IPV6_EXT];
	dis_frame(&T, &f);
	assert_string_equal(C.pi.proto, "UDP");
	assert_int_equal(C.pi.net_src.type, AT_IPV6);
	assert_memory_equal(C.pi.net_src.a, IP6_A, 16);
	assert_string_equal(fx(&T, "ipv6.src"), "2001:db8::1");
	assert_string_equal(fx(&T, "ipv6.plen"), "28");
	assert_string_equal(fx(&T, "ipv6.nxt"), "0");
	assert_string_equal(fx(&T, "ipv6.hopopts.nxt"), "44");
	assert_string_equal(fx(&T, "ipv6.hopopts.len"), "0");
	assert_string_equal(fx(&T, "ipv6.fraghdr.nxt"), "17");
	assert_string_equal(fx(&T, "ipv6.fraghdr.offset"), "0");
	assert_string_equal(fx(&T, "ipv6.fraghdr.more"), "0");
	assert_string_equal(fx(&T, "ipv6.fraghdr.ident"), "0xdeadbeef");
	assert_string_equal(fx(&T, "udp.checksum.status"), "1");
	assert_false(C.pi.fragment);
	assert_string_equal(C.pi.info.s, "40001 \xe2\x86\x92 40002 Len=4");
	struct tw_node *h = must_node(&T, "ipv6.hopopts");
	assert_int_equal(h->off, 54);
	assert_int_equal(h->len, 8);
	struct tw_node *fr = must_node(&T, "ipv6.fraghdr");
	assert_int_equal(fr->off, 62);
	assert_int_equal(fr->len, 8);
	assert_int_equal(T.max_sev, TW_SEV_NONE);

	/* First fragment of several (M=1): not dissected further. */
	f.p[62 + 3] = 1;
	dis_frame(&T, &f);
	assert_true(C.pi.fragment);
	assert_string_equal(fx(&T, "ipv6.fraghdr.more"), "1");
	assert_contains(C.pi.info.s, "IPv6 fragment (off=0 more=y ident=0xdeadbeef nxt=17");
	assert_null(nth_node(&T, "udp", 0));
	assert_non_null(nth_node(&T, "data", 0));
}

static void
test_icmp_echo(void **state)
{
	(void)state;
	dis_frame(&T, &frames[FR_ICMP_ECHO]);
	assert_string_equal(C.pi.proto, "ICMP");
	assert_int_equal(C.pi.top, PROTO_ICMP);
	/* seq 1 is 256 read little-endian; the TTL of the IP header. */
	assert_contains(C.pi.info.s, "Echo (ping) request  id=0x1234, seq=1/256, ttl=64");
	assert_string_equal(fx(&T, "icmp.type"), "8");
	assert_string_equal(fx(&T, "icmp.code"), "0");
	assert_string_equal(fx(&T, "icmp.ident"), "4660");
	assert_string_equal(fx(&T, "icmp.seq"), "1");
	assert_string_equal(fx(&T, "icmp.seq_le"), "256");
	assert_string_equal(fx(&T, "icmp.checksum.status"), "1");
	assert_int_equal(T.max_sev, TW_SEV_NONE);

	struct frame f = frames[FR_ICMP_ECHO];
	f.p[f.l4 + 2] ^= 0xff;
	dis_frame(&T, &f);
	assert_string_equal(fx(&T, "icmp.checksum.status"), "0");
	assert_int_equal(T.max_sev, TW_SEV_ERROR);
}

/* An error quotes A's datagram: columns describe the ICMP message from B. */
static void
test_icmp_port_unreachable(void **state)
{
	(void)state;
	dis_frame(&T, &frames[FR_ICMP_UNREACH]);
	assert_string_equal(C.pi.proto, "ICMP");
	assert_int_equal(C.pi.top, PROTO_ICMP);
	assert_string_equal(C.pi.info.s, "Destination unreachable (Port unreachable)");
	assert_addr4(&C.pi.net_src, IP_B);
	assert_addr4(&C.pi.net_dst, IP_A);
	assert_false(C.pi.in_error);
	assert_string_equal(fx(&T, "icmp.type"), "3");
	assert_string_equal(fx(&T, "icmp.code"), "3");
	assert_string_equal(fx(&T, "icmp.checksum.status"), "1");
	assert_int_equal(count_nodes(&T, "ip"), 2);
	assert_string_equal(fx_nth(&T, "ip.src", 0), "10.0.0.2");
	assert_string_equal(fx_nth(&T, "ip.src", 1), "10.0.0.1");
	assert_string_equal(fx(&T, "udp.srcport"), "40003");
	assert_string_equal(fx(&T, "udp.dstport"), "40004");
	/* The quoted layers sit inside the ICMP node. */
	struct tw_node *icmp = must_node(&T, "icmp");
	struct tw_node *inner_ip = nth_node(&T, "ip", 1);
	assert_ptr_equal(inner_ip->parent, icmp);
	assert_int_equal(inner_ip->off, 42);
	assert_int_equal(T.max_sev, TW_SEV_NONE);
}

/*
 * RFC 792: an error quotes "the internet header plus the first 64 bits of
 * the original datagram's data". The quoted header's Total Length then
 * exceeds what is quoted by design; that is not an error of the packet.
 */
static void
test_icmp_rfc792_quote_is_not_an_error(void **state)
{
	(void)state;
	dis_frame(&T, &frames[FR_ICMP_UNREACH_792]);
	assert_string_equal(C.pi.info.s, "Destination unreachable (Port unreachable)");
	assert_string_equal(fx(&T, "icmp.checksum.status"), "1");
	assert_string_equal(fx_nth(&T, "ip.len", 1), "128");
	assert_string_equal(fx(&T, "udp.srcport"), "40003");
	struct tw_node *e = NULL;
	for (struct tw_node *n = node_next_preorder(T.root, T.root); n; n = node_next_preorder(n, T.root))
		if ((n->flags & TW_NF_EXPERT) && n->sev >= TW_SEV_ERROR)
			e = n;
	if (e)
		fail_msg("error on a standard ICMP quote: %s", e->label);
	for (struct tw_node *n = node_next_preorder(T.root, T.root); n; n = node_next_preorder(n, T.root))
		assert_false(n->flags & TW_NF_MALFORMED);
}

static void
test_sll_and_sll2(void **state)
{
	(void)state;
	dis_frame(&T, &frames[FR_SLL]);
	assert_string_equal(fx(&T, "sll.pkttype"), "0");
	assert_string_equal(fx(&T, "sll.hatype"), "1");
	assert_string_equal(fx(&T, "sll.halen"), "6");
	assert_string_equal(fx(&T, "sll.src.eth"), "00:11:22:33:44:55");
	assert_string_equal(fx(&T, "sll.etype"), "0x0800");
	assert_int_equal(C.pi.dl_src.type, AT_ETHER);
	assert_memory_equal(C.pi.dl_src.a, MAC_A, 6);
	assert_string_equal(C.pi.info.s, "40001 \xe2\x86\x92 40002 Len=4");
	assert_contains(C.pi.protos.s, "sll:ethertype:ip:udp");
	assert_int_equal(must_node(&T, "ip")->off, 16);
	assert_int_equal(T.max_sev, TW_SEV_NONE);

	dis_frame(&T, &frames[FR_SLL2]);
	assert_string_equal(fx(&T, "sll.etype"), "0x0800");
	assert_string_equal(fx(&T, "sll.ifindex"), "2");
	assert_string_equal(fx(&T, "sll.hatype"), "1");
	assert_string_equal(fx(&T, "sll.pkttype"), "4");
	assert_string_equal(fx(&T, "sll.halen"), "6");
	assert_string_equal(fx(&T, "sll.src.eth"), "00:11:22:33:44:55");
	assert_string_equal(C.pi.info.s, "40001 \xe2\x86\x92 40002 Len=4");
	assert_int_equal(must_node(&T, "ip")->off, 20);
	assert_int_equal(T.max_sev, TW_SEV_NONE);
}

static void
test_null_and_loop(void **state)
{
	(void)state;
	static const int idx[] = { FR_NULL_LE, FR_NULL_BE, FR_LOOP };
	for (size_t i = 0; i < ARRAY_SIZE(idx); i++) {
		dis_frame(&T, &frames[idx[i]]);
		assert_string_equal(fx(&T, "null.family"), "2");
		assert_string_equal(C.pi.info.s, "40001 \xe2\x86\x92 40002 Len=4");
		assert_int_equal(must_node(&T, "ip")->off, 4);
		assert_int_equal(T.max_sev, TW_SEV_NONE);
	}
	dis_frame(&T, &frames[FR_NULL_V6]);
	assert_string_equal(fx(&T, "null.family"), "30");
	assert_string_equal(fx(&T, "ipv6.dst"), "2001:db8::2");
	assert_string_equal(fx(&T, "udp.checksum.status"), "1");
	/* RFC 8200 8.1: over IPv6 a zero UDP checksum is not "none" but invalid. */
	struct frame z = frames[FR_NULL_V6];
	tu_be16(z.p + z.l4 + 6, 0);
	dis_frame(&T, &z);
	assert_string_equal(fx(&T, "udp.checksum.status"), "0");
	assert_int_equal(T.max_sev, TW_SEV_ERROR);
	/* AF_INET in network order on a LINKTYPE_LOOP header is family 2, not 0x02000000. */
	struct frame f = frames[FR_LOOP];
	memcpy(f.p, "\x02\x00\x00\x00", 4);
	dis_frame(&T, &f);
	assert_null(nth_node(&T, "ip", 0));
}

static void
test_raw(void **state)
{
	(void)state;
	dis_frame(&T, &frames[FR_RAW4]);
	assert_string_equal(C.pi.info.s, "40001 \xe2\x86\x92 40002 Len=4");
	assert_contains(C.pi.protos.s, "raw:ip:udp");
	struct tw_node *r = must_node(&T, "raw");
	assert_int_equal(r->len, 0);
	assert_int_equal(must_node(&T, "ip")->off, 0);

	dis_frame(&T, &frames[FR_RAW6]);
	assert_string_equal(fx(&T, "ipv6.src"), "2001:db8::1");
	assert_string_equal(C.pi.info.s, "40001 \xe2\x86\x92 40002 Len=4");

	dis_frame(&T, &frames[FR_IPV4_LT]);
	assert_contains(C.pi.protos.s, "ip:udp");
	assert_int_equal(strncmp(C.pi.protos.s, "raw", 3) != 0, 1);
	assert_string_equal(fx(&T, "udp.checksum.status"), "1");

	/* Version nibble neither 4 nor 6. */
	struct frame f = frames[FR_RAW4];
	f.p[0] = 0x55;
	dis_frame(&T, &f);
	assert_contains(C.pi.info.s, "Not an IP packet (version 5)");
	assert_null(nth_node(&T, "ip", 0));
}

static void
test_ip_options(void **state)
{
	(void)state;
	dis_frame(&T, &frames[FR_IP_OPTS]);
	assert_string_equal(fx(&T, "ip.hdr_len"), "24");
	assert_string_equal(fx(&T, "ip.opt.type"), "148");
	assert_string_equal(fx(&T, "ip.opt.len"), "4");
	assert_string_equal(fx(&T, "ip.checksum.status"), "1");
	assert_string_equal(fx(&T, "tcp.checksum.status"), "1");
	assert_int_equal(must_node(&T, "tcp")->off, 38);
	assert_int_equal(T.max_sev, TW_SEV_NONE);
}

/* ---- part 2: hostile input ------------------------------------------------ */

/* Dissect a heap copy of exactly caplen bytes, with and without a tree. */
static void
dis_cut(const struct frame *f, size_t caplen, struct tw_tree *t)
{
	uint8_t *copy = malloc(caplen ? caplen : 1);
	assert_non_null(copy);
	memcpy(copy, f->p, caplen);
	dis(t, f->lt, copy, (uint32_t)caplen, (uint32_t)f->len);
	check_columns(f->name);
	if (t)
		check_ranges(t, caplen, f->name);
	free(copy);
}

/* Every snaplen cut: no crash, ranges inside the capture, cut headers flagged. */
static void
test_every_truncation(void **state)
{
	(void)state;
	int bad = 0;
	for (int i = 0; i < FR_COUNT; i++) {
		const struct frame *f = &frames[i];
		bool reported = false;
		for (size_t cap = 0; cap <= f->len; cap++) {
			dis_cut(f, cap, NULL);
			dis_cut(f, cap, &TL);
			dis_cut(f, cap, &T);
			if (cap < f->hdr_end && !tree_has_trouble(&T) && !reported) {
				print_message("%s cut at %zu of %zu: nothing flags the missing bytes\n", f->name, cap,
				              f->len);
				reported = true; /* one report per frame */
				bad++;
			}
		}
	}
	assert_int_equal(bad, 0);
}

/*
 * A snaplen cut is BUF_TRUNC, never BUF_MALFORMED (buf.h): no node may be
 * flagged malformed and no finding may be an error, as every frame is valid.
 */
static void
test_truncation_is_not_malformation(void **state)
{
	(void)state;
	int bad = 0;
	for (int i = 0; i < FR_COUNT; i++) {
		const struct frame *f = &frames[i];
		if (i == FR_ICMP_UNREACH_792)
			continue; /* flagged whole: see test_icmp_rfc792_quote_is_not_an_error */
		for (size_t cap = 0; cap < f->len; cap++) {
			dis_cut(f, cap, &T);
			const char *why = NULL;
			for (struct tw_node *n = node_next_preorder(T.root, T.root); n && !why;
			     n = node_next_preorder(n, T.root)) {
				if (n->flags & TW_NF_MALFORMED)
					why = n->f ? n->f->abbrev : n->label;
				else if ((n->flags & TW_NF_EXPERT) && n->sev >= TW_SEV_ERROR)
					why = n->label;
			}
			if (why) {
				print_message("%s cut at %zu: %s\n", f->name, cap, why);
				bad++;
				break; /* one report per frame */
			}
		}
	}
	assert_int_equal(bad, 0);
}

enum mut_kind { M_BYTE, M_BE16, M_LO_NIBBLE, M_HI_NIBBLE };

struct mutation {
	int frame;
	const char *what;
	size_t off; /* relative to the field's layer */
	int layer;  /* 0: l4 offset, 1: ip4 offset, 2: absolute */
	enum mut_kind kind;
	uint32_t value;
};

static const struct mutation muts[] = {
	/* IPv4 total length */
	{ FR_TCP_SYN, "ip.len 0", 2, 1, M_BE16, 0 },
	{ FR_TCP_SYN, "ip.len 19", 2, 1, M_BE16, 19 },
	{ FR_TCP_SYN, "ip.len 65535", 2, 1, M_BE16, 65535 },
	{ FR_UDP, "ip.len 0", 2, 1, M_BE16, 0 },
	{ FR_UDP, "ip.len 19", 2, 1, M_BE16, 19 },
	{ FR_UDP, "ip.len 65535", 2, 1, M_BE16, 65535 },
	/* IPv4 header length */
	{ FR_TCP_SYN, "ihl 0", 0, 1, M_LO_NIBBLE, 0 },
	{ FR_TCP_SYN, "ihl 1", 0, 1, M_LO_NIBBLE, 1 },
	{ FR_TCP_SYN, "ihl 2", 0, 1, M_LO_NIBBLE, 2 },
	{ FR_TCP_SYN, "ihl 3", 0, 1, M_LO_NIBBLE, 3 },
	{ FR_TCP_SYN, "ihl 4", 0, 1, M_LO_NIBBLE, 4 },
	{ FR_TCP_SYN, "ihl 15", 0, 1, M_LO_NIBBLE, 15 },
	{ FR_UDP, "ihl 15", 0, 1, M_LO_NIBBLE, 15 },
	{ FR_RAW4, "ihl 15", 0, 1, M_LO_NIBBLE, 15 },
	/* TCP data offset */
	{ FR_TCP_SYN, "doff 0", 12, 0, M_HI_NIBBLE, 0 },
	{ FR_TCP_SYN, "doff 1", 12, 0, M_HI_NIBBLE, 1 },
	{ FR_TCP_SYN, "doff 2", 12, 0, M_HI_NIBBLE, 2 },
	{ FR_TCP_SYN, "doff 3", 12, 0, M_HI_NIBBLE, 3 },
	{ FR_TCP_SYN, "doff 4", 12, 0, M_HI_NIBBLE, 4 },
	{ FR_TCP_SYN, "doff 15", 12, 0, M_HI_NIBBLE, 15 },
	{ FR_TCP_DATA, "doff 0", 12, 0, M_HI_NIBBLE, 0 },
	{ FR_TCP_DATA, "doff 15", 12, 0, M_HI_NIBBLE, 15 },
	/* UDP length */
	{ FR_UDP, "udp.length 0", 4, 0, M_BE16, 0 },
	{ FR_UDP, "udp.length 1", 4, 0, M_BE16, 1 },
	{ FR_UDP, "udp.length 2", 4, 0, M_BE16, 2 },
	{ FR_UDP, "udp.length 3", 4, 0, M_BE16, 3 },
	{ FR_UDP, "udp.length 4", 4, 0, M_BE16, 4 },
	{ FR_UDP, "udp.length 5", 4, 0, M_BE16, 5 },
	{ FR_UDP, "udp.length 6", 4, 0, M_BE16, 6 },
	{ FR_UDP, "udp.length 7", 4, 0, M_BE16, 7 },
	{ FR_UDP, "udp.length 65535", 4, 0, M_BE16, 65535 },
	{ FR_RAW6, "udp.length 0", 4, 0, M_BE16, 0 },
	{ FR_RAW6, "udp.length 65535", 4, 0, M_BE16, 65535 },
	/* IPv6 payload length, extension header length */
	{ FR_IPV6_EXT, "ipv6.plen 0", 14 + 4, 2, M_BE16, 0 },
	{ FR_IPV6_EXT, "ipv6.plen 65535", 14 + 4, 2, M_BE16, 65535 },
	{ FR_RAW6, "ipv6.plen 65535", 4, 2, M_BE16, 65535 },
	{ FR_IPV6_EXT, "hopopts.len 255", 54 + 1, 2, M_BYTE, 255 },
	/* TCP option lengths: MSS (at 20) and timestamps (at 26) */
	{ FR_TCP_SYN, "mss option len 0", 21, 0, M_BYTE, 0 },
	{ FR_TCP_SYN, "mss option len 1", 21, 0, M_BYTE, 1 },
	{ FR_TCP_SYN, "mss option len 255", 21, 0, M_BYTE, 255 },
	{ FR_TCP_SYN, "ts option len 0", 27, 0, M_BYTE, 0 },
	{ FR_TCP_SYN, "ts option len 1", 27, 0, M_BYTE, 1 },
	{ FR_TCP_SYN, "ts option len 255", 27, 0, M_BYTE, 255 },
	/* IP option length */
	{ FR_IP_OPTS, "ip option len 0", 21, 1, M_BYTE, 0 },
	{ FR_IP_OPTS, "ip option len 1", 21, 1, M_BYTE, 1 },
	{ FR_IP_OPTS, "ip option len 255", 21, 1, M_BYTE, 255 },
	/* ARP address lengths */
	{ FR_ARP_REQ, "arp hlen 255", 4, 0, M_BYTE, 255 },
	{ FR_ARP_REQ, "arp plen 255", 5, 0, M_BYTE, 255 },
	{ FR_ARP_REPLY, "arp hlen 255", 4, 0, M_BYTE, 255 },
	{ FR_ARP_REPLY, "arp plen 255", 5, 0, M_BYTE, 255 },
};

static void
apply_mutation(struct frame *f, const struct mutation *m)
{
	size_t base = m->layer == 0 ? f->l4 : m->layer == 1 ? f->ip4 : 0;
	uint8_t *p = f->p + base + m->off;
	switch (m->kind) {
	case M_BYTE: p[0] = (uint8_t)m->value; break;
	case M_BE16: tu_be16(p, (uint16_t)m->value); break;
	case M_LO_NIBBLE: p[0] = (uint8_t)((p[0] & 0xf0) | m->value); break;
	case M_HI_NIBBLE: p[0] = (uint8_t)((p[0] & 0x0f) | m->value << 4); break;
	}
	/* Checksums agree with the lie, so only the length check can catch it. */
	frame_fix(f);
}

/* Every lying length: flagged, no crash, ranges inside, also under every cut. */
static void
test_lying_lengths(void **state)
{
	(void)state;
	static struct frame f;
	for (size_t i = 0; i < ARRAY_SIZE(muts); i++) {
		f = frames[muts[i].frame];
		apply_mutation(&f, &muts[i]);
		char what[160];
		snprintf(what, sizeof what, "%s with %s", f.name, muts[i].what);
		f.name = what;
		dis_cut(&f, f.len, &T);
		if (!tree_has_trouble(&T))
			fail_msg("%s: not flagged (max severity %d)", what, T.max_sev);
		dis_cut(&f, f.len, NULL);
		for (size_t cap = 0; cap < f.len; cap++) {
			dis_cut(&f, cap, &T);
			dis_cut(&f, cap, NULL);
		}
	}
}

/* Single-byte corruption anywhere: never a crash or a range outside the frame. */
static void
test_every_byte_corrupted(void **state)
{
	(void)state;
	static struct frame f;
	static const uint8_t vals[] = { 0x00, 0x01, 0x7f, 0x80, 0xff };
	for (int i = 0; i < FR_COUNT; i++) {
		for (size_t at = 0; at < frames[i].len; at++) {
			for (size_t v = 0; v < ARRAY_SIZE(vals); v++) {
				f = frames[i];
				f.p[at] = vals[v];
				dis_cut(&f, f.len, &T);
				dis_cut(&f, f.len, NULL);
			}
		}
	}
}

/* 100 nested IPv4-in-IPv4 headers: stops at the depth limit with a finding. */
static void
test_deep_ipip(void **state)
{
	(void)state;
	static struct frame f;
	memset(&f, 0, sizeof f);
	f.name = "100 x IPv4-in-IPv4";
	f.lt = LINKTYPE_RAW;
	f.ip4 = 0;
	enum { DEPTH = 100 };
	/* Innermost first: UDP at the end, then wrap. */
	size_t inner = DEPTH * 20;
	size_t n = udp_hdr(f.p + inner, 40001, 40002, "abcd", 4);
	for (int d = DEPTH - 1; d >= 0; d--) {
		uint8_t *ip = f.p + (size_t)d * 20;
		ip4_hdr(ip, d == DEPTH - 1 ? 17 : 4, IP_A, IP_B, NULL, 0);
		n += 20;
		ip4_finish(ip, n);
	}
	f.len = n;
	assert_int_equal(f.len, DEPTH * 20 + 12);
	dis_cut(&f, f.len, &T);
	assert_non_null(find_expert(&T, "nested too deeply"));
	int nip = count_nodes(&T, "ip");
	assert_true(nip > 1);
	assert_true(nip <= TW_MAX_DEPTH + 2);
	assert_null(nth_node(&T, "udp", 0));
	dis_cut(&f, f.len, NULL);
	for (size_t cap = 0; cap < f.len; cap += 7)
		dis_cut(&f, cap, &T);
}

/* 30 IPv6 destination-options headers: the walk stops at its limit with a finding. */
static void
test_long_ipv6_chain(void **state)
{
	(void)state;
	static struct frame f;
	memset(&f, 0, sizeof f);
	f.name = "IPv6 with 30 extension headers";
	f.lt = LINKTYPE_RAW;
	f.ip4 = NONE;
	enum { NEXT = 30 };
	size_t n = ip6_hdr(f.p, 60, NEXT * 8, IP6_A, IP6_B);
	for (int i = 0; i < NEXT; i++) {
		const uint8_t e[8] = { i == NEXT - 1 ? 59 : 60, 0, 1, 4, 0, 0, 0, 0 };
		memcpy(f.p + n, e, 8);
		n += 8;
	}
	f.len = n;
	dis_cut(&f, f.len, &T);
	struct tw_node *e = find_expert(&T, "extension headers");
	assert_non_null(e);
	assert_true(e->sev >= TW_SEV_NOTE);
	int k = count_nodes(&T, "ipv6.dstopts");
	assert_true(k >= 1);
	assert_true(k < NEXT);
	dis_cut(&f, f.len, NULL);
	for (size_t cap = 0; cap < f.len; cap++)
		dis_cut(&f, cap, &T);
}

static int
setup(void **state)
{
	(void)state;
	build_frames();
	tree_init(&T, true);
	tree_init(&TL, false);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	tree_free(&T);
	tree_free(&TL);
	return 0;
}

int
main(void)
{
	setenv("TZ", "UTC0", 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checksum_helper),
		cmocka_unit_test(test_tcp_syn),
		cmocka_unit_test(test_ipv4_checksum),
		cmocka_unit_test(test_tcp_checksum),
		cmocka_unit_test(test_udp),
		cmocka_unit_test(test_arp),
		cmocka_unit_test(test_vlan),
		cmocka_unit_test(test_ipv6_extension_headers),
		cmocka_unit_test(test_icmp_echo),
		cmocka_unit_test(test_icmp_port_unreachable),
		cmocka_unit_test(test_icmp_rfc792_quote_is_not_an_error),
		cmocka_unit_test(test_sll_and_sll2),
		cmocka_unit_test(test_null_and_loop),
		cmocka_unit_test(test_raw),
		cmocka_unit_test(test_ip_options),
		cmocka_unit_test(test_every_truncation),
		cmocka_unit_test(test_truncation_is_not_malformation),
		cmocka_unit_test(test_lying_lengths),
		cmocka_unit_test(test_every_byte_corrupted),
		cmocka_unit_test(test_deep_ipip),
		cmocka_unit_test(test_long_ipv6_chain),
	};
	return cmocka_run_group_tests_name("dissect", tests, setup, teardown);
}
