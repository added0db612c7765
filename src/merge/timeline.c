/* timeline.c - k-way merge of sources by time (see timeline.h). */
#include "merge/timeline.h"

#include <stdlib.h>
#include <string.h>

void
timeline_init(struct tw_timeline *tl)
{
	memset(tl, 0, sizeof *tl);
}

void
timeline_free(struct tw_timeline *tl)
{
	free(tl->src);
	free(tl->rows);
	memset(tl, 0, sizeof *tl);
}

void
timeline_add_capture(struct tw_timeline *tl, struct tw_capture *cap, tw_time offset)
{
	tl->src = xreallocarray(tl->src, tl->nsrc + 1, sizeof *tl->src);
	struct tw_source_ref *s = &tl->src[tl->nsrc];
	s->cap = cap;
	s->offset = offset;
	s->letter = (char)(tl->nsrc < 26 ? 'A' + tl->nsrc : '?');
	tl->nsrc++;
}

static tw_time
src_time(const struct tw_source_ref *s, uint32_t i)
{
	return capture_frame(s->cap, i)->ts + s->offset;
}

tw_time
timeline_row_time(const struct tw_timeline *tl, const struct tw_row *r)
{
	return src_time(&tl->src[r->src], r->idx);
}

void
timeline_build(struct tw_timeline *tl)
{
	size_t total = 0;
	for (size_t s = 0; s < tl->nsrc; s++)
		total += capture_count(tl->src[s].cap);
	free(tl->rows);
	tl->rows = xcalloc(total ? total : 1, sizeof *tl->rows);
	tl->n = 0;
	uint32_t *next = xcalloc(tl->nsrc ? tl->nsrc : 1, sizeof *next);
	for (;;) {
		/* The source whose next row is earliest; ties go to the earlier source. */
		size_t best = SIZE_MAX;
		tw_time bt = 0;
		for (size_t s = 0; s < tl->nsrc; s++) {
			if (next[s] >= capture_count(tl->src[s].cap))
				continue;
			tw_time t = src_time(&tl->src[s], next[s]);
			if (best == SIZE_MAX || t < bt) {
				best = s;
				bt = t;
			}
		}
		if (best == SIZE_MAX)
			break;
		if (tl->nsrc == 1) {
			/* One source: file order, no comparisons needed. */
			uint32_t cnt = capture_count(tl->src[0].cap);
			for (uint32_t i = 0; i < cnt; i++)
				tl->rows[tl->n++] = (struct tw_row){ 0, ROW_FRAME, i };
			break;
		}
		tl->rows[tl->n++] = (struct tw_row){ (uint16_t)best, ROW_FRAME, next[best]++ };
	}
	free(next);
}
