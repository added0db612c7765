/*
 * test_str.c - string builder and display sanitizer (src/core/str.h, str.c).
 *
 * Expected escapes follow str.h: C0 controls and DEL as \xNN (\n \r \t as
 * such), backslash doubled, C1 controls and bidi/invisible formatting code
 * points as \uNNNN, invalid UTF-8 (RFC 3629: overlongs, surrogates,
 * > U+10FFFF, truncated sequences) as \xNN per byte, valid UTF-8 untouched.
 */
#include "testutil.h"

#include "core/str.h"

#include <jansson.h>

/* ---- fixed buffers ----------------------------------------------------- */

/* Truncation never writes past cap and always leaves a NUL. */
static void
test_fixed_truncates_without_overflow(void **state)
{
	(void)state;
	char mem[32];
	for (size_t cap = 1; cap <= 16; cap++) {
		memset(mem, 'Z', sizeof mem);
		struct tw_sb sb;
		sb_fixed(&sb, mem, cap);
		sb_adds(&sb, "hello world, this is long");
		sb_addf(&sb, "%d-%s", 12345, "tail");
		sb_addc(&sb, '!');
		sb_addu(&sb, 987654321);
		assert_int_equal(sb.len, cap - 1);
		assert_int_equal(strlen(mem), cap - 1);
		assert_memory_equal(mem, "hello world, this is long", cap - 1);
		assert_true(sb.trunc);
		for (size_t i = cap; i < sizeof mem; i++)
			assert_int_equal(mem[i], 'Z');
	}
	/* Exactly fitting is not truncation. */
	char ok[6];
	struct tw_sb sb;
	sb_fixed(&sb, ok, sizeof ok);
	sb_adds(&sb, "hello");
	assert_false(sb.trunc);
	assert_string_equal(ok, "hello");
	sb_adds(&sb, "");
	assert_false(sb.trunc);
	sb_addc(&sb, 'x');
	assert_true(sb.trunc);
	assert_string_equal(ok, "hello");
}

/* A fixed buffer that runs out never keeps half a UTF-8 sequence. */
static void
test_fixed_never_splits_utf8(void **state)
{
	(void)state;
	char mem[16];
	struct tw_sb sb;
	/* "h" + U+00E9 (2 bytes) into room for 2 bytes: only "h" fits whole. */
	sb_fixed(&sb, mem, 3);
	sb_adds(&sb, "h\xc3\xa9");
	assert_string_equal(mem, "h");
	assert_true(sb.trunc);
	/* U+1F600 (4 bytes) into room for 1, 2, 3 bytes: nothing. */
	for (size_t cap = 2; cap <= 4; cap++) {
		sb_fixed(&sb, mem, cap);
		sb_adds(&sb, "\xf0\x9f\x98\x80");
		assert_int_equal(sb.len, 0);
		assert_string_equal(mem, "");
	}
	sb_fixed(&sb, mem, 5);
	sb_adds(&sb, "\xf0\x9f\x98\x80");
	assert_string_equal(mem, "\xf0\x9f\x98\x80");
	/* Same through the formatted path. */
	sb_fixed(&sb, mem, 6);
	sb_addf(&sb, "ab%s", "\xe6\x97\xa5\xe6\x9c\xac"); /* two 3-byte characters */
	assert_string_equal(mem, "ab\xe6\x97\xa5");
	/* And through the escaper: U+00E9 is passed through whole or not at all. */
	for (size_t cap = 1; cap <= 8; cap++) {
		char out[16];
		memset(out, 'Z', sizeof out);
		size_t n = tw_escape(out, cap, "ab\xc3\xa9\xc3\xa9", 6);
		assert_int_equal(n, strlen(out));
		assert_true(n < cap);
		/* Count continuation bytes: each must follow its lead byte. */
		for (size_t i = 0; i < n; i++)
			if (((uint8_t)out[i] & 0xc0) == 0x80)
				assert_int_equal((uint8_t)out[i - 1], 0xc3);
		if (n && (uint8_t)out[n - 1] == 0xc3)
			fail_msg("cap %zu: output ends with a lead byte", cap);
		assert_int_equal(out[cap], 'Z');
	}
}

/*
 * Truncation must cut the end off: the result is a prefix of what an
 * unlimited buffer would hold. A buffer that dropped a character and then
 * accepted later, shorter text would show text that never was ("a日b" as "ab").
 */
