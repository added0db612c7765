/*
 * dissect.h - the dissector ABI.
 *
 * A dissector gets a context (packet info, the tree or NULL, conversation
 * state), a cursor over its bytes and a parent node. It never does file I/O
 * and never reads bytes except through the cursor. It fills the summary
 * columns (protocol, info, addresses) in c->pi and, when c->tree is set,
 * adds nodes under parent.
 *
 * Dispatch is by explicit tables in registry.c (link type, ethertype, IP
 * protocol, ports, heuristics); adding a protocol is one file and one row.
 */
#ifndef TW_DISSECT_H
#define TW_DISSECT_H

#include "core/buf.h"
#include "core/str.h"
#include "core/tree.h"

struct tw_capture;
struct tw_convs;
struct tw_frame;
struct tw_pdu_view;

/* Link-layer header types: the public LINKTYPE_* registry values. */
enum {
	LINKTYPE_NULL = 0,
	LINKTYPE_ETHERNET = 1,
	LINKTYPE_RAW = 101,
	LINKTYPE_LOOP = 108,
	LINKTYPE_LINUX_SLL = 113,
	LINKTYPE_IPV4 = 228,
	LINKTYPE_IPV6 = 229,
	LINKTYPE_LINUX_SLL2 = 276,
};

/* Protocol ids kept in the frame index (top protocol of a frame). */
enum tw_proto {
	PROTO_NONE = 0,
	PROTO_FRAME,
	PROTO_ETH,
	PROTO_VLAN,
	PROTO_SLL,
	PROTO_NULL,
	PROTO_ARP,
	PROTO_IPV4,
	PROTO_IPV6,
	PROTO_ICMP,
	PROTO_ICMPV6,
	PROTO_TCP,
	PROTO_UDP,
	PROTO_DATA,
	PROTO_TLS,
	PROTO_HTTP,
	PROTO_DNS,
	PROTO_MDNS,
	PROTO_LLMNR,
	PROTO_COUNT_
};

enum tw_addr_type { AT_NONE = 0, AT_ETHER, AT_IPV4, AT_IPV6 };

struct tw_addr {
	uint8_t type;
	uint8_t a[16];
};

void addr_set(struct tw_addr *a, uint8_t type, const uint8_t *p);
bool addr_eq(const struct tw_addr *a, const struct tw_addr *b);
int addr_cmp(const struct tw_addr *a, const struct tw_addr *b);
void addr_format(struct tw_sb *sb, const struct tw_addr *a);

#define TW_INFO_MAX 1024
#define TW_PROTOS_MAX 256
#define TW_MAX_DEPTH 24

/* Per-frame packet info: the summary row and what layers tell each other. */
struct tw_pinfo {
	uint32_t num;              /* frame number within its source, from 1 */
	tw_time ts;                /* absolute, ns UTC */
	tw_time first_ts;          /* first frame of the source (relative time) */
	tw_time prev_ts;           /* previous frame (delta time) */
	uint32_t caplen, len;
	uint16_t linktype;
	uint16_t iface;
	bool has_iface;                  /* pcapng: interfaces are numbered */

	struct tw_addr dl_src, dl_dst;   /* link layer */
	struct tw_addr net_src, net_dst; /* network layer (innermost, not in ICMP errors) */
	struct tw_addr ip_src, ip_dst;   /* the IP header just dissected (for checksums) */
	uint16_t srcport, dstport;
	uint8_t ipproto;                 /* innermost L4 protocol number */
	uint8_t ip_ttl;                  /* TTL / hop limit of that IP header */
	uint8_t depth;                   /* encapsulation depth, capped */
	bool in_error;                   /* inside an ICMP error's quoted datagram */
	bool fragment;                   /* payload is an IP fragment (not reassembled) */

	const char *proto;               /* Protocol column (static string or proto_buf) */
	char proto_buf[24];
	uint8_t top;                     /* enum tw_proto of the highest layer */
	struct tw_sb info;               /* Info column */
	struct tw_sb protos;             /* frame.protocols: "eth:ethertype:ip:tcp" */
	char info_buf[TW_INFO_MAX];
	char protos_buf[TW_PROTOS_MAX];
};

