/*
 * theme.c - theme files, lazy colour pairs, 8-colour and monochrome fallback.
 */
#include "ui/theme.h"

#include "core/str.h"
#include "core/tw.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct role_style {
	short fg, bg;       /* -1 default */
	unsigned long attr; /* colour mode attributes */
	unsigned long mono; /* monochrome attributes */
	short pair;         /* 0: not allocated */
};

static const char *const role_names[ROLE_COUNT_] = {
#define ROLE_NAME(id, name, mono) name,
	THEME_INFO(ROLE_NAME)
#undef ROLE_NAME
};
static const char *const role_mono[ROLE_COUNT_] = {
#define ROLE_MONO(id, name, mono) mono,
	THEME_INFO(ROLE_MONO)
#undef ROLE_MONO
};

static struct role_style styles[ROLE_COUNT_];
static int mode; /* 0 mono, 8, 256 */
static short next_pair = 1;

/* The built-in default (themes/default.theme holds the same text). */
static const char default_theme[] =
	"color normal default default\n"
	"color title default default bold\n"
	"color title-active black cyan bold\n"
	"color header default default underline bold\n"
	"color cursor black white\n"
	"color cursor-inactive default default reverse\n"
	"color row-error red default bold\n"
	"color row-warning yellow default\n"
	"color row-note cyan default\n"
	"color event magenta default\n"
	"color event-error red default bold\n"
	"color event-warning yellow default\n"
	"color mark green default bold\n"
	"color tree-error red default bold\n"
	"color tree-warning yellow default bold\n"
	"color tree-note cyan default\n"
	"color tree-generated default default dim\n"
	"color hex-offset blue default\n"
	"color hex-highlight black yellow\n"
	"color tab default default\n"
	"color tab-active black cyan bold\n"
	"color badge-error white red bold\n"
	"color badge-warning black yellow\n"
	"color badge-ok green default\n"
	"color status black white\n"
	"color hints default default\n"
	"color hint-key cyan default bold\n"
	"color prompt yellow default bold\n"
	"color message yellow default bold\n"
	"color separator blue default\n";

static const char *const color_names[] = { "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white" };

static bool
parse_color(const char *s, short *out)
{
	if (strcasecmp(s, "default") == 0) {
		*out = -1;
		return true;
	}
	for (short i = 0; i < 8; i++)
		if (strcasecmp(s, color_names[i]) == 0) {
			*out = i;
			return true;
		}
	if (strncasecmp(s, "bright", 6) == 0) {
		for (short i = 0; i < 8; i++)
			if (strcasecmp(s + 6, color_names[i]) == 0) {
				*out = (short)(i + 8);
				return true;
			}
	}
	char *end;
	long v = strtol(s, &end, 10);
	if (*s && !*end && v >= 0 && v <= 255) {
		*out = (short)v;
		return true;
	}
	return false;
}

static bool
parse_attr(const char *s, unsigned long *a)
{
	static const struct {
		const char *name;
		unsigned long attr;
	} attrs[] = { { "bold", A_BOLD }, { "dim", A_DIM }, { "underline", A_UNDERLINE },
		      { "reverse", A_REVERSE }, { "standout", A_STANDOUT }, { "blink", A_BLINK },
		      { "normal", A_NORMAL } };
	for (size_t i = 0; i < ARRAY_SIZE(attrs); i++)
		if (strcasecmp(s, attrs[i].name) == 0) {
			*a |= attrs[i].attr;
			return true;
		}
	return false;
}

static int
role_by_name(const char *s)
{
	for (int i = 0; i < ROLE_COUNT_; i++)
		if (strcmp(role_names[i], s) == 0)
			return i;
	return -1;
}

/* A word of the input for an error message: escaped (it may hold controls). */
static const char *
word(char *dst, size_t cap, const char *s)
{
	tw_escape(dst, cap, s, strlen(s));
	return dst;
}