static void
test_fixed_truncation_is_prefix(void **state)
{
	(void)state;
	char mem[8];
	struct tw_sb sb;
	sb_fixed(&sb, mem, 4);
	sb_adds(&sb, "a");
	sb_adds(&sb, "\xe6\x97\xa5"); /* needs 3, 2 left: dropped */
	sb_adds(&sb, "b");
	assert_true(sb.trunc);
	assert_string_equal(mem, "a");

	/* The escaper keeps the prefix property for every capacity. */
	const char in[] = "x\xe6\x97\xa5y\x1bz\xc3\xa9w";
	char *full = tw_escape_dup(in, sizeof in - 1);
	for (size_t cap = 1; cap <= strlen(full) + 1; cap++) {
		char out[64];
		tw_escape(out, cap, in, sizeof in - 1);
		if (strncmp(full, out, strlen(out)) != 0)
			fail_msg("cap %zu: \"%s\" is not a prefix of \"%s\"", cap, out, full);
	}
	free(full);
}

/* sb_addf on a full or muted (cap 1) buffer adds nothing and marks trunc. */
static void
test_fixed_full_and_muted(void **state)
{
	(void)state;
	char one[1] = { 'Q' };
	struct tw_sb sb;
	sb_fixed(&sb, one, 1);
	assert_int_equal(one[0], '\0');
	sb_addf(&sb, "%s", "x");
	sb_adds(&sb, "x");
	sb_add_escaped(&sb, "\x1b", 1);
	assert_int_equal(sb.len, 0);
	assert_int_equal(one[0], '\0');
	assert_true(sb.trunc);
	sb_reset(&sb);
	assert_false(sb.trunc);
}

/* ---- heap buffers ------------------------------------------------------ */

static void
test_heap_growth(void **state)
{
	(void)state;
	struct tw_sb sb;
	sb_heap(&sb);
	for (int i = 0; i < 20000; i++)
		sb_addc(&sb, (char)('a' + i % 26));
	assert_int_equal(sb.len, 20000);
	assert_false(sb.trunc);
	assert_int_equal(sb.s[20000], '\0');
	for (int i = 0; i < 20000; i++)
		assert_int_equal(sb.s[i], 'a' + i % 26);
	/* Formatted output longer than the internal 256-byte scratch buffer. */
	sb_reset(&sb);
	sb_addf(&sb, "<%0600d>", 7);
	assert_int_equal(sb.len, 602);
	assert_int_equal(sb.s[0], '<');
	assert_int_equal(sb.s[599], '0');
	assert_int_equal(sb.s[600], '7');
	assert_int_equal(sb.s[601], '>');
	/* One big append. */
	char big[100000];
	memset(big, 'q', sizeof big);
	sb_addn(&sb, big, sizeof big);
	assert_int_equal(sb.len, 602 + sizeof big);
	assert_true(sb.cap > sb.len);
	assert_int_equal(strlen(sb.s), sb.len);
	sb_truncate(&sb, 3);
	assert_string_equal(sb.s, "<00");
	sb_truncate(&sb, 10); /* longer than len: no-op */
	assert_string_equal(sb.s, "<00");
	sb_free(&sb);
	assert_null(sb.s);
}

static void
test_addu_and_hex(void **state)
{
	(void)state;
	struct tw_sb sb;
	sb_heap(&sb);
	sb_addu(&sb, 0);
	sb_addc(&sb, ' ');
	sb_addu(&sb, 9);
	sb_addc(&sb, ' ');
	sb_addu(&sb, 10);
	sb_addc(&sb, ' ');
	sb_addu(&sb, UINT64_MAX);
	assert_string_equal(sb.s, "0 9 10 18446744073709551615");
	sb_reset(&sb);
	const uint8_t mac[] = { 0x00, 0x1a, 0x2b, 0xfe, 0xff };
	sb_add_hex(&sb, mac, sizeof mac, ':');
	assert_string_equal(sb.s, "00:1a:2b:fe:ff");
	sb_reset(&sb);
	sb_add_hex(&sb, mac, sizeof mac, 0);
	assert_string_equal(sb.s, "001a2bfeff");
	sb_reset(&sb);
	sb_add_hex(&sb, mac, 0, ':');
	assert_string_equal(sb.s, "");
	sb_free(&sb);
}

