/*
 * ui_int.h - state shared by the UI's files (not for main.c).
 */
#ifndef TW_UI_INT_H
#define TW_UI_INT_H

#include "core/capture.h"
#include "core/dissect/dissect.h"
#include "core/event.h"
#include "core/str.h"
#include "core/tree.h"
#include "merge/correlate.h"
#include "merge/print.h"
#include "merge/timeline.h"
#include "ui/columns.h"
#include "ui/layout.h"

#include <stdint.h>

/* Time formats the `t` key cycles through. */
enum ui_tf { UTF_UTC, UTF_LOCAL, UTF_REL, UTF_DELTA, UTF_REF, UTF_COUNT_ };

enum ui_tab { TAB_HEX, TAB_CERTS, TAB_EVENT, TAB_COUNT_ };

enum ui_prompt { PR_NONE, PR_SEARCH, PR_SEARCH_BACK, PR_GOTO, PR_FILTER, PR_COUNT_ };

#define ROWCACHE 256
#define SEV_UNKNOWN 0xff

/* One row's summary columns (the time column is formatted when drawn). */
struct rowsum {
	size_t row;     /* timeline row, SIZE_MAX: empty slot */
	uint8_t sev;
	uint8_t kind;   /* ROW_FRAME / ROW_EVENT */
	uint8_t level;  /* event level */
	struct tw_sb text; /* "src\0dst\0proto\0len\0info\0" */
	const char *col[5];
};

struct flatnode {
	struct tw_node *n;
	int depth;
	uint64_t key;
	bool open, has_kids;
};

struct rowid {
	uint16_t src;
	uint32_t idx;
};

/* The follow-stream view (stream.c). */
struct ui_stream {
	char **line;
	int *role;
	signed char *dir;   /* per line: 0 client -> server, 1 server -> client, -1 both */
	size_t n, cap, top; /* top: among the lines shown */
	signed char cur;    /* the direction of the lines being added */
	int show;           /* 0 both ways, 1 client -> server only, 2 server -> client only */
	bool directional;   /* a stream (Tab picks the direction), not a plain list */
	bool on;
};

struct ui {
	struct tw_timeline *tl;
	const struct ui_opts *opts;
	bool loading;
	/* display rows: identity when !disp */
	size_t *disp, ndisp;
	char filter[256];   /* the applied display filter's text (filterbar.c), "" if none */
	struct filterbar *fb;
	bool stream_only;
	size_t cur, top;    /* index into display rows */
	int hscroll;
	uint8_t *sev;       /* per timeline row, SEV_UNKNOWN until computed */
	struct rowsum cache[ROWCACHE];
	struct tw_dctx sdc; /* summaries */
	struct tw_tree stree;
	/* the selected row's tree */
	struct tw_dctx dc;
	struct tw_tree tree;
	size_t tree_row;    /* timeline row the tree is for, SIZE_MAX: none */
	struct flatnode *flat;
	size_t nflat, capflat, tcur, ttop;
	uint64_t *open_keys, *closed_keys;
	size_t nopen, nclosed;
	uint64_t want_key;  /* tree selection to keep across rows */
	uint8_t select_sev; /* after e/w: select the first finding this severe */
	/* side pane */
	int tab;
	size_t tab_row;     /* the row the tab was last chosen for (SIZE_MAX: none) */
	int hex_src;
	size_t side_top;
	/* time */
	int tf;
	size_t ref_row;
	/* marks, by row identity */
	struct rowid *marks;
	size_t nmarks;
	/* correlation (computed once the timeline is complete) and c's way back */
	struct tw_links links;
	bool have_links;
	struct rowid jump_from, jump_to;
	bool jumped;
	/* layout */
	struct layout_prefs prefs;
	struct layout lay;
	int focus;
	bool help;
	struct ui_stream stream;
	size_t help_top;
	int help_sel;       /* action under the help cursor: Enter runs it */
	/* prompt */
	int prompt;
	char pbuf[256];
	size_t plen;
	char *hist[PR_COUNT_][32];
	int nhist[PR_COUNT_], hpos;
	char search[256];
	bool search_back;
	char msg[256];
	bool quit;
	/* load warnings (warnings.c) */
	char **warn;
	size_t nwarn;
	size_t *warn_seen, nwarn_seen; /* per source: warnings already taken */
	/* list columns (set columns) and correlation window (set correlation-window, --window) */
	struct ui_columns cols;
	int64_t window;     /* ns, 0: the default */
};

/* ui.c: rebuild the display rows (filter, stream) keeping row `keep` (or the next one) selected */
void ui_refilter(struct ui *u, const struct tw_row *keep);

/* pane_list.c */
size_t ui_nrows(const struct ui *u);
size_t ui_row(const struct ui *u, size_t disp_i); /* timeline row of display row i */
const struct rowsum *ui_rowsum(struct ui *u, size_t row);
uint8_t ui_row_sev(struct ui *u, size_t row);
void ui_cache_clear(struct ui *u);
void ui_time_text(struct ui *u, size_t row, struct tw_sb *sb);
const char *ui_tf_name(const struct ui *u);
void list_draw(struct ui *u, const struct ui_rect *r, bool focused);
bool ui_is_marked(const struct ui *u, size_t row);

/* pane_tree.c */
void tree_sync(struct ui *u);       /* build the tree of the current row if needed */
void tree_flatten(struct ui *u);
void tree_draw(struct ui *u, const struct ui_rect *r, bool focused);
void tree_action(struct ui *u, int act, int page);
void ui_node_text(struct tw_sb *sb, const struct tw_node *n);
struct tw_node *tree_selected(struct ui *u);

/* stream.c */
bool stream_build(struct ui *u, size_t row, struct ui_stream *sv);
void stream_draw(struct ui *u, int rows, int cols);
void stream_free(struct ui_stream *sv);
void stream_add(struct ui_stream *sv, int role, const char *s);
void stream_cycle_direction(struct ui_stream *sv);

/* warnings.c */
void warnings_collect(struct ui *u);
void warnings_show(struct ui *u);
void warnings_free(struct ui *u);

/* pane_side.c: hex, certificates, event */
void side_draw(struct ui *u, const struct ui_rect *r, bool focused);
void side_action(struct ui *u, int act, int page);
bool side_row_cert_findings(struct ui *u);

#endif
