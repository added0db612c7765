/*
 * export.h - the merged, offset-corrected timeline as JSON lines or CSV,
 * one row per frame or event, with the analysis' links and findings.
 *
 * JSON lines carry Timesketch's required keys: `datetime` (ISO 8601 UTC
 * with nanoseconds), `timestamp_desc` ("Packet captured" / "Event
 * logged") and `message` (the summary line); plus source, row, protocol,
 * links and findings. Every string from input is escaped (core/str.h).
 */
#ifndef TW_EXPORT_H
#define TW_EXPORT_H

#include "merge/diagnose.h"

#include <stdio.h>

enum tw_export_fmt { EXPORT_JSONL, EXPORT_CSV };

/* The format a file name asks for (.jsonl, .json, .ndjson or .csv); false if neither. */
bool export_fmt_of(const char *path, enum tw_export_fmt *fmt);
/*
 * Write the rows of a's timeline (only rows k with keep[k] != 0 when keep
 * is not NULL: -Y); returns the rows written.
 */
size_t export_timeline(FILE *out, const struct tw_analysis *a, enum tw_export_fmt fmt, const uint8_t *keep);
/* "2026-11-23T21:13:20.150732325Z" */
void export_iso_time(struct tw_sb *sb, tw_time t);

#endif