/* ---- the sanitizer: table of cases ------------------------------------- */

struct esc_case {
	const char *in;
	size_t n;
	const char *out;
};
#define EC(i, o) { i, sizeof(i) - 1, o }

static void
check_escape(const char *in, size_t n, const char *want)
{
	char *got = tw_escape_dup(in, n);
	if (strcmp(got, want) != 0)
		fail_msg("escape: got \"%s\", want \"%s\"", got, want);
	/* The fixed-buffer entry point agrees. */
	char buf[512];
	size_t k = tw_escape(buf, sizeof buf, in, n);
	assert_int_equal(k, strlen(want));
	assert_string_equal(buf, want);
	/* Display-safe exactly when escaping changes nothing. */
	bool same = strlen(want) == n && memcmp(want, in, n) == 0;
	if (tw_is_display_safe(in, n) != same)
		fail_msg("tw_is_display_safe(\"%s\") = %d although escaping %s the text", want, !same,
		         same ? "keeps" : "changes");
	free(got);
}

static const struct esc_case esc_cases[] = {
	EC("plain ascii ~!@#$%^&*()", "plain ascii ~!@#$%^&*()"),
	EC("", ""),
	/* C0 and DEL */
	EC("\x1b[2J", "\\x1b[2J"),
	EC("a\nb\rc\td", "a\\nb\\rc\\td"),
	EC("\x7f", "\\x7f"),
	EC("a\0b", "a\\x00b"),
	EC("\x07\x08\x0b\x0c", "\\x07\\x08\\x0b\\x0c"),
	/* backslash: doubled, so an input "\x1b" cannot pass for an escape */
	EC("\\", "\\\\"),
	EC("\\x1b", "\\\\x1b"),
	EC("\\\\", "\\\\\\\\"),
	/* valid UTF-8 passes */
	EC("caf\xc3\xa9", "caf\xc3\xa9"),
	EC("\xe6\x97\xa5\xe6\x9c\xac", "\xe6\x97\xa5\xe6\x9c\xac"),
	EC("\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80"),
	EC("\xc2\xa0", "\xc2\xa0"),             /* U+00A0, first after C1 */
	EC("\xef\xbf\xbd", "\xef\xbf\xbd"),     /* U+FFFD */
	EC("\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf"), /* U+10FFFF, the last code point */
	EC("\xed\x9f\xbf", "\xed\x9f\xbf"),     /* U+D7FF, just below the surrogates */
	EC("\xee\x80\x80", "\xee\x80\x80"),     /* U+E000, just above */
	/* C1 controls encoded in UTF-8 */
	EC("\xc2\x9b" "31m", "\\u009b31m"),       /* CSI */
	EC("\xc2\x80", "\\u0080"),
	EC("\xc2\x9f", "\\u009f"),
	EC("\xc2\x9d" "52;c;x\xc2\x9c", "\\u009d52;c;x\\u009c"), /* OSC ... ST */
	/* bidi overrides, embeddings, isolates, marks */
	EC("\xe2\x80\xae", "\\u202e"),
	EC("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad", "\\u202a\\u202b\\u202c\\u202d"),
	EC("\xe2\x81\xa6", "\\u2066"),
	EC("\xe2\x81\xa7", "\\u2067"),
	EC("\xe2\x81\xa8", "\\u2068"),
	EC("\xe2\x81\xa9", "\\u2069"),
	EC("\xe2\x80\x8e\xe2\x80\x8f", "\\u200e\\u200f"),
	EC("abc\xe2\x80\xae" "fdp.exe", "abc\\u202efdp.exe"),
	/* invalid UTF-8, one \xNN per byte */
	EC("\x80", "\\x80"),
	EC("\xbf", "\\xbf"),
	EC("a\x80\x80z", "a\\x80\\x80z"),
	EC("\xc0\x80", "\\xc0\\x80"),           /* overlong NUL */
	EC("\xc1\xbf", "\\xc1\\xbf"),           /* overlong U+007F */
	EC("\xe0\x80\x80", "\\xe0\\x80\\x80"),   /* overlong 3-byte */
	EC("\xe0\x9f\xbf", "\\xe0\\x9f\\xbf"),   /* overlong U+07FF */
	EC("\xf0\x8f\xbf\xbf", "\\xf0\\x8f\\xbf\\xbf"), /* overlong U+FFFF */
	EC("\xed\xa0\x80", "\\xed\\xa0\\x80"),   /* surrogate U+D800 */
	EC("\xed\xbf\xbf", "\\xed\\xbf\\xbf"),   /* surrogate U+DFFF */
	EC("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80"), /* U+110000 */
	EC("\xf5\x80\x80\x80", "\\xf5\\x80\\x80\\x80"),
	EC("\xfe\xff", "\\xfe\\xff"),
	EC("a\xe2\x82", "a\\xe2\\x82"),          /* truncated at end of input */
	EC("\xf0\x9f\x98", "\\xf0\\x9f\\x98"),
	EC("\xc3", "\\xc3"),
	EC("\xe2\x82" "a", "\\xe2\\x82a"),       /* truncated, then ASCII */
	EC("\xc3\xc3\xa9", "\\xc3\xc3\xa9"),      /* bad lead, then a valid sequence */
	/* OSC 52 clipboard write: neither ESC nor BEL survives */
	EC("\x1b]52;c;aGVsbG8=\x07", "\\x1b]52;c;aGVsbG8=\\x07"),
	EC("\x1b]0;title\x1b\\", "\\x1b]0;title\\x1b\\\\"),
};