struct tw_dctx {
	struct tw_tree *tree;            /* NULL: summary only */
	struct tw_pinfo pi;
	struct tw_convs *convs;          /* the source's conversation table */
	struct tw_frame *frame;          /* the frame's index entry */
	struct tw_capture *cap;          /* for reassembled bytes of other frames */
	uint32_t cur_pdu;                /* stored PDU being shown, or UINT32_MAX (in-frame) */
	struct tw_arena *scratch;        /* the capture's scratch arena for reassembled bytes (no tree) */
	bool first_pass;                 /* loading: update conversation state */
};

typedef void (*tw_dissect_fn)(struct tw_dctx *c, struct tw_buf *b, struct tw_node *parent);

/* Summary helpers. Info text from input must go through info_add_escaped. */
/* Reset for a new frame; mute: no Info/protocol strings (the load pass). */
void pinfo_reset(struct tw_pinfo *pi, bool mute);
void col_set_proto(struct tw_dctx *c, const char *proto, uint8_t id);
void col_set_proto_fmt(struct tw_dctx *c, uint8_t id, const char *fmt, ...) TW_PRINTF(3, 4);
void col_clear_info(struct tw_dctx *c);
void col_add_info(struct tw_dctx *c, const char *fmt, ...) TW_PRINTF(2, 3);
void col_add_info_escaped(struct tw_dctx *c, const void *p, size_t n);
void col_add_proto_layer(struct tw_dctx *c, const char *name);

/* The protocol node (FT_PROTOCOL) of a layer covering the rest of b. */
struct tw_node *proto_add(struct tw_dctx *c, struct tw_node *parent, const struct tw_field *f,
                          const struct tw_buf *b, size_t len);

/* Dissect a whole frame: the "Frame" node, then the link layer. */
void dissect_frame(struct tw_dctx *c, const uint8_t *p, uint32_t caplen, uint32_t len);

/* Dispatch. */
void dissect_ethertype(struct tw_dctx *c, uint16_t type, struct tw_buf *b, struct tw_node *parent);
void dissect_ipproto(struct tw_dctx *c, uint8_t proto, struct tw_buf *b, struct tw_node *parent);
void dissect_data(struct tw_dctx *c, struct tw_buf *b, struct tw_node *parent);
bool linktype_supported(int linktype);
const char *linktype_name(int linktype);

/* Shared value tables. */
extern const struct tw_valstr ethertype_vals[];
extern const struct tw_valstr ipproto_vals[];
extern const struct tw_valstr cksum_status_vals[]; /* 0 Bad, 1 Good, 2 Unverified */

/* Dissectors (one per file). */
void dis_eth(struct tw_dctx *c, struct tw_buf *b, struct tw_node *parent);
void dis_vlan(struct tw_dctx *c, struct tw_buf *b, struct tw_node *parent);
void dis_8021ad(struct tw_dctx *c, struct tw_buf *b, struct tw_node *parent);
void dis_sll(struct tw_dctx *c, struct tw_buf *b, struct tw_node *parent);
void dis_sll2(struct tw_dctx *c, struct tw_buf *b, struct tw_node *parent);
void dis_null(struct tw_dctx *c, struct tw_buf *b, struct tw_node *parent);
void dis_raw(struct tw_dctx *c, struct tw_buf *b, struct tw_node *parent);
void dis_arp(struct tw_dctx *c, struct tw_buf *b, struct tw_node *parent);
void dis_ipv4(struct tw_dctx *c, struct tw_buf *b, struct tw_node *parent);
void dis_ipv6(struct tw_dctx *c, struct tw_buf *b, struct tw_node *parent);
void dis_icmp(struct tw_dctx *c, struct tw_buf *b, struct tw_node *parent);
void dis_icmpv6(struct tw_dctx *c, struct tw_buf *b, struct tw_node *parent);
void dis_tcp(struct tw_dctx *c, struct tw_buf *b, struct tw_node *parent);
void dis_udp(struct tw_dctx *c, struct tw_buf *b, struct tw_node *parent);

/* DNS (dns.c): over UDP (also mDNS, LLMNR), and one whole DNS-over-TCP
 * message with its 2-byte length prefix (call it in the load pass too, so
 * queries and responses get matched). dis_dns_heur dissects a UDP payload
 * on an unclaimed port when it looks like DNS (Wireshark's heuristic) and
 * says whether it did. The per-source matching table hangs off struct
 * tw_convs and is freed with dns_table_free. */
