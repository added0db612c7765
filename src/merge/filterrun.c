/* filterrun.c - a display filter over timeline rows (see filterrun.h). */
#include "merge/filterrun.h"

#include "core/conv.h"
#include "core/dissect/dissect.h"

#include <stdlib.h>
#include <string.h>

struct filter_index {
	const struct tw_filter *f;
	const struct tw_timeline *tl;
	uint8_t **unclean; /* per source: conversations with a lost, out-of-order or retransmitted segment */
};

struct filter_index *
filter_index_new(const struct tw_filter *f, const struct tw_timeline *tl)
{
	if (!filter_index_ok(f))
		return NULL;
	struct filter_index *x = xcalloc(1, sizeof *x);
	x->f = f;
	x->tl = tl;
	x->unclean = xcalloc(tl->nsrc ? tl->nsrc : 1, sizeof *x->unclean);
	const uint32_t doubt = FRAME_TCP_RETRANS | FRAME_TCP_LOST | FRAME_TCP_OOO | FRAME_BYTES_MISSING | FRAME_IDX_TLS_UNSURE;
	for (size_t s = 0; s < tl->nsrc; s++) {
		struct tw_capture *cap = tl->src[s].cap;
		if (tl->src[s].kind != ROW_FRAME || !cap)
			continue;
		uint32_t nconv = capture_convs(cap)->n;
		uint8_t *m = x->unclean[s] = xcalloc(nconv / 8 + 1, 1);
		uint32_t n = capture_count(cap);
		for (uint32_t i = 0; i < n; i++) {
			const struct tw_frame *fr = capture_frame(cap, i);
			if (fr->conv < nconv && ((fr->flags & doubt) || !(fr->flags & FRAME_IDX_SIMPLE)))
				m[fr->conv / 8] |= (uint8_t)(1u << (fr->conv % 8));
		}
	}
	return x;
}

void
filter_index_free(struct filter_index *x)
{
	if (!x)
		return;
	for (size_t s = 0; s < x->tl->nsrc; s++)
		free(x->unclean[s]);
	free(x->unclean);
	free(x);
}

int
filter_index_row(const struct filter_index *x, size_t k)
{
	if (!x || k >= x->tl->n)
		return -1;
	const struct tw_row *row = &x->tl->rows[k];
	if (row->kind != ROW_FRAME)
		return -1;
	struct tw_capture *cap = x->tl->src[row->src].cap;
	const struct tw_frame *fr = capture_frame(cap, row->idx);
	struct tw_convs *cs = capture_convs(cap);
	struct filter_frame_facts ff = { row->idx + 1, fr->len, fr->caplen, fr->flags, fr->hs_types, fr->proto, false, NULL };
	if ((fr->flags & FRAME_IDX_SIMPLE) && fr->conv < cs->n) {
		ff.cv = &cs->v[fr->conv];
		ff.clean = !(x->unclean[row->src][fr->conv / 8] & (1u << (fr->conv % 8)));
	} else {
		ff.flags &= ~(uint32_t)FRAME_IDX_SIMPLE;
	}
	return filter_match_index(x->f, &ff);
}

struct filter_run {
	struct filter_index *ix;
	const struct tw_filter *f;
	const struct filter_ctx *cx;
	const struct tw_timeline *tl;
	bool fast;
	struct tw_dctx dc;
	struct tw_tree tree, scratch;
};

struct filter_run *
filter_run_new(const struct tw_filter *f, const struct filter_ctx *cx, const struct tw_timeline *tl)
{
	struct filter_run *r = xcalloc(1, sizeof *r);
	r->f = f;
	r->cx = cx;
	r->tl = tl;
	r->fast = filter_summary_ok(f);
	r->ix = filter_index_new(f, tl);
	tree_init(&r->tree, filter_wants_labels(f));
	tree_init(&r->scratch, false);
	return r;
}

void
filter_run_free(struct filter_run *r)
{
	if (!r)
		return;
	tree_free(&r->tree);
	tree_free(&r->scratch);
	filter_index_free(r->ix);
	free(r);
}

bool
filter_run_row(struct filter_run *r, size_t k)
{
	const struct tw_timeline *tl = r->tl;
	if (k >= tl->n)
		return false;
	const struct tw_row *row = &tl->rows[k];
	const struct tw_source_ref *src = &tl->src[row->src];
	if (src->kind == ROW_EVENT) {
		event_tree(src->ev, row->idx, &r->tree);
		return filter_match_row(r->f, r->cx, k, &r->tree);
	}
	int m = filter_index_row(r->ix, k);
	if (m >= 0)
		return m == 1;
	if (r->fast) {
		capture_dissect(src->cap, row->idx, &r->dc, NULL);
		m = filter_match_summary(r->f, &r->dc.pi, &r->scratch);
		if (m >= 0)
			return m == 1;
	}
	capture_dissect(src->cap, row->idx, &r->dc, &r->tree);
	return filter_match_row(r->f, r->cx, k, &r->tree);
}

size_t
filter_run_rows(struct filter_run *r, size_t from, size_t to, uint8_t *mask)
{
	size_t n = 0;
	if (to > r->tl->n)
		to = r->tl->n;
	for (size_t k = from; k < to; k++) {
		const struct tw_row *row = &r->tl->rows[k];
		if (row->kind == ROW_FRAME && (row->idx & 16383) == 0)
			capture_release_before(r->tl->src[row->src].cap, row->idx); /* keep RSS flat */
		bool m = filter_run_row(r, k);
		mask[k] = m;
		n += m;
	}
	return n;
}

uint8_t *
filter_rows_mask(const struct tw_filter *f, const struct filter_ctx *cx, const struct tw_timeline *tl,
                 size_t *matched)
{
	*matched = 0;
	if (!tl->n)
		return NULL;
	uint8_t *mask = xcalloc(tl->n, 1);
	struct filter_run *r = filter_run_new(f, cx, tl);
	*matched = filter_run_rows(r, 0, tl->n, mask);
	filter_run_free(r);
	return mask;
}