bool
theme_line(const char *line, char *err, size_t errlen)
{
	char e1[136], e2[136];
	char w[8][32];
	int nw = sscanf(line, "%31s %31s %31s %31s %31s %31s %31s %31s", w[0], w[1], w[2], w[3], w[4], w[5],
	                w[6], w[7]);
	if (nw <= 0 || w[0][0] == '#')
		return true;
	bool mono = strcmp(w[0], "mono") == 0;
	if (strcmp(w[0], "color") != 0 && !mono) {
		snprintf(err, errlen, "unknown command '%s' (color, mono)", word(e1, sizeof e1, w[0]));
		return false;
	}
	if (nw < (mono ? 2 : 4)) {
		snprintf(err, errlen, mono ? "usage: mono ROLE [ATTR...]" : "usage: color ROLE FG BG [ATTR...]");
		return false;
	}
	int r = role_by_name(w[1]);
	if (r < 0) {
		snprintf(err, errlen, "unknown role '%s'", word(e1, sizeof e1, w[1]));
		return false;
	}
	short fg = -1, bg = -1;
	int first_attr = 2;
	if (!mono) {
		if (!parse_color(w[2], &fg) || !parse_color(w[3], &bg)) {
			snprintf(err, errlen, "unknown colour in '%s %s'", word(e1, sizeof e1, w[2]), word(e2, sizeof e2, w[3]));
			return false;
		}
		first_attr = 4;
	}
	unsigned long a = 0;
	for (int i = first_attr; i < nw; i++)
		if (!parse_attr(w[i], &a)) {
			snprintf(err, errlen, "unknown attribute '%s'", word(e1, sizeof e1, w[i]));
			return false;
		}
	if (mono) {
		styles[r].mono = a;
	} else {
		styles[r].fg = fg;
		styles[r].bg = bg;
		styles[r].attr = a;
		styles[r].pair = 0;
	}
	return true;
}

static bool
load_text(const char *text, const char *what, char *err, size_t errlen)
{
	char line[256], e[160];
	unsigned lineno = 0;
	while (*text) {
		const char *nl = strchr(text, '\n');
		size_t l = nl ? (size_t)(nl - text) : strlen(text);
		snprintf(line, sizeof line, "%.*s", (int)l, text);
		lineno++;
		if (!theme_line(line, e, sizeof e)) {
			/* the name is escaped here; theme_line escaped the words it quotes */
			char *sw = tw_escape_dup(what, strlen(what));
			snprintf(err, errlen, "%s:%u: %s", sw, lineno, e);
			free(sw);
			return false;
		}
		text += l + (nl ? 1 : 0);
	}
	return true;
}

static char *
read_small_file(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	char *buf = xmalloc(65536);
	size_t n = fread(buf, 1, 65535, f);
	buf[n] = 0;
	fclose(f);
	return buf;
}

/* NAME as a path, in $XDG_CONFIG_HOME/tracewb/themes, next to the binary (../themes), DATADIR. */
static char *
find_theme(const char *name, const char *argv0)
{
	char path[4096];
	if (strchr(name, '/'))
		return read_small_file(name);
	const char *x = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	char *t;
	if (x && *x) {
		snprintf(path, sizeof path, "%s/tracewb/themes/%s.theme", x, name);
		if ((t = read_small_file(path)))
			return t;
	} else if (home) {
		snprintf(path, sizeof path, "%s/.config/tracewb/themes/%s.theme", home, name);
		if ((t = read_small_file(path)))
			return t;
	}
	if (argv0 && strchr(argv0, '/')) {
		const char *sl = strrchr(argv0, '/');
		snprintf(path, sizeof path, "%.*s/../themes/%s.theme", (int)(sl - argv0), argv0, name);
		if ((t = read_small_file(path)))
			return t;
		snprintf(path, sizeof path, "%.*s/../../themes/%s.theme", (int)(sl - argv0), argv0, name);
		if ((t = read_small_file(path)))
			return t;
		snprintf(path, sizeof path, "%.*s/../share/tracewb/themes/%s.theme", (int)(sl - argv0), argv0, name);
		if ((t = read_small_file(path)))
			return t;
	}
	snprintf(path, sizeof path, "/usr/local/share/tracewb/themes/%s.theme", name);
	if ((t = read_small_file(path)))
		return t;
	snprintf(path, sizeof path, "/usr/share/tracewb/themes/%s.theme", name);
	return read_small_file(path);
}

static bool force_mono;

