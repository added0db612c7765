/* str.c - string builder and display sanitizer (see str.h). */
#include "core/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
sb_fixed(struct tw_sb *sb, char *buf, size_t cap)
{
	sb->s = buf;
	sb->cap = cap;
	sb->len = 0;
	sb->heap = false;
	sb->trunc = false;
	if (cap)
		buf[0] = '\0';
}

void
sb_heap(struct tw_sb *sb)
{
	sb->cap = 64;
	sb->s = xmalloc(sb->cap);
	sb->s[0] = '\0';
	sb->len = 0;
	sb->heap = true;
	sb->trunc = false;
}

void
sb_free(struct tw_sb *sb)
{
	if (sb->heap)
		free(sb->s);
	sb->s = NULL;
	sb->len = sb->cap = 0;
}

void
sb_reset(struct tw_sb *sb)
{
	sb->len = 0;
	sb->trunc = false;
	if (sb->cap)
		sb->s[0] = '\0';
}

void
sb_truncate(struct tw_sb *sb, size_t len)
{
	if (len < sb->len) {
		sb->len = len;
		sb->s[len] = '\0';
	}
}

/* Make room for n more bytes; returns how many fit. */
static size_t
sb_room(struct tw_sb *sb, size_t n)
{
	if (sb->cap == 0 || (!sb->heap && sb->trunc))
		return 0; /* once cut, a fixed buffer stays a prefix of what was added */
	size_t avail = sb->cap - 1 - sb->len;
	if (n <= avail)
		return n;
	if (!sb->heap) {
		sb->trunc = true;
		return avail;
	}
	size_t want = sb->len + n + 1;
	size_t cap = sb->cap;
	while (cap < want)
		cap = cap < SIZE_MAX / 2 ? cap * 2 : want;
	sb->s = xrealloc(sb->s, cap);
	sb->cap = cap;
	return n;
}

void
sb_addn_slow(struct tw_sb *sb, const char *s, size_t n)
{
	size_t k = sb_room(sb, n);
	/* Never cut a UTF-8 sequence in half when a fixed buffer runs out. */
	while (k && k < n && ((uint8_t)s[k] & 0xc0) == 0x80)
		k--;
	if (k) {
		memcpy(sb->s + sb->len, s, k);
		sb->len += k;
		sb->s[sb->len] = '\0';
	}
}

void
sb_addu(struct tw_sb *sb, uint64_t v)
{
	if (!sb->heap && sb->len + 1 >= sb->cap) {
		sb->trunc = true; /* full (or muted): skip the digits */
		return;
	}
	/* Two digits per division. */
	static const char d2[] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	                         "4041424344454647484950515253545556575859606162636465666768697071727374757677787980"
	                         "81828384858687888990919293949596979899";
	char tmp[20];
	size_t i = sizeof tmp;
	while (v >= 100) {
		unsigned r = (unsigned)(v % 100);
		v /= 100;
		i -= 2;
		memcpy(tmp + i, d2 + 2 * r, 2);
	}
	if (v >= 10) {
		i -= 2;
		memcpy(tmp + i, d2 + 2 * v, 2);
	} else {
		tmp[--i] = (char)('0' + v);
	}
	sb_addn(sb, tmp + i, sizeof tmp - i);
}

void
sb_vaddf(struct tw_sb *sb, const char *fmt, va_list ap)
{
	if (!sb->heap && sb->len + 1 >= sb->cap) {
		sb->trunc = true; /* full (or a muted 1-byte buffer): skip the formatting */
		return;
	}
	va_list ap2;
	va_copy(ap2, ap);
	char tmp[256];
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	if ((size_t)n < sizeof tmp) {
		sb_addn(sb, tmp, (size_t)n);
		return;
	}
	char *big = xmalloc((size_t)n + 1);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	sb_addn(sb, big, (size_t)n);
	free(big);
}

void
sb_addf(struct tw_sb *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(sb, fmt, ap);
	va_end(ap);
}

size_t
tw_utf8_seq(const uint8_t *s, size_t n, uint32_t *cp)
{
	if (n == 0)
		return 0;
	uint8_t c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	size_t len;
	uint32_t v, min;
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2, v = c & 0x1f, min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3, v = c & 0x0f, min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4, v = c & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return len;
}

