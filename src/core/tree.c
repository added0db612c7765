/* tree.c - detail-tree model and builders (see tree.h). */
#include "core/tree.h"

#include "core/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- arena ------------------------------------------------------------ */

struct chunk {
	struct chunk *next;
	size_t size, used;
	max_align_t data[];
};

struct tw_arena {
	struct chunk *head;
};

#define CHUNK_MIN (32 * 1024)

static struct chunk *
chunk_new(size_t need)
{
	size_t size = need > CHUNK_MIN ? need : CHUNK_MIN;
	struct chunk *c = xmalloc(sizeof *c + size);
	c->next = NULL;
	c->size = size;
	c->used = 0;
	return c;
}

struct tw_arena *
arena_new(void)
{
	struct tw_arena *a = xmalloc(sizeof *a);
	a->head = chunk_new(CHUNK_MIN);
	return a;
}

void
arena_free(struct tw_arena *a)
{
	if (!a)
		return;
	struct chunk *c = a->head;
	while (c) {
		struct chunk *n = c->next;
		free(c);
		c = n;
	}
	free(a);
}

void
arena_reset(struct tw_arena *a)
{
	/* Keep the largest chunk, free the rest. */
	struct chunk *keep = a->head;
	for (struct chunk *c = a->head; c; c = c->next)
		if (c->size > keep->size)
			keep = c;
	struct chunk *c = a->head;
	while (c) {
		struct chunk *n = c->next;
		if (c != keep)
			free(c);
		c = n;
	}
	keep->next = NULL;
	keep->used = 0;
	a->head = keep;
}

void *
arena_alloc(struct tw_arena *a, size_t n)
{
	const size_t al = sizeof(max_align_t);
	if (n > SIZE_MAX - al)
		n = SIZE_MAX - al; /* xmalloc will abort */
	n = (n + al - 1) & ~(al - 1);
	struct chunk *c = a->head;
	if (c->size - c->used < n) {
		c = chunk_new(n);
		c->next = a->head;
		a->head = c;
	}
	void *p = (char *)c->data + c->used;
	c->used += n;
	return p;
}

void *
arena_memdup(struct tw_arena *a, const void *p, size_t n)
{
	void *d = arena_alloc(a, n ? n : 1);
	if (n)
		memcpy(d, p, n);
	return d;
}

