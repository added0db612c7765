/*
 * test_capture.c - opening and indexing capture files (src/core/capture.h).
 *
 * Files are written into a fresh temporary directory from bytes built here
 * after pcap-savefile(5) and the pcapng draft (SHB/IDB/EPB, if_tsresol);
 * the index must reproduce exactly what was written: frame count, times in
 * nanoseconds, lengths, the bytes themselves, interfaces; damaged or
 * foreign files must be refused with a message saying why.
 */
#include "testutil.h"

#include "core/capture.h"
#include "core/conv.h"
#include "core/dissect/dissect.h"

#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char *dir;

/* Captures still open when a test fails are closed by teardown (no leak noise). */
static struct tw_capture *live[16];
static size_t nlive;

static void
cap_close(struct tw_capture *cap)
{
	for (size_t i = 0; i < nlive; i++)
		if (live[i] == cap)
			live[i] = live[--nlive];
	capture_close(cap);
}

static int
setup(void **state)
{
	(void)state;
	dir = tu_mkdtemp();
	nlive = 0;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	while (nlive)
		cap_close(live[nlive - 1]);
	tu_rmtree(dir);
	dir = NULL;
	return 0;
}

/* ---- frames ------------------------------------------------------------ */

static const uint8_t MAC_A[6] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 };
static const uint8_t MAC_B[6] = { 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb };
static const uint8_t IP_A[4] = { 192, 168, 1, 10 };
static const uint8_t IP_B[4] = { 192, 168, 1, 20 };

static size_t
eth(uint8_t *p, bool a_to_b, uint16_t type)
{
	memcpy(p, a_to_b ? MAC_B : MAC_A, 6);
	memcpy(p + 6, a_to_b ? MAC_A : MAC_B, 6);
	tu_be16(p + 12, type);
	return 14;
}

static void
ip4(uint8_t *ip, bool a_to_b, uint8_t proto, size_t tot)
{
	memset(ip, 0, 20);
	ip[0] = 0x45;
	tu_be16(ip + 2, (uint16_t)tot);
	tu_be16(ip + 6, 0x4000);
	ip[8] = 64;
	ip[9] = proto;
	memcpy(ip + 12, a_to_b ? IP_A : IP_B, 4);
	memcpy(ip + 16, a_to_b ? IP_B : IP_A, 4);
	tu_be16(ip + 10, tu_cksum(0, ip, 20));
}

/* Ethernet/IPv4/TCP 40000 <-> 80, padded to 60 bytes. */
static size_t
mk_tcp(uint8_t *p, bool a_to_b, uint32_t seq, uint32_t ack, uint16_t flags)
{
	size_t n = eth(p, a_to_b, 0x0800);
	ip4(p + n, a_to_b, 6, 40);
	uint8_t *t = p + n + 20;
	memset(t, 0, 20);
	tu_be16(t, a_to_b ? 40000 : 80);
	tu_be16(t + 2, a_to_b ? 80 : 40000);
	tu_be32(t + 4, seq);
	tu_be32(t + 8, ack);
	tu_be16(t + 12, (uint16_t)(0x5000 | flags));
	tu_be16(t + 14, 8192);
	tu_be16(t + 16, tu_cksum(tu_pseudo4(p + n + 12, p + n + 16, 6, 20), t, 20));
	memset(p + 54, 0, 6);
	return 60;
}

static size_t
mk_udp(uint8_t *p)
{
	size_t n = eth(p, true, 0x0800);
	ip4(p + n, true, 17, 20 + 8 + 10);
	uint8_t *u = p + n + 20;
	tu_be16(u, 40001); /* unassigned ports: no application dissector */
	tu_be16(u + 2, 40002);
	tu_be16(u + 4, 18);
	tu_be16(u + 6, 0);
	memcpy(u + 8, "0123456789", 10);
	return n + 38; /* 52 bytes, not a multiple of 4 */
}