/* Code points that must not reach a terminal raw even though valid UTF-8. */
static bool
cp_dangerous(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9f)        /* C1 controls (CSI = U+009B) */
	    || cp == 0x061c                      /* arabic letter mark */
	    || (cp >= 0x200b && cp <= 0x200f)    /* zero width, LRM/RLM */
	    || (cp >= 0x2028 && cp <= 0x202e)    /* line/para separators, bidi embeddings/overrides */
	    || (cp >= 0x2060 && cp <= 0x2069)    /* word joiner, bidi isolates */
	    || cp == 0xfeff                      /* BOM / ZWNBSP */
	    || (cp >= 0xfff9 && cp <= 0xfffb);   /* interlinear annotation */
}

void
sb_add_escaped(struct tw_sb *sb, const void *src, size_t n)
{
	const uint8_t *s = src;
	size_t i = 0;
	while (i < n) {
		/* Copy the longest run of plain printable ASCII at once. */
		size_t j = i;
		while (j < n && s[j] >= 0x20 && s[j] < 0x7f && s[j] != '\\')
			j++;
		if (j > i) {
			sb_addn(sb, (const char *)s + i, j - i);
			i = j;
			continue;
		}
		uint8_t c = s[i];
		if (c == '\\') {
			sb_addn(sb, "\\\\", 2);
			i++;
		} else if (c == '\n') {
			sb_addn(sb, "\\n", 2);
			i++;
		} else if (c == '\r') {
			sb_addn(sb, "\\r", 2);
			i++;
		} else if (c == '\t') {
			sb_addn(sb, "\\t", 2);
			i++;
		} else if (c < 0x80) {
			sb_addf(sb, "\\x%02x", c);
			i++;
		} else {
			uint32_t cp;
			size_t k = tw_utf8_seq(s + i, n - i, &cp);
			if (k == 0) {
				sb_addf(sb, "\\x%02x", c);
				i++;
			} else if (cp_dangerous(cp)) {
				sb_addf(sb, "\\u%04x", (unsigned)cp);
				i += k;
			} else {
				sb_addn(sb, (const char *)s + i, k);
				i += k;
			}
		}
	}
}

bool
tw_is_display_safe(const void *src, size_t n)
{
	const uint8_t *s = src;
	for (size_t i = 0; i < n;) {
		uint8_t c = s[i];
		if (c >= 0x20 && c < 0x7f && c != '\\') {
			i++;
			continue;
		}
		if (c < 0x80)
			return false;
		uint32_t cp;
		size_t k = tw_utf8_seq(s + i, n - i, &cp);
		if (k == 0 || cp_dangerous(cp))
			return false;
		i += k;
	}
	return true;
}

void
sb_add_hex(struct tw_sb *sb, const void *p, size_t n, char sep)
{
	static const char hx[] = "0123456789abcdef";
	const uint8_t *s = p;
	for (size_t i = 0; i < n; i++) {
		char t[3];
		size_t k = 0;
		if (sep && i)
			t[k++] = sep;
		t[k++] = hx[s[i] >> 4];
		t[k++] = hx[s[i] & 15];
		sb_addn(sb, t, k);
	}
}

void
sb_add_json_str(struct tw_sb *sb, const void *p, size_t n)
{
	/*
	 * Escape for display first (so JSON consumers that print the value
	 * cannot be steered either), then for JSON: only '"' needs quoting, as
	 * the display escape already removed controls and doubled backslashes.
	 */
	struct tw_sb t;
	sb_heap(&t);
	sb_add_escaped(&t, p, n);
	for (size_t i = 0; i < t.len; i++) {
		char c = t.s[i];
		if (c == '"')
			sb_addn(sb, "\\\"", 2);
		else if (c == '\\')
			sb_addn(sb, "\\\\", 2);
		else
			sb_addc(sb, c);
	}
	sb_free(&t);
}

size_t
tw_escape(char *dst, size_t cap, const void *src, size_t n)
{
	struct tw_sb sb;
	sb_fixed(&sb, dst, cap);
	sb_add_escaped(&sb, src, n);
	return sb.len;
}

char *
tw_escape_dup(const void *src, size_t n)
{
	struct tw_sb sb;
	sb_heap(&sb);
	sb_add_escaped(&sb, src, n);
	return sb.s;
}
