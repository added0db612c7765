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

static struct tw_source_ref *
add_source(struct tw_timeline *tl, tw_time offset, uint8_t kind)
{
	tl->src = xreallocarray(tl->src, tl->nsrc + 1, sizeof *tl->src);
	struct tw_source_ref *s = &tl->src[tl->nsrc];
	memset(s, 0, sizeof *s);
	s->offset = offset;
	s->kind = kind;
	s->letter = (char)(tl->nsrc < 26 ? 'A' + tl->nsrc : '?');
	tl->nsrc++;
	return s;
}

void
timeline_add_capture(struct tw_timeline *tl, struct tw_capture *cap, tw_time offset)
{
	add_source(tl, offset, ROW_FRAME)->cap = cap;
}

void
timeline_add_events(struct tw_timeline *tl, struct tw_events *ev, tw_time offset)
{
	add_source(tl, offset, ROW_EVENT)->ev = ev;
}

const char *
timeline_source_name(const struct tw_timeline *tl, size_t s)
{
	const struct tw_source_ref *r = &tl->src[s];
	return r->kind == ROW_EVENT ? events_name(r->ev) : capture_name(r->cap);
}

static uint32_t
src_count(const struct tw_source_ref *s)
{
	return s->kind == ROW_EVENT ? events_count(s->ev) : capture_count(s->cap);
}

static tw_time
src_time(const struct tw_source_ref *s, uint32_t i)
{
	if (s->kind == ROW_EVENT)
		return events_get(s->ev, i)->ts + s->offset;
	return capture_frame(s->cap, i)->ts + s->offset;
}

/* First index >= i that gets a row (duplicate events get none). */
static uint32_t
src_skip(const struct tw_source_ref *s, uint32_t i)
{
	if (s->kind != ROW_EVENT)
		return i;
	uint32_t n = events_count(s->ev);
	while (i < n && (events_get(s->ev, i)->flags & EVF_DUP))
		i++;
	return i;
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
		total += src_count(&tl->src[s]);
	free(tl->rows);
	tl->rows = xcalloc(total ? total : 1, sizeof *tl->rows);
	tl->n = 0;
	if (tl->nsrc == 1) {
		/* One source: its own order, no comparisons needed. */
		const struct tw_source_ref *s = &tl->src[0];
		uint32_t cnt = src_count(s);
		for (uint32_t i = src_skip(s, 0); i < cnt; i = src_skip(s, i + 1))
			tl->rows[tl->n++] = (struct tw_row){ 0, s->kind, i };
		return;
	}
	uint32_t *next = xcalloc(tl->nsrc ? tl->nsrc : 1, sizeof *next);
	for (size_t s = 0; s < tl->nsrc; s++)
		next[s] = src_skip(&tl->src[s], 0);
	for (;;) {
		/* The source whose next row is earliest; ties go to the earlier source. */
		size_t best = SIZE_MAX;
		tw_time bt = 0;
		for (size_t s = 0; s < tl->nsrc; s++) {
			if (next[s] >= src_count(&tl->src[s]))
				continue;
			tw_time t = src_time(&tl->src[s], next[s]);
			if (best == SIZE_MAX || t < bt) {
				best = s;
				bt = t;
			}
		}
		if (best == SIZE_MAX)
			break;
		const struct tw_source_ref *b = &tl->src[best];
		tl->rows[tl->n++] = (struct tw_row){ (uint16_t)best, b->kind, next[best] };
		next[best] = src_skip(b, next[best] + 1);
	}
	free(next);
}
