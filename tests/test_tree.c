/*
 * test_tree.c - arena and detail-tree builders (src/core/tree.h, tree.c).
 */
#include "testutil.h"

#include "core/tree.h"

#include <stdalign.h>

static const struct tw_field f_a = { "t.a", "A", FT_U8, BASE_DEC, 0, NULL };
static const struct tw_field f_b = { "t.b", "B", FT_U16, BASE_HEX, 0, NULL };
static const struct tw_field f_c = { "t.c", "C", FT_U32, BASE_DEC, 0, NULL };
static const struct tw_field f_masked = { "t.m", "M", FT_U16, BASE_HEX, 0x0ff0, NULL };
static const struct tw_field f_bool = { "t.flag", "Flag", FT_BOOL, 8, 0x40, NULL };
static const struct tw_field f_proto = { "t", "Test", FT_PROTOCOL, BASE_NONE, 0, NULL };

static const uint8_t bytes[32] = { 0x45, 0x00, 0x12, 0x34, 0xab, 0xcd, 0xef, 0x01, 0x40, 0xff };

/* ---- arena ------------------------------------------------------------ */

/* Many allocations stay distinct, aligned and intact; reset recycles. */
static void
test_arena_many_and_aligned(void **state)
{
	(void)state;
	struct tw_arena *a = arena_new();
	enum { N = 50000 };
	uint32_t **ptrs = calloc(N, sizeof *ptrs);
	for (int round = 0; round < 3; round++) {
		for (uint32_t i = 0; i < N; i++) {
			size_t sz = 1 + (i * 7) % 61; /* odd sizes */
			uint8_t *p = arena_alloc(a, sz < 4 ? 4 : sz);
			assert_int_equal((uintptr_t)p % alignof(max_align_t), 0);
			memcpy(p, &i, 4);
			ptrs[i] = (uint32_t *)p;
		}
		/* A large allocation bigger than a chunk. */
		uint8_t *big = arena_alloc(a, 200000);
		assert_int_equal((uintptr_t)big % alignof(max_align_t), 0);
		memset(big, 0xa5, 200000);
		for (uint32_t i = 0; i < N; i++) {
			uint32_t v;
			memcpy(&v, ptrs[i], 4);
			assert_int_equal(v, i);
		}
		assert_int_equal(big[0], 0xa5);
		assert_int_equal(big[199999], 0xa5);
		arena_reset(a);
	}
	/* After reset everything still works. */
	char *s = arena_strndup(a, "hello world", 5);
	assert_string_equal(s, "hello");
	char *f = arena_printf(a, "%s-%d", "x", 42);
	assert_string_equal(f, "x-42");
	/* Formatted text longer than the 256-byte scratch buffer. */
	char *g = arena_printf(a, "%0400d", 1);
	assert_int_equal(strlen(g), 400);
	assert_int_equal(g[399], '1');
	uint8_t *d = arena_memdup(a, bytes, 4);
	assert_memory_equal(d, bytes, 4);
	assert_non_null(arena_memdup(a, NULL, 0));
	free(ptrs);
	arena_free(a);
	arena_free(NULL);
}

/* ---- NULL parents ------------------------------------------------------ */

/* Every builder with a NULL parent (summary-only runs) does nothing and returns NULL. */
static void
test_null_parent(void **state)
{
	(void)state;
	struct tw_tree t;
	tree_init(&t, true);
	struct tw_buf b = buf_init(bytes, 10, 10, 0);
	assert_null(tree_add(&t, NULL, &f_a, &b, 0, 1));
	assert_null(tree_add_here(&t, NULL, &f_a, &b, 1));
	assert_null(tree_add_gen(&t, NULL, &f_a));
	assert_null(tree_add_text(&t, NULL, &b, 0, 1, "x %d", 1));
	assert_null(tree_expert(&t, NULL, TW_SEV_ERROR, "boom"));
	assert_null(tree_add_bits(&t, NULL, &f_masked, &b, 0, 2, 0xffff));
	assert_int_equal(t.max_sev, TW_SEV_NONE);
	/* Reads still read with a NULL parent or a NULL tree. */
	assert_int_equal(tree_read_u8(&t, NULL, &f_a, &b), 0x45);
	assert_int_equal(tree_read_be16(NULL, NULL, &f_b, &b), 0x0012);
	assert_int_equal(tree_read_be24(NULL, NULL, &f_b, &b), 0x34abcd);
	assert_int_equal(tree_read_be32(NULL, NULL, &f_c, &b), 0xef0140ff);
	assert_true(buf_ok(&b));
	/* Setters accept NULL. */
	node_set_u(NULL, 1);
	node_set_i(NULL, 1);
	node_set_d(NULL, 1.0);
	node_set_bytes(NULL, bytes, 1);
	node_set_bytes_copy(&t, NULL, bytes, 1);
	node_set_flags(NULL, TW_NF_TRUNC);
	node_label(&t, NULL, "x");
	node_append(&t, NULL, "x");
	node_end_here(NULL, &b);
	node_note_buf(&t, NULL, &b, "x");
	assert_null(t.root->child);
	assert_null(tree_root(NULL));
	tree_free(&t);
}

