/*
 * test_buf.c - the bounds-checked byte cursor (src/core/buf.h, buf.c).
 *
 * Contract under test (buf.h): a failed read returns 0/false/NULL, records
 * the first error and moves the position to the end; BUF_TRUNC means the
 * bytes were on the wire but not captured, BUF_MALFORMED that the request
 * exceeds even the wire length; buf_sub narrows to a length field's scope.
 */
#include "testutil.h"

#include "core/buf.h"

static const uint8_t seq16[16] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
	                           0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10 };

/* ---- every fixed-width reader at lengths 0, n-1, n, n+1 ---------------- */

enum rd { RD_U8, RD_BE16, RD_BE24, RD_BE32, RD_BE64, RD_LE16, RD_LE32 };
static const size_t rd_width[] = { 1, 2, 3, 4, 8, 2, 4 };
/* Expected values for the bytes 01 02 03 ... */
static const uint64_t rd_value[] = { 0x01, 0x0102, 0x010203, 0x01020304, UINT64_C(0x0102030405060708),
	                             0x0201, 0x04030201 };

static uint64_t
do_read(enum rd r, struct tw_buf *b)
{
	switch (r) {
	case RD_U8: return buf_u8(b);
	case RD_BE16: return buf_be16(b);
	case RD_BE24: return buf_be24(b);
	case RD_BE32: return buf_be32(b);
	case RD_BE64: return buf_be64(b);
	case RD_LE16: return buf_le16(b);
	case RD_LE32: return buf_le32(b);
	}
	return 0;
}

/* Readers succeed at n and n+1 bytes, fail at 0 and n-1 with value 0, pos at end. */
static void
test_readers_at_boundaries(void **state)
{
	(void)state;
	for (size_t r = 0; r < ARRAY_SIZE(rd_width); r++) {
		size_t w = rd_width[r];
		size_t lens[] = { 0, w - 1, w, w + 1 };
		for (size_t k = 0; k < ARRAY_SIZE(lens); k++) {
			size_t len = lens[k];
			struct tw_buf b = buf_init(seq16, len, len, 0);
			uint64_t v = do_read((enum rd)r, &b);
			if (len >= w) {
				assert_true(buf_ok(&b));
				assert_int_equal(v, rd_value[r]);
				assert_int_equal(b.off, w);
				assert_int_equal(buf_left(&b), len - w);
			} else {
				assert_false(buf_ok(&b));
				/* Request exceeds the wire length: malformed, not truncated. */
				assert_int_equal(b.err, BUF_MALFORMED);
				/* buf_be64 with 4..7 bytes: see test_be64_partial_failure_returns_zero. */
				if (!(r == RD_BE64 && len >= 4))
					assert_int_equal(v, 0);
				assert_int_equal(b.off, b.len);
			}
		}
	}
}

/* skip/copy/ptr at the same boundaries. */
static void
test_skip_copy_ptr_boundaries(void **state)
{
	(void)state;
	for (size_t n = 1; n <= 8; n++) {
		size_t lens[] = { 0, n - 1, n, n + 1 };
		for (size_t k = 0; k < ARRAY_SIZE(lens); k++) {
			size_t len = lens[k];
			bool fits = len >= n;

			struct tw_buf b = buf_init(seq16, len, len, 0);
			assert_int_equal(buf_skip(&b, n), fits);
			assert_int_equal(b.off, fits ? n : len);

			b = buf_init(seq16, len, len, 0);
			uint8_t dst[8];
			memset(dst, 0xee, sizeof dst);
			assert_int_equal(buf_copy(&b, dst, n), fits);
			for (size_t i = 0; i < n; i++)
				assert_int_equal(dst[i], fits ? seq16[i] : 0); /* zero-filled on failure */
			if (n < 8)
				assert_int_equal(dst[n], 0xee); /* nothing written past n */

			b = buf_init(seq16, len, len, 0);
			const uint8_t *q = buf_ptr(&b, n);
			if (fits)
				assert_ptr_equal(q, seq16);
			else
				assert_null(q);
			assert_int_equal(buf_ok(&b), fits);
		}
	}
	/* Zero-length requests always succeed, even on an empty view. */
	struct tw_buf e = buf_init(seq16, 0, 0, 0);
	assert_true(buf_skip(&e, 0));
	assert_non_null(buf_ptr(&e, 0));
	assert_true(buf_ok(&e));
}

/* ---- sticky error ------------------------------------------------------ */

