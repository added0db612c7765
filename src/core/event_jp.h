/*
 * event_jp.h - a small, fast JSON reader for event exports.
 *
 * Event exports reach millions of records; jansson builds a hash table and a
 * heap object per value and parses about 70 MB/s here, which is four times
 * too slow for the load target. This reader parses one JSON text (a line,
 * an array element, a `Record N` block) into a flat vector of nodes that
 * point into the text: nothing is copied or allocated per value, the vector
 * is reused from record to record, and strings are decoded only when a
 * caller asks for them.
 *
 * Strictly RFC 8259: no comments, no trailing commas, no raw control
 * characters in strings, no NaN. Nesting is limited (EJ_MAX_DEPTH) so a
 * hostile file cannot exhaust the stack. Errors carry the byte offset of
 * the problem; callers turn it into a line and column.
 */
#ifndef TW_EVENT_JP_H
#define TW_EVENT_JP_H

#include "core/str.h"
#include "core/tw.h"

#include <string.h>

enum ej_type { EJ_NULL, EJ_FALSE, EJ_TRUE, EJ_NUM, EJ_STR, EJ_ARR, EJ_OBJ };

#define EJ_NONE UINT32_MAX
#define EJ_MAX_DEPTH 128

/*
 * Objects store their members as key, value, key, value... right after the
 * object node; `end` is the index one past a node's whole subtree, so the
 * next sibling of node i is nodes[i].end.
 */
struct ej_node {
	uint32_t off;  /* strings: first byte after the quote; others: first byte */
	uint32_t len;  /* strings: raw bytes between the quotes; numbers: text length;
	                  arrays: elements; objects: members */
	uint32_t end;  /* index past the subtree */
	uint8_t type;  /* enum ej_type */
	uint8_t esc;   /* string contains backslash escapes */
};

struct ej_doc {
	const char *text;
	size_t n;
	struct ej_node *nodes;
	uint32_t nn, cap;
	/*
	 * Lookup hint: where the last ej_get in object hint_obj stopped. Loaders
	 * ask for members roughly in document order, so a lookup starts there
	 * and wraps around: in-order lookups cost one comparison each.
	 */
	uint32_t hint_obj, hint_key, hint_member;
};

struct ej_error {
	size_t off;     /* byte offset of the problem within the text */
	char msg[96];
};

void ej_init(struct ej_doc *d);
void ej_free(struct ej_doc *d);

/*
 * Parse one value at the start of text (leading whitespace allowed). With
 * `whole`, only whitespace may follow; otherwise *used (if given) receives
 * the offset just past the value and what follows is the caller's.
 * Texts are limited to 4 GiB - 1 (offsets are 32-bit).
 */
bool ej_parse(struct ej_doc *d, const char *text, size_t n, bool whole, size_t *used,
              struct ej_error *err);

static inline const struct ej_node *ej_at(const struct ej_doc *d, uint32_t i) { return &d->nodes[i]; }
static inline int ej_type(const struct ej_doc *d, uint32_t i) { return i == EJ_NONE ? -1 : d->nodes[i].type; }

/* Member value of object obj named key (klen bytes), or EJ_NONE. */
uint32_t ej_get_n(const struct ej_doc *d, uint32_t obj, const char *key, size_t klen);
/* The same for a NUL-terminated key (strlen folds away for literals). */
static inline uint32_t ej_get(const struct ej_doc *d, uint32_t obj, const char *key) { return ej_get_n(d, obj, key, strlen(key)); }
/* Follow a dot-separated path of member names ("System.Provider.#attributes.Name"). */
uint32_t ej_path(const struct ej_doc *d, uint32_t obj, const char *path);

/* Iteration: first child (element or key) and the next sibling. */
static inline uint32_t ej_first(const struct ej_doc *d, uint32_t i) { return d->nodes[i].len ? i + 1 : EJ_NONE; }
static inline uint32_t ej_next(const struct ej_doc *d, uint32_t i) { return d->nodes[i].end; }

/* True when string node i equals the ASCII text s. */
bool ej_str_eq(const struct ej_doc *d, uint32_t i, const char *s);

/*
 * Append the text of a scalar: decoded string (UTF-8; escapes resolved,
 * lone surrogates become U+FFFD), number text, "true"/"false"; nothing for
 * null. Returns false for arrays and objects.
 */
bool ej_text(const struct ej_doc *d, uint32_t i, struct tw_sb *out);
/* Raw pointer and length of a string without escapes (fast path), or NULL. */
const char *ej_raw(const struct ej_doc *d, uint32_t i, size_t *len);

/* Integers from a JSON number or a string of digits (decimal or 0x hex); exact, no overflow. */
bool ej_i64(const struct ej_doc *d, uint32_t i, int64_t *out);
bool ej_u64(const struct ej_doc *d, uint32_t i, uint64_t *out);
/* A JSON number (or numeric string) as a double. */
bool ej_double(const struct ej_doc *d, uint32_t i, double *out);

/* Integer parsing shared with the loader: decimal (optional sign) or 0x hex, whole text. */
bool ej_parse_i64(const char *s, size_t n, int64_t *out);
bool ej_parse_u64(const char *s, size_t n, uint64_t *out);

/* Line (1-based) and column (1-based, in characters) of byte offset off in text. */
void ej_line_col(const char *text, size_t off, uint32_t *line, uint32_t *col);

#endif
