/*
 * tree.h - the detail tree: one model for the tree pane, `-V`, `-T json`,
 * `-T fields` and display filters.
 *
 * A node names a field (Wireshark's abbreviation where one exists, so
 * users' filters carry over), holds a typed value, the byte range it was
 * read from (data source, offset, length), a severity for expert findings
 * and an optional display label. Nodes live in an arena owned by the tree
 * and die with it; the tree is built for one frame at a time.
 *
 * Every builder accepts a NULL parent and then does nothing and returns
 * NULL: dissectors run the same code for "summary only" (no tree) and for
 * full trees. Labels are only formatted when tree->labels is set.
 */
#ifndef TW_TREE_H
#define TW_TREE_H

#include "core/buf.h"
#include "core/tw.h"

#include <stdarg.h>

enum tw_ftype {
	FT_NONE,     /* text only, no value */
	FT_PROTOCOL, /* a protocol layer: value-less, existence test in filters */
	FT_BOOL,     /* u; printed as 1/0 by -T fields */
	FT_U8,
	FT_U16,
	FT_U24,
	FT_U32,
	FT_U64,
	FT_I64,
	FT_DOUBLE,
	FT_STRING,   /* b: bytes of text (escaped when shown) */
	FT_BYTES,    /* b: raw bytes, shown as hex */
	FT_ETHER,    /* b: 6 bytes */
	FT_IPV4,     /* u: host order address */
	FT_IPV6,     /* b: 16 bytes */
	FT_ABSTIME,  /* i: ns since epoch */
	FT_RELTIME,  /* i: ns */
	FT_FRAMENUM, /* u */
};

enum tw_fbase { BASE_NONE, BASE_DEC, BASE_HEX, BASE_DEC_HEX, BASE_HEX_DEC };

struct tw_valstr {
	uint32_t value;
	const char *name;
};

struct tw_field {
	const char *abbrev;            /* "tcp.srcport" */
	const char *name;              /* "Source Port" */
	uint8_t type;                  /* enum tw_ftype */
	uint8_t base;                  /* enum tw_fbase */
	uint32_t mask;                 /* bit field within the enclosing integer, 0 if none */
	const struct tw_valstr *vals;  /* value names, { 0, NULL }-terminated */
};

/* A table of fields exported by one dissector (see field.c). */
struct tw_field_table {
	const struct tw_field *fields;
	size_t n;
};

enum tw_nflag {
	TW_NF_TRUNC = 1,       /* bytes missing from the capture */
	TW_NF_MALFORMED = 2,   /* data contradicts itself */
	TW_NF_GENERATED = 4,   /* computed, not read from the bytes ([brackets]) */
	TW_NF_HIDDEN = 8,      /* for filters/fields only, not displayed */
	TW_NF_HAS_VALUE = 16,
	TW_NF_EXPERT = 32,     /* an expert finding (sev > NONE) */
};

struct tw_node {
	const struct tw_field *f; /* NULL for text-only nodes */
	struct tw_node *parent, *child, *last, *next;
	const char *label;        /* display text (already safe) or NULL */
	union {
		uint64_t u;
		int64_t i;
		double d;
		struct {
			const uint8_t *p;
			uint32_t n;
		} b;
	} v;
	uint32_t off, len;        /* byte range within data source src */
	uint16_t src;
	uint8_t sev;              /* enum tw_sev */
	uint8_t flags;            /* enum tw_nflag */
};

/* Bump allocator; everything is freed at once. */
struct tw_arena;
struct tw_arena *arena_new(void);
void arena_free(struct tw_arena *a);
void arena_reset(struct tw_arena *a);
void *arena_alloc(struct tw_arena *a, size_t n);
char *arena_strndup(struct tw_arena *a, const char *s, size_t n);
char *arena_vprintf(struct tw_arena *a, const char *fmt, va_list ap);
char *arena_printf(struct tw_arena *a, const char *fmt, ...) TW_PRINTF(2, 3);
void *arena_memdup(struct tw_arena *a, const void *p, size_t n);

/* A data source a node's byte range refers to: 0 is the frame itself. */
struct tw_datasrc {
	const char *name;         /* "Frame (74 bytes)", "Reassembled TCP (3028 bytes)" */
	const uint8_t *p;
	size_t len;
};

#define TW_MAX_DATASRC 32

