/*
 * print.h - batch output of the timeline: summary lines (-P), detail trees
 * (-V), hex dumps (-x), JSON (-T json) and tshark-compatible fields
 * (-T fields -e ...). Everything from input is escaped before it is written.
 */
#ifndef TW_PRINT_H
#define TW_PRINT_H

#include "core/str.h"
#include "merge/timeline.h"

struct tw_filter;
struct filter_ctx;

#include <stdio.h>

enum tw_timefmt {
	TF_REL,        /* r: seconds since the first row */
	TF_ABS,        /* a: local time of day */
	TF_ABS_DATE,   /* ad: local date and time */
	TF_DELTA,      /* d: since the previous row */
	TF_DELTA_DISP, /* dd: since the previous displayed row */
	TF_EPOCH,      /* e: seconds since 1970 */
	TF_UTC,        /* u: UTC time of day */
	TF_UTC_DATE,   /* ud: UTC date and time */
};

/* Parse a -t argument; false if unknown. */
bool timefmt_parse(const char *s, enum tw_timefmt *out);
/* Format time t (digits after the point) for the time column. */
void timefmt_format(struct tw_sb *sb, enum tw_timefmt f, tw_time t, tw_time first, tw_time prev,
                    tw_time prev_disp, int digits);

enum tw_outfmt { OUT_TEXT, OUT_JSON, OUT_FIELDS };

struct tw_print_opts {
	bool summary;           /* one line per row */
	bool verbose;           /* detail tree */
	bool hex;               /* hex/ASCII dump */
	enum tw_timefmt tfmt;
	long long count;        /* stop after this many rows; < 0 for all */
	enum tw_outfmt out;
	const char **fields;    /* -e names */
	size_t nfields;
	char occurrence;        /* 'a' all, 'f' first, 'l' last */
	char aggregator;
	char separator;
	char quote;             /* 0, '"' or '\'' */
	bool header;
	/*
	 * Optional: add generated nodes to row k's tree after it is dissected
	 * (the owning process from correlate.c's links_process_tree).
	 */
	void (*row_extra)(void *ctx, struct tw_tree *t, const struct tw_timeline *tl, size_t k);
	void *row_extra_ctx;
	/* Optional: text put before a frame's Info column ("[dup of B:12] ", correlate.c). */
	void (*info_prefix)(void *ctx, struct tw_sb *sb, const struct tw_timeline *tl, size_t k);
	void *info_prefix_ctx;
	/* Optional display filter (-Y, filter.h): only matching rows are printed. */
	const struct tw_filter *filter;
	/* Optional row context for the filter (correlation, findings: filter_ctx_new). */
	const struct filter_ctx *filter_ctx;
	/*
	 * Threads that dissect and format rows (the output order never
	 * changes): 0 one per online CPU, at most 8; 1 none. With threads,
	 * row_extra and info_prefix are called from several threads at once
	 * and must only read their context.
	 */
	int threads;
};

void print_opts_init(struct tw_print_opts *o);
/* Check -e names; on error writes a message to err and returns false. */
bool print_check_fields(const struct tw_print_opts *o, char *err, size_t errlen);
/* Print every row; returns the number of rows printed. */
size_t print_timeline(FILE *out, const struct tw_timeline *tl, const struct tw_print_opts *o);

/* Helpers shared with other views. */
void print_tree_text(FILE *out, const struct tw_tree *t);
void print_hexdump(FILE *out, const uint8_t *p, size_t n);

#endif