static size_t
mk_arp(uint8_t *p)
{
	size_t n = eth(p, true, 0x0806);
	static const uint8_t arp[28] = { 0, 1, 8, 0, 6, 4, 0, 1, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55,
		                         192, 168, 1, 10, 0, 0, 0, 0, 0, 0, 192, 168, 1, 20 };
	memcpy(p + n, arp, 28);
	memset(p + n + 28, 0, 18);
	return 60;
}

/* Five frames: TCP handshake A->B, B->A, A->B; a UDP datagram; ARP (snaplen-cut). */
struct fixture {
	uint8_t data[5][64];
	struct tu_rec rec[5];
};

static void
fixture_init(struct fixture *fx, bool nano)
{
	memset(fx, 0, sizeof *fx);
	size_t len[5];
	len[0] = mk_tcp(fx->data[0], true, 1000, 0, 0x002);
	len[1] = mk_tcp(fx->data[1], false, 5000, 1001, 0x012);
	len[2] = mk_tcp(fx->data[2], true, 1001, 5001, 0x010);
	len[3] = mk_udp(fx->data[3]);
	len[4] = mk_arp(fx->data[4]);
	static const uint32_t sec[5] = { 1700000000, 1700000000, 1700000001, 1700000001, 1700000100 };
	static const uint32_t usec[5] = { 1, 500000, 0, 999999, 250000 };
	static const uint32_t nsec[5] = { 1, 500000000, 0, 999999999, 123456789 };
	for (int i = 0; i < 5; i++) {
		fx->rec[i].sec = sec[i];
		fx->rec[i].frac = nano ? nsec[i] : usec[i];
		fx->rec[i].data = fx->data[i];
		fx->rec[i].caplen = (uint32_t)len[i];
		fx->rec[i].len = (uint32_t)len[i];
	}
	fx->rec[4].caplen = 42; /* snaplen: the padding was not captured */
}

static tw_time
rec_time(const struct tu_rec *r, bool nano)
{
	return (tw_time)r->sec * TW_NS_PER_SEC + (tw_time)r->frac * (nano ? 1 : 1000);
}

static struct tw_capture *
open_ok(const char *path)
{
	char err[512] = "";
	struct tw_capture *cap = capture_open(path, 0, err, sizeof err);
	if (!cap)
		fail_msg("capture_open(%s): %s", path, err);
	assert_true(nlive < ARRAY_SIZE(live));
	live[nlive++] = cap;
	capture_load_all(cap);
	assert_true(capture_done(cap));
	if (capture_fatal(cap))
		fail_msg("%s: fatal: %s", path, capture_fatal(cap));
	return cap;
}

/* capture_open must fail; returns the message. */
static const char *
open_fail(const char *path)
{
	static char err[512];
	memset(err, 0, sizeof err);
	struct tw_capture *cap = capture_open(path, 0, err, sizeof err);
	if (cap) {
		capture_close(cap);
		fail_msg("capture_open(%s) succeeded", path);
	}
	assert_true(err[0] != '\0');
	return err;
}

static void
assert_contains(const char *hay, const char *needle)
{
	if (!hay || !strstr(hay, needle))
		fail_msg("\"%s\" does not contain \"%s\"", hay ? hay : "(null)", needle);
}

/* Compare the index against the records written. */
static void
check_frames(struct tw_capture *cap, const struct tu_rec *rec, size_t n, bool nano)
{
	assert_int_equal(capture_count(cap), n);
	for (uint32_t i = 0; i < n; i++) {
		struct tw_frame *f = capture_frame(cap, i);
		assert_non_null(f);
		assert_int_equal(f->ts, rec_time(&rec[i], nano));
		assert_int_equal(f->caplen, rec[i].caplen);
		assert_int_equal(f->len, rec[i].len);
		const uint8_t *b = capture_bytes(cap, f);
		assert_non_null(b);
		assert_memory_equal(b, rec[i].data, rec[i].caplen);
	}
	assert_null(capture_frame(cap, (uint32_t)n));
}