struct tw_tree {
	struct tw_arena *arena;
	struct tw_node *root;     /* invisible container of top-level nodes */
	bool labels;              /* format custom labels */
	uint8_t max_sev;          /* highest severity of any node */
	size_t nsrc;
	struct tw_datasrc src[TW_MAX_DATASRC];
};

void tree_init(struct tw_tree *t, bool labels);
void tree_reset(struct tw_tree *t);
void tree_free(struct tw_tree *t);
/* Register a data source (bytes must outlive the tree); returns its id. */
uint16_t tree_add_datasrc(struct tw_tree *t, const char *name, const uint8_t *p, size_t len);
/* Top-level parent for dissectors, or NULL for summary-only runs. */
static inline struct tw_node *tree_root(struct tw_tree *t) { return t ? t->root : NULL; }

/*
 * Add a node for field f covering `len` bytes starting at offset `at` of
 * view b (relative to the view's start, not its position). The bytes need
 * not have been read; a range past the captured data is clipped and the
 * node flagged TRUNC. f may be NULL for a text node (give a label).
 */
struct tw_node *tree_add(struct tw_tree *t, struct tw_node *parent, const struct tw_field *f,
                         const struct tw_buf *b, size_t at, size_t len);
/* Node covering the next len bytes at b's position (not consumed). */
struct tw_node *tree_add_here(struct tw_tree *t, struct tw_node *parent, const struct tw_field *f,
                              const struct tw_buf *b, size_t len);
/* Generated node with no bytes (value computed, or an explanation). */
struct tw_node *tree_add_gen(struct tw_tree *t, struct tw_node *parent, const struct tw_field *f);
/* Text-only node, label formatted (always, even when labels are off). */
struct tw_node *tree_add_text(struct tw_tree *t, struct tw_node *parent, const struct tw_buf *b,
                              size_t at, size_t len, const char *fmt, ...) TW_PRINTF(6, 7);
/* An expert finding under parent; raises the tree's max severity. */
struct tw_node *tree_expert(struct tw_tree *t, struct tw_node *parent, enum tw_sev sev,
                            const char *fmt, ...) TW_PRINTF(4, 5);

/* Read through the cursor and add a node for the bytes consumed. */
uint8_t tree_read_u8(struct tw_tree *t, struct tw_node *parent, const struct tw_field *f, struct tw_buf *b);
uint16_t tree_read_be16(struct tw_tree *t, struct tw_node *parent, const struct tw_field *f, struct tw_buf *b);
uint32_t tree_read_be24(struct tw_tree *t, struct tw_node *parent, const struct tw_field *f, struct tw_buf *b);
uint32_t tree_read_be32(struct tw_tree *t, struct tw_node *parent, const struct tw_field *f, struct tw_buf *b);
/* Add a bit-field node for the value v already read from bytes [at, at+len) of b. */
struct tw_node *tree_add_bits(struct tw_tree *t, struct tw_node *parent, const struct tw_field *f,
                              const struct tw_buf *b, size_t at, size_t len, uint64_t v);

/* Value setters; all accept NULL. Strings/bytes must outlive the tree (or use _copy). */
void node_set_u(struct tw_node *n, uint64_t v);
void node_set_i(struct tw_node *n, int64_t v);
void node_set_d(struct tw_node *n, double v);
void node_set_bytes(struct tw_node *n, const uint8_t *p, size_t len);
void node_set_bytes_copy(struct tw_tree *t, struct tw_node *n, const void *p, size_t len);
void node_set_flags(struct tw_node *n, unsigned flags);
/* Custom display label (only formatted when t->labels). */
void node_label(struct tw_tree *t, struct tw_node *n, const char *fmt, ...) TW_PRINTF(3, 4);
/* Append to the label (proto_item_append_text). */
void node_append(struct tw_tree *t, struct tw_node *n, const char *fmt, ...) TW_PRINTF(3, 4);
/* Extend a node's byte range to end at b's current position. */
void node_end_here(struct tw_node *n, const struct tw_buf *b);
/* Mark a node (and the tree) from a cursor's error: adds "[truncated]" / "[malformed]". */
void node_note_buf(struct tw_tree *t, struct tw_node *n, const struct tw_buf *b, const char *what);

/* Tree walking in document order. */
struct tw_node *node_next_preorder(const struct tw_node *n, const struct tw_node *top);
/* First descendant (or self) with field f, or NULL. */
struct tw_node *node_find(const struct tw_node *top, const struct tw_field *f);
/* Find by abbreviation. */
struct tw_node *node_find_abbrev(const struct tw_node *top, const char *abbrev);

#endif
