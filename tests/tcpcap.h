/*
 * tcpcap.h - build Ethernet/IPv4/TCP captures of one connection for the
 * reassembly and TLS tests (test_reasm.c, test_tls.c), load them with
 * capture_open/capture_load_all, and look at dissected frames.
 *
 * Each side's byte stream is kept whole (tc_put); segments are cut from
 * it by offset (tc_seg), so out-of-order delivery, retransmissions and
 * overlaps are just other offsets. Sequence numbers are ISN + 1 + offset.
 * IPv4 and TCP checksums are computed with testutil.h's RFC 1071 code.
 * Everything is static inline so a test file may use only part of it.
 */
#ifndef TW_TCPCAP_H
#define TW_TCPCAP_H

#include "testutil.h"

#include "core/capture.h"
#include "core/conv.h"
#include "core/dissect/dissect.h"
#include "core/field.h"

static const uint8_t TC_MAC_C[6] = { 0x00, 0x15, 0x5d, 0x00, 0x00, 0x01 };
static const uint8_t TC_MAC_S[6] = { 0x52, 0x54, 0x00, 0x00, 0x00, 0x02 };
static const uint8_t TC_IP_C[4] = { 10, 77, 0, 1 };
static const uint8_t TC_IP_S[4] = { 10, 77, 0, 2 };

#define TC_HDR 54 /* Ethernet 14 + IPv4 20 + TCP 20 */
#define TC_SYN 0x002
#define TC_FIN 0x001
#define TC_RST 0x004
#define TC_PSH 0x008
#define TC_ACK 0x010

struct tc_cap {
	struct tu_rec *rec;
	uint8_t **data;
	size_t n, cap;
	struct tu_bytes stream[2]; /* [0] client -> server, [1] server -> client */
	uint32_t isn[2];
	size_t sent[2];            /* stream bytes sent so far (the highest end), per side */
	uint16_t port[2];          /* [0] client, [1] server */
	uint32_t usec;
	uint16_t ipid;
};

static inline void
tc_init(struct tc_cap *k, uint16_t server_port, uint32_t isn_client, uint32_t isn_server)
{
	memset(k, 0, sizeof *k);
	k->port[0] = 40000;
	k->port[1] = server_port;
	k->isn[0] = isn_client;
	k->isn[1] = isn_server;
	k->usec = 1000;
}

static inline void
tc_free(struct tc_cap *k)
{
	for (size_t i = 0; i < k->n; i++)
		free(k->data[i]);
	free(k->data);
	free(k->rec);
	tu_bytes_free(&k->stream[0]);
	tu_bytes_free(&k->stream[1]);
	memset(k, 0, sizeof *k);
}

/*
 * One frame from side dir: TCP segment with seq, ack, flags and payload;
 * only `captured` payload bytes make it into the capture (SIZE_MAX: all).
 * Returns the frame number (1-based).
 */