/* The handshake is one TCP conversation, the UDP datagram another, ARP none. */
static void
check_convs(struct tw_capture *cap)
{
	uint32_t c0 = capture_frame(cap, 0)->conv;
	assert_int_not_equal(c0, CONV_NONE);
	assert_int_equal(capture_frame(cap, 1)->conv, c0);
	assert_int_equal(capture_frame(cap, 2)->conv, c0);
	uint32_t cu = capture_frame(cap, 3)->conv;
	assert_int_not_equal(cu, CONV_NONE);
	assert_int_not_equal(cu, c0);
	assert_int_equal(capture_frame(cap, 4)->conv, CONV_NONE);
	struct tw_convs *cs = capture_convs(cap);
	assert_true(c0 < cs->n);
	assert_int_equal(cs->v[c0].proto, 6);
	assert_int_equal(cs->v[c0].port[0], 40000); /* the SYN sender is side 0 */
	assert_int_equal(cs->v[cu].proto, 17);
	assert_int_equal(capture_frame(cap, 0)->proto, PROTO_TCP);
	assert_int_equal(capture_frame(cap, 3)->proto, PROTO_UDP);
	assert_int_equal(capture_frame(cap, 4)->proto, PROTO_ARP);
}

/* ---- classic pcap ------------------------------------------------------- */

static void
run_pcap(bool be, bool nano)
{
	struct fixture fx;
	fixture_init(&fx, nano);
	struct tu_bytes b = { 0 };
	tu_pcap_build(&b, be, nano, 1, fx.rec, 5);
	char path[600];
	tu_path(path, sizeof path, dir, "five.pcap");
	tu_write_file(path, b.p, b.n);
	size_t file_size = b.n;
	tu_bytes_free(&b);

	struct tw_capture *cap = open_ok(path);
	assert_string_equal(capture_format(cap), "pcap");
	assert_int_equal(capture_ts_digits(cap), nano ? 9 : 6);
	assert_int_equal(capture_linktype(cap), LINKTYPE_ETHERNET);
	assert_int_equal(capture_file_size(cap), file_size);
	assert_string_equal(capture_name(cap), "five.pcap");
	assert_string_equal(capture_path(cap), path);
	assert_null(capture_warning(cap, 0));
	check_frames(cap, fx.rec, 5, nano);
	/* Records are at 24 + 16, then each after the previous one's data. */
	assert_int_equal(capture_frame(cap, 0)->off, 40);
	assert_int_equal(capture_frame(cap, 1)->off, 40 + 60 + 16);
	for (uint32_t i = 0; i < 5; i++)
		assert_int_equal(capture_frame(cap, i)->iface, 0);
	check_convs(cap);

	/* Display pass: relative sequence numbers from the load pass. */
	struct tw_dctx c;
	struct tw_tree t;
	tree_init(&t, true);
	memset(&c, 0, sizeof c);
	capture_dissect(cap, 1, &c, &t);
	assert_contains(c.pi.info.s, "80 \xe2\x86\x92 40000 [SYN, ACK] Seq=0 Ack=1 ");
	assert_int_equal(c.pi.num, 2);
	assert_int_equal(c.pi.ts, rec_time(&fx.rec[1], nano));
	assert_int_equal(c.pi.prev_ts, rec_time(&fx.rec[0], nano));
	assert_int_equal(c.pi.first_ts, rec_time(&fx.rec[0], nano));
	capture_dissect(cap, 2, &c, &t);
	assert_contains(c.pi.info.s, "[ACK] Seq=1 Ack=1 ");
	capture_dissect(cap, 4, &c, &t);
	assert_string_equal(c.pi.info.s, "Who has 192.168.1.20? Tell 192.168.1.10");
	assert_int_equal(c.pi.caplen, 42);
	assert_int_equal(c.pi.len, 60);
	/* Out of range: nothing, no crash. */
	capture_dissect(cap, 99, &c, &t);
	assert_string_equal(c.pi.info.s, "");
	tree_free(&t);
	cap_close(cap);
}