bool
theme_load(const char *name, const char *argv0, char *err, size_t errlen)
{
	char e[128];
	for (int i = 0; i < ROLE_COUNT_; i++) {
		styles[i] = (struct role_style){ -1, -1, 0, 0, 0 };
		char line[128];
		snprintf(line, sizeof line, "mono %s %s", role_names[i], role_mono[i]);
		if (!theme_line(line, e, sizeof e))
			abort();
	}
	if (!load_text(default_theme, "built-in theme", err, errlen))
		abort();
	force_mono = false;
	if (!name || strcmp(name, "default") == 0)
		return true;
	char *text = find_theme(name, argv0);

	if (!text) {
		if (strcmp(name, "mono") == 0 || strcmp(name, "monochrome") == 0) {
			force_mono = true;
			return true;
		}
		char *sn = tw_escape_dup(name, strlen(name));
		snprintf(err, errlen, "theme '%s' not found (themes/%s.theme)", sn, sn);
		free(sn);
		return false;
	}
	if (strstr(text, "\n#mono-only") || strncmp(text, "#mono-only", 10) == 0)
		force_mono = true;
	char *safe = tw_escape_dup(name, strlen(name));
	bool ok = load_text(text, safe, err, errlen);
	free(safe);
	free(text);
	return ok;
}

bool
theme_name_known(const char *name)
{
	return name && (!strcmp(name, "default") || !strcmp(name, "mono"));
}

bool
theme_no_color(const char *env)
{
	return env && *env; /* no-color.org: set and not empty */
}

int
theme_decide_mode(bool no_color, bool mono_theme, bool has_color, int colors)
{
	if (no_color || mono_theme || !has_color || colors < 8)
		return 0;
	return colors >= 256 ? 256 : 8;
}

bool
theme_mono_only(void)
{
	return force_mono;
}

void
theme_style(int role, short *fg, short *bg, unsigned long *attr, unsigned long *mono_attr)
{
	if (role < 0 || role >= ROLE_COUNT_)
		role = ROLE_NORMAL;
	*fg = styles[role].fg;
	*bg = styles[role].bg;
	*attr = styles[role].attr;
	*mono_attr = styles[role].mono;
}

void
theme_start(bool no_color)
{
	mode = 0;
	if (theme_decide_mode(no_color, force_mono, has_colors(), 256)) {
		start_color(); /* COLORS is known from here on */
		use_default_colors();
		mode = theme_decide_mode(no_color, force_mono, true, COLORS);
	}
	next_pair = 1;
	for (int i = 0; i < ROLE_COUNT_; i++)
		styles[i].pair = 0;
}

const char *
theme_mode(void)
{
	return mode == 256 ? "256 colours" : mode == 8 ? "8 colours" : "monochrome";
}

/* Nearest of the 8 basic colours for a 256-colour index. */
short
theme_to8(short c)
{
	if (c < 0 || c < 8)
		return c;
	if (c < 16)
		return (short)(c - 8);
	if (c >= 232) /* greys */
		return c < 244 ? 0 : 7;
	int v = c - 16, r = v / 36, g = (v / 6) % 6, b = v % 6;
	return (short)((r >= 3 ? 1 : 0) | (g >= 3 ? 2 : 0) | (b >= 3 ? 4 : 0));
}

unsigned long
theme_attr(int role)
{
	if (role < 0 || role >= ROLE_COUNT_)
		role = ROLE_NORMAL;
	struct role_style *s = &styles[role];
	if (mode == 0)
		return s->mono;
	if (s->fg < 0 && s->bg < 0)
		return s->attr;
	if (!s->pair) {
		if (next_pair >= COLOR_PAIRS)
			return s->mono;
		short fg = s->fg, bg = s->bg;
		if (mode == 8 || fg >= COLORS || bg >= COLORS) {
			fg = theme_to8(fg);
			bg = theme_to8(bg);
		}
		init_pair(next_pair, fg, bg);
		s->pair = next_pair++;
	}
	return s->attr | (unsigned long)COLOR_PAIR(s->pair);
}

/*
 * A theme file's text held in memory (len bytes, not NUL-terminated; a
 * NUL ends it as it ends a file read by theme_load): parsed over the
 * current styles by the same line parser. For the fuzz harness
 * (tests/fuzz/fuzz_ui.c) and tests.
 */
bool
theme_load_buf(const char *buf, size_t len, const char *what, char *err, size_t errlen)
{
	char *text = xmalloc(len + 1);
	memcpy(text, buf, len);
	text[len] = 0;
	bool ok = load_text(text, what, err, errlen);
	free(text);
	return ok;
}