static inline uint32_t
tc_raw(struct tc_cap *k, int dir, uint32_t seq, uint32_t ack, uint16_t flags, const uint8_t *pl, size_t n,
       size_t captured)
{
	assert_true(n <= 65000);
	/* What the other side can acknowledge: the highest stream offset sent (not merely put). */
	uint32_t rel = seq - (k->isn[dir] + 1);
	if (n && rel <= k->stream[dir].n && rel + n > k->sent[dir])
		k->sent[dir] = rel + n;
	if (k->n == k->cap) {
		k->cap = k->cap ? k->cap * 2 : 64;
		k->rec = realloc(k->rec, k->cap * sizeof *k->rec);
		k->data = realloc(k->data, k->cap * sizeof *k->data);
		assert_non_null(k->rec);
		assert_non_null(k->data);
	}
	size_t len = TC_HDR + n;
	uint8_t *f = calloc(1, len);
	assert_non_null(f);
	memcpy(f, dir ? TC_MAC_C : TC_MAC_S, 6);
	memcpy(f + 6, dir ? TC_MAC_S : TC_MAC_C, 6);
	tu_be16(f + 12, 0x0800);
	uint8_t *ip = f + 14;
	ip[0] = 0x45;
	tu_be16(ip + 2, (uint16_t)(20 + 20 + n));
	tu_be16(ip + 4, k->ipid++);
	tu_be16(ip + 6, 0x4000);
	ip[8] = 64;
	ip[9] = 6;
	memcpy(ip + 12, dir ? TC_IP_S : TC_IP_C, 4);
	memcpy(ip + 16, dir ? TC_IP_C : TC_IP_S, 4);
	tu_be16(ip + 10, tu_cksum(0, ip, 20));
	uint8_t *tcp = ip + 20;
	tu_be16(tcp, k->port[dir]);
	tu_be16(tcp + 2, k->port[!dir]);
	tu_be32(tcp + 4, seq);
	tu_be32(tcp + 8, (flags & TC_ACK) ? ack : 0);
	tu_be16(tcp + 12, (uint16_t)((5 << 12) | flags));
	tu_be16(tcp + 14, 65535);
	if (n)
		memcpy(tcp + 20, pl, n);
	tu_be16(tcp + 16, tu_cksum(tu_pseudo4(ip + 12, ip + 16, 6, (uint16_t)(20 + n)), tcp, 20 + n));
	size_t i = k->n++;
	k->data[i] = f;
	k->usec += 100;
	k->rec[i].sec = 1700000000 + k->usec / 1000000;
	k->rec[i].frac = k->usec % 1000000;
	k->rec[i].data = f;
	k->rec[i].len = (uint32_t)len;
	k->rec[i].caplen = (uint32_t)(TC_HDR + (captured < n ? captured : n));
	return (uint32_t)k->n;
}

/* Append bytes to side dir's stream (not sent yet); returns their offset. */
static inline size_t
tc_put(struct tc_cap *k, int dir, const void *p, size_t n)
{
	size_t off = k->stream[dir].n;
	tu_put(&k->stream[dir], p, n);
	return off;
}

static inline uint32_t tc_seq(const struct tc_cap *k, int dir, size_t off) { return k->isn[dir] + 1 + (uint32_t)off; }

/* What the other side has sent so far, acknowledged. */
/* Acknowledges what the other side has sent so far, as a real receiver would. */
static inline uint32_t tc_ack(const struct tc_cap *k, int dir) { return tc_seq(k, !dir, k->sent[!dir]); }

/* Segment with stream bytes [off, off+n) of side dir; captured as tc_raw. */
static inline uint32_t
tc_seg_cut(struct tc_cap *k, int dir, size_t off, size_t n, size_t captured, uint16_t extra_flags)
{
	assert_true(off + n <= k->stream[dir].n);
	return tc_raw(k, dir, tc_seq(k, dir, off), tc_ack(k, dir), TC_ACK | TC_PSH | extra_flags,
	              k->stream[dir].p + off, n, captured);
}

static inline uint32_t
tc_seg(struct tc_cap *k, int dir, size_t off, size_t n)
{
	return tc_seg_cut(k, dir, off, n, SIZE_MAX, 0);
}

/* Append and send at once. */
static inline uint32_t
tc_send(struct tc_cap *k, int dir, const void *p, size_t n)
{
	size_t off = tc_put(k, dir, p, n);
	return tc_seg(k, dir, off, n);
}

/* An empty ACK from side dir. */
static inline uint32_t
tc_ackonly(struct tc_cap *k, int dir)
{
	return tc_raw(k, dir, tc_seq(k, dir, k->stream[dir].n), tc_ack(k, dir), TC_ACK, NULL, 0, SIZE_MAX);
}

/* FIN (no payload) after everything side dir put in its stream. */
static inline uint32_t
tc_fin(struct tc_cap *k, int dir)
{
	return tc_raw(k, dir, tc_seq(k, dir, k->stream[dir].n), tc_ack(k, dir), TC_ACK | TC_FIN, NULL, 0, SIZE_MAX);
}