char *
arena_strndup(struct tw_arena *a, const char *s, size_t n)
{
	char *d = arena_alloc(a, n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *
arena_vprintf(struct tw_arena *a, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	char tmp[256];
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return arena_strndup(a, "", 0);
	if ((size_t)n < sizeof tmp)
		return arena_strndup(a, tmp, (size_t)n);
	char *d = arena_alloc(a, (size_t)n + 1);
	vsnprintf(d, (size_t)n + 1, fmt, ap);
	return d;
}

char *
arena_printf(struct tw_arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return s;
}

/* ---- tree ------------------------------------------------------------- */

void
tree_init(struct tw_tree *t, bool labels)
{
	memset(t, 0, sizeof *t);
	t->arena = arena_new();
	t->labels = labels;
	tree_reset(t);
}

void
tree_reset(struct tw_tree *t)
{
	arena_reset(t->arena);
	t->root = arena_alloc(t->arena, sizeof *t->root);
	memset(t->root, 0, sizeof *t->root);
	t->max_sev = TW_SEV_NONE;
	t->nsrc = 0;
}

void
tree_free(struct tw_tree *t)
{
	if (!t)
		return;
	arena_free(t->arena);
	t->arena = NULL;
	t->root = NULL;
}

uint16_t
tree_add_datasrc(struct tw_tree *t, const char *name, const uint8_t *p, size_t len)
{
	if (t->nsrc >= TW_MAX_DATASRC)
		return (uint16_t)(TW_MAX_DATASRC - 1);
	t->src[t->nsrc].name = arena_strndup(t->arena, name, strlen(name));
	t->src[t->nsrc].p = p;
	t->src[t->nsrc].len = len;
	return (uint16_t)t->nsrc++;
}

static struct tw_node *
node_new(struct tw_tree *t, struct tw_node *parent, const struct tw_field *f)
{
	struct tw_node *n = arena_alloc(t->arena, sizeof *n);
	memset(n, 0, sizeof *n);
	n->f = f;
	n->parent = parent;
	if (parent->last)
		parent->last->next = n;
	else
		parent->child = n;
	parent->last = n;
	return n;
}

struct tw_node *
tree_add(struct tw_tree *t, struct tw_node *parent, const struct tw_field *f,
         const struct tw_buf *b, size_t at, size_t len)
{
	if (!t || !parent)
		return NULL;
	struct tw_node *n = node_new(t, parent, f);
	n->src = b->src;
	if (at > b->len) {
		at = b->len;
		len = 0;
		n->flags |= TW_NF_TRUNC;
	} else if (len > b->len - at) {
		len = b->len - at;
		n->flags |= TW_NF_TRUNC;
	}
	size_t abs = b->abs + at;
	n->off = abs > UINT32_MAX ? UINT32_MAX : (uint32_t)abs;
	n->len = len > UINT32_MAX ? UINT32_MAX : (uint32_t)len;
	return n;
}

struct tw_node *
tree_add_here(struct tw_tree *t, struct tw_node *parent, const struct tw_field *f,
              const struct tw_buf *b, size_t len)
{
	return tree_add(t, parent, f, b, b->off, len);
}

struct tw_node *
tree_add_gen(struct tw_tree *t, struct tw_node *parent, const struct tw_field *f)
{
	if (!t || !parent)
		return NULL;
	struct tw_node *n = node_new(t, parent, f);
	n->flags |= TW_NF_GENERATED;
	n->src = parent->src;
	return n;
}

struct tw_node *
tree_add_text(struct tw_tree *t, struct tw_node *parent, const struct tw_buf *b, size_t at,
              size_t len, const char *fmt, ...)
{
	if (!t || !parent)
		return NULL;
	struct tw_node *n = b ? tree_add(t, parent, NULL, b, at, len) : tree_add_gen(t, parent, NULL);
	va_list ap;
	va_start(ap, fmt);
	n->label = arena_vprintf(t->arena, fmt, ap);
	va_end(ap);
	return n;
}

struct tw_node *
tree_expert(struct tw_tree *t, struct tw_node *parent, enum tw_sev sev, const char *fmt, ...)
{
	if (!t || !parent)
		return NULL;
	struct tw_node *n = tree_add_gen(t, parent, NULL);
	va_list ap;
	va_start(ap, fmt);
	n->label = arena_vprintf(t->arena, fmt, ap);
	va_end(ap);
	n->sev = (uint8_t)sev;
	n->flags |= TW_NF_EXPERT;
	if (sev > t->max_sev)
		t->max_sev = (uint8_t)sev;
	/* Severity shows on the ancestors too, as Wireshark colours them. */
	for (struct tw_node *p = parent; p; p = p->parent)
		if (p->sev < sev)
			p->sev = (uint8_t)sev;
	return n;
}

static struct tw_node *
read_node(struct tw_tree *t, struct tw_node *parent, const struct tw_field *f, struct tw_buf *b,
          size_t start, uint64_t v)
{
	if (!t || !parent)
		return NULL;
	struct tw_node *n = tree_add(t, parent, f, b, start, b->off - start);
	if (buf_ok(b)) {
		n->v.u = f && f->mask ? v & f->mask : v;
		n->flags |= TW_NF_HAS_VALUE;
	} else {
		node_note_buf(t, n, b, NULL);
	}
	return n;
}

uint8_t
tree_read_u8(struct tw_tree *t, struct tw_node *parent, const struct tw_field *f, struct tw_buf *b)
{
	size_t start = b->off;
	uint8_t v = buf_u8(b);
	read_node(t, parent, f, b, start, v);
	return v;
}

uint16_t
tree_read_be16(struct tw_tree *t, struct tw_node *parent, const struct tw_field *f, struct tw_buf *b)
{
	size_t start = b->off;
	uint16_t v = buf_be16(b);
	read_node(t, parent, f, b, start, v);
	return v;
}

uint32_t
tree_read_be24(struct tw_tree *t, struct tw_node *parent, const struct tw_field *f, struct tw_buf *b)
{
	size_t start = b->off;
	uint32_t v = buf_be24(b);
	read_node(t, parent, f, b, start, v);
	return v;
}

uint32_t
tree_read_be32(struct tw_tree *t, struct tw_node *parent, const struct tw_field *f, struct tw_buf *b)
{
	size_t start = b->off;
	uint32_t v = buf_be32(b);
	read_node(t, parent, f, b, start, v);
	return v;
}

struct tw_node *
tree_add_bits(struct tw_tree *t, struct tw_node *parent, const struct tw_field *f,
              const struct tw_buf *b, size_t at, size_t len, uint64_t v)
{
	if (!t)
		return NULL; /* summary only: no call further down */
	struct tw_node *n = tree_add(t, parent, f, b, at, len);
	if (n) {
		n->v.u = f && f->mask ? v & f->mask : v;
		n->flags |= TW_NF_HAS_VALUE;
	}
	return n;
}

void
node_set_u(struct tw_node *n, uint64_t v)
{
	if (n) {
		n->v.u = v;
		n->flags |= TW_NF_HAS_VALUE;
	}
}

void
node_set_i(struct tw_node *n, int64_t v)
{
	if (n) {
		n->v.i = v;
		n->flags |= TW_NF_HAS_VALUE;
	}
}

void
node_set_d(struct tw_node *n, double v)
{
	if (n) {
		n->v.d = v;
		n->flags |= TW_NF_HAS_VALUE;
	}
}

void
node_set_bytes(struct tw_node *n, const uint8_t *p, size_t len)
{
	if (n) {
		n->v.b.p = p;
		n->v.b.n = len > UINT32_MAX ? UINT32_MAX : (uint32_t)len;
		n->flags |= TW_NF_HAS_VALUE;
	}
}

void
node_set_bytes_copy(struct tw_tree *t, struct tw_node *n, const void *p, size_t len)
{
	if (n)
		node_set_bytes(n, arena_memdup(t->arena, p, len), len);
}

void
node_set_flags(struct tw_node *n, unsigned flags)
{
	if (n)
		n->flags |= (uint8_t)flags;
}

void
node_label(struct tw_tree *t, struct tw_node *n, const char *fmt, ...)
{
	if (!n || !t || !t->labels)
		return;
	va_list ap;
	va_start(ap, fmt);
	n->label = arena_vprintf(t->arena, fmt, ap);
	va_end(ap);
}

/* Defined in field.c: the default "Name: value" label. */
void field_format_label(struct tw_sb *sb, const struct tw_node *n);

void
node_append(struct tw_tree *t, struct tw_node *n, const char *fmt, ...)
{
	if (!n || !t || !t->labels)
		return;
	struct tw_sb sb;
	sb_heap(&sb);
	if (n->label)
		sb_adds(&sb, n->label);
	else
		field_format_label(&sb, n);
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	n->label = arena_strndup(t->arena, sb.s, sb.len);
	sb_free(&sb);
}

void
node_end_here(struct tw_node *n, const struct tw_buf *b)
{
	if (!n)
		return;
	size_t end = b->abs + b->off;
	if (end >= n->off && b->src == n->src)
		n->len = (uint32_t)TW_MIN(end - n->off, UINT32_MAX);
}

void
node_note_buf(struct tw_tree *t, struct tw_node *n, const struct tw_buf *b, const char *what)
{
	if (!n || buf_ok(b))
		return;
	if (b->err == BUF_TRUNC) {
		n->flags |= TW_NF_TRUNC;
		tree_expert(t, n, TW_SEV_WARN, "[Packet size limited during capture%s%s]",
		            what ? ": " : "", what ? what : "");
	} else {
		n->flags |= TW_NF_MALFORMED;
		tree_expert(t, n, TW_SEV_ERROR, "[Malformed Packet%s%s]", what ? ": " : "", what ? what : "");
	}
}

struct tw_node *
node_next_preorder(const struct tw_node *n, const struct tw_node *top)
{
	if (n->child)
		return n->child;
	while (n && n != top) {
		if (n->next)
			return n->next;
		n = n->parent;
	}
	return NULL;
}

struct tw_node *
node_find(const struct tw_node *top, const struct tw_field *f)
{
	for (const struct tw_node *n = top; n; n = node_next_preorder(n, top))
		if (n->f == f)
			return (struct tw_node *)n;
	return NULL;
}

struct tw_node *
node_find_abbrev(const struct tw_node *top, const char *abbrev)
{
	for (const struct tw_node *n = top; n; n = node_next_preorder(n, top))
		if (n->f && strcmp(n->f->abbrev, abbrev) == 0)
			return (struct tw_node *)n;
	return NULL;
}
