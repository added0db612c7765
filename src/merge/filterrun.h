/*
 * filterrun.h - evaluate a display filter over the rows of a timeline.
 *
 * One evaluator serves every mode: print (-Y), --check, --export,
 * --conversations and the workbench's filter prompt, which runs it in
 * chunks from its event loop. Frames take the index path (no dissection),
 * else the summary fast path (filter_match_summary) when the filter allows
 * it, else a detail tree is
 * built (labelled when the filter tests cert.* / x509* fields); events
 * always get their tree. The row context (filter.h) supplies correlated,
 * finding and process.*.
 */
#ifndef TW_FILTERRUN_H
#define TW_FILTERRUN_H

#include "merge/filter.h"
#include "merge/timeline.h"

#include <stdint.h>

struct filter_run;

/*
 * The index path over a timeline (filter_match_index): the facts of each
 * frame row from the load pass. NULL when the filter has no test the index
 * can decide. Build it after the captures are loaded.
 */
struct filter_index;
struct filter_index *filter_index_new(const struct tw_filter *f, const struct tw_timeline *tl);
void filter_index_free(struct filter_index *x);
/* Row k: 1 matches, 0 does not, -1 the index cannot tell (x may be NULL). */
int filter_index_row(const struct filter_index *x, size_t k);

/* cx may be NULL. The run keeps pointers to f, cx and tl. */
struct filter_run *filter_run_new(const struct tw_filter *f, const struct filter_ctx *cx,
                                  const struct tw_timeline *tl);
void filter_run_free(struct filter_run *r);
/* Does row k match? */
bool filter_run_row(struct filter_run *r, size_t k);
/*
 * Evaluate rows [from, to) (clamped to the timeline): mask[k] = 1 when row
 * k matches, else 0. Returns how many matched. Rows are visited in order,
 * so a sequential pass keeps the captures' memory flat.
 */
size_t filter_run_rows(struct filter_run *r, size_t from, size_t to, uint8_t *mask);

/*
 * The whole timeline at once: a heap mask of tl->n bytes (NULL when tl is
 * empty); *matched gets the count.
 */
uint8_t *filter_rows_mask(const struct tw_filter *f, const struct filter_ctx *cx, const struct tw_timeline *tl,
                          size_t *matched);

#endif