static void
test_escape_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(esc_cases); i++)
		check_escape(esc_cases[i].in, esc_cases[i].n, esc_cases[i].out);
}

/* Every C0 control and every C1 control, one by one. */
static void
test_escape_every_control(void **state)
{
	(void)state;
	for (unsigned c = 0; c < 0x20; c++) {
		char in[1] = { (char)c };
		char want[8];
		if (c == '\n')
			strcpy(want, "\\n");
		else if (c == '\r')
			strcpy(want, "\\r");
		else if (c == '\t')
			strcpy(want, "\\t");
		else
			snprintf(want, sizeof want, "\\x%02x", c);
		check_escape(in, 1, want);
	}
	for (unsigned cp = 0x80; cp <= 0x9f; cp++) {
		char in[2] = { (char)(0xc0 | (cp >> 6)), (char)(0x80 | (cp & 0x3f)) };
		char want[8];
		snprintf(want, sizeof want, "\\u%04x", cp);
		check_escape(in, 2, want);
	}
	/* Printable ASCII other than backslash passes unchanged. */
	for (unsigned c = 0x20; c < 0x7f; c++) {
		char in[2] = { (char)c, 0 };
		if (c == '\\')
			continue;
		check_escape(in, 1, in);
	}
}

/* tw_escape into small buffers: no raw ESC/BEL for any capacity, no overflow. */
static void
test_escape_small_buffers(void **state)
{
	(void)state;
	const char osc[] = "\x1b]52;c;aGVsbG8=\x07";
	for (size_t cap = 1; cap < 40; cap++) {
		char out[48];
		memset(out, 'Z', sizeof out);
		size_t n = tw_escape(out, cap, osc, sizeof osc - 1);
		assert_int_equal(n, strlen(out));
		assert_true(n < cap);
		assert_null(memchr(out, 0x1b, n));
		assert_null(memchr(out, 0x07, n));
		assert_int_equal(out[cap], 'Z');
	}
}