/* SYN, SYN-ACK, ACK: frames 1-3. */
static inline void
tc_handshake(struct tc_cap *k)
{
	tc_raw(k, 0, k->isn[0], 0, TC_SYN, NULL, 0, SIZE_MAX);
	tc_raw(k, 1, k->isn[1], k->isn[0] + 1, TC_SYN | TC_ACK, NULL, 0, SIZE_MAX);
	tc_raw(k, 0, k->isn[0] + 1, k->isn[1] + 1, TC_ACK, NULL, 0, SIZE_MAX);
}

static inline void
tc_write(const struct tc_cap *k, const char *path)
{
	tu_pcap_write(path, 1 /* LINKTYPE_ETHERNET */, k->rec, k->n);
}

/* Open and index a capture file; fails the test if it cannot. */
static inline struct tw_capture *
tc_load_path(const char *path)
{
	char err[512] = "";
	struct tw_capture *cap = capture_open(path, 0, err, sizeof err);
	if (!cap)
		fail_msg("capture_open(%s): %s", path, err);
	capture_load_all(cap);
	assert_true(capture_done(cap));
	assert_null(capture_fatal(cap));
	return cap;
}

/* ---- looking at dissected frames -------------------------------------- */

struct tc_view {
	struct tw_capture *cap;
	struct tw_tree t;
	struct tw_dctx c;
	uint32_t frame; /* 1-based frame shown */
};

static inline void
tc_view_init(struct tc_view *v, struct tw_capture *cap)
{
	memset(v, 0, sizeof *v);
	v->cap = cap;
	tree_init(&v->t, true);
}

static inline void tc_view_free(struct tc_view *v) { tree_free(&v->t); }

/* Dissect frame `frame` (1-based) with a full tree. */
static inline void
tc_show(struct tc_view *v, uint32_t frame)
{
	v->frame = frame;
	capture_dissect(v->cap, frame - 1, &v->c, &v->t);
}

static inline const char *tc_info(const struct tc_view *v) { return v->c.pi.info.s ? v->c.pi.info.s : ""; }
static inline const char *tc_proto(const struct tc_view *v) { return v->c.pi.proto ? v->c.pi.proto : ""; }
static inline uint32_t tc_flags(struct tc_view *v, uint32_t frame) { return capture_frame(v->cap, frame - 1)->flags; }

static inline struct tw_node *
tc_find(const struct tc_view *v, const char *abbrev)
{
	return node_find_abbrev(v->t.root, abbrev);
}

static inline struct tw_node *
tc_find_nth(const struct tc_view *v, const char *abbrev, int n)
{
	for (struct tw_node *x = v->t.root; x; x = node_next_preorder(x, v->t.root))
		if (x->f && strcmp(x->f->abbrev, abbrev) == 0 && n-- == 0)
			return x;
	return NULL;
}

static inline int
tc_count(const struct tc_view *v, const char *abbrev)
{
	int k = 0;
	for (struct tw_node *x = v->t.root; x; x = node_next_preorder(x, v->t.root))
		if (x->f && strcmp(x->f->abbrev, abbrev) == 0)
			k++;
	return k;
}

/* A node's value as -T fields prints it (static buffer). */
static inline const char *
tc_val(const struct tw_node *n)
{
	static char buf[8192];
	struct tw_sb sb;
	sb_fixed(&sb, buf, sizeof buf);
	if (!n)
		fail_msg("tc_val: no node");
	field_format_fields(&sb, n);
	return buf;
}

static inline const char *
tc_fval(const struct tc_view *v, const char *abbrev)
{
	struct tw_node *n = tc_find(v, abbrev);
	if (!n)
		fail_msg("frame %u: no %s in the tree", v->frame, abbrev);
	return tc_val(n);
}

/* The display label of a node (static buffer). */
static inline const char *
tc_label(const struct tw_node *n)
{
	static char buf[8192];
	struct tw_sb sb;
	sb_fixed(&sb, buf, sizeof buf);
	field_format_label(&sb, n);
	return buf;
}

