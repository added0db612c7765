/*
 * fuzz_dissect.c - one dissector entry point on the input bytes, built
 * once per target with -DFUZZ_TARGET_<NAME> (see `make fuzz`):
 *
 *   frame   dissect_frame(), link type chosen by the first input byte
 *   eth ipv4 ipv6 tcp udp icmp icmpv6 arp dns dns_tcp http tls
 *           the dissector called directly on the input
 *
 * The context is set up the way the unit tests do (tests/test_tls.c
 * direct_run): no conversation table, not the load pass. Each input is
 * dissected twice: summary only, then with a tree and its labels.
 * The input is an exact-size heap buffer, so ASan sees any overread.
 */
#include "core/dissect/dissect.h"
#include "core/reasm.h"
#include "core/tree.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint16_t linktypes[] = {
	LINKTYPE_NULL, LINKTYPE_ETHERNET, LINKTYPE_RAW, LINKTYPE_LOOP,
	LINKTYPE_LINUX_SLL, LINKTYPE_IPV4, LINKTYPE_IPV6, LINKTYPE_LINUX_SLL2,
};

static void
one(const uint8_t *p, size_t n, bool with_tree)
{
	struct tw_tree t;
	struct tw_dctx c;
	tree_init(&t, true);
	memset(&c, 0, sizeof c);
	pinfo_reset(&c.pi, false);
	c.tree = with_tree ? &t : NULL;
	c.cur_pdu = PIECE_SKIP;
	c.pi.num = 1;
	c.pi.caplen = c.pi.len = (uint32_t)n;
	if (with_tree)
		tree_add_datasrc(&t, "Frame", p, n);
	struct tw_node *root = with_tree ? tree_root(&t) : NULL;
	struct tw_buf b = buf_init(p, n, n, 0);
#if defined(FUZZ_TARGET_frame)
	if (n == 0) {
		tree_free(&t);
		return;
	}
	c.pi.linktype = linktypes[p[0] % (sizeof linktypes / sizeof linktypes[0])];
	(void)b;
	(void)root;
	dissect_frame(&c, p + 1, (uint32_t)(n - 1), (uint32_t)(n - 1));
#elif defined(FUZZ_TARGET_eth)
	(void)linktypes;
	dis_eth(&c, &b, root);
#elif defined(FUZZ_TARGET_ipv4)
	(void)linktypes;
	dis_ipv4(&c, &b, root);
#elif defined(FUZZ_TARGET_ipv6)
	(void)linktypes;
	dis_ipv6(&c, &b, root);
#elif defined(FUZZ_TARGET_tcp) || defined(FUZZ_TARGET_udp) || defined(FUZZ_TARGET_icmp) || defined(FUZZ_TARGET_icmpv6)
	(void)linktypes;
	/* The pseudo-header addresses the checksum check needs. */
	static const uint8_t a4[4] = { 10, 0, 0, 1 }, b4[4] = { 10, 0, 0, 2 };
	addr_set(&c.pi.ip_src, AT_IPV4, a4);
	addr_set(&c.pi.ip_dst, AT_IPV4, b4);
	c.pi.net_src = c.pi.ip_src;
	c.pi.net_dst = c.pi.ip_dst;
#if defined(FUZZ_TARGET_tcp)
	dis_tcp(&c, &b, root);
#elif defined(FUZZ_TARGET_udp)
	dis_udp(&c, &b, root);
#elif defined(FUZZ_TARGET_icmp)
	dis_icmp(&c, &b, root);
#else
	dis_icmpv6(&c, &b, root);
#endif
#elif defined(FUZZ_TARGET_arp)
	(void)linktypes;
	dis_arp(&c, &b, root);
#elif defined(FUZZ_TARGET_dns)
	(void)linktypes;
	dis_dns(&c, &b, root);
#elif defined(FUZZ_TARGET_dns_tcp)
	(void)linktypes;
	dis_dns_tcp(&c, &b, root);
#elif defined(FUZZ_TARGET_http)
	(void)linktypes;
	c.pi.top = PROTO_TCP;
	dis_http(&c, &b, root, 0, 0);
#elif defined(FUZZ_TARGET_tls)
	(void)linktypes;
	c.pi.top = PROTO_TCP;
	dis_tls(&c, &b, root, 0, 0);
#else
#error "define FUZZ_TARGET_<name>"
#endif
	tree_free(&t);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	one(data, size, false);
	one(data, size, true);
	return 0;
}
