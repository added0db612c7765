/*
 * columns.c - parse "set columns" and pick the columns for a pane width.
 */
#include "ui/columns.h"

#include "core/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
	const char *name, *alias, *title;
} cols[COL_COUNT_] = {
	[COL_NO] = { "no", "number", "No." },
	[COL_TIME] = { "time", "time", "Time" },
	[COL_SRC] = { "source", "src", "Source" },
	[COL_DST] = { "destination", "dst", "Destination" },
	[COL_PROTO] = { "protocol", "proto", "Proto" },
	[COL_LEN] = { "length", "len", "Len" },
	[COL_INFO] = { "info", "info", "Info" },
};

const char *
columns_title(int id)
{
	return id >= 0 && id < COL_COUNT_ ? cols[id].title : "?";
}

bool
columns_parse(const char *spec, struct ui_columns *out, char *err, size_t errlen)
{
	struct ui_columns c = { .set = true };
	char buf[256];
	if (strlen(spec) >= sizeof buf) {
		snprintf(err, errlen, "columns: list too long");
		return false;
	}
	snprintf(buf, sizeof buf, "%s", spec);
	char *save = NULL;
	for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int width = 0;
		char *colon = strchr(tok, ':');
		if (colon) {
			*colon = 0;
			char *end;
			long v = strtol(colon + 1, &end, 10);
			if (!colon[1] || *end || v < 1 || v > COL_MAX_WIDTH) {
				char e1[84], e2[84]; /* words of the input: escaped */
				tw_escape(e1, sizeof e1, tok, strnlen(tok, 20));
				tw_escape(e2, sizeof e2, colon + 1, strnlen(colon + 1, 20));
				snprintf(err, errlen, "columns: width of '%s' must be 1..%d, got '%s'", e1, COL_MAX_WIDTH, e2);
				return false;
			}
			width = (int)v;
		}
		int id = -1;
		for (int i = 0; i < COL_COUNT_; i++)
			if (!strcasecmp(tok, cols[i].name) || !strcasecmp(tok, cols[i].alias))
				id = i;
		if (id < 0) {
			char e1[124];
			tw_escape(e1, sizeof e1, tok, strnlen(tok, 30));
			snprintf(err, errlen,
			         "columns: unknown column '%s' (no, time, source, destination, protocol, length, info)", e1);
			return false;
		}
		for (int i = 0; i < c.n; i++)
			if (c.id[i] == id) {
				snprintf(err, errlen, "columns: '%s' twice", cols[id].name);
				return false;
			}
		if (c.n && c.id[c.n - 1] == COL_INFO) {
			snprintf(err, errlen, "columns: info takes the rest of the line, so it comes last");
			return false;
		}
		c.id[c.n] = id;
		c.width[c.n++] = width;
	}
	if (!c.n) {
		snprintf(err, errlen, "columns: name at least one column (no, time, source, destination, protocol, length, info)");
		return false;
	}
	*out = c;
	return true;
}

void
columns_effective(const struct ui_columns *cfg, int w, struct ui_columns *out)
{
	if (cfg && cfg->set) {
		*out = *cfg;
		return;
	}
	static const int def[] = { COL_NO, COL_TIME, COL_SRC, COL_DST, COL_PROTO, COL_LEN, COL_INFO };
	struct ui_columns c = { 0 };
	for (size_t i = 0; i < sizeof def / sizeof def[0]; i++) {
		if (def[i] == COL_LEN && w < 100)
			continue; /* 80 columns: Info matters more than the length */
		c.id[c.n] = def[i];
		c.width[c.n++] = 0;
	}
	*out = c;
}