static void test_pcap_le_usec(void **state) { (void)state; run_pcap(false, false); }
static void test_pcap_be_usec(void **state) { (void)state; run_pcap(true, false); }
static void test_pcap_le_nsec(void **state) { (void)state; run_pcap(false, true); }
static void test_pcap_be_nsec(void **state) { (void)state; run_pcap(true, true); }

/* A pcap with a header and no records is a valid, empty capture. */
static void
test_pcap_no_records(void **state)
{
	(void)state;
	struct tu_bytes b = { 0 };
	tu_pcap_build(&b, false, false, 1, NULL, 0);
	assert_int_equal(b.n, 24);
	char path[600];
	tu_write_file(tu_path(path, sizeof path, dir, "hdr.pcap"), b.p, b.n);
	struct tw_capture *cap = open_ok(path);
	assert_int_equal(capture_count(cap), 0);
	assert_null(capture_frame(cap, 0));
	cap_close(cap);
	tu_bytes_free(&b);
}

/*
 * A record longer than the file header's snapshot length: libpcap returns
 * the first snaplen bytes and skips the rest (sf-pcap.c). Its bytes must
 * still be found in the file, whatever the byte order and time resolution.
 */
static void
run_oversized(bool be, bool nano)
{
	uint8_t d[3][80];
	for (int k = 0; k < 3; k++)
		for (int i = 0; i < 80; i++)
			d[k][i] = (uint8_t)(k * 101 + i * 7 + 3);
	struct tu_rec rec[3] = {
		{ 1700000000, 1, d[0], 60, 60 },
		{ 1700000000, 2, d[1], 80, 80 }, /* longer than the snaplen of 64 */
		{ 1700000000, 3, d[2], 60, 60 },
	};
	struct tu_bytes b = { 0 };
	tu_pcap_build_snap(&b, be, nano, 1, 64, rec, 3);
	char path[600];
	tu_write_file(tu_path(path, sizeof path, dir, "oversized.pcap"), b.p, b.n);
	tu_bytes_free(&b);
	struct tw_capture *cap = open_ok(path);
	assert_int_equal(capture_count(cap), 3);
	struct tw_frame *f = capture_frame(cap, 1);
	assert_int_equal(f->caplen, 64);
	assert_int_equal(f->len, 80);
	if (f->flags & FRAME_BYTES_MISSING)
		fail_msg("%s-endian %s pcap: bytes of frame 2 not located (%s)", be ? "big" : "little",
		         nano ? "nanosecond" : "microsecond", capture_warning(cap, 0));
	assert_int_equal(f->off, 24 + 16 + 60 + 16);
	assert_memory_equal(capture_bytes(cap, f), d[1], 64);
	assert_memory_equal(capture_bytes(cap, capture_frame(cap, 2)), d[2], 60);
	assert_null(capture_warning(cap, 0));
	cap_close(cap);
}

static void
test_pcap_record_longer_than_snaplen(void **state)
{
	(void)state;
	run_oversized(false, false);
	run_oversized(true, false);
	run_oversized(true, true);
	run_oversized(false, true); /* a1b23c4d written little-endian: 4d 3c b2 a1 */
}