/* ---- byte ranges ------------------------------------------------------- */

static void
test_byte_ranges(void **state)
{
	(void)state;
	struct tw_tree t;
	tree_init(&t, true);
	struct tw_buf frame = buf_init(bytes, 20, 30, 0);
	buf_skip(&frame, 4);
	struct tw_buf v = buf_sub(&frame, 10); /* abs 4, len 10 */
	v.src = 2;

	struct tw_node *n = tree_add(&t, t.root, &f_a, &v, 3, 2);
	assert_int_equal(n->off, 7);
	assert_int_equal(n->len, 2);
	assert_int_equal(n->src, 2);
	assert_int_equal(n->flags & TW_NF_TRUNC, 0);
	assert_ptr_equal(n->parent, t.root);

	/* Range reaching exactly the end of the view: not clipped. */
	n = tree_add(&t, t.root, &f_a, &v, 6, 4);
	assert_int_equal(n->off, 10);
	assert_int_equal(n->len, 4);
	assert_int_equal(n->flags & TW_NF_TRUNC, 0);

	/* Range past the view's captured bytes: clipped and flagged. */
	n = tree_add(&t, t.root, &f_a, &v, 8, 5);
	assert_int_equal(n->off, 12);
	assert_int_equal(n->len, 2);
	assert_true(n->flags & TW_NF_TRUNC);

	/* Start past the end: zero-length at the end, flagged. */
	n = tree_add(&t, t.root, &f_a, &v, 12, 1);
	assert_int_equal(n->off, 14);
	assert_int_equal(n->len, 0);
	assert_true(n->flags & TW_NF_TRUNC);

	/* Huge lengths clip without wrapping. */
	n = tree_add(&t, t.root, &f_a, &v, 1, SIZE_MAX);
	assert_int_equal(n->off, 5);
	assert_int_equal(n->len, 9);
	assert_true(n->flags & TW_NF_TRUNC);
	n = tree_add(&t, t.root, &f_a, &v, SIZE_MAX, SIZE_MAX);
	assert_int_equal(n->off + n->len, 14);

	/* tree_add_here: relative to the position, without consuming. */
	buf_skip(&v, 5);
	n = tree_add_here(&t, t.root, &f_b, &v, 2);
	assert_int_equal(n->off, 9);
	assert_int_equal(n->len, 2);
	assert_int_equal(v.off, 5);
	n = tree_add_here(&t, t.root, &f_b, &v, 9);
	assert_int_equal(n->off, 9);
	assert_int_equal(n->len, 5);
	assert_true(n->flags & TW_NF_TRUNC);

	/* node_end_here extends to the cursor. */
	struct tw_buf w = buf_init(bytes, 10, 10, 0);
	n = tree_add_here(&t, t.root, &f_proto, &w, 0);
	buf_skip(&w, 6);
	node_end_here(n, &w);
	assert_int_equal(n->off, 0);
	assert_int_equal(n->len, 6);

	/* Children are appended in order. */
	struct tw_node *p = tree_add_gen(&t, t.root, &f_proto);
	struct tw_node *c1 = tree_add_gen(&t, p, &f_a);
	struct tw_node *c2 = tree_add_gen(&t, p, &f_b);
	assert_ptr_equal(p->child, c1);
	assert_ptr_equal(c1->next, c2);
	assert_ptr_equal(p->last, c2);
	assert_true(c1->flags & TW_NF_GENERATED);
	tree_free(&t);
}

/* ---- tree_read_* ------------------------------------------------------- */

