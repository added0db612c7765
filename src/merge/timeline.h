/*
 * timeline.h - every source on one time line.
 *
 * A row is (source, index). Sources are merged k-way by time, each source
 * consumed in its own order, ties broken by source order on the command
 * line: a single capture comes out in file order even where its clock
 * steps back, and a capture split into several files merges back to the
 * original order. Per-source clock offsets shift a source's times.
 */
#ifndef TW_TIMELINE_H
#define TW_TIMELINE_H

#include "core/capture.h"

struct tw_row {
	uint16_t src;  /* index into the timeline's sources */
	uint16_t kind; /* ROW_FRAME (events come with their own issue) */
	uint32_t idx;  /* frame index within the source */
};

enum { ROW_FRAME = 0 };

struct tw_source_ref {
	struct tw_capture *cap;
	tw_time offset; /* added to every timestamp of the source */
	char letter;    /* 'A', 'B', ... */
};

struct tw_timeline {
	struct tw_source_ref *src;
	size_t nsrc;
	struct tw_row *rows;
	size_t n;
};

void timeline_init(struct tw_timeline *tl);
void timeline_free(struct tw_timeline *tl);
/* Add a loaded capture as the next source. */
void timeline_add_capture(struct tw_timeline *tl, struct tw_capture *cap, tw_time offset);
/* (Re)build the row order from the sources' current contents. */
void timeline_build(struct tw_timeline *tl);
/* The row's time including the source's offset. */
tw_time timeline_row_time(const struct tw_timeline *tl, const struct tw_row *r);

#endif