struct dns_table;
void dis_dns(struct tw_dctx *c, struct tw_buf *b, struct tw_node *parent);
void dis_mdns(struct tw_dctx *c, struct tw_buf *b, struct tw_node *parent);
void dis_llmnr(struct tw_dctx *c, struct tw_buf *b, struct tw_node *parent);
void dis_dns_tcp(struct tw_dctx *c, struct tw_buf *b, struct tw_node *parent);
bool dis_dns_heur(struct tw_dctx *c, struct tw_buf *b, struct tw_node *parent);
void dns_table_free(struct dns_table *t);

/* Fields that list the parts of a reassembled unit (tcp.segments / tcp.segment ...). */
struct pdu_fields {
	const struct tw_field *list;   /* "[N Reassembled <what> (len bytes): #f(n), ...]" */
	const struct tw_field *item;   /* one FT_FRAMENUM per part */
	const struct tw_field *count;  /* may be NULL */
	const struct tw_field *length; /* may be NULL */
	const char *what;              /* "TCP Segments", "IPv4 Fragments" */
};
/*
 * A stored PDU's bytes gathered from its frames: into the tree's arena and
 * registered as data source `name`, or (summary only) into the capture's
 * scratch arena (reset for every frame), else a new arena returned in
 * *scratch for the caller to arena_free (NULL otherwise).
 */
struct tw_buf pdu_buffer(struct tw_dctx *c, uint32_t pdu, const char *name, struct tw_arena **scratch);
/* The subtree naming a stored PDU's parts and where each came from. */
struct tw_node *pdu_parts_node(struct tw_dctx *c, struct tw_node *parent, uint32_t pdu, const struct tw_buf *b,
                               const struct pdu_fields *pf);

/* IP fragments: true when this fragment completed its datagram and it was dissected. */
bool ip_defrag(struct tw_dctx *c, struct tw_buf *pl, struct tw_node *parent, struct tw_node *ipnode,
               const uint8_t *key, size_t keylen, uint32_t off, bool more, uint8_t proto, bool v6);

/* TCP payload: reassembly in the load pass, PDUs on display (stream.c). */
struct tw_conv;
void tcp_payload(struct tw_dctx *c, struct tw_buf *pl, struct tw_node *parent, struct tw_node *tcp,
                 uint32_t conv, int dir, uint32_t seq, bool fin, bool rst);
/* Decide what a connection carries from its ports and first payload bytes. */
uint8_t tcp_app_guess(uint16_t sport, uint16_t dport, const uint8_t *p, size_t n);
/* Load-pass hook: a complete PDU of a connection (stream.c dispatches per app). */
void app_pdu_first_pass(struct tw_dctx *c, const struct tw_pdu_view *v);
/* Display of one application PDU. */
void app_dissect_pdu(struct tw_dctx *c, uint8_t app, struct tw_buf *b, struct tw_node *parent,
                     uint32_t conv, int dir);

void dis_tls(struct tw_dctx *c, struct tw_buf *b, struct tw_node *parent, uint32_t conv, int dir);
void tls_first_pass(struct tw_dctx *c, const struct tw_pdu_view *v);
void dis_http(struct tw_dctx *c, struct tw_buf *b, struct tw_node *parent, uint32_t conv, int dir);
/* HTTP load pass: pair requests and responses (http.c); the state hangs off tw_convs.http. */
void http_first_pass(struct tw_dctx *c, const struct tw_pdu_view *v);
void http_state_free(void *state);
void dis_dns_tcp(struct tw_dctx *c, struct tw_buf *b, struct tw_node *parent);

/* Every dissector's field table, NULL-terminated (registry.c). */
extern const struct tw_field_table *const tw_field_tables[];

/* Internet checksum (RFC 1071) helpers for IPv4/TCP/UDP/ICMP. */
uint32_t cksum_add(uint32_t sum, const uint8_t *p, size_t n);
uint16_t cksum_fold(uint32_t sum);
/* Pseudo-header sum for TCP/UDP/ICMPv6 over the IP header in pi->ip_src/ip_dst. */
uint32_t cksum_pseudo(const struct tw_pinfo *pi, uint8_t proto, uint32_t len);

#endif