/* tw_utf8_seq itself, against RFC 3629's table. */
static void
test_utf8_seq(void **state)
{
	(void)state;
	uint32_t cp = 0;
	assert_int_equal(tw_utf8_seq((const uint8_t *)"A", 1, &cp), 1);
	assert_int_equal(cp, 'A');
	assert_int_equal(tw_utf8_seq((const uint8_t *)"\xc2\x80", 2, &cp), 2);
	assert_int_equal(cp, 0x80);
	assert_int_equal(tw_utf8_seq((const uint8_t *)"\xe0\xa0\x80", 3, &cp), 3);
	assert_int_equal(cp, 0x800);
	assert_int_equal(tw_utf8_seq((const uint8_t *)"\xf0\x90\x80\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x10000);
	assert_int_equal(tw_utf8_seq((const uint8_t *)"\xf4\x8f\xbf\xbf", 4, &cp), 4);
	assert_int_equal(cp, 0x10ffff);
	/* Short input: the sequence is not complete within n. */
	assert_int_equal(tw_utf8_seq((const uint8_t *)"\xe2\x82\xac", 2, &cp), 0);
	assert_int_equal(tw_utf8_seq((const uint8_t *)"x", 0, &cp), 0);
	assert_int_equal(tw_utf8_seq((const uint8_t *)"\xed\xa0\x80", 3, &cp), 0);
	assert_int_equal(tw_utf8_seq((const uint8_t *)"\xe2\x28\xa1", 3, &cp), 0);
}

/* ---- properties over pseudo-random input ------------------------------- */

static uint32_t rng = 0x12345678;
static uint32_t
next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

/* Independent strict UTF-8 decoder (RFC 3629); returns length or 0. */
static size_t
utf8_decode(const uint8_t *s, size_t n, uint32_t *cp)
{
	static const struct {
		uint8_t lo, hi;
	} second[256] = {
		[0xe0] = { 0xa0, 0xbf }, [0xed] = { 0x80, 0x9f }, [0xf0] = { 0x90, 0xbf }, [0xf4] = { 0x80, 0x8f },
	};
	uint8_t c = s[0];
	size_t len;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4;
	else
		return 0;
	if (n < len)
		return 0;
	uint8_t lo = second[c].hi ? second[c].lo : 0x80, hi = second[c].hi ? second[c].hi : 0xbf;
	if (s[1] < lo || s[1] > hi)
		return 0;
	uint32_t v = c & (len == 2 ? 0x1f : len == 3 ? 0x0f : 0x07);
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3f);
	}
	*cp = v;
	return len;
}