/* The last record cut: the complete frames load, a warning names the offset. */
static void
test_pcap_cut_last_record(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_init(&fx, false);
	struct tu_bytes b = { 0 };
	tu_pcap_build(&b, false, false, 1, fx.rec, 3);
	size_t third = 24 + (16 + 60) + (16 + 60);
	assert_int_equal(b.n, third + 16 + 60);
	/* Cut inside the record's data, then inside its header. */
	size_t cuts[] = { third + 16 + 30, third + 8 };
	for (size_t k = 0; k < ARRAY_SIZE(cuts); k++) {
		char path[600], name[32];
		snprintf(name, sizeof name, "cut%zu.pcap", k);
		tu_write_file(tu_path(path, sizeof path, dir, name), b.p, cuts[k]);
		struct tw_capture *cap = open_ok(path);
		check_frames(cap, fx.rec, 2, false);
		const char *w = capture_warning(cap, 0);
		char want[64];
		snprintf(want, sizeof want, "file cut at offset %zu", third);
		assert_contains(w, want);
		assert_contains(w, "2 complete frames");
		assert_null(capture_warning(cap, 1));
		cap_close(cap);
	}
	/* Cut in the first record: no frame, still a warning, not a crash. */
	char path[600];
	tu_write_file(tu_path(path, sizeof path, dir, "cut-first.pcap"), b.p, 24 + 16 + 10);
	char err[512] = "";
	struct tw_capture *cap = capture_open(path, 0, err, sizeof err);
	assert_non_null(cap);
	capture_load_all(cap);
	assert_int_equal(capture_count(cap), 0);
	assert_true(capture_fatal(cap) != NULL || capture_warning(cap, 0) != NULL);
	cap_close(cap);
	tu_bytes_free(&b);
}

/* ---- pcapng --------------------------------------------------------------- */

static void
ng_block(struct tu_bytes *f, bool be, uint32_t type, const struct tu_bytes *body)
{
	assert_int_equal(body->n % 4, 0);
	uint32_t len = (uint32_t)(12 + body->n);
	tu_put32(f, type, be);
	tu_put32(f, len, be);
	tu_put(f, body->p, body->n);
	tu_put32(f, len, be);
}

static void
ng_shb(struct tu_bytes *f, bool be)
{
	struct tu_bytes b = { 0 };
	tu_put32(&b, 0x1a2b3c4d, be);
	tu_put16(&b, 1, be);
	tu_put16(&b, 0, be);
	tu_put32(&b, 0xffffffff, be); /* section length: unknown */
	tu_put32(&b, 0xffffffff, be);
	ng_block(f, be, 0x0a0d0d0a, &b);
	tu_bytes_free(&b);
}

/* Interface description; tsresol < 0 for none (default 10^-6). */
static void
ng_idb(struct tu_bytes *f, bool be, uint16_t linktype, int tsresol)
{
	struct tu_bytes b = { 0 };
	tu_put16(&b, linktype, be);
	tu_put16(&b, 0, be);
	tu_put32(&b, 65535, be);
	if (tsresol >= 0) {
		tu_put16(&b, 9, be); /* if_tsresol */
		tu_put16(&b, 1, be);
		tu_put8(&b, (uint8_t)tsresol);
		tu_zero(&b, 3);
		tu_put16(&b, 0, be); /* opt_endofopt */
		tu_put16(&b, 0, be);
	}
	ng_block(f, be, 1, &b);
	tu_bytes_free(&b);
}

/* Enhanced packet block; returns the file offset of the packet data. */
static size_t
ng_epb(struct tu_bytes *f, bool be, uint32_t iface, uint64_t ts, const uint8_t *data, uint32_t caplen, uint32_t len)
{
	size_t at = f->n + 28;
	struct tu_bytes b = { 0 };
	tu_put32(&b, iface, be);
	tu_put32(&b, (uint32_t)(ts >> 32), be);
	tu_put32(&b, (uint32_t)ts, be);
	tu_put32(&b, caplen, be);
	tu_put32(&b, len, be);
	tu_put(&b, data, caplen);
	tu_zero(&b, (4 - caplen % 4) % 4);
	ng_block(f, be, 6, &b);
	tu_bytes_free(&b);
	return at;
}