static void
test_read_nodes(void **state)
{
	(void)state;
	struct tw_tree t;
	tree_init(&t, true);
	struct tw_buf b = buf_init(bytes, 10, 10, 0);
	assert_int_equal(tree_read_u8(&t, t.root, &f_a, &b), 0x45);
	assert_int_equal(tree_read_be16(&t, t.root, &f_b, &b), 0x0012);
	assert_int_equal(tree_read_be24(&t, t.root, &f_c, &b), 0x34abcd);
	assert_int_equal(tree_read_be32(&t, t.root, &f_c, &b), 0xef0140ff);
	struct tw_node *n = t.root->child;
	uint64_t want[] = { 0x45, 0x12, 0x34abcd, 0xef0140ff };
	uint32_t off[] = { 0, 1, 3, 6 }, len[] = { 1, 2, 3, 4 };
	for (int i = 0; i < 4; i++, n = n->next) {
		assert_non_null(n);
		assert_true(n->flags & TW_NF_HAS_VALUE);
		assert_int_equal(n->v.u, want[i]);
		assert_int_equal(n->off, off[i]);
		assert_int_equal(n->len, len[i]);
		assert_int_equal(n->flags & (TW_NF_TRUNC | TW_NF_MALFORMED), 0);
	}
	assert_int_equal(t.max_sev, TW_SEV_NONE);
	tree_free(&t);
}

/* A read on a short buffer flags the node, adds an expert, stores no value. */
static void
test_read_short_buffer(void **state)
{
	(void)state;
	struct tw_tree t;
	tree_init(&t, true);
	/* Captured 3 of 8 bytes: truncated. */
	struct tw_buf b = buf_init(bytes, 3, 8, 0);
	buf_skip(&b, 1);
	assert_int_equal(tree_read_be32(&t, t.root, &f_c, &b), 0);
	struct tw_node *n = t.root->child;
	assert_true(n->flags & TW_NF_TRUNC);
	assert_false(n->flags & TW_NF_HAS_VALUE);
	assert_true(n->off + n->len <= 3);
	assert_non_null(n->child);
	assert_true(n->child->flags & TW_NF_EXPERT);
	assert_int_equal(n->child->sev, TW_SEV_WARN);
	assert_int_equal(t.max_sev, TW_SEV_WARN);

	/* Past the wire length: malformed, error. */
	tree_reset(&t);
	b = buf_init(bytes, 3, 3, 0);
	buf_skip(&b, 2);
	assert_int_equal(tree_read_be16(&t, t.root, &f_b, &b), 0);
	n = t.root->child;
	assert_true(n->flags & TW_NF_MALFORMED);
	assert_false(n->flags & TW_NF_HAS_VALUE);
	assert_int_equal(t.max_sev, TW_SEV_ERROR);
	assert_int_equal(n->sev, TW_SEV_ERROR);

	/* u8 and be24 too. */
	tree_reset(&t);
	b = buf_init(bytes, 0, 0, 0);
	tree_read_u8(&t, t.root, &f_a, &b);
	assert_true(t.root->child->flags & TW_NF_MALFORMED);
	tree_reset(&t);
	b = buf_init(bytes, 2, 4, 0);
	tree_read_be24(&t, t.root, &f_c, &b);
	assert_true(t.root->child->flags & TW_NF_TRUNC);
	tree_free(&t);
}

/* ---- bit fields -------------------------------------------------------- */

static void
test_bits_masked(void **state)
{
	(void)state;
	struct tw_tree t;
	tree_init(&t, true);
	struct tw_buf b = buf_init(bytes, 10, 10, 0);
	struct tw_node *n = tree_add_bits(&t, t.root, &f_masked, &b, 4, 2, 0xabcd);
	assert_int_equal(n->v.u, 0x0bc0);
	assert_true(n->flags & TW_NF_HAS_VALUE);
	assert_int_equal(n->off, 4);
	assert_int_equal(n->len, 2);
	n = tree_add_bits(&t, t.root, &f_bool, &b, 8, 1, 0x4f);
	assert_int_equal(n->v.u, 0x40);
	n = tree_add_bits(&t, t.root, &f_bool, &b, 8, 1, 0xbf);
	assert_int_equal(n->v.u, 0);
	/* Unmasked field keeps the value. */
	n = tree_add_bits(&t, t.root, &f_b, &b, 0, 2, 0xabcd);
	assert_int_equal(n->v.u, 0xabcd);
	/* tree_read_* mask too. */
	b = buf_init((const uint8_t *)"\xab\xcd", 2, 2, 0);
	assert_int_equal(tree_read_be16(&t, t.root, &f_masked, &b), 0xabcd); /* returns raw */
	assert_int_equal(t.root->last->v.u, 0x0bc0);                         /* stores masked */
	tree_free(&t);
}