static void
test_sticky_error(void **state)
{
	(void)state;
	struct tw_buf b = buf_init(seq16, 16, 16, 0);
	assert_int_equal(buf_be32(&b), 0x01020304);
	assert_false(buf_skip(&b, 13)); /* 12 left */
	assert_int_equal(b.err, BUF_MALFORMED);
	assert_int_equal(b.off, 16);
	/* Every later read fails, although 12 bytes were left before the failure. */
	assert_int_equal(buf_u8(&b), 0);
	assert_int_equal(buf_be16(&b), 0);
	assert_int_equal(buf_be24(&b), 0);
	assert_int_equal(buf_be32(&b), 0);
	assert_int_equal(buf_be64(&b), 0);
	assert_int_equal(buf_le16(&b), 0);
	assert_int_equal(buf_le32(&b), 0);
	assert_false(buf_skip(&b, 0));
	assert_null(buf_ptr(&b, 0));
	assert_false(buf_has(&b, 0));
	assert_int_equal(b.off, b.len);
	/* A failure must not rewrite the first error. */
	assert_int_equal(b.err, BUF_MALFORMED);

	/* Even if someone rewinds the position, the error keeps reads failing. */
	b.off = 0;
	assert_int_equal(buf_u8(&b), 0);
	assert_int_equal(b.off, b.len);
	assert_int_equal(buf_peek_u8(&b, 0), 0);
	assert_int_equal(buf_peek_be16(&b, 0), 0);
	assert_int_equal(buf_find(&b, 0x01), -1);
	assert_int_equal(buf_find_mem(&b, "\x01", 1), -1);

	/* First error wins: TRUNC stays TRUNC after a later malformed request. */
	struct tw_buf t = buf_init(seq16, 4, 8, 0);
	assert_false(buf_skip(&t, 6));
	assert_int_equal(t.err, BUF_TRUNC);
	assert_false(buf_skip(&t, 100));
	assert_int_equal(t.err, BUF_TRUNC);

	/* buf_set_malformed: also sticky, position to the end. */
	struct tw_buf m = buf_init(seq16, 16, 16, 0);
	buf_u8(&m);
	buf_set_malformed(&m);
	assert_int_equal(m.err, BUF_MALFORMED);
	assert_int_equal(m.off, 16);
	assert_int_equal(buf_u8(&m), 0);
}

/*
 * buf_be64 is two 32-bit reads: when only the second half is missing, the
 * read has failed and must return 0 like every other reader.
 */
static void
test_be64_partial_failure_returns_zero(void **state)
{
	(void)state;
	for (size_t len = 4; len < 8; len++) {
		struct tw_buf b = buf_init(seq16, len, len, 0);
		uint64_t v = buf_be64(&b);
		assert_false(buf_ok(&b));
		assert_int_equal(b.off, len);
		print_message("buf_be64 on %zu bytes returned 0x%016llx\n", len, (unsigned long long)v);
		assert_int_equal(v, 0);
	}
}

/* ---- TRUNC vs MALFORMED ------------------------------------------------ */

/* caplen 6, wirelen 10: past 6 but within 10 is TRUNC, past 10 is MALFORMED. */
static void
test_trunc_vs_malformed(void **state)
{
	(void)state;
	for (size_t n = 7; n <= 12; n++) {
		struct tw_buf b = buf_init(seq16, 6, 10, 0);
		assert_false(buf_skip(&b, n));
		assert_int_equal(b.err, n <= 10 ? BUF_TRUNC : BUF_MALFORMED);
	}
	/* The classification is relative to the position. */
	struct tw_buf b = buf_init(seq16, 6, 10, 0);
	assert_int_equal(buf_be32(&b), 0x01020304);
	assert_int_equal(buf_reported_left(&b), 6);
	assert_int_equal(buf_be32(&b), 0); /* bytes 4..8: 8 <= 10 */
	assert_int_equal(b.err, BUF_TRUNC);

	b = buf_init(seq16, 6, 10, 0);
	buf_be32(&b);
	assert_false(buf_skip(&b, 7)); /* 4 + 7 = 11 > 10 */
	assert_int_equal(b.err, BUF_MALFORMED);

	/* Readers classify the same way. */
	b = buf_init(seq16, 3, 4, 0);
	assert_int_equal(buf_be32(&b), 0);
	assert_int_equal(b.err, BUF_TRUNC);
	b = buf_init(seq16, 3, 3, 0);
	assert_int_equal(buf_be32(&b), 0);
	assert_int_equal(b.err, BUF_MALFORMED);

	/* A wire length below the captured length is raised to it. */
	b = buf_init(seq16, 8, 2, 0);
	assert_int_equal(b.reported, 8);
	assert_int_equal(buf_be64(&b), UINT64_C(0x0102030405060708));
	assert_true(buf_ok(&b));
}

