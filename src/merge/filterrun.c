/* filterrun.c - a display filter over timeline rows (see filterrun.h). */
#include "merge/filterrun.h"

#include "core/dissect/dissect.h"

#include <stdlib.h>
#include <string.h>

struct filter_run {
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
	if (r->fast) {
		capture_dissect(src->cap, row->idx, &r->dc, NULL);
		int m = filter_match_summary(r->f, &r->dc.pi, &r->scratch);
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