/* ---- experts ----------------------------------------------------------- */

static void
test_expert_severity(void **state)
{
	(void)state;
	struct tw_tree t;
	tree_init(&t, true);
	struct tw_node *a = tree_add_gen(&t, t.root, &f_proto);
	struct tw_node *b = tree_add_gen(&t, a, &f_a);
	struct tw_node *c = tree_add_gen(&t, b, &f_b);
	struct tw_node *sib = tree_add_gen(&t, t.root, &f_proto);

	struct tw_node *e = tree_expert(&t, c, TW_SEV_NOTE, "note %d", 1);
	assert_string_equal(e->label, "note 1");
	assert_true(e->flags & TW_NF_EXPERT);
	assert_int_equal(e->sev, TW_SEV_NOTE);
	assert_int_equal(t.max_sev, TW_SEV_NOTE);
	assert_int_equal(c->sev, TW_SEV_NOTE);
	assert_int_equal(a->sev, TW_SEV_NOTE);

	tree_expert(&t, b, TW_SEV_ERROR, "error");
	assert_int_equal(t.max_sev, TW_SEV_ERROR);
	assert_int_equal(b->sev, TW_SEV_ERROR);
	assert_int_equal(a->sev, TW_SEV_ERROR);
	assert_int_equal(c->sev, TW_SEV_NOTE); /* descendants are not raised */
	assert_int_equal(sib->sev, TW_SEV_NONE); /* nor siblings */

	/* A lower severity never lowers anything. */
	tree_expert(&t, c, TW_SEV_WARN, "warn");
	assert_int_equal(t.max_sev, TW_SEV_ERROR);
	assert_int_equal(b->sev, TW_SEV_ERROR);
	assert_int_equal(c->sev, TW_SEV_WARN);

	/* Reset clears the tree and its severity. */
	tree_reset(&t);
	assert_int_equal(t.max_sev, TW_SEV_NONE);
	assert_null(t.root->child);
	assert_int_equal(t.root->sev, TW_SEV_NONE);
	tree_free(&t);
}

/* ---- labels ------------------------------------------------------------ */

static void
test_labels_flag(void **state)
{
	(void)state;
	struct tw_tree off, on;
	tree_init(&off, false);
	tree_init(&on, true);
	struct tw_node *n0 = tree_add_gen(&off, off.root, &f_a);
	struct tw_node *n1 = tree_add_gen(&on, on.root, &f_a);
	node_label(&off, n0, "label %d", 1);
	node_label(&on, n1, "label %d", 1);
	assert_null(n0->label);
	assert_string_equal(n1->label, "label 1");
	node_append(&off, n0, " more");
	node_append(&on, n1, " more");
	assert_null(n0->label);
	assert_string_equal(n1->label, "label 1 more");
	/* Append to a node without label starts from the default "Name: value". */
	struct tw_node *n2 = tree_add_gen(&on, on.root, &f_a);
	node_set_u(n2, 7);
	node_append(&on, n2, " (x)");
	assert_string_equal(n2->label, "A: 7 (x)");
	/* Text nodes and experts are always labelled. */
	struct tw_node *t0 = tree_add_text(&off, off.root, NULL, 0, 0, "text %s", "x");
	assert_string_equal(t0->label, "text x");
	struct tw_node *e0 = tree_expert(&off, off.root, TW_SEV_NOTE, "expert");
	assert_string_equal(e0->label, "expert");
	tree_free(&off);
	tree_free(&on);
}

/* ---- walking and finding ------------------------------------------------ */

/*
 * root
 *  +- A
 *  |   +- B
 *  |   |   +- D
 *  |   |   +- E
 *  |   +- C
 *  |       +- F
 *  +- G
 */