/* Every label of the tree, one per line (malloc'd). */
static inline char *
tc_labels(const struct tc_view *v)
{
	struct tw_sb sb;
	sb_heap(&sb);
	for (struct tw_node *x = v->t.root->child; x; x = node_next_preorder(x, v->t.root)) {
		field_format_label(&sb, x);
		sb_addc(&sb, '\n');
	}
	return sb.s;
}

/* Some node's label contains text. */
static inline bool
tc_has_label(const struct tc_view *v, const char *text)
{
	char *all = tc_labels(v);
	bool yes = strstr(all, text) != NULL;
	free(all);
	return yes;
}

static inline void
tc_assert_label(const struct tc_view *v, const char *text)
{
	if (!tc_has_label(v, text)) {
		char *all = tc_labels(v);
		fprintf(stderr, "frame %u labels:\n%s\n", v->frame, all);
		free(all);
		fail_msg("frame %u: no label contains \"%s\"", v->frame, text);
	}
}

static inline bool
tc_has_expert(const struct tc_view *v, enum tw_sev sev, const char *text)
{
	for (struct tw_node *x = v->t.root; x; x = node_next_preorder(x, v->t.root))
		if ((x->flags & TW_NF_EXPERT) && x->sev == sev && x->label && strstr(x->label, text))
			return true;
	return false;
}

static inline void
tc_assert_contains(const char *hay, const char *needle)
{
	if (!hay || !strstr(hay, needle))
		fail_msg("\"%s\" does not contain \"%s\"", hay ? hay : "(null)", needle);
}

/* Every node's data source exists and its byte range lies inside it. */
static inline void
tc_check_ranges(const struct tc_view *v)
{
	const struct tw_tree *t = &v->t;
	for (struct tw_node *x = t->root->child; x; x = node_next_preorder(x, t->root)) {
		if (x->src >= t->nsrc)
			fail_msg("frame %u: node \"%s\" refers to data source %u of %zu", v->frame, tc_label(x), x->src,
			         t->nsrc);
		size_t sl = t->src[x->src].len;
		if (x->off > sl || x->len > sl - x->off)
			fail_msg("frame %u: node \"%s\" covers [%u, +%u) of source %u (%zu bytes)", v->frame, tc_label(x),
			         x->off, x->len, x->src, sl);
	}
}

/* The first node of field abbrev whose data source is not the frame. */
static inline struct tw_node *
tc_find_in_src(const struct tc_view *v, const char *abbrev, bool reassembled)
{
	for (struct tw_node *x = v->t.root; x; x = node_next_preorder(x, v->t.root))
		if (x->f && strcmp(x->f->abbrev, abbrev) == 0 && (x->src != 0) == reassembled)
			return x;
	return NULL;
}

/* ---- TLS building blocks (RFC 8446 5.1 and 4) ------------------------- */

/* A record: type, legacy version 0x0303, 16-bit length, fragment. */
static inline void
tc_tls_record(struct tu_bytes *b, uint8_t type, const void *frag, size_t n)
{
	tu_put8(b, type);
	tu_put16(b, 0x0303, true);
	tu_put16(b, (uint16_t)n, true);
	tu_put(b, frag, n);
}

static inline void
tc_put24(struct tu_bytes *b, uint32_t v)
{
	tu_put8(b, (uint8_t)(v >> 16));
	tu_put8(b, (uint8_t)(v >> 8));
	tu_put8(b, (uint8_t)v);
}

/* A handshake message: type, 24-bit length, body. */
static inline void
tc_hs_msg(struct tu_bytes *b, uint8_t type, const void *body, size_t n)
{
	tu_put8(b, type);
	tc_put24(b, (uint32_t)n);
	tu_put(b, body, n);
}

/* A handshake record holding one message. */
static inline void
tc_hs_record(struct tu_bytes *b, uint8_t type, const void *body, size_t n)
{
	struct tu_bytes m = { 0 };
	tc_hs_msg(&m, type, body, n);
	tc_tls_record(b, 22, m.p, m.n);
	tu_bytes_free(&m);
}

#endif