/* ---- buf_sub ----------------------------------------------------------- */

static void
test_sub_narrowing(void **state)
{
	(void)state;
	struct tw_buf b = buf_init(seq16, 16, 16, 7);
	b.abs = 100; /* as if b were itself a sub-view */
	buf_skip(&b, 2);
	struct tw_buf c = buf_sub(&b, 5);
	assert_true(buf_ok(&b));
	assert_true(buf_ok(&c));
	assert_ptr_equal(c.p, seq16 + 2);
	assert_int_equal(c.len, 5);
	assert_int_equal(c.reported, 5);
	assert_int_equal(c.off, 0);
	assert_int_equal(c.abs, 102);
	assert_int_equal(c.src, 7);
	assert_int_equal(b.off, 7); /* parent advanced past the child */
	assert_int_equal(buf_pos_abs(&b), 107);
	/* The child cannot read past its scope even though the parent has more. */
	assert_int_equal(buf_be32(&c), 0x03040506);
	assert_int_equal(buf_be16(&c), 0);
	assert_int_equal(c.err, BUF_MALFORMED);
	assert_true(buf_ok(&b));
	assert_int_equal(buf_u8(&b), 0x08);

	/* Nested subs accumulate abs. */
	b = buf_init(seq16, 16, 16, 0);
	buf_skip(&b, 1);
	c = buf_sub(&b, 10);
	buf_skip(&c, 3);
	struct tw_buf d = buf_sub(&c, 4);
	assert_int_equal(d.abs, 4);
	assert_ptr_equal(d.p, seq16 + 4);

	/* Zero-length child. */
	b = buf_init(seq16, 16, 16, 0);
	c = buf_sub(&b, 0);
	assert_int_equal(c.len, 0);
	assert_int_equal(b.off, 0);
	assert_true(buf_ok(&b));
}

/* Child scope extends past the captured bytes but within the wire: parent TRUNC. */
static void
test_sub_truncated(void **state)
{
	(void)state;
	struct tw_buf b = buf_init(seq16, 8, 16, 0);
	buf_skip(&b, 2);
	struct tw_buf c = buf_sub(&b, 10);
	assert_int_equal(c.len, 6);      /* what is captured */
	assert_int_equal(c.reported, 10); /* what the length field says */
	assert_int_equal(b.err, BUF_TRUNC);
	assert_int_equal(b.off, b.len);
	/* Reading the child past its captured bytes is TRUNC, past its scope MALFORMED. */
	struct tw_buf c2 = c;
	assert_false(buf_skip(&c2, 8));
	assert_int_equal(c2.err, BUF_TRUNC);
	c2 = c;
	assert_false(buf_skip(&c2, 11));
	assert_int_equal(c2.err, BUF_MALFORMED);
}

/* A length field bigger than the enclosing layer: parent MALFORMED, child clipped. */
static void
test_sub_lying_length(void **state)
{
	(void)state;
	struct tw_buf b = buf_init(seq16, 12, 14, 3);
	buf_skip(&b, 4);
	struct tw_buf c = buf_sub(&b, 100);
	assert_int_equal(b.err, BUF_MALFORMED);
	assert_int_equal(b.off, b.len);
	assert_ptr_equal(c.p, seq16 + 4);
	assert_int_equal(c.len, 8);       /* clipped to what is captured */
	assert_int_equal(c.reported, 10); /* and to what the parent reports */
	assert_int_equal(c.abs, 4);
	assert_int_equal(c.src, 3);
	assert_true(c.len <= c.reported);
	/* The child's bytes are still readable. */
	assert_int_equal(buf_be32(&c), 0x05060708);
	/* Past the parent's report it is malformed, in between truncated. */
	struct tw_buf c2 = c;
	assert_false(buf_skip(&c2, 5));
	assert_int_equal(c2.err, BUF_TRUNC);
	assert_false(buf_skip(&c, 7));
	assert_int_equal(c.err, BUF_MALFORMED);

	/* A sub of a failed parent is empty and carries the error. */
	struct tw_buf d = buf_sub(&b, 1);
	assert_int_equal(d.len, 0);
	assert_int_equal(d.err, BUF_MALFORMED);
	assert_int_equal(buf_u8(&d), 0);
}

