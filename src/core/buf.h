/*
 * buf.h - the bounds-checked byte cursor. Every read of input bytes goes
 * through here: "the read is the check" (tcpdump's GET_ discipline), with a
 * sticky error instead of longjmp so dissectors that allocate stay simple.
 *
 *  - A failed read returns 0 (or false/NULL), records the first error and
 *    moves the position to the end, so every later read fails too. A
 *    dissector may read a whole header and test buf_ok() once.
 *  - BUF_TRUNC: the bytes existed on the wire but were not captured
 *    (snaplen). BUF_MALFORMED: the data lies about its own length.
 *  - buf_sub() narrows a view to a length field's scope and advances the
 *    parent. Sub-views keep the absolute offset inside their data source so
 *    tree nodes know which bytes to highlight.
 *  - Comparisons are written `n <= len - off` so they cannot overflow.
 */
#ifndef TW_BUF_H
#define TW_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

enum buf_err { BUF_OK = 0, BUF_TRUNC, BUF_MALFORMED };

struct tw_buf {
	const uint8_t *p; /* first byte of this view */
	size_t len;       /* bytes available (captured) in this view */
	size_t reported;  /* bytes the protocol says exist; >= len */
	size_t off;       /* read position */
	size_t abs;       /* offset of p[0] inside its data source */
	uint16_t src;     /* data source: 0 = frame, n = reassembled buffer */
	uint8_t err;      /* enum buf_err, sticky */
};

/* A view over p[0..caplen) of a packet whose wire length is wirelen. */
static inline struct tw_buf
buf_init(const uint8_t *p, size_t caplen, size_t wirelen, uint16_t src)
{
	struct tw_buf b = { p, caplen, wirelen < caplen ? caplen : wirelen, 0, 0, src, BUF_OK };
	return b;
}

static inline bool buf_ok(const struct tw_buf *b) { return b->err == BUF_OK; }
static inline size_t buf_left(const struct tw_buf *b) { return b->len - b->off; }
/* Bytes the protocol says remain, captured or not. */
static inline size_t buf_reported_left(const struct tw_buf *b) { return b->reported - b->off; }
/* Absolute offset (in the data source) of the read position. */
static inline size_t buf_pos_abs(const struct tw_buf *b) { return b->abs + b->off; }

/* Record a failure for a request of n bytes at the current position. */
static inline void
buf_fail(struct tw_buf *b, size_t n)
{
	if (b->err == BUF_OK)
		b->err = (n <= b->reported - b->off) ? BUF_TRUNC : BUF_MALFORMED;
	b->off = b->len;
}

/* Mark the view malformed (a value read from it is impossible). */
static inline void
buf_set_malformed(struct tw_buf *b)
{
	if (b->err == BUF_OK)
		b->err = BUF_MALFORMED;
	b->off = b->len;
}

/* True when n more bytes can be read; otherwise records the error. */
static inline bool
buf_need(struct tw_buf *b, size_t n)
{
	if (b->err != BUF_OK) {
		b->off = b->len;
		return false;
	}
	if (n <= b->len - b->off)
		return true;
	buf_fail(b, n);
	return false;
}

/* Like buf_need but leaves the cursor untouched on failure. */
static inline bool
buf_has(const struct tw_buf *b, size_t n)
{
	return b->err == BUF_OK && n <= b->len - b->off;
}

static inline uint8_t
buf_u8(struct tw_buf *b)
{
	if (!buf_need(b, 1))
		return 0;
	return b->p[b->off++];
}

static inline uint16_t
buf_be16(struct tw_buf *b)
{
	if (!buf_need(b, 2))
		return 0;
	const uint8_t *q = b->p + b->off;
	b->off += 2;
	return (uint16_t)((q[0] << 8) | q[1]);
}

static inline uint32_t
buf_be24(struct tw_buf *b)
{
	if (!buf_need(b, 3))
		return 0;
	const uint8_t *q = b->p + b->off;
	b->off += 3;
	return ((uint32_t)q[0] << 16) | ((uint32_t)q[1] << 8) | q[2];
}

static inline uint32_t
buf_be32(struct tw_buf *b)
{
	if (!buf_need(b, 4))
		return 0;
	const uint8_t *q = b->p + b->off;
	b->off += 4;
	return ((uint32_t)q[0] << 24) | ((uint32_t)q[1] << 16) | ((uint32_t)q[2] << 8) | q[3];
}

static inline uint64_t
buf_be64(struct tw_buf *b)
{
	if (!buf_need(b, 8))
		return 0;
	uint64_t hi = buf_be32(b);
	uint64_t lo = buf_be32(b);
	return (hi << 32) | lo;
}

static inline uint16_t
buf_le16(struct tw_buf *b)
{
	if (!buf_need(b, 2))
		return 0;
	const uint8_t *q = b->p + b->off;
	b->off += 2;
	return (uint16_t)(q[0] | (q[1] << 8));
}

static inline uint32_t
buf_le32(struct tw_buf *b)
{
	if (!buf_need(b, 4))
		return 0;
	const uint8_t *q = b->p + b->off;
	b->off += 4;
	return q[0] | ((uint32_t)q[1] << 8) | ((uint32_t)q[2] << 16) | ((uint32_t)q[3] << 24);
}

static inline bool
buf_skip(struct tw_buf *b, size_t n)
{
	if (!buf_need(b, n))
		return false;
	b->off += n;
	return true;
}

static inline bool
buf_copy(struct tw_buf *b, void *dst, size_t n)
{
	if (!buf_need(b, n)) {
		memset(dst, 0, n);
		return false;
	}
	memcpy(dst, b->p + b->off, n);
	b->off += n;
	return true;
}

/* n contiguous bytes at the position (advances), or NULL. */
static inline const uint8_t *
buf_ptr(struct tw_buf *b, size_t n)
{
	if (!buf_need(b, n))
		return NULL;
	const uint8_t *q = b->p + b->off;
	b->off += n;
	return q;
}

/* Peek at byte `at` past the position without advancing; 0 if absent. */
static inline uint8_t
buf_peek_u8(const struct tw_buf *b, size_t at)
{
	if (b->err != BUF_OK || at >= b->len - b->off)
		return 0;
	return b->p[b->off + at];
}

static inline uint16_t
buf_peek_be16(const struct tw_buf *b, size_t at)
{
	if (b->err != BUF_OK || b->len - b->off < 2 || at > b->len - b->off - 2)
		return 0;
	return (uint16_t)((b->p[b->off + at] << 8) | b->p[b->off + at + 1]);
}

/*
 * Child view of the next n reported bytes; advances the parent past them.
 * The child's captured length is what is actually present. If the parent
 * does not even report n bytes, the parent becomes MALFORMED and the child
 * covers what is left (and is itself marked MALFORMED when read past).
 */
struct tw_buf buf_sub(struct tw_buf *b, size_t n);

/* Child view of everything left (reported), advancing the parent to the end. */
struct tw_buf buf_rest(struct tw_buf *b);

/* Index (relative to the position) of the first byte == c, or -1. */
long buf_find(const struct tw_buf *b, uint8_t c);

/* Index of the first occurrence of needle, or -1. */
long buf_find_mem(const struct tw_buf *b, const void *needle, size_t nlen);

#endif
