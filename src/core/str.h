/*
 * str.h - string building and the display sanitizer.
 *
 * Every string that comes from a capture or event file passes through
 * sb_add_escaped() (or tw_escape()) before it can reach a terminal or batch
 * output: C0/C1 controls, DEL, escape sequences, bidi overrides and invalid
 * UTF-8 come out as visible escapes (\x1b, \u202e, \xff); a backslash is
 * doubled so an escape can never be forged by the input.
 */
#ifndef TW_STR_H
#define TW_STR_H

#include "core/tw.h"

#include <stdarg.h>
#include <string.h>

struct tw_sb {
	char *s;       /* always NUL-terminated */
	size_t len;
	size_t cap;    /* bytes in s, including room for the NUL */
	bool heap;     /* grows with xrealloc; else fixed and truncating */
	bool trunc;    /* a fixed buffer ran out */
};

/* Fixed buffer (truncates, never overflows). cap must be >= 1. */
void sb_fixed(struct tw_sb *sb, char *buf, size_t cap);
/* Growable heap buffer; free with sb_free or take ownership of sb->s. */
void sb_heap(struct tw_sb *sb);
void sb_free(struct tw_sb *sb);
void sb_reset(struct tw_sb *sb);
void sb_truncate(struct tw_sb *sb, size_t len);

/* The general case of sb_addn/sb_addc (growing, truncating). */
void sb_addn_slow(struct tw_sb *sb, const char *s, size_t n);

/* Inline: the common case (the bytes fit) is a copy; hot in every printer. */
static inline void
sb_addn(struct tw_sb *sb, const char *s, size_t n)
{
	if (n && n < sb->cap - sb->len && (sb->heap || !sb->trunc)) {
		memcpy(sb->s + sb->len, s, n);
		sb->len += n;
		sb->s[sb->len] = '\0';
		return;
	}
	sb_addn_slow(sb, s, n);
}

static inline void
sb_addc(struct tw_sb *sb, char c)
{
	if (sb->len + 1 < sb->cap && (sb->heap || !sb->trunc)) {
		sb->s[sb->len++] = c;
		sb->s[sb->len] = '\0';
		return;
	}
	sb_addn_slow(sb, &c, 1);
}
/* Inline so that the length of a literal is known when compiling. */
static inline void
sb_adds(struct tw_sb *sb, const char *s)
{
	if (!sb->heap && sb->len + 1 >= sb->cap) {
		if (*s)
			sb->trunc = true; /* full (or muted): skip the strlen */
		return;
	}
	sb_addn(sb, s, strlen(s));
}
void sb_addf(struct tw_sb *sb, const char *fmt, ...) TW_PRINTF(2, 3);
void sb_vaddf(struct tw_sb *sb, const char *fmt, va_list ap);
/* Unsigned decimal, without printf (hot paths). */
void sb_addu(struct tw_sb *sb, uint64_t v);
/* Untrusted bytes, escaped for display (see above). */
void sb_add_escaped(struct tw_sb *sb, const void *p, size_t n);
/* Bytes as lowercase hex, optional separator between bytes (0 for none). */
void sb_add_hex(struct tw_sb *sb, const void *p, size_t n, char sep);
/* Bytes as a JSON string body (escaped for JSON *and* display). */
void sb_add_json_str(struct tw_sb *sb, const void *p, size_t n);

/* Escape into dst (always NUL-terminated); returns strlen of the result. */
size_t tw_escape(char *dst, size_t cap, const void *src, size_t n);
/* Escaped heap copy. */
char *tw_escape_dup(const void *src, size_t n);
/* True when the bytes would pass through tw_escape unchanged. */
bool tw_is_display_safe(const void *src, size_t n);

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if invalid. */
size_t tw_utf8_seq(const uint8_t *s, size_t n, uint32_t *cp);

#endif
