/*
 * columns.h - the list's columns: which, in what order, how wide ("set
 * columns no,time:14,source,destination,protocol,length,info" in the
 * config file). Pure: tests/test_columns.c links this file alone.
 */
#ifndef TW_UI_COLUMNS_H
#define TW_UI_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>

enum ui_col { COL_NO, COL_TIME, COL_SRC, COL_DST, COL_PROTO, COL_LEN, COL_INFO, COL_COUNT_ };

#define COL_MAX 8
#define COL_MAX_WIDTH 200

struct ui_columns {
	bool set;             /* false: the default (Length only from 100 columns up) */
	int n;
	int id[COL_MAX];      /* enum ui_col */
	int width[COL_MAX];   /* 0: as wide as the rows shown need */
};

/* "no,time:14,..." -> out; false + err ("unknown column 'x' (no, time, ...)"). */
bool columns_parse(const char *spec, struct ui_columns *out, char *err, size_t errlen);
/* The columns to draw at pane width w: cfg if set, else the default set. */
void columns_effective(const struct ui_columns *cfg, int w, struct ui_columns *out);
/* Header text: "No.", "Time", "Source", "Destination", "Proto", "Len", "Info". */
const char *columns_title(int id);

#endif
