/* buf.c - non-inline parts of the byte cursor (see buf.h). */
#include "core/buf.h"

struct tw_buf
buf_sub(struct tw_buf *b, size_t n)
{
	struct tw_buf c = { 0 };
	c.src = b->src;
	c.abs = b->abs + b->off;
	if (b->err != BUF_OK) {
		c.p = b->p + b->len;
		c.err = b->err;
		return c;
	}
	size_t cap_left = b->len - b->off;
	size_t rep_left = b->reported - b->off;
	c.p = b->p + b->off;
	if (n > rep_left) {
		/* The length field claims more than the enclosing layer holds. */
		c.len = cap_left;
		c.reported = rep_left;
		b->off = b->len;
		b->err = BUF_MALFORMED;
		return c;
	}
	c.reported = n;
	c.len = n < cap_left ? n : cap_left;
	b->off += c.len;
	if (c.len < n) {
		/* Rest not captured: the parent is consumed entirely. */
		b->err = BUF_TRUNC;
		b->off = b->len;
	}
	return c;
}

struct tw_buf
buf_rest(struct tw_buf *b)
{
	if (b->err != BUF_OK)
		return buf_sub(b, 0);
	struct tw_buf c = buf_sub(b, b->reported - b->off);
	/* Consuming "the rest" of a truncated view is not an error of the parent. */
	if (b->err == BUF_TRUNC)
		b->err = BUF_OK;
	return c;
}

long
buf_find(const struct tw_buf *b, uint8_t c)
{
	if (b->err != BUF_OK)
		return -1;
	const uint8_t *s = b->p + b->off;
	const uint8_t *hit = memchr(s, c, b->len - b->off);
	return hit ? (long)(hit - s) : -1;
}

long
buf_find_mem(const struct tw_buf *b, const void *needle, size_t nlen)
{
	if (b->err != BUF_OK || nlen == 0 || nlen > b->len - b->off)
		return -1;
	const uint8_t *s = b->p + b->off;
	size_t last = b->len - b->off - nlen;
	const uint8_t first = *(const uint8_t *)needle;
	for (size_t i = 0; i <= last; i++) {
		const uint8_t *q = memchr(s + i, first, last - i + 1);
		if (!q)
			return -1;
		i = (size_t)(q - s);
		if (memcmp(q, needle, nlen) == 0)
			return (long)i;
	}
	return -1;
}
