/*
 * timeline.h - every source on one time line.
 *
 * A row is (source, index). Sources are merged k-way by time, each source
 * consumed in its own order, ties broken by source order on the command
 * line: a single capture comes out in file order even where its clock
 * steps back, and a capture split into several files merges back to the
 * original order. Per-source clock offsets shift a source's times.
 *
 * Sources are captures (rows are frames) or Windows event exports (rows
 * are events); both kinds merge the same way, each with its own offset.
 */
#ifndef TW_TIMELINE_H
#define TW_TIMELINE_H

#include "core/capture.h"
#include "core/event.h"

struct tw_row {
	uint16_t src;  /* index into the timeline's sources */
	uint16_t kind; /* ROW_FRAME or ROW_EVENT (the source's kind) */
	uint32_t idx;  /* frame index, or event index in the file's time order */
};

enum { ROW_FRAME = 0, ROW_EVENT = 1 };

/* A source is a capture (cap, ROW_FRAME) or an event export (ev, ROW_EVENT). */
struct tw_source_ref {
	struct tw_capture *cap;
	struct tw_events *ev;
	tw_time offset; /* added to every timestamp of the source */
	char letter;    /* 'A', 'B', ... */
	uint8_t kind;   /* ROW_FRAME or ROW_EVENT */
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
/*
 * Add a loaded event export as the next source. Its events are already in
 * time order (stable on file order); events marked as duplicates of
 * another file's (EVF_DUP) get no row.
 */
void timeline_add_events(struct tw_timeline *tl, struct tw_events *ev, tw_time offset);
/* (Re)build the row order from the sources' current contents. */
void timeline_build(struct tw_timeline *tl);
/* The row's time including the source's offset. */
tw_time timeline_row_time(const struct tw_timeline *tl, const struct tw_row *r);
/* Display name of source s (the file's base name). */
const char *timeline_source_name(const struct tw_timeline *tl, size_t s);

#endif
