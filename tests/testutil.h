/*
 * testutil.h - helpers shared by the cmocka unit tests (tests/test_*.c).
 *
 * Everything here is independent of the code under test: the Internet
 * checksum is computed from RFC 1071 directly (and checked against a
 * published example in test_dissect.c), files are written byte by byte
 * from the format specifications. All helpers are static inline so a test
 * file that uses only some of them still compiles with -Werror.
 */
#ifndef TW_TESTUTIL_H
#define TW_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/tw.h"

/* ---- big/little endian stores --------------------------------------- */

static inline void tu_be16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static inline void
tu_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}
static inline uint16_t tu_get16(const uint8_t *p) { return (uint16_t)((p[0] << 8) | p[1]); }

/* ---- RFC 1071 Internet checksum -------------------------------------- */

/* Add bytes as big-endian 16-bit words (odd byte padded with zero). */
static inline uint32_t
tu_sum(uint32_t acc, const uint8_t *p, size_t n)
{
	uint64_t s = acc;
	for (size_t i = 0; i < n; i += 2)
		s += (uint32_t)(p[i] << 8) | (i + 1 < n ? p[i + 1] : 0);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint32_t)s;
}
/* Folded one's complement sum (not complemented). */
static inline uint16_t
tu_fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}
static inline uint16_t tu_cksum(uint32_t acc, const uint8_t *p, size_t n) { return (uint16_t)~tu_fold(tu_sum(acc, p, n)); }

/* IPv4 pseudo-header sum (RFC 9293 3.1 / RFC 768). */
static inline uint32_t
tu_pseudo4(const uint8_t src[4], const uint8_t dst[4], uint8_t proto, uint16_t len)
{
	uint8_t ph[12];
	memcpy(ph, src, 4);
	memcpy(ph + 4, dst, 4);
	ph[8] = 0;
	ph[9] = proto;
	tu_be16(ph + 10, len);
	return tu_sum(0, ph, sizeof ph);
}
/* IPv6 pseudo-header sum (RFC 8200 8.1). */
static inline uint32_t
tu_pseudo6(const uint8_t src[16], const uint8_t dst[16], uint8_t nxt, uint32_t len)
{
	uint8_t ph[40];
	memcpy(ph, src, 16);
	memcpy(ph + 16, dst, 16);
	tu_be32(ph + 32, len);
	ph[36] = ph[37] = ph[38] = 0;
	ph[39] = nxt;
	return tu_sum(0, ph, sizeof ph);
}

/* ---- growable byte string (for building files) ----------------------- */

struct tu_bytes {
	uint8_t *p;
	size_t n, cap;
};

static inline void
tu_put(struct tu_bytes *b, const void *p, size_t n)
{
	if (b->n + n > b->cap) {
		b->cap = (b->n + n) * 2 + 64;
		b->p = realloc(b->p, b->cap);
		assert_non_null(b->p);
	}
	if (n)
		memcpy(b->p + b->n, p, n);
	b->n += n;
}
static inline void tu_put8(struct tu_bytes *b, uint8_t v) { tu_put(b, &v, 1); }
static inline void
tu_put16(struct tu_bytes *b, uint16_t v, bool be)
{
	uint8_t x[2] = { be ? (uint8_t)(v >> 8) : (uint8_t)v, be ? (uint8_t)v : (uint8_t)(v >> 8) };
	tu_put(b, x, 2);
}
static inline void
tu_put32(struct tu_bytes *b, uint32_t v, bool be)
{
	uint8_t x[4];
	for (int i = 0; i < 4; i++)
		x[be ? i : 3 - i] = (uint8_t)(v >> (24 - 8 * i));
	tu_put(b, x, 4);
}
static inline void tu_zero(struct tu_bytes *b, size_t n) { while (n--) tu_put8(b, 0); }
static inline void tu_bytes_free(struct tu_bytes *b) { free(b->p); memset(b, 0, sizeof *b); }

/* ---- temporary directories and files -------------------------------- */

static inline char *
tu_mkdtemp(void)
{
	const char *base = getenv("TMPDIR");
	char tmpl[512];
	snprintf(tmpl, sizeof tmpl, "%s/tracewb-test-XXXXXX", base && *base ? base : "/tmp");
	char *d = mkdtemp(tmpl);
	assert_non_null(d);
	return strdup(d);
}

static inline int
tu_rm_cb(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static inline void
tu_rmtree(char *dir)
{
	if (dir)
		nftw(dir, tu_rm_cb, 16, FTW_DEPTH | FTW_PHYS);
	free(dir);
}

/* dir/name into a static-sized caller buffer. */
static inline const char *
tu_path(char *buf, size_t cap, const char *dir, const char *name)
{
	snprintf(buf, cap, "%s/%s", dir, name);
	return buf;
}

static inline void
tu_write_file(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	if (n)
		assert_int_equal(fwrite(p, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

/* ---- pcap writer (https://www.tcpdump.org/manpages/pcap-savefile.5.html) */

struct tu_rec {
	uint32_t sec, frac;       /* frac in us or ns depending on the file */
	const uint8_t *data;
	uint32_t caplen, len;
};

/* Classic pcap: be selects the file byte order, nano the a1b23c4d magic. */
static inline void
tu_pcap_build_snap(struct tu_bytes *b, bool be, bool nano, uint32_t linktype, uint32_t snaplen,
                   const struct tu_rec *r, size_t n)
{
	tu_put32(b, nano ? 0xa1b23c4du : 0xa1b2c3d4u, be);
	tu_put16(b, 2, be);
	tu_put16(b, 4, be);
	tu_put32(b, 0, be); /* thiszone */
	tu_put32(b, 0, be); /* sigfigs */
	tu_put32(b, snaplen, be);
	tu_put32(b, linktype, be);
	for (size_t i = 0; i < n; i++) {
		tu_put32(b, r[i].sec, be);
		tu_put32(b, r[i].frac, be);
		tu_put32(b, r[i].caplen, be);
		tu_put32(b, r[i].len, be);
		tu_put(b, r[i].data, r[i].caplen);
	}
}

static inline void
tu_pcap_build(struct tu_bytes *b, bool be, bool nano, uint32_t linktype, const struct tu_rec *r, size_t n)
{
	tu_pcap_build_snap(b, be, nano, linktype, 65535, r, n);
}

static inline void
tu_pcap_write(const char *path, uint32_t linktype, const struct tu_rec *r, size_t n)
{
	struct tu_bytes b = { 0 };
	tu_pcap_build(&b, false, false, linktype, r, n);
	tu_write_file(path, b.p, b.n);
	tu_bytes_free(&b);
}

#endif