/* One SHB, one IDB (microseconds), two EPBs; both byte orders. */
static void
test_pcapng_basic(void **state)
{
	(void)state;
	for (int be = 0; be < 2; be++) {
		struct fixture fx;
		fixture_init(&fx, false);
		struct tu_bytes f = { 0 };
		ng_shb(&f, be);
		ng_idb(&f, be, 1, -1);
		uint64_t ts0 = UINT64_C(1700000000123456), ts1 = UINT64_C(1700000002000001);
		size_t off0 = ng_epb(&f, be, 0, ts0, fx.data[3], 52, 52);
		size_t off1 = ng_epb(&f, be, 0, ts1, fx.data[0], 60, 60);
		char path[600];
		tu_write_file(tu_path(path, sizeof path, dir, be ? "be.pcapng" : "le.pcapng"), f.p, f.n);

		struct tw_capture *cap = open_ok(path);
		assert_string_equal(capture_format(cap), "pcapng");
		assert_int_equal(capture_linktype(cap), LINKTYPE_ETHERNET);
		assert_int_equal(capture_count(cap), 2);
		assert_null(capture_warning(cap, 0));
		struct tw_frame *a = capture_frame(cap, 0), *b = capture_frame(cap, 1);
		assert_int_equal(a->ts, (tw_time)ts0 * 1000);
		assert_int_equal(b->ts, (tw_time)ts1 * 1000);
		assert_int_equal(a->caplen, 52);
		assert_int_equal(b->len, 60);
		assert_int_equal(a->off, off0);
		assert_int_equal(b->off, off1);
		assert_memory_equal(capture_bytes(cap, a), fx.data[3], 52);
		assert_memory_equal(capture_bytes(cap, b), fx.data[0], 60);
		assert_int_equal(a->iface, 0);
		assert_int_equal(b->iface, 0);
		assert_int_not_equal(a->conv, CONV_NONE);
		assert_int_not_equal(b->conv, CONV_NONE);
		assert_int_not_equal(a->conv, b->conv);
		cap_close(cap);
		tu_bytes_free(&f);
	}
}

/* Two interfaces, nanosecond (if_tsresol 9) and default microsecond. */
static void
test_pcapng_tsresol(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_init(&fx, false);
	struct tu_bytes f = { 0 };
	ng_shb(&f, false);
	ng_idb(&f, false, 1, 9);
	ng_idb(&f, false, 1, -1);
	uint64_t ns = UINT64_C(1700000000123456789), us = UINT64_C(1700000000123457);
	size_t o0 = ng_epb(&f, false, 0, ns, fx.data[0], 60, 60);
	size_t o1 = ng_epb(&f, false, 1, us, fx.data[1], 60, 60);
	size_t o2 = ng_epb(&f, false, 0, ns + 1, fx.data[2], 60, 60);
	char path[600];
	tu_write_file(tu_path(path, sizeof path, dir, "tsresol.pcapng"), f.p, f.n);
	struct tw_capture *cap = open_ok(path);
	assert_int_equal(capture_count(cap), 3);
	struct tw_frame *a = capture_frame(cap, 0), *b = capture_frame(cap, 1), *c = capture_frame(cap, 2);
	assert_int_equal(a->ts, (tw_time)ns);
	assert_int_equal(b->ts, (tw_time)us * 1000);
	assert_int_equal(c->ts, (tw_time)ns + 1);
	assert_int_equal(a->iface, 0);
	assert_int_equal(b->iface, 1);
	assert_int_equal(c->iface, 0);
	assert_int_equal(a->off, o0);
	assert_int_equal(b->off, o1);
	assert_int_equal(c->off, o2);
	assert_memory_equal(capture_bytes(cap, b), fx.data[1], 60);
	/* The handshake spans both interfaces and is still one conversation. */
	assert_int_not_equal(a->conv, CONV_NONE);
	assert_int_equal(b->conv, a->conv);
	assert_int_equal(c->conv, a->conv);
	cap_close(cap);
	tu_bytes_free(&f);
}