/* ---- buf_rest ---------------------------------------------------------- */

static void
test_rest(void **state)
{
	(void)state;
	struct tw_buf b = buf_init(seq16, 16, 16, 0);
	buf_skip(&b, 5);
	struct tw_buf r = buf_rest(&b);
	assert_true(buf_ok(&b));
	assert_int_equal(b.off, 16);
	assert_int_equal(r.len, 11);
	assert_int_equal(r.reported, 11);
	assert_int_equal(r.abs, 5);
	assert_int_equal(buf_u8(&r), 6);

	/* On a truncated view the rest is cut too, but the parent stays OK. */
	b = buf_init(seq16, 6, 16, 0);
	buf_skip(&b, 2);
	r = buf_rest(&b);
	assert_true(buf_ok(&b));
	assert_int_equal(b.off, 6);
	assert_int_equal(r.len, 4);
	assert_int_equal(r.reported, 14);
	assert_false(buf_skip(&r, 5));
	assert_int_equal(r.err, BUF_TRUNC);

	/* Rest of a fully consumed view is empty. */
	b = buf_init(seq16, 4, 4, 0);
	buf_skip(&b, 4);
	r = buf_rest(&b);
	assert_int_equal(r.len, 0);
	assert_int_equal(r.reported, 0);
	assert_true(buf_ok(&b));

	/* Rest of a failed view is empty and failed. */
	b = buf_init(seq16, 4, 4, 0);
	buf_skip(&b, 5);
	r = buf_rest(&b);
	assert_int_equal(r.len, 0);
	assert_false(buf_ok(&r));
}

/* ---- buf_find / buf_find_mem ------------------------------------------- */