static void
test_preorder_walk(void **state)
{
	(void)state;
	static const struct tw_field fl[7] = {
		{ "w.a", "A", FT_NONE, 0, 0, NULL }, { "w.b", "B", FT_NONE, 0, 0, NULL },
		{ "w.c", "C", FT_NONE, 0, 0, NULL }, { "w.d", "D", FT_NONE, 0, 0, NULL },
		{ "w.e", "E", FT_NONE, 0, 0, NULL }, { "w.f", "F", FT_NONE, 0, 0, NULL },
		{ "w.g", "G", FT_NONE, 0, 0, NULL },
	};
	struct tw_tree t;
	tree_init(&t, true);
	struct tw_node *A = tree_add_gen(&t, t.root, &fl[0]);
	struct tw_node *B = tree_add_gen(&t, A, &fl[1]);
	tree_add_gen(&t, B, &fl[3]);
	tree_add_gen(&t, B, &fl[4]);
	struct tw_node *C = tree_add_gen(&t, A, &fl[2]);
	tree_add_gen(&t, C, &fl[5]);
	tree_add_gen(&t, t.root, &fl[6]);

	char order[16] = "";
	size_t k = 0;
	for (struct tw_node *n = node_next_preorder(t.root, t.root); n; n = node_next_preorder(n, t.root))
		order[k++] = n->f->name[0];
	order[k] = 0;
	assert_string_equal(order, "ABDECFG");

	/* A subtree walk stays inside the subtree. */
	k = 0;
	for (struct tw_node *n = B; n; n = node_next_preorder(n, B))
		order[k++] = n->f->name[0];
	order[k] = 0;
	assert_string_equal(order, "BDE");
	k = 0;
	for (struct tw_node *n = C; n; n = node_next_preorder(n, C))
		order[k++] = n->f->name[0];
	order[k] = 0;
	assert_string_equal(order, "CF");
	/* A leaf as top: just itself. */
	struct tw_node *F = C->child;
	assert_null(node_next_preorder(F, F));

	/* Finding. */
	assert_ptr_equal(node_find_abbrev(t.root, "w.f"), F);
	assert_ptr_equal(node_find_abbrev(t.root, "w.g"), t.root->last);
	assert_null(node_find_abbrev(B, "w.f")); /* F is not under B */
	assert_null(node_find_abbrev(B, "w.g"));
	assert_ptr_equal(node_find_abbrev(B, "w.b"), B); /* self counts */
	assert_null(node_find_abbrev(t.root, "w"));
	assert_null(node_find_abbrev(t.root, "w.ff"));
	assert_ptr_equal(node_find(t.root, &fl[4]), B->last);
	assert_null(node_find(C, &fl[4]));
	/* Text nodes (no field) are skipped by the abbreviation search. */
	tree_add_text(&t, F, NULL, 0, 0, "text");
	assert_ptr_equal(node_find_abbrev(t.root, "w.g"), t.root->last);
	tree_free(&t);
}

/* ---- node_note_buf and data sources ------------------------------------- */

static void
test_note_buf_and_datasrc(void **state)
{
	(void)state;
	struct tw_tree t;
	tree_init(&t, true);
	struct tw_node *n = tree_add_gen(&t, t.root, &f_proto);
	struct tw_buf ok = buf_init(bytes, 4, 4, 0);
	node_note_buf(&t, n, &ok, "x");
	assert_null(n->child);
	assert_int_equal(n->flags & (TW_NF_TRUNC | TW_NF_MALFORMED), 0);

	struct tw_buf tr = buf_init(bytes, 4, 8, 0);
	buf_skip(&tr, 6);
	node_note_buf(&t, n, &tr, "Header");
	assert_true(n->flags & TW_NF_TRUNC);
	assert_non_null(strstr(n->last->label, "Header"));
	assert_int_equal(t.max_sev, TW_SEV_WARN);

	struct tw_buf ml = buf_init(bytes, 4, 4, 0);
	buf_skip(&ml, 6);
	node_note_buf(&t, n, &ml, NULL);
	assert_true(n->flags & TW_NF_MALFORMED);
	assert_int_equal(t.max_sev, TW_SEV_ERROR);

	for (int i = 0; i < TW_MAX_DATASRC + 5; i++) {
		uint16_t id = tree_add_datasrc(&t, "src", bytes, 4);
		assert_true(id < TW_MAX_DATASRC);
		if (i < TW_MAX_DATASRC)
			assert_int_equal(id, i);
	}
	assert_int_equal(t.nsrc, TW_MAX_DATASRC);
	tree_reset(&t);
	assert_int_equal(t.nsrc, 0);
	tree_free(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arena_many_and_aligned),
		cmocka_unit_test(test_null_parent),
		cmocka_unit_test(test_byte_ranges),
		cmocka_unit_test(test_read_nodes),
		cmocka_unit_test(test_read_short_buffer),
		cmocka_unit_test(test_bits_masked),
		cmocka_unit_test(test_expert_severity),
		cmocka_unit_test(test_labels_flag),
		cmocka_unit_test(test_preorder_walk),
		cmocka_unit_test(test_note_buf_and_datasrc),
	};
	return cmocka_run_group_tests_name("tree", tests, NULL, NULL);
}