/* Interfaces with different link types: libpcap refuses; the message says why. */
static void
test_pcapng_mixed_linktypes(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_init(&fx, false);
	char path[600];

	/* Both IDBs before any packet. */
	struct tu_bytes f = { 0 };
	ng_shb(&f, false);
	ng_idb(&f, false, 1, -1);
	ng_idb(&f, false, 101, -1);
	ng_epb(&f, false, 0, 1, fx.data[0], 60, 60);
	tu_write_file(tu_path(path, sizeof path, dir, "mixed1.pcapng"), f.p, f.n);
	char err[1024] = "";
	struct tw_capture *cap = capture_open(path, 0, err, sizeof err);
	if (cap) {
		capture_load_all(cap);
		assert_int_equal(capture_count(cap), 0);
		assert_contains(capture_fatal(cap), "link-layer types");
		cap_close(cap);
	} else {
		assert_contains(err, "link-layer types");
	}
	tu_bytes_free(&f);

	/* A packet first, then the second interface: what came before is kept. */
	ng_shb(&f, false);
	ng_idb(&f, false, 1, -1);
	ng_epb(&f, false, 0, 1, fx.data[0], 60, 60);
	ng_idb(&f, false, 101, -1);
	ng_epb(&f, false, 1, 2, fx.data[1], 60, 60);
	tu_write_file(tu_path(path, sizeof path, dir, "mixed2.pcapng"), f.p, f.n);
	cap = open_ok(path);
	assert_int_equal(capture_count(cap), 1);
	assert_contains(capture_warning(cap, 0), "link-layer types");
	cap_close(cap);
	tu_bytes_free(&f);
}

/* ---- files that are not captures ---------------------------------------- */

static void
test_not_captures(void **state)
{
	(void)state;
	char path[600];

	tu_write_file(tu_path(path, sizeof path, dir, "empty.pcap"), "", 0);
	assert_contains(open_fail(path), "empty file");

	assert_contains(open_fail(dir), "directory");

	static const char text[] = "hello, this is a text file\nnot a capture\n";
	tu_write_file(tu_path(path, sizeof path, dir, "notes.txt"), text, sizeof text - 1);
	assert_contains(open_fail(path), "not a capture");

	tu_write_file(tu_path(path, sizeof path, dir, "j.json"), "{\"a\":1}", 7);
	assert_contains(open_fail(path), "not a capture");

	static const uint8_t gz[] = { 0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 3, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
	tu_write_file(tu_path(path, sizeof path, dir, "cap.pcap.gz"), gz, sizeof gz);
	assert_contains(open_fail(path), "gzip");

	tu_write_file(tu_path(path, sizeof path, dir, "tiny"), "ab", 2);
	assert_true(strlen(open_fail(path)) > 0);

	/* A pcap magic with its file header cut short. */
	static const uint8_t hdr[10] = { 0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0 };
	tu_write_file(tu_path(path, sizeof path, dir, "shorthdr.pcap"), hdr, sizeof hdr);
	assert_contains(open_fail(path), "cut");

	tu_path(path, sizeof path, dir, "does-not-exist.pcap");
	assert_string_equal(open_fail(path), strerror(ENOENT));
}

/* Unreadable file: open() fails with EACCES, unless we are root. */
static void
test_unreadable(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_init(&fx, false);
	struct tu_bytes b = { 0 };
	tu_pcap_build(&b, false, false, 1, fx.rec, 1);
	char path[600];
	tu_write_file(tu_path(path, sizeof path, dir, "secret.pcap"), b.p, b.n);
	assert_int_equal(chmod(path, 0), 0);
	if (geteuid() != 0) {
		assert_string_equal(open_fail(path), strerror(EACCES));
	} else {
		/*
		 * Root opens any file, so check as an unprivileged user: a child
		 * drops to nobody (65534) and reports whether the message matched.
		 */
		assert_int_equal(chmod(dir, 0755), 0);
		pid_t pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			if (setgid(65534) != 0 || setuid(65534) != 0)
				_exit(3);
			_exit(strcmp(open_fail(path), strerror(EACCES)) == 0 ? 0 : 1);
		}
		int st = 0;
		assert_int_equal(waitpid(pid, &st, 0), pid);
		assert_true(WIFEXITED(st));
		assert_int_equal(WEXITSTATUS(st), 0);
	}
	tu_bytes_free(&b);
}