static void
test_find(void **state)
{
	(void)state;
	const uint8_t s[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
	struct tw_buf b = buf_init(s, sizeof s - 1, sizeof s - 1, 0);
	assert_int_equal(buf_find(&b, 'G'), 0);
	assert_int_equal(buf_find(&b, '\r'), 14);
	assert_int_equal(buf_find(&b, 'z'), -1);
	buf_skip(&b, 15);
	assert_int_equal(buf_find(&b, '\n'), 0); /* relative to the position */
	assert_int_equal(buf_find_mem(&b, "\r\n\r\n", 4), 8);
	assert_int_equal(buf_find_mem(&b, "\r\n", 2), 8);
	assert_int_equal(buf_find_mem(&b, "x\r", 2), 7);
	assert_int_equal(buf_find_mem(&b, "Host", 4), 1);
	assert_int_equal(buf_find_mem(&b, "Hosts", 5), -1);
	assert_int_equal(buf_find_mem(&b, "", 0), -1);
	/* Needle at the very end, and one byte too long. */
	size_t left = buf_left(&b);
	assert_int_equal(buf_find_mem(&b, s + sizeof s - 1 - left, left), 0);
	assert_int_equal(buf_find_mem(&b, "\n\r\n", 3), (long)left - 3);
	assert_int_equal(buf_find_mem(&b, "\r\n\r\nX", 5), -1);

	/* Repeated prefixes: "aab" in "aaab" at 1, "ab" in "aaab" at 2. */
	const uint8_t a[] = "aaab";
	struct tw_buf ab = buf_init(a, 4, 4, 0);
	assert_int_equal(buf_find_mem(&ab, "aab", 3), 1);
	assert_int_equal(buf_find_mem(&ab, "ab", 2), 2);
	assert_int_equal(buf_find_mem(&ab, "aaab", 4), 0);
	assert_int_equal(buf_find_mem(&ab, "aaaab", 5), -1);

	/* Only captured bytes are searched. */
	struct tw_buf t = buf_init(s, 4, sizeof s - 1, 0);
	assert_int_equal(buf_find(&t, '/'), -1);
	assert_int_equal(buf_find_mem(&t, "GET ", 4), 0);
	assert_int_equal(buf_find_mem(&t, "GET /", 5), -1);

	/* Empty view. */
	struct tw_buf e = buf_init(s, 0, 0, 0);
	assert_int_equal(buf_find(&e, 'G'), -1);
	assert_int_equal(buf_find_mem(&e, "G", 1), -1);
}

/* ---- huge requests never overflow -------------------------------------- */

static void
test_huge_sizes(void **state)
{
	(void)state;
	size_t huge[] = { SIZE_MAX, SIZE_MAX - 1, SIZE_MAX - 15, SIZE_MAX / 2 + 1 };
	for (size_t k = 0; k < ARRAY_SIZE(huge); k++) {
		size_t n = huge[k];
		struct tw_buf b = buf_init(seq16, 16, 16, 0);
		buf_skip(&b, 3);
		assert_false(buf_has(&b, n));
		assert_true(buf_ok(&b)); /* buf_has does not record an error */
		assert_false(buf_need(&b, n));
		assert_int_equal(b.err, BUF_MALFORMED);
		assert_int_equal(b.off, 16);

		b = buf_init(seq16, 16, 16, 0);
		buf_skip(&b, 3);
		assert_false(buf_skip(&b, n));
		assert_int_equal(b.off, 16);

		b = buf_init(seq16, 16, 16, 0);
		assert_null(buf_ptr(&b, n));

		b = buf_init(seq16, 16, 16, 0);
		buf_skip(&b, 3);
		struct tw_buf c = buf_sub(&b, n);
		assert_int_equal(b.err, BUF_MALFORMED);
		assert_int_equal(c.len, 13);
		assert_int_equal(c.reported, 13);
		assert_false(buf_skip(&c, n));

		b = buf_init(seq16, 16, 16, 0);
		buf_skip(&b, 3);
		assert_int_equal(buf_peek_u8(&b, n), 0);
		assert_int_equal(buf_peek_be16(&b, n), 0);
		assert_int_equal(buf_peek_be16(&b, n - 1), 0);
		assert_int_equal(buf_find_mem(&b, seq16, n), -1);
		assert_true(buf_ok(&b));
		assert_int_equal(b.off, 3);
	}
	/* A huge wire length: a request within it is TRUNC, no wrap-around. */
	struct tw_buf w = buf_init(seq16, 16, SIZE_MAX, 0);
	buf_skip(&w, 10);
	assert_false(buf_skip(&w, SIZE_MAX - 10));
	assert_int_equal(w.err, BUF_TRUNC);
	w = buf_init(seq16, 16, SIZE_MAX, 0);
	buf_skip(&w, 10);
	assert_false(buf_skip(&w, SIZE_MAX));
	assert_int_equal(w.err, BUF_MALFORMED);
}

/* ---- peek ------------------------------------------------------------- */

static void
test_peek(void **state)
{
	(void)state;
	struct tw_buf b = buf_init(seq16, 5, 16, 0);
	buf_skip(&b, 1); /* 4 captured bytes left: 02 03 04 05 */
	assert_int_equal(buf_peek_u8(&b, 0), 0x02);
	assert_int_equal(buf_peek_u8(&b, 3), 0x05);
	assert_int_equal(buf_peek_u8(&b, 4), 0); /* past captured data */
	assert_int_equal(buf_peek_be16(&b, 0), 0x0203);
	assert_int_equal(buf_peek_be16(&b, 2), 0x0405);
	assert_int_equal(buf_peek_be16(&b, 3), 0);
	/* Peeking never moves the position nor records an error. */
	assert_int_equal(b.off, 1);
	assert_true(buf_ok(&b));

	struct tw_buf one = buf_init(seq16, 1, 1, 0);
	assert_int_equal(buf_peek_be16(&one, 0), 0);
	assert_int_equal(buf_peek_u8(&one, 0), 0x01);
	struct tw_buf none = buf_init(seq16, 0, 0, 0);
	assert_int_equal(buf_peek_u8(&none, 0), 0);
	assert_int_equal(buf_peek_be16(&none, 0), 0);
	assert_true(buf_ok(&none));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_readers_at_boundaries),
		cmocka_unit_test(test_skip_copy_ptr_boundaries),
		cmocka_unit_test(test_sticky_error),
		cmocka_unit_test(test_be64_partial_failure_returns_zero),
		cmocka_unit_test(test_trunc_vs_malformed),
		cmocka_unit_test(test_sub_narrowing),
		cmocka_unit_test(test_sub_truncated),
		cmocka_unit_test(test_sub_lying_length),
		cmocka_unit_test(test_rest),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_huge_sizes),
		cmocka_unit_test(test_peek),
	};
	return cmocka_run_group_tests_name("buf", tests, NULL, NULL);
}