static bool
cp_must_escape(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) || (cp >= 0x200e && cp <= 0x200f) ||
	       (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Undo the escaping; returns false if the text is not a well-formed escape. */
static bool
unescape(const char *s, uint8_t *out, size_t *outlen)
{
	size_t k = 0;
	for (size_t i = 0; s[i];) {
		if (s[i] != '\\') {
			out[k++] = (uint8_t)s[i++];
			continue;
		}
		char e = s[i + 1];
		if (e == '\\' || e == 'n' || e == 'r' || e == 't') {
			out[k++] = e == '\\' ? '\\' : e == 'n' ? '\n' : e == 'r' ? '\r' : '\t';
			i += 2;
		} else if (e == 'x' && hexval(s[i + 2]) >= 0 && hexval(s[i + 3]) >= 0) {
			out[k++] = (uint8_t)(hexval(s[i + 2]) << 4 | hexval(s[i + 3]));
			i += 4;
		} else if (e == 'u') {
			uint32_t cp = 0;
			for (int j = 0; j < 4; j++) {
				int h = hexval(s[i + 2 + j]);
				if (h < 0)
					return false;
				cp = cp << 4 | (uint32_t)h;
			}
			if (cp < 0x800) {
				out[k++] = (uint8_t)(0xc0 | cp >> 6);
				out[k++] = (uint8_t)(0x80 | (cp & 0x3f));
			} else {
				out[k++] = (uint8_t)(0xe0 | cp >> 12);
				out[k++] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
				out[k++] = (uint8_t)(0x80 | (cp & 0x3f));
			}
			i += 6;
		} else {
			return false;
		}
	}
	*outlen = k;
	return true;
}

static size_t
random_input(uint8_t *p)
{
	static const char *const pieces[] = {
		"a", "Z", " ", "\\", "\x1b", "\n", "\x07", "\x7f", "\x00", "\xc3\xa9", "\xe6\x97\xa5",
		"\xf0\x9f\x98\x80", "\xc2\x9b", "\xe2\x80\xae", "\xe2\x81\xa6", "\xed\xa0\x80", "\xc0\x80",
		"\xf4\x90\x80\x80", "\x80", "\xff", "\xe2\x82", "\xf0\x9f", "\\x1b", "\\u202e",
	};
	size_t n = 0, count = next_rand() % 10;
	for (size_t i = 0; i < count; i++) {
		if (next_rand() % 4 == 0) {
			p[n++] = (uint8_t)next_rand(); /* any byte */
			continue;
		}
		const char *s = pieces[next_rand() % ARRAY_SIZE(pieces)];
		size_t l = s[0] ? strlen(s) : 1;
		memcpy(p + n, s, l);
		n += l;
	}
	return n;
}

/*
 * For any input: the escaped text is valid UTF-8 with no control, bidi or
 * C1 code point; it decodes back to exactly the input (no loss, no forgery);
 * tw_is_display_safe agrees with "escaping changes nothing".
 */
static void
test_escape_properties(void **state)
{
	(void)state;
	for (int iter = 0; iter < 50000; iter++) {
		uint8_t in[64];
		size_t n = random_input(in);
		char *out = tw_escape_dup(in, n);
		size_t olen = strlen(out);
		for (size_t i = 0; i < olen;) {
			uint32_t cp = 0;
			size_t k = utf8_decode((const uint8_t *)out + i, olen - i, &cp);
			if (k == 0)
				fail_msg("iteration %d: escaped output has invalid UTF-8 at %zu", iter, i);
			if (cp_must_escape(cp))
				fail_msg("iteration %d: escaped output contains U+%04X", iter, (unsigned)cp);
			i += k;
		}
		uint8_t back[512];
		size_t blen = 0;
		assert_true(unescape(out, back, &blen));
		assert_int_equal(blen, n);
		assert_memory_equal(back, in, n);
		bool same = olen == n && memcmp(out, in, n) == 0;
		assert_int_equal(tw_is_display_safe(in, n), same);
		free(out);
	}
}

/* ---- JSON strings ------------------------------------------------------ */

/* The JSON body parses (jansson) and decodes to the display-escaped text. */
static void
check_json(const char *in, size_t n)
{
	struct tw_sb sb;
	sb_heap(&sb);
	sb_addc(&sb, '"');
	sb_add_json_str(&sb, in, n);
	sb_addc(&sb, '"');
	for (size_t i = 0; i < sb.len; i++)
		assert_true((uint8_t)sb.s[i] >= 0x20 && sb.s[i] != 0x7f);
	json_error_t err;
	json_t *j = json_loadb(sb.s, sb.len, JSON_DECODE_ANY, &err);
	if (!j)
		fail_msg("invalid JSON %s: %s", sb.s, err.text);
	assert_true(json_is_string(j));
	char *disp = tw_escape_dup(in, n);
	assert_int_equal(json_string_length(j), strlen(disp));
	assert_string_equal(json_string_value(j), disp);
	free(disp);
	json_decref(j);
	sb_free(&sb);
}

static void
test_json_str(void **state)
{
	(void)state;
	struct tw_sb sb;
	sb_heap(&sb);
	sb_add_json_str(&sb, "a\"b\\c", 5);
	/* display: a"b\\c  ->  JSON: a\"b\\\\c */
	assert_string_equal(sb.s, "a\\\"b\\\\\\\\c");
	sb_reset(&sb);
	sb_add_json_str(&sb, "\x1b[0m\n", 5);
	assert_string_equal(sb.s, "\\\\x1b[0m\\\\n");
	sb_reset(&sb);
	sb_add_json_str(&sb, "caf\xc3\xa9", 5);
	assert_string_equal(sb.s, "caf\xc3\xa9");
	sb_free(&sb);

	check_json("a\"b\\c", 5);
	check_json("\x1b]52;c;aGVsbG8=\x07", 17);
	check_json("\xc2\x9b\xe2\x80\xae\xff\xc0\x80\0", 10);
	check_json("\"\"\\\\", 4);
	for (int iter = 0; iter < 5000; iter++) {
		uint8_t in[64];
		size_t n = random_input(in);
		check_json((const char *)in, n);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixed_truncates_without_overflow),
		cmocka_unit_test(test_fixed_never_splits_utf8),
		cmocka_unit_test(test_fixed_truncation_is_prefix),
		cmocka_unit_test(test_fixed_full_and_muted),
		cmocka_unit_test(test_heap_growth),
		cmocka_unit_test(test_addu_and_hex),
		cmocka_unit_test(test_escape_table),
		cmocka_unit_test(test_escape_every_control),
		cmocka_unit_test(test_escape_small_buffers),
		cmocka_unit_test(test_utf8_seq),
		cmocka_unit_test(test_escape_properties),
		cmocka_unit_test(test_json_str),
	};
	return cmocka_run_group_tests_name("str", tests, NULL, NULL);
}