/*
 * capture_load_all_threaded (libpcap in a reader thread) indexes exactly
 * what capture_load_all does: every frame entry (offsets, times, lengths,
 * conversation, analysis flags, protocol), the conversations, the stored
 * PDUs, the warnings and fatal errors; over every reference capture and the
 * samples, and a capture cut inside its last record.
 */
static void
same_load(const char *path)
{
	char err[512];
	struct tw_capture *a = capture_open(path, 0, err, sizeof err);
	struct tw_capture *b = capture_open(path, 0, err, sizeof err);
	if (!a || !b) {
		assert_null(a);
		assert_null(b);
		return;
	}
	live[nlive++] = a;
	live[nlive++] = b;
	capture_load_all(a);
	capture_load_all_threaded(b);
	assert_true(capture_done(b));
	assert_int_equal(capture_count(a), capture_count(b));
	for (uint32_t i = 0; i < capture_count(a); i++)
		if (memcmp(capture_frame(a, i), capture_frame(b, i), sizeof(struct tw_frame)) != 0)
			fail_msg("%s: frame %u differs", path, i + 1);
	assert_int_equal(capture_convs(a)->n, capture_convs(b)->n);
	assert_int_equal(reasm_npdus(capture_convs(a)->reasm), reasm_npdus(capture_convs(b)->reasm));
	for (size_t w = 0; capture_warning(a, w) || capture_warning(b, w); w++) {
		assert_non_null(capture_warning(a, w));
		assert_non_null(capture_warning(b, w));
		assert_string_equal(capture_warning(a, w), capture_warning(b, w));
	}
	assert_true((capture_fatal(a) == NULL) == (capture_fatal(b) == NULL));
	if (capture_fatal(a))
		assert_string_equal(capture_fatal(a), capture_fatal(b));
	cap_close(a);
	cap_close(b);
}

static void
test_threaded_load_same(void **state)
{
	(void)state;
	const char *dirs[] = { "tests/data/captures", "samples" };
	size_t n = 0;
	for (size_t d = 0; d < ARRAY_SIZE(dirs); d++) {
		DIR *dp = opendir(dirs[d]);
		assert_non_null(dp);
		struct dirent *e;
		while ((e = readdir(dp))) {
			if (!strstr(e->d_name, ".pcap") || strstr(e->d_name, ".md"))
				continue;
			char path[600];
			snprintf(path, sizeof path, "%s/%s", dirs[d], e->d_name);
			same_load(path);
			n++;
		}
		closedir(dp);
	}
	assert_true(n > 20);

	/* Cut inside the last record: the warning says where, from both. */
	struct fixture fx;
	fixture_init(&fx, false);
	struct tu_bytes b = { 0 };
	tu_pcap_build(&b, false, false, 1, fx.rec, 3);
	char path[600];
	tu_write_file(tu_path(path, sizeof path, dir, "cut.pcap"), b.p, b.n - 7);
	same_load(path);
	tu_bytes_free(&b);
}

int
main(void)
{
	setenv("TZ", "UTC0", 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pcap_le_usec, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pcap_be_usec, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pcap_le_nsec, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pcap_be_nsec, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pcap_no_records, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pcap_record_longer_than_snaplen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pcap_cut_last_record, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pcapng_basic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pcapng_tsresol, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pcapng_mixed_linktypes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_captures, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unreadable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_threaded_load_same, setup, teardown),
	};
	return cmocka_run_group_tests_name("capture", tests, NULL, NULL);
}
